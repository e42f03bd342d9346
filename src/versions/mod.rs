//! What the repository says about the Sign-In Widget version, and how a
//! version or npm range grades against Okta's thresholds.
//!
//! Version sources: widget CDN URLs ([`cdn`]), `package.json` ranges
//! ([`manifest`]), lockfiles ([`lockfile`]), installed packages
//! (`node_modules/<name>/package.json`, read directly) and vendored widget
//! bundles ([`bundle`]). The [`VersionIndex`] answers "which version governs
//! this file": the nearest `package.json` up the tree that declares the
//! package, resolved to an exact version by precedence — installed package,
//! then lockfile (the manifest's own, or its workspace root's), then the
//! manifest range. Every manifest, lockfile, installed package and bundle is
//! read at most once per run (cached; a lockfile is parsed once even when
//! many threads ask for it at the same time).

pub mod bundle;
pub mod cdn;
pub mod inventory;
pub mod lockfile;
pub mod manifest;
pub mod pages;

use crate::diagnostic::Severity;
use lockfile::{LockEntry, Lockfile};
use manifest::{DependencySpec, Manifest};
use nodejs_semver::{Range, Version};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The npm package name of the Sign-In Widget.
pub const WIDGET_PACKAGE: &str = "@okta/okta-signin-widget";
/// The npm package name of the Okta Auth JavaScript SDK.
pub const AUTH_JS_PACKAGE: &str = "@okta/okta-auth-js";

/// The Okta packages whose versions oie-lint tracks.
pub const OKTA_PACKAGES: &[&str] = &[
    WIDGET_PACKAGE,
    AUTH_JS_PACKAGE,
    "@okta/okta-idx-js",
    "@okta/okta-react",
    "@okta/okta-angular",
    "@okta/okta-vue",
];

pub fn is_okta_package(name: &str) -> bool {
    OKTA_PACKAGES.contains(&name)
}

/// The package a dependency installs: the `npm:` alias target, else its name.
pub fn real_package(dep: &DependencySpec) -> &str {
    match lockfile::alias_target(&dep.spec) {
        Some((target, _)) if !target.is_empty() => target,
        _ => &dep.name,
    }
}

/// The version OIE004 fixes upgrade to unless `--target-widget-version`
/// says otherwise: the latest 7.x tag of `okta/okta-signin-widget` the
/// project's research names.
pub const DEFAULT_TARGET_WIDGET_VERSION: &str = "7.48.2";

/// The version lines the rules grade against.
#[derive(Debug, Clone)]
pub struct Thresholds {
    /// Below this the widget has no Identity Engine support (error). Okta's
    /// migration guide: 5.2.0.
    pub min: Version,
    /// Below this Okta's upgrade guides say embedded widgets lack Identity
    /// Engine flows (warning). 5.11.0.
    pub recommended: Version,
    /// What OIE004's fix upgrades to (`--target-widget-version`).
    pub target: Version,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min: v("5.2.0"),
            recommended: v("5.11.0"),
            target: v(DEFAULT_TARGET_WIDGET_VERSION),
        }
    }
}

fn v(s: &str) -> Version {
    Version::parse(s).expect("valid version literal")
}

fn range(s: &str) -> Range {
    Range::parse(s).expect("valid range literal")
}

/// Parses a version as written in a URL or bundle (`5.2.0`, `v5.2.0`).
pub fn parse_version(s: &str) -> Option<Version> {
    Version::parse(s.trim().trim_start_matches('v')).ok()
}

/// Parses an npm dependency spec as a semver range. `None` for what npm
/// does not resolve from the registry by range: tags (`latest`), aliases
/// (`npm:`), `workspace:`, git/file/URL specs.
pub fn parse_range(spec: &str) -> Option<Range> {
    let s = spec.trim();
    if s.contains(':') || s.contains('/') || s.is_empty() {
        return None;
    }
    Range::parse(s).ok()
}

