//! The config file, its discovery and the flags that go with it, through the CLI.

use crate::common::write;
use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const SESSION: &str =
    "import OktaSignIn from '@okta/okta-signin-widget';\nconst t = res.sessionToken;\n";
const OLD_WIDGET: &str = "<script src=\"https://global.oktacdn.com/okta-signin-widget/5.5.0/js/okta-sign-in.min.js\"></script>\n";

fn oie(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oie-lint").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

fn concise(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = oie(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn config_is_found_walking_up_and_select_ignore_apply() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "oie-lint.toml", "ignore = [\"session-token\"]\n");
    write(d.path(), "web/src/a.js", SESSION);
    write(d.path(), "web/src/login.html", OLD_WIDGET);
    let (code, out, _) = concise(&d.path().join("web"), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("OIE002") && out.contains("src/login.html:1:") && out.contains("OIE004"),
        "{out}"
    );
    // --isolated ignores the file; --select on the command line replaces select/ignore.
    let (_, out, _) = concise(&d.path().join("web"), &["--isolated"]);
    assert!(out.contains("OIE002"), "{out}");
    let (code, out, _) = concise(&d.path().join("web"), &["--select", "OIE002"]);
    assert_eq!(code, 1);
    assert!(out.contains("OIE002") && !out.contains("OIE004"), "{out}");
}

#[test]
fn dot_file_name_and_explicit_config_path() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), ".oie-lint.toml", "ignore = [\"OIE002\"]\n");
    write(
        d.path(),
        "ci/strict.toml",
        "select = [\"ALL\"]\n[severity]\nOIE004 = \"error\"\n",
    );
    write(d.path(), "a.js", SESSION);
    write(d.path(), "login.html", OLD_WIDGET);
    let (code, out, _) = concise(d.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("OIE004 [warning]") && !out.contains("OIE002"),
        "{out}"
    );
    let (code, out, _) = concise(d.path(), &["--config", "ci/strict.toml"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("OIE004 [error]") && out.contains("OIE002"),
        "{out}"
    );
    oie(d.path())
        .args(["check", "--config", "x.toml", "--isolated"])
        .assert()
        .code(2);
    oie(d.path())
        .args(["check", "--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.toml: cannot read config file",
        ));
}

#[test]
fn config_errors_name_key_file_and_line_and_exit_2() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", SESSION);
    for (text, expected) in [
        (
            "select = [\"OIE002\"]\n\nextend_exclude = []\n",
            "oie-lint.toml:3:1: unknown field `extend_exclude`",
        ),
        (
            "[severity]\nOIE003 = \"fatal\"\n",
            "oie-lint.toml:2:10: `OIE003`: unknown variant `fatal`",
        ),
        (
            "ignore = [\"OIE002\", \"sesion-token\"]\n",
            "oie-lint.toml:1:21: `ignore`: unknown rule selector `sesion-token`",
        ),
        (
            "recommended-widget-version = \"latest\"\n",
            "oie-lint.toml:1:30: `recommended-widget-version`: `latest` is not a version",
        ),
        (
            "[[overrides]]\nfiles = \"legacy/\"\n",
            "oie-lint.toml:2:9: `files`: invalid type: string",
        ),
        (
            "select = [\n",
            "oie-lint.toml:1:11: `select`: unclosed array",
        ),
    ] {
        write(d.path(), "oie-lint.toml", text);
        oie(d.path())
            .arg("check")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn severity_overrides_change_the_exit_code() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", SESSION);
    write(
        d.path(),
        "oie-lint.toml",
        "[severity]\nsession-token = \"warning\"\n",
    );
    let (code, out, _) = concise(d.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OIE002 [warning]"), "{out}");
}

#[test]
fn per_path_overrides() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "oie-lint.toml",
        "ignore = [\"OIE004\"]\n\n[[overrides]]\nfiles = [\"legacy/\"]\nignore = [\"OIE002\"]\n\n\
         [[overrides]]\nfiles = [\"*.html\", \"!keep/*.html\"]\nselect = [\"OIE004\"]\nseverity = { OIE004 = \"error\" }\n",
    );
    write(d.path(), "legacy/a.js", SESSION);
    write(d.path(), "src/a.js", SESSION);
    write(d.path(), "pages/login.html", OLD_WIDGET);
    write(d.path(), "keep/login.html", OLD_WIDGET);
    let (code, out, _) = concise(d.path(), &[]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(": OIE")).collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("pages/login.html:1:") && lines[0].contains("OIE004 [error]"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("src/a.js:2:") && lines[1].contains("OIE002"),
        "{out}"
    );
}

