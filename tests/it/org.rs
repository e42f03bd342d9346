//! `oie-lint org` and `oie-lint check --org-url` against a mock Okta API: a
//! real HTTP server on 127.0.0.1:0 inside the test, answering with objects
//! shaped like Okta's documented ones. Traffic goes only to loopback; the
//! server handles a bounded number of connections.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const TOKEN: &str = "00TOPSECRETtokenVALUE-do-not-print";
const BEARER: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzY3AiOlsib2t0YS5hcHBzLnJlYWQiXX0.SECRETSIG";
/// Most connections one mock server accepts (every loop is bounded).
const MAX_CONNECTIONS: usize = 200;

/// One request as the mock saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    authorization: Option<String>,
}

/// A response: status, extra headers, body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn status(code: u16, body: Value) -> Reply {
    Reply {
        status: code,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn okta_error(code: u16, error_code: &str, summary: &str) -> Reply {
    status(
        code,
        json!({"errorCode": error_code, "errorSummary": summary, "errorLink": error_code, "errorId": "oae1", "errorCauses": []}),
    )
}

type Handler = Box<dyn Fn(&str, &Seen) -> Reply + Send + Sync>;

struct Mock {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Mock {
    /// Starts a server; `handler(base, request)` answers each request.
    fn start(handler: Handler) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (b, s) = (base.clone(), seen.clone());
        std::thread::spawn(move || {
            for _ in 0..MAX_CONNECTIONS {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let Some(req) = read_request(&mut stream) else {
                    continue;
                };
                s.lock().unwrap().push(req.clone());
                let reply = handler(&b, &req);
                let reason = match reply.status {
                    200 => "OK",
                    401 => "Unauthorized",
                    403 => "Forbidden",
                    404 => "Not Found",
                    429 => "Too Many Requests",
                    _ => "Status",
                };
                let mut head = format!(
                    "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                    reply.status,
                    reply.body.len()
                );
                for (k, v) in &reply.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(reply.body.as_bytes());
                let _ = stream.flush();
            }
        });
        Mock { base, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, target: &str) -> usize {
        self.seen().iter().filter(|s| s.target == target).count()
    }
}

/// Reads one request head (bounded to 64 KiB).
fn read_request(stream: &mut std::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let mut authorization = None;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("authorization") {
                authorization = Some(v.trim().to_string());
            }
        }
    }
    Some(Seen {
        method,
        target,
        authorization,
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

// ---- Okta-shaped objects -------------------------------------------------

fn org_meta(base: &str, pipeline: &str) -> Value {
    json!({
        "id": "00o1abcdEFGH2345",
        "pipeline": pipeline,
        "_links": {"organization": {"href": base}, "alternate": {"href": base}}
    })
}

fn oidc_app(id: &str, label: &str, app_type: &str, grants: &[&str]) -> Value {
    json!({
        "id": id,
        "name": "oidc_client",
        "label": label,
        "status": "ACTIVE",
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"autoKeyRotation": true, "client_id": id, "token_endpoint_auth_method": "none"}},
        "settings": {"oauthClient": {
            "application_type": app_type,
            "grant_types": grants,
            "response_types": ["code"],
            "redirect_uris": ["https://portal.example.com/callback"]
        }}
    })
}

fn saml_app() -> Value {
    json!({"id": "0oaSAML00000000000001", "name": "salesforce", "label": "Salesforce", "status": "ACTIVE", "signOnMode": "SAML_2_0", "settings": {}})
}

fn auth_server(base: &str, id: &str, name: &str) -> Value {
    json!({
        "id": id, "name": name, "description": name, "audiences": ["api://default"],
        "issuer": format!("{base}/oauth2/{id}"), "issuerMode": "ORG_URL", "status": "ACTIVE",
        "credentials": {"signing": {"rotationMode": "AUTO", "kid": "k1"}}
    })
}

fn access_policy(id: &str, name: &str, priority: i64, clients: &[&str]) -> Value {
    json!({
        "type": "OAUTH_AUTHORIZATION_POLICY", "id": id, "status": "ACTIVE", "name": name,
        "description": name, "priority": priority, "system": false,
        "conditions": {"clients": {"include": clients}}
    })
}

fn policy_rule(name: &str, grants: &[&str]) -> Value {
    json!({
        "type": "RESOURCE_ACCESS", "id": format!("0pr{}", name.len()), "status": "ACTIVE", "name": name,
        "priority": 1, "system": false,
        "conditions": {
            "people": {"groups": {"include": ["EVERYONE"]}},
            "grantTypes": {"include": grants},
            "scopes": {"include": ["*"]}
        },
        "actions": {"token": {"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 0, "refreshTokenWindowMinutes": 10080}}
    })
}

const CUSTOM_PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
  <title>{{pageTitle}}</title>
  {{{SignInWidgetResources}}}
</head>
<body>
  <div id="okta-login-container"></div>
  {{{OktaUtil}}}
  <script type="text/javascript">
    var config = OktaUtil.getSignInWidgetConfig();
    var oktaSignIn = new OktaSignIn(config);
    oktaSignIn.renderEl({ el: '#okta-login-container' }, function (res) {
      res.session.setCookieAndRedirect('https://portal.example.com/app');
    }, function (error) {});
  </script>
</body>
</html>
"#;

/// The line of `needle` in `text` (1-based).
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

/// An Identity Engine org: three pages of apps (the second rate limited
/// once), two authorization servers (the default one lacking
/// `interaction_code`), two brands (one with a customised page).
fn identity_engine_org(brands_forbidden: bool) -> Mock {
    let rate_limited = Arc::new(AtomicUsize::new(0));
    Mock::start(Box::new(move |base, req| {
        let link = |next: &str| {
            vec![
                (
                    "Link".to_string(),
                    format!("<{base}{}>; rel=\"self\"", req.target),
                ),
                ("Link".to_string(), format!("<{base}{next}>; rel=\"next\"")),
            ]
        };
        match req.target.as_str() {
            "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
            "/api/v1/apps?limit=200" => Reply {
                headers: link("/api/v1/apps?after=0oaGOOD&limit=200"),
                ..ok(json!([
                    oidc_app("0oaWIDGET1portal0001", "Portal", "browser", &["authorization_code", "implicit"]),
                    oidc_app("0oaGOODspa000000001", "Good SPA", "browser", &["authorization_code", "interaction_code"]),
                ]))
            },
            "/api/v1/apps?after=0oaGOOD&limit=200" => {
                if rate_limited.fetch_add(1, Ordering::SeqCst) == 0 {
                    // Reset far in the future: the client must cap its wait (--max-rate-limit-wait 1).
                    return Reply {
                        status: 429,
                        headers: vec![
                            ("X-Rate-Limit-Limit".into(), "100".into()),
                            ("X-Rate-Limit-Remaining".into(), "0".into()),
                            ("X-Rate-Limit-Reset".into(), (now() + 3600).to_string()),
                        ],
                        body: json!({"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit due to too many requests."}).to_string(),
                    };
                }
                Reply {
                    headers: link("/api/v1/apps?after=0oaSVC&limit=200"),
                    ..ok(json!([oidc_app("0oaSVCjob0000000001", "Nightly job", "service", &["client_credentials"]), saml_app()]))
                }
            }
            "/api/v1/apps?after=0oaSVC&limit=200" => ok(json!([
                oidc_app("0oaOTHERweb000000001", "Other web app", "web", &["authorization_code", "refresh_token"]),
                oidc_app("0oaREPORTS000000001", "Reports", "web", &["authorization_code"]),
            ])),
            "/api/v1/authorizationServers?limit=200" => {
                ok(json!([auth_server(base, "default", "default"), auth_server(base, "aus2partners00000001", "Partners")]))
            }
            "/api/v1/authorizationServers/default/policies" => ok(json!([access_policy("00p1default0000001", "Default Policy", 1, &["ALL_CLIENTS"])])),
            "/api/v1/authorizationServers/default/policies/00p1default0000001/rules" => {
                ok(json!([policy_rule("Default Policy Rule", &["authorization_code", "implicit"])]))
            }
            "/api/v1/authorizationServers/aus2partners00000001/policies" => {
                ok(json!([access_policy("00p2partners000001", "Partners", 1, &["ALL_CLIENTS"])]))
            }
            "/api/v1/authorizationServers/aus2partners00000001/policies/00p2partners000001/rules" => {
                ok(json!([policy_rule("Partners rule", &["authorization_code", "interaction_code"])]))
            }
            "/api/v1/brands" if brands_forbidden => okta_error(403, "E0000006", "You do not have permission to perform the requested action"),
            "/api/v1/brands" => ok(json!([
                {"id": "bnd1acme00000000001", "name": "Acme Corp", "isDefault": true, "removePoweredByOkta": false, "agreeToCustomPrivacyPolicy": false},
                {"id": "bnd2plain0000000001", "name": "Plain", "isDefault": false}
            ])),
            "/api/v1/brands/bnd1acme00000000001/pages/sign-in/customized" => ok(json!({
                "pageContent": CUSTOM_PAGE,
                "widgetVersion": "5.1",
                "widgetCustomizations": {"widgetGeneration": "G2"},
                "contentSecurityPolicySetting": {"mode": "report_only", "reportUri": null, "srcList": []}
            })),
            "/api/v1/brands/bnd2plain0000000001/pages/sign-in/customized" => {
                okta_error(404, "E0000007", "Not found: Resource not found: customized (SignInPage)")
            }
            _ => okta_error(404, "E0000007", "Not found"),
        }
    }))
}

fn oie_lint() -> Command {
    let mut c = Command::cargo_bin("oie-lint").unwrap();
    c.env_remove("OKTA_API_TOKEN")
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .env("NO_COLOR", "1");
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Out {
    let o = cmd.timeout(Duration::from_secs(60)).output().unwrap();
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    for secret in [TOKEN, BEARER] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "the token leaked:\n{}\n{}",
            out.stdout,
            out.stderr
        );
        assert!(
            !out.stderr.contains("TOPSECRET") && !out.stdout.contains("SECRETSIG"),
            "part of the token leaked"
        );
    }
    out
}

/// `oie-lint org --org-url BASE EXTRA…` with the test token.
fn org(base: &str, extra: &[&str]) -> Out {
    run(oie_lint()
        .args(["org", "--org-url", base])
        .args(extra)
        .env("OKTA_API_TOKEN", TOKEN))
}

fn json_findings(stdout: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}"))
        .as_array()
        .unwrap()
        .clone()
}

fn find<'a>(list: &'a [Value], code: &str, path: &str) -> Vec<&'a Value> {
    list.iter()
        .filter(|d| d["code"] == code && d["path"] == path)
        .collect()
}

