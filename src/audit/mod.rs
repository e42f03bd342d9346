//! `oie-lint audit`: the migration-readiness report for many apps at once.
//!
//! A layer of its own above the reporters: it reads files and runs git
//! (app layout, page scan, provenance), builds the report model, and renders
//! it (Markdown, HTML, JSON).
//!
//! [`Report`] is built from what other commands already compute, passed
//! in as plain data ([`Inputs`]): the `check` [`Run`] (findings and the
//! fixes attached to them), the `versions` inventory ([`Use`]), the
//! hosted/embedded scan ([`pages`]), the app [`apps::Layout`] and the
//! repositories' git facts ([`provenance`]). It is serialised as is for
//! `--format json` (schema [`SCHEMA_VERSION`], documented in `docs/audit.md`)
//! and rendered by [`markdown`] and [`html`]. Everything in it is sorted;
//! it carries no timestamp of its own (dates come from git), so the same
//! checkout gives the same report.

pub mod apps;
pub mod baseline;
pub mod charts;
pub mod document;
pub mod html;
pub mod markdown;
pub mod markup;
pub mod merge;
pub mod pages;
pub mod provenance;

use crate::diagnostic::{Applicability, Severity};
use crate::report::statistics;
use crate::report::Run;
use crate::versions::inventory::{Status, Use, UseKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use apps::AppKind;
pub use baseline::{BaselineDiff, Progress, State};
pub use pages::{Pages, WidgetPage};
pub use provenance::Repository;

/// Version of the JSON document's shape. Bumped when a field is removed
/// or changes meaning; new fields may appear within a version.
/// 1: the single-repository report (no `schema_version` field).
/// 2: apps, every finding, repositories, config, baseline.
pub const SCHEMA_VERSION: u32 = 2;

/// The whole report (also the JSON document).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The paths audited, as given (`.` by default).
    pub paths: Vec<String>,
    /// The config file used, if any (relative display path).
    pub config_file: Option<String>,
    /// The settings in effect.
    pub config: ConfigInfo,
    /// Each audited repository: git checkouts, and audited folders when
    /// several were given.
    pub repositories: Vec<Repository>,
    pub summary: Summary,
    /// One entry per app, worst first (the status board).
    pub apps: Vec<App>,
    /// Every Okta package use (the rows of `oie-lint versions`).
    pub packages: Vec<Use>,
    pub pages: Pages,
    /// One row per rule that fired, most frequent first.
    pub rules: Vec<RuleRow>,
    /// Findings per rule category (empty when no rule has one).
    pub categories: Vec<CategoryRow>,
    /// One row per file with findings, worst first.
    pub files: Vec<FileRow>,
    /// Paths that could not be read or checked.
    pub unreadable: Vec<Unreadable>,
    /// The comparison with `--baseline`, when given.
    pub baseline: Option<BaselineDiff>,
    /// With `--merge`: each report merged, with its repository and commit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<merge::Source>,
    /// Okta admin steps the code cannot show (this oie-lint's list when
    /// a report is read back).
    #[serde(skip_deserializing, default = "checklist")]
    pub checklist: Vec<ChecklistItem>,
}

/// The settings the audit ran with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConfigInfo {
    /// `--select` and `--ignore` as given on the command line.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Codes of the rules enabled for at least one file.
    pub rules_enabled: Vec<String>,
    pub min_widget_version: String,
    pub recommended_widget_version: String,
}

