//! A small, read-only client for Okta's Management API.
//!
//! What it guarantees, because it holds an admin credential:
//! - **GET only.** There is no other method in this module.
//! - **One origin.** Every request, including `Link: rel="next"` pages, goes
//!   to the org URL's scheme, host and port; a link elsewhere is refused, so
//!   the token never leaves for another host. Redirects are not followed.
//! - **HTTPS with certificate verification** (rustls, webpki roots), except
//!   plain HTTP to a loopback address (`localhost`, `127.0.0.0/8`, `::1`),
//!   which the tests' mock server uses.
//! - **The token is never shown.** It lives in one private field whose
//!   `Debug` is redacted, is sent only in the `Authorization` header (marked
//!   sensitive), and every error text passes through [`Client::redact`].
//! - **Bounded.** Timeouts on every request, at most [`MAX_PAGES`] pages per
//!   listing, at most [`MAX_ATTEMPTS`] attempts per request when Okta answers
//!   429, each wait capped by `max_wait`.

use serde_json::Value;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ureq::http::{HeaderValue, Uri};

/// Most pages read from one listing (200 items a page: 100 000 objects).
pub const MAX_PAGES: usize = 500;
/// Attempts per request when Okta answers HTTP 429.
pub const MAX_ATTEMPTS: usize = 4;

/// How the token is sent (`Authorization: SSWS …` or `Bearer …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An Okta API token (created under Security > API > Tokens).
    Ssws,
    /// An OAuth 2.0 access token for the Okta Management API (`okta.*` scopes).
    Bearer,
}

impl TokenKind {
    /// Auto-detection: access tokens are JWTs, which start with `ey`
    /// (base64 of `{"`); Okta API tokens do not.
    pub fn detect(token: &str) -> TokenKind {
        if token.starts_with("ey") {
            TokenKind::Bearer
        } else {
            TokenKind::Ssws
        }
    }
}

/// The API token. `Debug` never shows it; there is no `Display`.
#[derive(Clone)]
pub struct Token {
    secret: String,
    pub kind: TokenKind,
}

impl Token {
    pub fn new(secret: String, kind: TokenKind) -> Token {
        Token { secret, kind }
    }

    fn header(&self) -> Option<HeaderValue> {
        let scheme = match self.kind {
            TokenKind::Ssws => "SSWS",
            TokenKind::Bearer => "Bearer",
        };
        let mut v = HeaderValue::from_str(&format!("{scheme} {}", self.secret)).ok()?;
        v.set_sensitive(true);
        Some(v)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({:?}, <redacted>)", self.kind)
    }
}

/// The org's origin: `https://host[:port]`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
}

impl Origin {
    /// Parses `--org-url`. A missing scheme means `https://`; a path is
    /// ignored (people paste issuer URLs); plain `http://` is accepted only
    /// for loopback hosts.
    pub fn parse(input: &str) -> Result<Origin, String> {
        let s = input.trim();
        if crate::cli::looks_like_token(s) {
            return Err("--org-url: the value is not a URL and looks like a token, so it is not shown (expected https://<org>.okta.com)".into());
        }
        let with_scheme = if s.contains("://") {
            s.to_string()
        } else {
            format!("https://{s}")
        };
        let uri: Uri = with_scheme
            .parse()
            .map_err(|_| format!("`{s}` is not a URL (expected https://<org>.okta.com)"))?;
        let origin = Origin::of(&uri)
            .ok_or_else(|| format!("`{s}` is not a URL (expected https://<org>.okta.com)"))?;
        origin.check_scheme()?;
        Ok(origin.without_admin_suffix())
    }

    /// `dev-1-admin.okta.com` (the Admin Console's address, often pasted)
    /// → `dev-1.okta.com`, the org URL the API is served from.
    fn without_admin_suffix(mut self) -> Origin {
        for domain in [
            ".okta.com",
            ".oktapreview.com",
            ".okta-emea.com",
            ".okta-gov.com",
            ".okta.mil",
        ] {
            if let Some(sub) = self.host.strip_suffix(domain) {
                if let Some(org) = sub
                    .strip_suffix("-admin")
                    .filter(|o| !o.is_empty() && !o.contains('.'))
                {
                    self.host = format!("{org}{domain}");
                }
                break;
            }
        }
        self
    }

