//! `pnpm-lock.yaml`, lockfile v5 (pnpm 7), v6 (pnpm 8) and v9 (pnpm 9+).
//!
//! Installed copies are the keys of `packages:` (`/@okta/x/5.1.5` in v5,
//! `/@okta/x@5.1.5` in v6, `'@okta/x@5.1.5'` in v9; peer suffixes `_p@1`
//! or `(p@1)` follow the version). Direct dependencies are recorded per
//! importer (`importers: <dir>: dependencies: <name>: {specifier, version}`,
//! or at the top level for a single-project v5/v6 file, v5 with a separate
//! `specifiers:` map). An alias's version is a package key of its target.

use super::{
    normalize_importer, split_name_spec, yaml, ImporterDep, LockEntry, LockKind, Lockfile,
};
use crate::versions::is_okta_package;

const SECTIONS: &[&str] = &["dependencies", "devDependencies", "optionalDependencies"];

pub fn parse(text: &str) -> Lockfile {
    let mut major = 0u8;
    let mut lock = Lockfile::new(LockKind::Pnpm(0));
    // (importer, name, specifier, version text) of direct dependencies.
    let mut direct: Vec<(String, String, Option<String>, Option<String>)> = Vec::new();
    let mut note = |importer: &str, name: &str, spec: Option<&str>, version: Option<&str>| {
        let importer = normalize_importer(importer);
        let i = match direct.iter().position(|d| d.0 == importer && d.1 == name) {
            Some(i) => i,
            None => {
                direct.push((importer, name.to_string(), None, None));
                direct.len() - 1
            }
        };
        if let Some(s) = spec {
            direct[i].2 = Some(s.to_string());
        }
        if let Some(v) = version {
            direct[i].3 = Some(v.to_string());
        }
    };
    yaml::scan(text, |l| {
        let p = &l.path;
        let val = l.value.map(|v| v.0);
        match p.as_slice() {
            ["lockfileVersion"] => {
                major = val
                    .and_then(|v| v.split('.').next())
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(0);
            }
            ["packages", key] => {
                if let Some((package, vs, ve)) = package_key(key, major) {
                    if is_okta_package(package) {
                        let (start, end) = (l.key_start + vs, l.key_start + ve);
                        let entry = LockEntry {
                            package: package.to_string(),
                            version: text[start..end].to_string(),
                            start,
                            end,
                            key: key.to_string(),
                        };
                        lock.push(entry, [key.to_string()]);
                    }
                }
            }
            ["importers", imp] => lock.importers.push(normalize_importer(imp)),
            // v9/v6 importers, v6 single project: `name: {specifier, version}`.
            ["importers", imp, s, name, field] if SECTIONS.contains(s) => match *field {
                "specifier" => note(imp, name, val, None),
                "version" => note(imp, name, None, val),
                _ => {}
            },
            [s, name, field] if SECTIONS.contains(s) => match *field {
                "specifier" => note("", name, val, None),
                "version" => note("", name, None, val),
                _ => {}
            },
            // v5: `name: version` with a separate `specifiers:` map.
            ["importers", imp, "specifiers", name] => note(imp, name, val, None),
            ["importers", imp, s, name] if SECTIONS.contains(s) && val.is_some() => {
                note(imp, name, None, val)
            }
            ["specifiers", name] => note("", name, val, None),
            [s, name] if SECTIONS.contains(s) && val.is_some() => note("", name, None, val),
            _ => {}
        }
    });
    lock.kind = LockKind::Pnpm(major);
    if lock.importers.is_empty() {
        lock.importers.push(String::new());
    }
    for (importer, name, specifier, version) in direct {
        let Some(version) = version else { continue };
        let (package, ver) = match dependency_version(&name, &version, major) {
            Some(x) => x,
            None => continue,
        };
        if !is_okta_package(&name) && !is_okta_package(package) {
            continue;
        }
        let entry = lock
            .entries
            .iter()
            .position(|e| e.package == package && strip_peers(&e.version) == ver);
        lock.importer_deps.push(ImporterDep {
            importer,
            name,
            specifier,
            entry,
        });
    }
    lock
}

