//! Checking the Okta org itself (issue 7): the Identity Engine pipeline, the
//! Interaction Code grant on authorization servers and apps, and the
//! customised hosted sign-in page of each brand.
//!
//! [`client`] reads the Management API (GET only, one origin, token never
//! shown), [`code`] finds the client IDs and issuers the scanned code uses,
//! [`checks`] decides (rules `OIE101`…), [`pull`] saves the pages. Findings
//! point into virtual files (`okta:org`, `okta:authorizationServers/<id>`,
//! `okta:apps/<id>`, `okta:brands/<brand>/sign-in.html`) whose text is a
//! short summary of the object (or the page itself), or into the code file
//! where a client ID is used. [`check_org`] never aborts on one endpoint:
//! what could not be read is listed in [`OrgReport::problems`].

pub mod checks;
pub mod client;
pub mod code;
pub mod listing;
pub mod pull;

use crate::cli::{OrgConnArgs, TokenType};
use crate::diagnostic::{Diagnostic, Severity};
use crate::linter::Linter;
use crate::rules::Registry;
use crate::source::lines::LineIndex;
use crate::source::{escape_text, FileKind, SourceFile};
use checks::{OrgFinding, Target};
use client::{ApiError, Client, Origin, Token, TokenKind};
use code::CodeRefs;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Builds the client from the command line: validates the URL and reads the
/// token from the environment variable the user named (never from argv, so
/// it does not show in `ps` or shell history).
pub fn connect(args: &OrgConnArgs) -> Result<Client, String> {
    let url = args
        .org_url
        .as_deref()
        .ok_or("--org-url is required (e.g. --org-url https://dev-123456.okta.com)")?;
    let origin = Origin::parse(url)?;
    let var = &args.token_env;
    // A token given as the variable's name is never echoed (CI logs).
    if !crate::cli::is_env_name(var) || crate::cli::looks_like_token(var) {
        let what = if crate::cli::looks_like_token(var) {
            "looks like a token, not the name of an environment variable, so it is not shown"
        } else {
            "is not the name of an environment variable (letters, digits and `_`), so it is not shown"
        };
        return Err(format!(
            "the value of --token-env {what}: put the token in an environment variable (e.g. OKTA_API_TOKEN) and give that variable's name to --token-env"
        ));
    }
    let raw = std::env::var(var).unwrap_or_default();
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(format!("no API token: set the environment variable {var} (or name another one with --token-env)"));
    }
    // Accept a pasted header value (`SSWS …`, `Bearer …`) as well.
    let (secret, prefixed) = if let Some(t) = raw.strip_prefix("SSWS ") {
        (t.trim(), Some(TokenKind::Ssws))
    } else if let Some(t) = raw.strip_prefix("Bearer ") {
        (t.trim(), Some(TokenKind::Bearer))
    } else {
        (raw, None)
    };
    if secret.chars().any(|c| c.is_control() || c == ' ') {
        return Err(format!(
            "the token in {var} contains spaces or control characters"
        ));
    }
    let kind = match args.token_type {
        TokenType::Ssws => TokenKind::Ssws,
        TokenType::Bearer => TokenKind::Bearer,
        TokenType::Auto => prefixed.unwrap_or_else(|| TokenKind::detect(secret)),
    };
    let client = Client::new(
        origin,
        Some(Token::new(secret.to_string(), kind)),
        Duration::from_secs(args.timeout.max(1)),
        Duration::from_secs(args.max_rate_limit_wait),
    );
    // A company proxy that inspects TLS: its CA from --ca-file, else from
    // SSL_CERT_FILE (as curl and OpenSSL read it).
    let ca = match &args.ca_file {
        Some(p) => Some((p.clone(), "--ca-file")),
        None => std::env::var_os("SSL_CERT_FILE")
            .filter(|v| !v.is_empty())
            .map(|v| (PathBuf::from(v), "SSL_CERT_FILE")),
    };
    Ok(match ca {
        Some((path, what)) => client.with_roots(client::load_ca_file(&path, what)?),
        None => client,
    })
}

