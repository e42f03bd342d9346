//! auth-js Classic (Authn) flows moved to Identity Engine.
//!
//! - `authClient.signInWithCredentials(creds).then(function (tx) { …
//!   authClient.session.setCookieAndRedirect(tx.sessionToken, uri) })` (also
//!   `signIn`) becomes `authClient.idx.authenticate(creds).then(function (tx)
//!   { … authClient.tokenManager.setTokens(tx.tokens); window.location.assign(uri) })`:
//!   the IDX transaction carries the tokens instead of a session token
//!   (okta-auth-js `docs/migrate-from-authn-to-idx.md`).
//! - `authClient.token.getWithRedirect({ sessionToken, … })` loses the
//!   `sessionToken`: the redirect then signs the user in on the Okta-hosted
//!   Identity Engine page.
//!
//! - The same flow written with `await` (`const tx = await
//!   this.authClient.signIn(creds); if (tx.status !== 'SUCCESS') throw …;
//!   this.authClient.session.setCookieAndRedirect(tx.sessionToken)`), in
//!   functions and class methods, JavaScript or TypeScript, migrates alike;
//!   a redirect without a URL goes to the current page, as auth-js did.
//!
//! Both are unsafe: they need the Interaction Code grant on the app and
//! the authorization server, and PKCE.

use super::super::FileCtx;
use super::{indent_at, snippet, REDIRECT, SESSION_TOKEN};
use crate::diagnostic::{Applicability, Edit, Fix, NoFix};
use crate::syntax;
use tree_sitter::Node;

const NEEDS: &str =
    "needs the Interaction Code grant enabled on the app and the authorization server, and PKCE";

/// The fix for an OIE001/OIE002 hit outside a widget callback, if it is an
/// auth-js Classic flow this module knows.
pub fn fix<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, NoFix>> {
    let src = ctx.masked;
    match &src[hit.byte_range()] {
        REDIRECT => credentials_flow(ctx, hit),
        SESSION_TOKEN => get_with_redirect(ctx, hit),
        _ => None,
    }
}

