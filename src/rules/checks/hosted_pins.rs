//! OIE023: an Okta-hosted template that loads the widget itself (pinning a
//! version and bypassing the admin's "Sign-In Widget version" setting), or
//! that constructs `OktaSignIn` without the placeholders that bring the
//! widget and `OktaUtil`.

use super::{Check, FileCtx};
use crate::diagnostic::Finding;
use crate::source::FileKind;
use crate::syntax;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("hosted-pins-widget", |rule| {
    Box::new(HostedPinsWidget { rule })
})];

pub struct HostedPinsWidget {
    pub rule: usize,
}

impl Check for HostedPinsWidget {
    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        if !ctx.hosted || ctx.source.kind != FileKind::Html {
            return Ok(());
        }
        let text = &ctx.source.text;
        for u in ctx.urls {
            let url = text[u.start..u.end].to_ascii_lowercase();
            let path = url.split(['?', '#']).next().unwrap_or("");
            if path.contains("okta-sign-in") && path.ends_with(".js") {
                out.push(Finding::new(self.rule, u.start, u.end).message(
                    "This Okta-hosted page loads the Sign-In Widget itself: the version is pinned and the admin's Sign-In Widget version setting is bypassed; use `{{{SignInWidgetResources}}}`",
                ));
            }
        }
        let has = |p: &str| has_placeholder(text, p);
        let missing: Vec<&str> = ["SignInWidgetResources", "OktaUtil"]
            .into_iter()
            .filter(|p| !has(p))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        // Only a page that builds the widget needs them.
        let src = ctx.masked;
        let new = ctx.units.iter().find_map(|u| {
            syntax::find(u.tree.root_node(), |n| {
                n.kind() == "new_expression"
                    && n.child_by_field_name("constructor").is_some_and(|c| {
                        let t = &src[c.byte_range()];
                        t == "OktaSignIn" || t == "window.OktaSignIn"
                    })
            })
        });
        if let Some(new) = new {
            let list = missing
                .iter()
                .map(|p| format!("`{{{{{{{p}}}}}}}`"))
                .collect::<Vec<_>>()
                .join(" and ");
            out.push(
                Finding::new(self.rule, new.start_byte(), new.start_byte() + "new".len())
                    .message(format!(
                        "This Okta-hosted page constructs `OktaSignIn` without {list}: restore the placeholder{} of Okta's default template",
                        if missing.len() > 1 { "s" } else { "" }
                    )),
            );
        }
        Ok(())
    }
}

/// Whether `text` has the triple-brace placeholder `{{{ name }}}`.
fn has_placeholder(text: &str, name: &str) -> bool {
    text.match_indices("{{{").any(|(at, _)| {
        let rest = text[at + 3..].trim_start();
        rest.strip_prefix(name)
            .is_some_and(|r| r.trim_start().starts_with("}}}"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_allow_inner_blanks() {
        assert!(super::has_placeholder("a {{{ OktaUtil }}} b", "OktaUtil"));
        assert!(super::has_placeholder("{{{OktaUtil}}}", "OktaUtil"));
        assert!(!super::has_placeholder("{{OktaUtil}}", "OktaUtil"));
        assert!(!super::has_placeholder("{{{OktaUtilX}}}", "OktaUtil"));
    }
}
