//! The modules form layers that run one way, along the data path
//! (`src/lib.rs` documents them): a module may use the modules below its
//! layer and never one above. This test reads every `crate::…` path in
//! `src/` (code, not comments) and fails on an import that points up, so an
//! import cycle cannot come back unnoticed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom to top. A module belongs to the longest entry that prefixes its
/// path (`rules::checks::render_el` is in `rules::checks`, `rules::matching::walk`
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
    // The audit: reads the repository (apps, pages, git), builds its report
    // and renders it.
    "audit",
    // Configuration files.
    "config",
    // Command-line argument types.
    "cli",
    // The Okta org checks (a pipeline of their own, fed by the CLI).
    "org",
    // The language server (open documents, the engine of `check`, LSP answers).
    "server",
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
            if after.starts_with('{') {
                out.extend(paths_at(after).into_iter().filter(|p| !p.is_empty()));
            }
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
    assert!(
        layer_of("rules::checks::render_el").unwrap().0
            > layer_of("rules::matching::walk").unwrap().0
    );
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

/// Every `crate::…` and `super::…` path of a file's code, resolved to a
/// module path (`super` from `rules::checks::pkce` is `rules::checks`).
fn module_refs(module: &str, is_mod_rs: bool, text: &str) -> BTreeSet<String> {
    let mut out = crate_paths(text);
    // `super::` paths, relative to the file's module.
    let own: Vec<&str> = module.split("::").collect();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("super::") {
            // Only the start of a path (not the `super::` inside `super::super::`).
            let before = rest[..i].chars().last();
            let after_all = &rest[i..];
            rest = &rest[i + "super::".len()..];
            if before.is_some_and(|c| c == ':' || c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let mut ups = 0;
            let mut tail = after_all;
            while let Some(t) = tail.strip_prefix("super::") {
                ups += 1;
                tail = t;
            }
            // A `mod.rs` is its folder's module; `super` of `a::b` (b.rs) is `a`.
            let _ = is_mod_rs;
            if ups > own.len() {
                continue;
            }
            let base = own[..own.len() - ups].join("::");
            for path in paths_at(tail) {
                let full = if path.is_empty() {
                    base.clone()
                } else if base.is_empty() {
                    path
                } else {
                    format!("{base}::{path}")
                };
                if !full.is_empty() {
                    out.insert(full);
                }
            }
        }
    }
    out
}

/// The module paths at the start of `text` (just after `super::`): one
/// path, or each item of a `{a, b::c}` group; segments up to the first
/// one that is not a module name.
fn paths_at(text: &str) -> Vec<String> {
    let lead = |t: &str| -> String {
        let path: String = t
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        path.split("::")
            .take_while(|s| !s.is_empty() && s.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect::<Vec<_>>()
            .join("::")
    };
    match text.strip_prefix('{') {
        Some(group) => group
            .split('}')
            .next()
            .unwrap_or("")
            .split(',')
            .map(lead)
            .filter(|p| p != "self")
            .collect(),
        None => vec![lead(text)],
    }
}

/// The modules that import each other in a ring (strongly connected
/// components of more than one module), leaving out a module's use of its
/// own ancestors and descendants (a parent and its children are one unit).
fn import_cycles(graph: &std::collections::BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm, iterative enough for a few hundred modules.
    struct State<'g> {
        graph: &'g std::collections::BTreeMap<String, BTreeSet<String>>,
        index: std::collections::BTreeMap<&'g str, usize>,
        low: std::collections::BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.graph.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = State {
        graph,
        index: Default::default(),
        low: Default::default(),
        stack: Vec::new(),
        on_stack: Default::default(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn related(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
}

/// The import graph of `src/`: module → the modules it names.
fn import_graph() -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_path(&src, f)).collect();
    let mut graph = std::collections::BTreeMap::new();
    for file in &files {
        let module = module_path(&src, file);
        if module == "lib" || module == "main" {
            continue;
        }
        let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
        let text = std::fs::read_to_string(file).unwrap();
        let targets: BTreeSet<String> = module_refs(&module, is_mod_rs, &text)
            .into_iter()
            .filter_map(|t| {
                // The longest prefix that is a module of the crate.
                let parts: Vec<&str> = t.split("::").collect();
                (1..=parts.len())
                    .rev()
                    .map(|n| parts[..n].join("::"))
                    .find(|p| modules.contains(p))
            })
            .filter(|t| !related(t, &module))
            .collect();
        graph.insert(module, targets);
    }
    graph
}

#[test]
fn no_import_cycle_inside_a_layer() {
    let cycles = import_cycles(&import_graph());
    assert!(
        cycles.is_empty(),
        "modules that import each other (break the ring: move what they share below them):\n{}",
        cycles
            .iter()
            .map(|c| c.join(" <-> "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_cycle_check_sees_a_ring() {
    let mut g = std::collections::BTreeMap::new();
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    g.insert("a".to_string(), set(&["b"]));
    g.insert("b".to_string(), set(&["c"]));
    g.insert("c".to_string(), set(&["a"]));
    g.insert("d".to_string(), set(&["a"]));
    assert_eq!(import_cycles(&g), vec![vec!["a", "b", "c"]]);
    assert!(module_refs(
        "rules::checks::pkce",
        false,
        "use super::{js, FileCtx};\nuse super::super::keys::KeySite;"
    )
    .contains("rules::keys"));
    assert!(related("rules::checks", "rules::checks::pkce"));
}
