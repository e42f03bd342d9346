//! A baseline: today's findings recorded in a file checked into the
//! repository, so CI can be turned on now and the list burned down (the
//! workflow of ESLint's bulk suppressions and ruff's `--add-noqa`, without
//! touching the code).
//!
//! `check --write-baseline FILE` records every finding; `check --baseline
//! FILE` leaves out the findings the file records. A finding is matched by
//! rule, path and its edit-surviving fingerprint
//! ([`crate::report::fingerprint`]: the rule, the path, the finding's line
//! with whitespace collapsed and its occurrence number, never a line
//! number), so edits elsewhere in the file, moved lines and re-indentation
//! keep it baselined; changing the flagged line itself makes it new.

use crate::report::{fingerprint, Run};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The file format (version 1).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding. `line` and `message` are for the reader only.
#[derive(Debug, Serialize, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub path: String,
    pub fingerprint: String,
    pub line: usize,
    pub message: String,
}

/// The baseline for `run`'s findings, sorted (path, line, code).
pub fn from_run(run: &Run) -> Baseline {
    let prints = fingerprint::fingerprints(run);
    let mut findings: Vec<Entry> = run
        .diagnostics
        .iter()
        .zip(prints)
        .map(|(d, fingerprint)| Entry {
            code: d.code.to_string(),
            path: d.path.clone(),
            fingerprint,
            line: d.start.line,
            message: d.message.clone(),
        })
        .collect();
    findings.sort_by(|a, b| (&a.path, a.line, &a.code).cmp(&(&b.path, b.line, &b.code)));
    Baseline {
        version: 1,
        findings,
    }
}

/// Writes the baseline of `run` to `path` (atomically), as pretty JSON.
pub fn write(run: &Run, path: &Path) -> Result<usize, String> {
    let b = from_run(run);
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| e.to_string())?;
    text.push('\n');
    crate::report::output::write_atomic(path, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(b.findings.len())
}

/// Reads a baseline file. The error is one line naming the file.
pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not an oie-lint baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if b.version != 1 {
        return Err(format!(
            "{}: baseline version {} is not supported (this oie-lint writes version 1)",
            path.display(),
            b.version
        ));
    }
    Ok(b)
}

/// What applying a baseline did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings left out because the baseline records them.
    pub hidden: usize,
    /// Baseline entries no finding matched any more (fixed, or the line changed).
    pub stale: usize,
}

/// Removes from `run` the findings `baseline` records (matched by code,
/// path and fingerprint).
pub fn apply(run: &mut Run, baseline: &Baseline) -> Applied {
    let prints = fingerprint::fingerprints(run);
    let known: BTreeSet<(&str, &str, &str)> = baseline
        .findings
        .iter()
        .map(|e| (e.code.as_str(), e.path.as_str(), e.fingerprint.as_str()))
        .collect();
    let keep: Vec<bool> = run
        .diagnostics
        .iter()
        .zip(&prints)
        .map(|(d, p)| !known.contains(&(d.code, d.path.as_str(), p.as_str())))
        .collect();
    let matched: BTreeSet<(&str, &str, &str)> = run
        .diagnostics
        .iter()
        .zip(&prints)
        .zip(&keep)
        .filter(|(_, k)| !**k)
        .map(|((d, p), _)| (d.code, d.path.as_str(), p.as_str()))
        .collect();
    let applied = Applied {
        hidden: keep.iter().filter(|k| !**k).count(),
        stale: known.len() - matched.len(),
    };
    let mut it = keep.into_iter();
    run.diagnostics.retain(|_| it.next().unwrap_or(true));
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Position, Severity};

    fn diag(path: &str, line: usize, start: usize) -> Diagnostic {
        Diagnostic {
            code: "OIE002",
            name: "session-token",
            severity: Severity::Error,
            message: "m".into(),
            path: path.into(),
            start_byte: start,
            end_byte: start + 1,
            start: Position { line, column: 1 },
            end: Position { line, column: 2 },
            fix: None,
            no_fix: None,
        }
    }

    fn run_of(text: &str, lines: &[(usize, usize)]) -> Run {
        let mut run = Run::default();
        run.sources.insert("a.js".into(), text.into());
        run.diagnostics = lines.iter().map(|&(l, s)| diag("a.js", l, s)).collect();
        run
    }

    #[test]
    fn baselined_findings_survive_lines_added_above_and_new_ones_show() {
        let before = run_of("x.sessionToken;\n", &[(1, 2)]);
        let b = from_run(&before);
        assert_eq!(b.findings.len(), 1);
        // Two lines added above; the same line moved to line 3, plus a new finding.
        let mut after = run_of(
            "// new\n\ny.sessionToken;\nx.sessionToken;\n",
            &[(3, 10), (4, 26)],
        );
        let applied = apply(&mut after, &b);
        assert_eq!(
            applied,
            Applied {
                hidden: 1,
                stale: 0
            }
        );
        assert_eq!(after.diagnostics.len(), 1);
        assert_eq!(after.diagnostics[0].start.line, 3);
        // Fixed: the entry is stale.
        let mut fixed = run_of("ok;\n", &[]);
        assert_eq!(
            apply(&mut fixed, &b),
            Applied {
                hidden: 0,
                stale: 1
            }
        );
    }
}
