//! The embedded migration: `w.renderEl(options, success, error)` becomes
//! `w.showSignInToGetTokens(options).then(function (tokens) { … }).catch(error)`.
//!
//! The success code is rewritten as it runs under Identity Engine, where
//! the promise resolves only on a completed sign-in:
//!
//! - every statement that redirected with the Classic session
//!   (`res.session.setCookieAndRedirect(url)`, a `sessionToken` redirect)
//!   stores the tokens (`w.authClient.tokenManager.setTokens(tokens)`),
//!   removes the widget and, where the code had a target, still goes there
//!   (`window.location.assign(url)`), on every path (each branch of an
//!   `if`/`else` gets its own);
//! - conditions on the result are decided as Identity Engine decides them
//!   (`res.status === 'SUCCESS'` holds, `MFA_REQUIRED`, `SESSION_STEP_UP` …
//!   do not): the branch that runs is kept (unwrapped), every other branch
//!   and `switch` case is removed and named in the description;
//! - `res.tokens` becomes `tokens`, Classic `res.user` reads become ID token
//!   claims (`res.user.profile.login` → `tokens.idToken.claims.preferred_username`).
//!
//! Anything the rewrite cannot carry over (an unmapped `res.user` read, a
//! declaration built from the session token, a widget config without a
//! `clientId`) leaves the finding without a fix and says why. For widget
//! 5.5+, when the callback reads no session, the lower-risk
//! `w.showSignIn(options).then(success).catch(error)` is offered instead.

use super::super::FileCtx;
use super::{
    dedent, indent_at, line_indent, mentions_classic, oie_truth, remove_edit, removes_placeholders,
    render, result_field, snippet, string_value, Callback, REDIRECT, SESSION_TOKEN,
};
use crate::diagnostic::{Applicability, Edit, Fix, NoFix};
use crate::syntax;
use crate::versions::WidgetVersion;
use nodejs_semver::{Range, Version};
use std::ops::Range as Span;
use tree_sitter::Node;

/// The names the migration gives the tokens, the first one the success
/// code does not use already.
const TOKEN_NAMES: [&str; 3] = ["tokens", "oktaTokens", "signInTokens"];

/// Classic `res.user` fields and the ID token claims that carry them.
pub const USER_CLAIMS: &[(&str, &str)] = &[
    ("id", "sub"),
    ("profile.login", "preferred_username"),
    ("profile.firstName", "given_name"),
    ("profile.lastName", "family_name"),
    ("profile.email", "email"),
    ("profile.locale", "locale"),
    ("profile.timeZone", "zoneinfo"),
];

/// The Classic `res.user` object as the ID token claims give it:
/// `{ id: tokens.idToken.claims.sub, profile: { login: …, … } }`.
pub fn user_object(tok: &str) -> String {
    let claim = |f: &str| {
        USER_CLAIMS
            .iter()
            .find(|(k, _)| *k == f)
            .map_or(String::new(), |(_, c)| format!("{tok}.idToken.claims.{c}"))
    };
    let profile: Vec<String> = USER_CLAIMS
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("profile."))
        .map(|k| format!("{k}: {}", claim(&format!("profile.{k}"))))
        .collect();
    format!(
        "{{ id: {}, profile: {{ {} }} }}",
        claim("id"),
        profile.join(", ")
    )
}

