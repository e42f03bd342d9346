//! Big scripts parsed in part (issue 27): a syntax tree takes 25 to 60
//! times its file's size, so a 10 MB script parsed whole peaks near
//! 600 MB. For a script at least [`super::Parsers`]' caller's threshold,
//! the linter parses only the top-level statements that can matter to a
//! rule, over the original text (`set_included_ranges`, so positions are
//! file positions), and never holds a tree of the whole file.
//!
//! Three steps:
//! 1. [`top_level`]: the top-level statements, found by parsing windows of
//!    the text one after the other; a window's tree is dropped before the
//!    next. Of each window only the statements followed by another
//!    error-free statement are kept (the last one may be cut), and the
//!    next window starts where the first statement not kept starts. A
//!    syntax error anywhere means no split: the caller parses the file
//!    whole, as before.
//! 2. [`select`]: the statements that hold a seed word (a rule's trigger,
//!    a suppression marker, a word a file fact reads), then, until nothing
//!    changes, every statement that declares or assigns at top level a
//!    name the selection mentions, or that mentions a name the selection
//!    declares or assigns at top level. Names are compared as words of the
//!    text (strings and comments included), so the selection errs on the
//!    side of more.
//! 3. The selection is parsed as one tree; the caller checks that its
//!    top-level statements are exactly the selected ones (so no statement
//!    joined its neighbour across a gap) and falls back to a whole parse
//!    otherwise.

use super::Parsers;
use crate::source::Dialect;
use std::collections::HashSet;
use tree_sitter::{Node, Point, Range, Tree};

/// One top-level statement (comments at top level included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub start: usize,
    pub end: usize,
    /// Names it declares or assigns at top level (`var x`, `function x`,
    /// `import x`, `x = …`, `x.y = …`).
    pub binds: Vec<String>,
}

/// The window a big script is parsed in, at first (doubled while no
/// statement boundary is found in it).
pub const WINDOW: usize = 512 << 10;

/// Byte offset → tree-sitter point (row, byte column).
pub struct Points {
    line_starts: Vec<usize>,
}

impl Points {
    pub fn new(text: &str) -> Points {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Points { line_starts }
    }

    pub fn at(&self, byte: usize) -> Point {
        let row = self.line_starts.partition_point(|&s| s <= byte) - 1;
        Point::new(row, byte - self.line_starts[row])
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start_byte: start,
            end_byte: end,
            start_point: self.at(start),
            end_point: self.at(end),
        }
    }
}

/// The top-level statements of `text`, or `None` when the text has a
/// syntax error (or cannot be parsed).
pub fn top_level(
    p: &mut Parsers,
    dialect: Dialect,
    text: &str,
    points: &Points,
    window: usize,
) -> Option<Vec<Statement>> {
    let len = text.len();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut w = window.max(1);
    while pos < len {
        let mut end = if len - pos <= w { len } else { pos + w };
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let tree = p.parse_js_ranges(dialect, text, &[points.range(pos, end)])?;
        let root = tree.root_node();
        let mut cursor = root.walk();
        let kids: Vec<Node> = root.children(&mut cursor).collect();
        if end == len {
            if root.has_error() || root.kind() != "program" {
                return None;
            }
            out.extend(kids.iter().map(|k| statement(*k, text)));
            break;
        }
        // The error-free statements at the start of the window. The last
        // one may be cut by the window's end, and where the one before it
        // ends was decided on the last one's first token, which may be
        // cut too (`els|e`): both are parsed again in the next window.
        // (Error recovery may make the root itself an ERROR node.)
        let ok = match root.kind() {
            "program" => kids.iter().take_while(|k| !k.has_error()).count(),
            _ => 0,
        };
        if ok >= 3 {
            out.extend(kids[..ok - 2].iter().map(|k| statement(*k, text)));
            pos = kids[ok - 2].start_byte();
            w = window;
        } else {
            w = w.saturating_mul(2);
        }
    }
    Some(out)
}

fn statement(node: Node, text: &str) -> Statement {
    let mut binds = Vec::new();
    bound_names(node, text, &mut binds);
    binds.sort();
    binds.dedup();
    Statement {
        start: node.start_byte(),
        end: node.end_byte(),
        binds,
    }
}

