//! The audit report as one self-contained HTML file.
//!
//! Laid out for the person who has to act on it: the verdict and the
//! one-sentence answer first, a table of contents, the status board (one
//! row per app, worst first), three inline SVG charts ([`charts`]), then
//! the details, each app in a `<details>` element with its findings in
//! collapsed pages of 250 so that a report of 30,000 findings still opens
//! on a short page. Cells wrap anywhere, so nothing is wider than the
//! page at 1280 px.
//!
//! Inline CSS only: no scripts, no images, no fonts, no stylesheets to
//! fetch; a Content-Security-Policy meta tag forbids loading anything else
//! (the links to the Okta docs are plain `<a href>` for the reader). Every
//! value from the repository (paths, messages, specs) goes through
//! [`escape`].

use super::charts;
use super::{App, BaselineDiff, Finding, FixKind, Report, State, Verdict};
use crate::report::plural;
use crate::versions::inventory::Use;
use std::io::{self, Write};

/// Escapes `s` and turns its Markdown code spans (`` `x` ``) into `<code>`:
/// labels shared with the Markdown renderer are written that way.
fn code_spans(s: &str) -> String {
    escape(s)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

use super::markup::escape;

/// The checklist's tiny markup (`code`, **bold**) as HTML, escaped first.
fn inline(s: &str) -> String {
    let escaped = escape(s);
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            for (j, p) in part.split("**").enumerate() {
                if j % 2 == 1 {
                    out.push_str("<strong>");
                    out.push_str(p);
                    out.push_str("</strong>");
                } else {
                    out.push_str(p);
                }
            }
        }
    }
    out
}

const STYLE: &str = "*,*::before,*::after{box-sizing:border-box}\
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;max-width:76rem;padding:0 1rem;color:#1f2328;line-height:1.45}\
h1{font-size:1.7rem;margin:.2rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}h3{display:inline;font-size:1.05rem}\
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}\
th{background:#f6f8fa}td.n,th.n{text-align:right}td.n{white-space:nowrap}\
.clip{display:block;max-width:12rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}code.root{font-size:75%}ul.paths{columns:2 18rem;margin:.3rem 0}\
@media (max-width:40rem){body{padding:0 .5rem;margin:.8rem auto}th,td{padding:.15rem .25rem;font-size:.8rem;overflow-wrap:anywhere}td.n{white-space:normal}.clip{max-width:16rem}h1{font-size:1.35rem}.headline code{white-space:normal}\
table.board,table.board tbody,table.board tr,table.board td{display:block}table.board tr:first-child{display:none}\
table.board tr{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.2rem}table.board td{border:0}table.board td.n{text-align:left}\
table.board td:nth-child(3)::before{content:\"Errors: \"}table.board td:nth-child(4)::before{content:\"Warnings: \"}table.board td:nth-child(5)::before{content:\"Fixable: \"}\
table.board td:nth-child(7)::before{content:\"Widget: \"}table.board td:nth-child(8)::before{content:\"Deployment: \"}table.board td:nth-child(9)::before{content:\"Repository: \"}}code{background:#f6f8fa;padding:.05rem .25rem;border-radius:4px;font-size:88%;overflow-wrap:anywhere}\
td.m{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:85%;overflow-wrap:anywhere}table.kv{width:auto;max-width:100%}table.kv td.n{white-space:normal}\
.verdict{font-size:1.15rem;font-weight:600;padding:.5rem .9rem;border-radius:6px;display:inline-block;margin:.4rem 0}\
.headline{font-size:1.1rem;margin:.3rem 0 .6rem}.headline code{white-space:nowrap}.meta{color:#57606a;margin:.2rem 0}\
.incomplete{background:#ffebe9;border:1px solid #cf222e;color:#82071e;padding:.5rem .9rem;border-radius:6px;font-weight:600}\
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85rem;font-weight:600;white-space:nowrap}\
.blocked{background:#ffebe9;color:#82071e}.needs-review{background:#fff8c5;color:#633c01}.ready{background:#dafbe1;color:#116329}\
.error{color:#cf222e;font-weight:600}.warning{color:#9a6700;font-weight:600}\
.blocking{color:#cf222e;font-weight:600}.unknown{color:#57606a}.new{color:#cf222e;font-weight:600}.fixed{color:#1a7f37;font-weight:600}\
.chips{display:flex;flex-wrap:wrap;gap:.2rem}.chips span{background:#eaeef2;border-radius:4px;padding:0 .3rem;font-size:.85rem;white-space:nowrap}\
nav#toc ol{columns:3 14rem;margin:.3rem 0}nav#toc li{break-inside:avoid}\
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{margin:0;flex:1 1 30rem;min-width:0;border:1px solid #d0d7de;border-radius:6px;padding:.5rem}\
figcaption{font-weight:600;margin-bottom:.3rem}svg.chart{max-width:100%;height:auto;font-size:12px;fill:#1f2328}\
svg .muted{fill:#57606a}svg .line-label{fill:#57606a;font-size:11px}\
details{margin:.4rem 0}details>summary{cursor:pointer}details.app{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .7rem}\
details.app[open]>summary{margin-bottom:.4rem}\
ul.checklist{list-style:none;padding-left:0;overflow-wrap:anywhere}ul.checklist li{margin:.8rem 0}\
@media print{nav#toc{display:none}body{max-width:none;margin:0}svg.chart,.badge,.blocked,.needs-review,.ready{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
details::details-content{content-visibility:visible;display:contents}details>summary{list-style:none}h2{break-after:avoid}tr,figure{break-inside:avoid}}";

