//! `oie-lint server` driven as an editor drives it: JSON-RPC over stdio
//! through initialize, didOpen, didChange, codeAction, executeCommand (and
//! the server's workspace/applyEdit), hover and shutdown, on a real-looking
//! page (`tests/editors/sign-in.html`: non-ASCII text before findings on
//! their lines). Each code action's edit is compared with what `check
//! --fix` writes, and the hover with what `oie-lint rule` prints.

use crate::common::lsp::{apply_edits, edits_for, uri_of, Client};
use crate::common::{oie, write};
use serde_json::{json, Value};
use std::path::Path;

const PAGE: &str = include_str!("../editors/sign-in.html");

/// A project folder with the page at `sign-in.html`; its URI.
fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sign-in.html", PAGE);
    let uri = uri_of(&dir.path().join("sign-in.html"));
    (dir, uri)
}

/// What `check --fix` (with `extra` flags) makes of `text` as `name` in `dir`.
fn check_fix(dir: &Path, name: &str, text: &str, extra: &[&str]) -> String {
    let copy = tempfile::tempdir().unwrap();
    write(copy.path(), name, text);
    for f in ["oie-lint.toml", "package.json"] {
        if let Ok(t) = std::fs::read(dir.join(f)) {
            write(copy.path(), f, t);
        }
    }
    oie()
        .current_dir(copy.path())
        .args(["check", "--fix", name])
        .args(extra)
        .output()
        .unwrap();
    std::fs::read_to_string(copy.path().join(name)).unwrap()
}

/// `check --format json`'s findings for `name` in `dir`.
fn check_json(dir: &Path, name: &str) -> Vec<Value> {
    let out = oie()
        .current_dir(dir)
        .args(["check", "--format", "json", name])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn codes(diags: &Value) -> Vec<String> {
    diags["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The UTF-16 column (0-based) of the `column`th character (1-based) of
/// `line` (1-based) in `text`.
fn utf16_column(text: &str, line: u64, column: u64) -> u64 {
    let l = text.lines().nth(line as usize - 1).unwrap();
    l.chars()
        .take(column as usize - 1)
        .map(|c| c.len_utf16() as u64)
        .sum()
}

fn code_actions(c: &mut Client, uri: &str, line: u64, only: Option<&str>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(k) = only {
        context["only"] = json!([k]);
    }
    let r = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 200}},
            "context": context,
        }),
    );
    r.as_array().cloned().unwrap_or_default()
}

