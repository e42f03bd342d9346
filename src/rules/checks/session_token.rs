//! OIE002's scope and precision: which files are Okta sign-in code, and
//! which `sessionToken` object keys pass a Classic session token on.
//!
//! `sessionToken` is a common word, so OIE002 (`context = "okta"`) only
//! fires in Okta sign-in code ([`okta_sign_in_code`]). Inside such a file,
//! reads (`tx.sessionToken`, `{ sessionToken } = tx`) always count. A
//! `sessionToken` *key* of an object literal counts only when the object
//! goes into a sign-in flow ([`key_is_reported`]): the decision follows the
//! object to where it is used.

use super::FileCtx;
use crate::syntax;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;
use tree_sitter::Node;

/// Whether the file is Okta sign-in code, for rules with `context = "okta"`:
/// it mentions Okta (any case); or it calls `setCookieAndRedirect` or
/// constructs `OktaSignIn` (vendored auth-js and widget code that never
/// names the company); or it mentions authentication (`auth`, `login`,
/// `signIn`/`sign-in`) and a `package.json` up the tree depends on an
/// `@okta/` package.
pub fn okta_sign_in_code(ctx: &FileCtx) -> bool {
    let text = &ctx.source.text;
    mentions_okta(text)
        || calls_okta_api(ctx)
        || (mentions_authentication(text) && ctx.governing().okta_dependency)
}

/// A necessary condition of [`okta_sign_in_code`] read from the text alone
/// (and, only when the text cannot tell, from the manifests up the tree):
/// the prefilter turns `context = "okta"` rules off for a file that fails
/// it, so a file whose only trigger is a common word (`labels`, `scope:`,
/// `"ready"`) and that is not Okta sign-in code is never parsed for them.
/// `calls_okta_api` needs `setCookieAndRedirect` or `OktaSignIn` in the
/// text, and `OktaSignIn` mentions Okta.
pub fn may_be_okta_sign_in_code(text: &str, okta_dependency: impl FnOnce() -> bool) -> bool {
    mentions_okta(text)
        || memchr::memmem::find(text.as_bytes(), b"setCookieAndRedirect").is_some()
        || (mentions_authentication(text) && okta_dependency())
}

/// A call `….setCookieAndRedirect(…)` or a `new OktaSignIn(…)` /
/// `new x.OktaSignIn(…)` in the file's code (not in comments or strings).
fn calls_okta_api(ctx: &FileCtx) -> bool {
    let src = ctx.masked;
    ctx.units.iter().any(|u| {
        let needles = ["setCookieAndRedirect", "OktaSignIn"];
        syntax::find_containing(u.tree.root_node(), src.as_bytes(), &needles, |n| {
            match n.kind() {
                "call_expression" => n
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "member_expression")
                    .and_then(|f| f.child_by_field_name("property"))
                    .is_some_and(|p| &src[p.byte_range()] == "setCookieAndRedirect"),
                "new_expression" => n.child_by_field_name("constructor").is_some_and(|c| {
                    let name = match c.kind() {
                        "member_expression" => c.child_by_field_name("property"),
                        _ => Some(c),
                    };
                    name.is_some_and(|n| &src[n.byte_range()] == "OktaSignIn")
                }),
                _ => false,
            }
        })
        .is_some()
    })
}

/// Sign-in code says so: `auth`, `login`, `signIn`/`sign-in` (any case).
fn mentions_authentication(text: &str) -> bool {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["auth", "login", "signin", "sign-in"])
            .unwrap()
    })
    .is_match(text)
}

fn mentions_okta(text: &str) -> bool {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["okta"])
            .unwrap()
    })
    .is_match(text)
}

/// Where an object literal ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// An auth-js or widget call, a widget or `OktaAuth` config: always a finding.
    SignIn,
    /// Anything else the code does with it (a URL builder, a redirect, a
    /// helper, a variable used later): a finding.
    Other,
    /// An HTTP response or a test double's return value (an Express or msw
    /// mock of the Authn API, `nock(…).reply`, `mockResolvedValue`).
    Response,
    /// A validation schema (zod, yup, joi, io-ts, mongoose, JSON Schema).
    Schema,
}

/// Methods of auth-js and the widget that take a `sessionToken` option, and
/// the constructors of their configs.
const SIGN_IN_CALLS: &[&str] = &[
    "getWithRedirect",
    "getWithoutPrompt",
    "getWithPopup",
    "signInWithRedirect",
    "setCookieAndRedirect",
    "OktaSignIn",
    "OktaAuth",
    "AuthJS",
    "OktaAuthJS",
];

