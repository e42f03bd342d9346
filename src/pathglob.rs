//! Gitignore-style path patterns rooted at a directory.
//!
//! Config `exclude`/`extend-exclude` and `[[overrides]] files` are lists of
//! `.gitignore` lines interpreted relative to the config file's directory:
//! `legacy/` or `dist` match at any depth, `/vendor` or `legacy/**/*.js`
//! only below the root, `!keep.js` re-includes. Reusing the `ignore` crate's
//! matcher means the syntax is exactly the one users already write in
//! `.gitignore`, and no second glob dialect is documented.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct PathGlobs {
    /// The directory patterns are relative to (absolute).
    root: PathBuf,
    /// The working directory relative paths are resolved against (absolute).
    cwd: PathBuf,
    matcher: Gitignore,
    /// Every pattern names directories only (`node_modules/`, the default):
    /// a file entry of a walk never matches by itself.
    dirs_only: bool,
}

impl PathGlobs {
    /// Compiles `patterns` rooted at `root`. `Err((index, reason))` names the bad pattern.
    pub fn new(root: &Path, cwd: &Path, patterns: &[&str]) -> Result<PathGlobs, (usize, String)> {
        let root = normalize(cwd, root);
        let mut b = GitignoreBuilder::new(&root);
        for (i, p) in patterns.iter().enumerate() {
            b.add_line(None, p).map_err(|e| (i, e.to_string()))?;
        }
        let matcher = b.build().map_err(|e| (0, e.to_string()))?;
        let dirs_only = patterns.iter().all(|p| {
            let p = p.trim();
            p.is_empty() || p.starts_with('#') || (p.ends_with('/') && !p.starts_with('!'))
        });
        Ok(PathGlobs {
            root,
            cwd: normalize(cwd, cwd),
            matcher,
            dirs_only,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.is_empty()
    }

    /// Every pattern names directories only: a file entry of a walk never
    /// matches by itself (its directory was matched before it was entered).
    pub fn dirs_only(&self) -> bool {
        self.dirs_only
    }

    /// Whether `path` or one of its parent directories matches. Paths
    /// outside the root only match unanchored patterns (`node_modules/`).
    pub fn matches(&self, path: &Path, is_dir: bool) -> bool {
        self.matches_with(path, is_dir, true)
    }

    /// Whether `path` itself matches (a walker that prunes excluded
    /// directories has already checked the parents).
    pub fn matches_entry(&self, path: &Path, is_dir: bool) -> bool {
        self.matches_with(path, is_dir, false)
    }

    /// Where the walk of `walk_root` sits relative to the patterns' root,
    /// computed once per walk so that [`PathGlobs::matches_below`] needs no
    /// path arithmetic per entry. `None` when `walk_root` is outside it.
    pub fn base_of(&self, walk_root: &Path) -> Option<PathBuf> {
        normalize(&self.cwd, walk_root)
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
    }

    /// [`PathGlobs::matches_entry`] for the entry `walk_root/suffix`, with
    /// `base` = [`PathGlobs::base_of`]`(walk_root)`: the same answer, without
    /// normalising the path of every entry of the walk.
    pub fn matches_below(&self, base: &Path, suffix: &Path, is_dir: bool) -> bool {
        if self.matcher.is_empty() || (self.dirs_only && !is_dir) {
            return false;
        }
        let joined;
        let rel = if base.as_os_str().is_empty() {
            suffix
        } else if suffix.as_os_str().is_empty() {
            base
        } else {
            joined = base.join(suffix);
            &joined
        };
        !rel.as_os_str().is_empty() && self.matcher.matched(rel, is_dir).is_ignore()
    }

    fn matches_with(&self, path: &Path, is_dir: bool, parents: bool) -> bool {
        if self.matcher.is_empty() {
            return false;
        }
        let abs = normalize(&self.cwd, path);
        let rel: PathBuf = match abs.strip_prefix(&self.root) {
            Ok(r) => r.to_path_buf(),
            // Outside the root: drop the filesystem root so the matcher
            // treats it as relative (anchored patterns then never match).
            Err(_) => abs
                .components()
                .filter(|c| matches!(c, Component::Normal(_)))
                .collect(),
        };
        if rel.as_os_str().is_empty() {
            return false;
        }
        if parents {
            self.matcher
                .matched_path_or_any_parents(&rel, is_dir)
                .is_ignore()
        } else {
            self.matcher.matched(&rel, is_dir).is_ignore()
        }
    }
}

/// `cwd.join(path)` with `.` and `..` resolved lexically (no file system access).
pub fn normalize(cwd: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns rooted at `/repo`, used from `/repo/web`.
    fn sample() -> PathGlobs {
        PathGlobs::new(
            Path::new("/repo"),
            Path::new("/repo/web"),
            &[
                "legacy/",
                "/vendor",
                "*.gen.js",
                "docs/**/*.html",
                "!docs/keep.html",
            ],
        )
        .unwrap()
    }

    #[test]
    fn gitignore_semantics_relative_to_root() {
        let g = sample();
        assert!(g.matches(Path::new("legacy/a.js"), false)); // /repo/web/legacy/a.js: unanchored dir
        assert!(g.matches(Path::new("/repo/legacy/x/y.js"), false));
        assert!(g.matches(Path::new("/repo/vendor/w.js"), false));
        assert!(!g.matches(Path::new("vendor/w.js"), false)); // /repo/web/vendor: anchored at /repo only
        assert!(g.matches(Path::new("./src/a.gen.js"), false));
        assert!(g.matches(Path::new("../docs/a/b.html"), false));
        assert!(!g.matches(Path::new("../docs/keep.html"), false));
        assert!(!g.matches(Path::new("src/a.js"), false));
        // Outside the root only unanchored patterns apply.
        assert!(g.matches(Path::new("/elsewhere/legacy/a.js"), false));
        assert!(!g.matches(Path::new("/elsewhere/vendor/a.js"), false));
    }

    #[test]
    fn matches_below_agrees_with_matches_entry() {
        let g = sample();
        for walk_root in ["/repo", "/repo/web", ".", "..", "../docs"] {
            let base = g.base_of(Path::new(walk_root)).unwrap();
            for suffix in [
                "",
                "legacy",
                "legacy/a.js",
                "vendor",
                "vendor/w.js",
                "a.gen.js",
                "x/a.gen.js",
                "docs/a/b.html",
                "docs/keep.html",
                "a/b.html",
                "src/a.js",
            ] {
                for is_dir in [false, true] {
                    let path = Path::new(walk_root).join(suffix);
                    assert_eq!(
                        g.matches_below(&base, Path::new(suffix), is_dir),
                        g.matches_entry(&path, is_dir),
                        "{walk_root} + {suffix} (dir: {is_dir})"
                    );
                }
            }
        }
        assert!(g.base_of(Path::new("/elsewhere")).is_none());
    }

    #[test]
    fn directory_patterns_never_match_a_file_entry() {
        let g = PathGlobs::new(
            Path::new("/r"),
            Path::new("/r"),
            &["node_modules/", "dist/"],
        )
        .unwrap();
        assert!(g.dirs_only);
        let base = g.base_of(Path::new("/r")).unwrap();
        assert!(g.matches_below(&base, Path::new("a/node_modules"), true));
        assert!(!g.matches_below(&base, Path::new("a/node_modules"), false));
        assert!(!g.matches_below(&base, Path::new("dist/a.js"), false));
        // A file below an excluded directory still matches through its parent.
        assert!(g.matches(Path::new("dist/a.js"), false));
        let g = PathGlobs::new(Path::new("/r"), Path::new("/r"), &["dist/", "*.gen.js"]).unwrap();
        assert!(!g.dirs_only);
        let g =
            PathGlobs::new(Path::new("/r"), Path::new("/r"), &["dist/", "!dist/keep/"]).unwrap();
        assert!(!g.dirs_only);
    }

    #[test]
    fn bad_pattern_is_named() {
        let err = PathGlobs::new(Path::new("/r"), Path::new("/r"), &["ok/", "a/{b"]).unwrap_err();
        assert_eq!(err.0, 1);
    }
}