/// What checking the org produced.
#[derive(Debug, Default)]
pub struct OrgReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Text of every (virtual or code) file a diagnostic points into.
    pub sources: BTreeMap<String, String>,
    /// Endpoints that could not be read, one line each (token-free).
    pub problems: Vec<String>,
    /// What was read but not understood (a `widgetVersion` that is not a
    /// version range, a page that could not be parsed): shown as warnings,
    /// not counted as unreadable endpoints.
    pub notes: Vec<String>,
    /// A problem that stopped the run (HTTP 401: the token is rejected).
    pub fatal: Option<String>,
    /// What was checked, for the summary line ("3 apps").
    pub checked: Vec<String>,
    /// Whether nothing that needs the token could be checked.
    pub nothing_checked: bool,
    /// Customised sign-in pages, for `--pull`.
    pub pages: Vec<pull::BrandPage>,
}

struct Ctx<'a> {
    client: &'a Client,
    linter: &'a Linter,
    refs: &'a CodeRefs,
    report: OrgReport,
    findings: Vec<OrgFinding>,
    /// Virtual file texts, one line per summarised object.
    virtual_files: BTreeMap<String, Vec<String>>,
    /// Whether the org has answered at all (with any HTTP status).
    reached: bool,
}

impl Ctx<'_> {
    fn enabled(&self, code: &str) -> bool {
        let reg = Registry::get();
        reg.find(code)
            .is_some_and(|i| self.linter.settings.rules.is_enabled(i))
    }

    /// The value, or records why not. Fatal for the rest of the run: 401
    /// (the token is rejected), and a connection failure before the org
    /// ever answered (unreachable: no point waiting for every timeout).
    fn ok<T>(&mut self, r: Result<T, ApiError>) -> Option<T> {
        let transport = matches!(r, Err(ApiError::Transport { .. }));
        self.reached |= !transport;
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                let text = self.client.redact(&e.to_string());
                if matches!(e, ApiError::Unauthorized { .. }) || (transport && !self.reached) {
                    self.report.fatal = Some(text);
                } else {
                    self.report.problems.push(text);
                }
                None
            }
        }
    }
}

// What the checks (and `--apps`: the redirect URIs) read of each listed
// object ([`checks`], [`listing`]); the rest of each page is dropped as it
// is read, so a long listing stays small.
const APP_FIELDS: &[&str] = &[
    "/id",
    "/label",
    "/status",
    "/credentials/oauthClient/client_id",
    "/settings/oauthClient/application_type",
    "/settings/oauthClient/grant_types",
    "/settings/oauthClient/redirect_uris",
];
const SERVER_FIELDS: &[&str] = &["/id", "/name", "/issuer", "/status"];
const POLICY_FIELDS: &[&str] = &[
    "/id",
    "/name",
    "/status",
    "/priority",
    "/conditions/clients/include",
];
const RULE_FIELDS: &[&str] = &["/name", "/status", "/conditions/grantTypes/include"];
const BRAND_FIELDS: &[&str] = &["/id", "/name"];