pub fn fix<'t>(ctx: &FileCtx<'t>, cb: &Callback<'t>) -> Result<Fix, NoFix> {
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    if !matches!(
        cb.object.kind(),
        "identifier" | "member_expression" | "this"
    ) {
        return Err(NoFix::new(
            "widget-not-named",
            "the widget is not a named object",
        ));
    }
    let w = &text[cb.object.byte_range()];
    // Read once per widget name and file: a file with many callbacks
    // walked the whole file for each.
    let key: String = src[cb.object.byte_range()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let cached = ctx.widget_configs.borrow().get(&key).copied();
    let oidc = match cached {
        Some(o) => o,
        None => {
            let o = widget_config(ctx, cb.object);
            ctx.widget_configs.borrow_mut().insert(key, o);
            o
        }
    };
    // A config without a `clientId` gets the OIDC app the user named
    // (`[fix]`, `--client-id`/`--redirect-uri`), never an invented one.
    let added = match &oidc {
        Oidc::Known {
            client_id: false, ..
        } => Some(oidc_keys(ctx, &oidc, w)?),
        _ => None,
    };
    if let Some(named) = &cb.named {
        if named.other_uses > 0 {
            return Err(NoFix::new(
                "success-function-shared",
                format!(
                    "the success function `{}` is also used elsewhere; rewriting it for the tokens would break those uses",
                    named.name
                ),
            ));
        }
    }
    let param = cb.param().map_err(|_| {
        NoFix::new(
            "callback-parameters",
            "the success callback destructures its argument or takes several",
        )
    })?;
    let pname = param.map(|p| &src[p.byte_range()]);
    let body = cb
        .body()
        .ok_or_else(|| NoFix::new("callback-no-body", "the success callback has no body"))?;

    let mut uses_session = false;
    let mut taken: Vec<&str> = Vec::new();
    syntax::walk(body, |n| {
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
            // `setCookieAndRedirect` reached without a `session` name
            // (`res[key]`, `getSession(res)`, a template tag) is a session
            // use too (issue 25: `showSignIn` kept the call); an app's own
            // helper of that name (`helpers.setCookieAndRedirect(url)`) is not.
            "property_identifier" | "string_fragment"
                if t == REDIRECT && reaches_result(n, body, pname, ctx) =>
            {
                uses_session = true
            }
            "identifier" if TOKEN_NAMES.contains(&t) => taken.push(t),
            _ => {}
        }
    });
    if !uses_session && has_show_sign_in(ctx) {
        let mut description = format!(
            "Replace `{w}.renderEl(options, success, error)` with `{w}.showSignIn(options).then(success).catch(error)` (widget 5.5+, same result shape)"
        );
        let mut edits = cb.chain_edits("showSignIn", text);
        if let Some(a) = &added {
            description.push_str(&a.description);
            edits.extend(a.edits.iter().cloned());
            edits.sort_by_key(|e| (e.start, e.end));
        }
        return Ok(Fix {
            applicability: Applicability::Unsafe,
            description,
            edits,
        });
    }
    // The tokens' name: `tokens`, unless the success code uses it already.
    let Some(tok) = TOKEN_NAMES.iter().copied().find(|n| !taken.contains(n)) else {
        return Err(NoFix::new(
            "tokens-name-taken",
            "the success code already uses the names `tokens`, `oktaTokens` and `signInTokens`",
        ));
    };

    // Semicolon style: that of the statement holding the call.
    let semi = match ctx.up.of(cb.call) {
        Some(p) if p.kind() == "expression_statement" => {
            if text[p.byte_range()].trim_end().ends_with(';') {
                ";"
            } else {
                ""
            }
        }
        _ => ";",
    };
    let mut rw = Rewrite {
        src,
        text,
        w,
        semi,
        tok,
        p: pname,
        expr_edits: Vec::new(),
        consumed: Vec::new(),
        removed: Vec::new(),
        logs: Vec::new(),
        navigations: Vec::new(),
        lost_navigations: Vec::new(),
        mapped: Vec::new(),
        guards: Vec::new(),
        session_reasons: Vec::new(),
        kept_targets: Vec::new(),
        ctx,
        in_place: renders_in_place(body, src),
    };
    rw.expressions(body)?;
    let mut edits = if body.kind() == "statement_block" {
        let top = rw.statement(body)?;
        rw.compose_edits(top)
    } else {
        // `res => res.session.setCookieAndRedirect(url)`: a block instead.
        let ind = line_indent(text, cb.call.start_byte());
        let inner = format!("{ind}  ");
        let store = if mentions_classic(body, src) {
            rw.consumed.push(body.byte_range());
            rw.store(body, &inner)
        } else {
            return Err(NoFix::new(
                "no-redirect",
                "the success callback does not redirect",
            ));
        };
        vec![Edit {
            start: body.start_byte(),
            end: body.end_byte(),
            replacement: format!("{{\n{inner}{store}\n{ind}}}"),
        }]
    };
    // Any other use of the result cannot be carried over.
    if let Some(p) = pname {
        let mut stray: Option<Node> = None;
        syntax::walk(body, |n| {
            if stray.is_none()
                && n.kind() == "identifier"
                && &src[n.byte_range()] == p
                && !rw
                    .consumed
                    .iter()
                    .any(|c| c.start <= n.start_byte() && n.end_byte() <= c.end)
            {
                stray = ctx.up.of(n).or(Some(n));
            }
        });
        if let Some(s) = stray {
            return Err(NoFix::new(
                "classic-result-read",
                format!(
                    "{} reads the Classic result in a way the tokens cannot replace",
                    snippet(&text[s.byte_range()])
                ),
            ));
        }
    }
    match param {
        Some(p) => edits.push(Edit {
            start: p.start_byte(),
            end: p.end_byte(),
            replacement: tok.into(),
        }),
        None => {
            let params = cb.func.child_by_field_name("parameters").ok_or_else(|| {
                NoFix::new(
                    "callback-parameters",
                    "the success callback has no parameter list",
                )
            })?;
            edits.push(Edit {
                start: params.start_byte(),
                end: params.end_byte(),
                replacement: format!("({tok})"),
            });
        }
    }
    edits.extend(cb.chain_edits("showSignInToGetTokens", text));
    if let Some(r) = &cb.relay {
        // `function (res) { handle(res) }` → `function (tokens) { handle(tokens) }`.
        for n in [r.param, r.arg] {
            edits.push(Edit {
                start: n.start_byte(),
                end: n.end_byte(),
                replacement: tok.into(),
            });
        }
    }
    if let Some(a) = &added {
        edits.extend(a.edits.iter().cloned());
    }
    // `this.signIn.renderEl(o, function (res) {…})`: the code the fix puts
    // in the callback reaches the widget as `this.signIn`, but a `function`
    // called by a promise has no `this`; bound to the caller's `this`, it
    // reaches the widget the call was made on.
    let binds = widget_root_is_this(cb.object)
        && cb.func.kind() != "arrow_function"
        && cb.relay.is_none()
        && cb.wrapper.is_none()
        && cb.arg.kind() != "call_expression";
    if binds {
        edits.push(Edit {
            start: cb.arg.end_byte(),
            end: cb.arg.end_byte(),
            replacement: ".bind(this)".into(),
        });
    }
    edits.sort_by_key(|e| (e.start, e.end));

    let mut description = format!(
        "Replace `{w}.renderEl(...)` with `{w}.showSignInToGetTokens(...).then(...).catch(...)`: the success code receives the tokens{}, stores them with `{w}.authClient.tokenManager.setTokens({tok})` and removes the widget instead of the Classic session redirect",
        if tok == "tokens" {
            String::new()
        } else {
            format!(" as `{tok}` (it uses the name `tokens` already)")
        }
    );
    if binds {
        description.push_str(&format!(
            "; binds the success function to `this` (`.bind(this)`): it reaches the widget as `{w}`, and a function called by a promise has no `this` of its own"
        ));
    }
    if !rw.navigations.is_empty() {
        description.push_str(&format!(
            "; keeps the navigation with `window.location.assign({})`",
            rw.navigations.join(")`, `window.location.assign(")
        ));
    }
    if rw.in_place && !rw.lost_navigations.is_empty() {
        description.push_str(&format!(
            "; no full-page navigation: the callback renders in place (client-side routing), so the redirect to {} is dropped",
            rw.lost_navigations.join(", ")
        ));
    } else if !rw.lost_navigations.is_empty() {
        description.push_str(&format!(
            "; the Classic session redirect {} has no Identity Engine equivalent and is dropped: the page stays where it is",
            rw.lost_navigations.join(", ")
        ));
    }
    if !rw.guards.is_empty() {
        description.push_str(&format!(
            "; reads {} as the Classic success guard (a Classic result has a `session` exactly when the sign-in completed; the tokens arrive only then)",
            rw.guards.join(", ")
        ));
    }
    description.push_str(&super::session_warning(&rw.session_reasons));
    if !rw.removed.is_empty() {
        description.push_str(&format!(
            "; removes what never runs under Identity Engine: {}",
            rw.removed.join("; ")
        ));
    }
    if !rw.logs.is_empty() {
        description.push_str(&format!(
            "; drops the console logging of the Classic result, which the tokens do not replace: {}",
            rw.logs.join(", ")
        ));
    }
    if let Some((wrapper, name)) = &cb.wrapper {
        description.push_str(&format!(
            "; `{name}` (line {}), the page's own promise wrapper around `renderEl`, now resolves with the tokens, which its `.then` callback receives",
            ctx.line_of(wrapper.start_byte())
        ));
    }
    if let (Some(r), Some(named)) = (&cb.relay, &cb.named) {
        description.push_str(&format!(
            "; the success callback hands the result to `{}` (line {}), whose code is rewritten there and now receives the tokens (`{}({tok})`)",
            named.name,
            ctx.line_of(cb.func.start_byte()),
            named.name
        ));
        let _ = r;
    }
    if !rw.mapped.is_empty() {
        description.push_str(&format!(
            "; reads the user from the ID token: {}",
            rw.mapped.join(", ")
        ));
    }
    match oidc {
        _ if added.is_some() => {
            description.push_str(&added.as_ref().expect("some").description);
        }
        Oidc::Known {
            redirect_uri: false,
            ..
        } => description.push_str(
            "; the widget config has no `redirectUri`: it defaults to the page's origin, which must be a sign-in redirect URI of the app",
        ),
        Oidc::Unknown => description.push_str(
            "; needs an OIDC widget config (`clientId`, `redirectUri`), not visible in this file",
        ),
        Oidc::Known { .. } => {}
    }
    // A placeholder inside a kept navigation target is not removed: it
    // moves into `window.location.assign(…)`.
    let removes = |r: &Span<usize>| {
        let mut at = r.start;
        let mut pieces = Vec::new();
        for t in rw
            .kept_targets
            .iter()
            .filter(|t| r.start <= t.start && t.end <= r.end)
        {
            pieces.push(at..t.start.max(at));
            at = at.max(t.end);
        }
        pieces.push(at..r.end);
        pieces
            .into_iter()
            .any(|p| p.start < p.end && removes_placeholders(ctx, p))
    };
    let placeholders: Vec<String> = rw
        .consumed
        .iter()
        .filter(|r| removes(r))
        .map(|r| snippet(&text[r.clone()]))
        .collect();
    if !placeholders.is_empty() {
        description.push_str(&format!(
            " (removes template placeholders in {})",
            placeholders.join("; ")
        ));
    }
    description.push_str("; review it");
    Ok(Fix {
        applicability: Applicability::Unsafe,
        description,
        edits,
    })
}

