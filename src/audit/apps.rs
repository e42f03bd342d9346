//! Which application each audited file belongs to, and which repository.
//!
//! A lead thinks in apps, not files. An app is a `package.json` root (the
//! nearest folder above a file that holds a `package.json`), found by
//! walking up from each file's folder, never above its *boundary*: the git
//! repository that holds it (a folder with `.git`), or, outside git, the
//! audited path it came from. A file under no `package.json` belongs to
//! that boundary folder itself (a JSP or PHP app, a folder of templates).
//!
//! Workspaces: a root whose `package.json` has `workspaces` (npm, Yarn:
//! an array of globs or `{ "packages": [...] }`) or that holds a
//! `pnpm-workspace.yaml` (its `packages:` list) is a workspace; a nested
//! root whose path below it matches one of those globs is a member.
//!
//! Repositories: every git root holding an audited file; when several
//! paths are audited (`oie-lint audit repos/*`), every audited folder
//! outside git counts as one too.
//!
//! Folder lookups are memoised, so the cost is a few `stat` calls per
//! distinct folder, not per file.

use crate::source;
use globset::{Glob, GlobSetBuilder};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

/// What kind of root an app is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppKind {
    /// A folder with a `package.json`.
    Package,
    /// A `package.json` root that declares workspaces.
    Workspace,
    /// A package listed by a workspace's globs.
    WorkspaceMember,
    /// Files under no `package.json`: the repository or audited folder.
    Directory,
}

impl AppKind {
    pub fn label(self) -> &'static str {
        match self {
            AppKind::Package => "package",
            AppKind::Workspace => "workspace",
            AppKind::WorkspaceMember => "workspace member",
            AppKind::Directory => "folder",
        }
    }
}

/// One app root.
#[derive(Debug, Clone)]
pub struct AppRoot {
    /// Absolute, lexically normalised folder.
    pub dir: PathBuf,
    /// Display path (relative to the working directory, `/`; `.` for it).
    pub root: String,
    /// `name` from `package.json`, else the folder's name.
    pub name: String,
    pub kind: AppKind,
    /// Display path of the workspace root, for a member.
    pub workspace: Option<String>,
    /// Index into [`Layout::repositories`].
    pub repository: Option<usize>,
}

/// One repository root (a git checkout, or an audited folder).
#[derive(Debug, Clone)]
pub struct RepoRoot {
    pub dir: PathBuf,
    pub root: String,
    pub name: String,
    pub git: bool,
}

/// Apps and repositories of one audit, and which app each file is in.
#[derive(Debug, Default)]
pub struct Layout {
    /// Sorted by root.
    pub apps: Vec<AppRoot>,
    /// Sorted by root.
    pub repositories: Vec<RepoRoot>,
    /// Display path of each audited file -> index into `apps`.
    pub file_app: HashMap<String, usize>,
    /// Files per app (same index as `apps`).
    pub files: Vec<usize>,
}

impl Layout {
    /// The app of a display path: the file's own entry, else the deepest
    /// app root that is a prefix of it (paths the walk did not list, such
    /// as a lockfile named by a use).
    pub fn app_of(&self, display: &str) -> Option<usize> {
        if let Some(&i) = self.file_app.get(display) {
            return Some(i);
        }
        self.apps
            .iter()
            .enumerate()
            .filter(|(_, a)| a.root == "." || is_under(display, &a.root))
            .max_by_key(|(_, a)| if a.root == "." { 0 } else { a.root.len() })
            .map(|(i, _)| i)
    }
}

