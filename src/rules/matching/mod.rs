//! The matching stage: which nodes of a parsed file a rule's patterns
//! select, and whether a match meets the pattern's conditions.
//!
//! - [`walk`]: one-node patterns, read into a table by node kind and matched
//!   in one walk over each tree that skips every subtree holding none of
//!   the patterns' literals (every bundled pattern is one of these);
//! - [`query`]: the other patterns, as one combined tree-sitter query per
//!   grammar, compiled lazily;
//! - [`keys`]: the conditions on a captured object key (`parent`, `value`,
//!   `compared`) and the generic fixes of query rules.
//!
//! A match then goes to its rule's check (`crate::rules::checks`), or is
//! reported at its `@hit` capture. Nothing here reads a check: the facts a
//! condition needs about the file come from the caller.

pub mod keys;
pub mod literals;
pub mod query;
pub mod walk;

use crate::rules::Rule;
use crate::syntax::Parents;
use crate::versions::WidgetVersion;
use tree_sitter::Node;

/// What the conditions of a pattern ask about the file being checked,
/// answered by the checks' per-file context (each answer computed once per
/// file, and only when a condition asks).
pub trait Facts<'t> {
    /// The parents the walk recorded (climbs need no `Node::parent`).
    fn parents(&self) -> &Parents<'t>;
    /// The text the trees were parsed from (template tags masked).
    fn masked(&self) -> &'t str;
    /// Whether the file is an Okta-hosted sign-in page template.
    fn hosted(&self) -> bool;
    /// Whether the file is Okta sign-in code (`context = "okta"`).
    fn okta_sign_in_code(&self) -> bool;
    /// The Sign-In Widget version the file runs.
    fn widget_version(&self) -> WidgetVersion;
    /// Whether `key` is a key of an object that configures the widget.
    fn widget_config_key(&self, key: Node<'t>) -> bool;
}

/// Whether a match of pattern `spec` of `rule`, whose first capture is
/// `node`, meets every condition the rule file sets: where the node sits
/// (`inside`), whose key it is and what value it has (`parent`,
/// `not_parent`, `value`, `not_value`),
/// `compared`, the page kind (`scope`), Okta sign-in code (`context`), the
/// widget version (`widget_min`) and `widget_config`. The cheap syntactic
/// conditions come first; the file facts are asked only when they pass.
pub fn admits<'t>(
    rule: &Rule,
    spec: usize,
    node: Option<Node<'t>>,
    facts: &impl Facts<'t>,
) -> bool {
    let spec = &rule.detect.query[spec];
    let up = facts.parents();
    let node_is = |cond: &dyn Fn(Node<'t>) -> bool| node.is_some_and(cond);
    if !spec.inside.is_empty() && !node_is(&|n| spec.inside_ok(n, up)) {
        return false;
    }
    if (!spec.parent.is_empty()
        || !spec.not_parent.is_empty()
        || !spec.value.is_empty()
        || !spec.not_value.is_empty())
        && !node_is(&|n| spec.key_ok(n, facts.masked(), up))
    {
        return false;
    }
    if spec.compared && !node_is(&|n| keys::is_compared(n, up)) {
        return false;
    }
    if !rule.detect.scope_ok(facts.hosted()) {
        return false;
    }
    if rule.context.as_deref() == Some("okta") && !facts.okta_sign_in_code() {
        return false;
    }
    if rule.detect.widget_min.is_some() && !rule.detect.widget_ok(&facts.widget_version()) {
        return false;
    }
    if spec.widget_config && !node_is(&|n| facts.widget_config_key(n)) {
        return false;
    }
    true
}

/// Which rule (and which of its `[[detect.query]]` entries) a pattern came from.
#[derive(Debug, Clone, Copy)]
pub struct PatternOrigin {
    pub rule: usize,
    pub spec: usize,
}

/// A set of rules by registry index (which rules' patterns a query holds,
/// which a file activates): a bit set of any size, one word per 64 rules,
/// so the registry can grow past 64 rules (a fixed `u64` capped it there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleMask {
    words: Vec<u64>,
}

