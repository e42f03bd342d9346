//! The fix engine: `--fix`, `--unsafe-fixes`, `--diff`.
//!
//! Checks attach a [`Fix`](crate::diagnostic::Fix) to their findings (byte
//! edits on the original text, declared safe or unsafe). [`apply`] applies
//! them pass after pass with overlap and syntax guards; [`mod@write`] replaces
//! files atomically. This module ties both to a run: one call per file.

pub mod apply;
pub mod write;

pub use crate::diagnostic::{AppliedFix, DroppedFix, FileFixes};
pub use crate::source::lines::{adapt_line_endings, line_ending};
pub use apply::MAX_PASSES;

use crate::linter::{FileReport, Linter};
use crate::source::SourceFile;

/// What a run does with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixMode {
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Print a unified diff instead of writing.
    pub diff: bool,
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
    encoding: Option<&'static encoding_rs::Encoding>,
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
            // Every unsafe change is named above its diff, with what it
            // removes (the fix description); `patch`/`git apply` skip
            // these lines.
            let mut diff = String::new();
            for a in ff
                .applied
                .iter()
                .filter(|a| a.applicability == crate::diagnostic::Applicability::Unsafe)
            {
                diff.push_str(&format!(
                    "# {}:{}:{}: {} [unsafe] {}\n",
                    file.display, a.line, a.column, a.code, a.description
                ));
            }
            diff.push_str(&unified_diff(&file.display, &file.text, &outcome.text));
            ff.diff = Some(diff);
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
        // A legacy-encoded file is written back in its encoding.
        let written = crate::source::encode(&outcome.text, encoding)
            .map_err(|e| format!("fix not written: {e}"))
            .and_then(|bytes| {
                let anchor = linter.run_paths().and_then(|r| r.anchor_of(&file.path));
                write::write_fixed_bytes(&file.path, original, &bytes, anchor.as_deref())
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            let report = linter.lint(&file);
            ff.write_error = Some(e);
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
