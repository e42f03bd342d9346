//! Texts that win over the disk: the editor's open buffers.
//!
//! `oie-lint server` lints a document with facts from other files: the
//! `package.json` and lockfile that set its widget version, the pages that
//! load a script, the module a widget config is imported from, the config
//! file. When one of those files is open in the editor, its unsaved buffer
//! is what the developer sees, so it is what those facts are read from:
//! the server puts every open buffer here ([`set`]) and takes it out when
//! the document closes ([`remove`]); every read of another file's text goes
//! through [`read_to_string`] (and [`is_file`]), which answer from here
//! first. `check` never puts anything here: its reads are the disk's, at
//! the cost of one relaxed atomic load.
//!
//! [`record`] lists the files one piece of work read this way, so the
//! server knows which open documents depend on which buffers.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

static TEXTS: RwLock<BTreeMap<PathBuf, Arc<str>>> = RwLock::new(BTreeMap::new());
/// Whether anything was ever put in [`TEXTS`] (`check`: never).
static USED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The files read on this thread inside [`record`].
    static READS: RefCell<Option<BTreeSet<PathBuf>>> = const { RefCell::new(None) };
}

/// The key of `path`: absolute (against the working directory) and
/// lexically normalised, as the version index keys its files.
fn key(path: &Path) -> PathBuf {
    let cwd = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    crate::pathglob::normalize(&cwd, path)
}

/// `text` is the content of `path` from now on, whatever the disk holds.
pub fn set(path: &Path, text: &str) {
    USED.store(true, Ordering::Relaxed);
    let mut texts = TEXTS.write().unwrap_or_else(|e| e.into_inner());
    texts.insert(key(path), Arc::from(text));
}

/// `path` is read from disk again.
pub fn remove(path: &Path) {
    if !USED.load(Ordering::Relaxed) {
        return;
    }
    let mut texts = TEXTS.write().unwrap_or_else(|e| e.into_inner());
    texts.remove(&key(path));
}

/// The text held for `path`, if any.
pub fn get(path: &Path) -> Option<Arc<str>> {
    if !USED.load(Ordering::Relaxed) {
        return None;
    }
    let texts = TEXTS.read().unwrap_or_else(|e| e.into_inner());
    texts.get(&key(path)).cloned()
}

/// The held files below `dir` (absolute, normalised), sorted.
pub fn paths_under(dir: &Path) -> Vec<PathBuf> {
    if !USED.load(Ordering::Relaxed) {
        return Vec::new();
    }
    let dir = key(dir);
    let texts = TEXTS.read().unwrap_or_else(|e| e.into_inner());
    texts
        .range(dir.clone()..)
        .take_while(|(p, _)| p.starts_with(&dir))
        .map(|(p, _)| p.clone())
        .collect()
}

fn note(path: &Path) {
    READS.with(|r| {
        if let Some(set) = r.borrow_mut().as_mut() {
            set.insert(key(path));
        }
    });
}

/// The text of `path`: the held text, else the file's.
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    note(path);
    match get(path) {
        Some(t) => Ok(t.to_string()),
        None => std::fs::read_to_string(path),
    }
}

/// The bytes of `path`: the held text's, else the file's.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    note(path);
    match get(path) {
        Some(t) => Ok(t.as_bytes().to_vec()),
        None => std::fs::read(path),
    }
}

/// Whether `path` is a file: held (a buffer not saved yet), or on disk.
pub fn is_file(path: &Path) -> bool {
    get(path).is_some() || path.is_file()
}

/// Runs `work` and lists the files it read through this module on this
/// thread (absolute, normalised). Nested calls each get their own list.
pub fn record<T>(work: impl FnOnce() -> T) -> (T, BTreeSet<PathBuf>) {
    let outer = READS.with(|r| r.borrow_mut().replace(BTreeSet::new()));
    let out = work();
    let reads = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    let reads = reads.unwrap_or_default();
    // What the inner work read, the outer work read too.
    READS.with(|r| {
        if let Some(set) = r.borrow_mut().as_mut() {
            set.extend(reads.iter().cloned());
        }
    });
    (out, reads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_texts_win_over_the_disk_and_reads_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("package.json");
        std::fs::write(&file, "disk").unwrap();
        let fresh = dir.path().join("sub/new.html");
        let ((), reads) = record(|| {
            assert_eq!(read_to_string(&file).unwrap(), "disk");
            set(&dir.path().join("x/../package.json"), "buffer");
            assert_eq!(read_to_string(&file).unwrap(), "buffer");
            assert!(!is_file(&fresh));
            set(&fresh, "<html>");
            assert!(is_file(&fresh));
            assert_eq!(read(&fresh).unwrap(), b"<html>");
        });
        assert_eq!(
            reads.into_iter().collect::<Vec<_>>(),
            [file.clone(), fresh.clone()]
        );
        assert_eq!(paths_under(dir.path()), [file.clone(), fresh.clone()]);
        assert_eq!(
            paths_under(&dir.path().join("sub")),
            std::slice::from_ref(&fresh)
        );
        remove(&file);
        remove(&fresh);
        assert_eq!(read_to_string(&file).unwrap(), "disk");
        assert!(!is_file(&fresh));
    }
}
