//! The rule registry: every rule is one TOML file under `rules/`.
//!
//! A rule file carries the code, slug, severity, messages, documentation,
//! detection and examples (see `CONTRIBUTING.md`, "Adding a rule"). Detection is
//! either a set of tree-sitter query patterns (reported at their `@hit`
//! capture) or the name of a built-in check in [`checks`] that receives the
//! matches of the rule's patterns and decides. One-node patterns of all
//! rules are matched in one walk per tree ([`nodes`]); any other pattern
//! shape goes to one combined query per grammar ([`query`]).

pub mod checks;
pub mod docs;
pub mod matching;

use crate::diagnostic::Severity;
use serde::Deserialize;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// A rule as written in its TOML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    /// One line: what is wrong (SARIF `shortDescription`, `rule --all`).
    pub summary: String,
    /// The default message of a finding.
    pub message: String,
    /// How to fix it, one or two sentences.
    pub help: String,
    /// The Okta documentation the rule follows. A rule documented by this
    /// project's docs (OIE900, OIE901) gives `docs/page.md#anchor` instead: it
    /// becomes a link into the repository (Cargo.toml `repository`), or empty, meaning no
    /// link, while the project has no public home ([`crate::docs_url`]).
    pub url: String,
    /// Whether `url` is this project's documentation rather than Okta's.
    #[serde(skip)]
    pub project_docs: bool,
    /// Literals that must occur in a file for the rule to possibly fire.
    /// A file containing none of any enabled rule's triggers is never parsed.
    pub triggers: Vec<String>,
    /// `okta`: fire only in Okta sign-in code: files that mention Okta, or
    /// that mention authentication (`auth`, `login`, `signIn`) and whose
    /// package depends on an `@okta/` package.
    #[serde(default)]
    pub context: Option<String>,
    /// The checklist group the rule belongs to (see [`CATEGORIES`]); a
    /// selector in `--select`/`select`, and a field of the JSON and SARIF
    /// rule metadata (the audit groups its checklist by it).
    pub category: String,
    /// Off unless selected (by code, slug, prefix, category, `preview` or
    /// `ALL`), as ruff's preview rules: rules that report dead or
    /// deprecated configuration, or that read a heuristic, rather than
    /// code that certainly breaks.
    #[serde(default)]
    pub preview: bool,
    pub detect: Detect,
    /// The docs and examples, parsed on first use (see [`Rule::docs`]).
    #[serde(skip)]
    documentation: OnceLock<Documentation>,
    /// Their JSON, for the compiled-in rules.
    #[serde(skip)]
    documentation_json: DocumentationJson,
}

/// The JSON of a rule's docs and examples (not shown by `Debug`: the
/// parsed form is).
#[derive(Default)]
struct DocumentationJson(&'static str);

impl std::fmt::Debug for DocumentationJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("…")
    }
}

/// The part of a rule file a check run never reads: its documentation and
/// examples. Parsing them was most of loading the rules, a fixed cost of
/// every run (a third of the rules' text is examples); the compiled-in
/// rules parse them when asked (`oie-lint rule`, SARIF, the tests).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Documentation {
    pub docs: Docs,
    #[serde(default)]
    pub valid: Vec<Example>,
    #[serde(default)]
    pub invalid: Vec<Example>,
}

