//! The widget's `on('afterRender', handler)` event handlers.
//!
//! OIE015: an `afterRender` (or `ready`/`afterError`) handler that compares
//! `context.controller` with a Classic controller name the Identity Engine
//! widget never sets.
//!
//! The Identity Engine widget fills `context.controller` only for the forms
//! of its mapping table (`src/v2/ion/ViewClassNamesFactory.js`: `identify` →
//! `primary-auth`, …) and leaves it `null` otherwise; `context.formName` is
//! the Identity Engine key. A comparison with any other Classic name is
//! never true after the upgrade.
//!
//! OIE024: an `afterRender` handler on an Okta-hosted page that changes the
//! widget's DOM (jQuery setters, `querySelector` results assigned to or
//! mutated). The third-generation (Gen3) widget re-renders and reverts such
//! changes; `afterTransform` or a MutationObserver is the Gen3 way. Reads
//! (`$('x').val()`, `el.textContent` on the right of `=`) stay silent.
//!
//! Both find their handler the same way ([`handler_of`], [`is_event_handler`]):
//! a function passed inline, or a function of the same file passed by name.

use super::{Captures, Check, FileCtx};
use crate::diagnostic::Finding;
use crate::rules::matching::keys;
use crate::syntax;
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[
    ("after-render-controller", |rule| {
        Box::new(AfterRenderController { rule })
    }),
    ("after-render-dom", |rule| Box::new(AfterRenderDom { rule })),
];

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
        let Some(member) = ctx.up.of(hit).filter(|p| p.kind() == "member_expression") else {
            return;
        };
        let Some(base) = member
            .child_by_field_name("object")
            .filter(|o| o.kind() == "identifier")
        else {
            return;
        };
        if !is_event_context(ctx, base) {
            return;
        }
        for s in compared_strings(member, &ctx.up) {
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
fn is_event_context<'t>(ctx: &FileCtx<'t>, base: Node<'t>) -> bool {
    let src = ctx.masked;
    let name = &src[base.byte_range()];
    for n in ctx.up.ancestors(base) {
        if is_function(n) {
            let first = n
                .child_by_field_name("parameter")
                .or_else(|| {
                    n.child_by_field_name("parameters").and_then(|p| {
                        syntax::named_children(p)
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
                return is_event_handler(ctx, n, EVENTS);
            }
        }
    }
    false
}

fn is_function(n: Node) -> bool {
    matches!(
        n.kind(),
        "function_expression"
            | "function"
            | "arrow_function"
            | "function_declaration"
            | "method_definition"
    )
}

/// `this.name` or `this.name.bind(…)`: a method of the enclosing class
/// passed as a handler; its name.
fn this_method<'s>(arg: Node, src: &'s str) -> Option<&'s str> {
    let mut m = syntax::unwrap_expr(arg);
    if m.kind() == "call_expression" {
        let bind = m
            .child_by_field_name("function")
            .filter(|f| f.kind() == "member_expression")?;
        let is_bind = bind
            .child_by_field_name("property")
            .is_some_and(|p| &src[p.byte_range()] == "bind");
        if !is_bind {
            return None;
        }
        m = syntax::unwrap_expr(bind.child_by_field_name("object")?);
    }
    if m.kind() != "member_expression" || m.child_by_field_name("object")?.kind() != "this" {
        return None;
    }
    let p = m.child_by_field_name("property")?;
    (p.kind() == "property_identifier").then(|| &src[p.byte_range()])
}

/// What `this` is around `n`: the nearest class body or object literal
/// (`var page = { init: function () { signIn.on('afterRender',
/// this.onRender); }, onRender: function (ctx) {…} }`, the way older
/// hosted pages are written).
fn this_holder<'t>(ctx: &FileCtx<'t>, n: Node<'t>) -> Option<Node<'t>> {
    ctx.up
        .ancestors(n)
        .find(|a| matches!(a.kind(), "class_body" | "object"))
}

/// The member `name` of a class body or object literal: a method
/// (`onRender(ctx) {…}`), a field holding a function (`onRender = (ctx)
/// => {…}`) or a pair (`onRender: function (ctx) {…}`). Each holder's
/// members are read once per file (a page object with many handlers would
/// otherwise be read once per handler).
fn class_member<'t>(ctx: &FileCtx<'t>, body: Node<'t>, name: &str) -> Option<Node<'t>> {
    let src: &'t str = ctx.masked;
    let mut members = ctx.members.borrow_mut();
    let map = members.entry(body.id()).or_insert_with(|| {
        let mut map = HashMap::new();
        for m in syntax::named_children(body) {
            if let Some((n, f)) = member_function(m, src) {
                map.entry(n).or_insert(f);
            }
        }
        map
    });
    map.get(name).copied()
}

/// A member of a class body or object literal that is a function, with its name.
fn member_function<'t>(m: Node<'t>, src: &'t str) -> Option<(&'t str, Node<'t>)> {
    let name_of = |n: Node<'t>| &src[n.byte_range()];
    match m.kind() {
        "method_definition" => Some((name_of(m.child_by_field_name("name")?), m)),
        "pair" => {
            let key = m
                .child_by_field_name("key")
                .filter(|k| k.kind() == "property_identifier")?;
            let value = syntax::unwrap_expr(m.child_by_field_name("value")?);
            is_function(value).then(|| (name_of(key), value))
        }
        "field_definition" => {
            let key = m.child_by_field_name("property")?;
            let value = syntax::unwrap_expr(m.child_by_field_name("value")?);
            is_function(value).then(|| (name_of(key), value))
        }
        _ => None,
    }
}