    fn of(uri: &Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let host = uri.host()?.to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        Some(Origin {
            scheme,
            host,
            port: uri.port_u16(),
        })
    }

    fn check_scheme(&self) -> Result<(), String> {
        match self.scheme.as_str() {
            "https" => Ok(()),
            "http" if self.is_loopback() => Ok(()),
            "http" => Err(format!("refusing plain HTTP to {}: use https:// (plain HTTP is only allowed to loopback addresses)", self.host)),
            other => Err(format!("unsupported URL scheme `{other}` (use https://)")),
        }
    }

    /// `localhost`, `127.0.0.0/8` or `::1`.
    pub fn is_loopback(&self) -> bool {
        let h = self.host.trim_start_matches('[').trim_end_matches(']');
        if h == "localhost" {
            return true;
        }
        h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
    }

    /// `scheme://host[:port]`, no trailing slash.
    pub fn base(&self) -> String {
        match self.port {
            Some(p) => format!("{}://{}:{p}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    fn same_origin(&self, uri: &Uri) -> bool {
        let default_port = |scheme: &str| if scheme == "https" { 443 } else { 80 };
        Origin::of(uri).is_some_and(|o| {
            o.scheme == self.scheme
                && o.host == self.host
                && o.port.unwrap_or(default_port(&o.scheme))
                    == self.port.unwrap_or(default_port(&self.scheme))
        })
    }
}

/// Why a request failed. `Display` is one line meant for the user; it never
/// contains the token (see [`Client::redact`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the token is missing, invalid or expired. Fatal for the run.
    Unauthorized { endpoint: String, detail: String },
    /// 403: the token may not read this endpoint.
    Forbidden { endpoint: String, detail: String },
    /// 401/403 with Okta's `E0000015`: the org does not have the feature
    /// (e.g. API Access Management for custom authorization servers).
    FeatureDisabled { endpoint: String, detail: String },
    /// 404.
    NotFound { endpoint: String },
    /// Another status.
    Status {
        endpoint: String,
        status: u16,
        detail: String,
    },
    /// Still 429 after [`MAX_ATTEMPTS`].
    RateLimited { endpoint: String },
    /// Connection, TLS, timeout.
    Transport { endpoint: String, message: String },
    /// Not the JSON the endpoint documents, or a link we refuse to follow.
    BadResponse { endpoint: String, message: String },
}

impl ApiError {
    pub fn endpoint(&self) -> &str {
        match self {
            ApiError::Unauthorized { endpoint, .. }
            | ApiError::Forbidden { endpoint, .. }
            | ApiError::FeatureDisabled { endpoint, .. }
            | ApiError::NotFound { endpoint }
            | ApiError::Status { endpoint, .. }
            | ApiError::RateLimited { endpoint }
            | ApiError::Transport { endpoint, .. }
            | ApiError::BadResponse { endpoint, .. } => endpoint,
        }
    }
}

/// The OAuth scope and the admin permission an endpoint needs.
pub fn needed_permission(endpoint: &str) -> (&'static str, &'static str) {
    if endpoint.starts_with("/api/v1/apps") {
        ("okta.apps.read", "view applications")
    } else if endpoint.starts_with("/api/v1/authorizationServers") {
        (
            "okta.authorizationServers.read",
            "view authorization servers (API Access Management)",
        )
    } else if endpoint.starts_with("/api/v1/brands") {
        (
            "okta.brands.read",
            "view brands and their pages (Customizations)",
        )
    } else {
        ("okta.orgs.read", "view the org")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let with_detail = |d: &str| {
            if d.is_empty() {
                String::new()
            } else {
                format!(" ({d})")
            }
        };
        match self {
            ApiError::Unauthorized { endpoint, detail } => write!(
                f,
                "GET {endpoint}: HTTP 401, the token was rejected{}: check that it is a valid, unexpired token for this org (API tokens expire after 30 days unused)",
                with_detail(detail)
            ),
            ApiError::Forbidden { endpoint, detail } => {
                let (scope, role) = needed_permission(endpoint);
                write!(
                    f,
                    "GET {endpoint}: HTTP 403, the token may not read this{}: an OAuth token needs the `{scope}` scope granted to the service app; an API token needs its admin to have a role that can {role}",
                    with_detail(detail)
                )
            }
            ApiError::FeatureDisabled { endpoint, detail } => {
                let what = if endpoint.starts_with("/api/v1/authorizationServers") {
                    ": API Access Management (custom authorization servers) is not enabled; apps then use the org authorization server, whose grants are set on each app (OIE103)"
                } else {
                    ""
                };
                write!(f, "GET {endpoint}: the org does not have this feature{}{what}; skipped", with_detail(detail))
            }
            ApiError::NotFound { endpoint } => write!(f, "GET {endpoint}: HTTP 404, not found"),
            ApiError::Status { endpoint, status, detail } => write!(f, "GET {endpoint}: HTTP {status}{}", with_detail(detail)),
            ApiError::RateLimited { endpoint } => {
                write!(f, "GET {endpoint}: still rate limited (HTTP 429) after {MAX_ATTEMPTS} attempts; try again later")
            }
            ApiError::Transport { endpoint, message } => write!(f, "GET {endpoint}: {message}"),
            ApiError::BadResponse { endpoint, message } => write!(f, "GET {endpoint}: {message}"),
        }
    }
}

/// The HTTP agent: GET-only use, one global timeout per request, no
/// redirects, HTTPS only (plain HTTP to loopback), proxies from the
/// environment (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, each also in
/// lower case, minus the hosts of `NO_PROXY`) except to loopback, and the
/// certificates of `roots` as the only trusted CAs when given (else the
/// Mozilla roots compiled in).
fn agent(
    origin: &Origin,
    timeout: Duration,
    roots: Option<Vec<ureq::tls::Certificate<'static>>>,
) -> ureq::Agent {
    let loopback = origin.is_loopback();
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(roots) = roots {
        tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&roots));
    }
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .https_only(!loopback)
        // Proxies from the environment apply, except to loopback (tests).
        .proxy(if loopback {
            None
        } else {
            ureq::Proxy::try_from_env()
        })
        .tls_config(tls.build())
        .user_agent(format!("oie-lint/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The CA certificates of a PEM file (`--ca-file`, `SSL_CERT_FILE`):
/// every `CERTIFICATE` block; other blocks (keys) are skipped. `what` names
/// the file's origin in errors.
pub fn load_ca_file(
    path: &std::path::Path,
    what: &str,
) -> Result<Vec<ureq::tls::Certificate<'static>>, String> {
    let shown = crate::source::escape_path(path);
    let pem = std::fs::read(path).map_err(|e| format!("{what} {shown}: {e}"))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "{what} {shown}: not a PEM file of CA certificates ({})",
                    crate::source::escape_text(&e.to_string())
                ))
            }
        }
    }
    if certs.is_empty() {
        return Err(format!(
            "{what} {shown}: no certificate in it (expected PEM blocks `-----BEGIN CERTIFICATE-----`)"
        ));
    }
    Ok(certs)
}