/// `x.session.setCookieAndRedirect(tx.sessionToken, uri)` after
/// `x.signInWithCredentials(...)` / `x.signIn(...)`: in the `.then` callback
/// of the sign-in promise, or after `const tx = await x.signIn(...)` in the
/// same function (async functions, class methods, TypeScript).
fn credentials_flow<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, NoFix>> {
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    let member = ctx.up.of(hit).filter(|m| m.kind() == "member_expression")?;
    let call = ctx
        .up
        .of(member)
        .filter(|c| c.kind() == "call_expression")?;
    let session = member.child_by_field_name("object")?;
    if session.kind() != "member_expression"
        || session
            .child_by_field_name("property")
            .is_none_or(|p| &src[p.byte_range()] != "session")
    {
        return None;
    }
    let client = session.child_by_field_name("object")?;
    let client_text = &text[client.byte_range()];
    let stmt = ctx
        .up
        .of(call)
        .filter(|s| matches!(s.kind(), "expression_statement" | "return_statement"))?;
    // `return x.session.setCookieAndRedirect(…)` returns what the
    // navigation returns (`undefined` both ways).
    let ret = if stmt.kind() == "return_statement" {
        "return "
    } else {
        ""
    };
    // The function holding the statement.
    let func = ctx.up.ancestors(stmt).find(|n| {
        matches!(
            n.kind(),
            "function_expression"
                | "function"
                | "arrow_function"
                | "function_declaration"
                | "method_definition"
        )
    })?;
    let flow = then_flow(ctx, func)
        .or_else(|| await_flow(ctx, func, stmt, call))
        .or_else(|| handoff_flow(ctx, func))?;
    let Flow {
        method,
        tx,
        type_annotations,
        q_methods,
        handoff,
    } = match flow {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    let tx_name = &src[tx.byte_range()];
    let args: Vec<Node> = syntax::named_children(call.child_by_field_name("arguments")?)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    // The session token passed must be this transaction's: read there, or
    // held in a name declared from it (`const t = tx.sessionToken`).
    let body = func.child_by_field_name("body")?;
    let token_arg = args.first().map(|a| syntax::unwrap_expr(*a));
    let is_token = |a: Node| {
        a.kind() == "member_expression"
            && a.child_by_field_name("object")
                .is_some_and(|o| &src[o.byte_range()] == tx_name)
            && a.child_by_field_name("property")
                .is_some_and(|p| &src[p.byte_range()] == SESSION_TOKEN)
    };
    let mut alias: Option<Node> = None;
    let passes_token = match token_arg {
        Some(a) if is_token(a) => true,
        Some(a) if a.kind() == "identifier" => {
            match token_alias(ctx, body, &src[a.byte_range()], stmt, is_token) {
                Some(Ok(decl)) => {
                    alias = Some(decl);
                    true
                }
                Some(Err(e)) => return Some(Err(e)),
                None => false,
            }
        }
        _ => false,
    };
    if !passes_token {
        return Some(Err(NoFix::new(
            "classic-transaction-read",
            format!(
                "`setCookieAndRedirect` is not given `{tx_name}.sessionToken`, the token of the sign-in it follows"
            ),
        )));
    }
    // Without a URL, auth-js redirects to the current page
    // (`redirectUrl || window.location.href`): so does the fix.
    let url_text = args
        .get(1)
        .map_or("window.location.href", |u| &text[u.byte_range()]);
    // Other reads of the Classic transaction (a `sessionToken` passed
    // elsewhere …) stay; `status` reads mean the same in IDX, and the
    // `user` fields come from the ID token's claims, as the widget
    // migration maps them.
    let mut other = None;
    let mut user_edits: Vec<Edit> = Vec::new();
    let mut mapped: Vec<String> = Vec::new();
    // `console.log(tx.sessionToken)`, `console.dir(tx)`: logs of the
    // Classic transaction go (real pages log it before redirecting).
    let mut logs: Vec<Node> = Vec::new();
    syntax::walk(body, |n| {
        if n.kind() == "expression_statement" && super::embedded::logs_result(n, src, tx_name) {
            logs.push(n);
        }
    });
    let skip = |n: Node| {
        let inside = |r: Node| r.start_byte() <= n.start_byte() && n.end_byte() <= r.end_byte();
        inside(stmt) || alias.is_some_and(inside) || logs.iter().any(|l| inside(*l))
    };
    syntax::walk(body, |n| {
        if other.is_none()
            && n.kind() == "member_expression"
            && n.child_by_field_name("object")
                .is_some_and(|o| &src[o.byte_range()] == tx_name)
            && !skip(n)
        {
            let prop = n
                .child_by_field_name("property")
                .map_or("", |p| &src[p.byte_range()]);
            match prop {
                "status" => {}
                "user" => match user_read(ctx, n, tx_name) {
                    Some((e, m)) => {
                        if !mapped.contains(&m) {
                            mapped.push(m);
                        }
                        user_edits.push(e);
                    }
                    None => other = Some(n),
                },
                _ => other = Some(n),
            }
        }
    });
    if let Some(o) = other {
        return Some(Err(NoFix::new(
            "classic-transaction-read",
            format!(
                "{} reads the Classic transaction, which the IDX transaction does not have",
                snippet(&text[o.byte_range()])
            ),
        )));
    }
    let semi = if text[stmt.byte_range()].trim_end().ends_with(';') {
        ";"
    } else {
        ""
    };
    let ind = indent_at(text, stmt.start_byte());
    // A lone statement of an `if`/`else`/loop needs braces for two.
    // parent-ok: once per fixed statement.
    let braceless = stmt.parent().is_some_and(|p| {
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
    let replacement = if braceless {
        format!(
            "{{ {client_text}.tokenManager.setTokens({tx_name}.tokens){semi} {ret}window.location.assign({url_text}){semi} }}"
        )
    } else {
        format!(
            "{client_text}.tokenManager.setTokens({tx_name}.tokens){semi}\n{ind}{ret}window.location.assign({url_text}){semi}"
        )
    };
    // The object the sign-in runs on (`oktaAuth.signIn`), which may not be
    // the redirect's (`self.$auth.session…`): its config is the one
    // `idx.authenticate` reads.
    let receiver = ctx
        .up
        .of(method)
        .and_then(|m| m.child_by_field_name("object"))
        .unwrap_or(client);
    let sign_in_receiver = &text[receiver.byte_range()];
    let (config_edits, config_note) = match client_inputs(ctx, receiver) {
        Ok(c) => c,
        Err(e) => return Some(Err(e)),
    };
    let mut edits = user_edits;
    edits.extend(config_edits);
    if let Some(decl) = alias {
        edits.push(super::remove_edit(text, decl));
    }
    for l in &logs {
        edits.push(super::remove_edit(text, *l));
    }
    edits.extend([
        Edit {
            start: method.start_byte(),
            end: method.end_byte(),
            replacement: "idx.authenticate".into(),
        },
        Edit {
            start: stmt.start_byte(),
            end: stmt.end_byte(),
            replacement,
        },
    ]);
    let mut description = format!(
        "Sign in with the Identity Engine flow: `{sign_in_receiver}.{}(...)` becomes `{sign_in_receiver}.idx.authenticate(...)`, whose transaction carries the tokens; they are stored with `{client_text}.tokenManager.setTokens({tx_name}.tokens)` before `window.location.assign({url_text})` instead of the Classic session cookie redirect",
        &src[method.byte_range()]
    );
    if args.len() < 2 {
        description.push_str(" (auth-js redirected to the current page when given no URL)");
    }
    let reasons: Vec<String> = super::session_reliance(ctx, args.get(1).copied())
        .into_iter()
        .collect();
    description.push_str(&super::session_warning(&reasons));
    if !q_methods.is_empty() {
        let mut renamed: Vec<String> = Vec::new();
        for (p, native) in &q_methods {
            edits.push(Edit {
                start: p.start_byte(),
                end: p.end_byte(),
                replacement: native.to_string(),
            });
            let r = format!("`.{}(…)` becomes `.{native}(…)`", &src[p.byte_range()]);
            if !renamed.contains(&r) {
                renamed.push(r);
            }
        }
        description.push_str(&format!(
            "; {} (the Classic sign-in returned a Q promise; `idx.authenticate` returns a native Promise, which has no `fail`/`fin`)",
            renamed.join(", ")
        ));
    }
    if let Some(h) = &handoff {
        description.push_str(h);
    }
    if let Some(decl) = alias {
        description.push_str(&format!(
            "; removes {}, the Classic session token held for the redirect",
            snippet(&text[decl.byte_range()])
        ));
    }
    if !mapped.is_empty() {
        description.push_str(&format!(
            "; reads the user from the ID token: {}",
            mapped.join(", ")
        ));
    }
    if !logs.is_empty() {
        let shown: Vec<String> = logs
            .iter()
            .map(|l| snippet(&text[l.byte_range()]))
            .collect();
        description.push_str(&format!(
            "; drops the console logging of the Classic transaction, which the IDX transaction does not replace: {}",
            shown.join(", ")
        ));
    }
    if sign_in_receiver != client_text {
        description.push_str(&format!(
            "; the sign-in runs on `{sign_in_receiver}` and the redirect on `{client_text}`: the tokens go to `{client_text}.tokenManager`, so both must be the same OIDC app"
        ));
    }
    description.push_str(&config_note);
    for t in &type_annotations {
        edits.push(Edit {
            start: t.start_byte(),
            end: t.end_byte(),
            replacement: String::new(),
        });
    }
    if let Some(t) = type_annotations.first() {
        description.push_str(&format!(
            "; drops the Classic type annotation `{}` of the transaction (TypeScript infers the IDX transaction; an import used only there can go)",
            text[t.byte_range()].trim_start_matches(':').trim()
        ));
    }
    description.push_str(&format!(
        "; it {NEEDS}; a transaction that needs more steps (`status` `PENDING`: MFA, enrollment) must be continued with `idx.proceed`"
    ));
    edits.sort_by_key(|e| (e.start, e.end));
    Some(Ok(Fix {
        applicability: Applicability::Unsafe,
        description,
        edits,
    }))
}

/// The sign-in a `setCookieAndRedirect` follows.
struct Flow<'t> {
    /// The `signIn`/`signInWithCredentials` name (what becomes `idx.authenticate`).
    method: Node<'t>,
    /// The transaction's name.
    tx: Node<'t>,
    /// TypeScript annotations of the transaction (`: AuthnTransaction`),
    /// where it is declared and where it is handed on.
    type_annotations: Vec<Node<'t>>,
    /// Q promise methods chained after the sign-in's `.then(…)` (`fail`,
    /// `fin`), with the native Promise method each becomes.
    q_methods: Vec<(Node<'t>, &'static str)>,
    /// For a transaction handed to another function of the file: how, for
    /// the description.
    handoff: Option<String>,
}

/// `signIn`/`signInWithCredentials` property of a `x.signIn(...)` call.
fn sign_in_method<'t>(call: Node<'t>, src: &str) -> Option<Node<'t>> {
    let callee = call
        .child_by_field_name("function")
        .filter(|f| call.kind() == "call_expression" && f.kind() == "member_expression")?;
    let method = callee.child_by_field_name("property")?;
    matches!(
        &src[method.byte_range()],
        "signInWithCredentials" | "signIn"
    )
    .then_some(method)
}

