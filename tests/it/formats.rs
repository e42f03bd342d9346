//! The CI output formats end to end: every `--format` on one fixed input set
//! (`tests/data/formats`), pinned by insta snapshots, plus `-o/--output-file`,
//! `--statistics` and fingerprint stability across edits.
//!
//! The input set has: a package.json with a widget version that is only a
//! warning, a JS file with two findings on identical lines (distinct
//! fingerprints), a line with an emoji and umlauts before two findings
//! (UTF-16 vs character columns), an HTML page whose name has a space, a
//! comma and a `%` (escaping in every format), and a clean file.

use crate::common::oie;

use std::fs;
use std::path::{Path, PathBuf};

fn input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats")
}

/// Runs `check --format FORMAT` in the input set; returns (exit code, stdout, stderr).
fn run_format(format: &str, dir: &Path) -> (i32, String, String) {
    let out = oie()
        .current_dir(dir)
        .args(["check", "--format", format])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Replaces what differs between machines and releases.
fn normalize(text: &str, dir: &Path) -> String {
    let root = format!(
        "file://{}/",
        oie_lint::report::sarif::percent_encode(&dir.display().to_string())
    );
    text.replace(&root, "file://[ROOT]/").replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

fn snapshot_format(format: &str) -> String {
    let dir = input();
    let (code, stdout, stderr) = run_format(format, &dir);
    assert_eq!(
        code, 1,
        "error-level findings exit 1 in every format\n{stderr}"
    );
    assert_eq!(
        stderr.trim_end(),
        "Found 6 errors and 1 warning in 3 files (4 files checked). 1 fixable with `--fix` (4 more with `--unsafe-fixes`).",
        "machine formats put the summary on stderr"
    );
    normalize(&stdout, &dir)
}

#[test]
fn format_sarif() {
    insta::assert_snapshot!("sarif", snapshot_format("sarif"));
}

#[test]
fn format_github() {
    insta::assert_snapshot!("github", snapshot_format("github"));
}

#[test]
fn format_gitlab() {
    insta::assert_snapshot!("gitlab", snapshot_format("gitlab"));
}

#[test]
fn format_junit() {
    insta::assert_snapshot!("junit", snapshot_format("junit"));
}

#[test]
fn format_json_lines() {
    insta::assert_snapshot!("json_lines", snapshot_format("json-lines"));
}

#[test]
fn json_lines_has_the_fields_of_json_one_object_per_line() {
    let dir = input();
    let (_, lines, _) = run_format("json-lines", &dir);
    let (_, array, _) = run_format("json", &dir);
    let array: Vec<serde_json::Value> = serde_json::from_str(&array).unwrap();
    let lines: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines, array);
}

#[test]
fn github_escapes_comma_and_percent_in_the_file_property() {
    let (_, out, _) = run_format("github", &input());
    let line = out.lines().find(|l| l.contains("file=templates/")).unwrap();
    assert!(
        line.starts_with("::error file=templates/sign-in%2C 100%25.html,line=3,col=79,"),
        "{line}"
    );
    assert!(out
        .lines()
        .any(|l| l.starts_with("::warning file=app/package.json,")));
}

#[test]
fn gitlab_fingerprints_are_unique() {
    let (_, out, _) = run_format("gitlab", &input());
    let issues: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let mut fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(
        fps.len(),
        n,
        "two OIE001 findings on identical lines must differ"
    );
    let severities: Vec<&str> = issues
        .iter()
        .map(|i| i["severity"].as_str().unwrap())
        .collect();
    assert!(severities.contains(&"major") && severities.contains(&"minor"));
}

#[test]
fn junit_is_well_formed_with_one_suite_per_file() {
    let (_, out, _) = run_format("junit", &input());
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut suites = Vec::new();
    let mut failures = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "testsuite" => {
                let name = e.try_get_attribute("name").unwrap().unwrap();
                suites.push(name.value.into_owned());
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "failure" => failures += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        suites,
        [
            "app/package.json",
            "app/src/login.js",
            "templates/sign-in, 100%.html"
        ]
    );
    assert_eq!(failures, 7);
}

#[test]
fn junit_clean_run_has_one_passing_case() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("a.js"), "export const x = 1;\n").unwrap();
    let (code, out, _) = run_format("junit", d.path());
    assert_eq!(code, 0);
    assert!(
        out.contains(r#"<testsuites name="oie-lint" tests="1" failures="0" errors="0">"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<testcase name="1 file checked, no findings" classname="oie-lint"/>"#),
        "{out}"
    );
}

