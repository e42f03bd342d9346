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
//! Both are unsafe: they need the Interaction Code grant on the app and
//! the authorization server, and PKCE.

use super::super::{js, FileCtx};
use super::{indent_at, snippet, REDIRECT, SESSION_TOKEN};
use crate::diagnostic::{Applicability, Edit, Fix};
use tree_sitter::Node;

const NEEDS: &str =
    "needs the Interaction Code grant enabled on the app and the authorization server, and PKCE";

/// The fix for an OIE001/OIE002 hit outside a widget callback, if it is an
/// auth-js Classic flow this module knows.
pub fn fix<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, String>> {
    let src = ctx.masked;
    match &src[hit.byte_range()] {
        REDIRECT => credentials_flow(ctx, hit),
        SESSION_TOKEN => get_with_redirect(ctx, hit),
        _ => None,
    }
}

/// `x.session.setCookieAndRedirect(tx.sessionToken, uri)` in the `.then`
/// of `x.signInWithCredentials(...)` / `x.signIn(...)`.
fn credentials_flow<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, String>> {
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
        .filter(|s| s.kind() == "expression_statement")?;
    // The callback holding the statement, and the `.then(...)` it is given to.
    let func = ctx.up.ancestors(stmt).find(|n| {
        matches!(
            n.kind(),
            "function_expression" | "function" | "arrow_function"
        )
    })?;
    let then_call = ctx.up.of(ctx.up.of(func)?)?;
    let then_callee = then_call.child_by_field_name("function")?;
    if then_callee.kind() != "member_expression"
        || then_callee
            .child_by_field_name("property")
            .is_none_or(|p| &src[p.byte_range()] != "then")
    {
        return None;
    }
    let sign_in = js::unwrap_expr(then_callee.child_by_field_name("object")?);
    let sign_in_callee = sign_in
        .child_by_field_name("function")
        .filter(|f| sign_in.kind() == "call_expression" && f.kind() == "member_expression")?;
    let method = sign_in_callee.child_by_field_name("property")?;
    if !matches!(
        &src[method.byte_range()],
        "signInWithCredentials" | "signIn"
    ) {
        return None;
    }
    let tx = func
        .child_by_field_name("parameter")
        .or_else(|| {
            func.child_by_field_name("parameters").and_then(|ps| {
                js::named_children(ps)
                    .into_iter()
                    .find(|p| p.kind() != "comment")
                    .map(|p| p.child_by_field_name("pattern").unwrap_or(p))
            })
        })
        .filter(|p| p.kind() == "identifier");
    let Some(tx) = tx else {
        return Some(Err(
            "the sign-in callback destructures its transaction".to_string()
        ));
    };
    let tx_name = &src[tx.byte_range()];
    let args: Vec<Node> = js::named_children(call.child_by_field_name("arguments")?)
        .into_iter()
        .filter(|n| n.kind() != "comment")
        .collect();
    let Some(url) = args.get(1) else {
        return Some(Err(
            "`setCookieAndRedirect` has no redirect URL to keep".to_string()
        ));
    };
    // Other reads of the Classic transaction (`tx.user`, `tx.status` other
    // than 'SUCCESS' …) stay; only the session token goes.
    let body = func.child_by_field_name("body")?;
    let mut other = None;
    js::walk(body, |n| {
        if other.is_none()
            && n.kind() == "member_expression"
            && n.child_by_field_name("object")
                .is_some_and(|o| &src[o.byte_range()] == tx_name)
            && !(stmt.start_byte() <= n.start_byte() && n.end_byte() <= stmt.end_byte())
        {
            let prop = n
                .child_by_field_name("property")
                .map_or("", |p| &src[p.byte_range()]);
            if prop != "status" {
                other = Some(n);
            }
        }
    });
    if let Some(o) = other {
        return Some(Err(format!(
            "{} reads the Classic transaction, which the IDX transaction does not have",
            snippet(&text[o.byte_range()])
        )));
    }
    let semi = if text[stmt.byte_range()].trim_end().ends_with(';') {
        ";"
    } else {
        ""
    };
    let ind = indent_at(text, stmt.start_byte());
    let url_text = &text[url.byte_range()];
    let edits = vec![
        Edit {
            start: method.start_byte(),
            end: method.end_byte(),
            replacement: "idx.authenticate".into(),
        },
        Edit {
            start: stmt.start_byte(),
            end: stmt.end_byte(),
            replacement: format!(
                "{client_text}.tokenManager.setTokens({tx_name}.tokens){semi}\n{ind}window.location.assign({url_text}){semi}"
            ),
        },
    ];
    Some(Ok(Fix {
        applicability: Applicability::Unsafe,
        description: format!(
            "Sign in with the Identity Engine flow: `{client_text}.{}(...)` becomes `{client_text}.idx.authenticate(...)`, whose transaction carries the tokens; they are stored with `{client_text}.tokenManager.setTokens({tx_name}.tokens)` before `window.location.assign({url_text})` instead of the Classic session cookie redirect. {NEEDS}; a transaction that needs more steps (`status` `PENDING`: MFA, enrollment) must be continued with `idx.proceed`",
            &src[method.byte_range()]
        ),
        edits,
    }))
}

/// `x.token.getWithRedirect({ sessionToken, … })`: drop the key.
fn get_with_redirect<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<Result<Fix, String>> {
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
    let props: Vec<Node> = js::named_children(object)
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