#[test]
fn diagnostics_on_open_match_check_with_utf16_positions_codes_and_rule_urls() {
    let (dir, uri) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "html", PAGE);
    let got = c.diagnostics(&uri);
    assert_eq!(got["version"], 1);
    let diags = got["diagnostics"].as_array().unwrap();
    let expected = check_json(dir.path(), "sign-in.html");
    assert_eq!(diags.len(), expected.len(), "{got:#}");
    assert_eq!(codes(&got), ["OIE004", "OIE004", "OIE003", "OIE001"]);
    for (d, e) in diags.iter().zip(&expected) {
        assert_eq!(d["code"], e["code"]);
        assert_eq!(d["source"], "oie-lint");
        assert!(d["message"]
            .as_str()
            .unwrap()
            .starts_with(e["message"].as_str().unwrap()));
        let severity = if e["severity"] == "error" { 1 } else { 2 };
        assert_eq!(d["severity"], severity);
        assert_eq!(d["codeDescription"]["href"], e["url"], "{d}");
        let (line, col) = (e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap());
        assert_eq!(d["range"]["start"]["line"], line - 1);
        assert_eq!(
            d["range"]["start"]["character"],
            utf16_column(PAGE, line, col),
            "{d}"
        );
        let (end_line, end_col) = (
            e["end_line"].as_u64().unwrap(),
            e["end_column"].as_u64().unwrap(),
        );
        assert_eq!(d["range"]["end"]["line"], end_line - 1);
        assert_eq!(
            d["range"]["end"]["character"],
            utf16_column(PAGE, end_line, end_col)
        );
    }
    // The 😀 before OIE003 on its line is two UTF-16 units, one character.
    let oie003 = &diags[2];
    let json_col = expected[2]["column"].as_u64().unwrap();
    assert_eq!(oie003["range"]["start"]["character"], json_col);
    // A fixable finding says what its fix does.
    assert!(
        oie003["message"]
            .as_str()
            .unwrap()
            .contains("(fix available: "),
        "{oie003}"
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn did_change_publishes_the_edited_buffer_not_the_file() {
    let (dir, uri) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "html", PAGE);
    assert_eq!(
        c.diagnostics(&uri)["diagnostics"].as_array().unwrap().len(),
        4
    );
    // Delete the `setCookieAndRedirect` line (a ranged change), in two versions.
    let line = PAGE
        .lines()
        .position(|l| l.contains("setCookieAndRedirect"))
        .unwrap() as u64;
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
                "text": ""
            }]
        }),
    );
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "text": "<!-- é -->\n"
            }]
        }),
    );
    // Debounced: one publish, for the latest version.
    let got = c.diagnostics(&uri);
    assert_eq!(got["version"], 3, "{got}");
    assert_eq!(codes(&got), ["OIE004", "OIE004", "OIE003"]);
    assert_eq!(got["diagnostics"][0]["range"]["start"]["line"], 7);
    // The file on disk is untouched and still has the finding.
    assert_eq!(check_json(dir.path(), "sign-in.html").len(), 4);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn quick_fixes_and_fix_all_edit_as_check_fix_writes() {
    let (dir, uri) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "html", PAGE);
    c.diagnostics(&uri);
    let oie003_line = PAGE
        .lines()
        .position(|l| l.contains("new OktaSignIn"))
        .unwrap() as u64;
    let actions = code_actions(&mut c, &uri, oie003_line, None);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["title"].as_str().unwrap().starts_with("Fix OIE003"))
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "OIE003");
    let fixed = apply_edits(PAGE, &edits_for(&fix["edit"], &uri));
    // OIE003's is the page's only safe fix: `check --fix` writes the same.
    assert_eq!(fixed, check_fix(dir.path(), "sign-in.html", PAGE, &[]));
    assert!(fixed.contains("useInteractionCodeFlow: true"));

    // The fix-all action: the safe fixes, as `check --fix`.
    let all = code_actions(&mut c, &uri, 0, Some("source.fixAll"));
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["kind"], "source.fixAll.oie-lint");
    let fixed_all = apply_edits(PAGE, &edits_for(&all[0]["edit"], &uri));
    assert_eq!(fixed_all, check_fix(dir.path(), "sign-in.html", PAGE, &[]));
    // Offered among the others (the light bulb), its edit comes when it
    // is chosen: codeAction/resolve.
    let offered = code_actions(&mut c, &uri, 0, None);
    let deferred = offered
        .iter()
        .find(|a| a["kind"] == "source.fixAll.oie-lint")
        .unwrap_or_else(|| panic!("{offered:?}"));
    assert!(deferred.get("edit").is_none(), "{deferred}");
    let resolved = c.request("codeAction/resolve", deferred.clone());
    let fixed_all = apply_edits(PAGE, &edits_for(&resolved["edit"], &uri));
    assert_eq!(fixed_all, check_fix(dir.path(), "sign-in.html", PAGE, &[]));

    // An unsafe fix is offered, labelled, never preferred, and its edit
    // is that fix alone by the same engine: here OIE001's, whose result
    // equals `--fix --unsafe-fixes --select OIE001`.
    let oie001_line = PAGE
        .lines()
        .position(|l| l.contains("setCookieAndRedirect"))
        .unwrap() as u64;
    let actions = code_actions(&mut c, &uri, oie001_line, Some("quickfix"));
    let unsafe_fix = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Fix OIE001 (unsafe): ")
        })
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert_eq!(unsafe_fix["isPreferred"], false);
    let fixed = apply_edits(PAGE, &edits_for(&unsafe_fix["edit"], &uri));
    assert_eq!(
        fixed,
        check_fix(
            dir.path(),
            "sign-in.html",
            PAGE,
            &["--unsafe-fixes", "--select", "OIE001"]
        )
    );
    assert!(!actions
        .iter()
        .any(|a| a["kind"] == "source.fixAll.oie-lint"));
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn execute_command_asks_the_client_to_apply_the_fix_all_edit() {
    let (dir, uri) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "html", PAGE);
    c.diagnostics(&uri);
    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "oie-lint.applyAutofix", "arguments": [{"uri": uri}]}),
    );
    assert!(r.is_null());
    assert_eq!(c.applied_edits.len(), 1);
    let edit = &c.applied_edits[0]["edit"];
    let fixed = apply_edits(PAGE, &edits_for(edit, &uri));
    assert_eq!(fixed, check_fix(dir.path(), "sign-in.html", PAGE, &[]));
    // Unknown commands are refused.
    let r = c.request_raw(
        "workspace/executeCommand",
        json!({"command": "nope", "arguments": []}),
    );
    assert!(r.get("error").is_some(), "{r}");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn suppress_on_this_line_writes_a_marker_that_silences_the_finding() {
    let (dir, uri) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "html", PAGE);
    c.diagnostics(&uri);
    let mut text = PAGE.to_string();
    let mut version = 1;
    for (needle, code, marker) in [
        (
            "setCookieAndRedirect",
            "OIE001",
            "// oie-lint-ignore-next-line OIE001\n",
        ),
        (
            "5.4.0/css",
            "OIE004",
            "<!-- oie-lint-ignore-next-line OIE004 -->\n",
        ),
    ] {
        let line = text.lines().position(|l| l.contains(needle)).unwrap() as u64;
        let actions = code_actions(&mut c, &uri, line, Some("quickfix"));
        let title = format!("Suppress {code} on this line");
        let s = actions
            .iter()
            .find(|a| a["title"] == title.as_str())
            .unwrap_or_else(|| panic!("{actions:?}"));
        let before = text.clone();
        text = apply_edits(&text, &edits_for(&s["edit"], &uri));
        let indent: String = before
            .lines()
            .nth(line as usize)
            .unwrap()
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        assert!(text.contains(&format!("{indent}{marker}")), "{text}");
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    let got = c.diagnostics(&uri);
    // Both markers are used (no OIE900), both findings gone.
    assert_eq!(codes(&got), ["OIE004", "OIE003"], "{got:#}");
    // And `check` agrees on the written file.
    write(dir.path(), "sign-in.html", &text);
    let found: Vec<Value> = check_json(dir.path(), "sign-in.html");
    let found: Vec<&str> = found.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(found, ["OIE004", "OIE003"]);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn hover_on_a_finding_shows_the_rule_docs() {
    let (dir, uri) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "html", PAGE);
    let got = c.diagnostics(&uri);
    let d = &got["diagnostics"][3];
    assert_eq!(d["code"], "OIE001");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": d["range"]["start"]}),
    );
    let docs = oie().args(["rule", "OIE001"]).output().unwrap();
    assert_eq!(r["contents"]["kind"], "markdown");
    assert_eq!(
        r["contents"]["value"],
        String::from_utf8(docs.stdout).unwrap()
    );
    assert_eq!(r["range"], d["range"]);
    // Off any finding: nothing.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null(), "{r}");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn settings_select_rules_and_whether_unsafe_fixes_are_offered() {
    let (dir, uri) = project();
    let mut c = Client::start(
        dir.path(),
        json!({"unsafeFixes": false, "ignore": ["OIE004"]}),
    );
    c.open(&uri, "html", PAGE);
    assert_eq!(codes(&c.diagnostics(&uri)), ["OIE003", "OIE001"]);
    let line = PAGE
        .lines()
        .position(|l| l.contains("setCookieAndRedirect"))
        .unwrap() as u64;
    let actions = code_actions(&mut c, &uri, line, Some("quickfix"));
    assert!(
        !actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().contains("(unsafe)")),
        "{actions:?}"
    );
    // New settings through workspace/configuration: OIE001 ignored instead.
    c.configuration = json!({"ignore": ["OIE001"], "unsafeFixes": true});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), ["OIE004", "OIE004", "OIE003"]);
    let actions = code_actions(&mut c, &uri, 6, Some("quickfix"));
    assert!(
        actions.iter().any(|a| a["title"]
            .as_str()
            .unwrap()
            .starts_with("Fix OIE004 (unsafe)")),
        "{actions:?}"
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn the_config_file_governs_and_its_changes_are_followed() {
    let (dir, uri) = project();
    write(dir.path(), "oie-lint.toml", "ignore = [\"OIE003\"]\n");
    let mut c = Client::start(dir.path(), Value::Null);
    // The server asks to be told of config file changes.
    let reg = c.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        reg["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    c.open(&uri, "html", PAGE);
    assert_eq!(codes(&c.diagnostics(&uri)), ["OIE004", "OIE004", "OIE001"]);
    write(dir.path(), "oie-lint.toml", "ignore = [\"OIE004\"]\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&dir.path().join("oie-lint.toml")), "type": 2}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), ["OIE003", "OIE001"]);
    // An invalid config: said to the user, no findings.
    write(dir.path(), "oie-lint.toml", "select = 3\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&dir.path().join("oie-lint.toml")), "type": 2}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), Vec::<String>::new());
    let shown = c.wait_for(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("oie-lint.toml"),
        "{shown}"
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let (dir, _) = project();
    let mut c = Client::start(dir.path(), Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), Some(1));
}

#[test]
fn a_saved_manifest_changes_the_findings_of_the_open_scripts_it_governs() {
    let dir = tempfile::tempdir().unwrap();
    let script = "import OktaSignIn from '@okta/okta-signin-widget';\n\
        const signIn = new OktaSignIn({\n  baseUrl: 'https://example.okta.com',\n  \
        clientId: '0oa1example',\n  redirectUri: 'https://app.example.com/callback'\n});\n";
    let old = r#"{"name": "app", "dependencies": {"@okta/okta-signin-widget": "5.4.0"}}"#;
    let new = r#"{"name": "app", "dependencies": {"@okta/okta-signin-widget": "7.48.2"}}"#;
    write(dir.path(), "src/app.js", script);
    write(dir.path(), "package.json", old);
    let (app, manifest) = (
        uri_of(&dir.path().join("src/app.js")),
        uri_of(&dir.path().join("package.json")),
    );
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&app, "javascript", script);
    let got = c.diagnostics(&app);
    assert_eq!(codes(&got), ["OIE003"]);
    assert!(
        got["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("5.4.0"),
        "{got}"
    );
    c.open(&manifest, "json", old);
    c.diagnostics(&manifest);
    // Edited in the editor, then saved: the script is checked again with
    // the new version (widget 7 runs Identity Engine: no OIE003).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": manifest, "version": 2}, "contentChanges": [{"text": new}]}),
    );
    write(dir.path(), "package.json", new);
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": manifest}}),
    );
    assert_eq!(codes(&c.diagnostics(&app)), Vec::<String>::new());
    // Closed, then changed on disk by another program (a checkout): the
    // watched file. (While it is open, its buffer is the file's text.)
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": manifest}}),
    );
    write(dir.path(), "package.json", old);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": manifest, "type": 2}]}),
    );
    assert_eq!(codes(&c.diagnostics(&app)), ["OIE003"]);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn related_information_points_at_the_manifest_of_a_lockfile_entry_and_the_page_of_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = r#"{"name": "app", "dependencies": {"@okta/okta-signin-widget": "^5.0.0"}}"#;
    let lock = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "dependencies": { "@okta/okta-signin-widget": "^5.0.0" } },
    "node_modules/@okta/okta-signin-widget": {
      "version": "5.4.0"
    }
  }
}
"#;
    write(dir.path(), "package.json", manifest);
    write(dir.path(), "package-lock.json", lock);
    let page = "<html><head>\n<script src=\"https://global.oktacdn.com/okta-signin-widget/5.4.0/js/okta-sign-in.min.js\"></script>\n<script src=\"js/app.js\"></script>\n</head></html>\n";
    let script = "const signIn = new OktaSignIn({\n  baseUrl: 'https://example.okta.com',\n  clientId: '0oa1example',\n  redirectUri: 'https://app.example.com/callback'\n});\n";
    let mut c = Client::start(dir.path(), Value::Null);

    let lock_uri = uri_of(&dir.path().join("package-lock.json"));
    c.open(&lock_uri, "json", lock);
    let got = c.diagnostics(&lock_uri);
    assert_eq!(codes(&got), ["OIE004"]);
    let rel = &got["diagnostics"][0]["relatedInformation"][0];
    assert_eq!(
        rel["location"]["uri"],
        uri_of(&dir.path().join("package.json"))
    );
    let spec_at = manifest.find("^5.0.0").unwrap() as u64;
    assert_eq!(
        rel["location"]["range"]["start"],
        json!({"line": 0, "character": spec_at})
    );
    assert_eq!(
        rel["location"]["range"]["end"],
        json!({"line": 0, "character": spec_at + 6})
    );
    assert!(
        rel["message"]
            .as_str()
            .unwrap()
            .contains("@okta/okta-signin-widget ^5.0.0"),
        "{rel}"
    );

    assert_eq!(c.shutdown(), Some(0));

    // A script without a manifest: the pages that load it set its widget.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pages/index.html", page);
    write(dir.path(), "pages/js/app.js", script);
    let mut c = Client::start(dir.path(), Value::Null);
    let app_uri = uri_of(&dir.path().join("pages/js/app.js"));
    c.open(&app_uri, "javascript", script);
    let got = c.diagnostics(&app_uri);
    assert_eq!(codes(&got), ["OIE003"]);
    let rel = &got["diagnostics"][0]["relatedInformation"];
    assert_eq!(rel.as_array().unwrap().len(), 1, "{got}");
    assert_eq!(
        rel[0]["location"]["uri"],
        uri_of(&dir.path().join("pages/index.html"))
    );
    let src_at = page.lines().nth(2).unwrap().find("app.js").unwrap() as u64;
    assert_eq!(
        rel[0]["location"]["range"]["start"],
        json!({"line": 2, "character": src_at})
    );
    assert!(
        rel[0]["message"].as_str().unwrap().contains("5.4.0"),
        "{rel}"
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let (dir, uri) = project();
    let mut c = Client::start_with(dir.path(), Value::Null, &["utf-8", "utf-16"]);
    assert_eq!(c.position_encoding, "utf-8");
    c.open(&uri, "html", PAGE);
    let got = c.diagnostics(&uri);
    let oie003 = &got["diagnostics"][2];
    assert_eq!(oie003["code"], "OIE003");
    // The byte column of `new OktaSignIn` on its line, past `« connexion » 😀`.
    let line = PAGE.lines().nth(15).unwrap();
    let start = oie003["range"]["start"]["character"].as_u64().unwrap() as usize;
    assert!(line[start..].starts_with("new OktaSignIn("), "{oie003}");
    let end = oie003["range"]["end"]["character"].as_u64().unwrap() as usize;
    assert_eq!(&line[start..end], "new OktaSignIn");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn suppress_in_a_package_json_writes_the_npm_comment_key() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"@okta/okta-signin-widget\": \"5.4.0\"\n  }\n}\n";
    write(dir.path(), "package.json", manifest);
    let uri = uri_of(&dir.path().join("package.json"));
    let mut c = Client::start(dir.path(), Value::Null);
    c.open(&uri, "json", manifest);
    assert_eq!(codes(&c.diagnostics(&uri)), ["OIE004"]);
    let actions = code_actions(&mut c, &uri, 3, Some("quickfix"));
    let s = actions
        .iter()
        .find(|a| a["title"] == "Suppress OIE004 on this line")
        .unwrap_or_else(|| panic!("{actions:?}"));
    let text = apply_edits(manifest, &edits_for(&s["edit"], &uri));
    assert_eq!(
        text,
        "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"//\": \"oie-lint-ignore-next-line OIE004\",\n    \"@okta/okta-signin-widget\": \"5.4.0\"\n  }\n}\n"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri)), Vec::<String>::new());
    assert_eq!(c.shutdown(), Some(0));
}

/// A `didChange` replacing the whole text of `uri` with `text`.
fn replace(c: &mut Client, uri: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

fn close(c: &mut Client, uri: &str) {
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
}

/// The message of the single OIE003 in `got`.
fn oie003_message(got: &Value) -> String {
    assert_eq!(codes(got), ["OIE003"], "{got}");
    got["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .to_string()
}

const WIDGET_SCRIPT: &str = "import OktaSignIn from '@okta/okta-signin-widget';\n\
    const signIn = new OktaSignIn({\n  baseUrl: 'https://example.okta.com',\n  \
    clientId: '0oa1example',\n  redirectUri: 'https://app.example.com/callback'\n});\n";

/// Issue 29: another file's unsaved buffer is what a document is checked
/// against — the manifest and the lockfile that set a script's widget
/// version — and closing the buffer unsaved goes back to the disk's text.
/// Nothing is saved in this test: the files on disk never change.
#[test]
fn unsaved_manifest_and_lockfile_buffers_set_the_widget_version_of_open_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = r#"{"name": "app", "dependencies": {"@okta/okta-signin-widget": "^5.0.0"}}"#;
    let lock = |v: &str| {
        format!(
            r#"{{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {{
    "": {{ "name": "app", "dependencies": {{ "@okta/okta-signin-widget": "^5.0.0" }} }},
    "node_modules/@okta/okta-signin-widget": {{ "version": "{v}" }}
  }}
}}
"#
        )
    };
    write(dir.path(), "package.json", manifest);
    write(dir.path(), "package-lock.json", lock("5.4.0"));
    write(dir.path(), "src/app.js", WIDGET_SCRIPT);
    let app = uri_of(&dir.path().join("src/app.js"));
    let lock_uri = uri_of(&dir.path().join("package-lock.json"));
    let manifest_uri = uri_of(&dir.path().join("package.json"));
    let mut c = Client::start(dir.path(), json!({"debounceMs": 0}));
    c.open(&app, "javascript", WIDGET_SCRIPT);
    assert!(oie003_message(&c.diagnostics(&app)).contains("5.4.0"));

    // The lockfile's buffer pins 5.9.0: the script says so, unsaved.
    c.open(&lock_uri, "json", &lock("5.4.0"));
    c.diagnostics(&lock_uri);
    replace(&mut c, &lock_uri, 2, &lock("5.9.0"));
    let got = c.diagnostics(&app);
    assert!(oie003_message(&got).contains("5.9.0"), "{got}");
    // Widget 7 runs Identity Engine: no OIE003.
    replace(&mut c, &lock_uri, 3, &lock("7.48.2"));
    assert_eq!(codes(&c.diagnostics(&app)), Vec::<String>::new());
    // Closed without saving: the disk's 5.4.0 again.
    close(&mut c, &lock_uri);
    assert!(oie003_message(&c.diagnostics(&app)).contains("5.4.0"));

    // The manifest's buffer drops the widget (no lockfile entry resolves
    // it any more): the version is unknown.
    c.open(&manifest_uri, "json", manifest);
    c.diagnostics(&manifest_uri);
    replace(&mut c, &manifest_uri, 2, r#"{"name": "app"}"#);
    let got = c.diagnostics(&app);
    assert!(
        oie003_message(&got).contains("widget version unknown"),
        "{got}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("package.json")).unwrap(),
        manifest
    );
    assert_eq!(c.shutdown(), Some(0));
}