/// The method of the sign-in call a declaration awaits
/// (`const tx = await x.signIn(…)`).
fn awaited_sign_in<'t>(decl: Node<'t>, src: &str) -> Option<Node<'t>> {
    let value = syntax::unwrap_expr(decl.child_by_field_name("value")?);
    if value.kind() != "await_expression" {
        return None;
    }
    let awaited = syntax::unwrap_expr(syntax::named_children(value).into_iter().next()?);
    sign_in_method(awaited, src)
}

/// `x.signIn(...).then(function (tx) { … })`: `func` is the callback.
fn then_flow<'t>(ctx: &FileCtx<'t>, func: Node<'t>) -> Option<Result<Flow<'t>, NoFix>> {
    let src = ctx.masked;
    let then_call = ctx.up.of(ctx.up.of(func)?)?;
    let then_callee = super::method_callee(then_call, "then", src)?;
    let sign_in = syntax::unwrap_expr(then_callee.child_by_field_name("object")?);
    let method = sign_in_method(sign_in, src)?;
    let (tx, annotation) = first_param(func);
    let Some(tx) = tx else {
        return Some(Err(NoFix::new(
            "transaction-destructured",
            "the sign-in callback destructures its transaction",
        )));
    };
    let q_methods = match q_chain(ctx, then_call) {
        Ok(q) => q,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(Flow {
        method,
        tx,
        type_annotations: annotation.into_iter().collect(),
        q_methods,
        handoff: None,
    }))
}

