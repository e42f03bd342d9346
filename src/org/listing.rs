//! `oie-lint org --apps`: the org's OIDC apps that an embedded Sign-In
//! Widget can use after the migration, each with a ready-to-paste `[fix]`
//! table (issue 25).
//!
//! The embedded migration needs two strings the code cannot name: the
//! client ID of an OIDC app with the **Interaction Code** grant and one of
//! its sign-in redirect URIs (`check --client-id/--redirect-uri`, or
//! `[fix] client-id/redirect-uri` in the config). The org knows both. This
//! module decides, as a pure function over the Management API's app objects
//! and the redirect URIs the scanned code names, which apps qualify, which
//! redirect URI to propose, and when to warn that none of an app's redirect
//! URIs is on an origin the code uses. [`super::list_apps`] fetches.

use super::checks::{self, INTERACTION_CODE};
use super::code::CodeRefs;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// The application types an embedded widget runs in: a single-page app
/// (`browser`) or a server-rendered web app (`web`).
const WIDGET_APP_TYPES: &[&str] = &["browser", "web"];

/// One SPA or web app of the org, as listed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ListedApp {
    pub label: String,
    pub client_id: String,
    /// `browser` (SPA) or `web`.
    pub application_type: String,
    pub grant_types: Vec<String>,
    pub redirect_uris: Vec<String>,
    /// Whether the app allows the Interaction Code grant, so that the
    /// embedded widget can use it as it is.
    pub interaction_code: bool,
    /// The redirect URI the `[fix]` table proposes: the first one on an
    /// origin the code uses, else the app's first one.
    pub proposed_redirect_uri: Option<String>,
    /// What to look at before pasting the table (no redirect URI, none on
    /// the code's origins, the grant missing).
    pub notes: Vec<String>,
    /// The `[fix]` table, ready to paste into `oie-lint.toml`.
    pub fix_table: String,
}

/// The listing: apps that can serve the widget first, then the ones that
/// would need the Interaction Code grant enabled; each group by label.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Listing {
    /// The origins (`scheme://host[:port]`) of the redirect URIs the scanned
    /// code names, sorted; empty when no code was scanned or none was found.
    pub code_origins: Vec<String>,
    pub apps: Vec<ListedApp>,
}

impl Listing {
    /// How many apps can serve an embedded widget as they are.
    pub fn ready(&self) -> usize {
        self.apps.iter().filter(|a| a.interaction_code).count()
    }
}

