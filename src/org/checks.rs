//! The org rules (OIE101…), as pure functions over the Management API's
//! JSON objects. [`super::check_org`] fetches; these decide.

use super::code::{CodeRefs, Usage};
use crate::diagnostic::Severity;
use crate::versions::{self, Thresholds};
use nodejs_semver::Range;
use serde_json::Value;

/// The grant the Identity Engine flows need (Okta's API spelling).
pub const INTERACTION_CODE: &str = "interaction_code";

/// One org finding before it becomes a [`crate::diagnostic::Diagnostic`]:
/// either in a virtual file (`line` of its summary text) or at a code location.
#[derive(Debug, Clone)]
pub struct OrgFinding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub target: Target,
}

#[derive(Debug, Clone)]
pub enum Target {
    /// A line (0-based) of the virtual file `path`.
    Virtual { path: String, line: usize },
    /// A place in the scanned code.
    Code(super::code::Location),
}

pub(super) fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

pub(super) fn strings_at(v: &Value, path: &[&str]) -> Vec<String> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn is_active(v: &Value) -> bool {
    // Objects without a status (older API shapes) count as active.
    str_at(v, &["status"]).is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"))
}

/// OIE101: `pipeline` of `/.well-known/okta-organization`. `Err` when the
/// field is missing or unknown.
pub fn pipeline(org: &Value, base: &str) -> Result<Option<OrgFinding>, String> {
    match str_at(org, &["pipeline"]) {
        Some("idx") => Ok(None),
        Some("v1") => Ok(Some(OrgFinding {
            code: "OIE101",
            severity: Severity::Error,
            message: format!(
                "{base} runs the Classic Engine (pipeline `v1`): Identity Engine is enabled by Okta on request; ask your Okta account manager (or oie@okta.com) to upgrade the org"
            ),
            target: Target::Virtual { path: "okta:org".into(), line: 0 },
        })),
        Some(other) => Err(format!("unknown pipeline `{other}` in /.well-known/okta-organization")),
        None => Err("no `pipeline` field in /.well-known/okta-organization".into()),
    }
}

/// The authorization servers to check: those the code's issuers name (by
/// ID or by issuer URL), else every active one.
pub fn servers_to_check<'v>(servers: &'v [Value], refs: &CodeRefs) -> (Vec<&'v Value>, bool) {
    let ids = refs.server_ids();
    let named: Vec<&Value> = servers
        .iter()
        .filter(|s| {
            let id = str_at(s, &["id"]).unwrap_or("");
            let issuer = str_at(s, &["issuer"]).unwrap_or("").trim_end_matches('/');
            ids.iter().any(|i| i == id)
                || refs
                    .issuers
                    .iter()
                    .any(|r| !issuer.is_empty() && r.issuer.trim_end_matches('/') == issuer)
        })
        .collect();
    if named.is_empty() {
        (servers.iter().filter(|s| is_active(s)).collect(), false)
    } else {
        (named, true)
    }
}

/// Whether an access policy applies to one of `clients` (all policies when
/// the code names no client).
pub fn policy_applies(policy: &Value, clients: &[String]) -> bool {
    if clients.is_empty() {
        return true;
    }
    let include = strings_at(policy, &["conditions", "clients", "include"]);
    include.is_empty()
        || include
            .iter()
            .any(|c| c == "ALL_CLIENTS" || clients.contains(c))
}

/// OIE102 for one access policy: `None` when an active rule of it includes
/// `interaction_code`. `line` is the policy's line in the server's summary.
pub fn policy_finding(
    server: &Value,
    policy: &Value,
    rules: &[Value],
    used_by_code: Option<&str>,
    line: usize,
) -> Option<OrgFinding> {
    let active: Vec<&Value> = rules.iter().filter(|r| is_active(r)).collect();
    let allows = |r: &Value| {
        strings_at(r, &["conditions", "grantTypes", "include"])
            .iter()
            .any(|g| g == INTERACTION_CODE)
    };
    if active.iter().any(|r| allows(r)) {
        return None;
    }
    let sid = str_at(server, &["id"]).unwrap_or("?");
    let sname = str_at(server, &["name"]).unwrap_or(sid);
    let pname = str_at(policy, &["name"]).unwrap_or("?");
    let detail = if active.is_empty() {
        "it has no active rule".to_string()
    } else {
        let each: Vec<String> = active
            .iter()
            .map(|r| {
                let g = strings_at(r, &["conditions", "grantTypes", "include"]);
                format!(
                    "\"{}\" allows {}",
                    str_at(r, &["name"]).unwrap_or("?"),
                    if g.is_empty() {
                        "no grant".into()
                    } else {
                        g.join(", ")
                    }
                )
            })
            .collect();
        each.join("; ")
    };
    let server_name = if sname == sid {
        format!("\"{sid}\"")
    } else {
        format!("\"{sname}\" ({sid})")
    };
    let why = used_by_code
        .map(|at| format!(" (the issuer your code uses at {at})"))
        .unwrap_or_default();
    Some(OrgFinding {
        code: "OIE102",
        severity: Severity::Error,
        message: format!(
            "authorization server {server_name}{why}: no active rule of access policy \"{pname}\" allows the Interaction Code grant ({detail})"
        ),
        target: Target::Virtual { path: format!("okta:authorizationServers/{sid}"), line },
    })
}