fn fixture_repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/org/repo")
}

#[test]
fn identity_engine_org_is_checked_across_pages_after_a_rate_limit() {
    let mock = identity_engine_org(false);
    let pull = tempfile::tempdir().unwrap();
    let out = run(oie_lint()
        .args([
            "org",
            "--org-url",
            &mock.base,
            "--format",
            "json",
            "--max-rate-limit-wait",
            "1",
            "--pull",
        ])
        .arg(pull.path())
        .env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let list = json_findings(&out.stdout);

    // Identity Engine: no OIE101.
    assert!(list.iter().all(|d| d["code"] != "OIE101"), "{list:#?}");

    // The default server's only rule lacks interaction_code; the Partners server's has it.
    let as_default = find(&list, "OIE102", "okta:authorizationServers/default");
    assert_eq!(as_default.len(), 1, "{list:#?}");
    assert_eq!(as_default[0]["severity"], "error");
    assert!(as_default[0]["message"]
        .as_str()
        .unwrap()
        .contains("\"Default Policy Rule\" allows authorization_code, implicit"));
    assert_eq!(
        (
            as_default[0]["line"].as_u64(),
            as_default[0]["column"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert!(find(
        &list,
        "OIE102",
        "okta:authorizationServers/aus2partners00000001"
    )
    .is_empty());

    // Apps from pages 1 and 3 (page 2 came after a 429); no code, so warnings on virtual files.
    let portal = find(&list, "OIE103", "okta:apps/0oaWIDGET1portal0001");
    assert_eq!(portal.len(), 1, "{list:#?}");
    assert_eq!(portal[0]["severity"], "warning");
    assert_eq!(
        (portal[0]["line"].as_u64(), portal[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        find(&list, "OIE103", "okta:apps/0oaOTHERweb000000001").len(),
        1,
        "page 3 was read"
    );
    assert_eq!(
        find(&list, "OIE103", "okta:apps/0oaREPORTS000000001").len(),
        1
    );
    // With the grant, a service app, a SAML app: not reported.
    for id in [
        "0oaGOODspa000000001",
        "0oaSVCjob0000000001",
        "0oaSAML00000000000001",
    ] {
        assert!(
            find(&list, "OIE103", &format!("okta:apps/{id}")).is_empty(),
            "{id}"
        );
    }
    assert_eq!(
        mock.count("/api/v1/apps?after=0oaGOOD&limit=200"),
        2,
        "the rate-limited page is retried once"
    );

    // The customised page is linted as a hosted template; widgetVersion 5.1 is below 5.2.0.
    let page = "okta:brands/Acme-Corp/sign-in.html";
    let scr = find(&list, "OIE001", page);
    assert_eq!(scr.len(), 1, "{list:#?}");
    assert_eq!(
        scr[0]["line"].as_u64(),
        Some(line_of(CUSTOM_PAGE, "setCookieAndRedirect"))
    );
    let wv = find(&list, "OIE104", page);
    assert_eq!(wv.len(), 1);
    assert_eq!(wv[0]["severity"], "error");
    assert!(wv[0]["message"].as_str().unwrap().contains("`5.1`"));
    assert!(
        list.iter()
            .all(|d| !d["path"].as_str().unwrap().contains("Plain")),
        "a brand without a customised page"
    );

    // --pull saved the page byte for byte.
    let saved = std::fs::read_to_string(pull.path().join("Acme-Corp/sign-in.html")).unwrap();
    assert_eq!(saved, CUSTOM_PAGE);
    assert!(!pull.path().join("Plain").exists());

    // Only GETs; the token only on the Management API, as SSWS; none to the public endpoint.
    let seen = mock.seen();
    assert!(seen.iter().all(|s| s.method == "GET"), "{seen:?}");
    for s in &seen {
        if s.target.starts_with("/.well-known/") {
            assert_eq!(s.authorization, None);
        } else {
            assert_eq!(
                s.authorization.as_deref(),
                Some(format!("SSWS {TOKEN}").as_str()),
                "{}",
                s.target
            );
        }
    }
    // Its custom success callback is not `OktaUtil.completeLogin` (OIE013).
    assert_eq!(find(&list, "OIE013", page).len(), 1, "{list:#?}");
    assert!(
        out.stderr.contains("Found 3 errors and 4 warnings"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_full_report_names_virtual_files() {
    let mock = identity_engine_org(false);
    let out = org(
        &mock.base,
        &["--max-rate-limit-wait", "0", "--select", "OIE102"],
    );
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("okta:authorizationServers/default"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Security > API > Authorization Servers"),
        "{}",
        out.stdout
    );
    // Only the selected rule's endpoints were read.
    assert!(
        mock.seen()
            .iter()
            .all(|s| s.target.starts_with("/api/v1/authorizationServers")),
        "{:?}",
        mock.seen()
    );
}

#[test]
fn classic_engine_org_with_a_bearer_token() {
    let mock = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "v1")),
        "/api/v1/apps?limit=200" => ok(json!([oidc_app(
            "0oaGOODspa000000001",
            "Good SPA",
            "browser",
            &["interaction_code"]
        )])),
        "/api/v1/authorizationServers?limit=200" => ok(json!([])),
        "/api/v1/brands" => ok(json!([])),
        _ => okta_error(404, "E0000007", "Not found"),
    }));
    let out = run(oie_lint()
        .args([
            "org",
            "--org-url",
            &format!("{}/", mock.base),
            "--format",
            "concise",
            "--token-env",
            "MY_OKTA_TOKEN",
        ])
        .env("MY_OKTA_TOKEN", BEARER));
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("okta:org:1:1: OIE101"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("account manager"), "{}", out.stdout);
    let auth: Vec<_> = mock
        .seen()
        .into_iter()
        .filter_map(|s| s.authorization)
        .collect();
    assert!(
        !auth.is_empty() && auth.iter().all(|a| a == &format!("Bearer {BEARER}")),
        "{auth:?}"
    );

    // Identity Engine: clean, exit 0.
    let mock = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        _ => ok(json!([])),
    }));
    let out = run(oie_lint()
        .args(["org", "--org-url", &mock.base, "--token-type", "ssws"])
        .env("OKTA_API_TOKEN", BEARER));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("All org checks passed"),
        "{}",
        out.stdout
    );
    assert!(mock
        .seen()
        .iter()
        .filter_map(|s| s.authorization.as_deref())
        .all(|a| a.starts_with("SSWS ")));
}

