//! Finding fingerprints that survive edits elsewhere in the file.
//!
//! GitHub code scanning (SARIF `partialFingerprints`) and GitLab Code Quality
//! (`fingerprint`) match a finding across commits by its fingerprint: if it
//! changes when someone adds a line above, the old alert is closed and a new
//! one opened, and the merge-request widget reports a "new" issue. So the
//! fingerprint never includes a line or column. It hashes:
//!
//! - the rule code,
//! - the display path,
//! - the text of the finding's first line with whitespace runs collapsed
//!   (re-indenting the code keeps the fingerprint), and
//! - the occurrence index: how many earlier findings in the same file have
//!   the same rule and the same normalised line. This keeps two identical
//!   lines (or two hits on one line) apart, which makes fingerprints unique
//!   within a run, as GitLab requires, without depending on positions.
//!
//! SHA-256 (the `sha2` crate) gives a value that is stable across platforms,
//! Rust versions and oie-lint releases; `std`'s hashers promise none of that.

use super::Run;
use crate::diagnostic::Diagnostic;
use crate::source::lines::LineIndex;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Bumped only if the hashed fields change, so old alerts are not silently
/// re-keyed. Part of the SARIF `partialFingerprints` key.
pub const VERSION: u32 = 1;

/// One fingerprint per diagnostic of `run`, in the same order: 64 lowercase
/// hex digits.
pub fn fingerprints(run: &Run) -> Vec<String> {
    let mut indexes: BTreeMap<&str, LineIndex> = BTreeMap::new();
    let mut seen: HashMap<(&str, &str, String), usize> = HashMap::new();
    run.diagnostics
        .iter()
        .map(|d| {
            let text = run.sources.get(&d.path).map_or("", String::as_str);
            let index = indexes
                .entry(d.path.as_str())
                .or_insert_with(|| LineIndex::new(text));
            let line = normalized_line(text, index, d);
            let slot = seen
                .entry((d.code, d.path.as_str(), line.clone()))
                .or_insert(0);
            let occurrence = *slot;
            *slot += 1;
            hash(d.code, &d.path, &line, occurrence)
        })
        .collect()
}

/// The fingerprint of something that could not be checked (a GitLab issue
/// of its own), from the path and the reason.
pub fn of_error(path: &str, reason: &str) -> String {
    hash(super::json::ERROR_CODE, path, reason, 0)
}

/// The finding's first line, trimmed, with every whitespace run as one space.
fn normalized_line(text: &str, index: &LineIndex, d: &Diagnostic) -> String {
    let line = index
        .line_range(text, d.start.line)
        .and_then(|r| text.get(r))
        .unwrap_or("");
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn hash(code: &str, path: &str, line: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    for part in [
        format!("oie-lint-fingerprint-v{VERSION}"),
        code.to_string(),
        path.to_string(),
        line.to_string(),
        occurrence.to_string(),
    ] {
        // Length-prefixed, so no choice of field contents can collide with another split.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// A run with one finding per occurrence of `needle` in `text`.
    fn run_over(text: &str, needle: &str) -> Run {
        let index = LineIndex::new(text);
        let mut run = Run::default();
        for (start, _) in text.match_indices(needle) {
            let end = start + needle.len();
            run.diagnostics.push(Diagnostic {
                code: "OIE001",
                name: "set-cookie-and-redirect",
                severity: Severity::Error,
                message: "m".into(),
                path: "web/login.js".into(),
                start_byte: start,
                end_byte: end,
                start: index.position(text, start),
                end: index.position(text, end),
                fix: None,
                no_fix: None,
            });
        }
        run.sources.insert("web/login.js".into(), text.into());
        run.sort();
        run
    }

    const BEFORE: &str = "a();\n  res.session.setCookieAndRedirect(u);\nb();\nres.session.setCookieAndRedirect(u);\n";

    #[test]
    fn fingerprint_survives_inserted_lines_above() {
        let before = run_over(BEFORE, "setCookieAndRedirect");
        let after_text = format!("// new header\n\nimport x from 'y';\n{BEFORE}");
        let after = run_over(&after_text, "setCookieAndRedirect");
        assert_eq!(
            after.diagnostics[0].start.line,
            before.diagnostics[0].start.line + 3
        );
        assert_eq!(fingerprints(&before), fingerprints(&after));
    }

    #[test]
    fn fingerprint_survives_reindenting() {
        let before = run_over(BEFORE, "setCookieAndRedirect");
        let after = run_over(&BEFORE.replace("  res.", "\tres."), "setCookieAndRedirect");
        assert_eq!(fingerprints(&before), fingerprints(&after));
    }

    #[test]
    fn identical_lines_get_distinct_fingerprints() {
        let run = run_over(BEFORE, "setCookieAndRedirect");
        let fps = fingerprints(&run);
        assert_eq!(fps.len(), 2);
        assert_ne!(
            fps[0], fps[1],
            "same rule, same normalised line text: the occurrence index must separate them"
        );
        assert!(fps
            .iter()
            .all(|f| f.len() == 64 && f.bytes().all(|b| b.is_ascii_hexdigit())));
    }

    #[test]
    fn fingerprint_changes_with_the_line_text_and_the_path() {
        let base = fingerprints(&run_over(BEFORE, "setCookieAndRedirect"));
        let edited = fingerprints(&run_over(
            &BEFORE.replace("(u)", "(url)"),
            "setCookieAndRedirect",
        ));
        assert_ne!(base[0], edited[0]);
        let mut moved = run_over(BEFORE, "setCookieAndRedirect");
        for d in &mut moved.diagnostics {
            d.path = "other.js".into();
        }
        moved.sources = [("other.js".to_string(), BEFORE.to_string())].into();
        assert_ne!(base[0], fingerprints(&moved)[0]);
    }

    #[test]
    fn fingerprint_is_pinned() {
        // Changing the hashed fields re-keys every alert users have triaged:
        // bump VERSION deliberately instead of letting this drift.
        let run = run_over("x.setCookieAndRedirect(u);\n", "setCookieAndRedirect");
        assert_eq!(
            fingerprints(&run)[0],
            "381831b349ad0ee04aae98c1a9615a3e106827bf30bf1363e6081298ee22174a"
        );
    }
}
