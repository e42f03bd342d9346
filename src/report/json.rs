//! The `json` format: an array of findings, built with serde.
//!
//! Field names are a public interface (documented in the README); add
//! fields, never rename or remove them.

use super::Run;
use crate::diagnostic::{Applicability, Diagnostic, Position, Severity};
use crate::source::lines::LineIndex;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub url: String,
    /// The rule's checklist category (`hosted-page`, …; see `rule --all`).
    pub category: &'static str,
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    /// `safe` (applied by `--fix`) or `unsafe` (needs `--unsafe-fixes`).
    pub applicability: Applicability,
    /// What the fix does (same text as `description`; kept for compatibility).
    pub message: &'a str,
    pub description: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

/// One replacement of the original file's text. Byte offsets are 0-based
/// and end-exclusive; lines and columns are 1-based characters, like the
/// finding's own.
#[derive(Serialize)]
pub struct JsonEdit<'a> {
    pub start_byte: usize,
    pub end_byte: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The replacement text.
    pub content: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    /// The object for `d`; fix edits get lines and columns from the file's
    /// text in `run.sources` (every format that prints edits goes through here).
    pub fn new(d: &'a Diagnostic, run: &Run) -> Self {
        let text = run.sources.get(&d.path).map(String::as_str);
        let index = text.map(LineIndex::new);
        let pos = |offset: usize| match (&index, text) {
            (Some(i), Some(t)) => i.position(t, offset),
            _ => Position { line: 0, column: 0 },
        };
        JsonDiagnostic {
            code: d.code,
            name: d.name,
            severity: d.severity,
            message: &d.message,
            path: &d.path,
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            url: crate::rules::docs_url(d.code, d.name),
            category: crate::rules::category_of(d.code),
            fix: d.fix.as_ref().map(|f| JsonFix {
                applicability: f.applicability,
                message: &f.description,
                description: &f.description,
                edits: f
                    .edits
                    .iter()
                    .map(|e| {
                        let (start, end) = (pos(e.start), pos(e.end));
                        JsonEdit {
                            start_byte: e.start,
                            end_byte: e.end,
                            line: start.line,
                            column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                            content: &e.replacement,
                        }
                    })
                    .collect(),
            }),
        }
    }
}

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let list: Vec<_> = run
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic::new(d, run))
        .collect();
    serde_json::to_writer_pretty(&mut *w, &list)?;
    writeln!(w)
}