/// The summary line of a policy in a server's virtual file.
pub fn policy_line(policy: &Value, rules: &[Value]) -> String {
    let pname = str_at(policy, &["name"]).unwrap_or("?");
    let each: Vec<String> = rules
        .iter()
        .map(|r| {
            format!(
                "{} [{}] {}",
                str_at(r, &["name"]).unwrap_or("?"),
                str_at(r, &["status"]).unwrap_or("ACTIVE"),
                strings_at(r, &["conditions", "grantTypes", "include"]).join(",")
            )
        })
        .collect();
    format!("policy \"{pname}\": {}", each.join(" | "))
}

/// An OAuth/OIDC app the Interaction Code grant can matter for: active, with
/// `settings.oauthClient`, not a machine-to-machine (`service`) app.
pub fn is_user_facing_oidc_app(app: &Value) -> bool {
    app.pointer("/settings/oauthClient")
        .is_some_and(Value::is_object)
        && is_active(app)
        && str_at(app, &["settings", "oauthClient", "application_type"]) != Some("service")
}

/// The client ID of an app (`credentials.oauthClient.client_id`, else its `id`).
pub fn client_id(app: &Value) -> Option<&str> {
    str_at(app, &["credentials", "oauthClient", "client_id"]).or_else(|| str_at(app, &["id"]))
}

pub fn grant_types(app: &Value) -> Vec<String> {
    strings_at(app, &["settings", "oauthClient", "grant_types"])
}

/// OIE103 over all apps. Apps the code uses are reported where the code
/// uses them (error when that code runs the Interaction Code flow); when the
/// code names none of the org's apps, every user-facing OIDC app lacking
/// the grant is a warning on its virtual file.
pub fn apps(apps: &[Value], refs: &CodeRefs) -> Vec<OrgFinding> {
    let oidc: Vec<&Value> = apps.iter().filter(|a| is_user_facing_oidc_app(a)).collect();
    let used: Vec<&Value> = oidc
        .iter()
        .copied()
        .filter(|a| client_id(a).is_some_and(|c| !refs.uses_of(c).is_empty()))
        .collect();
    let mut out = Vec::new();
    for app in if used.is_empty() { &oidc } else { &used } {
        let grants = grant_types(app);
        if grants.iter().any(|g| g == INTERACTION_CODE) {
            continue;
        }
        let cid = client_id(app).unwrap_or("?");
        let label = str_at(app, &["label"]).unwrap_or("?");
        let allowed = if grants.is_empty() {
            "none".to_string()
        } else {
            grants.join(", ")
        };
        let uses = refs.uses_of(cid);
        match uses.first() {
            Some(u) => {
                let also = if uses.len() > 1 { format!(" (and {} more place(s))", uses.len() - 1) } else { String::new() };
                let (severity, how) = match u.usage {
                    Usage::InteractionCode => (Severity::Error, "with the Interaction Code flow"),
                    Usage::Unknown => (Severity::Warning, "(if it embeds the Sign-In Widget or authenticates directly, it needs the Interaction Code flow)"),
                };
                out.push(OrgFinding {
                    code: "OIE103",
                    severity,
                    message: format!(
                        "your code uses client `{cid}` at {}:{}{also} {how}, but that app (\"{label}\") does not allow the Interaction Code grant (allowed: {allowed})",
                        u.at.path, u.at.start.line
                    ),
                    target: Target::Code(u.at.clone()),
                });
            }
            None => out.push(OrgFinding {
                code: "OIE103",
                severity: Severity::Warning,
                message: format!(
                    "app \"{label}\" (client `{cid}`) does not allow the Interaction Code grant (allowed: {allowed}); it needs it if it embeds the Sign-In Widget or authenticates directly"
                ),
                target: Target::Virtual { path: format!("okta:apps/{}", str_at(app, &["id"]).unwrap_or(cid)), line: 0 },
            }),
        }
    }
    out
}

/// The one-line summary of an app's virtual file.
pub fn app_line(app: &Value) -> String {
    format!(
        "app \"{}\" client_id={} application_type={} grant_types={}",
        str_at(app, &["label"]).unwrap_or("?"),
        client_id(app).unwrap_or("?"),
        str_at(app, &["settings", "oauthClient", "application_type"]).unwrap_or("?"),
        grant_types(app).join(",")
    )
}

