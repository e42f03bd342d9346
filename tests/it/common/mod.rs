//! Shared test support: inline expectations and linting in-memory files.
//!
//! Fixtures and rule examples mark each expected finding with a comment on
//! the line before it, in whatever comment syntax the file has:
//! `// expect: OIE001`, `<!-- expect: OIE004(warning) -->`,
//! `{{! expect: OIE002 }}`, or in package.json the npm comment key
//! `"//": "expect: OIE004(error)"`. Several codes may follow one `expect:`.
#![allow(dead_code)]

pub mod lsp;

use oie_lint::diagnostic::{Diagnostic, Severity};
use oie_lint::linter::Linter;
use oie_lint::rules::{Registry, RuleSet};
use oie_lint::settings::Settings;
use oie_lint::source::{FileKind, SourceFile};
use oie_lint::versions::Thresholds;
use regex::Regex;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    pub line: usize,
    pub code: String,
    pub severity: Option<Severity>,
}

/// Parses the `expect:` annotations of a file. Each applies to the next line
/// that is not itself an annotation.
pub fn expectations(text: &str) -> Vec<Expected> {
    let marker = Regex::new(r"expect:\s*((?:OIE\d{3}(?:\((?:error|warning)\))?[\s,]*)+)").unwrap();
    let item = Regex::new(r"(OIE\d{3})(?:\((error|warning)\))?").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(c) = marker.captures(line) else {
            continue;
        };
        let target = (i + 1..lines.len())
            .find(|&j| !marker.is_match(lines[j]))
            .map(|j| j + 1)
            .unwrap_or(i + 2);
        for m in item.captures_iter(&c[1]) {
            let severity = m.get(2).map(|s| {
                if s.as_str() == "error" {
                    Severity::Error
                } else {
                    Severity::Warning
                }
            });
            out.push(Expected {
                line: target,
                code: m[1].to_string(),
                severity,
            });
        }
    }
    out.sort();
    out
}

/// Compares findings with expectations; returns a readable mismatch report.
pub fn compare(name: &str, expected: &[Expected], actual: &[Diagnostic]) -> Result<(), String> {
    let mut unmatched: Vec<&Diagnostic> = actual.iter().collect();
    let mut missing = Vec::new();
    for e in expected {
        let pos = unmatched.iter().position(|d| {
            d.start.line == e.line && d.code == e.code && e.severity.is_none_or(|s| s == d.severity)
        });
        match pos {
            Some(p) => {
                unmatched.remove(p);
            }
            None => missing.push(e),
        }
    }
    if missing.is_empty() && unmatched.is_empty() {
        return Ok(());
    }
    let mut msg = format!("{name}:\n");
    for e in missing {
        msg.push_str(&format!(
            "  missing:    line {} {} {:?}\n",
            e.line, e.code, e.severity
        ));
    }
    for d in unmatched {
        msg.push_str(&format!(
            "  unexpected: {}:{} {} [{}] {}\n",
            d.start.line, d.start.column, d.code, d.severity, d.message
        ));
    }
    Err(msg)
}

pub fn default_settings() -> Settings {
    Settings::new(RuleSet::all(Registry::get()), Thresholds::default())
}

/// Lints the file at `root/rel` (which must exist) as the CLI would.
pub fn lint_file(root: &Path, rel: &str) -> Vec<Diagnostic> {
    let linter = fixtures_linter(root);
    lint_with(&linter, root, rel)
}

/// The linter [`lint_file`] uses, to share across files (cross-file facts).
pub fn fixtures_linter(root: &Path) -> Linter {
    Linter::new(default_settings(), root.to_path_buf()).unwrap()
}

/// [`lint_file`] with a given linter.
pub fn lint_with(linter: &Linter, root: &Path, rel: &str) -> Vec<Diagnostic> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let kind =
        FileKind::from_path(&path).unwrap_or_else(|| panic!("{rel}: not a kind oie-lint reads"));
    let file = SourceFile {
        path,
        display: rel.to_string(),
        text,
        kind,
    };
    let report = linter.lint(&file);
    assert!(report.error.is_none(), "{rel}: {:?}", report.error);
    report.diagnostics
}

/// Runs `cmd` to the end and returns its exit code, stderr and peak
/// resident memory in KiB (`wait4`'s `ru_maxrss`, for that child alone).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which clippy does not know
pub fn run_measured(cmd: &mut std::process::Command) -> (i32, String, u64) {
    use std::io::Read as _;
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 reaps the child we spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, stderr, usage.ru_maxrss as u64)
}

/// The binary under test, with colours off.
pub fn oie() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("oie-lint").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// `oie-lint` run in `dir` (no colour).
pub fn oie_in(dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("oie-lint"));
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// `oie-lint audit ARGS` in `dir`: (exit code, stdout, stderr).
pub fn audit_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = oie_in(dir).arg("audit").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Writes `text` to `dir/rel`, creating the folders on the way.
pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
