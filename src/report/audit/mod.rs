//! `oie-lint audit`: the migration-readiness report for a whole repository.
//!
//! [`Report`] is built from what other commands already compute: the
//! `check` [`Run`] (findings and the fixes attached to them), the
//! `versions` inventory ([`Use`]) and the hosted/embedded scan
//! ([`pages`]). It is serialised as is for `--format json` and rendered by
//! [`markdown`] and [`html`]. Everything in it is sorted; it carries no
//! timestamps, so the same repository gives the same report.

pub mod html;
pub mod markdown;
pub mod pages;

use super::statistics;
use super::Run;
use crate::diagnostic::{Applicability, Severity};
use crate::versions::inventory::{Status, Use};
use serde::Serialize;
use std::collections::BTreeMap;

pub use pages::{Pages, WidgetPage};

/// The whole report (also the JSON document).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The tool that wrote it.
    pub tool: Tool,
    /// The paths audited, as given (`.` by default).
    pub paths: Vec<String>,
    /// The config file used, if any (relative display path).
    pub config_file: Option<String>,
    pub summary: Summary,
    /// Every Okta package use (the rows of `oie-lint versions`).
    pub packages: Vec<Use>,
    pub pages: Pages,
    /// One row per rule that fired, most frequent first.
    pub rules: Vec<RuleRow>,
    /// One row per file with findings, worst first.
    pub files: Vec<FileRow>,
    /// Paths that could not be read or checked.
    pub unreadable: Vec<Unreadable>,
    /// Okta admin steps the code cannot show.
    pub checklist: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// How ready the code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Error-level findings or package versions below the minimum: this
    /// breaks under OIE.
    Blocked,
    /// Only warnings, or package versions below the recommended line.
    NeedsReview,
    /// Nothing found in the code (the admin checklist still applies).
    Ready,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Blocked => "Not ready",
            Verdict::NeedsReview => "Needs review",
            Verdict::Ready => "Ready in code",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub verdict: Verdict,
    pub files_checked: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Error-level findings (each breaks under Identity Engine). Package
    /// uses below the minimum version are counted in `packages_blocking`.
    pub blocking_issues: usize,
    /// Findings `check --fix` resolves.
    pub fixable: usize,
    /// Findings only `check --unsafe-fixes` resolves (review the result).
    pub unsafe_fixable: usize,
    /// Package uses by status.
    pub packages_blocking: usize,
    pub packages_warning: usize,
    pub packages_ready: usize,
    pub packages_unknown: usize,
    pub hosted_pages: usize,
    pub embedded_widgets: usize,
    pub unreadable: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// The rule's documentation link.
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub path: String,
    pub worst: Severity,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// The codes of the rules that fired here, sorted.
    pub rules: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unreadable {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    /// A stable id (`enable-oie`, `grant-auth-server`, …).
    pub id: &'static str,
    pub title: &'static str,
    /// What to do, in one paragraph (Markdown-style backticks for code).
    pub steps: &'static str,
    /// How oie-lint helps, if it can.
    pub verify: Option<&'static str>,
    /// Okta documentation, most specific first.
    pub docs: Vec<&'static str>,
}

pub const MIGRATE_GUIDE: &str = "https://developer.okta.com/docs/guides/migrate-to-oie/main/";
pub const UPGRADE_WIDGET_GUIDE: &str =
    "https://developer.okta.com/docs/guides/oie-upgrade-sign-in-widget/main/";
pub const CUSTOM_WIDGET_GUIDE: &str = "https://developer.okta.com/docs/guides/custom-widget/main/";
pub const ROLLOUT_GUIDE: &str =
    "https://developer.okta.com/docs/guides/oie-upgrade-rollout-plan/main/";
pub const TEST_GUIDE: &str =
    "https://developer.okta.com/docs/guides/oie-upgrade-test-widget-custom/main/";

