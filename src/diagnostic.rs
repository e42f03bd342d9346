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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// Why a finding that could have a fix has none: a short stable code
/// (kebab-case, counted by the audit and in JSON as `no_fix_reason.code`)
/// and the sentence the message ends with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoFix {
    pub code: &'static str,
    pub reason: String,
}

impl NoFix {
    pub fn new(code: &'static str, reason: impl Into<String>) -> Self {
        NoFix {
            code,
            reason: reason.into(),
        }
    }
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
    /// Why there is no fix, when the check could have offered one.
    pub no_fix: Option<NoFix>,
    /// The construct the finding is about, when it spans more than the
    /// finding (a `sessionToken:` key with its value): other findings of
    /// the same rule inside it are the same problem and are reported once
    /// ([`merge_same_construct`]).
    pub construct: Option<std::ops::Range<usize>>,
    /// Stands for a finding reported in another file of the run (a
    /// `package.json` dependency whose version a lockfile pins and the
    /// lockfile reports): never reported itself, but a suppression marker
    /// that covers it counts as used.
    pub stand_in: bool,
    /// Places in other files that stand for this finding (`path`, byte
    /// range): the `package.json` dependencies a lockfile entry resolves. A
    /// suppression marker covering every one of them suppresses it, since
    /// the file reported (a generated lockfile) cannot hold a comment.
    pub stands_for: Vec<(std::path::PathBuf, std::ops::Range<usize>)>,
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
            no_fix: None,
            construct: None,
            stand_in: false,
            stands_for: Vec::new(),
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

/// One finding per construct: a finding of a rule whose span lies inside
/// another finding's [`Finding::construct`] for the same rule is the same
/// problem (`sessionToken: tx.sessionToken` is one token passed on, not a
/// key and a read). Each group is reported once, by the finding that
/// carries a fix (the fix stays attached to what is reported), else by the
/// construct's own finding. Nested constructs fold into the outermost one.
/// The reported finding takes the group's worst severity (`default` gives
/// a rule's own severity, for findings that set none): a warning-level URL
/// that holds an error-level read is one error.
/// O(n log n) in the number of findings.
pub fn merge_same_construct(findings: &mut Vec<Finding>, default: impl Fn(usize) -> Severity) {
    if findings.iter().all(|f| f.construct.is_none()) {
        return;
    }
    // (rule, start, end, owner) of the outermost constructs, by rule and start.
    let mut constructs: Vec<(usize, usize, usize, usize)> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.construct.as_ref().map(|c| (f.rule, c.start, c.end, i)))
        .collect();
    constructs.sort_by_key(|&(rule, start, end, i)| (rule, start, std::cmp::Reverse(end), i));
    let mut outer: Vec<(usize, usize, usize, usize)> = Vec::with_capacity(constructs.len());
    for c in constructs {
        match outer.last() {
            Some(o) if o.0 == c.0 && c.1 < o.2 => {}
            _ => outer.push(c),
        }
    }
    let owner_of = |f: &Finding, i: usize| -> Option<usize> {
        let k = outer.partition_point(|o| (o.0, o.1) <= (f.rule, f.start));
        let o = outer.get(k.checked_sub(1)?)?;
        (o.0 == f.rule && o.1 <= f.start && f.end <= o.2 && o.3 != i).then_some(o.3)
    };
    let owners: Vec<Option<usize>> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| owner_of(f, i))
        .collect();
    // owner → the member that reports the group instead (the first, by
    // position, with a fix, when the owner has none).
    let mut reporter: std::collections::HashMap<usize, usize> = Default::default();
    for (i, owner) in owners.iter().enumerate() {
        let Some(owner) = *owner else { continue };
        if findings[owner].fix.is_some() || findings[i].fix.is_none() {
            continue;
        }
        let better = reporter
            .get(&owner)
            .is_none_or(|&r| findings[i].start < findings[r].start);
        if better {
            reporter.insert(owner, i);
        }
    }
    // The group's worst severity, raised on its reporter.
    let severity = |f: &Finding| f.severity.unwrap_or_else(|| default(f.rule));
    let mut worst: std::collections::HashMap<usize, Severity> = Default::default();
    for (i, owner) in owners.iter().enumerate() {
        let Some(owner) = *owner else { continue };
        let w = worst.entry(owner).or_insert(severity(&findings[owner]));
        *w = (*w).max(severity(&findings[i]));
    }
    for (owner, w) in worst {
        let r = reporter.get(&owner).copied().unwrap_or(owner);
        if severity(&findings[r]) < w {
            findings[r].severity = Some(w);
        }
    }
    let mut i = 0;
    findings.retain(|_| {
        let keep = match owners[i] {
            Some(owner) => reporter.get(&owner) == Some(&i),
            None => !reporter.contains_key(&i),
        };
        i += 1;
        keep
    });
}

/// A 1-based line and column. Columns count Unicode scalar values, the way
/// editors and ruff count them; a leading BOM is not a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A problem with a file's content (it cannot be checked) travels as a
/// one-line message; when the problem is at a known place, the message
/// starts with `LINE:COLUMN: `, so every report prints it as
/// `path:line:col: message`, the way findings and config errors read
/// ([`with_path`]).
pub fn located(at: Position, message: impl std::fmt::Display) -> String {
    format!("{}:{}: {message}", at.line, at.column)
}