/// One response: status, the `rel="next"` link and the body.
struct Page {
    next: Option<String>,
    body: String,
}

/// Waits for a rate-limit reset; replaced in tests.
pub type Sleeper = Box<dyn Fn(Duration) + Send + Sync>;

pub struct Client {
    agent: ureq::Agent,
    origin: Origin,
    token: Option<Token>,
    /// The longest wait for one rate-limit reset.
    pub max_wait: Duration,
    sleep: Sleeper,
    /// Each request's timeout.
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("origin", &self.origin)
            .field("token", &self.token)
            .finish()
    }
}

impl Client {
    pub fn new(
        origin: Origin,
        token: Option<Token>,
        timeout: Duration,
        max_wait: Duration,
    ) -> Client {
        Client {
            agent: agent(&origin, timeout, None),
            origin,
            token,
            max_wait,
            sleep: Box::new(std::thread::sleep),
            timeout,
        }
    }

    /// Trusts `roots` (see [`load_ca_file`]) instead of the built-in Mozilla
    /// roots.
    pub fn with_roots(mut self, roots: Vec<ureq::tls::Certificate<'static>>) -> Client {
        self.agent = agent(&self.origin, self.timeout, Some(roots));
        self
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Removes the token from a text that is about to be shown.
    pub fn redact(&self, text: &str) -> String {
        match &self.token {
            Some(t) if t.secret.len() >= 4 => text.replace(&t.secret, "<redacted>"),
            _ => text.to_string(),
        }
    }

    /// GET a public endpoint (no `Authorization` header), as JSON.
    pub fn get_public(&self, path: &str) -> Result<Value, ApiError> {
        let page = self.get(path, &format!("{}{path}", self.origin.base()), false)?;
        parse_json(path, &page.body)
    }

    /// GET one object, as JSON.
    pub fn get_json(&self, path: &str) -> Result<Value, ApiError> {
        let page = self.get(path, &format!("{}{path}", self.origin.base()), true)?;
        parse_json(path, &page.body)
    }

    /// GET a listing and every following page (`Link: <…>; rel="next"`),
    /// keeping of each item only the fields at `keep` (JSON pointers such
    /// as `/settings/oauthClient/grant_types`). Memory stays bounded by
    /// what is kept: each page's body and parsed JSON are dropped before the
    /// next page is read (an app object is kilobytes; its fields the checks
    /// read, a few dozen bytes).
    pub fn get_all(&self, path: &str, keep: &[&str]) -> Result<Vec<Value>, ApiError> {
        let endpoint = path.split('?').next().unwrap_or(path).to_string();
        let mut url = format!("{}{path}", self.origin.base());
        let mut seen = std::collections::HashSet::new();
        let mut items = Vec::new();
        for _ in 0..MAX_PAGES {
            seen.insert(url.clone());
            let page = self.get(&endpoint, &url, true)?;
            let next = page.next;
            match parse_json(&endpoint, &page.body)? {
                Value::Array(list) => {
                    drop(page.body);
                    items.extend(list.iter().map(|v| prune(v, keep)));
                }
                _ => {
                    return Err(ApiError::BadResponse {
                        endpoint,
                        message: "expected a JSON array".into(),
                    })
                }
            }
            match next {
                Some(next) if !seen.contains(&next) => url = next,
                _ => return Ok(items),
            }
        }
        Err(ApiError::BadResponse {
            endpoint,
            message: format!("more than {MAX_PAGES} pages; stopped"),
        })
    }

    /// One GET with the rate-limit retry loop. `endpoint` names it in errors.
    fn get(&self, endpoint: &str, url: &str, auth: bool) -> Result<Page, ApiError> {
        let endpoint = endpoint.to_string();
        let uri: Uri = url.parse().map_err(|_| ApiError::BadResponse {
            endpoint: endpoint.clone(),
            message: "invalid URL".into(),
        })?;
        if !self.origin.same_origin(&uri) {
            return Err(ApiError::BadResponse {
                endpoint,
                message: format!(
                    "refusing to follow a link to another origin ({})",
                    uri.host().unwrap_or("?")
                ),
            });
        }
        for attempt in 1..=MAX_ATTEMPTS {
            let mut req = self
                .agent
                .get(uri.clone())
                .header("Accept", "application/json");
            if auth {
                if let Some(h) = self.token.as_ref().and_then(Token::header) {
                    req = req.header("Authorization", h);
                }
            }
            let mut resp = req.call().map_err(|e| ApiError::Transport {
                endpoint: endpoint.clone(),
                message: self.redact(&transport_message(&e)),
            })?;
            let status = resp.status().as_u16();
            if status == 429 {
                if attempt == MAX_ATTEMPTS {
                    break;
                }
                let reset =
                    header(&resp, "x-rate-limit-reset").and_then(|v| v.trim().parse::<u64>().ok());
                (self.sleep)(self.rate_limit_wait(reset));
                continue;
            }
            let next = resp
                .headers()
                .get_all("link")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(next_link);
            let body = resp
                .body_mut()
                .read_to_string()
                .map_err(|e| ApiError::Transport {
                    endpoint: endpoint.clone(),
                    message: self.redact(&transport_message(&e)),
                })?;
            let detail = || self.redact(&error_detail(&body));
            let feature_missing = serde_json::from_str::<Value>(&body)
                .is_ok_and(|v| v.get("errorCode").and_then(Value::as_str) == Some("E0000015"));
            return match status {
                200..=299 => Ok(Page { next, body }),
                401 | 403 if feature_missing => Err(ApiError::FeatureDisabled {
                    endpoint,
                    detail: detail(),
                }),
                401 => Err(ApiError::Unauthorized {
                    endpoint,
                    detail: detail(),
                }),
                403 => Err(ApiError::Forbidden {
                    endpoint,
                    detail: detail(),
                }),
                404 => Err(ApiError::NotFound { endpoint }),
                _ => Err(ApiError::Status {
                    endpoint,
                    status,
                    detail: detail(),
                }),
            };
        }
        Err(ApiError::RateLimited { endpoint })
    }

    /// How long to wait for `X-Rate-Limit-Reset` (epoch seconds): until
    /// then plus a second of slack for clock skew, never longer than `max_wait`.
    fn rate_limit_wait(&self, reset: Option<u64>) -> Duration {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let wait = match reset {
            Some(r) => Duration::from_secs(r.saturating_sub(now) + 1),
            None => Duration::from_secs(1),
        };
        wait.min(self.max_wait)
    }
}

fn header<'r>(resp: &'r ureq::http::Response<ureq::Body>, name: &str) -> Option<&'r str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The URL of a `<url>; rel="next"` entry in one `Link` header value
/// (Okta sends `self` and `next` as separate headers or comma-separated).
pub fn next_link(value: &str) -> Option<String> {
    value.split(',').find_map(|part| {
        let (url, params) = part.trim().split_once(';')?;
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=").is_some_and(|v| {
                v.trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        is_next.then(|| url.to_string())
    })
}

