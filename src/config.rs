//! The config file: `oie-lint.toml` or `.oie-lint.toml`.
//!
//! Found by walking up from each checked path ([`find_for`], as ruff does);
//! the nearest file is the only one used for that path (no merging of
//! nested configs: oxlint's and ESLint's users show how confusing implicit
//! merging is). `--config PATH` names one,
//! `--isolated` ignores them all. Command-line flags override config values.
//!
//! Every value that can be wrong keeps its byte span (`toml::Spanned`), so an
//! unknown key, a bad type, an unknown rule or a bad glob is reported as
//! `oie-lint.toml:LINE:COL: …` naming the key (exit code 2).

use crate::diagnostic::Severity;
use crate::pathglob::PathGlobs;
use crate::rules::{Registry, RuleSet};
use crate::settings::{PathOverride, Settings};
use crate::source::ExtensionMap;
use crate::versions::{self, Thresholds};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Config file names, in the order they are looked for in each directory.
pub const FILE_NAMES: [&str; 2] = ["oie-lint.toml", ".oie-lint.toml"];

/// What `exclude` is when the config does not set it (the walker's old
/// built-in skip list): package manager directories.
pub const DEFAULT_EXCLUDES: &[&str] = &["node_modules/", "bower_components/", "jspm_packages/"];

pub const DEFAULT_MIN_WIDGET_VERSION: &str = "5.2.0";
pub const DEFAULT_RECOMMENDED_WIDGET_VERSION: &str = "5.11.0";

/// The file as written. Field docs are the reference for `docs/configuration.md`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawConfig {
    /// Rules to run (codes, slugs, prefixes, categories, groups, `ALL`);
    /// default the `recommended` group (every rule not marked preview).
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules added to `select` (or to all rules).
    #[serde(default)]
    pub extend_select: Vec<Spanned<String>>,
    /// Rules to skip.
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    /// Selector → `"error"` or `"warning"`.
    pub severity: Option<Spanned<BTreeMap<String, Spanned<Severity>>>>,
    /// Replaces the default excludes (`node_modules/` …).
    pub exclude: Option<Vec<Spanned<String>>>,
    /// Added to `exclude`.
    #[serde(default)]
    pub extend_exclude: Vec<Spanned<String>>,
    pub min_widget_version: Option<Spanned<String>>,
    pub recommended_widget_version: Option<Spanned<String>>,
    pub target_widget_version: Option<Spanned<String>>,
    /// The encoding of files that are neither UTF-8 nor declare one.
    pub encoding: Option<Spanned<String>>,
    /// Extension → language (`txt = "html"`): extra files to read.
    pub extension: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    /// Files above this size are skipped with a warning: bytes, or `20M`.
    pub max_filesize: Option<Spanned<SizeValue>>,
    #[serde(default)]
    pub overrides: Vec<Spanned<RawOverride>>,
    /// `[fix]`: what the fixes may insert that the code cannot tell.
    pub fix: Option<Spanned<RawFix>>,
}

/// The `[fix]` table: the OIDC app the embedded migration adds to a widget
/// config that has none (`check --client-id`/`--redirect-uri` win).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawFix {
    /// The OIDC app's client ID (Interaction Code grant, PKCE).
    pub client_id: Option<Spanned<String>>,
    /// A sign-in redirect URI registered on that app.
    pub redirect_uri: Option<Spanned<String>>,
    /// The authorization server, when not the org's default.
    pub issuer: Option<Spanned<String>>,
}

/// The keys of the `[fix]` table.
pub const FIX_KEYS: &[&str] = &["client-id", "redirect-uri", "issuer"];

/// The top-level keys, for "did you mean" (kept in step with [`RawConfig`]
/// by a test).
pub const KEYS: &[&str] = &[
    "select",
    "extend-select",
    "ignore",
    "severity",
    "exclude",
    "extend-exclude",
    "min-widget-version",
    "recommended-widget-version",
    "target-widget-version",
    "extension",
    "encoding",
    "max-filesize",
    "overrides",
    "fix",
];

/// The keys of an `[[overrides]]` entry.
pub const OVERRIDE_KEYS: &[&str] = &["files", "select", "ignore", "severity"];
/// `max-filesize = 1048576` or `max-filesize = "1M"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum SizeValue {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawOverride {
    pub files: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    pub severity: Option<Spanned<BTreeMap<String, Spanned<Severity>>>>,
}

/// A loaded config file.
#[derive(Debug)]
pub struct ConfigFile {
    /// As the user should see it (relative to the working directory when below it).
    pub display: String,
    /// The directory globs are relative to (absolute).
    pub dir: PathBuf,
    pub text: String,
    pub raw: RawConfig,
}

/// A problem in a config file, at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem is not at a position (I/O).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl ConfigFile {
    /// Reads and parses `path`. Syntax, unknown keys and wrong types fail here.
    pub fn load(path: &Path, cwd: &Path) -> Result<ConfigFile, ConfigError> {
        let abs = crate::pathglob::normalize(cwd, path);
        let display = crate::source::display_path(&abs, &crate::pathglob::normalize(cwd, cwd));
        let err = |message: String| ConfigError {
            file: display.clone(),
            line: 0,
            column: 0,
            message,
        };
        let text = crate::source::overlay::read_to_string(&abs)
            .map_err(|e| err(format!("cannot read config file: {e}")))?;
        let dir = abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf());
        let mut file = ConfigFile {
            display,
            dir,
            text,
            raw: RawConfig::default(),
        };
        file.raw = toml::from_str(&file.text).map_err(|e| {
            let start = e.span().map_or(0, |s| s.start);
            let message = did_you_mean_key(e.message().trim());
            // Unknown-field messages already name the key; others get it prefixed.
            let message = match key_at(&file.text, start) {
                Some(key) if !message.starts_with("unknown field") => format!("`{key}`: {message}"),
                _ => message,
            };
            file.error_at(start, message)
        })?;
        Ok(file)
    }

    fn error_at(&self, offset: usize, message: String) -> ConfigError {
        let (line, column) = line_col(&self.text, offset);
        ConfigError {
            file: self.display.clone(),
            line,
            column,
            message,
        }
    }
}

