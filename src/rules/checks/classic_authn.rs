//! OIE027's check: the Classic Authentication API and its session hand-offs
//! in server code (Java, C#, Python, PHP, Go, Ruby) and in JavaScript
//! (Node servers, pages that call the API themselves): Okta's third
//! deployment model, custom sign-in built on `/api/v1/authn` (issue 26,
//! `okta-oie.md` §11).
//!
//! Only string literals are read (never comments), with what a literal is
//! joined to: the other literals of a concatenation (`base + "/api/v1/authn"`,
//! PHP's `.`), the text around interpolations (f-strings, `$"…{x}…"`,
//! `"#{x}"`, `"$x"`, template literals) and format strings (`"%s/api/v1/authn"`).
//! Four shapes are reported:
//!
//! - a `/api/v1/authn` path (with its `/factors/…`, `/recovery/…` tails:
//!   the same API), where `api` follows a `/`, a value or the literal's
//!   start, and `authn` is the whole segment (`/api/v1/authnz` is another
//!   path). A bare path that a server *defines* (a route, an annotation, a
//!   test double of the API) is not a request and stays silent;
//! - an `audience` key (a string `"audience"`, a JSON text with it, an
//!   object key or keyword argument named so) in the same function as a
//!   reported `/api/v1/authn` request: the parameter is not supported;
//! - `/login/sessionCookieRedirect` in a literal that also carries a
//!   `token=` parameter (the hand-off that skips Identity Engine's app
//!   sign-on policies);
//! - `?sessionToken=`/`&sessionToken=` in a literal (an authorize URL
//!   with a Classic session token), and a `"sessionToken"` key or query
//!   parameter added in a function that builds an `/v1/authorize` URL. In
//!   JavaScript both are OIE002's (`session-token`), so only server code
//!   reports them here.

use super::{Check, FileCtx};
use crate::diagnostic::{Finding, Severity};
use crate::rules::Registry;
use crate::source::ServerLang;
use memchr::memmem;
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// This file's checks, by the name a rule file gives in `[detect] check`.
pub const CHECKS: &[(&str, super::MakeCheck)] =
    &[("classic-authn", |rule| Box::new(ClassicAuthn { rule }))];

pub struct ClassicAuthn {
    pub rule: usize,
}

