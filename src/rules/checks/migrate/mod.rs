//! OIE001/OIE002 with the migration fixes.
//!
//! The check reports exactly what the rules' query patterns report (each
//! `@hit`, with the pattern's severity and message). When the hit sits in
//! the success callback of `x.renderEl(options, success, error)` (inline,
//! or a function of the same file passed by name or as `this.method`), the
//! first such hit of the callback (a `setCookieAndRedirect` if there is
//! one, else a `sessionToken`) carries the migration:
//!
//! - Okta-hosted template ([`hosted`]): the callback becomes
//!   `OktaUtil.completeLogin`. Safe only when nothing with an effect is
//!   dropped; otherwise unsafe, naming what it removes.
//! - Embedded widget ([`embedded`]): `x.showSignInToGetTokens(options)
//!   .then(function (tokens) { … }).catch(error)`, storing the tokens on
//!   every path that signed in and keeping the navigation. Unsafe.
//! - auth-js Classic flows outside a widget ([`authjs`]).
//!
//! When no fix can be offered, the finding's message says why, precisely.
//! Edits are computed on node ranges and slices of the original text, so
//! template placeholders outside the rewritten spans stay byte for byte.

pub mod authjs;
pub mod embedded;
pub mod hosted;

use super::{Captures, Check, FileCtx};
use crate::diagnostic::{Edit, Finding, Fix, NoFix};
use crate::rules::Registry;
use crate::syntax;
use regex::Regex;
use std::sync::OnceLock;
use tree_sitter::Node;

/// Whether `hit` (the `token` of `x.session.token`) reads the session token
/// of a `renderEl` success callback's result: `x` is the callback's one
/// parameter.
fn reads_result_session_token<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> bool {
    let src = ctx.masked;
    let Some(member) = ctx.up.of(hit).filter(|m| m.kind() == "member_expression") else {
        return false;
    };
    let session = member
        .child_by_field_name("object")
        .filter(|o| o.kind() == "member_expression")
        .filter(|o| {
            o.child_by_field_name("property")
                .is_some_and(|p| &src[p.byte_range()] == "session")
        });
    let Some(result) = session
        .and_then(|s| s.child_by_field_name("object"))
        .filter(|r| r.kind() == "identifier")
    else {
        return false;
    };
    Callback::enclosing(hit, ctx).is_some_and(
        |cb| matches!(cb.param(), Ok(Some(p)) if src[p.byte_range()] == src[result.byte_range()]),
    )
}

/// A `sessionToken` read that is an argument of `x.session.setCookieAndRedirect(…)`
/// (`tx.sessionToken` after an auth-js sign-in): the redirect's own
/// migration handles it, so it points there, or shares its reason.
fn redirect_token_arg<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, NoFix>> {
    let src = ctx.masked;
    let read = ctx.up.of(hit).filter(|m| m.kind() == "member_expression")?;
    // `const t = tx.sessionToken; …setCookieAndRedirect(t, …)`: the alias
    // passed first to the redirect, in the same function.
    let read = match ctx.up.of(read) {
        Some(d) if d.kind() == "variable_declarator" => {
            let name = d.child_by_field_name("name")?;
            let func = ctx.up.ancestors(d).find(|n| is_function(*n))?;
            ctx.identifier_uses(&src[name.byte_range()])
                .into_iter()
                .find(|u| {
                    u.id() != name.id()
                        && func.start_byte() <= u.start_byte()
                        && u.end_byte() <= func.end_byte()
                        && ctx
                            .up
                            .of(*u)
                            .filter(|a| a.kind() == "arguments")
                            .and_then(|a| args_of(a).first().map(|f| f.id()))
                            == Some(u.id())
                })?
        }
        _ => read,
    };
    let args = ctx.up.of(read).filter(|a| a.kind() == "arguments")?;
    let call = ctx.up.of(args).filter(|c| c.kind() == "call_expression")?;
    let redirect = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_expression")?
        .child_by_field_name("property")
        .filter(|p| &src[p.byte_range()] == REDIRECT)?;
    Some(match authjs::fix(ctx, redirect)? {
        Ok(_) => Err(NoFix::new(
            PART_OF_CALLBACK_FIX,
            format!(
                "fixed together with the `{REDIRECT}` at line {}: one fix migrates the sign-in flow",
                ctx.line_of(redirect.start_byte())
            ),
        )),
        Err(e) => Err(e),
    })
}

/// `const name = <f>` where the statement declares only that name: the
/// name and the statement (a function held in a variable, as a success
/// callback passed by name or a relay target).
fn sole_declaration<'t>(f: Node<'t>, ctx: &FileCtx<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let d = ctx.up.of(f).filter(|p| p.kind() == "variable_declarator")?;
    let stmt = sole_declarator_statement(d, ctx)?;
    Some((d.child_by_field_name("name")?, stmt))
}

/// The `const`/`let`/`var` statement of declarator `d` when it declares
/// nothing else (removing or rewriting it touches no other name).
pub fn sole_declarator_statement<'t>(d: Node<'t>, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    ctx.up.of(d).filter(|s| {
        matches!(s.kind(), "lexical_declaration" | "variable_declaration")
            && syntax::named_children(*s)
                .iter()
                .filter(|c| c.kind() == "variable_declarator")
                .count()
                == 1
    })
}

/// This module's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] = &[("render-el-migration", |rule| {
    Box::new(RenderElMigration { rule })
})];

pub struct RenderElMigration {
    pub rule: usize,
}

const REDIRECT: &str = "setCookieAndRedirect";
const SESSION_TOKEN: &str = "sessionToken";

