//! One set of tree-sitter parsers per worker thread.
//!
//! Parsers are cheap to keep and not `Sync`; a thread-local set means no
//! locking and no per-file allocation of parser state.

use crate::source::{Dialect, ServerLang};
use std::cell::RefCell;
use tree_sitter::{Parser, Range, Tree};

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
}

thread_local! {
    static PARSERS: RefCell<Parsers> = RefCell::new(Parsers {
        js: [None, None, None],
        html: Parser::new(),
        css: None,
        server: Default::default(),
    });
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
        parser.parse(text, None)
    }
}
