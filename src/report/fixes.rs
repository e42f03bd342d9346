//! What a run says about fixes: the summary sentence, `--show-fixes` lines
//! and the warnings about refused fixes. Reads the plain [`FileFixes`]
//! records the fix engine leaves in the [`Run`].
//!
//! [`FileFixes`]: crate::diagnostic::FileFixes

use super::{plural, Run};
use crate::diagnostic::Applicability;
use crate::fix::{FixMode, MAX_PASSES};

/// Findings of the run whose fix this mode would not apply.
fn fixable(run: &Run) -> (usize, usize) {
    let safe = run
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
        })
        .count();
    let unsafe_ = run
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Unsafe)
        })
        .count();
    (safe, unsafe_)
}

/// The sentence the summary line gains about fixes. `unsafe_available`:
/// `--unsafe-fixes` was given, so a report-only run counts unsafe fixes as
/// fixable with `--fix` (ruff's wording).
pub fn summary(run: &Run, mode: Option<FixMode>, unsafe_available: bool) -> String {
    let (safe, unsafe_) = fixable(run);
    let (safe, unsafe_) = if unsafe_available && mode.is_none() {
        (safe + unsafe_, 0)
    } else {
        (safe, unsafe_)
    };
    let fixed: usize = run.fixes.iter().map(|f| f.applied.len()).sum();
    let files = run.fixes.iter().filter(|f| !f.applied.is_empty()).count();
    match mode {
        None => match (safe, unsafe_) {
            (0, 0) => String::new(),
            (s, 0) => format!(" {s} fixable with `--fix`."),
            (0, u) => format!(" {u} fixable with `--unsafe-fixes`."),
            (s, u) => format!(" {s} fixable with `--fix` ({u} more with `--unsafe-fixes`)."),
        },
        Some(m) => {
            let verb = if m.diff { "Would fix" } else { "Fixed" };
            let mut s = format!(
                " {verb} {} in {}.",
                plural(fixed, "finding"),
                plural(files, "file")
            );
            // Without --unsafe-fixes no unsafe fix was applied, so every
            // unsafe fix still on a finding is one more.
            if unsafe_ > 0 && !m.unsafe_fixes {
                s.push_str(&format!(" {unsafe_} more fixable with `--unsafe-fixes`."));
            }
            s
        }
    }
}

/// `--show-fixes`: one line per applied fix, then the problems.
pub fn render_fixes(
    run: &Run,
    mode: Option<FixMode>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let verb = if mode.is_some_and(|m| m.diff) {
        "Would fix"
    } else {
        "Fixed"
    };
    for f in &run.fixes {
        for a in &f.applied {
            let safety = match a.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            };
            writeln!(
                w,
                "{verb} {}:{}:{}: {} [{}] {}",
                f.path, a.line, a.column, a.code, safety, a.description
            )?;
        }
    }
    Ok(())
}

/// Warnings about fixes that were refused or passes that did not settle.
pub fn problems(run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    for f in &run.fixes {
        for d in &f.dropped {
            out.push(format!(
                "warning: {}: fix for {} not applied ({}): {}",
                f.path, d.code, d.description, d.reason
            ));
        }
        if !f.converged {
            out.push(format!(
                "warning: {}: fixes did not converge after {} passes; review the result",
                f.path, MAX_PASSES
            ));
        }
    }
    out
}
