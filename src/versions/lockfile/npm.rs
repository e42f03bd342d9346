//! `package-lock.json` and `npm-shrinkwrap.json`.
//!
//! v2 and v3 list every installed copy under `packages`, keyed by install
//! path (`node_modules/@okta/x`, `apps/a/node_modules/@okta/x`,
//! `node_modules/w/node_modules/@okta/x`); an alias entry carries the real
//! name in `name`. v1 has only the recursive `dependencies` tree, where an
//! alias's `version` is `npm:@okta/x@7.14.0`. v2 has both: `packages` is
//! read and `dependencies` ignored, so each copy is one entry.

use super::{alias_target, LockEntry, LockKind, Lockfile};
use crate::versions::is_okta_package;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

pub fn parse(text: &str) -> Result<Lockfile, String> {
    let ast =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
            .map_err(|e| crate::versions::manifest::json_error(text, 0, &e))?;
    let Some(Value::Object(root)) = ast.value else {
        return Err("not a JSON object".into());
    };
    let version = root
        .get_number("lockfileVersion")
        .and_then(|n| n.value.parse::<u8>().ok())
        .unwrap_or(1);
    let mut lock = Lockfile::new(LockKind::Npm(version));
    if let Some(packages) = root.get_object("packages") {
        for prop in &packages.properties {
            let key = prop.name.as_str();
            let Value::Object(obj) = &prop.value else {
                continue;
            };
            let Some((_, installed_as)) = key.rsplit_once("node_modules/") else {
                lock.importers.push(key.to_string());
                continue;
            };
            let package = obj
                .get_string("name")
                .map(|s| s.value.to_string())
                .unwrap_or_else(|| installed_as.to_string());
            if !is_okta_package(&package) {
                continue;
            }
            let Some(v) = obj.get_string("version") else {
                continue;
            };
            let (start, end) = inner(v.range.start, v.range.end);
            let entry = LockEntry {
                package,
                version: v.value.to_string(),
                start,
                end,
                key: key.to_string(),
            };
            lock.push(entry, [key.to_string()]);
        }
    } else if let Some(deps) = root.get_object("dependencies") {
        lock.importers.push(String::new());
        read_v1(deps, "", &mut lock);
    }
    Ok(lock)
}

/// Byte range of a string literal's content (without the quotes).
fn inner(start: usize, end: usize) -> (usize, usize) {
    (start + 1, end.saturating_sub(1).max(start + 1))
}

/// v1: `dependencies[name] = { version, dependencies: {…nested} }`.
fn read_v1(deps: &Object, prefix: &str, lock: &mut Lockfile) {
    for prop in &deps.properties {
        let name = prop.name.as_str();
        let Value::Object(obj) = &prop.value else {
            continue;
        };
        let key = format!("{prefix}node_modules/{name}");
        if let Some(v) = obj.get_string("version") {
            let (mut start, end) = inner(v.range.start, v.range.end);
            let mut package = name.to_string();
            let mut version = v.value.to_string();
            if let Some((target, ver)) = alias_target(&v.value) {
                package = target.to_string();
                start = end - ver.len();
                version = ver.to_string();
            }
            if is_okta_package(&package) {
                lock.push(
                    LockEntry {
                        package,
                        version,
                        start,
                        end,
                        key: key.clone(),
                    },
                    [key.clone()],
                );
            }
        }
        if let Some(nested) = obj.get_object("dependencies") {
            read_v1(nested, &format!("{key}/"), lock);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_nested_and_alias_entries() {
        let text = r#"{
  "name": "m", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": { "name": "m", "workspaces": ["apps/*"] },
    "apps/a": { "version": "1.0.0" },
    "apps/a/node_modules/@okta/okta-signin-widget": { "version": "7.49.0" },
    "node_modules/@okta/okta-signin-widget": { "version": "5.1.5" },
    "node_modules/w": { "name": "@okta/okta-signin-widget", "version": "7.14.0" },
    "node_modules/a": { "resolved": "apps/a", "link": true },
    "node_modules/lodash": { "version": "4.17.21" }
  }
}"#;
        let lock = parse(text).unwrap();
        assert_eq!(lock.kind, LockKind::Npm(3));
        assert_eq!(lock.entries.len(), 3);
        assert_eq!(lock.importers, ["", "apps/a"]);
        let e = &lock.entries[lock
            .resolve("apps/a", "@okta/okta-signin-widget", "^7")
            .unwrap()];
        assert_eq!(
            (&text[e.start..e.end], e.version.as_str()),
            ("7.49.0", "7.49.0")
        );
        let e = &lock.entries[lock
            .resolve("apps/b", "@okta/okta-signin-widget", "~5.1.0")
            .unwrap()];
        assert_eq!(e.version, "5.1.5");
        let e = &lock.entries[lock
            .resolve("", "w", "npm:@okta/okta-signin-widget@7.14.0")
            .unwrap()];
        assert_eq!(
            (e.package.as_str(), e.version.as_str()),
            ("@okta/okta-signin-widget", "7.14.0")
        );
    }

    #[test]
    fn v1_recursive_and_alias() {
        let text = r#"{"lockfileVersion": 1, "dependencies": {
  "w": { "version": "npm:@okta/okta-signin-widget@7.14.0",
         "dependencies": { "@okta/okta-auth-js": { "version": "7.0.2" } } },
  "@okta/okta-auth-js": { "version": "git+https://github.com/okta/okta-auth-js.git#abc" }
}}"#;
        let lock = parse(text).unwrap();
        assert_eq!(lock.kind, LockKind::Npm(1));
        let w = &lock.entries[lock.resolve("", "w", "x").unwrap()];
        assert_eq!(&text[w.start..w.end], "7.14.0");
        assert_eq!(w.package, "@okta/okta-signin-widget");
        let nested = lock
            .entries
            .iter()
            .find(|e| e.key == "node_modules/w/node_modules/@okta/okta-auth-js")
            .unwrap();
        assert_eq!(nested.version, "7.0.2");
        let git = &lock.entries[lock.resolve("", "@okta/okta-auth-js", "x").unwrap()];
        assert!(git.version.starts_with("git+"));
    }

    #[test]
    fn broken_json_is_an_error() {
        assert!(parse("{\"packages\": {").is_err());
    }
}
