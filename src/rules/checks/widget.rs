//! What a file says about its Sign-In Widget object and config: which names
//! hold the widget (`var signIn = new OktaSignIn(…)`) and which hold its
//! config (`new OktaSignIn(config)`, `var config =
//! OktaUtil.getSignInWidgetConfig()`), read in one walk per file on first use
//! (see [`FileCtx::widget_names`]).
//!
//! Rules about widget APIs ask [`is_widget`] about a receiver, so that an
//! okta-auth-js client (`authClient.tokenManager`) or a DOM element
//! (`widget.session` where `widget` is a `<div>`) stays silent; rules about
//! widget options ask [`is_widget_config`] about the object a key is set on.

use super::FileCtx;
use crate::syntax;
use crate::syntax::Step;
use std::collections::HashMap;
use tree_sitter::Node;

/// How many declarations of one name [`WidgetNames::declarations`] keeps.
const MAX_DECLARATIONS: usize = 4;

/// What one walk over the file's code found about each bound name.
#[derive(Debug, Default)]
pub struct WidgetNames {
    /// Name → whether some binding of it (`var x = …`, `x = …`,
    /// `this.x = …`) is a `new OktaSignIn(…)`.
    bound: HashMap<String, bool>,
    /// Names whose value is a widget config.
    configs: Vec<String>,
    /// Name → (unit, byte range) of the values of its first
    /// `var`/`let`/`const` declarations.
    declared: HashMap<String, Vec<(usize, usize, usize)>>,
}

impl WidgetNames {
    /// The values of the first few declarations of `name` (`var name =
    /// value`), in document order: what a check that follows a variable to
    /// its value reads, at a cost that does not grow with the file.
    pub fn declarations<'t>(&self, ctx: &FileCtx<'t>, name: &str) -> Vec<Node<'t>> {
        self.declared.get(name).map_or(Vec::new(), |v| {
            v.iter()
                .filter_map(|&(u, start, end)| {
                    let root = ctx.units.get(u)?.tree.root_node();
                    root.descendant_for_byte_range(start, end)
                })
                .collect()
        })
    }

    pub fn of(ctx: &FileCtx) -> WidgetNames {
        let src = ctx.masked;
        let mut names = WidgetNames::default();
        for (unit, u) in ctx.units.iter().enumerate() {
            syntax::preorder(u.tree.root_node(), |n| {
                if n.kind() == "new_expression" && is_new_widget(n, src) {
                    // `new OktaSignIn(config)`: `config` holds a widget config.
                    let first = n
                        .child_by_field_name("arguments")
                        .and_then(|a| {
                            syntax::named_children(a)
                                .into_iter()
                                .find(|c| c.kind() != "comment")
                        })
                        .map(syntax::unwrap_expr);
                    if let Some(name) = first.and_then(|f| bound_name(f, src)) {
                        names.configs.push(name.to_string());
                    }
                    return Step::Descend;
                }
                let Some((target, value)) = syntax::binding(n) else {
                    return Step::Descend;
                };
                let Some(name) = bound_name(target, src) else {
                    return Step::Descend;
                };
                let value = syntax::unwrap_expr(value);
                if n.kind() == "variable_declarator" && target.kind() == "identifier" {
                    let values = names
                        .declared
                        .entry(src[target.byte_range()].to_string())
                        .or_default();
                    if values.len() < MAX_DECLARATIONS {
                        values.push((unit, value.start_byte(), value.end_byte()));
                    }
                }
                let widget = is_new_widget(value, src);
                let entry = names.bound.entry(name.to_string()).or_insert(false);
                *entry |= widget;
                if super::migrate::hosted::is_config_call(value, src) {
                    names.configs.push(name.to_string());
                }
                Step::Descend
            });
        }
        names
    }
}

/// `new OktaSignIn(…)`, `new window.OktaSignIn(…)`, `new x.OktaSignIn(…)`.
pub fn is_new_widget(n: Node, src: &str) -> bool {
    n.kind() == "new_expression"
        && n.child_by_field_name("constructor").is_some_and(|c| {
            let name = match c.kind() {
                "member_expression" => c.child_by_field_name("property"),
                _ => Some(c),
            };
            name.is_some_and(|n| &src[n.byte_range()] == "OktaSignIn")
        })
}

