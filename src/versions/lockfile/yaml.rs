//! A line scanner for the block-mapping subset of YAML that package managers
//! write (`pnpm-lock.yaml`, yarn berry's `yarn.lock`).
//!
//! Those files are generated: two-space indentation, one `key: value` or
//! `key:` per line, keys plain or quoted. Reading them line by line gives
//! exact byte offsets for keys and values without a YAML library (whose
//! markers count chars, not bytes) and stays linear on large files. Flow
//! collections (`{integrity: …}`) and list items are skipped as opaque.

/// One `key: value` / `key:` line with its place in the mapping tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// Keys from the top level down to this line's key (inclusive).
    pub path: Vec<&'a str>,
    /// Byte range of the key text (without quotes).
    pub key_start: usize,
    pub key_end: usize,
    /// The scalar value without quotes and its byte range; `None` for `key:`.
    pub value: Option<(&'a str, usize, usize)>,
}

impl Line<'_> {
    pub fn key(&self) -> &str {
        self.path.last().copied().unwrap_or("")
    }
}

/// Scans `text`, calling `f` for every mapping line.
pub fn scan<'a>(text: &'a str, mut f: impl FnMut(&Line<'a>)) {
    // (indent, key) of the open mappings above the current line.
    let mut stack: Vec<(usize, &'a str)> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') || rest.starts_with('-') {
            continue;
        }
        let Some((key, key_start, key_end, after)) = parse_key(line, indent) else {
            continue;
        };
        while stack.last().is_some_and(|&(i, _)| i >= indent) {
            stack.pop();
        }
        let value = scalar(line, after).map(|(v, s, e)| (v, line_start + s, line_start + e));
        let mut path: Vec<&str> = stack.iter().map(|&(_, k)| k).collect();
        path.push(key);
        f(&Line {
            path,
            key_start: line_start + key_start,
            key_end: line_start + key_end,
            value,
        });
        if value.is_none() {
            stack.push((indent, key));
        }
    }
}

/// The key at `line[indent..]`: `(key, start, end, index after the colon)`.
fn parse_key(line: &str, indent: usize) -> Option<(&str, usize, usize, usize)> {
    let rest = &line[indent..];
    let q = rest.as_bytes()[0];
    if q == b'"' || q == b'\'' {
        let close = find_close(rest, q)?;
        let after = indent + close + 1;
        line[after..].starts_with(':').then_some((
            &line[indent + 1..indent + close],
            indent + 1,
            indent + close,
            after + 1,
        ))
    } else {
        let bytes = line.as_bytes();
        let mut i = indent;
        while i < bytes.len() {
            if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
                return Some((&line[indent..i], indent, i, i + 1));
            }
            i += 1;
        }
        None
    }
}

/// Index (within `s`) of the quote closing the one at `s[0]`.
fn find_close(s: &str, q: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\\' && q == b'"' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The scalar after a key's colon (`line[after..]`), unquoted, with its
/// range in the line. Flow collections count as a (non-scalar) value.
fn scalar(line: &str, after: usize) -> Option<(&str, usize, usize)> {
    let rest = &line[after..];
    let start = after + (rest.len() - rest.trim_start().len());
    let v = line[start..].trim_end();
    if v.is_empty() || v.starts_with('#') {
        return None;
    }
    let q = v.as_bytes()[0];
    if q == b'"' || q == b'\'' {
        if let Some(close) = find_close(v, q) {
            return Some((&v[1..close], start + 1, start + close));
        }
    }
    // Strip a trailing comment (` # …`).
    let v = match v.find(" #") {
        Some(i) => v[..i].trim_end(),
        None => v,
    };
    Some((v, start, start + v.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_values_and_offsets() {
        let text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@okta/okta-signin-widget':\n        specifier: ^5.0.0\n        version: 5.1.5\npackages:\n  /a/1.0.0:\n    resolution: {integrity: x}\n";
        let mut lines = Vec::new();
        scan(text, |l| lines.push(l.clone()));
        let v = lines
            .iter()
            .find(|l| {
                l.path
                    == [
                        "importers",
                        ".",
                        "dependencies",
                        "@okta/okta-signin-widget",
                        "version",
                    ]
            })
            .unwrap();
        let (val, s, e) = v.value.unwrap();
        assert_eq!((val, &text[s..e]), ("5.1.5", "5.1.5"));
        let k = lines
            .iter()
            .find(|l| l.key() == "@okta/okta-signin-widget")
            .unwrap();
        assert_eq!(&text[k.key_start..k.key_end], "@okta/okta-signin-widget");
        assert_eq!(lines[0].value.unwrap().0, "9.0");
        assert!(lines.iter().any(|l| l.path == ["packages", "/a/1.0.0"]));
    }

    #[test]
    fn quoted_keys_with_commas_and_escapes() {
        let text = "\"a@npm:^1.0.0, a@npm:^1.1.0\":\n  version: 1.2.0\n'it''s': \"x\\\"y\"\n";
        let mut lines = Vec::new();
        scan(text, |l| lines.push(l.clone()));
        assert_eq!(lines[0].key(), "a@npm:^1.0.0, a@npm:^1.1.0");
        assert_eq!(lines[1].path, ["a@npm:^1.0.0, a@npm:^1.1.0", "version"]);
        assert_eq!(lines[2].key(), "it''s");
        assert_eq!(lines[2].value.unwrap().0, "x\\\"y");
    }
}
