//! `oie-lint org --pull DIR`: saves each brand's customised sign-in page as
//! `DIR/<brand>/sign-in.html`, so it can be kept in git and linted in CI
//! like any other template.

use std::path::{Path, PathBuf};

/// A customised sign-in page read from the org.
#[derive(Debug, Clone)]
pub struct BrandPage {
    /// Safe directory name (see [`super::checks::brand_dir`]).
    pub dir: String,
    pub page_content: String,
}

/// Writes every page; returns the files written. Brand directory names are
/// already free of separators and `..`, so nothing lands outside `dir`.
pub fn save(dir: &Path, pages: &[BrandPage]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for p in pages {
        let brand_dir = dir.join(&p.dir);
        std::fs::create_dir_all(&brand_dir)?;
        let file = brand_dir.join("sign-in.html");
        // Write beside, then rename: a reader never sees half a page.
        let tmp = brand_dir.join(".sign-in.html.oie-lint-tmp");
        std::fs::write(&tmp, &p.page_content)?;
        std::fs::rename(&tmp, &file)?;
        written.push(file);
    }
    Ok(written)
}
