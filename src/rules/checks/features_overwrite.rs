//! OIE014: `config.features = { … }` on an Okta-hosted page replaces the
//! feature flags Okta's runtime config carries.
//!
//! `OktaUtil.getSignInWidgetConfig()` returns Okta's defaults plus the
//! admin's settings; assigning a whole new `features` object drops every
//! flag it does not repeat ("can break flows such as the password-reset
//! email link"). An object that spreads the old flags back in
//! (`{ ...config.features, x: true }`) keeps them and is fine.
//!
//! Fix (unsafe: Okta's defaults come back, which is the point, but the
//! page then runs with flags it did not run with before): one per-key
//! assignment per property, `config.features.x = v;`.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::{Applicability, Edit, Finding, Fix};
use crate::rules::matching::keys;
use crate::syntax;
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("features-overwrite", |rule| {
    Box::new(FeaturesOverwrite { rule })
})];

pub struct FeaturesOverwrite {
    pub rule: usize,
}

impl Check for FeaturesOverwrite {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let Some(keys::KeySite::Member(left)) = keys::KeySite::of(hit, &ctx.up) else {
            return;
        };
        let Some(assign) =
            keys::assignment_of(left, &ctx.up).filter(|a| a.kind() == "assignment_expression")
        else {
            return;
        };
        let Some(object) = assign
            .child_by_field_name("right")
            .map(syntax::unwrap_expr)
            .filter(|r| r.kind() == "object")
        else {
            return;
        };
        let src = ctx.masked;
        let left_text = squeeze(&src[left.byte_range()]);
        // `{ ...config.features, x: true }` keeps the old flags.
        let keeps_old = syntax::named_children(object).into_iter().any(|p| {
            p.kind() == "spread_element"
                && p.named_child(0)
                    .is_some_and(|e| squeeze(&src[e.byte_range()]) == left_text)
        });
        if keeps_old {
            return;
        }
        let mut f = Finding::new(self.rule, left.start_byte(), left.end_byte()).message(format!(
            "`{}` replaces the whole `features` object Okta's hosted config carries: its runtime defaults are lost",
            ctx.text(left)
        ));
        f.fix = per_key_fix(&ctx.source.text, assign, left, object, &ctx.up);
        out.push(f);
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '$')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '$')
}

/// `L = { a: 1, 'b-c': x };` → `L.a = 1;\nL['b-c'] = x;`, in the
/// statement's indentation; `None` unless it is a plain statement whose
/// object has only plain keys.
fn per_key_fix<'t>(
    text: &str,
    assign: Node<'t>,
    left: Node<'t>,
    object: Node<'t>,
    up: &crate::syntax::Parents<'t>,
) -> Option<Fix> {
    let stmt = up
        .of(assign)
        .filter(|s| s.kind() == "expression_statement")?;
    up.of(stmt)
        .filter(|p| matches!(p.kind(), "program" | "statement_block"))?;
    let target = &text[left.byte_range()];
    let mut lines = Vec::new();
    for p in syntax::named_children(object) {
        let (key, value) = match p.kind() {
            "comment" => continue,
            "pair" => {
                let k = p.child_by_field_name("key")?;
                let key = match k.kind() {
                    "property_identifier" => text[k.byte_range()].to_string(),
                    "string" => keys::string_content(k, text).to_string(),
                    _ => return None,
                };
                (
                    key,
                    text[p.child_by_field_name("value")?.byte_range()].to_string(),
                )
            }
            "shorthand_property_identifier" => {
                let k = text[p.byte_range()].to_string();
                (k.clone(), k)
            }
            _ => return None,
        };
        let access = if is_identifier(&key) {
            format!("{target}.{key}")
        } else if !key.contains(['\'', '\\']) {
            format!("{target}['{key}']")
        } else {
            return None;
        };
        lines.push(format!("{access} = {value};"));
    }
    let line_start = text[..stmt.start_byte()]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let indent = &text[line_start..stmt.start_byte()];
    let indent = if indent.trim().is_empty() { indent } else { "" };
    Some(Fix {
        applicability: Applicability::Unsafe,
        description:
            "Assign each flag on its own (`config.features.x = v`), keeping Okta's other defaults"
                .into(),
        edits: vec![Edit {
            start: stmt.start_byte(),
            end: stmt.end_byte(),
            replacement: lines.join(&format!("\n{indent}")),
        }],
    })
}
