//! Version knowledge end to end: lockfile readers on real package-manager
//! output, the fixtures under `fixtures/versions/` (inline `expect:` markers;
//! lockfiles cannot carry comments, so their findings are listed here with
//! exact positions), precedence, large lockfiles and `oie-lint versions`.

use crate::common::write;

use assert_cmd::Command;
use oie_lint::versions::lockfile::{LockKind, Lockfile};
use oie_lint::versions::{self, VersionIndex, WidgetVersion};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

// ---------------------------------------------------------------------------
// Lockfile readers on files the real package managers wrote
// (npm 11, yarn 1.22, yarn 4.5 berry, pnpm 7/8/9) for one package.json:
// widget 5.1.5, okta-auth-js ^4.9.0, and an alias widget-next → widget 7.14.0.

struct Case {
    dir: &'static str,
    file: &'static str,
    kind: LockKind,
    /// (line, col) of the 5.1.5 widget version text.
    widget: (usize, usize),
    /// (line, col) of the aliased 7.14.0.
    alias: (usize, usize),
    /// (line, col) of okta-auth-js 4.9.2.
    auth_js: (usize, usize),
}

const CASES: &[Case] = &[
    Case {
        dir: "npm1",
        file: "package-lock.json",
        kind: LockKind::Npm(1),
        widget: (235, 19),
        alias: (1860, 48),
        auth_js: (216, 19),
    },
    Case {
        dir: "npm2-shrinkwrap",
        file: "npm-shrinkwrap.json",
        kind: LockKind::Npm(2),
        widget: (362, 19),
        alias: (2987, 19),
        auth_js: (328, 19),
    },
    Case {
        dir: "npm3",
        file: "package-lock.json",
        kind: LockKind::Npm(3),
        widget: (362, 19),
        alias: (2987, 19),
        auth_js: (328, 19),
    },
    Case {
        dir: "yarn1",
        file: "yarn.lock",
        kind: LockKind::YarnV1,
        widget: (259, 12),
        alias: (2024, 12),
        auth_js: (218, 12),
    },
    Case {
        dir: "berry",
        file: "yarn.lock",
        kind: LockKind::YarnBerry,
        widget: (333, 12),
        alias: (2903, 12),
        auth_js: (288, 12),
    },
    Case {
        dir: "pnpm5",
        file: "pnpm-lock.yaml",
        kind: LockKind::Pnpm(5),
        widget: (280, 29),
        alias: (296, 29),
        auth_js: (234, 23),
    },
    Case {
        dir: "pnpm6",
        file: "pnpm-lock.yaml",
        kind: LockKind::Pnpm(6),
        widget: (285, 29),
        alias: (301, 29),
        auth_js: (239, 23),
    },
    Case {
        dir: "pnpm9",
        file: "pnpm-lock.yaml",
        kind: LockKind::Pnpm(9),
        widget: (137, 29),
        alias: (140, 29),
        auth_js: (129, 23),
    },
];

#[test]
fn every_lockfile_format_resolves_manifest_dependencies_with_exact_positions() {
    for c in CASES {
        let dir = root().join("tests/data/lockfiles").join(c.dir);
        let text = std::fs::read_to_string(dir.join(c.file)).unwrap();
        let lock = Lockfile::parse(c.file, &text).unwrap();
        assert_eq!(lock.kind, c.kind, "{}", c.dir);
        let at = |name: &str, spec: &str| {
            let i = lock
                .resolve("", name, spec)
                .unwrap_or_else(|| panic!("{}: {name}@{spec} unresolved", c.dir));
            let e = &lock.entries[i];
            assert_eq!(
                &text[e.start..e.end],
                e.version,
                "{}: span is the version text",
                c.dir
            );
            (
                e.package.clone(),
                e.version.clone(),
                line_col(&text, e.start),
            )
        };
        assert_eq!(
            at("@okta/okta-signin-widget", "5.1.5"),
            ("@okta/okta-signin-widget".into(), "5.1.5".into(), c.widget),
            "{}",
            c.dir
        );
        assert_eq!(
            at("widget-next", "npm:@okta/okta-signin-widget@7.14.0"),
            ("@okta/okta-signin-widget".into(), "7.14.0".into(), c.alias),
            "{}",
            c.dir
        );
        assert_eq!(
            at("@okta/okta-auth-js", "^4.9.0"),
            ("@okta/okta-auth-js".into(), "4.9.2".into(), c.auth_js),
            "{}",
            c.dir
        );
        // okta-auth-js 7.0.2 comes with widget 7.14.0: a transitive entry.
        assert!(
            lock.entries
                .iter()
                .any(|e| e.package == "@okta/okta-auth-js" && e.version == "7.0.2"),
            "{}",
            c.dir
        );
        // Only Okta packages are kept, whatever the lockfile's size.
        assert!(
            lock.entries
                .iter()
                .all(|e| versions::is_okta_package(&e.package)),
            "{}",
            c.dir
        );
    }
}

