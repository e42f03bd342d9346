//! The one generic test for every rule file: each `[[invalid]]` example
//! fires exactly as its `expect:` comments say, each `[[valid]]` example is
//! silent. Adding a rule adds its examples here without touching this file.

use crate::common;

use common::{compare, expectations, lint_file};
use oie_lint::rules::Registry;

/// Rules checked by reading the file system. Org rules (`check = "org"`,
/// OIE1xx) read the Okta org instead; tests/it/org.rs runs them against a mock API.
fn file_rules() -> impl Iterator<Item = &'static oie_lint::rules::Rule> {
    Registry::get()
        .rules
        .iter()
        .filter(|r| r.detect.check.as_deref() != Some("org"))
}

#[test]
fn every_rule_has_valid_and_invalid_examples() {
    for r in file_rules() {
        assert!(!r.valid().is_empty(), "{} has no valid examples", r.code);
        assert!(
            !r.invalid().is_empty(),
            "{} has no invalid examples",
            r.code
        );
    }
}

/// Issue 26: every file rule says how precise it was on real code (and a
/// preview rule why it is not in the default set), linking the page that
/// lists the repositories measured.
#[test]
fn every_file_rule_records_its_precision_on_real_code() {
    for r in file_rules().filter(|r| r.category != "suppression") {
        let Some(p) = &r.docs().precision else {
            panic!("{}: no [docs] precision text", r.code);
        };
        assert!(
            p.contains("(precision.md)"),
            "{}: link docs/rules/precision.md",
            r.code
        );
        if r.preview {
            assert!(
                p.starts_with("In preview: "),
                "{}: say why it is in preview",
                r.code
            );
        } else {
            assert!(!p.starts_with("In preview"), "{}: not in preview", r.code);
        }
    }
}

#[test]
fn rule_examples_behave_as_annotated() {
    let mut failures = Vec::new();
    for r in file_rules() {
        for (kind, examples) in [("invalid", &r.invalid()), ("valid", &r.valid())] {
            for (i, ex) in examples.iter().enumerate() {
                let dir = tempfile::tempdir().unwrap();
                for (name, text) in ex
                    .files
                    .iter()
                    .chain(std::iter::once((&ex.filename, &ex.code)))
                {
                    let p = dir.path().join(name);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, text).unwrap();
                }
                let expected = expectations(&ex.code);
                if kind == "invalid" && expected.is_empty() {
                    failures.push(format!(
                        "{} invalid example {}: has no `expect:` annotation",
                        r.code,
                        i + 1
                    ));
                }
                if kind == "valid" && !expected.is_empty() {
                    failures.push(format!(
                        "{} valid example {}: must not carry `expect:`",
                        r.code,
                        i + 1
                    ));
                }
                // Only this rule's own findings count for its examples.
                let actual: Vec<_> = lint_file(dir.path(), &ex.filename)
                    .into_iter()
                    .filter(|d| d.code == r.code)
                    .collect();
                let own: Vec<_> = expected.into_iter().filter(|e| e.code == r.code).collect();
                if let Err(e) = compare(
                    &format!("{} {kind} example {} ({})", r.code, i + 1, ex.filename),
                    &own,
                    &actual,
                ) {
                    failures.push(e);
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
