//! The command line as ruff and ESLint users expect it (issue 16): what is
//! and is not checked, config discovery per path, selection and exclusion
//! flags, `--show-files`/`--show-settings`, completions, suggestions and
//! grouped help.

use crate::common::{oie, write};

use predicates::prelude::*;
use std::fs;
use std::path::Path;

const BAD_JS: &str =
    "// okta\nsignIn.renderEl({}, function (res) {\n  res.session.setCookieAndRedirect(url);\n});\n";
const HOSTED_PAGE: &str = "<html><body>{{{SignInWidgetResources}}}\n<script>\nvar oktaSignIn = new OktaSignIn(OktaUtil.getSignInWidgetConfig());\noktaSignIn.renderEl({ el: '#w' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n</script></body></html>\n";

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = oie().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn files_oie_lint_does_not_read_are_named_and_nothing_checked_exits_2() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "README.md", "okta sessionToken\n");
    write(d.path(), ".env", "OKTA=1\n");
    write(d.path(), "a.js", BAD_JS);
    let (code, out, err) = run(d.path(), &["check", "README.md", ".env"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("warning: README.md: not checked:")
            && err.contains("warning: .env: not checked:"),
        "{err}"
    );
    assert!(out.contains("Nothing was checked"), "{out}");
    // With one file it reads, the others are still named and the run goes on.
    let (code, out, err) = run(
        d.path(),
        &["check", "README.md", "a.js", "--format", "concise"],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("warning: README.md: not checked:"), "{err}");
    assert!(out.contains("(1 file checked)"), "{out}");
    // An empty directory checks nothing either (ESLint: no files matching).
    fs::create_dir(d.path().join("empty")).unwrap();
    let (code, out, _) = run(d.path(), &["check", "empty"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("Nothing was checked"), "{out}");
}

#[test]
fn force_excluded_files_alone_still_pass() {
    // Pre-commit names staged files; when every one is excluded the hook passes.
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "oie-lint.toml",
        "extend-exclude = [\"legacy/\"]\n",
    );
    write(d.path(), "legacy/a.js", BAD_JS);
    let (code, out, err) = run(d.path(), &["check", "--force-exclude", "legacy/a.js"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 files checked"), "{out}");
}

#[test]
fn extension_maps_a_template_kept_as_txt() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "pages/login.txt", HOSTED_PAGE);
    let (code, out, err) = run(d.path(), &["check", "--format", "concise"]);
    assert_eq!(code, 2, "{out}{err}");
    let (code, out, err) = run(
        d.path(),
        &["check", "--format", "concise", "--extension", "txt:html"],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("pages/login.txt:5:15: OIE001"), "{out}");
    // Named explicitly too, and from the config file's `extension` table.
    write(d.path(), "oie-lint.toml", "[extension]\ntxt = \"html\"\n");
    let (code, out, _) = run(
        d.path(),
        &["check", "--format", "concise", "pages/login.txt"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("pages/login.txt:5:15: OIE001"), "{out}");
    let (code, _, err) = run(d.path(), &["check", "--extension", "txt:cobol"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--extension: unknown language `cobol`"),
        "{err}"
    );
}

#[test]
fn config_is_found_from_each_checked_path_not_the_working_directory() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "repo/oie-lint.toml", "ignore = [\"OIE001\"]\n");
    write(d.path(), "repo/app/a.js", BAD_JS);
    write(d.path(), "other/b.js", BAD_JS);
    // From above the repository: the repository's config still applies.
    let (code, out, err) = run(d.path(), &["check", "repo/app", "--format", "concise"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run(
        &d.path().join("repo"),
        &["check", "app", "--format", "concise"],
    );
    assert_eq!(code, 0, "{out}");
    // Two paths with different configs in one run: each keeps its own.
    let (code, out, _) = run(
        d.path(),
        &["check", "repo/app/a.js", "other", "--format", "concise"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("other/b.js:3:15: OIE001"), "{out}");
    assert!(!out.contains("repo/app/a.js:"), "{out}");
    // --isolated and --config still override discovery.
    let (code, out, _) = run(
        d.path(),
        &["check", "repo/app", "--isolated", "--format", "concise"],
    );
    assert_eq!(code, 1, "{out}");
    write(d.path(), "ci.toml", "select = [\"OIE002\"]\n");
    let (code, out, _) = run(
        d.path(),
        &[
            "check", "other", "--config", "ci.toml", "--format", "concise",
        ],
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn show_settings_names_the_config_per_path_and_show_files_lists_files() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "repo/oie-lint.toml",
        "ignore = [\"OIE001\"]\n[[overrides]]\nfiles = [\"legacy/\"]\nignore = [\"OIE002\"]\n",
    );
    write(d.path(), "repo/legacy/a.js", BAD_JS);
    write(d.path(), "repo/b.js", BAD_JS);
    write(d.path(), "repo/notes.md", "okta\n");
    let (code, out, _) = run(
        d.path(),
        &["check", "--show-settings", "repo/legacy/a.js", "repo/b.js"],
    );
    assert_eq!(code, 0, "{out}");
    let sections: Vec<&str> = out.split("Settings for ").skip(1).collect();
    assert_eq!(sections.len(), 2, "{out}");
    assert!(
        sections[0].starts_with("repo/legacy/a.js\n  config file: repo/oie-lint.toml\n"),
        "{out}"
    );
    assert!(
        !sections[0].contains("OIE001 ") && !sections[0].contains("OIE002 "),
        "{out}"
    );
    assert!(
        sections[1].contains("OIE002 session-token (error)"),
        "{out}"
    );
    assert!(
        sections[1].contains("exclude: node_modules/, bower_components/, jspm_packages/"),
        "{out}"
    );
    let (code, out, _) = run(d.path(), &["check", "--show-files", "repo"]);
    assert_eq!(code, 0);
    assert_eq!(out, "repo/b.js\nrepo/legacy/a.js\n");
}

#[test]
fn extend_select_exclude_and_extend_exclude_flags() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "oie-lint.toml", "select = [\"OIE002\"]\n");
    write(d.path(), "src/a.js", BAD_JS);
    write(d.path(), "dist/b.js", BAD_JS);
    let (code, out, _) = run(d.path(), &["check", "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(
        d.path(),
        &["check", "--format", "concise", "--extend-select", "OIE001"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("dist/b.js:3:15: OIE001") && out.contains("src/a.js:3:15: OIE001"),
        "{out}"
    );
    let (_, out, _) = run(
        d.path(),
        &[
            "check",
            "--format",
            "concise",
            "--extend-select",
            "OIE001",
            "--extend-exclude",
            "dist/",
        ],
    );
    assert!(
        !out.contains("dist/b.js") && out.contains("src/a.js"),
        "{out}"
    );
    // --exclude replaces the defaults: node_modules is walked again.
    write(d.path(), "node_modules/x/c.js", BAD_JS);
    let (_, out, _) = run(d.path(), &["check", "--show-files", "--exclude", "dist/"]);
    assert_eq!(out, "node_modules/x/c.js\nsrc/a.js\n");
    // Anchored patterns are relative to the working directory.
    let (_, out, _) = run(
        &d.path().join("src"),
        &["check", "--show-files", "--extend-exclude", "/a.js", "."],
    );
    assert_eq!(out, "", "{out}");
}

#[test]
fn unsafe_fixes_alone_writes_nothing_and_help_says_so() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    let (code, out, _) = run(
        d.path(),
        &["check", "--unsafe-fixes", "--format", "concise"],
    );
    assert_eq!(code, 1);
    assert!(out.ends_with("1 fixable with `--fix`.\n"), "{out}");
    assert_eq!(fs::read_to_string(d.path().join("a.js")).unwrap(), BAD_JS);
    oie()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("On its own it writes nothing"));
}

#[test]
fn check_help_is_grouped_and_leaves_token_flags_to_org() {
    let out = oie().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "Rule selection:",
        "File selection:",
        "Configuration:",
        "Fixing:",
        "Output:",
        "Okta org",
    ] {
        assert!(help.contains(heading), "{heading} missing:\n{help}");
    }
    assert!(
        help.contains("--org-url") && !help.contains("--token-env"),
        "{help}"
    );
    oie()
        .args(["org", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--token-env"));
}

#[test]
fn versions_reads_the_config_and_fails_on_a_broken_manifest() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "package.json",
        "{ \"dependencies\": { \"@okta/okta-signin-widget\": \"5.5.0\" } }\n",
    );
    let (code, out, _) = run(d.path(), &["versions"]);
    assert_eq!(code, 0);
    assert!(out.contains("1 warning"), "{out}");
    write(
        d.path(),
        "oie-lint.toml",
        "min-widget-version = \"6.0.0\"\n",
    );
    let (code, out, _) = run(d.path(), &["versions"]);
    assert_eq!(code, 0);
    assert!(out.contains("1 blocking"), "{out}");
    let (_, out, _) = run(d.path(), &["versions", "--isolated"]);
    assert!(out.contains("1 warning"), "{out}");
    let (_, out, _) = run(d.path(), &["versions", "--min-widget-version", "5.0.0"]);
    assert!(out.contains("1 warning"), "{out}");
    write(
        d.path(),
        "bad/package.json",
        "{\n  \"dependencies\": {\n    \"a\": \n}\n",
    );
    let (code, _, err) = run(d.path(), &["versions", "bad"]);
    assert_eq!(code, 2, "{err}");
    // `path:line:col: message`, at the `}` where a value was expected.
    assert!(
        err.contains("error: bad/package.json:4:1: invalid JSON: unexpected close brace"),
        "{err}"
    );
}