/// Everything [`build`] needs, as plain data.
pub struct Inputs<'a> {
    pub paths: Vec<String>,
    pub config_file: Option<String>,
    pub config: ConfigInfo,
    pub run: &'a Run,
    pub uses: Vec<Use>,
    pub pages: Pages,
    pub layout: apps::Layout,
    pub repositories: Vec<Repository>,
    pub baseline: Option<baseline::Baseline>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    /// This build of oie-lint, as reports name their author.
    pub fn this() -> Tool {
        Tool {
            name: "oie-lint".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// How ready the code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Findings that could have a fix and have none, by `no_fix_reason`
    /// code (`no-client-id`, …), most frequent first.
    pub no_fix_reasons: Vec<NoFixCount>,
    /// Package uses by status.
    pub packages_blocking: usize,
    pub packages_warning: usize,
    pub packages_ready: usize,
    pub packages_unknown: usize,
    pub hosted_pages: usize,
    pub embedded_widgets: usize,
    pub unreadable: usize,
    /// Apps, and apps by verdict.
    pub apps: usize,
    pub apps_blocked: usize,
    pub apps_needs_review: usize,
    pub apps_ready: usize,
}

/// How many findings have no fix for one reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoFixCount {
    pub code: String,
    pub findings: usize,
}

/// The `no_fix_reason` codes of `diagnostics`, counted, most frequent first.
fn count_no_fix(diagnostics: &[crate::diagnostic::Diagnostic]) -> Vec<NoFixCount> {
    let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
    for d in diagnostics {
        if let Some(n) = &d.no_fix {
            *by.entry(n.code).or_default() += 1;
        }
    }
    let mut v: Vec<NoFixCount> = by
        .into_iter()
        .map(|(code, findings)| NoFixCount {
            code: code.to_string(),
            findings,
        })
        .collect();
    v.sort_by_key(|c| std::cmp::Reverse(c.findings));
    v
}

/// How an app signs users in (several can apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deployment {
    /// An Okta-hosted sign-in template.
    HostedTemplate,
    /// A Sign-In Widget the app renders itself (npm, CDN or bundle).
    EmbeddedWidget,
    /// `@okta/okta-auth-js` without the widget UI, or alongside it.
    AuthJs,
}

impl Deployment {
    pub fn label(self) -> &'static str {
        match self {
            Deployment::HostedTemplate => "hosted template",
            Deployment::EmbeddedWidget => "embedded widget",
            Deployment::AuthJs => "auth-js",
        }
    }
}

/// Finding, fix and package counts.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Counts {
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Findings `check --fix` resolves.
    pub fixable: usize,
    /// Findings only `check --fix --unsafe-fixes` resolves.
    pub unsafe_fixable: usize,
    pub packages_blocking: usize,
    pub packages_warning: usize,
}

impl Counts {
    fn verdict(&self) -> Verdict {
        if self.errors > 0 || self.packages_blocking > 0 {
            Verdict::Blocked
        } else if self.warnings > 0 || self.packages_warning > 0 {
            Verdict::NeedsReview
        } else {
            Verdict::Ready
        }
    }
}

/// One application: a `package.json` root, a workspace (member), or a
/// folder with no `package.json` (see [`apps`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    /// Anchor in the HTML report (`app-` and the root, made safe).
    pub id: String,
    pub name: String,
    /// Display path of the app's folder.
    pub root: String,
    pub kind: AppKind,
    /// Root of the workspace it belongs to.
    pub workspace: Option<String>,
    /// Name of its repository.
    pub repository: Option<String>,
    pub verdict: Verdict,
    /// Files audited in it.
    pub files: usize,
    pub counts: Counts,
    /// Findings per rule code.
    pub by_rule: BTreeMap<String, usize>,
    /// Sign-In Widget versions in use (exact when resolved, else the spec).
    pub widget_versions: Vec<String>,
    pub deployment: Vec<Deployment>,
    /// Its Okta package uses, each with the reason for its status.
    pub packages: Vec<Use>,
    /// Its hosted templates and embedded widget pages.
    pub hosted_pages: Vec<String>,
    pub embedded_widgets: Vec<String>,
    /// Fixed / new / remaining against `--baseline`.
    pub progress: Option<Progress>,
    /// Every finding, by path and position.
    pub findings: Vec<Finding>,
}

/// Which fix a finding has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    Safe,
    Unsafe,
    None,
}