/// Issue 29: a script without a manifest runs the widget its pages load;
/// the page's unsaved buffer is what counts, and a page that exists only
/// in the editor (never saved) is one of its pages too.
#[test]
fn unsaved_page_buffers_set_the_widget_of_the_scripts_they_load() {
    let dir = tempfile::tempdir().unwrap();
    let page = |v: &str| {
        format!("<html><head>\n<script src=\"https://global.oktacdn.com/okta-signin-widget/{v}/js/okta-sign-in.min.js\"></script>\n<script src=\"js/app.js\"></script>\n</head></html>\n")
    };
    let script = "const signIn = new OktaSignIn({\n  baseUrl: 'https://example.okta.com',\n  clientId: '0oa1example',\n  redirectUri: 'https://app.example.com/callback'\n});\n";
    write(dir.path(), "pages/index.html", page("5.4.0"));
    write(dir.path(), "pages/js/app.js", script);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let app = uri_of(&dir.path().join("pages/js/app.js"));
    let index = uri_of(&dir.path().join("pages/index.html"));
    let mut c = Client::start(dir.path(), json!({"debounceMs": 0}));
    c.open(&app, "javascript", script);
    assert!(oie003_message(&c.diagnostics(&app)).contains("5.4.0"));

    c.open(&index, "html", &page("5.4.0"));
    c.diagnostics(&index);
    replace(&mut c, &index, 2, &page("7.48.2"));
    assert_eq!(codes(&c.diagnostics(&index)), Vec::<String>::new());
    assert_eq!(codes(&c.diagnostics(&app)), Vec::<String>::new());
    // The page stops loading the script: no page sets its widget now.
    replace(
        &mut c,
        &index,
        3,
        &page("7.48.2").replace("js/app.js", "js/other.js"),
    );
    let got = c.diagnostics(&app);
    assert!(
        oie003_message(&got).contains("widget version unknown"),
        "{got}"
    );

    // A second page, new and unsaved, loads the script with widget 5.9.0.
    let second = uri_of(&dir.path().join("pages/second.html"));
    c.open(&second, "html", &page("5.9.0"));
    c.diagnostics(&second);
    let got = c.diagnostics(&app);
    assert!(oie003_message(&got).contains("5.9.0"), "{got}");
    let rel = &got["diagnostics"][0]["relatedInformation"][0];
    assert_eq!(rel["location"]["uri"], second, "{got}");
    // Closed unsaved: the page is gone, and index.html on disk loads 5.4.0.
    close(&mut c, &second);
    close(&mut c, &index);
    let mut last = c.diagnostics(&app);
    while !oie003_message(&last).contains("5.4.0") {
        last = c.diagnostics(&app);
    }
    assert!(!dir.path().join("pages/second.html").exists());
    assert_eq!(c.shutdown(), Some(0));
}

