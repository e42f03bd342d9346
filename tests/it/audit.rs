//! `oie-lint audit`: the migration-readiness report end to end.
//!
//! Two set-ups. The multi-app tree `tests/data/audit/` (two repositories,
//! npm and pnpm workspaces, see its README) pins the three formats with
//! insta snapshots, the app grouping, `--baseline` and, in headless
//! Chromium, the HTML's layout at 1280 px. One small repository is built in a temporary directory: a package.json
//! whose widget range is only a warning, an embedded widget without
//! `useInteractionCodeFlow` (safe fix) that calls `setCookieAndRedirect`,
//! an Okta-hosted template (the bundled fixture), a file whose *name*
//! contains `<script>` (escaping), and a clean file. Markdown and JSON are
//! pinned by insta snapshots; HTML is checked for self-containment and
//! escaping; `-o`, the config file and the exit codes are checked too.

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

use crate::common::oie_in as oie;

use crate::common::audit_in as audit;

fn stderr_of(dir: &Path, args: &[&str]) -> String {
    audit(dir, args).2
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
    // Every href is an in-page anchor or a link to Okta's docs (on its site,
    // or an Okta SDK's guide on GitHub, as OIE018's okta-auth-js guide).
    let hrefs: Vec<&str> = html.split("href=\"").skip(1).collect();
    assert!(!hrefs.is_empty());
    for h in hrefs {
        assert!(
            h.starts_with("https://developer.okta.com/docs/")
                || h.starts_with("https://github.com/okta/")
                || h.starts_with('#'),
            "{h}"
        );
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
    // The headline says so before anything else.
    let warning = stdout.find("Incomplete: 1 path could not be read").unwrap();
    assert!(warning < stdout.find("## Status board").unwrap());
    let stderr = stderr_of(dir.path(), &["--isolated", "src", "nope"]);
    let last = stderr.lines().last().unwrap();
    assert!(
        last.starts_with("Incomplete (1 path could not be read). Not ready:"),
        "{stderr}"
    );
}

#[test]
fn clean_repository_is_ready_in_code() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("app.js"), "export const x = 1;\n").unwrap();
    let (code, stdout, stderr) = audit(dir.path(), &["--isolated"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("**Ready in code**: 1 app: 0 blocked, 0 needing review, 1 ready."));
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
            "hosted/OIE024-OIE010-OIE017-gen3-customizations.html",
            "hosted/custom-sign-in.html",
            "hosted/default-sign-in.html",
            "widget-customization/OIE016-hosted-custom.html"
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
    assert!(html.contains("<section id=\"unreadable\">"));
    assert!(html.contains("<code>x&lt;script&gt;y</code>"), "{html}");
    assert!(!html.contains("<script"));
}

// ---------------------------------------------------------------------------
// The multi-app tree: two repositories, npm and pnpm workspaces.

const COMMIT_DATE: &str = "2026-11-01T12:00:00+01:00";

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            fs::create_dir_all(&dest).unwrap();
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

pub(crate) fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Audit Test",
            "-c",
            "user.email=audit@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", COMMIT_DATE)
        .env("GIT_COMMITTER_DATE", COMMIT_DATE)
        .status()
        .expect("git on PATH")
        .success();
    assert!(ok, "git {args:?}");
}

/// `tests/data/audit` in a temporary folder, `portal/` committed to git.
fn multi_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audit"),
        dir.path(),
    );
    let portal = dir.path().join("portal");
    git(&portal, &["init", "-q"]);
    git(&portal, &["add", "-A"]);
    git(&portal, &["commit", "-q", "-m", "portal"]);
    dir
}

/// Version and commit hashes are not part of what the snapshots pin.
fn normalize_multi(text: &str) -> String {
    let hash = regex::Regex::new(r"\b[0-9a-f]{40}\b").unwrap();
    hash.replace_all(&normalize(text), "[COMMIT]").into_owned()
}

const MULTI: &[&str] = &["--isolated", "portal", "legacy"];

fn multi(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<&str> = MULTI.to_vec();
    args.extend_from_slice(extra);
    audit(dir, &args)
}

