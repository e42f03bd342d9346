//! Every occurrence of a set of literals, found at the speed of the SIMD
//! searcher.
//!
//! The prefilter ("which trigger words occur?") and the pattern walk ("where
//! can a match be?") both need *overlapping* occurrences: `okta-signin` and
//! `okta-signin-widget` start at the same byte, and one trigger can start
//! inside another. aho-corasick finds overlapping matches only with its
//! automaton, one byte at a time, and never with its packed SIMD searcher
//! (Teddy); on a repository that scan cost as much CPU as searching every
//! file for "any trigger at all". So the search runs in two steps:
//!
//! 1. a leftmost-first, non-overlapping search (SIMD) finds the places where
//!    literals occur;
//! 2. the overlapping automaton reads only a short window at each place.
//!
//! Why the windows see everything: a non-overlapping scan that reports
//! `[p, e)` resumes at `e` and then reports the leftmost match starting at or
//! after `e`. So every occurrence, starting at `q`, lies in some reported
//! `[p, e)` with `p <= q < e`: the occurrences that start there are found by
//! reading `[p, e - 1 + longest)`, and each is reported once, by the window
//! its start falls in.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use std::ops::ControlFlow;

/// The packed SIMD searcher (Teddy) takes at most this many literals; past
/// it aho-corasick falls back to its automaton, byte at a time (eight times
/// slower on a repository: the default rule set grew past 64 trigger words).
const PACKED_MAX: usize = 64;

/// A literal set with both searchers (see the module docs), in groups that
/// the SIMD searcher takes.
#[derive(Debug)]
pub struct Literals {
    /// "Does any occur?": the literals that contain no other literal (an
    /// occurrence of one that does contains one of these), in groups.
    any: Vec<AhoCorasick>,
    /// The literals in groups, each with both searchers.
    groups: Vec<Group>,
}

#[derive(Debug)]
struct Group {
    /// Leftmost-first: the packed SIMD searcher applies.
    fast: AhoCorasick,
    /// Standard semantics, for overlapping matches inside each window.
    all: AhoCorasick,
    /// The longest literal of the group, in bytes.
    longest: usize,
    /// The index of the group's first literal in the whole set.
    offset: usize,
}

/// One occurrence: the literal's index and its byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

fn build<P: AsRef<[u8]>>(
    patterns: &[P],
    kind: MatchKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .match_kind(kind)
        .build(patterns)
}

