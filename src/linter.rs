//! The per-file pipeline: prefilter → parse → check → resolve positions.
//!
//! [`Linter::lint`] is pure with respect to the file system except for the
//! version lookup (reading `package.json` files up the tree, cached), so it
//! serves walked files, explicit files and stdin alike.

use crate::diagnostic::{Diagnostic, Finding};
pub use crate::discover::RunPaths;
use crate::parse::{CssUnit, ServerUnit};
use crate::rules::checks::{self, Captures, Check, FileCtx, Unit};
use crate::rules::matching::literals::Literals;
use crate::rules::matching::query::CombinedQuery;
use crate::rules::matching::walk::NodePatterns;
use crate::rules::matching::{self, PatternOrigin, RuleMask};
use crate::rules::Registry;
use crate::settings::{FileRules, Settings};
use crate::source::html;
use crate::source::lines::LineIndex;
use crate::source::page::UrlAttr;
use crate::source::{FileKind, SourceFile};
use crate::suppress;
use crate::timings::{self, Phase, Timings};
use crate::versions::VersionIndex;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::ops::{ControlFlow, Range};
use std::path::PathBuf;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor};

/// The outcome for one file.
#[derive(Debug, Default)]
pub struct FileReport {
    pub diagnostics: Vec<Diagnostic>,
    /// A one-line problem with the file's content (exit code 2).
    pub error: Option<String>,
    /// Whether the prefilter let the file through to the parser.
    pub parsed: bool,
    /// Whether any JavaScript in the file had syntax errors.
    pub syntax_errors: bool,
    /// How many stylesheet regions were parsed (see [`Linter::parse_styles`]).
    pub styles_parsed: usize,
    /// Whether the file is a big script parsed in part
    /// ([`crate::parse::statements`]).
    pub parsed_in_part: bool,
    /// For the audit ([`Linter::collect_page_facts`]): whether a page or
    /// script the linter parsed is a hosted template, and where it
    /// constructs the widget, so the audit need not parse it again.
    pub page: Option<PageFacts>,
}

/// What the audit's page scan learns from a parsed page or script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFacts {
    /// An Okta-hosted sign-in template (see
    /// [`checks::migrate::hosted::is_hosted_page`]).
    pub hosted: bool,
    /// 1-based lines of each `new …OktaSignIn(...)` in code, ascending.
    pub constructions: Vec<usize>,
}

/// Where the units construct the widget: the start of every
/// `new OktaSignIn(...)` / `new x.OktaSignIn(...)` in code (comments and
/// strings never count), in tree order.
pub fn widget_constructions(units: &[Unit], masked: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    for unit in units {
        crate::syntax::walk_containing(
            unit.tree.root_node(),
            masked.as_bytes(),
            &["OktaSignIn"],
            |node| {
                if node.kind() != "new_expression" {
                    return;
                }
                let Some(ctor) = node.child_by_field_name("constructor") else {
                    return;
                };
                let name = match ctor.kind() {
                    "identifier" => Some(ctor),
                    "member_expression" => ctor.child_by_field_name("property"),
                    _ => None,
                };
                if name.is_some_and(|n| &masked[n.byte_range()] == "OktaSignIn") {
                    starts.push(node.start_byte());
                }
            },
        );
    }
    starts
}