/// The rewrite of one success body.
struct Rewrite<'s, 'c> {
    src: &'s str,
    text: &'s str,
    w: &'s str,
    semi: &'static str,
    /// The name the tokens go by (`tokens` unless taken).
    tok: &'static str,
    p: Option<&'s str>,
    /// `res.tokens` → `tokens`, `res.user.…` → claims, anywhere in the body.
    expr_edits: Vec<Edit>,
    /// Ranges whose reads of the result are accounted for.
    consumed: Vec<Span<usize>>,
    /// Branches and cases that never run under OIE, by name.
    removed: Vec<String>,
    /// `console.log(res…)` statements dropped: they log the Classic result.
    logs: Vec<String>,
    /// Targets still navigated to.
    navigations: Vec<String>,
    /// Redirects that could not be kept, by name.
    lost_navigations: Vec<String>,
    /// `res.user.x` → claim, for the description.
    mapped: Vec<String>,
    /// `if (res.session)` conditions read as the Classic success guard.
    guards: Vec<String>,
    /// Ranges of the navigation targets the rewrite keeps.
    kept_targets: Vec<Span<usize>>,
    /// Why a kept target relied on the Okta session cookie.
    session_reasons: Vec<String>,
    ctx: &'s FileCtx<'c>,
    /// The callback routes client-side: no full-page navigation is added.
    in_place: bool,
}

impl Rewrite<'_, '_> {
    /// Collects the expression-level edits: `res.tokens`, `res.user.…`.
    fn expressions(&mut self, body: Node) -> Result<(), NoFix> {
        let Some(p) = self.p else { return Ok(()) };
        let src = self.src;
        let mut result = Ok(());
        syntax::preorder_with_parent(body, |n, parent| {
            if n.kind() != "member_expression" {
                return syntax::Step::Descend;
            }
            let chain = member_chain(n, src);
            let Some(rest) = chain.strip_prefix(p).and_then(|r| r.strip_prefix('.')) else {
                return syntax::Step::Descend;
            };
            if rest == "tokens" {
                self.edit_expr(n, self.tok.into());
                return syntax::Step::Skip;
            }
            if rest == "user" || rest.starts_with("user.") {
                // The longest chain is the outermost member expression
                // (the walk's parent says whether this one is extended).
                if parent.is_some_and(|p| extends(p, n)) {
                    return syntax::Step::Descend;
                }
                let field = rest.strip_prefix("user.").unwrap_or("");
                if field.is_empty() {
                    // `res.user` read whole: the Classic user object, built
                    // from the same claims (issue 25).
                    let object = user_object(self.tok);
                    let bare = parent.is_some_and(|p| {
                        matches!(p.kind(), "expression_statement" | "arrow_function")
                    });
                    self.note_mapped(format!(
                        "`{p}.user` → an object built from the ID token claims (`{{ id, profile: {{ login, firstName, lastName, email, locale, timeZone }} }}`, the same mapping as the field reads)"
                    ));
                    self.edit_expr(n, if bare { format!("({object})") } else { object });
                    return syntax::Step::Skip;
                }
                match USER_CLAIMS.iter().find(|(f, _)| *f == field) {
                    Some((_, claim)) => {
                        self.note_mapped(format!(
                            "`{p}.user.{field}` → `{}.idToken.claims.{claim}`",
                            self.tok
                        ));
                        self.edit_expr(n, format!("{}.idToken.claims.{claim}", self.tok));
                    }
                    None => {
                        if result.is_ok() {
                            result = Err(NoFix::new("unmapped-user-field", format!(
                                "`{p}.{rest}` has no ID token claim to map it to (mapped: `user.id`, `user.profile.login`, `firstName`, `lastName`, `email`, `locale`, `timeZone`)"
                            )));
                        }
                    }
                }
                return syntax::Step::Skip;
            }
            syntax::Step::Descend
        });
        result
    }

    /// Notes a mapping for the description, once.
    fn note_mapped(&mut self, m: String) {
        if !self.mapped.contains(&m) {
            self.mapped.push(m);
        }
    }

    fn edit_expr(&mut self, n: Node, replacement: String) {
        self.consumed.push(n.byte_range());
        self.expr_edits.push(Edit {
            start: n.start_byte(),
            end: n.end_byte(),
            replacement,
        });
    }

    /// The statement edits plus the expression edits outside them.
    fn compose_edits(&self, mut top: Vec<Edit>) -> Vec<Edit> {
        let extra: Vec<Edit> = self
            .expr_edits
            .iter()
            .filter(|e| !top.iter().any(|t| t.start <= e.start && e.end <= t.end))
            .cloned()
            .collect();
        top.extend(extra);
        top
    }

    /// `range` of the original with the statement edits and the
    /// expression edits inside it applied.
    fn compose(&self, range: Span<usize>, stmt_edits: Vec<Edit>) -> String {
        render(self.text, range, &self.compose_edits(stmt_edits))
    }

    /// [`Rewrite::compose`] of the statements `first..=last` of a block
    /// that moves: from the start of `first`'s line when only indentation
    /// precedes it, so an edit removing `first`'s whole line (a dropped log,
    /// issue 25: it was kept while described as dropped) applies, then
    /// without that leading indentation (the text goes where the `if` was).
    fn compose_lines(&self, first: Node, last: Node, stmt_edits: Vec<Edit>) -> String {
        let line_start = self.text[..first.start_byte()]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let start = if self.text[line_start..first.start_byte()].trim().is_empty() {
            line_start
        } else {
            first.start_byte()
        };
        // Likewise to the end of `last`'s line (a dropped last statement).
        let end = match self.text[last.end_byte()..].find('\n') {
            Some(i)
                if self.text[last.end_byte()..last.end_byte() + i]
                    .trim()
                    .is_empty() =>
            {
                last.end_byte() + i + 1
            }
            _ => last.end_byte(),
        };
        let rendered = self.compose(start..end, stmt_edits);
        rendered.trim().to_string()
    }