#[test]
fn output_file_gets_the_report_and_the_terminal_gets_the_summary() {
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("reports/oie-lint.sarif");
    let out = oie()
        .current_dir(input())
        .args(["check", "--format", "sarif", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Found 6 errors and 1 warning in 3 files (4 files checked). 1 fixable with `--fix` (4 more with `--unsafe-fixes`).\n",
        "with -o the summary is all stdout gets"
    );
    let (_, direct, _) = run_format("sarif", &input());
    assert_eq!(fs::read_to_string(&target).unwrap(), direct);
}

#[test]
fn output_file_in_a_human_format_has_no_colour() {
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("report.txt");
    oie()
        .current_dir(input())
        .args(["check", "--format", "full", "--output-file"])
        .arg(&target)
        .env_remove("NO_COLOR")
        .assert()
        .code(1);
    let text = fs::read_to_string(&target).unwrap();
    assert!(text.contains("OIE001"), "{text}");
    assert!(!text.contains('\u{1b}'), "no escape codes in a report file");
}

#[test]
fn output_file_that_cannot_be_written_exits_2() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("blocker"), "a file, not a directory").unwrap();
    let out = oie()
        .current_dir(input())
        .args(["check", "--format", "json", "-o"])
        .arg(d.path().join("blocker/report.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("error: writing "));
}

#[test]
fn statistics_table() {
    let out = oie()
        .current_dir(input())
        .args(["check", "--statistics"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "same exit code as without --statistics"
    );
    insta::assert_snapshot!("statistics", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn statistics_json() {
    let out = oie()
        .current_dir(input())
        .args(["check", "--statistics", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows[0],
        serde_json::json!({"code": "OIE001", "name": "set-cookie-and-redirect", "count": 3, "fixable": 0, "unsafe_fixable": 2})
    );
    assert_eq!(rows.as_array().unwrap().len(), 4);
}

#[test]
fn statistics_with_a_report_format_is_a_usage_error() {
    oie()
        .current_dir(input())
        .args(["check", "--statistics", "--format", "sarif"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--statistics"));
}

/// The fingerprints of every finding in `dir`, in SARIF and GitLab.
fn fingerprints(dir: &Path) -> (Vec<String>, Vec<String>) {
    let (_, sarif, _) = run_format("sarif", dir);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let s = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["oieLint/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let (_, gitlab, _) = run_format("gitlab", dir);
    let gitlab: Vec<serde_json::Value> = serde_json::from_str(&gitlab).unwrap();
    let g = gitlab
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    (s, g)
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let d = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(input().join("app/src/login.js")).unwrap();
    fs::write(d.path().join("login.js"), &original).unwrap();
    let before = fingerprints(d.path());
    assert_eq!(before.0.len(), 5);

    fs::write(
        d.path().join("login.js"),
        format!("// A new header comment.\n\nconsole.log('loaded');\n{original}"),
    )
    .unwrap();
    let after = fingerprints(d.path());
    assert_eq!(before, after);

    // Editing the flagged line itself is a different finding.
    fs::write(
        d.path().join("login.js"),
        original.replace("setCookieAndRedirect(home)", "setCookieAndRedirect(away)"),
    )
    .unwrap();
    let edited = fingerprints(d.path());
    assert_ne!(before.0[1], edited.0[1]);
}

#[test]
fn docs_document_every_format_and_the_action_inputs() {
    use clap::ValueEnum;
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/output-formats.md"))
            .unwrap();
    for f in oie_lint::report::Format::value_variants() {
        let name = f.to_possible_value().unwrap().get_name().to_string();
        assert!(
            readme.contains(&format!("| `{name}` ")),
            "docs/output-formats.md's format table lacks `{name}`"
        );
    }
    let action =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    for input in ["args:", "format:", "output-file:"] {
        assert!(
            action.contains(&format!("\n  {input}")),
            "action.yml lacks input {input}"
        );
    }
    let ci = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    assert!(ci.contains("github/codeql-action/upload-sarif"));
    assert!(ci.contains("codequality: gl-code-quality-report.json"));
}
