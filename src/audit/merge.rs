//! `audit --merge`: many JSON audits (one per repository, written by one
//! CI job each) read back and combined into one report.
//!
//! Each input is an `audit --format json` document (schema 2), read with
//! serde into the same [`Report`] model a single run builds, so the merged
//! report goes through the same renderers: status board, charts, findings
//! per app, baseline comparison, provenance. Nothing is re-checked: the
//! merge only moves, prefixes and adds up what the reports hold.
//!
//! Paths: a report whose audited path is `.` (a CI job that audits its own
//! checkout), or whose audited paths another report also audited, has all
//! its paths prefixed with its repository's name (`frontend/src/login.js`),
//! made unique (`frontend-2`) when two repositories share a name. Reports
//! that audited distinct folders (`oie-lint audit frontend`) keep theirs.
//! A merged report can be merged again: its paths are already unique.
//!
//! A file that is missing, truncated, not JSON, written by another tool or
//! with another schema version is listed under "Could not be read" with a
//! one-line reason and the merge goes on. The cost is linear in the size
//! of the reports: every step is a pass, a hash lookup or a sort.

use super::baseline::{self, Baseline};
use super::{anchor, board_order, category_rows, file_order, fix_command, Report, Unreadable};
use super::{Counts, NoFixCount, RuleRow, Summary, Tool, Verdict, SCHEMA_VERSION};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One report that went into a merge: where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The report file as given (or found in a given directory).
    pub file: String,
    /// The name its repository has in the merged report.
    pub repository: Option<String>,
    /// Commit and committer date of that repository (from the report).
    pub commit: Option<String>,
    pub date: Option<String>,
    /// The oie-lint version that wrote the report.
    pub tool_version: String,
    /// The folder its paths were put under (`None`: kept as they were).
    pub prefix: Option<String>,
}

/// The report files named by `args`: files as given, directories walked
/// (recursively) for `*.json`, in path order. A path that does not exist
/// is returned as unreadable.
pub fn inputs(args: &[PathBuf]) -> (Vec<PathBuf>, Vec<Unreadable>) {
    let mut files = Vec::new();
    let mut bad = Vec::new();
    let mut seen = HashSet::new();
    for a in args {
        if a.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![a.clone()];
            while let Some(dir) = stack.pop() {
                let entries = match std::fs::read_dir(&dir) {
                    Ok(e) => e,
                    Err(e) => {
                        bad.push(unreadable(&dir, format!("{e}")));
                        continue;
                    }
                };
                for e in entries.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "json") {
                        found.push(p);
                    }
                }
            }
            found.sort();
            for p in found {
                if seen.insert(p.clone()) {
                    files.push(p);
                }
            }
        } else if a.exists() {
            if seen.insert(a.clone()) {
                files.push(a.clone());
            }
        } else {
            bad.push(unreadable(a, "no such file or directory".into()));
        }
    }
    (files, bad)
}

fn shown(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn unreadable(p: &Path, error: String) -> Unreadable {
    Unreadable {
        path: shown(p),
        app: None,
        error,
        line: None,
        column: None,
    }
}

/// Reads one `audit --format json` report; the error is one line that
/// says why it is not one.
pub fn read(path: &Path) -> Result<Report, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    parse(&bytes)
}

/// Parses a report, or says in one line what the document is instead.
pub fn parse(bytes: &[u8]) -> Result<Report, String> {
    let err = match serde_json::from_slice::<Report>(bytes) {
        Ok(r) => {
            if r.tool.name != "oie-lint" {
                return Err(format!(
                    "written by `{}`, not oie-lint: not an audit report",
                    r.tool.name
                ));
            }
            if r.schema_version != SCHEMA_VERSION {
                return Err(format!(
                    "audit schema {}; this oie-lint reads schema {SCHEMA_VERSION}",
                    r.schema_version
                ));
            }
            return Ok(r);
        }
        Err(e) => e,
    };
    let v: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) if e.is_eof() => {
            return Err(format!(
            "truncated: the JSON ends at line {} column {} (an interrupted upload or a full disk?)",
            e.line(),
            e.column()
        ))
        }
        Err(e) => return Err(format!("not JSON: {e}")),
    };
    let tool = v.pointer("/tool/name").and_then(|t| t.as_str());
    match tool {
        Some("oie-lint") => {}
        Some(other) => {
            return Err(format!(
                "written by `{other}`, not oie-lint: not an audit report"
            ))
        }
        None => {
            return Err(
                "not an oie-lint audit report (no `tool`): write one with `oie-lint audit --format json -o FILE`"
                    .into(),
            )
        }
    }
    if v.get("summary").is_none() {
        return Err("an oie-lint document but not an audit report (no `summary`): write one with `oie-lint audit --format json -o FILE`".into());
    }
    match v.get("schema_version").and_then(|s| s.as_u64()) {
        None => Err(format!(
            "audit schema 1 (no `schema_version`, an oie-lint release before 2) lists no findings per app; audit that repository again with this oie-lint (schema {SCHEMA_VERSION})"
        )),
        Some(n) if n != u64::from(SCHEMA_VERSION) => Err(format!(
            "audit schema {n}; this oie-lint reads schema {SCHEMA_VERSION}"
        )),
        Some(_) => Err(format!("not a valid audit report (schema {SCHEMA_VERSION}): {err}")),
    }
}

