//! The pre-commit hook, run through the real `pre-commit` tool.
//!
//! A small project's `.pre-commit-config.yaml` points at a committed copy
//! of this repository; `pre-commit run` builds oie-lint from it with
//! `cargo install` (the hook is `language: rust`), exactly as users get it. `CARGO_TARGET_DIR` points at `target/pre-commit` so
//! later runs rebuild only this crate. Without `pre-commit` on PATH the test
//! is compiled as ignored (build.rs), so `cargo test` lists it as ignored
//! with the install command; under CI it always runs and fails without it.
use oie_lint::source::{CSS_EXTENSIONS, HTML_EXTENSIONS};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const HOOKS: &str = include_str!("../../.pre-commit-hooks.yaml");

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Prints past libtest's output capture (which only catches `print!`/`eprint!`),
/// so a skip or a timing is visible in a normal `cargo test` run.
fn say(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=oie-lint test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn hooks_file_names_the_documented_entry_and_covers_every_read_extension() {
    for id in ["- id: oie-lint\n", "- id: oie-lint-fix\n"] {
        assert!(HOOKS.contains(id), "{id}");
    }
    assert!(HOOKS.contains("entry: oie-lint check --force-exclude\n"));
    assert!(HOOKS.contains("entry: oie-lint check --force-exclude --fix\n"));
    assert_eq!(HOOKS.matches("require_serial: true").count(), 2);
    let files_lines: Vec<&str> = HOOKS
        .lines()
        .filter(|l| l.trim_start().starts_with("files:"))
        .collect();
    assert_eq!(files_lines.len(), 2);
    for line in files_lines {
        for ext in HTML_EXTENSIONS
            .iter()
            .chain(CSS_EXTENSIONS)
            .chain(oie_lint::source::SERVER_EXTENSIONS)
            .chain(&["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"])
        {
            assert!(
                line.contains(&format!("|{ext}|"))
                    || line.contains(&format!("({ext}|"))
                    || line.contains(&format!("|{ext})")),
                "{ext} missing from {line}"
            );
        }
        for name in std::iter::once(&"package.json").chain(oie_lint::versions::lockfile::NAMES) {
            assert!(
                line.contains(&name.replace('.', r"\.")),
                "{name} missing from {line}"
            );
        }
        // Settings files (issue 26): the pattern agrees with FileKind.
        let pattern = line.trim_start().trim_start_matches("files:").trim();
        let re = regex::Regex::new(pattern.trim_matches('\'')).unwrap();
        let exclude = regex::Regex::new(
            HOOKS
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("exclude:"))
                .expect("an exclude pattern")
                .trim()
                .trim_matches('\''),
        )
        .unwrap();
        // The package managers' YAML is not a settings file: left out.
        for name in ["pnpm-workspace.yaml", "web/.yarnrc.yml"] {
            assert!(re.is_match(name) && exclude.is_match(name), "{name}");
            assert_ne!(
                oie_lint::source::FileKind::from_path(std::path::Path::new(name)),
                Some(oie_lint::source::FileKind::Settings)
            );
        }
        assert!(!exclude.is_match("deploy/values.yaml") && !exclude.is_match("pnpm-lock.yaml"));
        for name in [
            "config.json",
            "web/settings.json",
            "Web/appsettings.Production.json",
            "deploy/values.yaml",
            "_config.YML",
            "tsconfig.json",
            "web/data.json",
            "myconfig.json",
        ] {
            let settings = oie_lint::source::FileKind::from_path(std::path::Path::new(name))
                == Some(oie_lint::source::FileKind::Settings);
            assert_eq!(re.is_match(name), settings, "{name} in {line}");
        }
    }
}

#[test]
#[cfg_attr(
    oie_missing_pre_commit,
    ignore = "pre-commit is not installed: `python3 -m pip install pre-commit`, then rerun"
)]
fn pre_commit_hook_fails_the_bad_file_and_passes_the_clean_one() {
    let tmp = tempfile::tempdir().unwrap();

    // 1. A committed copy of this repository (tracked and new, non-ignored files).
    let hook_repo = tmp.path().join("oie-lint");
    let root = manifest_dir();
    let listed = Command::new("git")
        .current_dir(&root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .expect("git ls-files");
    assert!(listed.status.success());
    for rel in listed.stdout.split(|&b| b == 0).filter(|s| !s.is_empty()) {
        let rel = std::str::from_utf8(rel).unwrap();
        let (src, dst) = (root.join(rel), hook_repo.join(rel));
        if !src.is_file() {
            continue; // deleted but still in the index
        }
        std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
        std::fs::copy(&src, &dst).unwrap();
    }
    git(&hook_repo, &["init", "-q"]);
    git(&hook_repo, &["add", "-A"]);
    git(&hook_repo, &["commit", "-q", "-m", "snapshot for try-repo"]);

    // 2. A project with a staged bad file, a clean one and an excluded one.
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("legacy")).unwrap();
    std::fs::write(
        project.join("bad.js"),
        "import OktaSignIn from '@okta/okta-signin-widget';\nconst t = res.sessionToken;\n",
    )
    .unwrap();
    std::fs::write(
        project.join("good.js"),
        "import OktaSignIn from '@okta/okta-signin-widget';\nsignIn.showSignIn({ el: '#app' });\n",
    )
    .unwrap();
    std::fs::write(
        project.join("legacy/old.js"),
        "import OktaSignIn from '@okta/okta-signin-widget';\nconst t = res.sessionToken;\n",
    )
    .unwrap();
    std::fs::write(
        project.join("oie-lint.toml"),
        "extend-exclude = [\"legacy/\"]\n",
    )
    .unwrap();
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);

    let rev = String::from_utf8(git(&hook_repo, &["rev-parse", "HEAD"]).stdout).unwrap();
    // What users write in .pre-commit-config.yaml, with this snapshot as the repo.
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: oie-lint\n",
            hook_repo.display(),
            rev.trim()
        ),
    )
    .unwrap();
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);

    // One store for the whole test, so `cargo install` runs once (`pre-commit
    // try-repo` would use a fresh store, and rebuild, on every call).
    let home = tmp.path().join("pre-commit-home");
    let target = root.join("target").join("pre-commit");
    let pre_commit = |files: &[&str]| -> (i32, String) {
        let mut cmd = Command::new("pre-commit");
        cmd.current_dir(&project)
            .args(["run", "oie-lint", "--color", "never"]);
        if !files.is_empty() {
            cmd.arg("--files").args(files);
        }
        let out = cmd
            .env("PRE_COMMIT_HOME", &home)
            .env("CARGO_TARGET_DIR", &target)
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("pre-commit runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    };

    let started = Instant::now();
    let (code, out) = pre_commit(&["bad.js"]);
    say(&format!(
        "first run (includes `cargo install` of oie-lint): {:.0?}",
        started.elapsed()
    ));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Failed") && out.contains("OIE002") && out.contains("bad.js"),
        "{out}"
    );

    let started = Instant::now();
    let (code, out) = pre_commit(&["good.js"]);
    say(&format!(
        "second run (hook environment cached): {:.0?}",
        started.elapsed()
    ));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed") && !out.contains("OIE002"), "{out}");

    // On the staged files (a commit): only bad.js is reported; legacy/old.js
    // stays excluded although pre-commit names it (--force-exclude).
    let (code, out) = pre_commit(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bad.js") && !out.contains("good.js") && !out.contains("legacy/old.js"),
        "{out}"
    );
    assert_eq!(out.matches("OIE002").count(), 1, "{out}");
}
