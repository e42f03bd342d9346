//! Applying fixes to a file's text, pass after pass.
//!
//! Every edit is a byte range of the text the fix was computed from (the
//! original, never the masked copy), so template placeholders outside an
//! edit survive byte for byte. One pass takes the fixes the linter offers,
//! keeps those whose edits do not overlap an already accepted fix (the rest
//! wait for the next pass, computed on the new text), refuses any fix whose
//! result parses with more syntax errors than the text had, and applies the
//! accepted edits back to front. Passes repeat until no fix is left, at most
//! [`MAX_PASSES`] times.

use crate::diagnostic::{Applicability, AppliedFix, Diagnostic, DroppedFix, Edit, Fix};
use crate::linter::{FileReport, Linter};
use crate::source::{html, FileKind, SourceFile};
use std::collections::{BTreeMap, HashSet};

/// Passes before the engine gives up and reports "did not converge".
pub const MAX_PASSES: usize = 10;

/// The result of fixing one file's text.
#[derive(Debug)]
pub struct Outcome {
    /// The text after every accepted fix.
    pub text: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    /// False when fixes were still being offered after [`MAX_PASSES`] passes.
    pub converged: bool,
    /// The lint of the final text: what remains.
    pub report: FileReport,
}

/// Whether a fix may be applied in this run.
pub fn allowed(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Lints and fixes `file` until nothing changes (or [`MAX_PASSES`]).
pub fn fix_file(linter: &Linter, file: &SourceFile, unsafe_fixes: bool) -> Outcome {
    fix_with(file, unsafe_fixes, |f| linter.lint(f))
}

/// The pass loop over any linter (tests drive it with made-up fixes).
///
/// Linear in the number of fixes: overlaps are found in an ordered map of
/// the accepted edits, repeated and refused fixes in hash sets, and the
/// syntax guard parses the text with every candidate of a pass applied at
/// once; only when that adds syntax errors are the candidates split in
/// halves to find the culprits (a parse per half, so a few bad fixes among
/// many cost a few parses each, not one parse per fix).
pub fn fix_with(
    file: &SourceFile,
    unsafe_fixes: bool,
    lint: impl Fn(&SourceFile) -> FileReport,
) -> Outcome {
    fix_counting(file, unsafe_fixes, lint, &mut 0)
}

/// [`fix_with`], adding the number of syntax-guard parses to `parses`
/// (the work-count regression tests read it).
pub fn fix_counting(
    file: &SourceFile,
    unsafe_fixes: bool,
    lint: impl Fn(&SourceFile) -> FileReport,
    parses: &mut usize,
) -> Outcome {
    let mut current = SourceFile {
        path: file.path.clone(),
        display: file.display.clone(),
        text: file.text.clone(),
        kind: file.kind,
    };
    let mut applied = Vec::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    // Fixes refused in an earlier pass, by what they would replace and with what.
    let mut refused: HashSet<RefusalKey> = HashSet::new();
    let mut report = lint(&current);
    for _ in 0..MAX_PASSES {
        let mut guard = Guard {
            text: &current.text,
            kind: current.kind,
            path: &current.path,
            baseline: 0,
            parses,
        };
        guard.baseline = guard.errors(&[]);
        // Candidates: allowed, valid, not refused before, not overlapping
        // an earlier candidate (those wait for the next pass).
        let mut taken = Taken::default();
        let mut seen: HashSet<&[Edit]> = HashSet::new();
        let mut candidates: Vec<(&Diagnostic, &Fix)> = Vec::new();
        let mut duplicates: HashSet<*const Diagnostic> = HashSet::new();
        for d in &report.diagnostics {
            let Some(fix) = d.fix.as_ref().filter(|f| allowed(f, unsafe_fixes)) else {
                continue;
            };
            if fix.edits.is_empty() || !valid_edits(&current.text, &fix.edits) {
                continue;
            }
            if !refused.is_empty() && refused.contains(&refusal_key(&current.text, fix)) {
                continue;
            }
            if seen.contains(fix.edits.as_slice()) {
                // The same change resolves several findings (the js and css URLs of a page).
                duplicates.insert(d);
                continue;
            }
            if fix.edits.iter().any(|e| taken.overlaps(e)) {
                continue; // next pass
            }
            for e in &fix.edits {
                taken.insert(e);
            }
            seen.insert(&fix.edits);
            candidates.push((d, fix));
        }
        let mut accepted: Vec<&Fix> = Vec::new();
        let mut accepted_edits: Vec<Edit> = Vec::new();
        let mut rejected: Vec<(&Diagnostic, &Fix, usize)> = Vec::new();
        guard.split(&candidates, &mut accepted_edits, &mut |c, ok| match ok {
            Ok(()) => accepted.push(c.1),
            Err(errors) => rejected.push((c.0, c.1, errors)),
        });
        // Findings in document order, as the passes report them.
        let accepted_set: HashSet<*const Fix> = accepted.iter().map(|f| *f as *const Fix).collect();
        let accepted_edit_lists: HashSet<&[Edit]> =
            accepted.iter().map(|f| f.edits.as_slice()).collect();
        let baseline = guard.baseline;
        let mut newly_applied = Vec::new();
        for d in &report.diagnostics {
            let Some(fix) = d.fix.as_ref() else { continue };
            if accepted_set.contains(&(fix as *const Fix))
                || (duplicates.contains(&(d as *const Diagnostic))
                    && accepted_edit_lists.contains(fix.edits.as_slice()))
            {
                newly_applied.push(applied_from(d, fix));
            }
        }
        for (d, fix, errors) in rejected {
            dropped.push(DroppedFix {
                code: d.code,
                description: fix.description.clone(),
                reason: format!(
                    "the result would have {errors} syntax error{} where the file has {baseline}",
                    if errors == 1 { "" } else { "s" }
                ),
            });
            refused.insert(refusal_key(&current.text, fix));
        }
        if accepted.is_empty() {
            return Outcome {
                text: current.text,
                applied,
                dropped,
                converged: true,
                report,
            };
        }
        current.text = apply_edits(&current.text, &accepted_edits);
        applied.extend(newly_applied);
        // Refusal keys hold replaced text, so they stay meaningful on the new text.
        report = lint(&current);
    }
    let converged = !report
        .diagnostics
        .iter()
        .any(|d| d.fix.as_ref().is_some_and(|f| allowed(f, unsafe_fixes)));
    Outcome {
        text: current.text,
        applied,
        dropped,
        converged,
        report,
    }
}

type RefusalKey = (String, Vec<(String, String)>);

/// The edits taken in a pass, by start: overlap queries in logarithmic time.
#[derive(Default)]
struct Taken {
    by_start: BTreeMap<(usize, usize), ()>,
}

impl Taken {
    fn insert(&mut self, e: &Edit) {
        self.by_start.insert((e.start, e.end), ());
    }

    /// Whether `e` conflicts with a taken edit. Taken edits do not overlap
    /// one another, so their ends grow with their starts: walking back from
    /// the last one starting at or before `e.end`, the search stops at the
    /// first that ends before `e` starts.
    fn overlaps(&self, e: &Edit) -> bool {
        for (&(start, end), ()) in self.by_start.range(..=(e.end, usize::MAX)).rev() {
            if end < e.start {
                return false;
            }
            let a = Edit {
                start,
                end,
                replacement: String::new(),
            };
            if overlaps(&a, e) {
                return true;
            }
        }
        false
    }
}

/// The syntax guard of one pass.
struct Guard<'a> {
    text: &'a str,
    kind: FileKind,
    path: &'a std::path::Path,
    baseline: usize,
    parses: &'a mut usize,
}