/// The last member names of calls that build or return an HTTP response or
/// a test double's value, whatever the receiver.
const RESPONSE_METHODS_ANY: &[&str] = &[
    "reply",
    "replyOnce",
    "mockResolvedValue",
    "mockResolvedValueOnce",
    "mockReturnValue",
    "mockReturnValueOnce",
    "resolves",
    "returns",
    "intercept",
    "fulfill",
];

/// Methods that write a response when the receiver chain starts with a
/// response object (`res.json`, `res.status(200).send`, `ctx.json`,
/// `HttpResponse.json`, `NextResponse.json`).
const RESPONSE_METHODS: &[&str] = &["json", "send", "jsonp", "end", "write", "body", "response"];
const RESPONSE_ROOTS: &[&str] = &[
    "res",
    "resp",
    "response",
    "reply",
    "ctx",
    "h",
    "httpresponse",
    "nextresponse",
];

/// Schema builders: `z.object`, `yup.object().shape`, `Joi.object().keys`,
/// `t.type`, … and the libraries' usual names.
const SCHEMA_METHODS: &[&str] = &[
    "object",
    "strictObject",
    "looseObject",
    "shape",
    "keys",
    "extend",
    "partial",
    "type",
    "interface",
    "struct",
    "Struct",
    "Schema",
];
const SCHEMA_ROOTS: &[&str] = &[
    "z",
    "zod",
    "yup",
    "Yup",
    "joi",
    "Joi",
    "t",
    "v",
    "s",
    "S",
    "Type",
    "mongoose",
    "Schema",
    "superstruct",
    "valibot",
];

/// Whether an OIE002 hit is reported. Everything but a `sessionToken` key
/// of an object literal is (reads, destructuring, JSX props, URL strings);
/// a key is reported when the object goes into a sign-in flow, and not when
/// the object is an HTTP response or a test double's value, a validation
/// schema, or data (the key's value is a string literal: a lookup table, a
/// constant, a fixture) that no auth-js or widget call receives.
pub fn key_is_reported<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> bool {
    let src = ctx.masked;
    if &src[hit.byte_range()] != "sessionToken" {
        return true;
    }
    if in_component_state(ctx, hit)
        || page_object_element(ctx, hit)
        || fake_response_field(ctx, hit)
    {
        return false;
    }
    let (pair, object) = match hit.kind() {
        "shorthand_property_identifier" => (None, ctx.up.of(hit)),
        "property_identifier" => {
            let pair = ctx.up.of(hit).filter(|p| {
                p.kind() == "pair"
                    && p.child_by_field_name("key")
                        .is_some_and(|k| k.id() == hit.id())
            });
            (pair, pair.and_then(|p| ctx.up.of(p)))
        }
        "string_fragment" => {
            let pair = ctx
                .up
                .of(hit)
                .filter(|s| s.kind() == "string")
                .and_then(|s| {
                    ctx.up.of(s).filter(|p| {
                        p.kind() == "pair"
                            && p.child_by_field_name("key")
                                .is_some_and(|k| k.id() == s.id())
                    })
                });
            (pair, pair.and_then(|p| ctx.up.of(p)))
        }
        _ => return true,
    };
    let Some(object) = object.filter(|o| o.kind() == "object") else {
        return true;
    };
    let value = pair
        .and_then(|p| p.child_by_field_name("value"))
        .map(syntax::unwrap_expr);
    if value.is_some_and(|v| is_validator(v, src)) {
        return false;
    }
    let sinks = sinks_of(ctx, object);
    if sinks.contains(&Sink::SignIn) {
        return true;
    }
    if value.is_some_and(|v| is_string_literal(v)) {
        return false;
    }
    sinks.is_empty() || sinks.contains(&Sink::Other)
}

