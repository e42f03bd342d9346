//! Which HTML pages load a script next to the Sign-In Widget.
//!
//! A standalone `login.js` with `new OktaSignIn({...})` and no `package.json`
//! runs the widget its page loads: `<script src="…/okta-sign-in.min.js">`
//! from a CDN or a local bundle, then `<script src="js/login.js">`. The
//! [`PageIndex`] of a repository maps each script such a page loads (a
//! relative `src`, or a root-relative one found under the page's ancestors
//! or a common web root; query strings and fragments ignored) to the pages
//! and the widget version each loads.
//!
//! Cost: the index is built at most once per run and repository, and only
//! when a script needs it (a widget config whose severity depends on the
//! version, with no `package.json` declaring the widget). Building it is one
//! gitignore-aware walk of the repository (the nearest ancestor with `.git`,
//! else the working directory) that reads only HTML-like files and parses
//! only those that mention the widget (`okta-sign…`, a byte search), so a
//! pre-commit run naming one file finds its page without walking the tree
//! once per file.

use super::{bundle, cdn, parse_version, strip_context_path, VersionIndex};
use crate::discover::SKIP_DIRS;
use crate::source::{html, overlay, template_syntax, FileKind};
use memchr::memmem;
use nodejs_semver::Version;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A page that loads a script, and the widget version the page loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadingPage {
    pub page: PathBuf,
    pub version: Version,
}

/// How much work building an index took (`tests/it/versions.rs` pins it;
/// `--timings` users can reason about it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageScan {
    /// Files the walk listed.
    pub files: usize,
    /// HTML-like files read.
    pub read: usize,
    /// Pages that mention the widget, parsed as HTML.
    pub parsed: usize,
    /// Pages that load the widget and at least one other script.
    pub pages: usize,
    /// The walk stopped at [`MAX_FILES`] (a search root that is not a
    /// repository, such as a home directory).
    pub truncated: bool,
}

/// The most files one page search lists: a bound for a search root that is
/// not a repository (no `.git` up the tree and a working directory such as
/// `~`), where a script's pages cannot be told from everything else.
pub const MAX_FILES: usize = 200_000;

/// The pages of one repository that load the widget, by the scripts they load.
#[derive(Debug, Default)]
pub struct PageIndex {
    /// Absolute, normalised script path → the pages loading it.
    by_script: HashMap<PathBuf, Vec<LoadingPage>>,
    pub scan: PageScan,
}

/// Root-relative `src` values are looked up under these folders of each of
/// the page's ancestors (`/js/login.js` of a Spring `templates/login.html`
/// is `static/js/login.js`).
pub(super) const WEB_ROOTS: &[&str] = &[
    "",
    "static",
    "public",
    "webapp",
    "wwwroot",
    "resources/static",
    "main/resources/static",
    "main/webapp",
];

/// The files a `src` may name: relative to the page's directory, or for a
/// root-relative `src`, under the page's ancestors (up to 8) and their web
/// roots. Empty for URLs, templated and protocol-relative values.
pub(super) fn candidates(page_dir: &Path, src: &str) -> Vec<PathBuf> {
    let src = strip_context_path(src.split(['?', '#']).next().unwrap_or("").trim());
    if src.is_empty()
        || src.contains("://")
        || src.starts_with("//")
        || src.starts_with("data:")
        || src.contains(['{', '$', '<', '%'])
    {
        return Vec::new();
    }
    match src.strip_prefix('/') {
        None => vec![super::normalize(&page_dir.join(src))],
        Some(rooted) => page_dir
            .ancestors()
            .take(8)
            .flat_map(|a| {
                WEB_ROOTS
                    .iter()
                    .map(move |w| super::normalize(&a.join(w).join(rooted)))
            })
            .collect(),
    }
}

