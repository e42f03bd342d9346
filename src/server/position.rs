//! LSP positions: a 0-based line and a character offset counted in UTF-16
//! code units (the protocol's default) or in bytes (UTF-8, when the client
//! offers it and the server picks it). Lines end at `\n`, `\r\n` or a lone
//! `\r`, as the protocol says.

use lsp_types::Position;

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The byte offsets where each line starts.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let b = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                continue; // the \n ends this line
            }
            starts.push(i + 1);
        }
        Lines { starts }
    }

    /// The line start and end (before its terminator) of 0-based `line`.
    fn span(&self, text: &str, line: usize) -> (usize, usize) {
        let b = text.as_bytes();
        let start = self.starts[line];
        let end = match self.starts.get(line + 1) {
            None => text.len(),
            Some(&next) => {
                let t = next - 1; // the terminator's last byte
                if b[t] == b'\n' && t > start && b[t - 1] == b'\r' {
                    t - 1
                } else {
                    t
                }
            }
        };
        (start, end)
    }

    /// The position of byte `offset` (clamped to the text and to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let character = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => text[start..offset].encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of `pos`: a line past the end is the end of the
    /// text, a character past the end of its line is the line's end, a
    /// character inside a UTF-16 pair or a UTF-8 sequence is the character's
    /// start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let (start, end) = self.span(text, line);
        let want = pos.character as usize;
        match enc {
            Encoding::Utf8 => {
                let mut o = (start + want).min(end);
                while !text.is_char_boundary(o) {
                    o -= 1;
                }
                o
            }
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in text[start..end].char_indices() {
                    if units >= want {
                        return start + i;
                    }
                    units += c.len_utf16();
                    if units > want {
                        return start + i;
                    }
                }
                end
            }
        }
    }
}

/// The LSP range of bytes `start..end`.
pub fn range(
    lines: &Lines,
    text: &str,
    start: usize,
    end: usize,
    enc: Encoding,
) -> lsp_types::Range {
    lsp_types::Range::new(
        lines.position(text, start, enc),
        lines.position(text, end, enc),
    )
}

/// The smallest single edit turning `old` into `new`: their common prefix
/// and suffix are left alone (on character boundaries).
pub fn minimal_edit(old: &str, new: &str, enc: Encoding) -> Option<lsp_types::TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    // Never split a `\r\n`: an editor treats it as one line break.
    let b = old.as_bytes();
    let crlf_at = |i: usize| i > 0 && b[i - 1] == b'\r' && b.get(i) == Some(&b'\n');
    if crlf_at(prefix) {
        prefix -= 1;
    }
    if crlf_at(old.len() - suffix) {
        suffix -= 1;
    }
    let lines = Lines::new(old);
    Some(lsp_types::TextEdit {
        range: range(&lines, old, prefix, old.len() - suffix, enc),
        new_text: new[prefix..new.len() - suffix].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_and_lines_end_at_any_break() {
        let text = "é😀x\r\nab\rc\nd";
        let l = Lines::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(l.position(text, x, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(l.position(text, x, Encoding::Utf8), Position::new(0, 6));
        assert_eq!(l.offset(text, Position::new(0, 3), Encoding::Utf16), x);
        // Past the end of a line: the line's end, before `\r\n`.
        assert_eq!(l.offset(text, Position::new(0, 99), Encoding::Utf16), x + 1);
        let c = text.find('c').unwrap();
        assert_eq!(l.position(text, c, Encoding::Utf16), Position::new(2, 0));
        assert_eq!(
            l.offset(text, Position::new(3, 1), Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            l.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn a_minimal_edit_keeps_the_common_prefix_and_suffix() {
        let e = minimal_edit("a😀bc\nd", "a😀Xc\nd", Encoding::Utf16).unwrap();
        assert_eq!(
            e.range,
            lsp_types::Range::new(Position::new(0, 3), Position::new(0, 4))
        );
        assert_eq!(e.new_text, "X");
        assert!(minimal_edit("same", "same", Encoding::Utf16).is_none());
        let e = minimal_edit("aaa", "aa", Encoding::Utf8).unwrap();
        assert_eq!(e.new_text, "");
        assert_eq!(e.range.end.character - e.range.start.character, 1);
    }
}
