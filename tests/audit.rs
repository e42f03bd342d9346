//! `oie-lint audit`: the migration-readiness report end to end.
//!
//! One small repository is built in a temporary directory: a package.json
//! whose widget range is only a warning, an embedded widget without
//! `useInteractionCodeFlow` (safe fix) that calls `setCookieAndRedirect`,
//! an Okta-hosted template (the bundled fixture), a file whose *name*
//! contains `<script>` (escaping), and a clean file. Markdown and JSON are
//! pinned by insta snapshots; HTML is checked for self-containment and
//! escaping; `-o`, the config file and the exit codes are checked too.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

const WIDGET_JS: &str = "import OktaSignIn from '@okta/okta-signin-widget';

const signIn = new OktaSignIn({
  baseUrl: 'https://example.okta.com',
  clientId: '0oa1client',
  redirectUri: window.location.origin + '/callback',
});
signIn.renderEl({ el: '#widget' }, function (res) {
  res.session.setCookieAndRedirect('https://example.com/app');
});
";

const SESSION_TS: &str = "import { OktaAuth } from '@okta/okta-auth-js';

const authClient = new OktaAuth({ issuer: 'https://example.okta.com' });

export async function legacy(username: string, password: string) {
  const tx = await authClient.signInWithCredentials({ username, password });
  return tx.sessionToken;
}
";

const EVIL_NAME: &str = "src/a<script>alert(1)<b.ts";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("package.json"),
        r#"{ "name": "app", "dependencies": { "@okta/okta-signin-widget": "^5.0.0" } }"#,
    )
    .unwrap();
    fs::write(root.join("src/login.js"), WIDGET_JS).unwrap();
    fs::write(root.join(EVIL_NAME), SESSION_TS).unwrap();
    fs::write(root.join("src/clean.js"), "export const answer = 42;\n").unwrap();
    let hosted = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hosted/custom-sign-in.html"),
    )
    .unwrap();
    fs::write(root.join("templates/sign-in.html"), hosted).unwrap();
    dir
}