/// toml's "unknown field `selct`, expected one of …" becomes
/// "unknown field `selct`; did you mean `select`?" when a key is close.
fn did_you_mean_key(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some(key) = rest.split('`').next() else {
        return message.to_string();
    };
    let best = KEYS
        .iter()
        .chain(OVERRIDE_KEYS)
        .chain(FIX_KEYS)
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, k)) => format!("unknown field `{key}`; did you mean `{k}`?"),
        None => message.to_string(),
    }
}

/// The nearest config file at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| crate::source::overlay::is_file(p))
}

/// The config file that governs `path` (a file or directory named on the
/// command line, relative to `cwd`): the nearest at or above it (a file:
/// its directory), as ruff looks it up, so the result does not depend on
/// where the command was started.
pub fn find_for(cwd: &Path, path: &Path) -> Option<PathBuf> {
    let abs = crate::pathglob::normalize(cwd, path);
    if abs.is_dir() {
        find(&abs)
    } else {
        find(abs.parent().unwrap_or(&abs))
    }
}

/// Values from the command line, which win over the config file's.
#[derive(Debug, Default, Clone)]
pub struct CliLayer<'a> {
    pub select: &'a [String],
    /// `--extend-select`: added to the selection (the config's or `--select`).
    pub extend_select: &'a [String],
    pub ignore: &'a [String],
    /// `--exclude`: replaces the config's `exclude` (relative to the working directory).
    pub exclude: Option<&'a [String]>,
    /// `--extend-exclude`: added to the excludes.
    pub extend_exclude: &'a [String],
    /// `--extension EXT:LANG` pairs (win over the config's `extension`).
    pub extension: &'a [String],
    /// `--encoding LABEL` (wins over the config's `encoding`).
    pub encoding: Option<&'a str>,
    pub min_widget_version: Option<&'a str>,
    pub recommended_widget_version: Option<&'a str>,
    pub target_widget_version: Option<&'a str>,
    pub max_filesize: Option<&'a str>,
    /// `--client-id` (wins over `[fix] client-id`).
    pub client_id: Option<&'a str>,
    /// `--redirect-uri` (wins over `[fix] redirect-uri`).
    pub redirect_uri: Option<&'a str>,
}

/// Everything a run takes from the config file and the command line.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Includes `excludes`: `exclude` + `extend-exclude`, rooted at the config file's directory.
    pub settings: Settings,
    /// The config file used, as displayed.
    pub config_file: Option<String>,
    /// The exclude patterns in effect, as written (`--show-settings`).
    pub excludes: Vec<String>,
}

