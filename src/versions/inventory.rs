//! Every Okta package use in a set of files, resolved and graded: the data
//! behind `oie-lint versions`.
//!
//! One [`Use`] per reference: a manifest dependency (resolved through the
//! installed copy or the lockfile), a lockfile entry no manifest here
//! declares (a transitive copy), a CDN URL in an HTML attribute or a script,
//! and a vendored widget bundle. Each says which files it governs: the
//! source files whose nearest manifest declaring the package is this one,
//! the page a CDN URL sits in, the pages that load a bundle.

use super::{
    bundle, cdn, grade_range, grade_version, lockfile::LockEntry, parse_range, parse_version,
    real_package,
};
use super::{
    is_okta_package, Resolution, Thresholds, VersionIndex, AUTH_JS_PACKAGE, WIDGET_PACKAGE,
};
use crate::diagnostic::Severity;
use crate::source::{self, html, lines::LineIndex, FileKind};
use nodejs_semver::{Range, Version};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// How ready a use is for Okta Identity Engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Blocking,
    Warning,
    Ready,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Warning => "warning",
            Status::Blocking => "blocking",
            Status::Unknown => "unknown",
        }
    }
}

/// Where a use was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UseKind {
    Manifest,
    Lockfile,
    Cdn,
    Bundle,
}

/// One Okta package use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Use {
    pub package: String,
    pub kind: UseKind,
    /// The spec or range as written (`^5.0.0`, `npm:@okta/…@7`); `None` for
    /// CDN URLs, bundles and transitive lockfile entries.
    pub spec: Option<String>,
    /// The exact version that governs, when known.
    pub resolved: Option<String>,
    /// Where the exact version comes from (`package-lock.json:161`,
    /// `node_modules/@okta/okta-signin-widget/package.json:3`), or `range`.
    pub resolved_from: Option<String>,
    pub path: String,
    pub line: usize,
    /// Files this use governs (display paths, sorted).
    pub governs: Vec<String>,
    pub status: Status,
    /// Why, in one line.
    pub reason: String,
    /// An `oie-lint-ignore` marker for OIE004 covers this use (a `"//"`
    /// comment on the manifest dependency): the team has acknowledged it,
    /// so it is listed but not counted as blocking or warning. Set by the
    /// commands (`suppress::mark_acknowledged`), which know the rules.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// Byte offset of the use in its file (a manifest dependency: its spec),
    /// for the marker check above.
    #[serde(skip)]
    pub start: usize,
}

impl Use {
    /// The status that counts: `None` for a suppressed blocking or warning use.
    pub fn counted(&self) -> Option<Status> {
        match self.status {
            Status::Blocking | Status::Warning if self.suppressed => None,
            s => Some(s),
        }
    }
}

/// The grade of an exact version of `package`.
pub fn status_of_version(package: &str, v: &Version, t: &Thresholds) -> (Status, String) {
    match package {
        WIDGET_PACKAGE => match grade_version(v, t) {
            Some((Severity::Error, m)) => (Status::Blocking, m),
            Some((Severity::Warning, m)) => (Status::Warning, m),
            None => (
                Status::Ready,
                format!("Sign-In Widget {v} supports Identity Engine"),
            ),
        },
        _ => status_of_other(package, Some(v < &auth_js_idx()), v.to_string()),
    }
}

/// The grade of a range of `package`.
pub fn status_of_range(package: &str, spec: &str, r: &Range, t: &Thresholds) -> (Status, String) {
    match package {
        WIDGET_PACKAGE => match grade_range(spec, r, t) {
            Some((Severity::Error, m)) => (Status::Blocking, m),
            Some((Severity::Warning, m)) => (Status::Warning, m),
            None => (
                Status::Ready,
                format!("`{spec}` installs Sign-In Widget versions that support Identity Engine"),
            ),
        },
        _ => {
            let below = Range::parse(format!("<{}", auth_js_idx()))
                .map(|b| r.allows_any(&b))
                .ok();
            status_of_other(package, below, format!("`{spec}`"))
        }
    }
}

/// auth-js gained its `idx` module (the Identity Engine client) in 5.1.0.
fn auth_js_idx() -> Version {
    Version::parse("5.1.0").expect("literal")
}

fn status_of_other(package: &str, below_idx: Option<bool>, what: String) -> (Status, String) {
    match package {
        AUTH_JS_PACKAGE => match below_idx {
            Some(true) => (Status::Warning, format!("okta-auth-js {what} may lack the `idx` module (added in 5.1.0): Classic Authn API only")),
            Some(false) => (Status::Ready, format!("okta-auth-js {what} has the `idx` module")),
            None => (Status::Unknown, format!("okta-auth-js {what} cannot be graded")),
        },
        "@okta/okta-idx-js" => {
            (Status::Warning, "okta-idx-js is superseded: its IDX client moved into @okta/okta-auth-js (`idx`, 5.1.0+)".into())
        }
        _ => (Status::Unknown, format!("{package} follows the @okta/okta-auth-js it uses")),
    }
}

