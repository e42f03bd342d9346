//! OIE012: `OktaUtil.getRequestContext()` read in its Classic shape.
//!
//! Classic hosted pages get the app in `requestContext.target` (`clientId`,
//! `label`); Identity Engine gives `requestContext.app.value` (`id`,
//! `label`) and no `target`, so `ctx.target.clientId` throws "target is
//! undefined" after the upgrade. The check follows the result through the
//! variable it is stored in (`var ctx = OktaUtil.getRequestContext()`),
//! within the function (or script) that declares it, and through
//! destructuring (`const { target } = OktaUtil.getRequestContext()`).
//!
//! The fix (unsafe: it changes what the page reads) keeps Classic working
//! during the rollout: `ctx.target.clientId` becomes
//! `(ctx.app ? ctx.app.value.id : ctx.target.clientId)` (`label` likewise)
//! and a `ctx.target` guard in a condition becomes `(ctx.app || ctx.target)`.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::{Applicability, Edit, Finding, Fix};
use crate::rules::matching::keys;
use crate::syntax;
use crate::syntax::Parents;
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] =
    &[("request-context", |rule| Box::new(RequestContext { rule }))];

pub struct RequestContext {
    pub rule: usize,
}

impl Check for RequestContext {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(prop) = m.get("hit") else { return };
        let src = ctx.masked;
        let up = &ctx.up;
        let Some(call) = context_call(prop, src, up) else {
            return;
        };
        let mut found = Vec::new();
        // The call's own result: `OktaUtil.getRequestContext().target…`.
        classic_access(call, src, &mut found, up);
        // Through a variable or destructuring.
        // Out of parentheses and a fallback (`OktaUtil.getRequestContext()
        // || {}`, `?? {}`: the value is still the context when there is one).
        let mut holder = call;
        while let Some(p) = up.of(holder).filter(|p| {
            p.kind() == "parenthesized_expression"
                || (p.kind() == "binary_expression"
                    && p.child_by_field_name("left")
                        .is_some_and(|l| l.id() == holder.id())
                    && p.child_by_field_name("operator")
                        .is_some_and(|o| matches!(&src[o.byte_range()], "||" | "??")))
        }) {
            holder = p;
        }
        if let Some(parent) = up.of(holder) {
            let is_value = |f: &str| {
                parent
                    .child_by_field_name(f)
                    .is_some_and(|c| c.id() == holder.id())
            };
            let target = match parent.kind() {
                "variable_declarator" if is_value("value") => parent.child_by_field_name("name"),
                "assignment_expression" if is_value("right") => parent.child_by_field_name("left"),
                _ => None,
            };
            match target {
                Some(name) if name.kind() == "identifier" => {
                    let scope = enclosing_scope(parent, up);
                    let name_text = &src[name.byte_range()];
                    syntax::walk(scope, |n| {
                        if n.kind() == "identifier"
                            && n.id() != name.id()
                            && &src[n.byte_range()] == name_text
                        {
                            classic_access(n, src, &mut found, up);
                        }
                    });
                }
                Some(pattern) if pattern.kind() == "object_pattern" => {
                    for p in syntax::named_children(pattern) {
                        let key = match p.kind() {
                            "shorthand_property_identifier_pattern" => Some(p),
                            "pair_pattern" => p.child_by_field_name("key"),
                            // `{ target = {} }`: with a default.
                            "object_assignment_pattern" => p
                                .child_by_field_name("left")
                                .filter(|l| l.kind() == "shorthand_property_identifier_pattern"),
                            _ => None,
                        };
                        if let Some(k) = key.filter(|k| &src[k.byte_range()] == "target") {
                            found.push(Access {
                                at: k,
                                kind: Kind::Destructured,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        for a in found {
            out.push(self.finding(ctx, a));
        }
    }
}

/// `OktaUtil.getRequestContext()` (or `window.OktaUtil…`) whose method name is `prop`.
fn context_call<'t>(prop: Node<'t>, src: &str, up: &Parents<'t>) -> Option<Node<'t>> {
    let member = up.of(prop).filter(|m| m.kind() == "member_expression")?;
    let object = member.child_by_field_name("object")?;
    let receiver = &src[object.byte_range()];
    if !matches!(receiver, "OktaUtil" | "window.OktaUtil") {
        return None;
    }
    up.of(member)
        .filter(|c| c.kind() == "call_expression")
        .filter(|c| {
            c.child_by_field_name("function")
                .is_some_and(|f| f.id() == member.id())
        })
}

/// The function body (or script) a declaration lives in.
fn enclosing_scope<'t>(node: Node<'t>, up: &Parents<'t>) -> Node<'t> {
    let mut cur = node;
    for p in up.ancestors(node) {
        if matches!(
            p.kind(),
            "function_declaration"
                | "function_expression"
                | "function"
                | "arrow_function"
                | "method_definition"
                | "program"
        ) {
            return p;
        }
        cur = p;
    }
    cur
}

enum Kind<'t> {
    /// `ctx.target.clientId` / `.label`: `mapped` is the OIE field.
    Field {
        outer: Node<'t>,
        mapped: &'static str,
    },
    /// `ctx.target` tested in a condition.
    Guard,
    /// Any other `ctx.target` read.
    Other,
    /// `ctx.authentication.client` / `.issuer`.
    Authentication,
    /// `const { target } = OktaUtil.getRequestContext()`.
    Destructured,
}

struct Access<'t> {
    /// The `target`/`authentication` name to point at.
    at: Node<'t>,
    kind: Kind<'t>,
}

/// Records `base.target…` / `base.authentication.client…` when `base` (the
/// context value) is read that way.
fn classic_access<'t>(base: Node<'t>, src: &str, found: &mut Vec<Access<'t>>, up: &Parents<'t>) {
    let Some(member) = up.of(base).filter(|m| {
        m.kind() == "member_expression"
            && m.child_by_field_name("object")
                .is_some_and(|o| o.id() == base.id())
    }) else {
        return;
    };
    let Some(prop) = member.child_by_field_name("property") else {
        return;
    };
    if keys::assignment_of(member, up).is_some() {
        return; // writing it is the page's own business
    }
    let outer_prop = up
        .of(member)
        .filter(|o| o.kind() == "member_expression")
        .and_then(|o| {
            o.child_by_field_name("property")
                .map(|p| (o, &src[p.byte_range()]))
        });
    if classic_fallback(member, src, up) {
        return;
    }
    match &src[prop.byte_range()] {
        "target" => {
            let kind = match outer_prop {
                Some((outer, "clientId")) => Kind::Field {
                    outer,
                    mapped: "id",
                },
                Some((outer, "label")) => Kind::Field {
                    outer,
                    mapped: "label",
                },
                Some(_) => Kind::Other,
                None if is_condition(member, up) => Kind::Guard,
                None => Kind::Other,
            };
            found.push(Access { at: prop, kind });
        }
        "authentication" if matches!(outer_prop, Some((_, "client" | "issuer"))) => {
            found.push(Access {
                at: prop,
                kind: Kind::Authentication,
            });
        }
        _ => {}
    }
}

/// Whether `node` is the Classic fallback of code that reads the Identity
/// Engine shape first: the `else` side of `ctx.app ? … : ctx.target.x`, of
/// `ctx.app || ctx.target` or of `if (ctx.app) … else …` (what the fix
/// writes, so a fixed file is not flagged again).
fn classic_fallback<'t>(node: Node<'t>, src: &str, up: &Parents<'t>) -> bool {
    let tests_app = |n: Option<Node>| n.is_some_and(|n| src[n.byte_range()].contains(".app"));
    let mut child = node;
    while let Some(p) = up.of(child) {
        let is = |f: &str| {
            p.child_by_field_name(f)
                .is_some_and(|c| c.id() == child.id())
        };
        let guarded = match p.kind() {
            "ternary_expression" => {
                is("alternative") && tests_app(p.child_by_field_name("condition"))
            }
            "binary_expression" => {
                is("right")
                    && p.child_by_field_name("operator")
                        .is_some_and(|o| o.kind() == "||")
                    && tests_app(p.child_by_field_name("left"))
            }
            "if_statement" => is("alternative") && tests_app(p.child_by_field_name("condition")),
            "function_declaration" | "function_expression" | "arrow_function" | "program" => {
                return false
            }
            _ => false,
        };
        if guarded {
            return true;
        }
        child = p;
    }
    false
}

/// Whether `node`'s value is only tested for truth: an operand of `&&`/`||`/
/// `!`, or the condition of an `if`/`while`/ternary.
fn is_condition<'t>(node: Node<'t>, up: &Parents<'t>) -> bool {
    let mut n = node;
    while let Some(p) = up.of(n).filter(|p| p.kind() == "parenthesized_expression") {
        n = p;
    }
    let Some(parent) = up.of(n) else {
        return false;
    };
    match parent.kind() {
        "binary_expression" => parent
            .child_by_field_name("operator")
            .is_some_and(|o| matches!(o.kind(), "&&" | "||")),
        "unary_expression" => parent
            .child_by_field_name("operator")
            .is_some_and(|o| o.kind() == "!"),
        "if_statement" | "while_statement" | "ternary_expression" => parent
            .child_by_field_name("condition")
            .is_some_and(|c| c.id() == n.id()),
        _ => false,
    }
}

impl RequestContext {
    fn finding<'t>(&self, ctx: &FileCtx<'t>, a: Access<'t>) -> Finding {
        let up = &ctx.up;
        let text = &ctx.source.text;
        let base_of = |member: Node| {
            member
                .child_by_field_name("object")
                .map(|o| text[o.byte_range()].to_string())
        };
        let member = up.of(a.at);
        let base = member.and_then(base_of).unwrap_or_default();
        // `ctx?.target`: the test of `app` stays optional too.
        let optional_chain = member.is_some_and(|m| {
            m.child_by_field_name("object")
                .is_some_and(|o| text[o.end_byte()..a.at.start_byte()].contains('?'))
        });
        let app = if optional_chain || base.contains("?.") {
            format!("{base}?.app")
        } else {
            format!("{base}.app")
        };
        let (message, fix) = match a.kind {
            Kind::Field { outer, mapped } => {
                let original = &text[outer.byte_range()];
                let field = &text[outer
                    .child_by_field_name("property")
                    .map_or(0..0, |p| p.byte_range())];
                (
                    format!(
                        "`requestContext.target.{field}` is the Classic Engine shape: under Okta Identity Engine `target` is undefined and the app is at `app.value.{mapped}`"
                    ),
                    Some(Fix {
                        applicability: Applicability::Unsafe,
                        description: format!(
                            "Read `app.value.{mapped}`, falling back to `target.{field}` on the Classic Engine"
                        ),
                        edits: vec![Edit {
                            start: outer.start_byte(),
                            end: outer.end_byte(),
                            replacement: format!(
                                "({app} ? {}.app.value.{mapped} : {original})",
                                base.replace("?.", ".")
                            ),
                        }],
                    }),
                )
            }
            Kind::Guard => {
                let m = member.expect("a guard is a member expression");
                let original = &text[m.byte_range()];
                (
                    "`requestContext.target` is the Classic Engine shape: under Okta Identity Engine it is undefined (the app is at `app.value`), so this test is always false".to_string(),
                    Some(Fix {
                        applicability: Applicability::Unsafe,
                        description: "Test `app` too, as Identity Engine sets it".into(),
                        edits: vec![Edit {
                            start: m.start_byte(),
                            end: m.end_byte(),
                            replacement: format!("({app} || {original})"),
                        }],
                    }),
                )
            }
            Kind::Other | Kind::Destructured => (
                "`requestContext.target` is the Classic Engine shape: under Okta Identity Engine it is undefined; read the app from `app.value` (`id`, `label`)".to_string(),
                None,
            ),
            Kind::Authentication => (
                "`requestContext.authentication` is the Classic Engine shape: under Okta Identity Engine read the app from `app.value` (`id`, `label`)".to_string(),
                None,
            ),
        };
        let mut f = Finding::new(self.rule, a.at.start_byte(), a.at.end_byte()).message(message);
        f.fix = fix;
        f
    }
}