/// The settings for each group of `paths` that share a config file: one
/// group with `explicit` or `isolated`, else one per config file found by
/// [`find_for`] (`-`, standard input, is looked up from `stdin_name` or the
/// working directory). Groups keep the paths' order; no config merging.
pub fn resolve_for_paths(
    cwd: &Path,
    explicit: Option<&Path>,
    isolated: bool,
    cli: &CliLayer,
    paths: &[PathBuf],
    stdin_name: Option<&Path>,
) -> Result<Vec<(Resolved, Vec<PathBuf>)>, String> {
    if isolated || explicit.is_some() {
        let r = load_and_resolve(cwd, explicit, isolated, cli)?;
        return Ok(vec![(r, paths.to_vec())]);
    }
    let mut groups: Vec<(Option<PathBuf>, Vec<PathBuf>)> = Vec::new();
    for p in paths {
        let at = if p.as_os_str() == "-" {
            stdin_name.map_or_else(|| find(cwd), |n| find_for(cwd, n))
        } else {
            find_for(cwd, p)
        };
        match groups.iter_mut().find(|(c, _)| *c == at) {
            Some((_, list)) => list.push(p.clone()),
            None => groups.push((at, vec![p.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(config, list)| {
            let file = config
                .map(|c| ConfigFile::load(&c, cwd).map_err(|e| e.to_string()))
                .transpose()?;
            Ok((resolve(cwd, file.as_ref(), cli)?, list))
        })
        .collect()
}

/// Finds (unless `isolated`) or loads (`explicit`) the config file and
/// combines it with the command line. Errors are one line, ready to print.
pub fn load_and_resolve(
    cwd: &Path,
    explicit: Option<&Path>,
    isolated: bool,
    cli: &CliLayer,
) -> Result<Resolved, String> {
    let file = match (explicit, isolated) {
        (_, true) => None,
        (Some(p), false) => Some(ConfigFile::load(p, cwd).map_err(|e| e.to_string())?),
        (None, false) => match find(cwd) {
            Some(p) => Some(ConfigFile::load(&p, cwd).map_err(|e| e.to_string())?),
            None => None,
        },
    };
    resolve(cwd, file.as_ref(), cli)
}

/// Combines a (parsed) config file with the command line.
///
/// Rule selection for a file: the config's `select` (default: all) minus its
/// `ignore`, or the command line's `--select` instead of both when given;
/// then every matching `[[overrides]]` entry in order (`select` enables,
/// `ignore` disables); `--select` also limits what overrides may enable, and
/// `--ignore` always disables.
pub fn resolve(cwd: &Path, file: Option<&ConfigFile>, cli: &CliLayer) -> Result<Resolved, String> {
    let reg = Registry::get();
    let empty = RawConfig::default();
    let raw = file.map_or(&empty, |f| &f.raw);
    let at = |span: std::ops::Range<usize>, msg: String| -> String {
        match file {
            Some(f) => f.error_at(span.start, msg).to_string(),
            None => msg,
        }
    };
    let rules_of = |key: &str, sel: &Spanned<String>| -> Result<Vec<usize>, String> {
        let m = reg.matching(sel.get_ref());
        if m.is_empty() {
            Err(at(
                sel.span(),
                format!("`{key}`: {}", reg.unknown_selector(sel.get_ref())),
            ))
        } else {
            Ok(m)
        }
    };
    let rule_list = |key: &str, list: &[Spanned<String>]| -> Result<Vec<usize>, String> {
        let mut out = Vec::new();
        for s in list {
            out.extend(rules_of(key, s)?);
        }
        Ok(out)
    };

    // Selection.
    let cli_extended = if cli.extend_select.is_empty() {
        RuleSet::none(reg)
    } else {
        RuleSet::from_selectors(reg, cli.extend_select, &[])
            .map_err(|e| format!("--extend-select: {e}"))?
    };
    let cli_filter = if cli.select.is_empty() {
        None
    } else {
        let mut f =
            RuleSet::from_selectors(reg, cli.select, &[]).map_err(|e| format!("--select: {e}"))?;
        for r in 0..reg.rules.len() {
            if cli_extended.is_enabled(r) {
                f.set(r, true);
            }
        }
        Some(f)
    };
    // enabled = not ignored
    let cli_ignored =
        RuleSet::from_selectors(reg, &[], cli.ignore).map_err(|e| format!("--ignore: {e}"))?;
    let mut rules = match &cli_filter {
        Some(f) => f.clone(),
        None => {
            let mut set = RuleSet::default_set(reg);
            if let Some(select) = &raw.select {
                let chosen = rule_list("select", select)?;
                set = RuleSet::none(reg);
                for r in chosen {
                    set.set(r, true);
                }
            }
            for r in rule_list("extend-select", &raw.extend_select)? {
                set.set(r, true);
            }
            for r in rule_list("ignore", &raw.ignore)? {
                set.set(r, false);
            }
            for r in 0..reg.rules.len() {
                if cli_extended.is_enabled(r) {
                    set.set(r, true);
                }
            }
            set
        }
    };
    for i in 0..reg.rules.len() {
        if !cli_ignored.is_enabled(i) {
            rules.set(i, false);
        }
    }
    let cli_allows =
        |r: usize| cli_filter.as_ref().is_none_or(|f| f.is_enabled(r)) && cli_ignored.is_enabled(r);

    let severities_of = |key: &str,
                         table: &Option<Spanned<BTreeMap<String, Spanned<Severity>>>>|
     -> Result<Vec<(usize, Severity)>, String> {
        let Some(table) = table else {
            return Ok(Vec::new());
        };
        let mut entries = Vec::new();
        for (sel, sev) in table.get_ref() {
            let m = reg.matching(sel);
            if m.is_empty() {
                return Err(at(
                    sev.span(),
                    format!("`{key}`: {}", reg.unknown_selector(sel)),
                ));
            }
            entries.push((m, *sev.get_ref()));
        }
        // Broad selectors first, so `OIE = "warning"` plus `OIE003 = "error"` means what it says.
        entries.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
        Ok(entries
            .into_iter()
            .flat_map(|(m, s)| m.into_iter().map(move |r| (r, s)))
            .collect())
    };
    let mut severities = vec![None; reg.rules.len()];
    for (r, s) in severities_of("severity", &raw.severity)? {
        severities[r] = Some(s);
    }

    // Paths.
    let root = file.map_or_else(|| cwd.to_path_buf(), |f| f.dir.clone());
    let globs = |key: &str, list: &[&Spanned<String>]| -> Result<PathGlobs, String> {
        let pats: Vec<&str> = list.iter().map(|s| s.get_ref().as_str()).collect();
        PathGlobs::new(&root, cwd, &pats).map_err(|(i, e)| {
            let span = list.get(i).map_or(0..0, |s| s.span());
            at(
                span,
                format!("`{key}`: bad pattern `{}`: {e}", pats.get(i).unwrap_or(&"")),
            )
        })
    };
    // `--exclude` replaces the config's `exclude`; its patterns (relative
    // to the working directory) are rebased onto the config's directory.
    let cli_excludes: Option<Vec<String>> = cli.exclude.map(|l| {
        l.iter()
            .filter_map(|p| rebase_pattern(p, cwd, &root))
            .collect()
    });
    let cli_extend: Vec<String> = cli
        .extend_exclude
        .iter()
        .filter_map(|p| rebase_pattern(p, cwd, &root))
        .collect();
    let cli_globs = |flag: &str, pats: &[String], given: &[String]| -> Result<(), String> {
        for (p, orig) in pats.iter().zip(given) {
            PathGlobs::new(&root, cwd, &[p.as_str()])
                .map_err(|(_, e)| format!("{flag}: bad pattern `{orig}`: {e}"))?;
        }
        Ok(())
    };
    if let Some(l) = cli.exclude {
        cli_globs("--exclude", cli_excludes.as_deref().unwrap_or_default(), l)?;
    }
    cli_globs("--extend-exclude", &cli_extend, cli.extend_exclude)?;
    let mut exclude_patterns: Vec<String> = match (&cli_excludes, &raw.exclude) {
        (Some(l), _) => l.clone(),
        (None, Some(l)) => l.iter().map(|s| s.get_ref().clone()).collect(),
        (None, None) => DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect(),
    };
    exclude_patterns.extend(raw.extend_exclude.iter().map(|s| s.get_ref().clone()));
    exclude_patterns.extend(cli_extend.iter().cloned());
    let excludes = match (&cli_excludes, &raw.exclude) {
        (Some(cli_list), _) => {
            let mut pats: Vec<&str> = cli_list.iter().map(String::as_str).collect();
            pats.extend(raw.extend_exclude.iter().map(|s| s.get_ref().as_str()));
            pats.extend(cli_extend.iter().map(String::as_str));
            PathGlobs::new(&root, cwd, &pats).map_err(|(i, e)| {
                format!(
                    "`extend-exclude`: bad pattern `{}`: {e}",
                    pats.get(i).unwrap_or(&"")
                )
            })?
        }
        (None, Some(list)) if cli_extend.is_empty() => {
            let all: Vec<&Spanned<String>> = list.iter().chain(&raw.extend_exclude).collect();
            globs("exclude", &all)?
        }
        (None, base) => {
            let own: Vec<&Spanned<String>> =
                base.iter().flatten().chain(&raw.extend_exclude).collect();
            let mut pats: Vec<&str> = if base.is_some() {
                Vec::new()
            } else {
                DEFAULT_EXCLUDES.to_vec()
            };
            let skip = pats.len();
            pats.extend(own.iter().map(|s| s.get_ref().as_str()));
            pats.extend(cli_extend.iter().map(String::as_str));
            let n_exclude = base.as_ref().map_or(0, |b| b.len());
            PathGlobs::new(&root, cwd, &pats).map_err(|(i, e)| {
                let j = i.checked_sub(skip);
                let span = j.and_then(|j| own.get(j)).map_or(0..0, |s| s.span());
                let key = if j.is_some_and(|j| j < n_exclude) {
                    "exclude"
                } else {
                    "extend-exclude"
                };
                at(
                    span,
                    format!("`{key}`: bad pattern `{}`: {e}", pats.get(i).unwrap_or(&"")),
                )
            })?
        }
    };

    let mut overrides = Vec::new();
    for o in &raw.overrides {
        let o = o.get_ref();
        if o.files.get_ref().is_empty() {
            return Err(at(
                o.files.span(),
                "`files`: an override needs at least one pattern".into(),
            ));
        }
        let files = globs("files", &o.files.get_ref().iter().collect::<Vec<_>>())?;
        let enable = rule_list("select", &o.select)?
            .into_iter()
            .filter(|&r| cli_allows(r))
            .collect();
        let disable = rule_list("ignore", &o.ignore)?;
        let severities = severities_of("severity", &o.severity)?;
        overrides.push(PathOverride {
            files,
            enable,
            disable,
            severities,
        });
    }

    // Versions: the command line wins, then the file, then the defaults.
    let version = |key: &str,
                   cli_v: Option<&str>,
                   file_v: &Option<Spanned<String>>,
                   default: Option<&str>|
     -> Result<Option<(String, nodejs_semver::Version)>, String> {
        if let Some(v) = cli_v {
            return versions::parse_version(v)
                .map(|p| Some((v.to_string(), p)))
                .ok_or_else(|| format!("--{key}: `{v}` is not a version (X.Y.Z)"));
        }
        if let Some(v) = file_v {
            return versions::parse_version(v.get_ref())
                .map(|p| Some((v.get_ref().clone(), p)))
                .ok_or_else(|| {
                    at(
                        v.span(),
                        format!("`{key}`: `{}` is not a version (X.Y.Z)", v.get_ref()),
                    )
                });
        }
        Ok(default.map(|d| {
            (
                d.to_string(),
                versions::parse_version(d).expect("default version"),
            )
        }))
    };
    let min = version(
        "min-widget-version",
        cli.min_widget_version,
        &raw.min_widget_version,
        Some(DEFAULT_MIN_WIDGET_VERSION),
    )?;
    let rec = version(
        "recommended-widget-version",
        cli.recommended_widget_version,
        &raw.recommended_widget_version,
        Some(DEFAULT_RECOMMENDED_WIDGET_VERSION),
    )?;
    let target = version(
        "target-widget-version",
        cli.target_widget_version,
        &raw.target_widget_version,
        Some(versions::DEFAULT_TARGET_WIDGET_VERSION),
    )?;
    let thresholds = Thresholds {
        min: min.expect("default").1,
        recommended: rec.expect("default").1,
        target: target.expect("default").1,
    };

    // Extensions: the config's table, then `--extension` (which wins).
    let mut extensions = ExtensionMap::default();
    if let Some(table) = &raw.extension {
        for (ext, lang) in table.get_ref() {
            let (e, k) = ExtensionMap::entry(ext, lang.get_ref())
                .map_err(|m| at(lang.span(), format!("`extension`: {m}")))?;
            extensions.insert(e, k);
        }
    }
    for pair in cli.extension {
        let (e, k) = ExtensionMap::parse_pair(pair).map_err(|m| format!("--extension: {m}"))?;
        extensions.insert(e, k);
    }

    let encoding = match (cli.encoding, &raw.encoding) {
        (Some(label), _) => Some(encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(
            || format!("--encoding: unknown encoding `{label}` (examples: windows-1252, iso-8859-15, shift_jis)"),
        )?),
        (None, Some(label)) => Some(
            encoding_rs::Encoding::for_label(label.get_ref().trim().as_bytes()).ok_or_else(|| {
                at(
                    label.span(),
                    format!(
                        "`encoding`: unknown encoding `{}` (examples: windows-1252, iso-8859-15, shift_jis)",
                        label.get_ref()
                    ),
                )
            })?,
        ),
        (None, None) => None,
    };

    let mut settings = Settings::new(rules, thresholds);
    settings.extensions = extensions;
    settings.encoding = encoding;
    let max_filesize = match (cli.max_filesize, &raw.max_filesize) {
        (Some(s), _) => {
            crate::settings::parse_size(s).map_err(|e| format!("--max-filesize: {e}"))?
        }
        (None, Some(v)) => match v.get_ref() {
            SizeValue::Bytes(n) => *n,
            SizeValue::Text(s) => crate::settings::parse_size(s)
                .map_err(|e| at(v.span(), format!("`max-filesize`: {e}")))?,
        },
        (None, None) => crate::settings::DEFAULT_MAX_FILESIZE,
    };
    settings.max_filesize = max_filesize;
    settings.fix_inputs = fix_inputs(raw.fix.as_ref().map(|f| f.get_ref()), cli, &at)?;
    settings.severities = severities;
    settings.overrides = overrides;
    settings.excludes = Some(excludes);
    Ok(Resolved {
        settings,
        config_file: file.map(|f| f.display.clone()),
        excludes: exclude_patterns,
    })
}

/// The `[fix]` table with `--client-id`/`--redirect-uri` over it. Each value
/// is checked for what would make the inserted code fail at run time: an
/// empty value, white space or a control character, a URL that is not
/// absolute.
fn fix_inputs(
    raw: Option<&RawFix>,
    cli: &CliLayer,
    at: &dyn Fn(std::ops::Range<usize>, String) -> String,
) -> Result<crate::settings::FixInputs, String> {
    let empty = RawFix::default();
    let raw = raw.unwrap_or(&empty);
    let value = |key: &str,
                 flag: Option<&str>,
                 file: &Option<Spanned<String>>,
                 url: bool|
     -> Result<Option<String>, String> {
        let (v, fail): (&str, Box<dyn Fn(String) -> String>) = match (flag, file) {
            (Some(v), _) => (v, Box::new(move |m| format!("--{key}: {m}"))),
            (None, Some(v)) => {
                let span = v.span();
                (
                    v.get_ref().as_str(),
                    Box::new(move |m| at(span.clone(), format!("`fix.{key}`: {m}"))),
                )
            }
            (None, None) => return Ok(None),
        };
        check_fix_value(v, url).map_err(fail)?;
        Ok(Some(v.to_string()))
    };
    Ok(crate::settings::FixInputs {
        client_id: value("client-id", cli.client_id, &raw.client_id, false)?,
        redirect_uri: value("redirect-uri", cli.redirect_uri, &raw.redirect_uri, true)?,
        issuer: value("issuer", None, &raw.issuer, true)?,
    })
}

/// Why `v` cannot be inserted as a client ID (`url` false) or a URL.
fn check_fix_value(v: &str, url: bool) -> Result<(), String> {
    if v.trim().is_empty() {
        return Err("empty value".into());
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("`{v}` contains white space or a control character"));
    }
    if url {
        let scheme = v.split_once("://").map(|(s, _)| s);
        let ok = scheme.is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if !ok {
            return Err(format!(
                "`{v}` is not an absolute URL (e.g. `https://app.example.com/login/callback`)"
            ));
        }
    }
    Ok(())
}

/// A `--exclude` pattern (relative to the working directory) as a pattern
/// relative to `root`, the config file's directory. Unanchored patterns
/// (`dist/`, `*.min.js`, `**/x`) match at any depth and stay as they are;
/// anchored ones (`/legacy`, `web/old/`) are moved by where the working
/// directory sits below `root`, and dropped when they point outside it.
fn rebase_pattern(pattern: &str, cwd: &Path, root: &Path) -> Option<String> {
    let (neg, body) = match pattern.strip_prefix('!') {
        Some(b) => ("!", b),
        None => ("", pattern),
    };
    let anchored = body.trim_end_matches('/').contains('/') && !body.starts_with("**/");
    let cwd = crate::pathglob::normalize(cwd, cwd);
    if !anchored || cwd == root {
        return Some(pattern.to_string());
    }
    let rel = body.trim_start_matches('/');
    if let Ok(below) = cwd.strip_prefix(root) {
        let prefix = below.to_string_lossy().replace('\\', "/");
        return Some(format!("{neg}/{prefix}/{rel}"));
    }
    // The config's directory is below the working directory: keep the
    // patterns that start with the way down to it.
    let down = root.strip_prefix(&cwd).ok()?;
    let down = down.to_string_lossy().replace('\\', "/");
    rel.strip_prefix(&down)
        .and_then(|r| r.strip_prefix('/'))
        .map(|r| format!("{neg}/{r}"))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The key whose value contains `offset`: the nearest `key =` at or above
/// the offset's line, within the same table.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    for line in text[..line_end].lines().rev() {
        let t = line.trim_start();
        if t.starts_with('[') {
            return None;
        }
        if let Some((k, _)) = t.split_once('=') {
            let k = k.trim();
            if !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '"' | '\''))
            {
                return Some(k.trim_matches(|c| c == '"' || c == '\'').to_string());
            }
        }
    }
    None
}