/// The node kinds of one grammar that this check reads.
struct Grammar {
    /// String literals (the outermost node of one literal).
    strings: &'static [&'static str],
    /// Nodes that open a function body: the scope of the `audience` and
    /// `sessionToken` key conditions.
    functions: &'static [&'static str],
    /// Annotations, attributes and decorators: a path there is a route.
    annotations: &'static [&'static str],
    /// Function literals, lambdas and blocks: a handler argument.
    function_literals: &'static [&'static str],
    /// Binary concatenation nodes (their `operator` is `+` or `.`).
    concatenations: &'static [&'static str],
    /// Object / map / hash / dictionary entries (the key is their first
    /// named child) and the containers around them.
    entries: &'static [&'static str],
    /// Whether `authorize?sessionToken=` is reported here (not in
    /// JavaScript, where it is OIE002's).
    authorize: bool,
    /// Okta's Classic Authn SDK for the language: the import that names
    /// it, and its methods that call `/api/v1/authn` (reported as
    /// requests in a file that imports it).
    sdk: Option<(&'static str, &'static [&'static str])>,
}

/// `com.okta.authn.sdk` (okta-auth-java): `AuthenticationClient`'s calls.
const JAVA_AUTHN_SDK: &[&str] = &[
    "authenticate",
    "verifyFactor",
    "challengeFactor",
    "enrollFactor",
    "activateFactor",
    "recoverPassword",
    "unlockAccount",
    "verifyRecoveryToken",
    "verifyUnlockToken",
    "resetPassword",
    "changePassword",
];

/// `Okta.Auth.Sdk` (okta-auth-dotnet): `AuthenticationClient`'s calls.
const CSHARP_AUTHN_SDK: &[&str] = &[
    "AuthenticateAsync",
    "VerifyFactorAsync",
    "ChallengeFactorAsync",
    "EnrollFactorAsync",
    "ActivateFactorAsync",
    "ForgotPasswordAsync",
    "UnlockAccountAsync",
    "VerifyRecoveryTokenAsync",
    "VerifyUnlockTokenAsync",
    "ResetPasswordAsync",
    "ChangePasswordAsync",
];

const JS: Grammar = Grammar {
    strings: &["string", "template_string"],
    functions: &[
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
    ],
    // TypeScript types name paths without requesting them
    // (`type OktaApiPath = '/api/v1/authn' | …`).
    annotations: &[
        "decorator",
        "literal_type",
        "type_alias_declaration",
        "interface_declaration",
        "type_annotation",
    ],
    function_literals: &["arrow_function", "function_expression", "function"],
    concatenations: &["binary_expression"],
    entries: &["pair", "object"],
    authorize: false,
    sdk: None,
};

fn grammar(lang: ServerLang) -> Grammar {
    match lang {
        ServerLang::Java => Grammar {
            strings: &["string_literal"],
            functions: &[
                "method_declaration",
                "constructor_declaration",
                "lambda_expression",
                "static_initializer",
            ],
            annotations: &["annotation", "marker_annotation"],
            function_literals: &["lambda_expression"],
            concatenations: &["binary_expression"],
            entries: &[],
            authorize: true,
            sdk: Some(("com.okta.authn.sdk", JAVA_AUTHN_SDK)),
        },
        ServerLang::CSharp => Grammar {
            strings: &[
                "string_literal",
                "verbatim_string_literal",
                "raw_string_literal",
                "interpolated_string_expression",
            ],
            functions: &[
                "method_declaration",
                "constructor_declaration",
                "local_function_statement",
                "lambda_expression",
                "anonymous_method_expression",
                "accessor_declaration",
            ],
            annotations: &["attribute"],
            function_literals: &["lambda_expression", "anonymous_method_expression"],
            concatenations: &["binary_expression"],
            entries: &[
                "initializer_expression",
                "anonymous_object_creation_expression",
            ],
            authorize: true,
            sdk: Some(("Okta.Auth.Sdk", CSHARP_AUTHN_SDK)),
        },
        ServerLang::Python => Grammar {
            strings: &["string"],
            functions: &["function_definition", "lambda"],
            annotations: &["decorator"],
            function_literals: &["lambda"],
            concatenations: &["binary_operator", "concatenated_string"],
            entries: &["pair", "dictionary", "keyword_argument"],
            authorize: true,
            sdk: None,
        },
        ServerLang::Php => Grammar {
            strings: &["string", "encapsed_string", "heredoc", "nowdoc"],
            functions: &[
                "function_definition",
                "method_declaration",
                "anonymous_function",
                "anonymous_function_creation_expression",
                "arrow_function",
            ],
            annotations: &["attribute"],
            function_literals: &[
                "anonymous_function",
                "anonymous_function_creation_expression",
                "arrow_function",
            ],
            concatenations: &["binary_expression"],
            entries: &["array_element_initializer", "array_creation_expression"],
            authorize: true,
            sdk: None,
        },
        ServerLang::Go => Grammar {
            strings: &["interpreted_string_literal", "raw_string_literal"],
            functions: &["function_declaration", "method_declaration", "func_literal"],
            annotations: &[],
            function_literals: &["func_literal"],
            concatenations: &["binary_expression"],
            entries: &["keyed_element", "literal_element", "literal_value"],
            authorize: true,
            sdk: None,
        },
        ServerLang::Ruby => Grammar {
            strings: &["string"],
            functions: &["method", "singleton_method", "do_block", "block", "lambda"],
            annotations: &[],
            function_literals: &["do_block", "block", "lambda"],
            concatenations: &["binary"],
            entries: &["pair", "hash"],
            authorize: true,
            sdk: None,
        },
    }
}

/// Named children of a literal that are its text or its delimiters (every
/// other named child is a value: an interpolation, a variable).
const TEXT_KINDS: &[&str] = &[
    "string_fragment",
    "multiline_string_fragment",
    "string_content",
    "string_literal_content",
    "interpreted_string_literal_content",
    "raw_string_literal_content",
    "raw_string_content",
    "escape_sequence",
    "string_value",
    "heredoc_content",
    "nowdoc_string",
];
const DELIMITER_KINDS: &[&str] = &[
    "string_start",
    "string_end",
    "interpolation_start",
    "raw_string_start",
    "raw_string_end",
    "heredoc_start",
    "heredoc_end",
];

/// Call names that only define a route or a test double of an API, or
/// assert a request: a path in their arguments is served, stubbed or
/// checked, not requested.
const ROUTE_CALLS: &[&str] = &[
    "toHaveBeenCalledWith",
    "toBeCalledWith",
    "calledWith",
    "assert_called_with",
    "assert_called_once_with",
    "assertEquals",
    "HandleFunc",
    "Handle",
    "HandlerFunc",
    "MapPost",
    "MapGet",
    "MapPut",
    "MapPatch",
    "MapDelete",
    "MapMethods",
    "MapFallback",
    "route",
    "add_url_rule",
    "add_route",
    "add_api_route",
    "api_route",
    "register_uri",
    "stubFor",
    "givenThat",
    "urlEqualTo",
    "urlPathEqualTo",
    "urlMatching",
    "urlPathMatching",
    "onPost",
    "onGet",
    "onPut",
    "onAny",
    "whenPOST",
    "whenGET",
    "expectPOST",
    "expectGET",
    "intercept",
];

/// Names in a call's receiver chain that mark a test double of an HTTP
/// API (nock, responses, requests-mock, respx, httpretty, WireMock, …).
const MOCK_NAMES: &[&str] = &[
    "nock",
    "responses",
    "rsps",
    "requests_mock",
    "respx",
    "httpretty",
    "aioresponses",
    "mockServer",
    "mock_server",
    "MockServer",
    "wireMock",
    "wiremock",
    "WireMock",
    "mockWebServer",
    "mockMvc",
    "MockMvc",
    "fetchMock",
    "mock",
    "mocker",
];

/// HTTP verb methods: a route when called on a router or with a handler,
/// a request when called on a client.
const VERBS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "all", "use", "options", "head", "any", "match",
    "path", "re_path", "url",
];