/// [`widget_constructions`] as sorted, distinct 1-based lines of `text`.
pub fn construction_lines(units: &[Unit], masked: &str, text: &str) -> Vec<usize> {
    let starts = widget_constructions(units, masked);
    if starts.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut lines: Vec<usize> = starts
        .into_iter()
        .map(|b| index.position(text, b).line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

pub struct Linter {
    pub registry: &'static Registry,
    pub settings: Settings,
    pub versions: VersionIndex,
    checks: Vec<Option<Box<dyn Check>>>,
    prefilter: Prefilter,
    /// Set by `check --timings`.
    timings: Option<Timings>,
    /// Set by `check`: what the run was given (see [`RunPaths`]).
    run_paths: Option<RunPaths>,
    /// Modules that widget files hand to `new OktaSignIn` as their config.
    config_modules: ConfigModules,
    /// Scripts at least this big are parsed in part
    /// ([`crate::parse::statements`]).
    partial_parse_from: usize,
    /// Set by `audit`: see [`FileReport::page`].
    page_facts: bool,
}

/// Scripts from this size on are parsed in part (see
/// [`crate::parse::statements`]); smaller ones are parsed whole.
pub const PARTIAL_PARSE_FROM: usize = 1 << 20;

/// Words that file facts read from a script's code besides the rules'
/// triggers (see [`FileCtx`]): a big script's statements holding one are
/// always parsed.
const FACT_WORDS: &[&str] = &[
    "setCookieAndRedirect",
    "OktaSignIn",
    "OktaUtil",
    "getSignInWidgetConfig",
    "renderEl",
    "okta",
    "Okta",
    "OKTA",
    suppress::MARKER,
];

/// The rules a config module is read for though it lacks their trigger
/// words: the widget-config and widget-customization catalog rules.
fn reads_config_modules(rule: &crate::rules::Rule) -> bool {
    matches!(
        rule.category.as_str(),
        "widget-config" | "widget-customization"
    )
}

/// Which local modules the run's widget files import as the widget's config
/// (`import config from './config'; new OktaSignIn(config)`), recorded as
/// the widget files are checked, and which of them were checked knowing it.
/// A module checked before its importer is checked again at the end of the
/// run ([`Linter::late_config_modules`]).
#[derive(Debug, Default)]
struct ConfigModules {
    /// Whether any enabled rule reads config modules (else nothing is recorded).
    wanted: bool,
    /// Normalised absolute path → the exports used as widget configs.
    by_path: std::sync::RwLock<
        std::collections::HashMap<PathBuf, Vec<checks::config_import::ConfigExport>>,
    >,
    /// Modules that were checked as config modules.
    seen: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Linter {
    pub fn new(settings: Settings, cwd: PathBuf) -> Result<Linter, String> {
        let registry = Registry::get();
        let checks = registry
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                r.detect
                    .check
                    .as_deref()
                    .map(|name| checks::make(name, i))
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        let prefilter = Prefilter::new(registry, &settings);
        let config_modules = ConfigModules {
            wanted: registry
                .rules
                .iter()
                .enumerate()
                .any(|(i, r)| reads_config_modules(r) && settings.rules.is_enabled(i)),
            ..ConfigModules::default()
        };
        Ok(Linter {
            registry,
            settings,
            versions: VersionIndex::new(cwd),
            checks,
            prefilter,
            timings: None,
            run_paths: None,
            config_modules,
            partial_parse_from: PARTIAL_PARSE_FROM,
            page_facts: false,
        })
    }

    /// Makes [`Linter::lint`] report, for each page or script it parses,
    /// what the audit's page scan needs ([`FileReport::page`]).
    pub fn collect_page_facts(&mut self) {
        self.page_facts = true;
    }

    /// Parses scripts of at least `bytes` bytes in part (tests compare
    /// findings with a whole parse by setting it to 0 or `usize::MAX`).
    pub fn set_partial_parse_from(&mut self, bytes: usize) {
        self.partial_parse_from = bytes;
    }

    /// The normalised absolute form of a path, as config modules are keyed.
    fn module_key(&self, path: &std::path::Path) -> PathBuf {
        crate::pathglob::normalize(self.versions.cwd(), path)
    }

    /// Whether a widget file checked so far hands `path` to `new
    /// OktaSignIn` as its config: such a file is checked even when the
    /// prefilter finds no trigger word in it.
    pub fn is_config_module(&self, path: &std::path::Path) -> bool {
        self.config_modules.wanted && {
            let map = self
                .config_modules
                .by_path
                .read()
                .unwrap_or_else(|e| e.into_inner());
            !map.is_empty() && map.contains_key(&self.module_key(path))
        }
    }

    /// The exports of `path` used as widget configs, noting that the file
    /// was checked as a config module.
    fn config_exports(
        &self,
        path: &std::path::Path,
    ) -> Option<Vec<checks::config_import::ConfigExport>> {
        if !self.config_modules.wanted {
            return None;
        }
        let key = self.module_key(path);
        let exports = {
            let map = self
                .config_modules
                .by_path
                .read()
                .unwrap_or_else(|e| e.into_inner());
            map.get(&key)?.clone()
        };
        self.config_modules
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key);
        Some(exports)
    }

    /// Records the config modules a widget file imports.
    fn record_config_imports(&self, ctx: &FileCtx) {
        if !self.config_modules.wanted {
            return;
        }
        let found = checks::config_import::widget_config_imports(ctx);
        if found.is_empty() {
            return;
        }
        let mut map = self
            .config_modules
            .by_path
            .write()
            .unwrap_or_else(|e| e.into_inner());
        for (path, export) in found {
            let list = map.entry(self.module_key(&path)).or_default();
            if !list.contains(&export) {
                list.push(export);
            }
        }
    }

    /// Config modules recorded after they were checked (their importer came
    /// later in the parallel walk), sorted: `check` checks them again.
    pub fn late_config_modules(&self) -> Vec<PathBuf> {
        let map = self
            .config_modules
            .by_path
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let seen = self
            .config_modules
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let mut late: Vec<PathBuf> = map.keys().filter(|p| !seen.contains(*p)).cloned().collect();
        late.sort();
        late
    }

    /// Records where time goes (`check --timings`), see [`Linter::timings`].
    pub fn enable_timings(&mut self) {
        self.timings = Some(Timings::default());
    }

    pub fn timings(&self) -> Option<&Timings> {
        self.timings.as_ref()
    }

    /// Tells the checks which paths the run covers (`check`; without it
    /// every file counts as covered).
    /// The paths of the `check` run, when set.
    pub fn run_paths(&self) -> Option<&RunPaths> {
        self.run_paths.as_ref()
    }

    pub fn set_run_paths(&mut self, run: RunPaths) {
        self.run_paths = Some(run);
    }

    /// The literal prefilter on a file's raw bytes, before they are decoded:
    /// `false` when the file contains no trigger of any enabled rule, so
    /// linting it would find nothing and it need not be decoded or parsed
    /// (most files of a repository). Such a file is counted by `--timings`
    /// as read and skipped.
    pub fn may_fire(&self, bytes: &[u8]) -> bool {
        // Any trigger at all: a plain (non-overlapping) search, which stops
        // at the first hit and uses the matcher's fastest (SIMD) search.
        let any = self.prefilter.triggers.is_match(bytes);
        if let (false, Some(t)) = (any, &self.timings) {
            t.file(bytes.len(), false);
        }
        any
    }

    /// Checks one file with every enabled rule.
    pub fn lint(&self, source: &SourceFile) -> FileReport {
        let mut clock = timings::Clock::start(self.timings.as_ref());
        crate::syntax::too_deep();
        let mut report = if LineIndex::cr_only(&source.text) {
            self.lint_cr_only(source, &mut clock)
        } else {
            self.lint_timed(source, &mut clock)
        };
        if crate::syntax::too_deep() {
            // Findings (and fixes) from a cut-short analysis could be wrong.
            report.diagnostics.clear();
            report.page = None;
            report.error = Some(format!(
                "nested too deeply to check (more than {} levels of nested code); not checked",
                crate::syntax::MAX_RECURSION
            ));
        }
        if let Some(t) = &self.timings {
            t.file(source.text.len(), report.parsed);
        }
        report
    }

    /// A file whose line breaks are lone CRs is checked as its LF copy (same
    /// length, same offsets), so the checks' line-based layout (indentation,
    /// "rest of the line") sees real lines; inserted line breaks go back to CR.
    fn lint_cr_only(&self, source: &SourceFile, clock: &mut Option<timings::Clock>) -> FileReport {
        let lf = SourceFile {
            path: source.path.clone(),
            display: source.display.clone(),
            text: source.text.replace('\r', "\n"),
            kind: source.kind,
        };
        let mut report = self.lint_timed(&lf, clock);
        for e in report
            .diagnostics
            .iter_mut()
            .filter_map(|d| d.fix.as_mut())
            .flat_map(|f| f.edits.iter_mut())
        {
            e.replacement = e.replacement.replace('\n', "\r");
        }
        report
    }

    /// The pipeline for one file, stage by stage along the data path:
    /// prefilter → parse → check (patterns, then file-level checks) →
    /// suppress → resolve positions.
    fn lint_timed(&self, source: &SourceFile, clock: &mut Option<timings::Clock>) -> FileReport {
        let mut report = FileReport::default();
        let exports = self.config_exports(&source.path);
        let Some((active, file_rules, forced)) = self.prefilter(source, exports.is_some(), clock)
        else {
            return report;
        };
        report.parsed = true;
        // A big script (not a config module, whose exports every rule
        // reads) is parsed in part: see [`crate::parse::statements`].
        let partial = (source.text.len() >= self.partial_parse_from && exports.is_none())
            .then(|| self.prefilter.seeds());
        let parsed = parse(source, partial);
        report.parsed_in_part = parsed.in_part;
        timings::lap(clock, Phase::Parse);
        let masked = parsed.masked.as_deref().unwrap_or(&source.text);
        report.syntax_errors = parsed.units.iter().any(|u| u.tree.root_node().has_error());
        // Hosted or embedded: from placeholders and real call nodes, once per file.
        let hosted = checks::migrate::hosted::is_hosted_page(
            source.kind,
            &source.text,
            masked,
            &parsed.units,
        );

        if self.page_facts && matches!(source.kind, FileKind::Script(_) | FileKind::Html) {
            report.page = Some(PageFacts {
                hosted,
                constructions: construction_lines(&parsed.units, masked, &source.text),
            });
        }
        let css = self.parse_styles(&parsed, masked, &active, hosted);
        report.styles_parsed = css.len();
        let server = self.parse_server(source, &active);
        timings::lap(clock, Phase::Parse);

        let mut ctx = FileCtx::new(
            source,
            masked,
            &parsed.units,
            &parsed.urls,
            hosted,
            &self.settings,
            &self.versions,
        );
        ctx.run_paths = self.run_paths.as_ref();
        ctx.css = &css;
        if let Some(exports) = &exports {
            for u in parsed.units.iter() {
                ctx.config_objects
                    .extend(checks::config_import::exported_config_ranges(
                        u.tree.root_node(),
                        masked,
                        exports,
                    ));
            }
        }
        ctx.server = &server;
        let mut findings = Vec::new();
        self.match_patterns(&ctx, &active, clock, &mut findings);
        if let Err(e) = self.file_checks(&ctx, &active, &mut findings) {
            report.error = Some(e);
        }
        // A rule read only because the file is a config module reports
        // only inside the config objects.
        if forced.iter().any(|&f| f) {
            findings.retain(|f| {
                !forced[f.rule]
                    || ctx
                        .config_objects
                        .iter()
                        .any(|r| r.start <= f.start && f.end <= r.end)
            });
        }
        self.record_config_imports(&ctx);
        crate::diagnostic::merge_same_construct(&mut findings, |r| self.registry.rules[r].severity);
        if memchr::memmem::find(source.text.as_bytes(), suppress::MARKER.as_bytes()).is_some() {
            let mut other_comments = parsed.html_comments.clone();
            for u in &css {
                crate::syntax::walk(u.tree.root_node(), |n| {
                    if matches!(n.kind(), "comment" | "js_comment") {
                        other_comments.push(n.byte_range());
                    }
                });
            }
            for u in &server {
                crate::syntax::walk(u.tree.root_node(), |n| {
                    if matches!(n.kind(), "comment" | "line_comment" | "block_comment") {
                        other_comments.push(n.byte_range());
                    }
                });
            }
            let comments = suppress::comments(source, &parsed.units, &other_comments);
            suppress::apply(
                source,
                &comments,
                self.registry,
                &file_rules.rules,
                &mut findings,
            );
        }
        // A lockfile entry's finding is suppressed by markers on the
        // `package.json` dependencies it resolves (a lockfile has no comments).
        suppress::apply_elsewhere(self.registry, &mut findings, |p| {
            crate::source::overlay::read_to_string(p).ok()
        });
        findings.retain(|f| !f.stand_in);
        report.diagnostics = self.resolve(source, findings, &file_rules);
        timings::lap(clock, Phase::Check);
        report
    }

    /// Parse stage, stylesheets: the file's CSS regions (a stylesheet, or a
    /// page's `<style>` bodies), parsed only when an active rule reads CSS
    /// (`[detect] css = true`), and a `<style>` body only when it mentions
    /// one of those rules' trigger words or the page is an Okta-hosted
    /// template (whose styles are all the widget's). Most pages that reach
    /// the parser for their scripts never parse their styles.
    fn parse_styles(
        &self,
        parsed: &Parsed,
        masked: &str,
        active: &[bool],
        hosted: bool,
    ) -> Vec<CssUnit> {
        let reads_css = self
            .registry
            .rules
            .iter()
            .zip(active)
            .any(|(r, &a)| a && r.detect.css);
        if !reads_css || parsed.styles.is_empty() {
            return Vec::new();
        }
        let whole_file = parsed.styles.len() == 1 && parsed.masked.is_none();
        crate::parse::with_parsers(|p| {
            parsed
                .styles
                .iter()
                .filter(|r| {
                    whole_file
                        || hosted
                        || self.prefilter.css.as_ref().is_some_and(|ac| {
                            ac.is_match(&masked.as_bytes()[r.start_byte..r.end_byte])
                        })
                })
                .filter_map(|r| p.parse_css(masked, Some(*r)))
                .map(|tree| CssUnit { tree })
                .collect()
        })
    }

    /// Parse stage, server code: a server source file (or a PHP page)
    /// parsed with its language's grammar, only when an active rule reads
    /// server code (`[detect] server = true`). The prefilter has already
    /// let the file through on one of the active rules' trigger words, so a
    /// server file that mentions none of them costs a literal scan only.
    fn parse_server(&self, source: &SourceFile, active: &[bool]) -> Vec<ServerUnit> {
        let Some(lang) = source.kind.server_lang(&source.path) else {
            return Vec::new();
        };
        let reads_server = self
            .registry
            .rules
            .iter()
            .zip(active)
            .any(|(r, &a)| a && r.detect.server);
        if !reads_server {
            return Vec::new();
        }
        crate::parse::with_parsers(|p| p.parse_server(lang, &source.text))
            .map(|tree| ServerUnit { lang, tree })
            .into_iter()
            .collect()
    }

    /// Prefilter stage: the rules whose trigger words occur in the file,
    /// narrowed by per-path overrides; `None` when no rule can fire, so
    /// the file is not parsed. In a config module (`config_module`), the
    /// rules that read widget configs are active without their trigger
    /// words; the third value marks those `forced` ones.
    fn prefilter(
        &self,
        source: &SourceFile,
        config_module: bool,
        clock: &mut Option<timings::Clock>,
    ) -> Option<(Vec<bool>, FileRules, Vec<bool>)> {
        let mut active = self.prefilter.active(source.text.as_bytes());
        timings::lap(clock, Phase::Prefilter);
        let mut forced = vec![false; active.len()];
        if config_module && matches!(source.kind, FileKind::Script(_)) {
            for (i, r) in self.registry.rules.iter().enumerate() {
                if !active[i] && reads_config_modules(r) {
                    active[i] = true;
                    forced[i] = true;
                }
            }
        }
        if !active.iter().any(|&a| a) {
            return None;
        }
        let file_rules = self.settings.for_file(&source.path);
        // Server code is read only by the rules that read it; test code
        // not by the rules that skip it (`[detect] skip_tests`).
        let server_file = matches!(source.kind, FileKind::Server(_));
        let test_file = std::cell::OnceCell::new();
        for (i, a) in active.iter_mut().enumerate() {
            let detect = &self.registry.rules[i].detect;
            *a = *a
                && file_rules.rules.is_enabled(i)
                && (!server_file || detect.server)
                && !(detect.skip_tests
                    && *test_file.get_or_init(|| crate::rules::is_test_file(&source.display)));
        }
        // Rules that fire only in Okta sign-in code stay off in a file that
        // cannot be such code (decided without parsing it); a config module
        // is such code.
        let okta_only = |i: usize| self.registry.rules[i].context.as_deref() == Some("okta");
        if !config_module
            && active.iter().enumerate().any(|(i, &a)| a && okta_only(i))
            && !checks::session_token::may_be_okta_sign_in_code(&source.text, || {
                self.versions.governing(&source.path).okta_dependency
            })
        {
            for (i, a) in active.iter_mut().enumerate() {
                *a = *a && !okta_only(i);
            }
        }
        active
            .iter()
            .any(|&a| a)
            .then_some((active, file_rules, forced))
    }

    /// Check stage, patterns: every match of the active rules' patterns
    /// goes to its rule's check, or is reported at its `@hit` capture.
    /// One-node patterns are matched in one walk over each tree, the
    /// others in one combined query pass (none for the bundled rules).
    fn match_patterns<'t>(
        &self,
        ctx: &FileCtx<'t>,
        active: &[bool],
        clock: &mut Option<timings::Clock>,
        findings: &mut Vec<Finding>,
    ) {
        let masked = ctx.masked;
        let mask = RuleMask::of(active);
        if clock.is_some() {
            // `--timings`: charge the lazy tables and query compilation
            // (first file of a dialect, or waiting for another thread's) to
            // their own phase.
            for u in ctx.units {
                NodePatterns::get(u.dialect);
                CombinedQuery::get(u.dialect, &mask);
            }
            timings::lap(clock, Phase::Compile);
        }
        let mut on_match = |unit: usize,
                            origin: PatternOrigin,
                            list: Vec<(&'t str, Node<'t>)>,
                            hit: Option<Node<'t>>| {
            let rule = &self.registry.rules[origin.rule];
            if !matching::admits(rule, origin.spec, list.first().map(|c| c.1), ctx) {
                return;
            }
            let spec = &rule.detect.query[origin.spec];
            if let Some(check) = &self.checks[origin.rule] {
                let caps = Captures {
                    unit,
                    spec: origin.spec,
                    list,
                };
                check.on_match(ctx, &caps, findings);
            } else if let Some(hit) = hit {
                let mut finding = Finding::new(origin.rule, hit.start_byte(), hit.end_byte());
                finding.severity = ctx.spec_severity(spec);
                finding.message = spec.message.clone();
                finding.fix = spec.fix.as_ref().and_then(|f| {
                    crate::rules::matching::keys::generic_fix(f, hit, &ctx.source.text, &ctx.up)
                });
                findings.push(finding);
            }
        };
        let mut cursor = QueryCursor::new();
        for (ui, unit) in ctx.units.iter().enumerate() {
            let root = unit.tree.root_node();
            NodePatterns::get(unit.dialect).walk(
                root,
                masked.as_bytes(),
                active,
                Some(&ctx.up),
                |e, node| {
                    let hit = (e.pattern.capture == "hit").then_some(node);
                    on_match(ui, e.origin, vec![(e.pattern.capture.as_str(), node)], hit);
                },
            );
            let Some(cq) = CombinedQuery::get(unit.dialect, &mask) else {
                continue;
            };
            let names = cq.query.capture_names();
            let mut matches = cursor.matches(&cq.query, root, masked.as_bytes());
            while let Some(m) = matches.next() {
                let origin = cq.origins[m.pattern_index];
                if !active[origin.rule] {
                    continue;
                }
                let list = m
                    .captures()
                    .iter()
                    .map(|c| (names[c.index as usize], c.node))
                    .collect();
                let hit = m
                    .captures()
                    .iter()
                    .find(|c| Some(c.index) == cq.hit)
                    .map(|c| c.node);
                on_match(ui, origin, list, hit);
            }
        }
    }

    /// Check stage, file level: each active rule's check once per file
    /// (HTML attributes, manifests, lockfiles). `Err` is a one-line problem
    /// with the file's content.
    fn file_checks(
        &self,
        ctx: &FileCtx,
        active: &[bool],
        findings: &mut Vec<Finding>,
    ) -> Result<(), String> {
        let mut result = Ok(());
        for (i, check) in self.checks.iter().enumerate() {
            if let (Some(check), true) = (check, active[i]) {
                if let Err(e) = check.on_file(ctx, findings) {
                    result = Err(e);
                }
            }
        }
        result
    }

    /// Findings → diagnostics with line/column in the original text, sorted, deduplicated.
    /// A configured severity (`[severity]`, overrides) replaces the finding's.
    fn resolve(
        &self,
        source: &SourceFile,
        mut findings: Vec<Finding>,
        file_rules: &FileRules,
    ) -> Vec<Diagnostic> {
        findings.sort_by_key(|f| (f.start, f.end, f.rule));
        findings.dedup_by_key(|f| (f.start, f.end, f.rule));
        if findings.is_empty() {
            return Vec::new();
        }
        let index = LineIndex::new(&source.text);
        findings
            .into_iter()
            .map(|f| {
                let rule = &self.registry.rules[f.rule];
                Diagnostic {
                    code: &rule.code,
                    name: &rule.name,
                    severity: file_rules
                        .severity(f.rule)
                        .or(f.severity)
                        .unwrap_or(rule.severity),
                    message: f.message.unwrap_or_else(|| rule.message.clone()),
                    path: source.display.clone(),
                    start_byte: f.start,
                    end_byte: f.end,
                    start: index.position(&source.text, f.start),
                    end: index.position(&source.text, f.end),
                    fix: f.fix.map(|mut fix| {
                        crate::source::lines::adapt_line_endings(&mut fix, &source.text);
                        fix
                    }),
                    no_fix: f.no_fix,
                }
            })
            .collect()
    }
}