/// What one file contributed.
#[derive(Default)]
struct FileFacts {
    uses: Vec<Use>,
    /// (manifest path, dependency name) of each manifest use, same order as the manifest uses.
    manifest_keys: Vec<(usize, PathBuf, String)>,
    /// Bundles (absolute path) this page loads.
    loads: Vec<PathBuf>,
    /// A bundle file: its absolute path and use index.
    bundle: Option<(PathBuf, usize)>,
    /// A JavaScript or HTML file a manifest can govern.
    is_source: bool,
    error: Option<String>,
}

/// All uses in `files` (already discovered), sorted; plus `(path, error)`
/// for files that could not be read.
pub fn inventory(
    files: &[PathBuf],
    index: &VersionIndex,
    t: &Thresholds,
    read: source::ReadOptions,
) -> (Vec<Use>, Vec<(String, String)>) {
    let (uses, errors, _) = inventory_with(files, index, t, read, &|_, _, _, _| None::<()>);
    (uses, errors)
}

/// What a caller learns from a file's text while the inventory has it:
/// `(path, display path, kind, text)`, called once per file read (every
/// kind but stylesheets), on the inventory's threads.
pub type AlsoFn<'a, R> = dyn Fn(&Path, &str, FileKind, &str) -> Option<R> + Sync + 'a;

/// [`inventory`], and `also` run on each file's text as it is read, so a
/// caller that needs the same files (the audit's page scan) does not read
/// them again. Its results come back in `files` order.
pub fn inventory_with<R: Send>(
    files: &[PathBuf],
    index: &VersionIndex,
    t: &Thresholds,
    read: source::ReadOptions,
    also: &AlsoFn<'_, R>,
) -> (Vec<Use>, Vec<(String, String)>, Vec<R>) {
    let cwd = index.cwd().to_path_buf();
    let facts: Vec<(String, PathBuf, FileFacts, Option<R>)> = files
        .par_iter()
        .map(|p| {
            let display = source::display_path(p, &cwd);
            let (f, r) = file_facts(p, &display, index, t, read, also);
            (display, p.clone(), f, r)
        })
        .collect();
    let mut extra = Vec::new();
    let facts: Vec<(String, PathBuf, FileFacts)> = facts
        .into_iter()
        .map(|(d, p, f, r)| {
            extra.extend(r);
            (d, p, f)
        })
        .collect();
    let mut errors = Vec::new();
    let mut uses: Vec<Use> = Vec::new();
    let mut manifest_uses: BTreeMap<(PathBuf, String), usize> = BTreeMap::new();
    let mut bundles: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut sources: Vec<(String, PathBuf, Vec<PathBuf>)> = Vec::new();
    for (display, path, f) in facts {
        if let Some(e) = f.error {
            errors.push((display.clone(), e));
        }
        let base = uses.len();
        for (i, m, name) in f.manifest_keys {
            manifest_uses.insert((m, name), base + i);
        }
        if let Some((b, i)) = f.bundle {
            bundles.insert(b, base + i);
        }
        uses.extend(f.uses);
        if f.is_source || !f.loads.is_empty() {
            sources.push((display, path, f.loads));
        }
    }
    // Which files each manifest dependency and bundle governs. The nearest
    // declaring manifest depends on the folder alone: looked up once per
    // folder and package, not per file.
    let packages: BTreeSet<String> = manifest_uses
        .values()
        .map(|&i| uses[i].package.clone())
        .collect();
    let mut governing: HashMap<(PathBuf, &str), Option<usize>> = HashMap::new();
    for (display, path, loads) in &sources {
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        for package in &packages {
            let i = *governing
                .entry((dir.clone(), package.as_str()))
                .or_insert_with(|| {
                    let (m, dep) = index.declaring(path, package)?;
                    manifest_uses
                        .get(&(m.path.clone(), dep.name.clone()))
                        .copied()
                });
            if let Some(i) = i {
                uses[i].governs.push(display.clone());
            }
        }
        for b in loads {
            let i = match bundles.get(b) {
                Some(&i) => i,
                None => {
                    // A bundle outside the checked paths still governs the page.
                    let Some(v) = index.bundle_version(b) else {
                        continue;
                    };
                    let text = std::fs::read_to_string(b).unwrap_or_default();
                    uses.push(bundle_use(&source::display_path(b, &cwd), &text, &v, t));
                    bundles.insert(b.clone(), uses.len() - 1);
                    uses.len() - 1
                }
            };
            uses[i].governs.push(display.clone());
        }
    }
    for u in &mut uses {
        u.governs.sort();
        u.governs.dedup();
    }
    uses.sort_by(|a, b| {
        (&a.package, &a.path, a.line, a.kind).cmp(&(&b.package, &b.path, b.line, b.kind))
    });
    errors.sort();
    (uses, errors, extra)
}