impl Guard<'_> {
    fn errors(&mut self, edits: &[Edit]) -> usize {
        *self.parses += 1;
        if edits.is_empty() {
            return syntax_errors(self.text, self.kind, self.path);
        }
        syntax_errors(&apply_edits(self.text, edits), self.kind, self.path)
    }

    /// Accepts the candidates that keep the error count at the baseline,
    /// in order: all at once when they can, else each half in turn (a
    /// single candidate that adds errors is refused with its count).
    fn split<'f>(
        &mut self,
        candidates: &[(&'f Diagnostic, &'f Fix)],
        accepted: &mut Vec<Edit>,
        on: &mut dyn FnMut((&'f Diagnostic, &'f Fix), Result<(), usize>),
    ) {
        if candidates.is_empty() {
            return;
        }
        let mut trial = accepted.clone();
        trial.extend(candidates.iter().flat_map(|c| c.1.edits.iter().cloned()));
        let errors = self.errors(&trial);
        if errors <= self.baseline {
            *accepted = trial;
            candidates.iter().for_each(|c| on(*c, Ok(())));
            return;
        }
        if candidates.len() == 1 {
            on(candidates[0], Err(errors));
            return;
        }
        let (first, second) = candidates.split_at(candidates.len() / 2);
        self.split(first, accepted, on);
        self.split(second, accepted, on);
    }
}

