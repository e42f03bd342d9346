//! Before/after fixtures of the fixes (`fixtures/fix/<name>/`).
//!
//! Each fixture has `before.EXT` and `after.EXT`; an `unsafe` marker file
//! runs it with `--unsafe-fixes`. The input is copied into a temporary
//! directory (as `package.json` for `.json`, else `input.EXT`) and fixed
//! with the library's engine. Every fixture is checked for: the exact
//! expected output, an output without syntax errors, idempotence (fixing the
//! output changes nothing), and CRLF and BOM variants of the input giving
//! the same output in CRLF / with the BOM. A fixture's `oie-lint.toml` (the
//! `[fix]` inputs of the migration) is its config.

use oie_lint::fix::apply::{fix_file, syntax_errors};
use oie_lint::linter::Linter;
use oie_lint::rules::{Registry, RuleSet};
use oie_lint::settings::Settings;
use oie_lint::source::{FileKind, SourceFile};
use oie_lint::versions::Thresholds;
use std::path::{Path, PathBuf};

struct Fixture {
    name: String,
    ext: String,
    before: String,
    after: String,
    unsafe_fixes: bool,
    /// The fixture's `oie-lint.toml`, if it has one.
    config: Option<String>,
}

fn fixtures() -> Vec<Fixture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fix");
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let before = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_stem().is_some_and(|s| s == "before"))
            .unwrap_or_else(|| panic!("{}: no before.*", dir.display()));
        let ext = before.extension().unwrap().to_string_lossy().into_owned();
        out.push(Fixture {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            before: std::fs::read_to_string(&before).unwrap(),
            after: std::fs::read_to_string(dir.join(format!("after.{ext}"))).unwrap(),
            unsafe_fixes: dir.join("unsafe").exists(),
            config: std::fs::read_to_string(dir.join("oie-lint.toml")).ok(),
            ext,
        });
    }
    assert!(out.len() >= 15, "fixtures missing");
    out
}

/// Fixes `text` as the fixture's file in a fresh directory.
fn fix(f: &Fixture, text: &str) -> (String, usize) {
    let dir = tempfile::tempdir().unwrap();
    let name = if f.ext == "json" {
        "package.json".to_string()
    } else {
        format!("input.{}", f.ext)
    };
    let path = dir.path().join(&name);
    std::fs::write(&path, text).unwrap();
    let reg = Registry::get();
    let mut settings = Settings::new(RuleSet::all(reg), Thresholds::default());
    if let Some(config) = &f.config {
        // The fixture's config, read as `check` reads it (all rules on).
        let at = dir.path().join("oie-lint.toml");
        std::fs::write(&at, config).unwrap();
        let resolved = oie_lint::config::load_and_resolve(
            dir.path(),
            Some(&at),
            false,
            &oie_lint::config::CliLayer::default(),
        )
        .unwrap();
        settings.fix_inputs = resolved.settings.fix_inputs;
    }
    let linter = Linter::new(settings, dir.path().to_path_buf()).unwrap();
    let kind = FileKind::from_path(&path).unwrap();
    let file = SourceFile {
        path,
        display: name,
        text: text.to_string(),
        kind,
    };
    let out = fix_file(&linter, &file, f.unsafe_fixes);
    assert!(
        out.dropped.is_empty(),
        "{}: dropped {:?}",
        f.name,
        out.dropped
    );
    assert!(out.converged, "{}: did not converge", f.name);
    (out.text, out.applied.len())
}

fn kind_of(f: &Fixture) -> FileKind {
    let name = if f.ext == "json" {
        "package.json".to_string()
    } else {
        format!("input.{}", f.ext)
    };
    FileKind::from_path(Path::new(&name)).unwrap()
}

#[test]
fn exact_output() {
    for f in fixtures() {
        let (out, _) = fix(&f, &f.before);
        assert_eq!(out, f.after, "fixture {}", f.name);
    }
}

#[test]
fn output_parses() {
    for f in fixtures() {
        assert_eq!(
            syntax_errors(
                &f.after,
                kind_of(&f),
                Path::new(&format!("input.{}", f.ext))
            ),
            0,
            "fixture {}: after has syntax errors",
            f.name
        );
    }
}

#[test]
fn idempotent() {
    for f in fixtures() {
        let (out, applied) = fix(&f, &f.after);
        assert_eq!(
            out, f.after,
            "fixture {}: fixing the output changed it",
            f.name
        );
        assert_eq!(applied, 0, "fixture {}", f.name);
    }
}

#[test]
fn crlf_is_kept() {
    for f in fixtures() {
        let crlf = |s: &str| s.replace('\n', "\r\n");
        let (out, _) = fix(&f, &crlf(&f.before));
        assert_eq!(out, crlf(&f.after), "fixture {} (CRLF)", f.name);
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "fixture {}: a bare LF crept in",
            f.name
        );
    }
}

/// Regression (issue 12): CR-only files got LF in inserted text.
#[test]
fn cr_is_kept() {
    for f in fixtures() {
        let cr = |s: &str| s.replace('\n', "\r");
        let (out, _) = fix(&f, &cr(&f.before));
        assert_eq!(out, cr(&f.after), "fixture {} (CR)", f.name);
    }
}