/// The methods chained after `call` (`x.signIn(…).then(…)`): Classic
/// auth-js returned a Q promise, so real code goes on with `.fail(…)` and
/// `.fin(…)`, which a native Promise lacks: each is renamed (`catch`,
/// `finally`). Q's `.done(…)` has no native counterpart: no fix.
fn q_chain<'t>(ctx: &FileCtx<'t>, call: Node<'t>) -> Result<Vec<(Node<'t>, &'static str)>, NoFix> {
    let src = ctx.masked;
    let mut out = Vec::new();
    let mut cur = call;
    while let Some(member) = ctx
        .up
        .of(cur)
        .filter(|m| m.kind() == "member_expression" && m.child_by_field_name("object") == Some(cur))
    {
        let Some(prop) = member.child_by_field_name("property") else {
            break;
        };
        match &src[prop.byte_range()] {
            "fail" => out.push((prop, "catch")),
            "fin" => out.push((prop, "finally")),
            "then" | "catch" | "finally" => {}
            "done" => {
                return Err(NoFix::new(
                    "classic-transaction-read",
                    "the sign-in's promise is ended with Q's `.done(…)`, which a native Promise does not have",
                ))
            }
            _ => break,
        }
        match ctx.up.of(member).filter(|c| c.kind() == "call_expression") {
            Some(c) => cur = c,
            None => break,
        }
    }
    Ok(out)
}

/// `const tx = await x.signIn(...)` earlier in `func`, the function that
/// holds the redirect statement `stmt` (the transaction's name is what
/// the redirect's first argument reads).
fn await_flow<'t>(
    ctx: &FileCtx<'t>,
    func: Node<'t>,
    stmt: Node<'t>,
    call: Node<'t>,
) -> Option<Result<Flow<'t>, NoFix>> {
    let src = ctx.masked;
    let first = syntax::named_children(call.child_by_field_name("arguments")?)
        .into_iter()
        .find(|n| n.kind() != "comment")
        .map(syntax::unwrap_expr)?;
    let body = func.child_by_field_name("body")?;
    // `const t = tx.sessionToken; …setCookieAndRedirect(t)`: the token's
    // declaration says which transaction.
    let first = if first.kind() == "identifier" {
        let name = &src[first.byte_range()];
        let mut value = None;
        // The function's own statements before the redirect: nested
        // functions are skipped (walking them for every redirect of deeply
        // nested code was quadratic).
        syntax::preorder_with_parent(body, |n, _| {
            if value.is_some() || n.start_byte() >= stmt.start_byte() {
                return syntax::Step::Stop;
            }
            if n.id() != body.id() && super::is_function(n) {
                return syntax::Step::Skip;
            }
            if n.kind() == "variable_declarator"
                && n.child_by_field_name("name")
                    .is_some_and(|x| &src[x.byte_range()] == name)
            {
                value = n.child_by_field_name("value").map(syntax::unwrap_expr);
            }
            syntax::Step::Descend
        });
        value?
    } else {
        first
    };
    let tx_name = match first.kind() {
        "member_expression" => {
            let o = first.child_by_field_name("object")?;
            (o.kind() == "identifier").then(|| &src[o.byte_range()])?
        }
        _ => return None,
    };
    // The declarations of that name in the function, before the redirect.
    let mut decls: Vec<Node<'t>> = Vec::new();
    syntax::walk(body, |n| {
        if n.kind() == "variable_declarator"
            && n.start_byte() < stmt.start_byte()
            && n.child_by_field_name("name")
                .is_some_and(|x| &src[x.byte_range()] == tx_name)
        {
            decls.push(n);
        }
    });
    let [decl] = decls.as_slice() else {
        return None;
    };
    let method = awaited_sign_in(*decl, src)?;
    // Reassigned later: the redirect may read another transaction.
    let mut reassigned = false;
    syntax::walk(body, |n| {
        if n.kind() == "assignment_expression"
            && n.child_by_field_name("left")
                .is_some_and(|l| &src[l.byte_range()] == tx_name)
        {
            reassigned = true;
        }
    });
    if reassigned {
        return None;
    }
    Some(Ok(Flow {
        method,
        tx: decl.child_by_field_name("name")?,
        type_annotations: decl.child_by_field_name("type").into_iter().collect(),
        q_methods: Vec::new(),
        handoff: None,
    }))
}