/// Receivers that are routers (Express `app`, Gin `r`, Laravel `Route`, …).
const ROUTERS: &[&str] = &[
    "app", "router", "server", "mux", "r", "e", "g", "engine", "group", "routes", "route",
    "fastify",
];

/// Each node's parent, recorded by [`walk`] as it goes down: a lookup
/// instead of `Node::parent`, which costs the node's depth (deeply nested
/// concatenations would make the climbs quadratic).
#[derive(Default)]
struct Up<'t>(HashMap<usize, Node<'t>>);

impl<'t> Up<'t> {
    fn of(&self, n: Node<'t>) -> Option<Node<'t>> {
        self.0.get(&n.id()).copied()
    }
}

/// At most this many levels are climbed from a literal (concatenations,
/// entries, calls): a bound that keeps every literal's work constant.
const MAX_CLIMB: usize = 64;

/// What one walk over a tree collects.
#[derive(Default)]
struct Seen {
    /// Each `/api/v1/authn` request path, with the scope (function) it is in.
    authn: Vec<(std::ops::Range<usize>, usize)>,
    /// `/login/sessionCookieRedirect` paths with a `token=` in their construct.
    redirects: Vec<std::ops::Range<usize>>,
    /// The other `/login/sessionCookieRedirect` request paths, with their
    /// scope: reported when the scope adds a `"token"` query parameter.
    redirects_pending: Vec<(std::ops::Range<usize>, usize)>,
    /// Scopes that add a `"token"` query parameter (`queryParam("token", t)`).
    token_param_scopes: HashSet<usize>,
    /// `sessionToken` of a `?sessionToken=` parameter.
    token_params: Vec<std::ops::Range<usize>>,
    /// `"sessionToken"` keys and query parameters, with their scope.
    token_keys: Vec<(std::ops::Range<usize>, usize)>,
    /// Scopes that build an authorize URL.
    authorize_scopes: HashSet<usize>,
    /// `audience` keys, with their scope.
    audience: Vec<(std::ops::Range<usize>, usize)>,
}

impl Check for ClassicAuthn {
    fn on_match<'t>(&self, _: &FileCtx<'t>, _: &super::Captures<'t>, _: &mut Vec<Finding>) {}