/// What the parse stage produced for one file.
struct Parsed {
    /// The template-masked text HTML scripts were parsed from (`None`: the
    /// file's own text).
    masked: Option<String>,
    units: Vec<Unit>,
    /// `src=`/`href=` attribute values (HTML).
    urls: Vec<UrlAttr>,
    /// HTML comments, for suppression markers.
    html_comments: Vec<Range<usize>>,
    /// Stylesheet regions (a CSS file after its BOM, a page's `<style>`
    /// bodies), parsed later by [`Linter::parse_styles`] if a rule reads CSS.
    styles: Vec<tree_sitter::Range>,
    /// Only some top-level statements were parsed (a big script).
    in_part: bool,
}

/// Parse stage: the JavaScript units of the file over a (possibly masked)
/// text. A vendored widget bundle (by name, or a script whose content says
/// so) is third-party code: only its version is checked, nothing is parsed.
/// With `partial` (a big script), only the top-level statements that can
/// matter are parsed, when the file splits cleanly (see
/// [`crate::parse::statements`]); else it is parsed whole.
fn parse(source: &SourceFile, partial: Option<&Literals>) -> Parsed {
    let bundle = source.kind == FileKind::WidgetBundle
        || (matches!(source.kind, FileKind::Script(_))
            && crate::versions::bundle::detect(&source.path, &source.text).is_some());
    let nothing = || Parsed {
        masked: None,
        units: Vec::new(),
        urls: Vec::new(),
        html_comments: Vec::new(),
        styles: Vec::new(),
        in_part: false,
    };
    crate::parse::with_parsers(|p| match source.kind {
        _ if bundle => nothing(),
        FileKind::Script(d) => {
            // A script a server template emits (`login.js.php`) is parsed
            // with its template tags masked.
            let masked = crate::source::masked_script(&source.path, &source.text);
            if let (Some(seeds), None) = (partial, &masked) {
                if let Some(tree) = parse_in_part(p, d, &source.text, seeds) {
                    return Parsed {
                        units: vec![Unit { dialect: d, tree }],
                        in_part: true,
                        ..nothing()
                    };
                }
            }
            Parsed {
                units: p
                    .parse_js(d, masked.as_deref().unwrap_or(&source.text), None)
                    .map(|tree| Unit { dialect: d, tree })
                    .into_iter()
                    .collect(),
                masked,
                ..nothing()
            }
        }
        FileKind::Html => {
            let doc = html::analyze_with(
                &source.text,
                p.html(),
                crate::source::template_syntax(&source.path),
            );
            let units = doc
                .scripts
                .iter()
                .filter_map(|r| {
                    p.parse_js(r.dialect, &doc.masked, Some(r.range))
                        .map(|tree| Unit {
                            dialect: r.dialect,
                            tree,
                        })
                })
                .collect();
            Parsed {
                masked: Some(doc.masked),
                units,
                urls: doc.urls,
                html_comments: doc.comments,
                styles: doc.styles,
                in_part: false,
            }
        }
        FileKind::Css => Parsed {
            styles: vec![crate::source::lines::whole_text_range(&source.text)],
            ..nothing()
        },
        // Settings files: the widget URLs outside comments, nothing parsed.
        FileKind::Settings => {
            let yaml = crate::source::settings::is_yaml(&source.display);
            let doc = crate::source::settings::analyze(&source.text, yaml);
            Parsed {
                urls: doc.urls,
                html_comments: doc.comments,
                ..nothing()
            }
        }
        // Server code: parsed later, only for the rules that read it
        // (see [`Linter::parse_server`]).
        FileKind::PackageJson
        | FileKind::Lockfile
        | FileKind::WidgetBundle
        | FileKind::Server(_) => nothing(),
    })
}