fn file_facts<R>(
    path: &Path,
    display: &str,
    index: &VersionIndex,
    t: &Thresholds,
    read: source::ReadOptions,
    also: &AlsoFn<'_, R>,
) -> (FileFacts, Option<R>) {
    let mut f = FileFacts::default();
    let Some(kind) = read.kind_of(path) else {
        return (f, None);
    };
    if kind == FileKind::Css {
        // Stylesheets carry no widget version oie-lint reads.
        return (f, None);
    }
    let text = match read.read(path) {
        Ok(t) => t,
        Err(e) => {
            f.error = Some(e);
            return (f, None);
        }
    };
    let r = also(path, display, kind, &text);
    (file_facts_of(path, display, index, t, kind, &text, f), r)
}

fn file_facts_of(
    path: &Path,
    display: &str,
    index: &VersionIndex,
    t: &Thresholds,
    kind: FileKind,
    text: &str,
    mut f: FileFacts,
) -> FileFacts {
    let cwd = index.cwd();
    match kind {
        FileKind::PackageJson => {
            let Some(m) = index.manifest_in(path.parent().unwrap_or(Path::new(""))) else {
                // A manifest that does not parse is an error, not "no uses".
                if let Err(e) = super::manifest::Manifest::parse(text) {
                    f.error = Some(e);
                }
                return f;
            };
            for dep in m
                .manifest
                .dependencies
                .iter()
                .filter(|d| is_okta_package(real_package(d)))
            {
                let package = real_package(dep).to_string();
                let res = index.resolve(&m, dep);
                let u = manifest_use(&package, dep, &res, display, cwd, t);
                f.manifest_keys
                    .push((f.uses.len(), m.path.clone(), dep.name.clone()));
                f.uses.push(u);
            }
        }
        FileKind::Lockfile => match index.lockfile_at(path, Some(text)) {
            Ok(l) => {
                let used: BTreeSet<usize> = index
                    .lockfile_users(&l)
                    .into_iter()
                    .map(|u| u.index)
                    .collect();
                for (i, e) in l
                    .lock
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !used.contains(i))
                {
                    f.uses.push(lock_use(e, display, l.lines[i], t));
                }
            }
            Err(e) => f.error = Some(e),
        },
        FileKind::WidgetBundle | FileKind::Script(_) => {
            if let Some(b) = bundle::detect(path, text) {
                f.bundle = Some((index_abs(index, path), 0));
                f.uses.push(bundle_use(display, text, &b, t));
                if let Some(a) = bundle::bundled_auth_js(text) {
                    let line = LineIndex::new(text).position(text, a.start).line;
                    let (status, reason) = match parse_version(&a.version) {
                        Some(v) => status_of_version(AUTH_JS_PACKAGE, &v, t),
                        None => (Status::Unknown, "unreadable version".into()),
                    };
                    f.uses.push(Use {
                        package: AUTH_JS_PACKAGE.to_string(),
                        kind: UseKind::Bundle,
                        spec: None,
                        resolved: Some(a.version.clone()),
                        resolved_from: Some("bundle".into()),
                        path: display.to_string(),
                        line,
                        governs: Vec::new(),
                        status,
                        reason: format!("{reason} (inside the widget bundle)"),
                        suppressed: false,
                        start: a.start,
                    });
                }
            } else if kind != FileKind::WidgetBundle {
                f.is_source = true;
                let lines = LineIndex::new(text);
                let mut offset = 0;
                for line in text.split_inclusive('\n') {
                    let trimmed = line.trim_start();
                    if !(trimmed.starts_with("//")
                        || trimmed.starts_with('*')
                        || trimmed.starts_with("/*"))
                    {
                        cdn_uses(
                            text,
                            offset,
                            offset + line.len(),
                            &lines,
                            display,
                            t,
                            &mut f.uses,
                        );
                    }
                    offset += line.len();
                }
            }
        }
        FileKind::Html => {
            f.is_source = true;
            let syntax = source::template_syntax(path);
            let doc = crate::parse::with_parsers(|p| html::analyze_with(text, p.html(), syntax));
            let lines = LineIndex::new(text);
            for u in &doc.urls {
                cdn_uses(text, u.start, u.end, &lines, display, t, &mut f.uses);
                if let Some((b, _)) = index.local_bundle(path, &text[u.start..u.end]) {
                    f.loads.push(b);
                }
            }
        }
        // The CDN URLs a server substitutes into its pages.
        FileKind::Settings => {
            let doc = source::settings::analyze(text, source::settings::is_yaml(display));
            let lines = LineIndex::new(text);
            for u in &doc.urls {
                cdn_uses(text, u.start, u.end, &lines, display, t, &mut f.uses);
            }
        }
        FileKind::Css | FileKind::Server(_) => {}
    }
    f
}