/// The class body (or object literal) and member name of a method, a
/// function-valued field or pair.
fn method_site<'t, 's>(
    ctx: &FileCtx<'t>,
    f: Node<'t>,
    src: &'s str,
) -> Option<(Node<'t>, &'s str)> {
    let (holder, name) = match f.kind() {
        "method_definition" => (f, f.child_by_field_name("name")?),
        _ => {
            let mut node = f;
            while let Some(p) = ctx
                .up
                .of(node)
                .filter(|p| p.kind() == "parenthesized_expression")
            {
                node = p;
            }
            let holder = ctx.up.of(node)?;
            let name = match holder.kind() {
                "field_definition" => holder.child_by_field_name("property")?,
                "pair" => holder
                    .child_by_field_name("key")
                    .filter(|k| k.kind() == "property_identifier")?,
                _ => return None,
            };
            (holder, name)
        }
    };
    let body = ctx
        .up
        .of(holder)
        .filter(|b| matches!(b.kind(), "class_body" | "object"))?;
    Some((body, &src[name.byte_range()]))
}

/// The file's `x.on('event', handler)` registrations, found by one walk:
/// the calls in document order, and where each method passed as
/// `this.name` is registered, by name, so that "is this method a handler?"
/// costs a lookup, not a scan of the file's registrations per finding.
pub struct Events<'t> {
    /// Method name → (call start, event) of each `x.on(event, this.name)`, in document order.
    by_method: HashMap<&'t str, Vec<(usize, &'t str)>>,
    /// (method node id, event list) → whether it is registered (each method is asked for
    /// every finding inside it; it is worked out once).
    answers: RefCell<HashMap<(usize, usize), bool>>,
}

impl<'t> Events<'t> {
    pub fn of(ctx: &FileCtx<'t>) -> Events<'t> {
        let src: &'t str = ctx.masked;
        let mut by_method: HashMap<&'t str, Vec<(usize, &'t str)>> = HashMap::new();
        for u in ctx.units {
            syntax::walk(u.tree.root_node(), |n| {
                if let Some((event, handler)) = event_call(n, src) {
                    if let Some(name) = this_method(handler, src) {
                        by_method
                            .entry(name)
                            .or_default()
                            .push((n.start_byte(), event));
                    }
                }
            });
        }
        for calls in by_method.values_mut() {
            calls.sort_unstable();
        }
        Events {
            by_method,
            answers: RefCell::default(),
        }
    }

    /// Whether a call inside `range` registers `this.name` for one of `events`.
    fn this_registered(&self, name: &str, range: std::ops::Range<usize>, events: &[&str]) -> bool {
        let Some(calls) = self.by_method.get(name) else {
            return false;
        };
        let first = calls.partition_point(|c| c.0 < range.start);
        calls[first..]
            .iter()
            .take_while(|c| c.0 < range.end)
            .any(|c| events.contains(&c.1))
    }
}