    /// Edits for one statement (and what it contains).
    fn statement(&mut self, n: Node) -> Result<Vec<Edit>, NoFix> {
        let Some(_level) = crate::syntax::deeper() else {
            // The file is then reported as nested too deeply, without findings.
            return Err(NoFix::new(
                "nested-too-deeply",
                "the callback is nested too deeply",
            ));
        };
        let src = self.src;
        match n.kind() {
            "statement_block" => {
                let mut edits = Vec::new();
                let mut stored = false;
                let children = syntax::named_children(n);
                // Statements after one that always leaves the block (a
                // `return`, or an `if`/`else` whose branches all return)
                // never ran: README samples pasted into apps keep the OIDC
                // code after the Classic redirect's `return`.
                let live = match children.iter().position(|c| always_exits(*c)) {
                    Some(i) => {
                        if let Some(dead) = self.dead_tail(children[i], &children[i + 1..])? {
                            edits.push(dead);
                        }
                        i + 1
                    }
                    None => children.len(),
                };
                for c in children.into_iter().take(live) {
                    if self.p.is_some_and(|p| logs_result(c, src, p)) && self.reads_unmapped(c) {
                        self.consumed.push(c.byte_range());
                        edits.push(remove_edit(self.text, c));
                        self.logs.push(snippet(&self.text[c.byte_range()]));
                        continue;
                    }
                    if is_leaf(c) && mentions_classic(c, src) {
                        if stored {
                            // A second redirect after the first never ran.
                            self.consumed.push(c.byte_range());
                            edits.push(remove_edit(self.text, c));
                            continue;
                        }
                        stored = true;
                    }
                    edits.extend(self.statement(c)?);
                }
                Ok(edits)
            }
            "if_statement" => self.if_statement(n),
            "switch_statement" => self.switch_statement(n),
            _ if is_leaf(n) => {
                if !mentions_classic(n, src) {
                    return Ok(Vec::new());
                }
                if matches!(
                    n.kind(),
                    "lexical_declaration"
                        | "variable_declaration"
                        | "function_declaration"
                        | "class_declaration"
                ) {
                    return Err(NoFix::new(
                        "classic-session-declaration",
                        format!(
                            "{} declares a value from the Classic session that the rest of the code uses",
                            snippet(&self.text[n.byte_range()])
                        ),
                    ));
                }
                self.consumed.push(n.byte_range());
                let ind = indent_at(self.text, n.start_byte());
                let store = self.store(n, &ind);
                // A lone statement of an `if`/`else` or a loop needs braces
                // for several (issue 25: a braceless loop body left the loop).
                // parent-ok: once per redirect statement the fix replaces.
                let braced = n.parent().is_some_and(|p| {
                    matches!(
                        p.kind(),
                        "if_statement"
                            | "else_clause"
                            | "for_statement"
                            | "for_in_statement"
                            | "while_statement"
                            | "do_statement"
                            | "labeled_statement"
                    )
                });
                let replacement = if braced && store.contains('\n') {
                    let one_line: Vec<&str> = store.split('\n').map(str::trim).collect();
                    format!("{{ {} }}", one_line.join(" "))
                } else {
                    store
                };
                Ok(vec![Edit {
                    start: n.start_byte(),
                    end: n.end_byte(),
                    replacement,
                }])
            }
            _ => {
                // Compound statements (`try`, loops, `else`): their parts.
                let mut edits = Vec::new();
                for c in syntax::named_children(n) {
                    if c.kind() == "statement_block"
                        || c.kind().ends_with("_statement")
                        || c.kind().ends_with("_clause")
                    {
                        edits.extend(self.statement(c)?);
                    } else if mentions_classic(c, src) {
                        return Err(NoFix::new(
                            "classic-session-in-condition",
                            format!(
                                "{} uses the Classic session inside a condition or loop header",
                                snippet(&self.text[n.byte_range()])
                            ),
                        ));
                    }
                }
                Ok(edits)
            }
        }
    }

    /// The edit removing the statements after `exit` (which always leaves
    /// the block), named in the description; comments on `exit`'s own line
    /// and after the last statement stay. No fix when the unreachable part
    /// declares a function or a `var` (hoisted: the name exists even there).
    fn dead_tail(&mut self, exit: Node, rest: &[Node]) -> Result<Option<Edit>, NoFix> {
        let text = self.text;
        let line_end = text[exit.end_byte()..]
            .find('\n')
            .map_or(text.len(), |i| exit.end_byte() + i);
        let mut start = exit.end_byte();
        let mut stmts: Vec<Node> = Vec::new();
        for c in rest {
            if matches!(c.kind(), "comment" | "html_comment") {
                if c.start_byte() < line_end && stmts.is_empty() {
                    start = c.end_byte();
                }
                continue;
            }
            stmts.push(*c);
        }
        let Some(last) = stmts.last() else {
            return Ok(None);
        };
        for s in &stmts {
            // Declarations of this function: nested functions are skipped
            // (a `var` there is theirs).
            let mut hoisted = None;
            syntax::preorder_with_parent(*s, |d, _| {
                if hoisted.is_some() {
                    return syntax::Step::Skip;
                }
                match d.kind() {
                    "function_declaration"
                    | "generator_function_declaration"
                    | "variable_declaration" => {
                        hoisted = Some(d);
                        syntax::Step::Skip
                    }
                    _ if super::is_function(d) || d.kind() == "class_body" => syntax::Step::Skip,
                    _ => syntax::Step::Descend,
                }
            });
            if let Some(h) = hoisted {
                return Err(NoFix::new(
                    "unreachable-declaration",
                    format!(
                        "{} is unreachable but declares a name for the whole function (hoisted); remove it by hand",
                        snippet(&text[h.byte_range()])
                    ),
                ));
            }
        }
        let range = start..last.end_byte();
        self.consumed.push(range.clone());
        let first = stmts[0];
        self.removed.push(format!(
            "the unreachable code after {} ({})",
            snippet(&text[exit.byte_range()]),
            snippet(&text[first.start_byte()..last.end_byte()])
        ));
        Ok(Some(Edit {
            start: range.start,
            end: range.end,
            replacement: String::new(),
        }))
    }

    /// Whether `n` reads the result other than through the mapped
    /// expressions (`res.user.profile.login` → a claim): a log of mapped
    /// fields keeps working and stays.
    fn reads_unmapped(&self, n: Node) -> bool {
        let Some(p) = self.p else { return false };
        let mut unmapped = false;
        syntax::walk(n, |i| {
            if i.kind() == "identifier"
                && &self.src[i.byte_range()] == p
                && !self
                    .expr_edits
                    .iter()
                    .any(|e| e.start <= i.start_byte() && i.end_byte() <= e.end)
            {
                unmapped = true;
            }
        });
        unmapped
    }