impl PageIndex {
    /// Walks `root` and indexes its pages (see the module docs).
    pub fn build(root: &Path, versions: &VersionIndex) -> PageIndex {
        let mut index = PageIndex::default();
        let mut walked = std::collections::HashSet::new();
        let mut parser = tree_sitter::Parser::new();
        let walk = ignore::WalkBuilder::new(root)
            .add_custom_ignore_filename(".oie-lintignore")
            .require_git(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIP_DIRS.contains(&n)))
            })
            .build();
        for entry in walk.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if index.scan.files == MAX_FILES {
                index.scan.truncated = true;
                break;
            }
            index.scan.files += 1;
            let path = entry.path();
            if FileKind::from_path(path) != Some(FileKind::Html) {
                continue;
            }
            let Ok(text) = overlay::read_to_string(path) else {
                continue;
            };
            index.scan.read += 1;
            let page = super::normalize(path);
            walked.insert(page.clone());
            index.index_page(&page, &text, &mut parser, versions);
        }
        // Pages open in an editor and not saved yet.
        for page in overlay::paths_under(root) {
            if FileKind::from_path(&page) == Some(FileKind::Html) && !walked.contains(&page) {
                if let Some(text) = overlay::get(&page) {
                    index.index_page(&page, &text, &mut parser, versions);
                }
            }
        }
        for pages in index.by_script.values_mut() {
            sort_pages(pages);
        }
        index
    }

    /// Adds `page` when it mentions the widget (a byte search), parsed.
    fn index_page(
        &mut self,
        page: &Path,
        text: &str,
        parser: &mut tree_sitter::Parser,
        versions: &VersionIndex,
    ) {
        if memmem::find(text.as_bytes(), b"okta-sign").is_none() {
            return;
        }
        self.scan.parsed += 1;
        self.add_page(page, text, parser, versions);
    }

    /// This index with `page` (absolute, normalised) indexed again from
    /// `text` (`None`: the page is gone), and the scripts whose pages
    /// changed (loaded before or after). One page's work, no walk: how an
    /// edited page reaches the scripts it loads.
    pub fn with_page(
        &self,
        page: &Path,
        text: Option<&str>,
        versions: &VersionIndex,
    ) -> (PageIndex, Vec<PathBuf>) {
        let mut touched: Vec<PathBuf> = Vec::new();
        let mut by_script = HashMap::with_capacity(self.by_script.len());
        for (script, pages) in &self.by_script {
            if pages.iter().any(|p| p.page == page) {
                touched.push(script.clone());
                let kept: Vec<_> = pages.iter().filter(|p| p.page != page).cloned().collect();
                if !kept.is_empty() {
                    by_script.insert(script.clone(), kept);
                }
            } else {
                by_script.insert(script.clone(), pages.clone());
            }
        }
        let mut out = PageIndex {
            by_script,
            scan: self.scan,
        };
        if let Some(text) = text {
            let mut parser = tree_sitter::Parser::new();
            out.index_page(page, text, &mut parser, versions);
            for (script, pages) in out.by_script.iter_mut() {
                if pages.iter().any(|p| p.page == page) {
                    sort_pages(pages);
                    touched.push(script.clone());
                }
            }
        }
        touched.sort();
        touched.dedup();
        (out, touched)
    }

    fn add_page(
        &mut self,
        page: &Path,
        text: &str,
        parser: &mut tree_sitter::Parser,
        versions: &VersionIndex,
    ) {
        let doc = html::analyze_with(text, parser, template_syntax(page));
        let Some(version) = page_widget_version(page, text, &doc.urls, versions) else {
            return;
        };
        let Some(dir) = page.parent() else { return };
        let mut any = false;
        for u in &doc.urls {
            let src = &text[u.start..u.end];
            for c in candidates(dir, src) {
                // The widget bundle itself is not a script it governs.
                if c.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(bundle::is_bundle_file_name)
                {
                    continue;
                }
                any = true;
                self.by_script.entry(c).or_default().push(LoadingPage {
                    page: page.to_path_buf(),
                    version: version.clone(),
                });
            }
        }
        self.scan.pages += usize::from(any);
    }

    /// The pages that load `script` (absolute, normalised), lowest widget
    /// version first.
    pub fn pages_loading(&self, script: &Path) -> &[LoadingPage] {
        self.by_script.get(script).map_or(&[], Vec::as_slice)
    }
}

/// Lowest widget version first, then by page; one entry per page.
fn sort_pages(pages: &mut Vec<LoadingPage>) {
    pages.sort_by(|a, b| (&a.version, &a.page).cmp(&(&b.version, &b.page)));
    pages.dedup();
}

/// The widget version an HTML page loads: the lowest widget CDN version of
/// its `src`/`href` values (and front matter), else the version of a local
/// widget bundle it loads.
pub fn page_widget_version(
    page: &Path,
    text: &str,
    urls: &[crate::source::page::UrlAttr],
    versions: &VersionIndex,
) -> Option<Version> {
    let cdn = urls
        .iter()
        .flat_map(|u| cdn::widget_versions_in(&text[u.start..u.end]))
        .filter_map(|u| parse_version(&u.version))
        .min();
    cdn.or_else(|| {
        urls.iter()
            .filter_map(|u| versions.local_bundle(page, &text[u.start..u.end]))
            .filter_map(|(_, b)| parse_version(&b.version))
            .min()
    })
}

/// The repository a file belongs to, for the page search: the nearest
/// ancestor with a `.git` entry; else `cwd` when the file is below it; else
/// the file's own directory.
pub fn search_root(file: &Path, cwd: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new(""));
    if let Some(git) = dir.ancestors().find(|a| a.join(".git").exists()) {
        return git.to_path_buf();
    }
    if file.starts_with(cwd) {
        return cwd.to_path_buf();
    }
    dir.to_path_buf()
}
