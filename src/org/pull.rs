//! `oie-lint org --pull DIR`: saves each brand's customised sign-in page as
//! `DIR/<brand>/sign-in.html`, so it can be kept in git and linted in CI
//! like any other template.
//!
//! The folder is meant to be committed, so whatever is in it may have come
//! from someone else: every write lands inside `DIR` or fails.
//! - A brand folder that is a symbolic link (or not a folder) is refused,
//!   as `check --fix` refuses a path through a linked folder; `DIR` itself
//!   may be a link (the user named it).
//! - An existing `sign-in.html` that is a symbolic link is refused, not
//!   replaced.
//! - The new page goes to a temporary file with an unpredictable name,
//!   created exclusively (`O_CREAT|O_EXCL`: a link planted at that name
//!   makes the creation fail instead of being followed), then renamed over
//!   `sign-in.html` (a rename replaces a name, it never follows one).
//! - Just before the rename the brand folder's real path is checked again.

use std::path::{Path, PathBuf};

/// A customised sign-in page read from the org.
#[derive(Debug, Clone)]
pub struct BrandPage {
    /// Safe directory name (see [`super::checks::brand_dir`]).
    pub dir: String,
    pub page_content: String,
}

/// What happened to one page.
#[derive(Debug)]
pub struct Saved {
    /// `DIR/<brand>/sign-in.html`.
    pub file: PathBuf,
    /// `Err(reason)` when the page was not written (nothing was changed).
    pub result: Result<(), String>,
}

/// Writes every page it may; one [`Saved`] per page, in order. Brand
/// directory names are already free of separators and `..`; see the module
/// documentation for links.
pub fn save(dir: &Path, pages: &[BrandPage]) -> std::io::Result<Vec<Saved>> {
    std::fs::create_dir_all(dir)?;
    let real_dir = std::fs::canonicalize(dir)?;
    Ok(pages
        .iter()
        .map(|p| {
            let file = dir.join(&p.dir).join("sign-in.html");
            let result = save_one(dir, &real_dir, p);
            Saved { file, result }
        })
        .collect())
}

fn save_one(dir: &Path, real_dir: &Path, p: &BrandPage) -> Result<(), String> {
    use std::io::Write;
    let brand_dir = dir.join(&p.dir);
    let expected = real_dir.join(&p.dir);
    match std::fs::symlink_metadata(&brand_dir) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "{} is a symbolic link; pages are not written through links (remove it)",
                crate::source::escape_path(&brand_dir)
            ))
        }
        Ok(m) if !m.is_dir() => {
            return Err(format!(
                "{} is not a folder",
                crate::source::escape_path(&brand_dir)
            ))
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Not create_dir_all: the parent is `DIR`, which exists.
            std::fs::create_dir(&brand_dir).map_err(|e| io_error(&brand_dir, &e))?;
        }
        Err(e) => return Err(io_error(&brand_dir, &e)),
    }
    let check_real = || -> Result<(), String> {
        let real = std::fs::canonicalize(&brand_dir).map_err(|e| io_error(&brand_dir, &e))?;
        if real != expected {
            return Err(format!(
                "{} leads to {}; pages are not written through links",
                crate::source::escape_path(&brand_dir),
                crate::source::escape_path(&real)
            ));
        }
        Ok(())
    };
    check_real()?;
    let file = brand_dir.join("sign-in.html");
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; pages are not written through links (remove it)",
            crate::source::escape_path(&file)
        ));
    }
    // Write beside, then rename: a reader never sees half a page.
    let mut tmp = tempfile::Builder::new()
        .prefix(".sign-in.html.")
        .suffix(".oie-lint-tmp")
        .tempfile_in(&brand_dir)
        .map_err(|e| io_error(&brand_dir, &e))?;
    tmp.write_all(p.page_content.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| io_error(tmp.path(), &e))?;
    check_real()?;
    if std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "{} is a symbolic link; pages are not written through links (remove it)",
            crate::source::escape_path(&file)
        ));
    }
    tmp.persist(&file).map_err(|e| io_error(&file, &e.error))?;
    Ok(())
}

fn io_error(path: &Path, e: &std::io::Error) -> String {
    format!("{}: {e}", crate::source::escape_path(path))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn page(dir: &str) -> BrandPage {
        BrandPage {
            dir: dir.into(),
            page_content: "<html>new</html>\n".into(),
        }
    }

    #[test]
    fn writes_pages_and_replaces_old_ones() {
        let d = tempfile::tempdir().unwrap();
        let pull = d.path().join("pages");
        std::fs::create_dir_all(pull.join("Acme")).unwrap();
        std::fs::write(pull.join("Acme/sign-in.html"), "old").unwrap();
        let saved = save(&pull, &[page("Acme"), page("Other")]).unwrap();
        assert!(saved.iter().all(|s| s.result.is_ok()), "{saved:?}");
        for b in ["Acme", "Other"] {
            assert_eq!(
                std::fs::read_to_string(pull.join(b).join("sign-in.html")).unwrap(),
                "<html>new</html>\n"
            );
            // No temporary file left behind.
            assert_eq!(std::fs::read_dir(pull.join(b)).unwrap().count(), 1);
        }
    }

    #[test]
    fn a_symlinked_brand_folder_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let pull = d.path().join("pages");
        let outside = d.path().join("outside");
        std::fs::create_dir_all(&pull).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        symlink("../outside", pull.join("Acme")).unwrap();
        let saved = save(&pull, &[page("Acme"), page("Other")]).unwrap();
        let err = saved[0].result.as_ref().unwrap_err();
        assert!(err.contains("is a symbolic link"), "{err}");
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        assert!(saved[1].result.is_ok(), "the other brand is still saved");
    }

    #[test]
    fn a_symlinked_page_is_refused_and_its_target_kept() {
        let d = tempfile::tempdir().unwrap();
        let pull = d.path().join("pages");
        std::fs::create_dir_all(pull.join("Acme")).unwrap();
        let victim = d.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        symlink(&victim, pull.join("Acme/sign-in.html")).unwrap();
        let saved = save(&pull, &[page("Acme")]).unwrap();
        assert!(saved[0].result.is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    }
}