/// A `sessionToken` field of a UI component's own state (issue 26): the
/// app's copy of whatever it stored, not a Classic sign-in result. Reads
/// `this.state.sessionToken`, `state.sessionToken`, `prevState.sessionToken`,
/// and keys of the object given to `this.state = {…}`, a `state = {…}`
/// class field, `setState({…})` (also `setState(prev => ({…}))`) or
/// `useState({…})`. A Classic token read into the state
/// (`setState({ sessionToken: res.sessionToken })`) is still reported at
/// the read.
fn in_component_state<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> bool {
    let src = ctx.masked;
    let is_state_name = |n: Node| {
        let n = syntax::unwrap_expr(n);
        match n.kind() {
            "identifier" => matches!(&src[n.byte_range()], "state" | "prevState"),
            "member_expression" => n
                .child_by_field_name("property")
                .is_some_and(|p| &src[p.byte_range()] == "state"),
            _ => false,
        }
    };
    let Some(parent) = ctx.up.of(hit) else {
        return false;
    };
    // A read: `<state>.sessionToken`.
    if hit.kind() == "property_identifier" && parent.kind() == "member_expression" {
        return parent
            .child_by_field_name("object")
            .is_some_and(is_state_name);
    }
    // A key: the object literal that holds it.
    let key = if hit.kind() == "string_fragment" {
        parent
    } else {
        hit
    };
    let object = match ctx.up.of(key) {
        Some(p) if p.kind() == "object" => p,
        Some(p) if p.kind() == "pair" => match ctx.up.of(p) {
            Some(o) if o.kind() == "object" => o,
            _ => return false,
        },
        _ => return false,
    };
    let mut at = object;
    // `setState(prev => ({ … }))`: out of the parentheses and the arrow.
    while let Some(p) = ctx.up.of(at) {
        if p.kind() == "parenthesized_expression"
            || (p.kind() == "arrow_function"
                && p.child_by_field_name("body")
                    .is_some_and(|b| b.id() == at.id()))
        {
            at = p;
        } else {
            break;
        }
    }
    let Some(holder) = ctx.up.of(at) else {
        return false;
    };
    match holder.kind() {
        "assignment_expression" => {
            holder
                .child_by_field_name("right")
                .is_some_and(|r| r.id() == at.id())
                && holder
                    .child_by_field_name("left")
                    .is_some_and(is_state_name)
        }
        "public_field_definition" | "field_definition" => holder
            .child_by_field_name("property")
            .or_else(|| holder.child_by_field_name("name"))
            .is_some_and(|n| &src[n.byte_range()] == "state"),
        "arguments" => ctx.up.of(holder).is_some_and(|call| {
            call.kind() == "call_expression"
                && call.child_by_field_name("function").is_some_and(|f| {
                    let name = match f.kind() {
                        "member_expression" => f.child_by_field_name("property"),
                        _ => Some(f),
                    };
                    name.is_some_and(|n| matches!(&src[n.byte_range()], "setState" | "useState"))
                })
        }),
        _ => false,
    }
}

/// Calls that look up a page element in end-to-end tests and page objects
/// (WebdriverIO `$`/`$$`, Playwright `locator`/`getBy…`, Protractor
/// `element`/`by.id`, Selenium `findElement`, Cypress `cy.get`, the DOM's
/// `querySelector`/`getElementById`).
const ELEMENT_LOOKUPS: &[&str] = &[
    "$",
    "$$",
    "locator",
    "getByTestId",
    "getByText",
    "getByRole",
    "getByLabel",
    "getByLabelText",
    "element",
    "findElement",
    "querySelector",
    "getElementById",
];