/// `x.on('event', handler)`: the event name and the handler argument.
fn event_call<'t, 's>(call: Node<'t>, src: &'s str) -> Option<(&'s str, Node<'t>)> {
    if call.kind() != "call_expression" {
        return None;
    }
    let on = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_expression")
        .and_then(|m| m.child_by_field_name("property"))
        .is_some_and(|p| &src[p.byte_range()] == "on");
    if !on {
        return None;
    }
    let args: Vec<Node> = call
        .child_by_field_name("arguments")
        .map(syntax::named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    let event = args.first().filter(|a| a.kind() == "string")?;
    Some((keys::string_content(*event, src), *args.get(1)?))
}

/// The function a handler argument stands for: the function itself, or a
/// function of the same file passed by name (`function onRender(ctx) {…}`,
/// `const onRender = (ctx) => {…}`).
fn handler_of<'t>(ctx: &FileCtx<'t>, arg: Node<'t>) -> Option<Node<'t>> {
    let arg = syntax::unwrap_expr(arg);
    if is_function(arg) {
        return Some(arg);
    }
    if let Some(name) = this_method(arg, ctx.masked) {
        return this_holder(ctx, arg).and_then(|b| class_member(ctx, b, name));
    }
    if arg.kind() != "identifier" {
        return None;
    }
    let name = &ctx.masked[arg.byte_range()];
    ctx.identifier_uses(name).into_iter().find_map(|id| {
        let parent = ctx.up.of(id)?;
        let is_name = parent
            .child_by_field_name("name")
            .is_some_and(|n| n.id() == id.id());
        match parent.kind() {
            "function_declaration" if is_name => Some(parent),
            "variable_declarator" if is_name => parent
                .child_by_field_name("value")
                .map(syntax::unwrap_expr)
                .filter(|v| is_function(*v)),
            _ => None,
        }
    })
}

/// The name a function is declared or bound with, if any.
fn function_name<'s, 't>(f: Node<'t>, src: &'s str, up: &syntax::Parents<'t>) -> Option<&'s str> {
    let name = match f.kind() {
        "function_declaration" => f.child_by_field_name("name"),
        _ => up
            .of(up.outside_parens(f))
            .filter(|p| p.kind() == "variable_declarator")
            .and_then(|d| d.child_by_field_name("name")),
    }?;
    (name.kind() == "identifier").then(|| &src[name.byte_range()])
}

/// Whether the function `f` is registered with `x.on(event, …)` for one of
/// `events`: passed inline, or passed by the name it is declared with.
fn is_event_handler<'t>(ctx: &FileCtx<'t>, f: Node<'t>, events: &[&str]) -> bool {
    let src = ctx.masked;
    let registered = |arg: Node, call: Node| {
        event_call(call, src)
            .is_some_and(|(event, handler)| handler.id() == arg.id() && events.contains(&event))
    };
    let node = ctx.up.outside_parens(f);
    if let Some(call) = ctx
        .up
        .of(node)
        .filter(|a| a.kind() == "arguments")
        .and_then(|a| ctx.up.of(a))
    {
        return registered(node, call);
    }
    // A method passed as `this.name` (or `this.name.bind(this)`) by code
    // of the same class or object.
    if let Some((class, name)) = method_site(ctx, f, src) {
        let e = ctx.events();
        let key = (f.id(), events.as_ptr() as usize);
        if let Some(&known) = e.answers.borrow().get(&key) {
            return known;
        }
        let answer = e.this_registered(name, class.byte_range(), events);
        e.answers.borrow_mut().insert(key, answer);
        return answer;
    }
    let Some(name) = function_name(f, src, &ctx.up) else {
        return false;
    };
    ctx.identifier_uses(name).into_iter().any(|id| {
        ctx.up
            .of(id)
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| ctx.up.of(a))
            .is_some_and(|call| registered(id, call))
    })
}

