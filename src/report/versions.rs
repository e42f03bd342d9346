//! The widget-version inventory as text: the table of `oie-lint versions`,
//! its Markdown form (also used by the audit) and the one-line summary.

use super::plural;
use crate::versions::inventory::{Status, Use};
use std::io::Write;

/// "5 Okta package uses in 3 files: 1 blocking, 1 warning, 2 ready, 1 unknown."
pub fn summary(uses: &[Use]) -> String {
    if uses.is_empty() {
        return "No Okta package uses found.".into();
    }
    let files: std::collections::BTreeSet<&str> = uses.iter().map(|u| u.path.as_str()).collect();
    let n = |s: Status| uses.iter().filter(|u| u.counted() == Some(s)).count();
    let suppressed = uses.iter().filter(|u| u.counted().is_none()).count();
    let noun = if uses.len() == 1 { "use" } else { "uses" };
    format!(
        "{} Okta package {noun} in {}: {} blocking, {} warning, {} ready, {} unknown{}.",
        uses.len(),
        plural(files.len(), "file"),
        n(Status::Blocking),
        n(Status::Warning),
        n(Status::Ready),
        n(Status::Unknown),
        if suppressed > 0 {
            format!(", {suppressed} suppressed")
        } else {
            String::new()
        }
    )
}

pub fn cells(u: &Use) -> [String; 7] {
    [
        u.package.clone(),
        u.spec.clone().unwrap_or_else(|| "-".into()),
        u.resolved.clone().unwrap_or_else(|| "-".into()),
        u.resolved_from.clone().unwrap_or_else(|| "-".into()),
        format!("{}:{}", u.path, u.line),
        plural(u.governs.len(), "file"),
        if u.suppressed {
            format!("{} (suppressed)", u.status.as_str())
        } else {
            u.status.as_str().to_string()
        },
    ]
}

pub const HEADERS: [&str; 7] = [
    "PACKAGE", "SPEC", "RESOLVED", "FROM", "WHERE", "GOVERNS", "STATUS",
];

/// An aligned plain-text table.
pub fn render_table(uses: &[Use], w: &mut dyn Write) -> std::io::Result<()> {
    if uses.is_empty() {
        return Ok(());
    }
    let rows: Vec<[String; 7]> = uses.iter().map(cells).collect();
    let mut widths = HEADERS.map(|h| h.len());
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cols: &[String]| {
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<width$}  ", width = widths[i]));
            }
        }
        s
    };
    writeln!(w, "{}", line(&HEADERS.map(String::from)))?;
    for r in &rows {
        writeln!(w, "{}", line(r))?;
    }
    writeln!(w)
}

/// A GitHub-flavoured Markdown table (pipes in cells escaped).
pub fn render_markdown(uses: &[Use], w: &mut dyn Write) -> std::io::Result<()> {
    let esc = |s: &str| s.replace('|', "\\|");
    writeln!(
        w,
        "| Package | Spec | Resolved | From | Where | Governs | Status |"
    )?;
    writeln!(w, "|---|---|---|---|---|---|---|")?;
    for u in uses {
        let c = cells(u);
        writeln!(
            w,
            "| `{}` | `{}` | {} | {} | `{}` | {} | {} |",
            esc(&c[0]),
            esc(&c[1]),
            esc(&c[2]),
            esc(&c[3]),
            esc(&c[4]),
            c[5],
            c[6]
        )?;
    }
    Ok(())
}