fn is_under(path: &str, root: &str) -> bool {
    path.strip_prefix(root)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Removes `.` and resolves `..` lexically (no file system access).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[derive(Default)]
struct Memo {
    /// folder -> nearest folder at or above it with `.git`.
    git: HashMap<PathBuf, Option<PathBuf>>,
    /// folder -> whether it holds a `package.json`.
    manifest: HashMap<PathBuf, bool>,
}

impl Memo {
    fn git_root(&mut self, dir: &Path) -> Option<PathBuf> {
        let mut chain = Vec::new();
        let mut cur = Some(dir.to_path_buf());
        let found = loop {
            let Some(d) = cur else { break None };
            if let Some(hit) = self.git.get(&d) {
                break hit.clone();
            }
            if d.join(".git").exists() {
                self.git.insert(d.clone(), Some(d.clone()));
                break Some(d);
            }
            cur = d.parent().map(Path::to_path_buf);
            chain.push(d);
        };
        for d in chain {
            self.git.insert(d, found.clone());
        }
        found
    }

    fn has_manifest(&mut self, dir: &Path) -> bool {
        if let Some(&b) = self.manifest.get(dir) {
            return b;
        }
        let b = dir.join("package.json").is_file();
        self.manifest.insert(dir.to_path_buf(), b);
        b
    }

    /// The nearest folder from `dir` up to `boundary` (inclusive) holding a
    /// `package.json`.
    fn package_root(&mut self, dir: &Path, boundary: &Path) -> Option<PathBuf> {
        let mut cur = dir;
        loop {
            if self.has_manifest(cur) {
                return Some(cur.to_path_buf());
            }
            if cur == boundary {
                return None;
            }
            cur = cur.parent()?;
            if !cur.starts_with(boundary) {
                return None;
            }
        }
    }
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.to_string_lossy().into_owned())
}

/// `(name, workspace globs)` of the `package.json` in `dir`.
fn manifest_facts(dir: &Path) -> (Option<String>, Vec<String>) {
    let mut globs = Vec::new();
    let mut name = None;
    if let Ok(text) = std::fs::read_to_string(dir.join("package.json")) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            name = v["name"].as_str().map(str::to_string);
            let ws = &v["workspaces"];
            let list = ws.as_array().or_else(|| ws["packages"].as_array());
            if let Some(list) = list {
                globs.extend(list.iter().filter_map(|g| g.as_str()).map(str::to_string));
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("pnpm-workspace.yaml")) {
        globs.extend(pnpm_packages(&text));
    }
    (name.filter(|n| !n.trim().is_empty()), globs)
}

/// The `packages:` list of a `pnpm-workspace.yaml` (block sequence of
/// plain or quoted scalars; negated globs are left out).
pub fn pnpm_packages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = line.starts_with([' ', '\t', '-']);
        if !indented {
            inside = trimmed.starts_with("packages:");
            continue;
        }
        if let Some(item) = trimmed.strip_prefix('-').filter(|_| inside) {
            let item = item.split(" #").next().unwrap_or("").trim();
            let item = item.trim_matches(|c| c == '"' || c == '\'');
            if !item.is_empty() && !item.starts_with('!') {
                out.push(item.to_string());
            }
        }
    }
    out
}