    fn on_file(&self, ctx: &FileCtx, out: &mut Vec<Finding>) -> Result<(), String> {
        let mut seen = Seen::default();
        for u in ctx.server {
            walk(
                u.tree.root_node(),
                &ctx.source.text,
                &grammar(u.lang),
                &mut seen,
            );
        }
        // JavaScript reports only the request and the redirect: a script
        // that names neither (most that pass the prefilter on
        // `sessionToken`) is not walked at all.
        let js = ctx.masked.as_bytes();
        if memmem::find(js, b"api/v1/authn").is_some()
            || memmem::find(js, b"login/sessionCookieRedirect").is_some()
        {
            for u in ctx.units {
                walk(u.tree.root_node(), ctx.masked, &JS, &mut seen);
            }
        }
        let params = &Registry::get().rules[self.rule].detect.params;
        let message = |key: &str| {
            params
                .get("messages")
                .and_then(|m| m.get(key))
                .and_then(|m| m.as_str())
                .map(str::to_string)
        };
        let mut push = |range: std::ops::Range<usize>, key: &str, severity: Option<Severity>| {
            let mut f = Finding::new(self.rule, range.start, range.end);
            let why = "the sign-in moves to the Identity Engine (IDX) flow, a redesign rather than an edit";
            f.message = message(key).map(|m| format!("{m} (no automatic fix: {why})"));
            f.severity = severity;
            f.no_fix = Some(crate::diagnostic::NoFix::new("redesign-to-idx", why));
            out.push(f);
        };
        let authn_scopes: HashSet<usize> = seen.authn.iter().map(|(_, s)| *s).collect();
        for (r, _) in seen.authn {
            push(r, "authn", None);
        }
        for (r, scope) in seen.audience {
            if authn_scopes.contains(&scope) {
                push(r, "audience", None);
            }
        }
        for r in seen.redirects {
            push(r, "session-cookie-redirect", Some(Severity::Error));
        }
        for (r, scope) in seen.redirects_pending {
            if seen.token_param_scopes.contains(&scope) {
                push(r, "session-cookie-redirect", Some(Severity::Error));
            }
        }
        for r in seen.token_params {
            push(r, "authorize-session-token", None);
        }
        for (r, scope) in seen.token_keys {
            if seen.authorize_scopes.contains(&scope) {
                push(r, "authorize-session-token", None);
            }
        }
        Ok(())
    }
}

/// Whether the byte before `at` (in `text`) ends a path segment start: a
/// `/`, or nothing of the literal's own text (its start or a value).
fn segment_start(text: &[u8], at: usize, content_start: usize) -> bool {
    at == content_start || text[at - 1] == b'/'
}

/// Whether `b` may continue a path segment's name.
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Occurrences of `needle` in `text[range]` that are whole path segments:
/// preceded by `/` or the start of a text piece, followed by no name
/// character. Returns the start of each (at its leading `/` when there is one).
fn path_hits(
    text: &str,
    range: std::ops::Range<usize>,
    needle: &str,
    pieces: &[std::ops::Range<usize>],
) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for i in memmem::find_iter(&bytes[range.clone()], needle.as_bytes()) {
        let at = range.start + i;
        let end = at + needle.len();
        if bytes.get(end).is_some_and(|b| word_byte(*b)) {
            continue;
        }
        let piece_start = pieces.iter().find(|p| p.contains(&at)).map(|p| p.start);
        let Some(piece_start) = piece_start else {
            continue;
        };
        if !segment_start(bytes, at, piece_start) {
            continue;
        }
        // In a URL the path follows the host or a value (`…okta.com/`,
        // `{org}/`, `%s/`); after a space or a quote it is prose (a log
        // line, a test's name: `'calls "/api/v1/authn"'`).
        if at >= piece_start + 2 && bytes[at - 1] == b'/' {
            let before = bytes[at - 2];
            if before.is_ascii_whitespace()
                || matches!(
                    before,
                    b'"' | b'\'' | b'`' | b'(' | b'<' | b'>' | b',' | b';'
                )
            {
                continue;
            }
        }
        out.push(if at > 0 && bytes[at - 1] == b'/' {
            at - 1
        } else {
            at
        });
    }
    out
}

/// The text pieces of a literal (its own text between the delimiters and
/// the values): byte ranges.
fn text_pieces(node: Node, text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut any_child = false;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            any_child = true;
            let k = ch.kind();
            if TEXT_KINDS.contains(&k) {
                out.push(ch.byte_range());
            } else if k == "heredoc_body" {
                stack.push(ch);
            }
        }
    }
    if !any_child {
        // A literal without children (C# verbatim strings, empty strings):
        // its text between the quote characters.
        let s = &text[node.byte_range()];
        let lead = s
            .bytes()
            .take_while(|b| matches!(b, b'"' | b'\'' | b'@' | b'`' | b'$'))
            .count();
        let trail = s[lead..]
            .bytes()
            .rev()
            .take_while(|b| matches!(b, b'"' | b'\'' | b'`'))
            .count();
        out.push(node.start_byte() + lead..node.end_byte() - trail);
    }
    // Adjacent text children (a fragment and an escape) are one piece.
    out.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in out {
        match merged.last_mut() {
            Some(m) if m.end == r.start => m.end = r.end,
            _ => merged.push(r),
        }
    }
    merged
}