/// The file `oie-lint init` writes: every key, commented, with its default.
pub const STARTER: &str = r#"# oie-lint configuration (every key is described in oie-lint's docs/configuration.md).
# Each checked path uses the nearest oie-lint.toml or .oie-lint.toml at or
# above it (no merging); `--config PATH` picks one, `--isolated` ignores it.
# Command-line flags win over the values here.

# Rules to run: codes (OIE002), slugs (session-token), code prefixes (OIE00),
# categories (hosted-page), groups (recommended, preview) or ALL.
# Default: the recommended rules (preview rules are off unless selected).
# select = ["ALL"]

# Rules added to `select` (same forms).
# extend-select = []

# Rules to skip (same forms as `select`).
# ignore = []

# Paths never walked, as .gitignore lines relative to this file's directory.
# Setting `exclude` replaces the defaults; `extend-exclude` adds to them.
# Files named on the command line are still checked unless --force-exclude.
# exclude = ["node_modules/", "bower_components/", "jspm_packages/"]
# extend-exclude = ["dist/", "legacy/**/*.js"]

# Widget versions below `min-widget-version` are errors (OIE004), below
# `recommended-widget-version` warnings.
# min-widget-version = "5.2.0"
# recommended-widget-version = "5.11.0"

# The widget version OIE004 fixes upgrade to (default: the latest 7.x
# release this oie-lint knows).
# target-widget-version = "7.48.2"

