//! OIE004: a Sign-In Widget version below Okta's Identity Engine line.
//!
//! Sources, one finding per reference: widget CDN URLs in JavaScript strings
//! (the rule's query hands us each string fragment that mentions the
//! widget), CDN URLs in `src=`/`href=` attributes of HTML pages and in
//! settings files (`appsettings.json`, `*.yml`), the
//! widget's range in `package.json`, the versions lockfiles pin and the
//! version a vendored bundle declares. Precedence: a manifest range that an
//! installed copy or a lockfile resolves is graded by that exact version,
//! and a locked version is reported at the lockfile entry (naming the
//! manifest line), not at the range. Hosted templates are skipped: their
//! widget version is an Admin Console setting the repository cannot show.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::{Applicability, Edit, Finding, Fix};
use crate::source::FileKind;
use crate::syntax;
use crate::versions::{self, cdn, manifest::Manifest, ManifestFile, WIDGET_PACKAGE};
use nodejs_semver::Version;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("widget-version", |rule| {
    Box::new(WidgetVersionCheck { rule })
})];

pub struct WidgetVersionCheck {
    pub rule: usize,
}

impl WidgetVersionCheck {
    /// Grades every CDN version inside `ctx.source.text[start..end]`.
    fn urls_in(&self, ctx: &FileCtx, start: usize, end: usize, out: &mut Vec<Finding>) {
        for u in cdn::widget_versions_in(&ctx.source.text[start..end]) {
            let Some(version) = versions::parse_version(&u.version) else {
                continue;
            };
            if let Some((severity, message)) =
                versions::grade_version(&version, &ctx.settings.thresholds)
            {
                // The fix (below the target) is attached once per file by
                // `attach_cdn_fixes`, after every URL has been seen.
                out.push(
                    Finding::new(self.rule, start + u.start, start + u.end)
                        .severity(severity)
                        .message(message),
                );
            }
        }
    }
}

impl Check for WidgetVersionCheck {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        if ctx.hosted {
            return;
        }
        if let Some(s) = m.get("url") {
            self.urls_in(ctx, s.start_byte(), s.end_byte(), out);
        }
    }

    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        match ctx.source.kind {
            // A settings file's URLs (`source::settings`) as a page's.
            FileKind::Html | FileKind::Settings if !ctx.hosted => {
                for u in ctx.urls {
                    self.urls_in(ctx, u.start, u.end, out);
                }
                self.attach_cdn_fixes(ctx, out);
            }
            FileKind::PackageJson => {
                let manifest = Manifest::parse(&ctx.source.text)?;
                let file = ManifestFile {
                    path: ctx.source.path.clone(),
                    manifest,
                };
                for dep in file
                    .manifest
                    .dependencies
                    .iter()
                    .filter(|d| versions::real_package(d) == WIDGET_PACKAGE)
                {
                    if self.resolved_elsewhere(ctx, &file, dep, out) {
                        continue;
                    }
                    let Some(range) = versions::parse_range(&dep.spec) else {
                        continue;
                    };
                    if let Some((severity, message)) =
                        versions::grade_range(&dep.spec, &range, &ctx.settings.thresholds)
                    {
                        let mut finding = Finding::new(self.rule, dep.start, dep.end)
                            .severity(severity)
                            .message(format!("{message} ({} in {})", WIDGET_PACKAGE, dep.section));
                        if let Some(fix) = range_fix(
                            &ctx.source.text,
                            &dep.spec,
                            dep.start,
                            dep.end,
                            &ctx.settings.thresholds.target,
                            None,
                        ) {
                            finding = finding.fix(fix);
                        }
                        out.push(finding);
                    }
                }
            }
            FileKind::Lockfile => self.lockfile(ctx, out)?,
            FileKind::WidgetBundle => self.bundle(ctx, out),
            FileKind::Script(_) => {
                self.bundle(ctx, out);
                if !ctx.hosted {
                    self.attach_cdn_fixes(ctx, out);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl WidgetVersionCheck {
    /// Gives each CDN finding below the target the edit that bumps its URL;
    /// the first also carries the file's other URLs below the target that
    /// are not findings themselves (a css URL at the recommended version
    /// next to an old js URL), so that with every fix applied the page's
    /// URLs carry one version. One pass over the file's URLs, whatever
    /// their number (one fix holding every edit, per finding, was
    /// quadratic in time and memory).
    fn attach_cdn_fixes(&self, ctx: &FileCtx, out: &mut [Finding]) {
        let mine = |f: &Finding| f.rule == self.rule && f.fix.is_none();
        if !out.iter().any(mine) {
            return;
        }
        if let Some(why) = classic_code_left(ctx, out) {
            for f in out.iter_mut().filter(|f| mine(f)) {
                let base = f.message.clone().unwrap_or_else(|| {
                    crate::rules::Registry::get().rules[self.rule]
                        .message
                        .clone()
                });
                f.message = Some(format!("{base} (no automatic fix: {})", why.reason));
                f.no_fix = Some(why.clone());
            }
            return;
        }
        let all = cdn_fix(ctx);
        let by_range: std::collections::HashMap<(usize, usize), usize> = all
            .edits
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.start, e.end), i))
            .collect();
        let mut used = vec![false; all.edits.len()];
        let mut first = None;
        for (fi, f) in out.iter_mut().enumerate() {
            if !mine(f) {
                continue;
            }
            let Some(&i) = by_range.get(&(f.start, f.end)) else {
                continue;
            };
            if used[i] {
                continue;
            }
            used[i] = true;
            first.get_or_insert(fi);
            f.fix = Some(Fix {
                applicability: all.applicability,
                description: all.description.clone(),
                edits: vec![all.edits[i].clone()],
            });
        }
        if let Some(fi) = first {
            let rest = all
                .edits
                .iter()
                .zip(&used)
                .filter(|(_, u)| !**u)
                .map(|(e, _)| e.clone());
            let fix = out[fi].fix.as_mut().expect("attached above");
            fix.edits.extend(rest);
            fix.edits.sort_by_key(|e| e.start);
        }
    }
}