/// A page object's element named `sessionToken` (issue 26): `this.sessionToken`
/// in a class that declares it as a getter of a page element
/// (`get sessionToken() { return $('#sessionToken'); }`, as WebdriverIO page
/// objects do) or assigns it one (`this.sessionToken = page.locator(…)`,
/// a `sessionToken = element(by.id(…))` field); and that assignment itself.
/// The element shows a token on a test page, its getter reads none. A
/// `this.sessionToken` of any other class is still reported.
fn page_object_element<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> bool {
    let src = ctx.masked;
    let on_this = ctx.up.of(hit).is_some_and(|m| {
        m.kind() == "member_expression"
            && m.child_by_field_name("object")
                .is_some_and(|o| o.kind() == "this")
    });
    if !on_this {
        return false;
    }
    // The enclosing class body, a bounded climb.
    let mut at = hit;
    let mut body = None;
    for _ in 0..64 {
        let Some(p) = ctx.up.of(at) else { break };
        if p.kind() == "class_body" {
            body = Some(p);
            break;
        }
        at = p;
    }
    let Some(body) = body else {
        return false;
    };
    let is_lookup = |v: Node| {
        let v = syntax::unwrap_expr(v);
        let v = if v.kind() == "await_expression" {
            v.named_child(0).map(syntax::unwrap_expr).unwrap_or(v)
        } else {
            v
        };
        v.kind() == "call_expression"
            && v.child_by_field_name("function")
                .and_then(|f| callee_name(f, src))
                .is_some_and(|n| ELEMENT_LOOKUPS.contains(&n))
    };
    let named_token = |n: Option<Node>| n.is_some_and(|n| &src[n.byte_range()] == "sessionToken");
    // `this.sessionToken = lookup(…)` among a method's first statements.
    let assigns_lookup = |stmt: Node| {
        let e = if stmt.kind() == "expression_statement" {
            stmt.named_child(0)
        } else {
            None
        };
        e.is_some_and(|e| {
            e.kind() == "assignment_expression"
                && e.child_by_field_name("left").is_some_and(|l| {
                    l.kind() == "member_expression"
                        && l.child_by_field_name("object")
                            .is_some_and(|o| o.kind() == "this")
                        && named_token(l.child_by_field_name("property"))
                })
                && e.child_by_field_name("right").is_some_and(is_lookup)
        })
    };
    // Bounded: a page object has a few dozen members and its constructor a
    // few dozen statements; a file of thousands of hits stays linear.
    let mut members = body.walk();
    let found = body
        .named_children(&mut members)
        .take(256)
        .any(|m| match m.kind() {
            "method_definition" => {
                let name = m.child_by_field_name("name");
                let getter = {
                    let mut c = m.walk();
                    let g = m.children(&mut c).any(|k| k.kind() == "get");
                    g
                };
                let ctor = name.is_some_and(|n| &src[n.byte_range()] == "constructor");
                if !(ctor || (getter && named_token(name))) {
                    return false;
                }
                let Some(block) = m.child_by_field_name("body") else {
                    return false;
                };
                let mut c = block.walk();
                let found = block.named_children(&mut c).take(256).any(|st| {
                    if ctor {
                        assigns_lookup(st)
                    } else {
                        // `get sessionToken() { return $('#sessionToken'); }`
                        st.kind() == "return_statement" && st.named_child(0).is_some_and(is_lookup)
                    }
                });
                found
            }
            "public_field_definition" | "field_definition" => {
                named_token(
                    m.child_by_field_name("property")
                        .or_else(|| m.child_by_field_name("name")),
                ) && m.child_by_field_name("value").is_some_and(is_lookup)
            }
            _ => false,
        });
    found
}

/// A field of a fake Authn response that a mock server or test double
/// builds (issue 26): `authResp.sessionToken = 'session-token-abc'`, a
/// string literal written to the field. It answers with a token, it does
/// not use one (as a `sessionToken: '…'` key of data is not reported).
fn fake_response_field<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> bool {
    let Some(member) = ctx.up.of(hit).filter(|m| {
        m.kind() == "member_expression"
            && m.child_by_field_name("property")
                .is_some_and(|p| p.id() == hit.id())
    }) else {
        return false;
    };
    ctx.up.of(member).is_some_and(|a| {
        a.kind() == "assignment_expression"
            && a.child_by_field_name("left")
                .is_some_and(|l| l.id() == member.id())
            && a.child_by_field_name("right")
                .map(syntax::unwrap_expr)
                .is_some_and(is_string_literal)
    })
}

/// The construct a `sessionToken` key stands for: the whole
/// `sessionToken: value` pair (or JSX `sessionToken={value}` attribute).
/// A read inside the value (`sessionToken: tx.sessionToken`,
/// `sessionToken: tx['sessionToken'] || ''`) is the token the key passes
/// on: the same problem, reported once (see
/// [`crate::diagnostic::merge_same_construct`]). A value that is a
/// function is code of its own, so its reads stay separate findings; so
/// do reads in other statements (`const t = tx.sessionToken; …({
/// sessionToken: t })`): each is a line to change.
///
/// A URL that carries the token (`` `…/authorize?sessionToken=${t}` ``,
/// `'…?sessionToken=' + t`) is one construct too: the string and the `+`
/// chain it sits in, so the read that fills it is not a second finding.
pub fn construct_of<'t>(ctx: &FileCtx<'t>, hit: Node<'t>) -> Option<std::ops::Range<usize>> {
    let src = ctx.masked;
    if hit.kind() == "string_fragment" && src[hit.byte_range()].contains("sessionToken=") {
        return url_construct(ctx, hit);
    }
    let key = match hit.kind() {
        "property_identifier" => hit,
        "string_fragment" => ctx.up.of(hit).filter(|s| s.kind() == "string")?,
        _ => return None,
    };
    let holder = ctx.up.of(key)?;
    let value = match holder.kind() {
        "pair" => {
            if holder.child_by_field_name("key")?.id() != key.id() {
                return None;
            }
            syntax::unwrap_expr(holder.child_by_field_name("value")?)
        }
        "jsx_attribute" => {
            let value = holder.named_child(1)?;
            match value.kind() {
                "jsx_expression" => syntax::unwrap_expr(value.named_child(0)?),
                _ => value,
            }
        }
        _ => return None,
    };
    let is_function = matches!(
        value.kind(),
        "arrow_function" | "function_expression" | "function" | "generator_function"
    );
    (&src[hit.byte_range()] == "sessionToken" && !is_function).then(|| holder.byte_range())
}

