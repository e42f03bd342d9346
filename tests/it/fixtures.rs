//! Every fixture under `fixtures/` produces exactly the findings its
//! `expect:` comments announce (and files without any stay silent).
//! `fixtures/fix/` holds before/after pairs for the fix tests instead.

use crate::common;

use common::{compare, expectations, lint_file, lint_with};
use oie_lint::source::FileKind;
use std::path::{Path, PathBuf};

fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

fn fixture_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name()
                    .is_some_and(|n| n != "fix" && n != "node_modules")
                {
                    stack.push(p);
                }
            } else if FileKind::from_path(&p).is_some_and(|k| k != FileKind::Lockfile) {
                // Lockfiles cannot carry `expect:` comments: tests/it/versions.rs checks them.
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_match_their_annotations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let files = fixture_files(&root);
    assert!(
        files.len() >= 15,
        "expected the bundled fixtures, found {}",
        files.len()
    );
    // One linter for the whole tree, as `check` has: a first pass over
    // every file tells it which modules the widget files import as their
    // config (`fixtures/config-module/`), whatever the order.
    let linter = common::fixtures_linter(&root);
    for path in &files {
        lint_with(&linter, &root, &rel_of(&root, path));
    }
    let mut failures = Vec::new();
    for path in &files {
        let rel = rel_of(&root, path);
        let text = std::fs::read_to_string(path).unwrap();
        let actual = lint_with(&linter, &root, &rel);
        if let Err(e) = compare(&rel, &expectations(&text), &actual) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn near_misses_stay_silent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for path in fixture_files(&root.join("near-misses")) {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let found = lint_file(&root, &rel);
        assert!(found.is_empty(), "{rel}: {found:#?}");
    }
}

#[test]
fn default_hosted_template_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    assert!(lint_file(&root, "hosted/default-sign-in.html").is_empty());
}
