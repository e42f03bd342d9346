//! End-to-end tests of the `oie-lint` binary: exit codes, formats, inputs.

use crate::common::{oie, write};

use predicates::prelude::*;
use std::fs;
use std::path::Path;

const BAD_JS: &str = "// okta\nsignIn.renderEl({}, function (res) {\n  res.session.setCookieAndRedirect(url);\n});\n";
const CLEAN_JS: &str = "// okta\nsignIn.renderEl({}, OktaUtil.completeLogin);\n";

/// Runs `oie-lint ARGS` in `dir`, expects exit `code`, returns stdout.
fn stdout_of(dir: &Path, args: &[&str], code: i32) -> String {
    let out = oie()
        .current_dir(dir)
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn exit_0_when_clean_with_summary() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", CLEAN_JS);
    oie()
        .current_dir(d.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "All checks passed (1 file checked).",
        ));
}

#[test]
fn exit_1_with_error_findings_and_last_line_says_why() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "src/a.js", BAD_JS);
    let out = stdout_of(d.path(), &["check", "--format", "concise"], 1);
    assert!(out.starts_with("src/a.js:3:15: OIE001 [error] "), "{out}");
    assert_eq!(
        out.lines().last().unwrap(),
        "Found 1 error and 0 warnings in 1 file (1 file checked). 1 fixable with `--unsafe-fixes`."
    );
}

#[test]
fn bare_invocation_checks_the_current_directory() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    oie()
        .current_dir(d.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("OIE001"));
}

#[test]
fn warnings_do_not_fail_unless_denied() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "w.js",
        "var w = new OktaSignIn({ clientId: 'x' });\n",
    );
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("OIE003 [warning]"));
    oie()
        .current_dir(d.path())
        .args(["check", "--deny-warnings"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "warnings fail the run: --deny-warnings",
        ));
}

#[test]
fn exit_zero_flag() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    oie()
        .current_dir(d.path())
        .args(["check", "--exit-zero"])
        .assert()
        .code(0);
}

#[test]
fn missing_path_is_exit_2_and_other_paths_still_checked() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise", "nope.js", "a.js"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: nope.js: "))
        .stdout(predicate::str::contains("a.js:3:15: OIE001"))
        .stdout(predicate::str::contains("1 path could not be checked"));
}

#[test]
fn binary_and_invalid_utf8_files_are_errors_but_the_run_goes_on() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "bin.js", b"sessionToken\0\x01\x02");
    write(
        d.path(),
        "latin1.js",
        b"var s = '\xe9'; res.sessionToken; // okta",
    );
    write(d.path(), "ok.js", BAD_JS);
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: bin.js: binary file"))
        .stderr(predicate::str::contains(
            "error: latin1.js: not valid UTF-8",
        ))
        .stdout(predicate::str::contains("ok.js:3:15: OIE001"));
}

#[test]
fn binary_and_invalid_utf8_files_without_a_trigger_word_are_skipped_silently() {
    // Like ripgrep: the literal prefilter runs on the raw bytes, so a file
    // that mentions no rule's trigger is never decoded.
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "bin.js", b"var a = 1;\0\x01\x02");
    write(d.path(), "latin1.js", b"var s = '\xe9';");
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty())
        .stdout(predicate::str::contains(
            "All checks passed (2 files checked)",
        ));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_one_line_error() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "locked.js", BAD_JS);
    let p = d.path().join("locked.js");
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&p).is_ok() {
        return; // running as root: permissions do not stop reads
    }
    oie()
        .current_dir(d.path())
        .args(["check", "locked.js"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error: locked.js: "));
}

#[test]
fn syntax_errors_still_report_what_can_be_found() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "broken.js",
        "// okta\nfunction ( {\nres.session.setCookieAndRedirect(u);\nvar x = ;\n",
    );
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("broken.js:3:13: OIE001"));
}

#[test]
fn gitignore_is_honoured_when_walking_but_explicit_files_are_checked() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), ".gitignore", "build/\n");
    write(d.path(), "build/out.js", BAD_JS);
    write(d.path(), "node_modules/pkg/index.js", BAD_JS);
    write(d.path(), "vendor/widget.min.js", BAD_JS);
    write(d.path(), ".hidden/a.js", BAD_JS);
    oie()
        .current_dir(d.path())
        .args(["check"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("Nothing was checked"));
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise", "build/out.js"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("build/out.js:3:15"));
    oie()
        .current_dir(d.path())
        .args(["check", "--no-respect-gitignore", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("build/out.js:3:15"))
        .stdout(predicate::str::contains("node_modules").not());
    oie()
        .current_dir(d.path())
        .args(["check", "--include-minified", "--format", "concise"])
        .assert()
        .stdout(predicate::str::contains("vendor/widget.min.js"));
}

#[test]
fn overlapping_arguments_check_a_file_once() {
    // Files are checked as the walk finds them; a file reached through two
    // arguments must still be checked (and reported) once.
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "src/a.js", BAD_JS);
    write(d.path(), "src/b.js", CLEAN_JS);
    let out = stdout_of(
        d.path(),
        &["check", "--format", "concise", "src", "src/a.js", "src"],
        1,
    );
    assert_eq!(out.matches("src/a.js:3:15: OIE001").count(), 1, "{out}");
    assert!(out.contains("(2 files checked)"), "{out}");
}

