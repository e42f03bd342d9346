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

    pub fn build(reg: &Registry, dialect: Dialect) -> Result<CombinedQuery, String> {
        let mut source = String::new();
        let mut spans = Vec::new(); // (start byte in source, origin)
        for (rule, r) in reg.rules.iter().enumerate() {
            for (spec, q) in r.detect.query.iter().enumerate() {
                if !q.applies_to(dialect) {
                    continue;
                }
                // Validate each pattern alone first so an error names its rule.
                Query::new(&dialect.language(), &q.pattern).map_err(|e| {
                    format!("rules/{}-{}.toml: query {}: {e}", r.code, r.name, spec + 1)
                })?;
                spans.push((source.len(), PatternOrigin { rule, spec }));
                source.push_str(&q.pattern);
                source.push('\n');
            }
        }
        let query =
            Query::new(&dialect.language(), &source).map_err(|e| format!("combined query: {e}"))?;
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