/// The string literals `member` is compared with: `m === 'x'`, `'x' != m`,
/// `switch (m) { case 'x': … }`.
fn compared_strings<'t>(member: Node<'t>, up: &syntax::Parents<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let node = up.outside_parens(member);
    let Some(parent) = up.of(node) else {
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
                for case in syntax::named_children(body) {
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

/// OIE024: the DOM changes of a hosted page's `afterRender` handlers.
pub struct AfterRenderDom {
    pub rule: usize,
}

impl Check for AfterRenderDom {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        let src = ctx.masked;
        let Some(string) = ctx.up.of(hit).filter(|p| p.kind() == "string") else {
            return;
        };
        let Some(call) = ctx
            .up
            .of(string)
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| ctx.up.of(a))
        else {
            return;
        };
        let Some(("afterRender", arg)) = event_call(call, src) else {
            return;
        };
        // The event name must be the first argument, not the handler.
        if string.id() == arg.id() {
            return;
        }
        let Some(body) = handler_of(ctx, arg).and_then(|f| f.child_by_field_name("body")) else {
            return;
        };
        let mut changes = dom_changes(ctx, body);
        // One call deeper (issue 26): `on('afterRender', function () {
        // manipulateObjects(); })`, where a function of the file makes the
        // changes. Only plain calls of a named function, one level.
        let mut via = None;
        if changes.is_empty() {
            for (name, f) in called_functions(ctx, body) {
                let Some(inner) = f.child_by_field_name("body") else {
                    continue;
                };
                let found = dom_changes(ctx, inner);
                if !found.is_empty() {
                    changes = found;
                    via = Some(name);
                    break;
                }
            }
        }
        let Some(first) = changes.first() else {
            return;
        };
        let text = &ctx.source.text;
        let line = ctx.line_of(first.start_byte());
        let more = match changes.len() - 1 {
            0 => String::new(),
            1 => ", and 1 more".to_string(),
            n => format!(", and {n} more"),
        };
        let more = match via {
            Some(name) => format!("{more}, in `{name}()`, which it calls"),
            None => more,
        };
        out.push(
            Finding::new(self.rule, string.start_byte(), string.end_byte()).message(format!(
                "This `afterRender` handler changes the widget's DOM (`{}` on line {line}{more}): the third-generation (Gen3) sign-in widget re-renders and reverts such changes; make them in `afterTransform` or with a MutationObserver (the Gen2 widget is unaffected)",
                excerpt(&text[first.byte_range()])
            )),
        );
    }
}

/// The functions of the file that `body` calls by name (`manipulate()`,
/// not `obj.manipulate()`), each once, in document order, with the
/// function [`handler_of`] resolves the name to. Bounded: the first 32
/// calls of the handler.
fn called_functions<'t>(ctx: &FileCtx<'t>, body: Node<'t>) -> Vec<(&'t str, Node<'t>)> {
    let src = ctx.masked;
    let mut names: Vec<Node<'t>> = Vec::new();
    syntax::walk(body, |n| {
        if names.len() < 32 && n.kind() == "call_expression" {
            if let Some(f) = n
                .child_by_field_name("function")
                .filter(|f| f.kind() == "identifier")
            {
                if !names
                    .iter()
                    .any(|m| src[m.byte_range()] == src[f.byte_range()])
                {
                    names.push(f);
                }
            }
        }
    });
    names
        .into_iter()
        .filter_map(|f| {
            let target = handler_of(ctx, f)?;
            // Not the handler itself (a recursive call).
            (target.start_byte() > body.end_byte() || target.end_byte() < body.start_byte())
                .then(|| (&src[f.byte_range()], target))
        })
        .collect()
}

/// jQuery methods that change the elements they are called on, whatever
/// their arguments.
const JQUERY_CHANGES: &[&str] = &[
    "addClass",
    "after",
    "append",
    "appendTo",
    "before",
    "detach",
    "empty",
    "fadeIn",
    "fadeOut",
    "fadeTo",
    "fadeToggle",
    "hide",
    "insertAfter",
    "insertBefore",
    "prepend",
    "prependTo",
    "remove",
    "removeAttr",
    "removeClass",
    "removeProp",
    "replaceAll",
    "replaceWith",
    "show",
    "slideDown",
    "slideToggle",
    "slideUp",
    "toggle",
    "toggleClass",
    "unwrap",
    "wrap",
    "wrapAll",
    "wrapInner",
];

/// jQuery getter-setters: `$('x').text()` reads, `$('x').text('y')` writes.
/// `html`/`text`/`val` write with one argument; `css`/`attr`/`prop` with
/// two, or with one object (`css({ color: 'red' })`).
const JQUERY_SETTERS: &[&str] = &["attr", "css", "html", "prop", "text", "val"];