#[test]
fn multi_app_markdown() {
    let dir = multi_app();
    let (code, stdout, stderr) = multi(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("multi_app_markdown", normalize_multi(&stdout));
}

#[test]
fn multi_app_json() {
    let dir = multi_app();
    let (code, stdout, stderr) = multi(dir.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("multi_app_json", normalize_multi(&stdout));
}

#[test]
fn multi_app_html() {
    let dir = multi_app();
    let (code, stdout, stderr) = multi(dir.path(), &["--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("multi_app_html", normalize_multi(&stdout));
}

fn multi_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = multi(dir, &args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn apps_are_grouped_by_package_root_workspace_and_repository_worst_first() {
    let dir = multi_app();
    let v = multi_json(dir.path(), &[]);
    assert_eq!(v["schema_version"], 2);
    let apps = v["apps"].as_array().unwrap();
    let row = |a: &serde_json::Value| {
        (
            a["root"].as_str().unwrap().to_string(),
            a["kind"].as_str().unwrap().to_string(),
            a["verdict"].as_str().unwrap().to_string(),
            a["repository"].as_str().unwrap_or("-").to_string(),
        )
    };
    let rows: Vec<_> = apps.iter().map(row).collect();
    let expect = |root: &str, kind: &str, verdict: &str, repo: &str| {
        (
            root.to_string(),
            kind.to_string(),
            verdict.to_string(),
            repo.to_string(),
        )
    };
    // Blocked apps first (most errors first), then needs review, then ready.
    assert_eq!(
        rows,
        [
            expect(
                "legacy/services/web",
                "workspace-member",
                "blocked",
                "legacy"
            ),
            expect("portal/apps/admin", "workspace-member", "blocked", "portal"),
            expect("legacy", "workspace", "blocked", "legacy"),
            // One blocking issue: `sessionToken: tx.sessionToken` is one construct.
            expect("portal/apps/shop", "workspace-member", "blocked", "portal"),
            // The lockfile's warning (OIE004) is graded where the lockfile is.
            expect("portal", "workspace", "needs-review", "portal"),
            expect("portal/packages/ui", "workspace-member", "ready", "portal"),
        ],
        "{rows:#?}"
    );
    let by_root = |r: &str| apps.iter().find(|a| a["root"] == r).unwrap();
    let admin = by_root("portal/apps/admin");
    assert_eq!(admin["name"], "@acme/admin");
    assert_eq!(admin["workspace"], "portal");
    assert_eq!(admin["widget_versions"], serde_json::json!(["5.9.4"]));
    assert_eq!(admin["deployment"], serde_json::json!(["embedded-widget"]));
    // Every finding, with its fix and the command that applies it.
    let f: Vec<&serde_json::Value> = admin["findings"].as_array().unwrap().iter().collect();
    let fixes: Vec<(&str, &str)> = f
        .iter()
        .map(|x| (x["code"].as_str().unwrap(), x["fix"].as_str().unwrap()))
        .collect();
    assert!(fixes.contains(&("OIE003", "safe")), "{fixes:?}");
    assert!(fixes.contains(&("OIE001", "unsafe")), "{fixes:?}");
    let safe = f.iter().find(|x| x["code"] == "OIE003").unwrap();
    assert_eq!(
        safe["command"],
        "oie-lint check --fix --select OIE003 portal/apps/admin/src/login.js"
    );
    assert_eq!(safe["line"], 4);
    let shop = by_root("portal/apps/shop");
    assert_eq!(
        shop["deployment"],
        serde_json::json!(["embedded-widget", "auth-js"])
    );
    let shop_findings = shop["findings"].as_array().unwrap();
    // `getWithRedirect({ sessionToken: tx.sessionToken })`: one construct,
    // one blocking issue, reported at the key that carries the unsafe
    // auth-js fix (drop it); the read of `tx.sessionToken` is part of it.
    assert_eq!(shop["counts"]["errors"], 1, "{shop}");
    // The Classic Authn calls around it (`signInWithCredentials`, the
    // `getWithRedirect` hand-off) are OIE018's warnings (default set).
    assert_eq!(
        shop["by_rule"],
        serde_json::json!({ "OIE002": 1, "OIE018": 2 })
    );
    let session: Vec<_> = shop_findings
        .iter()
        .filter(|x| x["code"] == "OIE002")
        .collect();
    assert_eq!(session.len(), 1, "{session:?}");
    let unsafe_fix = session[0];
    assert_eq!(
        (&unsafe_fix["line"], &unsafe_fix["column"]),
        (&8.into(), &44.into())
    );
    assert_eq!(unsafe_fix["fix"], "unsafe");
    assert!(
        unsafe_fix["command"]
            .as_str()
            .is_some_and(|c| c.contains("--unsafe-fixes")),
        "{unsafe_fix}"
    );
    // The JSP page and the hosted page have no package.json of their own:
    // they belong to the legacy root.
    let legacy = by_root("legacy");
    assert_eq!(
        legacy["hosted_pages"],
        serde_json::json!(["legacy/okta-pages/sign-in.html"])
    );
    assert_eq!(
        legacy["embedded_widgets"],
        serde_json::json!(["legacy/services/api/src/main/webapp/login.jsp"])
    );
    // Every package use says why it has its status.
    let web = by_root("legacy/services/web");
    assert!(web["packages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| !u["reason"].as_str().unwrap().is_empty() && u["status"] == "blocking"));
    // Repositories: portal from git, legacy as a plain folder.
    let repos = v["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 2);
    assert_eq!(repos[0]["name"], "legacy");
    assert_eq!(repos[0]["vcs"], "folder");
    assert!(repos[0]["commit"].is_null());
    assert_eq!(repos[1]["name"], "portal");
    assert_eq!(repos[1]["vcs"], "git");
    assert_eq!(repos[1]["branch"], "main");
    assert!(repos[1]["date"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-01T12:00:00+01:00"));
    assert_eq!(repos[1]["commit"].as_str().unwrap().len(), 40);
    let s = &v["summary"];
    assert_eq!(
        (
            s["apps"].as_u64(),
            s["apps_blocked"].as_u64(),
            s["apps_ready"].as_u64()
        ),
        (Some(6), Some(4), Some(1))
    );
    // The config in effect.
    assert_eq!(v["config"]["min_widget_version"], "5.2.0");
    assert!(v["config"]["rules_enabled"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "OIE001"));
}

#[test]
fn baseline_counts_fixed_new_and_remaining_in_all_formats() {
    let dir = multi_app();
    let (_, before, _) = multi(dir.path(), &["--format", "json"]);
    fs::write(dir.path().join("before.json"), before).unwrap();
    // Fix the admin app's redirect (a line is removed above nothing else),
    // add a line above the shop's findings (they stay "remaining"), and
    // add a new finding to the ui package.
    let login = dir.path().join("portal/apps/admin/src/login.js");
    let text = fs::read_to_string(&login).unwrap().replace(
        "    res.session.setCookieAndRedirect('https://admin.acme.example/');\n",
        "    window.location.assign('/');\n",
    );
    fs::write(&login, text).unwrap();
    let auth = dir.path().join("portal/apps/shop/src/auth.ts");
    let text = format!("// moved down\n{}", fs::read_to_string(&auth).unwrap());
    fs::write(&auth, text).unwrap();
    fs::write(
        dir.path().join("portal/packages/ui/src/session.js"),
        "import { OktaAuth } from '@okta/okta-auth-js';\nconst authClient = new OktaAuth({});\nexport const go = (t) => authClient.session.setCookieAndRedirect(t.sessionToken);\n",
    )
    .unwrap();
    let v = multi_json(dir.path(), &["--baseline", "before.json"]);
    let b = &v["baseline"];
    assert_eq!(b["file"], "before.json");
    let total = (
        b["total"]["fixed"].as_u64().unwrap(),
        b["total"]["new"].as_u64().unwrap(),
        b["total"]["remaining"].as_u64().unwrap(),
    );
    assert_eq!(total.0, 1, "{b:#}");
    assert!(total.1 >= 1, "{b:#}");
    assert_eq!(b["fixed"][0]["code"], "OIE001");
    assert_eq!(b["fixed"][0]["path"], "portal/apps/admin/src/login.js");
    let app = |root: &str| {
        b["apps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["root"] == root)
            .cloned()
            .unwrap_or_else(|| panic!("{root} in {b:#}"))
    };
    assert_eq!(app("portal/apps/admin")["fixed"], 1);
    let shop = app("portal/apps/shop");
    assert_eq!(
        (shop["new"].as_u64(), shop["fixed"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(shop["remaining"].as_u64().unwrap() >= 1);
    assert_eq!(app("portal/packages/ui")["new"].as_u64(), Some(total.1));
    // Each current finding is marked.
    let ui = v["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["root"] == "portal/packages/ui")
        .unwrap();
    assert!(ui["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["baseline"] == "new"));
    // Markdown and HTML show the same numbers.
    let (_, md, _) = multi(dir.path(), &["--baseline", "before.json"]);
    assert!(md.contains("## Progress since the baseline"));
    assert!(md.contains(&format!(
        "**{} fixed**, **{} new**, {} remaining",
        total.0, total.1, total.2
    )));
    let (_, html, _) = multi(
        dir.path(),
        &["--baseline", "before.json", "--format", "html"],
    );
    assert!(html.contains("<section id=\"progress\">"));
    assert!(html.contains(&format!("<span class=\"fixed\">{} fixed</span>", total.0)));
    assert!(html.contains("<a href=\"#progress\">"));
}

#[test]
fn baseline_must_be_a_schema_2_json_audit() {
    let dir = multi_app();
    fs::write(
        dir.path().join("old.json"),
        r#"{"tool":{"name":"oie-lint","version":"0.1.0"},"summary":{}}"#,
    )
    .unwrap();
    let (code, stdout, stderr) = multi(dir.path(), &["--baseline", "old.json"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--baseline old.json") && stderr.contains("schema_version"),
        "{stderr}"
    );
    let (code, _, stderr) = multi(dir.path(), &["--baseline", "missing.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.json"), "{stderr}");
}

#[test]
fn json_schema_keys_are_documented_in_the_audit_docs() {
    let dir = multi_app();
    let v = multi_json(dir.path(), &[]);
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit.md")).unwrap();
    let start = readme
        .find("## Audit JSON schema")
        .expect("docs/audit.md section");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n## ").map_or(section.len(), |e| e + 4)];
    let mut missing = Vec::new();
    let mut check = |what: &str, obj: &serde_json::Value| {
        for k in obj.as_object().unwrap().keys() {
            if !section.contains(&format!("`{k}`")) && !section.contains(&format!("`{k}[]`")) {
                missing.push(format!("{what}.{k}"));
            }
        }
    };
    check("report", &v);
    check("summary", &v["summary"]);
    check("apps[]", &v["apps"][0]);
    check("apps[].counts", &v["apps"][0]["counts"]);
    check("apps[].findings[]", &v["apps"][1]["findings"][0]);
    check("repositories[]", &v["repositories"][0]);
    check("config", &v["config"]);
    check("rules[]", &v["rules"][0]);
    assert!(
        missing.is_empty(),
        "docs/audit.md does not document {missing:?}"
    );
}

#[test]
#[cfg_attr(
    oie_missing_browser,
    ignore = "needs Chromium and playwright-core: run scripts/install-browser.sh"
)]
fn html_report_in_chromium_at_1280px() {
    let dir = multi_app();
    let (code, html, stderr) = multi(dir.path(), &["--format", "html"]);
    assert_eq!(code, 0, "{stderr}");
    let report = dir.path().join("audit.html");
    fs::write(&report, html).unwrap();
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-report.png");
    let out = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/audit-report.mjs"))
        .arg(&report)
        .arg(&shot)
        .output()
        .expect("node on PATH");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["charts"].as_array().unwrap().len(), 3);
    assert!(v["links"]["count"].as_u64().unwrap() >= 10, "{v}");
    let png = fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    // `OIE_LINT_UPDATE_SCREENSHOT=1 cargo test --test audit chromium`
    // refreshes the README's picture.
    if std::env::var_os("OIE_LINT_UPDATE_SCREENSHOT").is_some() {
        fs::copy(
            &shot,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit-report.png"),
        )
        .unwrap();
    }
}

/// Issue 28: the audit's page scan reuses check's parse. For every page
/// and script of the fixtures, what the linter reports from its own parse
/// (`FileReport::page`) gives the page scan's answer, and every file the
/// scan would have parsed (it mentions the widget) was parsed by the
/// linter, so the audit parses none of them again.
#[test]
fn the_page_scan_reads_the_linters_parse_and_agrees_with_its_own() {
    use oie_lint::audit::pages;
    use oie_lint::source::{FileKind, SourceFile};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut linter = crate::common::fixtures_linter(&root);
    linter.collect_page_facts();
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                FileKind::from_path(&p),
                Some(FileKind::Script(_) | FileKind::Html)
            ) {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut listed, mut reused) = (0, 0);
    for p in &files {
        let Ok(text) = fs::read_to_string(p) else {
            continue;
        };
        let kind = FileKind::from_path(p).unwrap();
        let display = p.strip_prefix(&root).unwrap().display().to_string();
        let own = pages::classify_read(p, &display, kind, &text);
        let file = SourceFile {
            kind,
            display: display.clone(),
            path: p.clone(),
            text: text.clone(),
        };
        let report = linter.lint(&file);
        assert_eq!(report.page.is_some(), report.parsed, "{display}");
        match &report.page {
            Some(facts) => {
                reused += 1;
                assert_eq!(pages::from_facts(&display, kind, facts), own, "{display}");
            }
            None => assert!(own.is_none(), "{display}: the audit would parse it again"),
        }
        listed += usize::from(own.is_some());
    }
    eprintln!(
        "{} pages and scripts: {reused} parsed by the linter, {listed} listed",
        files.len()
    );
    assert!(listed >= 30 && reused >= listed);
}