/// Rules whose findings are Classic code that a newer widget breaks: the
/// Classic success callback (`setCookieAndRedirect`, `sessionToken` reads)
/// and widget APIs that later majors removed.
const BROKEN_BY_UPGRADE: &[&str] = &["OIE001", "OIE002", "OIE021"];

/// Why the CDN upgrade is withheld: the page keeps Classic code that the new
/// widget breaks and that no fix of the run migrates (a finding of
/// [`BROKEN_BY_UPGRADE`] without a fix, not one migrated by another hit's
/// fix), or a JavaScript string that holds the URL is itself code or markup
/// oie-lint does not read (a page generated from a template literal: its
/// callback is not seen). The upgrade alone would leave a page that signs
/// in on neither engine (issue 25's fresh measurement, bug D).
fn classic_code_left(ctx: &FileCtx, out: &[Finding]) -> Option<crate::diagnostic::NoFix> {
    let reg = crate::rules::Registry::get();
    let left = out.iter().find(|f| {
        f.fix.is_none()
            && BROKEN_BY_UPGRADE.contains(&reg.rules[f.rule].code.as_str())
            && f.no_fix
                .as_ref()
                .is_none_or(|n| n.code != super::migrate::PART_OF_CALLBACK_FIX)
            // A removed stylesheet is not code: the upgrade leaves its link
            // (see `cdn_fix`), and OIE021 says to remove it.
            && !ctx.source.text[f.start..f.end].contains("okta-theme")
    });
    if let Some(f) = left {
        let snippet: String = ctx.source.text[f.start..f.end].chars().take(60).collect();
        return Some(crate::diagnostic::NoFix::new(
            "classic-code-left",
            format!(
                "`{}` ({}) stays Classic and the new widget would break it; migrate it first, then upgrade",
                snippet.replace('`', "'"),
                reg.rules[f.rule].code
            ),
        ));
    }
    let unread = ctx.units.iter().any(|unit| {
        let mut found = false;
        syntax::walk(unit.tree.root_node(), |n| {
            found = found
                || (n.kind() == "string_fragment"
                    && ctx.masked[n.byte_range()].contains("okta-signin-widget")
                    && is_code_in_string(&ctx.masked[n.byte_range()]));
        });
        found
    });
    unread.then(|| {
        crate::diagnostic::NoFix::new(
            "widget-in-string",
            "the widget URL is in a string that holds a page or script oie-lint does not read (its sign-in code is not checked); upgrade it by hand with that code",
        )
    })
}

