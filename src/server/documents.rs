//! The open documents, as the editor has them: `didOpen` stores the text,
//! `didChange` applies the changes (whole or ranged), `didClose` forgets
//! it. Linting reads these buffers, never the files on disk, and so do
//! other documents' checks: each open buffer is also held in
//! [`crate::source::overlay`], which the facts read from other files
//! (manifests, lockfiles, pages, imported modules, the config) go through.

use super::position::{Encoding, Lines};
use crate::source::overlay;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub struct Document {
    pub uri: Uri,
    /// The file the document is (from a `file:` URI).
    pub path: PathBuf,
    pub text: String,
    pub version: i32,
}

#[derive(Default)]
pub struct Documents {
    /// By URI text, sorted (publishing order is deterministic).
    docs: BTreeMap<String, Document>,
}

impl Documents {
    /// Stores an opened document; `None` when its URI is not a `file:` one.
    pub fn open(&mut self, uri: Uri, text: String, version: i32) -> Option<&Document> {
        let path = path_of(&uri)?;
        let key = uri.as_str().to_string();
        overlay::set(&path, &text);
        self.docs.insert(
            key.clone(),
            Document {
                uri,
                path,
                text,
                version,
            },
        );
        self.docs.get(&key)
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        let doc = self.docs.remove(uri.as_str())?;
        // Another URI may name the same file (a symlink, a case variant):
        // its buffer stays the file's text.
        match self.by_path(&doc.path) {
            Some(other) => overlay::set(&other.path, &other.text),
            None => overlay::remove(&doc.path),
        }
        Some(doc)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri.as_str())
    }

    /// The open document of a file.
    pub fn by_path(&self, path: &std::path::Path) -> Option<&Document> {
        self.docs.values().find(|d| d.path == path)
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.docs.values().map(|d| d.uri.clone()).collect()
    }

    /// Applies `changes` in order (each range is in the text left by the
    /// previous one).
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> bool {
        let Some(doc) = self.docs.get_mut(uri.as_str()) else {
            return false;
        };
        for c in changes {
            match c.range {
                None => doc.text = c.text,
                Some(r) => {
                    let lines = Lines::new(&doc.text);
                    let start = lines.offset(&doc.text, r.start, enc);
                    let end = lines.offset(&doc.text, r.end, enc).max(start);
                    doc.text.replace_range(start..end, &c.text);
                }
            }
        }
        doc.version = version;
        overlay::set(&doc.path, &doc.text);
        true
    }
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file://host/path`: only an empty host or `localhost` is this machine.
    let rest = match rest.find('/') {
        Some(0) => rest,
        Some(i) if &rest[..i] == "localhost" => &rest[i..],
        _ => return None,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if raw[i] == b'%' && i + 2 < raw.len() {
            if let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2])) {
                bytes.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    let text = String::from_utf8(bytes).ok()?;
    // Windows: `file:///C:/dir` → `C:/dir`.
    #[cfg(windows)]
    let text = match text.strip_prefix('/') {
        Some(t) if t.as_bytes().get(1) == Some(&b':') => t.to_string(),
        _ => text,
    };
    Some(PathBuf::from(text))
}

/// The `file:` URI of an absolute path (the characters outside
/// `A-Za-z0-9-._~/` percent-encoded).
pub fn uri_of(path: &std::path::Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut s = String::from("file://");
    if !text.starts_with('/') {
        s.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_decoded_and_encoded() {
        let uri: Uri = "file:///home/a%20b/caf%C3%A9.html".parse().unwrap();
        assert_eq!(path_of(&uri).unwrap(), PathBuf::from("/home/a b/café.html"));
        let back = uri_of(&PathBuf::from("/home/a b/café.html")).unwrap();
        assert_eq!(back.as_str(), "file:///home/a%20b/caf%C3%A9.html");
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert!(path_of(&other).is_none());
    }

    #[test]
    fn ranged_changes_apply_in_order() {
        let mut docs = Documents::default();
        let uri: Uri = "file:///x.js".parse().unwrap();
        docs.open(uri.clone(), "é😀ab\ncd".into(), 1);
        let at = |l, c| lsp_types::Position::new(l, c);
        let changes = vec![
            TextDocumentContentChangeEvent {
                range: Some(lsp_types::Range::new(at(0, 3), at(0, 4))),
                range_length: None,
                text: "X".into(),
            },
            TextDocumentContentChangeEvent {
                range: Some(lsp_types::Range::new(at(1, 0), at(1, 0))),
                range_length: None,
                text: "++".into(),
            },
        ];
        assert!(docs.change(&uri, 2, changes, Encoding::Utf16));
        assert_eq!(docs.get(&uri).unwrap().text, "é😀Xb\n++cd");
        assert_eq!(docs.get(&uri).unwrap().version, 2);
    }
}