#[test]
fn suggestions_for_mistyped_rules_and_keys() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    let (code, _, err) = run(d.path(), &["check", "--select", "OIE0003"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `OIE003`?"), "{err}");
    let (code, _, err) = run(d.path(), &["rule", "sesion-token"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `session-token`?"), "{err}");
    write(d.path(), "oie-lint.toml", "ignor = [\"OIE001\"]\n");
    let (code, _, err) = run(d.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("oie-lint.toml:1:1: unknown field `ignor`; did you mean `ignore`?"),
        "{err}"
    );
}

#[test]
fn rule_without_an_argument_lists_the_rules() {
    let (code, out, err) = run(Path::new("."), &["rule"]);
    assert_eq!(code, 0);
    // Grouped by category, the migration guide's four rules first.
    assert!(out.starts_with("migration-guide:"), "{out}");
    assert!(out.contains("\n  OIE001 "), "{out}");
    assert!(err.contains("oie-lint rule --all"), "{err}");
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, _) = run(Path::new("."), &["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(
            out.contains("oie-lint") && out.contains("extend-select"),
            "{shell}"
        );
    }
    let (code, _, _) = run(Path::new("."), &["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn json_fix_has_one_description_field() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    let (_, out, _) = run(d.path(), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fix = &v[0]["fix"];
    assert!(fix["description"].is_string(), "{fix}");
    assert!(fix.get("message").is_none(), "{fix}");
}

#[test]
fn code_frames_cut_long_lines_around_the_finding() {
    let d = tempfile::tempdir().unwrap();
    let pad = "var a=1;".repeat(50_000);
    write(
        d.path(),
        "bundle.js",
        format!("// okta\n{pad}res.session.setCookieAndRedirect(url);{pad}\nx();\n"),
    );
    let (code, out, _) = run(d.path(), &["check", "bundle.js"]);
    assert_eq!(code, 1);
    assert!(out.len() < 3_000, "{} bytes of output", out.len());
    let line = out
        .lines()
        .find(|l| l.contains("res.session.setCookieAndRedirect(url)"))
        .unwrap();
    assert!(line.contains(" 2 │ …") && line.ends_with('…'), "{line}");
    assert!(
        out.contains(&format!("[bundle.js:2:{}]", pad.len() + 13)),
        "{out}"
    );
    // Short lines keep their neighbours, as before.
    write(
        d.path(),
        "s.js",
        "// okta\nfunction f(res) {\n  res.session.setCookieAndRedirect(url);\n}\n",
    );
    let (_, out, _) = run(d.path(), &["check", "s.js"]);
    assert!(
        out.contains(" 2 │ function f(res) {\n 3 │   res.session.setCookieAndRedirect(url);\n"),
        "{out}"
    );
    assert!(out.contains(" 4 │ }\n"), "{out}");
}

#[test]
fn baseline_hides_recorded_findings_and_survives_edits() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "src/a.js", BAD_JS);
    let (code, out, err) = run(
        d.path(),
        &[
            "check",
            "--write-baseline",
            "oie-lint-baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("1 finding recorded in the baseline oie-lint-baseline.json not shown."),
        "{out}"
    );
    let b: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("oie-lint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["version"], 1);
    assert_eq!(b["findings"][0]["code"], "OIE001");
    assert_eq!(b["findings"][0]["path"], "src/a.js");
    // Lines added above and re-indentation keep it baselined; a new finding shows.
    write(
        d.path(),
        "src/a.js",
        format!(
            "// a new comment\n\n{}\n    res.session.setCookieAndRedirect(other);\n",
            BAD_JS.replace("  res.", "      res.")
        ),
    );
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--baseline",
            "oie-lint-baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("OIE001")).count(),
        1,
        "{out}"
    );
    assert!(out.contains("src/a.js:8:17: OIE001"), "{out}");
    // Fixed: nothing to show, and the stale entry is named.
    write(
        d.path(),
        "src/a.js",
        "// okta\nsignIn.renderEl({}, OktaUtil.completeLogin);\n",
    );
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "--baseline",
            "oie-lint-baseline.json",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 baseline entry no longer matches"), "{out}");
    // A file that is not a baseline is an error.
    write(d.path(), "bad.json", "{\"findings\": 3}");
    let (code, _, err) = run(d.path(), &["check", "--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json:1:"), "{err}");
}

#[test]
fn legacy_encodings_are_read_and_fixes_written_back_in_them() {
    let d = tempfile::tempdir().unwrap();
    let page = "<%@ page pageEncoding=\"ISO-8859-1\" %>\n<html><body><p>Connexion s\u{e9}curis\u{e9}e</p>\n<script src=\"https://global.oktacdn.com/okta-signin-widget/5.5.0/js/okta-sign-in.min.js\"></script>\n<script>\n/* \u{e9} */ var signIn = new OktaSignIn({ baseUrl: 'https://x.okta.com', clientId: 'abc' });\n</script>\n";
    let latin1 = |s: &str| -> Vec<u8> { s.chars().map(|c| c as u32 as u8).collect() };
    write(d.path(), "login.jsp", latin1(page));
    let (code, out, err) = run(
        d.path(),
        &["check", "--format", "concise", "--select", "OIE003"],
    );
    assert_eq!(code, 1, "{out}{err}");
    // Columns count characters of the decoded text: `/* é */ var signIn = ` is 21.
    assert!(out.contains("login.jsp:5:22: OIE003"), "{out}");
    let (code, _, err) = run(d.path(), &["check", "--fix", "--select", "OIE003"]);
    assert_eq!(code, 0, "{err}");
    let fixed = fs::read(d.path().join("login.jsp")).unwrap();
    assert!(String::from_utf8(fixed.clone()).is_err(), "still Latin-1");
    let text: String = fixed.iter().map(|&b| b as char).collect();
    assert!(text.contains("useInteractionCodeFlow: true"), "{text}");
    assert!(text.contains("Connexion s\u{e9}curis\u{e9}e"), "{text}");

    // Undeclared: refused with a hint, read with --encoding or the config key.
    write(
        d.path(),
        "app.js",
        latin1("// okta \u{e9}\nres.session.setCookieAndRedirect(url);\n"),
    );
    let (code, _, err) = run(d.path(), &["check", "app.js"]);
    assert_eq!(code, 2);
    assert!(err.contains("--encoding"), "{err}");
    let (code, out, _) = run(
        d.path(),
        &[
            "check",
            "app.js",
            "--encoding",
            "windows-1252",
            "--format",
            "concise",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("app.js:2:13: OIE001"), "{out}");
    write(d.path(), "oie-lint.toml", "encoding = \"latin1\"\n");
    let (code, _, _) = run(d.path(), &["check", "app.js"]);
    assert_eq!(code, 1);
    let (code, _, err) = run(d.path(), &["check", "app.js", "--encoding", "klingon"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown encoding `klingon`"), "{err}");
}

/// Issue 16: "`sessionToken: transaction.sessionToken` gives two OIE002
/// findings and the audit counts two blocking issues".
#[test]
fn one_finding_per_construct_for_a_session_token_key_and_its_read() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "src/login.js",
        "import { OktaAuth } from '@okta/okta-auth-js';\n\
         async function go(authClient, tx) {\n\
         \x20 authClient.token.getWithRedirect({ sessionToken: tx.sessionToken });\n\
         \x20 const t = tx.sessionToken;\n\
         \x20 authClient.token.getWithRedirect({ sessionToken: t });\n\
         }\n",
    );
    let (code, out, err) = run(
        d.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "concise",
            "--unsafe-fixes",
            "src",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("OIE002")).collect();
    // Line 3: the key and its value are one finding, at the key (col 38)
    // that carries the fix; lines 4 and 5 are two lines to change.
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("src/login.js:3:38: OIE002"), "{out}");
    assert!(lines[1].starts_with("src/login.js:4:16: OIE002"), "{out}");
    assert!(lines[2].starts_with("src/login.js:5:38: OIE002"), "{out}");
    assert!(out.contains("3 errors"), "{out}");
    // The fix stayed attached: `--fix --unsafe-fixes` drops both keys.
    let (_, _, err) = run(
        d.path(),
        &["check", "--isolated", "--fix", "--unsafe-fixes", "src"],
    );
    let fixed = fs::read_to_string(d.path().join("src/login.js")).unwrap();
    assert_eq!(
        fixed.matches("getWithRedirect({  })").count(),
        2,
        "{fixed}\n{err}"
    );
    assert_eq!(fixed.matches("sessionToken").count(), 1, "{fixed}");
    // The audit counts one blocking issue per construct.
    write(d.path(), "src/login.js", "import { OktaAuth } from '@okta/okta-auth-js';\nauthClient.token.getWithRedirect({ sessionToken: tx.sessionToken });\n");
    let (_, out, err) = run(
        d.path(),
        &["audit", "--isolated", "--format", "json", "src"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(v["summary"]["blocking_issues"], 1, "{out}");
}

/// The manifest of a `"//"`-suppression test: the widget resolved by a
/// lockfile to a version below the Identity Engine line.
fn locked_old_widget(d: &Path, marker: bool, lock: (&str, &str)) {
    let comment = if marker {
        "    \"//\": \"oie-lint-ignore-next-line OIE004 -- upgrade tracked in JIRA-42\",\n"
    } else {
        ""
    };
    write(
        d,
        "package.json",
        format!(
            "{{\n  \"name\": \"app\",\n  \"dependencies\": {{\n{comment}    \"@okta/okta-signin-widget\": \"^4.0.0\"\n  }}\n}}\n"
        ),
    );
    write(d, lock.0, lock.1);
}

const NPM_LOCK: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "dependencies": { "@okta/okta-signin-widget": "^4.0.0" } },
    "node_modules/@okta/okta-signin-widget": { "version": "4.3.1" }
  }
}
"#;

const PNPM_LOCK: &str = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@okta/okta-signin-widget':\n        specifier: ^4.0.0\n        version: 4.3.1\n\npackages:\n\n  '@okta/okta-signin-widget@4.3.1':\n    resolution: {integrity: sha512-x}\n";

const YARN_LOCK: &str = "# yarn lockfile v1\n\n\n\"@okta/okta-signin-widget@^4.0.0\":\n  version \"4.3.1\"\n  resolved \"https://registry.yarnpkg.com/@okta/okta-signin-widget/-/okta-signin-widget-4.3.1.tgz\"\n";

/// Issue 16: the `"//"` marker on the manifest dependency suppresses the
/// finding wherever the version was resolved (a generated lockfile cannot
/// hold a comment), and is then not reported as unused (OIE900).
#[test]
fn package_json_marker_suppresses_the_lockfile_finding_and_counts_as_used() {
    for lock in [
        ("package-lock.json", NPM_LOCK),
        ("pnpm-lock.yaml", PNPM_LOCK),
        ("yarn.lock", YARN_LOCK),
    ] {
        let d = tempfile::tempdir().unwrap();
        // Without the marker: one finding, at the lockfile entry.
        locked_old_widget(d.path(), false, lock);
        let (code, out, err) = run(d.path(), &["check", "--isolated", "--format", "concise"]);
        assert_eq!(code, 1, "{}: {out}{err}", lock.0);
        let found: Vec<&str> = out.lines().filter(|l| l.contains(": OIE")).collect();
        assert_eq!(found.len(), 1, "{}: {out}", lock.0);
        assert!(found[0].starts_with(&format!("{}:", lock.0)), "{out}");
        assert!(found[0].contains("OIE004"), "{out}");
        // With the marker: nothing, and the marker is used (no OIE900).
        locked_old_widget(d.path(), true, lock);
        let (code, out, err) = run(d.path(), &["check", "--isolated", "--format", "concise"]);
        assert_eq!(code, 0, "{}: {out}{err}", lock.0);
        assert!(
            !out.contains("OIE004") && !out.contains("OIE900"),
            "{}: {out}",
            lock.0
        );
        // Checking the lockfile alone honours the manifest's marker too.
        let (code, out, _) = run(d.path(), &["check", "--isolated", lock.0]);
        assert_eq!(code, 0, "{}: {out}", lock.0);
        // `versions` and the audit list the dependency as suppressed, and
        // count it neither as blocking nor as warning.
        let (_, out, err) = run(d.path(), &["versions", "--isolated"]);
        assert!(
            out.contains("blocking (suppressed)"),
            "{}: {out}{err}",
            lock.0
        );
        assert!(
            out.contains(": 0 blocking, 0 warning, 0 ready, 0 unknown, 1 suppressed."),
            "{}: {out}",
            lock.0
        );
        let (_, out, _) = run(d.path(), &["versions", "--isolated", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["status"], "blocking", "{out}");
        assert_eq!(v[0]["suppressed"], true, "{out}");
        let (_, out, err) = run(d.path(), &["audit", "--isolated", "--format", "json", "."]);
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        assert_eq!(v["summary"]["packages_blocking"], 0, "{out}");
        assert_eq!(v["summary"]["verdict"], "ready", "{}: {out}", lock.0);
        // A marker for another rule neither suppresses nor is used.
        let text = fs::read_to_string(d.path().join("package.json")).unwrap();
        write(
            d.path(),
            "package.json",
            text.replace("OIE004 --", "OIE001 --"),
        );
        let (_, out, _) = run(d.path(), &["versions", "--isolated"]);
        assert!(
            out.contains(": 1 blocking,") && !out.contains("suppressed"),
            "{out}"
        );
        let (code, out, _) = run(d.path(), &["check", "--isolated", "--format", "concise"]);
        assert_eq!(code, 1, "{}: {out}", lock.0);
        assert!(
            out.contains("OIE004") && out.contains("OIE900"),
            "{}: {out}",
            lock.0
        );
    }
}

/// A workspace whose two members use the locked widget: the lockfile
/// finding stays until every member's dependency carries the marker.
#[test]
fn lockfile_finding_needs_the_marker_on_every_manifest_that_uses_it() {
    let d = tempfile::tempdir().unwrap();
    let member = |name: &str, marker: bool| {
        let comment = if marker {
            "\"//\": \"oie-lint-ignore-next-line OIE004\",\n    "
        } else {
            ""
        };
        format!("{{\n  \"name\": \"{name}\",\n  \"dependencies\": {{\n    {comment}\"@okta/okta-signin-widget\": \"^4.0.0\"\n  }}\n}}\n")
    };
    write(
        d.path(),
        "package.json",
        "{ \"name\": \"root\", \"private\": true, \"workspaces\": [\"apps/*\"] }\n",
    );
    write(d.path(), "apps/a/package.json", member("a", true));
    write(d.path(), "apps/b/package.json", member("b", false));
    write(
        d.path(),
        "package-lock.json",
        r#"{
  "name": "root",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "root", "workspaces": ["apps/*"] },
    "apps/a": { "name": "a", "dependencies": { "@okta/okta-signin-widget": "^4.0.0" } },
    "apps/b": { "name": "b", "dependencies": { "@okta/okta-signin-widget": "^4.0.0" } },
    "node_modules/@okta/okta-signin-widget": { "version": "4.3.1" }
  }
}
"#,
    );
    let (code, out, _) = run(d.path(), &["check", "--isolated", "--format", "concise"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("package-lock.json:") && out.contains("OIE004"),
        "{out}"
    );
    // Member a's marker covers its own dependency: it is used.
    assert!(!out.contains("OIE900"), "{out}");
    write(d.path(), "apps/b/package.json", member("b", true));
    let (code, out, _) = run(d.path(), &["check", "--isolated", "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
}

/// Issue 16: "a malformed `package.json` error names the real line and
/// column (not always 1:1)": `path:line:col: message`, in the file's
/// lines and characters (BOM and CRLF), for `check`, `audit` and the
/// machine formats; the npm lockfile goes through the same path.
#[test]
fn malformed_json_errors_name_the_real_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "web/package.json",
        "\u{feff}{\r\n  \"dependencies\": {\r\n    \"@okta/okta-signin-widget\": \"5.0.0\",,\r\n  }\r\n}\r\n",
    );
    let (code, _, err) = run(d.path(), &["check", "--isolated", "web"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: web/package.json:3:41: invalid JSON: unexpected token in object"),
        "{err}"
    );
    let (code, _, err) = run(d.path(), &["audit", "--isolated", "web"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: web/package.json:3:41: invalid JSON"),
        "{err}"
    );
    let (_, out, _) = run(
        d.path(),
        &["audit", "--isolated", "--format", "json", "web"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let u = &v["unreadable"][0];
    assert_eq!(
        (&u["path"], &u["line"], &u["column"], &u["error"]),
        (
            &"web/package.json".into(),
            &3.into(),
            &41.into(),
            &"invalid JSON: unexpected token in object".into()
        ),
        "{out}"
    );
    let (_, out, _) = run(
        d.path(),
        &["audit", "--isolated", "--format", "markdown", "web"],
    );
    assert!(
        out.contains("- `web/package.json:3:41`: invalid JSON"),
        "{out}"
    );
    let (_, out, _) = run(
        d.path(),
        &["check", "--isolated", "--format", "github", "web"],
    );
    assert!(
        out.contains("::error file=web/package.json,line=3,col=41,title=oie-lint::"),
        "{out}"
    );
    let (_, out, _) = run(
        d.path(),
        &["check", "--isolated", "--format", "sarif", "web"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let region = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]
        ["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&3.into(), &41.into()),
        "{out}"
    );
    // An unterminated one-line manifest: where the open object starts.
    write(
        d.path(),
        "web/package.json",
        "{ \"dependencies\": { \"@okta/okta-signin-widget\": \"1\"",
    );
    let (_, _, err) = run(d.path(), &["check", "--isolated", "web"]);
    assert!(
        err.contains("error: web/package.json:1:19: invalid JSON: unterminated object"),
        "{err}"
    );
    // npm's lockfile.
    fs::remove_dir_all(d.path().join("web")).unwrap();
    write(
        d.path(),
        "lock/package-lock.json",
        "{\n  \"packages\": {\n    \"node_modules/@okta/okta-signin-widget\": { \"version\" \"5.0.0\" }\n  }\n}\n",
    );
    let (code, _, err) = run(d.path(), &["check", "--isolated", "lock"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: lock/package-lock.json:3:58: invalid JSON: expected colon"),
        "{err}"
    );
}

/// Issue 16: "a TOML error on line 1 is reported on line 1" (and on the
/// line it is on otherwise, CRLF included).
#[test]
fn config_errors_name_their_line_from_the_first() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.js", BAD_JS);
    write(d.path(), "oie-lint.toml", "select = [\"OIE001\"\n");
    let (code, _, err) = run(d.path(), &["check", "a.js"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("oie-lint.toml:1:"), "{err}");
    write(d.path(), "oie-lint.toml", "selct = [\"OIE001\"]\n");
    let (_, _, err) = run(d.path(), &["check", "a.js"]);
    assert!(
        err.contains("oie-lint.toml:1:1: unknown field `selct`"),
        "{err}"
    );
    write(
        d.path(),
        "oie-lint.toml",
        "# config\r\nselect = [\"OIE001\"]\r\nbad key = 1\r\n",
    );
    let (_, _, err) = run(d.path(), &["check", "a.js"]);
    assert!(err.contains("oie-lint.toml:3:"), "{err}");
}

/// Issue 16 follow-up: `audit` finds the config from the checked paths, as
/// `check` does, so `cd / && oie-lint audit /repo/app` and `cd /repo/app
/// && oie-lint audit` agree.
#[test]
fn audit_finds_the_config_from_the_checked_paths() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "repo/app/oie-lint.toml",
        "ignore = [\"OIE001\"]\n",
    );
    write(d.path(), "repo/app/src/a.js", BAD_JS);
    write(d.path(), "repo/other/b.js", BAD_JS);
    let rule_counts = |dir: &Path, args: &[&str]| -> (serde_json::Value, serde_json::Value) {
        let mut all = vec!["audit", "--format", "json"];
        all.extend_from_slice(args);
        let (_, out, err) = run(dir, &all);
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        (v["summary"]["findings"].clone(), v["config_file"].clone())
    };
    let (from_root, file) = rule_counts(d.path(), &["repo/app"]);
    assert_eq!(from_root, 0, "OIE001 is ignored by repo/app/oie-lint.toml");
    assert_eq!(file, "repo/app/oie-lint.toml");
    let (inside, _) = rule_counts(&d.path().join("repo/app"), &[]);
    assert_eq!(inside, from_root);
    // A path under no config keeps the defaults; both configs apply in one run.
    let (both, _) = rule_counts(d.path(), &["repo/app", "repo/other"]);
    assert_eq!(both, 1, "only repo/other/b.js reports OIE001");
    // --isolated still overrides.
    let (isolated, file) = rule_counts(d.path(), &["--isolated", "repo/app"]);
    assert_eq!((isolated, file), (1.into(), serde_json::Value::Null));
}

/// A page kept as `.txt`, in Windows-1252, that loads an old widget.
fn legacy_txt_page(d: &Path) {
    let page = "<html><head><meta http-equiv=\"X-UA-Compatible\"></head><body>\n<p>Connexion s\u{e9}curis\u{e9}e</p>\n<script src=\"https://global.oktacdn.com/okta-signin-widget/4.3.1/js/okta-sign-in.min.js\"></script>\n<script>\nvar signIn = new OktaSignIn({ baseUrl: 'https://x.okta.com' });\n</script></body></html>\n";
    let cp1252: Vec<u8> = page.chars().map(|c| c as u32 as u8).collect();
    write(d, "pages/login.txt", cp1252);
}

/// Issue 16 follow-up: `versions` and `audit` read files as `check` does,
/// with the `--extension` map and `--encoding`.
#[test]
fn versions_and_audit_read_with_the_extension_map_and_encoding() {
    let d = tempfile::tempdir().unwrap();
    legacy_txt_page(d.path());
    let flags = ["--extension", "txt:html", "--encoding", "windows-1252"];
    let (code, out, err) = run(d.path(), &["versions", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("4.3.1"),
        "a .txt file is not read by default: {out}"
    );
    let mut args = vec!["versions", "--format", "json", "--extension", "txt:html"];
    let (code, _, err) = run(d.path(), &args);
    assert_eq!(code, 2, "not UTF-8 and no encoding: {err}");
    assert!(
        err.contains("pages/login.txt") && err.contains("--encoding"),
        "{err}"
    );
    args.extend_from_slice(&["--encoding", "windows-1252"]);
    let (code, out, err) = run(d.path(), &args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().or_else(|| v["uses"].as_array()).unwrap();
    let row = rows
        .iter()
        .find(|r| r["path"] == "pages/login.txt")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(row["resolved"], "4.3.1", "{row}");
    assert_eq!(row["line"], 3, "{row}");
    // The audit: the page is an embedded widget and its package use counts.
    let mut args = vec!["audit", "--isolated", "--format", "json"];
    args.extend_from_slice(&flags);
    let (code, out, err) = run(d.path(), &args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["embedded_widgets"], 1, "{out}");
    assert_eq!(v["summary"]["packages_blocking"], 1, "{out}");
    assert!(v["unreadable"].as_array().unwrap().is_empty(), "{out}");
}

/// Issue 16 follow-up: a UTF-16 file (BOM) passes the literal prefilter: its
/// raw bytes hold no ASCII trigger word, its decoded text does.
#[test]
fn utf16_files_pass_the_prefilter() {
    let d = tempfile::tempdir().unwrap();
    let utf16 = |le: bool| -> Vec<u8> {
        let mut b = if le {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for u in BAD_JS.encode_utf16() {
            b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        b
    };
    write(d.path(), "le.js", utf16(true));
    write(d.path(), "be.js", utf16(false));
    write(d.path(), "plain.js", "const x = 1;\n");
    let (code, out, err) = run(d.path(), &["check", "--isolated", "--format", "concise"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("le.js:3:15: OIE001"), "{out}");
    assert!(out.contains("be.js:3:15: OIE001"), "{out}");
    assert!(out.contains("(3 files checked)"), "{out}");
}

/// Issue 16 follow-up: `check - --encoding X --fix` prints the fixed text
/// in X, as a file would be written back.
#[test]
fn stdin_fix_prints_the_text_in_its_encoding() {
    let d = tempfile::tempdir().unwrap();
    let page = "<html><body><p>Connexion s\u{e9}curis\u{e9}e</p>\n<script>\n/* \u{e9} */ var signIn = new OktaSignIn({ baseUrl: 'https://x.okta.com', clientId: 'abc' });\n</script>\n";
    let cp1252: Vec<u8> = page.chars().map(|c| c as u32 as u8).collect();
    let out = oie()
        .current_dir(d.path())
        .args([
            "check",
            "-",
            "--stdin-filename",
            "login.html",
            "--isolated",
            "--encoding",
            "windows-1252",
            "--fix",
            "--select",
            "OIE003",
        ])
        .write_stdin(cp1252.clone())
        .output()
        .unwrap();
    let stdout = out.stdout;
    assert!(
        String::from_utf8(stdout.clone()).is_err(),
        "still Windows-1252: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text: String = stdout.iter().map(|&b| b as char).collect();
    assert!(text.contains("useInteractionCodeFlow: true"), "{text}");
    assert!(text.contains("Connexion s\u{e9}curis\u{e9}e"), "{text}");
    assert_ne!(stdout, cp1252);
}

/// A lockfile checked from standard input and from disk in one run (an
/// editor's unsaved buffer next to the saved file): each finding is at the
/// entry's line in its own text (the version index once served both from
/// the first text it parsed).
#[test]
fn a_lockfile_on_stdin_and_on_disk_each_get_their_own_positions() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "package.json",
        "{ \"name\": \"app\", \"dependencies\": { \"@okta/okta-signin-widget\": \"^5.0.0\" } }\n",
    );
    let head = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@okta/okta-signin-widget':\n        specifier: ^5.0.0\n        version: 5.1.0\n\npackages:\n\n";
    let entry = "  '@okta/okta-signin-widget@5.1.0':\n    resolution: {integrity: sha512-x}\n";
    let padding = "  'left-pad@1.3.0':\n    resolution: {integrity: sha512-x}\n\n".repeat(40);
    write(
        d.path(),
        "pnpm-lock.yaml",
        format!("{head}{padding}{entry}"),
    );
    let out = oie()
        .current_dir(d.path())
        .args([
            "check",
            "--isolated",
            "--format",
            "concise",
            ".",
            "-",
            "--stdin-filename",
            "pnpm-lock.yaml",
        ])
        .write_stdin(format!("{head}{entry}"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().filter(|l| l.contains(": OIE004")).collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    // The entry's version sits on line 133 on disk and line 13 on stdin.
    for line in [13, 133] {
        let at = format!("pnpm-lock.yaml:{line}:29: ");
        assert!(lines.iter().any(|l| l.starts_with(&at)), "{stdout}");
    }
}
