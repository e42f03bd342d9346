//! OIE013 and OIE022: what an Okta-hosted template does when sign-in
//! succeeds.
//!
//! The default template passes `OktaUtil.completeLogin` as the `renderEl`
//! success callback, and Okta's migration guide recommends it: templates
//! "modified to perform redirects or set cookies" may not work with
//! Identity Engine. OIE013 flags a hosted `renderEl` whose success callback
//! is missing or is something else; OIE022 flags `document.cookie = …` and
//! `location` redirects in that callback (followed to a named function of
//! the file) or at the top level of the template's scripts.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::rules::matching::keys;
use crate::syntax;
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[
    ("hosted-success-callback", |rule| {
        Box::new(SuccessCallback { rule })
    }),
    ("hosted-redirect-or-cookie", |rule| {
        Box::new(RedirectOrCookie { rule })
    }),
];

/// OIE013: the success callback is not `OktaUtil.completeLogin`.
pub struct SuccessCallback {
    pub rule: usize,
}

/// OIE022: a redirect or cookie write in the success path.
pub struct RedirectOrCookie {
    pub rule: usize,
}

const COMPLETE_LOGIN: &str = "OktaUtil.completeLogin";

/// `x.renderEl(...)` whose method name is `prop`: the call.
fn render_el_call<'t>(prop: Node<'t>, up: &crate::syntax::Parents<'t>) -> Option<Node<'t>> {
    let member = up.of(prop).filter(|m| m.kind() == "member_expression")?;
    up.of(member).filter(|c| {
        c.kind() == "call_expression"
            && c.child_by_field_name("function")
                .is_some_and(|f| f.id() == member.id())
    })
}

fn args(call: Node) -> Vec<Node> {
    call.child_by_field_name("arguments")
        .map(syntax::named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_function(n: Node) -> bool {
    matches!(
        n.kind(),
        "function_expression" | "function" | "arrow_function" | "function_declaration"
    )
}

/// The function (or value) a name of the file is bound to: `function n() {}`,
/// `var n = function () {}` / `= OktaUtil.completeLogin`.
fn binding<'t>(ctx: &FileCtx<'t>, name: &str) -> Option<Node<'t>> {
    let src = ctx.masked;
    for unit in ctx.units {
        let found = syntax::find(unit.tree.root_node(), |n| match n.kind() {
            "function_declaration" => n
                .child_by_field_name("name")
                .is_some_and(|i| &src[i.byte_range()] == name),
            "variable_declarator" => {
                n.child_by_field_name("name")
                    .is_some_and(|i| &src[i.byte_range()] == name)
                    && n.child_by_field_name("value").is_some()
            }
            _ => false,
        });
        if let Some(n) = found {
            return match n.kind() {
                "variable_declarator" => n.child_by_field_name("value").map(syntax::unwrap_expr),
                _ => Some(n),
            };
        }
    }
    None
}

/// The success callback's function node (or value), following a name.
fn success_target<'t>(ctx: &FileCtx<'t>, arg: Node<'t>) -> Node<'t> {
    let arg = syntax::unwrap_expr(arg);
    if arg.kind() == "identifier" {
        if let Some(b) = binding(ctx, &ctx.masked[arg.byte_range()]) {
            return b;
        }
    }
    arg
}

/// Whether a success callback hands the result to `OktaUtil.completeLogin`:
/// it is that function, or a function that calls it.
fn completes_login(ctx: &FileCtx, target: Node) -> bool {
    let src = ctx.masked;
    if is_complete_login(&src[target.byte_range()]) {
        return true;
    }
    is_function(target)
        && syntax::find(target, |n| {
            n.kind() == "call_expression"
                && n.child_by_field_name("function")
                    .is_some_and(|f| is_complete_login(&src[f.byte_range()]))
        })
        .is_some()
}

/// `OktaUtil.completeLogin`, also reached through the global object
/// (`window.OktaUtil.completeLogin`, `self.…`, `globalThis.…`): the same
/// function (a real page, guardian/gateway, writes it so).
fn is_complete_login(text: &str) -> bool {
    let s = squeeze(text);
    let s = ["window.", "self.", "globalThis."]
        .iter()
        .find_map(|g| s.strip_prefix(g))
        .unwrap_or(&s);
    s == COMPLETE_LOGIN
}

impl Check for SuccessCallback {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(prop) = m.get("hit") else { return };
        let Some(call) = render_el_call(prop, &ctx.up) else {
            return;
        };
        let a = args(call);
        let message = match a.get(1) {
            None => "`renderEl` on an Okta-hosted page has no success callback: pass `OktaUtil.completeLogin`, as the default template does".to_string(),
            Some(&s) if completes_login(ctx, success_target(ctx, s)) => return,
            Some(&s) => {
                let text = ctx.text(s);
                let shown = if text.len() > 40 || text.contains('\n') {
                    "a custom function".to_string()
                } else {
                    format!("`{text}`")
                };
                format!(
                    "The success callback of `renderEl` on an Okta-hosted page is {shown}, not `OktaUtil.completeLogin`: custom success handling may not work with Okta Identity Engine"
                )
            }
        };
        out.push(Finding::new(self.rule, prop.start_byte(), prop.end_byte()).message(message));
    }
}