/// What `idx.authenticate` needs of the client's config (`new OktaAuth({…})`
/// of the file): `clientId` and `issuer` (okta-oie.md §6: IDX needs
/// `issuer`, `clientId`, `redirectUri`; auth-js defaults `redirectUri` to the
/// page's origin). Missing keys come from the fix inputs (`[fix]`,
/// `--client-id`/`--redirect-uri`); a missing `issuer` from `[fix] issuer`,
/// else from the config's own `url` (the org URL, which auth-js accepts as
/// the issuer of the org authorization server). Never invented: without a
/// client ID to add there is no fix, and the reason names the keys and flags.
fn client_inputs<'t>(ctx: &FileCtx<'t>, client: Node<'t>) -> Result<(Vec<Edit>, String), NoFix> {
    use super::embedded::{client_config, js_string, string_quote, Oidc};
    let Oidc::Known {
        client_id,
        redirect_uri,
        issuer,
        object,
        ..
    } = client_config(ctx, client, "OktaAuth")
    else {
        return Ok((
            Vec::new(),
            "; the auth-js config is not visible in this file: it needs `clientId`, `issuer` and `redirectUri` of an app with the Interaction Code grant".into(),
        ));
    };
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    let inputs = &ctx.settings.fix_inputs;
    let url = object.and_then(|o| {
        syntax::named_children(o)
            .into_iter()
            .find(|p| syntax::prop_key(*p, src) == Some("url"))
            .and_then(|p| p.child_by_field_name("value"))
    });
    if client_id && issuer {
        return Ok((Vec::new(), String::new()));
    }
    let missing = match (client_id, issuer) {
        (false, false) => "`clientId` and `issuer`",
        (false, true) => "`clientId`",
        _ => "`issuer`",
    };
    let Some(object) = object else {
        return Err(NoFix::new(
            "config-not-literal",
            format!("the auth-js config has no {missing} and is not one object literal the fix can add it to (a variable declared or assigned more than once): add them by hand"),
        ));
    };
    if !client_id && inputs.client_id.is_none() {
        return Err(NoFix::new(
            "no-client-id",
            "the auth-js config (`new OktaAuth(...)`) has no `clientId`: `idx.authenticate` needs an OIDC app with the Interaction Code grant and PKCE; set `client-id` and `redirect-uri` in the `[fix]` table of oie-lint.toml (or `--client-id <ID> --redirect-uri <URL>`) to have the fix add them, or add `clientId`, `redirectUri` and `issuer` to `new OktaAuth(...)` yourself",
        ));
    }
    if !super::super::interaction_code_flow::end_is_readable(object) {
        return Err(NoFix::new(
            "config-syntax-error",
            format!("the auth-js config has no {missing}, and its object literal has a syntax error the fix cannot add keys past"),
        ));
    }
    let quote = string_quote(object, text);
    let mut keys: Vec<(&str, String)> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    if !client_id {
        keys.push((
            "clientId",
            js_string(inputs.client_id.as_deref().expect("checked"), quote),
        ));
        match (&inputs.redirect_uri, redirect_uri) {
            (Some(r), false) => keys.push(("redirectUri", js_string(r, quote))),
            (None, false) => notes.push("without `redirectUri` auth-js uses the page's origin, which must be a sign-in redirect URI of the app".to_string()),
            _ => {}
        }
    }
    if !issuer {
        match (&inputs.issuer, url) {
            (Some(i), _) => keys.push(("issuer", js_string(i, quote))),
            (None, Some(u)) => {
                keys.push(("issuer", text[u.byte_range()].to_string()));
                notes.push("`issuer` is the org URL the config holds in `url` (the org authorization server); set `issuer` in the `[fix]` table for a custom one such as `…/oauth2/default`".to_string());
            }
            (None, None) => {
                return Err(NoFix::new(
                    "no-issuer",
                    "the auth-js config has neither `issuer` nor `url`: set `issuer` in the `[fix]` table of oie-lint.toml (the org URL or its authorization server), or add it to `new OktaAuth(...)` yourself",
                ))
            }
        }
    }
    let entries: Vec<String> = keys.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
    let edits = super::super::interaction_code_flow::insert_keys(text, src, object, &entries);
    if edits.is_empty() {
        return Err(NoFix::new(
            "config-not-literal",
            format!("the auth-js config has no {missing}, and its object literal holds only comments the fix would write into: add them by hand"),
        ));
    }
    let shown: Vec<String> = keys.iter().map(|(k, v)| format!("`{k}: {v}`")).collect();
    let mut note = format!(
        "; adds {} to the auth-js config (`new OktaAuth(...)`, from the `[fix]` config or `--client-id`/`--redirect-uri`): the app must have the Interaction Code grant and PKCE",
        shown.join(", ")
    );
    for n in notes {
        note.push_str("; ");
        note.push_str(&n);
    }
    Ok((edits, note))
}