/// Reads every file (in parallel) and merges what could be read; the rest
/// joins `bad` under "Could not be read".
pub fn read_and_merge(
    files: &[PathBuf],
    mut bad: Vec<Unreadable>,
    base: Option<Baseline>,
) -> Report {
    let read: Vec<(String, Result<Report, String>)> =
        files.par_iter().map(|p| (shown(p), read(p))).collect();
    let mut ok = Vec::with_capacity(read.len());
    for (file, r) in read {
        match r {
            Ok(r) => ok.push((file, r)),
            Err(e) => bad.push(Unreadable {
                path: file,
                app: None,
                error: e,
                line: None,
                column: None,
            }),
        }
    }
    merge(ok, bad, base)
}

/// `p` under `prefix`: `.` becomes the prefix, absolute paths stay.
fn under(prefix: &str, p: &str) -> String {
    if p.is_empty() || p == "." {
        prefix.to_string()
    } else if p.starts_with('/') || p.as_bytes().get(1) == Some(&b':') {
        p.to_string()
    } else {
        format!("{prefix}/{}", p.trim_start_matches("./"))
    }
}

/// Puts every path of `r` under `prefix`.
fn prefix_report(r: &mut Report, prefix: &str) {
    let pre = |p: &mut String| *p = under(prefix, p);
    r.paths.iter_mut().for_each(pre);
    for repo in &mut r.repositories {
        pre(&mut repo.root);
    }
    let pre_use = |u: &mut crate::versions::inventory::Use| {
        pre(&mut u.path);
        u.governs.iter_mut().for_each(pre);
        // `package-lock.json:161` is a place; `range`, `cdn`, `bundle` are not.
        if let Some(f) = &mut u.resolved_from {
            let place = f
                .rsplit_once(':')
                .is_some_and(|(p, l)| !p.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
            if place {
                pre(f);
            }
        }
    };
    for a in &mut r.apps {
        pre(&mut a.root);
        if let Some(w) = &mut a.workspace {
            pre(w);
        }
        a.packages.iter_mut().for_each(pre_use);
        a.hosted_pages.iter_mut().for_each(pre);
        a.embedded_widgets.iter_mut().for_each(pre);
        for f in &mut a.findings {
            pre(&mut f.path);
            f.command = fix_command(f.fix, &f.code, &f.path);
        }
    }
    r.packages.iter_mut().for_each(pre_use);
    for p in r.pages.hosted.iter_mut().chain(r.pages.embedded.iter_mut()) {
        pre(&mut p.path);
    }
    for f in &mut r.files {
        pre(&mut f.path);
        if let Some(a) = &mut f.app {
            pre(a);
        }
    }
    for u in &mut r.unreadable {
        pre(&mut u.path);
        if let Some(a) = &mut u.app {
            pre(a);
        }
    }
}

/// A folder name made of one path component.
fn label_of(r: &Report, file: &str) -> String {
    let name = r
        .repositories
        .first()
        .map(|x| x.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let clean: String = name
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '-' } else { c })
        .collect();
    match clean.as_str() {
        "" | "." | ".." => "report".into(),
        _ => clean,
    }
}

/// The first component of a relative path.
fn top(p: &str) -> Option<&str> {
    if p.starts_with('/') || p == "." || p.is_empty() {
        return None;
    }
    p.trim_start_matches("./").split('/').next()
}