impl Rule {
    /// A rule file's text, its docs and examples read at once.
    fn from_toml(text: &str) -> Result<Rule, String> {
        let mut value: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut documentation = toml::Table::new();
        for key in ["docs", "valid", "invalid"] {
            if let Some(v) = value.remove(key) {
                documentation.insert(key.to_string(), v);
            }
        }
        let rule: Rule = value
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string())?;
        let docs: Documentation = documentation
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string())?;
        let _ = rule.documentation.set(docs);
        Ok(rule)
    }

    fn documentation(&self) -> &Documentation {
        self.documentation.get_or_init(|| {
            serde_json::from_str(self.documentation_json.0)
                .unwrap_or_else(|e| panic!("{}: docs and examples: {e}", self.code))
        })
    }

    /// What it does, why it breaks, how to fix, fix safety, sources.
    pub fn docs(&self) -> &Docs {
        &self.documentation().docs
    }

    /// Examples the rule must stay silent on.
    pub fn valid(&self) -> &[Example] {
        &self.documentation().valid
    }

    /// Examples the rule must flag as their `expect:` comments say.
    pub fn invalid(&self) -> &[Example] {
        &self.documentation().invalid
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub how: String,
    pub fix_safety: String,
    /// Where the rule was measured on real code and how precise it was;
    /// for a preview rule, why it is not in the default set.
    #[serde(default)]
    pub precision: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    /// A built-in check (see [`checks::make`]) that receives the query matches.
    #[serde(default)]
    pub check: Option<String>,
    #[serde(default)]
    pub query: Vec<QuerySpec>,
    /// `hosted`: only Okta-hosted sign-in page templates (see
    /// `rules::checks::migrate::hosted::is_hosted_page`); `embedded`: only other files. Default: both.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Report only when the file's governing widget version (as OIE003
    /// reads it) is known and every version it admits is at least this
    /// (`"7.0.0"`): a finding about an option that only changed meaning in
    /// that line stays silent when the version is unknown or older.
    #[serde(default)]
    pub widget_min: Option<String>,
    /// The rule also reads stylesheets: `.css`/`.scss`/`.less` files and
    /// the `<style>` blocks of pages are parsed with the CSS grammar for it
    /// (a block only when it mentions one of the rule's triggers, or when
    /// the page is an Okta-hosted template), and its check receives the
    /// trees in [`checks::FileCtx::css`].
    #[serde(default)]
    pub css: bool,
    /// The rule also reads server code (Java, C#, Python, PHP, Go, Ruby:
    /// [`crate::source::ServerLang`]): such a file that mentions one of the
    /// rule's triggers is parsed with its grammar, and the check receives
    /// the trees in [`checks::FileCtx::server`]. Rules without it never see
    /// a server file.
    #[serde(default)]
    pub server: bool,
    /// The rule stays off in test code ([`is_test_file`]: test folders and
    /// names such as `*.test.js`, `*.spec.ts`, `*.test-d.ts`), decided from
    /// the path before the file is parsed. For rules whose findings there
    /// were test doubles, mocked clients and type tests rather than code
    /// that runs against the org (issue 26's precision measurement).
    #[serde(default)]
    pub skip_tests: bool,
    /// Data a check reads (`[detect.params]`): the lists it matches, kept
    /// in the rule file so the rule's docs and triggers are checked against
    /// the same list (`tests/it/rule_params.rs`).
    #[serde(default)]
    pub params: serde_json::Value,
}

/// Where a rule applies (see [`Detect::scope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Hosted,
    Embedded,
}

/// The checklist groups, in checklist order, with what each covers.
pub const CATEGORIES: &[(&str, &str)] = &[
    (
        "migration-guide",
        "the four changes Okta's migration guide names",
    ),
    (
        "hosted-page",
        "customised Okta-hosted sign-in page templates",
    ),
    (
        "widget-config",
        "Sign-In Widget options, hooks and APIs that changed",
    ),
    (
        "widget-customization",
        "styling, DOM selectors, events and strings of the Classic widget",
    ),
    ("auth-js", "okta-auth-js Classic (Authn) calls and versions"),
    (
        "authn-api",
        "custom sign-in on the Classic Authentication API (`/api/v1/authn`) in server and page code",
    ),
    ("org", "the Okta org's own settings (`oie-lint org`)"),
    ("suppression", "`oie-lint-ignore` comments"),
];