impl Check for RenderElMigration {
    fn on_match<'t>(&self, ctx: &FileCtx<'t>, m: &Captures<'t>, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        // OIE002: a `sessionToken` object key that goes nowhere near sign-in.
        if !super::session_token::key_is_reported(ctx, hit) {
            return;
        }
        // OIE002: `res.session.token` is the Classic result's session token
        // only on the success callback's own result (`req.session.token` of
        // a server, another object's `session.token`, stay silent).
        if &ctx.masked[hit.byte_range()] == "token" && !reads_result_session_token(ctx, hit) {
            return;
        }
        let rule = &Registry::get().rules[self.rule];
        let spec = rule.detect.query.get(m.spec);
        let mut finding = Finding::new(self.rule, hit.start_byte(), hit.end_byte());
        finding.severity = spec.and_then(|s| s.severity);
        finding.message = spec.and_then(|s| s.message.clone());
        finding.construct = super::session_token::construct_of(ctx, hit);
        let outcome = match Callback::enclosing(hit, ctx) {
            Some(cb) => {
                // One fix migrates the whole callback; it is computed once
                // per callback, carried by the callback's anchor, and the
                // callback's other hits say where it is (or why there is none).
                let migrated = migrate_callback(ctx, &cb);
                match cb.anchor(ctx.masked) {
                    Some(a) if a.start_byte() != hit.start_byte() => match migrated {
                        Ok(_) => Err(NoFix::new(
                            PART_OF_CALLBACK_FIX,
                            format!(
                                "fixed together with the `{}` at line {}: one fix migrates the whole success callback",
                                &ctx.source.text[a.byte_range()],
                                ctx.line_of(a.start_byte())
                            ),
                        )),
                        Err(e) => Err(e),
                    },
                    _ => migrated,
                }
            }
            None if !ctx.hosted => authjs::fix(ctx, hit)
                .or_else(|| redirect_token_arg(ctx, hit))
                .unwrap_or_else(|| {
                    Err(NoFix::new(
                        "unknown-shape",
                        "not in a `renderEl` success callback or an auth-js sign-in flow the migration knows; migrate it by hand",
                    ))
                }),
            None => Err(NoFix::new(
                "not-in-success-callback",
                "not in a `renderEl` success callback: the hosted migration passes `OktaUtil.completeLogin` to `renderEl`; move or remove this code by hand",
            )),
        };
        match outcome {
            Ok(fix) => finding.fix = Some(fix),
            Err(why) => {
                let base = finding
                    .message
                    .clone()
                    .unwrap_or_else(|| rule.message.clone());
                finding.message = Some(if why.code == PART_OF_CALLBACK_FIX {
                    format!("{base} ({})", why.reason)
                } else {
                    format!("{base} (no automatic fix: {})", why.reason)
                });
                finding.no_fix = Some(why);
            }
        }
        out.push(finding);
    }
}

/// The `no_fix_reason` code of a hit whose callback is migrated by the fix
/// on another hit of the same callback.
pub const PART_OF_CALLBACK_FIX: &str = "part-of-callback-fix";

/// The migration of one success callback, computed once per callback (its
/// hits share it).
fn migrate_callback<'t>(ctx: &FileCtx<'t>, cb: &Callback<'t>) -> Result<Fix, NoFix> {
    if let Some(done) = ctx.migrations.borrow().get(&cb.func.id()) {
        return done.clone();
    }
    // Rewriting a callback reads its whole body; with a `renderEl` nested
    // in every callback that read grew with the nesting for each finding
    // (quadratic). Such code needs its inner widget moved by hand anyway.
    let result = if cb.wrapper.is_some() && ctx.hosted {
        Err(NoFix::new(
            "promise-wrapper-hosted",
            "the success code runs in the `.then` of the page's own promise wrapper around `renderEl`: pass `OktaUtil.completeLogin` to `renderEl` by hand",
        ))
    } else if cb.body().is_some_and(|b| contains_render_el(ctx, b)) {
        Err(NoFix::new(
            "nested-render-el",
            "the success callback renders the widget again (a nested `renderEl`): move that first",
        ))
    } else if ctx.hosted {
        hosted::fix(ctx, cb)
    } else {
        embedded::fix(ctx, cb)
    };
    ctx.migrations
        .borrow_mut()
        .insert(cb.func.id(), result.clone());
    result
}

/// A `x.renderEl(options, success[, error])` call and its success function.
#[derive(Clone)]
pub struct Callback<'t> {
    pub call: Node<'t>,
    pub object: Node<'t>,
    pub property: Node<'t>,
    pub options: Node<'t>,
    /// The success argument as written (a function, a name, `this.onSuccess`).
    pub arg: Node<'t>,
    /// The success function itself (the same node as `arg` when inline).
    pub func: Node<'t>,
    pub error: Option<Node<'t>>,
    /// For a function passed by name: how it is declared and used.
    pub named: Option<Named<'t>>,
    /// For a function the success callback hands the result to whole
    /// (`function (res) { handle(res) }`): the relaying callback's
    /// parameter and the argument it passes.
    pub relay: Option<Relay<'t>>,
    /// For the `.then` callback of an app's own promise wrapper around
    /// `renderEl` (`renderWidget(el).then(function (res) {…})`): the
    /// wrapper function, and its name.
    pub wrapper: Option<(Node<'t>, String)>,
    /// Arguments bound before the result (`success.bind(this, options)`:
    /// one): the result is the parameter after them.
    pub bound: usize,
}

/// `function (res) { handle(res) }`: the success callback only relays the
/// result to `handle`, a function of the same file.
#[derive(Clone)]
pub struct Relay<'t> {
    /// The relaying callback's parameter (`res`).
    pub param: Node<'t>,
    /// The argument of the relayed call (`res` in `handle(res)`).
    pub arg: Node<'t>,
}

/// A success function declared apart from the `renderEl` call.
#[derive(Clone)]
pub struct Named<'t> {
    pub name: String,
    /// The whole declaration statement (`function success(res) {…}`,
    /// `var success = …;`, the method).
    pub decl: Node<'t>,
    /// References besides the one passed to `renderEl`.
    pub other_uses: usize,
}

pub fn is_function(n: Node) -> bool {
    matches!(
        n.kind(),
        "function_expression"
            | "function"
            | "arrow_function"
            | "function_declaration"
            | "method_definition"
    )
}