/// Findings per collapsed page of an app's list.
const PAGE: usize = 250;
/// Apps shown on the status board before the rest is collapsed.
const BOARD_OPEN: usize = 50;
/// Audited paths listed in the header; more are counted, and listed in a
/// collapsed list.
const MAX_INLINE_PATHS: usize = 10;

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Blocked => "blocked",
        Verdict::NeedsReview => "needs-review",
        Verdict::Ready => "ready",
    }
}

fn badge(v: Verdict) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        verdict_class(v),
        escape(v.label())
    )
}

fn chips(by_rule: &std::collections::BTreeMap<String, usize>) -> String {
    if by_rule.is_empty() {
        return "-".into();
    }
    let mut v: Vec<(&String, &usize)> = by_rule.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let items: Vec<String> = v
        .iter()
        .map(|(c, n)| format!("<span>{} &times;{n}</span>", escape(c)))
        .collect();
    format!("<div class=\"chips\">{}</div>", items.join(""))
}

fn packages_table(w: &mut dyn Write, uses: &[Use]) -> io::Result<()> {
    writeln!(w, "<table>\n<tr><th>Package</th><th>Spec</th><th>Resolved</th><th>Where</th><th>Governs</th><th>Status</th><th>Why</th></tr>")?;
    for u in uses {
        let resolved = match (&u.resolved, &u.resolved_from) {
            (Some(v), Some(f)) => format!("{} <small>({})</small>", escape(v), escape(f)),
            (Some(v), None) => escape(v),
            _ => "-".into(),
        };
        write!(
            w,
            "<tr><td class=\"m\">{}</td><td class=\"m\">{}</td><td>{resolved}</td><td class=\"m\">{}:{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            escape(&u.package),
            u.spec.as_deref().map(escape).unwrap_or_else(|| "-".into()),
            escape(&u.path),
            u.line,
            u.governs.len(),
            // Grey, not red: the team has acknowledged it.
            if u.suppressed { "unknown" } else { u.status.as_str() },
            if u.suppressed { format!("{} (suppressed)", u.status.as_str()) } else { u.status.as_str().to_string() },
            code_spans(&u.reason)
        )?;
    }
    writeln!(w, "\n</table>")
}