/// Merges `reports` (file shown, report) in the order given; `bad` are the
/// inputs that could not be read. With `base`, findings are compared with
/// an earlier (merged or single) JSON audit.
pub fn merge(
    mut reports: Vec<(String, Report)>,
    mut bad: Vec<Unreadable>,
    base: Option<Baseline>,
) -> Report {
    // Which reports need a prefix: audited `.`, or a path another audited.
    let mut path_count: HashMap<String, usize> = HashMap::new();
    for (_, r) in &reports {
        if r.sources.is_empty() {
            for p in r.paths.iter().collect::<BTreeSet<_>>() {
                *path_count.entry(p.clone()).or_insert(0) += 1;
            }
        }
    }
    let needs: Vec<bool> = reports
        .iter()
        .map(|(_, r)| {
            r.sources.is_empty()
                && (r.paths.is_empty()
                    || r.paths
                        .iter()
                        .any(|p| top(p).is_none() || path_count.get(p).copied().unwrap_or(0) > 1))
        })
        .collect();
    // Folder names already in use by reports that keep their paths.
    let mut taken: HashSet<String> = HashSet::new();
    for ((_, r), &n) in reports.iter().zip(&needs) {
        if !n {
            for p in &r.paths {
                if let Some(t) = top(p) {
                    taken.insert(t.to_string());
                }
            }
        }
    }

    let mut sources = Vec::new();
    let mut paths = Vec::new();
    let mut config_files: Vec<String> = Vec::new();
    let mut config = None;
    let mut repositories = Vec::new();
    let mut apps = Vec::new();
    let mut packages = Vec::new();
    let mut pages = super::Pages::default();
    let mut files = Vec::new();
    let mut rules: BTreeMap<String, RuleRow> = BTreeMap::new();
    let mut no_fix: BTreeMap<String, usize> = BTreeMap::new();
    let mut sum = Summary {
        verdict: Verdict::Ready,
        files_checked: 0,
        files_with_findings: 0,
        findings: 0,
        errors: 0,
        warnings: 0,
        blocking_issues: 0,
        fixable: 0,
        unsafe_fixable: 0,
        no_fix_reasons: Vec::new(),
        packages_blocking: 0,
        packages_warning: 0,
        packages_ready: 0,
        packages_unknown: 0,
        hosted_pages: 0,
        embedded_widgets: 0,
        unreadable: 0,
        apps: 0,
        apps_blocked: 0,
        apps_needs_review: 0,
        apps_ready: 0,
    };
    for ((file, mut r), need) in reports.drain(..).zip(needs) {
        let prefix = need.then(|| {
            let base = label_of(&r, &file);
            let mut label = base.clone();
            let mut n = 2;
            while !taken.insert(label.clone()) {
                label = format!("{base}-{n}");
                n += 1;
            }
            label
        });
        if let Some(p) = &prefix {
            prefix_report(&mut r, p);
            // The repository takes the (unique) folder name.
            if let Some(first) = r.repositories.first_mut() {
                if first.name != *p {
                    let old = std::mem::replace(&mut first.name, p.clone());
                    for a in &mut r.apps {
                        if a.repository.as_deref() == Some(old.as_str()) {
                            a.repository = Some(p.clone());
                        }
                    }
                }
            }
        }
        if r.sources.is_empty() {
            let repo = r.repositories.first();
            sources.push(Source {
                file,
                repository: repo.map(|x| x.name.clone()),
                commit: repo.and_then(|x| x.commit.clone()),
                date: repo.and_then(|x| x.date.clone()),
                tool_version: r.tool.version.clone(),
                prefix,
            });
        } else {
            sources.append(&mut r.sources);
        }
        paths.append(&mut r.paths);
        if let Some(c) = r.config_file.take() {
            if !config_files.contains(&c) {
                config_files.push(c);
            }
        }
        config.get_or_insert(r.config);
        repositories.append(&mut r.repositories);
        for mut a in r.apps.drain(..) {
            a.progress = None;
            for f in &mut a.findings {
                f.baseline = None;
            }
            apps.push(a);
        }
        packages.append(&mut r.packages);
        pages.hosted.append(&mut r.pages.hosted);
        pages.embedded.append(&mut r.pages.embedded);
        files.append(&mut r.files);
        for x in r.rules {
            match rules.get_mut(&x.code) {
                Some(row) => {
                    row.count += x.count;
                    row.errors += x.errors;
                    row.warnings += x.warnings;
                    row.fixable += x.fixable;
                    row.unsafe_fixable += x.unsafe_fixable;
                }
                None => {
                    rules.insert(x.code.clone(), x);
                }
            }
        }
        bad.append(&mut r.unreadable);
        let s = r.summary;
        for c in s.no_fix_reasons {
            *no_fix.entry(c.code).or_insert(0) += c.findings;
        }
        sum.files_checked += s.files_checked;
        sum.files_with_findings += s.files_with_findings;
        sum.findings += s.findings;
        sum.errors += s.errors;
        sum.warnings += s.warnings;
        sum.blocking_issues += s.blocking_issues;
        sum.fixable += s.fixable;
        sum.unsafe_fixable += s.unsafe_fixable;
        sum.packages_blocking += s.packages_blocking;
        sum.packages_warning += s.packages_warning;
        sum.packages_ready += s.packages_ready;
        sum.packages_unknown += s.packages_unknown;
    }

    // Anchors unique across the merged report.
    let mut ids = BTreeSet::new();
    for a in &mut apps {
        a.id = anchor(&a.root, &mut ids);
    }
    apps.sort_by(board_order);
    packages.sort_by(|a, b| {
        (&a.package, &a.path, a.line, a.kind).cmp(&(&b.package, &b.path, b.line, b.kind))
    });
    pages.hosted.sort_by(|a, b| a.path.cmp(&b.path));
    pages.embedded.sort_by(|a, b| a.path.cmp(&b.path));
    files.sort_by(file_order);
    bad.sort_by(|a, b| a.path.cmp(&b.path));
    let mut rules: Vec<RuleRow> = rules.into_values().collect();
    rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    let categories = category_rows(&rules);
    let mut no_fix: Vec<NoFixCount> = no_fix
        .into_iter()
        .map(|(code, findings)| NoFixCount { code, findings })
        .collect();
    no_fix.sort_by_key(|c| std::cmp::Reverse(c.findings));

    let baseline = base.map(|base| {
        let current: Vec<(usize, &str, &str, &str)> = apps
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                a.findings
                    .iter()
                    .map(move |f| (i, f.code.as_str(), f.path.as_str(), f.fingerprint.as_str()))
            })
            .collect();
        let keys: Vec<(String, String, String)> = apps
            .iter()
            .map(|a| (a.id.clone(), a.name.clone(), a.root.clone()))
            .collect();
        let (diff, states) = baseline::compare(&base, &current, &keys);
        let mut states = states.into_iter();
        for a in &mut apps {
            for f in &mut a.findings {
                f.baseline = states.next();
            }
        }
        let by_id: HashMap<&str, super::Progress> = diff
            .apps
            .iter()
            .filter_map(|row| Some((row.id.as_deref()?, row.progress)))
            .collect();
        for a in &mut apps {
            a.progress = Some(by_id.get(a.id.as_str()).copied().unwrap_or_default());
        }
        diff
    });

    let total = Counts {
        errors: sum.errors,
        warnings: sum.warnings,
        packages_blocking: sum.packages_blocking,
        packages_warning: sum.packages_warning,
        ..Counts::default()
    };
    sum.verdict = total.verdict();
    sum.no_fix_reasons = no_fix;
    sum.hosted_pages = pages.hosted.len();
    sum.embedded_widgets = pages.embedded.len();
    sum.unreadable = bad.len();
    sum.apps = apps.len();
    let by_verdict = |v: Verdict| apps.iter().filter(|a| a.verdict == v).count();
    sum.apps_blocked = by_verdict(Verdict::Blocked);
    sum.apps_needs_review = by_verdict(Verdict::NeedsReview);
    sum.apps_ready = by_verdict(Verdict::Ready);
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        paths,
        config_file: (!config_files.is_empty()).then(|| config_files.join(", ")),
        config: config.unwrap_or_default(),
        repositories,
        summary: sum,
        apps,
        packages,
        pages,
        rules,
        categories,
        files,
        unreadable: bad,
        baseline,
        checklist: super::checklist(),
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_go_under_the_prefix() {
        assert_eq!(under("web", "."), "web");
        assert_eq!(under("web", ""), "web");
        assert_eq!(under("web", "src/a.js"), "web/src/a.js");
        assert_eq!(under("web", "./src/a.js"), "web/src/a.js");
        assert_eq!(under("web", "/abs/repo"), "/abs/repo");
        assert_eq!(under("web", "C:/repo"), "C:/repo");
        assert_eq!(top("web/src"), Some("web"));
        assert_eq!(top("."), None);
    }

    #[test]
    fn what_is_not_a_report_says_why() {
        let e = |s: &str| parse(s.as_bytes()).unwrap_err();
        assert!(e("{\"schema_version\": 2, \"tool\"").starts_with("truncated"));
        assert!(e("<html>").starts_with("not JSON"));
        assert!(e("[]").contains("no `tool`"));
        assert!(e(r#"{"tool":{"name":"semgrep"}}"#).contains("`semgrep`"));
        assert!(e(r#"{"tool":{"name":"oie-lint"},"rules":[]}"#).contains("no `summary`"));
        assert!(e(r#"{"tool":{"name":"oie-lint"},"summary":{}}"#).contains("schema 1"));
        assert!(
            e(r#"{"schema_version":3,"tool":{"name":"oie-lint"},"summary":{}}"#)
                .contains("audit schema 3")
        );
        assert!(
            e(r#"{"schema_version":2,"tool":{"name":"oie-lint"},"summary":{}}"#)
                .starts_with("not a valid audit report")
        );
    }
}
