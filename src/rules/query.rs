//! One combined tree-sitter query per grammar for all rules.
//!
//! Query execution costs about as much as parsing, so running one query per
//! rule would multiply the cost by the number of rules (tech-stack.md §3).
//! Instead every rule's patterns are concatenated into a single query per
//! dialect and each pattern index is mapped back to its rule. Queries are
//! compiled lazily, on the first file of that dialect, so a pre-commit run
//! over one `.js` file never pays for the TypeScript grammar.

use super::Registry;
use crate::source::Dialect;
use std::sync::OnceLock;
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

impl CombinedQuery {
    /// The compiled query for a dialect (compiled on first use).
    pub fn get(dialect: Dialect) -> &'static CombinedQuery {
        static QUERIES: [OnceLock<CombinedQuery>; 3] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        QUERIES[dialect.index()].get_or_init(|| {
            CombinedQuery::build(Registry::get(), dialect).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// Compiles all rules' patterns for `dialect` as one query. Only the
    /// combined query is compiled (compilation is most of a one-file run);
    /// when it fails, the patterns are compiled one by one to name the rule
    /// of the broken one. A unit test compiles every pattern for every dialect.
    pub fn build(reg: &Registry, dialect: Dialect) -> Result<CombinedQuery, String> {
        let mut source = String::new();
        let mut spans = Vec::new(); // (start byte in source, origin)
        for (rule, r) in reg.rules.iter().enumerate() {
            for (spec, q) in r.detect.query.iter().enumerate() {
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
        r.detect.query.iter().enumerate().find_map(|(spec, q)| {
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

    #[test]
    fn every_pattern_compiles_alone_for_every_dialect() {
        let reg = Registry::get();
        for d in Dialect::ALL {
            if let Some(e) = validate(reg, d) {
                panic!("{e}");
            }
            let cq = CombinedQuery::build(reg, d).unwrap();
            let patterns: usize = reg.rules.iter().map(|r| r.detect.query.len()).sum();
            assert_eq!(cq.origins.len(), patterns);
        }
    }

    #[test]
    fn a_broken_pattern_is_reported_with_its_rule() {
        let text = super::super::RULE_FILES
            .iter()
            .find(|(f, _)| f.starts_with("OIE002"))
            .unwrap();
        let broken = text.1.replacen(
            "(member_expression property:",
            "(member_expression no_such_field:",
            1,
        );
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
