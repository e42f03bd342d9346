//! The default human format: miette code frames, one per finding.
//!
//! Each frame shows the rule code and slug, the message, the source line(s)
//! with the span underlined, the rule's help and its Okta docs link. Colour
//! follows `--color` (and `NO_COLOR` under `auto`); OSC 8 hyperlinks are off
//! so logs and pipes get plain text.
//!
//! The frame shows only the finding's own lines and their short neighbours:
//! a line longer than [`LONG_LINE`] bytes (a minified bundle) is cut to
//! [`CUT_CONTEXT`] bytes either side of the finding, marked with `…`, so a
//! 5 MB line is never printed whole, and a long neighbour is left out.

use super::Run;
use crate::diagnostic::{Diagnostic, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// A line longer than this (in bytes) is cut around the finding.
pub const LONG_LINE: usize = 200;
/// Bytes kept either side of the finding on a cut line.
pub const CUT_CONTEXT: usize = 80;
const ELLIPSIS: &str = "…";

struct Frame<'a> {
    d: &'a Diagnostic,
    source: Excerpt<'a>,
    help: String,
    url: String,
}

/// What miette may show of a file for one finding: the lines around it,
/// cut when long, built once (the window never depends on what miette asks).
struct Excerpt<'a> {
    name: &'a str,
    text: &'a str,
    d: &'a Diagnostic,
    window: String,
    /// The source offset the window's first byte stands for (the `…`
    /// counts as if it were the bytes before the cut).
    offset: usize,
    /// 0-based line of the window's first line.
    line: usize,
    lines: usize,
}

impl<'a> Excerpt<'a> {
    fn new(name: &'a str, text: &'a str, d: &'a Diagnostic) -> Excerpt<'a> {
        let bytes = text.as_bytes();
        let start = d.start_byte.min(text.len());
        let end = d.end_byte.clamp(start, text.len());
        // Every scan is bounded by LONG_LINE: a frame costs the same on a
        // 5 MB one-line file as on a short line, so many findings in a big
        // file stay linear.
        let line_start = line_start_within(bytes, start);
        let line_end = line_end_within(bytes, end);
        let mut line = d.start.line.saturating_sub(1);
        let mut window = String::new();
        let (ws, offset) = if start - line_start > LONG_LINE {
            let ws = floor_boundary(text, start - CUT_CONTEXT);
            window.push_str(ELLIPSIS);
            (ws, ws - ELLIPSIS.len())
        } else {
            // One short line of context before, as miette shows by default.
            let mut ws = line_start;
            if ws > 0 {
                let prev = line_start_within(bytes, ws - 1);
                if ws - 1 - prev <= LONG_LINE {
                    ws = prev;
                    line = line.saturating_sub(1);
                }
            }
            (ws, ws)
        };
        let (we, cut_end) = if line_end - end > LONG_LINE {
            (ceil_boundary(text, end + CUT_CONTEXT), true)
        } else {
            let mut we = line_end;
            if we < text.len() {
                let next = line_end_within(bytes, we + 1);
                if next - (we + 1) <= LONG_LINE {
                    we = next;
                }
            }
            (we, false)
        };
        window.push_str(&text[ws..we]);
        if cut_end {
            window.push_str(ELLIPSIS);
        }
        let lines = memchr::memchr_iter(b'\n', window.as_bytes()).count();
        Excerpt {
            name,
            text,
            d,
            window,
            offset,
            line,
            lines,
        }
    }
}

/// The start of the line holding `at`, looking back at most `LONG_LINE + 1`
/// bytes: a line start further back is reported as that bound, which the
/// callers read as "a long line".
fn line_start_within(bytes: &[u8], at: usize) -> usize {
    let back = at.saturating_sub(LONG_LINE + 1);
    memchr::memrchr(b'\n', &bytes[back..at]).map_or(back, |i| back + i + 1)
}

/// The end of the line holding `at` (its `\n`, or the end of the text),
/// looking ahead at most `LONG_LINE + 1` bytes, as [`line_start_within`].
fn line_end_within(bytes: &[u8], at: usize) -> usize {
    let ahead = (at + LONG_LINE + 1).min(bytes.len());
    memchr::memchr(b'\n', &bytes[at..ahead]).map_or(ahead, |i| at + i)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        _span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        if before == 0 && after == 0 {
            // The frame's header: the finding's own position.
            let start = self.d.start_byte.min(self.text.len());
            let end = self.d.end_byte.clamp(start, self.text.len());
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.to_string(),
                &self.text.as_bytes()[start..end],
                (start, end - start).into(),
                self.d.start.line.saturating_sub(1),
                self.d.start.column.saturating_sub(1),
                0,
            )));
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            self.window.as_bytes(),
            (self.offset, self.window.len()).into(),
            self.line,
            0,
            self.lines,
        )))
    }
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
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
        if self.url.is_empty() {
            return None;
        }
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
    for d in &run.diagnostics {
        let text = run.sources.get(&d.path).map_or("", String::as_str);
        let rule = reg.find(d.code).map(|i| &reg.rules[i]);
        let frame = Frame {
            d,
            source: Excerpt::new(&d.path, text, d),
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
