//! What the repository says about the Sign-In Widget version, and how a
//! version or npm range grades against Okta's thresholds.
//!
//! Version sources: widget CDN URLs ([`cdn`]) and `package.json` ranges
//! ([`manifest`]). The [`VersionIndex`] answers "which version governs this
//! file" (the nearest `package.json` up the tree that declares the widget)
//! and caches every directory it looks at, so each manifest is read once.

pub mod cdn;
pub mod manifest;

use crate::diagnostic::Severity;
use manifest::{DependencySpec, Manifest};
use nodejs_semver::{Range, Version};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The npm package name of the Sign-In Widget.
pub const WIDGET_PACKAGE: &str = "@okta/okta-signin-widget";

/// The version lines the rules grade against.
#[derive(Debug, Clone)]
pub struct Thresholds {
    /// Below this the widget has no Identity Engine support (error). Okta's
    /// migration guide: 5.2.0.
    pub min: Version,
    /// Below this Okta's upgrade guides say embedded widgets lack Identity
    /// Engine flows (warning). 5.11.0.
    pub recommended: Version,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min: v("5.2.0"),
            recommended: v("5.11.0"),
        }
    }
}

fn v(s: &str) -> Version {
    Version::parse(s).expect("valid version literal")
}

fn range(s: &str) -> Range {
    Range::parse(s).expect("valid range literal")
}

/// Parses a version as written in a URL or bundle (`5.2.0`, `v5.2.0`).
pub fn parse_version(s: &str) -> Option<Version> {
    Version::parse(s.trim().trim_start_matches('v')).ok()
}

/// Parses an npm dependency spec as a semver range. `None` for what npm
/// does not resolve from the registry by range: tags (`latest`), aliases
/// (`npm:`), `workspace:`, git/file/URL specs.
pub fn parse_range(spec: &str) -> Option<Range> {
    let s = spec.trim();
    if s.contains(':') || s.contains('/') || s.is_empty() {
        return None;
    }
    Range::parse(s).ok()
}

/// The grade of an exact version: `None` when fine.
pub fn grade_version(version: &Version, t: &Thresholds) -> Option<(Severity, String)> {
    if version < &t.min {
        Some((
            Severity::Error,
            format!(
                "Sign-In Widget {version} predates Identity Engine support (needs {} or later)",
                t.min
            ),
        ))
    } else if version < &t.recommended {
        Some((
            Severity::Warning,
            format!("Sign-In Widget {version} is below {}, which Okta's upgrade guides require for Identity Engine flows", t.recommended),
        ))
    } else {
        None
    }
}

/// The grade of an npm range (what `npm install` may pick): a range that can
/// only install versions below the minimum is an error; one that admits such
/// versions, or versions below the recommended line, is a warning.
pub fn grade_range(spec: &str, r: &Range, t: &Thresholds) -> Option<(Severity, String)> {
    let at_least = |x: &Version| range(&format!(">={x}"));
    let below = |x: &Version| range(&format!("<{x}"));
    if !r.allows_any(&at_least(&t.min)) {
        Some((
            Severity::Error,
            format!("`{spec}` can only install Sign-In Widget versions below {}, which lack Identity Engine support", t.min),
        ))
    } else if r.allows_any(&below(&t.min)) {
        Some((Severity::Warning, format!("`{spec}` admits Sign-In Widget versions below {}, which lack Identity Engine support", t.min)))
    } else if r.allows_any(&below(&t.recommended)) {
        Some((
            Severity::Warning,
            format!("`{spec}` admits Sign-In Widget versions below {}, which Okta's upgrade guides require for Identity Engine flows", t.recommended),
        ))
    } else {
        None
    }
}

/// What is known about the widget version that governs a file.
#[derive(Debug, Clone)]
pub enum WidgetVersion {
    Exact(Version),
    Range { spec: String, range: Range },
    Unknown,
}

/// Whether an embedded widget must opt in to Identity Engine with
/// `useInteractionCodeFlow: true` (5.2.0 ≤ V < 7.0.0; from 7.0 OIE is the
/// default and the option is gone; below 5.2.0 it does not exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptInNeed {
    Required,
    NotNeeded,
    Unknown,
}

pub fn interaction_code_opt_in(w: &WidgetVersion, t: &Thresholds) -> OptInNeed {
    let r = match w {
        WidgetVersion::Exact(v) => Range::parse(format!("={v}")).ok(),
        WidgetVersion::Range { range, .. } => Some(range.clone()),
        WidgetVersion::Unknown => None,
    };
    let Some(r) = r else {
        return OptInNeed::Unknown;
    };
    let old = r.allows_any(&range(&format!("<{}", t.min)));
    let mid = r.allows_any(&range(&format!(">={} <7.0.0", t.min)));
    let new = r.allows_any(&range(">=7.0.0"));
    match (old, mid, new) {
        (false, true, false) => OptInNeed::Required,
        (_, false, _) if old || new => OptInNeed::NotNeeded,
        _ => OptInNeed::Unknown,
    }
}

/// A parsed `package.json` and where it is.
#[derive(Debug)]
pub struct ManifestFile {
    pub path: PathBuf,
    pub manifest: Manifest,
}