/// Whether a literal's first text piece starts at `at` with nothing (no
/// value, no text) before it in the literal.
fn literal_starts_at(node: Node, at: usize, pieces: &[std::ops::Range<usize>]) -> bool {
    let first_value = {
        let mut c = node.walk();
        let v = node
            .named_children(&mut c)
            .filter(|ch| !TEXT_KINDS.contains(&ch.kind()) && !DELIMITER_KINDS.contains(&ch.kind()))
            .map(|ch| ch.start_byte())
            .min();
        v
    };
    pieces.first().is_some_and(|p| p.start == at) && first_value.is_none_or(|v| v > at)
}

/// One walk over a tree: every string literal outside comments, with the
/// function scope it sits in and whether it is inside an annotation.
fn walk(root: Node, text: &str, g: &Grammar, seen: &mut Seen) {
    let mut up = Up::default();
    let sdk = g
        .sdk
        .filter(|(import, _)| memmem::find(text.as_bytes(), import.as_bytes()).is_some())
        .map(|(_, calls)| calls);
    // (node, scope id, inside an annotation)
    let mut stack = vec![(root, root.id(), false)];
    while let Some((n, scope, annotated)) = stack.pop() {
        let k = n.kind();
        if g.strings.contains(&k) {
            // A string that is a statement of its own is documentation (a
            // Python docstring), not a value the code uses.
            let statement = up
                .of(n)
                .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1);
            if !statement {
                literal(n, &up, text, g, scope, annotated, seen);
            }
            continue;
        }
        if !n.is_named() {
            continue;
        }
        key_name(n, &up, text, g, scope, seen);
        if let Some(calls) = sdk {
            sdk_call(n, text, calls, scope, seen);
        }
        let scope = if g.functions.contains(&k) {
            n.id()
        } else {
            scope
        };
        let annotated = annotated || g.annotations.contains(&k);
        let mut c = n.walk();
        let children: Vec<Node> = n.children(&mut c).collect();
        for ch in children.into_iter().rev() {
            up.0.insert(ch.id(), n);
            stack.push((ch, scope, annotated));
        }
    }
}

/// A call of the Classic Authn SDK's client (`authClient.authenticate(…)`,
/// `await _authnClient.AuthenticateAsync(…)`), reported at its method name.
fn sdk_call(n: Node, text: &str, calls: &[&str], scope: usize, seen: &mut Seen) {
    let name = match n.kind() {
        "method_invocation" if n.child_by_field_name("object").is_some() => {
            n.child_by_field_name("name")
        }
        "invocation_expression" => n
            .child_by_field_name("function")
            .filter(|f| f.kind() == "member_access_expression")
            .and_then(|f| f.child_by_field_name("name")),
        _ => None,
    };
    // On the SDK's client (`client`, `authClient`, `_authnClient`,
    // `authenticationClient`), not the app's own wrapper service or another
    // library's object (`oktaAuthService.authenticate`,
    // `_userManager.ResetPasswordAsync`).
    let receiver = n
        .child_by_field_name("object")
        .or_else(|| {
            n.child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("expression"))
        })
        .map(|r| text[r.byte_range()].to_ascii_lowercase());
    let on_client = receiver.is_some_and(|r| {
        let last = r.rsplit('.').next().unwrap_or(&r);
        last.contains("client") || last.contains("authn")
    });
    if let Some(name) = name.filter(|m| on_client && calls.contains(&&text[m.byte_range()])) {
        seen.authn.push((name.byte_range(), scope));
    }
}

/// An `audience` or `token` key that is not a string: a JavaScript object
/// key, a Python keyword argument, a Ruby symbol key, a C# anonymous object
/// member (`toQueryString({ token: sessionToken })`).
fn key_name<'t>(n: Node<'t>, up: &Up<'t>, text: &str, g: &Grammar, scope: usize, seen: &mut Seen) {
    let k = n.kind();
    if !matches!(
        k,
        "property_identifier"
            | "shorthand_property_identifier"
            | "hash_key_symbol"
            | "simple_symbol"
            | "identifier"
    ) {
        return;
    }
    let word = text[n.byte_range()].trim_start_matches(':');
    if word != "audience" && word != "token" {
        return;
    }
    let Some(parent) = up.of(n) else { return };
    let p = parent.kind();
    let is_key = match k {
        "identifier" => {
            (p == "keyword_argument" && parent.child_by_field_name("name") == Some(n))
                || p == "anonymous_object_creation_expression"
        }
        "shorthand_property_identifier" => p == "object",
        _ => g.entries.contains(&p) || p == "pair",
    };
    if is_key && word == "audience" {
        seen.audience.push((n.byte_range(), scope));
    } else if is_key {
        seen.token_param_scopes.insert(scope);
    }
}