    /// What replaces a Classic redirect: store the tokens, remove the
    /// widget, go where the redirect went.
    fn store(&mut self, leaf: Node, indent: &str) -> String {
        let (w, semi) = (self.w, self.semi);
        let mut out = format!(
            "{w}.authClient.tokenManager.setTokens({}){semi}\n{indent}{w}.remove(){semi}",
            self.tok
        );
        if let Some(why) = super::session_reliance(self.ctx, redirect_target(leaf, self.src)) {
            if !self.session_reasons.contains(&why) {
                self.session_reasons.push(why);
            }
        }
        match redirect_target(leaf, self.src) {
            Some(url) if !self.in_place => {
                self.kept_targets.push(url.byte_range());
                let url = &self.text[url.byte_range()];
                self.navigations.push(url.to_string());
                out.push_str(&format!("\n{indent}window.location.assign({url}){semi}"));
            }
            Some(url) => self
                .lost_navigations
                .push(snippet(&self.text[url.byte_range()])),
            None => self
                .lost_navigations
                .push(snippet(&self.text[leaf.byte_range()])),
        }
        out
    }

    fn if_statement(&mut self, n: Node) -> Result<Vec<Edit>, NoFix> {
        let cond = n.child_by_field_name("condition");
        let cons = n.child_by_field_name("consequence");
        let alt = n.child_by_field_name("alternative").and_then(|a| {
            syntax::named_children(a)
                .into_iter()
                .find(|c| c.kind() != "comment")
        });
        let truth = match (cond, self.p) {
            (Some(c), Some(p)) => oie_truth(c, p, self.src),
            _ => None,
        };
        let Some(truth) = truth else {
            let mut edits = Vec::new();
            if cond.is_some_and(|c| mentions_classic(c, self.src)) {
                return Err(NoFix::new(
                    "classic-session-in-condition",
                    format!(
                        "{} tests the Classic session",
                        snippet(&self.text[n.byte_range()])
                    ),
                ));
            }
            for part in cons.into_iter().chain(alt) {
                edits.extend(self.statement(part)?);
            }
            return Ok(edits);
        };
        let cond = cond.expect("evaluated");
        self.consumed.push(cond.byte_range());
        if reads_field(cond, self.p.unwrap_or(""), "session", self.src) {
            let g = snippet(&format!("if {}", self.text[cond.byte_range()].trim()));
            if !self.guards.contains(&g) {
                self.guards.push(g);
            }
        }
        let cond_text = format!("if {}", self.text[cond.byte_range()].trim());
        let (kept, dropped, dropped_name) = if truth {
            (cons, alt, "the `else` branch".to_string())
        } else {
            (alt, cons, format!("the {} branch", snippet(&cond_text)))
        };
        if let Some(d) = dropped.filter(|d| has_code(*d)) {
            self.consumed.push(d.byte_range());
            // `else if (…)`: named as written, not as the inner `if`.
            let prefix = if truth && d.kind() == "if_statement" {
                "else "
            } else {
                ""
            };
            self.removed.push(format!(
                "{dropped_name} ({})",
                snippet(&format!("{prefix}{}", &self.text[d.byte_range()]))
            ));
        } else if let Some(d) = dropped {
            self.consumed.push(d.byte_range());
        }
        let replacement = match kept {
            Some(k) => self.unwrap(k, n)?,
            None => String::new(),
        };
        if replacement.trim().is_empty() {
            return Ok(vec![remove_edit(self.text, n)]);
        }
        Ok(vec![Edit {
            start: n.start_byte(),
            end: n.end_byte(),
            replacement,
        }])
    }

    /// The rewritten content of `kept` (a block's statements or one
    /// statement), indented as `outer` was.
    fn unwrap(&mut self, kept: Node, outer: Node) -> Result<String, NoFix> {
        let inner = self.statement(kept)?;
        if kept.kind() != "statement_block" {
            return Ok(self.compose(kept.byte_range(), inner));
        }
        let children: Vec<Node> = syntax::named_children(kept);
        let Some(first) = children.first() else {
            return Ok(String::new());
        };
        let last = children.last().expect("non-empty");
        let rendered = self.compose_lines(*first, *last, inner);
        Ok(self.reindent(&rendered, *first, outer))
    }

    /// Shifts text that started at `first` to the indentation of `outer`.
    fn reindent(&self, rendered: &str, first: Node, outer: Node) -> String {
        let o = indent_at(self.text, outer.start_byte()).len();
        let cols = line_indent(self.text, first.start_byte())
            .len()
            .saturating_sub(o);
        dedent(rendered, cols)
    }

    /// `switch (res.status)` / `switch (res.type)`: the case that runs
    /// under OIE (`'SUCCESS'` / `'SESSION_SSO'`, else `default`) is kept,
    /// the others are named and removed.
    fn switch_statement(&mut self, n: Node) -> Result<Vec<Edit>, NoFix> {
        let src = self.src;
        let value = n.child_by_field_name("value");
        let field = match (value, self.p) {
            (Some(v), Some(p)) => result_field(v, p, src),
            _ => None,
        };
        let body = n.child_by_field_name("body");
        let cases: Vec<Node> = body
            .map(|b| {
                syntax::named_children(b)
                    .into_iter()
                    .filter(|c| matches!(c.kind(), "switch_case" | "switch_default"))
                    .collect()
            })
            .unwrap_or_default();
        let Some(field) = field else {
            let mut edits = Vec::new();
            for c in &cases {
                for s in case_body(*c) {
                    edits.extend(self.statement(s)?);
                }
            }
            return Ok(edits);
        };
        let wanted = if field == "status" {
            "SUCCESS"
        } else {
            "SESSION_SSO"
        };
        let label = |c: Node| -> Option<&str> {
            c.child_by_field_name("value")
                .and_then(|v| string_value(v, src))
        };
        let chosen = cases
            .iter()
            .position(|c| label(*c) == Some(wanted))
            .or_else(|| cases.iter().position(|c| c.kind() == "switch_default"));
        self.consumed.push(n.byte_range());
        for (i, c) in cases.iter().enumerate() {
            if Some(i) != chosen {
                let name = match c.child_by_field_name("value") {
                    Some(v) => format!("`case {}`", self.text[v.byte_range()].trim()),
                    None => "`default`".to_string(),
                };
                if !case_body(*c).is_empty() {
                    self.removed.push(format!(
                        "the {name} branch of {}",
                        snippet(&self.text[n.byte_range()])
                    ));
                }
            }
        }
        let Some(chosen) = chosen else {
            return Ok(vec![remove_edit(self.text, n)]);
        };
        // Statements of the chosen case up to its `break` (falling through
        // empty cases into the next body).
        let mut stmts: Vec<Node> = Vec::new();
        for c in &cases[chosen..] {
            let b = case_body(*c);
            let ends = b.iter().position(|s| {
                matches!(
                    s.kind(),
                    "break_statement" | "return_statement" | "throw_statement"
                )
            });
            match ends {
                Some(i) => {
                    let keep = if b[i].kind() == "break_statement" {
                        i
                    } else {
                        i + 1
                    };
                    if b[i].kind() == "break_statement"
                        && b[i].child_by_field_name("label").is_some()
                    {
                        return Err(NoFix::new(
                            "switch-break",
                            "a labelled `break` in the `switch`",
                        ));
                    }
                    stmts.extend(&b[..keep]);
                    break;
                }
                None => stmts.extend(b),
            }
        }
        // A `break` nested inside the kept statements would now leave an
        // enclosing loop, or be a syntax error.
        let nested_break = stmts
            .iter()
            .any(|s| syntax::find(*s, |x| x.kind() == "break_statement").is_some());
        if nested_break {
            return Err(NoFix::new(
                "switch-break",
                "a `break` inside the `switch` branch that stays",
            ));
        }
        let (Some(first), Some(last)) = (stmts.first().copied(), stmts.last().copied()) else {
            return Ok(vec![remove_edit(self.text, n)]);
        };
        let mut inner = Vec::new();
        for s in &stmts {
            inner.extend(self.statement(*s)?);
        }
        let rendered = self.compose_lines(first, last, inner);
        let text = self.reindent(&rendered, first, n);
        Ok(vec![Edit {
            start: n.start_byte(),
            end: n.end_byte(),
            replacement: text,
        }])
    }
}