/// `const t = tx.sessionToken` in `body` before the redirect `stmt`, the
/// only binding of `t` there, read nowhere but in `stmt`: the declaration
/// statement (which the fix removes). `Some(Err)` names another use.
fn token_alias<'t>(
    ctx: &FileCtx<'t>,
    body: Node<'t>,
    name: &str,
    stmt: Node<'t>,
    is_token: impl Fn(Node) -> bool,
) -> Option<Result<Node<'t>, NoFix>> {
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    let mut decls: Vec<Node<'t>> = Vec::new();
    let mut uses: Vec<Node<'t>> = Vec::new();
    syntax::walk(body, |n| match n.kind() {
        "variable_declarator"
            if n.child_by_field_name("name")
                .is_some_and(|x| x.kind() == "identifier" && &src[x.byte_range()] == name) =>
        {
            decls.push(n)
        }
        "identifier" | "shorthand_property_identifier" if &src[n.byte_range()] == name => {
            uses.push(n)
        }
        _ => {}
    });
    let [decl] = decls.as_slice() else {
        return None;
    };
    if decl.start_byte() > stmt.start_byte() {
        return None;
    }
    let value = decl.child_by_field_name("value").map(syntax::unwrap_expr)?;
    if !is_token(value) {
        return None;
    }
    let holder = super::sole_declarator_statement(*decl, ctx)?;
    let name_node = decl.child_by_field_name("name")?;
    let elsewhere = uses.iter().find(|u| {
        u.id() != name_node.id()
            && !(stmt.start_byte() <= u.start_byte() && u.end_byte() <= stmt.end_byte())
    });
    if let Some(u) = elsewhere {
        let at = ctx
            .up
            .ancestors(*u)
            .find(|a| a.kind().ends_with("statement") || a.kind() == "pair")
            .unwrap_or(*u);
        return Some(Err(NoFix::new(
            "session-token-alias",
            format!(
                "`{name}` holds the Classic session token (line {}), and {} uses it besides the redirect: the IDX transaction has no session token; migrate that use by hand",
                ctx.line_of(decl.start_byte()),
                snippet(&text[at.byte_range()])
            ),
        )));
    }
    Some(Ok(holder))
}

/// `tx.user` (`n`) read whole or as a mapped field: the edit that reads
/// it from the ID token claims of `tx.tokens`, and its description.
fn user_read<'t>(ctx: &FileCtx<'t>, n: Node<'t>, tx: &str) -> Option<(Edit, String)> {
    let src = ctx.masked;
    let tok = format!("{tx}.tokens");
    let ext = |inner: Node<'t>| -> Option<Node<'t>> {
        ctx.up.of(inner).filter(|p| {
            p.kind() == "member_expression"
                && p.child_by_field_name("object").map(|o| o.id()) == Some(inner.id())
                && p.child_by_field_name("property")
                    .is_some_and(|x| x.kind() == "property_identifier")
        })
    };
    let name = |m: Node| {
        &src[m
            .child_by_field_name("property")
            .expect("member")
            .byte_range()]
    };
    let (node, field) = match ext(n) {
        None => (n, String::new()),
        Some(p) if name(p) == "profile" => {
            let g = ext(p)?;
            (g, format!("profile.{}", name(g)))
        }
        Some(p) => (p, name(p).to_string()),
    };
    let (replacement, what) = if field.is_empty() {
        (
            super::embedded::user_object(&tok),
            format!("`{tx}.user` → an object built from the ID token claims (`{{ id, profile: {{ login, firstName, lastName, email, locale, timeZone }} }}`)"),
        )
    } else {
        let (_, claim) = super::embedded::USER_CLAIMS
            .iter()
            .find(|(f, _)| *f == field)?;
        (
            format!("{tok}.idToken.claims.{claim}"),
            format!("`{tx}.user.{field}` → `{tok}.idToken.claims.{claim}`"),
        )
    };
    Some((
        Edit {
            start: node.start_byte(),
            end: node.end_byte(),
            replacement,
        },
        what,
    ))
}

/// The first parameter of `func` when it is a plain name, and its
/// TypeScript annotation (`(t: AuthTransaction) =>`).
fn first_param(func: Node) -> (Option<Node>, Option<Node>) {
    if let Some(p) = func.child_by_field_name("parameter") {
        return ((p.kind() == "identifier").then_some(p), None);
    }
    let Some(p) = func.child_by_field_name("parameters").and_then(|ps| {
        syntax::named_children(ps)
            .into_iter()
            .find(|p| p.kind() != "comment")
    }) else {
        return (None, None);
    };
    let name = p.child_by_field_name("pattern").unwrap_or(p);
    (
        (name.kind() == "identifier").then_some(name),
        p.child_by_field_name("type"),
    )
}

