//! Hover on a finding: its rule's documentation, the text `oie-lint rule
//! CODE` prints.

use crate::diagnostic::Diagnostic;
use crate::rules::Registry;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

/// The docs of every rule with a finding over byte `at` (`None`: none).
pub fn hover(
    found: &[Diagnostic],
    at: usize,
    range_of: impl Fn(&Diagnostic) -> lsp_types::Range,
) -> Option<Hover> {
    let reg = Registry::get();
    let mut here: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| {
            d.start_byte <= at
                && (at < d.end_byte || d.start_byte == d.end_byte && at == d.start_byte)
        })
        .collect();
    here.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    here.dedup_by_key(|d| d.code);
    let first = *here.first()?;
    let docs: Vec<String> = here
        .iter()
        .filter_map(|d| reg.find(d.code))
        .map(|i| crate::rules::docs::render_docs(&reg.rules[i]))
        .collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: docs.join("\n---\n\n"),
        }),
        range: Some(range_of(first)),
    })
}