/// The grade of an exact version: `None` when fine.
pub fn grade_version(version: &Version, t: &Thresholds) -> Option<(Severity, String)> {
    if version < &t.min {
        Some((
            Severity::Error,
            format!(
                "Sign-In Widget {version} predates Identity Engine support (needs {} or later)",
                t.min
            ),
        ))
    } else if version < &t.recommended {
        Some((
            Severity::Warning,
            format!("Sign-In Widget {version} is below {}, which Okta's upgrade guides require for Identity Engine flows", t.recommended),
        ))
    } else {
        None
    }
}

/// The grade of an npm range (what `npm install` may pick): a range that can
/// only install versions below the minimum is an error; one that admits such
/// versions, or versions below the recommended line, is a warning.
pub fn grade_range(spec: &str, r: &Range, t: &Thresholds) -> Option<(Severity, String)> {
    let at_least = |x: &Version| range(&format!(">={x}"));
    let below = |x: &Version| range(&format!("<{x}"));
    if !r.allows_any(&at_least(&t.min)) {
        Some((
            Severity::Error,
            format!("`{spec}` can only install Sign-In Widget versions below {}, which lack Identity Engine support", t.min),
        ))
    } else if r.allows_any(&below(&t.min)) {
        Some((Severity::Warning, format!("`{spec}` admits Sign-In Widget versions below {}, which lack Identity Engine support", t.min)))
    } else if r.allows_any(&below(&t.recommended)) {
        Some((
            Severity::Warning,
            format!("`{spec}` admits Sign-In Widget versions below {}, which Okta's upgrade guides require for Identity Engine flows", t.recommended),
        ))
    } else {
        None
    }
}

/// What is known about the widget version that governs a file.
#[derive(Debug, Clone)]
pub enum WidgetVersion {
    Exact(Version),
    Range { spec: String, range: Range },
    Unknown,
}

/// Whether an embedded widget must opt in to Identity Engine with
/// `useInteractionCodeFlow: true` (5.2.0 ≤ V < 7.0.0; from 7.0 OIE is the
/// default and the option is gone; below 5.2.0 it does not exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptInNeed {
    Required,
    NotNeeded,
    Unknown,
}

pub fn interaction_code_opt_in(w: &WidgetVersion, t: &Thresholds) -> OptInNeed {
    let r = match w {
        WidgetVersion::Exact(v) => Range::parse(format!("={v}")).ok(),
        WidgetVersion::Range { range, .. } => Some(range.clone()),
        WidgetVersion::Unknown => None,
    };
    let Some(r) = r else {
        return OptInNeed::Unknown;
    };
    let old = r.allows_any(&range(&format!("<{}", t.min)));
    let mid = r.allows_any(&range(&format!(">={} <7.0.0", t.min)));
    let new = r.allows_any(&range(">=7.0.0"));
    match (old, mid, new) {
        (false, true, false) => OptInNeed::Required,
        (_, false, _) if old || new => OptInNeed::NotNeeded,
        _ => OptInNeed::Unknown,
    }
}

/// A parsed `package.json` and where it is.
#[derive(Debug)]
pub struct ManifestFile {
    pub path: PathBuf,
    pub manifest: Manifest,
}

/// A parsed lockfile and where it is.
#[derive(Debug)]
pub struct LockfileAt {
    pub path: PathBuf,
    pub lock: Lockfile,
    /// 1-based line of each entry's version text (same order as `lock.entries`).
    pub lines: Vec<usize>,
    /// A hash of the text parsed, so that a caller holding other text for
    /// the same path is not given this parse (see [`VersionIndex::lockfile_at`]).
    digest: u64,
}

impl LockfileAt {
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }
}

/// The version a lockfile pins for a dependency.
#[derive(Debug, Clone)]
pub struct Locked {
    pub lockfile: Arc<LockfileAt>,
    pub index: usize,
}

impl Locked {
    pub fn entry(&self) -> &LockEntry {
        &self.lockfile.lock.entries[self.index]
    }
    pub fn line(&self) -> usize {
        self.lockfile.lines[self.index]
    }
}