/// The group selector of every rule that is on by default.
pub const DEFAULT_GROUP: &str = "recommended";
/// The group selector of the rules that are off by default.
pub const PREVIEW_GROUP: &str = "preview";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuerySpec {
    /// A tree-sitter query over the JavaScript/TypeScript grammars. Query-only
    /// rules report the node captured as `@hit`.
    pub pattern: String,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub message: Option<String>,
    /// Grammars the pattern applies to (`javascript`, `typescript`, `tsx`);
    /// default all. JSX node types, for one, exist only in `javascript` and `tsx`.
    #[serde(default)]
    pub dialects: Vec<String>,
    /// Where the captured node must sit, innermost step first: `kind` (its
    /// parent has this kind) or `kind.field` (and the node is that parent's
    /// `field` child); each step climbs one level. A pattern that uses
    /// `inside` captures exactly one node. Checked in Rust after the match,
    /// so that the pattern stays one node: those are matched by node kind in
    /// one tree walk, with no query to compile (see [`nodes`]).
    #[serde(default)]
    pub inside: Vec<String>,
    /// The object the captured key or property belongs to must be named one
    /// of these: `features` takes `features: { X }`, `config.features = { X }`,
    /// `var features = { X }` and `config.features.X` (see [`owner_name`]).
    #[serde(default)]
    pub parent: Vec<String>,
    /// The object the captured key belongs to must not be named one of
    /// these, as `parent` names it: `not_parent = ["OktaAuth"]` leaves out
    /// the keys of `new OktaAuth({ … })`, an okta-auth-js config, where no
    /// widget option applies (issue 26).
    #[serde(default)]
    pub not_parent: Vec<String>,
    /// The value given to the captured key must be one of these texts
    /// (`pkce: false`, `config.useClassicEngine = true`); a key with no
    /// value of its own (shorthand, a read) does not match.
    #[serde(default)]
    pub value: Vec<String>,
    /// The value given to the captured key must not be one of these texts:
    /// `not_value = ["[]", "''"]` leaves out `idps: []` and `idps: ''`, an
    /// app's empty default that configures nothing (issue 26). A key with
    /// no value of its own is not left out.
    #[serde(default)]
    pub not_value: Vec<String>,
    /// A generic fix for the finding: `delete-key` removes the property (or
    /// the `x.key = …;` statement) the captured key belongs to.
    #[serde(default)]
    pub fix: Option<GenericFix>,
    /// The captured string literal must be compared for (in)equality
    /// (`===`, `==`, `!==`, `!=`) or be a `case` label: `res.status ===
    /// 'IDP_DISCOVERY'` matches, `var label = 'IDP_DISCOVERY'` does not
    /// (see [`keys::is_compared`]).
    #[serde(default)]
    pub compared: bool,
    /// The object the captured key belongs to must be a Sign-In Widget
    /// config of the file: `config.idps = …` where `config` is passed to
    /// `new OktaSignIn(config)` or holds `OktaUtil.getSignInWidgetConfig()`,
    /// or a key of a literal passed to `new OktaSignIn({ … })` (see
    /// `checks::widget::key_of_widget_config`).
    #[serde(default)]
    pub widget_config: bool,
    /// The widget release that removed what the pattern finds (`"5.0.0"`):
    /// the finding is an error when the file's governing widget version (as
    /// OIE003 reads it) is known and at least this, the spec's severity
    /// otherwise (the code still runs on the older widget, but breaks on
    /// the upgrade).
    #[serde(default)]
    pub removed_in: Option<String>,
}

/// Fixes a query-only rule can declare (see [`QuerySpec::fix`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenericFix {
    pub action: FixAction,
    /// `safe` or `unsafe`.
    pub applicability: crate::diagnostic::Applicability,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAction {
    DeleteKey,
}

/// Whether a file is test code, by its folders (`test/`, `tests/`, `spec/`,
/// `specs/`, `__tests__/`, `__mocks__/`, `e2e/`, `cypress/`, `playwright/`)
/// or its name (`*.test.*`, `*.spec.*`, type tests `*.test-d.ts`,
/// `*_test.go`, `test_*.py`, `*_test.py`, `*Test.java`, `*Tests.cs`,
/// `*_spec.rb`, `*Spec.js`, …). `path` is the path as reports show it
/// (relative, `/` or `\` separated). Rules with [`Detect::skip_tests`] never
/// see such a file.
pub fn is_test_file(path: &str) -> bool {
    let mut parts = path.split(['/', '\\']);
    let name = parts.next_back().unwrap_or("");
    let folder = parts.any(|d| {
        matches!(
            d.to_ascii_lowercase().as_str(),
            "test"
                | "tests"
                | "spec"
                | "specs"
                | "__tests__"
                | "__mocks__"
                | "e2e"
                | "cypress"
                | "playwright"
        )
    });
    let stem = name.split('.').next().unwrap_or(name);
    folder
        || name.contains(".test.")
        || name.contains(".spec.")
        || name.contains(".test-d.")
        || name.contains(".spec-d.")
        || stem.ends_with("_test")
        || stem.ends_with("_spec")
        || stem.starts_with("test_")
        || stem.ends_with("Test")
        || stem.ends_with("Tests")
        || stem.ends_with("Spec")
}

