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
use crate::source::{ExtensionMap, FileKind};
use crate::timings::{self, Phase, Timings};
use ignore::{WalkBuilder, WalkState};
use rayon::prelude::*;
use std::collections::HashSet;
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
    /// Extra extensions to read (`--extension`, the config's `extension`).
    pub extensions: ExtensionMap,
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
            && self.extensions.kind_of(path) != Some(FileKind::WidgetBundle);
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

/// Every file to check, sorted, without duplicates (for the commands that
/// need the whole list before they start; `check` uses [`visit`]).
pub fn discover(paths: &[PathBuf], opts: &WalkOptions) -> Discovered {
    let found = Mutex::new(Vec::new());
    let errors = visit(paths, opts, None, |p, _| found.lock().unwrap().push(p));
    let mut files = found.into_inner().unwrap();
    files.sort();
    files.dedup();
    Discovered { files, errors }
}

/// Calls `visit` once for every file to check (with its kind), as the walk finds it, on the
/// walker's threads: reading and checking overlap walking (as in ripgrep),
/// and nothing is kept per file here. Explicitly named files are visited in
/// parallel on rayon's pool. The order is unspecified, so callers sort what
/// they report. Returns the paths that could not be read, sorted.
///
/// With `timings`, the walkers' own time (directory reads, ignore rules),
/// outside `visit`, is charged to [`Phase::Discover`] as thread time.
pub fn visit<F>(
    paths: &[PathBuf],
    opts: &WalkOptions,
    timings: Option<&Timings>,
    visit: F,
) -> Vec<(PathBuf, String)>
where
    F: Fn(PathBuf, FileKind) + Sync,
{
    let mut errors = Vec::new();
    let walk_errors = Mutex::new(Vec::new());
    // Overlapping arguments (`check src src/a.js`) would visit a file twice:
    // with more than one argument, visited paths are remembered.
    let seen = (paths.len() > 1).then(|| Mutex::new(HashSet::new()));
    let once = |p: PathBuf, kind: FileKind| {
        if seen
            .as_ref()
            .is_none_or(|s| s.lock().unwrap().insert(p.clone()))
        {
            visit(p, kind)
        }
    };
    let mut explicit = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push((path.clone(), e.to_string())),
            Ok(m) if opts.excludes_explicit(path, m.is_dir()) => {}
            Ok(m) if m.is_dir() => walk(path, opts, timings, &once, &walk_errors),
            // Reading a FIFO or a device would block or never end; the
            // walk skips them, and so does a name on the command line.
            Ok(m) if !m.is_file() => errors.push((path.clone(), not_regular(&m).to_string())),
            Ok(_) => {
                if let Some(kind) = opts.extensions.kind_of(path) {
                    explicit.push((path.clone(), kind));
                }
            }
        }
    }
    // One file needs no pool (and must not start rayon's global one).
    if explicit.len() == 1 {
        let (p, kind) = explicit.pop().expect("one file");
        once(p, kind);
    } else {
        explicit.into_par_iter().for_each(|(p, kind)| once(p, kind));
    }
    errors.extend(walk_errors.into_inner().unwrap());
    errors.sort();
    errors
}

/// The one-line refusal for a path that is neither a file nor a directory.
fn not_regular(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "is a FIFO (named pipe), not a regular file; not read (pipe it to `oie-lint check -` instead)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "is a device, not a regular file; not read";
        }
        if t.is_socket() {
            return "is a socket, not a regular file; not read";
        }
    }
    let _ = m;
    "is not a regular file; not read"
}

fn walk<F>(
    root: &Path,
    opts: &WalkOptions,
    timings: Option<&Timings>,
    visit: &F,
    errors: &Mutex<Vec<(PathBuf, String)>>,
) where
    F: Fn(PathBuf, FileKind) + Sync,
{
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
            // The walk root relative to the patterns' root, once: then an
            // entry is matched by its path below the walk root alone.
            let base = excludes.as_ref().and_then(|g| g.base_of(root));
            let root = root.to_path_buf();
            move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                match &excludes {
                    None => {
                        !(is_dir
                            && e.file_name()
                                .to_str()
                                .is_some_and(|n| SKIP_DIRS.contains(&n)))
                    }
                    Some(g) if !is_dir && g.dirs_only() => true,
                    Some(g) => match (&base, e.path().strip_prefix(&root)) {
                        (Some(base), Ok(suffix)) => !g.matches_below(base, suffix, is_dir),
                        _ => !g.matches_entry(e.path(), is_dir),
                    },
                }
            }
        });
    let include_minified = opts.include_minified;
    let extensions = &opts.extensions;
    builder.build_parallel().run(|| {
        let mut clock = timings::Clock::start(timings);
        Box::new(move |entry| {
            match entry {
                Ok(e) => {
                    let is_file = e.file_type().is_some_and(|t| t.is_file());
                    let p = e.path();
                    // Widget bundles (`okta-sign-in*.min.js`) pass for their version only.
                    let kind = extensions.kind_of(p);
                    let minified_ok =
                        include_minified || !is_minified(p) || kind == Some(FileKind::WidgetBundle);
                    if let (true, Some(kind), true) = (is_file, kind, minified_ok) {
                        timings::lap(&mut clock, Phase::Discover);
                        visit(e.into_path(), kind);
                        timings::restart(&mut clock);
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
    // The time after each thread's last file (its share of the walk's end)
    // is not charged: the closures are dropped without a last lap.
}

/// The paths a `check` run was given: whether another file (a lockfile a
/// manifest defers to) is part of the same run, so that a finding reported
/// there is seen.
#[derive(Debug, Default)]
pub struct RunPaths {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
    cwd: PathBuf,
}

impl RunPaths {
    pub fn new(cwd: &Path, paths: &[PathBuf]) -> RunPaths {
        let mut run = RunPaths {
            cwd: cwd.to_path_buf(),
            ..RunPaths::default()
        };
        for p in paths.iter().filter(|p| p.as_os_str() != "-") {
            let abs = crate::pathglob::normalize(cwd, p);
            if p.is_dir() {
                run.dirs.push(abs);
            } else {
                run.files.push(abs);
            }
        }
        run
    }

    /// The top of the checked tree that holds `path`, for `--fix`'s
    /// symlink check: the deepest directory argument above it; for a file
    /// named on the command line, the working directory when the file is
    /// below it, else the file's own folder (the user named that very file).
    pub fn anchor_of(&self, path: &Path) -> Option<PathBuf> {
        let abs = crate::pathglob::normalize(&self.cwd, path);
        if let Some(d) = self
            .dirs
            .iter()
            .filter(|d| abs.starts_with(d))
            .max_by_key(|d| d.components().count())
        {
            return Some(d.clone());
        }
        if abs.starts_with(&self.cwd) {
            return Some(self.cwd.clone());
        }
        abs.parent().map(Path::to_path_buf)
    }

    /// Whether the run reaches `path` (a file named, or one below a walked
    /// directory; ignore rules aside).
    pub fn covers(&self, path: &Path) -> bool {
        let abs = crate::pathglob::normalize(&self.cwd, path);
        self.files.contains(&abs) || self.dirs.iter().any(|d| abs.starts_with(d))
    }
}