/// Okta's error body: `errorSummary` and `errorCode`, when present.
fn error_detail(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return String::new();
    };
    let summary = v.get("errorSummary").and_then(Value::as_str).unwrap_or("");
    let code = v.get("errorCode").and_then(Value::as_str).unwrap_or("");
    let text = match (code.is_empty(), summary.is_empty()) {
        (false, false) => format!("{code}: {summary}"),
        (true, false) => summary.to_string(),
        (false, true) => code.to_string(),
        (true, true) => String::new(),
    };
    // The server's words, shown on a terminal: no escape sequence, no line break.
    crate::source::escape_text(&text).into_owned()
}

/// One wording for every timeout, whether it struck while connecting,
/// sending or reading the body.
const TIMED_OUT: &str = "timed out (see --timeout)";

fn transport_message(e: &ureq::Error) -> String {
    let timed_out = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        )
    };
    match e {
        ureq::Error::Timeout(_) => TIMED_OUT.to_string(),
        ureq::Error::Io(io) if timed_out(io) => TIMED_OUT.to_string(),
        other => crate::source::escape_text(&other.to_string()).into_owned(),
    }
}

/// A copy of `v` with only the values at the JSON pointers `keep`, in the
/// same places (`{"a": {"b": 1, "x": 2}, "c": 3}` kept at `/a/b` is
/// `{"a": {"b": 1}}`). The objects on the way to a pointer are kept even
/// when its last key is missing (`/a/z` keeps `{"a": {}}`), so "has an
/// `a` object" reads the same on the copy.
pub fn prune(v: &Value, keep: &[&str]) -> Value {
    let mut out = Value::Object(serde_json::Map::new());
    for pointer in keep {
        let (mut from, mut to) = (v, &mut out);
        let keys: Vec<&str> = pointer.split('/').skip(1).collect();
        for (i, k) in keys.iter().copied().enumerate() {
            let (Value::Object(src), Value::Object(dst)) = (from, to) else {
                break;
            };
            let Some(next) = src.get(k) else { break };
            if !next.is_object() || i + 1 == keys.len() {
                dst.insert(k.to_string(), next.clone());
                break;
            }
            from = next;
            to = dst
                .entry(k.to_string())
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
        }
    }
    out
}