/// Issue 29: the module a widget config is imported from is read from its
/// buffer, and an edit there re-checks the file that imports it; opening
/// the importer re-checks the module as the widget's config.
#[test]
fn an_imported_config_module_is_read_from_its_buffer_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "package.json",
        r#"{"name": "app", "dependencies": {"@okta/okta-signin-widget": "5.4.0"}}"#,
    );
    let module = "module.exports = {\n  widget: {\n    baseUrl: 'https://example.okta.com',\n    clientId: '0oa1example',\n    redirectUri: 'https://app.example.com/callback',\n    features: { registration: true, selfServiceUnlock: true },\n  },\n};\n";
    let login = "var OktaSignIn = require('@okta/okta-signin-widget');\nvar cfg = require('./a-config');\nvar signIn = new OktaSignIn(cfg.widget);\nsignIn.showSignInToGetTokens({ el: '#w' });\n";
    write(dir.path(), "src/a-config.js", module);
    write(dir.path(), "src/login.js", login);
    let (module_uri, login_uri) = (
        uri_of(&dir.path().join("src/a-config.js")),
        uri_of(&dir.path().join("src/login.js")),
    );
    let mut c = Client::start(
        dir.path(),
        json!({"debounceMs": 0, "extendSelect": ["OIE009"]}),
    );
    // Alone, the module is not known to be a config: silent.
    c.open(&module_uri, "javascript", module);
    assert_eq!(codes(&c.diagnostics(&module_uri)), Vec::<String>::new());
    // The importer: OIE003 (the config it imports has no opt-in), and the
    // module is checked again as its config (OIE009 on `registration`).
    c.open(&login_uri, "javascript", login);
    let got = c.diagnostics(&login_uri);
    assert!(oie003_message(&got).contains("a-config.js"), "{got}");
    let got = c.diagnostics(&module_uri);
    assert!(codes(&got).contains(&"OIE009".to_string()), "{got}");
    // The module's buffer opts in: the importer's OIE003 goes, unsaved.
    let opted = module.replace(
        "    features:",
        "    useInteractionCodeFlow: true,\n    features:",
    );
    replace(&mut c, &module_uri, 2, &opted);
    c.diagnostics(&module_uri);
    assert_eq!(codes(&c.diagnostics(&login_uri)), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/a-config.js")).unwrap(),
        module
    );
    assert_eq!(c.shutdown(), Some(0));
}