#[test]
fn a_forbidden_endpoint_gives_a_partial_report() {
    let mock = identity_engine_org(true);
    let out = org(
        &mock.base,
        &["--format", "json", "--max-rate-limit-wait", "0"],
    );
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("GET /api/v1/brands: HTTP 403"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("okta.brands.read"), "{}", out.stderr);
    assert!(
        out.stderr.contains("1 endpoint could not be read"),
        "{}",
        out.stderr
    );
    let list = json_findings(&out.stdout);
    assert_eq!(
        find(&list, "OIE102", "okta:authorizationServers/default").len(),
        1,
        "other endpoints were still checked"
    );
    assert!(list
        .iter()
        .all(|d| !d["path"].as_str().unwrap().starts_with("okta:brands/")));
}

#[test]
fn nothing_checked_is_exit_2_and_errors_never_show_the_token() {
    // Every endpoint forbidden, and the error bodies even echo the token back.
    let mock = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        _ => okta_error(
            403,
            "E0000006",
            &format!("You do not have permission (token {TOKEN})"),
        ),
    }));
    let out = org(&mock.base, &[]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    for scope in [
        "okta.apps.read",
        "okta.authorizationServers.read",
        "okta.brands.read",
    ] {
        assert!(out.stderr.contains(scope), "{scope}: {}", out.stderr);
    }
    assert!(out.stderr.contains("<redacted>"), "{}", out.stderr);
    assert!(out.stdout.contains("Nothing in"), "{}", out.stdout);

    // 401: the token is rejected; stop and exit 2.
    let mock = Mock::start(Box::new(|_, _| {
        okta_error(401, "E0000011", "Invalid token provided")
    }));
    let out = org(&mock.base, &["--format", "json"]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("HTTP 401, the token was rejected (E0000011: Invalid token provided)"),
        "{}",
        out.stderr
    );
    assert!(
        mock.seen().len() <= 2,
        "no more requests after a 401: {:?}",
        mock.seen()
    );
}

