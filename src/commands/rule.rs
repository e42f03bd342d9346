//! `oie-lint rule`: a rule's documentation in the terminal.
use super::exit;
use crate::cli::RuleArgs;
use crate::rules::{Registry, Rule, CATEGORIES, PREVIEW_GROUP};

pub fn run(args: &RuleArgs) -> i32 {
    let reg = Registry::get();
    if args.rule.is_none() && !args.all {
        eprintln!(
            "Every rule (the same as `oie-lint rule --all`); `oie-lint rule CODE` prints one rule's documentation."
        );
    }
    if args.all || args.rule.is_none() {
        print!("{}", render_all(reg));
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

/// `rule --all`: every rule by category, preview rules marked.
pub fn render_all(reg: &Registry) -> String {
    let width = reg.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut s = String::new();
    for (category, about) in CATEGORIES {
        let rules: Vec<&Rule> = reg
            .rules
            .iter()
            .filter(|r| r.category == *category)
            .collect();
        if rules.is_empty() {
            continue;
        }
        s.push_str(&format!("{category}: {about}\n"));
        for r in rules {
            let group = if r.preview { PREVIEW_GROUP } else { "" };
            s.push_str(&format!(
                "  {:<8} {:<width$} {:<8} {:<8} {}\n",
                r.code,
                r.name,
                r.severity.as_str(),
                group,
                r.summary
            ));
        }
        s.push('\n');
    }
    s.push_str(
        "Rules marked preview are off unless selected: `--select preview`, their category, code or slug, or ALL.\n",
    );
    s
}

/// The rule table of the README and of `docs/rules/README.md`, generated
/// from the rule files: one row per rule, its code linking to its page
/// (`{pages}CODE-slug.md`), by category in [`CATEGORIES`] order.
pub fn markdown_table(reg: &Registry, pages: &str) -> String {
    let mut s = String::from(
        "| Code | Name | Category | Default | What it finds |\n|---|---|---|---|---|\n",
    );
    for (category, _) in CATEGORIES {
        for r in reg.rules.iter().filter(|r| r.category == *category) {
            let default = if r.preview {
                format!("preview, {}", r.severity)
            } else {
                r.severity.to_string()
            };
            s.push_str(&format!(
                "| [`{code}`]({pages}{code}-{name}.md) | `{name}` | {category} | {default} | {summary} |\n",
                code = r.code,
                name = r.name,
                summary = r.summary.replace('|', "\\|"),
            ));
        }
    }
    s
}

/// The file name of a rule's generated page under `docs/rules/`.
pub fn docs_page_name(r: &Rule) -> String {
    format!("{}-{}.md", r.code, r.name)
}

/// A rule's docs as Markdown (the editor's hover shows the same text).
pub use crate::rules::docs::render_docs;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_rule_under_its_category() {
        let reg = Registry::get();
        let out = render_all(reg);
        for r in &reg.rules {
            let line = out
                .lines()
                .find(|l| l.trim_start().starts_with(&r.code))
                .unwrap_or_else(|| panic!("{} missing:\n{out}", r.code));
            assert_eq!(line.contains(" preview "), r.preview, "{line}");
            let header = out[..out.find(line).unwrap()]
                .lines()
                .rev()
                .find(|l| !l.starts_with(' ') && !l.is_empty())
                .unwrap();
            assert!(header.starts_with(&format!("{}:", r.category)), "{header}");
        }
    }
}