/// What a JavaScript engine says of every fixed script: `node --check` on
/// each `.js` output and each `<script>` body of a template output
/// (template tags, which the server fills, replaced by a value). Catches
/// what tree-sitter tolerates and a browser rejects.
#[test]
fn fixed_scripts_pass_node_check() {
    let Ok(version) = std::process::Command::new("node").arg("--version").output() else {
        assert!(std::env::var_os("CI").is_none(), "node is missing");
        return;
    };
    assert!(version.status.success());
    let tags = regex::Regex::new(r"\{\{\{?[^}]*\}?\}\}|<%[\s\S]*?%>|<\?[\s\S]*?\?>").unwrap();
    let script = regex::Regex::new(r"(?s)<script(?:\s[^>]*)?>(.*?)</script>").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for f in fixtures() {
        let bodies: Vec<String> = match f.ext.as_str() {
            "js" => vec![f.after.clone()],
            "json" | "ts" => continue,
            _ => script
                .captures_iter(&f.after)
                .map(|c| tags.replace_all(&c[1], "x").into_owned())
                .filter(|b| !b.trim().is_empty())
                .collect(),
        };
        for (i, body) in bodies.iter().enumerate() {
            // ES modules (`import`) as .mjs; classic scripts as .js (HTML-like comments allowed).
            let ext = if body.contains("import ") {
                "mjs"
            } else {
                "js"
            };
            let p = dir.path().join(format!("{}-{i}.{ext}", f.name));
            std::fs::write(&p, body).unwrap();
            let out = std::process::Command::new("node")
                .arg("--check")
                .arg(&p)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "fixture {}: node rejects script {i}:\n{body}\n{}",
                f.name,
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} scripts checked");
}

#[test]
fn bom_is_kept() {
    for f in fixtures() {
        let bom = |s: &str| format!("\u{feff}{s}");
        let (out, _) = fix(&f, &bom(&f.before));
        assert_eq!(out, bom(&f.after), "fixture {} (BOM)", f.name);
    }
}

#[test]
fn no_trailing_newline_is_kept() {
    for f in fixtures() {
        let (out, _) = fix(&f, f.before.trim_end_matches('\n'));
        assert_eq!(
            out,
            f.after.trim_end_matches('\n'),
            "fixture {} (no final newline)",
            f.name
        );
    }
}

/// Template tags (`{{…}}`, `{{{…}}}`, `<%…%>`) in the order they appear.
fn placeholders(s: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\{\{\{?[^}]*\}?\}\}|<%.*?%>").unwrap();
    re.find_iter(s).map(|m| m.as_str().to_string()).collect()
}

#[test]
fn hosted_templates_keep_every_placeholder() {
    for f in fixtures()
        .into_iter()
        .filter(|f| f.name.starts_with("hosted"))
    {
        assert_eq!(
            placeholders(&f.before),
            placeholders(&f.after),
            "fixture {}",
            f.name
        );
        assert!(!placeholders(&f.before).is_empty());
    }
    // The customised template really is fixed, and its script placeholders survive.
    let custom = fixtures()
        .into_iter()
        .find(|f| f.name == "hosted-custom")
        .unwrap();
    assert!(
        custom.after.contains("OktaUtil.completeLogin")
            && !custom.after.contains("setCookieAndRedirect")
    );
    assert!(custom
        .after
        .contains("{{#if showRegistration}}config.features.registration = true;{{/if}}"));
}

#[test]
fn default_hosted_template_is_untouched() {
    let f = fixtures()
        .into_iter()
        .find(|f| f.name == "hosted-default")
        .unwrap();
    assert_eq!(f.before, f.after);
    let (out, applied) = fix(&f, &f.before);
    assert_eq!((out.as_str(), applied), (f.before.as_str(), 0));
}

/// Each rule example with a `fixed = '''…'''` text is fixed to exactly
/// that (with `--unsafe-fixes`), and examples without one are left as is
/// by safe fixes only when they have no safe fix.
#[test]
fn rule_examples_fixed() {
    let reg = Registry::get();
    let mut seen = 0;
    for rule in &reg.rules {
        for ex in rule.invalid().iter().chain(rule.valid()) {
            let Some(expected) = &ex.fixed else { continue };
            seen += 1;
            let dir = tempfile::tempdir().unwrap();
            for (name, text) in &ex.files {
                let p = dir.path().join(name);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            let path = dir.path().join(&ex.filename);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &ex.code).unwrap();
            let settings = Settings::new(RuleSet::all(reg), Thresholds::default());
            let linter = Linter::new(settings, dir.path().to_path_buf()).unwrap();
            let file = SourceFile {
                kind: FileKind::from_path(&path).unwrap(),
                path,
                display: ex.filename.clone(),
                text: ex.code.clone(),
            };
            let out = fix_file(&linter, &file, true);
            assert_eq!(&out.text, expected, "{} example {}", rule.code, ex.filename);
        }
    }
    assert!(seen >= 4, "rule files should carry fixed examples");
}