#[test]
fn a_next_link_to_another_origin_is_refused() {
    let mock = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        "/api/v1/apps?limit=200" => Reply {
            headers: vec![(
                "Link".into(),
                "<http://127.0.0.2:9/api/v1/apps?after=x>; rel=\"next\"".into(),
            )],
            ..ok(json!([]))
        },
        _ => ok(json!([])),
    }));
    let out = org(&mock.base, &[]);
    assert!(
        out.stderr
            .contains("refusing to follow a link to another origin"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.code, 0,
        "the other endpoints were checked: {}\n{}",
        out.stdout, out.stderr
    );
}

#[test]
fn bad_urls_and_missing_tokens_are_usage_errors() {
    let out = org("http://acme.okta.com", &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("refusing plain HTTP"), "{}", out.stderr);
    let out = run(oie_lint().args(["org", "--org-url", "https://acme.okta.com"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("OKTA_API_TOKEN"), "{}", out.stderr);
    let out = run(oie_lint().args(["org"]).env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--org-url is required"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_with_org_url_ties_findings_to_the_code() {
    let mock = identity_engine_org(false);
    let repo = fixture_repo();
    let out = run(oie_lint()
        .current_dir(&repo)
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--org-url",
            &mock.base,
            "--max-rate-limit-wait",
            "0",
        ])
        .env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let list = json_findings(&out.stdout);
    let login = std::fs::read_to_string(repo.join("src/login.js")).unwrap();

    // The widget's client lacks the grant: an error where the code uses it.
    let portal = find(&list, "OIE103", "src/login.js");
    assert_eq!(portal.len(), 1, "{list:#?}");
    assert_eq!(portal[0]["severity"], "error");
    assert_eq!(
        portal[0]["line"].as_u64(),
        Some(line_of(&login, "0oaWIDGET1portal0001"))
    );
    let msg = portal[0]["message"].as_str().unwrap();
    assert!(msg.contains("your code uses client `0oaWIDGET1portal0001` at src/login.js:7 with the Interaction Code flow"), "{msg}");
    assert!(
        msg.contains("(\"Portal\") does not allow the Interaction Code grant"),
        "{msg}"
    );

    // The .env client: a warning at its line.
    let reports = find(&list, "OIE103", ".env");
    assert_eq!(reports.len(), 1, "{list:#?}");
    assert_eq!(
        (reports[0]["severity"].as_str(), reports[0]["line"].as_u64()),
        (Some("warning"), Some(3))
    );

    // Apps the code does not use (only named in a comment) are not reported.
    assert!(
        list.iter().all(|d| !d["message"]
            .as_str()
            .unwrap()
            .contains("0oaOTHERweb000000001")),
        "{list:#?}"
    );
    assert!(list
        .iter()
        .all(|d| !d["path"].as_str().unwrap().starts_with("okta:apps/")));

    // Only the server the issuer names was checked.
    assert_eq!(
        find(&list, "OIE102", "okta:authorizationServers/default").len(),
        1
    );
    let used = find(&list, "OIE102", "okta:authorizationServers/default")[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        used.contains("the issuer your code uses at src/login.js:9"),
        "{used}"
    );
    assert_eq!(
        mock.count("/api/v1/authorizationServers/aus2partners00000001/policies"),
        0
    );

    // The brand page is in the same report.
    assert_eq!(
        find(&list, "OIE001", "okta:brands/Acme-Corp/sign-in.html").len(),
        1
    );
}

#[test]
fn check_with_org_url_and_nothing_readable_exits_2() {
    let mock = Mock::start(Box::new(|_, _| {
        okta_error(403, "E0000006", "You do not have permission")
    }));
    let out = run(oie_lint()
        .current_dir(fixture_repo())
        .args(["check", ".", "--org-url", &mock.base, "--format", "concise"])
        .env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("warning: okta: GET /api/v1/apps: HTTP 403"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("nothing in the org could be checked"),
        "{}",
        out.stderr
    );
}

#[test]
fn rule_docs_for_org_rules() {
    let out = run(oie_lint().args(["rule", "OIE103"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("Applications > Applications"),
        "{}",
        out.stdout
    );
    let out = run(oie_lint().args(["rule", "--all"]));
    for code in ["OIE101", "OIE102", "OIE103", "OIE104"] {
        assert!(out.stdout.contains(code), "{code}");
    }
    // A code scan alone never reports org rules.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.js"),
        "const c = { clientId: '0oa1', issuer: 'https://x/oauth2/default' };\n",
    )
    .unwrap();
    let out = run(oie_lint()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json_findings(&out.stdout).len(), 0);
}

#[test]
fn requests_time_out_and_an_unreachable_org_stops_early() {
    // The server answers only after the client's 1 s timeout.
    let mock = Mock::start(Box::new(|_, _| {
        std::thread::sleep(Duration::from_millis(2500));
        ok(json!([]))
    }));
    let started = std::time::Instant::now();
    let out = org(&mock.base, &["--timeout", "1"]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);
    // The first request failed before the org ever answered: no further requests.
    assert_eq!(mock.seen().len(), 1, "{:?}", mock.seen());
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn an_org_without_api_access_management_is_not_a_token_problem() {
    // Okta answers E0000015 when the org lacks the feature; the run goes on.
    let mock = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        "/api/v1/authorizationServers?limit=200" => okta_error(
            401,
            "E0000015",
            "You do not have permission to access the feature you are requesting",
        ),
        "/api/v1/apps?limit=200" => ok(json!([oidc_app(
            "0oaWIDGET1portal0001",
            "Portal",
            "browser",
            &["authorization_code"]
        )])),
        _ => ok(json!([])),
    }));
    let out = org(&mock.base, &["--format", "concise"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("API Access Management (custom authorization servers) is not enabled"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("okta:apps/0oaWIDGET1portal0001:1:1: OIE103 [warning]"),
        "{}",
        out.stdout
    );
    assert_eq!(
        mock.count("/api/v1/brands"),
        1,
        "later endpoints were still read"
    );
}

#[test]
fn org_rules_are_documented_with_the_admin_console_path() {
    let reg = oie_lint::rules::Registry::get();
    let org: Vec<_> = reg
        .rules
        .iter()
        .filter(|r| r.detect.check.as_deref() == Some("org"))
        .collect();
    let codes: Vec<_> = org.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["OIE101", "OIE102", "OIE103", "OIE104"]);
    for r in org {
        assert!(
            r.triggers.is_empty(),
            "{}: org rules never fire on files",
            r.code
        );
        let docs = format!("{}{}{}", r.docs().what, r.docs().how, r.help);
        assert!(docs.contains("okta") || docs.contains("Okta"), "{}", r.code);
        if r.code != "OIE101" {
            assert!(
                r.help.starts_with("Admin Console: "),
                "{}: {}",
                r.code,
                r.help
            );
        }
    }
}

// ---- issue 27: `org` safe with an admin token ----------------------------

/// An Identity Engine org with one brand ("Acme Corp") and its customised page.
fn one_brand_org(label: &'static str) -> Mock {
    Mock::start(Box::new(move |base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        "/api/v1/apps?limit=200" => ok(json!([oidc_app(
            "0oaWIDGET1portal0001",
            label,
            "browser",
            &["authorization_code"]
        )])),
        "/api/v1/brands" => ok(json!([{"id": "bnd1acme00000000001", "name": "Acme Corp"}])),
        "/api/v1/brands/bnd1acme00000000001/pages/sign-in/customized" => {
            ok(json!({"pageContent": CUSTOM_PAGE, "widgetVersion": "7.20"}))
        }
        _ => ok(json!([])),
    }))
}

fn pull(base: &str, dir: &Path) -> Out {
    run(oie_lint()
        .args(["org", "--org-url", base, "--format", "concise", "--pull"])
        .arg(dir)
        .env("OKTA_API_TOKEN", TOKEN))
}

#[cfg(unix)]
#[test]
fn pull_never_writes_through_a_symlink_planted_at_the_temporary_name() {
    use std::os::unix::fs::symlink;
    let mock = one_brand_org("Portal");
    let d = tempfile::tempdir().unwrap();
    let pages = d.path().join("okta-pages");
    std::fs::create_dir_all(pages.join("Acme-Corp")).unwrap();
    let victim = d.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    // The name the old code wrote to, and a few guesses at patterns.
    symlink(&victim, pages.join("Acme-Corp/.sign-in.html.oie-lint-tmp")).unwrap();
    let out = pull(&mock.base, &pages);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(
        std::fs::read_to_string(pages.join("Acme-Corp/sign-in.html")).unwrap(),
        CUSTOM_PAGE
    );
    assert!(out.stderr.contains("saved "), "{}", out.stderr);
    // The planted link is left alone; no other file appeared.
    let mut names: Vec<_> = std::fs::read_dir(pages.join("Acme-Corp"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [".sign-in.html.oie-lint-tmp", "sign-in.html"]);
}

#[cfg(unix)]
#[test]
fn pull_refuses_a_symlinked_brand_folder_and_a_symlinked_page() {
    use std::os::unix::fs::symlink;
    let mock = one_brand_org("Portal");
    let d = tempfile::tempdir().unwrap();
    let pages = d.path().join("okta-pages");
    let outside = d.path().join("outside");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    symlink("../outside", pages.join("Acme-Corp")).unwrap();
    let out = pull(&mock.base, &pages);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing was written outside the pull folder"
    );
    assert!(
        out.stderr
            .contains("Acme-Corp is a symbolic link; pages are not written through links"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("saved "), "{}", out.stderr);
    assert!(
        out.stdout.contains("1 sign-in page could not be saved"),
        "{}",
        out.stdout
    );

    // A page that is a link to a file elsewhere: refused, the file kept.
    std::fs::remove_file(pages.join("Acme-Corp")).unwrap();
    std::fs::create_dir_all(pages.join("Acme-Corp")).unwrap();
    let victim = d.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    symlink(&victim, pages.join("Acme-Corp/sign-in.html")).unwrap();
    let out = pull(&mock.base, &pages);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        out.stderr.contains("sign-in.html is a symbolic link"),
        "{}",
        out.stderr
    );
}

/// A mock whose every answer is 401 with an Okta error body.
fn rejecting_org(summary: &'static str) -> Mock {
    Mock::start(Box::new(move |_, _| okta_error(401, "E0000011", summary)))
}

/// A loopback address nothing listens on (a port just freed).
fn unreachable_org() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", l.local_addr().unwrap().port());
    drop(l);
    base
}

#[test]
fn a_rejected_token_or_an_unreachable_org_fails_in_every_format() {
    let mock = rejecting_org("Invalid token provided");
    for base in [mock.base.clone(), unreachable_org()] {
        let why = if base == mock.base {
            "HTTP 401, the token was rejected"
        } else {
            "GET /.well-known/okta-organization: "
        };
        let fmt = |f: &str| {
            let out = org(&base, &["--format", f]);
            assert_eq!(out.code, 2, "{f}: {}\n{}", out.stdout, out.stderr);
            out.stdout
        };
        let sarif: Value = serde_json::from_str(&fmt("sarif")).unwrap();
        let inv = &sarif["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false, "{inv:#}");
        let notes = inv["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 1, "{inv:#}");
        assert_eq!(notes[0]["level"], "error");
        let text = notes[0]["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("{base}: ")), "{text}");
        assert!(text.contains(why), "{text}");

        let junit = fmt("junit");
        assert!(
            junit.contains(r#"<testsuites name="oie-lint" tests="1" failures="0" errors="1">"#),
            "{junit}"
        );
        assert!(junit.contains("<error message=\""), "{junit}");

        for f in ["json", "json-lines"] {
            let out = fmt(f);
            let list: Vec<Value> = if f == "json" {
                json_findings(&out)
            } else {
                out.lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect()
            };
            assert_eq!(list.len(), 1, "{f}: {out}");
            assert_eq!(list[0]["code"], "error");
            assert_eq!(list[0]["severity"], "error");
            assert_eq!(list[0]["path"], base.as_str());
            assert!(list[0]["message"].as_str().unwrap().contains(why), "{out}");
        }
        let gitlab: Value = serde_json::from_str(&fmt("gitlab")).unwrap();
        assert_eq!(gitlab.as_array().unwrap().len(), 1, "{gitlab:#}");
        assert_eq!(gitlab[0]["severity"], "blocker");
        let github = fmt("github");
        assert!(
            github.starts_with("::error title=oie-lint::") && github.contains(why),
            "{github}"
        );
    }
}

#[test]
fn a_token_given_to_token_env_is_never_echoed() {
    for value in [TOKEN, BEARER, "SSWS 00abc", "not a name"] {
        let out = run(oie_lint()
            .args([
                "org",
                "--org-url",
                "https://acme.okta.com",
                "--token-env",
                value,
            ])
            .env("OKTA_API_TOKEN", TOKEN));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(!out.stderr.contains(value), "{value}: {}", out.stderr);
        assert!(
            out.stderr.contains("the value of --token-env"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("so it is not shown"), "{}", out.stderr);
    }
    let out = run(oie_lint().args([
        "org",
        "--org-url",
        "https://acme.okta.com",
        "--token-env",
        TOKEN,
    ]));
    assert!(out.stderr.contains("looks like a token"), "{}", out.stderr);

    // A token pasted as a stray argument: clap's "unexpected argument" does not quote it.
    for args in [
        vec!["org", "--org-url", "https://acme.okta.com", TOKEN],
        vec!["org", TOKEN],
        vec!["org", "--org-url", TOKEN],
        vec!["check", &format!("--token-env={TOKEN}"), "--bogus"],
        vec!["org", "--format", BEARER],
    ] {
        let out = run(oie_lint().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    }
    let out = run(oie_lint().args(["org", "--org-url", "https://acme.okta.com", TOKEN]));
    assert!(
        out.stderr
            .contains("unexpected argument '<not shown: it looks like a token>'"),
        "{}",
        out.stderr
    );
}

#[test]
fn server_text_is_escaped_on_the_terminal() {
    // An error summary that would clear the screen and retitle the terminal.
    let mock = rejecting_org("bad \u{1b}[2J\u{1b}]0;pwned\u{7} token\nforged line");
    let out = org(&mock.base, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'),
        "{:?}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(r"(E0000011: bad \x1b[2J\x1b]0;pwned\x07 token\x0aforged line)"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.lines().any(|l| l.starts_with("forged")),
        "{}",
        out.stderr
    );

    // App labels with control characters, a line break and a bidi override.
    let label = "Portal\u{1b}[31m\nokta:apps/x:1:1: OIE101 [error] forged\u{202e}";
    let mock = one_brand_org(label);
    let concise = org(&mock.base, &["--format", "concise", "--select", "OIE103"]);
    assert_eq!(concise.code, 0, "{}", concise.stderr);
    let lines: Vec<&str> = concise.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one finding and the summary: {}",
        concise.stdout
    );
    assert_eq!(
        lines[0],
        r#"okta:apps/0oaWIDGET1portal0001:1:1: OIE103 [warning] app "Portal\x1b[31m\x0aokta:apps/x:1:1: OIE101 [error] forged\u{202e}" (client `0oaWIDGET1portal0001`) does not allow the Interaction Code grant (allowed: authorization_code); it needs it if it embeds the Sign-In Widget or authenticates directly"#
    );
    for f in ["github", "full"] {
        let out = org(&mock.base, &["--format", f, "--select", "OIE103"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{202e}'),
            "{f}: {:?}",
            out.stdout
        );
        assert!(!out.stdout.contains("\nokta:apps/x"), "{f}: {}", out.stdout);
        assert!(
            out.stdout.contains(r"Portal\x1b[31m"),
            "{f}: {}",
            out.stdout
        );
    }
}

#[test]
fn an_unreadable_widget_version_is_not_an_unreadable_endpoint() {
    let mock = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        "/api/v1/brands" => ok(json!([{"id": "bnd1acme00000000001", "name": "Acme"}])),
        "/api/v1/brands/bnd1acme00000000001/pages/sign-in/customized" => {
            ok(json!({"pageContent": "<html></html>", "widgetVersion": "latest-ish"}))
        }
        _ => ok(json!([])),
    }));
    let out = org(&mock.base, &["--format", "concise"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("warning: okta: okta:brands/Acme/sign-in.html: widgetVersion `latest-ish` is not a version range"),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("could not be read"), "{}", out.stdout);
}

#[test]
fn https_proxy_is_used_and_never_sees_the_token_and_no_proxy_bypasses_it() {
    // The mock plays the proxy: a CONNECT to the org's host, then refused.
    let proxy = Mock::start(Box::new(|_, _| status(403, json!({}))));
    let out = run(oie_lint()
        .args([
            "org",
            "--org-url",
            "https://acme.okta.com",
            "--timeout",
            "5",
        ])
        .env("OKTA_API_TOKEN", TOKEN)
        .env("HTTPS_PROXY", &proxy.base));
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    let seen = proxy.seen();
    assert!(!seen.is_empty(), "the proxy was not used: {}", out.stderr);
    for s in &seen {
        assert_eq!(
            (s.method.as_str(), s.target.as_str()),
            ("CONNECT", "acme.okta.com:443")
        );
        assert_eq!(s.authorization, None, "the token went to the proxy");
    }
    // NO_PROXY names the org: the proxy is not asked.
    let proxy = Mock::start(Box::new(|_, _| status(403, json!({}))));
    let out = run(oie_lint()
        .args([
            "org",
            "--org-url",
            "https://acme.okta.com",
            "--timeout",
            "3",
        ])
        .env("OKTA_API_TOKEN", TOKEN)
        .env("HTTPS_PROXY", &proxy.base)
        .env("NO_PROXY", "localhost,.okta.com"));
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}

#[test]
fn ca_file_errors_name_the_file_and_never_connect() {
    let d = tempfile::tempdir().unwrap();
    let not_pem = d.path().join("notes.txt");
    std::fs::write(&not_pem, "just text\n").unwrap();
    let missing = d.path().join("missing.pem");
    let mock = identity_engine_org(false);
    let out = org(&mock.base, &["--ca-file", not_pem.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "error: --ca-file {}: no certificate in it (expected PEM blocks `-----BEGIN CERTIFICATE-----`)",
            not_pem.display()
        )),
        "{}",
        out.stderr
    );
    let out = run(oie_lint()
        .args(["org", "--org-url", &mock.base])
        .env("OKTA_API_TOKEN", TOKEN)
        .env("SSL_CERT_FILE", &missing));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("error: SSL_CERT_FILE {}: ", missing.display())),
        "{}",
        out.stderr
    );
    assert!(mock.seen().is_empty(), "{:?}", mock.seen());
}

/// A CA and a server certificate for 127.0.0.1 signed by it, made with the
/// `openssl` command; `None` where it is not installed.
fn openssl_ca_and_server(dir: &Path) -> Option<()> {
    let ok = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=oie-lint test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            "server.pem",
            "-extfile",
            "ext.cnf",
        ],
    ];
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    steps.iter().all(|s| ok(s)).then_some(())
}

/// Kills the `openssl s_server` this test started.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_company_ca_from_ca_file_or_ssl_cert_file_is_trusted() {
    let d = tempfile::tempdir().unwrap();
    if openssl_ca_and_server(d.path()).is_none() {
        eprintln!("skipped: no openssl command to make a test CA");
        return;
    }
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // `-www` answers every request with an HTML status page: a TLS
    // handshake that succeeds shows as "invalid JSON".
    let _server = Server(
        std::process::Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-cert", "server.pem", "-key", "server.key"])
            .current_dir(d.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "no TLS server");
        std::thread::sleep(Duration::from_millis(50));
    }
    let base = format!("https://127.0.0.1:{port}");
    let ca = d.path().join("ca.pem");
    let attempt = |extra: &[&str], env: Option<&Path>| {
        let mut cmd = oie_lint();
        cmd.args([
            "org",
            "--org-url",
            &base,
            "--select",
            "OIE101",
            "--timeout",
            "10",
        ])
        .args(extra)
        .env("OKTA_API_TOKEN", TOKEN);
        if let Some(p) = env {
            cmd.env("SSL_CERT_FILE", p);
        }
        run(&mut cmd)
    };
    // The built-in roots do not know the company CA.
    let out = attempt(&[], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("certificate"), "{}", out.stderr);
    assert!(!out.stderr.contains("invalid JSON"), "{}", out.stderr);
    // With it, the handshake succeeds (and the HTML page is not Okta's JSON).
    for out in [
        attempt(&["--ca-file", ca.to_str().unwrap()], None),
        attempt(&[], Some(&ca)),
    ] {
        assert!(
            out.stderr
                .contains("GET /.well-known/okta-organization: invalid JSON"),
            "{}",
            out.stderr
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_long_paginated_listing_keeps_memory_bounded() {
    // 60 pages of 200 apps, each app carrying 20 kB the checks never read:
    // 229 MiB in all, each page 4 MiB (under the 10 MB cap). Keeping every
    // app whole held all of it (and more, as parsed JSON); keeping the
    // fields the checks read holds about 3 kB per app, whatever the rest.
    const PAGES: usize = 60;
    const FILLER: usize = 20_000;
    let filler = "x".repeat(FILLER);
    let mock = Mock::start(Box::new(move |base, req| {
        let page: usize = match req.target.as_str() {
            "/.well-known/okta-organization" => return ok(org_meta(base, "idx")),
            "/api/v1/apps?limit=200" => 0,
            t => match t.strip_prefix("/api/v1/apps?limit=200&after=") {
                Some(n) => n.parse().unwrap(),
                None => return ok(json!([])),
            },
        };
        let apps: Vec<Value> = (0..200)
            .map(|i| {
                let mut a = oidc_app(
                    &format!("0oa{page:04}x{i:04}"),
                    "App",
                    "web",
                    &["authorization_code", "interaction_code"],
                );
                a["profile"] = json!({ "notes": filler });
                a
            })
            .collect();
        let mut reply = ok(json!(apps));
        if page + 1 < PAGES {
            reply.headers.push((
                "Link".into(),
                format!(
                    "<{base}/api/v1/apps?limit=200&after={}>; rel=\"next\"",
                    page + 1
                ),
            ));
        }
        reply
    }));
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("oie-lint"));
    cmd.args(["org", "--org-url", &mock.base, "--select", "OIE103"])
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env("OKTA_API_TOKEN", TOKEN);
    let (code, stderr, peak_kib) = crate::common::run_measured(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        mock.count(&format!("/api/v1/apps?limit=200&after={}", PAGES - 1)),
        1,
        "every page was read"
    );
    // What the same run costs on an empty listing (the binary, its
    // tables, the TLS and HTTP stack), which grows with the binary, not
    // with the listing.
    let empty = Mock::start(Box::new(|base, req| match req.target.as_str() {
        "/.well-known/okta-organization" => ok(org_meta(base, "idx")),
        _ => ok(json!([])),
    }));
    let mut base_cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("oie-lint"));
    base_cmd
        .args(["org", "--org-url", &empty.base, "--select", "OIE103"])
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env("OKTA_API_TOKEN", TOKEN);
    let (_, _, base_kib) = crate::common::run_measured(&mut base_cmd);
    let listing_mib = (PAGES * 200 * FILLER / (1 << 20)) as u64;
    let peak_mib = peak_kib.saturating_sub(base_kib) / 1024;
    eprintln!(
        "peak memory {peak_mib} MiB above an empty listing's {} MiB for a {listing_mib} MiB listing",
        base_kib / 1024
    );
    assert!(
        peak_mib < listing_mib / 2,
        "peak memory {peak_mib} MiB (above the empty run's) for a {listing_mib} MiB listing: the pages are kept"
    );
}

#[test]
fn a_timeout_while_reading_the_body_has_the_same_wording() {
    // Headers at once, then the body stalls past the 1 s timeout.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for _ in 0..4 {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            let _ = read_request(&mut s);
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[",
            );
            let _ = s.flush();
            std::thread::sleep(Duration::from_millis(3000));
        }
    });
    let out = org(&base, &["--timeout", "1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: okta: GET /.well-known/okta-organization: timed out (see --timeout)"),
        "{}",
        out.stderr
    );
}