/// The top-level statements of a big script that can matter to a rule,
/// parsed as one tree; `None` when the script does not split cleanly or
/// most of it would be parsed anyway (the caller parses it whole).
fn parse_in_part(
    p: &mut crate::parse::Parsers,
    dialect: crate::source::Dialect,
    text: &str,
    seeds: &Literals,
) -> Option<tree_sitter::Tree> {
    use crate::parse::statements;
    let points = statements::Points::new(text);
    let stmts = statements::top_level(p, dialect, text, &points, statements::WINDOW)?;
    let mut seeded = vec![false; stmts.len()];
    seeds.for_each(text.as_bytes(), 0..text.len(), |m| {
        // The statement the word starts in, if any (not between two).
        let i = stmts.partition_point(|s| s.start <= m.start);
        if i > 0 && m.start < stmts[i - 1].end {
            seeded[i - 1] = true;
        }
        ControlFlow::Continue(())
    });
    let chosen = statements::select(text, &stmts, &seeded)?;
    let bytes: usize = chosen.iter().map(|&i| stmts[i].end - stmts[i].start).sum();
    if chosen.is_empty() || bytes > text.len() / 2 {
        return None;
    }
    statements::parse_chosen(p, dialect, text, &points, &stmts, &chosen)
}

/// A literal prefilter over the enabled rules' trigger strings: a file that
/// contains none of them is never parsed (most files in a repository).
struct Prefilter {
    /// The enabled rules' trigger words: "does any occur?" (answered by the
    /// SIMD searcher, which is all most files of a repository need) and
    /// "which occur?" (see [`Literals`]).
    triggers: Literals,
    /// For each trigger pattern, the rules it activates.
    rules_of: Vec<Vec<usize>>,
    /// The triggers of the enabled rules that read CSS: a page's `<style>`
    /// body that contains none is not parsed (see [`Linter::parse_styles`]).
    css: Option<AhoCorasick>,
    /// The triggers and [`FACT_WORDS`]: a big script's statements holding
    /// one are parsed (see [`crate::parse::statements`]). Built on first
    /// use: most runs meet no big script.
    seed_words: Vec<String>,
    seeds: std::sync::OnceLock<Literals>,
    rule_count: usize,
}

