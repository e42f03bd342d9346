//! OIE015: an `afterRender` (or `ready`/`afterError`) handler that compares
//! `context.controller` with a Classic controller name the Identity Engine
//! widget never sets.
//!
//! The Identity Engine widget fills `context.controller` only for the forms
//! of its mapping table (`src/v2/ion/ViewClassNamesFactory.js`: `identify` →
//! `primary-auth`, …) and leaves it `null` otherwise; `context.formName` is
//! the Identity Engine key. A comparison with any other Classic name is
//! never true after the upgrade.

use super::{js, Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::rules::keys;
use tree_sitter::Node;

pub struct AfterRenderController {
    pub rule: usize,
}

/// The controller names the Identity Engine widget still sets.
const OIE_CONTROLLERS: &[&str] = &[
    "primary-auth",
    "forgot-password",
    "registration",
    "mfa-verify-passcode",
    "mfa-verify-password",
    "mfa-verify-question",
    "mfa-verify-webauthn",
    "mfa-verify-totp",
    "mfa-verify-duo",
    "mfa-verify",
    "enroll-email",
    "enroll-password",
    "enroll-sms",
    "enroll-call",
    "enroll-question",
    "enroll-webauthn",
    "enroll-onprem",
    "enroll-rsa",
    "enroll-duo",
    "enroll-symantec",
    "enroll-yubikey",
    "enroll-choices",
    "password-expired",
    "custom-password-expired",
    "custom-password-expiry-warning",
    "admin-consent-required",
    "consent-required",
];

const EVENTS: &[&str] = &["afterRender", "ready", "afterError"];

impl Check for AfterRenderController {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let src = ctx.masked;
        let Some(member) = hit.parent().filter(|p| p.kind() == "member_expression") else {
            return;
        };
        let Some(base) = member
            .child_by_field_name("object")
            .filter(|o| o.kind() == "identifier")
        else {
            return;
        };
        if !is_event_context(base, src) {
            return;
        }
        for s in compared_strings(member) {
            let name = keys::string_content(s, src);
            if name.is_empty() || OIE_CONTROLLERS.contains(&name) {
                continue;
            }
            out.push(
                Finding::new(self.rule, s.start_byte(), s.end_byte()).message(format!(
                    "`{}.controller` is never '{name}' under Okta Identity Engine (it is only set for the forms Identity Engine maps to Classic names, else null): compare `{}.formName` with the Identity Engine form name",
                    &src[base.byte_range()],
                    &src[base.byte_range()]
                )),
            );
        }
    }
}

/// Whether `base` is the first parameter of a handler passed to
/// `x.on('afterRender' | 'ready' | 'afterError', handler)`.
fn is_event_context(base: Node, src: &str) -> bool {
    let name = &src[base.byte_range()];
    let mut cur = base.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "function_expression" | "function" | "arrow_function"
        ) {
            let first = n
                .child_by_field_name("parameter")
                .or_else(|| {
                    n.child_by_field_name("parameters").and_then(|p| {
                        js::named_children(p)
                            .into_iter()
                            .find(|c| c.kind() != "comment")
                    })
                })
                .map(|p| {
                    p.child_by_field_name("pattern")
                        .filter(|_| p.kind() == "required_parameter")
                        .unwrap_or(p)
                });
            if first.is_some_and(|p| &src[p.byte_range()] == name) {
                return is_event_handler(n, src);
            }
        }
        cur = n.parent();
    }
    false
}

fn is_event_handler(f: Node, src: &str) -> bool {
    let Some(call) = f
        .parent()
        .filter(|a| a.kind() == "arguments")
        .and_then(|a| a.parent())
    else {
        return false;
    };
    let on = call
        .child_by_field_name("function")
        .and_then(|m| m.child_by_field_name("property"))
        .is_some_and(|p| &src[p.byte_range()] == "on");
    let args: Vec<Node> = call
        .child_by_field_name("arguments")
        .map(js::named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    on && args.len() >= 2
        && args[1].id() == f.id()
        && args[0].kind() == "string"
        && EVENTS.contains(&keys::string_content(args[0], src))
}

/// The string literals `member` is compared with: `m === 'x'`, `'x' != m`,
/// `switch (m) { case 'x': … }`.
fn compared_strings(member: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut node = member;
    while let Some(p) = node
        .parent()
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        node = p;
    }
    let Some(parent) = node.parent() else {
        return out;
    };
    match parent.kind() {
        "binary_expression"
            if parent
                .child_by_field_name("operator")
                .is_some_and(|o| matches!(o.kind(), "===" | "==" | "!==" | "!=")) =>
        {
            let other = [
                parent.child_by_field_name("left"),
                parent.child_by_field_name("right"),
            ]
            .into_iter()
            .flatten()
            .find(|n| n.id() != node.id());
            out.extend(other.filter(|o| o.kind() == "string"));
        }
        "switch_statement" => {
            if let Some(body) = parent.child_by_field_name("body") {
                for case in js::named_children(body) {
                    if case.kind() == "switch_case" {
                        out.extend(
                            case.child_by_field_name("value")
                                .filter(|v| v.kind() == "string"),
                        );
                    }
                }
            }
        }
        _ => {}
    }
    out
}