fn findings_table(w: &mut dyn Write, findings: &[Finding], baseline: bool) -> io::Result<()> {
    write!(w, "<table>\n<tr><th>Where</th><th>Rule</th><th>Severity</th><th>Message</th><th>Fix</th><th>Command</th>")?;
    if baseline {
        write!(w, "<th>Since baseline</th>")?;
    }
    writeln!(w, "</tr>")?;
    for f in findings {
        let fix = match f.fix {
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::None => "none",
        };
        let fix = match &f.fix_description {
            Some(d) if !d.is_empty() => format!("{fix}: {}", code_spans(d)),
            _ => fix.to_string(),
        };
        let cmd = f
            .command
            .as_deref()
            .map(|c| format!("<td class=\"m\">{}</td>", escape(c)))
            .unwrap_or_else(|| "<td>manual</td>".into());
        // One element per cell where it can be (monospace by class, not a
        // <code> inside): a merged report has tens of thousands of rows.
        write!(
            w,
            "<tr class=\"f\"><td class=\"m\">{}:{}:{}</td><td class=\"m\">{} {}</td><td class=\"{}\">{}</td><td>{}</td><td>{fix}</td>{cmd}",
            escape(&f.path),
            f.line,
            f.column,
            escape(&f.code),
            escape(&f.name),
            f.severity.as_str(),
            f.severity.as_str(),
            code_spans(&f.message),
        )?;
        if baseline {
            let state = match f.baseline {
                Some(State::New) => "<span class=\"new\">new</span>",
                Some(State::Remaining) => "remaining",
                None => "-",
            };
            write!(w, "<td>{state}</td>")?;
        }
        // No newline between rows: each would be one more text node.
        write!(w, "</tr>")?;
    }
    writeln!(w, "\n</table>")
}