impl Prefilter {
    fn new(reg: &Registry, settings: &Settings) -> Prefilter {
        let mut triggers: Vec<String> = Vec::new();
        let mut rules_of: Vec<Vec<usize>> = Vec::new();
        let mut css_triggers: Vec<&str> = Vec::new();
        for (i, r) in reg
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| settings.may_enable(*i))
        {
            if r.detect.css {
                css_triggers.extend(r.triggers.iter().map(String::as_str));
            }
            for t in &r.triggers {
                match triggers.iter().position(|x| x == t) {
                    Some(p) => rules_of[p].push(i),
                    None => {
                        triggers.push(t.clone());
                        rules_of.push(vec![i]);
                    }
                }
            }
        }
        let seed_words: Vec<String> = triggers
            .iter()
            .cloned()
            .chain(FACT_WORDS.iter().map(|w| w.to_string()))
            .collect();
        let triggers = Literals::new(&triggers).expect("literal patterns");
        let css = (!css_triggers.is_empty()).then(|| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(&css_triggers)
                .expect("literal patterns")
        });
        Prefilter {
            triggers,
            rules_of,
            css,
            seed_words,
            seeds: std::sync::OnceLock::new(),
            rule_count: reg.rules.len(),
        }
    }

    /// The seed words of a partial parse (see `seeds`).
    fn seeds(&self) -> &Literals {
        self.seeds
            .get_or_init(|| Literals::new(&self.seed_words).expect("literal patterns"))
    }

    /// Which rules may fire in `text`.
    fn active(&self, text: &[u8]) -> Vec<bool> {
        let mut active = vec![false; self.rule_count];
        let mut seen = vec![false; self.rules_of.len()];
        let mut remaining = self.rules_of.len();
        self.triggers.for_each(text, 0..text.len(), |m| {
            let p = m.pattern;
            if !seen[p] {
                seen[p] = true;
                for &r in &self.rules_of[p] {
                    active[r] = true;
                }
                remaining -= 1;
                if remaining == 0 {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        active
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::versions::Thresholds;
    use std::path::Path;

    fn lint(name: &str, text: &str) -> FileReport {
        let settings = Settings::new(RuleSet::all(Registry::get()), Thresholds::default());
        let linter = Linter::new(settings, PathBuf::from("/nonexistent-oie-lint-test")).unwrap();
        let path = Path::new("/nonexistent-oie-lint-test").join(name);
        let source = SourceFile {
            kind: FileKind::from_path(&path).unwrap(),
            path,
            display: name.to_string(),
            text: text.to_string(),
        };
        linter.lint(&source)
    }

    /// The CSS prefilter: a stylesheet without a trigger word is not even
    /// read; a page's `<style>` body is parsed only when it mentions one of
    /// the CSS rules' trigger words (or the page is Okta-hosted), even when
    /// the page's scripts are parsed for other rules.
    #[test]
    fn styles_are_parsed_only_when_a_css_rule_may_fire() {
        let plain = lint(
            "site.css",
            ".nav a { color: red }\ninput[name=password] { x: y }\n",
        );
        assert!(!plain.parsed && plain.styles_parsed == 0);
        let themed = lint("theme.css", "#okta-sign-in .x { color: red }\n");
        assert!(themed.parsed && themed.styles_parsed == 1);
        let script = "<script>res.session.setCookieAndRedirect(u);</script>";
        let page = lint(
            "a.html",
            &format!("<style>.nav {{ color: red }}</style>{script}"),
        );
        assert!(page.parsed && page.styles_parsed == 0);
        assert_eq!(page.diagnostics.len(), 1, "{:?}", page.diagnostics);
        let page = lint(
            "b.html",
            &format!("<style>.nav {{ }}</style><style>.js-unlock {{ }}</style>{script}"),
        );
        assert_eq!(page.styles_parsed, 1);
        let hosted = lint(
            "c.html",
            "{{{SignInWidgetResources}}}<style>input[name=password] { }</style>",
        );
        assert_eq!(hosted.styles_parsed, 1);
        assert_eq!(hosted.diagnostics.len(), 1, "{:?}", hosted.diagnostics);
    }

    /// Positions in stylesheets are file positions: after a BOM, across
    /// CRLF and CR-only line breaks, after multi-byte characters, and in a
    /// template's `<style>` body whose template tags are masked.
    #[test]
    fn css_positions_are_exact() {
        let at = |name: &str, text: &str| {
            let r = lint(name, text);
            r.diagnostics
                .iter()
                .map(|d| (d.start.line, d.start.column, d.end.line, d.end.column))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            at("bom.css", "\u{feff}#okta-signin-username { a: b }\n"),
            vec![(1, 1, 1, 22)]
        );
        assert_eq!(
            at(
                "crlf.scss",
                "// \u{e9}\r\n#okta-sign-in {\r\n  .\u{e9}, .js-unlock { a: b }\r\n}\r\n"
            ),
            vec![(3, 7, 3, 17)]
        );
        assert_eq!(
            at(
                "cr.less",
                "/* x */\r.a {}\r.\u{fc} .js-help-link { a: b }\r"
            ),
            vec![(3, 4, 3, 17)]
        );
        assert_eq!(
            at(
                "page.hbs",
                "{{{SignInWidgetResources}}}\r\n<style nonce=\"{{nonce}}\">\r\n  .x { color: {{c}}; }\r\n  .\u{e9} #okta-signin-submit { a: b }\r\n</style>\r\n"
            ),
            vec![(4, 6, 4, 25)]
        );
        // A JavaScript selector string with escapes before the token.
        assert_eq!(
            at(
                "x.js",
                "// \u{e9}\r\n$(\"a[title=\\\"\u{e9}\\\"] .js-unlock\");\r\n"
            ),
            vec![(2, 19, 2, 29)]
        );
    }
}