/// An installed copy: `node_modules/<name>/package.json`.
#[derive(Debug, Clone)]
pub struct Installed {
    pub path: PathBuf,
    pub package: String,
    pub version: String,
    pub line: usize,
}

/// What is known exactly about a manifest dependency. Precedence: the
/// installed copy, then the lockfile entry; neither leaves the range.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub installed: Option<Installed>,
    pub locked: Option<Locked>,
}

impl Resolution {
    /// The version text that governs (installed before locked).
    pub fn version(&self) -> Option<&str> {
        self.installed
            .as_ref()
            .map(|i| i.version.as_str())
            .or_else(|| self.locked.as_ref().map(|l| l.entry().version.as_str()))
    }

    pub fn exact(&self) -> Option<Version> {
        self.version().and_then(parse_version)
    }
}

/// What governs a file: the nearest manifest declaring the widget (with what
/// it resolves to), and whether any manifest up the tree depends on an
/// `@okta/` package.
#[derive(Debug, Clone, Default)]
pub struct Governing {
    pub widget: Option<(Arc<ManifestFile>, DependencySpec)>,
    pub resolution: Resolution,
    pub okta_dependency: bool,
}

impl Governing {
    /// The installed or locked version when known, else the manifest range.
    pub fn widget_version(&self) -> WidgetVersion {
        if let Some(v) = self.resolution.exact() {
            return WidgetVersion::Exact(v);
        }
        match &self.widget {
            Some((_, dep)) => match parse_range(&dep.spec) {
                Some(range) => WidgetVersion::Range {
                    spec: dep.spec.clone(),
                    range,
                },
                None => WidgetVersion::Unknown,
            },
            None => WidgetVersion::Unknown,
        }
    }
}

/// A manifest dependency that a lockfile entry installs.
#[derive(Debug, Clone)]
pub struct LockUser {
    pub manifest: Arc<ManifestFile>,
    pub dep: DependencySpec,
    pub index: usize,
}

type Once<T> = Arc<OnceLock<T>>;
type Parsed = Result<Arc<LockfileAt>, String>;

/// Thread-safe cache of everything read while answering version questions.
pub struct VersionIndex {
    cwd: PathBuf,
    dirs: Mutex<HashMap<PathBuf, Option<Arc<ManifestFile>>>>,
    lockfiles: Mutex<HashMap<PathBuf, Once<Parsed>>>,
    lock_in_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    workspace_roots: Mutex<HashMap<PathBuf, Option<(PathBuf, String)>>>,
    installed: Mutex<HashMap<PathBuf, Option<Installed>>>,
    bundles: Mutex<HashMap<PathBuf, Once<Option<bundle::BundleVersion>>>>,
    /// The page index of each repository, built on first need.
    pages: Mutex<HashMap<PathBuf, Once<Arc<pages::PageIndex>>>>,
    parses: std::sync::atomic::AtomicUsize,
}

/// Lexically normalised: `.` dropped, `..` applied.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `rel` with `/` separators (`""` for the same directory).
fn slash_rel(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A hash of a file's text (not cryptographic: it tells two texts of one
/// path apart).
fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

fn once<T>(map: &Mutex<HashMap<PathBuf, Once<T>>>, key: &Path) -> Once<T> {
    map.lock()
        .unwrap()
        .entry(key.to_path_buf())
        .or_default()
        .clone()
}

/// The globs of `pnpm-workspace.yaml` (`packages:` list items).
fn pnpm_workspace_globs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') && !line.trim().is_empty() {
            inside = line.trim_end() == "packages:";
            continue;
        }
        if let Some(item) = line.trim().strip_prefix("- ").filter(|_| inside) {
            out.push(item.trim().trim_matches(['\'', '"']).to_string());
        }
    }
    out
}

/// Whether `rel` (a member dir relative to the workspace root) matches the globs.
fn workspace_member(globs: &[String], rel: &str) -> bool {
    let matches = |g: &str| {
        globset::Glob::new(g.trim_start_matches("./").trim_end_matches('/'))
            .map(|g| g.compile_matcher().is_match(rel))
            .unwrap_or(false)
    };
    globs.iter().any(|g| !g.starts_with('!') && matches(g))
        && !globs
            .iter()
            .any(|g| g.strip_prefix('!').is_some_and(matches))
}