/// Whether `node` is `location`, `window.location`, `document.location`,
/// `top.location` or `self.location`.
fn is_location(node: Node, src: &str) -> bool {
    matches!(
        squeeze(&src[syntax::unwrap_expr(node).byte_range()]).as_str(),
        "location"
            | "window.location"
            | "document.location"
            | "top.location"
            | "self.location"
            | "window.top.location"
    )
}

/// Whether `node` runs in a hosted `renderEl` success callback (or a
/// function nested in one), or at the top level of a script.
/// A statement nested deeper than [`syntax::MAX_CLIMB`] levels counts as
/// neither.
fn in_success_path<'t>(ctx: &FileCtx<'t>, node: Node<'t>) -> bool {
    let mut saw_function = false;
    let mut root = node;
    let mut levels = 0;
    for n in ctx.up.ancestors(node) {
        levels += 1;
        if is_function(n) {
            saw_function = true;
            if is_success_callback(ctx, n) {
                return true;
            }
        }
        root = n;
    }
    if levels == syntax::MAX_CLIMB {
        return false;
    }
    !saw_function && !is_attribute_handler(&ctx.source.text, root.start_byte())
}

/// Whether the script that starts at `start` is an `on*="…"` attribute
/// value (a click handler runs when clicked, not when the page loads).
fn is_attribute_handler(text: &str, start: usize) -> bool {
    let before = text[..start.min(text.len())].trim_end();
    before
        .strip_suffix(['"', '\''])
        .is_some_and(|b| b.trim_end().ends_with('='))
}

/// Whether the function `f` is passed as a `renderEl` success callback,
/// inline or by name.
fn is_success_callback<'t>(ctx: &FileCtx<'t>, f: Node<'t>) -> bool {
    let src = ctx.masked;
    // Inline: `renderEl(options, function (res) { … })`.
    if let Some(call) = ctx
        .up
        .of(f)
        .filter(|p| p.kind() == "arguments")
        .and_then(|a| ctx.up.of(a))
    {
        let a = args(call);
        let is_render = call
            .child_by_field_name("function")
            .and_then(|m| m.child_by_field_name("property"))
            .is_some_and(|p| &src[p.byte_range()] == "renderEl");
        return is_render && a.get(1).is_some_and(|s| s.id() == f.id());
    }
    // By name: `function onSuccess(res) { … }` / `var onSuccess = function …`.
    let name = match f.kind() {
        "function_declaration" => f.child_by_field_name("name"),
        _ => ctx
            .up
            .of(f)
            .filter(|p| p.kind() == "variable_declarator")
            .and_then(|p| p.child_by_field_name("name")),
    };
    let Some(name) = name.map(|n| &src[n.byte_range()]) else {
        return false;
    };
    ctx.render_el_calls()
        .iter()
        .any(|&c| args(c).get(1).is_some_and(|s| &src[s.byte_range()] == name))
}

impl Check for RedirectOrCookie {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let src = ctx.masked;
        let name = &src[hit.byte_range()];
        let parent = ctx.up.of(hit);
        let assigned = |member: Node<'t>| keys::assignment_of(member, &ctx.up).is_some();
        let what = match (hit.kind(), parent) {
            // `location = url`
            ("identifier", Some(p)) if p.kind() == "assignment_expression" => "a redirect",
            ("property_identifier", Some(member)) => {
                let Some(object) = member.child_by_field_name("object") else {
                    return;
                };
                let object_text = squeeze(&src[object.byte_range()]);
                match name {
                    "cookie"
                        if assigned(member)
                            && matches!(object_text.as_str(), "document" | "window.document") =>
                    {
                        "a cookie write"
                    }
                    "href" if assigned(member) && is_location(object, src) => "a redirect",
                    "location"
                        if assigned(member)
                            && matches!(
                                object_text.as_str(),
                                "window" | "document" | "top" | "self" | "window.top"
                            ) =>
                    {
                        "a redirect"
                    }
                    "assign" | "replace"
                        if is_location(object, src)
                            && ctx.up.of(member).is_some_and(|c| {
                                c.kind() == "call_expression"
                                    && c.child_by_field_name("function")
                                        .is_some_and(|f| f.id() == member.id())
                            }) =>
                    {
                        "a redirect"
                    }
                    _ => return,
                }
            }
            _ => return,
        };
        if !in_success_path(ctx, hit) {
            return;
        }
        let span = parent.unwrap_or(hit);
        out.push(
            Finding::new(self.rule, span.start_byte(), span.end_byte()).message(format!(
                "{} in the sign-in path of an Okta-hosted page: templates modified to redirect or set cookies may not work with Okta Identity Engine",
                capitalise(what)
            )),
        );
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