/// One finding, with the command that fixes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub code: String,
    pub name: String,
    pub category: Option<String>,
    pub severity: Severity,
    pub message: String,
    pub fix: FixKind,
    /// What the fix does.
    pub fix_description: Option<String>,
    /// The command that applies the fix (run from the audit's folder).
    pub command: Option<String>,
    /// Stable across edits elsewhere in the file (as in SARIF).
    pub fingerprint: String,
    /// `new` or `remaining` against `--baseline`.
    pub baseline: Option<State>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryRow {
    pub category: String,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// Codes of the rules that fired in it, sorted.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRow {
    pub code: String,
    pub name: String,
    pub category: Option<String>,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// The rule's documentation link.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRow {
    pub path: String,
    /// Root of its app.
    pub app: Option<String>,
    pub worst: Severity,
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    /// The codes of the rules that fired here, sorted.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unreadable {
    pub path: String,
    /// Root of its app, when it is inside one.
    pub app: Option<String>,
    pub error: String,
    /// Where in the file the problem is (`invalid JSON` at 3:41), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Unreadable {
    /// `path` or `path:line:col`, as every other report names a place.
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path),
            _ => self.path.clone(),
        }
    }
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

/// The category of each rule, read from the rule files (`category`, as
/// the registry carries it) so that new rules and categories need no list
/// here. `None` for a rule that has none.
pub fn category_of(code: &str) -> Option<String> {
    let reg = crate::rules::Registry::get();
    reg.find(code).map(|i| reg.rules[i].category.clone())
}

