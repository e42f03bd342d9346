//! The fix engine: `--fix`, `--unsafe-fixes`, `--diff`.
//!
//! Checks attach a [`Fix`](crate::diagnostic::Fix) to their findings (byte
//! edits on the original text, declared safe or unsafe). [`apply`] applies
//! them pass after pass with overlap and syntax guards; [`mod@write`] replaces
//! files atomically. This module ties both to a run: one call per file.

pub mod apply;
pub mod write;

pub use apply::{adapt_line_endings, AppliedFix, DroppedFix, MAX_PASSES};

use crate::diagnostic::Applicability;
use crate::linter::{FileReport, Linter};
use crate::report::{plural, Run};
use crate::source::SourceFile;

/// What a run does with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixMode {
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Print a unified diff instead of writing.
    pub diff: bool,
}

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileFixes {
    /// Display path.
    pub path: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    pub converged: bool,
    /// `--diff`: the unified diff of the change (None when unchanged).
    pub diff: Option<String>,
    /// Standard input under `--fix`: the fixed text to print.
    pub stdout: Option<String>,
    /// Why the fixed text was not written (the file was checked; it is
    /// unchanged on disk).
    pub write_error: Option<String>,
}

/// Fixes one file. With `original` (the bytes read from disk) and no
/// `--diff`, writes the result; for standard input (`original` = None) the
/// fixed text is returned for printing. Returns the file and report to show
/// (the fixed text and what remains, or the untouched original when the
/// write failed, with the reason in `FileFixes::write_error`).
pub fn fix_one(
    linter: &Linter,
    file: SourceFile,
    original: Option<&[u8]>,
    mode: FixMode,
) -> (SourceFile, FileReport, FileFixes) {
    let outcome = apply::fix_file(linter, &file, mode.unsafe_fixes);
    let mut ff = FileFixes {
        path: file.display.clone(),
        applied: outcome.applied,
        dropped: outcome.dropped,
        converged: outcome.converged,
        ..Default::default()
    };
    let changed = outcome.text != file.text;
    if mode.diff {
        if changed {
            ff.diff = Some(unified_diff(&file.display, &file.text, &outcome.text));
        }
        // Nothing is written: report what the file has now (an unchanged
        // file's final lint is that already).
        let report = if changed {
            linter.lint(&file)
        } else {
            outcome.report
        };
        return (file, report, ff);
    }
    let Some(original) = original else {
        ff.stdout = Some(outcome.text.clone());
        let fixed = SourceFile {
            text: outcome.text,
            ..file
        };
        return (fixed, outcome.report, ff);
    };
    if changed {
        if let Err(e) = write::write_fixed(&file.path, original, &outcome.text) {
            let report = linter.lint(&file);
            ff.write_error = Some(e.to_string());
            ff.applied.clear();
            return (file, report, ff);
        }
    }
    let fixed = SourceFile {
        text: outcome.text,
        ..file
    };
    (fixed, outcome.report, ff)
}

/// A unified diff (`--- a/path`, `+++ b/path`, three lines of context).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .missing_newline_hint(true)
        .to_string()
}

/// Findings of the run whose fix this mode would not apply.
fn fixable(run: &Run) -> (usize, usize) {
    let safe = run
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    let unsafe_ = run
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Unsafe)
        })
        .count();
    (safe, unsafe_)
}

/// The sentence the summary line gains about fixes.
pub fn summary(run: &Run, mode: Option<FixMode>) -> String {
    let (safe, unsafe_) = fixable(run);
    let fixed: usize = run.fixes.iter().map(|f| f.applied.len()).sum();
    let files = run.fixes.iter().filter(|f| !f.applied.is_empty()).count();
    match mode {
        None => match (safe, unsafe_) {
            (0, 0) => String::new(),
            (s, 0) => format!(" {s} fixable with `--fix`."),
            (0, u) => format!(" {u} fixable with `--unsafe-fixes`."),
            (s, u) => format!(" {s} fixable with `--fix` ({u} more with `--unsafe-fixes`)."),
        },
        Some(m) => {
            let verb = if m.diff { "Would fix" } else { "Fixed" };
            let mut s = format!(
                " {verb} {} in {}.",
                plural(fixed, "finding"),
                plural(files, "file")
            );
            // Without --unsafe-fixes no unsafe fix was applied, so every
            // unsafe fix still on a finding is one more.
            if unsafe_ > 0 && !m.unsafe_fixes {
                s.push_str(&format!(" {unsafe_} more fixable with `--unsafe-fixes`."));
            }
            s
        }
    }
}

/// `--show-fixes`: one line per applied fix, then the problems.
pub fn render_fixes(
    run: &Run,
    mode: Option<FixMode>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let verb = if mode.is_some_and(|m| m.diff) {
        "Would fix"
    } else {
        "Fixed"
    };
    for f in &run.fixes {
        for a in &f.applied {
            let safety = match a.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            };
            writeln!(
                w,
                "{verb} {}:{}:{}: {} [{}] {}",
                f.path, a.line, a.column, a.code, safety, a.description
            )?;
        }
    }
    Ok(())
}

/// Warnings about fixes that were refused or passes that did not settle.
pub fn problems(run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    for f in &run.fixes {
        for d in &f.dropped {
            out.push(format!(
                "warning: {}: fix for {} not applied ({}): {}",
                f.path, d.code, d.description, d.reason
            ));
        }
        if !f.converged {
            out.push(format!(
                "warning: {}: fixes did not converge after {} passes; review the result",
                f.path, MAX_PASSES
            ));
        }
    }
    out
}
