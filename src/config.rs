//! The config file: `oie-lint.toml` or `.oie-lint.toml`.
//!
//! Found by walking up from the working directory; the first file found is
//! the only one used (no merging of nested configs: oxlint's and ESLint's
//! users show how confusing implicit merging is). `--config PATH` names one,
//! `--isolated` ignores them all. Command-line flags override config values.
//!
//! Every value that can be wrong keeps its byte span (`toml::Spanned`), so an
//! unknown key, a bad type, an unknown rule or a bad glob is reported as
//! `oie-lint.toml:LINE:COL: …` naming the key (exit code 2).

use crate::diagnostic::Severity;
use crate::pathglob::PathGlobs;
use crate::rules::{Registry, RuleSet};
use crate::settings::{PathOverride, Settings};
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

/// The file as written. Field docs are the reference for README "Configuration".
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RawConfig {
    /// Rules to run (codes, slugs, prefixes, categories, groups, `ALL`);
    /// default the `recommended` group (every rule not marked preview).
    pub select: Option<Vec<Spanned<String>>>,
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
    #[serde(default)]
    pub overrides: Vec<Spanned<RawOverride>>,
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
        let text = std::fs::read_to_string(&abs)
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
            let message = e.message().trim().to_string();
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

/// The nearest config file at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Values from the command line, which win over the config file's.
#[derive(Debug, Default, Clone)]
pub struct CliLayer<'a> {
    pub select: &'a [String],
    pub ignore: &'a [String],
    pub min_widget_version: Option<&'a str>,
    pub recommended_widget_version: Option<&'a str>,
    pub target_widget_version: Option<&'a str>,
}

/// Everything a run takes from the config file and the command line.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Includes `excludes`: `exclude` + `extend-exclude`, rooted at the config file's directory.
    pub settings: Settings,
    /// The config file used, as displayed.
    pub config_file: Option<String>,
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
                format!(
                    "`{key}`: unknown rule selector `{}` (see `oie-lint rule --all`)",
                    sel.get_ref()
                ),
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
    let cli_filter = if cli.select.is_empty() {
        None
    } else {
        Some(RuleSet::from_selectors(reg, cli.select, &[])?)
    };
    let cli_ignored = RuleSet::from_selectors(reg, &[], cli.ignore)?; // enabled = not ignored
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
            for r in rule_list("ignore", &raw.ignore)? {
                set.set(r, false);
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
                    format!("`{key}`: unknown rule selector `{sel}` (see `oie-lint rule --all`)"),
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
    let excludes = match &raw.exclude {
        Some(list) => {
            let all: Vec<&Spanned<String>> = list.iter().chain(&raw.extend_exclude).collect();
            globs("exclude", &all)?
        }
        None => {
            let own: Vec<&Spanned<String>> = raw.extend_exclude.iter().collect();
            let mut pats: Vec<&str> = DEFAULT_EXCLUDES.to_vec();
            pats.extend(own.iter().map(|s| s.get_ref().as_str()));
            PathGlobs::new(&root, cwd, &pats).map_err(|(i, e)| {
                let span = i
                    .checked_sub(DEFAULT_EXCLUDES.len())
                    .and_then(|j| own.get(j))
                    .map_or(0..0, |s| s.span());
                at(
                    span,
                    format!(
                        "`extend-exclude`: bad pattern `{}`: {e}",
                        pats.get(i).unwrap_or(&"")
                    ),
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

    let mut settings = Settings::new(rules, thresholds);
    settings.severities = severities;
    settings.overrides = overrides;
    settings.excludes = Some(excludes);
    Ok(Resolved {
        settings,
        config_file: file.map(|f| f.display.clone()),
    })
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
pub const STARTER: &str = r#"# oie-lint configuration (https://github.com/oie-lint/oie-lint#configuration).
# oie-lint uses the first oie-lint.toml or .oie-lint.toml found walking up
# from the working directory; `--config PATH` picks one, `--isolated` ignores it.
# Command-line flags win over the values here.

# Rules to run: codes (OIE002), slugs (session-token), code prefixes (OIE00),
# categories (hosted-page), groups (recommended, preview) or ALL.
# Default: the recommended rules (preview rules are off unless selected).
# select = ["ALL"]

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

# Change a rule's severity ("error" or "warning") for every finding.
# [severity]
# OIE003 = "error"

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
