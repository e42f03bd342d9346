//! Server code (Java, C#, Python, PHP, Go, Ruby), read for OIE027 (issue
//! 26): exact positions through a BOM and CRLF line ends, the prefilter
//! that keeps files without a trigger word unparsed, other rules never
//! reading server files, and `--extension` / the config's `extension`
//! table mapping an unknown extension to a server language.

use crate::common::{default_settings, lint_file, oie, write};
use oie_lint::linter::Linter;
use oie_lint::source::{FileKind, ServerLang, SourceFile};
use std::path::Path;

fn at(diags: &[oie_lint::diagnostic::Diagnostic]) -> Vec<(usize, usize, usize, &'static str)> {
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| (d.start.line, d.start.column, d.end.column, d.code))
        .collect();
    v.sort();
    v
}

fn lint(name: &str, text: &str) -> Vec<oie_lint::diagnostic::Diagnostic> {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), name, text);
    lint_file(d.path(), name)
}

/// C# with a BOM, CRLF line ends and a non-ASCII character before the
/// finding: the positions are the path's own (columns in characters; the
/// lines have no indentation).
#[test]
fn csharp_positions_in_bom_crlf() {
    let cs = "\u{feff}// Sign-in for the café's staff\r\n\
public class A {\r\n\
  async Task Go() {\r\n\
    var é = 1; var r = await _http.PostAsync($\"{_org}/api/v1/authn\", body);\r\n\
    return Redirect(_org + \"/login/sessionCookieRedirect?token=\" + t);\r\n\
  }\r\n\
}\r\n";
    let diags = lint("A.cs", cs);
    assert_eq!(
        at(&diags),
        vec![(4, 50, 63, "OIE027"), (5, 25, 53, "OIE027")],
        "{diags:#?}"
    );
}

/// One position check per language, each on a line that also holds a
/// comment mentioning the path (which stays silent).
#[test]
fn every_server_language_reports_at_the_path() {
    let cases: &[(&str, &str, (usize, usize))] = &[
        (
            "Authn.java",
            "class A { void f() { /* /api/v1/authn */ rest.post(org + \"/api/v1/authn\", b); } }\n",
            (1, 59),
        ),
        (
            "authn.py",
            "r = requests.post(f\"{org}/api/v1/authn\", json=b)  # /api/v1/authn\n",
            (1, 26),
        ),
        (
            "authn.php",
            "<?php /* /api/v1/authn */ $r = $c->post(\"$org/api/v1/authn\", $b);\n",
            (1, 46),
        ),
        (
            "authn.go",
            "package a\nfunc f() { http.Post(org+\"/api/v1/authn\", ct, b) } // /api/v1/authn\n",
            (2, 27),
        ),
        (
            "authn.rb",
            "res = HTTParty.post(\"#{org}/api/v1/authn\", body: b) # /api/v1/authn\n",
            (1, 28),
        ),
    ];
    for (name, text, (line, col)) in cases {
        let diags = lint(name, text);
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.start.line, d.start.column))
            .collect();
        assert_eq!(got, vec![(*line, *col)], "{name}: {diags:#?}");
    }
}

/// A server file that names none of the enabled rules' trigger words is
/// never parsed (a literal scan only); one that names another rule's
/// trigger (the widget's, OIE001's) is not parsed for it either: only
/// rules that read server code see server files.
#[test]
fn server_files_are_parsed_only_for_the_rules_that_read_them() {
    let linter = Linter::new(default_settings(), "/nonexistent-oie-lint".into()).unwrap();
    let file = |name: &str, text: &str| SourceFile {
        path: Path::new("/nonexistent-oie-lint").join(name),
        display: name.to_string(),
        text: text.to_string(),
        kind: FileKind::from_path(Path::new(name)).unwrap(),
    };
    assert_eq!(
        FileKind::from_path(Path::new("A.java")),
        Some(FileKind::Server(ServerLang::Java))
    );
    let plain = file(
        "Service.java",
        "class Service { String auth = \"/api/v2/users\"; }\n",
    );
    assert!(!linter.may_fire(plain.text.as_bytes()));
    assert!(!linter.lint(&plain).parsed);
    let widget = file(
        "Page.java",
        "class Page { String js = \"new OktaSignIn({clientId: 'x'}).renderEl({}, function (res) { res.session.setCookieAndRedirect(u); })\"; }\n",
    );
    assert!(linter.may_fire(widget.text.as_bytes()));
    let report = linter.lint(&widget);
    assert!(
        !report.parsed && report.diagnostics.is_empty(),
        "{:?}",
        report.diagnostics
    );
}