impl Detect {
    /// Whether the rule applies to a file that is (or is not) an Okta-hosted template.
    pub fn scope_ok(&self, hosted: bool) -> bool {
        match self.scope {
            None => true,
            Some(Scope::Hosted) => hosted,
            Some(Scope::Embedded) => !hosted,
        }
    }

    /// Whether the `widget_min` gate lets a file with widget version `w` through.
    pub fn widget_ok(&self, w: &crate::versions::WidgetVersion) -> bool {
        self.widget_min
            .as_deref()
            .is_none_or(|min| widget_at_least(w, min))
    }
}

/// Whether the widget version `w` is known and every version it admits is
/// at least `min`.
pub fn widget_at_least(w: &crate::versions::WidgetVersion, min: &str) -> bool {
    use crate::versions::WidgetVersion;
    let Ok(below) = nodejs_semver::Range::parse(format!("<{min}")) else {
        return false;
    };
    match w {
        WidgetVersion::Exact(v) => !below.satisfies(v),
        WidgetVersion::Range { range, .. } => !range.allows_any(&below),
        WidgetVersion::Unknown => false,
    }
}

impl QuerySpec {
    /// The `parent` and `value` conditions on the captured key `node`
    /// (`src`: the text the tree was parsed from).
    pub fn key_ok<'t>(
        &self,
        node: tree_sitter::Node<'t>,
        src: &str,
        up: &crate::syntax::Parents<'t>,
    ) -> bool {
        (self.parent.is_empty() || matching::keys::owner_is(node, src, &self.parent, up))
            && (self.not_parent.is_empty()
                || !matching::keys::owner_is(node, src, &self.not_parent, up))
            && (self.value.is_empty() || matching::keys::value_is(node, src, &self.value, up))
            && (self.not_value.is_empty()
                || !matching::keys::value_is(node, src, &self.not_value, up))
    }

    /// Whether `node` sits where [`QuerySpec::inside`] says (`up`: the
    /// tree's parents).
    pub fn inside_ok<'t>(
        &self,
        node: tree_sitter::Node<'t>,
        up: &crate::syntax::Parents<'t>,
    ) -> bool {
        let mut node = node;
        for step in &self.inside {
            let (kind, field) = match step.split_once('.') {
                Some((k, f)) => (k, Some(f)),
                None => (step.as_str(), None),
            };
            let Some(parent) = up.of(node) else {
                return false;
            };
            if parent.kind() != kind {
                return false;
            }
            if let Some(f) = field {
                if parent.child_by_field_name(f).map(|c| c.id()) != Some(node.id()) {
                    return false;
                }
            }
            node = parent;
        }
        true
    }

    pub fn applies_to(&self, dialect: crate::source::Dialect) -> bool {
        self.dialects.is_empty()
            || self
                .dialects
                .iter()
                .any(|d| d.eq_ignore_ascii_case(dialect.name()))
    }
}

/// A code example in a rule file. `invalid` examples mark each expected
/// finding with an `expect: CODE` comment on the line before it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub filename: String,
    pub code: String,
    /// Expected text after all fixes are applied (see the fix engine).
    #[serde(default)]
    pub fixed: Option<String>,
    /// Files placed beside the example (e.g. a `package.json`), as `name = text`.
    #[serde(default)]
    pub files: std::collections::BTreeMap<String, String>,
}

pub struct Registry {
    pub rules: Vec<Rule>,
}