/// A shell word: as is when it only holds safe characters, else quoted.
pub fn shell_word(s: &str) -> String {
    let safe = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./@%+=:,".contains(&b));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The command that applies a finding's fix, for one file and one rule.
pub fn fix_command(fix: FixKind, code: &str, path: &str) -> Option<String> {
    let flags = match fix {
        FixKind::Safe => "--fix",
        FixKind::Unsafe => "--fix --unsafe-fixes",
        FixKind::None => return None,
    };
    Some(format!(
        "oie-lint check {flags} --select {code} {}",
        shell_word(path)
    ))
}

/// A fragment id from a root: letters, digits and `-`, prefixed `app-`.
fn anchor(root: &str, taken: &mut BTreeSet<String>) -> String {
    let mut id = String::from("app-");
    let mut dash = false;
    for c in root.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            id.push('-');
            dash = true;
        }
    }
    let base = id.trim_end_matches('-').to_string();
    let base = if base == "app" {
        "app-root".into()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn add(c: &mut Counts, d: &crate::diagnostic::Diagnostic) {
    c.findings += 1;
    match d.severity {
        Severity::Error => c.errors += 1,
        Severity::Warning => c.warnings += 1,
    }
    match d.fix.as_ref().map(|f| f.applicability) {
        Some(Applicability::Safe) => c.fixable += 1,
        Some(Applicability::Unsafe) => c.unsafe_fixable += 1,
        None => {}
    }
}

/// Builds the report. `run` is sorted (as `check` returns it); `uses` is
/// the inventory of the same files.
pub fn build(inp: Inputs) -> Report {
    let Inputs {
        paths,
        config_file,
        config,
        run,
        uses,
        pages,
        layout,
        repositories,
        baseline,
    } = inp;
    let rules = rule_rows(run);
    let categories = category_rows(&rules);
    let mut files = file_rows(run);
    for f in &mut files {
        f.app = layout.app_of(&f.path).map(|i| layout.apps[i].root.clone());
    }
    let fingerprints = crate::report::fingerprint::fingerprints(run);

    // Per app, in layout order first.
    let mut taken = BTreeSet::new();
    let mut app_list: Vec<App> = layout
        .apps
        .iter()
        .zip(&layout.files)
        .map(|(a, &n)| App {
            id: anchor(&a.root, &mut taken),
            name: a.name.clone(),
            root: a.root.clone(),
            kind: a.kind,
            workspace: a.workspace.clone(),
            repository: a.repository.map(|r| layout.repositories[r].name.clone()),
            verdict: Verdict::Ready,
            files: n,
            counts: Counts::default(),
            by_rule: BTreeMap::new(),
            widget_versions: Vec::new(),
            deployment: Vec::new(),
            packages: Vec::new(),
            hosted_pages: Vec::new(),
            embedded_widgets: Vec::new(),
            progress: None,
            findings: Vec::new(),
        })
        .collect();
    // Findings outside every app (a path the walk did not list) get one.
    let mut app_of = |path: &str, list: &mut Vec<App>| -> usize {
        layout.app_of(path).unwrap_or_else(|| {
            if let Some(i) = list.iter().position(|a| a.root.is_empty()) {
                return i;
            }
            list.push(App {
                id: anchor("other", &mut taken),
                name: "(outside every app)".into(),
                root: String::new(),
                kind: AppKind::Directory,
                workspace: None,
                repository: None,
                verdict: Verdict::Ready,
                files: 0,
                counts: Counts::default(),
                by_rule: BTreeMap::new(),
                widget_versions: Vec::new(),
                deployment: Vec::new(),
                packages: Vec::new(),
                hosted_pages: Vec::new(),
                embedded_widgets: Vec::new(),
                progress: None,
                findings: Vec::new(),
            });
            list.len() - 1
        })
    };
    let mut finding_app = Vec::with_capacity(run.diagnostics.len());
    for (d, fp) in run.diagnostics.iter().zip(&fingerprints) {
        let i = app_of(&d.path, &mut app_list);
        finding_app.push(i);
        let a = &mut app_list[i];
        add(&mut a.counts, d);
        *a.by_rule.entry(d.code.to_string()).or_insert(0) += 1;
        let fix = match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => FixKind::Safe,
            Some(Applicability::Unsafe) => FixKind::Unsafe,
            None => FixKind::None,
        };
        a.findings.push(Finding {
            path: d.path.clone(),
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            code: d.code.to_string(),
            name: d.name.to_string(),
            category: category_of(d.code),
            severity: d.severity,
            message: d.message.clone(),
            fix,
            fix_description: d.fix.as_ref().map(|f| f.description.clone()),
            command: fix_command(fix, d.code, &d.path),
            fingerprint: fp.clone(),
            baseline: None,
        });
    }
    for u in &uses {
        let i = app_of(&u.path, &mut app_list);
        let a = &mut app_list[i];
        match u.counted() {
            Some(Status::Blocking) => a.counts.packages_blocking += 1,
            Some(Status::Warning) => a.counts.packages_warning += 1,
            _ => {}
        }
        if u.package == crate::versions::WIDGET_PACKAGE {
            if !a.deployment.contains(&Deployment::EmbeddedWidget)
                && !matches!(u.kind, UseKind::Lockfile)
            {
                a.deployment.push(Deployment::EmbeddedWidget);
            }
            if let Some(v) = u.resolved.clone().or_else(|| u.spec.clone()) {
                if !a.widget_versions.contains(&v) {
                    a.widget_versions.push(v);
                }
            }
        } else if u.package == crate::versions::AUTH_JS_PACKAGE
            && !a.deployment.contains(&Deployment::AuthJs)
        {
            a.deployment.push(Deployment::AuthJs);
        }
        a.packages.push(u.clone());
    }
    for p in &pages.hosted {
        let i = app_of(&p.path, &mut app_list);
        app_list[i].hosted_pages.push(p.path.clone());
    }
    for p in &pages.embedded {
        let i = app_of(&p.path, &mut app_list);
        app_list[i].embedded_widgets.push(p.path.clone());
    }
    for a in &mut app_list {
        if !a.hosted_pages.is_empty() {
            a.deployment.push(Deployment::HostedTemplate);
        }
        if !a.embedded_widgets.is_empty() && !a.deployment.contains(&Deployment::EmbeddedWidget) {
            a.deployment.push(Deployment::EmbeddedWidget);
        }
        a.deployment.sort();
        a.widget_versions.sort_by(|x, y| {
            let (px, py) = (
                crate::versions::parse_version(x),
                crate::versions::parse_version(y),
            );
            match (px, py) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => x.cmp(y),
            }
        });
        a.verdict = a.counts.verdict();
    }

    let unreadable: Vec<Unreadable> = run
        .errors
        .iter()
        .map(|(path, error)| {
            let at = crate::diagnostic::location(error);
            Unreadable {
                path: path.clone(),
                app: layout.app_of(path).map(|i| layout.apps[i].root.clone()),
                error: at.map_or(error.as_str(), |(_, rest)| rest).to_string(),
                line: at.map(|(p, _)| p.line),
                column: at.map(|(p, _)| p.column),
            }
        })
        .collect();

    // Baseline: per finding, per app, total.
    let baseline = baseline.map(|base| {
        let current: Vec<(usize, &str, &str, &str)> = run
            .diagnostics
            .iter()
            .zip(&fingerprints)
            .zip(&finding_app)
            .map(|((d, fp), &i)| (i, d.code, d.path.as_str(), fp.as_str()))
            .collect();
        let keys: Vec<(String, String, String)> = app_list
            .iter()
            .map(|a| (a.id.clone(), a.name.clone(), a.root.clone()))
            .collect();
        let (diff, states) = baseline::compare(&base, &current, &keys);
        // Findings were pushed per app in run order: replay that order.
        let mut next = vec![0usize; app_list.len()];
        for (&i, state) in finding_app.iter().zip(states) {
            app_list[i].findings[next[i]].baseline = Some(state);
            next[i] += 1;
        }
        let by_id: HashMap<&str, Progress> = diff
            .apps
            .iter()
            .filter_map(|row| Some((row.id.as_deref()?, row.progress)))
            .collect();
        for a in &mut app_list {
            a.progress = by_id.get(a.id.as_str()).copied();
        }
        for a in &mut app_list {
            a.progress.get_or_insert_with(Progress::default);
        }
        diff
    });

    app_list.sort_by(board_order);
    let baseline = baseline.map(|mut d| {
        // Progress rows follow the board's order; gone apps last.
        let pos: HashMap<&str, usize> = app_list
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        d.apps.sort_by_key(|r| {
            r.id.as_deref()
                .and_then(|id| pos.get(id).copied())
                .unwrap_or(usize::MAX)
        });
        d
    });

    let mut total = Counts::default();
    for d in &run.diagnostics {
        add(&mut total, d);
    }
    let pkg = |s: Status| uses.iter().filter(|u| u.counted() == Some(s)).count();
    total.packages_blocking = pkg(Status::Blocking);
    total.packages_warning = pkg(Status::Warning);
    let by_verdict = |v: Verdict| app_list.iter().filter(|a| a.verdict == v).count();
    let summary = Summary {
        verdict: total.verdict(),
        files_checked: run.files_checked,
        files_with_findings: files.len(),
        findings: total.findings,
        errors: total.errors,
        warnings: total.warnings,
        blocking_issues: total.errors,
        fixable: total.fixable,
        unsafe_fixable: total.unsafe_fixable,
        no_fix_reasons: count_no_fix(&run.diagnostics),
        packages_blocking: total.packages_blocking,
        packages_warning: total.packages_warning,
        packages_ready: pkg(Status::Ready),
        packages_unknown: pkg(Status::Unknown),
        hosted_pages: pages.hosted.len(),
        embedded_widgets: pages.embedded.len(),
        unreadable: unreadable.len(),
        apps: app_list.len(),
        apps_blocked: by_verdict(Verdict::Blocked),
        apps_needs_review: by_verdict(Verdict::NeedsReview),
        apps_ready: by_verdict(Verdict::Ready),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        paths,
        config_file,
        config,
        repositories,
        summary,
        apps: app_list,
        packages: uses,
        pages,
        rules,
        categories,
        files,
        unreadable,
        baseline,
        checklist: checklist(),
        sources: Vec::new(),
    }
}