/// `n` items in the fewest groups of at most [`PACKED_MAX`], of even size.
fn group_bounds(n: usize) -> Vec<std::ops::Range<usize>> {
    let groups = n.div_ceil(PACKED_MAX).max(1);
    let size = n.div_ceil(groups).max(1);
    (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect()
}

impl Literals {
    /// The searchers over `patterns` (contiguous NFAs: built in a fraction
    /// of a DFA's time, which matters for a one-file run). The literals are
    /// not empty (an empty one would occur everywhere).
    pub fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Result<Literals, aho_corasick::BuildError> {
        let patterns: Vec<&[u8]> = patterns.iter().map(|p| p.as_ref()).collect();
        debug_assert!(patterns.iter().all(|p| !p.is_empty()));
        let minimal: Vec<&[u8]> = patterns
            .iter()
            .enumerate()
            .filter(|&(i, p)| {
                !patterns.iter().enumerate().any(|(j, q)| {
                    j != i
                        && q.len() <= p.len()
                        && (q.len() < p.len() || j < i)
                        && p.windows(q.len()).any(|w| w == *q)
                })
            })
            .map(|(_, p)| *p)
            .collect();
        let any = group_bounds(minimal.len())
            .into_iter()
            .map(|r| build(&minimal[r], MatchKind::LeftmostFirst))
            .collect::<Result<_, _>>()?;
        let groups = group_bounds(patterns.len())
            .into_iter()
            .map(|r| {
                let part = &patterns[r.clone()];
                Ok(Group {
                    fast: build(part, MatchKind::LeftmostFirst)?,
                    all: build(part, MatchKind::Standard)?,
                    longest: part.iter().map(|p| p.len()).max().unwrap_or(0),
                    offset: r.start,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Literals { any, groups })
    }

    /// Whether any literal occurs in `text`.
    pub fn is_match(&self, text: &[u8]) -> bool {
        self.any.iter().any(|a| a.is_match(text))
    }

    /// Calls `f` with every occurrence of every literal that lies inside
    /// `range` of `text` (as a search of that range alone finds them), group
    /// by group and in order of the windows (starts are not sorted); `f`
    /// stops the search with `Break`.
    pub fn for_each(
        &self,
        text: &[u8],
        range: std::ops::Range<usize>,
        mut f: impl FnMut(Occurrence) -> ControlFlow<()>,
    ) {
        let end = range.end.min(text.len());
        for g in &self.groups {
            for window in g.fast.find_iter(Input::new(text).range(range.start..end)) {
                let (p, e) = (window.start(), window.end());
                let stop = (e.saturating_sub(1) + g.longest).min(end).max(e);
                for m in g.all.find_overlapping_iter(Input::new(text).range(p..stop)) {
                    if m.start() >= e {
                        continue;
                    }
                    let occurrence = Occurrence {
                        pattern: g.offset + m.pattern().as_usize(),
                        start: m.start(),
                        end: m.end(),
                    };
                    if f(occurrence).is_break() {
                        return;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The occurrences the plain overlapping automaton finds, for comparison.
    fn reference(patterns: &[&str], text: &str) -> Vec<Occurrence> {
        let ac = AhoCorasick::new(patterns).unwrap();
        let mut v: Vec<Occurrence> = ac
            .find_overlapping_iter(text)
            .map(|m| Occurrence {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect();
        v.sort_by_key(|o| (o.start, o.end, o.pattern));
        v
    }

    fn windowed(patterns: &[&str], text: &str, range: std::ops::Range<usize>) -> Vec<Occurrence> {
        let lit = Literals::new(patterns).unwrap();
        let mut v = Vec::new();
        lit.for_each(text.as_bytes(), range, |o| {
            v.push(o);
            ControlFlow::Continue(())
        });
        v.sort_by_key(|o| (o.start, o.end, o.pattern));
        v
    }

    /// Shared starts, literals inside literals, chains of overlaps and
    /// repeats: the windows find exactly what the overlapping scan finds,
    /// each occurrence once.
    #[test]
    fn windows_find_every_overlapping_occurrence_once() {
        let patterns = [
            "okta-signin",
            "okta-signin-widget",
            "signin-w",
            "widget",
            "get",
            "aa",
            "aaa",
            "session.token",
            "sessionToken",
            "token",
        ];
        let texts = [
            "x okta-signin-widget y",
            "okta-signin-widgetokta-signin",
            "aaaaaaa",
            "res.session.token and res.sessionToken; tokens",
            "getget widgetwidget",
            "",
            "nothing here",
            "okta-signin-widge",
        ];
        for t in texts {
            assert_eq!(
                windowed(&patterns, t, 0..t.len()),
                reference(&patterns, t),
                "{t:?}"
            );
        }
        // Generated text over a tiny alphabet: many overlaps everywhere.
        let mut seed = 7u64;
        let alphabet = b"ab";
        for len in [1usize, 5, 50, 500] {
            let t: String = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % 2] as char
                })
                .collect();
            let p = ["a", "ab", "aba", "bab", "bb", "abba", "baab"];
            assert_eq!(windowed(&p, &t, 0..t.len()), reference(&p, &t), "{t:?}");
        }
    }

    /// Only occurrences that lie inside the range are reported.
    #[test]
    fn a_range_limits_the_starts() {
        let p = ["okta-signin", "okta-signin-widget"];
        let t = "aa okta-signin-widget okta-signin";
        let got = windowed(&p, t, 3..21);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|o| o.start == 3 && o.end <= 21));
        assert!(windowed(&p, t, 4..t.len()).iter().all(|o| o.start == 22));
    }

    /// Past 64 literals the set is searched in groups; every occurrence is
    /// still found once, and "any" agrees (also through a literal that
    /// contains another).
    #[test]
    fn more_literals_than_one_packed_searcher_takes() {
        let owned: Vec<String> = (0..150).map(|i| format!("w{i}x")).collect();
        let mut patterns: Vec<&str> = owned.iter().map(String::as_str).collect();
        patterns.push("w1x-long");
        let text = "a w1x-long w7x w149x w99x w10x w1x";
        assert_eq!(
            windowed(&patterns, text, 0..text.len()),
            reference(&patterns, text)
        );
        let lit = Literals::new(&patterns).unwrap();
        assert!(lit.groups.len() >= 3 && lit.any.len() >= 3);
        assert!(lit.is_match(b"..w149x..") && lit.is_match(b"w1x-long") && !lit.is_match(b"w150"));
        assert_eq!(group_bounds(130), vec![0..44, 44..88, 88..130]);
        assert_eq!(group_bounds(64), vec![0..64]);
        assert_eq!(group_bounds(0), Vec::<std::ops::Range<usize>>::new());
    }

    #[test]
    fn break_stops_the_search() {
        let lit = Literals::new(&["a"]).unwrap();
        let mut n = 0;
        lit.for_each(b"aaaa", 0..4, |_| {
            n += 1;
            ControlFlow::Break(())
        });
        assert_eq!(n, 1);
        assert!(lit.is_match(b"xa") && !lit.is_match(b"xyz"));
    }
}