/// The string holding a `?sessionToken=` URL fragment, widened over the
/// `+` concatenation it is part of.
fn url_construct<'t>(ctx: &FileCtx<'t>, fragment: Node<'t>) -> Option<std::ops::Range<usize>> {
    let mut node = ctx
        .up
        .of(fragment)
        .filter(|s| matches!(s.kind(), "string" | "template_string"))?;
    for _ in 0..crate::syntax::MAX_CLIMB {
        match ctx.up.of(node) {
            Some(p)
                if p.kind() == "binary_expression"
                    && p.child_by_field_name("operator")
                        .is_some_and(|o| o.kind() == "+") =>
            {
                node = p
            }
            Some(p) if p.kind() == "parenthesized_expression" => node = p,
            _ => break,
        }
    }
    Some(node.byte_range())
}

/// `'x'`, `"x"` or a template literal without substitutions.
fn is_string_literal(v: Node) -> bool {
    match v.kind() {
        "string" => true,
        "template_string" => syntax::named_children(v)
            .iter()
            .all(|c| c.kind() != "template_substitution"),
        _ => false,
    }
}

/// A schema type for the key: `z.string()`, `yup.string().required()`,
/// `Joi.string()`, `String` (mongoose), `{ type: String }`.
fn is_validator(v: Node, src: &str) -> bool {
    const TYPES: &[&str] = &[
        "string",
        "number",
        "boolean",
        "any",
        "unknown",
        "mixed",
        "optional",
        "nullable",
        "nullish",
        "custom",
        "lazy",
        "union",
        "alternatives",
    ];
    match v.kind() {
        "identifier" => matches!(&src[v.byte_range()], "String" | "Boolean" | "Number"),
        "call_expression" => {
            root_name(v, src).is_some_and(|r| SCHEMA_ROOTS.contains(&r))
                && first_member(v, src).is_some_and(|m| TYPES.contains(&m))
        }
        "object" => syntax::named_children(v).iter().any(|p| {
            syntax::prop_key(*p, src) == Some("type")
                && p.child_by_field_name("value").is_some_and(|t| {
                    matches!(&src[t.byte_range()], "String" | "'string'" | "\"string\"")
                })
        }),
        _ => false,
    }
}

/// The member name right after the root of a call/member chain (`string`
/// of `yup.string().required()`).
fn first_member<'s>(mut n: Node, src: &'s str) -> Option<&'s str> {
    let mut last = None;
    loop {
        n = match n.kind() {
            "call_expression" => n.child_by_field_name("function")?,
            "member_expression" => {
                last = n
                    .child_by_field_name("property")
                    .map(|p| &src[p.byte_range()]);
                n.child_by_field_name("object")?
            }
            "identifier" => return last,
            _ => return None,
        }
    }
}

/// The identifier a call/member chain starts from (`res` of
/// `res.status(200).json`).
fn root_name<'s>(mut n: Node, src: &'s str) -> Option<&'s str> {
    loop {
        n = match n.kind() {
            "call_expression" => n.child_by_field_name("function")?,
            "member_expression" => n.child_by_field_name("object")?,
            "parenthesized_expression" | "await_expression" | "non_null_expression" => {
                n.named_child(0)?
            }
            "identifier" => return Some(&src[n.byte_range()]),
            _ => return None,
        }
    }
}

/// The name a call or `new` calls (`json` of `res.json`, `z.object`'s
/// `object`, `OktaSignIn`).
fn callee_name<'s>(callee: Node, src: &'s str) -> Option<&'s str> {
    match callee.kind() {
        "identifier" => Some(&src[callee.byte_range()]),
        "member_expression" => callee
            .child_by_field_name("property")
            .map(|p| &src[p.byte_range()]),
        _ => None,
    }
}

