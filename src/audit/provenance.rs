//! Where an audited repository stands: branch, commit and commit date,
//! read from git when the folder is a git checkout.
//!
//! `git` is asked (`rev-parse`, `log -1`) rather than `.git` parsed, so
//! packed refs, worktrees and submodules all work. Without `git` on PATH
//! the branch and commit come from `.git/HEAD` and the ref it names (loose
//! or packed); the date is then unknown. Remote URLs are never read: they
//! can carry credentials.

use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::{Command, Stdio};

/// One audited repository, as the report shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    /// The folder's name.
    pub name: String,
    /// Display path of the root.
    pub root: String,
    /// `git` for a git checkout, `folder` for an audited folder outside git.
    pub vcs: String,
    /// The checked-out branch; `None` on a detached HEAD or outside git.
    pub branch: Option<String>,
    /// The full commit hash of HEAD.
    pub commit: Option<String>,
    /// HEAD's committer date, ISO 8601 (`2026-11-30T05:00:00+00:00`).
    pub date: Option<String>,
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Branch, commit and date of the git checkout at `dir`.
pub fn git_facts(dir: &Path) -> (Option<String>, Option<String>, Option<String>) {
    if let Some(log) = git(dir, &["log", "-1", "--format=%H%n%cI"]) {
        let mut l = log.lines();
        let commit = l.next().map(str::to_string);
        let date = l.next().map(str::to_string);
        let branch = git(dir, &["symbolic-ref", "--quiet", "--short", "HEAD"]);
        return (branch, commit, date);
    }
    let (branch, commit) = read_head(dir);
    (branch, commit, None)
}

/// `.git/HEAD` without git: `(branch, commit)`.
fn read_head(dir: &Path) -> (Option<String>, Option<String>) {
    let gitdir = dir.join(".git");
    let Ok(head) = std::fs::read_to_string(gitdir.join("HEAD")) else {
        return (None, None);
    };
    let head = head.trim();
    match head.strip_prefix("ref: ") {
        Some(r) => {
            let branch = r.strip_prefix("refs/heads/").map(str::to_string);
            let commit = std::fs::read_to_string(gitdir.join(r))
                .ok()
                .map(|s| s.trim().to_string())
                .or_else(|| {
                    let packed = std::fs::read_to_string(gitdir.join("packed-refs")).ok()?;
                    packed.lines().find_map(|l| {
                        let (hash, name) = l.split_once(' ')?;
                        (name == r).then(|| hash.to_string())
                    })
                });
            (branch, commit)
        }
        None => (None, Some(head.to_string()).filter(|h| !h.is_empty())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_without_git() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path().join(".git");
        std::fs::create_dir_all(g.join("refs/heads")).unwrap();
        std::fs::write(g.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(
            g.join("packed-refs"),
            "# pack-refs\nabc123 refs/heads/main\n",
        )
        .unwrap();
        assert_eq!(
            read_head(t.path()),
            (Some("main".into()), Some("abc123".into()))
        );
        std::fs::write(g.join("refs/heads/main"), "def456\n").unwrap();
        assert_eq!(read_head(t.path()).1.as_deref(), Some("def456"));
        std::fs::write(g.join("HEAD"), "0123abcd\n").unwrap();
        assert_eq!(read_head(t.path()), (None, Some("0123abcd".into())));
    }
}