/// The `x.name` callee of `call` (a `member_expression` whose property is
/// `name`), or `None` for any other callee.
pub fn method_callee<'t>(call: Node<'t>, name: &str, src: &str) -> Option<Node<'t>> {
    let callee = call
        .child_by_field_name("function")
        .filter(|m| m.kind() == "member_expression")?;
    callee
        .child_by_field_name("property")
        .is_some_and(|p| &src[p.byte_range()] == name)
        .then_some(callee)
}

fn args_of(arguments: Node) -> Vec<Node> {
    syntax::named_children(arguments)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// `(object, property, args)` of a `x.renderEl(...)` call.
/// Whether a `renderEl` call of the file starts inside `node`.
fn contains_render_el(ctx: &FileCtx, node: Node) -> bool {
    let calls = ctx.render_el_calls();
    let first = calls.partition_point(|c| c.start_byte() < node.start_byte());
    calls
        .get(first)
        .is_some_and(|c| c.end_byte() <= node.end_byte())
}

fn render_el_call<'t>(call: Node<'t>, src: &str) -> Option<(Node<'t>, Node<'t>, Vec<Node<'t>>)> {
    if call.kind() != "call_expression" {
        return None;
    }
    let member = call
        .child_by_field_name("function")
        .filter(|m| m.kind() == "member_expression")?;
    let property = member.child_by_field_name("property")?;
    if &src[property.byte_range()] != "renderEl" {
        return None;
    }
    let args = args_of(call.child_by_field_name("arguments")?);
    if args.len() < 2 || args.len() > 3 {
        return None;
    }
    Some((member.child_by_field_name("object")?, property, args))
}

