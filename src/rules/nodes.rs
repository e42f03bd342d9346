//! One-node patterns, matched by node kind in a single walk over the tree.
//!
//! Nearly every rule pattern is one node with a text predicate, such as
//! `((property_identifier) @hit (#eq? @hit "sessionToken"))`. A tree-sitter
//! query cursor is an expensive way to find those: per node it computes
//! the position and field status and advances match states, which cost
//! about half of a parse on Okta-dense code, and compiling the query for
//! the TypeScript grammar took about 9 ms, most of a pre-commit run.
//!
//! So such a pattern is read here into a kind, a capture name and a
//! predicate; a table per grammar maps each node kind id to its patterns,
//! and one `TreeCursor` walk hands every node to the patterns of its kind.
//! Nothing is compiled. A pattern of any other shape (nested nodes,
//! fields, quantifiers, other predicates) goes to the combined tree-sitter
//! query ([`super::query`]); a test checks that both ways find the same
//! nodes on every rule example.

use super::query::{PatternOrigin, RuleMask, ALL_RULES};
use super::{QuerySpec, Registry};
use crate::source::Dialect;
use regex::bytes::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;
use tree_sitter::{Language, Node};

/// A one-node pattern: `((kind) @capture (#pred? @capture "text" …))`, or
/// `(kind) @capture` without a predicate.
#[derive(Debug)]
pub struct NodePattern {
    pub kind: String,
    pub capture: String,
    pub predicate: Predicate,
}