impl Registry {
    /// The rules compiled into this binary, parsed once.
    pub fn get() -> &'static Registry {
        static REG: OnceLock<Registry> = OnceLock::new();
        REG.get_or_init(|| {
            // The JSON form build.rs made of each rule file (see there).
            let rules = RULE_JSON.iter().map(|(file, json, docs)| {
                let rule = serde_json::from_str(json)
                    .map(|rule: Rule| Rule {
                        documentation_json: DocumentationJson(docs),
                        ..rule
                    })
                    .map_err(|e| format!("rules/{file}: {e}"));
                (*file, rule)
            });
            Registry::check(rules).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// Parses rule files (TOML text); errors name the file. Public for tests.
    pub fn parse(files: &[(&str, &str)]) -> Result<Registry, String> {
        Registry::check(files.iter().map(|(file, text)| {
            let rule = Rule::from_toml(text).map_err(|e| format!("rules/{file}: {e}"));
            (*file, rule)
        }))
    }

    /// Checks what every rule file must hold and sorts the rules by code.
    /// (Docs and examples are checked by [`Registry::parse`], which reads
    /// them at once; a test parses every rule file that way.)
    fn check<'f>(
        files: impl Iterator<Item = (&'f str, Result<Rule, String>)>,
    ) -> Result<Registry, String> {
        let mut rules = Vec::new();
        for (file, rule) in files {
            let mut rule: Rule = rule?;
            if rule.url.starts_with("docs/") {
                rule.url = crate::docs_url(&rule.url).unwrap_or_default();
                rule.project_docs = true;
            }
            let expected = format!("{}-{}.toml", rule.code, rule.name);
            if file != expected {
                return Err(format!("rules/{file}: file name must be {expected}"));
            }
            if rule.detect.check.is_none() && rule.detect.query.is_empty() {
                return Err(format!("rules/{file}: [detect] needs a check or a query"));
            }
            if !CATEGORIES.iter().any(|(c, _)| *c == rule.category) {
                return Err(format!(
                    "rules/{file}: unknown category `{}` (one of {})",
                    rule.category,
                    CATEGORIES
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let versions = rule
                .detect
                .widget_min
                .iter()
                .map(|v| ("widget_min", v))
                .chain(
                    rule.detect
                        .query
                        .iter()
                        .filter_map(|q| q.removed_in.as_ref().map(|v| ("removed_in", v))),
                );
            for (field, v) in versions {
                if nodejs_semver::Version::parse(v).is_err() {
                    return Err(format!("rules/{file}: `{field}` `{v}` is not a version"));
                }
            }
            rules.push(rule);
        }
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Registry { rules })
    }

    /// Finds a rule by code (`OIE001`) or slug (`session-token`), case-insensitively.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
    }

    /// The rule code or slug closest to a mistyped `key` (strsim's
    /// Jaro-Winkler, case-insensitive), when one is close enough.
    pub fn suggest(&self, key: &str) -> Option<&str> {
        let key = key.trim().to_ascii_lowercase();
        self.rules
            .iter()
            .flat_map(|r| [r.code.as_str(), r.name.as_str()])
            .map(|c| (strsim::jaro_winkler(&key, &c.to_ascii_lowercase()), c))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c)
    }

    /// "unknown rule selector `X`", with a suggestion when one is close.
    pub fn unknown_selector(&self, selector: &str) -> String {
        match self.suggest(selector) {
            Some(s) => format!(
                "unknown rule selector `{selector}`; did you mean `{s}`? (see `oie-lint rule --all`)"
            ),
            None => format!("unknown rule selector `{selector}` (see `oie-lint rule --all`)"),
        }
    }

    /// Rule indices a selector names: a code, a slug, a code prefix
    /// (`OIE00`), a category (`hosted-page`), a group (`recommended`: the
    /// rules on by default; `preview`: the others) or `ALL`.
    pub fn matching(&self, selector: &str) -> Vec<usize> {
        let s = selector.trim();
        (0..self.rules.len())
            .filter(|&i| {
                let r = &self.rules[i];
                s.eq_ignore_ascii_case("ALL")
                    || r.name.eq_ignore_ascii_case(s)
                    || r.category.eq_ignore_ascii_case(s)
                    || (s.eq_ignore_ascii_case(DEFAULT_GROUP) && !r.preview)
                    || (s.eq_ignore_ascii_case(PREVIEW_GROUP) && r.preview)
                    || (!s.is_empty()
                        && r.code
                            .to_ascii_uppercase()
                            .starts_with(&s.to_ascii_uppercase()))
            })
            .collect()
    }
}

/// Which rules a run uses. Built from `--select`/`--ignore` style lists.
#[derive(Debug, Clone)]
pub struct RuleSet {
    enabled: Vec<bool>,
}

impl RuleSet {
    pub fn all(reg: &Registry) -> Self {
        RuleSet {
            enabled: vec![true; reg.rules.len()],
        }
    }

    /// The rules a run uses when nothing is selected: all but the preview ones.
    pub fn default_set(reg: &Registry) -> Self {
        RuleSet {
            enabled: reg.rules.iter().map(|r| !r.preview).collect(),
        }
    }

    pub fn none(reg: &Registry) -> Self {
        RuleSet {
            enabled: vec![false; reg.rules.len()],
        }
    }

    /// `select` (empty = all) minus `ignore`. Unknown selectors are errors.
    pub fn from_selectors(
        reg: &Registry,
        select: &[String],
        ignore: &[String],
    ) -> Result<Self, String> {
        let resolve = |s: &String| {
            let m = reg.matching(s);
            if m.is_empty() {
                Err(reg.unknown_selector(s))
            } else {
                Ok(m)
            }
        };
        let mut enabled = vec![select.is_empty(); reg.rules.len()];
        for s in select {
            for i in resolve(s)? {
                enabled[i] = true;
            }
        }
        for s in ignore {
            for i in resolve(s)? {
                enabled[i] = false;
            }
        }
        Ok(RuleSet { enabled })
    }

    pub fn is_enabled(&self, rule: usize) -> bool {
        self.enabled.get(rule).copied().unwrap_or(false)
    }

    /// Enables or disables one rule (used by per-path overrides).
    pub fn set(&mut self, rule: usize, on: bool) {
        if let Some(e) = self.enabled.get_mut(rule) {
            *e = on;
        }
    }
}

/// The category of a rule (empty for an unknown code).
pub fn category_of(code: &str) -> &'static str {
    let reg = Registry::get();
    reg.find(code)
        .map(|i| reg.rules[i].category.as_str())
        .unwrap_or_default()
}

impl Rule {
    /// What its `url` links to, for a "LABEL: url" line.
    pub fn url_label(&self) -> &'static str {
        if self.project_docs {
            "oie-lint documentation"
        } else {
            "Okta documentation"
        }
    }
}

