//! OIE001/OIE002 with the `renderEl` migration fixes.
//!
//! The check reports exactly what the rules' query patterns report (each
//! `@hit`, with the pattern's severity and message). When the hit sits in
//! the success callback of `x.renderEl(options, success, error)`, the first
//! such hit of the callback (a `setCookieAndRedirect` if there is one, else
//! a `sessionToken`) carries the migration:
//!
//! - Okta-hosted template: the callback becomes `OktaUtil.completeLogin`.
//!   Safe when it only did the classic thing (an optional
//!   `res.status === 'SUCCESS'` check, the redirect, console logging);
//!   unsafe otherwise, naming the logic it removes.
//! - Embedded widget: `x.showSignInToGetTokens(options).then(function (tokens)
//!   { … }).catch(error)`, keeping the success logic (`res.tokens` →
//!   `tokens`, status guards unwrapped, the redirect/session-token
//!   statements replaced by `x.authClient.tokenManager.setTokens(tokens)` and
//!   `x.remove()`). Unsafe. When the callback reads no `session`/
//!   `sessionToken` and the widget is 5.5 or later, the lower-risk
//!   `x.showSignIn(options).then(success).catch(error)` instead. When the
//!   callback reads its result in ways the rewrite cannot carry over
//!   (`res.user`, `res.type`, other statuses), no fix is offered.
//!
//! Edits are computed on node ranges and slices of the original text, so
//! template placeholders outside the rewritten spans stay byte for byte.

use super::{js, Captures, Check, FileCtx};
use crate::diagnostic::{Applicability, Edit, Finding, Fix};
use crate::rules::Registry;
use crate::versions::WidgetVersion;
use nodejs_semver::{Range, Version};
use regex::Regex;
use std::sync::OnceLock;
use tree_sitter::Node;

pub struct RenderElMigration {
    pub rule: usize,
}

const REDIRECT: &str = "setCookieAndRedirect";
const SESSION_TOKEN: &str = "sessionToken";

impl Check for RenderElMigration {
    fn on_match(&self, ctx: &FileCtx, m: &Captures, out: &mut Vec<Finding>) {
        let Some(hit) = m.get("hit") else { return };
        // OIE002: a `sessionToken` object key that goes nowhere near sign-in.
        if !super::session_token::key_is_reported(ctx, hit) {
            return;
        }
        let spec = Registry::get().rules[self.rule].detect.query.get(m.spec);
        let mut finding = Finding::new(self.rule, hit.start_byte(), hit.end_byte());
        finding.severity = spec.and_then(|s| s.severity);
        finding.message = spec.and_then(|s| s.message.clone());
        if let Some(cb) = Callback::enclosing(hit, ctx.masked) {
            if cb
                .anchor(ctx.masked)
                .is_some_and(|a| a.start_byte() == hit.start_byte())
            {
                finding.fix = if ctx.hosted {
                    hosted_fix(ctx, &cb)
                } else {
                    embedded_fix(ctx, &cb)
                };
            }
        }
        out.push(finding);
    }
}

/// A `x.renderEl(options, success[, error])` call and its parts.
struct Callback<'t> {
    call: Node<'t>,
    object: Node<'t>,
    property: Node<'t>,
    options: Node<'t>,
    success: Node<'t>,
    error: Option<Node<'t>>,
}

fn is_function(n: Node) -> bool {
    matches!(
        n.kind(),
        "function_expression" | "function" | "arrow_function"
    )
}

fn args_of(arguments: Node) -> Vec<Node> {
    js::named_children(arguments)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect()
}

