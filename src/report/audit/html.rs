//! The audit report as one self-contained HTML file.
//!
//! Inline CSS only: no scripts, no images, no fonts, no stylesheets to
//! fetch; a Content-Security-Policy meta tag forbids loading anything else
//! (the links to the Okta docs are plain `<a href>` for the reader). Every
//! value from the repository (paths, messages, specs) goes through
//! [`escape`].

use super::{Report, WidgetPage};
use crate::report::versions as versions_cmd;
use std::io::{self, Write};

/// Escapes text for HTML element content and double- or single-quoted
/// attribute values.
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

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

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

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328;line-height:1.5}\
h1{font-size:1.8rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa}td.n{text-align:right}code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px;font-size:90%}\
.verdict{font-size:1.2rem;font-weight:600;padding:.6rem 1rem;border-radius:6px;display:inline-block}\
.blocked{background:#ffebe9;color:#82071e}.needs-review{background:#fff8c5;color:#633c01}.ready{background:#dafbe1;color:#116329}\
.error{color:#cf222e;font-weight:600}.warning{color:#9a6700;font-weight:600}\
.blocking{color:#cf222e}.unknown{color:#57606a}ul.checklist{list-style:none;padding-left:0}ul.checklist li{margin:.8rem 0}";

fn verdict_class(r: &Report) -> &'static str {
    match r.summary.verdict {
        super::Verdict::Blocked => "blocked",
        super::Verdict::NeedsReview => "needs-review",
        super::Verdict::Ready => "ready",
    }
}

fn page_list(w: &mut dyn Write, pages: &[WidgetPage]) -> io::Result<()> {
    if pages.is_empty() {
        return writeln!(w, "<p>None found.</p>");
    }
    writeln!(w, "<ul>")?;
    for p in pages {
        let lines = if p.constructions.is_empty() {
            String::new()
        } else {
            let l: Vec<String> = p.constructions.iter().map(|l| l.to_string()).collect();
            format!(
                " (<code>new OktaSignIn</code> on line{} {})",
                if l.len() == 1 { "" } else { "s" },
                l.join(", ")
            )
        };
        writeln!(w, "<li><code>{}</code>{lines}</li>", escape(&p.path))?;
    }
    writeln!(w, "</ul>")
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
    writeln!(w, "<h1>Okta Identity Engine migration readiness</h1>")?;
    let paths: Vec<String> = r
        .paths
        .iter()
        .map(|p| format!("<code>{}</code>", escape(p)))
        .collect();
    let config = match &r.config_file {
        Some(c) => format!("config: <code>{}</code>", escape(c)),
        None => "no config file".into(),
    };
    writeln!(
        w,
        "<p>Audited {} with {} {} ({config}).</p>",
        paths.join(", "),
        escape(r.tool.name),
        escape(r.tool.version)
    )?;

    writeln!(w, "<h2 id=\"summary\">Summary</h2>")?;
    writeln!(
        w,
        "<p class=\"verdict {}\">{}: blocking issues: {}</p>",
        verdict_class(r),
        escape(s.verdict.label()),
        s.blocking_issues
    )?;
    writeln!(w, "<table>")?;
    let rows = super::summary_rows(r);
    for (k, v) in rows {
        let k = code_spans(k);
        writeln!(w, "<tr><th>{k}</th><td class=\"n\">{v}</td></tr>")?;
    }
    writeln!(w, "</table>")?;

    writeln!(w, "<h2 id=\"packages\">Okta packages and versions</h2>")?;
    if r.packages.is_empty() {
        writeln!(w, "<p>No Okta package uses found.</p>")?;
    } else {
        writeln!(w, "<table>\n<tr>")?;
        for h in versions_cmd::HEADERS {
            write!(w, "<th>{}</th>", escape(h))?;
        }
        writeln!(w, "</tr>")?;
        for u in &r.packages {
            let c = versions_cmd::cells(u);
            writeln!(
                w,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"{}\" title=\"{}\">{}</td></tr>",
                escape(&c[0]),
                escape(&c[1]),
                escape(&c[2]),
                escape(&c[3]),
                escape(&c[4]),
                escape(&c[5]),
                u.status.as_str(),
                escape(&u.reason),
                escape(&c[6])
            )?;
        }
        writeln!(w, "</table>")?;
        writeln!(w, "<p>{}</p>", escape(&versions_cmd::summary(&r.packages)))?;
    }

    writeln!(w, "<h2 id=\"pages\">Hosted pages and embedded widgets</h2>")?;
    writeln!(
        w,
        "<h3>Okta-hosted sign-in templates ({})</h3>",
        r.pages.hosted.len()
    )?;
    page_list(w, &r.pages.hosted)?;
    writeln!(
        w,
        "<h3>Embedded Sign-In Widgets ({})</h3>",
        r.pages.embedded.len()
    )?;
    page_list(w, &r.pages.embedded)?;

    writeln!(w, "<h2 id=\"rules\">Findings per rule</h2>")?;
    if r.rules.is_empty() {
        writeln!(w, "<p>No findings.</p>")?;
    } else {
        writeln!(w, "<table>\n<tr><th>Code</th><th>Rule</th><th>Findings</th><th>Errors</th><th>Warnings</th><th>Safe fixes</th><th>Unsafe fixes</th></tr>")?;
        for x in &r.rules {
            let codecell = if x.url.is_empty() {
                format!("<code>{}</code>", escape(x.code))
            } else {
                format!(
                    "<a href=\"{}\"><code>{}</code></a>",
                    escape(&x.url),
                    escape(x.code)
                )
            };
            writeln!(
                w,
                "<tr><td>{codecell}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(x.name),
                x.count,
                x.errors,
                x.warnings,
                x.fixable,
                x.unsafe_fixable
            )?;
        }
        writeln!(w, "</table>")?;
    }

    writeln!(w, "<h2 id=\"files\">Findings per file</h2>")?;
    if r.files.is_empty() {
        writeln!(w, "<p>No findings.</p>")?;
    } else {
        writeln!(w, "<table>\n<tr><th>File</th><th>Worst</th><th>Findings</th><th>Errors</th><th>Warnings</th><th>Safe fixes</th><th>Unsafe fixes</th><th>Rules</th></tr>")?;
        for f in &r.files {
            writeln!(
                w,
                "<tr><td><code>{}</code></td><td class=\"{}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&f.path),
                f.worst.as_str(),
                f.worst.as_str(),
                f.count,
                f.errors,
                f.warnings,
                f.fixable,
                f.unsafe_fixable,
                escape(&f.rules.join(", "))
            )?;
        }
        writeln!(w, "</table>")?;
        writeln!(w, "<p>Details: <code>oie-lint check PATH</code>; preview the fixes with <code>oie-lint check --diff</code> (add <code>--unsafe-fixes</code> for the reviewed ones).</p>")?;
    }

    if !r.unreadable.is_empty() {
        writeln!(w, "<h2 id=\"unreadable\">Could not be read</h2>\n<ul>")?;
        for u in &r.unreadable {
            writeln!(
                w,
                "<li><code>{}</code>: {}</li>",
                escape(&u.path),
                escape(&u.error)
            )?;
        }
        writeln!(w, "</ul>")?;
    }

    writeln!(w, "<h2 id=\"checklist\">Okta admin checklist</h2>")?;
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
    writeln!(w, "</ul>\n</body>\n</html>")
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
