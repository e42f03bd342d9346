//! One combined tree-sitter query per grammar for the patterns that the
//! one-node walk ([`super::walk`]) does not take.
//!
//! Query execution costs about as much as parsing, so running one query per
//! rule would multiply the cost by the number of rules (tech-stack.md §3).
//! Instead every rule's patterns are concatenated into a single query per
//! dialect and each pattern index is mapped back to its rule. Queries are
//! compiled lazily, on the first file of that dialect that needs one, so a
//! pre-commit run over one `.js` file never pays for the TypeScript grammar,
//! and that first query holds only the rules the file activates (see
//! [`CombinedQuery::get`]). The bundled rules are all one-node patterns, so
//! today no query is compiled at all; the path stays for rules that need
//! nested patterns.

use super::walk;
use super::{PatternOrigin, RuleMask};
use crate::rules::{QuerySpec, Registry};
use crate::source::Dialect;
use std::sync::Mutex;
use tree_sitter::Query;

pub struct CombinedQuery {
    pub query: Query,
    pub origins: Vec<PatternOrigin>,
    /// Index of the `hit` capture, if any pattern uses it.
    pub hit: Option<u32>,
}

impl CombinedQuery {
    /// A compiled query for `dialect` that holds at least the patterns of
    /// the rules in `needed` (it may hold more: matches of rules a file does
    /// not activate are skipped by the linter anyway).
    ///
    /// Compilation is most of a one-file run and grows with the number of
    /// patterns, so the first file of a dialect gets a query of just its
    /// rules (a pre-commit run over a file that only mentions `sessionToken`
    /// compiles only OIE002's patterns); any later file that needs a rule
    /// outside the queries compiled so far gets the query of all rules, so a
    /// run compiles at most two queries per dialect.
    pub fn get(dialect: Dialect, needed: &RuleMask) -> Option<&'static CombinedQuery> {
        type Slot = Mutex<Vec<(RuleMask, &'static CombinedQuery)>>;
        static QUERIES: [Slot; 3] = [
            Mutex::new(Vec::new()),
            Mutex::new(Vec::new()),
            Mutex::new(Vec::new()),
        ];
        // Only rules with patterns left to the query count.
        let needed = needed.and(residual_rules(dialect));
        if needed.is_empty() {
            return None;
        }
        let mut compiled = QUERIES[dialect.index()]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((_, q)) = compiled.iter().find(|(m, _)| m.covers(&needed)) {
            return Some(q);
        }
        let reg = Registry::get();
        let mask = if compiled.is_empty() {
            needed
        } else {
            RuleMask::every(reg.rules.len())
        };
        let query = CombinedQuery::build_for(reg, dialect, &mask, Scope::Residual)
            .unwrap_or_else(|e| panic!("{e}"));
        let query: &'static CombinedQuery = Box::leak(Box::new(query));
        compiled.push((mask, query));
        Some(query)
    }

    /// Compiles all rules' query patterns for `dialect` as one query. Only
    /// the combined query is compiled (compilation is most of a one-file
    /// run); when it fails, the patterns are compiled one by one to name the
    /// rule of the broken one. A unit test compiles every pattern for every
    /// dialect.
    pub fn build(reg: &Registry, dialect: Dialect) -> Result<CombinedQuery, String> {
        CombinedQuery::build_for(
            reg,
            dialect,
            &RuleMask::every(reg.rules.len()),
            Scope::Residual,
        )
    }

    /// The query of every pattern, those of the one-node walk included (the
    /// tests compare the two ways).
    pub fn build_every(reg: &Registry, dialect: Dialect) -> Result<CombinedQuery, String> {
        CombinedQuery::build_for(
            reg,
            dialect,
            &RuleMask::every(reg.rules.len()),
            Scope::Every,
        )
    }

    /// [`CombinedQuery::build`] with only the patterns of the rules in `mask`.
    pub fn build_for(
        reg: &Registry,
        dialect: Dialect,
        mask: &RuleMask,
        scope: Scope,
    ) -> Result<CombinedQuery, String> {
        let mut source = String::new();
        let mut spans = Vec::new(); // (start byte in source, origin)
        for (rule, r) in reg.rules.iter().enumerate() {
            if !mask.contains(rule) {
                continue;
            }
            for (spec, q) in r.detect.query.iter().enumerate() {
                if !q.applies_to(dialect) || !scope.holds(q, dialect) {
                    continue;
                }
                spans.push((source.len(), PatternOrigin { rule, spec }));
                source.push_str(&q.pattern);
                source.push('\n');
            }
        }
        let query = Query::new(&dialect.language(), &source).map_err(|e| {
            validate(reg, dialect).unwrap_or_else(|| format!("combined query: {e}"))
        })?;
        let origins = (0..query.pattern_count())
            .map(|i| {
                let start = query.start_byte_for_pattern(i);
                let pos = spans.partition_point(|(s, _)| *s <= start);
                spans[pos - 1].1
            })
            .collect();
        let hit = query.capture_index_for_name("hit");
        Ok(CombinedQuery {
            query,
            origins,
            hit,
        })
    }
}

/// Which patterns a [`CombinedQuery`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Those the one-node walk does not take: what a run executes.
    Residual,
    /// All of them.
    Every,
}

impl Scope {
    fn holds(self, q: &QuerySpec, dialect: Dialect) -> bool {
        self == Scope::Every || !walk::takes(q, dialect)
    }
}

/// The rules of the compiled-in registry with a pattern for `dialect` that
/// is left to the query.
fn residual_rules(dialect: Dialect) -> &'static RuleMask {
    &walk::NodePatterns::get(dialect).residual
}