/// What governs a file: the nearest manifest declaring the widget, and
/// whether any manifest up the tree depends on an `@okta/` package.
#[derive(Debug, Clone, Default)]
pub struct Governing {
    pub widget: Option<(Arc<ManifestFile>, DependencySpec)>,
    pub okta_dependency: bool,
}

impl Governing {
    pub fn widget_version(&self) -> WidgetVersion {
        match &self.widget {
            Some((_, dep)) => match parse_range(&dep.spec) {
                Some(range) => WidgetVersion::Range {
                    spec: dep.spec.clone(),
                    range,
                },
                None => WidgetVersion::Unknown,
            },
            None => WidgetVersion::Unknown,
        }
    }
}

/// Thread-safe cache of the manifests found while walking up from files.
pub struct VersionIndex {
    cwd: PathBuf,
    dirs: Mutex<HashMap<PathBuf, Option<Arc<ManifestFile>>>>,
}

impl VersionIndex {
    pub fn new(cwd: PathBuf) -> Self {
        VersionIndex {
            cwd,
            dirs: Mutex::new(HashMap::new()),
        }
    }

    fn manifest_in(&self, dir: &Path) -> Option<Arc<ManifestFile>> {
        if let Some(hit) = self.dirs.lock().unwrap().get(dir) {
            return hit.clone();
        }
        let path = dir.join("package.json");
        let found = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| Manifest::parse(&text).ok())
            .map(|manifest| Arc::new(ManifestFile { path, manifest }));
        self.dirs
            .lock()
            .unwrap()
            .insert(dir.to_path_buf(), found.clone());
        found
    }

    /// The manifests that govern `file`, nearest first.
    pub fn governing(&self, file: &Path) -> Governing {
        let abs = if file.is_absolute() {
            file.to_path_buf()
        } else {
            self.cwd.join(file)
        };
        let mut g = Governing::default();
        let mut dir = abs.parent();
        while let Some(d) = dir {
            if let Some(m) = self.manifest_in(d) {
                g.okta_dependency |= m.manifest.has_okta_dependency();
                if g.widget.is_none() {
                    if let Some(dep) = m.manifest.dependency(WIDGET_PACKAGE) {
                        g.widget = Some((m.clone(), dep.clone()));
                    }
                }
                if g.widget.is_some() && g.okta_dependency {
                    break;
                }
            }
            dir = d.parent();
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade(spec: &str) -> Option<Severity> {
        grade_range(spec, &parse_range(spec).unwrap(), &Thresholds::default()).map(|g| g.0)
    }

    #[test]
    fn range_grades() {
        assert_eq!(grade("^4.5.0"), Some(Severity::Error));
        assert_eq!(grade("~5.1.0"), Some(Severity::Error));
        assert_eq!(grade("5.1.9"), Some(Severity::Error));
        assert_eq!(grade("^5.0.0"), Some(Severity::Warning));
        assert_eq!(grade(">=4 <8"), Some(Severity::Warning));
        assert_eq!(grade("~5.4.0"), Some(Severity::Warning));
        assert_eq!(grade("^5.11.0"), None);
        assert_eq!(grade("^7.14.0"), None);
        assert_eq!(grade("7.x"), None);
    }

    #[test]
    fn unresolvable_specs() {
        for s in [
            "latest",
            "npm:@okta/okta-signin-widget@^7",
            "workspace:*",
            "git+https://x/y.git",
            "file:../w",
            "",
        ] {
            assert!(parse_range(s).is_none(), "{s}");
        }
    }

    #[test]
    fn exact_grades() {
        let t = Thresholds::default();
        assert_eq!(
            grade_version(&v("5.1.5"), &t).map(|g| g.0),
            Some(Severity::Error)
        );
        assert_eq!(
            grade_version(&v("5.10.0"), &t).map(|g| g.0),
            Some(Severity::Warning)
        );
        assert_eq!(grade_version(&v("5.11.0"), &t), None);
    }

    #[test]
    fn opt_in_need() {
        let t = Thresholds::default();
        let r = |s: &str| WidgetVersion::Range {
            spec: s.into(),
            range: parse_range(s).unwrap(),
        };
        assert_eq!(
            interaction_code_opt_in(&r("^6.3.0"), &t),
            OptInNeed::Required
        );
        assert_eq!(
            interaction_code_opt_in(&r("~5.16.1"), &t),
            OptInNeed::Required
        );
        assert_eq!(
            interaction_code_opt_in(&r("^7.0.0"), &t),
            OptInNeed::NotNeeded
        );
        assert_eq!(
            interaction_code_opt_in(&r("^4.0.0"), &t),
            OptInNeed::NotNeeded
        );
        assert_eq!(interaction_code_opt_in(&r(">=6"), &t), OptInNeed::Unknown);
        assert_eq!(
            interaction_code_opt_in(&WidgetVersion::Exact(v("6.9.0")), &t),
            OptInNeed::Required
        );
        assert_eq!(
            interaction_code_opt_in(&WidgetVersion::Unknown, &t),
            OptInNeed::Unknown
        );
    }
}