impl VersionIndex {
    pub fn new(cwd: PathBuf) -> Self {
        VersionIndex {
            cwd,
            dirs: Mutex::default(),
            lockfiles: Mutex::default(),
            lock_in_dir: Mutex::default(),
            workspace_roots: Mutex::default(),
            installed: Mutex::default(),
            bundles: Mutex::default(),
            pages: Mutex::default(),
            parses: Default::default(),
        }
    }

    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    fn abs(&self, p: &Path) -> PathBuf {
        normalize(&if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.cwd.join(p)
        })
    }

    /// How many lockfiles were parsed so far (each at most once).
    pub fn lockfile_parses(&self) -> usize {
        self.parses.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The manifest in `dir`, if any (read once).
    pub fn manifest_in(&self, dir: &Path) -> Option<Arc<ManifestFile>> {
        let dir = self.abs(dir);
        if let Some(hit) = self.dirs.lock().unwrap().get(&dir) {
            return hit.clone();
        }
        let path = dir.join("package.json");
        let found = crate::source::overlay::read_to_string(&path)
            .ok()
            .and_then(|text| Manifest::parse(&text).ok())
            .map(|manifest| Arc::new(ManifestFile { path, manifest }));
        self.dirs.lock().unwrap().insert(dir, found.clone());
        found
    }

    /// The lockfile at `path`, parsed once. `text` is used instead of reading
    /// the file when given (the linter already has it). `Err` is one line.
    ///
    /// A caller whose `text` is not the text the cached parse was made from
    /// (standard input for a path that also exists on disk, a file read
    /// earlier in the run through a manifest and since changed) gets a parse
    /// of its own text, uncached: positions from another text would point
    /// outside its own.
    pub fn lockfile_at(&self, path: &Path, text: Option<&str>) -> Result<Arc<LockfileAt>, String> {
        let path = self.abs(path);
        let cell = once(&self.lockfiles, &path);
        let mut fresh = false;
        let cached = cell
            .get_or_init(|| {
                fresh = true;
                self.parse_lockfile(&path, text)
            })
            .clone();
        match (text, &cached) {
            (Some(t), Ok(l)) if l.digest != digest(t) => self.parse_lockfile(&path, Some(t)),
            // An error cached from the file on disk says nothing of `t`.
            (Some(t), Err(_)) if !fresh => self.parse_lockfile(&path, Some(t)),
            _ => cached,
        }
    }

    fn parse_lockfile(&self, path: &Path, text: Option<&str>) -> Parsed {
        let owned;
        let text = match text {
            Some(t) => t,
            None => {
                owned = crate::source::overlay::read_to_string(path).map_err(|e| e.to_string())?;
                &owned
            }
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        self.parses
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let lock = Lockfile::parse(name, text)?;
        let index = crate::source::lines::LineIndex::new(text);
        let lines = lock
            .entries
            .iter()
            .map(|e| index.position(text, e.start).line)
            .collect();
        Ok(Arc::new(LockfileAt {
            path: path.to_path_buf(),
            lock,
            lines,
            digest: digest(text),
        }))
    }

    /// The lockfile of `dir` (first of [`lockfile::NAMES`] present).
    pub fn lockfile_in(&self, dir: &Path) -> Option<Arc<LockfileAt>> {
        let dir = self.abs(dir);
        let cached = self.lock_in_dir.lock().unwrap().get(&dir).cloned();
        let path = match cached {
            Some(p) => p,
            None => {
                let p = lockfile::NAMES
                    .iter()
                    .map(|n| dir.join(n))
                    .find(|p| crate::source::overlay::is_file(p));
                self.lock_in_dir.lock().unwrap().insert(dir, p.clone());
                p
            }
        };
        self.lockfile_at(&path?, None).ok()
    }

    /// The workspace root `dir` belongs to (an ancestor whose `package.json`
    /// has `workspaces`, or with a `pnpm-workspace.yaml`, whose globs match
    /// `dir`), and `dir` relative to it.
    pub fn workspace_root(&self, dir: &Path) -> Option<(PathBuf, String)> {
        let dir = self.abs(dir);
        if let Some(hit) = self.workspace_roots.lock().unwrap().get(&dir) {
            return hit.clone();
        }
        let mut found = None;
        for a in dir.ancestors().skip(1) {
            let globs = match crate::source::overlay::read_to_string(&a.join("pnpm-workspace.yaml"))
            {
                Ok(t) => pnpm_workspace_globs(&t),
                Err(_) => self
                    .manifest_in(a)
                    .map(|m| m.manifest.workspaces.clone())
                    .unwrap_or_default(),
            };
            if globs.is_empty() {
                continue;
            }
            let rel = slash_rel(&dir, a).unwrap_or_default();
            if workspace_member(&globs, &rel) {
                found = Some((a.to_path_buf(), rel));
            }
            break;
        }
        self.workspace_roots
            .lock()
            .unwrap()
            .insert(dir, found.clone());
        found
    }

    /// `node_modules/<name>/package.json` below `dir`, read once.
    fn installed_in(&self, dir: &Path, name: &str) -> Option<Installed> {
        let path = dir.join("node_modules").join(name).join("package.json");
        if let Some(hit) = self.installed.lock().unwrap().get(&path) {
            return hit.clone();
        }
        let found = crate::source::overlay::read_to_string(&path)
            .ok()
            .and_then(|text| {
                let ast =
                    jsonc_parser::parse_to_ast(&text, &Default::default(), &Default::default())
                        .ok()?;
                let Some(jsonc_parser::ast::Value::Object(root)) = ast.value else {
                    return None;
                };
                let v = root.get_string("version")?;
                let line =
                    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..v.range.start]).count();
                let package = root
                    .get_string("name")
                    .map(|n| n.value.to_string())
                    .unwrap_or_else(|| name.to_string());
                Some(Installed {
                    path: path.clone(),
                    package,
                    version: v.value.to_string(),
                    line,
                })
            });
        self.installed.lock().unwrap().insert(path, found.clone());
        found
    }

    /// What the dependency `dep` of `manifest` resolves to: the installed
    /// copy (the manifest's `node_modules`, then its parents' up to the
    /// workspace root), and the entry of the manifest's own lockfile or, for
    /// a workspace member, of the workspace root's lockfile.
    pub fn resolve(&self, manifest: &ManifestFile, dep: &DependencySpec) -> Resolution {
        let dir = self.abs(manifest.path.parent().unwrap_or(Path::new("")));
        let ws = self.workspace_root(&dir);
        let top = ws
            .as_ref()
            .map(|(root, _)| root.clone())
            .unwrap_or_else(|| dir.clone());
        let installed = dir
            .ancestors()
            .take_while(|a| a.starts_with(&top))
            .find_map(|a| self.installed_in(a, &dep.name));
        let locked = match self.lockfile_in(&dir) {
            Some(l) => l
                .lock
                .resolve("", &dep.name, &dep.spec)
                .map(|index| Locked { lockfile: l, index }),
            None => ws.and_then(|(root, rel)| {
                let l = self.lockfile_in(&root)?;
                l.lock
                    .resolve(&rel, &dep.name, &dep.spec)
                    .map(|index| Locked { lockfile: l, index })
            }),
        };
        Resolution { installed, locked }
    }

    /// The manifests that govern `file`, nearest first.
    pub fn governing(&self, file: &Path) -> Governing {
        let abs = self.abs(file);
        let mut g = Governing::default();
        let mut dir = abs.parent();
        while let Some(d) = dir {
            if let Some(m) = self.manifest_in(d) {
                g.okta_dependency |= m.manifest.has_okta_dependency();
                if g.widget.is_none() {
                    if let Some(dep) = m
                        .manifest
                        .dependencies
                        .iter()
                        .find(|d| real_package(d) == WIDGET_PACKAGE)
                    {
                        g.resolution = self.resolve(&m, dep);
                        g.widget = Some((m.clone(), dep.clone()));
                    }
                }
                if g.widget.is_some() && g.okta_dependency {
                    break;
                }
            }
            dir = d.parent();
        }
        g
    }

    /// The nearest manifest up from `file` that declares `package`.
    pub fn declaring(
        &self,
        file: &Path,
        package: &str,
    ) -> Option<(Arc<ManifestFile>, DependencySpec)> {
        let abs = self.abs(file);
        abs.ancestors().skip(1).find_map(|d| {
            let m = self.manifest_in(d)?;
            let dep = m
                .manifest
                .dependencies
                .iter()
                .find(|d| real_package(d) == package)?
                .clone();
            Some((m, dep))
        })
    }

    /// What is known about the version of any Okta `package` that governs
    /// `file`: the nearest manifest declaring it, resolved by precedence
    /// (installed, lockfile, range). [`WidgetVersion`] serves every package.
    pub fn version_of(&self, file: &Path, package: &str) -> WidgetVersion {
        let Some((m, dep)) = self.declaring(file, package) else {
            return WidgetVersion::Unknown;
        };
        if let Some(v) = self.resolve(&m, &dep).exact() {
            return WidgetVersion::Exact(v);
        }
        let spec = lockfile::alias_target(&dep.spec)
            .map(|(_, r)| r)
            .unwrap_or(&dep.spec);
        match parse_range(spec) {
            Some(range) => WidgetVersion::Range {
                spec: dep.spec.clone(),
                range,
            },
            None => WidgetVersion::Unknown,
        }
    }

    /// The manifest dependencies a lockfile's entries serve: the lockfile's
    /// own directory and every workspace member it lists (for yarn v1, which
    /// lists none, the members the root `workspaces` globs name).
    pub fn lockfile_users(&self, l: &LockfileAt) -> Vec<LockUser> {
        let dir = l.dir().to_path_buf();
        let mut importers = l.lock.importers.clone();
        importers.push(String::new());
        if let Some(root) = self.manifest_in(&dir) {
            for g in &root.manifest.workspaces {
                importers.extend(expand_simple_glob(&dir, g));
            }
        }
        importers.sort();
        importers.dedup();
        let mut out = Vec::new();
        for imp in importers {
            let Some(m) = self.manifest_in(&if imp.is_empty() {
                dir.clone()
            } else {
                dir.join(&imp)
            }) else {
                continue;
            };
            for dep in m
                .manifest
                .dependencies
                .iter()
                .filter(|d| is_okta_package(real_package(d)))
            {
                if let Some(index) = l.lock.resolve(&imp, &dep.name, &dep.spec) {
                    out.push(LockUser {
                        manifest: m.clone(),
                        dep: dep.clone(),
                        index,
                    });
                }
            }
        }
        out
    }

    /// The widget version a vendored bundle declares (read once per path).
    pub fn bundle_version(&self, path: &Path) -> Option<bundle::BundleVersion> {
        let path = self.abs(path);
        once(&self.bundles, &path)
            .get_or_init(|| {
                let bytes = crate::source::overlay::read(&path).ok()?;
                let text = String::from_utf8_lossy(&bytes);
                bundle::detect(&path, &text)
            })
            .clone()
    }

    /// The bundle an HTML page at `page` loads with `src` (a local path:
    /// relative to the page, or root-relative and found under a common web
    /// root of an ancestor directory), with the version it declares.
    pub fn local_bundle(&self, page: &Path, src: &str) -> Option<(PathBuf, bundle::BundleVersion)> {
        let path = src.split(['?', '#']).next().unwrap_or("").trim();
        if !path.ends_with(".js") {
            return None;
        }
        let page_dir = self.abs(page).parent()?.to_path_buf();
        pages::candidates(&page_dir, src)
            .into_iter()
            .filter(|p| crate::source::overlay::is_file(p))
            .find_map(|p| self.bundle_version(&p).map(|b| (p, b)))
    }

    /// The HTML pages of the repository that load `script` next to a
    /// widget CDN URL or bundle, lowest widget version first (see
    /// [`pages`]). The repository's page index is built on the first call
    /// and shared by every later one (and every thread) of the run.
    pub fn pages_loading(&self, script: &Path) -> Vec<pages::LoadingPage> {
        let script = self.abs(script);
        let root = pages::search_root(&script, &self.cwd);
        let index = once(&self.pages, &root)
            .get_or_init(|| Arc::new(pages::PageIndex::build(&root, self)))
            .clone();
        index.pages_loading(&script).to_vec()
    }

    /// Forgets what was read from `path`, whose text changed (an editor's
    /// buffer, a save, a checkout): the manifest, lockfile, installed
    /// package or bundle it is, and the workspace roots a manifest or
    /// `pnpm-workspace.yaml` sets. A page is indexed again in place, from
    /// its current text, in the page indexes built so far (no walk);
    /// returns the scripts whose loading pages that changed. A bundle's
    /// version feeds the pages that load it: the page indexes are dropped.
    pub fn forget(&self, path: &Path) -> Vec<PathBuf> {
        let path = self.abs(path);
        let Some(dir) = path.parent() else {
            return Vec::new();
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "package.json" {
            self.dirs.lock().unwrap().remove(dir);
            self.installed.lock().unwrap().remove(&path);
            self.workspace_roots.lock().unwrap().clear();
        }
        if name == "pnpm-workspace.yaml" {
            self.workspace_roots.lock().unwrap().clear();
        }
        if lockfile::NAMES.contains(&name) {
            self.lockfiles.lock().unwrap().remove(&path);
            self.lock_in_dir.lock().unwrap().remove(dir);
        }
        if self.bundles.lock().unwrap().remove(&path).is_some() {
            self.pages.lock().unwrap().clear();
            return Vec::new();
        }
        if crate::source::FileKind::from_path(&path) != Some(crate::source::FileKind::Html) {
            return Vec::new();
        }
        let text = crate::source::overlay::read_to_string(&path).ok();
        let built: Vec<(PathBuf, Arc<pages::PageIndex>)> = self
            .pages
            .lock()
            .unwrap()
            .iter()
            .filter(|(root, _)| path.starts_with(root))
            .filter_map(|(root, cell)| cell.get().map(|i| (root.clone(), i.clone())))
            .collect();
        let mut scripts = Vec::new();
        for (root, index) in built {
            let (index, touched) = index.with_page(&path, text.as_deref(), self);
            scripts.extend(touched);
            let cell = OnceLock::new();
            let _ = cell.set(Arc::new(index));
            self.pages.lock().unwrap().insert(root, Arc::new(cell));
        }
        scripts.sort();
        scripts.dedup();
        scripts
    }

    /// The page indexes built so far (one per repository), with the work
    /// each took.
    pub fn page_scans(&self) -> Vec<(PathBuf, pages::PageScan)> {
        let mut out: Vec<_> = self
            .pages
            .lock()
            .unwrap()
            .iter()
            .filter_map(|(root, cell)| cell.get().map(|i| (root.clone(), i.scan)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// A `src` that starts with a server-side context path expression
/// (`${pageContext.request.contextPath}/js/x.js`, `<%= ctx %>/js/x.js`,
/// `<?= $base ?>/js/x.js`, Thymeleaf `@{/js/x.js}`) → the root-relative rest.
pub(crate) fn strip_context_path(src: &str) -> &str {
    if let Some(inner) = src.strip_prefix("@{").and_then(|s| s.strip_suffix('}')) {
        return inner;
    }
    for close in ["}", "%>", "?>"] {
        if let Some(i) = src.rfind(close) {
            let rest = &src[i + close.len()..];
            if rest.starts_with('/')
                && (src.starts_with("${")
                    || src.starts_with("#{")
                    || src.starts_with("<%")
                    || src.starts_with("<?"))
            {
                return rest;
            }
        }
    }
    src
}

/// Member directories a workspace glob names, for the simple shapes
/// (`apps/*`, `packages/ui`); deeper globs are left to the lockfile's own list.
fn expand_simple_glob(root: &Path, glob: &str) -> Vec<String> {
    let g = glob.trim_start_matches("./").trim_end_matches('/');
    if g.starts_with('!') || g.contains("**") {
        return Vec::new();
    }
    match g.strip_suffix("/*") {
        Some(parent) if !parent.contains('*') => std::fs::read_dir(root.join(parent))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| format!("{parent}/{}", e.file_name().to_string_lossy()))
                    .collect()
            })
            .unwrap_or_default(),
        _ if !g.contains('*') => vec![g.to_string()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(spec: &str) -> Option<Severity> {
        grade_range(spec, &parse_range(spec).unwrap(), &Thresholds::default()).map(|g| g.0)
    }

    #[test]
    fn context_path_prefixes_are_root_relative() {
        assert_eq!(
            strip_context_path("${pageContext.request.contextPath}/js/okta-sign-in.min.js"),
            "/js/okta-sign-in.min.js"
        );
        assert_eq!(
            strip_context_path("<%= request.getContextPath() %>/js/a.js"),
            "/js/a.js"
        );
        assert_eq!(strip_context_path("<?= $base ?>/js/a.js"), "/js/a.js");
        assert_eq!(strip_context_path("@{/js/a.js}"), "/js/a.js");
        assert_eq!(strip_context_path("js/a.js"), "js/a.js");
        assert_eq!(strip_context_path("${cdn}x.js"), "${cdn}x.js");
    }

    #[test]
    fn range_grades() {
        assert_eq!(grade("^4.5.0"), Some(Severity::Error));
        assert_eq!(grade("~5.1.0"), Some(Severity::Error));
        assert_eq!(grade("5.1.9"), Some(Severity::Error));
        assert_eq!(grade("^5.0.0"), Some(Severity::Warning));
        assert_eq!(grade(">=4 <8"), Some(Severity::Warning));
        assert_eq!(grade("~5.4.0"), Some(Severity::Warning));
        assert_eq!(grade("^5.11.0"), None);
        assert_eq!(grade("^7.14.0"), None);
        assert_eq!(grade("7.x"), None);
    }

    #[test]
    fn unresolvable_specs() {
        for s in [
            "latest",
            "npm:@okta/okta-signin-widget@^7",
            "workspace:*",
            "git+https://x/y.git",
            "file:../w",
            "",
        ] {
            assert!(parse_range(s).is_none(), "{s}");
        }
    }

    #[test]
    fn exact_grades() {
        let t = Thresholds::default();
        assert_eq!(
            grade_version(&v("5.1.5"), &t).map(|g| g.0),
            Some(Severity::Error)
        );
        assert_eq!(
            grade_version(&v("5.10.0"), &t).map(|g| g.0),
            Some(Severity::Warning)
        );
        assert_eq!(grade_version(&v("5.11.0"), &t), None);
    }

    #[test]
    fn opt_in_need() {
        let t = Thresholds::default();
        let r = |s: &str| WidgetVersion::Range {
            spec: s.into(),
            range: parse_range(s).unwrap(),
        };
        assert_eq!(
            interaction_code_opt_in(&r("^6.3.0"), &t),
            OptInNeed::Required
        );
        assert_eq!(
            interaction_code_opt_in(&r("~5.16.1"), &t),
            OptInNeed::Required
        );
        assert_eq!(
            interaction_code_opt_in(&r("^7.0.0"), &t),
            OptInNeed::NotNeeded
        );
        assert_eq!(
            interaction_code_opt_in(&r("^4.0.0"), &t),
            OptInNeed::NotNeeded
        );
        assert_eq!(interaction_code_opt_in(&r(">=6"), &t), OptInNeed::Unknown);
        assert_eq!(
            interaction_code_opt_in(&WidgetVersion::Exact(v("6.9.0")), &t),
            OptInNeed::Required
        );
        assert_eq!(
            interaction_code_opt_in(&WidgetVersion::Unknown, &t),
            OptInNeed::Unknown
        );
    }
}