/// An org for `--apps`: a SPA with the grant whose second redirect URI is on
/// the code's origin, a web app without the grant, a service app and a
/// SAML app (left out).
fn apps_org() -> Mock {
    Mock::start(Box::new(|_base, req| {
        if req.target != "/api/v1/apps?limit=200" {
            return status(404, json!({}));
        }
        let mut spa = oidc_app(
            "0oaSPA0000000000001",
            "Customer portal",
            "browser",
            &["authorization_code", "interaction_code"],
        );
        spa["settings"]["oauthClient"]["redirect_uris"] = json!([
            "http://localhost:8080/login/callback",
            "https://app.example.com/login/callback"
        ]);
        ok(json!([
            spa,
            oidc_app(
                "0oaWEB0000000000002",
                "Legacy web",
                "web",
                &["authorization_code"]
            ),
            oidc_app(
                "0oaSVC0000000000003",
                "Batch",
                "service",
                &["client_credentials"]
            ),
            saml_app(),
        ]))
    }))
}

/// Issue 25: `org --apps` lists the apps an embedded widget can use with a
/// `[fix]` table; pasted into `oie-lint.toml`, the table is what `check
/// --fix --unsafe-fixes` needs to migrate a widget that has no `clientId`.
#[test]
fn apps_listing_gives_a_fix_table_that_check_uses() {
    let mock = apps_org();
    let repo = tempfile::tempdir().unwrap();
    let page = "// okta\nvar w = new OktaSignIn({ baseUrl: 'https://org.example' });\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n";
    std::fs::write(repo.path().join("login.js"), page).unwrap();
    std::fs::write(
        repo.path().join(".env"),
        "OKTA_REDIRECT_URI=https://app.example.com/login/callback\n",
    )
    .unwrap();

    let out = run(oie_lint()
        .current_dir(repo.path())
        .args(["org", "--org-url", &mock.base, "--apps", "--code", "."])
        .env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    assert!(
        text.contains(
            ": 1 ready (Interaction Code grant allowed), 1 more once the grant is enabled."
        ),
        "{text}"
    );
    assert!(
        text.contains("Redirect URIs in the code are on: https://app.example.com."),
        "{text}"
    );
    let spa_table = "# Customer portal (0oaSPA0000000000001)\n[fix]\nclient-id = \"0oaSPA0000000000001\"\nredirect-uri = \"https://app.example.com/login/callback\"\n# redirect-uri = \"http://localhost:8080/login/callback\"\n";
    assert!(text.contains(spa_table), "{text}");
    assert!(
        text.find("Customer portal") < text.find("Legacy web"),
        "ready apps first: {text}"
    );
    assert!(
        text.contains("note: the app does not allow the Interaction Code grant"),
        "{text}"
    );
    assert!(text.contains("note: none of its redirect URIs is on an origin your code uses (https://app.example.com)"), "{text}");
    assert!(
        !text.contains("Batch") && !text.contains("Salesforce"),
        "{text}"
    );
    assert_eq!(mock.seen().len(), 1, "one GET of the apps, nothing else");
    assert!(mock.seen().iter().all(|s| s.method == "GET"));

    // JSON: the same listing for scripts.
    let json_out = run(oie_lint()
        .current_dir(repo.path())
        .args([
            "org",
            "--org-url",
            &mock.base,
            "--apps",
            "--format",
            "json",
            "--code",
            ".",
        ])
        .env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(json_out.code, 0, "{}", json_out.stderr);
    let v: Value = serde_json::from_str(&json_out.stdout).unwrap();
    assert_eq!(v["code_origins"], json!(["https://app.example.com"]));
    assert_eq!(v["apps"][0]["client_id"], "0oaSPA0000000000001");
    assert_eq!(v["apps"][0]["interaction_code"], true);
    assert_eq!(v["apps"][1]["interaction_code"], false);
    assert_eq!(v["apps"][0]["fix_table"], spa_table);

    // A format the listing has no shape for is a usage error.
    let sarif = run(oie_lint()
        .args([
            "org",
            "--org-url",
            &mock.base,
            "--apps",
            "--format",
            "sarif",
        ])
        .env("OKTA_API_TOKEN", TOKEN));
    assert_eq!(sarif.code, 2);
    assert!(
        sarif
            .stderr
            .contains("--apps writes `full`, `concise` or `json`, not `sarif`"),
        "{}",
        sarif.stderr
    );

    // Pasted into the config, the table drives the embedded migration.
    std::fs::write(repo.path().join("oie-lint.toml"), spa_table).unwrap();
    let fix = run(oie_lint().current_dir(repo.path()).args([
        "check",
        "--fix",
        "--unsafe-fixes",
        "login.js",
    ]));
    assert_eq!(fix.code, 0, "{}\n{}", fix.stdout, fix.stderr);
    let fixed = std::fs::read_to_string(repo.path().join("login.js")).unwrap();
    assert!(
        fixed.contains("clientId: '0oaSPA0000000000001', redirectUri: 'https://app.example.com/login/callback'"),
        "{fixed}"
    );
    assert!(!fixed.contains("setCookieAndRedirect"), "{fixed}");
}

/// `--apps` reads one endpoint: a 403 names the scope and exits 2.
#[test]
fn apps_listing_without_the_scope_names_it() {
    let mock = Mock::start(Box::new(|_, _| {
        okta_error(
            403,
            "E0000006",
            "You do not have permission to perform the requested action",
        )
    }));
    let out = org(&mock.base, &["--apps"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("okta.apps.read"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    // A token pasted after `--code` is not echoed.
    let out = org(&mock.base, &["--apps", "--code", TOKEN]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--code <not shown: it looks like a token>: no such file or folder"),
        "{}",
        out.stderr
    );
}
