//! `audit --baseline previous.json`: what changed since an earlier audit.
//!
//! Findings are matched by rule code, path and fingerprint (see
//! [`crate::report::fingerprint`]: the finding's normalised line text and
//! its occurrence index, never its line number), so code added above a
//! finding does not make it "new". A finding in both audits is
//! *remaining*, one only in the baseline is *fixed*, one only now is
//! *new*. A moved or renamed file counts as fixed there and new here.
//!
//! Only JSON audits with `schema_version` 2 or later carry the findings;
//! an older file is refused with a message that says so.

use super::SCHEMA_VERSION;
use crate::diagnostic::Severity;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// A finding of the baseline, as much of it as the comparison needs.
#[derive(Debug, Clone, Deserialize)]
pub struct PrevFinding {
    pub path: String,
    pub line: usize,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PrevApp {
    pub name: String,
    pub root: String,
    #[serde(default)]
    pub findings: Vec<PrevFinding>,
}

#[derive(Debug, Clone, Deserialize)]
struct PrevTool {
    version: String,
}

#[derive(Debug, Deserialize)]
struct PrevReport {
    schema_version: Option<u32>,
    tool: Option<PrevTool>,
    #[serde(default)]
    repositories: Vec<super::Repository>,
    #[serde(default)]
    apps: Vec<PrevApp>,
}

/// A loaded baseline.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The file as given.
    pub file: String,
    pub tool_version: Option<String>,
    pub repositories: Vec<super::Repository>,
    pub apps: Vec<PrevApp>,
}

/// Reads a JSON audit written by `audit --format json`.
pub fn load(path: &Path) -> Result<Baseline, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    parse(&shown, &text)
}

pub fn parse(shown: &str, text: &str) -> Result<Baseline, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{shown}: not JSON: {e}"))?;
    match v.get("schema_version").and_then(|s| s.as_u64()) {
        None => {
            return Err(format!(
                "{shown}: not an oie-lint audit with findings (no `schema_version`; audits from before schema 2 list no findings): write the baseline with `oie-lint audit --format json -o FILE`"
            ))
        }
        Some(n) if n > u64::from(SCHEMA_VERSION) => {
            return Err(format!(
                "{shown}: written with audit schema {n}; this oie-lint reads up to {SCHEMA_VERSION}"
            ))
        }
        Some(_) => {}
    }
    let prev: PrevReport =
        serde_json::from_value(v).map_err(|e| format!("{shown}: not an oie-lint audit: {e}"))?;
    debug_assert!(prev.schema_version.is_some());
    Ok(Baseline {
        file: shown.to_string(),
        tool_version: prev.tool.map(|t| t.version),
        repositories: prev.repositories,
        apps: prev.apps,
    })
}

/// Fixed / new / remaining counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub fixed: usize,
    pub new: usize,
    pub remaining: usize,
}

/// Progress of one app (current apps by their root; an app gone since the
/// baseline keeps its old name and root).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppProgress {
    pub name: String,
    pub root: String,
    /// The app's anchor in this report (`None` when it is gone).
    pub id: Option<String>,
    #[serde(flatten)]
    pub progress: Progress,
}

/// A finding of the baseline that is gone now.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixedFinding {
    /// Root of the app it was in (then).
    pub app: String,
    pub path: String,
    pub line: usize,
    pub code: String,
    pub severity: Severity,
    pub message: String,
}

/// The comparison, as the report carries it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineDiff {
    /// The baseline file as given.
    pub file: String,
    /// The oie-lint version that wrote it.
    pub tool_version: Option<String>,
    /// Its repositories (commit and date when it was written).
    pub repositories: Vec<super::Repository>,
    pub total: Progress,
    /// Every app of either audit with something to count, in report order.
    pub apps: Vec<AppProgress>,
    /// Every fixed finding, by path and line.
    pub fixed: Vec<FixedFinding>,
}

/// The state of a current finding against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    New,
    Remaining,
}

/// (code, path, fingerprint) of a finding.
type Key<'a> = (&'a str, &'a str, &'a str);

