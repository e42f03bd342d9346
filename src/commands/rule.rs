//! `oie-lint rule`: a rule's documentation in the terminal.
use super::exit;
use crate::cli::RuleArgs;
use crate::rules::{Registry, Rule};

pub fn run(args: &RuleArgs) -> i32 {
    let reg = Registry::get();
    if args.rule.is_none() && !args.all {
        eprintln!(
            "Every rule (the same as `oie-lint rule --all`); `oie-lint rule CODE` prints one rule's documentation."
        );
    }
    if args.all || args.rule.is_none() {
        let width = reg.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in &reg.rules {
            println!(
                "{:<8} {:<width$} {:<8} {}",
                r.code, r.name, r.severity, r.summary
            );
        }
        return exit::CLEAN;
    }
    let key = args.rule.as_deref().unwrap_or_default();
    match reg.find(key) {
        Some(i) => {
            print!("{}", render_docs(&reg.rules[i]));
            exit::CLEAN
        }
        None => {
            match reg.suggest(key) {
                Some(s) => eprintln!(
                    "error: unknown rule `{key}`; did you mean `{s}`? (see `oie-lint rule --all`)"
                ),
                None => eprintln!("error: unknown rule `{key}` (see `oie-lint rule --all`)"),
            }
            exit::ERROR
        }
    }
}

/// A rule's docs as Markdown (also used to generate the README's rule section).
pub fn render_docs(r: &Rule) -> String {
    let mut s = format!(
        "# {} ({})\n\n{}\n\nDefault severity: {}.",
        r.code, r.name, r.summary, r.severity
    );
    if !r.url.is_empty() {
        s.push_str(&format!(" {}: {}", r.url_label(), r.url));
    }
    s.push_str("\n\n");
    for (title, body) in [
        ("What it does", &r.docs.what),
        ("Why it breaks under OIE", &r.docs.why),
        ("How to fix", &r.docs.how),
        ("Fix safety", &r.docs.fix_safety),
    ] {
        s.push_str(&format!("## {title}\n\n{}\n\n", body.trim()));
    }
    if !r.docs.sources.is_empty() {
        s.push_str("## Sources\n\n");
        for src in &r.docs.sources {
            s.push_str(&format!("- {src}\n"));
        }
        s.push('\n');
    }
    if let Some(ex) = r.invalid.first() {
        s.push_str(&format!(
            "## Example (flagged)\n\n```\n{}\n```\n\n",
            ex.code.trim_end()
        ));
    }
    if let Some(ex) = r.valid.first() {
        s.push_str(&format!(
            "## Example (not flagged)\n\n```\n{}\n```\n",
            ex.code.trim_end()
        ));
    }
    s
}
