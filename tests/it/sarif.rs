//! Structural checks of `--format sarif`, so `cargo test` catches what GitHub
//! code scanning would reject even without Microsoft's SARIF Multitool
//! (which `scripts/validate-sarif.sh` runs in CI).
//!
//! The output is deserialised into `serde_sarif`'s typed model of the SARIF
//! 2.1.0 schema: a misspelt member shows up as a missing field there.

use assert_cmd::Command;
use oie_lint::rules::Registry;
use serde_sarif::sarif::{ResultLevel, Sarif};
use std::path::{Path, PathBuf};

fn input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats")
}

fn sarif_of(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// SARIF consumers (GitHub among them) reject `null` where the schema wants
/// an array or object; absent is fine, null is not.
fn assert_no_nulls(v: &serde_json::Value, path: &str) {
    match v {
        serde_json::Value::Null => panic!("null at {path}"),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| assert_no_nulls(x, &format!("{path}[{i}]"))),
        serde_json::Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| assert_no_nulls(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

#[test]
fn sarif_meets_github_code_scanning_requirements() {
    let (code, text) = sarif_of(&input(), &[]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_no_nulls(&json, "$");
    let log: Sarif = serde_json::from_str(&text).expect("valid against serde-sarif's model");

    assert_eq!(log.version, "2.1.0");
    assert!(log.schema.as_deref().unwrap().contains("sarif-2.1.0"));
    assert_eq!(log.runs.len(), 1);
    let run = &log.runs[0];

    // Every registered rule, in registry order, fully described.
    let reg = Registry::get();
    let driver = &run.tool.driver;
    assert_eq!(driver.name, "oie-lint");
    assert!(driver.version.is_some());
    // The project's home (Cargo.toml `repository`), left out while unset:
    // never a made-up address.
    assert_eq!(driver.information_uri.as_deref(), oie_lint::repository());
    let rules = driver.rules.as_ref().unwrap();
    assert_eq!(rules.len(), reg.rules.len());
    for (r, want) in rules.iter().zip(&reg.rules) {
        assert_eq!(r.id, want.code);
        assert_eq!(r.name.as_deref(), Some(want.name.as_str()));
        assert_eq!(r.short_description.as_ref().unwrap().text, want.summary);
        assert!(!r.full_description.as_ref().unwrap().text.is_empty());
        // Every Okta rule links its source; a rule documented by the
        // project's README links it only once the project has a home.
        let want_uri = (!want.url.is_empty()).then_some(want.url.as_str());
        assert_eq!(r.help_uri.as_deref(), want_uri);
        assert!(
            want.project_docs || want.url.starts_with("https://"),
            "{}",
            want.code
        );
        let help = r.help.as_ref().unwrap();
        assert!(help.text.contains(&want.help));
        assert!(help.markdown.as_deref().unwrap().contains("## How to fix"));
        let level = &r.default_configuration.as_ref().unwrap().level;
        assert_eq!(level.as_ref().unwrap(), want.severity.as_str());
    }

    // %SRCROOT% is described with an absolute directory URI.
    let bases = serde_json::to_value(run.original_uri_base_ids.as_ref().unwrap()).unwrap();
    let root = bases["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    let results = run.results.as_ref().unwrap();
    assert_eq!(results.len(), 7);
    let mut fingerprints = Vec::new();
    let mut with_fixes = 0;
    for r in results {
        let idx = r.rule_index.unwrap() as usize;
        assert_eq!(
            r.rule_id.as_deref(),
            Some(rules[idx].id.as_str()),
            "ruleIndex points at ruleId"
        );
        assert!(matches!(
            r.level,
            Some(ResultLevel::Error | ResultLevel::Warning)
        ));
        assert!(!r.message.text.as_deref().unwrap().is_empty());
        let loc = r.locations.as_ref().unwrap()[0]
            .physical_location
            .as_ref()
            .unwrap();
        let art = loc.artifact_location.as_ref().unwrap();
        let uri = art.uri.as_deref().unwrap();
        assert!(
            !uri.contains('\\') && !uri.starts_with('/') && !uri.contains(':'),
            "{uri}"
        );
        assert_eq!(art.uri_base_id.as_deref(), Some("%SRCROOT%"));
        let region = loc.region.as_ref().unwrap();
        assert!(region.start_line.unwrap() >= 1 && region.start_column.unwrap() >= 1);
        assert!(region.end_line.unwrap() >= region.start_line.unwrap());
        if let Some(ctx) = &loc.context_region {
            // SARIF1008: a context region is a proper superset of the region.
            let span = |r: &serde_sarif::sarif::Region| {
                (
                    (r.start_line.unwrap(), r.start_column.unwrap()),
                    (r.end_line.unwrap(), r.end_column.unwrap()),
                )
            };
            let (inner, outer) = (span(region), span(ctx));
            assert!(outer.0 <= inner.0 && inner.1 <= outer.1 && inner != outer);
        }
        if let Some(fixes) = &r.fixes {
            with_fixes += 1;
            for f in fixes {
                assert!(
                    !f.artifact_changes.is_empty(),
                    "a SARIF fix needs artifactChanges"
                );
                for c in &f.artifact_changes {
                    assert!(!c.replacements.is_empty());
                }
            }
        }
        let fp = r.partial_fingerprints.as_ref().unwrap();
        fingerprints.push(fp["oieLint/v1"].clone());
    }
    let n = fingerprints.len();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), n, "fingerprints are unique");
    assert!(with_fixes > 0, "fixable findings carry SARIF fixes");
}

#[test]
fn sarif_columns_are_utf16_code_units() {
    // app/src/login.js line 16: `const greeting = '👋 Grüße'; authClient.session.setCookieAndRedirect(…`
    // The emoji is one character but two UTF-16 units: SARIF columns are one
    // more than the character columns of the other formats.
    let (_, text) = sarif_of(&input(), &[]);
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let on_16: Vec<_> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["region"])
        .filter(|r| r["startLine"] == 16)
        .map(|r| {
            (
                r["startColumn"].as_u64().unwrap(),
                r["endColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        on_16,
        [(49, 69), (74, 86)],
        "character columns are 48..68 and 73..85"
    );
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let (_, text) = sarif_of(&input(), &[]);
    assert!(text.contains(r#""uri": "templates/sign-in%2C%20100%25.html""#));
}

#[test]
fn sarif_clean_run_has_empty_arrays_not_nulls() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.js"), "export const x = 1;\n").unwrap();
    let (code, text) = sarif_of(d.path(), &[]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_no_nulls(&json, "$");
    assert_eq!(json["runs"][0]["results"], serde_json::json!([]));
    let notes = &json["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes, &serde_json::json!([]));
    assert_eq!(
        json["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn sarif_reports_unreadable_paths_as_notifications() {
    let d = tempfile::tempdir().unwrap();
    let (code, text) = sarif_of(d.path(), &["missing.js"]);
    assert_eq!(code, 2);
    let log: Sarif = serde_json::from_str(&text).unwrap();
    let inv = &log.runs[0].invocations.as_ref().unwrap()[0];
    assert!(!inv.execution_successful);
    let notes = inv.tool_execution_notifications.as_ref().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0]
        .message
        .text
        .as_deref()
        .unwrap()
        .starts_with("missing.js: "));
}