/// Compares. `current` is `(app index, code, path, fingerprint)`
/// of every finding now; `apps` is `(id, name, root)` of the current apps
/// in report order. Returns the diff and the state of each current finding.
pub fn compare(
    base: &Baseline,
    current: &[(usize, &str, &str, &str)],
    apps: &[(String, String, String)],
) -> (BaselineDiff, Vec<State>) {
    // (code, path, fingerprint) -> baseline findings still unmatched.
    let mut prev: HashMap<Key, Vec<(usize, usize)>> = HashMap::new();
    for (ai, a) in base.apps.iter().enumerate() {
        for (fi, f) in a.findings.iter().enumerate() {
            prev.entry((f.code.as_str(), f.path.as_str(), f.fingerprint.as_str()))
                .or_default()
                .push((ai, fi));
        }
    }
    let mut per_app: Vec<Progress> = vec![Progress::default(); apps.len()];
    let mut states = Vec::with_capacity(current.len());
    for &(app, code, path, fp) in current {
        let hit = prev.get_mut(&(code, path, fp)).and_then(|v| v.pop());
        let state = if hit.is_some() {
            per_app[app].remaining += 1;
            State::Remaining
        } else {
            per_app[app].new += 1;
            State::New
        };
        states.push(state);
    }
    let mut fixed: Vec<FixedFinding> = Vec::new();
    let mut gone: Vec<AppProgress> = Vec::new();
    let root_index: HashMap<&str, usize> = apps
        .iter()
        .enumerate()
        .map(|(i, (_, _, root))| (root.as_str(), i))
        .collect();
    let mut left: Vec<(usize, usize)> = prev.into_values().flatten().collect();
    left.sort_unstable();
    for (ai, fi) in left {
        let a = &base.apps[ai];
        let f = &a.findings[fi];
        match root_index.get(a.root.as_str()) {
            Some(&i) => per_app[i].fixed += 1,
            None => match gone.iter_mut().find(|g| g.root == a.root) {
                Some(g) => g.progress.fixed += 1,
                None => gone.push(AppProgress {
                    name: a.name.clone(),
                    root: a.root.clone(),
                    id: None,
                    progress: Progress {
                        fixed: 1,
                        ..Progress::default()
                    },
                }),
            },
        }
        fixed.push(FixedFinding {
            app: a.root.clone(),
            path: f.path.clone(),
            line: f.line,
            code: f.code.clone(),
            severity: f.severity,
            message: f.message.clone(),
        });
    }
    fixed.sort_by(|a, b| (&a.path, a.line, &a.code).cmp(&(&b.path, b.line, &b.code)));
    gone.sort_by(|a, b| a.root.cmp(&b.root));
    let mut rows: Vec<AppProgress> = apps
        .iter()
        .zip(per_app)
        .filter(|(_, p)| *p != Progress::default())
        .map(|((id, name, root), progress)| AppProgress {
            name: name.clone(),
            root: root.clone(),
            id: Some(id.clone()),
            progress,
        })
        .collect();
    rows.extend(gone);
    let total = rows.iter().fold(Progress::default(), |t, r| Progress {
        fixed: t.fixed + r.progress.fixed,
        new: t.new + r.progress.new,
        remaining: t.remaining + r.progress.remaining,
    });
    (
        BaselineDiff {
            file: base.file.clone(),
            tool_version: base.tool_version.clone(),
            repositories: base.repositories.clone(),
            total,
            apps: rows,
            fixed,
        },
        states,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Baseline {
        let json = r#"{"schema_version":2,"tool":{"name":"oie-lint","version":"0.1.0"},
          "apps":[
            {"name":"web","root":"web","findings":[
              {"path":"web/a.js","line":3,"code":"OIE001","severity":"error","message":"m1","fingerprint":"f1"},
              {"path":"web/a.js","line":9,"code":"OIE002","severity":"warning","message":"m2","fingerprint":"f2"}]},
            {"name":"old","root":"old","findings":[
              {"path":"old/x.js","line":1,"code":"OIE001","severity":"error","message":"m3","fingerprint":"f3"}]}
          ]}"#;
        parse("prev.json", json).unwrap()
    }

    #[test]
    fn fixed_new_remaining_per_app_and_total() {
        let apps = vec![("app-web".into(), "web".into(), "web".into())];
        let current = [
            (0, "OIE001", "web/a.js", "f1"),
            (0, "OIE003", "web/a.js", "f9"),
        ];
        let (d, states) = compare(&base(), &current, &apps);
        assert_eq!(states, [State::Remaining, State::New]);
        assert_eq!(
            d.total,
            Progress {
                fixed: 2,
                new: 1,
                remaining: 1
            }
        );
        assert_eq!(d.apps.len(), 2);
        assert_eq!(
            (d.apps[0].root.as_str(), d.apps[0].progress.fixed),
            ("web", 1)
        );
        assert_eq!(
            (d.apps[1].root.as_str(), d.apps[1].id.is_none()),
            ("old", true)
        );
        let fixed: Vec<&str> = d.fixed.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(fixed, ["old/x.js", "web/a.js"]);
    }

    #[test]
    fn old_or_foreign_files_are_refused() {
        let e = parse(
            "a.json",
            r#"{"tool":{"name":"oie-lint","version":"0.1.0"},"summary":{}}"#,
        )
        .unwrap_err();
        assert!(e.contains("no `schema_version`"), "{e}");
        let e = parse("a.json", r#"{"schema_version":99}"#).unwrap_err();
        assert!(e.contains("schema 99"), "{e}");
        assert!(parse("a.json", "[1,").unwrap_err().contains("not JSON"));
    }
}
