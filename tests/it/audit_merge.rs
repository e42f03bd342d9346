//! `oie-lint audit --merge`: per-repository JSON audits (one per CI job)
//! combined into one report.
//!
//! The two repositories of `tests/data/audit/` are each committed to git
//! and audited on their own (`oie-lint audit` in the checkout, as a CI job
//! does); their merge must be the report one run over both gives. Bad
//! inputs (missing, truncated, another tool's, an older schema) are listed
//! and the merge goes on; `--baseline` compares merged reports; a merged
//! report merges again. The scale test (1,000 reports in Chromium) and the
//! shell recipe are at the end.

use super::audit::{copy_tree, git};
use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn oie(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oie-lint").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// `audit ARGS` in `dir`: (exit code, stdout, stderr).
fn audit(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = oie(dir).arg("audit").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `portal/` and `legacy/` of `tests/data/audit`, each its own git
/// repository, and `reports/` with one `audit --format json` of each, run
/// inside the checkout (`.`), as one CI job per repository would.
fn per_repository_reports() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audit"),
        dir.path(),
    );
    fs::create_dir_all(dir.path().join("reports")).unwrap();
    for repo in ["portal", "legacy"] {
        let d = dir.path().join(repo);
        git(&d, &["init", "-q"]);
        git(&d, &["add", "-A"]);
        git(&d, &["commit", "-q", "-m", repo]);
        let out = format!("../reports/{repo}.json");
        let (code, _, stderr) = audit(&d, &["--isolated", "--format", "json", "-o", &out]);
        assert_eq!(code, 0, "{stderr}");
    }
    dir
}

