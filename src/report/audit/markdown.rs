//! The audit report as GitHub-flavoured Markdown (the default format).

use super::{Report, WidgetPage};
use crate::report::versions as versions_cmd;
use std::io::{self, Write};

/// Inline code that survives backticks and pipes in the content.
pub fn code(s: &str) -> String {
    let s = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Plain text with Markdown (and inline HTML) punctuation escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn lines(p: &WidgetPage) -> String {
    match p.constructions.as_slice() {
        [] => String::new(),
        [one] => format!(" (`new OktaSignIn` on line {one})"),
        many => format!(
            " (`new OktaSignIn` on lines {})",
            many.iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn render(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let s = &r.summary;
    writeln!(w, "# Okta Identity Engine migration readiness\n")?;
    let paths: Vec<String> = r.paths.iter().map(|p| code(p)).collect();
    write!(
        w,
        "Audited {} with {} {}",
        paths.join(", "),
        r.tool.name,
        r.tool.version
    )?;
    match &r.config_file {
        Some(c) => writeln!(w, " (config: {}).\n", code(c))?,
        None => writeln!(w, " (no config file).\n")?,
    }

    writeln!(w, "## Summary\n")?;
    writeln!(
        w,
        "**{}**: blocking issues: {}.\n",
        s.verdict.label(),
        s.blocking_issues
    )?;
    writeln!(w, "| | |\n|---|---:|")?;
    let rows = super::summary_rows(r);
    for (k, v) in rows {
        writeln!(w, "| {k} | {v} |")?;
    }
    writeln!(w)?;

    writeln!(w, "## Okta packages and versions\n")?;
    if r.packages.is_empty() {
        writeln!(w, "No Okta package uses found.\n")?;
    } else {
        versions_cmd::render_markdown(&r.packages, w)?;
        writeln!(w, "\n{}\n", versions_cmd::summary(&r.packages))?;
    }

    writeln!(w, "## Hosted pages and embedded widgets\n")?;
    writeln!(
        w,
        "### Okta-hosted sign-in templates ({})\n",
        r.pages.hosted.len()
    )?;
    if r.pages.hosted.is_empty() {
        writeln!(w, "None found.\n")?;
    } else {
        for p in &r.pages.hosted {
            writeln!(w, "- {}{}", code(&p.path), lines(p))?;
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "### Embedded Sign-In Widgets ({})\n",
        r.pages.embedded.len()
    )?;
    if r.pages.embedded.is_empty() {
        writeln!(w, "None found.\n")?;
    } else {
        for p in &r.pages.embedded {
            writeln!(w, "- {}{}", code(&p.path), lines(p))?;
        }
        writeln!(w)?;
    }

    writeln!(w, "## Findings per rule\n")?;
    if r.rules.is_empty() {
        writeln!(w, "No findings.\n")?;
    } else {
        writeln!(
            w,
            "| Code | Rule | Findings | Errors | Warnings | Safe fixes | Unsafe fixes |"
        )?;
        writeln!(w, "|---|---|---:|---:|---:|---:|---:|")?;
        for x in &r.rules {
            let codecell = if x.url.is_empty() {
                code(x.code)
            } else {
                format!("[{}]({})", code(x.code), x.url)
            };
            writeln!(
                w,
                "| {codecell} | {} | {} | {} | {} | {} | {} |",
                code(x.name),
                x.count,
                x.errors,
                x.warnings,
                x.fixable,
                x.unsafe_fixable
            )?;
        }
        writeln!(w)?;
    }

    writeln!(w, "## Findings per file\n")?;
    if r.files.is_empty() {
        writeln!(w, "No findings.\n")?;
    } else {
        writeln!(
            w,
            "| File | Worst | Findings | Errors | Warnings | Safe fixes | Unsafe fixes | Rules |"
        )?;
        writeln!(w, "|---|---|---:|---:|---:|---:|---:|---|")?;
        for f in &r.files {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                code(&f.path),
                f.worst,
                f.count,
                f.errors,
                f.warnings,
                f.fixable,
                f.unsafe_fixable,
                f.rules.join(", ")
            )?;
        }
        writeln!(
            w,
            "\nDetails: `oie-lint check PATH`; preview the fixes with `oie-lint check --diff` (add `--unsafe-fixes` for the reviewed ones).\n"
        )?;
    }

    if !r.unreadable.is_empty() {
        writeln!(w, "## Could not be read\n")?;
        for u in &r.unreadable {
            writeln!(w, "- {}: {}", code(&u.path), text(&u.error))?;
        }
        writeln!(w)?;
    }

    writeln!(w, "## Okta admin checklist\n")?;
    writeln!(
        w,
        "Steps in the Okta org that the code cannot show (Okta's guide: [Migrate to Okta Identity Engine]({})).\n",
        super::MIGRATE_GUIDE
    )?;
    for c in &r.checklist {
        writeln!(w, "- [ ] **{}**. {}", c.title, c.steps)?;
        if let Some(v) = c.verify {
            writeln!(w, "  Check: {v}")?;
        }
        let docs: Vec<String> = c.docs.iter().map(|d| format!("<{d}>")).collect();
        writeln!(w, "  Docs: {}", docs.join(", "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_text_escape_markdown() {
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(
            text("<script>*x*</script>"),
            "\\<script\\>\\*x\\*\\</script\\>"
        );
    }
}