/// The position of a [`located`] message, and the message without it.
pub fn location(message: &str) -> Option<(Position, &str)> {
    let number = |s: &str| -> Option<usize> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (line, rest) = message.split_once(':')?;
    let (column, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix(' ')?;
    let at = Position {
        line: number(line)?,
        column: number(column)?,
    };
    Some((at, rest))
}

/// `path:line:col: message` for a [`located`] message, else `path: message`.
pub fn with_path(path: &str, message: &str) -> String {
    match location(message) {
        Some((at, rest)) => format!("{path}:{}:{}: {rest}", at.line, at.column),
        None => format!("{path}: {message}"),
    }
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
    /// Why no fix is offered (see [`NoFix`]).
    pub no_fix: Option<NoFix>,
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
            no_fix: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: usize, span: std::ops::Range<usize>) -> Finding {
        Finding::new(rule, span.start, span.end)
    }

    fn spans(findings: &[Finding]) -> Vec<(usize, usize, usize)> {
        let mut v: Vec<_> = findings.iter().map(|f| (f.rule, f.start, f.end)).collect();
        v.sort_unstable();
        v
    }

    fn a_fix() -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            description: "d".into(),
            edits: vec![],
        }
    }

    #[test]
    fn located_messages_carry_their_position_to_the_path() {
        let m = located(
            Position {
                line: 3,
                column: 14,
            },
            "invalid JSON: unterminated object",
        );
        assert_eq!(
            with_path("web/package.json", &m),
            "web/package.json:3:14: invalid JSON: unterminated object"
        );
        assert_eq!(
            with_path("a.js", "cannot read: 12:30 is not a time"),
            "a.js: cannot read: 12:30 is not a time"
        );
        assert_eq!(location("1:2:3 x"), None);
        assert_eq!(location(":1: x"), None);
    }

    #[test]
    fn a_finding_inside_another_findings_construct_is_merged_into_it() {
        // `{ sessionToken: tx.sessionToken }`: key 2..14 with the pair 2..31
        // as its construct, the read at 19..31.
        let mut key = finding(0, 2..14);
        key.construct = Some(2..31);
        let mut v = vec![finding(0, 19..31), key, finding(0, 40..52)];
        merge_same_construct(&mut v, |_| Severity::Error);
        assert_eq!(spans(&v), [(0, 2, 14), (0, 40, 52)]);
    }

    #[test]
    fn other_rules_and_findings_outside_stay() {
        let mut key = finding(0, 2..14);
        key.construct = Some(2..31);
        let mut v = vec![
            key,
            finding(1, 19..31),
            finding(0, 31..40),
            finding(0, 0..3),
        ];
        merge_same_construct(&mut v, |_| Severity::Error);
        assert_eq!(spans(&v), [(0, 0, 3), (0, 2, 14), (0, 31, 40), (1, 19, 31)]);
    }

    #[test]
    fn the_finding_with_the_fix_reports_the_group() {
        let mut key = finding(0, 2..14);
        key.construct = Some(2..40);
        let mut v = vec![
            key,
            finding(0, 30..35).fix(a_fix()),
            finding(0, 19..25).fix(a_fix()),
        ];
        merge_same_construct(&mut v, |_| Severity::Error);
        assert_eq!(spans(&v), [(0, 19, 25)]);
        assert!(v[0].fix.is_some());
        // The construct's own fix wins over a member's.
        let mut key = finding(0, 2..14).fix(a_fix());
        key.construct = Some(2..40);
        let mut v = vec![finding(0, 19..25).fix(a_fix()), key];
        merge_same_construct(&mut v, |_| Severity::Error);
        assert_eq!(spans(&v), [(0, 2, 14)]);
    }

    #[test]
    fn the_reported_finding_takes_the_worst_severity_of_its_group() {
        // A warning-level URL (`…?sessionToken=${tx.sessionToken}`) holding an
        // error-level read (the rule's own severity): one error.
        let mut url = finding(0, 2..40).severity(Severity::Warning);
        url.construct = Some(2..40);
        let mut v = vec![url.clone(), finding(0, 20..35)];
        merge_same_construct(&mut v, |_| Severity::Error);
        assert_eq!(spans(&v), [(0, 2, 40)]);
        assert_eq!(v[0].severity, Some(Severity::Error));
        // A rule whose own severity is a warning stays a warning.
        let mut v = vec![url, finding(0, 20..35)];
        merge_same_construct(&mut v, |_| Severity::Warning);
        assert_eq!(v[0].severity, Some(Severity::Warning));
    }

    #[test]
    fn nested_constructs_fold_into_the_outermost() {
        let mut outer = finding(0, 1..5);
        outer.construct = Some(1..50);
        let mut inner = finding(0, 10..14);
        inner.construct = Some(10..30);
        let mut v = vec![inner, finding(0, 20..25), outer, finding(0, 45..49)];
        merge_same_construct(&mut v, |_| Severity::Error);
        assert_eq!(spans(&v), [(0, 1, 5)]);
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
