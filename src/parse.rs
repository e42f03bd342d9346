//! One set of tree-sitter parsers per worker thread.
//!
//! Parsers are cheap to keep and not `Sync`; a thread-local set means no
//! locking and no per-file allocation of parser state.

use crate::source::{Dialect, ServerLang};
use std::cell::RefCell;
use tree_sitter::{Parser, Range, Tree};

pub mod statements;

/// One parsed JavaScript region of a file (the whole file for `.js`/`.ts`).
pub struct Unit {
    pub dialect: Dialect,
    pub tree: Tree,
}

pub struct Parsers {
    js: [Option<Parser>; 3],
    html: Parser,
    css: Option<Parser>,
    server: [Option<Parser>; 6],
    /// The last whole-text script parse, kept after [`keep_last_tree`].
    last: Option<LastTree>,
    keep_last: bool,
}

/// A whole-text script parse and the text it was made of.
struct LastTree {
    dialect: Dialect,
    text: String,
    tree: Tree,
}

thread_local! {
    static PARSERS: RefCell<Parsers> = RefCell::new(Parsers {
        js: [None, None, None],
        html: Parser::new(),
        css: None,
        server: Default::default(),
        last: None,
        keep_last: false,
    });
}

/// Makes this thread keep its last whole-text script parse, so that the
/// next parse of a changed text of the same dialect reuses the unchanged
/// parts (tree-sitter's incremental parsing): the language server checks
/// the same buffer again after each edit. The edit is found by comparing
/// the two texts (their common start and end), so any pair of texts is
/// parsed correctly, only faster when they share most of their bytes.
/// Off by default (`check` parses each file once).
pub fn keep_last_tree(on: bool) {
    with_parsers(|p| {
        p.keep_last = on;
        if !on {
            p.last = None;
        }
    });
}

