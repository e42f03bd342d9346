//! Built-in checks: rule logic a query alone cannot express ("this object
//! lacks a key", "this version is below a line").
//!
//! A rule names its check in `[detect] check = "…"`; the engine hands the
//! check every match of the rule's query patterns, then calls [`Check::on_file`]
//! once for file-level sources (HTML attributes, manifests).

// One `pub mod` per file of this folder, and `MODULE_CHECKS`: written by
// build.rs (`check_modules`), so a new check is its rule file and its own
// Rust file, with no list to edit here.
include!(concat!(env!("OUT_DIR"), "/check_modules.rs"));

use crate::diagnostic::Finding;
use crate::settings::Settings;
use crate::source::{page::UrlAttr, FileKind, SourceFile};
use crate::versions::{self, Governing, VersionIndex, WidgetVersion};
use std::cell::OnceCell;
use std::collections::HashMap;
use tree_sitter::Node;

pub use crate::parse::{CssUnit, ServerUnit, Unit};

/// Identifier name → `(unit, start byte, end byte)` of each occurrence.
/// Where names occur: (unit, start byte, end byte) of each node.
type Places = Vec<(usize, usize, usize)>;
type IdentifierIndex = HashMap<String, Places>;

/// Where the file names an identifier (or property), asked by name. The
/// first few names are searched for (their text with `memchr`, then only
/// the paths to those places: a few names in a big file cost little); past
/// that, one walk indexes every name, so following many variables stays
/// one pass over the file.
#[derive(Default)]
struct NameIndex {
    asked: std::cell::RefCell<Vec<(String, Places)>>,
    all: OnceCell<IdentifierIndex>,
}

impl NameIndex {
    /// Names searched for one by one before the whole file is indexed.
    const SEARCHED_NAMES: usize = 8;
}

/// Whether a file reads the Okta session, and the value ranges each name
/// is declared with (the migration's Okta-session warning).
pub(crate) type SessionFacts = (bool, HashMap<String, Vec<std::ops::Range<usize>>>);

/// Everything a check may read about the file being checked.
pub struct FileCtx<'a> {
    pub source: &'a SourceFile,
    /// Same length as `source.text`, template tags masked; what trees were parsed from.
    pub masked: &'a str,
    pub units: &'a [Unit],
    /// `src=`/`href=` attribute values (HTML files only).
    pub urls: &'a [UrlAttr],
    /// An Okta-hosted sign-in page template (see `migrate::hosted`).
    pub hosted: bool,
    pub settings: &'a Settings,
    pub versions: &'a VersionIndex,
    /// The paths of the `check` run, when known (`None`: everything counts
    /// as part of the run).
    pub run_paths: Option<&'a crate::discover::RunPaths>,
    /// The parsed stylesheet regions (a CSS file, a page's `<style>`
    /// bodies), for rules with `[detect] css = true`; empty otherwise.
    pub css: &'a [CssUnit],
    /// In a module that a widget file of the run imports as its config
    /// (see [`config_import`]): the byte ranges of the config object
    /// literals. Their keys are widget config keys, and the module is Okta
    /// sign-in code, though it never names the widget.
    pub config_objects: Vec<std::ops::Range<usize>>,
    /// The file parsed as server code (Java, C#, Python, PHP, Go, Ruby),
    /// for rules with `[detect] server = true`; empty otherwise.
    pub server: &'a [ServerUnit],
    governing: OnceCell<Governing>,
    okta_sign_in_code: OnceCell<bool>,
    /// Identifier name → (unit, byte range) of each occurrence.
    identifiers: NameIndex,
    /// The same for `property_identifier` nodes (method names, `x.name`).
    property_names: NameIndex,
    /// The trees' parents, filled by the pattern walk: checks climb with
    /// `ctx.up.of(n)` / `ctx.up.ancestors(n)`, not `Node::parent` (which
    /// costs the node's depth; see [`syntax::Parents`]).
    pub up: syntax::Parents<'a>,
    /// Every `x.renderEl(…)` call of the file (see [`FileCtx::render_el_calls`]).
    render_el_calls: OnceCell<Vec<Node<'a>>>,
    /// `x.on('event', handler)` calls, see [`FileCtx::events`].
    events: OnceCell<after_render::Events<'a>>,
    /// The file's line index, for positions in messages.
    lines: OnceCell<crate::source::lines::LineIndex>,
    /// `Callback::by_name` results by function node id: each function is
    /// looked up once, however many findings sit inside it.
    named_callbacks: std::cell::RefCell<HashMap<usize, Option<migrate::Callback<'a>>>>,
    /// A class body's or object literal's members by name (by holder node
    /// id), read once each: see `after_render::class_member`.
    pub(crate) members: std::cell::RefCell<HashMap<usize, HashMap<&'a str, Node<'a>>>>,
    widget_names: OnceCell<widget::WidgetNames>,
    /// The app's own promise wrappers around `renderEl`, by wrapper name
    /// (see `migrate::Callback::wrapped`), found once per file.
    pub(crate) promise_wrappers: OnceCell<HashMap<String, Vec<migrate::Wrapper<'a>>>>,
    /// The widget config each widget name is built with (see
    /// `migrate::embedded`), read once per name.
    pub(crate) widget_configs: std::cell::RefCell<HashMap<String, migrate::embedded::Oidc<'a>>>,
    /// Names declared at the top level of the file's scripts.
    pub(crate) top_level_names: OnceCell<std::collections::HashSet<String>>,
    /// Once per file, for the migration's Okta-session warning: whether the
    /// file reads the Okta session, and the value texts each name is
    /// declared with (so each redirect target asks in constant time).
    pub(crate) session_facts: OnceCell<SessionFacts>,
    /// The migration of each `renderEl` success callback (by function node
    /// id): computed once, shared by the callback's hits.
    pub(crate) migrations: std::cell::RefCell<
        HashMap<usize, Result<crate::diagnostic::Fix, crate::diagnostic::NoFix>>,
    >,
}

