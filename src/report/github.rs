//! The `github` format: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request's diff and the run summary.
//!
//! `::error file=web/login.js,line=4,col=17,endLine=4,endColumn=37,title=OIE001 (set-cookie-and-redirect)::message`
//!
//! Warnings use `::warning`. The message is the finding's alone: the
//! annotation already carries the file, line and column (and the rule in
//! its title), so repeating `path:line:col` would print it twice on the
//! pull request. GitHub rejects `col`/`endColumn` on an
//! annotation that spans several lines, so those are dropped when the finding
//! does (ruff learned this in astral-sh/ruff#22074). Values are escaped by
//! GitHub's rules: in the message `%`, CR and LF; in properties also `:` and
//! `,`, which would otherwise end the property.

use super::Run;
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Escapes a workflow command's message (the part after `::`).
/// Control and bidirectional characters other than tab and line breaks are
/// escaped first (as `\xNN`, see [`crate::source::is_unsafe_char`]): the
/// runner prints the message in the log.
pub fn escape_data(s: &str) -> String {
    crate::source::escape_text_keeping(s, &['\t', '\n', '\r'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property value (`file=…`, `title=…`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    for d in &run.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            w,
            "::{command} file={},line={}",
            escape_property(&d.path),
            d.start.line
        )?;
        if d.start.line == d.end.line {
            write!(
                w,
                ",col={},endLine={},endColumn={}",
                d.start.column, d.end.line, d.end.column
            )?;
        } else {
            write!(w, ",endLine={}", d.end.line)?;
        }
        let title = format!("{} ({})", d.code, d.name);
        writeln!(
            w,
            ",title={}::{}",
            escape_property(&title),
            escape_data(&d.message)
        )?;
    }
    for (path, msg) in &run.errors {
        // A problem at a known place is annotated there.
        let (at, msg) = match crate::diagnostic::location(msg) {
            Some((at, rest)) => (
                format!(
                    "file={},line={},col={},",
                    escape_property(path),
                    at.line,
                    at.column
                ),
                rest,
            ),
            None => (String::new(), msg.as_str()),
        };
        writeln!(
            w,
            "::error {at}title=oie-lint::{}",
            escape_data(&format!("{path}: could not be checked: {msg}"))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Position};

    fn render_one(start: Position, end: Position, path: &str, message: &str) -> String {
        let run = Run {
            diagnostics: vec![Diagnostic {
                code: "OIE003",
                name: "missing-interaction-code-flow",
                severity: Severity::Warning,
                message: message.into(),
                path: path.into(),
                start_byte: 0,
                end_byte: 0,
                start,
                end,
                fix: None,
                no_fix: None,
            }],
            ..Run::default()
        };
        let mut out = Vec::new();
        render(&run, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn multi_line_spans_drop_columns() {
        let out = render_one(
            Position {
                line: 3,
                column: 16,
            },
            Position { line: 6, column: 3 },
            "a.js",
            "m",
        );
        assert_eq!(
            out,
            "::warning file=a.js,line=3,endLine=6,title=OIE003 (missing-interaction-code-flow)::m\n"
        );
    }

    #[test]
    fn single_line_spans_keep_columns() {
        let out = render_one(
            Position {
                line: 3,
                column: 16,
            },
            Position {
                line: 3,
                column: 30,
            },
            "a.js",
            "m",
        );
        assert!(
            out.starts_with("::warning file=a.js,line=3,col=16,endLine=3,endColumn=30,title="),
            "{out}"
        );
    }

    #[test]
    fn a_message_with_newlines_stays_one_command() {
        let out = render_one(
            Position { line: 1, column: 1 },
            Position { line: 1, column: 2 },
            "x,y:z.js",
            "50%\nmore",
        );
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.contains("file=x%2Cy%3Az.js,"), "{out}");
        assert!(out.ends_with("::50%25%0Amore\n"), "{out}");
    }

    #[test]
    fn data_escapes_percent_and_newlines_only() {
        assert_eq!(escape_data("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
        assert_eq!(
            escape_property("OIE001 (set-cookie-and-redirect)"),
            "OIE001 (set-cookie-and-redirect)"
        );
    }

    #[test]
    fn percent_is_escaped_first_so_escapes_are_not_double_escaped() {
        assert_eq!(escape_property("%3A:"), "%253A%3A");
    }
}
