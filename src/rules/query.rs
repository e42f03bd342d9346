//! One combined tree-sitter query per grammar for all rules.
//!
//! Query execution costs about as much as parsing, so running one query per
//! rule would multiply the cost by the number of rules (tech-stack.md §3).
//! Instead every rule's patterns are concatenated into a single query per
//! dialect and each pattern index is mapped back to its rule. Queries are
//! compiled lazily, on the first file of that dialect, so a pre-commit run
//! over one `.js` file never pays for the TypeScript grammar, and that first
//! query holds only the rules the file activates (see [`CombinedQuery::get`]).

use super::Registry;
use crate::source::Dialect;
use std::sync::Mutex;
use tree_sitter::Query;

/// Which rule (and which of its `[[detect.query]]` entries) a pattern came from.
#[derive(Debug, Clone, Copy)]
pub struct PatternOrigin {
    pub rule: usize,
    pub spec: usize,
}

pub struct CombinedQuery {
    pub query: Query,
    pub origins: Vec<PatternOrigin>,
    /// Index of the `hit` capture, if any pattern uses it.
    pub hit: Option<u32>,
}

/// Which rules' patterns a query holds: bit `i` is rule `i` of the registry.
pub type RuleMask = u64;

/// The mask of every rule.
pub const ALL_RULES: RuleMask = RuleMask::MAX;

/// The mask of the rules marked in `active`.
pub fn mask_of(active: &[bool]) -> RuleMask {
    assert!(active.len() <= 64, "at most 64 rules per query mask");
    active
        .iter()
        .enumerate()
        .filter(|(_, &a)| a)
        .fold(0, |m, (i, _)| m | 1 << i)
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
    pub fn get(dialect: Dialect, needed: RuleMask) -> &'static CombinedQuery {
        type Slot = Mutex<Vec<(RuleMask, &'static CombinedQuery)>>;
        static QUERIES: [Slot; 3] = [
            Mutex::new(Vec::new()),
            Mutex::new(Vec::new()),
            Mutex::new(Vec::new()),
        ];
        // Only rules with patterns count (a suppression-only need is no miss).
        let reg = Registry::get();
        let needed = reg
            .rules
            .iter()
            .enumerate()
            .filter(|(i, r)| *i < 64 && r.detect.query.is_empty())
            .fold(needed, |m, (i, _)| m & !(1 << i));
        let mut compiled = QUERIES[dialect.index()]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((_, q)) = compiled.iter().find(|(m, _)| m & needed == needed) {
            return q;
        }
        let mask = if compiled.is_empty() {
            needed
        } else {
            ALL_RULES
        };
        let query = CombinedQuery::build_for(reg, dialect, mask).unwrap_or_else(|e| panic!("{e}"));
        let query: &'static CombinedQuery = Box::leak(Box::new(query));
        compiled.push((mask, query));
        query
    }

    /// Compiles all rules' patterns for `dialect` as one query. Only the
    /// combined query is compiled (compilation is most of a one-file run);
    /// when it fails, the patterns are compiled one by one to name the rule
    /// of the broken one. A unit test compiles every pattern for every dialect.
    pub fn build(reg: &Registry, dialect: Dialect) -> Result<CombinedQuery, String> {
        CombinedQuery::build_for(reg, dialect, ALL_RULES)
    }

    /// [`CombinedQuery::build`] with only the patterns of the rules in `mask`.
    pub fn build_for(
        reg: &Registry,
        dialect: Dialect,
        mask: RuleMask,
    ) -> Result<CombinedQuery, String> {
        let mut source = String::new();
        let mut spans = Vec::new(); // (start byte in source, origin)
        for (rule, r) in reg.rules.iter().enumerate() {
            if rule < 64 && mask & (1 << rule) == 0 {
                continue;
            }
            for (spec, q) in r.detect.query.iter().enumerate() {
                if !q.applies_to(dialect) {
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
            let cq = CombinedQuery::build(reg, d).unwrap();
            let patterns = patterns_for(reg, d, None);
            assert_eq!(cq.origins.len(), patterns);
        }
    }

    #[test]
    fn a_query_for_some_rules_holds_only_their_patterns() {
        let reg = Registry::get();
        let oie002 = reg.find("OIE002").unwrap();
        let cq = CombinedQuery::build_for(reg, Dialect::TypeScript, 1 << oie002).unwrap();
        assert_eq!(
            cq.origins.len(),
            patterns_for(reg, Dialect::TypeScript, Some(oie002))
        );
        assert!(cq.origins.iter().all(|o| o.rule == oie002));
        // The cache always answers with a query that covers the need.
        let narrow = CombinedQuery::get(Dialect::Tsx, 1 << oie002);
        let covered = narrow.origins.iter().filter(|o| o.rule == oie002).count();
        assert_eq!(covered, patterns_for(reg, Dialect::Tsx, Some(oie002)));
        let wide = CombinedQuery::get(Dialect::Tsx, ALL_RULES);
        assert_eq!(wide.origins.len(), patterns_for(reg, Dialect::Tsx, None));
        assert_eq!(mask_of(&[true, false, true]), 0b101);
    }

    #[test]
    fn a_broken_pattern_is_reported_with_its_rule() {
        let text = super::super::RULE_FILES
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