/// An ID that may be put in a URL path as is (Okta IDs are alphanumeric).
fn safe_id(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str).filter(|id| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// Runs every enabled org check. `refs` is what the scanned code uses
/// (empty for `oie-lint org`); `linter` lints the brands' pages and carries
/// the rule selection and thresholds.
pub fn check_org(client: &Client, refs: &CodeRefs, linter: &Linter) -> OrgReport {
    let mut cx = Ctx {
        client,
        linter,
        refs,
        report: OrgReport::default(),
        findings: Vec::new(),
        virtual_files: BTreeMap::new(),
        reached: false,
    };
    let base = client.origin().base();

    if cx.enabled("OIE101") {
        let org = client.get_public("/.well-known/okta-organization");
        if let Some(org) = cx.ok(org) {
            match checks::pipeline(&org, &base) {
                Ok(f) => {
                    let pipeline = org.get("pipeline").and_then(Value::as_str).unwrap_or("?");
                    let engine = if pipeline == "idx" {
                        "Identity Engine"
                    } else {
                        "Classic Engine"
                    };
                    cx.virtual_files.insert(
                        "okta:org".into(),
                        vec![format!("{base} pipeline={pipeline} ({engine})")],
                    );
                    cx.findings.extend(f);
                    cx.report.checked.push("pipeline".into());
                }
                Err(e) => cx.report.problems.push(e),
            }
        }
    }

    let mut attempted = 0;
    let mut succeeded = 0;
    if cx.enabled("OIE103") && cx.report.fatal.is_none() {
        attempted += 1;
        if check_apps(&mut cx) {
            succeeded += 1;
        }
    }
    if cx.enabled("OIE102") && cx.report.fatal.is_none() {
        attempted += 1;
        if check_servers(&mut cx) {
            succeeded += 1;
        }
    }
    let page_rules = ["OIE001", "OIE002", "OIE003", "OIE004", "OIE104"]
        .iter()
        .any(|c| cx.enabled(c));
    if page_rules && cx.report.fatal.is_none() {
        attempted += 1;
        if check_brands(&mut cx) {
            succeeded += 1;
        }
    }
    cx.report.nothing_checked = cx.report.fatal.is_some()
        || if attempted > 0 {
            succeeded == 0
        } else {
            cx.report.checked.is_empty()
        };
    finish(cx)
}

fn check_apps(cx: &mut Ctx) -> bool {
    let apps = cx.client.get_all("/api/v1/apps?limit=200", APP_FIELDS);
    let Some(apps) = cx.ok(apps) else {
        return false;
    };
    let oidc = apps
        .iter()
        .filter(|a| checks::is_user_facing_oidc_app(a))
        .count();
    for app in &apps {
        if let Some(id) = app.get("id").and_then(Value::as_str) {
            cx.virtual_files
                .insert(format!("okta:apps/{id}"), vec![checks::app_line(app)]);
        }
    }
    cx.findings.extend(checks::apps(&apps, cx.refs));
    cx.report
        .checked
        .push(crate::report::plural(oidc, "OIDC app"));
    true
}

fn check_servers(cx: &mut Ctx) -> bool {
    let servers = cx
        .client
        .get_all("/api/v1/authorizationServers?limit=200", SERVER_FIELDS);
    let Some(servers) = cx.ok(servers) else {
        return false;
    };
    let (targets, named) = checks::servers_to_check(&servers, cx.refs);
    let mut clients: Vec<String> = cx
        .refs
        .clients
        .iter()
        .map(|c| c.client_id.clone())
        .collect();
    clients.sort();
    clients.dedup();
    let mut count = 0;
    for server in targets {
        let Some(sid) = safe_id(server) else { continue };
        if cx.report.fatal.is_some() {
            break;
        }
        let used_at = named
            .then(|| {
                let issuer = server
                    .get("issuer")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim_end_matches('/');
                cx.refs.issuers.iter().find(|r| {
                    code::server_id(&r.issuer).as_deref() == Some(sid)
                        || r.issuer.trim_end_matches('/') == issuer
                })
            })
            .flatten()
            .map(|r| format!("{}:{}", r.at.path, r.at.start.line));
        let policies = cx.client.get_all(
            &format!("/api/v1/authorizationServers/{sid}/policies"),
            POLICY_FIELDS,
        );
        let Some(mut policies) = cx.ok(policies) else {
            continue;
        };
        count += 1;
        policies.sort_by_key(|p| {
            p.get("priority")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MAX)
        });
        let mut lines = vec![format!(
            "authorization server \"{}\" issuer={}",
            server.get("name").and_then(Value::as_str).unwrap_or(sid),
            server.get("issuer").and_then(Value::as_str).unwrap_or("?")
        )];
        for policy in &policies {
            let active = policy
                .get("status")
                .and_then(Value::as_str)
                .is_none_or(|s| s == "ACTIVE");
            if !active || !checks::policy_applies(policy, &clients) {
                continue;
            }
            let Some(pid) = safe_id(policy) else { continue };
            let rules = cx.client.get_all(
                &format!("/api/v1/authorizationServers/{sid}/policies/{pid}/rules"),
                RULE_FIELDS,
            );
            let Some(rules) = cx.ok(rules) else { continue };
            let line = lines.len();
            lines.push(checks::policy_line(policy, &rules));
            cx.findings.extend(checks::policy_finding(
                server,
                policy,
                &rules,
                used_at.as_deref(),
                line,
            ));
        }
        cx.virtual_files
            .insert(format!("okta:authorizationServers/{sid}"), lines);
    }
    cx.report
        .checked
        .push(crate::report::plural(count, "authorization server"));
    true
}

