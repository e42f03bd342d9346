//! The documentation stays true to the code: the rule pages under
//! `docs/rules/` and the rule tables are generated from the rule files, and
//! every relative link in the README, `docs/` and `CONTRIBUTING.md` resolves
//! to a file and, with `#anchor`, to a heading of it.
//!
//! `OIE_LINT_UPDATE_DOCS=1 cargo test --test it docs::` rewrites the
//! generated parts (as insta's `INSTA_UPDATE` does for snapshots); without it
//! a stale page fails the test and names the command.

use oie_lint::commands::rule::{docs_page_name, markdown_table, render_docs};
use oie_lint::rules::Registry;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const BEGIN: &str = "<!-- generated: rule table";
const END: &str = "<!-- end generated -->";
const UPDATE: &str = "OIE_LINT_UPDATE_DOCS=1 cargo test --test it docs::";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("OIE_LINT_UPDATE_DOCS").is_some_and(|v| v == "1")
}

/// Compares `path` with `want`, or writes it when updating; returns the
/// problem, if any.
fn expect_file(path: &Path, want: &str) -> Option<String> {
    let have = fs::read_to_string(path).unwrap_or_default();
    if have == want {
        return None;
    }
    if updating() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, want).unwrap();
        return None;
    }
    Some(format!("{} is stale", path.display()))
}

/// `text` with the generated block between the markers replaced by `table`.
fn with_table(text: &str, table: &str) -> String {
    let begin = text.find(BEGIN).expect("generated-table marker");
    let body = begin + text[begin..].find('\n').unwrap() + 1;
    let end = body + text[body..].find(END).expect("end marker");
    format!("{}{}{}", &text[..body], table, &text[end..])
}

#[test]
fn rule_pages_and_tables_are_generated_from_the_rule_files() {
    let reg = Registry::get();
    let dir = root().join("docs/rules");
    let mut problems = Vec::new();
    let mut pages = BTreeSet::new();
    for r in &reg.rules {
        let name = docs_page_name(r);
        problems.extend(expect_file(&dir.join(&name), &render_docs(r)));
        pages.insert(name);
    }
    // A page whose rule is gone is stale too.
    for entry in fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        // README.md and precision.md (the measurement behind every rule's
        // precision text) are written by hand.
        if !matches!(name.as_str(), "README.md" | "precision.md") && !pages.contains(&name) {
            if updating() {
                fs::remove_file(dir.join(&name)).unwrap();
            } else {
                problems.push(format!("docs/rules/{name} has no rule file"));
            }
        }
    }
    for (file, prefix) in [("README.md", "docs/rules/"), ("docs/rules/README.md", "")] {
        let path = root().join(file);
        let text = fs::read_to_string(&path).unwrap();
        problems.extend(expect_file(
            &path,
            &with_table(&text, &markdown_table(reg, prefix)),
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}\nrun: {UPDATE}");
}

/// The Markdown files a reader can reach: the README, `CONTRIBUTING.md`
/// and every page under `docs/`.
fn markdown_files() -> Vec<PathBuf> {
    let mut out = vec![root().join("README.md"), root().join("CONTRIBUTING.md")];
    let mut stack = vec![root().join("docs")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// to dashes.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The headings' anchors of a Markdown text, code blocks left out.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut fence = false;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fence = !fence;
        } else if !fence && line.starts_with('#') {
            out.insert(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// The relative link targets `[text](target)` of a Markdown text, code
/// blocks and inline code left out.
fn links(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let code = regex::Regex::new(r"`[^`]*`").unwrap();
    let mut fence = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let line = code.replace_all(line, "");
        for c in re.captures_iter(&line) {
            let t = &c[1];
            if !t.starts_with("http://") && !t.starts_with("https://") && !t.starts_with("mailto:")
            {
                out.push(t.to_string());
            }
        }
    }
    out
}

#[test]
fn every_relative_link_resolves_to_a_file_and_a_heading() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = fs::read_to_string(&file).unwrap();
        for link in links(&text) {
            let (path, frag) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let shown = file.strip_prefix(root()).unwrap().display().to_string();
            if !target.exists() {
                broken.push(format!("{shown}: {link}: no such file"));
                continue;
            }
            if let Some(frag) = frag {
                let body = fs::read_to_string(&target).unwrap_or_default();
                if !anchors(&body).contains(frag) {
                    broken.push(format!("{shown}: {link}: no such heading"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_readme_links_every_docs_page() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let linked: BTreeSet<String> = links(&readme)
        .into_iter()
        .map(|l| l.split('#').next().unwrap().to_string())
        .collect();
    for file in markdown_files() {
        let rel = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Rule pages are reached through the generated table.
        if rel == "README.md" || (rel.starts_with("docs/rules/") && rel != "docs/rules/README.md") {
            continue;
        }
        assert!(linked.contains(&rel), "README does not link {rel}");
    }
}

#[test]
fn project_docs_urls_of_rules_name_real_pages() {
    for r in &Registry::get().rules {
        let toml = fs::read_to_string(
            root()
                .join("rules")
                .join(format!("{}-{}.toml", r.code, r.name)),
        )
        .unwrap();
        let Some(url) = toml
            .lines()
            .find_map(|l| l.strip_prefix("url = \"docs/"))
            .map(|u| u.trim_end_matches('"'))
        else {
            continue;
        };
        let (page, frag) = url.split_once('#').unwrap_or((url, ""));
        let body = fs::read_to_string(root().join("docs").join(page))
            .unwrap_or_else(|_| panic!("{}: docs/{page} does not exist", r.code));
        assert!(
            frag.is_empty() || anchors(&body).contains(frag),
            "{}: docs/{page} has no heading #{frag}",
            r.code
        );
    }
}

/// Every code block of the docs marked `<!-- excerpt: FILE -->` is a
/// verbatim part of FILE (CONTRIBUTING's worked examples stay true).
#[test]
fn marked_excerpts_are_verbatim_parts_of_their_files() {
    let mut stale = Vec::new();
    let mut count = 0;
    for file in markdown_files() {
        let text = fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        // A marker stands on a line of its own.
        while let Some(at) = rest.find("\n<!-- excerpt: ") {
            let after = &rest[at + "\n<!-- excerpt: ".len()..];
            let name = after[..after.find(" -->").unwrap()].trim();
            let fence = after.find("```").unwrap();
            let body_start = fence + after[fence..].find('\n').unwrap() + 1;
            let body_end = body_start + after[body_start..].find("```").unwrap();
            let body = &after[body_start..body_end];
            let source = fs::read_to_string(root().join(name)).unwrap_or_default();
            if !source.contains(body) {
                stale.push(format!(
                    "{}: the excerpt of {name} is not in it:\n{body}",
                    file.display()
                ));
            }
            count += 1;
            rest = &after[body_end..];
        }
    }
    assert!(
        count >= 4,
        "CONTRIBUTING.md's worked examples lost their markers ({count} left)"
    );
    assert!(stale.is_empty(), "{stale:#?}");
}