/// Whether a JavaScript string holds markup or sign-in code (a generated
/// page), not just a URL.
fn is_code_in_string(s: &str) -> bool {
    [
        "<script",
        "renderEl(",
        "showSignIn",
        "setCookieAndRedirect",
        "new OktaSignIn",
    ]
    .iter()
    .any(|m| s.contains(m))
}

/// Bumps every widget CDN URL of the file that is below the target (the
/// page's js and css URLs must carry the same version, so they move
/// together): `src=`/`href=` attributes and JavaScript strings. Comments
/// are left alone.
fn cdn_fix(ctx: &FileCtx) -> Fix {
    let target = &ctx.settings.thresholds.target;
    let text = &ctx.source.text;
    let mut places: Vec<(usize, usize)> = ctx.urls.iter().map(|u| (u.start, u.end)).collect();
    for unit in ctx.units {
        syntax::walk(unit.tree.root_node(), |n| {
            if n.kind() == "string_fragment"
                && ctx.masked[n.byte_range()].contains("okta-signin-widget")
            {
                places.push((n.start_byte(), n.end_byte()));
            }
        });
    }
    // Stylesheets imported by CSS (`@import url(…)` in a `<style>` or a
    // stylesheet) move with the page's js too (issue 25).
    places.extend(css_imports(text));
    places.sort_unstable();
    places.dedup();
    let mut edits: Vec<Edit> = Vec::new();
    let mut starts = std::collections::HashSet::new();
    let mut themes_left = 0;
    for (start, end) in places {
        for u in cdn::widget_versions_in(&text[start..end]) {
            // `okta-theme.css` does not exist from 3.0 on (merged into
            // `okta-sign-in.min.css`): its link is OIE021's to remove, not
            // to point at a missing file.
            let path_end = text[start + u.end..end]
                .find(['"', '\'', ' ', ')', '?', '#', '>'])
                .map_or(end, |i| start + u.end + i);
            if text[start + u.end..path_end].contains("okta-theme") && target.major() >= 3 {
                themes_left += 1;
                continue;
            }
            if versions::parse_version(&u.version).is_some_and(|v| &v < target) {
                let at = start + u.start;
                // Keep a `v` prefix out of the range: the regex captures after it.
                if starts.insert(at) {
                    edits.push(Edit {
                        start: at,
                        end: start + u.end,
                        replacement: target.to_string(),
                    });
                }
            }
        }
    }
    // A Subresource Integrity hash is the old file's: the browser would
    // refuse the new one. It is removed (oie-lint cannot compute the new
    // file's hash without fetching it), and the description says so.
    let sri = if ctx.source.kind == FileKind::Html {
        integrity_edits(text, ctx.urls, &edits)
    } else {
        Vec::new()
    };
    let mut description = format!("Upgrade the Sign-In Widget CDN URLs of this file to {target} (js and css together; review the major-version changes)");
    if !sri.is_empty() {
        description.push_str(&format!(
            "; removes the `integrity` (SRI) hash of the old version from {} (the browser would refuse the new file with it): add the new file's hash to keep SRI",
            if sri.len() == 1 { "its tag".to_string() } else { format!("{} tags", sri.len()) }
        ));
    }
    if themes_left > 0 {
        description.push_str(
            "; leaves the `okta-theme.css` URL as it is (that file does not exist from 3.0 on: remove it, see OIE021)",
        );
    }
    edits.extend(sri);
    edits.sort_by_key(|e| e.start);
    Fix {
        applicability: Applicability::Unsafe,
        description,
        edits,
    }
}