/// Issue 29: an open config file's unsaved buffer governs the documents
/// below it.
#[test]
fn an_unsaved_config_buffer_governs_the_open_documents() {
    let (dir, uri) = project();
    write(dir.path(), "oie-lint.toml", "ignore = []\n");
    let config = uri_of(&dir.path().join("oie-lint.toml"));
    let mut c = Client::start(dir.path(), json!({"debounceMs": 0}));
    c.open(&uri, "html", PAGE);
    assert_eq!(
        codes(&c.diagnostics(&uri)),
        ["OIE004", "OIE004", "OIE003", "OIE001"]
    );
    c.open(&config, "toml", "ignore = []\n");
    replace(&mut c, &config, 2, "ignore = [\"OIE004\"]\n");
    assert_eq!(codes(&c.diagnostics(&uri)), ["OIE003", "OIE001"]);
    close(&mut c, &config);
    assert_eq!(
        codes(&c.diagnostics(&uri)),
        ["OIE004", "OIE004", "OIE003", "OIE001"]
    );
    assert_eq!(c.shutdown(), Some(0));
}

/// A script long enough that checking it takes the server a while (the
/// messages sent meanwhile wait in its queue): `n` widgets with findings.
fn slow_script(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "const signIn{i} = new OktaSignIn({{\n  baseUrl: 'https://example.okta.com',\n  clientId: '0oa1example',\n  redirectUri: 'https://app.example.com/callback'\n}});\nsignIn{i}.renderEl({{ el: '#w' }}, function (res) {{ if (res.status === 'SUCCESS') {{ res.session.setCookieAndRedirect('/app'); }} }});\n"
            )
        })
        .collect()
}

