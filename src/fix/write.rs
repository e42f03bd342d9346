//! Writing a fixed file without ever losing the original, its access or its links.
//!
//! The new text goes to a temporary file in the same directory (same file
//! system, so the rename is atomic), gets the original's owner, group and
//! permissions (in that order: a change of owner clears set-id bits), and
//! replaces the original by rename. Refused, with the original untouched:
//!
//! - a symbolic link, and a path with a symbolic link among its folders
//!   (the real file lies elsewhere: the write would land outside the tree
//!   being checked);
//! - a file with more than one hard link (a rename would split the links:
//!   the other names would keep the old text);
//! - a file whose own permission bits do not let the running user write
//!   it, root included (root may write anything, but a read-only file is a
//!   statement oie-lint honours), and a file the system would not let the
//!   user open for writing (ACLs, a file of another user in a shared folder);
//! - a file whose owner or group the running user cannot give the new copy
//!   (the copy would change hands);
//! - a file whose bytes or modification time changed since it was read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a fixed file was not written; the original is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    Symlink,
    /// A folder on the path is a symbolic link; the file's real path.
    SymlinkedDir(PathBuf),
    HardLinked(u64),
    ReadOnly,
    Owner(std::io::Error),
    Changed,
    NotRegular,
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Symlink => f.write_str("is a symbolic link; fixes are not written through links (fix the file it points to)"),
            WriteError::SymlinkedDir(real) => write!(
                f,
                "is reached through a symbolic link to a folder (the file is {}); fixes are not written through links (fix it there)",
                crate::source::escape_path(real)
            ),
            WriteError::HardLinked(n) => write!(
                f,
                "has {n} hard links; fixes are not written (replacing it would split the links)"
            ),
            WriteError::ReadOnly => f.write_str("is read-only; fixes were not written (the file is unchanged)"),
            WriteError::Owner(e) => write!(
                f,
                "could not keep the file's owner and group ({e}); fixes were not written (the file is unchanged)"
            ),
            WriteError::Changed => f.write_str("changed on disk while it was being fixed; not overwritten"),
            WriteError::NotRegular => f.write_str("is not a regular file; fixes were not written"),
            WriteError::Io(e) => write!(f, "could not write the fixed file ({e}); the file is unchanged"),
        }
    }
}

/// Replaces the file at `path`, whose content was `original` when read,
/// with `fixed`.
/// No folder on the way to the file may be a symbolic link.
pub fn write_fixed(path: &Path, original: &[u8], fixed: &str) -> Result<(), WriteError> {
    write_fixed_bytes(path, original, fixed.as_bytes(), None)
}

