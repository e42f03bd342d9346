//! A small, fast version of the benchmark (`scripts/bench/`), so the harness
//! cannot rot: `make-corpus.py` builds a tiny corpus with generated noise, and
//! oie-lint's findings must equal the planted ground truth exactly
//! (precision and recall 1.0), also as `score.py` computes them. Needs
//! python3 (present on CI); without it the tests say so and pass.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn python() -> Option<&'static str> {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some("python3")
    } else {
        eprintln!("python3 not found: skipping the benchmark smoke test");
        None
    }
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/bench")
        .join(name)
}

/// Builds a synthetic corpus; returns (corpus dir, ground-truth JSON path, truth).
fn make_corpus(py: &str, tmp: &Path, extra: &[&str]) -> (PathBuf, PathBuf, Value) {
    let out = tmp.join("corpus");
    let truth = tmp.join("truth.json");
    let run = std::process::Command::new(py)
        .arg(script("make-corpus.py"))
        .args(["--synthetic", "--seed", "7", "--out"])
        .arg(&out)
        .arg("--truth")
        .arg(&truth)
        .args(extra)
        .output()
        .expect("run make-corpus.py");
    assert!(
        run.status.success(),
        "make-corpus.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&truth).unwrap()).unwrap();
    (out, truth, value)
}

type Key = (String, u64, String);

fn truth_set(truth: &Value) -> BTreeSet<Key> {
    truth["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// oie-lint's findings on `dir` as (file, line, code), and the raw JSON.
fn lint(dir: &Path, extra: &[&str]) -> (BTreeSet<Key>, String) {
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "json", "--exit-zero", "."])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "oie-lint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The ground truth plants the four migration-guide rules the peers
    // implement; the other rules' findings (OIE013 on the planted hosted
    // pages, …) are not part of it (score.py ignores them too).
    let found = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["category"] == "migration-guide")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (found, String::from_utf8(out.stderr).unwrap())
}

fn assert_exact(truth: &BTreeSet<Key>, found: &BTreeSet<Key>) {
    let missed: Vec<_> = truth.difference(found).collect();
    let extra: Vec<_> = found.difference(truth).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed (false negatives): {missed:#?}\nfalse alarms: {extra:#?}"
    );
}

#[test]
fn planted_findings_match_the_ground_truth_exactly() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (dir, truth_path, truth) =
        make_corpus(py, tmp.path(), &["--files", "90", "--plant-rate", "0.3"]);
    let expected = truth_set(&truth);

    // The tiny corpus still covers every rule and every planted unit kind,
    // near-misses included, so a silent rule or a noisy one shows up here.
    for code in ["OIE001", "OIE002", "OIE003", "OIE004"] {
        assert!(expected.iter().any(|k| k.2 == code), "no planted {code}");
    }
    for kind in [
        "embedded-v6",
        "old-pkg",
        "new-pkg",
        "page-old",
        "page-v6",
        "page-v7",
        "hosted-",
        "hosted-sso",
        "hosted-modern",
    ] {
        let found = walk(&dir)
            .iter()
            .any(|p| p.contains(&format!("okta-{kind}")));
        assert!(found, "no planted unit of kind {kind}");
    }

    let (found, _) = lint(&dir, &[]);
    assert_exact(&expected, &found);

    // The same through score.py, as run.sh uses it.
    let lint_out = tmp.path().join("oie.json");
    let raw = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "--format", "json", "--exit-zero", "."])
        .output()
        .unwrap();
    std::fs::write(&lint_out, raw.stdout).unwrap();
    let scores = tmp.path().join("scores.json");
    let status = std::process::Command::new(py)
        .arg(script("score.py"))
        .arg("--truth")
        .arg(&truth_path)
        .args(["--tool", "oie-lint", "--output"])
        .arg(&lint_out)
        .arg("--root")
        .arg(&dir)
        .arg("--json")
        .arg(&scores)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&scores).unwrap()).unwrap();
    for rule in [
        "set-cookie-redirect",
        "session-token",
        "widget-no-icf",
        "widget-old-version",
        "all",
    ] {
        assert_eq!(s["scores"][rule]["precision"], 1.0, "{rule}: {s}");
        assert_eq!(s["scores"][rule]["recall"], 1.0, "{rule}: {s}");
    }
}

#[test]
fn dense_corpus_is_all_relevant_and_matches_the_ground_truth() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, truth) = make_corpus(py, tmp.path(), &["--files", "40", "--dense"]);
    assert_eq!(
        truth["planted_files"], truth["files"],
        "dense: every file planted"
    );
    let (found, stderr) = lint(&dir, &["--timings", "-j", "1"]);
    assert_exact(&truth_set(&truth), &found);
    // --timings: every file passes the prefilter in a dense corpus.
    let files = truth["files"].as_u64().unwrap();
    let head = stderr
        .lines()
        .find(|l| l.starts_with("timings:"))
        .unwrap_or_else(|| panic!("no timings in {stderr}"));
    assert!(
        head.starts_with(&format!("timings: {files} files (")),
        "{head}"
    );
    assert!(
        head.contains(&format!(
            ", {files} parsed, 0 skipped by the prefilter; 1 thread"
        )),
        "{head}"
    );
}

#[test]
fn timings_count_exactly_the_files_with_a_trigger_as_parsed() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, truth) = make_corpus(py, tmp.path(), &["--files", "60", "--plant-rate", "0.1"]);
    let triggers = [
        "setCookieAndRedirect",
        "sessionToken",
        "OktaSignIn",
        "okta-signin-widget",
    ];
    let with_trigger = walk(&dir)
        .iter()
        .filter(|p| {
            triggers
                .iter()
                .any(|t| std::fs::read_to_string(dir.join(p)).unwrap().contains(t))
        })
        .count();
    let (_, stderr) = lint(&dir, &["--timings"]);
    let files = truth["files"].as_u64().unwrap() as usize;
    let expect = format!("timings: {files} files");
    let head = stderr
        .lines()
        .find(|l| l.starts_with(&expect))
        .unwrap_or_else(|| panic!("{expect} not in {stderr}"));
    assert!(
        head.contains(&format!(
            " {with_trigger} parsed, {} skipped",
            files - with_trigger
        )),
        "{head}"
    );
    for phase in [
        "discover",
        "read",
        "prefilter",
        "parse",
        "check",
        "report",
        "total",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.trim_start().starts_with(phase) && l.contains(" ms")),
            "{phase} missing: {stderr}"
        );
    }
}

/// Every file below `dir`, relative, with `/`.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// Every shell script of `scripts/` parses (`bash -n`): the benchmark and
/// release scripts are not run by the test suite, so a syntax error in one
/// would otherwise wait for the next person who needs it. A script that
/// is not valid bash makes the test fail with its name.
#[test]
fn every_script_parses_as_bash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    let mut scripts = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "sh") {
                scripts.push(p);
            }
        }
    }
    assert!(scripts.len() >= 10, "{scripts:?}");
    for s in scripts {
        let out = std::process::Command::new("bash")
            .arg("-n")
            .arg(&s)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            s.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
