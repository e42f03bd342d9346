//! OIE020: an okta-auth-js too old for what it is used with.
//!
//! - auth-js gained the `idx` module (Identity Engine) in 5.1.0: a file
//!   calling `authClient.idx.…` whose governing auth-js admits only older
//!   versions, or a `package.json` that pairs the widget with such an
//!   auth-js, cannot run Identity Engine flows.
//! - Widget 6.x requires a passed `authClient` to be auth-js 6.0 or later
//!   (MIGRATING 5→6); widget 7.x uses auth-js 7 ("the same version of
//!   `@okta/okta-auth-js` as that used by the installed widget", README).
//!
//! Only ranges that admit no good version are reported: a range that also
//! admits a good version is the lockfile's business, not a finding. A
//! manifest is reported only when some file of its package passes an
//! `authClient` to the widget (the widget otherwise runs its own copy).

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::source::FileKind;
use crate::versions::{self, manifest::Manifest, WidgetVersion, AUTH_JS_PACKAGE, WIDGET_PACKAGE};
use nodejs_semver::Range;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] =
    &[("auth-js-too-old", |rule| Box::new(AuthJsTooOld { rule }))];

pub struct AuthJsTooOld {
    pub rule: usize,
}

fn range(s: &str) -> Range {
    Range::parse(s).expect("a literal range")
}

/// Whether `r` admits a version in `wanted`.
fn admits(r: &Range, wanted: &str) -> bool {
    r.allows_any(&range(wanted))
}

/// Whether `r` admits no version in `outside`.
fn only(r: &Range, outside: &str) -> bool {
    !r.allows_any(&range(outside))
}

impl Check for AuthJsTooOld {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let auth = match ctx.auth_js_version() {
            WidgetVersion::Exact(v) => Range::parse(format!("={v}")).ok(),
            WidgetVersion::Range { range, .. } => Some(range),
            WidgetVersion::Unknown => None,
        };
        if auth.is_some_and(|r| !admits(&r, ">=5.1.0")) {
            out.push(Finding::new(self.rule, hit.start_byte(), hit.end_byte()).message(
                "`idx` needs okta-auth-js 5.1.0 or later, but the okta-auth-js this file uses is older: it has no Identity Engine support",
            ));
        }
    }

    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        if ctx.source.kind != FileKind::PackageJson {
            return Ok(());
        }
        let manifest = Manifest::parse(&ctx.source.text)?;
        let find = |name: &str| {
            manifest
                .dependencies
                .iter()
                .find(|d| versions::real_package(d) == name)
        };
        let (Some(auth), Some(widget)) = (find(AUTH_JS_PACKAGE), find(WIDGET_PACKAGE)) else {
            return Ok(());
        };
        let (Some(ar), Some(wr)) = (
            versions::parse_range(&auth.spec),
            versions::parse_range(&widget.spec),
        ) else {
            return Ok(());
        };
        let message = if only(&wr, "<7.0.0") {
            (!admits(&ar, ">=7.0.0 <8.0.0")).then(|| {
                format!(
                    "Sign-In Widget `{}` runs on okta-auth-js 7, but `{}` pins `{}`: use the same okta-auth-js version as the widget",
                    widget.spec, AUTH_JS_PACKAGE, auth.spec
                )
            })
        } else if only(&wr, "<6.0.0 || >=7.0.0") {
            (!admits(&ar, ">=6.0.0")).then(|| {
                format!(
                    "Sign-In Widget `{}` requires an `authClient` from okta-auth-js 6.0 or later, but `{}` is `{}`",
                    widget.spec, AUTH_JS_PACKAGE, auth.spec
                )
            })
        } else {
            (!admits(&ar, ">=5.1.0")).then(|| {
                format!(
                    "`{}` `{}` predates the `idx` module (5.1.0): it has no Identity Engine support",
                    AUTH_JS_PACKAGE, auth.spec
                )
            })
        };
        // The widget bundles its own okta-auth-js: the app's matters only
        // when the app hands it to the widget (`authClient:`). Calls of
        // the app's own `idx` are reported where they are (`on_match`).
        // Read lazily, only for a manifest that would be reported.
        if let Some(m) = message {
            let manifest_path = &ctx.source.path;
            // parent-ok: the manifest's directory (a `Path`, not a node).
            let dir = manifest_path.parent().unwrap_or(std::path::Path::new("."));
            if passes_auth_client(dir) {
                out.push(Finding::new(self.rule, auth.start, auth.end).message(m));
            }
        }
        Ok(())
    }
}

/// Files read at most by [`passes_auth_client`], and their size limit:
/// the search stops at the first file that passes one.
const MAX_FILES: usize = 20_000;
const MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Whether some script or page under `dir` (`.gitignore` honoured,
/// `node_modules` and hidden entries skipped) constructs the widget with
/// an `authClient` option: `new OktaSignIn({ …, authClient: oktaAuth })`
/// or the shorthand `{ authClient }` (issue 26: an app that never passes
/// one runs the widget's own okta-auth-js, whatever its manifest pins).
fn passes_auth_client(dir: &std::path::Path) -> bool {
    let key = |text: &str| {
        let b = text.as_bytes();
        memchr::memmem::find_iter(b, b"authClient").any(|i| {
            let before_ok = i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'_' | b'.' | b'$'));
            let rest = text[i + "authClient".len()..].trim_start();
            before_ok && (rest.starts_with(':') || rest.starts_with(',') || rest.starts_with('}'))
        })
    };
    ignore::WalkBuilder::new(dir)
        .filter_entry(|e| e.file_name() != "node_modules")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter(|e| {
            matches!(
                FileKind::from_path(e.path()),
                Some(FileKind::Script(_) | FileKind::Html)
            ) && e.metadata().is_ok_and(|m| m.len() <= MAX_FILE_SIZE)
        })
        .take(MAX_FILES)
        .any(|e| {
            crate::source::overlay::read_to_string(e.path())
                .is_ok_and(|t| t.contains("OktaSignIn") && key(&t))
        })
}