/// The file facts the matching stage's conditions ask about.
impl<'a> crate::rules::matching::Facts<'a> for FileCtx<'a> {
    fn parents(&self) -> &syntax::Parents<'a> {
        &self.up
    }
    fn masked(&self) -> &'a str {
        self.masked
    }
    fn hosted(&self) -> bool {
        self.hosted
    }
    fn okta_sign_in_code(&self) -> bool {
        !self.config_objects.is_empty() || FileCtx::okta_sign_in_code(self)
    }
    fn widget_version(&self) -> WidgetVersion {
        FileCtx::widget_version(self)
    }
    fn widget_config_key(&self, key: Node<'a>) -> bool {
        widget::key_of_widget_config(self, key) || widget::key_of_imported_config(self, key)
    }
}

impl<'a> FileCtx<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        source: &'a SourceFile,
        masked: &'a str,
        units: &'a [Unit],
        urls: &'a [UrlAttr],
        hosted: bool,
        settings: &'a Settings,
        versions: &'a VersionIndex,
    ) -> Self {
        FileCtx {
            source,
            masked,
            units,
            urls,
            hosted,
            settings,
            versions,
            run_paths: None,
            css: &[],
            config_objects: Vec::new(),
            server: &[],
            governing: OnceCell::new(),
            okta_sign_in_code: OnceCell::new(),
            identifiers: NameIndex::default(),
            property_names: NameIndex::default(),
            up: syntax::Parents::default(),
            render_el_calls: OnceCell::new(),
            events: OnceCell::new(),
            lines: OnceCell::new(),
            named_callbacks: Default::default(),
            members: Default::default(),
            widget_names: OnceCell::new(),
            migrations: Default::default(),
            promise_wrappers: OnceCell::new(),
            widget_configs: Default::default(),
            top_level_names: OnceCell::new(),
            session_facts: OnceCell::new(),
        }
    }

    /// The names the file binds to the Sign-In Widget and to its config
    /// (one walk, on first use; see [`widget`]).
    pub fn widget_names(&self) -> &widget::WidgetNames {
        self.widget_names
            .get_or_init(|| widget::WidgetNames::of(self))
    }

    /// The severity of a finding of `spec`: an error when the spec names the
    /// widget release that removed what it finds (`removed_in`) and the
    /// file's widget version is known and at least that; else the spec's own
    /// (`None`: the rule's).
    pub fn spec_severity(
        &self,
        spec: &crate::rules::QuerySpec,
    ) -> Option<crate::diagnostic::Severity> {
        match &spec.removed_in {
            Some(v) if crate::rules::widget_at_least(&self.widget_version(), v) => {
                Some(crate::diagnostic::Severity::Error)
            }
            _ => spec.severity,
        }
    }

    /// Original text of a node (snippets and messages show the original).
    pub fn text(&self, node: Node) -> &'a str {
        &self.source.text[node.byte_range()]
    }

    /// Whether the file is Okta sign-in code (rules with `context =
    /// "okta"`; see [`session_token::okta_sign_in_code`]), decided once.
    pub fn okta_sign_in_code(&self) -> bool {
        *self
            .okta_sign_in_code
            .get_or_init(|| session_token::okta_sign_in_code(self))
    }

    /// Every `identifier` node of the file's code named `name` (an index
    /// built by one walk on first use, so following many variables costs
    /// one pass over the file).
    pub fn identifier_uses(&self, name: &str) -> Vec<Node<'a>> {
        self.uses_of_kind(&self.identifiers, "identifier", name)
    }

    /// Every `property_identifier` node named `name` (method names,
    /// `x.name`, `{ name: … }` keys), indexed like [`FileCtx::identifier_uses`].
    pub fn property_uses(&self, name: &str) -> Vec<Node<'a>> {
        self.uses_of_kind(&self.property_names, "property_identifier", name)
    }

    fn uses_of_kind(&self, index: &NameIndex, kind: &'static str, name: &str) -> Vec<Node<'a>> {
        let at = |&(u, start, end): &(usize, usize, usize)| {
            self.units[u]
                .tree
                .root_node()
                .descendant_for_byte_range(start, end)
                .filter(|n| n.kind() == kind)
        };
        if let Some(all) = index.all.get() {
            return all
                .get(name)
                .map_or(Vec::new(), |v| v.iter().filter_map(at).collect());
        }
        if let Some((_, v)) = index.asked.borrow().iter().find(|(n, _)| n == name) {
            return v.iter().filter_map(at).collect();
        }
        if index.asked.borrow().len() < NameIndex::SEARCHED_NAMES {
            // Only the paths to the places whose text holds the name.
            let mut found = Vec::new();
            for (i, u) in self.units.iter().enumerate() {
                syntax::walk_containing(u.tree.root_node(), self.masked.as_bytes(), &[name], |n| {
                    if n.kind() == kind && &self.masked[n.byte_range()] == name {
                        found.push((i, n.start_byte(), n.end_byte()));
                    }
                });
            }
            let nodes = found.iter().filter_map(at).collect();
            index.asked.borrow_mut().push((name.to_string(), found));
            return nodes;
        }
        let all = index.all.get_or_init(|| {
            let mut all = IdentifierIndex::new();
            for (i, u) in self.units.iter().enumerate() {
                syntax::walk(u.tree.root_node(), |n| {
                    if n.kind() == kind {
                        let name = &self.masked[n.byte_range()];
                        let at = (i, n.start_byte(), n.end_byte());
                        match all.get_mut(name) {
                            Some(v) => v.push(at),
                            None => {
                                all.insert(name.to_string(), vec![at]);
                            }
                        }
                    }
                });
            }
            all
        });
        all.get(name)
            .map_or(Vec::new(), |v| v.iter().filter_map(at).collect())
    }

    /// Every `x.renderEl(…)` call expression of the file's code, in
    /// document order, found by one walk on first use: a check asking
    /// "is this function passed to `renderEl`?" for every finding would
    /// otherwise walk the whole file each time.
    pub fn render_el_calls(&self) -> &[Node<'a>] {
        self.render_el_calls.get_or_init(|| {
            let mut calls = Vec::new();
            for u in self.units {
                syntax::walk_containing(
                    u.tree.root_node(),
                    self.masked.as_bytes(),
                    &["renderEl"],
                    |n| {
                        if n.kind() == "call_expression"
                            && n.child_by_field_name("function")
                                .filter(|m| m.kind() == "member_expression")
                                .and_then(|m| m.child_by_field_name("property"))
                                .is_some_and(|p| &self.masked[p.byte_range()] == "renderEl")
                        {
                            calls.push(n);
                        }
                    },
                );
            }
            calls.sort_by_key(|c| c.start_byte());
            calls
        })
    }

    /// The file's `x.on('event', handler)` registrations, indexed once on
    /// first use (see [`after_render::Events`]).
    pub fn events(&self) -> &after_render::Events<'a> {
        self.events.get_or_init(|| after_render::Events::of(self))
    }

    /// The 1-based line of byte `at` of the file (CRLF, CR-only and BOM
    /// files alike), for messages that name another line; the index is
    /// built once per file.
    pub fn line_of(&self, at: usize) -> usize {
        let text = &self.source.text;
        self.lines
            .get_or_init(|| crate::source::lines::LineIndex::new(text))
            .position(text, at)
            .line
    }

    /// The manifests governing this file (looked up once, on demand).
    pub fn governing(&self) -> &Governing {
        self.governing
            .get_or_init(|| self.versions.governing(&self.source.path))
    }

    /// The widget version this file runs: a CDN URL in the same HTML page
    /// wins (it is what the page loads), then a local widget bundle the page
    /// loads (`<script src="js/okta-sign-in.min.js">`), else the governing
    /// `package.json` (resolved through the installed copy or the lockfile);
    /// a script no `package.json` gives a widget version gets the lowest
    /// version of the HTML pages that load it (see [`FileCtx::widget_version_from`]).
    pub fn widget_version(&self) -> WidgetVersion {
        self.widget_version_from().0
    }

    /// [`FileCtx::widget_version`], and for a script whose version comes from
    /// the pages that load it, the page that sets it (the one loading the
    /// lowest version), as shown in reports, with how many other pages load
    /// the script.
    pub fn widget_version_from(&self) -> (WidgetVersion, Option<(String, usize)>) {
        if self.source.kind == FileKind::Html {
            let page = versions::pages::page_widget_version(
                &self.source.path,
                &self.source.text,
                self.urls,
                self.versions,
            );
            if let Some(v) = page {
                return (WidgetVersion::Exact(v), None);
            }
        }
        let governing = self.governing();
        if governing.widget.is_none() && matches!(self.source.kind, FileKind::Script(_)) {
            let pages = self.versions.pages_loading(&self.source.path);
            if let Some(first) = pages.first() {
                let shown = crate::source::display_path(&first.page, self.versions.cwd());
                return (
                    WidgetVersion::Exact(first.version.clone()),
                    Some((shown, pages.len() - 1)),
                );
            }
        }
        (governing.widget_version(), None)
    }

    /// The okta-auth-js version this file runs: an okta-auth-js CDN URL in
    /// the same HTML page wins, else the nearest `package.json` declaring
    /// `@okta/okta-auth-js` (resolved through the installed copy or the
    /// lockfile). For rules that depend on the auth-js line (`idx` from 5.1.0).
    pub fn auth_js_version(&self) -> WidgetVersion {
        if self.source.kind == FileKind::Html {
            let lowest = self
                .urls
                .iter()
                .flat_map(|u| versions::cdn::auth_js_versions_in(&self.source.text[u.start..u.end]))
                .filter_map(|u| versions::parse_version(&u.version))
                .min();
            if let Some(v) = lowest {
                return WidgetVersion::Exact(v);
            }
        }
        self.versions
            .version_of(&self.source.path, versions::AUTH_JS_PACKAGE)
    }
}