impl<'t> Callback<'t> {
    /// The `renderEl` success callback that contains `node`, if any.
    /// Looked for at most [`syntax::MAX_CLIMB`] levels up.
    pub fn enclosing(node: Node<'t>, ctx: &FileCtx<'t>) -> Option<Callback<'t>> {
        ctx.up
            .ancestors(node)
            .filter(|n| is_function(*n))
            .find_map(|n| {
                Self::inline(n, ctx).or_else(|| {
                    // Each function is looked up by name once per file.
                    if let Some(known) = ctx.named_callbacks.borrow().get(&n.id()) {
                        return known.clone();
                    }
                    let found = Self::by_name(n, ctx)
                        .or_else(|| Self::relayed(n, ctx))
                        .or_else(|| Self::wrapped(n, ctx));
                    ctx.named_callbacks
                        .borrow_mut()
                        .insert(n.id(), found.clone());
                    found
                })
            })
    }

    fn inline(f: Node<'t>, ctx: &FileCtx<'t>) -> Option<Callback<'t>> {
        let src = ctx.masked;
        let call = ctx
            .up
            .of(ctx.up.of(f).filter(|p| p.kind() == "arguments")?)?;
        let (object, property, args) = render_el_call(call, src)?;
        (args[1].id() == f.id()).then_some(Callback {
            call,
            object,
            property,
            options: args[0],
            arg: f,
            func: f,
            error: args.get(2).copied(),
            named: None,
            relay: None,
            wrapper: None,
            bound: 0,
        })
    }

    /// `function success(res) {…}` / `var success = function (res) {…}` /
    /// a method, passed as `renderEl(o, success)` / `renderEl(o, this.success)`
    /// / `renderEl(o, this.success.bind(this))` in the same file.
    fn by_name(f: Node<'t>, ctx: &FileCtx<'t>) -> Option<Callback<'t>> {
        let src = ctx.masked;
        let (name, decl, method) = match f.kind() {
            "function_declaration" => (f.child_by_field_name("name")?, f, false),
            "method_definition" => (f.child_by_field_name("name")?, f, true),
            _ => {
                let (name, stmt) = sole_declaration(f, ctx)?;
                (name, stmt, false)
            }
        };
        let name_text = &src[name.byte_range()];
        let refers = |arg: Node| -> bool {
            let arg = syntax::unwrap_expr(arg);
            if !method {
                return arg.kind() == "identifier" && &src[arg.byte_range()] == name_text
                    || bound_args(arg, src)
                        .is_some_and(|(f, _)| &src[f.byte_range()] == name_text);
            }
            // `this.name.bind(this)` → `this.name`.
            let arg = if arg.kind() == "call_expression" {
                match arg.child_by_field_name("function") {
                    Some(m)
                        if m.kind() == "member_expression"
                            && m.child_by_field_name("property")
                                .is_some_and(|p| &src[p.byte_range()] == "bind") =>
                    {
                        match m.child_by_field_name("object") {
                            Some(o) => o,
                            None => return false,
                        }
                    }
                    _ => return false,
                }
            } else {
                arg
            };
            arg.kind() == "member_expression"
                && arg
                    .child_by_field_name("object")
                    .is_some_and(|o| o.kind() == "this")
                && arg
                    .child_by_field_name("property")
                    .is_some_and(|p| &src[p.byte_range()] == name_text)
        };
        // The `renderEl` call it is passed to (the file's calls are indexed
        // once); only then are its other uses counted, by one walk.
        let mut cb = ctx.render_el_calls().iter().find_map(|&n| {
            let (object, property, args) = render_el_call(n, src)?;
            refers(args[1]).then(|| Callback {
                call: n,
                object,
                property,
                options: args[0],
                arg: args[1],
                func: f,
                error: args.get(2).copied(),
                named: None,
                relay: None,
                wrapper: None,
                // `success.bind(this, options)`: the result comes after the
                // bound arguments (issue 25, a jQuery plugin).
                bound: if method {
                    0
                } else {
                    bound_args(syntax::unwrap_expr(args[1]), src).map_or(0, |(_, k)| k)
                },
            })
        })?;
        let mut uses = 0usize;
        for unit in ctx.units {
            syntax::walk_containing(unit.tree.root_node(), src.as_bytes(), &[name_text], |n| {
                let t = &src[n.byte_range()];
                let is_ref = match n.kind() {
                    "identifier" => !method && t == name_text && n.id() != name.id(),
                    "property_identifier" => method && t == name_text && n.id() != name.id(),
                    _ => false,
                };
                if is_ref {
                    uses += 1;
                }
            });
        }
        cb.named = Some(Named {
            name: name_text.to_string(),
            decl,
            other_uses: uses.saturating_sub(1),
        });
        Some(cb)
    }

    /// `function handle(r) {…}` (or `var handle = function/arrow`) whose only
    /// use is `handle(res)`, the whole body of a `renderEl` success callback
    /// `function (res) { handle(res) }` (or `res => handle(res)`): `handle` is
    /// the success code, reached through the callback (issue 25). A method
    /// relayed to as `(res) => this.handle(res)` likewise (class components).
    fn relayed(f: Node<'t>, ctx: &FileCtx<'t>) -> Option<Callback<'t>> {
        let src = ctx.masked;
        let (name, decl) = match f.kind() {
            "function_declaration" | "method_definition" => (f.child_by_field_name("name")?, f),
            _ => sole_declaration(f, ctx)?,
        };
        let name_text = &src[name.byte_range()];
        let callee = if f.kind() == "method_definition" {
            // `this.handle(res)`, the method's only use in the file.
            let uses: Vec<Node> = ctx
                .property_uses(name_text)
                .into_iter()
                .filter(|x| x.id() != name.id())
                .collect();
            let [prop] = uses.as_slice() else {
                return None;
            };
            ctx.up.of(*prop).filter(|m| {
                m.kind() == "member_expression"
                    && m.child_by_field_name("object")
                        .is_some_and(|o| o.kind() == "this")
            })?
        } else {
            let uses: Vec<Node> = ctx
                .identifier_uses(name_text)
                .into_iter()
                .filter(|u| u.id() != name.id())
                .collect();
            let [callee] = uses.as_slice() else {
                return None;
            };
            *callee
        };
        let call = ctx
            .up
            .of(callee)
            .filter(|c| c.kind() == "call_expression")?;
        if call.child_by_field_name("function").map(|c| c.id()) != Some(callee.id()) {
            return None;
        }
        let [arg] = args_of(call.child_by_field_name("arguments")?)[..] else {
            return None;
        };
        if arg.kind() != "identifier" {
            return None;
        }
        // The call is a statement of the callback's body (on a hosted page,
        // where the callback goes, its whole body); the callback's other
        // statements neither read the result nor mention the Classic session.
        let parent = ctx.up.of(call)?;
        let (wrapper, others) = if is_function(parent) {
            (parent, Vec::new())
        } else {
            let block = ctx.up.of(parent).filter(|b| {
                parent.kind() == "expression_statement" && b.kind() == "statement_block"
            })?;
            let others: Vec<Node> = syntax::named_children(block)
                .into_iter()
                .filter(|n| {
                    n.id() != parent.id()
                        && !matches!(n.kind(), "comment" | "html_comment" | "empty_statement")
                })
                .collect();
            (ctx.up.of(block).filter(|w| is_function(*w))?, others)
        };
        if ctx.hosted && !others.is_empty() {
            return None;
        }
        let outer = Self::inline(wrapper, ctx)?;
        let param = outer.param().ok().flatten()?;
        let p = &src[param.byte_range()];
        if p != &src[arg.byte_range()] {
            return None;
        }
        let reads = |n: Node| {
            mentions_classic(n, src)
                || syntax::find(n, |x| x.kind() == "identifier" && &src[x.byte_range()] == p)
                    .is_some()
        };
        if others.iter().any(|o| reads(*o)) {
            return None;
        }
        Some(Callback {
            func: f,
            named: Some(Named {
                name: name_text.to_string(),
                decl,
                other_uses: 0,
            }),
            relay: Some(Relay { param, arg }),
            wrapper: None,
            ..outer
        })
    }

    /// The `.then` callback `f` of `renderWidget(…).then(f)` (or
    /// `manager.renderWidget(…)`), where `renderWidget` is a function or
    /// method of the same file, called only there, that returns
    /// `new Promise(function (resolve, reject) { w.renderEl(options, resolve, reject) })`:
    /// the app's own wrapper, so `f` receives the widget's result (issue 25).
    /// The widget must be a name of the file's top level, which `f` sees too.
    fn wrapped(f: Node<'t>, ctx: &FileCtx<'t>) -> Option<Callback<'t>> {
        let src = ctx.masked;
        let then_call = ctx
            .up
            .of(ctx.up.of(f).filter(|a| a.kind() == "arguments")?)?;
        let then = method_callee(then_call, "then", src)?;
        if args_of(then_call.child_by_field_name("arguments")?)
            .first()
            .map(|a| a.id())
            != Some(f.id())
        {
            return None;
        }
        let produced = syntax::unwrap_expr(then.child_by_field_name("object")?);
        let callee = produced
            .child_by_field_name("function")
            .filter(|_| produced.kind() == "call_expression")?;
        let (callee_name, method) = match callee.kind() {
            "identifier" => (&src[callee.byte_range()], false),
            "member_expression" => (
                &src[callee.child_by_field_name("property")?.byte_range()],
                true,
            ),
            _ => return None,
        };
        let wrappers = ctx.promise_wrappers.get_or_init(|| promise_wrappers(ctx));
        let [w] = wrappers.get(callee_name)?.as_slice() else {
            return None; // none, or two wrappers of that name
        };
        let (object, property, args) = render_el_call(w.call, src)?;
        // The widget must be reachable from `f`: a top-level name.
        if object.kind() != "identifier" || !declared_at_top(ctx, &src[object.byte_range()]) {
            return None;
        }
        let found = Some((
            Callback {
                call: w.call,
                object,
                property,
                options: args[0],
                arg: args[1],
                func: f,
                error: args.get(2).copied(),
                named: None,
                relay: None,
                wrapper: Some((w.func, callee_name.to_string())),
                bound: 0,
            },
            w.name,
        ));
        let (cb, name) = found?;
        // Called only here: another caller would get tokens instead of the result.
        let uses = if method {
            ctx.property_uses(callee_name)
                .into_iter()
                .chain(ctx.identifier_uses(callee_name))
                .filter(|x| x.id() != name.id())
                .count()
        } else {
            ctx.identifier_uses(callee_name)
                .into_iter()
                .filter(|u| u.id() != name.id())
                .count()
        };
        (uses == 1).then_some(cb)
    }

    /// The hit that carries the fix: the first `setCookieAndRedirect` of
    /// the callback, else its first `sessionToken`.
    pub fn anchor(&self, src: &str) -> Option<Node<'t>> {
        let body = self.body()?;
        let first =
            |name: &str| syntax::find(body, |n| is_name_node(n) && &src[n.byte_range()] == name);
        first(REDIRECT).or_else(|| first(SESSION_TOKEN))
    }

    pub fn body(&self) -> Option<Node<'t>> {
        self.func.child_by_field_name("body")
    }

    /// The single parameter (an identifier), `Ok(None)` when there is none,
    /// `Err` for destructuring or several parameters.
    #[allow(clippy::result_unit_err)]
    pub fn param(&self) -> Result<Option<Node<'t>>, ()> {
        if let Some(p) = self.func.child_by_field_name("parameter") {
            return if p.kind() == "identifier" {
                Ok(Some(p))
            } else {
                Err(())
            };
        }
        let params = self.func.child_by_field_name("parameters").ok_or(())?;
        let list: Vec<Node> = syntax::named_children(params)
            .into_iter()
            .filter(|n| n.kind() != "comment")
            .collect();
        // Bound arguments come first: the result is the one parameter after them.
        if self.bound > 0 && list.len() != self.bound + 1 {
            return Err(());
        }
        match &list[self.bound.min(list.len())..] {
            [] => Ok(None),
            [p] if p.kind() == "identifier" => Ok(Some(*p)),
            [p] if p.kind() == "required_parameter" => p
                .child_by_field_name("pattern")
                .filter(|n| n.kind() == "identifier")
                .map(Some)
                .ok_or(()),
            _ => Err(()),
        }
    }

    /// The edits that turn `renderEl(o, s, e)` into `METHOD(o).then(s).catch(e)`.
    pub fn chain_edits(&self, method: &str, text: &str) -> Vec<Edit> {
        let mut edits = Vec::new();
        // `renderEl(\n  options,` → `METHOD(options)`: no line break left inside the parentheses.
        if let Some(args) = self.call.child_by_field_name("arguments") {
            let gap = args.start_byte() + 1..self.options.start_byte();
            if text[gap.clone()].trim().is_empty() && text[gap.clone()].contains('\n') {
                edits.push(Edit {
                    start: gap.start,
                    end: gap.end,
                    replacement: String::new(),
                });
            }
        }
        edits.extend([
            Edit {
                start: self.property.start_byte(),
                end: self.property.end_byte(),
                replacement: method.to_string(),
            },
            Edit {
                start: self.options.end_byte(),
                end: self.arg.start_byte(),
                replacement: ").then(".into(),
            },
        ]);
        if let Some(e) = self.error {
            edits.push(Edit {
                start: self.arg.end_byte(),
                end: e.start_byte(),
                replacement: ").catch(".into(),
            });
        }
        let last = self.error.unwrap_or(self.arg);
        // The call's own `)` closes the last link. What lies between the
        // last argument and it (white space, a trailing comma) goes, unless
        // a line comment is there (or ends the argument, where the parser
        // may put it): then only the comma goes, or the `)` would land in
        // the comment (issue 25).
        let gap = last.end_byte()..self.call.end_byte();
        let commented = ends_with_comment(last) || text[gap.clone()].contains("//");
        if !commented {
            edits.push(Edit {
                start: gap.start,
                end: gap.end,
                replacement: ")".into(),
            });
        } else if let Some(comma) = self.call.child_by_field_name("arguments").and_then(|a| {
            let mut c = a.walk();
            let found = a
                .children(&mut c)
                .find(|n| n.kind() == "," && n.start_byte() >= last.end_byte());
            found
        }) {
            edits.push(Edit {
                start: comma.start_byte(),
                end: comma.end_byte(),
                replacement: String::new(),
            });
        }
        edits
    }
}