/// Issue 29: `$/cancelRequest` for a request not answered yet gets it
/// answered with RequestCancelled (-32800); other requests are answered;
/// and a document's diagnostics are published for its newest version only
/// (a version with a newer change waiting is neither checked nor sent).
/// Every message below is written while the server checks the big script
/// it was opened with, so they wait in its queue together.
#[test]
fn cancelled_requests_and_superseded_versions() {
    let dir = tempfile::tempdir().unwrap();
    let big = slow_script(150);
    write(dir.path(), "big.js", &big);
    write(dir.path(), "small.js", WIDGET_SCRIPT);
    let (big_uri, small) = (
        uri_of(&dir.path().join("big.js")),
        uri_of(&dir.path().join("small.js")),
    );
    let mut c = Client::start(dir.path(), json!({"debounceMs": 0}));
    c.open(&big_uri, "javascript", &big);
    let big2 = big.replacen("'/app'", "'/home'", 1);
    replace(&mut c, &big_uri, 2, &big2);
    let at_finding = json!({"line": 5, "character": 105});
    let cancelled = c.send_request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": big_uri},
               "range": {"start": at_finding, "end": at_finding},
               "context": {"diagnostics": []}}),
    );
    c.notify("$/cancelRequest", json!({"id": cancelled}));
    let kept = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": big_uri}, "position": at_finding}),
    );
    c.open(&small, "javascript", WIDGET_SCRIPT);
    let small2 = WIDGET_SCRIPT.replace("clientId", "client_id");
    let small3 = WIDGET_SCRIPT.replace("0oa1example", "0oa2example");
    replace(&mut c, &small, 2, &small2);
    replace(&mut c, &small, 3, &small3);

    let r = c.response(cancelled);
    assert_eq!(r["error"]["code"], -32800, "{r}");
    assert!(r.get("result").is_none(), "{r}");
    let r = c.response(kept);
    assert!(r.get("error").is_none(), "{r}");
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("OIE001"),
        "{r}"
    );
    // The first diagnostics of each document are of its last version.
    let got = c.diagnostics(&big_uri);
    assert_eq!(got["version"], 2, "{got}");
    let got = c.diagnostics(&small);
    assert_eq!(got["version"], 3, "{got}");
    assert_eq!(codes(&got), ["OIE003"]);
    // A cancellation of a request already answered changes nothing.
    c.notify("$/cancelRequest", json!({"id": kept}));
    let again = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": big_uri}, "position": at_finding}),
    );
    assert!(!again.is_null());
    assert_eq!(c.shutdown(), Some(0));
}
