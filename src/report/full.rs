//! The default human format: miette code frames, one per finding.
//!
//! Each frame shows the rule code and slug, the message, the source line(s)
//! with the span underlined, the rule's help and its Okta docs link. Colour
//! follows `--color` (and `NO_COLOR` under `auto`); OSC 8 hyperlinks are off
//! so logs and pipes get plain text.

use super::Run;
use crate::diagnostic::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::io::{self, Write};

struct Frame<'a> {
    d: &'a Diagnostic,
    source: NamedSource<String>,
    help: String,
    url: String,
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
        let text = run.sources.get(&d.path).cloned().unwrap_or_default();
        let rule = reg.find(d.code).map(|i| &reg.rules[i]);
        let frame = Frame {
            d,
            source: NamedSource::new(&d.path, text),
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