/// The names a top-level statement declares or assigns.
fn bound_names(node: Node, text: &str, out: &mut Vec<String>) {
    let mut cursor = node.walk();
    match node.kind() {
        "expression_statement" | "sequence_expression" | "parenthesized_expression" => {
            for c in node.named_children(&mut cursor) {
                bound_names(c, text, out);
            }
        }
        "assignment_expression" | "augmented_assignment_expression" => {
            if let Some(mut left) = node.child_by_field_name("left") {
                // `x.y.z = …` binds `x`; on a global object (`window.cfg
                // = …`, `module.exports = …`) it binds the property below
                // it, or every statement naming `window` would be linked.
                let mut below = None;
                while let Some(object) = matches!(
                    left.kind(),
                    "member_expression" | "subscript_expression" | "non_null_expression"
                )
                .then(|| left.child_by_field_name("object").or(left.named_child(0)))
                .flatten()
                {
                    below = left.child_by_field_name("property");
                    left = object;
                }
                match below {
                    Some(p) if GLOBAL_OBJECTS.contains(&&text[left.byte_range()]) => {
                        identifiers(p, text, out)
                    }
                    _ => identifiers(left, text, out),
                }
            }
            if let Some(right) = node.child_by_field_name("right") {
                bound_names(right, text, out);
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            for d in node.named_children(&mut cursor) {
                if let Some(name) = d.child_by_field_name("name") {
                    identifiers(name, text, out);
                }
            }
        }
        "import_statement" => identifiers(node, text, out),
        "export_statement" | "ambient_declaration" => {
            for c in node.named_children(&mut cursor) {
                bound_names(c, text, out);
            }
        }
        _ => {
            if let Some(name) = node.child_by_field_name("name") {
                out.push(text[name.byte_range()].to_string());
            }
        }
    }
}

/// Objects every script shares: assigning a property of one binds the
/// property's name (see [`bound_names`]).
const GLOBAL_OBJECTS: &[&str] = &[
    "window",
    "self",
    "globalThis",
    "global",
    "module",
    "exports",
    "document",
];

/// Every identifier-like leaf under `node` (binding patterns, import
/// clauses).
fn identifiers(node: Node, text: &str, out: &mut Vec<String>) {
    crate::syntax::walk(node, |n| {
        if n.child_count() == 0
            && matches!(
                n.kind(),
                "identifier"
                    | "shorthand_property_identifier_pattern"
                    | "type_identifier"
                    | "property_identifier"
            )
        {
            out.push(text[n.byte_range()].to_string());
        }
    });
}

/// The identifier-like words of `text` (ASCII letters, digits, `_`, `$`
/// and any non-ASCII character).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !word(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        Some(&text[start..i])
    })
}

/// The statements to parse (indexes into `stmts`, ascending), from those
/// that hold a seed (`seeded`) by the closure described in the module
/// comment. `None` when the closure does not settle in a few rounds (the
/// caller then parses the whole file).
pub fn select(text: &str, stmts: &[Statement], seeded: &[bool]) -> Option<Vec<usize>> {
    let mut chosen = seeded.to_vec();
    let mut mentioned: HashSet<&str> = HashSet::new();
    let mut bound: HashSet<&str> = HashSet::new();
    for (i, s) in stmts.iter().enumerate() {
        if chosen[i] {
            mentioned.extend(words(&text[s.start..s.end]));
            bound.extend(s.binds.iter().map(String::as_str));
        }
    }
    for _round in 0..16 {
        let mut changed = false;
        for (i, s) in stmts.iter().enumerate() {
            if chosen[i] {
                continue;
            }
            let body = &text[s.start..s.end];
            let linked = s.binds.iter().any(|n| mentioned.contains(n.as_str()))
                || (!bound.is_empty() && words(body).any(|w| bound.contains(w)));
            if linked {
                chosen[i] = true;
                changed = true;
                mentioned.extend(words(body));
                bound.extend(s.binds.iter().map(String::as_str));
            }
        }
        if !changed {
            return Some((0..stmts.len()).filter(|&i| chosen[i]).collect());
        }
    }
    None
}

