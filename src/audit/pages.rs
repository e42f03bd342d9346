//! Which files are Okta-hosted sign-in templates and which embed the
//! Sign-In Widget, for the audit's "Hosted pages and embedded widgets".
//!
//! How: every JavaScript/TypeScript file and HTML-like template the walk
//! found is classified with
//! [`crate::rules::checks::migrate::hosted::is_hosted_page`] (the same
//! node-based test the rules use: placeholders, or a real
//! `OktaUtil.getSignInWidgetConfig()` call). Files whose text contains the literal `OktaSignIn` (a cheap
//! prefilter) are parsed with the linter's tree-sitter grammars (`<script>`
//! regions of templates included, template tags masked) and every
//! `new OktaSignIn(...)` / `new window.OktaSignIn(...)` / `new x.OktaSignIn(...)`
//! expression is recorded by line. Comments and strings never count.
//! A hosted template is listed as hosted whether or not it constructs the
//! widget; every other file with a construction is an embedded widget.
//! Vendored widget bundles are third-party code and are skipped.
//! A file `check` parsed is not parsed again: the linter reports the same
//! two facts from its own parse ([`crate::linter::FileReport::page`],
//! read by [`from_facts`]); only files `check` did not parse (no trigger
//! word for the enabled rules) are parsed here.

use crate::linter::construction_lines;
use crate::parse::Unit;
use crate::rules::checks::migrate::hosted::is_hosted_page;
use crate::source::{self, html, FileKind};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One page or script that uses the Sign-In Widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetPage {
    /// Display path (relative, `/`).
    pub path: String,
    /// 1-based lines of each `new OktaSignIn(...)`, ascending.
    pub constructions: Vec<usize>,
}

/// Hosted templates and embedded widgets, each sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pages {
    pub hosted: Vec<WidgetPage>,
    pub embedded: Vec<WidgetPage>,
}

impl Pages {
    /// Adds another part of the same audit (paths under another config file).
    pub fn absorb(&mut self, other: Pages) {
        self.hosted.extend(other.hosted);
        self.embedded.extend(other.embedded);
        self.hosted.sort_by(|a, b| a.path.cmp(&b.path));
        self.hosted.dedup_by(|a, b| a.path == b.path);
        self.embedded.sort_by(|a, b| a.path.cmp(&b.path));
        self.embedded.dedup_by(|a, b| a.path == b.path);
    }
}

/// [`classify`] for a file already read (the audit runs it on the text the
/// inventory reads): `None` for kinds that are not scanned.
pub fn classify_read(
    path: &Path,
    display: &str,
    kind: FileKind,
    text: &str,
) -> Option<(bool, WidgetPage)> {
    if !matches!(kind, FileKind::Script(_) | FileKind::Html) {
        return None;
    }
    classify(path, display, text, kind)
}

/// [`classify_read`] from what `check` learnt when it parsed the file
/// ([`crate::linter::FileReport::page`]): the same answer, without
/// parsing the file again.
pub fn from_facts(
    display: &str,
    kind: FileKind,
    facts: &crate::linter::PageFacts,
) -> Option<(bool, WidgetPage)> {
    if !matches!(kind, FileKind::Script(_) | FileKind::Html) {
        return None;
    }
    (facts.hosted || !facts.constructions.is_empty()).then(|| {
        (
            facts.hosted,
            WidgetPage {
                path: display.to_string(),
                constructions: facts.constructions.clone(),
            },
        )
    })
}

/// Hosted templates and embedded widgets from [`classify`]'s results,
/// each sorted by path.
pub fn collect(found: Vec<(bool, WidgetPage)>) -> Pages {
    let mut pages = Pages::default();
    for (hosted, page) in found {
        if hosted {
            pages.hosted.push(page);
        } else {
            pages.embedded.push(page);
        }
    }
    pages.hosted.sort_by(|a, b| a.path.cmp(&b.path));
    pages.embedded.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// `(is hosted, page)` when the file is a hosted template or constructs
/// the widget; `None` otherwise.
pub fn classify(
    path: &Path,
    display: &str,
    text: &str,
    kind: FileKind,
) -> Option<(bool, WidgetPage)> {
    if matches!(kind, FileKind::Script(_)) && crate::versions::bundle::detect(path, text).is_some()
    {
        return None;
    }
    let (hosted, constructions) = if text.contains("OktaSignIn")
        || text.contains("getSignInWidgetConfig")
        || text.contains("{{{")
    {
        scan_file(path, text, kind)
    } else {
        (false, Vec::new())
    };
    (hosted || !constructions.is_empty()).then(|| {
        (
            hosted,
            WidgetPage {
                path: display.to_string(),
                constructions,
            },
        )
    })
}

/// Whether the file is a hosted template, and the lines of every
/// `new …OktaSignIn(...)` in real code (found as the linter finds them,
/// [`crate::linter::construction_lines`]).
fn scan_file(path: &Path, text: &str, kind: FileKind) -> (bool, Vec<usize>) {
    crate::parse::with_parsers(|p| {
        let (masked, regions) = match kind {
            FileKind::Script(d) => (
                source::masked_script(path, text).unwrap_or_else(|| text.to_string()),
                vec![(d, None)],
            ),
            FileKind::Html => {
                let doc = html::analyze_with(text, p.html(), source::template_syntax(path));
                let regions: Vec<_> = doc
                    .scripts
                    .iter()
                    .map(|r| (r.dialect, Some(r.range)))
                    .collect();
                (doc.masked, regions)
            }
            _ => return (false, Vec::new()),
        };
        let units: Vec<Unit> = regions
            .into_iter()
            .filter_map(|(dialect, range)| {
                p.parse_js(dialect, &masked, range)
                    .map(|tree| Unit { dialect, tree })
            })
            .collect();
        let hosted = is_hosted_page(kind, text, &masked, &units);
        (hosted, construction_lines(&units, &masked, text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    const JS: FileKind = FileKind::Script(Dialect::JavaScript);

    #[test]
    fn embedded_constructions_by_line_not_comments_or_strings() {
        let text = "// new OktaSignIn({})\nconst s = 'new OktaSignIn()';\nconst w = new OktaSignIn({ baseUrl });\nconst v = new window.OktaSignIn({});\n";
        let (hosted, page) = classify(Path::new("a.js"), "a.js", text, JS).unwrap();
        assert!(!hosted);
        assert_eq!(page.constructions, [3, 4]);
    }

    #[test]
    fn hosted_template_is_hosted_even_with_a_construction() {
        let text = "<html>{{{OktaUtil}}}<script>\nvar c = OktaUtil.getSignInWidgetConfig();\nvar w = new OktaSignIn(c);\n</script></html>";
        let (hosted, page) = classify(Path::new("t.html"), "t.html", text, FileKind::Html).unwrap();
        assert!(hosted);
        assert_eq!(page.constructions, [3]);
    }

    #[test]
    fn html_constructions_only_in_script_regions() {
        let text = "<p>new OktaSignIn({})</p>\n<!-- <script>new OktaSignIn({})</script> -->\n<script>\nnew OktaSignIn({});\n</script>";
        let (_, page) = classify(Path::new("p.html"), "p.html", text, FileKind::Html).unwrap();
        assert_eq!(page.constructions, [4]);
    }

    #[test]
    fn unrelated_files_are_not_listed() {
        assert!(classify(Path::new("a.js"), "a.js", "const OktaSignInLabel = 1;", JS).is_none());
        assert!(classify(Path::new("a.js"), "a.js", "new NotOktaSignIn();", JS).is_none());
    }
}
