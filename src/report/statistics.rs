//! `check --statistics`: counts per rule instead of findings (like ruff's).
//!
//! One row per rule that fired, most frequent first (then by code):
//! the code, the slug, the number of findings, how many `--fix` would fix
//! (safe fixes) and how many only `--unsafe-fixes` would. `full` and
//! `concise` print an aligned table; `json` an array of objects and
//! `json-lines` one object per line, with the fields
//! `code`, `name`, `count`, `fixable`, `unsafe_fixable`.

use super::{Format, Run};
use crate::diagnostic::Applicability;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RuleCount {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

/// Whether `--statistics` can be written in `format`.
pub fn supports(format: Format) -> bool {
    matches!(
        format,
        Format::Full | Format::Concise | Format::Json | Format::JsonLines
    )
}

pub fn collect(run: &Run) -> Vec<RuleCount> {
    let mut by_code: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for d in &run.diagnostics {
        let row = by_code.entry(d.code).or_insert(RuleCount {
            code: d.code,
            name: d.name,
            count: 0,
            fixable: 0,
            unsafe_fixable: 0,
        });
        row.count += 1;
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => row.fixable += 1,
            Some(Applicability::Unsafe) => row.unsafe_fixable += 1,
            None => {}
        }
    }
    let mut rows: Vec<_> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

pub fn render(format: Format, run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let rows = collect(run);
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, &rows)?;
            writeln!(w)
        }
        Format::JsonLines => rows.iter().try_for_each(|r| {
            serde_json::to_writer(&mut *w, r)?;
            writeln!(w)
        }),
        _ => table(&rows, w),
    }
}

fn table(rows: &[RuleCount], w: &mut dyn Write) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let name_w = rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0)
        .max("name".len());
    let code_w = rows
        .iter()
        .map(|r| r.code.len())
        .max()
        .unwrap_or(0)
        .max("code".len());
    writeln!(
        w,
        "{:<code_w$}  {:<name_w$}  {:>5}  {:>7}  {:>6}",
        "code", "name", "count", "fixable", "unsafe"
    )?;
    for r in rows {
        writeln!(
            w,
            "{:<code_w$}  {:<name_w$}  {:>5}  {:>7}  {:>6}",
            r.code, r.name, r.count, r.fixable, r.unsafe_fixable
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};

    fn diag(code: &'static str, fix: Option<Applicability>) -> Diagnostic {
        Diagnostic::for_test("a.js", code, Severity::Error, fix)
    }

    #[test]
    fn counts_per_rule_most_frequent_first_with_fix_kinds() {
        let run = Run {
            diagnostics: vec![
                diag("OIE001", None),
                diag("OIE002", Some(Applicability::Safe)),
                diag("OIE002", Some(Applicability::Unsafe)),
                diag("OIE002", Some(Applicability::Safe)),
                diag("OIE003", None),
            ],
            ..Run::default()
        };
        let rows = collect(&run);
        assert_eq!(
            rows.iter()
                .map(|r| (r.code, r.count, r.fixable, r.unsafe_fixable))
                .collect::<Vec<_>>(),
            [
                ("OIE002", 3, 2, 1),
                ("OIE001", 1, 0, 0),
                ("OIE003", 1, 0, 0)
            ]
        );
    }
}