#[test]
fn check_reports_the_locked_widget_at_the_lockfile_entry_in_every_format() {
    for c in CASES {
        let dir = root().join("tests/data/lockfiles").join(c.dir);
        let found = check_json(&dir);
        let expected = vec![(
            c.file.to_string(),
            c.widget.0,
            c.widget.1,
            "OIE004".to_string(),
            "error".to_string(),
        )];
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.0.clone(), f.1, f.2, f.3.clone(), f.4.clone()))
            .collect();
        assert_eq!(got, expected, "{}", c.dir);
        assert!(
            found[0].5.contains("package.json:"),
            "{}: the message names the manifest line: {}",
            c.dir,
            found[0].5
        );
    }
}

// ---------------------------------------------------------------------------
// Fixtures

/// `(path, line, column, code, severity, message)` of `check --format json`, run in `dir`.
fn check_json(dir: &Path) -> Vec<(String, usize, usize, String, String, String)> {
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(dir)
        .args(["check", ".", "--format", "json", "--exit-zero"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap() as usize,
                d["column"].as_u64().unwrap() as usize,
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_below(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// `expect: CODE(severity)` markers: each names a finding on the next line
/// that is not itself a marker.
fn inline_expectations(dir: &Path) -> BTreeSet<(String, usize, String, String)> {
    let re = regex::Regex::new(r"expect:\s*(OIE\d+)\((error|warning)\)").unwrap();
    let mut files = Vec::new();
    files_below(dir, &mut files);
    let mut out = BTreeSet::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let rel = f
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut pending = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let marks: Vec<_> = re
                .captures_iter(line)
                .map(|c| (c[1].to_string(), c[2].to_string()))
                .collect();
            if marks.is_empty() {
                for (code, sev) in pending.drain(..) {
                    out.insert((rel.clone(), i + 1, code, sev));
                }
            } else {
                pending.extend(marks);
            }
        }
    }
    out
}

/// Lockfile findings of the fixtures, with exact positions.
const FIXTURE_LOCKFILE_FINDINGS: &[(&str, usize, usize, &str, &str, &str)] = &[
    (
        "monorepo/package-lock.json",
        84,
        19,
        "OIE004",
        "warning",
        "locked for `5.8.4` in monorepo/apps/partner/package.json:6",
    ),
    (
        "monorepo/package-lock.json",
        161,
        19,
        "OIE004",
        "error",
        "locked for `~5.1.0` in monorepo/apps/admin/package.json:6",
    ),
    (
        "pnpm-workspace/pnpm-lock.yaml",
        40,
        29,
        "OIE004",
        "warning",
        "locked for `~5.4.0` in pnpm-workspace/apps/legacy/package.json:5",
    ),
    (
        "range-ok-lock-old/package-lock.json",
        32,
        19,
        "OIE004",
        "error",
        "locked for `^5.0.0` in range-ok-lock-old/package.json:6",
    ),
];

#[test]
fn fixtures_fire_exactly_as_annotated() {
    let dir = root().join("fixtures/versions");
    let found = check_json(&dir);
    let is_lock = |p: &str| {
        p.ends_with(".json") && p.contains("lock") || p.ends_with(".lock") || p.ends_with(".yaml")
    };
    let got: BTreeSet<_> = found
        .iter()
        .filter(|f| !is_lock(&f.0))
        .map(|f| (f.0.clone(), f.1, f.3.clone(), f.4.clone()))
        .collect();
    assert_eq!(got, inline_expectations(&dir));
    let locks: Vec<_> = found.iter().filter(|f| is_lock(&f.0)).collect();
    assert_eq!(locks.len(), FIXTURE_LOCKFILE_FINDINGS.len(), "{locks:#?}");
    for (f, e) in locks.iter().zip(FIXTURE_LOCKFILE_FINDINGS) {
        assert_eq!(
            (f.0.as_str(), f.1, f.2, f.3.as_str(), f.4.as_str()),
            (e.0, e.1, e.2, e.3, e.4)
        );
        assert!(
            f.5.contains(e.5),
            "{} does not name the manifest line: {}",
            f.0,
            f.5
        );
    }
}

#[test]
fn a_range_whose_lockfile_resolves_a_fine_version_is_not_flagged() {
    // `^5.0.0` alone is a warning; pnpm-lock.yaml pins 5.16.1.
    let found = check_json(&root().join("fixtures/versions/range-warn-lock-fine"));
    assert!(found.iter().all(|f| f.3 != "OIE004"), "{found:#?}");
}

#[test]
fn vendored_bundles_are_not_linted_as_code() {
    // The stand-in bundles call session.setCookieAndRedirect(sessionToken):
    // third-party code, so only OIE004 may speak.
    let found = check_json(&root().join("fixtures/versions/php-vendored"));
    assert!(found.iter().all(|f| f.3 == "OIE004"), "{found:#?}");
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(root().join("fixtures/versions/php-vendored"))
        .args([
            "check",
            "public/assets/signin-bundle.js",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

// ---------------------------------------------------------------------------
// Precedence and unresolvable specs

const LOCK_515: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "app",
      "dependencies": {
        "@okta/okta-signin-widget": "^5.0.0"
      }
    },
    "node_modules/@okta/okta-signin-widget": {
      "version": "5.1.5"
    }
  }
}
"#;

/// A workspace package checked alone (`check apps/admin`, or pre-commit
/// passing only its manifest) still hears about the old widget its root
/// lockfile pins; a run that also covers the lockfile reports it there only.
#[test]
fn a_lockfile_outside_the_run_is_reported_at_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "package.json",
        r#"{ "private": true, "workspaces": ["apps/*"] }"#,
    );
    let manifest = "{\n  \"name\": \"admin\",\n  \"dependencies\": {\n    \"@okta/okta-signin-widget\": \"^5.0.0\"\n  }\n}\n";
    write(d, "apps/admin/package.json", manifest);
    write(
        d,
        "package-lock.json",
        r#"{
  "name": "root",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "root", "workspaces": ["apps/*"] },
    "apps/admin": {
      "name": "admin",
      "dependencies": { "@okta/okta-signin-widget": "^5.0.0" }
    },
    "node_modules/@okta/okta-signin-widget": {
      "version": "5.1.5"
    }
  }
}
"#,
    );
    let run = |paths: &[&str]| {
        let out = Command::cargo_bin("oie-lint")
            .unwrap()
            .current_dir(d)
            .args([
                "check",
                "--format",
                "concise",
                "--select",
                "OIE004",
                "--exit-zero",
            ])
            .args(paths)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for paths in [&["apps/admin"][..], &["apps/admin/package.json"]] {
        let out = run(paths);
        let line = out
            .lines()
            .find(|l| l.starts_with("apps/admin/package.json:4:"))
            .unwrap_or_else(|| panic!("{paths:?}: {out}"));
        assert!(line.contains("OIE004"), "{line}");
        assert!(
            line.contains("(`^5.0.0` is locked as 5.1.5 in package-lock.json:12; after fixing the range here, regenerate the lockfile)"),
            "{line}"
        );
    }
    let whole = run(&[]);
    assert!(whole.contains("package-lock.json:12:"), "{whole}");
    let at_manifest = |out: &str| {
        out.lines()
            .any(|l| l.starts_with("apps/admin/package.json:"))
    };
    assert!(!at_manifest(&whole), "{whole}");
    let both = run(&["apps/admin", "package-lock.json"]);
    assert!(both.contains("package-lock.json:12:"), "{both}");
    assert!(!at_manifest(&both), "{both}");
}