/// (root, verdict, counts, findings as `path:line code`) per app.
fn apps_of(v: &Value) -> Vec<(String, String, String, Vec<String>)> {
    v["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["root"].as_str().unwrap().to_string(),
                a["verdict"].to_string(),
                a["counts"].to_string(),
                a["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| format!("{}:{} {}", f["path"], f["line"], f["code"]))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn merge_of_per_repository_reports_is_the_report_of_one_run() {
    let dir = per_repository_reports();
    let (code, merged, stderr) = audit(dir.path(), &["--merge", "reports", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Not ready: 8 blocking issues"), "{stderr}");
    let m = json(&merged);
    let (code, single, stderr) = audit(
        dir.path(),
        &["--isolated", "portal", "legacy", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let s = json(&single);
    assert_eq!(m["schema_version"], 2);
    assert_eq!(m["summary"], s["summary"]);
    assert_eq!(apps_of(&m), apps_of(&s));
    for key in ["rules", "categories", "files", "pages"] {
        assert_eq!(m[key], s[key], "{key}");
    }
    // The audited paths, in the order of the report files.
    assert_eq!(m["paths"], serde_json::json!(["legacy", "portal"]));
    let places = |v: &Value| -> Vec<String> {
        v["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| format!("{} {} {}", u["path"], u["resolved_from"], u["governs"]))
            .collect()
    };
    assert_eq!(places(&m), places(&s));
    // Each checkout audited `.`: its paths went under its folder name,
    // and the fix commands follow.
    let admin = m["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["root"] == "portal/apps/admin")
        .unwrap();
    assert!(admin["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["command"].as_str())
        .all(|c| c.ends_with(" portal/apps/admin/src/login.js")));
    assert_eq!(admin["repository"], "portal");
    // Provenance: each report, its repository, commit and date.
    let sources = m["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["file"], "reports/legacy.json");
    assert_eq!(sources[1]["repository"], "portal");
    assert_eq!(sources[1]["prefix"], "portal");
    assert_eq!(sources[1]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(sources[1]["date"], "2026-11-01T12:00:00+01:00");
    let repos: Vec<&str> = m["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["root"].as_str().unwrap())
        .collect();
    assert_eq!(repos, ["legacy", "portal"]);
    // App anchors are unique in the merged report.
    let mut ids: Vec<&str> = m["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);

    // The same renderers: Markdown and HTML of the merge.
    let (_, md, _) = audit(
        dir.path(),
        &["--merge", "reports/portal.json", "reports/legacy.json"],
    );
    assert!(md.contains("(merged from 2 reports)"), "{md}");
    assert!(md.contains("## Status board"));
    assert!(md.contains("| `reports/portal.json` | portal |"), "{md}");
    let (_, html, _) = audit(dir.path(), &["--merge", "reports", "--format", "html"]);
    assert!(html.contains("merged from 2 reports"));
    assert!(html.contains("<code>reports/legacy.json</code>"));
    assert!(html.contains("id=\"chart-widget\""));

    // A merged report merges again (its paths are already unique).
    fs::write(dir.path().join("merged.json"), &merged).unwrap();
    let (code, again, stderr) = audit(dir.path(), &["--merge", "merged.json", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let again = json(&again);
    assert_eq!(apps_of(&again), apps_of(&m));
    assert_eq!(again["summary"], m["summary"]);
    assert_eq!(again["sources"], m["sources"]);
}

#[test]
fn reports_that_cannot_be_read_are_listed_and_the_merge_goes_on() {
    let dir = per_repository_reports();
    let r = dir.path().join("reports");
    let full = fs::read_to_string(r.join("portal.json")).unwrap();
    fs::write(r.join("truncated.json"), &full[..full.len() / 2]).unwrap();
    fs::write(
        r.join("eslint.json"),
        r#"{"tool":{"name":"eslint","version":"9.0.0"},"results":[]}"#,
    )
    .unwrap();
    // An audit of schema 1 (no `schema_version`), as older releases wrote.
    fs::write(
        r.join("old.json"),
        r#"{"tool":{"name":"oie-lint","version":"0.0.9"},"paths":["."],"summary":{"verdict":"ready"}}"#,
    )
    .unwrap();
    // Another oie-lint output: SARIF from `check`.
    let sarif = oie(&dir.path().join("portal"))
        .args(["check", "--isolated", "--format", "sarif"])
        .output()
        .unwrap()
        .stdout;
    fs::write(r.join("check.sarif.json"), sarif).unwrap();
    fs::write(r.join("notes.txt"), "not a report, not *.json").unwrap();
    let (code, out, stderr) = audit(
        dir.path(),
        &["--merge", "reports", "gone.json", "--format", "json"],
    );
    assert_eq!(code, 2, "{stderr}");
    let m = json(&out);
    let bad: Vec<(String, String)> = m["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["path"].as_str().unwrap().to_string(),
                u["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason = |file: &str| {
        bad.iter()
            .find(|(p, _)| p == file)
            .map(|(_, e)| e.clone())
            .unwrap_or_else(|| panic!("{file} not in {bad:?}"))
    };
    assert_eq!(bad.len(), 5, "{bad:?}");
    assert!(reason("gone.json").contains("no such file"));
    assert!(reason("reports/truncated.json").starts_with("truncated"));
    assert!(reason("reports/eslint.json").contains("written by `eslint`"));
    assert!(reason("reports/old.json").contains("audit schema 1"));
    assert!(reason("reports/check.sarif.json").contains("not an oie-lint audit report"));
    for (file, e) in &bad {
        assert!(!e.contains('\n'), "{file}: {e}");
        assert!(stderr.contains(&format!("error: {file}: ")), "{stderr}");
    }
    // The two good reports are all there.
    assert_eq!(m["summary"]["apps"], 6);
    assert_eq!(m["summary"]["unreadable"], 5);
    assert_eq!(m["sources"].as_array().unwrap().len(), 2);
    let (code, html, _) = audit(dir.path(), &["--merge", "reports", "--format", "html"]);
    assert_eq!(code, 2);
    assert!(html.contains("<section id=\"unreadable\">"));
    assert!(html.contains("<code>reports/eslint.json</code>: written by `eslint`"));
    assert!(html.contains("Incomplete: 4 paths could not be read"));
    // Nothing readable at all: still a report, still exit 2.
    let (code, out, _) = audit(dir.path(), &["--merge", "gone.json", "--format", "json"]);
    assert_eq!(code, 2);
    assert_eq!(json(&out)["summary"]["apps"], 0);
}

#[test]
fn baseline_compares_merged_reports() {
    let dir = per_repository_reports();
    let (_, before, _) = audit(dir.path(), &["--merge", "reports", "--format", "json"]);
    fs::write(dir.path().join("before.json"), before).unwrap();
    // A fix lands in portal; its CI job writes a new report.
    let login = dir.path().join("portal/apps/admin/src/login.js");
    let text = fs::read_to_string(&login).unwrap().replace(
        "    res.session.setCookieAndRedirect('https://admin.acme.example/');\n",
        "    window.location.assign('/');\n",
    );
    fs::write(&login, text).unwrap();
    let (code, _, stderr) = audit(
        &dir.path().join("portal"),
        &[
            "--isolated",
            "--format",
            "json",
            "-o",
            "../reports/portal.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, out, stderr) = audit(
        dir.path(),
        &[
            "--merge",
            "reports",
            "--baseline",
            "before.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let m = json(&out);
    let b = &m["baseline"];
    assert_eq!(b["total"]["fixed"], 1, "{b:#}");
    assert_eq!(b["total"]["new"], 0, "{b:#}");
    assert_eq!(b["fixed"][0]["path"], "portal/apps/admin/src/login.js");
    assert_eq!(b["fixed"][0]["code"], "OIE001");
    let remaining = b["total"]["remaining"].as_u64().unwrap();
    assert_eq!(remaining, m["summary"]["findings"].as_u64().unwrap());
    assert!(m["apps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap())
        .all(|f| f["baseline"] == "remaining"));
    let admin = m["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["root"] == "portal/apps/admin")
        .unwrap();
    assert_eq!(admin["progress"]["fixed"], 1);
}

#[test]
fn repositories_with_the_same_name_stay_apart() {
    let dir = per_repository_reports();
    // The same repository audited twice (two orgs with a `portal`).
    fs::copy(
        dir.path().join("reports/portal.json"),
        dir.path().join("reports/portal-copy.json"),
    )
    .unwrap();
    let (code, out, stderr) = audit(dir.path(), &["--merge", "reports", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let m = json(&out);
    let names: Vec<&str> = m["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["legacy", "portal", "portal-2"]);
    let roots: Vec<&str> = m["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["root"].as_str().unwrap())
        .filter(|r| r.ends_with("apps/admin"))
        .collect();
    assert_eq!(roots, ["portal-2/apps/admin", "portal/apps/admin"]);
    assert_eq!(m["summary"]["apps"], 10);
}

#[test]
fn merge_and_paths_are_exclusive() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = audit(dir.path(), &["src", "--merge", "a.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--merge"), "{stderr}");
}

/// Where the scale test keeps its output (screenshots, the big report).
fn tmp() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-merge")
}