/// `old`'s tree, edited to line up with `new` (one edit spanning what
/// differs between the texts).
fn edited(mut old: LastTree, new: &str) -> Tree {
    let (a, b) = (old.text.as_bytes(), new.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let point = |t: &[u8], at: usize| {
        let row = memchr::memchr_iter(b'\n', &t[..at]).count();
        let line_start = memchr::memrchr(b'\n', &t[..at]).map_or(0, |i| i + 1);
        tree_sitter::Point::new(row, at - line_start)
    };
    let (old_end, new_end) = (a.len() - suffix, b.len() - suffix);
    old.tree.edit(&tree_sitter::InputEdit {
        start_byte: prefix,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: point(a, prefix),
        old_end_position: point(a, old_end),
        new_end_position: point(b, new_end),
    });
    old.tree
}

/// One parsed stylesheet region of a file: a `.css`/`.scss`/`.less` file
/// (after its BOM) or a `<style>` body of a page, over the same (masked)
/// text as the file's scripts, so node positions are file positions.
pub struct CssUnit {
    pub tree: Tree,
}

/// One server source file (or a PHP page) parsed with its language's
/// grammar, for the rules that read server code (`[detect] server = true`).
pub struct ServerUnit {
    pub lang: ServerLang,
    pub tree: Tree,
}

/// Runs `f` with this thread's parsers.
pub fn with_parsers<R>(f: impl FnOnce(&mut Parsers) -> R) -> R {
    PARSERS.with(|p| f(&mut p.borrow_mut()))
}

impl Parsers {
    pub fn html(&mut self) -> &mut Parser {
        &mut self.html
    }

    /// Parses `text` as CSS; with `range`, only that region of it, so node
    /// positions are positions in `text`. tree-sitter-css also reads CSS
    /// nesting, and recovers from the SCSS/LESS syntax it lacks (variables,
    /// mixins, interpolation) with local error nodes.
    pub fn parse_css(&mut self, text: &str, range: Option<Range>) -> Option<Tree> {
        let parser = self.css.get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_css::LANGUAGE.into())
                .expect("bundled grammar ABI is supported");
            p
        });
        match range {
            Some(r) => parser.set_included_ranges(&[r]).ok()?,
            None => parser.set_included_ranges(&[]).ok()?,
        }
        parser.parse(text, None)
    }

    /// Parses the whole of `text` as `lang`.
    pub fn parse_server(&mut self, lang: ServerLang, text: &str) -> Option<Tree> {
        let parser = self.server[lang.index()].get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&lang.language())
                .expect("bundled grammar ABI is supported");
            p
        });
        parser.parse(text, None)
    }

    /// Parses the `ranges` of `text` (ascending, not overlapping) as one
    /// `dialect` tree whose node positions are positions in `text`.
    pub fn parse_js_ranges(
        &mut self,
        dialect: Dialect,
        text: &str,
        ranges: &[Range],
    ) -> Option<Tree> {
        let parser = self.js[dialect.index()].get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&dialect.language())
                .expect("bundled grammar ABI is supported");
            p
        });
        parser.set_included_ranges(ranges).ok()?;
        parser.parse(text, None)
    }

    /// Parses `text` as `dialect`; with `range`, only that region of it, so
    /// node positions are positions in `text`.
    pub fn parse_js(&mut self, dialect: Dialect, text: &str, range: Option<Range>) -> Option<Tree> {
        let slot = &mut self.js[dialect.index()];
        let parser = slot.get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&dialect.language())
                .expect("bundled grammar ABI is supported");
            p
        });
        match range {
            Some(r) => parser.set_included_ranges(&[r]).ok()?,
            None => parser.set_included_ranges(&[]).ok()?,
        }
        if !self.keep_last || range.is_some() {
            return parser.parse(text, None);
        }
        let old = match self.last.take() {
            Some(last) if last.dialect == dialect => Some(edited(last, text)),
            _ => None,
        };
        let tree = parser.parse(text, old.as_ref())?;
        self.last = Some(LastTree {
            dialect,
            text: text.to_string(),
            tree: tree.clone(),
        });
        Some(tree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sexp(tree: &Tree) -> String {
        tree.root_node().to_sexp()
    }

    #[test]
    fn a_kept_tree_reparses_changed_texts_exactly_as_a_fresh_parse() {
        let texts = [
            "const a = 1;\nfunction f(x) { return x + a; }\n",
            "const a = 1;\nfunction f(x) { return x * (a + 2); }\n",
            "let é = '😀';\nconst a = 1;\nfunction f(x) { return x * (a + 2); }\n",
            "let é = '😀';\nconst a = 1;\nfunction f(x) { return x * (a + 2); \n",
            "",
            "new OktaSignIn({ clientId: 'x' });\r\nf();\r\n",
            "new OktaSignIn({ clientId: 'x', useInteractionCodeFlow: true });\r\nf();\r\n",
        ];
        keep_last_tree(true);
        // Each text parsed from the previous one's tree, forwards then
        // backwards (unrelated texts too, as the fix engine's guard parses
        // other texts on the same thread), equals a fresh parse.
        for (i, t) in texts
            .iter()
            .enumerate()
            .chain(texts.iter().enumerate().rev())
        {
            let kept = with_parsers(|p| p.parse_js(Dialect::JavaScript, t, None)).unwrap();
            let mut fresh_parser = Parser::new();
            fresh_parser
                .set_language(&Dialect::JavaScript.language())
                .unwrap();
            let fresh = fresh_parser.parse(t, None).unwrap();
            assert_eq!(sexp(&kept), sexp(&fresh), "{i}");
            assert_eq!(kept.root_node().end_byte(), t.len());
        }
        // Typing: one character at a time in the middle of a longer text.
        let mut text: String = (0..200)
            .map(|i| format!("const v{i} = f({i});\n"))
            .collect();
        for (n, c) in "if (x) { y(); } else { z(".chars().enumerate() {
            text.insert(text.len() / 2 + n, c);
            let kept = with_parsers(|p| p.parse_js(Dialect::JavaScript, &text, None)).unwrap();
            let mut fresh_parser = Parser::new();
            fresh_parser
                .set_language(&Dialect::JavaScript.language())
                .unwrap();
            let fresh = fresh_parser.parse(&text, None).unwrap();
            assert_eq!(sexp(&kept), sexp(&fresh), "{n}");
        }
        keep_last_tree(false);
    }
}
