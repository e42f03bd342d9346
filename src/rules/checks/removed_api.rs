//! OIE021: Sign-In Widget APIs removed in the majors before the Identity
//! Engine releases (widget `MIGRATING.md`, README "authClient").
//!
//! The rule's patterns find the names; this check keeps the ones whose
//! receiver is the widget: `signIn.session.get()` and `signIn.tokenManager`
//! (removed in 3.0, the widget's okta-auth-js is `signIn.authClient`),
//! `signIn.authClient.tokenManager.refresh()` (renamed `renew` in 3.0), while
//! an okta-auth-js client's own `authClient.tokenManager` or a page's
//! `res.session` stay silent. The other patterns (`hasTokensInUrl`,
//! `authParams.grantType`, the `scope` option) are reported as matched. Once
//! per HTML page it also reports a `<link>` to the 2.x `okta-theme.css`,
//! which 3.0 merged into `okta-sign-in.min.css`.
//!
//! Severity: an error when the file's widget version is known and at least
//! the release that removed the API (the spec's `removed_in`), a warning
//! otherwise: the code still runs on the old widget but breaks on the upgrade.

use super::{widget, Captures, Check, FileCtx};
use crate::diagnostic::{Finding, Severity};
use crate::rules::Registry;
use crate::source::FileKind;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("removed-widget-api", |rule| {
    Box::new(RemovedWidgetApi { rule })
})];

pub struct RemovedWidgetApi {
    pub rule: usize,
}

/// The release that merged `okta-theme.css` into `okta-sign-in.min.css`.
const THEME_REMOVED_IN: &str = "3.0.0";

impl Check for RemovedWidgetApi {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let src = ctx.masked;
        let member = ctx.up.of(hit).filter(|p| p.kind() == "member_expression");
        let object = member.and_then(|p| p.child_by_field_name("object"));
        let keep = match &src[hit.byte_range()] {
            // `signIn.session.get()` (the proxy's methods, which the
            // rule's triggers name).
            "session" => {
                member
                    .and_then(|m| ctx.up.of(m))
                    .filter(|p| p.kind() == "member_expression")
                    .and_then(|p| p.child_by_field_name("property"))
                    .is_some_and(|p| {
                        matches!(&src[p.byte_range()], "get" | "exists" | "close" | "refresh")
                    })
                    && object.is_some_and(|o| widget::is_widget(ctx, o))
            }
            // `signIn.tokenManager.get()`.
            "tokenManager" => object.is_some_and(|o| widget::is_widget(ctx, o)),
            // `signIn.authClient.tokenManager.refresh()`; `signIn.tokenManager.refresh()`
            // is reported once, at `tokenManager`.
            // Also through variables: `const tm = signIn.authClient.tokenManager;
            // tm.refresh()`.
            "refresh" => {
                object.is_some_and(|tm| widget_path(ctx, tm, &["authClient", "tokenManager"], 0))
            }
            _ => true,
        };
        if !keep {
            return;
        }
        let spec = &Registry::get().rules[self.rule].detect.query[m.spec];
        let mut finding = Finding::new(self.rule, hit.start_byte(), hit.end_byte());
        finding.severity = ctx.spec_severity(spec);
        if let Some(message) = &spec.message {
            finding.message = Some(message.clone());
        }
        out.push(finding);
    }

    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        if ctx.source.kind != FileKind::Html {
            return Ok(());
        }
        let text = &ctx.source.text;
        let mut severity = None;
        for u in ctx.urls {
            if !is_theme_css(&text[u.start..u.end]) || !in_link_tag(text, u.start) {
                continue;
            }
            let severity = *severity.get_or_insert_with(|| {
                crate::rules::widget_at_least(&ctx.widget_version(), THEME_REMOVED_IN)
                    .then_some(Severity::Error)
            });
            let mut finding = Finding::new(self.rule, u.start, u.end).message(
                "`okta-theme.css` was merged into `okta-sign-in.min.css` in Sign-In Widget 3.0: remove this `<link>` (keep the one to `okta-sign-in.min.css`)",
            );
            finding.severity = severity;
            out.push(finding);
        }
        Ok(())
    }
}

/// How many variables [`widget_path`] follows (`a = b; b = c; …`).
const MAX_ALIASES: usize = 4;

/// Whether `n` is `<widget>.path[0].path[1]…`, directly or through the
/// values of the variables on the way (`const ac = signIn.authClient;
/// ac.tokenManager`), following at most [`MAX_ALIASES`] of them.
fn widget_path(ctx: &FileCtx, n: tree_sitter::Node, path: &[&str], aliases: usize) -> bool {
    let src = ctx.masked;
    let n = crate::syntax::unwrap_expr(n);
    let Some((last, rest)) = path.split_last() else {
        return widget::is_widget(ctx, n);
    };
    match n.kind() {
        "member_expression" => {
            n.child_by_field_name("property")
                .is_some_and(|p| &src[p.byte_range()] == *last)
                && n.child_by_field_name("object")
                    .is_some_and(|o| widget_path(ctx, o, rest, aliases))
        }
        "identifier" if aliases < MAX_ALIASES => ctx
            .widget_names()
            .declarations(ctx, &src[n.byte_range()])
            .into_iter()
            .any(|v| widget_path(ctx, v, path, aliases + 1)),
        _ => false,
    }
}

/// The 2.x theme stylesheet: a path ending in `okta-theme.css`, or the
/// versioned `okta-theme-1.3.3.css` of 1.x, query and fragment aside.
fn is_theme_css(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    file == "okta-theme.css"
        || file.strip_prefix("okta-theme-").is_some_and(|rest| {
            rest.strip_suffix(".css").is_some_and(|v| {
                !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            })
        })
}

/// Whether the attribute value at `at` belongs to a `<link>` tag: the
/// nearest `<` before it opens `link`.
fn in_link_tag(text: &str, at: usize) -> bool {
    text[..at].rfind('<').is_some_and(|open| {
        let tag = &text[open + 1..at];
        tag.len() >= 4
            && tag[..4].eq_ignore_ascii_case("link")
            && tag[4..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_urls() {
        for url in [
            "https://ok1static.oktacdn.com/assets/js/sdk/okta-signin-widget/2.14.0/css/okta-theme.css",
            "css/okta-theme.css?v=2",
            "/vendor/okta-theme-1.3.3.css",
            "OKTA-THEME.CSS",
        ] {
            assert!(is_theme_css(url), "{url}");
        }
        for url in [
            "https://global.oktacdn.com/okta-signin-widget/7.14.0/css/okta-sign-in.min.css",
            "css/my-okta-theme.css",
            "okta-theme.css.map",
            "okta-theme-dark.css",
            "okta-theme.scss",
        ] {
            assert!(!is_theme_css(url), "{url}");
        }
    }

    #[test]
    fn only_link_tags() {
        let page = r#"<link rel="stylesheet" href="a.css"><a href="b.css">x</a><LINK
 href="c.css"><linked href="d.css">"#;
        let at = |s: &str| page.find(s).unwrap();
        assert!(in_link_tag(page, at("a.css")));
        assert!(!in_link_tag(page, at("b.css")));
        assert!(in_link_tag(page, at("c.css")));
        assert!(!in_link_tag(page, at("d.css")));
    }
}