/// The documentation link of a rule (its Okta source page), empty when the
/// rule has none (see [`Rule::url`]).
pub fn docs_url(code: &str, _name: &str) -> String {
    let reg = Registry::get();
    reg.find(code)
        .map(|i| reg.rules[i].url.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_loads_and_is_sorted() {
        let reg = Registry::get();
        assert!(reg.rules.len() >= 4);
        assert!(reg.rules.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(
            reg.find("session-token")
                .map(|i| reg.rules[i].code.as_str()),
            Some("OIE002")
        );
        assert_eq!(
            reg.find("oie003").map(|i| reg.rules[i].name.as_str()),
            Some("missing-interaction-code-flow")
        );
    }

    #[test]
    fn selectors() {
        let reg = Registry::get();
        let set =
            RuleSet::from_selectors(reg, &["OIE00".into()], &["session-token".into()]).unwrap();
        assert!(set.is_enabled(reg.find("OIE001").unwrap()));
        assert!(!set.is_enabled(reg.find("OIE002").unwrap()));
        assert!(RuleSet::from_selectors(reg, &["XYZ".into()], &[]).is_err());
    }

    /// The JSON build.rs embeds reads as the same rules as the TOML files.
    #[test]
    fn the_embedded_json_is_the_toml_rules() {
        let from_toml = Registry::parse(RULE_FILES).unwrap();
        let from_json = Registry::get();
        assert_eq!(from_toml.rules.len(), RULE_FILES.len());
        // The docs and examples of the compiled-in rules are read on first use.
        for r in &from_json.rules {
            r.docs();
        }
        assert_eq!(
            format!("{:?}", from_toml.rules),
            format!("{:?}", from_json.rules)
        );
    }

    #[test]
    fn categories_and_groups_select_rules() {
        let reg = Registry::get();
        let code = |i: &usize| reg.rules[*i].code.as_str();
        let guide: Vec<_> = reg.matching("migration-guide").iter().map(code).collect();
        assert_eq!(guide, ["OIE001", "OIE002", "OIE003", "OIE004"]);
        let default = RuleSet::default_set(reg);
        for (i, r) in reg.rules.iter().enumerate() {
            assert_eq!(default.is_enabled(i), !r.preview, "{}", r.code);
            assert_eq!(
                reg.matching("preview").contains(&i),
                r.preview,
                "{}",
                r.code
            );
            assert_eq!(
                reg.matching("recommended").contains(&i),
                !r.preview,
                "{}",
                r.code
            );
        }
        assert!(reg.rules.iter().any(|r| r.preview));
        assert!(reg.matching("ALL").len() == reg.rules.len());
    }

    #[test]
    fn test_files_by_folder_and_name() {
        for p in [
            "test/types/auth.test-d.ts",
            "samples/test/support/action/startApp.ts",
            "src/__tests__/Login.jsx",
            "src/__mocks__/okta.js",
            "e2e/login.ts",
            "src/login.test.js",
            "src/login.spec.ts",
            "pkg/okta_test.go",
            "tests\\test_login.py",
            "src/LoginTest.java",
            "Web/LoginTests.cs",
            "spec/login_spec.rb",
            "src/LoginSpec.js",
        ] {
            assert!(is_test_file(p), "{p}");
        }
        // Look-alike names and folders are application code.
        for p in [
            "src/latest.js",
            "src/contest/Login.jsx",
            "src/testing-utils/okta.js",
            "src/attestation.ts",
            "src/specials/login.js",
            "Login.aspx",
            "test.html",
            "src/manifest.json",
        ] {
            assert!(!is_test_file(p), "{p}");
        }
    }

    #[test]
    fn a_rule_needs_a_known_category() {
        let text = RULE_FILES[0]
            .1
            .replace("category = \"migration-guide\"", "category = \"nonsense\"");
        let err = Registry::parse(&[(RULE_FILES[0].0, &text)]).err().unwrap();
        assert!(err.contains("unknown category `nonsense`"), "{err}");
    }

    #[test]
    fn widget_gate_needs_a_known_version_at_or_above() {
        use crate::versions::WidgetVersion;
        let detect = Detect {
            check: None,
            query: Vec::new(),
            scope: None,
            widget_min: Some("7.0.0".into()),
            css: false,
            server: false,
            skip_tests: false,
            params: serde_json::Value::Null,
        };
        let v = |s: &str| WidgetVersion::Exact(nodejs_semver::Version::parse(s).unwrap());
        let r = |s: &str| WidgetVersion::Range {
            spec: s.into(),
            range: nodejs_semver::Range::parse(s).unwrap(),
        };
        assert!(detect.widget_ok(&v("7.0.0")) && detect.widget_ok(&v("7.14.1")));
        assert!(!detect.widget_ok(&v("6.9.0")));
        assert!(detect.widget_ok(&r("^7.3.0")));
        assert!(!detect.widget_ok(&r(">=6.0.0")));
        assert!(!detect.widget_ok(&WidgetVersion::Unknown));
    }

    #[test]
    fn removed_in_must_be_a_version() {
        let (file, text) = RULE_FILES
            .iter()
            .find(|(f, _)| f.starts_with("OIE021"))
            .unwrap();
        assert!(text.contains("removed_in = \"5.0.0\""));
        assert!(Registry::parse(&[(file, text)]).is_ok());
        let bad = text.replacen("removed_in = \"5.0.0\"", "removed_in = \"five\"", 1);
        let err = Registry::parse(&[(file, &bad)]).err().unwrap();
        assert!(
            err.contains("`removed_in` `five` is not a version"),
            "{err}"
        );
    }

    #[test]
    fn bad_file_name_is_rejected() {
        let text = RULE_FILES[0].1;
        let err = Registry::parse(&[("OIE999-wrong.toml", text)])
            .err()
            .unwrap();
        assert!(err.contains("file name must be"), "{err}");
    }
}
