//! Inline SVG charts for the HTML report: no scripts, no external assets,
//! text labels on every bar (so they read in grey-scale print too), and a
//! `viewBox` so they scale to the page.
//!
//! Three charts: findings by rule and severity, apps by verdict, and the
//! Sign-In Widget versions in use against the version lines (the
//! configured minimum and recommended versions, and 7.0.0, where Identity
//! Engine became the widget's default).

use super::{Report, Verdict};
use crate::versions::parse_version;
use nodejs_semver::Version;
use std::collections::BTreeMap;
use std::fmt::Write;

const WIDTH: f32 = 560.0;
const LABEL: f32 = 210.0;
const ROW: f32 = 24.0;
const BAR: f32 = 16.0;
const TOP: f32 = 8.0;
/// Width of the column for the labels of version lines.
const LEGEND: f32 = 150.0;
/// Rules shown in the rule chart; the rest are summed into one row.
const MAX_RULES: usize = 15;

pub const ERROR: &str = "#cf222e";
pub const WARNING: &str = "#bf8700";
pub const READY: &str = "#1a7f37";
pub const INFO: &str = "#0969da";

struct Row {
    label: String,
    /// (value, colour, what it counts)
    parts: Vec<(usize, &'static str, &'static str)>,
}

/// A line between rows: (rows above it, label).
type Rule = (usize, String);

fn esc(s: &str) -> String {
    super::markup::escape(s)
}

