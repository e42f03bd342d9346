//! The input kinds issue 26 added, read with exact positions: ASP.NET Web
//! Forms pages (BOM, CRLF, `<% %>` tags in scripts and attributes).

use crate::common::lint_file;
use oie_lint::diagnostic::Diagnostic;

/// `(line, column, code)` of every finding, sorted.
fn at(diags: &[Diagnostic]) -> Vec<(usize, usize, &'static str)> {
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| (d.start.line, d.start.column, d.code))
        .collect();
    v.sort();
    v
}

fn lint(name: &str, text: &str) -> Vec<Diagnostic> {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(name), text).unwrap();
    lint_file(d.path(), name)
}

/// A Web Forms page with a BOM and CRLF line ends: the CDN URL, a finding
/// after `<%: %>`, `<%# %>` and `<%$ %>` values on the same line, and a
/// `<script runat="server">` whose C# mentions `sessionToken` (silent).
#[test]
fn web_forms_page_positions_in_bom_crlf() {
    let page = "\u{feff}<%@ Page Language=\"C#\" CodeBehind=\"Login.aspx.cs\" %>\r\n\
<script src=\"https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js\"></script>\r\n\
<script type=\"text/javascript\">\r\n\
  var s = new OktaSignIn({ baseUrl: '<%: Domain %>', language: <%# Eval(\"L\") %>, logo: <%$ AppSettings:logo %> });\r\n\
  s.renderEl({ el: '#w' }, function (res) { var é = <%: X %>; res.session.setCookieAndRedirect('<%= Url %>'); });\r\n\
</script>\r\n\
<script runat=\"server\">\r\n\
  void Page_Load() { var t = Request.Form[\"sessionToken\"]; }\r\n\
</script>\r\n";
    for name in ["Login.aspx", "Widget.ascx", "Site.Master"] {
        let diags = lint(name, page);
        assert_eq!(
            at(&diags),
            vec![(2, 60, "OIE004"), (5, 73, "OIE001")],
            "{name}: {diags:#?}"
        );
    }
    // The same page read as a `.cshtml` (no Web Forms syntax): `<%#` is a
    // comment there, so the config no longer parses as one object, yet the
    // runat="server" block is still skipped.
    let diags = lint("Login.cshtml", page);
    assert!(diags.iter().all(|d| d.code != "OIE002"), "{diags:#?}");
}

/// OIE021 on `@import` of the 2.x theme: in a stylesheet with a BOM and
/// CRLF line ends, and in a `<style>` block of a CR-only page; the
/// position is the imported URL's, comments stay silent.
#[test]
fn theme_imports_from_css_positions() {
    let scss = "\u{feff}/* @import 'okta-theme.css'; */\r\n@import url(https://ok1static.oktacdn.com/assets/js/sdk/okta-signin-widget/2.6.0/css/okta-theme.css);\r\n.é { a: b }\r\n  @import '~@okta/okta-signin-widget/dist/css/okta-theme';\r\n";
    assert_eq!(
        at(&lint("login.scss", scss)),
        vec![(2, 13, "OIE021"), (4, 12, "OIE021")]
    );
    let page = "<html>\r<style>\r  .é { a: b } @import \"css/okta-theme.css\";\r</style>\r<script>var s = new OktaSignIn({});</script>\r</html>\r";
    assert_eq!(at(&lint("login.html", page)), vec![(3, 24, "OIE021")]);
}

/// OIE004 on the CDN URLs of settings files: a BOM + CRLF
/// `appsettings.json` with JSONC comments, a CR-only YAML file with a
/// commented-out URL and a suppression marker; the position is the version
/// inside the URL.
#[test]
fn settings_file_widget_urls_positions() {
    let json = "\u{feff}{\r\n  // \"WidgetJs\": \"https://global.oktacdn.com/okta-signin-widget/2.6.0/js/okta-sign-in.min.js\",\r\n  \"Okta\": { \"É\": 1, \"WidgetJs\": \"https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js\" }\r\n}\r\n";
    assert_eq!(
        at(&lint("appsettings.Development.json", json)),
        vec![(3, 80, "OIE004")]
    );
    let yaml = "okta:\r  # js: https://global.oktacdn.com/okta-signin-widget/2.6.0/js/okta-sign-in.min.js\r  js: 'https://global.oktacdn.com/okta-signin-widget/4.5.0/js/okta-sign-in.min.js'\r  # oie-lint-ignore-next-line OIE004\r  css: https://global.oktacdn.com/okta-signin-widget/4.5.0/css/okta-sign-in.min.css\r";
    assert_eq!(at(&lint("values.yml", yaml)), vec![(3, 54, "OIE004")]);
    // The same text in a JSON file that is not a settings file is not read.
    assert!(oie_lint::source::FileKind::from_path(std::path::Path::new("data.json")).is_none());
}