/// `f.bind(thisArg, a1, …)` with one or more bound arguments: `f` (a name)
/// and how many arguments are bound before the caller's.
fn bound_args<'t>(call: Node<'t>, src: &str) -> Option<(Node<'t>, usize)> {
    let m = call
        .child_by_field_name("function")
        .filter(|m| call.kind() == "call_expression" && m.kind() == "member_expression")?;
    if m.child_by_field_name("property")
        .is_none_or(|p| &src[p.byte_range()] != "bind")
    {
        return None;
    }
    let f = m
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")?;
    let n = args_of(call.child_by_field_name("arguments")?).len();
    (n >= 2).then_some((f, n - 1))
}

/// A function of the file that returns `new Promise(function (resolve,
/// reject) { w.renderEl(options, resolve, reject) })`.
#[derive(Clone, Copy)]
pub struct Wrapper<'t> {
    /// The `renderEl` call.
    pub call: Node<'t>,
    /// The wrapping function, and its name node.
    pub func: Node<'t>,
    pub name: Node<'t>,
}

/// The file's promise wrappers around `renderEl`, by name: one pass over
/// the file's `renderEl` calls (each `.then` callback then looks its
/// wrapper up, instead of walking every call again).
fn promise_wrappers<'t>(ctx: &FileCtx<'t>) -> std::collections::HashMap<String, Vec<Wrapper<'t>>> {
    let src = ctx.masked;
    let mut out: std::collections::HashMap<String, Vec<Wrapper<'t>>> = Default::default();
    for &rc in ctx.render_el_calls() {
        let Some((_, _, args)) = render_el_call(rc, src) else {
            continue;
        };
        let success = args[1];
        if success.kind() != "identifier" {
            continue;
        }
        // `new Promise(function (resolve, reject) { … })` around it.
        let Some(executor) = ctx.up.ancestors(rc).find(|n| is_function(*n)) else {
            continue;
        };
        let first_param = executor.child_by_field_name("parameter").or_else(|| {
            executor
                .child_by_field_name("parameters")
                .and_then(|ps| args_of(ps).first().copied())
                .map(|p| p.child_by_field_name("pattern").unwrap_or(p))
        });
        if first_param.is_none_or(|p| src[p.byte_range()] != src[success.byte_range()]) {
            continue;
        }
        let Some(new) = ctx
            .up
            .of(executor)
            .filter(|a| a.kind() == "arguments")
            .and_then(|a| ctx.up.of(a))
            .filter(|n| {
                n.kind() == "new_expression"
                    && n.child_by_field_name("constructor")
                        .is_some_and(|c| &src[c.byte_range()] == "Promise")
            })
        else {
            continue;
        };
        let Some(ret) = ctx
            .up
            .ancestors(new)
            .find(|n| !n.kind().ends_with("expression") || n.kind() == "expression_statement")
        else {
            continue;
        };
        let Some(func) = (match ret.kind() {
            "return_statement" => ctx.up.ancestors(ret).find(|n| is_function(*n)),
            _ => None,
        }) else {
            continue;
        };
        let name = match func.kind() {
            "function_declaration" | "method_definition" => func.child_by_field_name("name"),
            _ => ctx.up.of(func).and_then(|d| match d.kind() {
                "variable_declarator" => d.child_by_field_name("name"),
                "pair" => d.child_by_field_name("key"),
                _ => None,
            }),
        };
        if let Some(name) = name {
            out.entry(src[name.byte_range()].to_string())
                .or_default()
                .push(Wrapper {
                    call: rc,
                    func,
                    name,
                });
        }
    }
    out
}

