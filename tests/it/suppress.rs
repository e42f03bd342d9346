//! Inline suppressions in every comment syntax, through the CLI.
use assert_cmd::Command;
use std::fs;
use std::path::Path;

const OKTA: &str = "import OktaSignIn from '@okta/okta-signin-widget';\n";
const CDN_OLD: &str = "https://global.oktacdn.com/okta-signin-widget/5.0.0/js/okta-sign-in.min.js";

/// `(path:line:col CODE)` of every finding, sorted as reported.
fn findings(files: &[(&str, &str)], args: &[&str]) -> Vec<String> {
    let d = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = d.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    run(d.path(), args)
}

fn run(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains(": OIE"))
        .map(|l| {
            let (pos, rest) = l.split_once(": ").unwrap();
            format!("{pos} {}", rest.split_whitespace().next().unwrap())
        })
        .collect()
}

fn js(body: &str) -> String {
    format!("{OKTA}{body}")
}

#[test]
fn same_line_and_next_line_in_js() {
    let code = js(
        "const a = res.sessionToken; // oie-lint-ignore OIE002 -- legacy\n\
                   // oie-lint-ignore OIE002\n\
                   const b = res.sessionToken;\n\
                   /* oie-lint-ignore-next-line session-token */ const c = res.sessionToken;\n\
                   const d = res.sessionToken;\n\
                   const e = /* oie-lint-ignore */ res.sessionToken;\n",
    );
    // Line 2: trailing; 3 alone → line 4; 5: next-line → line 6, not its own line; 7: leading inline.
    assert_eq!(findings(&[("a.js", &code)], &[]), ["a.js:5:61 OIE002"]);
}

#[test]
fn codes_slugs_prefixes_and_several_codes() {
    let code = js("const a = res.sessionToken; // oie-lint-ignore OIE00\n\
                   const b = res.sessionToken; // oie-lint-ignore OIE001, session-token OIE004 -- three\n\
                   const c = res.sessionToken; // oie-lint-ignore: OIE001\n");
    assert_eq!(
        findings(&[("a.js", &code)], &[]),
        ["a.js:3:29 OIE900", "a.js:4:15 OIE002", "a.js:4:29 OIE900"]
    );
}

#[test]
fn start_end_blocks_and_file() {
    let code = js("// oie-lint-ignore-start OIE002 -- Authn flow until Q3\n\
                   const a = res.sessionToken;\n\
                   const b = res.sessionToken;\n\
                   // oie-lint-ignore-end OIE002\n\
                   const c = res.sessionToken;\n");
    assert_eq!(findings(&[("a.js", &code)], &[]), ["a.js:6:15 OIE002"]);
    let file = js("const a = res.sessionToken;\n// oie-lint-ignore-file session-token\nconst b = res.sessionToken;\n");
    assert!(findings(&[("a.js", &file)], &[]).is_empty());
    // Unclosed start: still applies to the end of the file, and is reported.
    let open = js("/* oie-lint-ignore-start */\nconst a = res.sessionToken;\n");
    assert_eq!(findings(&[("a.js", &open)], &[]), ["a.js:2:1 OIE901"]);
    let stray = js("const a = 1; // oie-lint-ignore-end OIE002\n");
    assert_eq!(findings(&[("a.js", &stray)], &[]), ["a.js:2:14 OIE901"]);
}

#[test]
fn markers_in_strings_and_prose_do_not_count() {
    let code = js("const s = '// oie-lint-ignore-file';\n\
                   const t = `<!-- oie-lint-ignore-file -->`;\n\
                   // Do not add oie-lint-ignore here.\n\
                   const a = res.sessionToken;\n");
    assert_eq!(findings(&[("a.js", &code)], &[]), ["a.js:5:15 OIE002"]);
}

#[test]
fn unknown_codes_and_directives_are_reported() {
    let code = js(
        "const a = res.sessionToken; // oie-lint-ignore OIE0002 session-token\n\
                   // oie-lint-ignore-nextline OIE002\n\
                   const b = 1; // oie-lint-ignore OIE900\n",
    );
    assert_eq!(
        findings(&[("a.js", &code)], &[]),
        ["a.js:2:48 OIE901", "a.js:3:4 OIE901", "a.js:4:33 OIE901"]
    );
}

#[test]
fn tsx_jsx_comment() {
    let code = js("export const App = () => (\n  <div>\n    {/* oie-lint-ignore-next-line OIE002 */}\n    <Login token={res.sessionToken} />\n    <Login token={res.sessionToken} />\n  </div>\n);\n");
    assert_eq!(findings(&[("a.tsx", &code)], &[]), ["a.tsx:6:23 OIE002"]);
}

#[test]
fn html_comments_and_script_comments() {
    let html = format!(
        "<!-- oie-lint-ignore-next-line OIE004 -- pinned until Q3 -->\n\
         <script src=\"{CDN_OLD}\"></script>\n\
         <script src=\"{CDN_OLD}\"></script> <!-- oie-lint-ignore widget-version-too-old -->\n\
         <script src=\"{CDN_OLD}\"></script>\n\
         <script>\n  // oie-lint-ignore-next-line OIE004\n  var u = \"{CDN_OLD}\";\n  var v = \"<!-- oie-lint-ignore-file -->\";\n</script>\n"
    );
    assert_eq!(
        findings(&[("login.html", &html)], &[]),
        ["login.html:4:60 OIE004"]
    );
}