fn oie(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oie-lint").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// Runs `audit ARGS` in `dir`: (exit code, stdout, stderr).
fn audit(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = oie(dir).arg("audit").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn normalize(text: &str) -> String {
    text.replace(
        &format!("oie-lint {}", env!("CARGO_PKG_VERSION")),
        "oie-lint [VERSION]",
    )
    .replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[VERSION]\"",
    )
}

#[test]
fn markdown_report() {
    let dir = repo();
    let (code, stdout, stderr) = audit(dir.path(), &["--isolated"]);
    assert_eq!(code, 0, "findings do not fail an audit: {stderr}");
    assert!(
        stderr.contains("Not ready: 3 blocking issues"),
        "verdict on stderr: {stderr}"
    );
    insta::assert_snapshot!("audit_markdown", normalize(&stdout));
}

#[test]
fn json_report() {
    let dir = repo();
    let (code, stdout, stderr) = audit(dir.path(), &["--isolated", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["summary"]["verdict"], "blocked");
    assert_eq!(v["summary"]["files_checked"], 5);
    assert_eq!(v["pages"]["hosted"][0]["path"], "templates/sign-in.html");
    assert_eq!(v["pages"]["embedded"][0]["path"], "src/login.js");
    assert_eq!(v["pages"]["embedded"][0]["constructions"][0], 3);
    assert_eq!(v["packages"][0]["package"], "@okta/okta-signin-widget");
    insta::assert_snapshot!("audit_json", normalize(&stdout));
}

#[test]
fn same_repository_same_report() {
    let dir = repo();
    let first = audit(dir.path(), &["--isolated", "--format", "json", "-j", "1"]).1;
    let second = audit(dir.path(), &["--isolated", "--format", "json", "-j", "4"]).1;
    assert_eq!(first, second);
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let dir = repo();
    let (code, html, stderr) = audit(dir.path(), &["--isolated", "--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    // The file name with `<script>` in it is text, never markup.
    assert!(
        html.contains("src/a&lt;script&gt;alert(1)&lt;b.ts"),
        "escaped path"
    );
    assert!(!html.contains("<script"), "no script element at all");
    assert!(!html.contains("a<script>"));
    // Nothing to fetch: no src attributes, no stylesheets, inline CSS only.
    assert!(!html.contains("src="));
    assert!(!html.contains("<link"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("@import"));
    assert!(html.contains("<style>"));
    assert!(html.contains("Content-Security-Policy"));
    // Every href is a link for the reader to the Okta docs.
    let hrefs: Vec<&str> = html.split("href=\"").skip(1).collect();
    assert!(!hrefs.is_empty());
    for h in hrefs {
        assert!(h.starts_with("https://developer.okta.com/docs/"), "{h}");
    }
    for needle in [
        "Interaction Code",
        "Allowed grant types",
        "Access Policies",
        "/.well-known/okta-organization",
        "oie-lint org",
    ] {
        assert!(html.contains(needle), "checklist mentions {needle}");
    }
}

#[test]
fn markdown_escapes_the_odd_file_name() {
    let dir = repo();
    let md = audit(dir.path(), &["--isolated"]).1;
    assert!(md.contains("| `src/a<script>alert(1)<b.ts` | error |"));
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = repo();
    let (code, stdout, stderr) = audit(
        dir.path(),
        &["--isolated", "--format", "html", "-o", "reports/audit.html"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("Report written to reports/audit.html"));
    let written = fs::read_to_string(dir.path().join("reports/audit.html")).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>"));
}

#[test]
fn config_file_selection_applies() {
    let dir = repo();
    fs::write(
        dir.path().join("oie-lint.toml"),
        "ignore = [\"session-token\"]\nextend-exclude = [\"templates/\"]\n",
    )
    .unwrap();
    let (code, stdout, stderr) = audit(dir.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["config_file"], "oie-lint.toml");
    let codes: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"OIE002"), "{codes:?}");
    assert!(codes.contains(&"OIE001"));
    assert_eq!(v["pages"]["hosted"].as_array().unwrap().len(), 0);
    // --isolated ignores it.
    let v: serde_json::Value =
        serde_json::from_str(&audit(dir.path(), &["--isolated", "--format", "json"]).1).unwrap();
    assert!(v["config_file"].is_null());
    assert_eq!(v["pages"]["hosted"].as_array().unwrap().len(), 1);
}

#[test]
fn invalid_config_exits_2() {
    let dir = repo();
    fs::write(dir.path().join("oie-lint.toml"), "selectt = [\"OIE001\"]\n").unwrap();
    let (code, stdout, stderr) = audit(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("selectt"), "{stderr}");
}

#[test]
fn missing_path_exits_2_but_the_report_lists_it() {
    let dir = repo();
    let (code, stdout, _) = audit(dir.path(), &["--isolated", "src", "nope"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("## Could not be read"));
    assert!(stdout.contains("`nope`"));
}

#[test]
fn clean_repository_is_ready_in_code() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.js"), "export const x = 1;\n").unwrap();
    let (code, stdout, stderr) = audit(dir.path(), &["--isolated"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("**Ready in code**: blocking issues: 0."));
    assert!(stdout.contains("No Okta package uses found."));
    assert!(stdout.contains("## Okta admin checklist"));
    assert!(stderr.starts_with("Ready in code: 0 blocking issues"));
}

#[test]
fn check_statistics_still_counts_per_rule() {
    let dir = repo();
    let out = oie(dir.path())
        .args(["check", "--isolated", "--statistics", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"OIE001") && codes.contains(&"OIE003"));
}

#[test]
fn standard_input_is_refused() {
    let dir = repo();
    let (code, stdout, stderr) = audit(dir.path(), &["-"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("not standard input"), "{stderr}");
}

#[test]
fn bundled_fixtures_hosted_vs_embedded() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let (code, stdout, stderr) = audit(&fixtures, &["--isolated", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let paths = |key: &str| -> Vec<String> {
        v["pages"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paths("hosted"),
        [
            "hosted/OIE012-OIE014-partner-branding.html",
            "hosted/custom-sign-in.html",
            "hosted/default-sign-in.html"
        ]
    );
    let embedded = paths("embedded");
    for p in [
        "embedded-jsp/login.jsp",
        "embedded-php/login.php",
        "spa-react/src/OktaSignInWidget.jsx",
        "spa-vue/src/components/Login.vue",
    ] {
        assert!(embedded.iter().any(|e| e == p), "{p} in {embedded:?}");
    }
    for p in &embedded {
        assert!(!p.starts_with("hosted/"), "{p}");
        assert!(
            !p.ends_with("okta-sign-in.min.js"),
            "bundles are not pages: {p}"
        );
    }
    assert!(!embedded.iter().any(|e| e == "near-misses/not-okta.ts"));
    // The packages section is the `versions` inventory of the same tree.
    let versions = oie(&fixtures)
        .args(["versions", "--format", "json"])
        .output()
        .unwrap();
    let inv: serde_json::Value = serde_json::from_slice(&versions.stdout).unwrap();
    assert_eq!(v["packages"], inv);
    assert_eq!(v["summary"]["verdict"], "blocked");
}

#[test]
fn html_escapes_unreadable_paths_and_messages() {
    let dir = repo();
    let (code, html, _) = audit(
        dir.path(),
        &["--isolated", "--format", "html", "src", "x<script>y"],
    );
    assert_eq!(code, 2);
    assert!(html.contains("<h2 id=\"unreadable\">"));
    assert!(html.contains("<code>x&lt;script&gt;y</code>"), "{html}");
    assert!(!html.contains("<script"));
}