/// The outermost node of the expression a literal is part of: climbing
/// concatenations and parentheses.
fn construct_root<'t>(node: Node<'t>, up: &Up<'t>, text: &str, g: &Grammar) -> (Node<'t>, bool) {
    let mut n = node;
    // Whether the literal is the leftmost part of the construct.
    let mut leftmost = true;
    for p in std::iter::successors(up.of(n), |&p| up.of(p)).take(MAX_CLIMB) {
        let k = p.kind();
        let concat = g.concatenations.contains(&k)
            && (k == "concatenated_string"
                || p.child_by_field_name("operator")
                    .is_some_and(|o| matches!(&text[o.byte_range()], "+" | ".")));
        if concat {
            if p.named_child(0) != Some(n) {
                leftmost = false;
            }
        } else if k != "parenthesized_expression" {
            break;
        }
        n = p;
    }
    (n, leftmost)
}

/// The call a construct is an argument of (through object or map entries
/// and keyword arguments): `(call, its argument list)`.
fn enclosing_call<'t>(root: Node<'t>, up: &Up<'t>, g: &Grammar) -> Option<(Node<'t>, Node<'t>)> {
    let mut n = root;
    for _ in 0..6 {
        let p = up.of(n)?;
        let k = p.kind();
        if matches!(k, "arguments" | "argument_list") {
            return Some((up.of(p)?, p));
        }
        if !(matches!(k, "argument" | "keyword_argument" | "pair" | "object")
            || g.entries.contains(&k))
        {
            return None;
        }
        n = p;
    }
    None
}

/// Whether a construct is a route a server defines, or a test double of
/// the API, rather than a request: inside an annotation, an argument of a
/// routing or mocking call, or (for a bare path, nothing before it) a verb
/// call on a router, without a receiver (Sinatra, Rails, Spark, Django) or
/// with a handler.
fn defines_route<'t>(
    root: Node<'t>,
    up: &Up<'t>,
    text: &str,
    g: &Grammar,
    annotated: bool,
    bare: bool,
) -> bool {
    if annotated {
        return true;
    }
    let mut at = root;
    // The call the construct is an argument of, and the call that one is
    // an argument of (`stubFor(post(urlEqualTo("/api/v1/authn")))`).
    for _ in 0..2 {
        let Some((call, args)) = enclosing_call(at, up, g) else {
            return false;
        };
        let callee = &text[call.start_byte()..args.start_byte()];
        let names: Vec<&str> = callee
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .map(|s| s.trim_start_matches('$'))
            .filter(|s| !s.is_empty())
            .collect();
        let Some((&method, receivers)) = names.split_last() else {
            return false;
        };
        // A test double by name: `nock`, `responses`, … or any name with
        // `mock` or `stub` in it (`mockApi.post(…)`, `wireMockServer`).
        let mock = |n: &&str| {
            MOCK_NAMES.contains(n) || {
                let l = n.to_ascii_lowercase();
                l.contains("mock") || l.contains("stub")
            }
        };
        if ROUTE_CALLS.contains(&method) || names.iter().any(mock) {
            return true;
        }
        if VERBS.iter().any(|v| v.eq_ignore_ascii_case(method)) {
            let handler = {
                let mut c = args.walk();
                let h = args.named_children(&mut c).any(|a| {
                    a.start_byte() > root.start_byte()
                        && (g.function_literals.contains(&a.kind())
                            || a.named_child(0)
                                .is_some_and(|x| g.function_literals.contains(&x.kind())))
                });
                h || call.child_by_field_name("block").is_some()
            };
            // msw's request handlers (`rest.post(url, resolver)`): a
            // test double whatever the URL.
            let msw = handler && matches!(receivers, ["rest" | "http" | "graphql"]);
            let receiverless = receivers.is_empty();
            let router = receivers
                .last()
                .is_some_and(|r| ROUTERS.iter().any(|x| x.eq_ignore_ascii_case(r)))
                && args.named_child_count() >= 2;
            if msw || (bare && (handler || receiverless || router)) {
                return true;
            }
        }
        at = call;
    }
    false
}