#[test]
fn findings_are_sorted_whatever_order_the_walkers_find_files() {
    let d = tempfile::tempdir().unwrap();
    for i in 0..60 {
        write(d.path(), &format!("d{}/f{i:02}.js", i % 7), BAD_JS);
    }
    let run = |j: &str| stdout_of(d.path(), &["check", "--format", "concise", "-j", j], 1);
    let out = run("2");
    let paths: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split(':').next().filter(|p| p.ends_with(".js")))
        .collect();
    assert_eq!(paths.len(), 60, "{out}");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(out, run("1"));
}

#[test]
fn stdin_uses_stdin_filename_for_language_and_path() {
    let html = "<script>\n  res.session.setCookieAndRedirect(u);\n</script>\n";
    oie()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "web/login.html",
            "--format",
            "concise",
        ])
        .write_stdin(html)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("web/login.html:2:15: OIE001"));
    // TypeScript from stdin needs the TypeScript grammar: a cast must not hide the finding.
    oie()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "a.ts",
            "--format",
            "concise",
        ])
        .write_stdin("// okta\nconst t = <string>tx.sessionToken;\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a.ts:2:22: OIE002"));
}

#[test]
fn positions_are_exact_in_crlf_bom_and_template_scripts() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "crlf.js",
        "// okta\r\nvar a = 1;\r\n  res.session.setCookieAndRedirect(u);\r\n",
    );
    write(
        d.path(),
        "bom.js",
        "\u{feff}res.session.setCookieAndRedirect(u); // okta\n",
    );
    write(
        d.path(),
        "page.hbs",
        "<div>{{title}}</div>\n<script nonce=\"{{nonce}}\">\n  var c = {{{config}}}; var é = 1; res.session.setCookieAndRedirect(c);\n</script>\n",
    );
    let out = oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.contains("bom.js:1:13: OIE001"), "{out}");
    assert!(out.contains("crlf.js:3:15: OIE001"), "{out}");
    assert!(out.contains("page.hbs:3:48: OIE001"), "{out}");
}

/// OIE024 and OIE021 report where the code is, and OIE024's message names
/// the real line of the first DOM change, in a BOM + CRLF hosted template
/// with template tags and in a CR-only page.
#[test]
fn issue_14_rule_positions_in_bom_crlf_cr_and_templates() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "sign-in.html",
        "\u{feff}<title>{{pageTitle}}</title>\r\n{{{SignInWidgetResources}}}\r\n{{{OktaUtil}}}\r\n<script nonce=\"{{nonceValue}}\">\r\n  var w = new OktaSignIn(OktaUtil.getSignInWidgetConfig()); w.on('afterRender', function (c) {\r\n    var é = 1;\r\n    $('.okta-form-title').text('{{brand}}');\r\n  });\r\n</script>\r\n",
    );
    write(
        d.path(),
        "cr.html",
        "<html>\r<head>\r  <link href=\"/css/okta-theme.css\" rel=\"stylesheet\">\r</head>\r<script>var signIn = new OktaSignIn({ baseUrl: 'https://acme.okta.com' });\r  signIn.tokenManager.get('idToken');</script>\r</html>\r",
    );
    let out = oie()
        .current_dir(d.path())
        .args(["check", "--select", "OIE024,OIE021", "--format", "concise"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("sign-in.html:5:66: OIE024 [warning] This `afterRender` handler changes the widget's DOM (`$('.okta-form-title').text('{{brand}}')` on line 7)"),
        "{out}"
    );
    assert!(out.contains("cr.html:3:15: OIE021"), "{out}");
    assert!(out.contains("cr.html:6:10: OIE021"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains(": OIE0")).count(),
        3,
        "{out}"
    );
}