#[test]
fn handlebars_comments() {
    let page = format!("{{{{!-- oie-lint-ignore-next-line OIE004 -- hosted page --}}}}\n<script src=\"{CDN_OLD}\"></script>\n<script src=\"{CDN_OLD}\"></script>\n");
    assert_eq!(
        findings(&[("login.hbs", &page)], &[]),
        ["login.hbs:3:60 OIE004"]
    );
    let file =
        format!("<script src=\"{CDN_OLD}\"></script>\n{{{{! oie-lint-ignore-file OIE004 }}}}\n");
    assert!(findings(&[("login.html", &file)], &[]).is_empty());
    // In Vue, `{{! … }}` is an expression, not a comment.
    let vue = format!("<template><p>{{{{! oie-lint-ignore-file }}}}</p></template>\n<script>\nconst u = \"{CDN_OLD}\";\n</script>\n");
    assert_eq!(findings(&[("a.vue", &vue)], &[]), ["a.vue:3:58 OIE004"]);
}

#[test]
fn package_json_comment_keys() {
    let pkg = "{\n  \"dependencies\": {\n    \"//\": \"oie-lint-ignore-next-line OIE004 -- upgrade tracked in JIRA-1\",\n    \"@okta/okta-signin-widget\": \"^4.0.0\"\n  },\n  \"devDependencies\": {\n    \"@okta/okta-signin-widget\": \"^4.0.0\"\n  },\n  \"description\": \"oie-lint-ignore-file\"\n}\n";
    assert_eq!(
        findings(&[("package.json", pkg)], &[]),
        ["package.json:7:34 OIE004"]
    );
    let all = "{\n  \"//\": [\"build notes\", \"oie-lint-ignore-file OIE004\"],\n  \"dependencies\": { \"@okta/okta-signin-widget\": \"4.0.0\" }\n}\n";
    assert!(findings(&[("package.json", all)], &[]).is_empty());
}

#[test]
fn unused_reports_respect_rule_selection_and_config() {
    let code = js("const a = 1; // oie-lint-ignore OIE002\n");
    assert_eq!(findings(&[("a.js", &code)], &[]), ["a.js:2:14 OIE900"]);
    // A disabled rule's marker cannot be judged, so it is not reported.
    assert!(findings(&[("a.js", &code)], &["--ignore", "OIE002"]).is_empty());
    // OIE900 itself can be turned off in the config (not inline).
    assert!(findings(
        &[
            ("a.js", &code),
            ("oie-lint.toml", "ignore = [\"unused-suppression\"]\n")
        ],
        &[]
    )
    .is_empty());
    // Suppressions still work when the reporting rules are off.
    let used = js("const a = res.sessionToken; // oie-lint-ignore OIE002\n");
    assert!(findings(&[("a.js", &used)], &["--ignore", "OIE9"]).is_empty());
}

#[test]
fn suppressed_findings_are_not_fixed() {
    // (OIE004's fix moves every widget URL of a page together, so a page with
    // one suppressed and one reported URL is bumped as a whole.)
    let d = tempfile::tempdir().unwrap();
    let page = format!("<!-- oie-lint-ignore-next-line OIE004 -- pinned -->\n<script src=\"{CDN_OLD}\"></script>\n");
    fs::write(d.path().join("login.html"), &page).unwrap();
    let out = Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(d.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(d.path().join("login.html")).unwrap(),
        page
    );
    // Without the marker the same page is fixed.
    let bare = format!("<script src=\"{CDN_OLD}\"></script>\n");
    fs::write(d.path().join("login.html"), &bare).unwrap();
    Command::cargo_bin("oie-lint")
        .unwrap()
        .current_dir(d.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_ne!(
        fs::read_to_string(d.path().join("login.html")).unwrap(),
        bare
    );
}

/// Stylesheets: CSS block comments, SCSS/LESS `//` comments and the
/// comments of a `<style>` block are comment nodes of the CSS tree; a
/// marker in a CSS string is not a comment.
#[test]
fn css_comments_in_stylesheets_and_style_blocks() {
    let scss = "/* oie-lint-ignore-next-line OIE016 -- Classic pages during the rollout */\n\
                #okta-signin-username { a: b }\n\
                .js-unlock { a: b } /* oie-lint-ignore OIE016 */\n\
                // oie-lint-ignore-next-line OIE016\n\
                .js-help-link { a: b }\n\
                .x::after { content: \"/* oie-lint-ignore-next-line OIE016 */\"; }\n\
                .js-forgot-password { a: b }\n";
    let page = "<style>\n/* oie-lint-ignore-next-line OIE016 */\n#okta-signin-submit { }\n#okta-signin-password { }\n</style>\n";
    assert_eq!(
        findings(&[("a.scss", scss), ("p.html", page)], &[]),
        ["a.scss:7:1 OIE016", "p.html:4:1 OIE016"]
    );
}
