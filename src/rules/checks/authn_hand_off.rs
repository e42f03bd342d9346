//! OIE018's check: the Classic Authn calls its patterns find are reported
//! as matched, and a token request of okta-auth-js
//! (`token.getWithRedirect`, `getWithoutPrompt`, `getWithPopup`) only when
//! its options object holds a `sessionToken`: the hand-off from a Classic
//! `/authn` transaction to the authorize endpoint (issue 26). Without one
//! it is an ordinary OIDC request and stays silent.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::rules::Registry;
use crate::syntax;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] =
    &[("authn-hand-off", |rule| Box::new(AuthnHandOff { rule }))];

pub struct AuthnHandOff {
    pub rule: usize,
}

const TOKEN_REQUESTS: &[&str] = &["getWithRedirect", "getWithoutPrompt", "getWithPopup"];

/// Whether the call that `property` names (`x.token.getWithRedirect(…)`)
/// passes an object literal with a `sessionToken` key (also
/// `'sessionToken'` and the shorthand) as its first argument.
fn passes_session_token<'t>(ctx: &FileCtx<'t>, property: tree_sitter::Node<'t>) -> bool {
    let src = ctx.masked;
    let call = ctx
        .up
        .of(property)
        .filter(|m| m.kind() == "member_expression")
        .and_then(|m| ctx.up.of(m))
        .filter(|c| c.kind() == "call_expression");
    let first = call
        .and_then(|c| c.child_by_field_name("arguments"))
        .and_then(|a| a.named_child(0))
        .map(syntax::unwrap_expr);
    first.is_some_and(|o| {
        o.kind() == "object"
            && syntax::named_children(o)
                .into_iter()
                .any(|p| syntax::prop_key(p, src) == Some("sessionToken"))
    })
}

impl Check for AuthnHandOff {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        if TOKEN_REQUESTS.contains(&&ctx.masked[hit.byte_range()])
            && !passes_session_token(ctx, hit)
        {
            return;
        }
        let spec = &Registry::get().rules[self.rule].detect.query[m.spec];
        let mut finding = Finding::new(self.rule, hit.start_byte(), hit.end_byte());
        finding.severity = ctx.spec_severity(spec);
        finding.message = spec.message.clone();
        out.push(finding);
    }
}
