//! `yarn.lock`, v1 and berry.
//!
//! v1 is neither YAML nor JSON: a header line lists the specifiers a block
//! satisfies (`"@okta/x@^5.0.0", "@okta/x@^5.1.0":`), then indented
//! `version "5.1.5"`. Berry (`__metadata:` first) is YAML with one quoted
//! header of `name@npm:range` specifiers and `version: 5.1.5`, plus a
//! `resolution:` that names the real package of an alias. Both are read
//! line by line; a manifest dependency resolves by its `name@spec`.

use super::{alias_target, split_name_spec, yaml, LockEntry, LockKind, Lockfile};
use crate::versions::is_okta_package;

pub fn parse(text: &str) -> Lockfile {
    let berry = text.lines().any(|l| l.starts_with("__metadata:"));
    if berry {
        parse_berry(text)
    } else {
        parse_v1(text)
    }
}

/// The specifiers of a header (`a@1, "b@2"` / `"a@1, b@2"`), unquoted.
fn specifiers(header: &str) -> Vec<String> {
    header
        .split(',')
        .map(|s| s.trim().trim_matches('"').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The real package a specifier installs: the alias target for `npm:` specs.
fn real_package(spec: &str) -> Option<String> {
    let (name, range) = split_name_spec(spec)?;
    match alias_target(range) {
        Some((target, _)) if target.contains('/') || !target.is_empty() => Some(target.to_string()),
        _ => Some(name.to_string()),
    }
}

fn parse_v1(text: &str) -> Lockfile {
    let mut lock = Lockfile::new(LockKind::YarnV1);
    let mut current: Option<(String, Vec<String>, String)> = None; // (header, specs, package)
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            current = None;
            let Some(header) = line.strip_suffix(':') else {
                continue;
            };
            let specs = specifiers(header);
            let Some(package) = specs.first().and_then(|s| real_package(s)) else {
                continue;
            };
            if is_okta_package(&package) {
                current = Some((header.to_string(), specs, package));
            }
            continue;
        }
        let Some((header, specs, package)) = &current else {
            continue;
        };
        let body = line.trim_start();
        if line.len() - body.len() != 2 {
            continue;
        }
        if let Some(v) = body.strip_prefix("version ") {
            let v = v.trim();
            let unq = v.trim_matches('"');
            let start = line_start
                + (line.len() - body.len())
                + "version ".len()
                + v.find(unq).unwrap_or(0);
            let entry = LockEntry {
                package: package.clone(),
                version: unq.to_string(),
                start,
                end: start + unq.len(),
                key: header.clone(),
            };
            lock.push(entry, specs.clone());
            current = None;
        }
    }
    lock
}

fn parse_berry(text: &str) -> Lockfile {
    let mut lock = Lockfile::new(LockKind::YarnBerry);
    // The block being read: header, its version (text, start, end) and resolution.
    struct Block<'a> {
        header: &'a str,
        version: Option<(&'a str, usize, usize)>,
        resolution: Option<&'a str>,
    }
    let mut blocks: Vec<Block> = Vec::new();
    yaml::scan(text, |l| match l.path.len() {
        1 if l.value.is_none() && l.key() != "__metadata" => blocks.push(Block {
            header: l.path[0],
            version: None,
            resolution: None,
        }),
        2 => {
            if let Some(b) = blocks.last_mut().filter(|b| b.header == l.path[0]) {
                match (l.key(), l.value) {
                    ("version", Some(v)) => b.version = Some(v),
                    ("resolution", Some((v, _, _))) => b.resolution = Some(v),
                    _ => {}
                }
            }
        }
        _ => {}
    });
    for b in blocks {
        let specs = specifiers(b.header);
        for s in &specs {
            if let Some((_, range)) = split_name_spec(s) {
                if let Some(dir) = range.strip_prefix("workspace:") {
                    lock.importers.push(super::normalize_importer(dir));
                }
            }
        }
        let package = b
            .resolution
            .and_then(|r| split_name_spec(r).map(|(n, _)| n.to_string()))
            .or_else(|| specs.first().and_then(|s| real_package(s)));
        let (Some(package), Some((version, start, end))) = (package, b.version) else {
            continue;
        };
        if is_okta_package(&package) {
            let entry = LockEntry {
                package,
                version: version.to_string(),
                start,
                end,
                key: b.header.to_string(),
            };
            lock.push(entry, specs);
        }
    }
    lock
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n\"@okta/okta-signin-widget@5.1.5\", \"@okta/okta-signin-widget@^5.0.0\":\n  version \"5.1.5\"\n  resolved \"https://registry.yarnpkg.com/@okta/okta-signin-widget/-/okta-signin-widget-5.1.5.tgz#376f\"\n  dependencies:\n    \"@okta/okta-auth-js\" \"^4.7.1\"\n\nabab@^2.0.0:\n  version \"2.0.6\"\n\n\"widget-next@npm:@okta/okta-signin-widget@7.14.0\":\n  version \"7.14.0\"\n";

    #[test]
    fn v1_blocks_and_alias() {
        let lock = parse(V1);
        assert_eq!(lock.kind, LockKind::YarnV1);
        assert_eq!(lock.entries.len(), 2);
        let e = &lock.entries[lock
            .resolve("", "@okta/okta-signin-widget", "^5.0.0")
            .unwrap()];
        assert_eq!(&V1[e.start..e.end], "5.1.5");
        let a = &lock.entries[lock
            .resolve("", "widget-next", "npm:@okta/okta-signin-widget@7.14.0")
            .unwrap()];
        assert_eq!(
            (a.package.as_str(), &V1[a.start..a.end]),
            ("@okta/okta-signin-widget", "7.14.0")
        );
        assert_eq!(lock.resolve("", "@okta/okta-signin-widget", "^7.0.0"), None);
    }

    const BERRY: &str = "# This file is generated by running \"yarn install\" inside your project.\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"@okta/okta-signin-widget@npm:^5.0.0, @okta/okta-signin-widget@npm:^5.1.0\":\n  version: 5.1.5\n  resolution: \"@okta/okta-signin-widget@npm:5.1.5\"\n  dependencies:\n    \"@okta/okta-auth-js\": \"npm:^4.7.1\"\n  checksum: 10c0/abc\n  languageName: node\n  linkType: hard\n\n\"admin@workspace:apps/admin\":\n  version: 0.0.0-use.local\n  resolution: \"admin@workspace:apps/admin\"\n\n\"widget-next@npm:@okta/okta-signin-widget@7.14.0\":\n  version: 7.14.0\n  resolution: \"@okta/okta-signin-widget@npm:7.14.0\"\n";

    #[test]
    fn berry_blocks_alias_and_workspaces() {
        let lock = parse(BERRY);
        assert_eq!(lock.kind, LockKind::YarnBerry);
        assert_eq!(lock.importers, ["apps/admin"]);
        let e = &lock.entries[lock
            .resolve("apps/admin", "@okta/okta-signin-widget", "^5.1.0")
            .unwrap()];
        assert_eq!(&BERRY[e.start..e.end], "5.1.5");
        let a = &lock.entries[lock
            .resolve("", "widget-next", "npm:@okta/okta-signin-widget@7.14.0")
            .unwrap()];
        assert_eq!(a.package, "@okta/okta-signin-widget");
        assert_eq!(&BERRY[a.start..a.end], "7.14.0");
    }
}
