//! The one record every stage agrees on: a finding with its rule, severity,
//! exact position in the original file, and an optional fix.
//!
//! Checks produce [`Finding`]s (byte spans only); the linter turns them into
//! [`Diagnostic`]s by resolving line/column against the original text, so
//! no check ever does position arithmetic of its own.

use serde::Serialize;

/// How much a finding matters. Ordered: `Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix may be applied without a human reading it (ruff's model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// A replacement of the byte range `start..end` of the *original* file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A set of edits that together resolve one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub description: String,
    pub edits: Vec<Edit>,
}

/// What a check reports: a rule, a byte span and what to say about it.
/// `severity`/`message` override the rule's defaults when set.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub severity: Option<Severity>,
    pub message: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: usize, start: usize, end: usize) -> Self {
        Finding {
            rule,
            start,
            end,
            severity: None,
            message: None,
            fix: None,
        }
    }
    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = Some(s);
        self
    }
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.message = Some(m.into());
        self
    }
    pub fn fix(mut self, f: Fix) -> Self {
        self.fix = Some(f);
        self
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, the way
/// editors and ruff count them; a leading BOM is not a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A finding resolved against its file, ready for any reporter.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Path as shown to the user: relative to the working directory, `/`-separated.
    pub path: String,
    pub start_byte: usize,
    pub end_byte: usize,
    pub start: Position,
    pub end: Position,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The order every report uses: path, then position, then code.
    pub fn sort_key(&self) -> (&str, Position, Position, &str) {
        (&self.path, self.start, self.end, self.code)
    }

    /// A finding at 1:1 of `path` for reporter tests, with an empty fix of
    /// the given applicability.
    #[cfg(test)]
    pub fn for_test(
        path: &str,
        code: &'static str,
        severity: Severity,
        fix: Option<Applicability>,
    ) -> Diagnostic {
        let p = Position { line: 1, column: 1 };
        Diagnostic {
            code,
            name: "n",
            severity,
            message: String::new(),
            path: path.into(),
            start_byte: 0,
            end_byte: 0,
            start: p,
            end: p,
            fix: fix.map(|applicability| Fix {
                applicability,
                description: String::new(),
                edits: vec![],
            }),
        }
    }
}

/// A fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFix {
    pub code: &'static str,
    pub applicability: Applicability,
    pub description: String,
    /// Where the finding was, in the text of the pass that fixed it.
    pub line: usize,
    pub column: usize,
}

/// A fix that was offered but refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedFix {
    pub code: &'static str,
    pub description: String,
    pub reason: String,
}

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileFixes {
    /// Display path.
    pub path: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    pub converged: bool,
    /// `--diff`: the unified diff of the change (None when unchanged).
    pub diff: Option<String>,
    /// Standard input under `--fix`: the fixed text to print.
    pub stdout: Option<String>,
    /// Why the fixed text was not written (the file was checked; it is
    /// unchanged on disk).
    pub write_error: Option<String>,
}