fn index_abs(index: &VersionIndex, p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        index.cwd().join(p)
    };
    super::normalize(&abs)
}

fn manifest_use(
    package: &str,
    dep: &super::manifest::DependencySpec,
    res: &Resolution,
    display: &str,
    cwd: &Path,
    t: &Thresholds,
) -> Use {
    let (resolved, resolved_from) = match (&res.installed, &res.locked) {
        (Some(i), _) => (
            Some(i.version.clone()),
            Some(format!("{}:{}", source::display_path(&i.path, cwd), i.line)),
        ),
        (None, Some(l)) => (
            Some(l.entry().version.clone()),
            Some(format!(
                "{}:{}",
                source::display_path(&l.lockfile.path, cwd),
                l.line()
            )),
        ),
        (None, None) => (None, None),
    };
    let range_spec = super::lockfile::alias_target(&dep.spec)
        .map(|(_, r)| r)
        .unwrap_or(&dep.spec);
    let (status, reason) = match (
        resolved.as_deref().and_then(parse_version),
        parse_range(range_spec),
    ) {
        (Some(v), _) => status_of_version(package, &v, t),
        (None, _) if resolved.is_some() => (
            Status::Unknown,
            format!(
                "`{}` is not a registry version",
                resolved.as_deref().unwrap_or("")
            ),
        ),
        (None, Some(r)) => status_of_range(package, range_spec, &r, t),
        (None, None) => (
            Status::Unknown,
            format!(
                "`{}` cannot be resolved without a lockfile or an installed copy",
                dep.spec
            ),
        ),
    };
    Use {
        package: package.to_string(),
        kind: UseKind::Manifest,
        spec: Some(dep.spec.clone()),
        resolved_from: resolved_from
            .or_else(|| parse_range(range_spec).map(|_| "range".to_string())),
        resolved,
        path: display.to_string(),
        line: dep.line,
        governs: Vec::new(),
        status,
        reason,
        suppressed: false,
        start: dep.start,
    }
}

fn lock_use(e: &LockEntry, display: &str, line: usize, t: &Thresholds) -> Use {
    let (status, reason) = match parse_version(&e.version) {
        Some(v) => status_of_version(&e.package, &v, t),
        None => (
            Status::Unknown,
            format!("`{}` is not a registry version", e.version),
        ),
    };
    Use {
        package: e.package.clone(),
        kind: UseKind::Lockfile,
        spec: None,
        resolved: Some(e.version.clone()),
        resolved_from: Some(format!("{display}:{line}")),
        path: display.to_string(),
        line,
        governs: Vec::new(),
        status,
        reason: format!("{reason} (a dependency of another package)"),
        suppressed: false,
        start: 0,
    }
}

fn bundle_use(display: &str, text: &str, b: &bundle::BundleVersion, t: &Thresholds) -> Use {
    let line = LineIndex::new(text).position(text, b.start).line;
    let (status, reason) = match parse_version(&b.version) {
        Some(v) => status_of_version(WIDGET_PACKAGE, &v, t),
        None => (Status::Unknown, "unreadable version".into()),
    };
    Use {
        package: WIDGET_PACKAGE.to_string(),
        kind: UseKind::Bundle,
        spec: None,
        resolved: Some(b.version.clone()),
        resolved_from: Some("bundle".into()),
        path: display.to_string(),
        line,
        governs: Vec::new(),
        status,
        reason,
        suppressed: false,
        start: b.start,
    }
}

/// Widget and auth-js CDN URLs inside `text[start..end]`.
#[allow(clippy::too_many_arguments)]
fn cdn_uses(
    text: &str,
    start: usize,
    end: usize,
    lines: &LineIndex,
    display: &str,
    t: &Thresholds,
    out: &mut Vec<Use>,
) {
    let s = &text[start..end];
    let found = cdn::widget_versions_in(s)
        .into_iter()
        .map(|u| (WIDGET_PACKAGE, u))
        .chain(
            cdn::auth_js_versions_in(s)
                .into_iter()
                .map(|u| (AUTH_JS_PACKAGE, u)),
        );
    for (package, u) in found {
        let (status, reason) = match parse_version(&u.version) {
            Some(v) => status_of_version(package, &v, t),
            None => (Status::Unknown, "unreadable version".into()),
        };
        out.push(Use {
            package: package.to_string(),
            kind: UseKind::Cdn,
            spec: None,
            resolved: Some(u.version.clone()),
            resolved_from: Some("cdn".into()),
            path: display.to_string(),
            line: lines.position(text, start + u.start).line,
            governs: vec![display.to_string()],
            status,
            reason,
            suppressed: false,
            start: start + u.start,
        });
    }
}
