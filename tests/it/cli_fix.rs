//! `oie-lint check --fix / --unsafe-fixes / --diff` end to end.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

/// OIE003 (safe fix) and an embedded renderEl migration (unsafe fix).
const MIXED: &str = "\
import OktaSignIn from '@okta/okta-signin-widget';
const signIn = new OktaSignIn({ baseUrl: base, clientId: id });
signIn.renderEl({ el: '#app' }, function (res) {
  res.session.setCookieAndRedirect('/app');
}, function (err) {
  console.error(err);
});
";

const SAFE_ONLY: &str = "\
import OktaSignIn from '@okta/okta-signin-widget';
const signIn = new OktaSignIn({ baseUrl: base, clientId: id, useInteractionCodeFlow: true });
signIn.renderEl({ el: '#app' }, function (res) {
  res.session.setCookieAndRedirect('/app');
}, function (err) {
  console.error(err);
});
";

const ALL_FIXED: &str = "\
import OktaSignIn from '@okta/okta-signin-widget';
const signIn = new OktaSignIn({ baseUrl: base, clientId: id, useInteractionCodeFlow: true });
signIn.showSignInToGetTokens({ el: '#app' }).then(function (tokens) {
  signIn.authClient.tokenManager.setTokens(tokens);
  signIn.remove();
  window.location.assign('/app');
}).catch(function (err) {
  console.error(err);
});
";

fn oie(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oie-lint").unwrap();
    c.current_dir(dir).args(["check", "--color", "never"]);
    c
}

fn setup(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("login.js");
    fs::write(&p, text).unwrap();
    (dir, p)
}

#[test]
fn fix_applies_safe_fixes_only_and_reports_what_remains() {
    let (dir, p) = setup(MIXED);
    oie(dir.path())
        .args(["login.js", "--fix", "--show-fixes"])
        .assert()
        .code(1) // the OIE001 error remains
        .stdout(predicate::str::contains(
            "Fixed login.js:2:16: OIE003 [safe]",
        ))
        .stdout(predicate::str::contains(
            "Found 1 error and 0 warnings in 1 file",
        ))
        .stdout(predicate::str::contains(
            "Fixed 1 finding in 1 file. 1 more fixable with `--unsafe-fixes`.",
        ));
    assert_eq!(fs::read_to_string(&p).unwrap(), SAFE_ONLY);
}

