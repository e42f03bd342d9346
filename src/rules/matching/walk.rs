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

use super::literals::Literals;
use super::{PatternOrigin, RuleMask};
use crate::rules::{QuerySpec, Registry};
use crate::source::Dialect;
use crate::syntax::{self, Step};
use regex::bytes::Regex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tree_sitter::{Language, Node};

/// A one-node pattern: `((kind) @capture (#pred? @capture "text" …))`, or
/// `(kind) @capture` without a predicate.
#[derive(Debug)]
pub struct NodePattern {
    pub kind: String,
    pub capture: String,
    pub predicate: Predicate,
    /// Texts of which a matching node's text contains at least one (the
    /// `#eq?` string, the literals a `#match?` regex starts with); `None`
    /// when there are none to tell.
    pub needles: Option<Vec<Vec<u8>>>,
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
    Match(LazyRegex),
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
                    ("match?", [re]) => Predicate::Match(LazyRegex::new(re)?),
                    _ => return None,
                }
            }
            _ => return None,
        };
        let needles = needles_of(&predicate);
        Some(NodePattern {
            kind: kind.clone(),
            capture: capture.clone(),
            predicate,
            needles,
        })
    }

    pub fn matches_text(&self, text: &[u8]) -> bool {
        match &self.predicate {
            Predicate::Any => true,
            Predicate::Eq(s) => text == s.as_bytes(),
            Predicate::AnyOf(list) => list.iter().any(|s| text == s.as_bytes()),
            // The needles first: most nodes that reach here hold another
            // pattern's needle, and then the regex need not even be compiled.
            Predicate::Match(re) => {
                self.needles
                    .as_ref()
                    .is_none_or(|ns| ns.iter().any(|n| memchr::memmem::find(text, n).is_some()))
                    && re.get().is_match(text)
            }
            Predicate::Contains(f) => f.find(text).is_some(),
        }
    }
}

/// A `#match?` regex, compiled the first time a node's text is tested:
/// with needles that is only when the text holds one, and compiling is
/// most of the cost of reading the patterns.
pub struct LazyRegex {
    pattern: String,
    /// The parsed form (checks the syntax up front; gives the needles).
    hir: regex_syntax::hir::Hir,
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    /// `None` when `pattern` is not a valid regex (tree-sitter reports it).
    fn new(pattern: &str) -> Option<LazyRegex> {
        let hir = regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
            .ok()?;
        Some(LazyRegex {
            pattern: pattern.to_string(),
            hir,
            compiled: OnceLock::new(),
        })
    }

    fn get(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Regex::new(&self.pattern).unwrap_or_else(|e| panic!("regex {}: {e}", self.pattern))
        })
    }
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LazyRegex({:?})", self.pattern)
    }
}

/// What a node's text must contain for `predicate` to hold, if anything.
fn needles_of(predicate: &Predicate) -> Option<Vec<Vec<u8>>> {
    let list: Vec<Vec<u8>> = match predicate {
        Predicate::Any => return None,
        Predicate::Eq(s) => vec![s.clone().into_bytes()],
        Predicate::AnyOf(l) => l.iter().map(|s| s.clone().into_bytes()).collect(),
        Predicate::Contains(f) => vec![f.needle().to_vec()],
        Predicate::Match(re) => {
            // Every match starts with one of the regex's prefix literals
            // when their set is finite (`[?&]sessionToken=`: two).
            let seq = regex_syntax::hir::literal::Extractor::new().extract(&re.hir);
            seq.literals()?
                .iter()
                .map(|l| l.as_bytes().to_vec())
                .collect()
        }
    };
    (!list.is_empty() && list.iter().all(|n| !n.is_empty())).then_some(list)
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
    /// Every entry's needles, to find where in a file matches can be.
    needle_list: Vec<Vec<u8>>,
    /// Their searcher, built only when `by_mask` is full (a run that meets
    /// few rule sets never needs it; building it was a tenth of a one-file
    /// run).
    needles: OnceLock<Option<Literals>>,
    /// Needle index → the entries it belongs to.
    needle_entries: Vec<Vec<u16>>,
    /// The needles of the entries of one set of active rules, built on
    /// first use: a file activates a few rules, whose few needles the SIMD
    /// searcher takes (it takes at most 64; all entries have about 100).
    /// A run sees a handful of distinct sets; past [`MASKS_KEPT`] the
    /// whole set is searched and filtered.
    by_mask: Mutex<Vec<(RuleMask, Arc<Literals>)>>,
}

