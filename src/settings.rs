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
    /// Files larger than this many bytes are skipped with a warning
    /// (`--max-filesize`, `max-filesize`; default [`DEFAULT_MAX_FILESIZE`]).
    pub max_filesize: u64,
    /// What a fix may insert that the code cannot tell: the OIDC app of
    /// the embedded migration (`[fix]` in the config, `--client-id`,
    /// `--redirect-uri`).
    pub fix_inputs: FixInputs,
}

/// The values a fix inserts when the code lacks them, as the user gave
/// them (`[fix]` table, `check --client-id/--redirect-uri`); a fix never
/// invents them (conventions, "Fixes users can trust").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixInputs {
    /// The client ID of the OIDC app (Interaction Code grant, PKCE) the
    /// embedded widget signs in with.
    pub client_id: Option<String>,
    /// A sign-in redirect URI registered on that app.
    pub redirect_uri: Option<String>,
    /// The authorization server, when not the org's default (`issuer`).
    pub issuer: Option<String>,
}

/// 10 MiB: far above hand-written sources and the Sign-In Widget's own
/// bundles, well below what makes a parse take seconds and gigabytes.
pub const DEFAULT_MAX_FILESIZE: u64 = 10 * 1024 * 1024;

/// Reads a size as ripgrep's `--max-filesize` does: a number of bytes,
/// optionally followed by `K`, `M` or `G` (binary multiples; `KB`, `MiB`
/// and lower case accepted).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let bad = || format!("`{s}` is not a size (a number of bytes, or with K, M or G: `20M`)");
    let n: u64 = t[..digits].parse().map_err(|_| bad())?;
    let unit = t[digits..].trim().to_ascii_lowercase();
    let shift = match unit.as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(bad()),
    };
    n.checked_mul(1 << shift).ok_or_else(bad)
}

/// A size as people read it: `20.0 MiB`, `512 KiB`, `900 bytes`.
pub fn human_size(n: u64) -> String {
    const K: u64 = 1024;
    if n >= K * K * K {
        format!("{:.1} GiB", n as f64 / (K * K * K) as f64)
    } else if n >= K * K {
        format!("{:.1} MiB", n as f64 / (K * K) as f64)
    } else if n >= K {
        format!("{:.1} KiB", n as f64 / K as f64)
    } else {
        format!("{n} bytes")
    }
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
            max_filesize: DEFAULT_MAX_FILESIZE,
            fix_inputs: FixInputs::default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_ripgrep_reads_them() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("20M"), Ok(20 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(human_size(20 << 20), "20.0 MiB");
    }
}