/// The status board's order, worst first: verdict, blocking issues,
/// warnings, then root.
fn board_order(a: &App, b: &App) -> std::cmp::Ordering {
    let rank = |v: Verdict| match v {
        Verdict::Blocked => 0,
        Verdict::NeedsReview => 1,
        Verdict::Ready => 2,
    };
    rank(a.verdict)
        .cmp(&rank(b.verdict))
        .then(b.counts.errors.cmp(&a.counts.errors))
        .then(b.counts.packages_blocking.cmp(&a.counts.packages_blocking))
        .then(b.counts.warnings.cmp(&a.counts.warnings))
        .then(b.counts.packages_warning.cmp(&a.counts.packages_warning))
        .then(a.root.cmp(&b.root))
}

/// Findings per file, worst first: errors before warnings-only files,
/// then more errors, more warnings, then by path.
fn file_order(a: &FileRow, b: &FileRow) -> std::cmp::Ordering {
    b.worst
        .cmp(&a.worst)
        .then(b.errors.cmp(&a.errors))
        .then(b.warnings.cmp(&a.warnings))
        .then(a.path.cmp(&b.path))
}

/// Per rule: `check --statistics`'s counts plus errors/warnings, the
/// category and the docs link.
fn rule_rows(run: &Run) -> Vec<RuleRow> {
    let mut sev: HashMap<(&str, Severity), usize> = HashMap::new();
    for d in &run.diagnostics {
        *sev.entry((d.code, d.severity)).or_insert(0) += 1;
    }
    statistics::collect(run)
        .into_iter()
        .map(|r| RuleRow {
            code: r.code.to_string(),
            name: r.name.to_string(),
            category: category_of(r.code),
            count: r.count,
            errors: sev.get(&(r.code, Severity::Error)).copied().unwrap_or(0),
            warnings: sev.get(&(r.code, Severity::Warning)).copied().unwrap_or(0),
            fixable: r.fixable,
            unsafe_fixable: r.unsafe_fixable,
            url: crate::rules::docs_url(r.code, r.name),
        })
        .collect()
}

