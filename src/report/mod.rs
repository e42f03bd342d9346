//! Reporters: one module per output format, all reading the same [`Run`].
//!
//! Every format sees diagnostics already sorted by path, line and column,
//! so output is deterministic whatever order the workers finished in.

pub mod concise;
pub mod fingerprint;
pub mod fixes;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod output;
pub mod sarif;
pub mod statistics;
pub mod versions;

use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Everything a run found, ready to render.
#[derive(Debug, Default)]
pub struct Run {
    pub diagnostics: Vec<Diagnostic>,
    /// Original text of every file that has diagnostics, by display path.
    pub sources: BTreeMap<String, String>,
    /// `(display path, one-line reason)` for files that could not be checked.
    pub errors: Vec<(String, String)>,
    pub files_checked: usize,
    /// What `--fix`/`--diff` did, per file (empty otherwise).
    pub fixes: Vec<crate::diagnostic::FileFixes>,
    /// The directory display paths are relative to (SARIF's `%SRCROOT%`).
    /// Empty when unknown; reporters then leave the base undescribed.
    pub root: std::path::PathBuf,
    /// `check - --fix`: the bytes stdout must carry, and nothing else (the
    /// fixed text, or the input unchanged when it was excluded or could not
    /// be read as text). The report then goes to stderr.
    pub stdin_output: Option<Vec<u8>>,
    /// `(display path, why)` for files skipped by `--max-filesize`.
    pub skipped: Vec<(String, String)>,
}

impl Run {
    /// Adds another part of the same run (files governed by another config
    /// file) to this one; call [`Run::sort`] after the last.
    pub fn absorb(&mut self, part: Run) {
        let Run {
            diagnostics,
            sources,
            errors,
            files_checked,
            fixes,
            root: _,
            stdin_output,
            skipped,
        } = part;
        self.diagnostics.extend(diagnostics);
        self.sources.extend(sources);
        self.errors.extend(errors);
        self.files_checked += files_checked;
        self.fixes.extend(fixes);
        if stdin_output.is_some() {
            self.stdin_output = stdin_output;
        }
        self.skipped.extend(skipped);
    }

    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.errors.sort();
        self.skipped.sort();
        self.fixes.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// `--format` values for `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Code frames with the rule, message, help and docs link (for people).
    #[default]
    Full,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// A JSON array of findings (stable; see `docs/output-formats.md`).
    Json,
    /// One JSON object per line, same fields as `json` (streams and greps well).
    JsonLines,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab Code Quality JSON (the `codequality` report artifact).
    Gitlab,
    /// JUnit XML, one test suite per file (GitLab and Jenkins test reports).
    Junit,
}

impl Format {
    /// Machine formats keep stdout clean: the summary goes to stderr.
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Full | Format::Concise)
    }
}

pub fn render(format: Format, run: &Run, color: bool, w: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Full => full::render(run, color, w),
        Format::Concise => concise::render(run, w),
        Format::Json => json::render(run, w),
        Format::JsonLines => json_lines::render(run, w),
        Format::Sarif => sarif::render(run, w),
        Format::Github => github::render(run, w),
        Format::Gitlab => gitlab::render(run, w),
        Format::Junit => junit::render(run, w),
    }
}

/// Text for a terminal: control characters other than tab and line feed,
/// and the invisible bidirectional controls, become `\xNN` / `\u{NNNN}`
/// (see [`crate::source::is_unsafe_char`]), so a message quoting a file's or
/// a server's bytes can never move the cursor, change colours or reorder
/// what is shown. Unchanged (no copy) when there is nothing to escape.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    crate::source::escape_text_keeping(s, &['\t', '\n'])
}

/// [`terminal_safe`] for a format with one line per finding: line breaks
/// are escaped too, so a message can never forge another line.
pub fn line_safe(s: &str) -> std::borrow::Cow<'_, str> {
    crate::source::escape_text_keeping(s, &['\t'])
}

/// A file's text for a code frame: each [`crate::source::is_unsafe_char`]
/// character other than tab and line breaks (and a byte order mark that
/// starts the file) replaced by as many `?` as its UTF-8 bytes, so byte
/// offsets (and the spans that point into the text) stay valid.
pub fn frame_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |(i, c): (usize, char)| {
        crate::source::is_unsafe_char(c)
            && !matches!(c, '\t' | '\n' | '\r')
            && !(i == 0 && c == '\u{feff}')
    };
    if !s.char_indices().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if bad((i, c)) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// "3 errors", "1 warning".
pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