/// [`write_fixed`] for text already encoded in the file's encoding.
/// `anchor` is the top of the tree being checked that holds the file (see
/// `discover::RunPaths::anchor_of`): folders below it must not be
/// symbolic links, folders at or above it may be (`/var` is a link to
/// `/private/var` on macOS). `None`: no folder of the path may be a link.
pub fn write_fixed_bytes(
    path: &Path,
    original: &[u8],
    fixed: &[u8],
    anchor: Option<&Path>,
) -> Result<(), WriteError> {
    let meta = fs::symlink_metadata(path).map_err(WriteError::Io)?;
    if meta.file_type().is_symlink() {
        return Err(WriteError::Symlink);
    }
    if !meta.is_file() {
        return Err(WriteError::NotRegular);
    }
    check_real_path(path, anchor)?;
    check_access(path, &meta)?;
    if fs::read(path).map_err(WriteError::Io)? != original {
        return Err(WriteError::Changed);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".oie-lint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(WriteError::Io)?;
    tmp.write_all(fixed).map_err(WriteError::Io)?;
    keep_owner(tmp.as_file(), &meta)?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(WriteError::Io)?;
    tmp.as_file().sync_all().map_err(WriteError::Io)?;
    // Last look before the rename: same file, same bytes, same modification time.
    let now = fs::symlink_metadata(path).map_err(WriteError::Io)?;
    if now.file_type().is_symlink()
        || now.modified().ok() != meta.modified().ok()
        || !same_file(&now, &meta)
        || fs::read(path).map_err(WriteError::Io)? != original
    {
        return Err(WriteError::Changed);
    }
    tmp.persist(path).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

/// Refuses a path whose folders below `anchor` (all of them without one)
/// include a symbolic link: the file's real folder must be the folder the
/// path names below the anchor's real folder, so a write never lands
/// outside the tree being checked (relative paths are read from the real
/// working directory, so a working directory below a link is fine).
fn check_real_path(path: &Path, anchor: Option<&Path>) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => return Ok(()), // a name in the working directory
    };
    let Some(name) = path.file_name() else {
        return Ok(());
    };
    let real_dir = fs::canonicalize(dir).map_err(WriteError::Io)?;
    let base = if dir.is_absolute() {
        PathBuf::from("/")
    } else {
        std::env::current_dir()
            .and_then(fs::canonicalize)
            .map_err(WriteError::Io)?
    };
    let lexical = crate::pathglob::normalize(&base, dir);
    let expected = match anchor.and_then(|a| Some((a, lexical.strip_prefix(a).ok()?))) {
        Some((a, below)) => fs::canonicalize(a).map_err(WriteError::Io)?.join(below),
        None => lexical,
    };
    if real_dir != expected {
        return Err(WriteError::SymlinkedDir(real_dir.join(name)));
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Link count and write permission, as the running user.
#[cfg(unix)]
fn check_access(path: &Path, meta: &fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    if meta.nlink() > 1 {
        return Err(WriteError::HardLinked(meta.nlink()));
    }
    // SAFETY: geteuid and getegid have no preconditions and cannot fail.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let mode = meta.mode();
    let bit = if uid == 0 {
        0o222 // root: any write bit at all
    } else if meta.uid() == uid {
        0o200
    } else if meta.gid() == gid || in_group(meta.gid()) {
        0o020
    } else {
        0o002
    };
    if mode & bit == 0 {
        return Err(WriteError::ReadOnly);
    }
    // What the system says (ACLs, read-only mounts): open for writing,
    // without truncating or creating.
    if uid != 0 {
        match fs::OpenOptions::new().write(true).open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(WriteError::ReadOnly)
            }
            Err(e) => return Err(WriteError::Io(e)),
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_access(_: &Path, meta: &fs::Metadata) -> Result<(), WriteError> {
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    Ok(())
}

/// Whether the running user is in group `gid` (supplementary groups).
#[cfg(unix)]
fn in_group(gid: u32) -> bool {
    // SAFETY: a first call with size 0 returns the count; the second fills
    // a buffer of that size.
    unsafe {
        let n = libc::getgroups(0, std::ptr::null_mut());
        if n <= 0 {
            return false;
        }
        let mut groups = vec![0 as libc::gid_t; n as usize];
        let n = libc::getgroups(n, groups.as_mut_ptr());
        n > 0 && groups[..n as usize].contains(&gid)
    }
}

/// Gives the new copy the original's owner and group (a no-op when they
/// are already the running user's).
#[cfg(unix)]
fn keep_owner(tmp: &fs::File, meta: &fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let now = tmp.metadata().map_err(WriteError::Io)?;
    if now.uid() == meta.uid() && now.gid() == meta.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(tmp, Some(meta.uid()), Some(meta.gid())).map_err(WriteError::Owner)
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) -> Result<(), WriteError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.js");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_fixed(&p, b"old", "new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        // No temporary file left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.js");
        fs::write(&p, "edited meanwhile").unwrap();
        assert!(matches!(
            write_fixed(&p, b"old", "new"),
            Err(WriteError::Changed)
        ));
        assert_eq!(fs::read_to_string(&p).unwrap(), "edited meanwhile");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.js");
        let link = dir.path().join("l.js");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            write_fixed(&link, b"old", "new"),
            Err(WriteError::Symlink)
        ));
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlinked_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        fs::write(real.join("a.js"), "old").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("linkdir")).unwrap();
        let through = dir.path().join("linkdir/a.js");
        let err = write_fixed(&through, b"old", "new").unwrap_err();
        assert!(matches!(err, WriteError::SymlinkedDir(_)), "{err}");
        assert_eq!(fs::read_to_string(real.join("a.js")).unwrap(), "old");
        // The real path itself is written.
        write_fixed(&real.join("a.js"), b"old", "new").unwrap();
        assert_eq!(fs::read_to_string(real.join("a.js")).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_hard_links_and_read_only_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.js");
        let other = dir.path().join("b.js");
        fs::write(&p, "old").unwrap();
        fs::hard_link(&p, &other).unwrap();
        assert!(matches!(
            write_fixed(&p, b"old", "new"),
            Err(WriteError::HardLinked(2))
        ));
        assert_eq!(fs::read_to_string(&other).unwrap(), "old");
        fs::remove_file(&other).unwrap();
        // Read-only for everyone: refused whoever runs it (root too).
        fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(
            write_fixed(&p, b"old", "new"),
            Err(WriteError::ReadOnly)
        ));
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
    }

    /// As root: a file of another user keeps its owner, group and mode.
    #[cfg(unix)]
    #[test]
    fn keeps_owner_and_group_as_root() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if unsafe { libc::geteuid() } != 0 {
            return; // only root may give a file away; tests/it/fs.rs covers the refusal
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.js");
        fs::write(&p, "old").unwrap();
        std::os::unix::fs::chown(&p, Some(1000), Some(1000)).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_fixed(&p, b"old", "new").unwrap();
        let m = fs::metadata(&p).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (1000, 1000, 0o640));
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
    }
}
