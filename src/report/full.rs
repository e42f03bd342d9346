//! The default human format: miette code frames, one per finding.
//!
//! Each frame shows the rule code and slug, the message, the source line(s)
//! with the span underlined, the rule's help and its Okta docs link. Colour
//! follows `--color` (and `NO_COLOR` under `auto`); OSC 8 hyperlinks are off
//! so logs and pipes get plain text.

use super::Run;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::lines::LineIndex;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

struct Frame<'a> {
    d: &'a Diagnostic,
    source: Window<'a>,
    help: String,
    url: String,
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::terminal_safe(&self.d.message))
    }
}

impl fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::terminal_safe(&self.d.message))
    }
}

impl std::error::Error for Frame<'_> {}

impl miette::Diagnostic for Frame<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.d.code, self.d.name)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.help.as_str()))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.url))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = SourceSpan::from(self.d.start_byte..self.d.end_byte.max(self.d.start_byte));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.d.name.to_string()),
            span,
        ))))
    }
}

pub fn render(run: &Run, color: bool, w: &mut dyn Write) -> io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(true)
        .with_width(100);
    let reg = crate::rules::Registry::get();
    // Diagnostics come sorted by path: one line index per file.
    // Control characters in the file are shown as `?` (no raw ESC).
    let mut indexed: Option<(&str, std::borrow::Cow<str>, LineIndex)> = None;
    for d in &run.diagnostics {
        if indexed.as_ref().is_none_or(|(p, _, _)| *p != d.path) {
            let text = super::frame_safe(run.sources.get(&d.path).map_or("", String::as_str));
            let index = LineIndex::new(&text);
            indexed = Some((&d.path, text, index));
        }
        let (_, text, index) = indexed.as_ref().expect("set above");
        let text: &str = text;
        let rule = reg.find(d.code).map(|i| &reg.rules[i]);
        let frame = Frame {
            d,
            source: Window {
                name: &d.path,
                text,
                index,
            },
            help: with_fix(rule.map_or("", |r| r.help.as_str()), d),
            url: rule.map_or(String::new(), |r| r.url.clone()),
        };
        let mut out = String::new();
        handler
            .render_report(&mut out, &frame)
            .map_err(io::Error::other)?;
        w.write_all(out.as_bytes())?;
        writeln!(w)?;
    }
    Ok(())
}

/// A file's text as miette reads it, one window of lines at a time: miette
/// reads a span by scanning the text from its start, which made each frame
/// cost the size of the file before it (minutes for a big file with many
/// findings). The window starts at a line start, so miette's columns hold,
/// and its lines are shifted back to the file's.
struct Window<'a> {
    name: &'a str,
    text: &'a str,
    index: &'a LineIndex,
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let len = self.text.len();
        let start = span.offset().min(len);
        let end = (span.offset() + span.len()).min(len);
        let first_line = self.index.line_index_of(start).saturating_sub(before);
        let wstart = self.index.line_start(first_line).unwrap_or(0);
        // One line more than asked after the span: miette looks past it.
        let wend = self
            .index
            .line_start(self.index.line_index_of(end) + after + 2)
            .unwrap_or(len);
        let window = &self.text[wstart..wend];
        let inner = window.read_span(
            &SourceSpan::new((start - wstart).into(), end - start),
            before,
            after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + wstart).into(), inner.span().len()),
            inner.line() + first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// The rule's help, plus the finding's fix when it has one.
fn with_fix(help: &str, d: &Diagnostic) -> String {
    match &d.fix {
        Some(f) => {
            let how = match f.applicability {
                crate::diagnostic::Applicability::Safe => "safe fix, `--fix`",
                crate::diagnostic::Applicability::Unsafe => "unsafe fix, `--unsafe-fixes`",
            };
            format!("{help}\nFix ({how}): {}", f.description)
        }
        None => help.to_string(),
    }
}