/// Per category, most findings first (only rules that have a category).
fn category_rows(rules: &[RuleRow]) -> Vec<CategoryRow> {
    let mut by: BTreeMap<&str, CategoryRow> = BTreeMap::new();
    for r in rules {
        let Some(c) = r.category.as_deref() else {
            continue;
        };
        let row = by.entry(c).or_insert_with(|| CategoryRow {
            category: c.to_string(),
            count: 0,
            errors: 0,
            warnings: 0,
            fixable: 0,
            unsafe_fixable: 0,
            rules: Vec::new(),
        });
        row.count += r.count;
        row.errors += r.errors;
        row.warnings += r.warnings;
        row.fixable += r.fixable;
        row.unsafe_fixable += r.unsafe_fixable;
        row.rules.push(r.code.clone());
    }
    let mut rows: Vec<CategoryRow> = by.into_values().collect();
    for r in &mut rows {
        r.rules.sort_unstable();
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(&b.category)));
    rows
}

/// Per file, worst first: errors before warnings-only files, then more
/// errors, more warnings, then by path.
fn file_rows(run: &Run) -> Vec<FileRow> {
    let mut by_path: BTreeMap<&str, FileRow> = BTreeMap::new();
    for d in &run.diagnostics {
        let row = by_path.entry(d.path.as_str()).or_insert_with(|| FileRow {
            path: d.path.clone(),
            app: None,
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
        if !row.rules.iter().any(|c| c == d.code) {
            row.rules.push(d.code.to_string());
        }
    }
    let mut rows: Vec<FileRow> = by_path.into_values().collect();
    for r in &mut rows {
        r.rules.sort_unstable();
    }
    rows.sort_by(file_order);
    rows
}

/// The report's sections in the order every renderer writes them: `(HTML
/// id, title)`. "Progress since the baseline" only with a baseline, "Could
/// not be read" only when something could not, "Charts" only in formats
/// that draw them. Both tables of contents come from this list.
pub fn sections(r: &Report, charts: bool) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("board", "Status board")];
    if charts {
        v.push(("charts", "Charts"));
    }
    if r.baseline.is_some() {
        v.push(("progress", "Progress since the baseline"));
    }
    v.extend([
        ("totals", "Totals"),
        ("rules", "Findings per rule"),
        ("apps", "Every finding, per app"),
        ("packages", "Okta packages and versions"),
        ("pages", "Hosted pages and embedded widgets"),
        ("files", "Findings per file"),
    ]);
    if !r.unreadable.is_empty() {
        v.push(("unreadable", "Could not be read"));
    }
    v.extend([
        ("provenance", "Where this came from"),
        ("checklist", "Okta admin checklist"),
    ]);
    v
}