/// The Okta admin steps (Okta's "Migrate to Okta Identity Engine" guide).
pub fn checklist() -> Vec<ChecklistItem> {
    vec![
        ChecklistItem {
            id: "enable-oie",
            title: "Enable Identity Engine for the org",
            steps: "Okta upgrades the org on request (your account manager, or oie@okta.com); upgrade a preview/sandbox org first. An org is on Identity Engine when `GET https://<org>/.well-known/okta-organization` returns `\"pipeline\": \"idx\"` (`\"v1\"` is Classic Engine).",
            verify: Some("`oie-lint org --org-url https://<org>` checks the pipeline (OIE101)."),
            docs: vec![MIGRATE_GUIDE],
        },
        ChecklistItem {
            id: "grant-auth-server",
            title: "Enable the Interaction Code grant on the authorization server",
            steps: "Admin Console: Security > API > Authorization Servers, choose the server, Access Policies tab, edit the policy rule (e.g. Default Policy Rule) and tick **Interaction Code** under \"IF Grant type is\". (API: the rule's `conditions.grantTypes.include` contains `interaction_code`.)",
            verify: Some("`oie-lint org --org-url https://<org>` checks every policy rule (OIE102); `oie-lint check --org-url … PATHS` checks the servers the code names."),
            docs: vec![MIGRATE_GUIDE, UPGRADE_WIDGET_GUIDE],
        },
        ChecklistItem {
            id: "grant-app",
            title: "Enable the Interaction Code grant on each app",
            steps: "Admin Console: Applications > Applications, choose the app, General tab, edit General Settings and tick **Interaction Code** under \"Allowed grant types\". Do it for every OAuth client the embedded widgets and direct-authentication code use. (API: the app's `settings.oauthClient.grant_types` contains `interaction_code`.)",
            verify: Some("`oie-lint org --org-url https://<org>` checks the apps (OIE103); `oie-lint check --org-url … PATHS` checks the client IDs the code uses."),
            docs: vec![MIGRATE_GUIDE, UPGRADE_WIDGET_GUIDE],
        },
        ChecklistItem {
            id: "hosted-page",
            title: "Review the customised sign-in page stored in the org",
            steps: "A customised Okta-hosted sign-in page (Customizations > Brands > Sign-in page, or a custom domain) lives in the org, not in this repository. Templates that redirect or set cookies (`setCookieAndRedirect`, `sessionToken`) break under Identity Engine; pass `OktaUtil.completeLogin` as the `renderEl` success callback, and use a widget version of 5.11.0 or later.",
            verify: Some("`oie-lint org --org-url https://<org> --pull okta-pages/` saves each brand's page (OIE104 checks its widget version); then `oie-lint check okta-pages/`."),
            docs: vec![CUSTOM_WIDGET_GUIDE, MIGRATE_GUIDE],
        },
        ChecklistItem {
            id: "test-plan",
            title: "Test sign-in end to end before the production upgrade",
            steps: "In the upgraded preview org, exercise every sign-in path the code has: each hosted page and embedded widget listed above, MFA enrollment and challenge, password recovery and unlock, self-service registration, social/IdP sign-in, sign-out and session renewal; then plan the production rollout.",
            verify: None,
            docs: vec![TEST_GUIDE, ROLLOUT_GUIDE],
        },
    ]
}

/// Builds the report. `run` is sorted (as `check` returns it); `uses` is
/// the inventory of the same files.
pub fn build(
    paths: Vec<String>,
    config_file: Option<String>,
    run: &Run,
    uses: Vec<Use>,
    pages: Pages,
) -> Report {
    let rules = rule_rows(run);
    let files = file_rows(run);
    let count = |s: Severity| run.count(s);
    let pkg = |s: Status| uses.iter().filter(|u| u.status == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let packages_blocking = pkg(Status::Blocking);
    let packages_warning = pkg(Status::Warning);
    let verdict = if errors > 0 || packages_blocking > 0 {
        Verdict::Blocked
    } else if warnings > 0 || packages_warning > 0 {
        Verdict::NeedsReview
    } else {
        Verdict::Ready
    };
    let unreadable: Vec<Unreadable> = run
        .errors
        .iter()
        .map(|(path, error)| Unreadable {
            path: path.clone(),
            error: error.clone(),
        })
        .collect();
    let summary = Summary {
        verdict,
        files_checked: run.files_checked,
        files_with_findings: files.len(),
        findings: run.diagnostics.len(),
        errors,
        warnings,
        blocking_issues: errors,
        fixable: rules.iter().map(|r| r.fixable).sum(),
        unsafe_fixable: rules.iter().map(|r| r.unsafe_fixable).sum(),
        packages_blocking,
        packages_warning,
        packages_ready: pkg(Status::Ready),
        packages_unknown: pkg(Status::Unknown),
        hosted_pages: pages.hosted.len(),
        embedded_widgets: pages.embedded.len(),
        unreadable: unreadable.len(),
    };
    Report {
        tool: Tool {
            name: "oie-lint",
            version: env!("CARGO_PKG_VERSION"),
        },
        paths,
        config_file,
        summary,
        packages: uses,
        pages,
        rules,
        files,
        unreadable,
        checklist: checklist(),
    }
}

/// Per rule: `check --statistics`'s counts plus errors/warnings and the docs link.
fn rule_rows(run: &Run) -> Vec<RuleRow> {
    statistics::collect(run)
        .into_iter()
        .map(|r| {
            let sev = |s: Severity| {
                run.diagnostics
                    .iter()
                    .filter(|d| d.code == r.code && d.severity == s)
                    .count()
            };
            RuleRow {
                code: r.code,
                name: r.name,
                count: r.count,
                errors: sev(Severity::Error),
                warnings: sev(Severity::Warning),
                fixable: r.fixable,
                unsafe_fixable: r.unsafe_fixable,
                url: crate::rules::docs_url(r.code, r.name),
            }
        })
        .collect()
}

/// Per file, worst first: errors before warnings-only files, then more
/// errors, more warnings, then by path.
fn file_rows(run: &Run) -> Vec<FileRow> {
    let mut by_path: BTreeMap<&str, FileRow> = BTreeMap::new();
    for d in &run.diagnostics {
        let row = by_path.entry(d.path.as_str()).or_insert_with(|| FileRow {
            path: d.path.clone(),
            worst: Severity::Warning,
            count: 0,
            errors: 0,
            warnings: 0,
            fixable: 0,
            unsafe_fixable: 0,
            rules: Vec::new(),
        });
        row.count += 1;
        row.worst = row.worst.max(d.severity);
        match d.severity {
            Severity::Error => row.errors += 1,
            Severity::Warning => row.warnings += 1,
        }
        match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => row.fixable += 1,
            Some(Applicability::Unsafe) => row.unsafe_fixable += 1,
            None => {}
        }
        if !row.rules.contains(&d.code) {
            row.rules.push(d.code);
        }
    }
    let mut rows: Vec<FileRow> = by_path.into_values().collect();
    for r in &mut rows {
        r.rules.sort_unstable();
    }
    rows.sort_by(|a, b| {
        b.worst
            .cmp(&a.worst)
            .then(b.errors.cmp(&a.errors))
            .then(b.warnings.cmp(&a.warnings))
            .then(a.path.cmp(&b.path))
    });
    rows
}

