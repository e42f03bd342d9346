//! The renderEl migrations: when they are safe, unsafe, or not offered.

use oie_lint::diagnostic::{Applicability, Diagnostic};
use oie_lint::fix::apply::fix_file;
use oie_lint::linter::Linter;
use oie_lint::rules::{Registry, RuleSet};
use oie_lint::settings::Settings;
use oie_lint::source::{FileKind, SourceFile};
use oie_lint::versions::Thresholds;

/// Lints `text` as `name` in a fresh directory (with optional extra files)
/// and returns the diagnostics and the text after all fixes.
fn run(name: &str, text: &str, files: &[(&str, &str)]) -> (Vec<Diagnostic>, String) {
    let dir = tempfile::tempdir().unwrap();
    for (n, t) in files {
        std::fs::write(dir.path().join(n), t).unwrap();
    }
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let reg = Registry::get();
    let settings = Settings::new(RuleSet::all(reg), Thresholds::default());
    let linter = Linter::new(settings, dir.path().to_path_buf()).unwrap();
    let file = SourceFile {
        kind: FileKind::from_path(&path).unwrap(),
        path,
        display: name.into(),
        text: text.into(),
    };
    let diags = linter.lint(&file).diagnostics;
    let fixed = fix_file(&linter, &file, true).text;
    (diags, fixed)
}

fn fixes(diags: &[Diagnostic]) -> Vec<(&str, Applicability, &str)> {
    diags
        .iter()
        .filter_map(|d| {
            d.fix
                .as_ref()
                .map(|f| (d.code, f.applicability, f.description.as_str()))
        })
        .collect()
}

fn hosted(callback: &str) -> String {
    format!(
        "{{{{{{OktaUtil}}}}}}\n<script>\n  var config = OktaUtil.getSignInWidgetConfig();\n  var w = new OktaSignIn(config);\n  w.renderEl({{ el: '#c' }}, {callback}, function (e) {{ console.log(e); }});\n</script>\n"
    )
}

#[test]
fn hosted_session_cookie_redirect_is_the_classic_thing() {
    let cb = "function (res) {\n    if (res.status === 'SUCCESS') {\n      window.location.href = '/login/sessionCookieRedirect?token=' + res.sessionToken + '&redirectUrl=/app';\n    }\n  }";
    let (diags, fixed) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0, f[0].1), ("OIE002", Applicability::Safe));
    assert!(
        fixed.contains("w.renderEl({ el: '#c' }, OktaUtil.completeLogin, function (e)"),
        "{fixed}"
    );
    assert!(fixed.starts_with("{{{OktaUtil}}}\n"));
}

#[test]
fn hosted_custom_logic_is_unsafe_and_named() {
    let cb = "function (res) {\n    analytics.track('login');\n    res.session.setCookieAndRedirect('/app');\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].1, Applicability::Unsafe);
    assert!(
        f[0].2
            .contains("removes custom logic: `analytics.track('login');`"),
        "{}",
        f[0].2
    );
}

#[test]
fn only_one_finding_per_callback_carries_the_fix() {
    let cb = "function (res) {\n    res.session.setCookieAndRedirect('/a');\n    res.session.setCookieAndRedirect('/b');\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    assert_eq!(diags.iter().filter(|d| d.code == "OIE001").count(), 2);
    assert_eq!(fixes(&diags).len(), 1);
}

#[test]
fn embedded_callbacks_that_need_more_of_the_result_get_no_fix() {
    // `res.user` has no equivalent in the tokens.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  greet(res.user.profile.login);\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(diags.iter().any(|d| d.code == "OIE001"));
    assert!(fixes(&diags).is_empty());
    assert_eq!(fixed, js);
    // A replaced declaration would leave its uses dangling.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  const url = '/authorize?sessionToken=' + res.sessionToken;\n  window.location = url;\n});\n";
    let (diags, _) = run("a.js", js, &[]);
    assert!(diags.iter().any(|d| d.code == "OIE002"));
    assert!(fixes(&diags).is_empty());
    // A status other than SUCCESS.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  if (res.status === 'FORGOT_PASSWORD_EMAIL_SENT') { note(); }\n  res.session.setCookieAndRedirect('/app');\n});\n";
    assert!(fixes(&run("a.js", js, &[]).0).is_empty());
}

#[test]
fn embedded_arrow_expression_body_becomes_a_block() {
    let js = "// okta\nw.renderEl({ el: '#a' }, res => res.session.setCookieAndRedirect('/app'), err => fail(err));\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(tokens => {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n}).catch(err => fail(err));\n"
    );
}

#[test]
fn show_sign_in_for_widget_5_5_when_no_session_is_read() {
    let js = "import OktaSignIn from '@okta/okta-signin-widget';\nw.renderEl({ el: '#a' }, function (res) {\n  helpers.setCookieAndRedirect(res.tokens);\n}, onError);\n";
    let pkg = r#"{ "dependencies": { "@okta/okta-signin-widget": "^5.5.0" } }"#;
    let (diags, _) = run("a.js", js, &[("package.json", pkg)]);
    let f = fixes(&diags);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].2
            .contains("showSignIn(options).then(success).catch(error)"),
        "{}",
        f[0].2
    );
    let d = diags.iter().find(|d| d.fix.is_some()).unwrap();
    let text = js.to_string();
    let out = oie_lint::fix::apply::apply_edits(&text, &d.fix.as_ref().unwrap().edits);
    assert_eq!(
        out,
        "import OktaSignIn from '@okta/okta-signin-widget';\nw.showSignIn({ el: '#a' }).then(function (res) {\n  helpers.setCookieAndRedirect(res.tokens);\n}).catch(onError);\n"
    );
    // Below 5.5 (or unknown) the tokens rewrite is offered instead.
    let pkg = r#"{ "dependencies": { "@okta/okta-signin-widget": "^5.4.0" } }"#;
    let (diags, _) = run("a.js", js, &[("package.json", pkg)]);
    assert!(fixes(&diags)[0].2.contains("showSignInToGetTokens"));
}

#[test]
fn oie003_fix_is_safe_and_oie004_unsafe() {
    let js = "var w = new OktaSignIn({ clientId: id });\nload('https://global.oktacdn.com/okta-signin-widget/5.0.1/js/okta-sign-in.min.js');\n";
    let (diags, _) = run("a.js", js, &[]);
    let f = fixes(&diags);
    assert!(
        f.iter()
            .any(|x| x.0 == "OIE003" && x.1 == Applicability::Safe),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|x| x.0 == "OIE004" && x.1 == Applicability::Unsafe),
        "{f:?}"
    );
}

#[test]
fn hosted_callback_with_a_placeholder_is_unsafe_but_template_comments_are_not_placeholders() {
    let cb = "function (res) {\n    res.session.setCookieAndRedirect('{{redirectUrl}}');\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags);
    assert_eq!(f[0].1, Applicability::Unsafe);
    assert!(
        f[0].2.contains("template placeholders inside the callback"),
        "{}",
        f[0].2
    );
    let cb = "function (res) {\n    {{! the classic redirect }}\n    res.session.setCookieAndRedirect(config.redirectUri);\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    assert_eq!(fixes(&diags)[0].1, Applicability::Safe);
}

#[test]
fn arguments_on_their_own_lines_keep_the_chain_readable() {
    let js = "// okta\nw.renderEl(\n  { el: '#a' },\n  function (res) {\n    res.session.setCookieAndRedirect('/app');\n  },\n  function (err) { fail(err); }\n);\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n    w.authClient.tokenManager.setTokens(tokens);\n    w.remove();\n  }).catch(function (err) { fail(err); });\n"
    );
}
