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
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::oie_in as oie;

use crate::common::audit_in as audit;

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
    assert!(html.contains("<td class=\"m\">reports/legacy.json</td>"));
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

// ---------------------------------------------------------------------------
// Scale: 1,000 synthetic per-repository reports, merged, in Chromium.

use oie_lint::audit::{FileRow, FixKind, Report, Repository, RuleRow, Verdict};
use oie_lint::diagnostic::Severity;
use std::collections::BTreeMap;

/// Sign-In Widget versions the synthetic repositories use: from 4.x (below
/// the minimum) to 7.x, several patch releases per line.
const VERSIONS: &[&str] = &[
    "4.3.1", "4.5.0", "5.0.3", "5.2.0", "5.2.4", "5.5.4", "5.9.0", "5.9.4", "5.11.0", "5.11.2",
    "5.14.1", "5.16.1", "6.0.0", "6.3.2", "6.9.0", "7.0.1", "7.4.3", "7.8.2", "7.14.0", "7.14.5",
    "7.18.1", "7.21.0", "7.24.3", "7.28.1", "7.31.0", "7.36.2", "7.41.0", "7.45.1", "7.49.0",
    "7.49.2",
];

/// One real audit per fixture folder, each copied to a git repository of
/// its own and audited there (`.`, as a CI job would): the material the
/// synthetic reports are varied from.
fn fixture_audits() -> Vec<Report> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let checkouts = tempfile::tempdir().unwrap();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for e in fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        if !p.is_dir() {
            continue;
        }
        if p.ends_with("fix") {
            for f in fs::read_dir(&p).unwrap() {
                let f = f.unwrap().path();
                if f.is_dir() {
                    dirs.push(f);
                }
            }
        } else {
            dirs.push(p);
        }
    }
    dirs.sort();
    let dirs: Vec<PathBuf> = dirs
        .iter()
        .map(|d| {
            let name = d.file_name().unwrap();
            let to = checkouts.path().join(name);
            fs::create_dir_all(&to).unwrap();
            copy_tree(d, &to);
            git(&to, &["init", "-q"]);
            git(&to, &["add", "-A"]);
            git(&to, &["commit", "-q", "--allow-empty", "-m", "fixture"]);
            to
        })
        .collect();
    let chunks: Vec<Vec<PathBuf>> = dirs
        .chunks(dirs.len().div_ceil(4))
        .map(<[_]>::to_vec)
        .collect();
    let mut out: Vec<Report> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|d| {
                            let (code, text, stderr) =
                                audit(d, &["--isolated", "--format", "json"]);
                            assert!(code == 0 || code == 2, "{}: {stderr}", d.display());
                            serde_json::from_str::<Report>(&text).unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    // Keep the ones with something to show, and a few clean ones.
    let clean: Vec<Report> = out
        .iter()
        .filter(|r| r.summary.findings == 0)
        .take(3)
        .cloned()
        .collect();
    out.retain(|r| r.summary.findings > 0);
    out.extend(clean);
    assert!(out.len() >= 20, "{} fixture audits", out.len());
    out
}

fn verdict(errors: usize, warnings: usize, pkg_blocking: usize, pkg_warning: usize) -> Verdict {
    if errors > 0 || pkg_blocking > 0 {
        Verdict::Blocked
    } else if warnings > 0 || pkg_warning > 0 {
        Verdict::NeedsReview
    } else {
        Verdict::Ready
    }
}