/// The first pattern that does not compile alone for `dialect`, as an error
/// naming its rule file; `None` if all do.
pub fn validate(reg: &Registry, dialect: Dialect) -> Option<String> {
    let language = dialect.language();
    reg.rules.iter().find_map(|r| {
        r.detect
            .query
            .iter()
            .enumerate()
            .filter(|(_, q)| q.applies_to(dialect))
            .find_map(|(spec, q)| {
                Query::new(&language, &q.pattern).err().map(|e| {
                    format!(
                        "rules/{}-{}.toml: query {} ({dialect:?}): {e}",
                        r.code,
                        r.name,
                        spec + 1
                    )
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many patterns of `rule` (or of all rules) apply to `d`.
    fn patterns_for(reg: &Registry, d: Dialect, rule: Option<usize>) -> usize {
        reg.rules
            .iter()
            .enumerate()
            .filter(|(i, _)| rule.is_none_or(|r| r == *i))
            .flat_map(|(_, r)| &r.detect.query)
            .filter(|q| q.applies_to(d))
            .count()
    }

    #[test]
    fn every_pattern_compiles_alone_for_every_dialect() {
        let reg = Registry::get();
        for d in Dialect::ALL {
            if let Some(e) = validate(reg, d) {
                panic!("{e}");
            }
            let cq = CombinedQuery::build_every(reg, d).unwrap();
            let patterns = patterns_for(reg, d, None);
            assert_eq!(cq.origins.len(), patterns);
        }
    }

    #[test]
    fn a_query_for_some_rules_holds_only_their_patterns() {
        let reg = Registry::get();
        let oie002 = reg.find("OIE002").unwrap();
        let cq = CombinedQuery::build_for(reg, Dialect::TypeScript, &only(oie002), Scope::Every)
            .unwrap();
        assert_eq!(
            cq.origins.len(),
            patterns_for(reg, Dialect::TypeScript, Some(oie002))
        );
        assert!(cq.origins.iter().all(|o| o.rule == oie002));
    }

    fn only(rule: usize) -> RuleMask {
        let mut m = RuleMask::default();
        m.insert(rule);
        m
    }

    /// The mask has no 64-rule cap: a registry may grow past it.
    #[test]
    fn rule_masks_hold_any_number_of_rules() {
        let m = RuleMask::of(&[true, false, true]);
        assert!(m.contains(0) && !m.contains(1) && m.contains(2) && !m.contains(64));
        let mut big = RuleMask::of(&[true; 3]);
        big.insert(64);
        big.insert(130);
        assert!(big.contains(64) && big.contains(130) && !big.contains(129));
        assert!(big.covers(&only(130)) && !only(130).covers(&big));
        assert!(RuleMask::every(200).covers(&big));
        assert!(!RuleMask::every(100).covers(&big));
        assert_eq!(big.and(&only(130)), only(130).and(&big));
        assert!(big.and(&only(129)).is_empty());
        assert!(RuleMask::default().is_empty() && RuleMask::every(0).is_empty());
    }

    /// The bundled rules are all one-node patterns, so a run compiles no
    /// query (a pre-commit run's biggest cost before). A new rule with a
    /// nested pattern is fine: it fails this test only to say that it
    /// brings query compilation back (update the test then).
    #[test]
    fn the_bundled_rules_need_no_query() {
        for d in Dialect::ALL {
            assert!(residual_rules(d).is_empty(), "{d:?}");
            let every = RuleMask::every(Registry::get().rules.len());
            assert!(CombinedQuery::get(d, &every).is_none());
            assert!(CombinedQuery::build(Registry::get(), d)
                .unwrap()
                .origins
                .is_empty());
        }
    }

    #[test]
    fn nested_patterns_go_to_the_query() {
        let text = crate::rules::RULE_FILES
            .iter()
            .find(|(f, _)| f.starts_with("OIE002"))
            .unwrap();
        let nested = text.1.replacen(
            "pattern = '((property_identifier) @hit (#eq? @hit \"sessionToken\"))'",
            "pattern = '(member_expression property: (property_identifier) @hit (#eq? @hit \"sessionToken\"))'",
            1,
        );
        assert_ne!(nested, text.1);
        let reg = Registry::parse(&[(text.0, &nested)]).unwrap();
        let cq = CombinedQuery::build(&reg, Dialect::JavaScript).unwrap();
        assert_eq!(cq.origins.len(), 1);
        assert_eq!((cq.origins[0].rule, cq.origins[0].spec), (0, 0));
        let table = walk::NodePatterns::build(&reg, Dialect::JavaScript);
        assert!(table.entries.iter().all(|e| e.origin.spec != 0));
        assert_eq!(
            table.entries.len() + 1,
            patterns_for(&reg, Dialect::JavaScript, None)
        );
    }

    #[test]
    fn a_broken_pattern_is_reported_with_its_rule() {
        let text = crate::rules::RULE_FILES
            .iter()
            .find(|(f, _)| f.starts_with("OIE002"))
            .unwrap();
        let broken = text
            .1
            .replacen("((property_identifier) @hit", "((no_such_node) @hit", 1);
        let reg = Registry::parse(&[(text.0, &broken)]).unwrap();
        let err = CombinedQuery::build(&reg, Dialect::JavaScript)
            .err()
            .unwrap();
        assert!(
            err.starts_with("rules/OIE002-session-token.toml: query 1"),
            "{err}"
        );
    }
}