/// Parses the chosen statements of `text` as one tree: each run of
/// consecutive chosen statements is one included range, from its first
/// statement's start to the next statement's start (the text between two
/// statements goes with the first). `None` unless the tree's top-level
/// statements are exactly the chosen ones and it has no syntax error.
pub fn parse_chosen(
    p: &mut Parsers,
    dialect: Dialect,
    text: &str,
    points: &Points,
    stmts: &[Statement],
    chosen: &[usize],
) -> Option<Tree> {
    let mut ranges: Vec<Range> = Vec::new();
    let mut last: Option<(usize, usize)> = None; // (start, end) of the open run
    let mut prev_index: Option<usize> = None;
    for &i in chosen {
        let start = stmts[i].start;
        let end = stmts.get(i + 1).map_or(text.len(), |n| n.start);
        match (last, prev_index) {
            (Some((s, _)), Some(pi)) if pi + 1 == i => last = Some((s, end)),
            (Some((s, e)), _) => {
                ranges.push(points.range(s, e));
                last = Some((start, end));
            }
            (None, _) => last = Some((start, end)),
        }
        prev_index = Some(i);
    }
    if let Some((s, e)) = last {
        ranges.push(points.range(s, e));
    }
    let tree = p.parse_js_ranges(dialect, text, &ranges)?;
    let root = tree.root_node();
    if root.has_error() || root.child_count() as usize != chosen.len() {
        return None;
    }
    let same = {
        let mut cursor = root.walk();
        let same = root
            .children(&mut cursor)
            .zip(chosen)
            .all(|(k, &i)| k.start_byte() == stmts[i].start && k.end_byte() == stmts[i].end);
        same
    };
    same.then_some(tree)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::with_parsers;

    fn whole(text: &str) -> Vec<(usize, usize)> {
        with_parsers(|p| {
            let tree = p.parse_js(Dialect::JavaScript, text, None).unwrap();
            let root = tree.root_node();
            let mut c = root.walk();
            let v = root
                .children(&mut c)
                .map(|k| (k.start_byte(), k.end_byte()))
                .collect();
            v
        })
    }

    /// Windows of any size find the statements the whole parse finds,
    /// through ASI, comments, regexes, template strings and
    /// multi-byte characters; a syntax error gives no split.
    #[test]
    fn windows_find_the_statements_of_the_whole_parse() {
        let text = "// é\nvar a = 1\nvar b = a\n(c)\nlet s = `x;${a + `y;`}\n;`; /* ; */ x = /;/.test(s)\n\
                    function f() { return 1 }\n[1, 2].forEach(f); a\n++b\nclass K { m() { return '😀;' } }\n\
                    if (a) { b() } else c();\nexport const q = 1, { r, t: [u] } = o;\nimport d, { e as g } from 'm';\n";
        let expect = whole(text);
        with_parsers(|p| {
            let t = p.parse_js(Dialect::JavaScript, text, None).unwrap();
            assert!(!t.root_node().has_error(), "{}", t.root_node().to_sexp());
        });
        let points = Points::new(text);
        for w in 1..text.len() + 2 {
            let got = with_parsers(|p| top_level(p, Dialect::JavaScript, text, &points, w))
                .unwrap_or_else(|| panic!("window {w}"));
            let got: Vec<_> = got.iter().map(|s| (s.start, s.end)).collect();
            assert_eq!(got, expect, "window {w}");
        }
        let broken = "var a = 1;\nvar b = (;\nvar c = 2;\n";
        let points = Points::new(broken);
        for w in 1..broken.len() + 2 {
            assert!(
                with_parsers(|p| top_level(p, Dialect::JavaScript, broken, &points, w)).is_none()
            );
        }
    }

    #[test]
    fn binds_and_selection() {
        let text = "import cfgBase from './c';\nvar cfg = Object.assign({}, cfgBase);\nfunction unrelated() { return 1 }\n\
                    cfg.features = {};\nvar w = new OktaSignIn(cfg);\nw.remove();\nother.x = 2;\nwindow.later = 1;\n";
        let points = Points::new(text);
        let stmts =
            with_parsers(|p| top_level(p, Dialect::JavaScript, text, &points, 1 << 20)).unwrap();
        let binds: Vec<_> = stmts.iter().map(|s| s.binds.join(",")).collect();
        assert_eq!(
            binds,
            [
                "cfgBase",
                "cfg",
                "unrelated",
                "cfg",
                "w",
                "",
                "other",
                "later"
            ]
        );
        let seeded: Vec<bool> = stmts
            .iter()
            .map(|s| text[s.start..s.end].contains("OktaSignIn"))
            .collect();
        assert_eq!(select(text, &stmts, &seeded).unwrap(), [0, 1, 3, 4, 5]);
        let chosen = [0, 1, 3, 4, 5];
        let tree =
            with_parsers(|p| parse_chosen(p, Dialect::JavaScript, text, &points, &stmts, &chosen));
        assert!(tree.is_some());
    }
}
