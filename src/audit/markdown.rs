//! The audit report as GitHub-flavoured Markdown (the default format).
//!
//! What people paste into issues, so it stays readable on GitHub: the
//! verdict and headline first, the status board, then per-app sections
//! whose findings sit in `<details>` blocks, at most
//! [`MAX_FINDINGS_PER_APP`] each (the HTML and JSON reports carry all).
//! No charts: GitHub does not render inline SVG.

use super::{App, FixKind, Report, State};
use crate::report::plural;
use crate::versions::inventory::Use;
use std::io::{self, Write};

pub use super::markup::{cell, code, text};

/// Findings listed per app in Markdown; the rest are counted, with the
/// command that lists them (the HTML and JSON reports carry all).
pub const MAX_FINDINGS_PER_APP: usize = 100;
/// Apps on the status board before the rest is collapsed.
const BOARD_OPEN: usize = 50;

fn packages_table(w: &mut dyn Write, uses: &[Use]) -> io::Result<()> {
    writeln!(
        w,
        "| Package | Spec | Resolved | Where | Governs | Status | Why |\n|---|---|---|---|---:|---|---|"
    )?;
    for u in uses {
        let resolved = match (&u.resolved, &u.resolved_from) {
            (Some(v), Some(f)) => format!("{} ({})", cell(v), cell(f)),
            (Some(v), None) => cell(v),
            _ => "-".into(),
        };
        writeln!(
            w,
            "| {} | {} | {resolved} | {} | {} | {} | {} |",
            code(&u.package),
            u.spec.as_deref().map(code).unwrap_or_else(|| "-".into()),
            code(&format!("{}:{}", u.path, u.line)),
            u.governs.len(),
            u.status.as_str(),
            cell(&u.reason)
        )?;
    }
    Ok(())
}

fn board_header(w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "| App | Verdict | Errors | Warnings | Fixable (safe + unsafe) | Rules | Widget | Deployment | Repository |\n|---|---|---:|---:|---:|---|---|---|---|"
    )
}

fn board_row(w: &mut dyn Write, a: &App) -> io::Result<()> {
    let c = &a.counts;
    let mut rules: Vec<(&String, &usize)> = a.by_rule.iter().collect();
    rules.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let rules: Vec<String> = rules.iter().map(|(k, n)| format!("{k}×{n}")).collect();
    let verdict = if c.packages_blocking + c.packages_warning > 0 {
        format!(
            "{} ({} blocking, {} warning package uses)",
            a.verdict.label(),
            c.packages_blocking,
            c.packages_warning
        )
    } else {
        a.verdict.label().to_string()
    };
    let dep: Vec<&str> = a.deployment.iter().map(|d| d.label()).collect();
    writeln!(
        w,
        "| {} {} | {verdict} | {} | {} | {} + {} | {} | {} | {} | {} |",
        cell(&a.name),
        code(&a.root),
        c.errors,
        c.warnings,
        c.fixable,
        c.unsafe_fixable,
        if rules.is_empty() {
            "-".into()
        } else {
            rules.join(", ")
        },
        if a.widget_versions.is_empty() {
            "-".into()
        } else {
            a.widget_versions
                .iter()
                .map(|v| code(v))
                .collect::<Vec<_>>()
                .join(" ")
        },
        if dep.is_empty() {
            "-".into()
        } else {
            dep.join(", ")
        },
        a.repository
            .as_deref()
            .map(cell)
            .unwrap_or_else(|| "-".into())
    )
}