#[test]
fn json_format_is_a_stable_sorted_array() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "b.js", BAD_JS);
    write(d.path(), "a.js", "// okta\nx.sessionToken;\n");
    let out = oie()
        .current_dir(d.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["path"], "a.js");
    assert_eq!(arr[0]["code"], "OIE002");
    assert_eq!(arr[0]["name"], "session-token");
    assert_eq!(arr[0]["severity"], "error");
    assert_eq!(
        (arr[0]["line"].as_u64(), arr[0]["column"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(
        (arr[0]["end_line"].as_u64(), arr[0]["end_column"].as_u64()),
        (Some(2), Some(15))
    );
    assert!(arr[0]["fix"].is_null());
    assert_eq!(arr[1]["path"], "b.js");
    // The summary goes to stderr so stdout stays valid JSON.
    assert!(String::from_utf8_lossy(&out.stderr).contains("Found 2 errors"));
}

#[test]
fn full_format_shows_code_frame_help_and_docs_link() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    oie()
        .current_dir(d.path())
        .args(["check", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("OIE001(set-cookie-and-redirect)"))
        .stdout(predicate::str::contains("[a.js:3:15]"))
        .stdout(predicate::str::contains(
            "res.session.setCookieAndRedirect(url);",
        ))
        .stdout(predicate::str::contains("help: "))
        .stdout(predicate::str::contains(
            "https://developer.okta.com/docs/guides/migrate-to-oie/",
        ))
        .stdout(predicate::str::contains("\u{1b}[").not());
    let colored = oie()
        .current_dir(d.path())
        .args(["check", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colored.stdout).contains("\u{1b}["));
}

#[test]
fn select_and_ignore_by_code_slug_and_prefix() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "a.js",
        "// okta\nres.session.setCookieAndRedirect(res.sessionToken);\n",
    );
    let run = |args: &[&str]| {
        let out = oie()
            .current_dir(d.path())
            .args(["check", "--format", "concise"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let only1 = run(&["--select", "OIE001"]);
    assert!(
        only1.contains("OIE001") && !only1.contains("OIE002"),
        "{only1}"
    );
    let no2 = run(&["--ignore", "session-token"]);
    assert!(no2.contains("OIE001") && !no2.contains("OIE002"), "{no2}");
    let prefix = run(&["--select", "OIE00"]);
    assert!(
        prefix.contains("OIE001") && prefix.contains("OIE002"),
        "{prefix}"
    );
    oie()
        .current_dir(d.path())
        .args(["check", "--select", "NOPE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule selector `NOPE`"));
}

#[test]
fn thresholds_are_configurable() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "package.json",
        r#"{"dependencies": {"@okta/okta-signin-widget": "^5.12.0"}}"#,
    );
    oie()
        .current_dir(d.path())
        .args(["check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All checks passed"));
    oie()
        .current_dir(d.path())
        .args([
            "check",
            "--min-widget-version",
            "6.0.0",
            "--format",
            "concise",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "package.json:1:48: OIE004 [error]",
        ));
    oie()
        .args(["check", "--min-widget-version", "five"])
        .assert()
        .code(2);
}

#[test]
fn rule_command_prints_docs_and_lists_rules() {
    oie()
        .args(["rule", "session-token"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# OIE002 (session-token)"))
        .stdout(predicate::str::contains("## Why it breaks under OIE"))
        .stdout(predicate::str::contains("## Fix safety"));
    let out = oie().args(["rule", "--all"]).output().unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    for code in ["OIE001", "OIE002", "OIE003", "OIE004"] {
        assert!(out.contains(code), "{out}");
    }
    oie()
        .args(["rule", "OIE999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule"));
}

#[test]
fn usage_errors_exit_2() {
    oie().args(["check", "--format", "yaml"]).assert().code(2);
    oie().args(["frobnicate"]).assert().code(2);
}

#[test]
fn bundled_fixtures_concise_snapshot() {
    let out = oie()
        .current_dir(fixtures().parent().unwrap())
        .args(["check", "fixtures", "--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("fixtures_concise", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn jsp_expression_language_in_scripts_does_not_hide_findings() {
    // `var config = ${widgetConfig};` is not JavaScript until the server renders it.
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "login.jsp",
        "<script>\n  var config = ${widgetConfig};\n  var w = new OktaSignIn({ clientId: '${cid}', baseUrl: ${base} });\n</script>\n",
    );
    oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise"])
        .assert()
        .stdout(predicate::str::contains("login.jsp:3:11: OIE003 [warning]"));
}

/// Stylesheets are inputs by default (`.css`, `.scss`, `.less`) and through
/// `--extension EXT:css`; a CRLF template's `<style>` body reports
/// positions in the file.
#[test]
fn stylesheets_are_discovered_and_positions_are_exact() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.css", "#okta-signin-username { a: b }\n");
    write(
        d.path(),
        "b.less",
        "#okta-sign-in { .js-unlock { a: b } }\n",
    );
    write(d.path(), "c.pcss", ".js-forgot-password { a: b }\n");
    write(d.path(), "notes.txt", ".js-unlock { a: b }\n");
    write(
        d.path(),
        "login.hbs",
        "{{{SignInWidgetResources}}}\r\n<style nonce=\"{{nonce}}\">\r\n  .a { color: {{c}}; }\r\n  input[name=\"password\"] { a: b }\r\n</style>\r\n",
    );
    let out = stdout_of(d.path(), &["check", "--format", "concise"], 0);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains(": OIE016")).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("a.css:1:1: OIE016 [warning] `#okta-signin-username`"),
        "{out}"
    );
    assert!(lines[1].starts_with("b.less:1:17: OIE016"), "{out}");
    assert!(
        lines[2].starts_with("login.hbs:4:3: OIE016 [warning] `input[name=\"password\"]`"),
        "{out}"
    );
    let out = stdout_of(
        d.path(),
        &["check", "--format", "concise", "--extension", "pcss:css"],
        0,
    );
    assert!(out.contains("c.pcss:1:1: OIE016"), "{out}");
    assert!(!out.contains("notes.txt"), "{out}");
    // JSON carries the end too: the token, not the rule.
    let out = stdout_of(d.path(), &["check", "a.css", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v[0]["column"].as_u64(), v[0]["end_column"].as_u64()),
        (Some(1), Some(22)),
        "{out}"
    );
}