/// `scheme://host[:port]` of an absolute URL, lower-cased, the default port
/// left out; `None` for anything else (a path, a template).
pub fn origin_of(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = uri.host()?.to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let default = if scheme == "https" { 443 } else { 80 };
    Some(match uri.port_u16() {
        Some(p) if p != default => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// Builds the listing from the `/api/v1/apps` objects and the code's refs.
pub fn list(apps: &[Value], refs: &CodeRefs) -> Listing {
    let code_origins: BTreeSet<String> = refs
        .redirects
        .iter()
        .filter_map(|r| origin_of(&r.redirect_uri))
        .collect();
    let mut listed: Vec<ListedApp> = apps
        .iter()
        .filter(|a| checks::is_user_facing_oidc_app(a))
        .filter_map(|a| listed_app(a, &code_origins))
        .collect();
    listed.sort_by(|a, b| {
        (!a.interaction_code, a.label.to_lowercase(), &a.client_id).cmp(&(
            !b.interaction_code,
            b.label.to_lowercase(),
            &b.client_id,
        ))
    });
    Listing {
        code_origins: code_origins.into_iter().collect(),
        apps: listed,
    }
}

fn listed_app(app: &Value, code_origins: &BTreeSet<String>) -> Option<ListedApp> {
    let app_type = checks::str_at(app, &["settings", "oauthClient", "application_type"])?;
    if !WIDGET_APP_TYPES.contains(&app_type) {
        return None;
    }
    let client_id = checks::client_id(app)?.to_string();
    let label = checks::str_at(app, &["label"]).unwrap_or("?").to_string();
    let grant_types = checks::grant_types(app);
    let redirect_uris = checks::strings_at(app, &["settings", "oauthClient", "redirect_uris"]);
    let interaction_code = grant_types.iter().any(|g| g == INTERACTION_CODE);

    let on_code_origin = redirect_uris
        .iter()
        .find(|u| origin_of(u).is_some_and(|o| code_origins.contains(&o)));
    let proposed = on_code_origin.or(redirect_uris.first()).cloned();

    let mut notes = Vec::new();
    if !interaction_code {
        notes.push(
            "the app does not allow the Interaction Code grant: enable it (Admin Console: \
             Applications > the app > General > Grant type > Interaction Code) before the \
             migrated widget can use it"
                .to_string(),
        );
    }
    if redirect_uris.is_empty() {
        notes.push(
            "the app has no sign-in redirect URI: add the page's callback URL to it first"
                .to_string(),
        );
    } else if !code_origins.is_empty() && on_code_origin.is_none() {
        let origins: Vec<&str> = code_origins.iter().map(String::as_str).collect();
        notes.push(format!(
            "none of its redirect URIs is on an origin your code uses ({}): the widget \
             redirects back only to a URI the app lists",
            origins.join(", ")
        ));
    }
    let fix_table = fix_table(&label, &client_id, proposed.as_deref(), &redirect_uris);
    Some(ListedApp {
        label,
        client_id,
        application_type: app_type.to_string(),
        grant_types,
        redirect_uris,
        interaction_code,
        proposed_redirect_uri: proposed,
        notes,
        fix_table,
    })
}

/// A TOML string, quoted and escaped by the TOML serializer itself.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The `[fix]` table for one app. The other redirect URIs are listed as
/// comments, so the choice can be changed without looking them up; a label
/// is put in a comment with its line breaks removed.
fn fix_table(label: &str, client_id: &str, proposed: Option<&str>, all: &[String]) -> String {
    let one_line = |s: &str| s.replace(['\r', '\n'], " ");
    let mut t = format!("# {} ({client_id})\n[fix]\n", one_line(label));
    t.push_str(&format!("client-id = {}\n", toml_string(client_id)));
    match proposed {
        Some(uri) => {
            t.push_str(&format!("redirect-uri = {}\n", toml_string(uri)));
            for other in all.iter().filter(|u| u.as_str() != uri) {
                t.push_str(&format!(
                    "# redirect-uri = {}\n",
                    toml_string(&one_line(other))
                ));
            }
        }
        None => t.push_str("# redirect-uri: the app lists none yet\n"),
    }
    t
}

/// The listing as text: a header, each app with its table and notes.
pub fn render_text(listing: &Listing, base: &str) -> String {
    let mut out = String::new();
    let ready = listing.ready();
    let waiting = listing.apps.len() - ready;
    if listing.apps.is_empty() {
        out.push_str(&format!(
            "{base} has no active SPA or web OIDC app. Create one (Applications > Create App \
             Integration > OIDC, Single-Page Application, grant types Authorization Code and \
             Interaction Code) and run this again.\n"
        ));
        return out;
    }
    out.push_str(&format!(
        "OIDC apps in {base} that an embedded Sign-In Widget can use: {ready} ready (Interaction \
         Code grant allowed){}.\n",
        if waiting > 0 {
            format!(", {waiting} more once the grant is enabled")
        } else {
            String::new()
        }
    ));
    if listing.code_origins.is_empty() {
        out.push_str(
            "The scanned code names no redirect URI, so the apps' redirect URIs were not \
             compared with it.\n",
        );
    } else {
        out.push_str(&format!(
            "Redirect URIs in the code are on: {}.\n",
            listing.code_origins.join(", ")
        ));
    }
    out.push_str(
        "Paste the table of the app your page signs in to into the `oie-lint.toml` next to \
         that page (or pass --client-id/--redirect-uri to `check`).\n",
    );
    for app in &listing.apps {
        out.push('\n');
        out.push_str(&format!(
            "{} app, grant types: {}\n",
            if app.application_type == "browser" {
                "Single-page"
            } else {
                "Web"
            },
            if app.grant_types.is_empty() {
                "none".to_string()
            } else {
                app.grant_types.join(", ")
            }
        ));
        out.push_str(&app.fix_table);
        for n in &app.notes {
            out.push_str(&format!("note: {n}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;
    use crate::org::code::{Location, RedirectRef};
    use serde_json::json;

    fn app(label: &str, cid: &str, kind: &str, grants: &[&str], uris: &[&str]) -> Value {
        json!({
            "id": format!("id-{cid}"), "label": label, "status": "ACTIVE",
            "credentials": { "oauthClient": { "client_id": cid } },
            "settings": { "oauthClient": {
                "application_type": kind, "grant_types": grants, "redirect_uris": uris } }
        })
    }

    fn refs(uris: &[&str]) -> CodeRefs {
        let at = Location {
            path: "a.js".into(),
            start_byte: 0,
            end_byte: 0,
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 1 },
        };
        CodeRefs {
            redirects: uris
                .iter()
                .map(|u| RedirectRef {
                    redirect_uri: u.to_string(),
                    at: at.clone(),
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://App.Example.com:443/cb").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            origin_of("http://localhost:8080/login/callback").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(origin_of("/login/callback"), None);
        assert_eq!(origin_of("com.okta.example:/callback"), None);
    }

    #[test]
    fn only_spa_and_web_apps_ready_ones_first() {
        let apps = [
            app(
                "Zed",
                "0oaZ",
                "browser",
                &["authorization_code", "interaction_code"],
                &["https://z.example.com/cb"],
            ),
            app("Batch", "0oaS", "service", &["client_credentials"], &[]),
            app(
                "Native",
                "0oaN",
                "native",
                &["interaction_code"],
                &["com.x:/cb"],
            ),
            app(
                "Alpha",
                "0oaA",
                "web",
                &["authorization_code"],
                &["https://a.example.com/cb"],
            ),
            app(
                "Mid",
                "0oaM",
                "web",
                &["interaction_code"],
                &["https://m.example.com/cb"],
            ),
            json!({"id": "saml", "label": "SAML", "status": "ACTIVE", "settings": {}}),
        ];
        let l = list(&apps, &CodeRefs::default());
        let ids: Vec<_> = l.apps.iter().map(|a| a.client_id.as_str()).collect();
        assert_eq!(ids, ["0oaM", "0oaZ", "0oaA"]);
        assert_eq!(l.ready(), 2);
        assert!(l.apps[2].notes[0].contains("Interaction Code grant"));
        assert!(l.apps[0].notes.is_empty(), "{:?}", l.apps[0].notes);
    }

    #[test]
    fn proposes_the_redirect_uri_on_the_codes_origin() {
        let apps = [app(
            "Portal",
            "0oaP",
            "browser",
            &["interaction_code"],
            &[
                "http://localhost:8080/cb",
                "https://portal.example.com/login/callback",
            ],
        )];
        let l = list(&apps, &refs(&["https://portal.example.com/login/callback"]));
        let a = &l.apps[0];
        assert_eq!(
            a.proposed_redirect_uri.as_deref(),
            Some("https://portal.example.com/login/callback")
        );
        assert!(a.notes.is_empty());
        assert_eq!(
            a.fix_table,
            "# Portal (0oaP)\n[fix]\nclient-id = \"0oaP\"\nredirect-uri = \"https://portal.example.com/login/callback\"\n# redirect-uri = \"http://localhost:8080/cb\"\n"
        );
        // The table is valid TOML with the two keys the config reads.
        let parsed: toml::Table = a.fix_table.parse().unwrap();
        assert_eq!(parsed["fix"]["client-id"].as_str(), Some("0oaP"));
    }

    #[test]
    fn notes_a_redirect_uri_off_the_codes_origins() {
        let apps = [app(
            "Old",
            "0oaO",
            "web",
            &["interaction_code"],
            &["https://old.example.com/cb"],
        )];
        let l = list(&apps, &refs(&["https://new.example.com/cb", "/relative"]));
        assert_eq!(l.code_origins, ["https://new.example.com"]);
        let a = &l.apps[0];
        assert_eq!(
            a.proposed_redirect_uri.as_deref(),
            Some("https://old.example.com/cb")
        );
        assert!(
            a.notes[0].contains("(https://new.example.com)"),
            "{:?}",
            a.notes
        );
    }

    #[test]
    fn an_app_without_redirect_uris_and_a_hostile_label() {
        let apps = [app(
            "Evil\"\n[fix]\nclient-id = \"x",
            "0oaE",
            "browser",
            &["interaction_code"],
            &[],
        )];
        let l = list(&apps, &CodeRefs::default());
        let a = &l.apps[0];
        assert_eq!(a.proposed_redirect_uri, None);
        assert!(a.notes[0].contains("no sign-in redirect URI"));
        let parsed: toml::Table = a.fix_table.parse().unwrap();
        assert_eq!(parsed["fix"]["client-id"].as_str(), Some("0oaE"));
        assert_eq!(parsed["fix"].as_table().unwrap().len(), 1);
    }

    #[test]
    fn text_output() {
        let apps = [app(
            "Portal",
            "0oaP",
            "browser",
            &["authorization_code", "interaction_code"],
            &["https://p.example.com/cb"],
        )];
        let text = render_text(&list(&apps, &CodeRefs::default()), "https://dev-1.okta.com");
        assert!(text.starts_with("OIDC apps in https://dev-1.okta.com that an embedded Sign-In Widget can use: 1 ready"), "{text}");
        assert!(text.contains("Single-page app, grant types: authorization_code, interaction_code\n# Portal (0oaP)\n[fix]\n"), "{text}");
        assert!(render_text(&Listing::default(), "https://o")
            .contains("has no active SPA or web OIDC app"));
    }
}