fn app_section(w: &mut dyn Write, a: &App, baseline: bool) -> io::Result<()> {
    let c = &a.counts;
    writeln!(w, "### {} ({})\n", cell(&a.name), code(&a.root))?;
    let mut facts = vec![
        format!("**{}**", a.verdict.label()),
        format!("{} ({})", a.kind.label(), plural(a.files, "file")),
        format!(
            "{}, {}; {} safe and {} unsafe fixes",
            plural(c.errors, "error"),
            plural(c.warnings, "warning"),
            c.fixable,
            c.unsafe_fixable
        ),
    ];
    if let Some(ws) = &a.workspace {
        facts.push(format!("in workspace {}", code(ws)));
    }
    if let Some(r) = &a.repository {
        facts.push(format!("repository {}", cell(r)));
    }
    if !a.deployment.is_empty() {
        let d: Vec<&str> = a.deployment.iter().map(|d| d.label()).collect();
        facts.push(d.join(", "));
    }
    if !a.widget_versions.is_empty() {
        let v: Vec<String> = a.widget_versions.iter().map(|v| code(v)).collect();
        facts.push(format!("widget {}", v.join(", ")));
    }
    if let Some(p) = &a.progress {
        facts.push(format!(
            "since the baseline: {} fixed, {} new, {} remaining",
            p.fixed, p.new, p.remaining
        ));
    }
    writeln!(w, "{}.\n", facts.join("; "))?;
    if !a.packages.is_empty() {
        packages_table(w, &a.packages)?;
        writeln!(w)?;
    }
    let list = |v: &[String]| v.iter().map(|p| code(p)).collect::<Vec<_>>().join(", ");
    if !a.hosted_pages.is_empty() {
        writeln!(w, "Okta-hosted templates: {}.\n", list(&a.hosted_pages))?;
    }
    if !a.embedded_widgets.is_empty() {
        writeln!(w, "Embedded widgets: {}.\n", list(&a.embedded_widgets))?;
    }
    if a.findings.is_empty() {
        return writeln!(w, "No findings.\n");
    }
    writeln!(
        w,
        "<details><summary>{}</summary>\n",
        plural(a.findings.len(), "finding")
    )?;
    write!(w, "| Where | Rule | Severity | Message | Fix | Command |")?;
    writeln!(w, "{}", if baseline { " Since baseline |" } else { "" })?;
    writeln!(
        w,
        "|---|---|---|---|---|---|{}",
        if baseline { "---|" } else { "" }
    )?;
    for f in a.findings.iter().take(MAX_FINDINGS_PER_APP) {
        let fix = match f.fix {
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::None => "none",
        };
        write!(
            w,
            "| {} | {} {} | {} | {} | {fix} | {} |",
            code(&format!("{}:{}:{}", f.path, f.line, f.column)),
            code(&f.code),
            f.name,
            f.severity,
            cell(&f.message),
            f.command
                .as_deref()
                .map(code)
                .unwrap_or_else(|| "manual".into())
        )?;
        match (baseline, f.baseline) {
            (false, _) => writeln!(w)?,
            (true, Some(State::New)) => writeln!(w, " **new** |")?,
            (true, Some(State::Remaining)) => writeln!(w, " remaining |")?,
            (true, None) => writeln!(w, " - |")?,
        }
    }
    if a.findings.len() > MAX_FINDINGS_PER_APP {
        writeln!(
            w,
            "\n{} more: `oie-lint check {}`, or the HTML or JSON report.",
            a.findings.len() - MAX_FINDINGS_PER_APP,
            super::shell_word(if a.root.is_empty() { "." } else { &a.root })
        )?;
    }
    writeln!(w, "\n</details>\n")
}