fn applied_from(d: &Diagnostic, fix: &Fix) -> AppliedFix {
    AppliedFix {
        code: d.code,
        applicability: fix.applicability,
        description: fix.description.clone(),
        line: d.start.line,
        column: d.start.column,
    }
}

fn refusal_key(text: &str, fix: &Fix) -> RefusalKey {
    (
        fix.description.clone(),
        fix.edits
            .iter()
            .map(|e| (text[e.start..e.end].to_string(), e.replacement.clone()))
            .collect(),
    )
}

/// Edits inside the text, on character boundaries, not overlapping each other.
fn valid_edits(text: &str, edits: &[Edit]) -> bool {
    let in_bounds = edits.iter().all(|e| {
        e.start <= e.end
            && e.end <= text.len()
            && text.is_char_boundary(e.start)
            && text.is_char_boundary(e.end)
    });
    if !in_bounds {
        return false;
    }
    if edits.len() < 8 {
        return edits
            .iter()
            .enumerate()
            .all(|(i, a)| edits[i + 1..].iter().all(|b| !overlaps(a, b)));
    }
    // Many edits (one fix moving every URL of a page): sorted, each only
    // needs checking against its neighbours.
    let mut taken = Taken::default();
    edits.iter().all(|e| {
        let ok = !taken.overlaps(e);
        taken.insert(e);
        ok
    })
}