#[test]
fn installed_package_wins_over_the_lockfile_and_the_lockfile_over_the_range() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "package.json",
        "{\n  \"dependencies\": {\n    \"@okta/okta-signin-widget\": \"^5.0.0\"\n  }\n}\n",
    );
    write(d, "src/login.js", "new OktaSignIn({ clientId: 'x' });\n");
    let index = VersionIndex::new(d.to_path_buf());
    assert!(matches!(
        index.governing(Path::new("src/login.js")).widget_version(),
        WidgetVersion::Range { .. }
    ));

    write(d, "package-lock.json", LOCK_515);
    let index = VersionIndex::new(d.to_path_buf());
    match index.governing(Path::new("src/login.js")).widget_version() {
        WidgetVersion::Exact(v) => assert_eq!(v.to_string(), "5.1.5"),
        w => panic!("{w:?}"),
    }

    write(
        d,
        "node_modules/@okta/okta-signin-widget/package.json",
        "{\n  \"name\": \"@okta/okta-signin-widget\",\n  \"version\": \"7.2.0\"\n}\n",
    );
    let index = VersionIndex::new(d.to_path_buf());
    let g = index.governing(Path::new("src/login.js"));
    match g.widget_version() {
        WidgetVersion::Exact(v) => assert_eq!(v.to_string(), "7.2.0"),
        w => panic!("{w:?}"),
    }
    assert_eq!(
        g.resolution.locked.as_ref().unwrap().entry().version,
        "5.1.5"
    );

    let rows = versions_json(d, &[]);
    assert_eq!(rows[0]["resolved"], "7.2.0");
    assert_eq!(
        rows[0]["resolved_from"],
        "node_modules/@okta/okta-signin-widget/package.json:3"
    );
    assert_eq!(rows[0]["status"], "ready");
    assert_eq!(rows[0]["governs"], serde_json::json!(["src/login.js"]));
}

#[test]
fn an_installed_copy_without_a_lockfile_is_graded_at_the_manifest_range() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "package.json",
        "{\n  \"dependencies\": {\n    \"@okta/okta-signin-widget\": \"^5.0.0\"\n  }\n}\n",
    );
    write(
        d,
        "node_modules/@okta/okta-signin-widget/package.json",
        "{ \"version\": \"5.0.2\" }",
    );
    let found = check_json(d);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (
            found[0].0.as_str(),
            found[0].1,
            found[0].2,
            found[0].4.as_str()
        ),
        ("package.json", 3, 34, "error")
    );
    assert!(found[0].5.contains("installed as 5.0.2"), "{}", found[0].5);
}