fn app_section(w: &mut dyn Write, a: &App, baseline: bool) -> io::Result<()> {
    let c = &a.counts;
    writeln!(
        w,
        "<details class=\"app\" id=\"{}\">\n<summary><h3>{}</h3> {} <code>{}</code>: {}, {} ({} safe fixes, {} unsafe)</summary>",
        escape(&a.id),
        escape(&a.name),
        badge(a.verdict),
        escape(&a.root),
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        c.fixable,
        c.unsafe_fixable
    )?;
    let mut facts = vec![format!("{} ({})", a.kind.label(), plural(a.files, "file"))];
    if let Some(ws) = &a.workspace {
        facts.push(format!("in workspace <code>{}</code>", escape(ws)));
    }
    if let Some(r) = &a.repository {
        facts.push(format!("repository {}", escape(r)));
    }
    if !a.deployment.is_empty() {
        let d: Vec<&str> = a.deployment.iter().map(|d| d.label()).collect();
        facts.push(d.join(", "));
    }
    if !a.widget_versions.is_empty() {
        facts.push(format!(
            "widget {}",
            a.widget_versions
                .iter()
                .map(|v| format!("<code>{}</code>", escape(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(p) = &a.progress {
        facts.push(format!(
            "since the baseline: <span class=\"fixed\">{} fixed</span>, <span class=\"new\">{} new</span>, {} remaining",
            p.fixed, p.new, p.remaining
        ));
    }
    writeln!(w, "<p>{}.</p>", facts.join("; "))?;
    if !a.packages.is_empty() {
        writeln!(w, "<h4>Okta packages</h4>")?;
        packages_table(w, &a.packages)?;
    }
    if !a.hosted_pages.is_empty() || !a.embedded_widgets.is_empty() {
        let list = |v: &[String]| {
            v.iter()
                .map(|p| format!("<code>{}</code>", escape(p)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !a.hosted_pages.is_empty() {
            writeln!(
                w,
                "<p>Okta-hosted templates: {}.</p>",
                list(&a.hosted_pages)
            )?;
        }
        if !a.embedded_widgets.is_empty() {
            writeln!(w, "<p>Embedded widgets: {}.</p>", list(&a.embedded_widgets))?;
        }
    }
    if a.findings.is_empty() {
        writeln!(w, "<p>No findings.</p>")?;
    } else if a.findings.len() <= PAGE {
        writeln!(w, "<h4>Findings ({})</h4>", a.findings.len())?;
        findings_table(w, &a.findings, baseline)?;
    } else {
        writeln!(
            w,
            "<h4>Findings ({}, in pages of {PAGE})</h4>",
            a.findings.len()
        )?;
        for (i, chunk) in a.findings.chunks(PAGE).enumerate() {
            let first = &chunk[0];
            let last = &chunk[chunk.len() - 1];
            writeln!(
                w,
                "<details><summary>Findings {}&ndash;{}: <code>{}:{}</code> to <code>{}:{}</code></summary>",
                i * PAGE + 1,
                i * PAGE + chunk.len(),
                escape(&first.path),
                first.line,
                escape(&last.path),
                last.line
            )?;
            findings_table(w, chunk, baseline)?;
            writeln!(w, "</details>")?;
        }
    }
    writeln!(w, "</details>")
}

fn board(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(w, "<section id=\"board\">\n<h2>Status board</h2>")?;
    if r.apps.is_empty() {
        return writeln!(w, "<p>No files were audited.</p>\n</section>");
    }
    writeln!(w, "<p>One row per app, worst first. Fixable: findings <code>oie-lint check --fix</code> resolves, then those only <code>--unsafe-fixes</code> does.</p>")?;
    let head = "<table class=\"board\">\n<tr><th>App</th><th>Verdict</th><th class=\"n\">Errors</th><th class=\"n\">Warnings</th><th class=\"n\">Fixable</th><th>Rules</th><th>Widget</th><th>Deployment</th><th>Repository</th></tr>";
    writeln!(w, "{head}")?;
    for (i, a) in r.apps.iter().enumerate() {
        if i == BOARD_OPEN {
            writeln!(
                w,
                "\n</table>\n<details><summary>{} more apps</summary>\n{head}",
                r.apps.len() - BOARD_OPEN
            )?;
        }
        let c = &a.counts;
        let pk = if c.packages_blocking + c.packages_warning > 0 {
            format!(
                "<br><small>{} blocking, {} warning package uses</small>",
                c.packages_blocking, c.packages_warning
            )
        } else {
            String::new()
        };
        let widget = if a.widget_versions.is_empty() {
            "-".to_string()
        } else {
            a.widget_versions
                .iter()
                .map(|v| format!("<code>{}</code>", escape(v)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let dep: Vec<&str> = a.deployment.iter().map(|d| d.label()).collect();
        write!(
            w,
            "<tr><td><a href=\"#{}\" class=\"clip\" title=\"{name}\">{name}</a><code class=\"clip root\" title=\"{root}\">{root}</code></td><td>{}{pk}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} + {}</td><td>{}</td><td>{widget}</td><td>{}</td><td>{}</td></tr>",
            escape(&a.id),
            badge(a.verdict),
            c.errors,
            c.warnings,
            c.fixable,
            c.unsafe_fixable,
            chips(&a.by_rule),
            if dep.is_empty() { "-".into() } else { escape(&dep.join(", ")) },
            a.repository
                .as_deref()
                .map(|n| format!("<span class=\"clip\" title=\"{0}\">{0}</span>", escape(n)))
                .unwrap_or_else(|| "-".into()),
            name = escape(&a.name),
            root = escape(&a.root),
        )?;
    }
    writeln!(w, "\n</table>")?;
    if r.apps.len() > BOARD_OPEN {
        writeln!(w, "</details>")?;
    }
    writeln!(w, "</section>")
}

fn progress(w: &mut dyn Write, d: &BaselineDiff) -> io::Result<()> {
    writeln!(
        w,
        "<section id=\"progress\">\n<h2>Progress since the baseline</h2>"
    )?;
    let from = d
        .repositories
        .iter()
        .filter_map(|r| {
            r.commit
                .as_ref()
                .map(|c| format!("{} at <code>{}</code>", escape(&r.name), escape(short(c))))
        })
        .collect::<Vec<_>>();
    writeln!(
        w,
        "<p>Compared with <code>{}</code>{}{}: <span class=\"fixed\">{} fixed</span>, <span class=\"new\">{} new</span>, {} remaining.</p>",
        escape(&d.file),
        d.tool_version
            .as_deref()
            .map(|v| format!(" (oie-lint {})", escape(v)))
            .unwrap_or_default(),
        if from.is_empty() {
            String::new()
        } else {
            format!(", {}", from.join(", "))
        },
        d.total.fixed,
        d.total.new,
        d.total.remaining
    )?;
    if !d.apps.is_empty() {
        writeln!(w, "<table>\n<tr><th>App</th><th class=\"n\">Fixed</th><th class=\"n\">New</th><th class=\"n\">Remaining</th></tr>")?;
        for a in &d.apps {
            let name = match &a.id {
                Some(id) => format!("<a href=\"#{}\">{}</a>", escape(id), escape(&a.name)),
                None => format!("{} (gone)", escape(&a.name)),
            };
            writeln!(
                w,
                "<tr><td>{name} <small><code>{}</code></small></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&a.root),
                a.progress.fixed,
                a.progress.new,
                a.progress.remaining
            )?;
        }
        writeln!(
            w,
            "<tr><th>Total</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>\n</table>",
            d.total.fixed, d.total.new, d.total.remaining
        )?;
    }
    if !d.fixed.is_empty() {
        writeln!(
            w,
            "<details><summary>The {} fixed findings</summary>\n<table>\n<tr><th>Where (then)</th><th>Rule</th><th>Severity</th><th>Message</th></tr>",
            d.fixed.len()
        )?;
        for f in &d.fixed {
            writeln!(
                w,
                "<tr><td><code>{}:{}</code></td><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}</td></tr>",
                escape(&f.path),
                f.line,
                escape(&f.code),
                f.severity.as_str(),
                f.severity.as_str(),
                code_spans(&f.message)
            )?;
        }
        writeln!(w, "</table>\n</details>")?;
    }
    writeln!(w, "</section>")
}

/// The reports a merge read, each with its repository's folder, branch,
/// commit and date (one table: a merge of 1,000 reports repeats nothing).
fn sources(
    w: &mut dyn Write,
    sources: &[super::merge::Source],
    repos: &std::collections::HashMap<&str, &super::Repository>,
) -> io::Result<()> {
    writeln!(
        w,
        "<details><summary>Merged from {}: file, repository, folder, branch, commit, date, oie-lint version</summary>\n<table>\n<tr><th>Report</th><th>Repository</th><th>Folder</th><th>Branch</th><th>Commit</th><th>Date</th><th>oie-lint</th></tr>",
        plural(sources.len(), "report")
    )?;
    let opt = |v: Option<&str>| v.map(escape).unwrap_or_else(|| "-".into());
    for s in sources {
        let repo = s.repository.as_deref().and_then(|n| repos.get(n));
        write!(
            w,
            "<tr><td class=\"m\">{}</td><td>{}</td><td class=\"m\">{}</td><td>{}</td><td class=\"m\" title=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&s.file),
            opt(s.repository.as_deref()),
            opt(repo.map(|r| r.root.as_str())),
            opt(repo.and_then(|r| r.branch.as_deref())),
            opt(s.commit.as_deref()),
            opt(s.commit.as_deref().map(short)),
            opt(s.date.as_deref()),
            escape(&s.tool_version)
        )?;
    }
    writeln!(w, "\n</table>\n</details>")
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

pub fn render(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let s = &r.summary;
    writeln!(w, "<!DOCTYPE html>")?;
    writeln!(w, "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(
        w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    )?;
    writeln!(
        w,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(w, "<title>Okta Identity Engine migration readiness</title>")?;
    writeln!(w, "<style>{STYLE}</style>\n</head>\n<body>")?;
    writeln!(
        w,
        "<header>\n<h1>Okta Identity Engine migration readiness</h1>"
    )?;
    let paths: Vec<String> = r
        .paths
        .iter()
        .map(|p| format!("<code>{}</code>", escape(p)))
        .collect();
    let config = match &r.config_file {
        Some(c) => format!("config <code>{}</code>", escape(c)),
        None => "no config file".into(),
    };
    // Beyond ten paths: a count here, the list in a <details> below.
    let audited = if paths.len() > MAX_INLINE_PATHS {
        plural(paths.len(), "path")
    } else {
        paths.join(", ")
    };
    let merged = if r.sources.is_empty() {
        String::new()
    } else {
        format!(" (merged from {})", plural(r.sources.len(), "report"))
    };
    writeln!(
        w,
        "<p class=\"meta\">Audited {audited}{merged} with {} {} ({config}){}.</p>",
        escape(&r.tool.name),
        escape(&r.tool.version),
        if r.repositories.is_empty() {
            String::new()
        } else {
            format!(
                "; {}, see <a href=\"#provenance\">where this came from</a>",
                plural(r.repositories.len(), "repository").replace("repositorys", "repositories")
            )
        }
    )?;
    if paths.len() > MAX_INLINE_PATHS {
        writeln!(
            w,
            "<details class=\"paths\"><summary>The {} audited paths</summary>\n<ul class=\"paths\">",
            paths.len()
        )?;
        for (p, raw) in paths.iter().zip(&r.paths) {
            writeln!(w, "<li title=\"{}\">{p}</li>", escape(raw))?;
        }
        writeln!(w, "</ul>\n</details>")?;
    }
    if let Some(text) = super::incomplete(r) {
        writeln!(
            w,
            "<p class=\"incomplete\" role=\"alert\">{}</p>",
            code_spans(&text)
        )?;
    }
    writeln!(
        w,
        "<p class=\"verdict {}\">{}</p>\n<p class=\"headline\">{}</p>\n</header>",
        verdict_class(s.verdict),
        escape(s.verdict.label()),
        code_spans(&super::headline(r))
    )?;

    // The sections both renderers write, in order (HTML has the charts).
    let toc: Vec<(&str, String)> = super::sections(r, true)
        .into_iter()
        .map(|(id, title)| match id {
            "board" => (id, format!("{title} ({})", plural(r.apps.len(), "app"))),
            _ => (id, title.to_string()),
        })
        .collect();
    writeln!(
        w,
        "<nav id=\"toc\" aria-label=\"Contents\">\n<strong>Contents</strong>\n<ol>"
    )?;
    for (id, label) in &toc {
        writeln!(w, "<li><a href=\"#{id}\">{}</a></li>", escape(label))?;
    }
    writeln!(w, "</ol>\n</nav>")?;

    board(w, r)?;

    writeln!(
        w,
        "<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">"
    )?;
    let exact = charts::exact_widget_versions(r);
    let versions_table = if exact.is_empty() {
        String::new()
    } else {
        let mut t = format!(
            "<details class=\"exact\"><summary>Exact versions ({})</summary>\n<table>\n<tr><th>Version</th><th class=\"n\">Apps</th></tr>\n",
            exact.len()
        );
        for (v, n) in &exact {
            let class = match charts::version_colour(r, v) {
                charts::ERROR => " class=\"blocking\"",
                charts::WARNING => " class=\"warning\"",
                _ => "",
            };
            t.push_str(&format!(
                "<tr><td{class}><code>{}</code></td><td class=\"n\">{n}</td></tr>\n",
                escape(&v.to_string())
            ));
        }
        t.push_str("</table>\n</details>");
        t
    };
    for (caption, svg, below) in [
        (
            "Findings by rule and severity",
            charts::rules(r),
            String::new(),
        ),
        ("Apps by verdict", charts::verdicts(r), String::new()),
        (
            "Sign-In Widget versions in use, by release line",
            charts::widget_versions(r),
            versions_table,
        ),
    ] {
        writeln!(
            w,
            "<figure><figcaption>{caption}</figcaption>{svg}{below}</figure>"
        )?;
    }
    writeln!(w, "</div>\n</section>")?;

    if let Some(d) = &r.baseline {
        progress(w, d)?;
    }

    super::document::totals(r).html(w)?;
    super::document::rules(r).html(w)?;

    writeln!(w, "<section id=\"apps\">\n<h2>Every finding, per app</h2>")?;
    writeln!(w, "<p>Each app opens to its packages (with the reason for each status), its pages and every finding with the fix available and the command that applies it (run from the folder the audit ran in; <code>--diff</code> instead of <code>--fix</code> previews it).</p>")?;
    for a in &r.apps {
        app_section(w, a, r.baseline.is_some())?;
    }
    writeln!(w, "</section>")?;

    writeln!(
        w,
        "<section id=\"packages\">\n<h2>Okta packages and versions</h2>"
    )?;
    if r.packages.is_empty() {
        writeln!(w, "<p>No Okta package uses found.</p>")?;
    } else {
        writeln!(
            w,
            "<details><summary>{}</summary>",
            escape(&super::packages_summary(&r.packages))
        )?;
        packages_table(w, &r.packages)?;
        writeln!(w, "</details>")?;
    }
    writeln!(w, "</section>")?;

    super::document::pages(r).html(w)?;
    super::document::files(r).html(w)?;
    if let Some(s) = super::document::unreadable(r) {
        s.html(w)?;
    }

    writeln!(
        w,
        "<section id=\"provenance\">\n<h2>Where this came from</h2>"
    )?;
    // Repositories a merged report's sources name are in their table.
    let by_name: std::collections::HashMap<&str, &super::Repository> = r
        .repositories
        .iter()
        .map(|x| (x.name.as_str(), x))
        .collect();
    let named: std::collections::HashSet<&str> = r
        .sources
        .iter()
        .filter_map(|s| s.repository.as_deref())
        .collect();
    if !r.sources.is_empty() {
        sources(w, &r.sources, &by_name)?;
    }
    let others: Vec<&super::Repository> = r
        .repositories
        .iter()
        .filter(|x| !named.contains(x.name.as_str()))
        .collect();
    if !r.sources.is_empty() && others.is_empty() {
        // All in the table above.
    } else if others.is_empty() {
        writeln!(w, "<p>No git repository found above the audited paths.</p>")?;
    } else {
        let many = others.len() > MAX_INLINE_PATHS;
        if many {
            writeln!(
                w,
                "<details><summary>{} repositories: folder, branch, commit, date</summary>",
                others.len()
            )?;
        }
        writeln!(w, "<table>\n<tr><th>Repository</th><th>Folder</th><th>Branch</th><th>Commit</th><th>Date</th></tr>")?;
        for repo in &others {
            let opt = |v: &Option<String>, code: bool| match v {
                Some(v) if code => format!("<code>{}</code>", escape(v)),
                Some(v) => escape(v),
                None => "-".into(),
            };
            writeln!(
                w,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&repo.name),
                escape(&repo.root),
                opt(&repo.branch, true),
                opt(&repo.commit, true),
                opt(&repo.date, false)
            )?;
        }
        writeln!(w, "</table>")?;
        if many {
            writeln!(w, "</details>")?;
        }
    }
    let c = &r.config;
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            format!("<code>{}</code>", escape(&v.join(",")))
        }
    };
    writeln!(w, "<table class=\"kv\">")?;
    writeln!(
        w,
        "<tr><th>Tool</th><td>{} {}</td></tr>",
        escape(&r.tool.name),
        escape(&r.tool.version)
    )?;
    writeln!(
        w,
        "<tr><th>Config file</th><td>{}</td></tr>",
        r.config_file
            .as_deref()
            .map(|f| format!("<code>{}</code>", escape(f)))
            .unwrap_or_else(|| "none".into())
    )?;
    writeln!(
        w,
        "<tr><th><code>--select</code></th><td>{}</td></tr>",
        list(&c.select)
    )?;
    writeln!(
        w,
        "<tr><th><code>--ignore</code></th><td>{}</td></tr>",
        list(&c.ignore)
    )?;
    writeln!(
        w,
        "<tr><th>Rules enabled</th><td>{}</td></tr>",
        escape(&c.rules_enabled.join(", "))
    )?;
    writeln!(
        w,
        "<tr><th>Widget versions: minimum / recommended</th><td>{} / {}</td></tr>",
        escape(&c.min_widget_version),
        escape(&c.recommended_widget_version)
    )?;
    writeln!(
        w,
        "<tr><th>JSON schema</th><td>{}</td></tr>\n</table>\n</section>",
        r.schema_version
    )?;

    writeln!(
        w,
        "<section id=\"checklist\">\n<h2>Okta admin checklist</h2>"
    )?;
    writeln!(
        w,
        "<p>Steps in the Okta org that the code cannot show (Okta's guide: <a href=\"{0}\">Migrate to Okta Identity Engine</a>).</p>",
        super::MIGRATE_GUIDE
    )?;
    writeln!(w, "<ul class=\"checklist\">")?;
    for c in &r.checklist {
        writeln!(
            w,
            "<li id=\"{}\">&#9744; <strong>{}</strong>. {}",
            escape(c.id),
            escape(c.title),
            inline(c.steps)
        )?;
        if let Some(v) = c.verify {
            writeln!(w, "<br>Check: {}", inline(v))?;
        }
        let docs: Vec<String> = c
            .docs
            .iter()
            .map(|d| format!("<a href=\"{0}\">{0}</a>", escape(d)))
            .collect();
        writeln!(w, "<br>Docs: {}</li>", docs.join(", "))?;
    }
    writeln!(w, "</ul>\n</section>\n</body>\n</html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_labels_get_code_elements_and_stay_escaped() {
        assert_eq!(
            code_spans("Fixable with `oie-lint check --fix` <b>"),
            "Fixable with <code>oie-lint check --fix</code> &lt;b&gt;"
        );
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x&y')</script>\""),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;"
        );
    }

    #[test]
    fn inline_markup_after_escaping() {
        assert_eq!(
            inline("tick **Interaction Code** and `a<b>`"),
            "tick <strong>Interaction Code</strong> and <code>a&lt;b&gt;</code>"
        );
    }
}