/// The one-line summary printed to stderr after the report is written.
/// The summary table, shared by the Markdown and HTML renderers. Labels
/// mark code with Markdown code spans (`` `--fix` ``).
pub fn summary_rows(r: &Report) -> Vec<(&'static str, String)> {
    let s = &r.summary;
    vec![
        ("Files checked", s.files_checked.to_string()),
        ("Files with findings", s.files_with_findings.to_string()),
        ("Errors", s.errors.to_string()),
        ("Warnings", s.warnings.to_string()),
        ("Fixable with `oie-lint check --fix`", s.fixable.to_string()),
        (
            "Fixable only with `--unsafe-fixes` (review)",
            s.unsafe_fixable.to_string(),
        ),
        ("Okta package uses", r.packages.len().to_string()),
        (
            "Package uses blocking / warning / ready / unknown",
            format!(
                "{} / {} / {} / {}",
                s.packages_blocking, s.packages_warning, s.packages_ready, s.packages_unknown
            ),
        ),
        ("Okta-hosted templates", s.hosted_pages.to_string()),
        ("Embedded Sign-In Widgets", s.embedded_widgets.to_string()),
        ("Paths that could not be read", s.unreadable.to_string()),
    ]
}

pub fn summary_line(r: &Report) -> String {
    let s = &r.summary;
    format!(
        "{}: {} blocking {} ({} and {} in {}; {} checked).",
        s.verdict.label(),
        s.blocking_issues,
        if s.blocking_issues == 1 {
            "issue"
        } else {
            "issues"
        },
        super::plural(s.errors, "error"),
        super::plural(s.warnings, "warning"),
        super::plural(s.files_with_findings, "file"),
        super::plural(s.files_checked, "file"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    fn diag(
        path: &str,
        code: &'static str,
        sev: Severity,
        fix: Option<Applicability>,
    ) -> Diagnostic {
        Diagnostic::for_test(path, code, sev, fix)
    }

    #[test]
    fn files_worst_first_and_verdicts() {
        let run = Run {
            diagnostics: vec![
                diag("a.js", "OIE002", Severity::Warning, None),
                diag("b.js", "OIE003", Severity::Error, Some(Applicability::Safe)),
                diag(
                    "b.js",
                    "OIE001",
                    Severity::Error,
                    Some(Applicability::Unsafe),
                ),
                diag("c.js", "OIE002", Severity::Warning, None),
                diag("c.js", "OIE002", Severity::Warning, None),
            ],
            files_checked: 4,
            ..Run::default()
        };
        let r = build(vec![".".into()], None, &run, vec![], Pages::default());
        let order: Vec<_> = r.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(order, ["b.js", "c.js", "a.js"]);
        assert_eq!(r.files[0].rules, ["OIE001", "OIE003"]);
        assert_eq!((r.files[0].fixable, r.files[0].unsafe_fixable), (1, 1));
        assert_eq!(r.summary.verdict, Verdict::Blocked);
        assert_eq!(r.summary.blocking_issues, 2);
        assert_eq!(Verdict::Blocked.label(), "Not ready");
        assert_eq!((r.summary.fixable, r.summary.unsafe_fixable), (1, 1));
        let warn_only = Run {
            diagnostics: vec![diag("a.js", "OIE002", Severity::Warning, None)],
            ..Run::default()
        };
        let r = build(vec![], None, &warn_only, vec![], Pages::default());
        assert_eq!(r.summary.verdict, Verdict::NeedsReview);
        let r = build(vec![], None, &Run::default(), vec![], Pages::default());
        assert_eq!(r.summary.verdict, Verdict::Ready);
    }

    #[test]
    fn checklist_items_link_to_okta_docs() {
        let items = checklist();
        assert!(items.len() >= 5);
        for i in &items {
            assert!(!i.docs.is_empty(), "{}", i.id);
            assert!(i
                .docs
                .iter()
                .all(|d| d.starts_with("https://developer.okta.com/docs/guides/")));
        }
    }
}