/// Whether `name` is declared at the top level of one of the file's
/// scripts (a `var`/`let`/`const` or a function there).
fn declared_at_top(ctx: &FileCtx, name: &str) -> bool {
    let src = ctx.masked;
    ctx.top_level_names
        .get_or_init(|| {
            let mut names = std::collections::HashSet::new();
            for u in ctx.units {
                for s in syntax::named_children(u.tree.root_node()) {
                    match s.kind() {
                        "lexical_declaration" | "variable_declaration" => {
                            for d in syntax::named_children(s) {
                                if let Some(n) = (d.kind() == "variable_declarator")
                                    .then(|| d.child_by_field_name("name"))
                                    .flatten()
                                {
                                    names.insert(src[n.byte_range()].to_string());
                                }
                            }
                        }
                        "function_declaration" => {
                            if let Some(n) = s.child_by_field_name("name") {
                                names.insert(src[n.byte_range()].to_string());
                            }
                        }
                        _ => {}
                    }
                }
            }
            names
        })
        .contains(name)
}

/// Whether the rightmost descendant of `n` is a comment (the parser may
/// end a node with the comment that follows it). Bounded by the depth.
fn ends_with_comment(mut n: Node) -> bool {
    for _ in 0..syntax::MAX_CLIMB {
        if matches!(n.kind(), "comment" | "html_comment") {
            return true;
        }
        match n.child_count().checked_sub(1).and_then(|i| n.child(i)) {
            Some(c) => n = c,
            None => return false,
        }
    }
    false
}

