//! The modules form layers that run one way, along the data path
//! (`src/lib.rs` documents them): a module may use the modules below its
//! layer and never one above. This test reads every `crate::…` path in
//! `src/` (code, not comments) and fails on an import that points up, so an
//! import cycle cannot come back unnoticed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom to top. A module belongs to the longest entry that prefixes its
/// path (`rules::checks::render_el` is in `rules::checks`, `rules::nodes`
/// in `rules`).
const LAYERS: &[&str] = &[
    // Plain data and small utilities.
    "diagnostic",
    "timings",
    "pathglob",
    // Read: decoding, template masking, HTML script regions, line index.
    "source",
    // Syntax-tree helpers, then the per-thread parsers.
    "syntax",
    "parse",
    // Discover: the walk and what a run covers.
    "discover",
    // Versions: manifests, lockfiles, CDN URLs, bundles.
    "versions",
    // Rule registry and pattern matching.
    "rules",
    // Effective rule selection and thresholds.
    "settings",
    // Built-in checks (they get the run's facts through `FileCtx`).
    "rules::checks",
    // Suppression comments.
    "suppress",
    // The per-file pipeline.
    "linter",
    // The fix engine.
    "fix",
    // Reporters (plain data in, text out).
    "report",
    // Configuration files.
    "config",
    // Command-line argument types.
    "cli",
    // The Okta org checks (a pipeline of their own, fed by the CLI).
    "org",
    // Commands: wire everything together.
    "commands",
    // The fuzz targets' invariants (fuzz/, tests/it/reliability.rs): a whole run.
    "fuzzing",
];

fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .filter(|(_, l)| module == **l || module.starts_with(&format!("{l}::")))
        .max_by_key(|(_, l)| l.len())
        .map(|(i, l)| (i, *l))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src/rules/checks/mod.rs` → `rules::checks`.
fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Every `crate::a::b…` path in the code of `text` (line comments and doc
/// comments dropped), as `a::b…` up to the first non-module segment.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments: Vec<&str> = path
                .split("::")
                .take_while(|s| !s.is_empty() && s.starts_with(|c: char| c.is_ascii_lowercase()))
                .collect();
            if !segments.is_empty() {
                out.insert(segments.join("::"));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    let mut unlayered = Vec::new();
    for file in &files {
        let module = module_path(&src, file);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some((rank, layer)) = layer_of(&module) else {
            unlayered.push(module);
            continue;
        };
        for target in crate_paths(&std::fs::read_to_string(file).unwrap()) {
            let Some((target_rank, target_layer)) = layer_of(&target) else {
                continue;
            };
            if target_rank > rank {
                violations.push(format!(
                    "{} ({layer}) uses crate::{target} ({target_layer}, a higher layer)",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(
        unlayered.is_empty(),
        "modules missing from LAYERS in tests/it/layers.rs and src/lib.rs: {unlayered:?}"
    );
    assert!(
        violations.is_empty(),
        "imports that point up the layers:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_check_sees_an_upward_import() {
    // The reader itself: a higher-layer path in code counts, one in a
    // comment does not.
    let paths = crate_paths(
        "use crate::linter::RunPaths;\n// crate::report::Run\nlet x = crate::fix::MAX_PASSES;",
    );
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["fix", "linter"].map(String::from)
    );
    assert!(layer_of("rules::checks::render_el").unwrap().0 > layer_of("rules::nodes").unwrap().0);
    assert!(layer_of("report").unwrap().0 > layer_of("fix").unwrap().0);
}

#[test]
fn lib_rs_documents_every_layer() {
    let lib = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .unwrap();
    for l in LAYERS {
        assert!(
            lib.contains(&format!("[`{l}`]")),
            "src/lib.rs does not document layer {l}"
        );
    }
}