#[test]
fn exclude_globs_walk_and_force_exclude() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "oie-lint.toml",
        "extend-exclude = [\"legacy/\", \"/gen/**/*.js\"]\n",
    );
    write(d.path(), "legacy/a.js", SESSION);
    write(d.path(), "gen/x/b.js", SESSION);
    write(d.path(), "src/gen/c.js", SESSION); // `/gen` is anchored at the config's directory
    write(d.path(), "node_modules/w/d.js", SESSION); // default excludes still apply
    let (_, out, _) = concise(d.path(), &[]);
    assert!(
        out.contains("src/gen/c.js")
            && !out.contains("legacy/")
            && !out.contains("gen/x")
            && !out.contains("node_modules"),
        "{out}"
    );
    // Run from a subdirectory: patterns stay relative to the config file.
    let (_, out, _) = concise(&d.path().join("src"), &[]);
    assert!(out.contains("gen/c.js"), "{out}");
    // Named files are checked anyway, unless --force-exclude.
    let (code, out, _) = concise(d.path(), &["legacy/a.js", "src/gen/c.js"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("legacy/a.js") && out.contains("src/gen/c.js"),
        "{out}"
    );
    let (_, out, _) = concise(
        d.path(),
        &[
            "--force-exclude",
            "legacy/a.js",
            "src/gen/c.js",
            "node_modules/w/d.js",
        ],
    );
    assert!(
        !out.contains("legacy/a.js")
            && !out.contains("node_modules")
            && out.contains("src/gen/c.js"),
        "{out}"
    );
    assert!(out.contains("(1 file checked)"), "{out}");
    // `exclude` replaces the defaults.
    write(d.path(), "oie-lint.toml", "exclude = [\"legacy/\"]\n");
    let (_, out, _) = concise(d.path(), &[]);
    assert!(
        out.contains("node_modules/w/d.js") && !out.contains("legacy/"),
        "{out}"
    );
}

#[test]
fn force_exclude_applies_to_stdin_filename() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "oie-lint.toml",
        "extend-exclude = [\"legacy/\"]\n",
    );
    let run = |extra: &[&str]| {
        let out = oie(d.path())
            .args([
                "check",
                "-",
                "--format",
                "concise",
                "--stdin-filename",
                "legacy/a.js",
            ])
            .args(extra)
            .write_stdin(SESSION)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run(&[]).contains("legacy/a.js:2:"));
    let out = run(&["--force-exclude"]);
    assert!(
        !out.contains("OIE002") && out.contains("0 files checked"),
        "{out}"
    );
}

#[test]
fn max_warnings_and_exit_zero() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.html", OLD_WIDGET);
    write(d.path(), "b.html", OLD_WIDGET);
    let (code, out, _) = concise(d.path(), &["--max-warnings", "2"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = concise(d.path(), &["--max-warnings", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Found 0 errors and 2 warnings in 2 files (more than --max-warnings 1)"),
        "{out}"
    );
    let (code, _, _) = concise(d.path(), &["--max-warnings", "0", "--exit-zero"]);
    assert_eq!(code, 0);
}

#[test]
fn widget_thresholds_from_config_and_cli() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "login.html", OLD_WIDGET);
    write(
        d.path(),
        "oie-lint.toml",
        "min-widget-version = \"6.0.0\"\ntarget-widget-version = \"7.30.0\"\n",
    );
    let (code, out, _) = concise(d.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("OIE004 [error]") && out.contains("needs 6.0.0"),
        "{out}"
    );
    let (code, out, _) = concise(d.path(), &["--min-widget-version", "5.0.0"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn init_writes_a_starter_file_that_loads_and_refuses_to_overwrite() {
    let d = tempfile::tempdir().unwrap();
    oie(d.path())
        .arg("init")
        .assert()
        .success()
        .stdout(predicate::str::contains("oie-lint.toml"));
    let text = fs::read_to_string(d.path().join("oie-lint.toml")).unwrap();
    assert!(text.contains("# extend-exclude") && text.contains("[[overrides]]"));
    write(d.path(), "a.js", SESSION);
    oie(d.path()).arg("check").assert().code(1);
    oie(d.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        fs::read_to_string(d.path().join("oie-lint.toml")).unwrap(),
        text
    );
    // A `.oie-lint.toml` also counts; `init DIR` writes there.
    let e = tempfile::tempdir().unwrap();
    write(e.path(), "sub/.oie-lint.toml", "");
    oie(e.path()).args(["init", "sub"]).assert().code(2);
    oie(e.path()).args(["init", "."]).assert().success();
    assert!(e.path().join("oie-lint.toml").is_file());
}

#[test]
fn target_widget_version_from_config_feeds_the_fix_and_the_flag_wins() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "login.html", OLD_WIDGET);
    write(
        d.path(),
        "oie-lint.toml",
        "target-widget-version = \"7.30.0\"\n",
    );
    let diff = |extra: &[&str]| {
        let out = oie(d.path())
            .args(["check", "--diff", "--unsafe-fixes"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        diff(&[]).contains("+<script src=\"https://global.oktacdn.com/okta-signin-widget/7.30.0/")
    );
    assert!(diff(&["--target-widget-version", "7.40.0"]).contains("/okta-signin-widget/7.40.0/"));
    write(
        d.path(),
        "oie-lint.toml",
        "target-widget-version = \"seven\"\n",
    );
    oie(d.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "oie-lint.toml:1:25: `target-widget-version`: `seven` is not a version",
        ));
}