fn check_brands(cx: &mut Ctx) -> bool {
    let brands = cx.client.get_all("/api/v1/brands", BRAND_FIELDS);
    let Some(brands) = cx.ok(brands) else {
        return false;
    };
    let reg = Registry::get();
    let mut used_dirs = std::collections::BTreeSet::new();
    let mut pages = 0;
    for brand in &brands {
        let Some(bid) = safe_id(brand) else { continue };
        if cx.report.fatal.is_some() {
            break;
        }
        let page = match cx
            .client
            .get_json(&format!("/api/v1/brands/{bid}/pages/sign-in/customized"))
        {
            // No customised page: the brand uses Okta's default.
            Err(ApiError::NotFound { .. }) => continue,
            other => match cx.ok(other) {
                Some(p) => p,
                None => continue,
            },
        };
        pages += 1;
        let mut dir = checks::brand_dir(brand);
        if !used_dirs.insert(dir.clone()) {
            dir = format!("{dir}-{bid}");
            used_dirs.insert(dir.clone());
        }
        let display = format!("okta:brands/{dir}/sign-in.html");
        let content = page
            .get("pageContent")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let file = SourceFile {
            path: PathBuf::from(&display),
            display: display.clone(),
            text: content.clone(),
            kind: FileKind::Html,
        };
        let lint = cx.linter.lint(&file);
        if let Some(e) = lint.error {
            cx.report.notes.push(format!("{display}: {e}"));
        }
        cx.report.diagnostics.extend(lint.diagnostics);
        if cx.enabled("OIE104") {
            if let Some(spec) = page.get("widgetVersion").and_then(Value::as_str) {
                match checks::widget_version(spec, &cx.linter.settings.thresholds) {
                    Ok(Some((severity, message))) => {
                        if let Some(i) = reg.find("OIE104") {
                            cx.report
                                .diagnostics
                                .push(diagnostic(i, severity, message, &display, &content, 0, 0));
                        }
                    }
                    Ok(None) => {}
                    Err(e) => cx.report.notes.push(format!("{display}: {e}")),
                }
            }
        }
        cx.report.sources.insert(display, content.clone());
        cx.report.pages.push(pull::BrandPage {
            dir,
            page_content: content,
        });
    }
    cx.report.checked.push(format!(
        "{} ({})",
        crate::report::plural(brands.len(), "brand"),
        crate::report::plural(pages, "customised sign-in page")
    ));
    true
}

fn diagnostic(
    rule: usize,
    severity: Severity,
    message: String,
    path: &str,
    text: &str,
    start: usize,
    end: usize,
) -> Diagnostic {
    let r = &Registry::get().rules[rule];
    let index = LineIndex::new(text);
    Diagnostic {
        code: &r.code,
        name: &r.name,
        severity,
        message: escape_text(&message).into_owned(),
        path: escape_text(path).into_owned(),
        start_byte: start,
        end_byte: end,
        start: index.position(text, start),
        end: index.position(text, end),
        fix: None,
        no_fix: None,
    }
}