/// The function holding the redirect receives the transaction from one
/// call of the same file, made where a sign-in's transaction is known:
/// `.then(t => this.finish(t))`, `from(x.signIn(…)).pipe(map(t =>
/// this.finish(t)))`, or `const t = await x.signIn(…); this.finish(t)`
/// (issue 25: Angular services hand the transaction to a method).
fn handoff_flow<'t>(ctx: &FileCtx<'t>, func: Node<'t>) -> Option<Result<Flow<'t>, NoFix>> {
    let src = ctx.masked;
    let params = func.child_by_field_name("parameters").map(|ps| {
        syntax::named_children(ps)
            .into_iter()
            .filter(|p| p.kind() != "comment")
            .count()
    });
    if params != Some(1) {
        return None;
    }
    let (Some(tx), annotation) = first_param(func) else {
        return None;
    };
    let (name, method) = match func.kind() {
        "function_declaration" => (func.child_by_field_name("name")?, false),
        "method_definition" => (func.child_by_field_name("name")?, true),
        _ => (super::sole_declaration(func, ctx)?.0, false),
    };
    let name_text = &src[name.byte_range()];
    let uses: Vec<Node> = if method {
        ctx.property_uses(name_text)
    } else {
        ctx.identifier_uses(name_text)
    }
    .into_iter()
    .filter(|u| u.id() != name.id())
    .collect();
    let [used] = uses.as_slice() else {
        return None;
    };
    let callee = if method {
        ctx.up.of(*used).filter(|m| {
            m.kind() == "member_expression"
                && m.child_by_field_name("object")
                    .is_some_and(|o| o.kind() == "this")
        })?
    } else {
        *used
    };
    let call = ctx
        .up
        .of(callee)
        .filter(|c| c.kind() == "call_expression")?;
    if call.child_by_field_name("function").map(|c| c.id()) != Some(callee.id()) {
        return None;
    }
    let args: Vec<Node> = syntax::named_children(call.child_by_field_name("arguments")?)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    let [arg] = args.as_slice() else {
        return None;
    };
    if arg.kind() != "identifier" {
        return None;
    }
    let a = &src[arg.byte_range()];
    let caller = ctx.up.ancestors(call).find(|n| super::is_function(*n))?;
    // Where the caller gets the transaction from.
    let (caller_param, caller_annotation) = first_param(caller);
    let inner = match caller_param.filter(|p| &src[p.byte_range()] == a) {
        Some(_) => then_flow(ctx, caller).or_else(|| rx_flow(ctx, caller))?,
        None => await_decl(ctx, caller, a, call.start_byte())?,
    };
    let inner = match inner {
        Ok(f) => f,
        Err(e) => return Some(Err(e)),
    };
    // The caller reads the transaction only to hand it on (or its status).
    let body = caller.child_by_field_name("body")?;
    let mut other = None;
    syntax::walk(body, |n| {
        if other.is_some()
            || n.kind() != "identifier"
            || &src[n.byte_range()] != a
            || n.id() == arg.id()
            || inner.tx.id() == n.id()
        {
            return;
        }
        let status = ctx.up.of(n).is_some_and(|m| {
            m.kind() == "member_expression"
                && m.child_by_field_name("object").map(|o| o.id()) == Some(n.id())
                && m.child_by_field_name("property")
                    .is_some_and(|p| &src[p.byte_range()] == "status")
        });
        if !status {
            other = Some(ctx.up.of(n).unwrap_or(n));
        }
    });
    if let Some(o) = other {
        return Some(Err(NoFix::new(
            "classic-transaction-read",
            format!(
                "{} reads the Classic transaction before handing it to `{name_text}`",
                snippet(&ctx.source.text[o.byte_range()])
            ),
        )));
    }
    let mut type_annotations: Vec<Node> = annotation.into_iter().collect();
    type_annotations.extend(
        caller_annotation.filter(|_| caller_param.is_some_and(|p| &src[p.byte_range()] == a)),
    );
    type_annotations.extend(inner.type_annotations);
    type_annotations.sort_by_key(|t| t.start_byte());
    type_annotations.dedup_by_key(|t| t.id());
    Some(Ok(Flow {
        method: inner.method,
        tx,
        type_annotations,
        q_methods: inner.q_methods,
        handoff: Some(format!(
            "; the transaction is handed to `{name_text}` (line {}) by `{}`, whose redirect is rewritten there",
            ctx.line_of(func.start_byte()),
            &ctx.source.text[call.byte_range()]
        )),
    }))
}