#[test]
fn unresolvable_specs_are_reported_unknown_never_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // `*` is understood (any version: a warning); the others cannot be resolved.
    write(
        d,
        "star/package.json",
        r#"{ "dependencies": { "@okta/okta-signin-widget": "*" } }"#,
    );
    let specs = [
        "latest",
        "workspace:*",
        "git+https://github.com/okta/okta-signin-widget.git#7.0.0",
        "file:../widget",
        "link:../w",
    ];
    for (i, s) in specs.iter().enumerate() {
        write(
            d,
            &format!("a{i}/package.json"),
            format!("{{ \"dependencies\": {{ \"@okta/okta-signin-widget\": \"{s}\" }} }}"),
        );
    }
    write(
        d,
        "alias/package.json",
        r#"{ "dependencies": { "w": "npm:@okta/okta-signin-widget@^7.1.0" } }"#,
    );
    // A lockfile whose entry is a git URL, and garbage lockfiles.
    write(
        d,
        "git/package.json",
        r#"{ "dependencies": { "@okta/okta-auth-js": "okta/okta-auth-js" } }"#,
    );
    write(
        d,
        "git/package-lock.json",
        r#"{ "lockfileVersion": 1, "dependencies": { "@okta/okta-auth-js": { "version": "github:okta/okta-auth-js#abc" } } }"#,
    );
    write(
        d,
        "bad/yarn.lock",
        "\"@okta/okta-signin-widget@\n  version\n:::\n",
    );
    write(
        d,
        "bad2/pnpm-lock.yaml",
        "lockfileVersion: [\npackages:\n  '@okta/okta-signin-widget@':\n  /x:\n",
    );
    let found = check_json(d);
    let got: Vec<_> = found
        .iter()
        .map(|f| (f.0.as_str(), f.3.as_str(), f.4.as_str()))
        .collect();
    assert_eq!(got, [("star/package.json", "OIE004", "warning")]);
    let rows = versions_json(d, &[]);
    let by_path = |p: &str| {
        rows.iter()
            .find(|r| r["path"] == p)
            .unwrap_or_else(|| panic!("{p}: {rows:#?}"))
    };
    for (i, spec) in specs.iter().enumerate() {
        assert_eq!(
            by_path(&format!("a{i}/package.json"))["status"],
            "unknown",
            "{spec}"
        );
    }
    assert_eq!(by_path("star/package.json")["status"], "warning");
    assert_eq!(by_path("alias/package.json")["status"], "ready");
    assert_eq!(
        by_path("alias/package.json")["package"],
        "@okta/okta-signin-widget"
    );
    let git = by_path("git/package.json");
    assert_eq!(
        (git["resolved"].as_str(), git["status"].as_str()),
        (Some("github:okta/okta-auth-js#abc"), Some("unknown"))
    );
}

// ---------------------------------------------------------------------------
// Large lockfiles: one parse per run, no walk per file.

fn big_npm_lock(n: usize) -> String {
    let mut s = String::from("{\n  \"name\": \"big\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\n      \"name\": \"big\",\n      \"workspaces\": [\"apps/*\"]\n    },\n");
    for m in ["a", "b", "c"] {
        s.push_str(&format!(
            "    \"apps/{m}\": {{\n      \"version\": \"1.0.0\"\n    }},\n"
        ));
    }
    for i in 0..n {
        s.push_str(&format!(
            "    \"node_modules/pkg-{i}\": {{\n      \"version\": \"1.{}.{}\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.0.0.tgz\",\n      \"integrity\": \"sha512-{i:064}\",\n      \"dependencies\": {{\n        \"pkg-{}\": \"^1.0.0\"\n      }}\n    }},\n",
            i % 50,
            i % 7,
            (i + 1) % n
        ));
        if i == n / 2 {
            s.push_str("    \"apps/b/node_modules/@okta/okta-signin-widget\": {\n      \"version\": \"5.9.4\"\n    },\n");
        }
    }
    s.push_str("    \"node_modules/@okta/okta-signin-widget\": {\n      \"version\": \"7.14.0\"\n    }\n  }\n}\n");
    s
}