/// Groups `files` (as discovered, relative to `cwd` or absolute) into apps
/// and repositories. `audited` are the paths given on the command line.
pub fn layout(files: &[PathBuf], audited: &[PathBuf], cwd: &Path) -> Layout {
    let mut memo = Memo::default();
    let mut audited_roots: Vec<PathBuf> = audited
        .iter()
        .map(|p| {
            let abs = normalize(&cwd.join(p));
            if abs.is_file() {
                abs.parent().map(Path::to_path_buf).unwrap_or(abs)
            } else {
                abs
            }
        })
        .collect();
    audited_roots.sort();
    audited_roots.dedup();
    let several = audited_roots.len() > 1;

    // app folder -> (boundary, file display paths)
    let mut roots: BTreeMap<PathBuf, (PathBuf, Vec<String>)> = BTreeMap::new();
    let mut repos: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for f in files {
        let abs = normalize(&cwd.join(f));
        let Some(dir) = abs.parent() else { continue };
        let audited_root = audited_roots
            .iter()
            .filter(|r| dir.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
            .cloned()
            .unwrap_or_else(|| dir.to_path_buf());
        let git = memo.git_root(dir);
        let boundary = match &git {
            Some(g) => g.clone(),
            None => audited_root.clone(),
        };
        match &git {
            Some(g) => {
                repos.insert(g.clone(), true);
            }
            None if several => {
                repos.entry(audited_root.clone()).or_insert(false);
            }
            None => {}
        }
        let app = memo
            .package_root(dir, &boundary)
            .unwrap_or_else(|| boundary.clone());
        roots
            .entry(app)
            .or_insert_with(|| (boundary.clone(), Vec::new()))
            .1
            .push(source::display_path(f, cwd));
    }

    let display = |d: &Path| source::display_path(d, cwd);
    let repositories: Vec<RepoRoot> = repos
        .into_iter()
        .map(|(dir, git)| RepoRoot {
            root: display(&dir),
            name: dir_name(&dir),
            dir,
            git,
        })
        .collect();
    let repo_of = |dir: &Path| {
        repositories
            .iter()
            .enumerate()
            .filter(|(_, r)| dir.starts_with(&r.dir))
            .max_by_key(|(_, r)| r.dir.as_os_str().len())
            .map(|(i, _)| i)
    };

    // Facts of every package root, then workspace membership.
    let mut facts: BTreeMap<PathBuf, (Option<String>, Vec<String>)> = BTreeMap::new();
    for dir in roots.keys() {
        if memo.has_manifest(dir) {
            facts.insert(dir.clone(), manifest_facts(dir));
        }
    }
    let mut layout = Layout::default();
    for (dir, (boundary, files)) in roots {
        let (kind, name, workspace) = match facts.get(&dir) {
            None => (AppKind::Directory, dir_name(&dir), None),
            Some((name, globs)) => {
                let name = name.clone().unwrap_or_else(|| dir_name(&dir));
                // The nearest workspace above, within the boundary.
                let ws = dir
                    .ancestors()
                    .skip(1)
                    .take_while(|a| a.starts_with(&boundary))
                    .find_map(|a| {
                        let globs = match facts.get(a) {
                            Some((_, g)) if !g.is_empty() => g.clone(),
                            Some(_) => return None,
                            None if memo.has_manifest(a) => manifest_facts(a).1,
                            None => return None,
                        };
                        (!globs.is_empty()).then(|| (a.to_path_buf(), globs))
                    });
                let member = ws.and_then(|(a, globs)| {
                    let rel = dir
                        .strip_prefix(&a)
                        .ok()?
                        .to_string_lossy()
                        .replace('\\', "/");
                    let mut b = GlobSetBuilder::new();
                    for g in &globs {
                        if let Ok(g) = Glob::new(g.trim_end_matches('/')) {
                            b.add(g);
                        }
                    }
                    b.build().ok()?.is_match(&rel).then(|| display(&a))
                });
                match member {
                    Some(w) => (AppKind::WorkspaceMember, name, Some(w)),
                    None if !globs.is_empty() => (AppKind::Workspace, name, None),
                    None => (AppKind::Package, name, None),
                }
            }
        };
        let i = layout.apps.len();
        for f in &files {
            layout.file_app.insert(f.clone(), i);
        }
        layout.files.push(files.len());
        layout.apps.push(AppRoot {
            root: display(&dir),
            repository: repo_of(&dir),
            dir,
            name,
            kind,
            workspace,
        });
    }
    layout.repositories = repositories;
    layout
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn pnpm_workspace_packages() {
        let y =
            "packages:\n  - 'apps/*'\n  - \"libs/**\" # shared\n  - '!**/test/**'\nother:\n  - x\n";
        assert_eq!(pnpm_packages(y), ["apps/*", "libs/**"]);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn apps_workspaces_and_folders() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        let w = |p: &str, s: &str| {
            let p = r.join(p);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, s).unwrap();
        };
        w(
            "mono/package.json",
            r#"{"name":"mono","workspaces":["packages/*"]}"#,
        );
        w("mono/packages/web/package.json", r#"{"name":"@mono/web"}"#);
        w("mono/packages/web/src/a.js", "");
        w("mono/tools/x/package.json", "{}");
        w("mono/tools/x/b.js", "");
        w("mono/root.js", "");
        w("jsp/login.jsp", "");
        let files: Vec<PathBuf> = [
            "mono/packages/web/src/a.js",
            "mono/tools/x/b.js",
            "mono/root.js",
            "jsp/login.jsp",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let l = layout(&files, &[PathBuf::from("mono"), PathBuf::from("jsp")], r);
        let apps: Vec<(&str, &str, AppKind)> = l
            .apps
            .iter()
            .map(|a| (a.root.as_str(), a.name.as_str(), a.kind))
            .collect();
        assert_eq!(
            apps,
            [
                ("jsp", "jsp", AppKind::Directory),
                ("mono", "mono", AppKind::Workspace),
                ("mono/packages/web", "@mono/web", AppKind::WorkspaceMember),
                ("mono/tools/x", "x", AppKind::Package),
            ]
        );
        assert_eq!(l.apps[2].workspace.as_deref(), Some("mono"));
        assert_eq!(l.repositories.len(), 2, "two audited folders, no git");
        assert_eq!(l.app_of("mono/root.js"), Some(1));
        assert_eq!(l.app_of("mono/packages/web/package-lock.json"), Some(2));
        assert_eq!(l.files, [1, 1, 1, 1]);
    }
}