/// Where the value `node` goes, climbing through wrappers, enclosing
/// objects and arrays, and the variables that hold it.
fn sinks_of<'t>(ctx: &FileCtx<'t>, node: Node<'t>) -> Vec<Sink> {
    let mut out = Vec::new();
    climb(ctx, node, &mut out, 0);
    out
}

fn climb<'t>(ctx: &FileCtx<'t>, mut node: Node<'t>, out: &mut Vec<Sink>, depth: usize) {
    let src = ctx.masked;
    loop {
        let Some(parent) = ctx.up.of(node) else {
            return;
        };
        match parent.kind() {
            // `body.expiresAt = …`, `body.sessionToken`: a property of the
            // object is used, the object itself goes nowhere.
            "member_expression"
                if depth > 0
                    && parent
                        .child_by_field_name("object")
                        .is_some_and(|o| o.id() == node.id()) =>
            {
                return;
            }
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression"
            | "spread_element"
            | "array" => node = parent,
            "pair" => {
                // A JSON Schema: `properties: { sessionToken: { type: 'string' } }`.
                if syntax::prop_key(parent, src) == Some("properties") {
                    out.push(Sink::Schema);
                    return;
                }
                match ctx.up.of(parent) {
                    Some(o) if o.kind() == "object" => node = o,
                    _ => return,
                }
            }
            "arguments" => {
                let Some(call) = ctx.up.of(parent) else {
                    return;
                };
                out.push(match call.kind() {
                    "call_expression" => {
                        let Some(f) = call.child_by_field_name("function") else {
                            return;
                        };
                        let name = callee_name(f, src);
                        // `JSON.stringify(x)` is the same data: follow it.
                        if f.kind() == "member_expression"
                            && name == Some("stringify")
                            && root_name(f, src) == Some("JSON")
                        {
                            node = call;
                            continue;
                        }
                        classify_call(f, name, src)
                    }
                    "new_expression" => match call
                        .child_by_field_name("constructor")
                        .and_then(|c| callee_name(c, src))
                    {
                        Some(n) if SIGN_IN_CALLS.contains(&n) => Sink::SignIn,
                        Some("Schema") => Sink::Schema,
                        Some("Response") => Sink::Response,
                        _ => Sink::Other,
                    },
                    _ => Sink::Other,
                });
                return;
            }
            "variable_declarator" => {
                let name = parent
                    .child_by_field_name("name")
                    .filter(|n| n.kind() == "identifier");
                match name {
                    Some(name) if depth < 2 => uses_of(ctx, name, out, depth),
                    _ => out.push(Sink::Other),
                }
                return;
            }
            "assignment_expression" => {
                // Koa: `ctx.body = { … }`; `ctx.response.body = …`.
                let left = parent.child_by_field_name("left");
                let is_body = left.is_some_and(|l| {
                    l.kind() == "member_expression"
                        && callee_name(l, src) == Some("body")
                        && root_name(l, src).is_some_and(|r| {
                            RESPONSE_ROOTS.contains(&r.to_ascii_lowercase().as_str())
                        })
                });
                out.push(if is_body { Sink::Response } else { Sink::Other });
                return;
            }
            _ => {
                out.push(Sink::Other);
                return;
            }
        }
    }
}

fn classify_call(f: Node, name: Option<&str>, src: &str) -> Sink {
    let Some(name) = name else {
        return Sink::Other;
    };
    if SIGN_IN_CALLS.contains(&name) {
        return Sink::SignIn;
    }
    if f.kind() == "identifier" {
        return match name {
            "object" | "strictObject" | "looseObject" => Sink::Schema,
            _ => Sink::Other,
        };
    }
    if RESPONSE_METHODS_ANY.contains(&name) {
        return Sink::Response;
    }
    let root = root_name(f, src);
    if RESPONSE_METHODS.contains(&name)
        && root.is_some_and(|r| RESPONSE_ROOTS.contains(&r.to_ascii_lowercase().as_str()))
    {
        return Sink::Response;
    }
    if SCHEMA_METHODS.contains(&name) && root.is_some_and(|r| SCHEMA_ROOTS.contains(&r)) {
        return Sink::Schema;
    }
    Sink::Other
}

/// The sinks of every later use of the variable `name` (its identifier
/// anywhere else in the file's code).
fn uses_of<'t>(ctx: &FileCtx<'t>, name: Node<'t>, out: &mut Vec<Sink>, depth: usize) {
    let text = &ctx.masked[name.byte_range()];
    for use_ in ctx.identifier_uses(text) {
        if use_.id() != name.id() {
            climb(ctx, use_, out, depth + 1);
        }
    }
}
