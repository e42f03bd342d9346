//! A rule's documentation as Markdown: what `oie-lint rule CODE` prints,
//! the generated page `docs/rules/CODE-slug.md` and the editor's hover.

use super::Rule;

/// A rule's docs as Markdown (also the generated page `docs/rules/CODE-slug.md`).
pub fn render_docs(r: &Rule) -> String {
    let enabled = if r.preview {
        "preview: off unless selected"
    } else {
        "on by default"
    };
    let mut s = format!(
        "# {} ({})\n\n{}\n\nDefault severity: {}. Category: {} ({enabled}).",
        r.code, r.name, r.summary, r.severity, r.category
    );
    if !r.url.is_empty() {
        s.push_str(&format!(" {}: {}", r.url_label(), r.url));
    }
    s.push_str("\n\n");
    for (title, body) in [
        ("What it does", &r.docs().what),
        ("Why it breaks under OIE", &r.docs().why),
        ("How to fix", &r.docs().how),
        ("Fix safety", &r.docs().fix_safety),
    ] {
        s.push_str(&format!("## {title}\n\n{}\n\n", body.trim()));
    }
    if let Some(p) = &r.docs().precision {
        let title = if r.preview {
            "Precision on real code, and why it is in preview"
        } else {
            "Precision on real code"
        };
        s.push_str(&format!("## {title}\n\n{}\n\n", p.trim()));
    }
    if !r.docs().sources.is_empty() {
        s.push_str("## Sources\n\n");
        for src in &r.docs().sources {
            s.push_str(&format!("- {src}\n"));
        }
        s.push('\n');
    }
    if let Some(ex) = r.invalid().first() {
        s.push_str(&format!(
            "## Example (flagged)\n\n```\n{}\n```\n\n",
            ex.code.trim_end()
        ));
    }
    if let Some(ex) = r.valid().first() {
        s.push_str(&format!(
            "## Example (not flagged)\n\n```\n{}\n```\n",
            ex.code.trim_end()
        ));
    }
    s
}