# Files larger than this are skipped with a warning (bytes, or with K, M, G).
# max-filesize = "10M"

# The encoding of legacy files that are not UTF-8 and declare no
# <meta charset> or pageEncoding (a WHATWG label). Fixes are written back in it.
# encoding = "windows-1252"

# Read more extensions, each mapped to a language (html, js, jsx, ts, tsx, css,
# a server language: java, cs, py, go, rb, or a page or stylesheet extension such as jsp). A hosted template kept as login.txt:
# [extension]
# txt = "html"

# Change a rule's severity ("error" or "warning") for every finding.
# [severity]
# OIE003 = "error"

# The OIDC app the embedded migration adds to a `new OktaSignIn({...})` config
# that has no `clientId` (an app with the Interaction Code grant and PKCE; its
# client ID and a sign-in redirect URI it lists). `--client-id` and
# `--redirect-uri` win. `issuer` only for an authorization server other than
# the org's default.
# [fix]
# client-id = "0oa1b2c3d4e5f6g7h8i9"
# redirect-uri = "https://app.example.com/login/callback"
# issuer = "https://example.okta.com/oauth2/default"

# Settings for some paths only (patterns as in `exclude`). Later entries win.
# [[overrides]]
# files = ["legacy/", "*.test.js"]
# ignore = ["OIE003"]
# select = []
# severity = { OIE004 = "warning" }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("oie-lint.toml");
        std::fs::write(&p, text).unwrap();
        ConfigFile::load(&p, dir.path())
    }

    fn resolve_text(text: &str) -> Result<Resolved, String> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("oie-lint.toml");
        std::fs::write(&p, text).unwrap();
        let f = ConfigFile::load(&p, dir.path()).map_err(|e| e.to_string())?;
        resolve(dir.path(), Some(&f), &CliLayer::default())
    }

    /// Issue 25: the `[fix]` table, checked values, and the flags over it.
    #[test]
    fn fix_inputs_from_the_table_and_the_flags() {
        let text = "[fix]\nclient-id = \"0oa1\"\nredirect-uri = \"https://a.example/cb\"\nissuer = \"https://o.example/oauth2/aus1\"\n";
        let r = resolve_text(text).unwrap();
        let fx = &r.settings.fix_inputs;
        assert_eq!(fx.client_id.as_deref(), Some("0oa1"));
        assert_eq!(fx.redirect_uri.as_deref(), Some("https://a.example/cb"));
        assert_eq!(fx.issuer.as_deref(), Some("https://o.example/oauth2/aus1"));
        // The flags win.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("oie-lint.toml");
        std::fs::write(&p, text).unwrap();
        let f = ConfigFile::load(&p, dir.path()).unwrap();
        let cli = CliLayer {
            client_id: Some("0oa2"),
            redirect_uri: Some("https://b.example/cb"),
            ..Default::default()
        };
        let r = resolve(dir.path(), Some(&f), &cli).unwrap();
        assert_eq!(r.settings.fix_inputs.client_id.as_deref(), Some("0oa2"));
        assert_eq!(
            r.settings.fix_inputs.redirect_uri.as_deref(),
            Some("https://b.example/cb")
        );
        // Values that would fail at run time are refused, at their position.
        let e = resolve_text("[fix]\nredirect-uri = \"/callback\"\n").unwrap_err();
        assert!(
            e.starts_with(
                "oie-lint.toml:2:16: `fix.redirect-uri`: `/callback` is not an absolute URL"
            ),
            "{e}"
        );
        let e = resolve_text("[fix]\nclient-id = \"0oa 1\"\n").unwrap_err();
        assert!(
            e.contains("`fix.client-id`: `0oa 1` contains white space"),
            "{e}"
        );
        let e = resolve(
            dir.path(),
            None,
            &CliLayer {
                client_id: Some(""),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e, "--client-id: empty value");
        // A misspelt key gets a suggestion.
        let e = parse("[fix]\nclient_id = \"x\"\n").unwrap_err();
        assert!(e.message.contains("did you mean `client-id`"), "{e}");
    }

    #[test]
    fn starter_file_parses_and_resolves() {
        let r = resolve_text(STARTER).unwrap();
        assert!(r.settings.rules.is_enabled(0));
        // Uncommented, every key is accepted too.
        let uncommented: String = STARTER
            .lines()
            .filter(|l| l.starts_with("# ") && (l.contains(" = ") || l.starts_with("# [")))
            .map(|l| format!("{}\n", &l[2..]))
            .collect();
        resolve_text(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
    }

    #[test]
    fn unknown_key_names_key_file_and_line() {
        let e = parse("select = [\"OIE001\"]\nselct = []\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line, e.column), ("oie-lint.toml", 2, 1));
        assert!(e.message.contains("unknown field `selct`"), "{}", e.message);
        let e = parse("[[overrides]]\nfiles = [\"a/\"]\nignor = [\"OIE001\"]\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("unknown field `ignor`"), "{}", e.message);
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = parse("# c\nselect = \"OIE001\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("`select`:"), "{}", e.message);
        let e = parse("[severity]\nOIE003 = \"fatal\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`OIE003`") && e.message.contains("fatal"),
            "{}",
            e.message
        );
        let e = resolve_text("ignore = [\n  \"OIE001\",\n  \"OIE0999\",\n]\n").unwrap_err();
        assert!(
            e.starts_with("oie-lint.toml:3:3: `ignore`: unknown rule selector `OIE0999`"),
            "{e}"
        );
        let e = resolve_text("min-widget-version = \"five\"\n").unwrap_err();
        assert!(
            e.starts_with("oie-lint.toml:1:22: `min-widget-version`"),
            "{e}"
        );
        let e = resolve_text("[severity]\nnope = \"error\"\n").unwrap_err();
        assert!(
            e.starts_with("oie-lint.toml:2:8: `severity`: unknown rule selector `nope`"),
            "{e}"
        );
        let e = resolve_text("[[overrides]]\nfiles = []\n").unwrap_err();
        assert!(e.starts_with("oie-lint.toml:2:9: `files`"), "{e}");
        let e = resolve_text("[[overrides]]\nignore = [\"OIE001\"]\n").unwrap_err();
        assert!(e.contains("missing field `files`"), "{e}");
        let e = resolve_text("extend-exclude = [\"ok/\", \"a/{b\"]\n").unwrap_err();
        assert!(
            e.starts_with("oie-lint.toml:1:26: `extend-exclude`: bad pattern"),
            "{e}"
        );
    }

    #[test]
    fn selection_severity_and_cli_precedence() {
        let reg = Registry::get();
        let i = |c: &str| reg.find(c).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("oie-lint.toml");
        std::fs::write(
            &p,
            "select = [\"OIE00\"]\nignore = [\"session-token\"]\nmin-widget-version = \"6.0.0\"\n\
             [severity]\nOIE = \"warning\"\nOIE001 = \"error\"\n\
             [[overrides]]\nfiles = [\"legacy/\"]\nselect = [\"OIE002\"]\nignore = [\"OIE001\"]\nseverity = { OIE004 = \"error\" }\n",
        )
        .unwrap();
        let f = ConfigFile::load(&p, dir.path()).unwrap();
        let r = resolve(dir.path(), Some(&f), &CliLayer::default()).unwrap();
        let s = &r.settings;
        assert!(s.rules.is_enabled(i("OIE001")) && !s.rules.is_enabled(i("OIE002")));
        assert_eq!(s.thresholds.min.to_string(), "6.0.0");
        assert_eq!(s.severities[i("OIE001")], Some(Severity::Error));
        assert_eq!(s.severities[i("OIE003")], Some(Severity::Warning));
        let legacy = s.for_file(&dir.path().join("legacy/a.js"));
        assert!(legacy.rules.is_enabled(i("OIE002")) && !legacy.rules.is_enabled(i("OIE001")));
        assert_eq!(legacy.severity(i("OIE004")), Some(Severity::Error));
        let other = s.for_file(&dir.path().join("src/a.js"));
        assert!(!other.rules.is_enabled(i("OIE002")));
        assert!(s.may_enable(i("OIE002")));

        // --select replaces select and ignore; overrides may not widen it; --ignore always wins.
        let sel = vec!["OIE002".to_string(), "OIE001".to_string()];
        let ign = vec!["OIE001".to_string()];
        let cli = CliLayer {
            select: &sel,
            ignore: &ign,
            min_widget_version: Some("5.0.0"),
            ..Default::default()
        };
        let r = resolve(dir.path(), Some(&f), &cli).unwrap();
        assert!(
            r.settings.rules.is_enabled(i("OIE002")) && !r.settings.rules.is_enabled(i("OIE001"))
        );
        assert!(!r.settings.rules.is_enabled(i("OIE003")));
        assert_eq!(r.settings.thresholds.min.to_string(), "5.0.0");
        let sel3 = vec!["OIE003".to_string()];
        let r = resolve(
            dir.path(),
            Some(&f),
            &CliLayer {
                select: &sel3,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!r
            .settings
            .for_file(&dir.path().join("legacy/a.js"))
            .rules
            .is_enabled(i("OIE002")));
    }

    #[test]
    fn keys_list_matches_the_struct() {
        // Every listed key parses (a typo here would suggest a wrong key).
        for k in KEYS {
            let text = match *k {
                "severity" | "extension" => format!("[{k}]\n"),
                "overrides" => "[[overrides]]\nfiles = [\"a/\"]\n".to_string(),
                "encoding" => "encoding = \"latin1\"\n".to_string(),
                "min-widget-version" | "recommended-widget-version" | "target-widget-version" => {
                    format!("{k} = \"6.0.0\"\n")
                }
                "max-filesize" => format!("{k} = \"10M\"\n"),
                "fix" => "[fix]\nclient-id = \"0oa1\"\n".to_string(),
                _ => format!("{k} = []\n"),
            };
            parse(&text).unwrap_or_else(|e| panic!("{k}: {e}"));
        }
    }

    #[test]
    fn unknown_keys_and_rules_get_a_suggestion() {
        let e = parse("extend-slect = [\"OIE001\"]\n").unwrap_err();
        assert_eq!(
            e.message,
            "unknown field `extend-slect`; did you mean `extend-select`?"
        );
        let e = parse("zzz = 1\n").unwrap_err();
        assert!(
            e.message.starts_with("unknown field `zzz`, expected"),
            "{}",
            e.message
        );
        let e = resolve_text("ignore = [\"sesion-token\"]\n").unwrap_err();
        assert!(
            e.contains("unknown rule selector `sesion-token`; did you mean `session-token`?"),
            "{e}"
        );
    }

    #[test]
    fn extend_select_and_extension() {
        let reg = Registry::get();
        let i = |c: &str| reg.find(c).unwrap();
        let r = resolve_text(
            "select = [\"OIE001\"]\nextend-select = [\"OIE002\"]\n[extension]\ntxt = \"html\"\n",
        )
        .unwrap();
        let s = &r.settings;
        assert!(s.rules.is_enabled(i("OIE001")) && s.rules.is_enabled(i("OIE002")));
        assert!(!s.rules.is_enabled(i("OIE003")));
        assert_eq!(
            s.extensions.kind_of(Path::new("a/login.txt")),
            Some(crate::source::FileKind::Html)
        );
        let e = resolve_text("[extension]\ntxt = \"cobol\"\n").unwrap_err();
        assert!(
            e.starts_with("oie-lint.toml:2:7: `extension`: unknown language `cobol`"),
            "{e}"
        );
        // --select replaces the config's selection, --extend-select adds to it.
        let dir = tempfile::tempdir().unwrap();
        let sel = vec!["OIE003".to_string()];
        let ext = vec!["OIE004".to_string()];
        let r = resolve(
            dir.path(),
            None,
            &CliLayer {
                select: &sel,
                extend_select: &ext,
                ..Default::default()
            },
        )
        .unwrap();
        let on: Vec<usize> = (0..reg.rules.len())
            .filter(|&r2| r.settings.rules.is_enabled(r2))
            .collect();
        assert_eq!(on, vec![i("OIE003"), i("OIE004")]);
    }

    #[test]
    fn cli_exclude_patterns_are_rebased_onto_the_config_dir() {
        let root = Path::new("/repo");
        assert_eq!(
            rebase_pattern("dist/", Path::new("/repo/app"), root).as_deref(),
            Some("dist/")
        );
        assert_eq!(
            rebase_pattern("legacy/old/", Path::new("/repo/app"), root).as_deref(),
            Some("/app/legacy/old/")
        );
        assert_eq!(
            rebase_pattern("!/keep/x.js", Path::new("/repo/app"), root).as_deref(),
            Some("!/app/keep/x.js")
        );
        assert_eq!(
            rebase_pattern("repo/legacy/a", Path::new("/"), root).as_deref(),
            Some("/legacy/a")
        );
        assert_eq!(rebase_pattern("other/legacy/a", Path::new("/"), root), None);
        assert_eq!(rebase_pattern("/a/b", root, root).as_deref(), Some("/a/b"));
    }

    #[test]
    fn excludes_default_replace_and_extend() {
        let r = resolve_text("extend-exclude = [\"dist/\"]\n").unwrap();
        let ex = r.settings.excludes.unwrap();
        assert!(ex.matches(Path::new("/x/node_modules/a.js"), false));
        let r = resolve_text("exclude = [\"dist/\"]\n").unwrap();
        let ex = r.settings.excludes.unwrap();
        assert!(!ex.matches(Path::new("/x/node_modules/a.js"), false));
        assert!(ex.matches(Path::new("/x/dist/a.js"), false));
    }

    #[test]
    fn discovery_walks_up_and_prefers_the_plain_name() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find(&deep), None);
        std::fs::write(dir.path().join(".oie-lint.toml"), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join(".oie-lint.toml")));
        std::fs::write(dir.path().join("a/oie-lint.toml"), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join("a/oie-lint.toml")));
        std::fs::write(dir.path().join("a/.oie-lint.toml"), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join("a/oie-lint.toml")));
    }
}