/// Whether statement `n` always leaves its block (`return`, `throw`,
/// `break`, `continue`, a block that does, an `if` whose both branches do).
fn always_exits(n: Node) -> bool {
    let Some(_level) = crate::syntax::deeper() else {
        return false;
    };
    match n.kind() {
        "return_statement" | "throw_statement" | "break_statement" | "continue_statement" => true,
        "statement_block" => syntax::named_children(n).into_iter().any(always_exits),
        "else_clause" => syntax::named_children(n)
            .into_iter()
            .find(|c| !matches!(c.kind(), "comment" | "html_comment"))
            .is_some_and(always_exits),
        "if_statement" => {
            n.child_by_field_name("consequence")
                .is_some_and(always_exits)
                && n.child_by_field_name("alternative")
                    .is_some_and(always_exits)
        }
        _ => false,
    }
}

/// Whether the widget object is reached through `this` (`this.signIn`).
fn widget_root_is_this(mut n: Node) -> bool {
    for _ in 0..syntax::MAX_CLIMB {
        match n.kind() {
            "this" => return true,
            "member_expression" => match n.child_by_field_name("object") {
                Some(o) => n = o,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Whether `cond` reads `p.field` (`res.session` in `if (res.session && …)`).
fn reads_field(cond: Node, p: &str, field: &str, src: &str) -> bool {
    syntax::find(cond, |n| {
        n.kind() == "member_expression"
            && n.child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && &src[o.byte_range()] == p)
            && n.child_by_field_name("property")
                .is_some_and(|f| &src[f.byte_range()] == field)
    })
    .is_some()
}

/// Statements of a `case`/`default` (comments left out).
fn case_body(c: Node) -> Vec<Node> {
    let mut cur = c.walk();
    let value = c.child_by_field_name("value").map(|v| v.id());
    c.named_children(&mut cur)
        .filter(|n| Some(n.id()) != value && n.kind() != "comment")
        .collect()
}

/// A statement that is rewritten as a whole, not looked into.
/// `console.log(…)` (or `info`, `debug`, `warn`, `error`, `dir`, `table`,
/// `trace`) as a statement whose arguments read the result `p` and do
/// nothing else: no call, `new`, assignment, update, `await` or `yield`,
/// so dropping it drops only the log (real sign-in pages log the Classic
/// result before redirecting: `console.log('status ' + res.status)`).
pub fn logs_result(stmt: Node, src: &str, p: &str) -> bool {
    let Some(call) = stmt
        .named_child(0)
        .filter(|c| stmt.kind() == "expression_statement" && c.kind() == "call_expression")
    else {
        return false;
    };
    let (Some(callee), Some(args)) = (
        call.child_by_field_name("function"),
        call.child_by_field_name("arguments"),
    ) else {
        return false;
    };
    let is_console = callee.kind() == "member_expression"
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| o.kind() == "identifier" && &src[o.byte_range()] == "console")
        && callee.child_by_field_name("property").is_some_and(|m| {
            matches!(
                &src[m.byte_range()],
                "log" | "info" | "debug" | "warn" | "error" | "dir" | "table" | "trace"
            )
        });
    if !is_console {
        return false;
    }
    let (mut reads, mut effects) = (false, false);
    syntax::walk(args, |n| match n.kind() {
        "identifier" if &src[n.byte_range()] == p => reads = true,
        // `JSON.stringify(res)`: serialising the plain result object for
        // the log reads it and does nothing else.
        "call_expression"
            if n.child_by_field_name("function")
                .is_some_and(|f| &src[f.byte_range()] == "JSON.stringify") => {}
        "call_expression"
        | "new_expression"
        | "assignment_expression"
        | "augmented_assignment_expression"
        | "update_expression"
        | "await_expression"
        | "yield_expression" => effects = true,
        _ => {}
    });
    reads && !effects
}

fn is_leaf(n: Node) -> bool {
    !matches!(
        n.kind(),
        "statement_block"
            | "if_statement"
            | "switch_statement"
            | "try_statement"
            | "for_statement"
            | "for_in_statement"
            | "while_statement"
            | "do_statement"
            | "labeled_statement"
            | "else_clause"
            | "comment"
            | "html_comment"
    )
}

/// Whether a branch holds anything but comments and empty statements.
fn has_code(n: Node) -> bool {
    match n.kind() {
        "comment" | "html_comment" | "empty_statement" => false,
        "statement_block" | "else_clause" => syntax::named_children(n).into_iter().any(has_code),
        _ => true,
    }
}

/// The URL a Classic redirect statement went to: the argument of
/// `x.setCookieAndRedirect(url)` (the widget's session form; auth-js's
/// `session.setCookieAndRedirect(token, url)` has it second).
fn redirect_target<'t>(leaf: Node<'t>, src: &str) -> Option<Node<'t>> {
    let call = syntax::find(leaf, |n| {
        n.kind() == "call_expression"
            && n.child_by_field_name("function").is_some_and(|f| {
                let name = match f.kind() {
                    "member_expression" => f.child_by_field_name("property"),
                    "subscript_expression" => f.child_by_field_name("index"),
                    _ => None,
                };
                name.is_some_and(|p| src[p.byte_range()].contains(REDIRECT))
            })
    })?;
    let args: Vec<Node> = syntax::named_children(call.child_by_field_name("arguments")?)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    let callee = &src[call.child_by_field_name("function")?.byte_range()];
    match args.as_slice() {
        [url] => Some(*url),
        [_, url, ..] if callee.contains("session") => Some(*url),
        _ => None,
    }
}

/// Whether the callback routes client-side (a single-page app that renders
/// in place): `history.push`, `router.push`, `navigate(…)`, `this.$router`.
fn renders_in_place(body: Node, src: &str) -> bool {
    syntax::find(body, |n| {
        if n.kind() != "call_expression" {
            return false;
        }
        let Some(f) = n.child_by_field_name("function") else {
            return false;
        };
        // The callee's last 256 bytes: every router call is far shorter,
        // and a callee thousands of calls long (`a.b().b()…`) is asked
        // once per call in it, so reading it whole was quadratic.
        let text = &src[f.byte_range()];
        let mut from = text.len().saturating_sub(256);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let t: String = text[from..]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        t == "navigate"
            || t.ends_with("history.push")
            || t.ends_with("router.push")
            || t.ends_with("router.navigate")
            || t.ends_with("router.navigateByUrl")
            || t.contains("$router.")
    })
    .is_some()
}