/// Shortens a label to `n` characters (the full text stays in `<title>`).
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn bars(title: &str, id: &str, rows: &[Row], rules: &[Rule], empty: &str) -> String {
    let mut s = String::new();
    if rows.is_empty() {
        let _ = write!(
            s,
            "<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {WIDTH} 40\" width=\"{WIDTH}\" height=\"40\"><title>{t}</title><text x=\"0\" y=\"24\" class=\"muted\">{e}</text></svg>",
            t = esc(title),
            e = esc(empty)
        );
        return s;
    }
    let max = rows
        .iter()
        .map(|r| r.parts.iter().map(|p| p.0).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    // Line labels get a column of their own, right of the bars.
    let legend = if rules.is_empty() { 0.0 } else { LEGEND };
    let area = WIDTH - LABEL - 50.0 - legend;
    let height = TOP * 2.0 + ROW * rows.len() as f32 + if rules.is_empty() { 0.0 } else { 24.0 };
    let _ = write!(
        s,
        "<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\"><title>{t}</title>",
        t = esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f32;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{l}<title>{full}</title></text>",
            x = LABEL - 6.0,
            ty = y + BAR - 3.0,
            l = esc(&clip(&r.label, 30)),
            full = esc(&r.label)
        );
        let mut x = LABEL;
        let total: usize = r.parts.iter().map(|p| p.0).sum();
        for &(v, colour, what) in &r.parts {
            if v == 0 {
                continue;
            }
            let w = (v as f32 / max as f32 * area).max(2.0);
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"{colour}\"><title>{l}: {v} {what}</title></rect>",
                l = esc(&r.label)
            );
            x += w;
        }
        let _ = write!(
            s,
            "<text x=\"{tx:.1}\" y=\"{ty}\">{total}</text>",
            tx = x + 4.0,
            ty = y + BAR - 3.0
        );
    }
    let mut stacked: Vec<usize> = Vec::new();
    for (above, label) in rules {
        let y = TOP + ROW * *above as f32 - (ROW - BAR) / 2.0;
        // Several lines in one gap: labels stack downwards.
        let k = stacked.iter().filter(|a| *a == above).count();
        stacked.push(*above);
        let _ = write!(
            s,
            "<line x1=\"0\" y1=\"{y:.1}\" x2=\"{x2:.1}\" y2=\"{y:.1}\" stroke=\"#57606a\" stroke-dasharray=\"4 3\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"line-label\">{l}</text>",
            x2 = WIDTH - LEGEND + 4.0,
            tx = WIDTH - LEGEND + 8.0,
            ty = y + 4.0 + 12.0 * k as f32,
            l = esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Findings by rule, errors and warnings stacked, most first.
pub fn rules(r: &Report) -> String {
    let mut rows: Vec<Row> = r
        .rules
        .iter()
        .take(MAX_RULES)
        .map(|x| Row {
            label: format!("{} {}", x.code, x.name),
            parts: vec![
                (x.errors, ERROR, "errors"),
                (x.warnings, WARNING, "warnings"),
            ],
        })
        .collect();
    if r.rules.len() > MAX_RULES {
        let rest = &r.rules[MAX_RULES..];
        rows.push(Row {
            label: format!("{} other rules", rest.len()),
            parts: vec![
                (rest.iter().map(|x| x.errors).sum(), ERROR, "errors"),
                (rest.iter().map(|x| x.warnings).sum(), WARNING, "warnings"),
            ],
        });
    }
    bars(
        "Findings by rule and severity (red: errors, amber: warnings)",
        "chart-rules",
        &rows,
        &[],
        "No findings.",
    )
}

/// Apps by verdict.
pub fn verdicts(r: &Report) -> String {
    let s = &r.summary;
    let rows = if s.apps == 0 {
        Vec::new()
    } else {
        vec![
            Row {
                label: Verdict::Blocked.label().into(),
                parts: vec![(s.apps_blocked, ERROR, "apps")],
            },
            Row {
                label: Verdict::NeedsReview.label().into(),
                parts: vec![(s.apps_needs_review, WARNING, "apps")],
            },
            Row {
                label: Verdict::Ready.label().into(),
                parts: vec![(s.apps_ready, READY, "apps")],
            },
        ]
    };
    bars("Apps by verdict", "chart-verdicts", &rows, &[], "No apps.")
}

/// Apps per exact Sign-In Widget version, oldest first (each app counted
/// once per version it uses): the table under the chart.
pub fn exact_widget_versions(r: &Report) -> Vec<(Version, usize)> {
    let mut per: BTreeMap<Version, usize> = BTreeMap::new();
    for a in &r.apps {
        for v in &a.widget_versions {
            if let Some(v) = parse_version(v) {
                *per.entry(v).or_insert(0) += 1;
            }
        }
    }
    per.into_iter().collect()
}

/// The colour of a version against the lines: red below the minimum,
/// amber below the recommended version, blue below 7.0.0, else green.
pub fn version_colour(r: &Report, v: &Version) -> &'static str {
    let min = parse_version(&r.config.min_widget_version);
    let rec = parse_version(&r.config.recommended_widget_version);
    if min.as_ref().is_some_and(|m| v < m) {
        ERROR
    } else if rec.as_ref().is_some_and(|m| v < m) {
        WARNING
    } else if v.major() < 7 {
        INFO
    } else {
        READY
    }
}

/// Apps per Sign-In Widget release line (major.minor: `5.9.x`), oldest
/// first, with dashed lines where the minimum, recommended and 7.0.0 lines
/// fall. One bar per line, not per patch release, so the chart stays short
/// however many patch versions are in use; each bar has the colour of the
/// oldest version in it (exact versions are in the table under the chart).
pub fn widget_versions(r: &Report) -> String {
    let min = parse_version(&r.config.min_widget_version);
    let rec = parse_version(&r.config.recommended_widget_version);
    let seven = Version::parse("7.0.0").expect("literal");
    // (major, minor) -> (apps, oldest version); an app counts once per line.
    let mut per: BTreeMap<(u64, u64), (usize, Version)> = BTreeMap::new();
    for a in &r.apps {
        let mut lines: Vec<(u64, u64)> = Vec::new();
        for v in &a.widget_versions {
            let Some(v) = parse_version(v) else { continue };
            let key = (v.major(), v.minor());
            let e = per.entry(key).or_insert_with(|| (0, v.clone()));
            if v < e.1 {
                e.1 = v.clone();
            }
            if !lines.contains(&key) {
                lines.push(key);
                e.0 += 1;
            }
        }
    }
    let rows: Vec<Row> = per
        .iter()
        .map(|(&(major, minor), (n, oldest))| Row {
            label: format!("{major}.{minor}.x"),
            parts: vec![(
                *n,
                version_colour(r, oldest),
                if *n == 1 { "app" } else { "apps" },
            )],
        })
        .collect();
    let mut lines: Vec<Rule> = Vec::new();
    let mut line = |at: &Version, what: &str| {
        let above = per
            .iter()
            .filter(|(&k, (_, oldest))| {
                k < (at.major(), at.minor()) || (k == (at.major(), at.minor()) && oldest < at)
            })
            .count();
        lines.push((above, format!("{at} {what}")));
    };
    if let Some(m) = &min {
        line(m, "minimum");
    }
    if let Some(m) = &rec {
        line(m, "recommended");
    }
    line(&seven, "OIE by default");
    lines.sort();
    bars(
        "Apps per Sign-In Widget release line (major.minor) against the minimum, recommended and 7.0.0 lines",
        "chart-widget",
        &rows,
        &lines,
        "No exact Sign-In Widget version found.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_and_escape() {
        let rows = vec![
            Row {
                label: "a<b".into(),
                parts: vec![(4, ERROR, "errors"), (2, WARNING, "warnings")],
            },
            Row {
                label: "c".into(),
                parts: vec![(0, ERROR, "errors"), (3, WARNING, "warnings")],
            },
        ];
        let svg = bars("T", "x", &rows, &[(1, "5.2.0 minimum".into())], "none");
        assert!(svg.starts_with("<svg class=\"chart\" id=\"x\""));
        assert!(svg.contains("a&lt;b"));
        assert_eq!(svg.matches("<rect").count(), 3, "zero parts draw nothing");
        assert!(svg.contains("<line"));
        assert!(svg.contains(">6</text>"));
        let empty = bars("T", "y", &[], &[], "none");
        assert!(empty.contains(">none</text>"));
        assert!(!empty.contains("<rect"));
    }

    #[test]
    fn long_labels_are_clipped() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }
}