/// Whether a `"sessionToken"` (or `"token"`) literal is a key or a query
/// parameter being added (a map entry, `queryParam("sessionToken", t)`,
/// `AddQueryString(url, "token", t)`, `params["sessionToken"] = t`), not a read
/// (`json["sessionToken"]`, `body.get("sessionToken")`).
fn adds_parameter<'t>(node: Node<'t>, up: &Up<'t>, text: &str, g: &Grammar) -> bool {
    let Some(parent) = up.of(node) else {
        return false;
    };
    let p = parent.kind();
    if g.entries.contains(&p) || p == "pair" {
        return parent.named_child(0) == Some(node);
    }
    // `params["sessionToken"] = token` (also through an index wrapper).
    let mut target = parent;
    for _ in 0..3 {
        if matches!(
            target.kind(),
            "subscript"
                | "element_reference"
                | "subscript_expression"
                | "element_access_expression"
                | "index_expression"
        ) {
            return up.of(target).is_some_and(|a| {
                matches!(
                    a.kind(),
                    "assignment" | "assignment_expression" | "assignment_statement"
                ) && a.named_child(0) == Some(target)
            });
        }
        match up.of(target) {
            Some(t)
                if matches!(
                    t.kind(),
                    "argument" | "bracketed_argument_list" | "expression_list"
                ) =>
            {
                target = t
            }
            Some(t) if matches!(target.kind(), "argument" | "bracketed_argument_list") => {
                target = t
            }
            _ => break,
        }
    }
    let (holder, args) = if matches!(p, "argument" | "literal_element") {
        (parent, up.of(parent))
    } else {
        (node, Some(parent))
    };
    let Some(args) = args.filter(|a| matches!(a.kind(), "arguments" | "argument_list")) else {
        // A C# collection initializer `{ "sessionToken", token }`.
        return p == "initializer_expression" && parent.named_child(0) == Some(holder);
    };
    let Some(call) = up.of(args) else {
        return false;
    };
    let callee = &text[call.start_byte()..args.start_byte()];
    let method = callee
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase();
    method.contains("param")
        || method.contains("query")
        || matches!(
            method.as_str(),
            "add" | "put" | "set" | "append" | "with" | "setdefault" | "merge" | "store"
        )
}