/// The name a binding target or receiver stands for: `x` for `x`,
/// `this.x`, `window.x` or `self.x` (one level, so `a.b.x` is not `x`).
fn bound_name<'s>(n: Node, src: &'s str) -> Option<&'s str> {
    let n = syntax::unwrap_expr(n);
    match n.kind() {
        "identifier" => Some(&src[n.byte_range()]),
        "member_expression" => {
            let object = syntax::unwrap_expr(n.child_by_field_name("object")?);
            let holder = matches!(object.kind(), "this")
                || (object.kind() == "identifier"
                    && matches!(&src[object.byte_range()], "window" | "self" | "globalThis"));
            let property = n.child_by_field_name("property")?;
            (holder && property.kind() == "property_identifier")
                .then(|| &src[property.byte_range()])
        }
        _ => None,
    }
}

/// A name that says it is the Sign-In Widget: it contains `signin`
/// (`signIn`, `oktaSignIn`, `signInWidget`) or ends in `widget`
/// (`widget`, `oktaWidget`), in any case.
fn widget_named(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("signin") || lower.ends_with("widget")
}

/// Whether `receiver` (the object of a member access) is the Sign-In
/// Widget: `new OktaSignIn(…)` itself, or a name (`x`, `this.x`,
/// `window.x`) the file binds to `new OktaSignIn(…)`. A name the file never
/// binds (a parameter, a global) counts when it is named for the widget
/// (`signIn`, `oktaSignIn`, `widget`); one the file binds to anything else
/// (`var widget = document.getElementById('w')`) does not.
pub fn is_widget(ctx: &FileCtx, receiver: Node) -> bool {
    let src = ctx.masked;
    let receiver = syntax::unwrap_expr(receiver);
    if is_new_widget(receiver, src) {
        return true;
    }
    let Some(name) = bound_name(receiver, src) else {
        return false;
    };
    match ctx.widget_names().bound.get(name) {
        Some(&widget) => widget,
        None => widget_named(name),
    }
}

/// Whether `object` (an expression a key is set on: `config` in
/// `config.idps = …`) is a Sign-In Widget config of the file: a name passed
/// to `new OktaSignIn(…)` or holding `OktaUtil.getSignInWidgetConfig()`.
pub fn is_widget_config(ctx: &FileCtx, object: Node) -> bool {
    bound_name(object, ctx.masked)
        .is_some_and(|name| ctx.widget_names().configs.iter().any(|c| c == name))
}

/// The [`crate::rules::QuerySpec::widget_config`] condition on a captured key:
/// it is set on (or read from) a widget config (`config.idps`,
/// `config['idps']`), or is a key of an object literal passed to
/// `new OktaSignIn({ … })` or held by such a name.
pub fn key_of_widget_config<'t>(ctx: &FileCtx<'t>, key: Node<'t>) -> bool {
    use crate::rules::matching::keys::KeySite;
    let src = ctx.masked;
    let up = &ctx.up;
    match KeySite::of(key, up) {
        Some(KeySite::Member(m)) => m
            .child_by_field_name("object")
            .is_some_and(|o| is_widget_config(ctx, o)),
        Some(site) => site.object(up).is_some_and(|object| {
            let mut node = object;
            while let Some(p) = up
                .of(node)
                .filter(|p| p.kind() == "parenthesized_expression")
            {
                node = p;
            }
            let Some(parent) = up.of(node) else {
                return false;
            };
            match parent.kind() {
                "arguments" => up.of(parent).is_some_and(|n| is_new_widget(n, src)),
                "variable_declarator" | "assignment_expression" => {
                    let target = parent
                        .child_by_field_name("name")
                        .or_else(|| parent.child_by_field_name("left"));
                    target.is_some_and(|t| is_widget_config(ctx, t))
                }
                _ => false,
            }
        }),
        None => false,
    }
}

/// Whether `key` is a key of one of the config object literals this module
/// exports to a widget file of the run ([`FileCtx::config_objects`]).
pub fn key_of_imported_config<'t>(ctx: &FileCtx<'t>, key: Node<'t>) -> bool {
    use crate::rules::matching::keys::KeySite;
    if ctx.config_objects.is_empty() {
        return false;
    }
    match KeySite::of(key, &ctx.up) {
        Some(KeySite::Member(_)) | None => false,
        Some(site) => site
            .object(&ctx.up)
            .is_some_and(|o| ctx.config_objects.contains(&o.byte_range())),
    }
}
