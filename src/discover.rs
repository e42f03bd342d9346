//! Which files to check.
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker):
//! parallel, honouring `.gitignore` (also outside a git repository),
//! `.ignore` and `.oie-lintignore`, and skipping hidden entries, the
//! config's `exclude` globs (default: `node_modules` and friends) and
//! minified bundles (except Sign-In Widget bundles, `okta-sign-in*.js`,
//! which are read for their version only). Files named explicitly are
//! always checked when oie-lint reads their kind, unless `force_exclude` is
//! set: pre-commit passes staged files by name, and `--force-exclude` keeps
//! excluded paths excluded there.

use crate::pathglob::PathGlobs;
use crate::source::FileKind;
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Directory names never descended into.
pub const SKIP_DIRS: &[&str] = &["node_modules", "bower_components", "jspm_packages"];

#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    pub respect_gitignore: bool,
    /// Also check `*.min.js` and friends (skipped by default: third-party bundles).
    pub include_minified: bool,
    pub threads: usize,
    /// Paths not walked (config `exclude` + `extend-exclude`). `None`: skip [`SKIP_DIRS`].
    pub excludes: Option<PathGlobs>,
    /// Apply `excludes` and the minified skip to explicitly named paths too.
    pub force_exclude: bool,
}

impl WalkOptions {
    /// Whether a path named on the command line is left out (`--force-exclude` only).
    pub fn excludes_explicit(&self, path: &Path, is_dir: bool) -> bool {
        if !self.force_exclude {
            return false;
        }
        let excluded = match &self.excludes {
            Some(g) => g.matches(path, is_dir),
            None => path.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n))
            }),
        };
        let skipped_bundle = !is_dir
            && !self.include_minified
            && is_minified(path)
            && FileKind::from_path(path) != Some(FileKind::WidgetBundle);
        excluded || skipped_bundle
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to check, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// `(path, one-line reason)` for paths that could not be read.
    pub errors: Vec<(PathBuf, String)>,
}

pub fn is_minified(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [
        ".min.js",
        ".min.mjs",
        ".min.cjs",
        "-min.js",
        ".bundle.min.js",
    ]
    .iter()
    .any(|s| name.ends_with(s))
}

pub fn discover(paths: &[PathBuf], opts: &WalkOptions) -> Discovered {
    let mut out = Discovered::default();
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => out.errors.push((path.clone(), e.to_string())),
            Ok(m) if opts.excludes_explicit(path, m.is_dir()) => {}
            Ok(m) if m.is_dir() => walk(path, opts, &found, &errors),
            Ok(_) => {
                if FileKind::from_path(path).is_some() {
                    found.lock().unwrap().push(path.clone());
                }
            }
        }
    }
    out.files = found.into_inner().unwrap();
    out.files.sort();
    out.files.dedup();
    out.errors.extend(errors.into_inner().unwrap());
    out.errors.sort();
    out
}

fn walk(
    root: &Path,
    opts: &WalkOptions,
    found: &Mutex<Vec<PathBuf>>,
    errors: &Mutex<Vec<(PathBuf, String)>>,
) {
    let respect = opts.respect_gitignore;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .ignore(respect)
        .parents(respect)
        .require_git(false)
        .add_custom_ignore_filename(".oie-lintignore")
        .threads(opts.threads)
        .filter_entry({
            let excludes = opts.excludes.clone();
            move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                match &excludes {
                    Some(g) => !g.matches_entry(e.path(), is_dir),
                    None => {
                        !(is_dir
                            && e.file_name()
                                .to_str()
                                .is_some_and(|n| SKIP_DIRS.contains(&n)))
                    }
                }
            }
        });
    let include_minified = opts.include_minified;
    builder.build_parallel().run(|| {
        Box::new(move |entry| {
            match entry {
                Ok(e) => {
                    let is_file = e.file_type().is_some_and(|t| t.is_file());
                    let p = e.path();
                    // Widget bundles (`okta-sign-in*.min.js`) pass for their version only.
                    let kind = FileKind::from_path(p);
                    let minified_ok =
                        include_minified || !is_minified(p) || kind == Some(FileKind::WidgetBundle);
                    if is_file && kind.is_some() && minified_ok {
                        found.lock().unwrap().push(e.into_path());
                    }
                }
                Err(err) => {
                    let path = match &err {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => root.to_path_buf(),
                    };
                    errors.lock().unwrap().push((path, err.to_string()));
                }
            }
            WalkState::Continue
        })
    });
}