/// `from(x.signIn(…)).pipe(map(f))` (RxJS; also `tap`, `switchMap`,
/// `mergeMap`, `concatMap`, `exhaustMap`, after operators that pass the
/// value on unchanged): `f` receives the sign-in's transaction.
fn rx_flow<'t>(ctx: &FileCtx<'t>, f: Node<'t>) -> Option<Result<Flow<'t>, NoFix>> {
    let src = ctx.masked;
    let op_call = ctx
        .up
        .of(ctx.up.of(f).filter(|a| a.kind() == "arguments")?)
        .filter(|c| c.kind() == "call_expression")?;
    let op = op_call.child_by_field_name("function")?;
    if !matches!(
        &src[op.byte_range()],
        "map" | "tap" | "switchMap" | "mergeMap" | "concatMap" | "exhaustMap"
    ) {
        return None;
    }
    let pipe_args = ctx.up.of(op_call).filter(|a| a.kind() == "arguments")?;
    let pipe = ctx
        .up
        .of(pipe_args)
        .filter(|c| c.kind() == "call_expression")?;
    let pipe_callee = super::method_callee(pipe, "pipe", src)?;
    for before in syntax::named_children(pipe_args) {
        if before.id() == op_call.id() {
            break;
        }
        let passes = before.kind() == "comment"
            || (before.kind() == "call_expression"
                && before.child_by_field_name("function").is_some_and(|c| {
                    matches!(
                        &src[c.byte_range()],
                        "tap" | "catchError" | "take" | "first" | "filter"
                    )
                }));
        if !passes {
            return None;
        }
    }
    let from = syntax::unwrap_expr(pipe_callee.child_by_field_name("object")?);
    if from.kind() != "call_expression"
        || from
            .child_by_field_name("function")
            .is_none_or(|c| &src[c.byte_range()] != "from")
    {
        return None;
    }
    let [promise] = syntax::named_children(from.child_by_field_name("arguments")?)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect::<Vec<_>>()[..]
    else {
        return None;
    };
    let method = sign_in_method(syntax::unwrap_expr(promise), src)?;
    let (tx, annotation) = first_param(f);
    Some(Ok(Flow {
        method,
        tx: tx?,
        type_annotations: annotation.into_iter().collect(),
        q_methods: Vec::new(),
        handoff: None,
    }))
}

/// `const name = await x.signIn(…)`, the only declaration of `name` in
/// `func` before `before`, never reassigned.
fn await_decl<'t>(
    ctx: &FileCtx<'t>,
    func: Node<'t>,
    name: &str,
    before: usize,
) -> Option<Result<Flow<'t>, NoFix>> {
    let src = ctx.masked;
    let body = func.child_by_field_name("body")?;
    let mut decls: Vec<Node<'t>> = Vec::new();
    let mut reassigned = false;
    syntax::walk(body, |n| match n.kind() {
        "variable_declarator"
            if n.start_byte() < before
                && n.child_by_field_name("name")
                    .is_some_and(|x| &src[x.byte_range()] == name) =>
        {
            decls.push(n)
        }
        "assignment_expression"
            if n.child_by_field_name("left")
                .is_some_and(|l| &src[l.byte_range()] == name) =>
        {
            reassigned = true
        }
        _ => {}
    });
    let [decl] = decls.as_slice() else {
        return None;
    };
    if reassigned {
        return None;
    }
    let method = awaited_sign_in(*decl, src)?;
    Some(Ok(Flow {
        method,
        tx: decl.child_by_field_name("name")?,
        type_annotations: decl.child_by_field_name("type").into_iter().collect(),
        q_methods: Vec::new(),
        handoff: None,
    }))
}

/// `x.token.getWithRedirect({ sessionToken, … })`: drop the key.
fn get_with_redirect<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, NoFix>> {
    let src = ctx.masked;
    let text = ctx.source.text.as_str();
    let prop = match hit.kind() {
        "shorthand_property_identifier" => hit,
        "property_identifier" => ctx.up.of(hit).filter(|p| p.kind() == "pair")?,
        _ => return None,
    };
    let object = ctx.up.of(prop).filter(|o| o.kind() == "object")?;
    let call = ctx
        .up
        .of(ctx.up.of(object)?)
        .filter(|c| c.kind() == "call_expression")?;
    let callee = call.child_by_field_name("function")?;
    let name = callee.child_by_field_name("property")?;
    if &src[name.byte_range()] != "getWithRedirect" {
        return None;
    }
    let props: Vec<Node> = syntax::named_children(object)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    let i = props.iter().position(|p| p.id() == prop.id())?;
    let (start, end) = match (props.get(i + 1), i.checked_sub(1).map(|j| props[j])) {
        (Some(next), _) => (prop.start_byte(), next.start_byte()),
        (None, Some(prev)) => (prev.end_byte(), prop.end_byte()),
        (None, None) => (prop.start_byte(), prop.end_byte()),
    };
    Some(Ok(Fix {
        applicability: Applicability::Unsafe,
        description: format!(
            "Drop `sessionToken` from `{}(...)`: the redirect then signs the user in on the Okta-hosted Identity Engine page (auth-js `signInWithRedirect`/`getWithRedirect` without a session token); {NEEDS}",
            &text[callee.byte_range()]
        ),
        edits: vec![Edit {
            start,
            end,
            replacement: String::new(),
        }],
    }))
}