/// The longest member chain [`member_chain`] reads: the chains the rewrite
/// looks for (`res.tokens`, `res.user.email`) are three names long.
const MAX_CHAIN: usize = 8;

/// `a.b.c` for a member chain of plain names (empty otherwise, and for a
/// chain longer than [`MAX_CHAIN`]). Iterative and bounded: it is asked of
/// every member expression, and a chain may be thousands of members long.
fn member_chain(n: Node, src: &str) -> String {
    let mut names = Vec::new();
    let mut n = n;
    loop {
        if names.len() > MAX_CHAIN {
            return String::new();
        }
        match n.kind() {
            "identifier" => {
                names.push(&src[n.byte_range()]);
                break;
            }
            "member_expression" => {
                let (Some(o), Some(p)) = (
                    n.child_by_field_name("object"),
                    n.child_by_field_name("property"),
                ) else {
                    return String::new();
                };
                if p.kind() != "property_identifier" {
                    return String::new();
                }
                names.push(&src[p.byte_range()]);
                n = o;
            }
            _ => return String::new(),
        }
    }
    names.reverse();
    names.join(".")
}

/// Whether `p` is `n.name`: a longer member chain with `n` as its object.
fn extends(p: Node, n: Node) -> bool {
    p.kind() == "member_expression"
        && p.child_by_field_name("object")
            .is_some_and(|o| o.id() == n.id())
        && p.child_by_field_name("property")
            .is_some_and(|x| x.kind() == "property_identifier")
}

/// What the file shows of the widget's OIDC config.
#[derive(Clone, Copy)]
pub enum Oidc<'t> {
    Known {
        client_id: bool,
        redirect_uri: bool,
        issuer: bool,
        /// `useInteractionCodeFlow` is set (to anything).
        opt_in: bool,
        /// The object literal that reaches `new OktaSignIn(...)`, when it
        /// is certainly that one (inline, or a variable declared once and
        /// never reassigned): where missing keys may be added.
        object: Option<Node<'t>>,
    },
    Unknown,
}

/// Keys the migration adds to a widget config without a `clientId`.
struct AddedKeys {
    edits: Vec<Edit>,
    /// `; adds … to the widget config …`, for the fix's description.
    description: String,
}

/// The OIDC keys from the fix inputs for a config without a `clientId`,
/// or why they cannot be added.
fn oidc_keys(ctx: &FileCtx, oidc: &Oidc, w: &str) -> Result<AddedKeys, NoFix> {
    let Oidc::Known {
        redirect_uri,
        issuer,
        opt_in,
        object,
        ..
    } = oidc
    else {
        unreachable!("only called for a known config");
    };
    let inputs = &ctx.settings.fix_inputs;
    let needs = "`showSignInToGetTokens`/`showSignIn` need an OIDC app with the Interaction Code grant and PKCE";
    let Some(client_id) = &inputs.client_id else {
        let both = if *redirect_uri {
            "`client-id` in the `[fix]` table of oie-lint.toml (or `--client-id <ID>`)"
        } else {
            "`client-id` and `redirect-uri` in the `[fix]` table of oie-lint.toml (or `--client-id <ID> --redirect-uri <URL>`)"
        };
        return Err(NoFix::new(
            "no-client-id",
            format!(
                "the widget config has no `clientId`: {needs}; set {both} to have the fix add it, or add `clientId` and `redirectUri` to `new OktaSignIn(...)` yourself, then migrate `{w}.renderEl`"
            ),
        ));
    };
    if !*redirect_uri && inputs.redirect_uri.is_none() {
        return Err(NoFix::new(
            "no-redirect-uri",
            "the widget config has no `clientId` or `redirectUri`, and only `client-id` is given: set `redirect-uri` in the `[fix]` table of oie-lint.toml (or `--redirect-uri <URL>`), a sign-in redirect URI of that app",
        ));
    }
    let Some(object) = object else {
        return Err(NoFix::new(
            "config-not-literal",
            "the widget config has no `clientId` and is not one object literal the fix can add it to (a variable declared or assigned more than once): add `clientId` and `redirectUri` by hand",
        ));
    };
    if !super::super::interaction_code_flow::end_is_readable(*object) {
        return Err(NoFix::new(
            "config-syntax-error",
            "the widget config has no `clientId`, and its object literal has a syntax error the fix cannot add keys past",
        ));
    }
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    let quote = string_quote(*object, text);
    let mut keys: Vec<(&str, String)> = vec![("clientId", js_string(client_id, quote))];
    if !*redirect_uri {
        let uri = inputs.redirect_uri.as_deref().expect("checked above");
        keys.push(("redirectUri", js_string(uri, quote)));
    }
    if let (false, Some(i)) = (*issuer, &inputs.issuer) {
        keys.push(("issuer", js_string(i, quote)));
    }
    let need =
        crate::versions::interaction_code_opt_in(&ctx.widget_version(), &ctx.settings.thresholds);
    if !*opt_in && need != crate::versions::OptInNeed::NotNeeded {
        keys.push(("useInteractionCodeFlow", "true".into()));
    }
    let entries: Vec<String> = keys.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
    let edits = super::super::interaction_code_flow::insert_keys(text, src, *object, &entries);
    if edits.is_empty() {
        return Err(NoFix::new(
            "config-not-literal",
            "the widget config has no `clientId`, and its object literal holds only comments the fix would write into: add `clientId` and `redirectUri` by hand",
        ));
    }
    let shown: Vec<String> = keys.iter().map(|(k, v)| format!("`{k}: {v}`")).collect();
    Ok(AddedKeys {
        edits,
        description: format!(
            "; adds {} to the widget config (from the `[fix]` config or `--client-id`/`--redirect-uri`): the app must have the Interaction Code grant and PKCE, list that redirect URI, and the authorization server must allow the Interaction Code grant",
            shown.join(", ")
        ),
    })
}

/// The quote character the object's string values use (`'` when none).
pub fn string_quote(object: Node, text: &str) -> char {
    let mut q = None;
    syntax::walk(object, |n| {
        if q.is_none() && n.kind() == "string" {
            q = text[n.byte_range()].chars().next();
        }
    });
    q.filter(|c| *c == '"' || *c == '\'').unwrap_or('\'')
}