/// The URL ranges of `@import` rules (`@import url("…");`, `@import "…";`)
/// outside `/* */` and `<!-- -->` comments.
fn css_imports(text: &str) -> Vec<(usize, usize)> {
    memchr::memmem::find_iter(text.as_bytes(), b"@import")
        .filter(|&at| {
            let before = &text[..at];
            let open = |o: &str, c: &str| {
                before
                    .rfind(o)
                    .is_some_and(|i| before.rfind(c).is_none_or(|j| j < i))
            };
            !open("/*", "*/") && !open("<!--", "-->")
        })
        .map(|at| {
            let rest = &text[at..];
            let end = rest.find([';', '\n', '<']).unwrap_or(rest.len());
            (at, at + end)
        })
        .collect()
}

/// Edits that remove the `integrity="…"` attribute of each tag whose URL
/// attribute `edits` change.
fn integrity_edits(text: &str, urls: &[crate::source::page::UrlAttr], edits: &[Edit]) -> Vec<Edit> {
    static SRI: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let sri = SRI.get_or_init(|| {
        regex::Regex::new(r#"(?i)\s+integrity\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+)"#).unwrap()
    });
    let mut out: Vec<Edit> = Vec::new();
    for u in urls {
        if !edits.iter().any(|e| u.start <= e.start && e.end <= u.end) {
            continue;
        }
        let (Some(open), Some(close)) = (
            text[..u.start].rfind('<'),
            text[u.end..].find('>').map(|i| u.end + i),
        ) else {
            continue;
        };
        if let Some(m) = sri.find(&text[open..close]) {
            let (start, end) = (open + m.start(), open + m.end());
            if !out.iter().any(|e| e.start == start) {
                out.push(Edit {
                    start,
                    end,
                    replacement: String::new(),
                });
            }
        }
    }
    out
}

/// The spec a range becomes: the target with the range's `^`/`~` operator
/// (`^5.1.0` → `^7.48.2`); anything more complex becomes `^target`.
fn bumped(spec: &str, target: &Version) -> String {
    let simple = spec.trim().trim_start_matches(['^', '~', '=']);
    let op = if versions::parse_version(simple).is_some() && !simple.starts_with('v') {
        &spec.trim()[..spec.trim().len() - simple.len()]
    } else {
        "^"
    };
    let op = if op == "=" { "" } else { op };
    format!("{op}{target}")
}

/// Replaces a `package.json` range with the target, and the widget's
/// entries in `overrides` (npm), `resolutions` (yarn) and `pnpm.overrides`
/// in the same fix: an override left on the old version makes `npm install`
/// fail (`EOVERRIDE`) or silently keeps the old widget. `locked`: the
/// lockfile that resolved the old version, to be regenerated.
fn range_fix(
    text: &str,
    spec: &str,
    start: usize,
    end: usize,
    target: &Version,
    locked: Option<&str>,
) -> Option<Fix> {
    let new = bumped(spec, target);
    if versions::parse_range(&new)
        .is_some_and(|r| versions::parse_range(spec).is_some_and(|old| old == r))
    {
        return None;
    }
    let mut edits = vec![Edit {
        start,
        end,
        replacement: new.clone(),
    }];
    let overrides = override_edits(text, target, spec);
    let also = if overrides.is_empty() {
        String::new()
    } else {
        format!(
            " and its {} pinned in {}",
            if overrides.len() == 1 {
                "override"
            } else {
                "overrides"
            },
            {
                let mut where_: Vec<&str> = overrides.iter().map(|(s, _)| *s).collect();
                where_.dedup();
                where_.join(", ")
            }
        )
    };
    edits.extend(overrides.into_iter().map(|(_, e)| e));
    edits.sort_by_key(|e| e.start);
    let reinstall = match locked {
        Some(lock) => format!("then regenerate {lock} (`npm install` / `yarn` / `pnpm install`): it still pins the old version"),
        None => "reinstall to update the lockfile".to_string(),
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        description: format!("Upgrade `{WIDGET_PACKAGE}` to `{new}`{also} ({reinstall}; review the major-version changes)"),
        edits,
    })
}

