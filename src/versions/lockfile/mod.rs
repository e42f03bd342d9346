//! Lockfiles: the exact versions a package manager installs, with the byte
//! range of every Okta package's version text.
//!
//! Readers: [`npm`] (`package-lock.json`, `npm-shrinkwrap.json`, lockfile
//! v1–v3), [`yarn`] (v1 and berry) and [`pnpm`] (v5, v6 and v9 key shapes).
//! Each keeps only the Okta packages ([`super::OKTA_PACKAGES`]) so a lockfile
//! of thousands of entries costs one parse and a handful of records; a
//! [`Lockfile`] then answers "which entry does this manifest dependency
//! install" without another walk.

pub mod npm;
pub mod pnpm;
pub mod yaml;
pub mod yarn;

use std::collections::HashMap;

/// The lockfile names oie-lint reads, in the order a directory is searched.
pub use crate::source::LOCKFILE_NAMES as NAMES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockKind {
    /// `package-lock.json` / `npm-shrinkwrap.json` (with its lockfileVersion).
    Npm(u8),
    YarnV1,
    YarnBerry,
    /// `pnpm-lock.yaml` with its major lockfileVersion (5, 6, 9).
    Pnpm(u8),
}

impl LockKind {
    /// The kind a file name promises (the version is read from the content).
    pub fn from_name(name: &str) -> Option<LockKind> {
        match name {
            "package-lock.json" | "npm-shrinkwrap.json" => Some(LockKind::Npm(0)),
            "yarn.lock" => Some(LockKind::YarnV1),
            "pnpm-lock.yaml" => Some(LockKind::Pnpm(0)),
            _ => None,
        }
    }
}

/// One installed copy of an Okta package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEntry {
    /// The real package name (an `npm:` alias is resolved to its target).
    pub package: String,
    /// The version exactly as written (may be unresolvable, e.g. a git URL).
    pub version: String,
    /// Byte range of the version text in the lockfile.
    pub start: usize,
    pub end: usize,
    /// How the entry is found: npm's install path (`apps/a/node_modules/@okta/x`),
    /// pnpm's package key, yarn's block header.
    pub key: String,
}

/// A direct dependency an importer (workspace member) declares, as pnpm
/// records it: `importers[dir].dependencies[name] = { specifier, version }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImporterDep {
    /// The member's directory relative to the lockfile (`""` for the root).
    pub importer: String,
    pub name: String,
    pub specifier: Option<String>,
    /// The entry it installs, when it installs a registry version.
    pub entry: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Lockfile {
    pub kind: LockKind,
    pub entries: Vec<LockEntry>,
    /// Workspace members the lockfile lists (dirs relative to it, `""` = root).
    pub importers: Vec<String>,
    /// pnpm only: the importers' direct Okta dependencies.
    pub importer_deps: Vec<ImporterDep>,
    /// npm: install path → entry; yarn: each `name@spec` of a header → entry.
    index: HashMap<String, usize>,
}

impl Lockfile {
    fn new(kind: LockKind) -> Lockfile {
        Lockfile {
            kind,
            entries: Vec::new(),
            importers: Vec::new(),
            importer_deps: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn push(&mut self, entry: LockEntry, keys: impl IntoIterator<Item = String>) -> usize {
        let i = self.entries.len();
        for k in keys {
            self.index.entry(k).or_insert(i);
        }
        self.entries.push(entry);
        i
    }

    /// Parses a lockfile by file name; `Err` is a one-line reason.
    pub fn parse(file_name: &str, text: &str) -> Result<Lockfile, String> {
        match LockKind::from_name(file_name) {
            Some(LockKind::Npm(_)) => npm::parse(text),
            Some(LockKind::YarnV1 | LockKind::YarnBerry) => Ok(yarn::parse(text)),
            Some(LockKind::Pnpm(_)) => Ok(pnpm::parse(text)),
            None => Err(format!("`{file_name}` is not a lockfile name")),
        }
    }

    /// The entry that the dependency `name: spec` of the manifest in
    /// `importer` (its directory relative to the lockfile, `""` for the
    /// lockfile's own directory) installs.
    pub fn resolve(&self, importer: &str, name: &str, spec: &str) -> Option<usize> {
        let importer = normalize_importer(importer);
        match self.kind {
            LockKind::Npm(_) => {
                // Node's lookup: the member's own node_modules, then each parent's.
                let mut dir = importer.as_str();
                loop {
                    let key = if dir.is_empty() {
                        format!("node_modules/{name}")
                    } else {
                        format!("{dir}/node_modules/{name}")
                    };
                    if let Some(&i) = self.index.get(&key) {
                        return Some(i);
                    }
                    if dir.is_empty() {
                        return None;
                    }
                    dir = dir.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                }
            }
            LockKind::YarnV1 => self.index.get(&format!("{name}@{spec}")).copied(),
            LockKind::YarnBerry => {
                let spec = if has_protocol(spec) {
                    spec.to_string()
                } else {
                    format!("npm:{spec}")
                };
                self.index.get(&format!("{name}@{spec}")).copied()
            }
            LockKind::Pnpm(_) => self
                .importer_deps
                .iter()
                .find(|d| d.importer == importer && d.name == name)
                .and_then(|d| d.entry),
        }
    }

    /// Entries of one package.
    pub fn entries_of<'a>(
        &'a self,
        package: &'a str,
    ) -> impl Iterator<Item = (usize, &'a LockEntry)> + 'a {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.package == package)
    }
}

/// `"."`, `"./a"`, `"a/"` → `""`, `"a"`, `"a"`.
pub fn normalize_importer(s: &str) -> String {
    let s = s.trim_start_matches("./").trim_end_matches('/');
    if s == "." {
        String::new()
    } else {
        s.to_string()
    }
}

/// Whether a spec names a protocol (`npm:`, `workspace:`, `patch:`, a URL…).
fn has_protocol(spec: &str) -> bool {
    spec.split_once(':').is_some_and(|(p, _)| {
        !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '+')
    })
}

/// Splits `name@spec` at the `@` after the name (`@scope/x@^1` → `@scope/x`, `^1`).
pub fn split_name_spec(s: &str) -> Option<(&str, &str)> {
    let at = s.get(1..)?.find('@')? + 1;
    Some((&s[..at], &s[at + 1..]))
}

/// The target of an `npm:` alias spec: `npm:@okta/x@7.1.0` → (`@okta/x`, `7.1.0`).
pub fn alias_target(spec: &str) -> Option<(&str, &str)> {
    let rest = spec.strip_prefix("npm:")?;
    match split_name_spec(rest) {
        Some((n, v)) => Some((n, v)),
        None => Some((rest, "")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_spec_splitting() {
        assert_eq!(
            split_name_spec("@okta/x@^5.0.0"),
            Some(("@okta/x", "^5.0.0"))
        );
        assert_eq!(
            split_name_spec("w@npm:@okta/x@7.1.0"),
            Some(("w", "npm:@okta/x@7.1.0"))
        );
        assert_eq!(
            alias_target("npm:@okta/x@7.1.0"),
            Some(("@okta/x", "7.1.0"))
        );
        assert_eq!(split_name_spec("@okta/x"), None);
        assert_eq!(normalize_importer("."), "");
        assert!(has_protocol("workspace:*") && has_protocol("npm:^1") && !has_protocol("^1.0.0"));
    }
}