impl<'t> Callback<'t> {
    /// The `renderEl` success callback that contains `node`, if any.
    fn enclosing(node: Node<'t>, src: &str) -> Option<Callback<'t>> {
        let mut cur = node.parent();
        while let Some(n) = cur {
            if is_function(n) {
                if let Some(cb) = Self::of_function(n, src) {
                    return Some(cb);
                }
            }
            cur = n.parent();
        }
        None
    }

    fn of_function(f: Node<'t>, src: &str) -> Option<Callback<'t>> {
        let arguments = f.parent().filter(|p| p.kind() == "arguments")?;
        let call = arguments
            .parent()
            .filter(|c| c.kind() == "call_expression")?;
        let member = call
            .child_by_field_name("function")
            .filter(|m| m.kind() == "member_expression")?;
        let property = member.child_by_field_name("property")?;
        if &src[property.byte_range()] != "renderEl" {
            return None;
        }
        let args = args_of(arguments);
        if args.len() < 2 || args.len() > 3 || args[1].id() != f.id() {
            return None;
        }
        Some(Callback {
            call,
            object: member.child_by_field_name("object")?,
            property,
            options: args[0],
            success: f,
            error: args.get(2).copied(),
        })
    }

    /// The hit that carries the fix: the first `setCookieAndRedirect` of
    /// the callback, else its first `sessionToken`.
    fn anchor(&self, src: &str) -> Option<Node<'t>> {
        let first = |name: &str| {
            js::find(self.success, |n| {
                is_name_node(n) && &src[n.byte_range()] == name
            })
        };
        first(REDIRECT).or_else(|| first(SESSION_TOKEN))
    }

    fn body(&self) -> Option<Node<'t>> {
        self.success.child_by_field_name("body")
    }

    /// The single parameter (an identifier), `Ok(None)` when there is none,
    /// `Err` for destructuring or several parameters.
    fn param(&self) -> Result<Option<Node<'t>>, ()> {
        if let Some(p) = self.success.child_by_field_name("parameter") {
            return if p.kind() == "identifier" {
                Ok(Some(p))
            } else {
                Err(())
            };
        }
        let params = self.success.child_by_field_name("parameters").ok_or(())?;
        let list: Vec<Node> = js::named_children(params)
            .into_iter()
            .filter(|n| n.kind() != "comment")
            .collect();
        match list.as_slice() {
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
    fn chain_edits(&self, method: &str, text: &str) -> Vec<Edit> {
        let mut edits = Vec::new();
        // `renderEl(\n  options,` → `METHOD(options)`: no line break left inside the parentheses.
        if let Some(args) = self.options.parent() {
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
                end: self.success.start_byte(),
                replacement: ").then(".into(),
            },
        ]);
        match self.error {
            Some(e) => {
                edits.push(Edit {
                    start: self.success.end_byte(),
                    end: e.start_byte(),
                    replacement: ").catch(".into(),
                });
                edits.push(Edit {
                    start: e.end_byte(),
                    end: self.call.end_byte(),
                    replacement: ")".into(),
                });
            }
            None => edits.push(Edit {
                start: self.success.end_byte(),
                end: self.call.end_byte(),
                replacement: ")".into(),
            }),
        }
        edits
    }
}

/// `(res.status === 'SUCCESS')` (also `==`, either side, any quotes).
/// Read by hand: a regex with identifier classes cost more to compile than
/// the rest of a one-file run.
fn is_status_check(cond: &str, param: Option<&str>) -> bool {
    let Some(inner) = cond
        .trim()
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
    else {
        return false;
    };
    let Some((left, right)) = inner.split_once("===").or_else(|| inner.split_once("==")) else {
        return false;
    };
    let name = match (status_of(left), status_of(right)) {
        (Some(n), None) if is_success(right) => n,
        (None, Some(n)) if is_success(left) => n,
        _ => return false,
    };
    param.is_none_or(|p| name == p)
}

/// `name` of `name.status` (spaces allowed around the dot).
fn status_of(side: &str) -> Option<&str> {
    let name = side
        .trim()
        .strip_suffix("status")?
        .trim_end()
        .strip_suffix('.')?
        .trim_end();
    let mut chars = name.chars();
    let first = chars.next()?;
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    (ident(first) && !first.is_numeric() && chars.all(ident)).then_some(name)
}

/// `'SUCCESS'` or `"SUCCESS"`.
fn is_success(side: &str) -> bool {
    let s = side.trim().as_bytes();
    s.len() == 9
        && matches!(s[0], b'\'' | b'"')
        && matches!(s[8], b'\'' | b'"')
        && &s[1..8] == b"SUCCESS"
}