/// `v` as a JavaScript string literal in `quote`s: backslashes, quotes and
/// line breaks escaped, and `<` too (a `</script>` or `<!--` inside an HTML
/// page's script would end or change it).
pub fn js_string(v: &str, quote: char) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push(quote);
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            '<' => out.push_str("\\x3C"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Finds `w = new OktaSignIn(config)` for the widget object `w` and reads
/// its literal config (inline, or a variable of the file).
fn widget_config<'t>(ctx: &FileCtx<'t>, object: Node<'t>) -> Oidc<'t> {
    client_config(ctx, object, "OktaSignIn")
}

/// Finds `x = new <ctor>(config)` (`OktaSignIn`, `OktaAuth`) for the
/// object `x` (also a class field `x = new …` for `this.x`) and reads its
/// literal config (inline, or a variable of the file).
pub fn client_config<'t>(ctx: &FileCtx<'t>, object: Node<'t>, ctor: &str) -> Oidc<'t> {
    let src = ctx.masked;
    let w: String = src[object.byte_range()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut config: Option<Node> = None;
    let same = |n: Node| {
        src[n.byte_range()]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            == w
    };
    for u in ctx.units {
        syntax::walk(u.tree.root_node(), |n| {
            if config.is_some() {
                return;
            }
            let (named, v) = match n.kind() {
                // `private authClient = new OktaAuth({…})` for `this.authClient`.
                "public_field_definition" | "field_definition" => {
                    let (Some(p), Some(v)) = (
                        n.child_by_field_name("property")
                            .or_else(|| n.child_by_field_name("name")),
                        n.child_by_field_name("value"),
                    ) else {
                        return;
                    };
                    (w == format!("this.{}", &src[p.byte_range()]), v)
                }
                _ => {
                    let Some((t, v)) = syntax::binding(n) else {
                        return;
                    };
                    (same(t), v)
                }
            };
            let v = syntax::unwrap_expr(v);
            if !named || v.kind() != "new_expression" {
                return;
            }
            let is_widget = v
                .child_by_field_name("constructor")
                .is_some_and(|c| src[c.byte_range()].ends_with(ctor));
            if is_widget {
                config = v.child_by_field_name("arguments").and_then(|a| {
                    syntax::named_children(a)
                        .into_iter()
                        .find(|x| x.kind() != "comment")
                });
            }
        });
    }
    let Some(config) = config.map(syntax::unwrap_expr) else {
        return Oidc::Unknown;
    };
    // The literal, and whether it certainly is the one that reaches
    // `new OktaSignIn` (inline, or the only binding of its name: no other
    // declaration, parameter or assignment of that name in the file).
    let (object, certain) = match config.kind() {
        "object" => (Some(config), true),
        "identifier" => {
            let name = &src[config.byte_range()];
            let mut found = None;
            let mut bindings = 0usize;
            for u in ctx.units {
                syntax::walk(u.tree.root_node(), |n| {
                    let binds = match n.kind() {
                        "variable_declarator" => n.child_by_field_name("name"),
                        "assignment_expression" => n.child_by_field_name("left"),
                        "formal_parameters" => {
                            bindings += syntax::named_children(n)
                                .into_iter()
                                .filter(|p| {
                                    let p = p.child_by_field_name("pattern").unwrap_or(*p);
                                    &src[p.byte_range()] == name
                                })
                                .count();
                            None
                        }
                        _ => None,
                    };
                    if binds.is_none_or(|x| &src[x.byte_range()] != name) {
                        return;
                    }
                    bindings += 1;
                    // `cfg = { … }` without a declaration (a global of the
                    // page) counts like one when it is the only binding.
                    let value = match n.kind() {
                        "variable_declarator" => n.child_by_field_name("value"),
                        _ => n.child_by_field_name("right"),
                    };
                    if found.is_none() {
                        found = value
                            .map(syntax::unwrap_expr)
                            .filter(|v| v.kind() == "object");
                    }
                });
            }
            (found, bindings == 1)
        }
        _ => (None, false),
    };
    let Some(object) = object else {
        return Oidc::Unknown;
    };
    let mut client_id = false;
    let mut redirect_uri = false;
    let mut issuer = false;
    let mut opt_in = false;
    let mut opaque = false;
    let mut read = |obj: Node, opaque: &mut bool| {
        for prop in syntax::named_children(obj) {
            match prop.kind() {
                "spread_element" => *opaque = true,
                _ => match syntax::prop_key(prop, src) {
                    Some("clientId") => client_id = true,
                    Some("redirectUri") => redirect_uri = true,
                    Some("issuer") => issuer = true,
                    Some("useInteractionCodeFlow") => opt_in = true,
                    _ => {}
                },
            }
        }
    };
    read(object, &mut opaque);
    for prop in syntax::named_children(object) {
        if syntax::prop_key(prop, src) == Some("authParams") {
            if let Some(v) = prop.child_by_field_name("value").map(syntax::unwrap_expr) {
                if v.kind() == "object" {
                    read(v, &mut opaque);
                }
            }
        }
    }
    // Later `config.clientId = …` assignments count too.
    if let Some(name) = (config.kind() == "identifier").then(|| &src[config.byte_range()]) {
        for u in ctx.units {
            syntax::walk(u.tree.root_node(), |n| {
                if n.kind() != "assignment_expression" {
                    return;
                }
                let Some(l) = n
                    .child_by_field_name("left")
                    .filter(|l| l.kind() == "member_expression")
                else {
                    return;
                };
                if l.child_by_field_name("object")
                    .is_some_and(|o| &src[o.byte_range()] == name)
                {
                    match l
                        .child_by_field_name("property")
                        .map(|p| &src[p.byte_range()])
                    {
                        Some("clientId") => client_id = true,
                        Some("redirectUri") => redirect_uri = true,
                        Some("issuer") => issuer = true,
                        Some("useInteractionCodeFlow") => opt_in = true,
                        _ => {}
                    }
                }
            });
        }
    }
    if opaque && !client_id {
        return Oidc::Unknown;
    }
    Oidc::Known {
        client_id,
        redirect_uri,
        issuer,
        opt_in,
        object: certain.then_some(object),
    }
}

/// Whether the `setCookieAndRedirect` name `n` is called on something
/// built from the callback's result `p`: an object expression that reads
/// `p`, or a variable declared in the callback `body`.
fn reaches_result<'t>(n: Node<'t>, body: Node<'t>, p: Option<&str>, ctx: &FileCtx<'t>) -> bool {
    let src = ctx.masked;
    let holder = ctx
        .up
        .ancestors(n)
        .find(|a| matches!(a.kind(), "member_expression" | "subscript_expression"));
    let Some(object) = holder.and_then(|h| h.child_by_field_name("object")) else {
        return false;
    };
    let reads_p = p.is_some_and(|p| {
        syntax::find(object, |x| {
            x.kind() == "identifier" && &src[x.byte_range()] == p
        })
        .is_some()
    });
    if reads_p {
        return true;
    }
    // The leftmost name of the object chain, declared inside the callback.
    let mut root = object;
    for _ in 0..syntax::MAX_CLIMB {
        match root
            .child_by_field_name("object")
            .or_else(|| root.child_by_field_name("function"))
        {
            Some(o) => root = o,
            None => break,
        }
    }
    root.kind() == "identifier"
        && syntax::find(body, |d| {
            d.kind() == "variable_declarator"
                && d.child_by_field_name("name")
                    .is_some_and(|x| src[x.byte_range()] == src[root.byte_range()])
        })
        .is_some()
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
