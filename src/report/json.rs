//! The `json` format: an array of findings, built with serde.
//!
//! Field names are a public interface (documented in `docs/output-formats.md`); add
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
    /// The rule's documentation link; left out when it has none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// The rule's checklist category (`hosted-page`, …; see `rule --all`).
    pub category: &'static str,
    pub fix: Option<JsonFix<'a>>,
    /// Why a finding that could have a fix has none: `{code, reason}`
    /// (`code` stable, kebab-case, for counting). Left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_fix_reason: Option<&'a crate::diagnostic::NoFix>,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    /// `safe` (applied by `--fix`) or `unsafe` (needs `--unsafe-fixes`).
    pub applicability: Applicability,
    /// What the fix does.
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
        Self::with_index(d, run, &mut None)
    }

    /// [`JsonDiagnostic::new`] for one diagnostic after another: the line
    /// index of the file is kept in `cache` while the path stays the same
    /// (diagnostics come sorted by path), so a report is linear in its findings.
    pub fn with_index(
        d: &'a Diagnostic,
        run: &Run,
        cache: &mut Option<(String, LineIndex)>,
    ) -> Self {
        let text = run.sources.get(&d.path).map(String::as_str);
        let mut pos = |offset: usize| match text {
            Some(t) => {
                if cache.as_ref().is_none_or(|(p, _)| *p != d.path) {
                    *cache = Some((d.path.clone(), LineIndex::new(t)));
                }
                cache.as_ref().expect("set above").1.position(t, offset)
            }
            None => Position { line: 0, column: 0 },
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
            no_fix_reason: d.no_fix.as_ref(),
        }
    }
}

/// `code` of the entry for a path (or org) that could not be checked.
pub const ERROR_CODE: &str = "error";

impl<'a> JsonDiagnostic<'a> {
    /// The entry for something that could not be checked (`run.errors`: an
    /// unreadable file, an org that rejected the token or could not be
    /// reached), so a script reading the report never takes a failed run
    /// for a clean one: `code` is `"error"`, `name` `"not-checked"`,
    /// `severity` `"error"`, the position the message names (else line
    /// and column 0), no fix.
    pub fn for_error(path: &'a str, msg: &'a str) -> Self {
        let (at, message) = match crate::diagnostic::location(msg) {
            Some((at, rest)) => (at, rest),
            None => (Position { line: 0, column: 0 }, msg),
        };
        JsonDiagnostic {
            code: ERROR_CODE,
            name: "not-checked",
            severity: Severity::Error,
            message,
            path,
            line: at.line,
            column: at.column,
            end_line: at.line,
            end_column: at.column,
            url: String::new(),
            category: ERROR_CODE,
            fix: None,
            no_fix_reason: None,
        }
    }
}

/// Every entry of the report: the findings, then what could not be checked.
pub fn entries(run: &Run) -> impl Iterator<Item = JsonDiagnostic<'_>> {
    let mut cache = None;
    run.diagnostics
        .iter()
        .map(move |d| JsonDiagnostic::with_index(d, run, &mut cache))
        .chain(
            run.errors
                .iter()
                .map(|(path, msg)| JsonDiagnostic::for_error(path, msg)),
        )
}

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let list: Vec<_> = entries(run).collect();
    serde_json::to_writer_pretty(&mut *w, &list)?;
    writeln!(w)
}
