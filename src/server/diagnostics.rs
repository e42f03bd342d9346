//! Findings as LSP diagnostics: range, severity, code, the rule's page
//! (`codeDescription`) and, for a finding with a fix, what the fix does.

use super::position::{self, Encoding, Lines};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::linter::FileReport;
use crate::rules::Registry;
use lsp_types::{CodeDescription, DiagnosticSeverity, NumberOrString, Uri};

pub const SOURCE: &str = "oie-lint";

/// The page that documents a rule: Okta's documentation, or this
/// project's own page when it has a public home.
pub fn rule_url(code: &str) -> Option<String> {
    let reg = Registry::get();
    let r = &reg.rules[reg.find(code)?];
    if r.url.is_empty() {
        None
    } else if r.project_docs {
        crate::docs_url(&r.url)
    } else {
        Some(r.url.clone())
    }
}

/// One finding as an LSP diagnostic.
pub fn to_lsp(d: &Diagnostic, lines: &Lines, text: &str, enc: Encoding) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(f) = &d.fix {
        let safety = match f.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "unsafe fix",
        };
        message.push_str(&format!(" ({safety} available: {})", f.description));
    }
    lsp_types::Diagnostic {
        range: position::range(lines, text, d.start_byte, d.end_byte, enc),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: rule_url(d.code)
            .and_then(|u| u.parse::<Uri>().ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: None,
        tags: None,
        data: Some(serde_json::json!({ "name": d.name })),
    }
}

/// A document's diagnostics: its findings, sorted as every report sorts
/// them, and a file-level problem (it could not be checked) at its
/// position, or at the start.
pub fn of_report(
    report: &FileReport,
    text: &str,
    enc: Encoding,
    related: &dyn Fn(&Diagnostic) -> Vec<lsp_types::DiagnosticRelatedInformation>,
) -> Vec<lsp_types::Diagnostic> {
    let lines = Lines::new(text);
    let mut found: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut out: Vec<lsp_types::Diagnostic> = found
        .into_iter()
        .map(|d| {
            let mut lsp = to_lsp(d, &lines, text, enc);
            let places = related(d);
            lsp.related_information = (!places.is_empty()).then_some(places);
            lsp
        })
        .collect();
    if let Some(e) = &report.error {
        let (at, message) = match crate::diagnostic::location(e) {
            Some((p, rest)) => (
                lsp_types::Position::new(
                    p.line.saturating_sub(1) as u32,
                    p.column.saturating_sub(1) as u32,
                ),
                rest.to_string(),
            ),
            None => (lsp_types::Position::new(0, 0), e.clone()),
        };
        out.push(lsp_types::Diagnostic {
            range: lsp_types::Range::new(at, at),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(SOURCE.to_string()),
            message,
            ..Default::default()
        });
    }
    out
}
