//! Byte offsets to 1-based line/column, computed once per file.
//!
//! tree-sitter reports byte columns; users and editors count characters, and
//! SARIF counts UTF-16 code units. Keeping the conversion in one place means
//! every reporter agrees, including for CRLF files and files with a BOM.

use crate::diagnostic::{Fix, Position};

const BOM: &str = "\u{feff}";

pub struct LineIndex {
    starts: Vec<usize>,
    bom: bool,
    /// The last [`LineIndex::position`] answer `(offset, line, column)`:
    /// the next query on the same line at or after it counts characters
    /// from there, so sorted queries on one long line (a minified file with
    /// thousands of findings) take linear time, not quadratic.
    last: std::sync::Mutex<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        // A lone CR ends a line too (classic Mac files; JavaScript agrees).
        if memchr::memchr(b'\r', bytes).is_some() {
            starts.extend(
                memchr::memchr_iter(b'\r', bytes)
                    .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
                    .map(|i| i + 1),
            );
            starts.sort_unstable();
        }
        LineIndex {
            starts,
            bom: text.starts_with(BOM),
            last: std::sync::Mutex::new((usize::MAX, 0, 0)),
        }
    }

    /// Byte offset where the 0-based line `line` starts (`None` past the end).
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// 0-based line index of `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where the (0-based) line starts, skipping a BOM on line 0.
    fn content_start(&self, line: usize) -> usize {
        if line == 0 && self.bom {
            BOM.len()
        } else {
            self.starts[line]
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.content_start(line).min(offset);
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let (last_offset, last_line, last_column) = *last;
        let column = if last_line == line
            && last_offset != usize::MAX
            && (start..=offset).contains(&last_offset)
        {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[start..offset].chars().count() + 1
        };
        *last = (offset, line, column);
        Position {
            line: line + 1,
            column,
        }
    }

    /// 1-based column in UTF-16 code units (SARIF's default `columnKind`).
    pub fn utf16_column(&self, text: &str, offset: usize) -> usize {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.content_start(line).min(offset);
        text[start..offset].encode_utf16().count() + 1
    }

    /// Byte range of the 1-based line `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let i = line.checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let mut end = self.starts.get(i + 1).map_or(text.len(), |&s| s - 1);
        if end > start
            && text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r')
            && end <= text.len()
        {
            end -= 1;
        }
        Some(start..end.max(start))
    }

    /// Whether line breaks are lone CRs only (no LF anywhere, at least one CR).
    pub fn cr_only(text: &str) -> bool {
        memchr::memchr(b'\n', text.as_bytes()).is_none()
            && memchr::memchr(b'\r', text.as_bytes()).is_some()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn clamp_to_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The whole text as a tree-sitter range, after a leading BOM (which the
/// CSS grammar would otherwise read as the start of a selector). Rows count
/// `\n`s, columns are bytes, as tree-sitter's.
pub fn whole_text_range(text: &str) -> tree_sitter::Range {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rows = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let last_line = memchr::memrchr(b'\n', text.as_bytes()).map_or(0, |i| i + 1);
    tree_sitter::Range {
        start_byte: start,
        end_byte: text.len(),
        start_point: tree_sitter::Point::new(0, start),
        end_point: tree_sitter::Point::new(rows, text.len() - last_line),
    }
}

/// The file's line ending: that of its first line break (`\n` when none).
pub fn line_ending(text: &str) -> &'static str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Rewrites the bare `\n`s of a fix's replacements to the file's line
/// ending, so fixes never mix CRLF and LF. Checks write `\n`.
pub fn adapt_line_endings(fix: &mut Fix, text: &str) {
    if line_ending(text) != "\r\n" {
        return;
    }
    for e in &mut fix.edits {
        if e.replacement.contains('\n') {
            let mut out = String::with_capacity(e.replacement.len() + 8);
            let mut prev = '\0';
            for c in e.replacement.chars() {
                if c == '\n' && prev != '\r' {
                    out.push('\r');
                }
                out.push(c);
                prev = c;
            }
            e.replacement = out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, r: &str) -> crate::diagnostic::Edit {
        crate::diagnostic::Edit {
            start,
            end,
            replacement: r.into(),
        }
    }

    #[test]
    fn crlf_replacements() {
        use crate::diagnostic::Applicability;
        let mut f = Fix {
            applicability: Applicability::Safe,
            description: String::new(),
            edits: vec![edit(0, 0, "a\nb\r\nc")],
        };
        adapt_line_endings(&mut f, "x\r\ny");
        assert_eq!(f.edits[0].replacement, "a\r\nb\r\nc");
        let mut g = Fix {
            applicability: Applicability::Safe,
            description: String::new(),
            edits: vec![edit(0, 0, "a\nb")],
        };
        adapt_line_endings(&mut g, "x\ny\r\n");
        assert_eq!(g.edits[0].replacement, "a\nb");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let text = "é日本 x";
        let idx = LineIndex::new(text);
        let off = text.find('x').unwrap();
        assert_eq!(idx.position(text, off), Position { line: 1, column: 5 });
        assert_eq!(idx.utf16_column(text, off), 5);
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}var a;\nb";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.position(text, text.find("a;").unwrap()),
            Position { line: 1, column: 5 }
        );
        assert_eq!(
            idx.position(text, text.find('b').unwrap()),
            Position { line: 2, column: 1 }
        );
    }

    /// Regression (issue 12): a CR-only file had every finding on line 1.
    #[test]
    fn cr_only_lines() {
        let text = "a\rbb\r\rc";
        let idx = LineIndex::new(text);
        assert!(LineIndex::cr_only(text) && !LineIndex::cr_only("a\r\nb"));
        assert_eq!(
            idx.position(text, text.find('c').unwrap()),
            Position { line: 4, column: 1 }
        );
        assert_eq!(
            idx.position(text, text.find("bb").unwrap() + 1),
            Position { line: 2, column: 2 }
        );
        assert_eq!(idx.line_range(text, 2), Some(2..4));
        assert_eq!(idx.line_range(text, 3), Some(5..5));
        assert_eq!(idx.line_count(), 4);
    }

    #[test]
    fn crlf_lines() {
        let text = "a\r\nbb\r\nc";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.position(text, text.find('c').unwrap()),
            Position { line: 3, column: 1 }
        );
        assert_eq!(idx.line_range(text, 2), Some(3..5));
    }

    #[test]
    fn astral_plane_counts_two_utf16_units() {
        let text = "😀x";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 4).column, 2);
        assert_eq!(idx.utf16_column(text, 4), 3);
    }
}