/// `--extension` and the config's `extension` table map an unknown
/// extension to a server language (`groovy:java`, `pyw = "python"`), and
/// the server languages are named in the error for an unknown one.
#[test]
fn extensions_map_to_server_languages() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "src/Login.groovy",
        "class Login { def go() { rest.postForObject(org + \"/api/v1/authn\", body, Map) } }\n",
    );
    write(
        d.path(),
        "tools/login.pyw",
        "r = requests.post(ORG + '/api/v1/authn', json=creds)\n",
    );
    let out = oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise", "src"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "not read without a mapping");
    let out = oie()
        .current_dir(d.path())
        .args([
            "check",
            "--format",
            "concise",
            "--extension",
            "groovy:java",
            "src",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A warning: exit 0, the finding printed.
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("src/Login.groovy:1:52: OIE027"), "{stdout}");
    write(d.path(), "oie-lint.toml", "[extension]\npyw = \"python\"\n");
    let out = oie()
        .current_dir(d.path())
        .args(["check", "--format", "concise", "tools"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("tools/login.pyw:1:26: OIE027"), "{stdout}");
    let out = oie()
        .current_dir(d.path())
        .args(["check", "--extension", "kt:kotlin", "src"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("a server language (java, cs, py, go, rb)"),
        "{stderr}"
    );
}

/// No quadratic corner: a Java concatenation of thousands of Authn paths
/// (a left-deep tree as deep as it is long) and a Python file of thousands
/// of redirect lines are read in time linear in their size.
#[test]
fn deep_concatenations_are_linear() {
    let time = |name: &str, text: &str| {
        let start = std::time::Instant::now();
        let n = lint(name, text).len();
        (start.elapsed().as_secs_f64(), n)
    };
    let java = |n: usize| {
        format!(
            "class A {{ String u = org{}; }}\n",
            " + \"/api/v1/authn\"".repeat(n)
        )
    };
    let py = |n: usize| {
        "def f(t):\n".to_string()
            + &"    r = org + '/login/sessionCookieRedirect?token=' + t\n".repeat(n)
    };
    for (name, make) in [
        ("A.java", &java as &dyn Fn(usize) -> String),
        ("a.py", &py as &dyn Fn(usize) -> String),
    ] {
        let (small, n_small) = time(name, &make(500));
        let (big, n_big) = time(name, &make(4000));
        assert_eq!((n_small, n_big), (500, 4000), "{name}");
        assert!(
            big < small * 8.0 * 4.0 + 0.5,
            "{name}: 500 in {small:.3}s, 4000 in {big:.3}s"
        );
    }
}

/// A mapped extension is read with the dialect reader of the language it
/// is mapped to (issue 26): `--extension tmpl:pug` reads Pug (its
/// `script(src=…)` URL and `script.` block), `inc:php` parses the PHP of
/// the page for OIE027 (`x:aspx` is checked in `source::tests`); the
/// config's `extension` table does the same.
#[test]
fn mapped_extensions_use_the_dialect_reader_of_their_language() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "views/login.tmpl",
        "html\n  head\n    script(src=\"https://global.oktacdn.com/okta-signin-widget/4.5.0/js/okta-sign-in.min.js\")\n  body\n    script.\n      w.renderEl({}, function (res) { res.session.setCookieAndRedirect('#{u}'); });\n",
    );
    write(
        d.path(),
        "lib/login.inc",
        "<?php\n$r = $client->post(\"$org/api/v1/authn\", $body);\n",
    );
    let run = |args: &[&str]| {
        let out = oie().current_dir(d.path()).args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let flags = [
        "check",
        "--format",
        "concise",
        "--extension",
        "tmpl:pug,inc:php",
    ];
    let out = run(&flags);
    assert!(out.contains("views/login.tmpl:3:63: OIE004"), "{out}");
    assert!(out.contains("views/login.tmpl:6:51: OIE001"), "{out}");
    assert!(out.contains("lib/login.inc:2:25: OIE027"), "{out}");
    // As HTML only, the Pug page has no `<script>`: nothing found there.
    let plain = run(&[
        "check",
        "--format",
        "concise",
        "--extension",
        "tmpl:html,inc:html",
        "views",
        "lib",
    ]);
    assert!(
        !plain.contains("OIE004") && !plain.contains("OIE027"),
        "{plain}"
    );
    write(d.path(), "oie-lint.toml", "[extension]\ntmpl = \"pug\"\n");
    let out = run(&["check", "--format", "concise", "views"]);
    assert!(out.contains("views/login.tmpl:3:63: OIE004"), "{out}");
}