/// The captures of one query match, by name.
pub struct Captures<'t> {
    pub unit: usize,
    /// Which of the rule's `[[detect.query]]` patterns matched.
    pub spec: usize,
    pub list: Vec<(&'t str, Node<'t>)>,
}

impl<'t> Captures<'t> {
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.list
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, node)| *node)
    }
}

pub trait Check: Send + Sync {
    /// Called for each match of the rule's query patterns.
    fn on_match<'t>(&self, _ctx: &FileCtx<'t>, _m: &Captures<'t>, _out: &mut Vec<Finding>) {}
    /// Called once per file after all matches. `Err` is a one-line problem
    /// with the file's content (reported as an error, exit code 2).
    fn on_file(&self, _ctx: &FileCtx, _out: &mut Vec<Finding>) -> Result<(), String> {
        Ok(())
    }
}

/// The placeholder check of the suppression rules: they never match
/// anything; `crate::suppress::apply` reports them after all checks ran.
struct Suppressions;
impl Check for Suppressions {}
/// The check of rules that read the Okta org instead of files: a no-op here.
struct OrgOnly;
impl Check for OrgOnly {}

/// Builds a check for the rule at index `rule` of the registry.
pub type MakeCheck = fn(rule: usize) -> Box<dyn Check>;

/// The checks of this module itself: rules whose findings come from
/// elsewhere. OIE900/OIE901 are reported by the suppression pass
/// (`crate::suppress`), the org rules (OIE1xx) by `crate::org`.
const BUILT_IN: &[(&str, MakeCheck)] = &[
    ("suppressions", |_| Box::new(Suppressions)),
    ("org", |_| Box::new(OrgOnly)),
];