#[test]
fn a_lockfile_with_thousands_of_entries_is_parsed_once_and_resolves_correctly() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let lock = big_npm_lock(6000);
    write(
        d,
        "package.json",
        r#"{ "private": true, "workspaces": ["apps/*"] }"#,
    );
    write(d, "package-lock.json", &lock);
    for m in ["a", "b", "c"] {
        write(
            d,
            &format!("apps/{m}/package.json"),
            r#"{ "dependencies": { "@okta/okta-signin-widget": "^5.9.0 || ^7.0.0" } }"#,
        );
        for f in 0..100 {
            write(
                d,
                &format!("apps/{m}/src/f{f}.js"),
                "new OktaSignIn({ clientId: 'x' });\n",
            );
        }
    }
    let index = VersionIndex::new(d.to_path_buf());
    for m in ["a", "b", "c"] {
        for f in 0..100 {
            let v = match index
                .governing(Path::new(&format!("apps/{m}/src/f{f}.js")))
                .widget_version()
            {
                WidgetVersion::Exact(v) => v.to_string(),
                w => panic!("{w:?}"),
            };
            assert_eq!(v, if m == "b" { "5.9.4" } else { "7.14.0" });
        }
    }
    assert_eq!(index.lockfile_parses(), 1);
    let parsed = Lockfile::parse("package-lock.json", &lock).unwrap();
    assert_eq!(parsed.entries.len(), 2, "only the Okta entries are kept");
    let e = &parsed.entries[parsed
        .resolve("apps/b", "@okta/okta-signin-widget", "x")
        .unwrap()];
    assert_eq!(&lock[e.start..e.end], "5.9.4");

    // The same through the CLI: one OIE004 at the member's nested entry, and
    // OIE003 gated by each member's own version.
    let found = check_json(d);
    let widget_line = lock[..lock.find("\"5.9.4\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let got: Vec<_> = found
        .iter()
        .map(|f| (f.0.as_str(), f.1, f.3.as_str(), f.4.as_str()))
        .collect();
    let expected = ("package-lock.json", widget_line, "OIE004", "warning");
    assert_eq!(
        got.iter().filter(|g| g.2 == "OIE004").collect::<Vec<_>>(),
        vec![&expected]
    );
    assert_eq!(
        got.iter().filter(|g| g.2 == "OIE003").count(),
        100,
        "only apps/b (5.9.4) needs the opt-in"
    );
    assert!(got
        .iter()
        .filter(|g| g.2 == "OIE003")
        .all(|g| g.0.starts_with("apps/b/")));
}

#[test]
fn large_yarn_and_pnpm_lockfiles_keep_only_okta_entries() {
    let mut yarn = String::from("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n");
    let mut pnpm = String::from("lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n      '@okta/okta-signin-widget':\n        specifier: ^5.0.0\n        version: 5.16.1\n\npackages:\n\n");
    for i in 0..4000 {
        yarn.push_str(&format!("pkg-{i}@^1.0.0, pkg-{i}@^1.1.0:\n  version \"1.{i}.0\"\n  resolved \"https://registry.yarnpkg.com/pkg-{i}/-/pkg-{i}-1.{i}.0.tgz#abc\"\n  integrity sha512-x\n  dependencies:\n    pkg-{} \"^1.0.0\"\n\n", i + 1));
        pnpm.push_str(&format!("  pkg-{i}@1.{i}.0:\n    resolution: {{integrity: sha512-x}}\n    engines: {{node: '>=8'}}\n\n"));
    }
    yarn.push_str("\"@okta/okta-signin-widget@^5.0.0\":\n  version \"5.16.1\"\n");
    pnpm.push_str("  '@okta/okta-signin-widget@5.16.1':\n    resolution: {integrity: sha512-x}\n");
    for (name, text) in [("yarn.lock", &yarn), ("pnpm-lock.yaml", &pnpm)] {
        let lock = Lockfile::parse(name, text).unwrap();
        assert_eq!(lock.entries.len(), 1, "{name}");
        let e = &lock.entries[lock
            .resolve("", "@okta/okta-signin-widget", "^5.0.0")
            .unwrap()];
        assert_eq!(&text[e.start..e.end], "5.16.1", "{name}");
        assert_eq!(
            line_col(text, e.start).0,
            text.lines().count() - usize::from(name == "pnpm-lock.yaml"),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------
// `oie-lint versions`

fn versions_json(dir: &Path, extra: &[&str]) -> Vec<Value> {
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(dir)
        .args(["versions", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn versions_lists_every_use_of_the_monorepo_with_what_it_governs() {
    let rows = versions_json(&root().join("fixtures/versions/monorepo"), &[]);
    let brief: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}:{} {} {}",
                r["package"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
                r["spec"].as_str().unwrap_or("-"),
                r["resolved"].as_str().unwrap_or("-"),
                r["path"].as_str().unwrap(),
                r["line"],
                r["governs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| g.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
                r["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            "@okta/okta-auth-js manifest ^7.8.0 7.14.5 apps/customer/package.json:7 apps/customer/src/login.js ready",
            "@okta/okta-signin-widget manifest ~5.1.0 5.1.5 apps/admin/package.json:6 apps/admin/src/login.js blocking",
            "@okta/okta-signin-widget manifest ^7.14.0 7.49.0 apps/customer/package.json:6 apps/customer/src/login.js ready",
            "@okta/okta-signin-widget manifest 5.8.4 5.8.4 apps/partner/package.json:6 apps/partner/src/login.js warning",
            "@okta/okta-signin-widget manifest ^4.5.0 - tools/demo/package.json:6  blocking",
        ]
    );
    assert_eq!(rows[1]["resolved_from"], "package-lock.json:161");
}

#[test]
fn versions_sees_bundles_and_the_pages_that_load_them() {
    let rows = versions_json(&root().join("fixtures/versions"), &[]);
    let bundle = |p: &str| {
        rows.iter()
            .find(|r| {
                r["path"] == p
                    && r["kind"] == "bundle"
                    && r["package"] == "@okta/okta-signin-widget"
            })
            .unwrap_or_else(|| panic!("{p}"))
    };
    let java = bundle("java-vendored/src/main/resources/static/js/okta-sign-in.min.js");
    assert_eq!(
        (
            java["resolved"].as_str(),
            java["status"].as_str(),
            java["line"].as_u64()
        ),
        (Some("5.8.0"), Some("warning"), Some(8))
    );
    assert_eq!(
        java["governs"],
        serde_json::json!([
            "java-vendored/src/main/resources/templates/login.html",
            "java-vendored/src/main/webapp/WEB-INF/jsp/legacy-login.jsp"
        ])
    );
    let seven = bundle("php-vendored/public/assets/signin-bundle.js");
    assert_eq!(
        (seven["resolved"].as_str(), seven["status"].as_str()),
        (Some("7.14.0"), Some("ready"))
    );
    assert_eq!(
        seven["governs"],
        serde_json::json!(["php-vendored/public/new-login.php"])
    );
    let auth = rows
        .iter()
        .find(|r| r["package"] == "@okta/okta-auth-js" && r["kind"] == "bundle")
        .unwrap();
    assert_eq!(
        (auth["path"].as_str(), auth["resolved"].as_str()),
        (
            Some("php-vendored/public/assets/signin-bundle.js"),
            Some("7.0.1")
        ),
        "the okta-auth-js a widget bundle embeds"
    );
    let old = bundle("php-vendored/public/vendor/okta/okta-sign-in.min.js");
    assert_eq!(old["status"], "blocking");
}

#[test]
fn versions_reads_cdn_urls_of_the_widget_and_auth_js() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "index.html",
        "<!-- <script src=\"https://global.oktacdn.com/okta-signin-widget/1.0.0/js/okta-sign-in.min.js\"></script> -->\n<script src=\"https://global.oktacdn.com/okta-signin-widget/5.5.0/js/okta-sign-in.min.js\"></script>\n<script src=\"https://global.oktacdn.com/okta-auth-js/7.8.1/okta-auth-js.min.js\"></script>\n",
    );
    write(d, "load.js", "// https://global.oktacdn.com/okta-auth-js/4.0.0/okta-auth-js.min.js\nload('https://unpkg.com/@okta/okta-auth-js@4.9.2/dist/okta-auth-js.min.js');\n");
    let rows = versions_json(d, &[]);
    let brief: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r["package"].as_str().unwrap(),
                r["resolved"].as_str().unwrap(),
                r["path"].as_str().unwrap(),
                r["line"].as_u64().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            ("@okta/okta-auth-js", "7.8.1", "index.html", 3, "ready"),
            ("@okta/okta-auth-js", "4.9.2", "load.js", 2, "warning"),
            (
                "@okta/okta-signin-widget",
                "5.5.0",
                "index.html",
                2,
                "warning"
            ),
        ]
    );
}

#[test]
fn versions_thresholds_come_from_the_flags() {
    let dir = root().join("fixtures/versions/monorepo");
    let rows = versions_json(
        &dir,
        &[
            "--min-widget-version",
            "5.0.0",
            "--recommended-widget-version",
            "5.8.0",
        ],
    );
    let statuses: Vec<_> = rows
        .iter()
        .filter(|r| r["package"] == "@okta/okta-signin-widget")
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["warning", "ready", "ready", "blocking"]);
    Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(&dir)
        .args(["versions", "--min-widget-version", "five"])
        .assert()
        .code(2);
}

#[test]
fn versions_full_and_markdown_output() {
    let dir = root().join("fixtures/versions/monorepo");
    let run = |fmt: &str| {
        let out = Command::cargo_bin("oie-lint")
            .unwrap()
            .current_dir(&dir)
            .args(["versions", "--format", fmt])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    insta::assert_snapshot!("versions_full", run("full"));
    insta::assert_snapshot!("versions_markdown", run("markdown"));
}

#[test]
fn versions_exits_2_on_a_missing_path() {
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(tmp.path())
        .args(["versions", "nope"])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("No Okta package uses found."));
}

// ---------------------------------------------------------------------------
// OIE004's own examples (rules/OIE004-widget-version-too-old.toml).

#[test]
fn oie004_examples_fire_as_annotated() {
    let reg = oie_lint::rules::Registry::get();
    let rule = &reg.rules[reg.find("OIE004").unwrap()];
    let re = regex::Regex::new(r"expect:\s*(OIE\d+)\((error|warning)\)").unwrap();
    for (valid, examples) in [(true, &rule.valid()), (false, &rule.invalid())] {
        for ex in examples.iter() {
            let tmp = tempfile::tempdir().unwrap();
            write(tmp.path(), &ex.filename, &ex.code);
            for (name, text) in &ex.files {
                write(tmp.path(), name, text);
            }
            let out = Command::cargo_bin("oie-lint")
                .unwrap()
                .current_dir(tmp.path())
                .args([
                    "check",
                    &ex.filename,
                    "--select",
                    "OIE004",
                    "--format",
                    "json",
                    "--exit-zero",
                ])
                .output()
                .unwrap();
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            let got: BTreeSet<(usize, String)> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["line"].as_u64().unwrap() as usize,
                        d["severity"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let mut expected = BTreeSet::new();
            let mut pending = Vec::new();
            for (i, line) in ex.code.lines().enumerate() {
                let marks: Vec<String> = re.captures_iter(line).map(|c| c[2].to_string()).collect();
                if marks.is_empty() {
                    expected.extend(pending.drain(..).map(|s| (i + 1, s)));
                } else {
                    pending.extend(marks);
                }
            }
            assert_eq!(
                got,
                expected,
                "{} ({})",
                ex.filename,
                if valid { "valid" } else { "invalid" }
            );
        }
    }
}

#[test]
fn auth_js_versions_resolve_like_the_widget() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "package.json",
        r#"{ "dependencies": { "@okta/okta-auth-js": "^5.0.0" } }"#,
    );
    write(d, "src/auth.js", "");
    let index = VersionIndex::new(d.to_path_buf());
    assert!(matches!(
        index.version_of(Path::new("src/auth.js"), "@okta/okta-auth-js"),
        WidgetVersion::Range { .. }
    ));
    write(
        d,
        "yarn.lock",
        "# yarn lockfile v1\n\n\n\"@okta/okta-auth-js@^5.0.0\":\n  version \"5.11.0\"\n",
    );
    let index = VersionIndex::new(d.to_path_buf());
    match index.version_of(Path::new("src/auth.js"), "@okta/okta-auth-js") {
        WidgetVersion::Exact(v) => assert_eq!(v.to_string(), "5.11.0"),
        w => panic!("{w:?}"),
    }
    assert!(matches!(
        index.version_of(Path::new("src/auth.js"), "@okta/okta-react"),
        WidgetVersion::Unknown
    ));
}

// The page → script link

const WIDGET_SCRIPT: &str = "var signIn = new OktaSignIn({\n  baseUrl: 'https://example.okta.com',\n  clientId: '0oa1pagelink',\n});\n";

fn page(version: &str, script_src: &str) -> String {
    format!(
        "<!doctype html>\n<script src=\"https://global.oktacdn.com/okta-signin-widget/{version}/js/okta-sign-in.min.js\"></script>\n<div id=\"w\"></div>\n<script src=\"{script_src}\"></script>\n"
    )
}

/// A repository as pre-commit sees it: a Spring-style web app whose pages
/// (under `templates/`) load scripts from `static/` root-relatively, a
/// script no page loads, and unrelated files the page search walks past.
fn page_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join(".git")).unwrap();
    write(
        d,
        "web/templates/login.html",
        page("5.5.0", "/js/login.js?v=7"),
    );
    write(d, "web/templates/help.html", page("7.14.0", "/js/login.js"));
    write(d, "web/static/js/login.js", WIDGET_SCRIPT);
    write(d, "web/static/js/orphan.js", WIDGET_SCRIPT);
    for i in 0..40 {
        write(d, &format!("docs/page{i}.html"), "<p>no widget here</p>\n");
        write(d, &format!("lib/util{i}.js"), "export const x = 1;\n");
    }
    tmp
}