fn parse_json(endpoint: &str, body: &str) -> Result<Value, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::BadResponse {
        endpoint: endpoint.to_string(),
        message: format!("invalid JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links() {
        let v = r#"<https://x.okta.com/api/v1/apps?limit=2>; rel="self""#;
        assert_eq!(next_link(v), None);
        let v = r#"<https://x.okta.com/api/v1/apps?after=0oa2&limit=2>; rel="next""#;
        assert_eq!(
            next_link(v).as_deref(),
            Some("https://x.okta.com/api/v1/apps?after=0oa2&limit=2")
        );
        let v = r#"<https://x/a?limit=2>; rel="self", <https://x/a?after=b>; rel="next""#;
        assert_eq!(next_link(v).as_deref(), Some("https://x/a?after=b"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            Origin::parse("dev-1.okta.com").unwrap().base(),
            "https://dev-1.okta.com"
        );
        assert_eq!(
            Origin::parse("https://Dev-1.okta.com/oauth2/default")
                .unwrap()
                .base(),
            "https://dev-1.okta.com"
        );
        assert!(Origin::parse("http://dev-1.okta.com")
            .unwrap_err()
            .contains("plain HTTP"));
        assert!(Origin::parse("http://127.0.0.1:8080").is_ok());
        assert_eq!(
            Origin::parse("https://dev-1-admin.okta.com/admin/dashboard")
                .unwrap()
                .base(),
            "https://dev-1.okta.com"
        );
        assert_eq!(
            Origin::parse("https://login-admin.example.com")
                .unwrap()
                .base(),
            "https://login-admin.example.com"
        );
        assert!(Origin::parse("http://127.9.9.9:1").is_ok());
        assert!(Origin::parse("http://localhost:1").is_ok());
        assert!(Origin::parse("http://[::1]:1").is_ok());
        assert!(Origin::parse("http://128.0.0.1").is_err());
        assert!(Origin::parse("ftp://x.okta.com").is_err());
        let o = Origin::parse("https://x.okta.com").unwrap();
        assert!(o.same_origin(&"https://x.okta.com:443/a".parse().unwrap()));
        assert!(!o.same_origin(&"https://evil.example/a".parse().unwrap()));
        assert!(!o.same_origin(&"http://x.okta.com/a".parse().unwrap()));
    }

    #[test]
    fn token_kind_and_redaction() {
        assert_eq!(TokenKind::detect("eyJhbGciOi.x.y"), TokenKind::Bearer);
        assert_eq!(TokenKind::detect("00abcDEF"), TokenKind::Ssws);
        let t = Token::new("00secretTOKEN".into(), TokenKind::Ssws);
        assert!(!format!("{t:?}").contains("secret"));
        let c = Client::new(
            Origin::parse("https://x.okta.com").unwrap(),
            Some(t),
            Duration::from_secs(1),
            Duration::from_secs(1),
        );
        assert!(!format!("{c:?}").contains("secret"));
        assert_eq!(c.redact("bad 00secretTOKEN here"), "bad <redacted> here");
    }

    #[test]
    fn rate_limit_wait_is_bounded() {
        let c = Client::new(
            Origin::parse("https://x.okta.com").unwrap(),
            None,
            Duration::from_secs(1),
            Duration::from_secs(5),
        );
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(c.rate_limit_wait(Some(now + 3600)), Duration::from_secs(5));
        assert!(c.rate_limit_wait(Some(now.saturating_sub(100))) <= Duration::from_secs(1));
        assert_eq!(c.rate_limit_wait(None), Duration::from_secs(1));
    }

    #[test]
    fn prune_keeps_only_the_fields_asked_for() {
        let v = serde_json::json!({
            "id": "0oa1", "label": "Portal", "_links": {"logo": [{"href": "x"}]},
            "settings": {"oauthClient": {"grant_types": ["implicit"], "redirect_uris": ["a"]}},
            "credentials": {"oauthClient": {"client_id": "c1", "autoKeyRotation": true}, "signing": {}}
        });
        let kept = prune(
            &v,
            &[
                "/id",
                "/settings/oauthClient/grant_types",
                "/settings/oauthClient/application_type",
                "/credentials/oauthClient/client_id",
                "/missing/x",
            ],
        );
        assert_eq!(
            kept,
            serde_json::json!({
                "id": "0oa1",
                "settings": {"oauthClient": {"grant_types": ["implicit"]}},
                "credentials": {"oauthClient": {"client_id": "c1"}}
            })
        );
        // An object on the way is kept when the field is missing.
        let v = serde_json::json!({"settings": {"oauthClient": {}}});
        assert_eq!(prune(&v, &["/settings/oauthClient/grant_types"]), v);
        // A whole object can be kept.
        assert_eq!(prune(&v, &["/settings"]), v);
    }

    #[test]
    fn forbidden_names_the_scope() {
        let e = ApiError::Forbidden {
            endpoint: "/api/v1/apps".into(),
            detail: String::new(),
        };
        assert!(e.to_string().contains("okta.apps.read"));
        let e = ApiError::Forbidden {
            endpoint: "/api/v1/brands/b1/pages/sign-in/customized".into(),
            detail: String::new(),
        };
        assert!(e.to_string().contains("okta.brands.read"));
    }
}