/// Two edits conflict when their ranges intersect, or when both insert at
/// the same offset (their order would be a guess).
pub fn overlaps(a: &Edit, b: &Edit) -> bool {
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    if a.start == a.end {
        return b.start < a.start && a.start < b.end;
    }
    if b.start == b.end {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Applies non-overlapping edits (any order) to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(
        text.len() + edits.iter().map(|e| e.replacement.len()).sum::<usize>(),
    );
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Syntax errors in a file's code: ERROR and MISSING nodes over all its
/// JavaScript units (the `<script>` regions of a template), or 1 for a
/// `package.json` that does not parse.
/// `path` picks the template dialect (its extra tag syntaxes), as in the linter.
pub fn syntax_errors(text: &str, kind: FileKind, path: &std::path::Path) -> usize {
    // A CR-only file is read as the linter reads it: its LF copy (the
    // grammars' automatic semicolons only know LF line breaks).
    let lf;
    let text = if crate::source::lines::LineIndex::cr_only(text) {
        lf = text.replace('\r', "\n");
        lf.as_str()
    } else {
        text
    };
    crate::parse::with_parsers(|p| match kind {
        FileKind::Script(d) => {
            let masked = crate::source::masked_script(path, text);
            p.parse_js(d, masked.as_deref().unwrap_or(text), None)
                .map_or(0, |t| count_errors(t.root_node()))
        }
        FileKind::Html => {
            let doc = html::analyze_with(text, p.html(), crate::source::template_syntax(path));
            doc.scripts
                .iter()
                .filter_map(|r| p.parse_js(r.dialect, &doc.masked, Some(r.range)))
                .map(|t| count_errors(t.root_node()))
                .sum()
        }
        FileKind::PackageJson => {
            usize::from(crate::versions::manifest::Manifest::parse(text).is_err())
        }
        // Stylesheets: the CSS grammar's errors (a fix in a `<style>` body
        // is checked through its page, which counts only script errors).
        FileKind::Css => p
            .parse_css(text, Some(crate::source::lines::whole_text_range(text)))
            .map_or(0, |t| count_errors(t.root_node())),
        // No fixes are offered in lockfiles or vendored bundles.
        // Settings files: fixes only replace a version inside a URL.
        // Server code: its rules offer no fixes.
        FileKind::Lockfile | FileKind::WidgetBundle | FileKind::Settings | FileKind::Server(_) => 0,
    })
}

fn count_errors(root: tree_sitter::Node) -> usize {
    if !root.has_error() {
        return 0;
    }
    let mut n = 0;
    crate::syntax::walk(root, |node| {
        if node.is_error() || node.is_missing() {
            n += 1;
        }
    });
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(start: usize, end: usize, r: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: r.into(),
        }
    }

    #[test]
    fn overlap_rules() {
        assert!(overlaps(&e(0, 5, ""), &e(4, 6, "")));
        assert!(!overlaps(&e(0, 5, ""), &e(5, 6, "")));
        assert!(overlaps(&e(3, 3, "a"), &e(3, 3, "b")));
        assert!(!overlaps(&e(3, 3, "a"), &e(3, 5, "b")));
        assert!(overlaps(&e(4, 4, "a"), &e(3, 5, "b")));
    }

    #[test]
    fn applies_in_any_order() {
        assert_eq!(
            apply_edits("abcdef", &[e(4, 5, "E"), e(0, 1, "A"), e(2, 2, "+")]),
            "Ab+cdEf"
        );
    }

    fn diag(start: usize, end: usize, replacement: &str) -> Diagnostic {
        use crate::diagnostic::{Position, Severity};
        let p = Position {
            line: 1,
            column: start + 1,
        };
        Diagnostic {
            code: "OIE999",
            name: "test",
            severity: Severity::Error,
            message: String::new(),
            path: "t.js".into(),
            start_byte: start,
            end_byte: end,
            start: p,
            end: p,
            fix: Some(Fix {
                applicability: Applicability::Safe,
                description: format!("put {replacement}"),
                edits: vec![e(start, end, replacement)],
            }),
            no_fix: None,
        }
    }

    fn js(text: &str) -> SourceFile {
        SourceFile {
            path: "t.js".into(),
            display: "t.js".into(),
            text: text.into(),
            kind: FileKind::Script(crate::source::Dialect::JavaScript),
        }
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped() {
        // `f(1)` → `f(1` is refused; `a` → `b` is applied; the pass then settles.
        let out = fix_with(&js("a; f(1);"), false, |f| {
            let mut r = FileReport::default();
            if f.text.starts_with('a') {
                r.diagnostics.push(diag(0, 1, "b"));
            }
            if f.text.contains("(1)") {
                r.diagnostics.push(diag(6, 7, ""));
            }
            r
        });
        assert_eq!(out.text, "b; f(1);");
        assert_eq!(out.applied.len(), 1);
        assert_eq!(out.dropped.len(), 1);
        assert!(
            out.dropped[0].reason.contains("syntax error"),
            "{}",
            out.dropped[0].reason
        );
        assert!(out.converged);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass_and_loops_are_bounded() {
        // Two fixes on the same range: one per pass.
        let out = fix_with(&js("xx"), false, |f| {
            let mut r = FileReport::default();
            if f.text.contains("xx") {
                r.diagnostics.push(diag(0, 2, "yx"));
                r.diagnostics.push(diag(1, 2, "z"));
            }
            r
        });
        assert_eq!(out.text, "yx");
        // A fix that always has more to do never converges.
        let out = fix_with(&js("a"), false, |f| {
            let mut r = FileReport::default();
            r.diagnostics.push(diag(0, 0, &"a".repeat(f.text.len())));
            r
        });
        assert!(!out.converged);
        assert_eq!(out.applied.len(), MAX_PASSES);
    }

    #[test]
    fn unsafe_fixes_need_the_flag() {
        let lint = |f: &SourceFile| {
            let mut r = FileReport::default();
            if f.text == "a" {
                let mut d = diag(0, 1, "b");
                d.fix.as_mut().unwrap().applicability = Applicability::Unsafe;
                r.diagnostics.push(d);
            }
            r
        };
        assert_eq!(fix_with(&js("a"), false, lint).text, "a");
        assert_eq!(fix_with(&js("a"), true, lint).text, "b");
    }

    #[test]
    fn counts_syntax_errors() {
        use crate::source::Dialect;
        use std::path::Path;
        assert_eq!(
            syntax_errors(
                "let a = 1;",
                FileKind::Script(Dialect::JavaScript),
                Path::new("t")
            ),
            0
        );
        assert!(
            syntax_errors(
                "let a = (1;",
                FileKind::Script(Dialect::JavaScript),
                Path::new("t")
            ) > 0
        );
        assert!(syntax_errors("<script>f(</script>", FileKind::Html, Path::new("t")) > 0);
        assert_eq!(
            syntax_errors("{}", FileKind::PackageJson, Path::new("t")),
            0
        );
        assert_eq!(syntax_errors("{", FileKind::PackageJson, Path::new("t")), 1);
    }
}