/// One file named on the command line (pre-commit) finds the pages that
/// load it elsewhere in the repository; disagreeing pages grade it with the
/// lowest version, and the message names that page.
#[test]
fn a_script_checked_alone_takes_the_lowest_version_of_the_pages_that_load_it() {
    let tmp = page_repo();
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(tmp.path())
        .args([
            "check",
            "web/static/js/login.js",
            "web/static/js/orphan.js",
            "--format",
            "json",
            "--exit-zero",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "web/static/js/login.js");
    assert_eq!(found[0].1, "error");
    assert!(
        found[0].2.contains(
            "widget 5.5.0 (loaded by web/templates/login.html, the lowest of the 2 pages that load this script)"
        ),
        "{}",
        found[0].2
    );
    // No page loads it: the version stays unknown (a warning), as before.
    assert_eq!(found[1].0, "web/static/js/orphan.js");
    assert_eq!(found[1].1, "warning");
    assert!(
        found[1].2.contains("widget version unknown"),
        "{}",
        found[1].2
    );

    // A 7.x page alone: silent.
    write(
        tmp.path(),
        "web/templates/login.html",
        page("7.14.0", "/js/login.js"),
    );
    Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(tmp.path())
        .args(["check", "web/static/js/login.js"])
        .assert()
        .success()
        .stdout(predicates::str::contains("All checks passed"));
}

/// The page index is built once per run and repository, whatever the
/// number of scripts that ask, and only reads HTML-like files (parsing only
/// those that mention the widget): the work is one walk, not one per file.
#[test]
fn the_page_index_is_built_once_per_run_and_reads_only_pages() {
    let tmp = page_repo();
    let d = tmp.path();
    let index = VersionIndex::new(d.to_path_buf());
    assert!(index.page_scans().is_empty());
    let login = d.join("web/static/js/login.js");
    let pages = index.pages_loading(&login);
    let shown: Vec<_> = pages
        .iter()
        .map(|p| {
            (
                p.page.strip_prefix(d).unwrap().to_path_buf(),
                p.version.to_string(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                PathBuf::from("web/templates/login.html"),
                "5.5.0".to_string()
            ),
            (
                PathBuf::from("web/templates/help.html"),
                "7.14.0".to_string()
            ),
        ]
    );
    assert!(index
        .pages_loading(&d.join("web/static/js/orphan.js"))
        .is_empty());
    for i in 0..10 {
        index.pages_loading(&d.join(format!("lib/util{i}.js")));
    }
    let scans = index.page_scans();
    assert_eq!(scans.len(), 1, "{scans:?}");
    let scan = scans[0].1;
    // 84 files, 42 of them pages, 2 mention the widget and load a script.
    assert_eq!(
        (scan.files, scan.read, scan.parsed, scan.pages),
        (84, 42, 2, 2),
        "{scan:?}"
    );
}

// ---------------------------------------------------------------------------
// The CDN upgrade is withheld while the page keeps Classic code that the new
// widget breaks (issue 25's fresh measurement, bug D).

/// An OIE004 finding's fix applicability and `no_fix_reason` code.
type FixAndReason = (Option<String>, Option<String>);

/// OIE004 findings of `page` as [`FixAndReason`], and the page after
/// `check --fix --unsafe-fixes` with `args`.
fn cdn_fix_of(page: &str, args: &[&str]) -> (Vec<FixAndReason>, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "login.html", page);
    let out = crate::common::oie_in(dir.path())
        .args(["check", "--format", "json", "--exit-zero", "login.html"])
        .args(args)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let oie004 = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "OIE004")
        .map(|f| {
            (
                f["fix"]["applicability"].as_str().map(String::from),
                f["no_fix_reason"]["code"].as_str().map(String::from),
            )
        })
        .collect();
    let status = crate::common::oie_in(dir.path())
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "--exit-zero",
            "login.html",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success());
    (
        oie004,
        std::fs::read_to_string(dir.path().join("login.html")).unwrap(),
    )
}