/// Report `i` of the synthetic set: a fixture audit with its own
/// repository (name, commit, date), its own widget versions and some of
/// its findings left out (or repeated), its counts made consistent again.
/// `slot` counts the widget versions handed out so far: they cycle through
/// [`VERSIONS`], so every version is used however many fixture folders (and
/// apps with a widget) there are.
fn synthetic(base: &Report, i: usize, slot: &mut usize) -> Report {
    let mut r = base.clone();
    let name = if i.is_multiple_of(9) {
        format!("customer-identity-platform-legacy-authentication-gateway-service-{i:04}")
    } else {
        format!("service-{i:04}")
    };
    r.repositories = vec![Repository {
        name: name.clone(),
        root: ".".into(),
        vcs: "git".into(),
        branch: Some("main".into()),
        commit: Some(format!("{:040x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15)),
        date: Some(format!(
            "2026-11-{:02}T09:{:02}:00+00:00",
            1 + i % 28,
            i % 60
        )),
    }];
    let mut totals = (0, 0, 0, 0);
    let mut rules: BTreeMap<String, RuleRow> = BTreeMap::new();
    let mut files: BTreeMap<String, FileRow> = BTreeMap::new();
    for a in r.apps.iter_mut() {
        a.repository = Some(name.clone());
        for v in a.widget_versions.iter_mut() {
            *v = VERSIONS[*slot % VERSIONS.len()].to_string();
            *slot += 1;
        }
        // Vary the findings: drop every n-th, or repeat each one further down.
        let every = 2 + i % 5;
        let mut kept: Vec<_> = a
            .findings
            .iter()
            .enumerate()
            .filter(|(j, _)| !(i + j).is_multiple_of(every))
            .map(|(_, f)| f.clone())
            .collect();
        // Repeat them further down: 1, 3, 5 or 7 times, and one repository
        // with more than a page (250) of findings in an app.
        let times = if i == 500 { 300 } else { 1 + (i % 4) * 2 };
        let once = kept.clone();
        for t in 1..times {
            kept.extend(once.iter().map(|f| {
                let mut f = f.clone();
                f.line += 100 * t;
                f.end_line += 100 * t;
                f.fingerprint = format!("{}-{t}", f.fingerprint);
                f
            }));
        }
        a.findings = kept;
        let c = &mut a.counts;
        (
            c.findings,
            c.errors,
            c.warnings,
            c.fixable,
            c.unsafe_fixable,
        ) = (0, 0, 0, 0, 0);
        a.by_rule.clear();
        for f in &a.findings {
            c.findings += 1;
            let (e, w) = match f.severity {
                Severity::Error => (1, 0),
                Severity::Warning => (0, 1),
            };
            let (s, u) = match f.fix {
                FixKind::Safe => (1, 0),
                FixKind::Unsafe => (0, 1),
                FixKind::None => (0, 0),
            };
            c.errors += e;
            c.warnings += w;
            c.fixable += s;
            c.unsafe_fixable += u;
            *a.by_rule.entry(f.code.clone()).or_insert(0) += 1;
            let row = rules.entry(f.code.clone()).or_insert_with(|| RuleRow {
                code: f.code.clone(),
                name: f.name.clone(),
                category: f.category.clone(),
                count: 0,
                errors: 0,
                warnings: 0,
                fixable: 0,
                unsafe_fixable: 0,
                url: String::new(),
            });
            row.count += 1;
            row.errors += e;
            row.warnings += w;
            row.fixable += s;
            row.unsafe_fixable += u;
            let file = files.entry(f.path.clone()).or_insert_with(|| FileRow {
                path: f.path.clone(),
                app: Some(a.root.clone()),
                worst: Severity::Warning,
                count: 0,
                errors: 0,
                warnings: 0,
                fixable: 0,
                unsafe_fixable: 0,
                rules: Vec::new(),
            });
            file.count += 1;
            file.worst = file.worst.max(f.severity);
            file.errors += e;
            file.warnings += w;
            file.fixable += s;
            file.unsafe_fixable += u;
            if !file.rules.contains(&f.code) {
                file.rules.push(f.code.clone());
            }
        }
        a.verdict = verdict(
            c.errors,
            c.warnings,
            c.packages_blocking,
            c.packages_warning,
        );
        totals.0 += c.errors;
        totals.1 += c.warnings;
        totals.2 += c.fixable;
        totals.3 += c.unsafe_fixable;
    }
    // Keep the base's rule links.
    for x in &base.rules {
        if let Some(row) = rules.get_mut(&x.code) {
            row.url = x.url.clone();
        }
    }
    r.rules = rules.into_values().collect();
    r.rules
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    r.files = files.into_values().collect();
    let s = &mut r.summary;
    (s.errors, s.warnings, s.fixable, s.unsafe_fixable) = totals;
    s.findings = totals.0 + totals.1;
    s.blocking_issues = totals.0;
    s.files_with_findings = r.files.len();
    s.verdict = verdict(totals.0, totals.1, s.packages_blocking, s.packages_warning);
    let by = |v: Verdict| r.apps.iter().filter(|a| a.verdict == v).count();
    (s.apps_blocked, s.apps_needs_review, s.apps_ready) = (
        by(Verdict::Blocked),
        by(Verdict::NeedsReview),
        by(Verdict::Ready),
    );
    r
}

/// Writes `n` synthetic reports to `dir`; returns the number of findings.
fn write_synthetic_reports(dir: &Path, n: usize) -> usize {
    let bases = fixture_audits();
    fs::create_dir_all(dir).unwrap();
    let mut findings = 0;
    let mut slot = 0;
    for i in 0..n {
        let r = synthetic(&bases[i % bases.len()], i, &mut slot);
        findings += r.summary.findings;
        fs::write(
            dir.join(format!("service-{i:04}.json")),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
    }
    findings
}

#[test]
fn a_thousand_reports_merge_into_one_page() {
    let tmp = tmp().join("thousand");
    let _ = fs::remove_dir_all(&tmp);
    let reports = tmp.join("reports");
    let findings = write_synthetic_reports(&reports, 1000);
    let start = std::time::Instant::now();
    let (code, _, stderr) = audit(
        &tmp,
        &[
            "--merge",
            "reports",
            "--format",
            "json",
            "-o",
            "merged.json",
        ],
    );
    let json_time = start.elapsed();
    assert_eq!(code, 0, "{stderr}");
    let start = std::time::Instant::now();
    let (code, _, stderr) = audit(
        &tmp,
        &[
            "--merge",
            "reports",
            "--format",
            "html",
            "-o",
            "merged.html",
        ],
    );
    let html_time = start.elapsed();
    assert_eq!(code, 0, "{stderr}");
    let m: Value = json(&fs::read_to_string(tmp.join("merged.json")).unwrap());
    assert_eq!(m["sources"].as_array().unwrap().len(), 1000);
    assert_eq!(
        m["summary"]["findings"].as_u64().unwrap() as usize,
        findings
    );
    let in_apps: usize = m["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(in_apps, findings);
    let html = fs::read_to_string(tmp.join("merged.html")).unwrap();
    let size = html.len();
    eprintln!(
        "1,000 reports, {findings} findings: merge to JSON {json_time:?}, to HTML {html_time:?}, page {size} bytes"
    );
    assert!(size < 20_000_000, "the page is {size} bytes");
    // Every finding has its row; findings come in pages of 250 at most.
    assert_eq!(html.matches("<tr class=\"f\">").count(), findings);
    // The header counts the paths and lists them collapsed.
    assert!(html.contains("Audited 1000 paths (merged from 1000 reports"));
    assert!(html.contains("<summary>The 1000 audited paths</summary>"));
    // One bar per release line, not per exact version.
    let chart = &html[html.find("id=\"chart-widget\"").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let lines: std::collections::BTreeSet<&str> = VERSIONS
        .iter()
        .map(|v| &v[..v.rfind('.').unwrap()])
        .collect();
    assert_eq!(chart.matches("<rect").count(), lines.len());
    assert!(lines.len() < VERSIONS.len());
    assert!(html.contains("<summary>Exact versions (30)</summary>"));

    // Linear: 1,000 reports take about ten times what 100 take (a
    // quadratic step would take a hundred times). Best of three each, in
    // this process, so that start-up and the machine's load weigh less.
    let mut files: Vec<PathBuf> = fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let best = |n: usize| {
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                let r = oie_lint::audit::merge::read_and_merge(&files[..n], Vec::new(), None);
                assert_eq!(r.sources.len(), n);
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let (small, large) = (best(100), best(1000));
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    eprintln!("merge in process: 100 reports {small:?}, 1,000 reports {large:?} (x{ratio:.1})");
    assert!(
        ratio < 30.0,
        "100 reports {small:?}, 1,000 reports {large:?}"
    );
}

/// Runs `tests/browser/audit-report.mjs` on `html` at `width`: the JSON it
/// prints (it fails the test when a check fails).
fn chromium(html: &Path, shot: &Path, width: u32, findings: usize) -> Value {
    let out = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/audit-report.mjs"))
        .arg(html)
        .arg(shot)
        .args(["--width", &width.to_string()])
        .args(["--findings", &findings.to_string()])
        .args(["--max-load-ms", "2000"])
        .output()
        .expect("node on PATH");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{width} px: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap()
}

#[test]
#[cfg_attr(
    oie_missing_browser,
    ignore = "needs Chromium and playwright-core: run scripts/install-browser.sh"
)]
fn a_thousand_reports_in_chromium_at_1280_and_390px() {
    let tmp = tmp().join("browser");
    let _ = fs::remove_dir_all(&tmp);
    let findings = write_synthetic_reports(&tmp.join("reports"), 1000);
    let (code, _, stderr) = audit(
        &tmp,
        &[
            "--merge",
            "reports",
            "--format",
            "html",
            "-o",
            "merged.html",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = tmp.join("merged.html");
    let size = fs::metadata(&html).unwrap().len();
    assert!(size < 20_000_000, "{size} bytes");
    for width in [1280, 390] {
        let shot = tmp.join(format!("audit-merge-{width}.png"));
        let v = chromium(&html, &shot, width, findings);
        // No sideways scrolling, links resolve, three charts, no console
        // error, every finding has a visible row, loaded within 2 s.
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(v["closed"]["count"], 0);
        assert_eq!(v["open"]["count"], 0);
        assert!(v["open"]["scrollWidth"].as_u64().unwrap() <= u64::from(width));
        assert_eq!(v["links"]["broken"].as_array().unwrap().len(), 0);
        assert!(v["links"]["toc"].as_u64().unwrap() >= 9, "{v}");
        assert_eq!(v["charts"].as_array().unwrap().len(), 3);
        assert_eq!(v["rows"]["count"].as_u64().unwrap() as usize, findings);
        eprintln!(
            "{width} px: {size} bytes, load {} ms (tries {})",
            v["load"]["best"], v["load"]["tries"]
        );
        assert!(fs::read(&shot).unwrap().starts_with(b"\x89PNG"));
        // `OIE_LINT_UPDATE_SCREENSHOT=1 cargo test --test it audit_merge::`
        // refreshes the pictures in docs/img/.
        if std::env::var_os("OIE_LINT_UPDATE_SCREENSHOT").is_some() {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/img");
            fs::create_dir_all(&docs).unwrap();
            fs::copy(&shot, docs.join(format!("audit-merge-{width}.png"))).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------
// The recipes of docs/recipes (docs/audit.md, "Auditing many repositories"),
// run on three fixture repositories.

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Three git repositories under `parent`: `portal` and `legacy` of
/// `tests/data/audit` and `branding` (the hosted templates of fixtures/).
fn three_repositories(parent: &Path) -> Vec<PathBuf> {
    let sources = [
        ("portal", manifest().join("tests/data/audit/portal")),
        ("legacy", manifest().join("tests/data/audit/legacy")),
        ("branding", manifest().join("fixtures/hosted")),
    ];
    sources
        .iter()
        .map(|(name, from)| {
            let to = parent.join(name);
            fs::create_dir_all(&to).unwrap();
            copy_tree(from, &to);
            git(&to, &["init", "-q"]);
            git(&to, &["add", "-A"]);
            git(&to, &["commit", "-q", "-m", name]);
            to
        })
        .collect()
}

/// PATH with the oie-lint under test first.
fn path_with_oie_lint() -> std::ffi::OsString {
    let bin = assert_cmd::cargo::cargo_bin("oie-lint");
    let mut dirs = vec![bin.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// The merged JSON's apps count, sources and first paths, checked against
/// the three repositories' own reports.
fn check_merged(merged: &Path, reports: &Path) {
    let m = json(&fs::read_to_string(merged).unwrap());
    let mut apps = 0;
    let mut findings = 0;
    for e in fs::read_dir(reports).unwrap() {
        let r = json(&fs::read_to_string(e.unwrap().path()).unwrap());
        apps += r["summary"]["apps"].as_u64().unwrap();
        findings += r["summary"]["findings"].as_u64().unwrap();
    }
    assert_eq!(m["sources"].as_array().unwrap().len(), 3, "{m:#}");
    assert_eq!(m["summary"]["apps"].as_u64().unwrap(), apps);
    assert_eq!(m["summary"]["findings"].as_u64().unwrap(), findings);
    assert!(findings > 0);
    assert_eq!(m["summary"]["unreadable"], 0);
    let names: Vec<&str> = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["repository"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["branding", "legacy", "portal"]);
    // Each finding's path starts with its repository's folder.
    for a in m["apps"].as_array().unwrap() {
        let repo = a["repository"].as_str().unwrap();
        for f in a["findings"].as_array().unwrap() {
            let p = f["path"].as_str().unwrap();
            assert!(
                p.starts_with(&format!("{repo}/")) || p.contains(&format!("/{repo}/")),
                "{p} in {repo}"
            );
        }
    }
}

#[test]
fn shell_recipe_audits_three_repositories_and_merges_them() {
    let dir = tempfile::tempdir().unwrap();
    let repos = three_repositories(&dir.path().join("src"));
    // Two local checkouts and one repository the recipe clones.
    let list = format!(
        "# repositories\n{}\n\n{}\nfile://{}\n",
        repos[0].display(),
        repos[1].display(),
        repos[2].display()
    );
    fs::write(dir.path().join("repos.txt"), list).unwrap();
    let out = std::process::Command::new("bash")
        .arg(manifest().join("docs/recipes/audit-many.sh"))
        .args(["repos.txt", "out"])
        .current_dir(dir.path())
        .env("OIE_LINT", assert_cmd::cargo::cargo_bin("oie-lint"))
        .env("JOBS", "2")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let o = dir.path().join("out");
    assert!(
        o.join("checkouts/src-branding/branding/.git").is_dir(),
        "cloned"
    );
    let reports: Vec<_> = fs::read_dir(o.join("reports")).unwrap().collect();
    assert_eq!(reports.len(), 3);
    check_merged(&o.join("audit.json"), &o.join("reports"));
    let html = fs::read_to_string(o.join("audit.html")).unwrap();
    assert!(html.contains("merged from 3 reports"), "{stderr}");
    // A usage error says how to call it.
    let out = std::process::Command::new("bash")
        .arg(manifest().join("docs/recipes/audit-many.sh"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
}

/// Issue 28: repositories with the same folder name (two owners' `portal`,
/// a third cloned from a URL, and one listed twice) each get their own
/// report and checkout, named after owner and name, and all are merged.
#[test]
fn shell_recipe_keeps_repositories_of_the_same_name_apart() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let make = |owner: &str, from: &str| {
        let to = src.join(owner).join("portal");
        fs::create_dir_all(&to).unwrap();
        copy_tree(&manifest().join(from), &to);
        git(&to, &["init", "-q"]);
        git(&to, &["add", "-A"]);
        git(&to, &["commit", "-q", "-m", owner]);
        to
    };
    let acme = make("acme", "tests/data/audit/portal");
    let globex = make("globex", "tests/data/audit/legacy");
    let initech = make("initech", "fixtures/hosted");
    let list = format!(
        "{}
{}/
file://{}.git
{}
",
        acme.display(),
        globex.display(),
        initech.display(),
        acme.display()
    );
    // `file://…/portal.git` names the folder `portal`: git clones it.
    std::os::unix::fs::symlink(&initech, src.join("initech/portal.git")).unwrap();
    fs::write(dir.path().join("repos.txt"), list).unwrap();
    let out = std::process::Command::new("bash")
        .arg(manifest().join("docs/recipes/audit-many.sh"))
        .args(["repos.txt", "out"])
        .current_dir(dir.path())
        .env("OIE_LINT", assert_cmd::cargo::cargo_bin("oie-lint"))
        .env("JOBS", "3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let o = dir.path().join("out");
    let mut reports: Vec<String> = fs::read_dir(o.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    reports.sort();
    assert_eq!(
        reports,
        [
            "acme-portal-2.json",
            "acme-portal.json",
            "globex-portal.json",
            "initech-portal.json"
        ]
    );
    assert!(
        o.join("checkouts/initech-portal/portal/.git").is_dir(),
        "cloned"
    );
    // Each report is its own repository's: the widget versions differ.
    let report = |name: &str| json(&fs::read_to_string(o.join("reports").join(name)).unwrap());
    let (a, g, i) = (
        report("acme-portal.json"),
        report("globex-portal.json"),
        report("initech-portal.json"),
    );
    assert_eq!(report("acme-portal-2.json")["summary"], a["summary"]);
    assert_ne!(a["summary"], g["summary"]);
    assert_ne!(a["summary"], i["summary"]);
    assert_ne!(g["summary"], i["summary"]);
    let m = json(&fs::read_to_string(o.join("audit.json")).unwrap());
    assert_eq!(m["sources"].as_array().unwrap().len(), 4, "{m:#}");
    let total: u64 = [&a, &g, &i, &a]
        .iter()
        .map(|r| r["summary"]["findings"].as_u64().unwrap())
        .sum();
    assert_eq!(m["summary"]["findings"].as_u64().unwrap(), total);
}

/// The `run: |` block of the step named `step` in a workflow, dedented.
fn run_block(workflow: &str, step: &str) -> String {
    let lines: Vec<&str> = workflow.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {step}") || l.trim() == format!("name: {step}"))
        .unwrap_or_else(|| panic!("no step {step}"));
    let run = (at..lines.len())
        .find(|&i| lines[i].trim() == "run: |")
        .unwrap();
    let indent = lines[run].len() - lines[run].trim_start().len();
    let body: Vec<&str> = lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
        .copied()
        .collect();
    let cut = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap();
    body.iter()
        .map(|l| l.get(cut..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `script:` items of the GitLab job `job`.
fn script_items(ci: &str, job: &str) -> Vec<String> {
    let lines: Vec<&str> = ci.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == format!("{job}:"))
        .unwrap_or_else(|| panic!("no job {job}"));
    let end = (start + 1..lines.len())
        .find(|&i| !lines[i].is_empty() && !lines[i].starts_with(' ') && !lines[i].starts_with('#'))
        .unwrap_or(lines.len());
    let script = (start..end)
        .find(|&i| lines[i].trim() == "script:")
        .unwrap();
    lines[script + 1..end]
        .iter()
        .take_while(|l| l.starts_with("    "))
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(str::to_string)
        .collect()
}

/// Runs `script` with bash in `dir` (as the CI runner would: errors stop
/// it), with oie-lint on PATH and `env`.
fn run_script(dir: &Path, script: &str, env: &[(&str, &str)]) {
    let out = std::process::Command::new("bash")
        .args(["-e", "-o", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path_with_oie_lint())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn github_actions_recipe_passes_actionlint_and_its_steps_run() {
    let file = manifest().join("docs/recipes/github-actions.yml");
    let workflow = fs::read_to_string(&file).unwrap();
    match std::process::Command::new("actionlint").arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "actionlint:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!(
                "skipped: actionlint is not installed (scripts/install-ci-tools.sh installs it)"
            )
        }
        Err(e) => panic!("actionlint must run in CI: {e}"),
    }
    assert!(workflow.contains("matrix:\n        repo: ${{ fromJSON(needs.list.outputs.repos) }}"));
    assert!(workflow.contains("pattern: oie-audit-*"));
    // Each matrix job: the checkout at owner/name, then the audit step.
    let ws = tempfile::tempdir().unwrap();
    three_repositories(&ws.path().join("acme"));
    let audit_step = run_block(&workflow, "Audit the repository");
    for repo in ["acme/portal", "acme/legacy", "acme/branding"] {
        run_script(ws.path(), &audit_step, &[("REPO", repo)]);
    }
    // download-artifact (merge-multiple) puts every report in oie-reports/.
    assert_eq!(
        fs::read_dir(ws.path().join("oie-reports")).unwrap().count(),
        3
    );
    run_script(ws.path(), &run_block(&workflow, "Merge the reports"), &[]);
    check_merged(
        &ws.path().join("site/oie-audit.json"),
        &ws.path().join("oie-reports"),
    );
    let m = json(&fs::read_to_string(ws.path().join("site/oie-audit.json")).unwrap());
    // The checkouts had distinct folders: paths stay as audited.
    assert!(m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["prefix"].is_null()));
    assert!(m["paths"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("acme/portal")));
    assert!(ws.path().join("site/index.html").is_file());
}

#[test]
fn gitlab_recipe_jobs_run() {
    let ci = fs::read_to_string(manifest().join("docs/recipes/gitlab-ci.yml")).unwrap();
    assert!(ci.contains("  parallel:\n    matrix:\n      - REPO:\n"));
    let ws = tempfile::tempdir().unwrap();
    three_repositories(&ws.path().join("acme"));
    let audit_job = script_items(&ci, "oie-audit");
    assert!(audit_job[0].starts_with("git clone"), "{audit_job:?}");
    // The clone is the runner's (a token URL); the checkouts are made above.
    let script = audit_job[1..].join("\n");
    for repo in ["acme/portal", "acme/legacy", "acme/branding"] {
        run_script(ws.path(), &script, &[("REPO", repo)]);
    }
    run_script(ws.path(), &script_items(&ci, "pages").join("\n"), &[]);
    check_merged(
        &ws.path().join("public/oie-audit.json"),
        &ws.path().join("oie-reports"),
    );
    assert!(ws.path().join("public/index.html").is_file());
}