/// `window.location`, `location.href`, `document.location.href`, …
fn is_location(node: Node, src: &str) -> bool {
    let t: String = src[node.byte_range()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.strip_prefix("window.").unwrap_or(&t);
    let t = t.strip_prefix("document.").unwrap_or(t);
    matches!(t, "location" | "location.href")
}

/// A statement the hosted default does anyway: the `setCookieAndRedirect`
/// redirect, the Classic session-token redirect (`window.location = …
/// sessionToken …`, `location.assign(…)`), or console logging.
fn is_classic_call(expr: Node, src: &str) -> bool {
    let expr = js::unwrap_expr(expr);
    let session_redirect = |value: Node| {
        let v = &src[value.byte_range()];
        v.contains(SESSION_TOKEN) || v.contains("session.token")
    };
    if expr.kind() == "assignment_expression" {
        return match (
            expr.child_by_field_name("left"),
            expr.child_by_field_name("right"),
        ) {
            (Some(l), Some(r)) => is_location(l, src) && session_redirect(r),
            _ => false,
        };
    }
    if expr.kind() != "call_expression" {
        return false;
    }
    if let Some(callee) = expr
        .child_by_field_name("function")
        .filter(|c| c.kind() == "member_expression")
    {
        let object = callee.child_by_field_name("object");
        let method = callee
            .child_by_field_name("property")
            .map(|p| &src[p.byte_range()]);
        let args = expr.child_by_field_name("arguments");
        if object.is_some_and(|o| is_location(o, src))
            && matches!(method, Some("assign" | "replace"))
            && args.is_some_and(session_redirect)
        {
            return true;
        }
    }
    let Some(callee) = expr.child_by_field_name("function") else {
        return false;
    };
    match callee.kind() {
        "member_expression" => {
            let prop = callee
                .child_by_field_name("property")
                .map(|p| &src[p.byte_range()]);
            let obj = callee
                .child_by_field_name("object")
                .map(|o| &src[o.byte_range()]);
            prop == Some(REDIRECT) || obj == Some("console")
        }
        "subscript_expression" => callee
            .child_by_field_name("index")
            .is_some_and(|i| src[i.byte_range()].contains(REDIRECT)),
        _ => false,
    }
}

/// Statements of a hosted callback that are not the classic thing.
fn custom_logic<'t>(node: Node<'t>, src: &str, param: Option<&str>, out: &mut Vec<Node<'t>>) {
    match node.kind() {
        "statement_block" => {
            for s in js::named_children(node) {
                custom_logic(s, src, param, out);
            }
        }
        "comment" | "empty_statement" => {}
        "expression_statement" => {
            if !node.named_child(0).is_some_and(|e| is_classic_call(e, src)) {
                out.push(node);
            }
        }
        "if_statement" => {
            let guard = node
                .child_by_field_name("condition")
                .is_some_and(|c| is_status_check(&src[c.byte_range()], param));
            match (
                guard,
                node.child_by_field_name("alternative"),
                node.child_by_field_name("consequence"),
            ) {
                (true, None, Some(body)) => custom_logic(body, src, param, out),
                _ => out.push(node),
            }
        }
        // An arrow function's expression body.
        _ if is_classic_call(node, src) => {}
        _ => out.push(node),
    }
}

/// One line of code for a message: the first line, shortened.
fn snippet(text: &str) -> String {
    let first = text.trim().lines().next().unwrap_or("").trim();
    let mut s: String = first.chars().take(60).collect();
    if s.len() < first.len() || text.trim().contains('\n') {
        s.push('…');
    }
    format!("`{s}`")
}

fn hosted_fix(ctx: &FileCtx, cb: &Callback) -> Option<Fix> {
    let src = ctx.masked;
    let param = cb.param().ok().flatten().map(|p| &src[p.byte_range()]);
    let mut custom = Vec::new();
    custom_logic(cb.body()?, src, param, &mut custom);
    let range = cb.success.byte_range();
    let placeholders = removes_placeholders(ctx, range.clone());
    let edit = Edit {
        start: range.start,
        end: range.end,
        replacement: "OktaUtil.completeLogin".into(),
    };
    let base = "Pass `OktaUtil.completeLogin` as the `renderEl` success callback, as Okta's default template does";
    if custom.is_empty() && !placeholders {
        return Some(Fix {
            applicability: Applicability::Safe,
            description: base.to_string(),
            edits: vec![edit],
        });
    }
    let mut removed: Vec<String> = custom
        .iter()
        .map(|n| snippet(&ctx.source.text[n.byte_range()]))
        .collect();
    if placeholders {
        removed.push("template placeholders inside the callback".into());
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        description: format!("{base}; removes custom logic: {}", removed.join("; ")),
        edits: vec![edit],
    })
}