/// The text of a construct's literals joined in order (a value between
/// them stands as `\u{1}`): `"…Redirect?" + "token=" + t` reads
/// `…Redirect?token=\u{1}`.
fn construct_text(root: Node, text: &str, g: &Grammar) -> String {
    let mut out = String::new();
    let mut stack = vec![root];
    // A bounded read: a construct is one URL, not a file.
    let mut budget = 4096usize;
    while let Some(n) = stack.pop() {
        budget = match budget.checked_sub(1) {
            Some(b) => b,
            None => break,
        };
        if g.strings.contains(&n.kind()) {
            for p in text_pieces(n, text) {
                out.push_str(&text[p]);
            }
            continue;
        }
        if n.child_count() == 0 && n.is_named() {
            out.push('\u{1}');
        }
        let mut c = n.walk();
        let children: Vec<Node> = n.children(&mut c).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// Whether a construct is the value of an `href` key: a link of a
/// recorded API response (`"_links": { "next": { "href": "…/api/v1/authn/…" } }`),
/// data the code received, not a request it makes.
fn is_link_value<'t>(root: Node<'t>, up: &Up<'t>, text: &str) -> bool {
    let Some(p) = up.of(root) else {
        return false;
    };
    let entry = matches!(
        p.kind(),
        "pair" | "keyed_element" | "array_element_initializer"
    ) || (p.kind() == "literal_element"
        && up.of(p).is_some_and(|k| k.kind() == "keyed_element"));
    let entry = if p.kind() == "literal_element" {
        up.of(p).filter(|_| entry)
    } else {
        Some(p).filter(|_| entry)
    };
    entry
        .and_then(|e| e.named_child(0))
        .filter(|k| k.id() != root.id())
        .is_some_and(|k| {
            text[k.byte_range()].trim_matches(|c| matches!(c, '"' | '\'' | ':')) == "href"
        })
}

/// Whether a literal's whole text is `word` (`"token"`, `'token'`).
fn pieces_are(node: Node, text: &str, word: &str) -> bool {
    let s = &text[node.byte_range()];
    s.len() <= word.len() + 4 && s.contains(word) && {
        let p = text_pieces(node, text);
        p.len() == 1 && &text[p[0].clone()] == word
    }
}

/// Reads one string literal.
fn literal<'t>(
    node: Node<'t>,
    up: &Up<'t>,
    text: &str,
    g: &Grammar,
    scope: usize,
    annotated: bool,
    seen: &mut Seen,
) {
    let range = node.byte_range();
    let s = &text.as_bytes()[range.clone()];
    let has = |needle: &str| memmem::find(s, needle.as_bytes()).is_some();
    let authn = has("api/v1/authn");
    let redirect = has("login/sessionCookieRedirect");
    let token = has("sessionToken");
    if pieces_are(node, text, "token") && adds_parameter(node, up, text, g) {
        seen.token_param_scopes.insert(scope);
        return;
    }
    // `url += "?token=" + t` in a statement of its own.
    if memmem::find_iter(s, b"token=").any(|i| i > 0 && matches!(s[i - 1], b'?' | b'&')) {
        seen.token_param_scopes.insert(scope);
    }
    let authorize = g.authorize && has("/v1/authorize");
    let audience = has("audience");
    if !(authn || redirect || token || authorize || audience) {
        return;
    }
    let pieces = text_pieces(node, text);
    let piece_text = |r: &std::ops::Range<usize>| &text[r.clone()];
    if audience
        && pieces.iter().any(|p| {
            let t = piece_text(p);
            t == "audience" || t.contains("\"audience\"") || t.contains("\\\"audience\\\"")
        })
    {
        // At the key's text (`audience`), or the whole JSON literal.
        let at = match pieces.as_slice() {
            [p] if piece_text(p) == "audience" => p.clone(),
            _ => range.clone(),
        };
        seen.audience.push((at, scope));
    }
    if authorize
        && pieces
            .iter()
            .any(|p| !path_hits(text, p.clone(), "v1/authorize", &pieces).is_empty())
    {
        seen.authorize_scopes.insert(scope);
    }
    if g.authorize && token {
        let whole = pieces.len() == 1 && piece_text(&pieces[0]) == "sessionToken";
        if whole && adds_parameter(node, up, text, g) {
            seen.token_keys.push((pieces[0].clone(), scope));
        }
        for p in &pieces {
            for i in memmem::find_iter(piece_text(p).as_bytes(), b"sessionToken=") {
                let at = p.start + i;
                if at > p.start && matches!(text.as_bytes()[at - 1], b'?' | b'&') {
                    seen.token_params.push(at..at + "sessionToken".len());
                }
            }
        }
    }
    if !(authn || redirect) {
        return;
    }
    let (root, leftmost) = construct_root(node, up, text, g);
    if is_link_value(root, up, text) {
        return;
    }
    if authn {
        for p in &pieces {
            for at in path_hits(text, p.clone(), "api/v1/authn", &pieces) {
                let path_at = if text.as_bytes()[at] == b'/' {
                    at + 1
                } else {
                    at
                };
                let bare = leftmost
                    && literal_starts_at(node, p.start, &pieces)
                    && (p.start == at || p.start == path_at);
                if defines_route(root, up, text, g, annotated, bare) {
                    continue;
                }
                seen.authn.push((at..path_at + "api/v1/authn".len(), scope));
            }
        }
    }
    if redirect {
        // The token goes in the same literal or concatenation.
        let joined = construct_text(root, text, g);
        let construct = joined.as_bytes();
        let with_token = memmem::find_iter(construct, b"token=")
            .any(|i| i > 0 && matches!(construct[i - 1], b'?' | b'&'));
        {
            for p in &pieces {
                for at in path_hits(text, p.clone(), "login/sessionCookieRedirect", &pieces) {
                    let path_at = if text.as_bytes()[at] == b'/' {
                        at + 1
                    } else {
                        at
                    };
                    let bare = leftmost && literal_starts_at(node, p.start, &pieces);
                    if defines_route(root, up, text, g, annotated, bare) {
                        continue;
                    }
                    let r = at..path_at + "login/sessionCookieRedirect".len();
                    if with_token {
                        seen.redirects.push(r);
                    } else {
                        seen.redirects_pending.push((r, scope));
                    }
                }
            }
        }
    }
}