/// Org findings → diagnostics, with the texts they point into.
fn finish(cx: Ctx) -> OrgReport {
    let Ctx {
        refs,
        mut report,
        findings,
        virtual_files,
        ..
    } = cx;
    let reg = Registry::get();
    for f in findings {
        let Some(rule) = reg.find(f.code) else {
            continue;
        };
        match f.target {
            Target::Virtual { path, line } => {
                // One line per object, whatever the server's strings hold.
                let text = virtual_files
                    .get(&path)
                    .map(|l| l.iter().map(|l| escape_text(l) + "\n").collect::<String>())
                    .unwrap_or_else(|| format!("{}\n", escape_text(&path)));
                let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
                let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
                report.diagnostics.push(diagnostic(
                    rule, f.severity, f.message, &path, &text, start, end,
                ));
                report.sources.insert(escape_text(&path).into_owned(), text);
            }
            Target::Code(at) => {
                let text = refs.texts.get(&at.path).cloned().unwrap_or_default();
                report.diagnostics.push(Diagnostic {
                    code: &reg.rules[rule].code,
                    name: &reg.rules[rule].name,
                    severity: f.severity,
                    message: escape_text(&f.message).into_owned(),
                    path: at.path.clone(),
                    start_byte: at.start_byte,
                    end_byte: at.end_byte,
                    start: at.start,
                    end: at.end,
                    fix: None,
                    no_fix: None,
                });
                report.sources.insert(at.path, text);
            }
        }
    }
    report
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
}

/// `oie-lint org --apps`: reads the org's apps (one paginated `GET
/// /api/v1/apps`) and lists those an embedded widget can use, compared with
/// the redirect URIs the code under `paths` names. `Err` is one token-free
/// line (the endpoint and why, with the scope a 403 lacks).
pub fn list_apps(
    client: &Client,
    paths: &[PathBuf],
    opts: &crate::discover::WalkOptions,
    cwd: &std::path::Path,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<listing::Listing, String> {
    let apps = client
        .get_all("/api/v1/apps?limit=200", APP_FIELDS)
        .map_err(|e| client.redact(&e.to_string()))?;
    let refs = if paths.is_empty() {
        CodeRefs::default()
    } else {
        code::scan(paths, opts, cwd, encoding)
    };
    Ok(listing::list(&apps, &refs))
}

/// The hook for `oie-lint check --org-url … PATHS`: scans the code for
/// client IDs and issuers, checks the org, and merges the findings into the
/// run. Endpoints that could not be read are printed as warnings (a partial
/// report); when nothing could be checked the run gets an error (exit 2).
pub fn augment_check(
    run: &mut crate::report::Run,
    args: &crate::cli::CheckArgs,
    linter: &Linter,
    cwd: &std::path::Path,
) {
    let client = match connect(&args.org) {
        Ok(c) => c,
        Err(e) => {
            run.errors.push(("okta".into(), e));
            return;
        }
    };
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let paths: Vec<PathBuf> = paths.into_iter().filter(|p| p.as_os_str() != "-").collect();
    let opts = crate::discover::WalkOptions {
        respect_gitignore: !args.common.no_respect_gitignore,
        include_minified: args.common.include_minified,
        threads: args.common.threads.unwrap_or(0),
        excludes: linter.settings.excludes.clone(),
        force_exclude: args.force_exclude,
        extensions: linter.settings.extensions.clone(),
    };
    let refs = code::scan(&paths, &opts, cwd, linter.settings.encoding);
    let report = check_org(&client, &refs, linter);
    for p in report.problems.iter().chain(&report.notes) {
        eprintln!("warning: okta: {p}");
    }
    if let Some(f) = &report.fatal {
        run.errors.push((client.origin().base(), f.clone()));
    } else if report.nothing_checked {
        run.errors.push((
            client.origin().base(),
            "nothing in the org could be checked (see the warnings above)".into(),
        ));
    }
    run.diagnostics.extend(report.diagnostics);
    for (path, text) in report.sources {
        run.sources.entry(path).or_insert(text);
    }
    run.sort();
}
