//! OIE025: `authParams: { pkce: false }` in a widget config that runs
//! Identity Engine.
//!
//! With a `clientId`, Identity Engine requires PKCE: the widget throws a
//! `ConfigError` ("OAuth2 with interaction code flow requires PKCE to be
//! enabled on the authClient" in 7.x; "The useInteractionCodeFlow option
//! requires PKCE" in 6.x). The config runs Identity Engine when it says
//! `useInteractionCodeFlow: true`, or when the governing widget is 7+ and it
//! does not set `useClassicEngine: true`.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::rules::matching::keys::KeySite;
use crate::syntax;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] =
    &[("pkce-disabled", |rule| Box::new(PkceDisabled { rule }))];

pub struct PkceDisabled {
    pub rule: usize,
}

impl Check for PkceDisabled {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let src = ctx.masked;
        // The config object: the one whose `authParams` holds the key.
        let up = &ctx.up;
        let config = KeySite::of(hit, up)
            .and_then(|s| s.object(up))
            .and_then(|auth_params| up.of(auth_params))
            .filter(|p| p.kind() == "pair")
            .and_then(|p| up.of(p))
            .filter(|o| o.kind() == "object");
        let literal = |name: &str| {
            config.and_then(|c| {
                syntax::named_children(c).into_iter().find_map(|p| {
                    (syntax::prop_key(p, src) == Some(name))
                        .then(|| KeySite::of(p.child_by_field_name("key")?, up)?.value(up))
                        .flatten()
                        .map(|v| &src[v.byte_range()])
                })
            })
        };
        let why = if literal("useInteractionCodeFlow") == Some("true") {
            "with `useInteractionCodeFlow: true`"
        } else if literal("useClassicEngine") == Some("true") {
            return;
        } else {
            if !crate::rules::widget_at_least(&ctx.widget_version(), "7.0.0") {
                return;
            }
            "with widget 7+ (Identity Engine by default)"
        };
        out.push(
            Finding::new(self.rule, hit.start_byte(), hit.end_byte()).message(format!(
                "`pkce: false` {why}: the widget throws a ConfigError, as Okta Identity Engine requires PKCE"
            )),
        );
    }
}
