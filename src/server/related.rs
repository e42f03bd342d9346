//! A finding's related places in other files (`relatedInformation`): the
//! `package.json` dependency a lockfile entry resolves, and the pages that
//! load a script whose widget version comes from them.

use super::documents::uri_of;
use super::position::{self, Encoding, Lines};
use crate::diagnostic::Diagnostic;
use crate::linter::Linter;
use crate::source::{FileKind, SourceFile};
use lsp_types::{DiagnosticRelatedInformation, Location};
use std::path::Path;

/// At most this many pages are listed for a script.
const MAX_PAGES: usize = 5;

/// The related places of finding `d` of `file`. `text_of` gives another
/// file's text (the editor's buffer when it is open, else the disk's).
pub fn related(
    linter: &Linter,
    file: &SourceFile,
    d: &Diagnostic,
    text_of: &dyn Fn(&Path) -> Option<String>,
    enc: Encoding,
) -> Vec<DiagnosticRelatedInformation> {
    let place = |path: &Path, text: &str, start: usize, end: usize, message: String| {
        let lines = Lines::new(text);
        Some(DiagnosticRelatedInformation {
            location: Location {
                uri: uri_of(path)?,
                range: position::range(&lines, text, start, end, enc),
            },
            message,
        })
    };
    match file.kind {
        FileKind::Lockfile => {
            let Some(dir) = file.path.parent() else {
                return Vec::new();
            };
            let Some(manifest) = linter.versions.manifest_in(dir) else {
                return Vec::new();
            };
            let Some(text) = text_of(&manifest.path) else {
                return Vec::new();
            };
            // The entry's package: the dependency named last before the
            // finding (the entry's key in every lockfile format).
            let mut end = d.end_byte.min(file.text.len());
            while !file.text.is_char_boundary(end) {
                end -= 1;
            }
            let before = &file.text[..end];
            let nearest = manifest
                .manifest
                .dependencies
                .iter()
                .filter_map(|dep| before.rfind(&dep.name).map(|at| (at, &dep.name)))
                .max()
                .map(|(_, name)| name.clone());
            manifest
                .manifest
                .dependencies
                .iter()
                .filter(|dep| Some(&dep.name) == nearest.as_ref())
                .filter(|dep| text.get(dep.start..dep.end) == Some(dep.spec.as_str()))
                .filter_map(|dep| {
                    place(
                        &manifest.path,
                        &text,
                        dep.start,
                        dep.end,
                        format!(
                            "{} {} is declared here ({})",
                            dep.name, dep.spec, dep.section
                        ),
                    )
                })
                .collect()
        }
        FileKind::Script(_) if d.message.contains("loaded by ") => {
            let name = file.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            linter
                .versions
                .pages_loading(&file.path)
                .iter()
                .take(MAX_PAGES)
                .filter_map(|p| {
                    let text = text_of(&p.page)?;
                    let at = text.find(name).unwrap_or(0);
                    let end = if at == 0 && !text.starts_with(name) {
                        0
                    } else {
                        at + name.len()
                    };
                    place(
                        &p.page,
                        &text,
                        at,
                        end,
                        format!("loads this script with Sign-In Widget {}", p.version),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    }
}