/// What a condition on the sign-in result `p` is under Identity Engine,
/// where the success callback only ever sees a completed sign-in:
/// `p.status === 'SUCCESS'` and `p.type === 'SESSION_SSO'` hold, any other
/// status or type (`MFA_REQUIRED`, `PASSWORD_EXPIRED`, `SESSION_STEP_UP`, …)
/// does not. `p.session` is the Classic success guard (the widget's own
/// sample page: `if (res.session) { …setCookieAndRedirect… } else if
/// (Array.isArray(res)) { …OIDC tokens… }`): a Classic result has a
/// `session` exactly when the sign-in completed, so it holds like `SUCCESS`
/// and the OIDC branches, which a Classic config never reached, go.
/// `None` when the condition depends on anything else.
pub fn oie_truth(cond: Node, p: &str, src: &str) -> Option<bool> {
    let _level = crate::syntax::deeper()?;
    let cond = syntax::unwrap_expr(cond);
    match cond.kind() {
        // `if (res && res.status === 'SUCCESS')`: the result itself, and its
        // `status`/`tokens`, are always there on a completed sign-in
        // (issue 25). `res.user` is not, and stays unknown.
        "identifier" => (&src[cond.byte_range()] == p).then_some(true),
        // `['SUCCESS', 'MFA_REQUIRED'].includes(res.status)` (issue 25).
        "call_expression" => includes_result_field(cond, p, src),
        "member_expression" => {
            let obj = cond.child_by_field_name("object")?;
            let prop = &src[cond.child_by_field_name("property")?.byte_range()];
            (obj.kind() == "identifier"
                && &src[obj.byte_range()] == p
                && matches!(prop, "status" | "tokens" | "session"))
            .then_some(true)
        }
        "unary_expression" => {
            let op = cond.child_by_field_name("operator")?;
            if &src[op.byte_range()] != "!" {
                return None;
            }
            oie_truth(cond.child_by_field_name("argument")?, p, src).map(|b| !b)
        }
        "binary_expression" => {
            let op = &src[cond.child_by_field_name("operator")?.byte_range()];
            let left = cond.child_by_field_name("left")?;
            let right = cond.child_by_field_name("right")?;
            match op {
                "&&" => match oie_truth(left, p, src)? {
                    false => Some(false),
                    true => oie_truth(right, p, src),
                },
                "||" => match oie_truth(left, p, src)? {
                    true => Some(true),
                    false => oie_truth(right, p, src),
                },
                "===" | "==" | "!==" | "!=" => {
                    let (field, value) =
                        result_field(left, p, src)
                            .zip(string_value(right, src))
                            .or_else(|| result_field(right, p, src).zip(string_value(left, src)))?;
                    let holds = match field {
                        "status" => value == "SUCCESS",
                        _ => value == "SESSION_SSO",
                    };
                    Some(if op.starts_with('!') { !holds } else { holds })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `[…string literals].includes(p.status)` (or `p.type`): whether the
/// value Identity Engine gives (`'SUCCESS'`, `'SESSION_SSO'`) is listed.
fn includes_result_field(call: Node, p: &str, src: &str) -> Option<bool> {
    let callee = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_expression")?;
    if &src[callee.child_by_field_name("property")?.byte_range()] != "includes" {
        return None;
    }
    let list = syntax::unwrap_expr(callee.child_by_field_name("object")?);
    if list.kind() != "array" {
        return None;
    }
    let [arg] = args_of(call.child_by_field_name("arguments")?)[..] else {
        return None;
    };
    let field = result_field(arg, p, src)?;
    let wanted = if field == "status" {
        "SUCCESS"
    } else {
        "SESSION_SSO"
    };
    let mut found = false;
    for item in args_of(list) {
        found |= string_value(item, src)? == wanted;
    }
    Some(found)
}

/// `"status"` / `"type"` for `p.status` / `p.type`.
pub fn result_field<'s>(n: Node, p: &str, src: &'s str) -> Option<&'s str> {
    let n = syntax::unwrap_expr(n);
    if n.kind() != "member_expression" {
        return None;
    }
    let obj = n.child_by_field_name("object")?;
    let prop = &src[n.child_by_field_name("property")?.byte_range()];
    (obj.kind() == "identifier" && &src[obj.byte_range()] == p && matches!(prop, "status" | "type"))
        .then_some(prop)
}

/// The text of a plain string literal.
pub fn string_value<'s>(n: Node, src: &'s str) -> Option<&'s str> {
    let n = syntax::unwrap_expr(n);
    if n.kind() != "string" {
        return None;
    }
    let t = &src[n.byte_range()];
    t.get(1..t.len().checked_sub(1)?)
        .filter(|v| !v.contains('\\'))
}

/// Why a kept redirect target relied on the Okta session cookie that
/// `setCookieAndRedirect` created on the way (okta-oie.md §7.8: anything
/// relying on it is fragile), for the fix's description: the target is on
/// the Okta org (a `baseUrl`/`url`/`issuer` of the config, an Okta host),
/// an Okta app link (`/app/…/sso/…`, `/home/…`, `/app/UserHome`), a
/// RelayState or fromURI, or the page reads the Okta session
/// (`session.exists`/`session.get`). `None` when nothing shows it.
pub fn session_reliance(ctx: &FileCtx, target: Option<Node>) -> Option<String> {
    static ORG: OnceLock<Regex> = OnceLock::new();
    let org = ORG.get_or_init(|| {
        Regex::new(r"(?i-u)(\bbaseUrl\b|\borgUrl\b|\boktaDomain\b|\bissuer\b|\bconfig\.url\b|\b\w*okta\w*url\b|\b\w*sso\w*url\b|[\w-]+\.okta[\w-]*\.com)").unwrap()
    });
    static APP: OnceLock<Regex> = OnceLock::new();
    let app =
        APP.get_or_init(|| Regex::new(r#"(/app/[^'"`\s]*/sso/|/home/|/app/UserHome)"#).unwrap());
    static RELAY: OnceLock<Regex> = OnceLock::new();
    let relay = RELAY.get_or_init(|| Regex::new(r"(?i-u)(relay_?state|from_?uri)").unwrap());
    let src = ctx.masked;
    // Once per file: whether it reads the Okta session, and what each name
    // is declared with (asked for every redirect: a scan per redirect was
    // quadratic in redirects per file).
    let (reads_session, declared) = ctx.session_facts.get_or_init(|| {
        let mut declared: std::collections::HashMap<String, Vec<std::ops::Range<usize>>> =
            Default::default();
        for u in ctx.units {
            syntax::walk(u.tree.root_node(), |d| {
                if d.kind() != "variable_declarator" {
                    return;
                }
                if let (Some(n), Some(v)) = (
                    d.child_by_field_name("name"),
                    d.child_by_field_name("value"),
                ) {
                    if n.kind() == "identifier" {
                        declared
                            .entry(src[n.byte_range()].to_string())
                            .or_default()
                            .push(v.byte_range());
                    }
                }
            });
        }
        (
            src.contains("session.exists") || src.contains("session.get("),
            declared,
        )
    });
    if let Some(t) = target {
        // The target as written, and the values of the names it reads
        // (`var next = base + '/app/UserHome'`), one level deep.
        let mut texts = vec![&ctx.source.text[t.byte_range()]];
        syntax::walk(t, |n| {
            if n.kind() != "identifier" || texts.len() > 8 {
                return;
            }
            // Short values only (a URL expression, not a config object): a
            // long one read for every redirect would cost its length each time.
            for v in declared
                .get(&src[n.byte_range()])
                .into_iter()
                .flatten()
                .filter(|v| v.len() <= 512)
                .take(4)
            {
                texts.push(&ctx.source.text[v.clone()]);
            }
        });
        let shown = snippet(&ctx.source.text[t.byte_range()]);
        if texts.iter().any(|x| relay.is_match(x)) {
            return Some(format!("the target {shown} carries the RelayState or fromURI, which Okta resolves with the session"));
        }
        if texts.iter().any(|x| app.is_match(x)) {
            return Some(format!(
                "the target {shown} is an Okta app link or dashboard, which needs the Okta session"
            ));
        }
        if texts.iter().any(|x| org.is_match(x)) {
            return Some(format!(
                "the target {shown} is on the Okta org, which finds no session"
            ));
        }
    }
    if *reads_session {
        return Some(
            "this page reads the Okta session (`session.exists`/`session.get`), which finds none"
                .into(),
        );
    }
    None
}

/// The description's warning for [`session_reliance`] reasons.
pub fn session_warning(reasons: &[String]) -> String {
    if reasons.is_empty() {
        return String::new();
    }
    format!(
        "; warning: no Okta session cookie is created (`setCookieAndRedirect` made one on the way), and {}: where the browser blocks third-party cookies the user may be asked to sign in again",
        reasons.join("; ")
    )
}

/// One line of code for a message: the first line, shortened.
pub fn snippet(text: &str) -> String {
    let first = text.trim().lines().next().unwrap_or("").trim();
    let mut s: String = first.chars().take(60).collect();
    if s.len() < first.len() || text.trim().contains('\n') {
        s.push('…');
    }
    format!("`{s}`")
}

/// Whether `range` holds a template tag (masked in `ctx.masked`) other than
/// a template comment (`{{! … }}`, `{{!-- … --}}`, `<%-- … --%>`): removing
/// it would lose server-rendered content.
pub fn removes_placeholders(ctx: &FileCtx, range: std::ops::Range<usize>) -> bool {
    let text = &ctx.source.text[range.clone()];
    let masked = &ctx.masked.as_bytes()[range.clone()];
    if text.as_bytes() == masked {
        return false; // no template tag at all (always so outside templates)
    }
    static COMMENT: OnceLock<Regex> = OnceLock::new();
    let comment = COMMENT
        .get_or_init(|| Regex::new(r"(?s)\{\{!--.*?--\}\}|\{\{![^}]*\}\}|<%--.*?--%>").unwrap());
    let comments: Vec<(usize, usize)> = comment
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    text.bytes()
        .zip(masked)
        .enumerate()
        .any(|(i, (a, b))| a != *b && !comments.iter().any(|&(s, e)| s <= i && i < e))
}

/// Leading whitespace of the line `offset` is on, when only whitespace precedes it.
pub fn indent_at(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Leading whitespace of the line `offset` is on.
pub fn line_indent(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Applies `edits` that lie inside `range` to that slice of `text`.
pub fn render(text: &str, range: std::ops::Range<usize>, edits: &[Edit]) -> String {
    let mut inside: Vec<&Edit> = edits
        .iter()
        .filter(|e| e.start >= range.start && e.end <= range.end)
        .collect();
    inside.sort_by_key(|e| (e.start, e.end));
    let mut out = String::new();
    let mut at = range.start;
    for e in inside {
        if e.start < at {
            continue;
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

/// Removes `cols` columns of leading whitespace from every line but the first.
pub fn dedent(s: &str, cols: usize) -> String {
    s.split('\n')
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                return line.to_string();
            }
            let ws = line
                .chars()
                .take(cols)
                .take_while(|c| *c == ' ' || *c == '\t')
                .count();
            line[ws..].to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An edit that removes `node`: its whole line when it stands alone there.
pub fn remove_edit(text: &str, node: Node) -> Edit {
    let (start, end) = (node.start_byte(), node.end_byte());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let after = text[end..].find('\n').map(|i| end + i + 1);
    let alone = text[line_start..start].trim().is_empty()
        && after.is_some_and(|a| text[end..a].trim().is_empty());
    match (alone, after) {
        (true, Some(a)) => Edit {
            start: line_start,
            end: a,
            replacement: String::new(),
        },
        _ => Edit {
            start,
            end,
            replacement: String::new(),
        },
    }
}

/// Nodes whose text is a property or key name (where `setCookieAndRedirect`
/// and `sessionToken` show up as OIE001/OIE002 hits).
pub fn is_name_node(n: Node) -> bool {
    matches!(
        n.kind(),
        "property_identifier"
            | "string_fragment"
            | "shorthand_property_identifier_pattern"
            | "shorthand_property_identifier"
    )
}

/// Whether `node`'s subtree mentions the Classic redirect or session token.
pub fn mentions_classic(node: Node, src: &str) -> bool {
    syntax::find(node, |n| {
        is_name_node(n) && matches!(&src[n.byte_range()], REDIRECT | SESSION_TOKEN)
    })
    .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truth(cond: &str) -> Option<bool> {
        let code = format!("if ({cond}) {{}}");
        let tree = crate::parse::with_parsers(|p| {
            p.parse_js(crate::source::Dialect::JavaScript, &code, None)
        })
        .unwrap();
        let c = syntax::find(tree.root_node(), |n| n.kind() == "parenthesized_expression").unwrap();
        oie_truth(c, "res", &code)
    }

    #[test]
    fn conditions_under_identity_engine() {
        assert_eq!(truth("res.status === 'SUCCESS'"), Some(true));
        assert_eq!(truth("\"SUCCESS\" == res.status"), Some(true));
        assert_eq!(truth("res.status !== 'SUCCESS'"), Some(false));
        assert_eq!(truth("res.status === 'MFA_REQUIRED'"), Some(false));
        assert_eq!(truth("res.type === 'SESSION_STEP_UP'"), Some(false));
        assert_eq!(truth("res.type === 'SESSION_SSO'"), Some(true));
        assert_eq!(truth("!(res.status === 'SUCCESS')"), Some(false));
        assert_eq!(
            truth("res.status === 'LOCKED_OUT' || res.status === 'PASSWORD_EXPIRED'"),
            Some(false)
        );
        assert_eq!(truth("res.status === 'SUCCESS' && ok"), None);
        // Issue 25: the result and its status are there on every success.
        assert_eq!(truth("res && res.status === 'SUCCESS'"), Some(true));
        assert_eq!(truth("!res"), Some(false));
        assert_eq!(truth("res.tokens"), Some(true));
        // The Classic success guard of the widget's sample page.
        assert_eq!(truth("res.session"), Some(true));
        assert_eq!(truth("!res.session"), Some(false));
        assert_eq!(truth("res.session && res.status === 'SUCCESS'"), Some(true));
        assert_eq!(truth("res.session.token"), None);
        assert_eq!(truth("res.user && res.status === 'SUCCESS'"), None);
        assert_eq!(
            truth("['SUCCESS', 'MFA_REQUIRED'].includes(res.status)"),
            Some(true)
        );
        assert_eq!(truth("!['LOCKED_OUT'].includes(res.status)"), Some(true));
        assert_eq!(truth("['SESSION_STEP_UP'].includes(res.type)"), Some(false));
        assert_eq!(truth("[x, 'SUCCESS'].includes(res.status)"), None);
        assert_eq!(truth("list.includes(res.status)"), None);
        assert_eq!(truth("other.status === 'SUCCESS'"), None);
        assert_eq!(truth("res.status = 'SUCCESS'"), None);
        assert_eq!(truth("res.state === 'SUCCESS'"), None);
        assert_eq!(truth("res.status === x"), None);
    }

    #[test]
    fn dedents_following_lines() {
        assert_eq!(dedent("a\n    b\n  c", 2), "a\n  b\nc");
    }
}