impl RuleMask {
    /// Every rule of a registry of `n` rules.
    pub fn every(n: usize) -> RuleMask {
        RuleMask::of(&vec![true; n])
    }

    /// The rules marked in `active`.
    pub fn of(active: &[bool]) -> RuleMask {
        let mut m = RuleMask::default();
        for (i, _) in active.iter().enumerate().filter(|(_, &a)| a) {
            m.insert(i);
        }
        m
    }

    pub fn insert(&mut self, rule: usize) {
        let w = rule / 64;
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << (rule % 64);
    }

    pub fn contains(&self, rule: usize) -> bool {
        self.words
            .get(rule / 64)
            .is_some_and(|w| w & (1 << (rule % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// The rules in both.
    pub fn and(&self, other: &RuleMask) -> RuleMask {
        RuleMask {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    /// Whether every rule of `other` is in `self`.
    pub fn covers(&self, other: &RuleMask) -> bool {
        other
            .words
            .iter()
            .enumerate()
            .all(|(i, &w)| w & !self.words.get(i).copied().unwrap_or(0) == 0)
    }
}

/// The walk ([`walk`]) and tree-sitter's query ([`query`]) agree: the same
/// nodes for the same patterns, in the same order.
#[cfg(test)]
mod agreement_tests {
    use super::query::CombinedQuery;
    use super::walk::{takes, NodePatterns};
    use crate::rules::Registry;
    use crate::source::Dialect;
    use streaming_iterator::StreamingIterator;

    /// (rule, spec, byte range) of every match of a source.
    type Matches = Vec<(usize, usize, std::ops::Range<usize>)>;

    /// Both ways on one source: the walk's matches and the query's.
    fn both_ways(d: Dialect, code: &str) -> (Matches, Matches) {
        let reg = Registry::get();
        let table = NodePatterns::get(d);
        let all = CombinedQuery::build_every(reg, d).unwrap();
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&d.language()).unwrap();
        let tree = parser.parse(code, None).unwrap();
        let active = vec![true; reg.rules.len()];
        let mut walked = Vec::new();
        table.walk(tree.root_node(), code.as_bytes(), &active, None, |e, n| {
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
        (walked, queried)
    }

    /// The same on every script of `fixtures/`, real-world-shaped code.
    #[test]
    fn the_walk_agrees_with_tree_sitter_on_every_fixture_script() {
        fn scripts(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    scripts(&p, out);
                } else if matches!(
                    crate::source::FileKind::from_path(&p),
                    Some(crate::source::FileKind::Script(_))
                ) {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        scripts(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut files,
        );
        assert!(files.len() >= 15, "{files:?}");
        let mut matched = 0;
        for f in files {
            let Some(crate::source::FileKind::Script(d)) = crate::source::FileKind::from_path(&f)
            else {
                unreachable!()
            };
            let code = std::fs::read_to_string(&f).unwrap();
            let (walked, queried) = both_ways(d, &code);
            assert_eq!(walked, queried, "{}", f.display());
            matched += walked.len();
        }
        assert!(matched > 20, "only {matched} matches compared");
    }

    /// The walk and tree-sitter's query find the same nodes for the same
    /// patterns, in the same order, on every rule example.
    #[test]
    fn the_walk_agrees_with_tree_sitter_on_every_rule_example() {
        let reg = Registry::get();
        let mut checked = 0;
        for d in Dialect::ALL {
            assert!(!NodePatterns::get(d).entries.is_empty());
            let examples = reg
                .rules
                .iter()
                .flat_map(|r| r.valid().iter().chain(r.invalid()))
                .map(|e| e.code.as_str())
                .chain([
                    "x.sessionToken; y['sessionToken']; ({ sessionToken }) => 1;",
                    "new OktaSignIn({}); new ns.OktaSignIn(); a?.setCookieAndRedirect(u);",
                    "f(`okta-signin-widget/7.0.0 ${sessionToken}`, '?sessionToken=1');",
                ]);
            for code in examples {
                let (walked, queried) = both_ways(d, code);
                assert_eq!(walked, queried, "{d:?}: {code}");
                checked += walked.len();
            }
        }
        assert!(checked > 100, "only {checked} matches compared");
    }
}