/// The package name and the byte range of its version inside a `packages:` key.
fn package_key(key: &str, major: u8) -> Option<(&str, usize, usize)> {
    let lead = usize::from(key.starts_with('/'));
    let k = &key[lead..];
    let (name, version, vstart) = if major > 0 && major < 6 {
        let (n, v) = k.rsplit_once('/')?;
        // `/@scope/name/1.0.0`: the name keeps its scope.
        if n.is_empty() {
            return None;
        }
        (n, v, lead + n.len() + 1)
    } else {
        let (n, v) = split_name_spec(k)?;
        (n, v, lead + n.len() + 1)
    };
    let vlen = strip_peers(version).len();
    (vlen > 0).then_some((name, vstart, vstart + vlen))
}

/// `5.1.5(react@18)` / `5.1.5_react@18` → `5.1.5`.
fn strip_peers(v: &str) -> &str {
    let end = v.find(['(', '_']).unwrap_or(v.len());
    &v[..end]
}

/// What an importer's `version:` value installs: `(package, version)`.
/// `5.1.5` is the dependency itself; a package key (`/@okta/x@7.14.0`,
/// `@okta/x@7.14.0`, `/@okta/x/7.14.0`) is an alias; `link:` installs none.
fn dependency_version<'a>(
    name: &'a str,
    version: &'a str,
    major: u8,
) -> Option<(&'a str, &'a str)> {
    if version.starts_with("link:") || version.starts_with("file:") {
        return None;
    }
    if version.starts_with(|c: char| c.is_ascii_digit()) {
        return Some((name, strip_peers(version)));
    }
    let (package, s, e) = package_key(version, major)?;
    Some((package, &version[s..e]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widget<'a>(lock: &Lockfile, text: &'a str, importer: &str, name: &str) -> &'a str {
        let e = &lock.entries[lock.resolve(importer, name, "").unwrap()];
        &text[e.start..e.end]
    }

    #[test]
    fn v5_single_project() {
        let t = "lockfileVersion: 5.4\n\nspecifiers:\n  '@okta/okta-signin-widget': ^5.0.0\n  widget-next: npm:@okta/okta-signin-widget@7.14.0\n\ndependencies:\n  '@okta/okta-signin-widget': 5.1.5\n  widget-next: /@okta/okta-signin-widget/7.14.0\n\npackages:\n\n  /@okta/okta-signin-widget/5.1.5:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /@okta/okta-signin-widget/7.14.0_react@18.0.0:\n    dev: false\n";
        let lock = parse(t);
        assert_eq!(lock.kind, LockKind::Pnpm(5));
        assert_eq!(widget(&lock, t, "", "@okta/okta-signin-widget"), "5.1.5");
        assert_eq!(widget(&lock, t, ".", "widget-next"), "7.14.0");
        assert_eq!(lock.importer_deps[0].specifier.as_deref(), Some("^5.0.0"));
    }

    #[test]
    fn v6_and_v9_workspaces() {
        let t6 = "lockfileVersion: '6.0'\n\nimporters:\n\n  apps/admin:\n    dependencies:\n      '@okta/okta-signin-widget':\n        specifier: ~5.1.0\n        version: 5.1.5\n\npackages:\n\n  /@okta/okta-signin-widget@5.1.5:\n    dev: false\n";
        let lock = parse(t6);
        assert_eq!(lock.kind, LockKind::Pnpm(6));
        assert_eq!(
            widget(&lock, t6, "apps/admin", "@okta/okta-signin-widget"),
            "5.1.5"
        );
        assert_eq!(lock.importers, ["apps/admin"]);
        let t9 = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      w:\n        specifier: npm:@okta/okta-signin-widget@7.14.0\n        version: '@okta/okta-signin-widget@7.14.0'\n\npackages:\n\n  '@okta/okta-signin-widget@7.14.0':\n    resolution: {integrity: x}\n\nsnapshots:\n\n  '@okta/okta-signin-widget@7.14.0':\n    dependencies: {}\n";
        let lock = parse(t9);
        assert_eq!(lock.kind, LockKind::Pnpm(9));
        assert_eq!(lock.entries.len(), 1, "snapshots do not duplicate entries");
        assert_eq!(widget(&lock, t9, "", "w"), "7.14.0");
    }

    #[test]
    fn links_are_unresolvable() {
        let t = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@okta/okta-signin-widget':\n        specifier: link:../widget\n        version: link:../widget\n";
        let lock = parse(t);
        assert_eq!(lock.resolve("", "@okta/okta-signin-widget", ""), None);
    }
}