/// Whether `range` holds a template tag (masked in `ctx.masked`) other than
/// a template comment (`{{! … }}`, `{{!-- … --}}`, `<%-- … --%>`): removing
/// it would lose server-rendered content.
fn removes_placeholders(ctx: &FileCtx, range: std::ops::Range<usize>) -> bool {
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

/// Whether the widget that governs the file is 5.5 or later for sure.
fn has_show_sign_in(ctx: &FileCtx) -> bool {
    let min = Version::parse("5.5.0").expect("literal");
    match ctx.widget_version() {
        WidgetVersion::Exact(v) => v >= min,
        WidgetVersion::Range { range, .. } => {
            !range.allows_any(&Range::parse("<5.5.0").expect("literal"))
        }
        WidgetVersion::Unknown => false,
    }
}

/// Leading whitespace of the line `offset` is on, when only whitespace precedes it.
fn indent_at(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn line_indent(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Applies `edits` that lie inside `range` to that slice of `text`.
fn render(text: &str, range: std::ops::Range<usize>, edits: &[Edit]) -> String {
    let mut inside: Vec<&Edit> = edits
        .iter()
        .filter(|e| e.start >= range.start && e.end <= range.end)
        .collect();
    inside.sort_by_key(|e| e.start);
    let mut out = String::new();
    let mut at = range.start;
    for e in inside {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

/// Removes `cols` columns of leading whitespace from every line but the first.
fn dedent(s: &str, cols: usize) -> String {
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

fn embedded_fix(ctx: &FileCtx, cb: &Callback) -> Option<Fix> {
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    if !matches!(
        cb.object.kind(),
        "identifier" | "member_expression" | "this"
    ) {
        return None;
    }
    let w = &text[cb.object.byte_range()];
    let param = cb.param().ok()?;
    let pname = param.map(|p| &src[p.byte_range()]);
    let body = cb.body()?;

    let mut uses_session = false;
    let mut tokens_taken = false;
    js::walk(body, |n| {
        let t = &src[n.byte_range()];
        match n.kind() {
            "property_identifier"
            | "shorthand_property_identifier_pattern"
            | "shorthand_property_identifier"
            | "string_fragment"
                if t == "session" || t == SESSION_TOKEN =>
            {
                uses_session = true
            }
            "identifier" if t == "tokens" => tokens_taken = true,
            _ => {}
        }
    });
    if !uses_session && has_show_sign_in(ctx) {
        return Some(Fix {
            applicability: Applicability::Unsafe,
            description: format!(
                "Replace `{w}.renderEl(options, success, error)` with `{w}.showSignIn(options).then(success).catch(error)` (widget 5.5+, same result shape)"
            ),
            edits: cb.chain_edits("showSignIn", text),
        });
    }
    if tokens_taken {
        return None;
    }

    // Semicolon style: that of the statement holding the call.
    let semi = match cb.call.parent() {
        Some(p) if p.kind() == "expression_statement" => {
            if text[p.byte_range()].trim_end().ends_with(';') {
                ";"
            } else {
                ""
            }
        }
        _ => ";",
    };
    let store = |indent: &str| {
        format!("{w}.authClient.tokenManager.setTokens(tokens){semi}\n{indent}{w}.remove(){semi}")
    };

    let mut leaf: Vec<Edit> = Vec::new();
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    if body.kind() != "statement_block" {
        // `res => res.session.setCookieAndRedirect(url)`: a block instead.
        let ind = line_indent(text, cb.call.start_byte());
        let inner = format!("{ind}  ");
        leaf.push(Edit {
            start: body.start_byte(),
            end: body.end_byte(),
            replacement: format!("{{\n{inner}{}\n{ind}}}", store(&inner)),
        });
        covered.push(body.byte_range());
    } else {
        // Statements that redirect or pass the session token.
        let mut stmts: Vec<Node> = Vec::new();
        js::walk(body, |n| {
            let t = &src[n.byte_range()];
            if is_name_node(n) && (t == REDIRECT || t == SESSION_TOKEN) {
                let mut s = n;
                while let Some(p) = s.parent() {
                    if p.kind() == "statement_block" {
                        break;
                    }
                    s = p;
                }
                if s.id() != body.id() && !stmts.iter().any(|x| x.id() == s.id()) {
                    stmts.push(s);
                }
            }
        });
        stmts.sort_by_key(|s| s.start_byte());
        // A replaced declaration (`const url = … sessionToken …`) would leave its uses dangling.
        if stmts.iter().any(|s| {
            matches!(
                s.kind(),
                "lexical_declaration"
                    | "variable_declaration"
                    | "function_declaration"
                    | "class_declaration"
            )
        }) {
            return None;
        }
        for (i, s) in stmts.iter().enumerate() {
            covered.push(s.byte_range());
            if removes_placeholders(ctx, s.byte_range()) {
                removed.push(snippet(&text[s.byte_range()]));
            }
            if i == 0 {
                let ind = indent_at(text, s.start_byte());
                leaf.push(Edit {
                    start: s.start_byte(),
                    end: s.end_byte(),
                    replacement: store(&ind),
                });
            } else {
                let line_start = text[..s.start_byte()].rfind('\n').map_or(0, |i| i + 1);
                let after = text[s.end_byte()..]
                    .find('\n')
                    .map(|i| s.end_byte() + i + 1);
                let alone = text[line_start..s.start_byte()].trim().is_empty()
                    && after.is_some_and(|a| text[s.end_byte()..a].trim().is_empty());
                match (alone, after) {
                    (true, Some(a)) => leaf.push(Edit {
                        start: line_start,
                        end: a,
                        replacement: String::new(),
                    }),
                    _ => leaf.push(Edit {
                        start: s.start_byte(),
                        end: s.end_byte(),
                        replacement: String::new(),
                    }),
                }
            }
        }
    }
    // `res.tokens` → `tokens`.
    if let Some(p) = pname {
        js::walk(body, |n| {
            if n.kind() == "member_expression" {
                let obj = n
                    .child_by_field_name("object")
                    .map(|o| &src[o.byte_range()]);
                let prop = n
                    .child_by_field_name("property")
                    .map(|o| &src[o.byte_range()]);
                if obj == Some(p)
                    && prop == Some("tokens")
                    && !covered
                        .iter()
                        .any(|c| c.start <= n.start_byte() && n.end_byte() <= c.end)
                {
                    leaf.push(Edit {
                        start: n.start_byte(),
                        end: n.end_byte(),
                        replacement: "tokens".into(),
                    });
                    covered.push(n.byte_range());
                }
            }
        });
    }
    // `if (res.status === 'SUCCESS') { … }` guards: unwrapped (the promise only resolves on success).
    let mut edits: Vec<Edit> = Vec::new();
    if body.kind() == "statement_block" {
        let mut guards: Vec<Node> = Vec::new();
        js::walk(body, |n| {
            if n.kind() == "if_statement"
                && n.parent().is_some_and(|p| p.kind() == "statement_block")
                && n.child_by_field_name("alternative").is_none()
                && n.child_by_field_name("consequence")
                    .is_some_and(|c| c.kind() == "statement_block")
                && n.child_by_field_name("condition")
                    .is_some_and(|c| is_status_check(&src[c.byte_range()], pname))
                && !guards
                    .iter()
                    .any(|g| g.start_byte() <= n.start_byte() && n.end_byte() <= g.end_byte())
            {
                guards.push(n);
            }
        });
        for g in &guards {
            let block = g.child_by_field_name("consequence")?;
            let inner = render(text, block.start_byte() + 1..block.end_byte() - 1, &leaf);
            let first = js::named_children(block).into_iter().next();
            let g_indent = indent_at(text, g.start_byte());
            let cols = first.map_or(0, |f| {
                line_indent(text, f.start_byte())
                    .len()
                    .saturating_sub(g_indent.len())
            });
            let dedented = dedent(&inner, cols);
            let body_text = dedented.trim_matches(|c: char| c.is_whitespace());
            let nested = guards.iter().any(|o| {
                o.id() != g.id() && g.start_byte() <= o.start_byte() && o.end_byte() <= g.end_byte()
            });
            if nested {
                return None;
            }
            edits.push(Edit {
                start: g.start_byte(),
                end: g.end_byte(),
                replacement: body_text.to_string(),
            });
            if let Some(c) = g.child_by_field_name("condition") {
                covered.push(c.byte_range());
            }
        }
        let in_guard = |e: &Edit| {
            guards
                .iter()
                .any(|g| g.start_byte() <= e.start && e.end <= g.end_byte())
        };
        edits.extend(leaf.iter().filter(|e| !in_guard(e)).cloned());
    } else {
        edits.extend(leaf);
    }
    // Any other use of the result (`res.user`, `res.status` elsewhere) cannot be carried over.
    if let Some(p) = pname {
        let mut stray = false;
        js::walk(body, |n| {
            if n.kind() == "identifier"
                && &src[n.byte_range()] == p
                && !covered
                    .iter()
                    .any(|c| c.start <= n.start_byte() && n.end_byte() <= c.end)
            {
                stray = true;
            }
        });
        if stray {
            return None;
        }
    }
    match param {
        Some(p) => edits.push(Edit {
            start: p.start_byte(),
            end: p.end_byte(),
            replacement: "tokens".into(),
        }),
        None => {
            let params = cb.success.child_by_field_name("parameters")?;
            edits.push(Edit {
                start: params.start_byte(),
                end: params.end_byte(),
                replacement: "(tokens)".into(),
            });
        }
    }
    edits.extend(cb.chain_edits("showSignInToGetTokens", text));
    edits.sort_by_key(|e| (e.start, e.end));
    let mut description = format!(
        "Replace `{w}.renderEl(...)` with `{w}.showSignInToGetTokens(...).then(...).catch(...)`: the success code now receives the tokens, stores them with `tokenManager.setTokens` and removes the widget instead of the Classic session redirect; review it"
    );
    if !removed.is_empty() {
        description.push_str(&format!(
            " (removes template placeholders in {})",
            removed.join("; ")
        ));
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        description,
        edits,
    })
}

/// Nodes whose text is a property or key name (where `setCookieAndRedirect`
/// and `sessionToken` show up as OIE001/OIE002 hits).
fn is_name_node(n: Node) -> bool {
    matches!(
        n.kind(),
        "property_identifier"
            | "string_fragment"
            | "shorthand_property_identifier_pattern"
            | "shorthand_property_identifier"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_checks() {
        assert!(is_status_check("(res.status === 'SUCCESS')", Some("res")));
        assert!(is_status_check("( \"SUCCESS\" == r.status )", Some("r")));
        assert!(!is_status_check("(res.status === 'SUCCESS')", Some("x")));
        assert!(!is_status_check(
            "(res.status === 'SUCCESS' && ok)",
            Some("res")
        ));
        assert!(is_status_check("(res . status==='SUCCESS')", None));
        assert!(is_status_check("($r.status === \"SUCCESS\")", Some("$r")));
        for not in [
            "res.status === 'SUCCESS'", // no parentheses
            "(res.status === 'FAILURE')",
            "(res.state === 'SUCCESS')",
            "(a.b.status === 'SUCCESS')", // not a plain name
            "(1res.status === 'SUCCESS')",
            "(res.status = 'SUCCESS')", // assignment
            "(res.status !== 'SUCCESS')",
            "('SUCCESS' === 'SUCCESS')",
            "(resstatus === 'SUCCESS')",
        ] {
            assert!(!is_status_check(not, None), "{not}");
        }
    }

    #[test]
    fn dedents_following_lines() {
        assert_eq!(dedent("a\n    b\n  c", 2), "a\n  b\nc");
    }
}