/// OIE104: a brand's `widgetVersion` (`*`, `^7`, `5.16`, `7.14.0`). Okta
/// serves the newest widget the setting admits, so the setting is graded
/// by the best version its npm range allows (unlike `versions::grade_range`,
/// which grades what `npm install` may pick): error when even that is below
/// the minimum, warning when it is below the recommended line.
pub fn widget_version(spec: &str, t: &Thresholds) -> Result<Option<(Severity, String)>, String> {
    let r = versions::parse_range(spec)
        .ok_or_else(|| format!("widgetVersion `{spec}` is not a version range"))?;
    let reaches = |v: &nodejs_semver::Version| {
        Range::parse(format!(">={v}")).is_ok_and(|at_least| r.allows_any(&at_least))
    };
    Ok(if !reaches(&t.min) {
        Some((
            Severity::Error,
            format!("the sign-in page runs Sign-In Widget `{spec}`, which predates Identity Engine support (needs {} or later)", t.min),
        ))
    } else if !reaches(&t.recommended) {
        Some((
            Severity::Warning,
            format!("the sign-in page runs Sign-In Widget `{spec}`, below {}, which Okta's upgrade guides ask for", t.recommended),
        ))
    } else {
        None
    })
}

/// A brand's directory name for virtual paths and `--pull`: its `name`
/// (else its `id`) with anything but `A-Za-z0-9._-` replaced by `-`.
pub fn brand_dir(brand: &Value) -> String {
    let raw = str_at(brand, &["name"])
        .filter(|n| !n.trim().is_empty())
        .or_else(|| str_at(brand, &["id"]))
        .unwrap_or("brand");
    let s: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() {
        "brand".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pipelines() {
        assert!(pipeline(&json!({"pipeline": "idx"}), "o")
            .unwrap()
            .is_none());
        assert_eq!(
            pipeline(&json!({"pipeline": "v1"}), "o")
                .unwrap()
                .unwrap()
                .code,
            "OIE101"
        );
        assert!(pipeline(&json!({}), "o").is_err());
    }

    #[test]
    fn policy_rules() {
        let server = json!({"id": "default", "name": "default"});
        let policy = json!({"name": "Default Policy"});
        let with = json!({"name": "r", "status": "ACTIVE", "conditions": {"grantTypes": {"include": ["authorization_code", "interaction_code"]}}});
        let without = json!({"name": "r2", "status": "ACTIVE", "conditions": {"grantTypes": {"include": ["authorization_code"]}}});
        let inactive = json!({"name": "r3", "status": "INACTIVE", "conditions": {"grantTypes": {"include": ["interaction_code"]}}});
        assert!(
            policy_finding(&server, &policy, &[with.clone(), without.clone()], None, 0).is_none()
        );
        let f = policy_finding(&server, &policy, &[without, inactive], None, 0).unwrap();
        assert!(
            f.message.contains("\"r2\" allows authorization_code"),
            "{}",
            f.message
        );
    }

    #[test]
    fn policy_client_conditions() {
        let all = json!({"conditions": {"clients": {"include": ["ALL_CLIENTS"]}}});
        let some = json!({"conditions": {"clients": {"include": ["0oaX"]}}});
        assert!(policy_applies(&some, &[]));
        assert!(policy_applies(&all, &["0oaY".into()]));
        assert!(!policy_applies(&some, &["0oaY".into()]));
        assert!(policy_applies(&some, &["0oaX".into()]));
    }

    #[test]
    fn widget_versions_as_okta_writes_them() {
        let t = Thresholds::default();
        let g = |s: &str| widget_version(s, &t).unwrap().map(|g| g.0);
        assert_eq!(g("*"), None);
        assert_eq!(g("^7"), None);
        assert_eq!(g("5.16"), None);
        assert_eq!(g("5.1"), Some(Severity::Error));
        assert_eq!(g("5.9"), Some(Severity::Warning));
        assert_eq!(g("4.5.1"), Some(Severity::Error));
        assert!(widget_version("latest", &t).is_err());
    }

    #[test]
    fn service_apps_are_not_checked() {
        let app = json!({"id": "0oaS", "status": "ACTIVE", "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"]}}});
        assert!(apps(&[app], &CodeRefs::default()).is_empty());
    }

    #[test]
    fn brand_dirs_are_safe() {
        assert_eq!(
            brand_dir(&json!({"name": "Acme Corp/../x"})),
            "Acme-Corp-..-x"
        );
        assert_eq!(brand_dir(&json!({"name": "..", "id": "bnd1"})), "brand");
        assert_eq!(brand_dir(&json!({"id": "bnd1"})), "bnd1");
    }
}