/// The text predicates read here, with tree-sitter's meaning.
#[derive(Debug)]
pub enum Predicate {
    Any,
    /// `#eq?`: the node's text is this string.
    Eq(String),
    /// `#any-of?`: the node's text is one of these.
    AnyOf(Vec<String>),
    /// `#match?`: the regex matches somewhere in the node's text.
    Match(Regex),
    /// `#match?` with a plain literal: the text contains it (no regex to
    /// compile).
    Contains(Box<memchr::memmem::Finder<'static>>),
}

impl NodePattern {
    /// Reads `pattern` when it has this shape; `None` sends it to tree-sitter.
    pub fn parse(pattern: &str) -> Option<NodePattern> {
        let tokens = tokenize(pattern)?;
        use Token::*;
        let (kind, capture, rest) = match tokens.as_slice() {
            [Open, Open, Name(k), Close, Capture(c), rest @ .., Close] => (k, c, rest),
            [Open, Name(k), Close, Capture(c)] => (k, c, &[][..]),
            _ => return None,
        };
        let predicate = match rest {
            [] => Predicate::Any,
            [Open, Pred(p), Capture(c), args @ .., Close] if c == capture => {
                let strings: Vec<String> = args
                    .iter()
                    .map(|t| match t {
                        Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect::<Option<_>>()?;
                match (p.as_str(), strings.as_slice()) {
                    ("eq?", [s]) => Predicate::Eq(s.clone()),
                    ("any-of?", [_, ..]) => Predicate::AnyOf(strings),
                    ("match?", [re]) if is_literal(re) => Predicate::Contains(Box::new(
                        memchr::memmem::Finder::new(re.as_bytes()).into_owned(),
                    )),
                    ("match?", [re]) => Predicate::Match(Regex::new(re).ok()?),
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(NodePattern {
            kind: kind.clone(),
            capture: capture.clone(),
            predicate,
        })
    }

    pub fn matches_text(&self, text: &[u8]) -> bool {
        match &self.predicate {
            Predicate::Any => true,
            Predicate::Eq(s) => text == s.as_bytes(),
            Predicate::AnyOf(list) => list.iter().any(|s| text == s.as_bytes()),
            Predicate::Match(re) => re.is_match(text),
            Predicate::Contains(f) => f.find(text).is_some(),
        }
    }
}

/// A regex that matches only itself, literally (`okta-signin-widget`).
fn is_literal(re: &str) -> bool {
    !re.is_empty()
        && re.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_'
                        | b'/'
                        | b' '
                        | b'@'
                        | b'='
                        | b':'
                        | b'%'
                        | b'!'
                        | b'<'
                        | b'>'
                        | b','
                        | b';'
                        | b'\''
                        | b'"'
                        | b'~'
                        | b'&'
                )
        })
}

#[derive(Debug, PartialEq)]
enum Token {
    Open,
    Close,
    /// A node kind.
    Name(String),
    /// `@name`, without the `@`.
    Capture(String),
    /// `#name?`, without the `#`.
    Pred(String),
    /// A string literal, unescaped.
    Str(String),
}

/// The tokens of a query pattern in the subset read here; `None` at
/// anything else (comments, anonymous nodes, fields, quantifiers, …).
fn tokenize(s: &str) -> Option<Vec<Token>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '?');
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            '@' | '#' => {
                let start = i + 1;
                let mut end = start;
                while let Some(&(j, c)) = chars.peek() {
                    if !ident(c) {
                        break;
                    }
                    end = j + c.len_utf8();
                    chars.next();
                }
                let name = s[start..end].to_string();
                if name.is_empty() {
                    return None;
                }
                out.push(if c == '@' {
                    Token::Capture(name)
                } else {
                    Token::Pred(name)
                });
            }
            '"' => {
                let mut text = String::new();
                loop {
                    match chars.next()?.1 {
                        '"' => break,
                        '\\' => text.push(match chars.next()?.1 {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            '0' => '\0',
                            c => c,
                        }),
                        c => text.push(c),
                    }
                }
                out.push(Token::Str(text));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = i + 1;
                while let Some(&(j, c)) = chars.peek() {
                    if !(c.is_ascii_alphanumeric() || c == '_') {
                        break;
                    }
                    end = j + 1;
                    chars.next();
                }
                out.push(Token::Name(s[i..end].to_string()));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The named node kinds of a grammar by name (a name can have several
/// ids, e.g. through aliases), read in one scan over the kind table.
struct Kinds<'l> {
    by_name: HashMap<&'l str, Vec<u16>>,
}

impl<'l> Kinds<'l> {
    fn of(language: &'l Language) -> Kinds<'l> {
        let mut by_name: HashMap<&'l str, Vec<u16>> = HashMap::new();
        let supertypes: Vec<u16> = language.supertypes().to_vec();
        for id in 0..language.node_kind_count() as u16 {
            if language.node_kind_is_named(id) && language.node_kind_is_visible(id) {
                if let Some(name) = language.node_kind_for_id(id) {
                    by_name.entry(name).or_default().push(id);
                }
            }
        }
        // A supertype's nodes carry their subtypes' kinds: left to tree-sitter.
        for id in supertypes {
            if let Some(name) = language.node_kind_for_id(id) {
                by_name.remove(name);
            }
        }
        Kinds { by_name }
    }

    /// The ids of `kind`; `None` for an unknown kind or a supertype (such
    /// patterns go to tree-sitter, which also reports unknown kinds).
    fn ids(&self, kind: &str) -> Option<&[u16]> {
        self.by_name.get(kind).map(|v| v.as_slice())
    }
}

/// Whether the one-node walk takes `spec` for `dialect` (else the
/// tree-sitter query does).
pub fn takes(spec: &QuerySpec, dialect: Dialect) -> bool {
    NodePattern::parse(&spec.pattern)
        .is_some_and(|p| Kinds::of(&dialect.language()).ids(&p.kind).is_some())
}

/// One pattern of the table, with the rule it came from.
#[derive(Debug)]
pub struct Entry {
    pub origin: PatternOrigin,
    pub pattern: NodePattern,
}

/// The one-node patterns of all rules for one grammar, by node kind.
#[derive(Debug, Default)]
pub struct NodePatterns {
    pub entries: Vec<Entry>,
    /// Node kind id → indices into `entries`, in rule order.
    by_kind: Vec<Vec<u16>>,
    /// The rules with a pattern for this grammar that is not in the table
    /// (it goes to the tree-sitter query).
    pub residual: RuleMask,
}

impl NodePatterns {
    /// The table of `dialect` for the compiled-in rules, built on first use
    /// (reading 17 patterns and scanning the kind names: microseconds).
    pub fn get(dialect: Dialect) -> &'static NodePatterns {
        static TABLES: [OnceLock<NodePatterns>; 3] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        TABLES[dialect.index()].get_or_init(|| NodePatterns::build(Registry::get(), dialect))
    }

    pub fn build(reg: &Registry, dialect: Dialect) -> NodePatterns {
        let language = dialect.language();
        let kinds = Kinds::of(&language);
        let mut table = NodePatterns {
            entries: Vec::new(),
            by_kind: vec![Vec::new(); language.node_kind_count()],
            residual: 0,
        };
        for (rule, r) in reg.rules.iter().enumerate() {
            for (spec, q) in r.detect.query.iter().enumerate() {
                if !q.applies_to(dialect) {
                    continue;
                }
                let parsed = NodePattern::parse(&q.pattern)
                    .and_then(|p| kinds.ids(&p.kind).map(|ids| (p, ids)));
                let Some((pattern, ids)) = parsed else {
                    table.residual |= if rule < 64 { 1 << rule } else { ALL_RULES };
                    continue;
                };
                let index = table.entries.len() as u16;
                for &id in ids {
                    table.by_kind[id as usize].push(index);
                }
                table.entries.push(Entry {
                    origin: PatternOrigin { rule, spec },
                    pattern,
                });
            }
        }
        table
    }

    /// Whether any pattern of a rule in `active` is in this table.
    pub fn any_active(&self, active: &[bool]) -> bool {
        self.entries.iter().any(|e| active[e.origin.rule])
    }

    /// Calls `f` for every node under `root` (itself included) that a
    /// pattern of an `active` rule matches, in document order (a node
    /// before its children), the patterns of one node in rule order.
    /// `text` is what the tree was parsed from.
    pub fn walk<'t>(
        &self,
        root: Node<'t>,
        text: &[u8],
        active: &[bool],
        mut f: impl FnMut(&Entry, Node<'t>),
    ) {
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            if let Some(list) = self.by_kind.get(node.kind_id() as usize) {
                for &i in list {
                    let e = &self.entries[i as usize];
                    if active[e.origin.rule]
                        && e.pattern
                            .matches_text(&text[node.start_byte()..node.end_byte()])
                    {
                        f(e, node);
                    }
                }
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::query::CombinedQuery;
    use streaming_iterator::StreamingIterator;

    #[test]
    fn reads_one_node_patterns_and_refuses_the_rest() {
        let p = NodePattern::parse(r#"((property_identifier) @hit (#eq? @hit "sessionToken"))"#)
            .unwrap();
        assert_eq!(
            (p.kind.as_str(), p.capture.as_str()),
            ("property_identifier", "hit")
        );
        assert!(p.matches_text(b"sessionToken"));
        assert!(!p.matches_text(b"sessionTokenExpiry"));
        let p = NodePattern::parse(r#"((string_fragment) @u (#match? @u "[?&]a\\.b="))"#).unwrap();
        assert!(p.matches_text(b"x?a.b=1") && !p.matches_text(b"x?aXb=1"));
        let p = NodePattern::parse(r#"((string_fragment) @u (#match? @u "okta-signin-widget"))"#)
            .unwrap();
        assert!(matches!(p.predicate, Predicate::Contains(_)));
        assert!(p.matches_text(b"/js/okta-signin-widget/7.0.0/") && !p.matches_text(b"okta"));
        let p = NodePattern::parse(r#"((identifier) @i (#any-of? @i "a" "b\"c"))"#).unwrap();
        assert!(p.matches_text(b"b\"c") && !p.matches_text(b"c"));
        assert!(NodePattern::parse("(identifier) @i").is_some());
        for other in [
            // nested nodes, fields, anonymous nodes, quantifiers, other
            // predicates, a predicate on another capture, comments
            r#"(call_expression function: (identifier) @f)"#,
            r#"((identifier) @i (#not-eq? @i "a"))"#,
            r#"((identifier) @i (#eq? @j "a"))"#,
            r#"((identifier) @i (#eq? @i "a" "b"))"#,
            r#"("new" @kw)"#,
            r#"((identifier)+ @i)"#,
            "; a comment\n(identifier) @i",
            r#"((identifier) @i (#eq? @i "unterminated))"#,
        ] {
            assert!(NodePattern::parse(other).is_none(), "{other}");
        }
    }

    #[test]
    fn unknown_kinds_and_supertypes_are_left_to_tree_sitter() {
        let language = Dialect::JavaScript.language();
        let js = Kinds::of(&language);
        assert!(js.ids("no_such_node").is_none());
        assert!(js.ids("expression").is_none(), "a supertype");
        assert!(js.ids("property_identifier").is_some());
    }

    /// The walk and tree-sitter's query find the same nodes for the same
    /// patterns, in the same order, on every rule example.
    #[test]
    fn the_walk_agrees_with_tree_sitter_on_every_rule_example() {
        let reg = Registry::get();
        let mut checked = 0;
        for d in Dialect::ALL {
            let table = NodePatterns::build(reg, d);
            assert!(!table.entries.is_empty());
            let all = CombinedQuery::build_every(reg, d).unwrap();
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&d.language()).unwrap();
            let active = vec![true; reg.rules.len()];
            let examples = reg
                .rules
                .iter()
                .flat_map(|r| r.valid.iter().chain(&r.invalid))
                .map(|e| e.code.as_str())
                .chain([
                    "x.sessionToken; y['sessionToken']; ({ sessionToken }) => 1;",
                    "new OktaSignIn({}); new ns.OktaSignIn(); a?.setCookieAndRedirect(u);",
                    "f(`okta-signin-widget/7.0.0 ${sessionToken}`, '?sessionToken=1');",
                ]);
            for code in examples {
                let tree = parser.parse(code, None).unwrap();
                let mut walked = Vec::new();
                table.walk(tree.root_node(), code.as_bytes(), &active, |e, n| {
                    walked.push((e.origin.rule, e.origin.spec, n.byte_range()));
                });
                let mut queried = Vec::new();
                let mut cursor = tree_sitter::QueryCursor::new();
                let mut ms = cursor.matches(&all.query, tree.root_node(), code.as_bytes());
                while let Some(m) = ms.next() {
                    let o = all.origins[m.pattern_index];
                    if takes(&reg.rules[o.rule].detect.query[o.spec], d) {
                        queried.push((o.rule, o.spec, m.captures()[0].node.byte_range()));
                    }
                }
                assert_eq!(walked, queried, "{d:?}: {code}");
                checked += walked.len();
            }
        }
        assert!(checked > 100, "only {checked} matches compared");
    }
}