#[test]
fn unsafe_fixes_apply_the_migration_too() {
    let (dir, p) = setup(MIXED);
    oie(dir.path())
        .args(["login.js", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "All checks passed (1 file checked). Fixed 2 findings in 1 file.",
        ));
    assert_eq!(fs::read_to_string(&p).unwrap(), ALL_FIXED);
    // Nothing left to do: a second run changes nothing.
    oie(dir.path())
        .args(["login.js", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 0 findings"));
    assert_eq!(fs::read_to_string(&p).unwrap(), ALL_FIXED);
}

/// ruff's semantics: `--unsafe-fixes` makes unsafe fixes available, only
/// `--fix` writes.
#[test]
fn unsafe_fixes_without_fix_writes_nothing() {
    let (dir, p) = setup(MIXED);
    oie(dir.path())
        .args(["login.js", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("2 fixable with `--fix`."))
        .stdout(predicate::str::contains("Fixed").not());
    assert_eq!(fs::read_to_string(&p).unwrap(), MIXED);
}

#[test]
fn plain_check_says_what_is_fixable() {
    let (dir, _) = setup(MIXED);
    oie(dir.path())
        .args(["login.js"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "1 fixable with `--fix` (1 more with `--unsafe-fixes`).",
        ));
}

#[test]
fn diff_prints_and_writes_nothing() {
    let (dir, p) = setup(MIXED);
    oie(dir.path())
        .args(["login.js", "--diff"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("--- a/login.js\n+++ b/login.js\n@@"))
        .stdout(predicate::str::contains(
            "-const signIn = new OktaSignIn({ baseUrl: base, clientId: id });\n+const signIn = new OktaSignIn({ baseUrl: base, clientId: id, useInteractionCodeFlow: true });",
        ))
        .stdout(predicate::str::contains("showSignInToGetTokens").not())
        .stderr(predicate::str::contains("Would fix 1 finding in 1 file. 1 more fixable with `--unsafe-fixes`."));
    assert_eq!(fs::read_to_string(&p).unwrap(), MIXED);
    oie(dir.path())
        .args(["login.js", "--diff", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "+signIn.showSignInToGetTokens({ el: '#app' }).then(function (tokens) {",
        ))
        // The unsafe change is named above its diff, with what it does.
        .stdout(predicate::str::starts_with(
            "# login.js:4:15: OIE001 [unsafe] Replace `signIn.renderEl(...)` with `signIn.showSignInToGetTokens(...)",
        ))
        .stdout(predicate::str::contains(
            "keeps the navigation with `window.location.assign('/app')`",
        ));
    assert_eq!(fs::read_to_string(&p).unwrap(), MIXED);
}

/// Regression (issue 12): the unsafe `switch (res.status)` migration names
/// every branch it removes in `--diff` and in the JSON `fix`.
#[test]
fn diff_and_json_name_the_removed_branches() {
    let (dir, _) = setup(
        "import OktaSignIn from '@okta/okta-signin-widget';
const signIn = new OktaSignIn({ baseUrl: base, clientId: id, redirectUri: uri, useInteractionCodeFlow: true });
signIn.renderEl({ el: '#app' }, function (res) {
  switch (res.status) {
    case 'SUCCESS':
      res.session.setCookieAndRedirect('/app');
      break;
    case 'MFA_REQUIRED':
      showMfa();
      break;
  }
});
",
    );
    let named = "removes what never runs under Identity Engine: the `case 'MFA_REQUIRED'` branch";
    oie(dir.path())
        .args(["login.js", "--diff", "--unsafe-fixes"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(named))
        .stdout(predicate::str::contains("-      showMfa();"));
    let out = oie(dir.path())
        .args(["login.js", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fix = &v.as_array().unwrap()[0]["fix"];
    assert_eq!(fix["applicability"], "unsafe");
    assert!(
        fix["description"].as_str().unwrap().contains(named),
        "{fix}"
    );
}

#[test]
fn diff_exits_zero_without_changes() {
    let (dir, _) = setup(ALL_FIXED);
    oie(dir.path())
        .args(["login.js", "--diff", "--unsafe-fixes"])
        .assert()
        .code(0)
        .stdout("");
    // Findings without a fix are no diff either.
    let (dir, _) = setup("// okta\nauthClient.session.setCookieAndRedirect(token, '/app');\n");
    oie(dir.path())
        .args(["login.js", "--diff"])
        .assert()
        .code(0)
        .stdout("");
}

#[cfg(unix)]
#[test]
fn read_only_file_is_an_error_and_keeps_its_content() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, p) = setup(MIXED);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
    oie(dir.path())
        .args(["login.js", "--fix"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: login.js: is read-only; fixes were not written (the file is unchanged)",
        ));
    assert_eq!(fs::read_to_string(&p).unwrap(), MIXED);
    assert_eq!(
        fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o444
    );
    // No temporary file left behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_written_through() {
    let (dir, p) = setup(MIXED);
    let link = dir.path().join("link.js");
    std::os::unix::fs::symlink(&p, &link).unwrap();
    oie(dir.path())
        .args(["link.js", "--fix"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: link.js: is a symbolic link",
        ));
    assert_eq!(fs::read_to_string(&p).unwrap(), MIXED);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[cfg(unix)]
#[test]
fn permissions_survive_a_fix() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, p) = setup(MIXED);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
    oie(dir.path()).args(["login.js", "--fix"]).assert().code(1);
    assert_eq!(fs::read_to_string(&p).unwrap(), SAFE_ONLY);
    assert_eq!(
        fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_file_with_a_syntax_error_is_still_fixed_where_the_fix_is_clean() {
    let broken = "var signIn = new OktaSignIn({ clientId: id });\nfunction broken( {\n";
    let (dir, p) = setup(broken);
    oie(dir.path())
        .args(["login.js", "--fix"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("not applied").not());
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        "var signIn = new OktaSignIn({ clientId: id, useInteractionCodeFlow: true });\nfunction broken( {\n"
    );
}

#[test]
fn stdin_fix_prints_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    oie(dir.path())
        .args(["-", "--fix", "--stdin-filename", "login.js"])
        .write_stdin(MIXED)
        .assert()
        .code(1)
        .stdout(SAFE_ONLY)
        .stderr(predicate::str::contains("Fixed 1 finding in 1 file."));
    oie(dir.path())
        .args(["-", "--fix", "--unsafe-fixes"])
        .write_stdin(MIXED)
        .assert()
        .code(0)
        .stdout(ALL_FIXED);
}

#[test]
fn crlf_files_stay_crlf() {
    let (dir, p) = setup(&MIXED.replace('\n', "\r\n"));
    oie(dir.path())
        .args(["login.js", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        ALL_FIXED.replace('\n', "\r\n")
    );
}

#[test]
fn target_widget_version_sets_the_bump() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("package.json");
    fs::write(
        &p,
        "{ \"dependencies\": { \"@okta/okta-signin-widget\": \"^4.5.0\" } }\n",
    )
    .unwrap();
    oie(dir.path())
        .args([
            "package.json",
            "--fix",
            "--unsafe-fixes",
            "--target-widget-version",
            "7.14.0",
        ])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        "{ \"dependencies\": { \"@okta/okta-signin-widget\": \"^7.14.0\" } }\n"
    );
    oie(dir.path())
        .args(["package.json", "--fix", "--target-widget-version", "seven"])
        .assert()
        .code(2);
}

#[test]
fn json_fix_carries_safety_description_and_edit_positions() {
    let (dir, _) = setup(MIXED);
    let out = oie(dir.path())
        .args(["login.js", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let oie003 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "OIE003")
        .unwrap();
    let fix = &oie003["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(
        fix["description"],
        "Add `useInteractionCodeFlow: true` to the widget config"
    );
    let edit = &fix["edits"][0];
    assert_eq!(edit["content"], ", useInteractionCodeFlow: true");
    assert_eq!(
        (edit["line"].as_u64(), edit["column"].as_u64()),
        (Some(2), Some(60))
    );
    assert_eq!(
        (edit["end_line"].as_u64(), edit["end_column"].as_u64()),
        (Some(2), Some(60))
    );
    let start = edit["start_byte"].as_u64().unwrap() as usize;
    assert_eq!(&MIXED[start - 2..start], "id");
    let oie001 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "OIE001")
        .unwrap();
    assert_eq!(oie001["fix"]["applicability"], "unsafe");
}

#[test]
fn full_format_names_the_fix() {
    let (dir, _) = setup(MIXED);
    oie(dir.path())
        .args(["login.js"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Fix (safe fix, `--fix`): Add `useInteractionCodeFlow: true` to the widget config",
        ))
        .stdout(predicate::str::contains(
            "Fix (unsafe fix, `--unsafe-fixes`): Replace",
        ));
}

/// The `--diff --unsafe-fixes` example of docs/fixing.md is what the tool prints for
/// `fixtures/fix/embedded-function/before.js` checked as `src/login.js`.
#[test]
fn docs_diff_example_is_the_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("docs/fixing.md")).unwrap();
    let start = readme.find("```diff\n# src/login.js").expect("example") + "```diff\n".len();
    let example = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("src")).unwrap();
    fs::copy(
        root.join("fixtures/fix/embedded-function/before.js"),
        dir.path().join("src/login.js"),
    )
    .unwrap();
    let out = oie(dir.path())
        .args(["src/login.js", "--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), example);
}

/// A Classic widget config with no OIDC app (issue 25).
const NO_CLIENT_ID: &str = "\
import OktaSignIn from '@okta/okta-signin-widget';
const signIn = new OktaSignIn({ baseUrl: 'https://example.okta.com' });
signIn.renderEl({ el: '#app' }, function (res) {
  res.session.setCookieAndRedirect('/app');
});
";

/// Issue 25: `--client-id`/`--redirect-uri` give the migration the OIDC app
/// the config lacks; the flags win over the `[fix]` table; each app of a
/// monorepo uses the table of its own config file.
#[test]
fn fix_inputs_from_flags_and_per_app_config() {
    let dir = tempfile::tempdir().unwrap();
    for app in ["admin", "shop"] {
        fs::create_dir_all(dir.path().join(app)).unwrap();
        fs::write(dir.path().join(app).join("login.js"), NO_CLIENT_ID).unwrap();
    }
    fs::write(
        dir.path().join("admin/oie-lint.toml"),
        "[fix]\nclient-id = \"0oaADMIN\"\nredirect-uri = \"https://admin.example/cb\"\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("shop/oie-lint.toml"),
        "[fix]\nclient-id = \"0oaSHOP\"\nredirect-uri = \"https://shop.example/cb\"\n",
    )
    .unwrap();
    oie(dir.path())
        .args(["--fix", "--unsafe-fixes", "admin", "shop"])
        .assert()
        .success();
    let admin = fs::read_to_string(dir.path().join("admin/login.js")).unwrap();
    let shop = fs::read_to_string(dir.path().join("shop/login.js")).unwrap();
    assert!(
        admin.contains("clientId: '0oaADMIN', redirectUri: 'https://admin.example/cb'"),
        "{admin}"
    );
    assert!(
        shop.contains("clientId: '0oaSHOP', redirectUri: 'https://shop.example/cb'"),
        "{shop}"
    );
    assert!(shop.contains("signIn.showSignInToGetTokens("), "{shop}");
    // The flags win over the table.
    fs::write(dir.path().join("admin/login.js"), NO_CLIENT_ID).unwrap();
    oie(dir.path())
        .args([
            "--diff",
            "--unsafe-fixes",
            "--client-id",
            "0oaFLAG",
            "--redirect-uri",
            "https://flag.example/cb",
            "admin",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "adds `clientId: '0oaFLAG'`, `redirectUri: 'https://flag.example/cb'`",
        ))
        .stdout(predicate::str::contains(
            "+const signIn = new OktaSignIn({ baseUrl: 'https://example.okta.com', clientId: '0oaFLAG', redirectUri: 'https://flag.example/cb', useInteractionCodeFlow: true });",
        ));
    // A bad flag value is a usage error that names the flag.
    oie(dir.path())
        .args(["--redirect-uri", "/cb", "admin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--redirect-uri: `/cb` is not an absolute URL",
        ));
}

/// Issue 25: without fix inputs the finding names the keys and flags, and
/// JSON carries the reason as `no_fix_reason`.
#[test]
fn a_site_without_a_fix_names_its_reason_in_json() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("login.js"), NO_CLIENT_ID).unwrap();
    let out = oie(dir.path())
        .args(["--isolated", "--format", "json", "login.js"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let oie001 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "OIE001")
        .unwrap();
    assert!(oie001["fix"].is_null());
    assert_eq!(oie001["no_fix_reason"]["code"], "no-client-id");
    let reason = oie001["no_fix_reason"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("--client-id <ID> --redirect-uri <URL>"),
        "{reason}"
    );
    assert!(oie001["message"]
        .as_str()
        .unwrap()
        .ends_with(&format!("(no automatic fix: {reason})")));
    // Findings that could never have a fix carry no such field.
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !matches!(d["code"].as_str(), Some("OIE001" | "OIE002")))
        .all(|d| d.get("no_fix_reason").is_none()));
}

/// `check --help` documents the fix-input flags as a manual (with examples).
#[test]
fn help_documents_the_fix_input_flags() {
    Command::cargo_bin("oie-lint")
        .unwrap()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--client-id <ID>"))
        .stdout(predicate::str::contains("--redirect-uri <URL>"))
        .stdout(predicate::str::contains(
            "Example: `oie-lint check --fix --unsafe-fixes --client-id",
        ));
}