/// Edits that move the widget's version entries in `overrides`,
/// `resolutions` and `pnpm.overrides` to the target, with where each is.
/// Keys may name the package under a path (`**/@okta/okta-signin-widget`,
/// `parent>@okta/okta-signin-widget`, `@okta/okta-signin-widget@<7`);
/// npm's nested form (`"parent": { "@okta/okta-signin-widget": "…" }`,
/// `{ ".": "…" }`) is followed; `$@okta/okta-signin-widget` references
/// follow the dependency already and are left alone. An entry equal to the
/// dependency's old range (`"*"` in both, issue 25) moves with it even when
/// it admits the target: npm refuses an override that differs from the
/// direct dependency (`EOVERRIDE`).
fn override_edits(text: &str, target: &Version, old: &str) -> Vec<(&'static str, Edit)> {
    use jsonc_parser::ast::{Object, Value};
    let (body, shift) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let Ok(ast) = jsonc_parser::parse_to_ast(body, &Default::default(), &Default::default()) else {
        return Vec::new();
    };
    let Some(Value::Object(root)) = ast.value else {
        return Vec::new();
    };
    fn names_widget(key: &str) -> bool {
        let last = key.rsplit(['/', '>']).next().unwrap_or(key);
        // `…/@okta/okta-signin-widget` splits inside the scope: rejoin.
        let tail = key
            .rfind("@okta/okta-signin-widget")
            .map(|i| &key[i..])
            .unwrap_or(last);
        let name = tail
            .strip_prefix(WIDGET_PACKAGE)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('@'));
        name && key.ends_with(tail)
    }
    fn walk(
        obj: &Object,
        section: &'static str,
        inside_widget: bool,
        shift: usize,
        target: &Version,
        old: &str,
        out: &mut Vec<(&'static str, Edit)>,
    ) {
        for prop in &obj.properties {
            let key = prop.name.as_str();
            let widget = names_widget(key) || (inside_widget && key == ".");
            match &prop.value {
                Value::StringLit(s) if widget && !s.value.starts_with('$') => {
                    let spec = s.value.to_string();
                    let below = versions::parse_range(&spec).is_some_and(|r| !r.satisfies(target));
                    if below || spec.trim() == old.trim() {
                        out.push((
                            section,
                            Edit {
                                start: shift + s.range.start + 1,
                                end: shift + s.range.end - 1,
                                replacement: bumped(&spec, target),
                            },
                        ));
                    }
                }
                Value::Object(o) => walk(o, section, names_widget(key), shift, target, old, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Some(o) = root.get_object("overrides") {
        walk(o, "`overrides`", false, shift, target, old, &mut out);
    }
    if let Some(o) = root.get_object("resolutions") {
        walk(o, "`resolutions`", false, shift, target, old, &mut out);
    }
    if let Some(o) = root
        .get_object("pnpm")
        .and_then(|p| p.get_object("overrides"))
    {
        walk(o, "`pnpm.overrides`", false, shift, target, old, &mut out);
    }
    out
}

/// Lockfiles, installed packages and vendored bundles.
impl WidgetVersionCheck {
    /// Whether an installed copy or a lockfile resolves `dep`, so its range
    /// is not graded. A locked version is reported at the lockfile entry; an
    /// installed copy without a lockfile entry is graded here, at the range.
    fn resolved_elsewhere(
        &self,
        ctx: &FileCtx,
        file: &ManifestFile,
        dep: &versions::manifest::DependencySpec,
        out: &mut Vec<Finding>,
    ) -> bool {
        let res = ctx.versions.resolve(file, dep);
        if let Some(locked) = &res.locked {
            // Reported at the lockfile entry, unless this run does not reach
            // the lockfile (`check apps/admin` under a root lockfile): then
            // here, or nobody would see it.
            let entry = locked.entry();
            let graded = versions::parse_version(&entry.version).and_then(|v| {
                versions::grade_version(&v, &ctx.settings.thresholds).map(|g| (v, g))
            });
            if ctx
                .run_paths
                .is_none_or(|r| r.covers(&locked.lockfile.path))
            {
                // The dependency stands for the lockfile's finding: a
                // `"//"` marker on it suppresses that finding and is used.
                if graded.is_some() {
                    let mut stand_in = Finding::new(self.rule, dep.start, dep.end);
                    stand_in.stand_in = true;
                    out.push(stand_in);
                }
                return true;
            }
            if let Some((version, (severity, message))) = graded {
                let at = crate::source::display_path(&locked.lockfile.path, ctx.versions.cwd());
                let mut finding = Finding::new(self.rule, dep.start, dep.end)
                    .severity(severity)
                    .message(format!(
                        "{message} (`{}` is locked as {version} in {at}:{}; after fixing the range here, regenerate the lockfile)",
                        dep.spec,
                        locked.line()
                    ));
                let target = &ctx.settings.thresholds.target;
                if &version < target {
                    if let Some(fix) = range_fix(
                        &ctx.source.text,
                        &dep.spec,
                        dep.start,
                        dep.end,
                        target,
                        Some(&at),
                    ) {
                        finding = finding.fix(fix);
                    }
                }
                out.push(finding);
            }
            return true;
        }
        let Some(installed) = &res.installed else {
            return false;
        };
        if let Some(version) = versions::parse_version(&installed.version) {
            if let Some((severity, message)) =
                versions::grade_version(&version, &ctx.settings.thresholds)
            {
                let at = crate::source::display_path(&installed.path, ctx.versions.cwd());
                out.push(
                    Finding::new(self.rule, dep.start, dep.end)
                        .severity(severity)
                        .message(format!(
                            "{message} (`{}` is installed as {version}: {at})",
                            dep.spec
                        )),
                );
            }
        }
        true
    }

    /// Every widget version a lockfile pins, at the entry's version text.
    fn lockfile(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        let lock = ctx
            .versions
            .lockfile_at(&ctx.source.path, Some(&ctx.source.text))?;
        let users = ctx.versions.lockfile_users(&lock);
        for (i, entry) in lock.lock.entries_of(WIDGET_PACKAGE) {
            let Some(version) = versions::parse_version(&entry.version) else {
                continue;
            };
            let Some((severity, message)) =
                versions::grade_version(&version, &ctx.settings.thresholds)
            else {
                continue;
            };
            let mine: Vec<&versions::LockUser> = users.iter().filter(|u| u.index == i).collect();
            let named: Vec<String> = mine
                .iter()
                .map(|u| {
                    format!(
                        "`{}` in {}:{}",
                        u.dep.spec,
                        crate::source::display_path(&u.manifest.path, ctx.versions.cwd()),
                        u.dep.line
                    )
                })
                .collect();
            let why = if named.is_empty() {
                format!("{WIDGET_PACKAGE} {version} is locked as a dependency of another package")
            } else {
                format!("locked for {}", named.join(", "))
            };
            let mut finding = Finding::new(self.rule, entry.start, entry.end)
                .severity(severity)
                .message(format!("{message} ({why})"));
            // The manifests' dependencies stand for the entry: a lockfile
            // cannot hold a comment, their `"//"` markers can.
            finding.stands_for = mine
                .iter()
                .map(|u| (u.manifest.path.clone(), u.dep.start..u.dep.end))
                .collect();
            out.push(finding);
        }
        Ok(())
    }

    /// The version a vendored widget bundle declares.
    fn bundle(&self, ctx: &FileCtx, out: &mut Vec<Finding>) {
        let Some(b) = versions::bundle::detect(&ctx.source.path, &ctx.source.text) else {
            return;
        };
        let Some(version) = versions::parse_version(&b.version) else {
            return;
        };
        if let Some((severity, message)) =
            versions::grade_version(&version, &ctx.settings.thresholds)
        {
            out.push(
                Finding::new(self.rule, b.start, b.end)
                    .severity(severity)
                    .message(format!(
                        "{message} (vendored bundle: replace the file with {target} from https://global.oktacdn.com/okta-signin-widget/{target}/js/okta-sign-in.min.js, or install `{WIDGET_PACKAGE}@^{target}`; oie-lint does not edit vendored code)",
                        target = ctx.settings.thresholds.target
                    )),
            );
        }
    }
}
