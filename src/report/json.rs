//! The `json` format: an array of findings, built with serde.
//!
//! Field names are a public interface (documented in the README); add
//! fields, never rename or remove them.

use super::Run;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
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
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    pub applicability: Applicability,
    pub message: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
pub struct JsonEdit<'a> {
    pub start_byte: usize,
    pub end_byte: usize,
    pub content: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(d: &'a Diagnostic) -> Self {
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
            fix: d.fix.as_ref().map(|f| JsonFix {
                applicability: f.applicability,
                message: &f.description,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start_byte: e.start,
                        end_byte: e.end,
                        content: &e.replacement,
                    })
                    .collect(),
            }),
        }
    }
}

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let list: Vec<_> = run.diagnostics.iter().map(JsonDiagnostic::new).collect();
    serde_json::to_writer_pretty(&mut *w, &list)?;
    writeln!(w)
}