/// DOM element methods that change the element or its children.
const DOM_CHANGES: &[&str] = &[
    "after",
    "append",
    "appendChild",
    "before",
    "insertAdjacentElement",
    "insertAdjacentHTML",
    "insertAdjacentText",
    "insertBefore",
    "prepend",
    "remove",
    "removeAttribute",
    "removeChild",
    "replaceChild",
    "replaceChildren",
    "replaceWith",
    "setAttribute",
    "setAttributeNS",
    "toggleAttribute",
];

/// Calls that find elements of the page.
const DOM_QUERIES: &[&str] = &[
    "getElementById",
    "getElementsByClassName",
    "getElementsByName",
    "getElementsByTagName",
    "querySelector",
    "querySelectorAll",
];

/// What an expression holds, as far as the DOM rule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// A jQuery selection (`$('…')`, `jQuery(…)` and what is chained on it).
    JQuery,
    /// DOM elements (`document.querySelector(…)`, `getElementById(…)`, …).
    Dom,
}

/// The statements of `body` that change the DOM, in document order:
/// jQuery setters and mutators on a selection, DOM mutator methods,
/// `classList.add/remove/toggle/replace`, `style.setProperty`, and
/// assignments to a property of an element (`el.textContent = …`,
/// `el.style.color = …`).
fn dom_changes<'t>(ctx: &FileCtx<'t>, body: Node<'t>) -> Vec<Node<'t>> {
    let dom = Dom {
        ctx,
        vars: RefCell::new(HashMap::new()),
    };
    let mut out = Vec::new();
    syntax::walk(body, |n| {
        let changes = match n.kind() {
            "call_expression" => dom.call_changes(n),
            "assignment_expression" | "augmented_assignment_expression" => n
                .child_by_field_name("left")
                .map(syntax::unwrap_expr)
                .filter(|l| matches!(l.kind(), "member_expression" | "subscript_expression"))
                .and_then(|l| l.child_by_field_name("object"))
                .is_some_and(|o| dom.held(o, 0).is_some()),
            _ => false,
        };
        if changes {
            out.push(n);
        }
    });
    out
}

/// How many variables [`Dom::held`] follows from one expression
/// (`var a = $('x'); var b = a; …`).
const MAX_HOPS: usize = 8;

/// What the expressions of one handler hold, with the file's variables
/// resolved once each (a name used many times costs one lookup).
struct Dom<'c, 't> {
    ctx: &'c FileCtx<'t>,
    /// Variable name → what its declaration's value holds.
    vars: RefCell<HashMap<&'t str, Option<Held>>>,
}