/// Instantiates the built-in check `name` (a rule file's `[detect] check`)
/// for rule index `rule`. Each check module lists its checks in its
/// `CHECKS` constant.
pub fn make(name: &str, rule: usize) -> Result<Box<dyn Check>, String> {
    std::iter::once(BUILT_IN)
        .chain(MODULE_CHECKS.iter().copied())
        .flatten()
        .find(|(n, _)| *n == name)
        .map(|(_, make)| make(rule))
        .ok_or_else(|| format!("unknown built-in check `{name}`"))
}

/// Every check name, from [`BUILT_IN`] and the modules' `CHECKS`.
pub fn names() -> impl Iterator<Item = &'static str> {
    std::iter::once(BUILT_IN)
        .chain(MODULE_CHECKS.iter().copied())
        .flatten()
        .map(|(n, _)| *n)
}

/// The tree helpers, under the name the checks have always used.
pub use crate::syntax;

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn check_names_are_unique_and_every_rule_names_one() {
        let mut seen = std::collections::BTreeSet::new();
        for n in names() {
            assert!(seen.insert(n), "check `{n}` is defined twice");
        }
        for (i, r) in crate::rules::Registry::get().rules.iter().enumerate() {
            if let Some(name) = &r.detect.check {
                assert!(make(name, i).is_ok(), "{}: unknown check `{name}`", r.code);
            }
        }
        assert!(make("no-such-check", 0).is_err());
    }
}