pub fn render(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let s = &r.summary;
    writeln!(w, "# Okta Identity Engine migration readiness\n")?;
    let paths: Vec<String> = r.paths.iter().map(|p| code(p)).collect();
    // Beyond ten paths: a count (the list is under "Where this came from").
    let audited = if paths.len() > 10 {
        crate::report::plural(paths.len(), "path")
    } else {
        paths.join(", ")
    };
    let merged = if r.sources.is_empty() {
        String::new()
    } else {
        format!(
            " (merged from {})",
            crate::report::plural(r.sources.len(), "report")
        )
    };
    write!(
        w,
        "Audited {audited}{merged} with {} {}",
        r.tool.name, r.tool.version
    )?;
    match &r.config_file {
        Some(c) => writeln!(w, " (config: {}).\n", code(c))?,
        None => writeln!(w, " (no config file).\n")?,
    }
    if let Some(text) = super::incomplete(r) {
        writeln!(w, "> [!WARNING]\n> {text}\n")?;
    }
    writeln!(w, "**{}**: {}\n", s.verdict.label(), super::headline(r))?;

    // The sections both renderers write, in order (no charts here), linked
    // by GitHub's heading anchors.
    let toc: Vec<(&str, String)> = super::sections(r, false)
        .into_iter()
        .map(|(_, title)| (title, super::heading_anchor(title)))
        .collect();
    let toc: Vec<String> = toc.iter().map(|(t, a)| format!("[{t}](#{a})")).collect();
    writeln!(w, "Contents: {}\n", toc.join(" · "))?;

    writeln!(w, "## Status board\n")?;
    if r.apps.is_empty() {
        writeln!(w, "No files were audited.\n")?;
    } else {
        board_header(w)?;
        for a in r.apps.iter().take(BOARD_OPEN) {
            board_row(w, a)?;
        }
        if r.apps.len() > BOARD_OPEN {
            writeln!(
                w,
                "\n<details><summary>{} more apps</summary>\n",
                r.apps.len() - BOARD_OPEN
            )?;
            board_header(w)?;
            for a in &r.apps[BOARD_OPEN..] {
                board_row(w, a)?;
            }
            writeln!(w, "\n</details>")?;
        }
        writeln!(w)?;
    }

    if let Some(d) = &r.baseline {
        writeln!(w, "## Progress since the baseline\n")?;
        writeln!(
            w,
            "Compared with {}{}: **{} fixed**, **{} new**, {} remaining.\n",
            code(&d.file),
            d.tool_version
                .as_deref()
                .map(|v| format!(" (oie-lint {v})"))
                .unwrap_or_default(),
            d.total.fixed,
            d.total.new,
            d.total.remaining
        )?;
        if !d.apps.is_empty() {
            writeln!(w, "| App | Fixed | New | Remaining |\n|---|---:|---:|---:|")?;
            for a in &d.apps {
                writeln!(
                    w,
                    "| {} {}{} | {} | {} | {} |",
                    cell(&a.name),
                    code(&a.root),
                    if a.id.is_none() { " (gone)" } else { "" },
                    a.progress.fixed,
                    a.progress.new,
                    a.progress.remaining
                )?;
            }
            writeln!(
                w,
                "| **Total** | **{}** | **{}** | **{}** |\n",
                d.total.fixed, d.total.new, d.total.remaining
            )?;
        }
        if !d.fixed.is_empty() {
            writeln!(
                w,
                "<details><summary>The {} fixed findings</summary>\n\n| Where (then) | Rule | Severity | Message |\n|---|---|---|---|",
                d.fixed.len()
            )?;
            for f in d.fixed.iter().take(MAX_FINDINGS_PER_APP) {
                writeln!(
                    w,
                    "| {} | {} | {} | {} |",
                    code(&format!("{}:{}", f.path, f.line)),
                    code(&f.code),
                    f.severity,
                    cell(&f.message)
                )?;
            }
            if d.fixed.len() > MAX_FINDINGS_PER_APP {
                writeln!(
                    w,
                    "\n{} more in the JSON report (`baseline.fixed`).",
                    d.fixed.len() - MAX_FINDINGS_PER_APP
                )?;
            }
            writeln!(w, "\n</details>\n")?;
        }
    }

    super::document::totals(r).markdown(w)?;
    super::document::rules(r).markdown(w)?;

    writeln!(w, "## Every finding, per app\n")?;
    writeln!(w, "Each finding with the fix available and the command that applies it (run from the folder the audit ran in; `--diff` instead of `--fix` previews it). At most {MAX_FINDINGS_PER_APP} per app here: the HTML and JSON reports list all.\n")?;
    for a in &r.apps {
        app_section(w, a, r.baseline.is_some())?;
    }

    writeln!(w, "## Okta packages and versions\n")?;
    if r.packages.is_empty() {
        writeln!(w, "No Okta package uses found.\n")?;
    } else {
        packages_table(w, &r.packages)?;
        writeln!(w, "\n{}\n", super::packages_summary(&r.packages))?;
    }
    super::document::pages(r).markdown(w)?;
    super::document::files(r).markdown(w)?;
    if let Some(s) = super::document::unreadable(r) {
        s.markdown(w)?;
    }

    writeln!(w, "## Where this came from\n")?;
    if r.paths.len() > 10 {
        writeln!(
            w,
            "<details><summary>The {} audited paths</summary>\n\n{}\n\n</details>\n",
            r.paths.len(),
            r.paths
                .iter()
                .map(|p| code(p))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    if !r.sources.is_empty() {
        writeln!(
            w,
            "<details><summary>Merged from {}</summary>\n\n| Report | Repository | Commit | Date | oie-lint |\n|---|---|---|---|---|",
            crate::report::plural(r.sources.len(), "report")
        )?;
        for s in &r.sources {
            let opt = |v: &Option<String>| v.as_deref().map(code).unwrap_or_else(|| "-".into());
            writeln!(
                w,
                "| {} | {} | {} | {} | {} |",
                code(&s.file),
                s.repository
                    .as_deref()
                    .map(cell)
                    .unwrap_or_else(|| "-".into()),
                opt(&s.commit),
                s.date.as_deref().map(cell).unwrap_or_else(|| "-".into()),
                cell(&s.tool_version)
            )?;
        }
        writeln!(w, "\n</details>\n")?;
    }
    if r.repositories.is_empty() {
        writeln!(w, "No git repository found above the audited paths.\n")?;
    } else {
        writeln!(
            w,
            "| Repository | Folder | Branch | Commit | Date |\n|---|---|---|---|---|"
        )?;
        for repo in &r.repositories {
            let opt = |v: &Option<String>| v.as_deref().map(code).unwrap_or_else(|| "-".into());
            writeln!(
                w,
                "| {} | {} | {} | {} | {} |",
                cell(&repo.name),
                code(&repo.root),
                opt(&repo.branch),
                opt(&repo.commit),
                repo.date.as_deref().map(cell).unwrap_or_else(|| "-".into())
            )?;
        }
        writeln!(w)?;
    }
    let c = &r.config;
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            code(&v.join(","))
        }
    };
    writeln!(
        w,
        "{} {}; config file: {}; `--select` {}; `--ignore` {}; rules enabled: {}; widget versions: minimum {}, recommended {}; JSON schema {}.\n",
        r.tool.name,
        r.tool.version,
        r.config_file.as_deref().map(code).unwrap_or_else(|| "none".into()),
        list(&c.select),
        list(&c.ignore),
        c.rules_enabled.join(", "),
        c.min_widget_version,
        c.recommended_widget_version,
        r.schema_version
    )?;

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
    fn cells_keep_code_spans_and_escape_the_rest() {
        assert_eq!(
            cell("`a|b<c>` and <b>|*x*\nnext"),
            "`a\\|b<c>` and \\<b\\>\\|\\*x\\* next"
        );
    }

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