impl<'t> Dom<'_, 't> {
    fn call_changes(&self, call: Node<'t>) -> bool {
        let src = self.ctx.masked;
        let Some(member) = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "member_expression")
        else {
            return false;
        };
        let (Some(object), Some(property)) = (
            member.child_by_field_name("object"),
            member.child_by_field_name("property"),
        ) else {
            return false;
        };
        let method = &src[property.byte_range()];
        let args: Vec<Node> = call
            .child_by_field_name("arguments")
            .map(syntax::named_children)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.kind() != "comment")
            .collect();
        let object = syntax::unwrap_expr(object);
        // `el.classList.add('x')`, `el.style.setProperty('color', 'red')`.
        let of = |name: &str| {
            object.kind() == "member_expression"
                && object
                    .child_by_field_name("property")
                    .is_some_and(|p| &src[p.byte_range()] == name)
        };
        if matches!(method, "add" | "remove" | "toggle" | "replace") && of("classList")
            || matches!(method, "setProperty" | "removeProperty") && of("style")
        {
            let element = object.child_by_field_name("object");
            return element.is_some_and(|e| self.held(e, 0) == Some(Held::Dom));
        }
        match self.held(object, 0) {
            Some(Held::JQuery) => {
                JQUERY_CHANGES.contains(&method)
                    || JQUERY_SETTERS.contains(&method)
                        && match args.as_slice() {
                            [] => false,
                            [one] => {
                                matches!(method, "html" | "text" | "val")
                                    || matches!(syntax::unwrap_expr(*one).kind(), "object")
                            }
                            _ => true,
                        }
            }
            Some(Held::Dom) => DOM_CHANGES.contains(&method),
            None => false,
        }
    }

    /// What `expr` holds: a jQuery selection or DOM elements, following
    /// member accesses, indexes and chained calls down to the `$(…)` or
    /// `querySelector(…)` they start from, and names to their value: the
    /// element parameter of an enclosing `querySelectorAll(…).forEach(function
    /// (el) {…})` callback, else a `var title = $('h2')` of the file.
    fn held(&self, expr: Node<'t>, hops: usize) -> Option<Held> {
        let src = self.ctx.masked;
        // Down the chain: `$('x').find('y').parent()`, `el.style`, `list[0]`.
        let mut expr = syntax::unwrap_expr(expr);
        loop {
            match expr.kind() {
                "call_expression" => {
                    let f = syntax::unwrap_expr(expr.child_by_field_name("function")?);
                    match f.kind() {
                        "identifier" => {
                            return matches!(&src[f.byte_range()], "$" | "jQuery")
                                .then_some(Held::JQuery);
                        }
                        "member_expression" => {
                            let p = f.child_by_field_name("property")?;
                            if DOM_QUERIES.contains(&&src[p.byte_range()]) {
                                return Some(Held::Dom);
                            }
                            expr = syntax::unwrap_expr(f.child_by_field_name("object")?);
                        }
                        _ => return None,
                    }
                }
                "member_expression" | "subscript_expression" => {
                    expr = syntax::unwrap_expr(expr.child_by_field_name("object")?);
                }
                "identifier" => break,
                _ => return None,
            }
        }
        if hops >= MAX_HOPS {
            return None;
        }
        let name = &src[expr.byte_range()];
        if matches!(name, "document" | "window") {
            return None;
        }
        // A parameter of an enclosing function, nearest first.
        for f in self.ctx.up.ancestors(expr) {
            if is_function(f) {
                if let Some(i) = parameter_index(f, name, src) {
                    return self.element_parameter_of(f, i, hops);
                }
            }
        }
        // Else a variable of the file (its first declaration that holds
        // something), resolved once per name.
        if let Some(known) = self.vars.borrow().get(name) {
            return *known;
        }
        // Provisionally nothing, so that `var a = a.b` ends.
        self.vars.borrow_mut().insert(name, None);
        let found = self
            .ctx
            .widget_names()
            .declarations(self.ctx, name)
            .into_iter()
            .find_map(|value| self.held(value, hops + 1));
        self.vars.borrow_mut().insert(name, found);
        found
    }

    /// Parameter `index` of the function `f`: an element when `f` is the
    /// callback of `elements.forEach(function (el) …)` (first parameter) or
    /// of jQuery's `selection.each(function (i, el) …)` (second).
    fn element_parameter_of(&self, f: Node<'t>, index: usize, hops: usize) -> Option<Held> {
        let src = self.ctx.masked;
        let up = &self.ctx.up;
        let node = up.outside_parens(f);
        let call = up
            .of(node)
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| up.of(a))?;
        let member = call
            .child_by_field_name("function")
            .filter(|m| m.kind() == "member_expression")?;
        let method = &src[member.child_by_field_name("property")?.byte_range()];
        let over = self.held(member.child_by_field_name("object")?, hops + 1)?;
        match (method, over, index) {
            ("forEach", Held::Dom, 0) | ("each", Held::JQuery, 1) => Some(Held::Dom),
            _ => None,
        }
    }
}

/// The position of the parameter named `name` in the function `f`'s list.
fn parameter_index(f: Node, name: &str, src: &str) -> Option<usize> {
    if let Some(p) = f.child_by_field_name("parameter") {
        return (&src[p.byte_range()] == name).then_some(0);
    }
    syntax::named_children(f.child_by_field_name("parameters")?)
        .into_iter()
        .filter(|c| c.kind() != "comment")
        .position(|c| {
            let pattern = c
                .child_by_field_name("pattern")
                .filter(|_| c.kind() == "required_parameter")
                .unwrap_or(c);
            &src[pattern.byte_range()] == name
        })
}

/// The first line of a piece of code, shortened for a message.
fn excerpt(code: &str) -> String {
    let line = code.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(60).collect();
    if out.len() < line.len() || code.trim_end().contains('\n') {
        out.push('…');
    }
    out.replace('`', "'")
}
