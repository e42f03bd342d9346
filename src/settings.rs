//! Run-wide settings that rules read (thresholds, selection, severities),
//! and the per-file view of them that `[[overrides]]` produce.
use crate::diagnostic::Severity;
use crate::pathglob::PathGlobs;
use crate::rules::RuleSet;
use crate::versions::Thresholds;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Rules enabled for files no override matches.
    pub rules: RuleSet,
    pub thresholds: Thresholds,
    /// Per rule index: a severity that replaces the rule's (and its check's)
    /// for every finding (`[severity]` in the config). Empty = none.
    pub severities: Vec<Option<Severity>>,
    /// `[[overrides]]`, in file order; later entries win.
    pub overrides: Vec<PathOverride>,
    /// Paths discovery leaves out (`exclude` + `extend-exclude`, rooted at
    /// the config file's directory). `None`: the walker's built-in skip list.
    pub excludes: Option<PathGlobs>,
    /// Extra extensions to read (`extension` in the config, `--extension`).
    pub extensions: crate::source::ExtensionMap,
    /// The encoding of files that are not UTF-8 and declare none
    /// (`--encoding`, the config's `encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// One `[[overrides]]` entry, resolved to rule indices.
#[derive(Debug, Clone)]
pub struct PathOverride {
    pub files: PathGlobs,
    pub enable: Vec<usize>,
    pub disable: Vec<usize>,
    pub severities: Vec<(usize, Severity)>,
}

/// The rules and severities that apply to one file.
#[derive(Debug, Clone)]
pub struct FileRules {
    pub rules: RuleSet,
    pub severities: Vec<Option<Severity>>,
}

impl FileRules {
    pub fn severity(&self, rule: usize) -> Option<Severity> {
        self.severities.get(rule).copied().flatten()
    }
}

impl Settings {
    /// Settings without a config file: the given selection and thresholds.
    pub fn new(rules: RuleSet, thresholds: Thresholds) -> Settings {
        Settings {
            rules,
            thresholds,
            severities: Vec::new(),
            overrides: Vec::new(),
            excludes: None,
            extensions: Default::default(),
            encoding: None,
        }
    }

    /// The rules and severities for `path` after applying matching overrides.
    pub fn for_file(&self, path: &Path) -> FileRules {
        let mut fr = FileRules {
            rules: self.rules.clone(),
            severities: self.severities.clone(),
        };
        for o in self
            .overrides
            .iter()
            .filter(|o| o.files.matches(path, false))
        {
            for &r in &o.enable {
                fr.rules.set(r, true);
            }
            for &r in &o.disable {
                fr.rules.set(r, false);
            }
            for &(r, s) in &o.severities {
                if fr.severities.len() <= r {
                    fr.severities.resize(r + 1, None);
                }
                fr.severities[r] = Some(s);
            }
        }
        fr
    }

    /// Whether `rule` is enabled for at least one possible file (the
    /// prefilter must know every trigger an override may need).
    pub fn may_enable(&self, rule: usize) -> bool {
        self.rules.is_enabled(rule) || self.overrides.iter().any(|o| o.enable.contains(&rule))
    }
}