/// GitHub's anchor of a Markdown heading: lower case, spaces to `-`,
/// other punctuation dropped ("Every finding, per app" becomes
/// `every-finding-per-app`).
pub fn heading_anchor(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| match c {
            ' ' | '-' => Some('-'),
            c if c.is_alphanumeric() || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The summary table, shared by the Markdown and HTML renderers. Labels
/// mark code with Markdown code spans (`` `--fix` ``).
pub fn summary_rows(r: &Report) -> Vec<(&'static str, String)> {
    let s = &r.summary;
    vec![
        (
            "Apps blocked / needing review / ready",
            format!(
                "{} / {} / {}",
                s.apps_blocked, s.apps_needs_review, s.apps_ready
            ),
        ),
        ("Files checked", s.files_checked.to_string()),
        ("Files with findings", s.files_with_findings.to_string()),
        ("Errors", s.errors.to_string()),
        ("Warnings", s.warnings.to_string()),
        ("Fixable with `oie-lint check --fix`", s.fixable.to_string()),
        (
            "Fixable only with `--unsafe-fixes` (review)",
            s.unsafe_fixable.to_string(),
        ),
        (
            "Without a fix, by reason (`no_fix_reason`)",
            if s.no_fix_reasons.is_empty() {
                "none".to_string()
            } else {
                s.no_fix_reasons
                    .iter()
                    .map(|c| format!("{} {}", c.code, c.findings))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
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

/// "5 Okta package uses in 3 files: 1 blocking, …" (the wording of
/// `oie-lint versions`).
pub use crate::report::versions::summary as packages_summary;

/// The first-screen answer, in plain text: how many apps, how many are
/// blocked, how many blocking issues, how much oie-lint can fix.
pub fn headline(r: &Report) -> String {
    let s = &r.summary;
    let fixable = s.fixable + s.unsafe_fixable;
    format!(
        "{}: {} blocked, {} needing review, {} ready. {} blocking {}; {} of {} fixable by oie-lint ({} with `--fix`, {} more with `--unsafe-fixes`).",
        crate::report::plural(s.apps, "app"),
        s.apps_blocked,
        s.apps_needs_review,
        s.apps_ready,
        s.blocking_issues,
        if s.blocking_issues == 1 { "issue" } else { "issues" },
        fixable,
        crate::report::plural(s.findings, "finding"),
        s.fixable,
        s.unsafe_fixable,
    )
}

/// When paths could not be read: the warning every format puts first.
pub fn incomplete(r: &Report) -> Option<String> {
    let n = r.summary.unreadable;
    (n > 0).then(|| {
        format!(
            "Incomplete: {} could not be read (listed under \"Could not be read\"); the counts leave {} out and the exit status is 2.",
            if n == 1 { "1 path".to_string() } else { format!("{n} paths") },
            if n == 1 { "it" } else { "them" },
        )
    })
}

/// The one-line summary printed to stderr after the report is written.
pub fn summary_line(r: &Report) -> String {
    let s = &r.summary;
    let mut line = String::new();
    if s.unreadable > 0 {
        line.push_str(&format!(
            "Incomplete ({} could not be read). ",
            if s.unreadable == 1 {
                "1 path".to_string()
            } else {
                format!("{} paths", s.unreadable)
            }
        ));
    }
    line.push_str(&format!(
        "{}: {} blocking {} ({} and {} in {}; {} checked; {} blocked of {}).",
        s.verdict.label(),
        s.blocking_issues,
        if s.blocking_issues == 1 {
            "issue"
        } else {
            "issues"
        },
        crate::report::plural(s.errors, "error"),
        crate::report::plural(s.warnings, "warning"),
        crate::report::plural(s.files_with_findings, "file"),
        crate::report::plural(s.files_checked, "file"),
        s.apps_blocked,
        crate::report::plural(s.apps, "app"),
    ));
    line
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

    fn simple(run: &Run) -> Report {
        build(Inputs {
            paths: vec![".".into()],
            config_file: None,
            config: ConfigInfo::default(),
            run,
            uses: vec![],
            pages: Pages::default(),
            layout: apps::Layout::default(),
            repositories: vec![],
            baseline: None,
        })
    }

    #[test]
    fn fix_commands_quote_paths() {
        assert_eq!(
            fix_command(FixKind::Safe, "OIE003", "src/a b.js").as_deref(),
            Some("oie-lint check --fix --select OIE003 'src/a b.js'")
        );
        assert_eq!(
            fix_command(FixKind::Unsafe, "OIE001", "it's.js").as_deref(),
            Some("oie-lint check --fix --unsafe-fixes --select OIE001 'it'\\''s.js'")
        );
        assert_eq!(fix_command(FixKind::None, "OIE002", "a.js"), None);
        let mut taken = BTreeSet::new();
        assert_eq!(anchor("apps/Web App", &mut taken), "app-apps-web-app");
        assert_eq!(anchor("apps/web-app", &mut taken), "app-apps-web-app-2");
        assert_eq!(anchor(".", &mut taken), "app-root");
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
        let r = simple(&run);
        let order: Vec<_> = r.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(order, ["b.js", "c.js", "a.js"]);
        assert_eq!(r.files[0].rules, ["OIE001", "OIE003"]);
        assert_eq!((r.files[0].fixable, r.files[0].unsafe_fixable), (1, 1));
        assert_eq!(r.summary.verdict, Verdict::Blocked);
        assert_eq!(r.summary.blocking_issues, 2);
        assert_eq!(Verdict::Blocked.label(), "Not ready");
        assert_eq!((r.summary.fixable, r.summary.unsafe_fixable), (1, 1));
        // Paths in no app of the layout still land in one.
        assert_eq!(r.apps.len(), 1);
        assert_eq!(r.apps[0].counts.findings, 5);
        assert_eq!(r.apps[0].findings[1].fix, FixKind::Safe);
        assert_eq!(r.apps[0].by_rule["OIE002"], 3);
        let warn_only = Run {
            diagnostics: vec![diag("a.js", "OIE002", Severity::Warning, None)],
            ..Run::default()
        };
        let r = simple(&warn_only);
        assert_eq!(r.summary.verdict, Verdict::NeedsReview);
        let r = simple(&Run::default());
        assert_eq!(r.summary.verdict, Verdict::Ready);
        assert_eq!(r.summary.apps, 0);
    }

    #[test]
    fn sections_and_their_markdown_anchors() {
        let r = simple(&Run::default());
        let html: Vec<&str> = sections(&r, true).iter().map(|s| s.0).collect();
        assert_eq!(html[..3], ["board", "charts", "totals"]);
        assert!(!html.contains(&"progress") && !html.contains(&"unreadable"));
        let md = sections(&r, false);
        assert!(!md.iter().any(|s| s.0 == "charts"));
        assert_eq!(
            heading_anchor("Every finding, per app"),
            "every-finding-per-app"
        );
        assert_eq!(
            heading_anchor("Okta admin checklist"),
            "okta-admin-checklist"
        );
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