const CLASSIC_PAGE: &str = r#"<script src="https://global.oktacdn.com/okta-signin-widget/2.6.0/js/okta-sign-in.min.js"></script>
<link href="https://global.oktacdn.com/okta-signin-widget/2.6.0/css/okta-sign-in.min.css" rel="stylesheet"/>
<link href="https://global.oktacdn.com/okta-signin-widget/2.6.0/css/okta-theme.css" rel="stylesheet"/>
<script>
  var signIn = new OktaSignIn({ baseUrl: 'https://acme.okta.com' });
  signIn.renderEl({ el: '#w' }, function (res) {
    if (res.status === 'SUCCESS') { res.session.setCookieAndRedirect('https://acme.okta.com/app/x/sso/saml'); }
  });
</script>
"#;

#[test]
fn the_cdn_upgrade_waits_for_the_classic_callback() {
    // No OIDC app given: the callback cannot be migrated, so neither is the
    // widget upgraded (the page would sign in on neither engine).
    let (found, fixed) = cdn_fix_of(CLASSIC_PAGE, &[]);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(fix, why)| fix.is_none() && why.as_deref() == Some("classic-code-left")),
        "{found:?}"
    );
    assert!(fixed.contains("/2.6.0/js/okta-sign-in.min.js"), "{fixed}");
    // With the app given, the callback migrates and the widget moves with it;
    // `okta-theme.css` (gone since 3.0) is not pointed at a missing file.
    let (found, fixed) = cdn_fix_of(
        CLASSIC_PAGE,
        &[
            "--client-id",
            "0oa1b2c3",
            "--redirect-uri",
            "https://app.example/cb",
        ],
    );
    // The js and css URLs carry the upgrade; the theme's URL has none.
    assert_eq!(
        found
            .iter()
            .filter(|(fix, _)| fix.as_deref() == Some("unsafe"))
            .count(),
        2,
        "{found:?}"
    );
    assert!(fixed.contains("/7.48.2/js/okta-sign-in.min.js"), "{fixed}");
    assert!(
        fixed.contains("/7.48.2/css/okta-sign-in.min.css"),
        "{fixed}"
    );
    assert!(fixed.contains("/2.6.0/css/okta-theme.css"), "{fixed}");
    assert!(!fixed.contains("setCookieAndRedirect"), "{fixed}");
}

#[test]
fn a_cdn_url_in_a_generated_page_string_is_not_upgraded() {
    let ts = "// okta\nexport const page = `<script src=\"https://global.oktacdn.com/okta-signin-widget/2.6.0/js/okta-sign-in.min.js\"></script>\n<script>new OktaSignIn({}).renderEl({el:'#a'}, function (r) { r.session.setCookieAndRedirect('/'); });</script>`;\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "page.ts", ts);
    let out = crate::common::oie_in(dir.path())
        .args(["check", "--format", "json", "--exit-zero", "page.ts"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let oie004: Vec<&Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "OIE004")
        .collect();
    assert!(!oie004.is_empty(), "{json}");
    assert!(
        oie004
            .iter()
            .all(|f| f["fix"].is_null() && f["no_fix_reason"]["code"] == "widget-in-string"),
        "{json}"
    );
}