/// Distinct active-rule sets whose needles are kept (see `by_mask`).
const MASKS_KEPT: usize = 64;

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
        let mut needles: Vec<Vec<u8>> = Vec::new();
        let mut table = NodePatterns {
            entries: Vec::new(),
            by_kind: vec![Vec::new(); language.node_kind_count()],
            residual: RuleMask::default(),
            needle_list: Vec::new(),
            needles: OnceLock::new(),
            needle_entries: Vec::new(),
            by_mask: Mutex::new(Vec::new()),
        };
        for (rule, r) in reg.rules.iter().enumerate() {
            for (spec, q) in r.detect.query.iter().enumerate() {
                if !q.applies_to(dialect) {
                    continue;
                }
                let parsed = NodePattern::parse(&q.pattern)
                    .and_then(|p| kinds.ids(&p.kind).map(|ids| (p, ids)));
                let Some((pattern, ids)) = parsed else {
                    table.residual.insert(rule);
                    continue;
                };
                let index = table.entries.len() as u16;
                for &id in ids {
                    table.by_kind[id as usize].push(index);
                }
                for n in pattern.needles.iter().flatten() {
                    match needles.iter().position(|x| x == n) {
                        Some(i) => table.needle_entries[i].push(index),
                        None => {
                            needles.push(n.clone());
                            table.needle_entries.push(vec![index]);
                        }
                    }
                }
                table.entries.push(Entry {
                    origin: PatternOrigin { rule, spec },
                    pattern,
                });
            }
        }
        table.needle_list = needles;
        table
    }

    /// Byte ranges of `text` where a match of an `active` pattern can be,
    /// sorted by start: the occurrences of their needles inside `range`
    /// (the tree being walked; no node reaches past it). `None` when an
    /// active pattern has no needles (then every node is a candidate).
    fn candidates(
        &self,
        text: &[u8],
        range: std::ops::Range<usize>,
        active: &[bool],
    ) -> Option<Vec<(usize, usize)>> {
        let is_active = |e: &Entry| active[e.origin.rule];
        if self
            .entries
            .iter()
            .any(|e| is_active(e) && e.pattern.needles.is_none())
        {
            return None;
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut push = |m: super::literals::Occurrence| {
            found.push((m.start, m.end));
            std::ops::ControlFlow::Continue(())
        };
        match self.needles_of(active) {
            Some(own) => own.for_each(text, range, &mut push),
            None => self
                .needles
                .get_or_init(|| Literals::new(&self.needle_list).ok())
                .as_ref()?
                .for_each(text, range, |m| {
                    if self.needle_entries[m.pattern]
                        .iter()
                        .any(|&i| is_active(&self.entries[i as usize]))
                    {
                        push(m)
                    } else {
                        std::ops::ControlFlow::Continue(())
                    }
                }),
        }
        found.sort_unstable();
        Some(found)
    }

    /// The needles of the `active` rules' entries alone (see `by_mask`);
    /// `None` when too many distinct sets were seen.
    fn needles_of(&self, active: &[bool]) -> Option<Arc<Literals>> {
        let mask = RuleMask::of(active);
        let mut kept = self.by_mask.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, l)) = kept.iter().find(|(m, _)| *m == mask) {
            return Some(l.clone());
        }
        if kept.len() >= MASKS_KEPT {
            return None;
        }
        let mut own: Vec<&[u8]> = Vec::new();
        for e in self.entries.iter().filter(|e| active[e.origin.rule]) {
            for n in e.pattern.needles.iter().flatten() {
                if !own.contains(&n.as_slice()) {
                    own.push(n);
                }
            }
        }
        let literals = Arc::new(Literals::new(&own).ok()?);
        kept.push((mask, literals.clone()));
        Some(literals)
    }

    /// Calls `f` for every node under `root` (itself included) that a
    /// pattern of an `active` rule matches, in document order (a node
    /// before its children), the patterns of one node in rule order.
    /// `text` is what the tree was parsed from.
    ///
    /// A node whose text holds no needle of the active patterns is skipped
    /// with its whole subtree (no descendant's text can hold one either), so
    /// the walk visits the paths to the few places that mention a trigger
    /// word and their siblings, not the whole tree.
    ///
    /// Every node the walk passes is recorded in `parents` with its parent,
    /// so that checks climbing from a match need no `Node::parent` lookups.
    pub fn walk<'s, 't>(
        &'s self,
        root: Node<'t>,
        text: &[u8],
        active: &[bool],
        parents: Option<&syntax::Parents<'t>>,
        mut f: impl FnMut(&'s Entry, Node<'t>),
    ) {
        // Only the tree's own bytes: a page's script units share one text,
        // and searching all of it for each unit made pages with many
        // `<script>` blocks quadratic.
        let candidates = self.candidates(text, root.start_byte()..root.end_byte(), active);
        if candidates.as_ref().is_some_and(|c| c.is_empty()) {
            return;
        }
        // Whether an occurrence lies wholly in `start..end`.
        let holds_one = |start: usize, end: usize| {
            candidates
                .as_ref()
                .is_none_or(|c| syntax::holds_occurrence(c, start, end))
        };
        syntax::preorder_with_parent(root, |node, parent| {
            if !holds_one(node.start_byte(), node.end_byte()) {
                return Step::Skip;
            }
            if let (Some(parents), Some(parent)) = (parents, parent) {
                parents.record(node, parent);
            }
            for &i in self
                .by_kind
                .get(node.kind_id() as usize)
                .into_iter()
                .flatten()
            {
                let e = &self.entries[i as usize];
                if active[e.origin.rule]
                    && e.pattern
                        .matches_text(&text[node.start_byte()..node.end_byte()])
                {
                    f(e, node);
                }
            }
            Step::Descend
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn needles_are_what_a_match_must_contain() {
        let needles = |p: &str| {
            NodePattern::parse(p).unwrap().needles.map(|v| {
                v.into_iter()
                    .map(|n| String::from_utf8(n).unwrap())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            needles(r#"((identifier) @i (#eq? @i "OktaSignIn"))"#).unwrap(),
            ["OktaSignIn"]
        );
        let mut q = needles(r#"((string_fragment) @h (#match? @h "[?&]sessionToken="))"#).unwrap();
        q.sort();
        assert_eq!(q, ["&sessionToken=", "?sessionToken="]);
        assert_eq!(
            needles(r#"((string_fragment) @u (#match? @u "okta-signin-widget"))"#).unwrap(),
            ["okta-signin-widget"]
        );
        assert!(needles(r#"((string_fragment) @h (#match? @h ".*x"))"#).is_none());
        assert!(needles(r#"((string_fragment) @h (#match? @h "^"))"#).is_none());
        assert!(needles("(identifier) @i").is_none());
    }

    /// With needles, the walk skips subtrees without one; without (an
    /// active pattern that has none), it visits every node.
    #[test]
    fn the_walk_skips_subtrees_without_a_needle_but_finds_every_match() {
        let reg = Registry::get();
        let table = NodePatterns::get(Dialect::JavaScript);
        let code = "function a() { if (x) { return y.sessionToken; } }\nconst b = [1, 2, 3].map((n) => n * 2);\n";
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&Dialect::JavaScript.language())
            .unwrap();
        let tree = parser.parse(code, None).unwrap();
        let active = vec![true; reg.rules.len()];
        let c = table
            .candidates(code.as_bytes(), 0..code.len(), &active)
            .unwrap();
        let at = code.find("sessionToken").unwrap();
        // Every candidate is a needle inside `sessionToken` (OIE002's, and
        // shorter ones such as OIE021's `session`); nothing else matches.
        assert!(c.contains(&(at, at + "sessionToken".len())), "{c:?}");
        assert!(
            c.iter()
                .all(|&(s, e)| s == at && e <= at + "sessionToken".len()),
            "{c:?}"
        );
        let mut hits = Vec::new();
        table.walk(tree.root_node(), code.as_bytes(), &active, None, |_, n| {
            hits.push(n.start_byte())
        });
        hits.dedup(); // several patterns (with different `inside`) take the node
        assert_eq!(hits, [at]);
        let none = code.replace("sessionToken", "sessionTokes");
        let tree = parser.parse(&none, None).unwrap();
        let mut hits = 0;
        table.walk(tree.root_node(), none.as_bytes(), &active, None, |_, _| {
            hits += 1
        });
        assert_eq!(hits, 0);
    }

    #[test]
    fn unknown_kinds_and_supertypes_are_left_to_tree_sitter() {
        let language = Dialect::JavaScript.language();
        let js = Kinds::of(&language);
        assert!(js.ids("no_such_node").is_none());
        assert!(js.ids("expression").is_none(), "a supertype");
        assert!(js.ids("property_identifier").is_some());
    }
}