/// A Pug page with a BOM and CRLF line ends: a `script(src=…)` URL, a
/// `script.` block whose `#{…}` interpolation precedes the finding on its
/// line, and a `//-` comment holding a suppression marker for the next line.
#[test]
fn pug_page_positions_in_bom_crlf() {
    let page = "\u{feff}html\r\n  head\r\n    script(src=\"https://global.oktacdn.com/okta-signin-widget/4.5.0/js/okta-sign-in.min.js\")\r\n    //- oie-lint-ignore-next-line OIE004 -- print view, retired in Q3\r\n    link(rel='stylesheet', href='https://global.oktacdn.com/okta-signin-widget/4.5.0/css/okta-sign-in.min.css')\r\n  body\r\n    script.\r\n      var w = new OktaSignIn({ baseUrl: '#{org}' });\r\n      w.renderEl({}, function (res) { var é = #{n}; res.session.setCookieAndRedirect('#{u}'); });\r\n";
    for name in ["login.pug", "login.jade"] {
        let diags = lint(name, page);
        assert_eq!(
            at(&diags),
            vec![(3, 63, "OIE004"), (9, 65, "OIE001")],
            "{name}: {diags:#?}"
        );
    }
}

/// Issue 26: a widget config declared in a module that never names the
/// widget, handed to `new OktaSignIn` by another file, is read by the
/// catalog's config rules, whichever file the parallel walk checks first
/// (`a-config.js` sorts before the widget file, so with one thread the
/// module is checked before anything says it is a config, and is checked
/// again at the end of the run). `--diff` shows the module's fix once;
/// `--fix` writes it; the run's other objects stay silent.
#[test]
fn a_config_module_imported_by_a_widget_file_is_read_as_the_widget_config() {
    use crate::common::{oie, write};
    let dir = tempfile::tempdir().unwrap();
    let module = "module.exports = {\n  widget: {\n    baseUrl: 'https://example.okta.com',\n    features: { registration: true, selfServiceUnlock: true },\n  },\n  // The app's own switches.\n  features: { registration: true, selfServiceUnlock: true },\n};\n";
    write(dir.path(), "src/a-config.js", module);
    write(
        dir.path(),
        "src/z-login.js",
        "var OktaSignIn = require('@okta/okta-signin-widget');\nvar cfg = require('./a-config');\nvar signIn = new OktaSignIn(cfg.widget);\nsignIn.showSignInToGetTokens({ el: '#w' });\n",
    );
    // `oie-lint check ARGS` in the temporary repository.
    let check = |args: &[&str]| {
        oie()
            .current_dir(dir.path())
            .arg("check")
            .args(args)
            .output()
            .unwrap()
    };
    for threads in ["1", "2"] {
        let out = check(&[
            "--select",
            "OIE009,OIE026",
            "--format",
            "concise",
            "-j",
            threads,
            "src",
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("src/")).collect();
        assert_eq!(lines.len(), 2, "-j {threads}:\n{stdout}");
        assert!(
            lines[0].starts_with("src/a-config.js:4:17: OIE026"),
            "{stdout}"
        );
        assert!(
            lines[1].starts_with("src/a-config.js:4:37: OIE009"),
            "{stdout}"
        );
    }
    // Alone, the module is not known to be a config: silent.
    let alone = check(&[
        "--select",
        "OIE009,OIE026",
        "--format",
        "concise",
        "src/a-config.js",
    ]);
    assert!(
        alone.status.success(),
        "{}",
        String::from_utf8_lossy(&alone.stdout)
    );

    let diff = check(&[
        "--select",
        "OIE009",
        "--diff",
        "--unsafe-fixes",
        "-j",
        "1",
        "src",
    ]);
    let diff = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.matches("--- a/src/a-config.js").count(), 1, "{diff}");
    assert_eq!(
        diff.matches("-    features: { registration: true, selfServiceUnlock: true },")
            .count(),
        1,
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/a-config.js")).unwrap(),
        module
    );

    let fix = check(&[
        "--select",
        "OIE009",
        "--fix",
        "--unsafe-fixes",
        "-j",
        "1",
        "src",
    ]);
    assert!(
        fix.status.success(),
        "{}",
        String::from_utf8_lossy(&fix.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("src/a-config.js")).unwrap(),
        module.replacen(
            "registration: true, selfServiceUnlock: true }",
            "registration: true }",
            1
        )
    );
}
