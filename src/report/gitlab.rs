//! The `gitlab` format: a GitLab Code Quality report (the Code Climate
//! subset GitLab reads), for `artifacts: reports: codequality:`.
//!
//! GitLab matches findings between the base and head pipelines by
//! `fingerprint`, and drops duplicates, so every fingerprint is unique within
//! a report and stable when lines move (see [`super::fingerprint`]).
//! Severity: `error` → `major`, `warning` → `minor` (GitLab's scale is
//! info, minor, major, critical, blocker). `location.path` is the path
//! relative to the working directory, so run oie-lint from the repository
//! root in CI.

use super::fingerprint;
use super::Run;
use crate::diagnostic::Severity;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let mut issues: Vec<Issue> = run
        .diagnostics
        .iter()
        .zip(fingerprint::fingerprints(run))
        .map(|(d, fingerprint)| Issue {
            kind: "issue",
            check_name: d.code,
            description: format!("{} ({}): {}", d.code, d.name, d.message),
            categories: ["Compatibility"],
            severity: severity(d.severity),
            fingerprint,
            location: Location {
                path: &d.path,
                lines: Lines {
                    begin: d.start.line,
                    end: d.end.line,
                },
            },
        })
        .collect();
    // What could not be checked is an issue too: a failed run never reads
    // as a clean one.
    for (path, msg) in &run.errors {
        let (line, message) = match crate::diagnostic::location(msg) {
            Some((at, rest)) => (at.line.max(1), rest),
            None => (1, msg.as_str()),
        };
        let description = format!("could not be checked: {message}");
        issues.push(Issue {
            kind: "issue",
            check_name: super::json::ERROR_CODE,
            fingerprint: fingerprint::of_error(path, &description),
            description,
            categories: ["Compatibility"],
            severity: "blocker",
            location: Location {
                path,
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
        });
    }
    serde_json::to_writer_pretty(&mut *w, &issues)?;
    writeln!(w)
}
