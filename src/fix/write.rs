//! Writing a fixed file without ever losing the original.
//!
//! The new text goes to a temporary file in the same directory (same file
//! system, so the rename is atomic), gets the original's permissions, and
//! replaces the original by rename. A symbolic link is never written
//! through, a read-only file is left alone, and a file whose bytes or
//! modification time changed since it was read is not overwritten.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Why a fixed file was not written; the original is untouched in every case.
#[derive(Debug)]
pub enum WriteError {
    Symlink,
    ReadOnly,
    Changed,
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Symlink => f.write_str("is a symbolic link; fixes are not written through links (fix the file it points to)"),
            WriteError::ReadOnly => f.write_str("is read-only; fixes were not written (the file is unchanged)"),
            WriteError::Changed => f.write_str("changed on disk while it was being fixed; not overwritten"),
            WriteError::Io(e) => write!(f, "could not write the fixed file ({e}); the file is unchanged"),
        }
    }
}

/// Replaces the file at `path`, whose content was `original` when read,
/// with `fixed`.
pub fn write_fixed(path: &Path, original: &[u8], fixed: &str) -> Result<(), WriteError> {
    write_fixed_bytes(path, original, fixed.as_bytes())
}

/// [`write_fixed`] for text already encoded in the file's encoding.
pub fn write_fixed_bytes(path: &Path, original: &[u8], fixed: &[u8]) -> Result<(), WriteError> {
    let meta = fs::symlink_metadata(path).map_err(WriteError::Io)?;
    if meta.file_type().is_symlink() {
        return Err(WriteError::Symlink);
    }
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
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
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(WriteError::Io)?;
    tmp.as_file().sync_all().map_err(WriteError::Io)?;
    // Last look before the rename: same bytes, same modification time.
    let now = fs::symlink_metadata(path).map_err(WriteError::Io)?;
    if now.file_type().is_symlink()
        || now.modified().ok() != meta.modified().ok()
        || fs::read(path).map_err(WriteError::Io)? != original
    {
        return Err(WriteError::Changed);
    }
    tmp.persist(path).map_err(|e| WriteError::Io(e.error))?;
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
}
