//! The renderEl migrations: when they are safe, unsafe, or not offered.

use oie_lint::diagnostic::{Applicability, Diagnostic};
use oie_lint::fix::apply::fix_file;
use oie_lint::linter::Linter;
use oie_lint::rules::{Registry, RuleSet};
use oie_lint::settings::{FixInputs, Settings};
use oie_lint::source::{FileKind, SourceFile};
use oie_lint::versions::Thresholds;

/// Lints `text` as `name` in a fresh directory (with optional extra files)
/// and returns the diagnostics and the text after all fixes.
fn run(name: &str, text: &str, files: &[(&str, &str)]) -> (Vec<Diagnostic>, String) {
    run_with(name, text, files, FixInputs::default())
}

/// [`run`] with fix inputs (`[fix]`, `--client-id`/`--redirect-uri`).
fn run_with(
    name: &str,
    text: &str,
    files: &[(&str, &str)],
    inputs: FixInputs,
) -> (Vec<Diagnostic>, String) {
    let dir = tempfile::tempdir().unwrap();
    for (n, t) in files {
        std::fs::write(dir.path().join(n), t).unwrap();
    }
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let reg = Registry::get();
    let mut settings = Settings::new(RuleSet::all(reg), Thresholds::default());
    settings.fix_inputs = inputs;
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
fn hosted_classic_redirect_to_the_page_config_is_safe() {
    let cb = "function (res) {\n    if (res.status === 'SUCCESS') {\n      console.log('signed in', res.status);\n      res.session.setCookieAndRedirect(config.redirectUri);\n    }\n  }";
    let (diags, fixed) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0, f[0].1), ("OIE001", Applicability::Safe), "{f:?}");
    assert!(
        fixed.contains("w.renderEl({ el: '#c' }, OktaUtil.completeLogin, function (e)"),
        "{fixed}"
    );
    assert!(fixed.starts_with("{{{OktaUtil}}}\n"));
}

/// Regression (issue 12): a session-cookie redirect to a target of the
/// page's own was classed safe, silently dropping the target.
#[test]
fn hosted_session_cookie_redirect_with_its_own_target_is_unsafe_and_named() {
    let cb = "function (res) {\n    if (res.status === 'SUCCESS') {\n      window.location.href = '/login/sessionCookieRedirect?token=' + res.sessionToken + '&redirectUrl=/app';\n    }\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0, f[0].1), ("OIE002", Applicability::Unsafe));
    assert!(
        f[0].2.contains(
            "drops the redirect target `'/login/sessionCookieRedirect?token=' + res.sessionTo"
        ),
        "{}",
        f[0].2
    );
}

/// Regression (issue 12): `console.log(sendAnalytics(res.user))` and a
/// computed redirect target disappeared under the safe class.
#[test]
fn hosted_fix_that_drops_effects_is_unsafe_and_names_them() {
    let cb = "function (res) {\n    console.log(sendAnalytics(res.user));\n    res.session.setCookieAndRedirect(config.redirectUri);\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags)
        .into_iter()
        .map(|(c, a, d)| (c, a, d.to_string()))
        .collect::<Vec<_>>();
    assert_eq!(f[0].1, Applicability::Unsafe);
    assert!(
        f[0].2
            .contains("removes custom logic: `console.log(sendAnalytics(res.user));`"),
        "{}",
        f[0].2
    );
    for (target, named) in [
        ("base + '/app'", "`base + '/app'`"),
        ("'/app'", "`'/app'`"),
        ("getTarget()", "`getTarget()`"),
    ] {
        let cb =
            format!("function (res) {{\n    res.session.setCookieAndRedirect({target});\n  }}");
        let (diags, _) = run("login.html", &hosted(&cb), &[]);
        let f = fixes(&diags);
        assert_eq!(f[0].1, Applicability::Unsafe, "{target}");
        assert!(
            f[0].2
                .contains(&format!("drops the redirect target {named}")),
            "{target}: {}",
            f[0].2
        );
    }
}

/// Regression (issue 12): a self-hosted page whose comment mentioned
/// `OktaUtil.getSignInWidgetConfig(` was treated as Okta-hosted: `--fix`
/// installed `OktaUtil.completeLogin` (a ReferenceError there) and its
/// OIE003/OIE004 findings went silent.
#[test]
fn a_comment_does_not_make_a_page_hosted() {
    let page = "<script src=\"https://global.oktacdn.com/okta-signin-widget/5.4.0/js/okta-sign-in.min.js\"></script>\n<script>\n  // copied from the hosted page: var config = OktaUtil.getSignInWidgetConfig();\n  var w = new OktaSignIn({ baseUrl: 'https://org.example', clientId: 'abc', redirectUri: '/cb' });\n  w.renderEl({ el: '#c' }, function (res) {\n    res.session.setCookieAndRedirect('/app');\n  });\n</script>\n";
    let (diags, fixed) = run("login.html", page, &[]);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"OIE003"), "{codes:?}");
    assert!(codes.contains(&"OIE004"), "{codes:?}");
    assert!(!fixed.contains("OktaUtil.completeLogin"), "{fixed}");
    assert!(
        fixed.contains("w.showSignInToGetTokens({ el: '#c' })"),
        "{fixed}"
    );
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
    // `res.user.passwordChanged` has no equivalent in the tokens.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  greet(res.user.passwordChanged);\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(diags.iter().any(|d| d.code == "OIE001"));
    assert!(fixes(&diags).is_empty());
    assert_eq!(fixed, js);
    // A replaced declaration would leave its uses dangling.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  const url = '/authorize?sessionToken=' + res.sessionToken;\n  window.location = url;\n});\n";
    let (diags, _) = run("a.js", js, &[]);
    assert!(diags.iter().any(|d| d.code == "OIE002"));
    assert!(fixes(&diags).is_empty());
    // The result read any other way (`res.next()`).
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  if (res.next) { res.next(); }\n  res.session.setCookieAndRedirect('/app');\n});\n";
    assert!(fixes(&run("a.js", js, &[]).0).is_empty());
    // A status other than SUCCESS never reaches the callback under OIE:
    // the branch goes, named.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  if (res.status === 'FORGOT_PASSWORD_EMAIL_SENT') { note(); }\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, _) = run("a.js", js, &[]);
    assert!(
        fixes(&diags)[0]
            .2
            .contains("if (res.status === 'FORGOT_PASSWORD_EMAIL_SENT')"),
        "{:?}",
        fixes(&diags)
    );
}

#[test]
fn embedded_arrow_expression_body_becomes_a_block() {
    let js = "// okta\nw.renderEl({ el: '#a' }, res => res.session.setCookieAndRedirect('/app'), err => fail(err));\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(tokens => {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n}).catch(err => fail(err));\n"
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
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n    w.authClient.tokenManager.setTokens(tokens);\n    w.remove();\n    window.location.assign('/app');\n  }).catch(function (err) { fail(err); });\n"
    );
}

/// Regression (issue 12): `setCookieAndRedirect(url)` both stored the
/// session and navigated; the rewrite must keep going to `url`.
#[test]
fn embedded_migration_keeps_the_navigation() {
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect(next);\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign(next);\n});\n"
    );
    assert!(fixes(&diags)[0]
        .2
        .contains("keeps the navigation with `window.location.assign(next)`"));
    // A single-page app that routes client-side renders in place: no full-page navigation.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  history.push('/home');\n  res.session.setCookieAndRedirect(next);\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(!fixed.contains("window.location.assign"), "{fixed}");
    assert!(
        fixes(&diags)[0].2.contains("renders in place"),
        "{}",
        fixes(&diags)[0].2
    );
}

/// Regression (issue 12): `if (fromUri) { …redirect(fromUri) } else {
/// …redirect(home) }` became `if (fromUri) { store } else { }`.
#[test]
fn every_path_that_signed_in_still_stores_the_tokens() {
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  if (fromUri) {\n    res.session.setCookieAndRedirect(fromUri);\n  } else {\n    res.session.setCookieAndRedirect('/home');\n  }\n});\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  if (fromUri) {\n    w.authClient.tokenManager.setTokens(tokens);\n    w.remove();\n    window.location.assign(fromUri);\n  } else {\n    w.authClient.tokenManager.setTokens(tokens);\n    w.remove();\n    window.location.assign('/home');\n  }\n});\n"
    );
    // Brace-less branches get braces for the several statements.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  if (fromUri) res.session.setCookieAndRedirect(fromUri);\n  else res.session.setCookieAndRedirect('/home');\n});\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(fixed.matches("setTokens(tokens)").count(), 2, "{fixed}");
    assert_eq!(
        oie_lint::fix::apply::syntax_errors(
            &fixed,
            FileKind::Script(oie_lint::source::Dialect::JavaScript),
            std::path::Path::new("a.js")
        ),
        0,
        "{fixed}"
    );
}

/// Regression (issue 12): a widget built without a `clientId` got the
/// tokens rewrite and failed at run time.
#[test]
fn no_token_migration_without_an_oidc_config() {
    let js = "// okta\nvar w = new OktaSignIn({ baseUrl: 'https://org.example' });\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(
        fixes(&diags).iter().all(|f| f.0 != "OIE001"),
        "{:?}",
        fixes(&diags)
    );
    assert_eq!(fixed, js);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert!(
        d.message
            .contains("no automatic fix: the widget config has no `clientId`"),
        "{}",
        d.message
    );
    // A config held in a variable of the file, with the client ID in authParams.
    let js = "// okta\nvar cfg = { baseUrl: b, authParams: { clientId: 'c' }, redirectUri: '/cb' };\nvar w = new OktaSignIn(cfg);\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, _) = run("a.js", js, &[]);
    let f = fixes(&diags);
    let m = f.iter().find(|f| f.0 == "OIE001").expect("fixed");
    assert!(!m.2.contains("not visible"), "{}", m.2);
}

/// Regression (issue 12): `switch (res.status)` lost its other branches silently.
#[test]
fn switch_on_the_status_keeps_success_and_names_the_rest() {
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  switch (res.status) {\n    case 'SUCCESS':\n      track('login');\n      res.session.setCookieAndRedirect('/app');\n      break;\n    case 'PASSWORD_EXPIRED':\n      showExpired();\n      break;\n    default:\n      console.log(res.status);\n  }\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  track('login');\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n});\n"
    );
    let f = fixes(&diags);
    assert!(f[0].2.contains("`case 'PASSWORD_EXPIRED'`"), "{}", f[0].2);
    assert!(f[0].2.contains("`default`"), "{}", f[0].2);
}

/// Section 2: an `else` that handles Classic statuses, step-up branches.
#[test]
fn classic_only_branches_are_removed_and_named() {
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  if (res.status === 'SUCCESS') {\n    if (res.type === 'SESSION_STEP_UP') {\n      res.stepUp.finish();\n    } else {\n      res.session.setCookieAndRedirect('/app');\n    }\n  } else if (res.status === 'MFA_REQUIRED') {\n    console.log('mfa');\n  } else {\n    // nothing\n  }\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n});\n"
    );
    let d = &fixes(&diags)[0].2;
    assert!(d.contains("if (res.type === 'SESSION_STEP_UP')"), "{d}");
    assert!(d.contains("the `else` branch"), "{d}");
}

/// Section 2: a success callback passed by name, and `res.user` reads.
#[test]
fn named_callbacks_and_user_reads() {
    let js = "// okta\nfunction onSuccess(res) {\n  greet(res.user.profile.firstName, res.user.id);\n  res.session.setCookieAndRedirect('/app');\n}\nw.renderEl({ el: '#a' }, onSuccess, onError);\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nfunction onSuccess(tokens) {\n  greet(tokens.idToken.claims.given_name, tokens.idToken.claims.sub);\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n}\nw.showSignInToGetTokens({ el: '#a' }).then(onSuccess).catch(onError);\n"
    );
    assert!(fixes(&diags)[0]
        .2
        .contains("`res.user.profile.firstName` → `tokens.idToken.claims.given_name`"));
    // An unmapped field: no fix, and the finding says why.
    let js = "// okta\nw.renderEl({ el: '#a' }, function (res) {\n  greet(res.user.profile.mobilePhone);\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(fixed, js);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert!(
        d.message
            .contains("`res.user.profile.mobilePhone` has no ID token claim"),
        "{}",
        d.message
    );
    // Used elsewhere: rewriting it would break the other caller.
    let js = "// okta\nfunction done(res) {\n  res.session.setCookieAndRedirect('/app');\n}\nw.renderEl({ el: '#a' }, done);\nother(done);\n";
    let (diags, _) = run("a.js", js, &[]);
    assert!(diags
        .iter()
        .any(|d| d.message.contains("also used elsewhere")));
    // Hosted: the named function goes with the callback.
    let page = "{{{OktaUtil}}}\n<script>\n  var config = OktaUtil.getSignInWidgetConfig();\n  function ok(res) {\n    res.session.setCookieAndRedirect(config.redirectUri);\n  }\n  new OktaSignIn(config).renderEl({ el: '#c' }, ok);\n</script>\n";
    let (diags, fixed) = run("login.html", page, &[]);
    assert_eq!(fixes(&diags)[0].1, Applicability::Safe);
    assert_eq!(
        fixed,
        "{{{OktaUtil}}}\n<script>\n  var config = OktaUtil.getSignInWidgetConfig();\n  new OktaSignIn(config).renderEl({ el: '#c' }, OktaUtil.completeLogin);\n</script>\n"
    );
}

/// Section 2: hosted callbacks that read `res.user`/`res.type` still get
/// the (unsafe) hosted fix, naming what goes.
#[test]
fn hosted_callbacks_reading_the_classic_result_are_unsafe() {
    let cb = "function (res) {\n    if (res.type === 'SESSION_STEP_UP') { res.stepUp.finish(); return; }\n    localStorage.setItem('user', res.user.profile.login);\n    res.session.setCookieAndRedirect(config.redirectUri);\n  }";
    let (diags, fixed) = run("login.html", &hosted(cb), &[]);
    let f = fixes(&diags);
    assert_eq!(f[0].1, Applicability::Unsafe);
    assert!(
        f[0].2.contains("if (res.type === 'SESSION_STEP_UP')"),
        "{}",
        f[0].2
    );
    assert!(f[0].2.contains("localStorage.setItem"), "{}", f[0].2);
    assert!(fixed.contains("OktaUtil.completeLogin"));
}

/// Section 2: auth-js Classic flows move to IDX.
#[test]
fn auth_js_flows_move_to_idx() {
    let js = "// okta\nauthClient.signInWithCredentials({ username, password }).then(function (tx) {\n  if (tx.status === 'SUCCESS') {\n    authClient.session.setCookieAndRedirect(tx.sessionToken, '/app');\n  }\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nauthClient.idx.authenticate({ username, password }).then(function (tx) {\n  if (tx.status === 'SUCCESS') {\n    authClient.tokenManager.setTokens(tx.tokens);\n    window.location.assign('/app');\n  }\n});\n"
    );
    assert!(fixes(&diags)
        .iter()
        .any(|f| f.0 == "OIE001" && f.2.contains("Interaction Code grant")));
    let js =
        "// okta\nauthClient.token.getWithRedirect({ sessionToken: tok, responseType: 'code' });\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nauthClient.token.getWithRedirect({ responseType: 'code' });\n"
    );
}

/// Regression (issue 12): after `clientId: 'abc' <!-- legacy` (an HTML-like
/// comment, legal in classic scripts) the comma went into the comment and
/// the script no longer parsed in a browser.
#[test]
fn opt_in_never_lands_in_an_html_like_comment() {
    let page = "<script>\nvar w = new OktaSignIn({\n  baseUrl: 'https://org.example',\n  clientId: 'abc' <!-- legacy\n});\n</script>\n";
    let (_, fixed) = run("login.html", page, &[]);
    assert!(fixed.contains("useInteractionCodeFlow: true"), "{fixed}");
    let script = fixed
        .split("<script>")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    node_check(script);
}

/// `node --check` on a script (CommonJS mode accepts HTML-like comments,
/// as browsers do in classic scripts).
fn node_check(script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.js");
    std::fs::write(&p, script).unwrap();
    let out = match std::process::Command::new("node")
        .arg("--check")
        .arg(&p)
        .output()
    {
        Ok(o) => o,
        Err(_) if std::env::var_os("CI").is_none() => return, // no node here
        Err(e) => panic!("node: {e}"),
    };
    assert!(
        out.status.success(),
        "node rejects the fixed script:\n{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression (issue 12): in CR-only files every finding sat on line 1 and
/// inserted lines used LF.
#[test]
fn cr_only_files_keep_cr_and_report_real_lines() {
    let js = "// okta\rvar w = new OktaSignIn({\r  baseUrl: b,\r  clientId: c\r});\rw.renderEl({ el: '#a' }, function (res) {\r  res.session.setCookieAndRedirect('/app');\r});\r";
    let (diags, fixed) = run("a.js", js, &[]);
    let lines: Vec<(&str, usize)> = diags.iter().map(|d| (d.code, d.start.line)).collect();
    assert!(lines.contains(&("OIE003", 2)), "{lines:?}");
    assert!(lines.contains(&("OIE001", 7)), "{lines:?}");
    assert!(!fixed.contains('\n'), "{fixed:?}");
    assert_eq!(
        fixed,
        "// okta\rvar w = new OktaSignIn({\r  baseUrl: b,\r  clientId: c,\r  useInteractionCodeFlow: true\r});\rw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\r  w.authClient.tokenManager.setTokens(tokens);\r  w.remove();\r  window.location.assign('/app');\r});\r"
    );
}

fn inputs(client_id: &str, redirect_uri: &str) -> FixInputs {
    FixInputs {
        client_id: Some(client_id.into()),
        redirect_uri: Some(redirect_uri.into()),
        issuer: None,
    }
}

const NO_CLIENT_ID: &str = "// okta\nvar w = new OktaSignIn({ baseUrl: 'https://org.example' });\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n";

/// Issue 25: with the OIDC app given (`--client-id`/`--redirect-uri`,
/// `[fix]`), a config without a `clientId` gets it and the call migrates.
#[test]
fn fix_inputs_add_the_oidc_app_to_a_config_without_client_id() {
    let given = inputs("0oa1b2c3", "https://app.example/cb");
    let (diags, fixed) = run_with("a.js", NO_CLIENT_ID, &[], given.clone());
    assert_eq!(
        fixed,
        "// okta\nvar w = new OktaSignIn({ baseUrl: 'https://org.example', clientId: '0oa1b2c3', redirectUri: 'https://app.example/cb', useInteractionCodeFlow: true });\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n});\n"
    );
    let f = fixes(&diags);
    let m = f.iter().find(|f| f.0 == "OIE001").expect("fixed");
    assert_eq!(m.1, Applicability::Unsafe);
    assert!(
        m.2.contains("adds `clientId: '0oa1b2c3'`, `redirectUri: 'https://app.example/cb'`, `useInteractionCodeFlow: true` to the widget config"),
        "{}",
        m.2
    );
    assert!(!m.2.contains("not visible"), "{}", m.2);
    node_check(&fixed);
    // Idempotent: the fixed code has nothing left to fix.
    let (again, refixed) = run_with("a.js", &fixed, &[], given);
    assert_eq!(refixed, fixed);
    assert!(fixes(&again).is_empty(), "{:?}", fixes(&again));
}

/// Values are inserted as JavaScript string literals: a quote or a
/// backslash in a client ID cannot end the string or escape its quote.
#[test]
fn fix_input_values_are_escaped_js_string_literals() {
    let given = inputs("0oa'x\\y", "https://app.example/cb?a='1'</script>");
    let (_, fixed) = run_with("a.js", NO_CLIENT_ID, &[], given);
    assert!(
        fixed.contains(
            r"clientId: '0oa\'x\\y', redirectUri: 'https://app.example/cb?a=\'1\'\x3C/script>'"
        ),
        "{fixed}"
    );
    node_check(&fixed);
    // The literals read back as the values given, when the code runs.
    let (id, uri) = ("0oa'x\\y", "https://app.example/cb?a='1'</script>");
    let harness = format!(
        "var seen; function OktaSignIn(c) {{ seen = c; this.showSignInToGetTokens = function () {{ return {{ then: function () {{ return this; }} }}; }}; }}\n{fixed}\nif (seen.clientId !== {}) throw new Error(seen.clientId);\nif (seen.redirectUri !== {}) throw new Error(seen.redirectUri);\n",
        serde_json::to_string(id).unwrap(),
        serde_json::to_string(uri).unwrap()
    );
    node_run(&harness);
    // Double-quoted configs get double-quoted values.
    let js = NO_CLIENT_ID.replace("'https://org.example'", "\"https://org.example\"");
    let (_, fixed) = run_with("a.js", &js, &[], inputs("a\"b", "https://x.example/cb"));
    assert!(fixed.contains(r#"clientId: "a\"b""#), "{fixed}");
    node_check(&fixed);
}

/// Issue 25: without the inputs, the message names the config keys and
/// the flags, and the finding carries a machine-readable reason.
#[test]
fn without_fix_inputs_the_finding_names_the_keys_and_flags() {
    let (diags, fixed) = run("a.js", NO_CLIENT_ID, &[]);
    assert_eq!(fixed, NO_CLIENT_ID);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert!(d.fix.is_none());
    assert_eq!(d.no_fix.as_ref().map(|n| n.code), Some("no-client-id"));
    for needle in [
        "`client-id` and `redirect-uri` in the `[fix]` table",
        "--client-id <ID> --redirect-uri <URL>",
    ] {
        assert!(d.message.contains(needle), "{}", d.message);
    }
    // A client ID alone is not enough when the config has no redirect URI.
    let only = FixInputs {
        client_id: Some("0oa1".into()),
        ..FixInputs::default()
    };
    let (diags, fixed) = run_with("a.js", NO_CLIENT_ID, &[], only.clone());
    assert_eq!(fixed, NO_CLIENT_ID);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert_eq!(d.no_fix.as_ref().map(|n| n.code), Some("no-redirect-uri"));
    // ... unless the config has one.
    let js = NO_CLIENT_ID.replace(
        "baseUrl: 'https://org.example'",
        "baseUrl: 'https://org.example', redirectUri: '/cb'",
    );
    let (_, fixed) = run_with("a.js", &js, &[], only);
    assert!(
        fixed.contains("redirectUri: '/cb', clientId: '0oa1', useInteractionCodeFlow: true }"),
        "{fixed}"
    );
}

/// The keys go only into the object that certainly reaches
/// `new OktaSignIn`: a config name bound twice (a shadowing parameter, a
/// reassignment) gets no insertion, and says why.
#[test]
fn fix_inputs_never_go_into_a_shadowed_config() {
    let js = "// okta\nvar cfg = { baseUrl: 'https://org.example' };\nfunction other(cfg) { return cfg; }\nvar w = new OktaSignIn(cfg);\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run_with("a.js", js, &[], inputs("0oa1", "https://x.example/cb"));
    assert_eq!(fixed, js);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert_eq!(
        d.no_fix.as_ref().map(|n| n.code),
        Some("config-not-literal")
    );
    // Declared once: the keys go into it, on their own lines.
    let js = "// okta\nvar cfg = {\n  baseUrl: 'https://org.example',\n};\nvar w = new OktaSignIn(cfg);\nw.renderEl({ el: '#a' }, function (res) {\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (_, fixed) = run_with("a.js", js, &[], inputs("0oa1", "https://x.example/cb"));
    assert!(
        fixed.starts_with("// okta\nvar cfg = {\n  baseUrl: 'https://org.example',\n  clientId: '0oa1',\n  redirectUri: 'https://x.example/cb',\n  useInteractionCodeFlow: true,\n};\n"),
        "{fixed}"
    );
    node_check(&fixed);
}

/// Issue 25: every OIE001/OIE002 site without a fix names its reason.
#[test]
fn every_site_without_a_fix_says_why() {
    let cases: &[(&str, &str, &str)] = &[
        ("a.js", NO_CLIENT_ID, "no-client-id"),
        ("a.js", "// okta\nvar w = new OktaSignIn({ clientId: 'c' });\nw.renderEl({ el: '#a' }, function ({ session }) {\n  session.setCookieAndRedirect('/app');\n});\n", "callback-parameters"),
        ("a.js", "// okta\nvar w = new OktaSignIn({ clientId: 'c' });\nw.renderEl({ el: '#a' }, function (res) {\n  var tokens = 1, oktaTokens = 2, signInTokens = 3;\n  res.session.setCookieAndRedirect('/app');\n});\n", "tokens-name-taken"),
        ("a.js", "// okta\nvar w = new OktaSignIn({ clientId: 'c' });\nw.renderEl({ el: '#a' }, function (res) {\n  audit(res.user.profile.department);\n  res.session.setCookieAndRedirect('/app');\n});\n", "unmapped-user-field"),
        ("a.js", "// okta\nvar w = new OktaSignIn({ clientId: 'c' });\nw.renderEl({ el: '#a' }, function (res) {\n  if (res.sessionToken) { res.session.setCookieAndRedirect('/app'); }\n});\n", "classic-session-in-condition"),
        ("a.js", "// okta\nfunction go(s) {\n  authClient.session.setCookieAndRedirect(s);\n}\n", "unknown-shape"),
    ];
    for (name, code, want) in cases {
        let (diags, _) = run(name, code, &[]);
        let found: Vec<_> = diags
            .iter()
            .filter(|d| matches!(d.code, "OIE001" | "OIE002"))
            .collect();
        assert!(!found.is_empty(), "{code}");
        for d in &found {
            if d.fix.is_some() {
                continue;
            }
            let why = d
                .no_fix
                .as_ref()
                .unwrap_or_else(|| panic!("no reason: {}\n{code}", d.message));
            assert!(d.message.contains(&why.reason), "{}", d.message);
        }
        assert!(
            found
                .iter()
                .any(|d| d.no_fix.as_ref().is_some_and(|n| n.code == *want)),
            "{want}: {:?}",
            found
                .iter()
                .map(|d| (&d.message, &d.no_fix))
                .collect::<Vec<_>>()
        );
    }
}

/// Runs a script with node (skipped where node is missing, outside CI).
fn node_run(script: &str) {
    let out = match std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .output()
    {
        Ok(o) => o,
        Err(_) if std::env::var_os("CI").is_none() => return,
        Err(e) => panic!("node: {e}"),
    };
    assert!(
        out.status.success(),
        "{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression (issue 25): the safe hosted fix dropped calls made inside the
/// redirect statement it removes.
#[test]
fn hosted_fix_keeps_no_call_of_the_removed_redirect_safe() {
    for stmt in [
        "res.session.setCookieAndRedirect(config.redirectUri, extra());",
        "res.session.setCookieAndRedirect(track());",
        "res.session.setCookieAndRedirect(new Foo());",
        "res.session.setCookieAndRedirect(tag`/app`);",
        "res.session.setCookieAndRedirect(target = config.redirectUri);",
        "res[getSession()].setCookieAndRedirect();",
        "getRes().session.setCookieAndRedirect();",
    ] {
        let cb = format!("function (res) {{\n    {stmt}\n  }}");
        let (diags, _) = run("login.html", &hosted(&cb), &[]);
        let f: Vec<_> = fixes(&diags)
            .into_iter()
            .filter(|f| f.0 == "OIE001")
            .collect();
        assert_eq!(f.len(), 1, "{stmt}: {f:?}");
        assert_eq!(f[0].1, Applicability::Unsafe, "{stmt}: {}", f[0].2);
        assert!(
            f[0].2.contains("removes custom logic") || f[0].2.contains("drops the redirect target"),
            "{stmt}: {}",
            f[0].2
        );
    }
    // Without a call on the way it stays safe.
    let cb = "function (res) {\n    res.session.setCookieAndRedirect(config.redirectUri);\n  }";
    let (diags, _) = run("login.html", &hosted(cb), &[]);
    assert!(fixes(&diags)
        .iter()
        .any(|f| f.0 == "OIE001" && f.1 == Applicability::Safe));
}

/// Regression (issue 25): a page whose only `{{{OktaUtil}}}` is commented
/// out was treated as hosted and got `OktaUtil.completeLogin`.
#[test]
fn a_commented_out_okta_util_gets_no_complete_login() {
    for comment in [
        "{{!-- {{{OktaUtil}}} --}}",
        "{{! {{{OktaUtil}}} }}",
        "<%-- {{{OktaUtil}}} --%>",
        "<!-- {{{OktaUtil}}} -->",
    ] {
        let page = format!("{comment}\n<script>\n  var w = new OktaSignIn({{ baseUrl: 'https://org.example', clientId: 'c', redirectUri: '/cb' }});\n  w.renderEl({{ el: '#c' }}, function (res) {{\n    res.session.setCookieAndRedirect('/app');\n  }});\n</script>\n");
        let (_, fixed) = run("login.html", &page, &[]);
        assert!(
            !fixed.contains("OktaUtil.completeLogin"),
            "{comment}: {fixed}"
        );
        assert!(
            fixed.contains("showSignInToGetTokens"),
            "{comment}: {fixed}"
        );
    }
}

/// Regression (issue 25): OIE003 inserted `useInteractionCodeFlow: true`
/// into a same-named variable that is not the widget's config, and the
/// next run said all was well.
#[test]
fn oie003_inserts_only_into_the_config_that_reaches_the_widget() {
    let widget = "var w = new OktaSignIn(cfg);";
    for (code, reaches) in [
        // A const of another function.
        (format!("// okta\nfunction a() {{ const cfg = {{ clientId: 'x' }}; return cfg; }}\nfunction b() {{ const cfg = {{ clientId: 'y' }}; {widget} }}\n"), Some("clientId: 'y', useInteractionCodeFlow: true")),
        // An inner `let` in a block the widget is not in.
        (format!("// okta\nvar cfg = {{ clientId: 'x' }};\nif (debug) {{ let cfg = {{ clientId: 'dbg' }}; console.log(cfg); }}\n{widget}\n"), Some("clientId: 'x', useInteractionCodeFlow: true")),
        // A shadowing parameter: the widget's config comes from the caller.
        (format!("// okta\nvar cfg = {{ clientId: 'x' }};\nfunction make(cfg) {{ {widget} return w; }}\n"), None),
        // A reassigned `var`.
        ("// okta\nvar cfg = { baseUrl: 'b' };\ncfg = { clientId: 'x' };\nvar w = new OktaSignIn(cfg);\n".to_string(), None),
    ] {
        let (_, fixed) = run("a.js", &code, &[]);
        match reaches {
            Some(obj) => {
                assert!(fixed.contains(obj), "{code}\n=> {fixed}");
                assert_eq!(fixed.matches("useInteractionCodeFlow").count(), 1, "{fixed}");
            }
            None => assert!(!fixed.contains("useInteractionCodeFlow"), "{code}\n=> {fixed}"),
        }
    }
}

/// Regression (issue 25): in a `.js` file, `clientId: 'abc' <!-- legacy`
/// (an HTML-like comment) got the comma inside the comment, and node
/// rejected the file. Whatever is offered must parse and be stable.
#[test]
fn opt_in_in_a_js_file_with_an_html_like_comment_stays_valid() {
    for js in [
        "var w = new OktaSignIn({\n  baseUrl: 'https://org.example',\n  clientId: 'abc' <!-- legacy\n});\n",
        "var w = new OktaSignIn({ baseUrl: 'https://org.example', clientId: 'abc' <!-- legacy\n});\n",
    ] {
        let (_, fixed) = run("a.js", js, &[]);
        node_check(&fixed);
        let (_, again) = run("a.js", &fixed, &[]);
        assert_eq!(again, fixed);
        if fixed != js {
            assert!(!fixed.contains("<!-- legacy,"), "{fixed}");
        }
    }
}

/// Issue 25: an OIE003 finding without a fix says why, as OIE001's and
/// OIE002's do (message and `no_fix_reason`).
#[test]
fn oie003_without_a_fix_names_its_reason() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 2] = [
        (
            "import cfg from './cfg';\nvar w = new OktaSignIn(cfg);\n",
            &[("cfg.js", "export default { baseUrl: 'https://org.example', clientId: 'abc' };\n")],
            "config-in-other-module",
        ),
        (
            "var w = new OktaSignIn({ baseUrl: 'https://org.example', clientId: 'abc' <!-- legacy\n});\n",
            &[],
            "config-not-literal",
        ),
    ];
    for (js, files, code) in cases {
        let (diags, _) = run("a.js", js, files);
        let d = diags
            .iter()
            .find(|d| d.code == "OIE003")
            .unwrap_or_else(|| panic!("no OIE003 for {js}: {diags:?}"));
        assert!(d.fix.is_none(), "{js}");
        let why = d
            .no_fix
            .as_ref()
            .unwrap_or_else(|| panic!("no reason for {js}"));
        assert_eq!(why.code, code, "{js}");
        assert!(d.message.contains("(no automatic fix: "), "{}", d.message);
    }
}

/// Regression (issue 25): a redirect that is the braceless body of a loop
/// became three statements, and only the first stayed in the loop.
#[test]
fn a_braceless_loop_body_stays_in_the_loop() {
    for head in [
        "for (const u of urls)",
        "while (again())",
        "for (var i = 0; i < 1; i++)",
    ] {
        let js = format!("// okta\nvar w = new OktaSignIn({{ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true }});\nw.renderEl({{ el: '#a' }}, function (res) {{\n  {head} res.session.setCookieAndRedirect('/app');\n}});\n");
        let (_, fixed) = run("a.js", &js, &[]);
        assert!(
            fixed.contains(&format!("{head} {{ w.authClient.tokenManager.setTokens(tokens); w.remove(); window.location.assign('/app'); }}")),
            "{fixed}"
        );
        node_check(&fixed);
    }
}

/// Regression (issue 25): with `"*"` in both the dependency and its
/// override, only the dependency was bumped (npm then fails with EOVERRIDE).
#[test]
fn a_star_override_moves_with_its_dependency() {
    let pkg = "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"@okta/okta-signin-widget\": \"*\"\n  },\n  \"overrides\": {\n    \"@okta/okta-signin-widget\": \"*\"\n  }\n}\n";
    let (diags, fixed) = run("package.json", pkg, &[]);
    let f = fixes(&diags);
    assert!(
        f.iter()
            .any(|f| f.0 == "OIE004" && f.2.contains("override pinned in `overrides`")),
        "{f:?}"
    );
    assert_eq!(fixed.matches("\"^7.48.2\"").count(), 2, "{fixed}");
    assert!(!fixed.contains("\"*\""), "{fixed}");
}

/// Regression (issue 25): a `renderEl` call whose last argument is
/// followed by `//` comments was offered a fix that put the closing `)` in
/// the comment, then refused as a syntax error.
#[test]
fn line_comments_after_the_last_argument_keep_the_call_closed() {
    for tail in [
        "}, function (e) {} // error\n// more\n);\n",
        "}, function (e) {} // error\n);\n",
        "} // success\n);\n",
        "}, function (e) {}, // trailing comma\n);\n",
    ] {
        let js = format!("// okta\nvar w = new OktaSignIn({{ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true }});\nw.renderEl({{ el: '#a' }}, function (res) {{\n  res.session.setCookieAndRedirect('/app');\n{tail}");
        let (diags, fixed) = run("a.js", &js, &[]);
        assert!(fixes(&diags).iter().any(|f| f.0 == "OIE001"), "{js}");
        assert!(fixed.contains("showSignInToGetTokens"), "{js}\n=> {fixed}");
        node_check(&fixed);
    }
}

/// Regression (issue 25): when the callback reached the session without
/// naming it (`res[key]`, `getSession(res)`), the widget 5.5+ rewrite to
/// `showSignIn(...).then(success)` kept the `setCookieAndRedirect` call and
/// the same finding came back after the fix.
#[test]
fn show_sign_in_is_not_offered_when_the_session_is_reached_indirectly() {
    for body in [
        "var s = res[key];\n  s.setCookieAndRedirect('/app');",
        "getSession(res).setCookieAndRedirect('/app');",
    ] {
        let page = format!("<script src=\"https://global.oktacdn.com/okta-signin-widget/5.16.1/js/okta-sign-in.min.js\"></script>\n<script>\nvar key = 'session';\nvar w = new OktaSignIn({{ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true }});\nw.renderEl({{ el: '#a' }}, function (res) {{\n  {body}\n}});\n</script>\n");
        let (diags, fixed) = run("login.html", &page, &[]);
        assert!(!fixed.contains("showSignIn("), "{body}\n=> {fixed}");
        let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
        if d.fix.is_none() {
            assert!(d.no_fix.is_some(), "{}", d.message);
        } else {
            // Whatever is offered leaves no Classic redirect behind.
            assert!(!fixed.contains("setCookieAndRedirect"), "{fixed}");
        }
    }
}

/// Issue 25: a success callback that hands the result whole to a function
/// of the file (`function (res) { handle(res) }`, `res => handle(res)`) is
/// migrated through it; a function used elsewhere too is not.
#[test]
fn a_result_handed_to_a_named_function_is_followed() {
    let widget = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\n";
    let handle = "const handle = function (r) {\n  r.session.setCookieAndRedirect('/app');\n};\n";
    let js = format!("{widget}{handle}w.renderEl({{ el: '#a' }}, res => handle(res));\n");
    let (diags, fixed) = run("a.js", &js, &[]);
    assert_eq!(
        fixed,
        format!("{widget}const handle = function (tokens) {{\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n}};\nw.showSignInToGetTokens({{ el: '#a' }}).then(tokens => handle(tokens));\n")
    );
    assert!(fixes(&diags)
        .iter()
        .any(|f| f.2.contains("hands the result to `handle`")));
    node_check(&fixed);
    // Used elsewhere too: no fix, and a reason.
    let js = format!(
        "{widget}{handle}w.renderEl({{ el: '#a' }}, res => handle(res));\nhandle(other);\n"
    );
    let (diags, fixed) = run("a.js", &js, &[]);
    assert_eq!(fixed, js);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert!(d.no_fix.is_some(), "{}", d.message);
    // On an Okta-hosted page the relay and the function go.
    let cb = "function (res) {\n    finish(res);\n  }";
    let page = hosted(cb).replace(
        "<script>\n",
        "<script>\n  function finish(r) {\n    r.session.setCookieAndRedirect(config.redirectUri);\n  }\n",
    );
    let (diags, fixed) = run("login.html", &page, &[]);
    assert!(
        fixed.contains("w.renderEl({ el: '#c' }, OktaUtil.completeLogin, function (e)"),
        "{fixed}"
    );
    assert!(!fixed.contains("function finish"), "{fixed}");
    assert!(
        fixes(&diags)
            .iter()
            .any(|f| f.0 == "OIE001" && f.1 == Applicability::Safe),
        "{:?}",
        fixes(&diags)
    );
}

/// Issue 25: the app's own promise wrapper around `renderEl` is followed
/// when it has one caller; with two, neither caller is rewritten.
#[test]
fn an_apps_promise_wrapper_around_render_el_is_followed_once() {
    let head = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nfunction renderWidget(el) {\n  return new Promise((resolve, reject) => w.renderEl({ el }, resolve, reject));\n}\n";
    let use_ =
        "renderWidget('#a').then(res => {\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run("a.js", &format!("{head}{use_}"), &[]);
    assert!(
        fixed.contains("w.showSignInToGetTokens({ el }).then(resolve).catch(reject)"),
        "{fixed}"
    );
    assert!(
        fixed.contains(
            "renderWidget('#a').then(tokens => {\n  w.authClient.tokenManager.setTokens(tokens);"
        ),
        "{fixed}"
    );
    assert!(fixes(&diags)
        .iter()
        .any(|f| f.2.contains("promise wrapper")));
    node_check(&fixed);
    let twice = format!("{head}{use_}renderWidget('#b').then(show);\n");
    let (diags, fixed) = run("a.js", &twice, &[]);
    assert_eq!(fixed, twice);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert!(d.no_fix.is_some(), "{}", d.message);
}

/// Issue 25: `if (res && res.status === 'SUCCESS')` and `if (!res) return;`
/// are decided as on any completed sign-in (the result is always there).
#[test]
fn guards_on_the_result_itself_are_decided() {
    let js = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.renderEl({ el: '#a' }, function (res) {\n  if (!res) {\n    return;\n  }\n  if (res && res.status === 'SUCCESS') {\n    res.session.setCookieAndRedirect('/app');\n  }\n});\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n});\n"
    );
}

/// Issue 25: `return this.authClient.session.setCookieAndRedirect(…)` after
/// an awaited sign-in (TypeScript, a constructor-injected client).
#[test]
fn a_returned_redirect_after_an_awaited_sign_in_migrates() {
    let ts = "import { OktaAuth, AuthnTransaction } from '@okta/okta-auth-js';\nexport class LoginService {\n  constructor(private authClient: OktaAuth) {}\n  async signIn(username: string, password: string): Promise<void> {\n    const transaction: AuthnTransaction = await this.authClient.signInWithCredentials({ username, password });\n    if (transaction.status === 'SUCCESS') {\n      return this.authClient.session.setCookieAndRedirect(transaction.sessionToken, '/portal');\n    }\n  }\n}\n";
    let (diags, fixed) = run("login.service.ts", ts, &[]);
    assert!(
        fixed.contains(
            "const transaction = await this.authClient.idx.authenticate({ username, password });"
        ),
        "{fixed}"
    );
    assert!(fixed.contains("      this.authClient.tokenManager.setTokens(transaction.tokens);\n      return window.location.assign('/portal');\n"), "{fixed}");
    assert!(fixes(&diags).iter().any(|f| f
        .2
        .contains("drops the Classic type annotation `AuthnTransaction`")));
}

/// Issue 25: a class component's `(res) => this.onSuccess(res)` relays the
/// result to a method, which is migrated where it is declared.
#[test]
fn a_result_relayed_to_a_method_is_followed() {
    let js = "import OktaSignIn from '@okta/okta-signin-widget';\nexport default class Login {\n  mount() {\n    this.widget = new OktaSignIn({ baseUrl: b, clientId: c, redirectUri: r, useInteractionCodeFlow: true });\n    this.widget.renderEl({ el: '#a' }, (res) => this.onSuccess(res), (err) => this.onError(err));\n  }\n  onSuccess(res) {\n    if (res.status === 'SUCCESS') {\n      res.session.setCookieAndRedirect('/home');\n    }\n  }\n}\n";
    let (diags, fixed) = run("login.js", js, &[]);
    assert!(
        fixed.contains("this.widget.showSignInToGetTokens({ el: '#a' }).then((tokens) => this.onSuccess(tokens)).catch((err) => this.onError(err));"),
        "{fixed}"
    );
    assert!(
        fixed.contains("  onSuccess(tokens) {\n    this.widget.authClient.tokenManager.setTokens(tokens);\n    this.widget.remove();\n    window.location.assign('/home');\n  }"),
        "{fixed}"
    );
    assert!(fixes(&diags)
        .iter()
        .any(|f| f.2.contains("hands the result to `onSuccess`")));
    node_check(
        &fixed
            .replace("import OktaSignIn from '@okta/okta-signin-widget';\n", "")
            .replace("export default ", ""),
    );
}

/// Issue 25: success code that uses the name `tokens` already gets the
/// tokens under another name instead of no fix.
#[test]
fn the_tokens_get_another_name_when_tokens_is_taken() {
    let js = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.renderEl({ el: '#a' }, function (res) {\n  var tokens = loadCsrfTokens();\n  send(tokens, res.user.id);\n  res.session.setCookieAndRedirect('/app');\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.showSignInToGetTokens({ el: '#a' }).then(function (oktaTokens) {\n  var tokens = loadCsrfTokens();\n  send(tokens, oktaTokens.idToken.claims.sub);\n  w.authClient.tokenManager.setTokens(oktaTokens);\n  w.remove();\n  window.location.assign('/app');\n});\n"
    );
    assert!(fixes(&diags).iter().any(|f| f
        .2
        .contains("as `oktaTokens` (it uses the name `tokens` already)")));
    node_check(&fixed);
}

/// Issue 25: `[...].includes(res.status)` is decided like `===`.
#[test]
fn a_status_list_is_decided() {
    let js = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.renderEl({ el: '#a' }, function (res) {\n  if (['SUCCESS'].includes(res.status)) {\n    res.session.setCookieAndRedirect('/app');\n  } else {\n    showStatus(res.status);\n  }\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(fixed.contains("then(function (tokens) {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n});"), "{fixed}");
    assert!(fixes(&diags)
        .iter()
        .any(|f| f.2.contains("the `else` branch")));
}

/// Issue 25: a callback that does more than relay (statements that do not
/// read the result) is still followed into the function; on a hosted page,
/// where the callback would go, it is not.
#[test]
fn a_relay_among_other_statements_is_followed() {
    let js = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nfunction handle(r) {\n  r.session.setCookieAndRedirect('/app');\n}\nw.renderEl({ el: '#a' }, function (res) {\n  spinner.hide();\n  handle(res);\n});\n";
    let (_, fixed) = run("a.js", js, &[]);
    assert!(
        fixed.contains("function handle(tokens) {\n  w.authClient.tokenManager.setTokens(tokens);"),
        "{fixed}"
    );
    assert!(
        fixed.contains(".then(function (tokens) {\n  spinner.hide();\n  handle(tokens);\n});"),
        "{fixed}"
    );
    node_check(&fixed);
    // Another read of the result in the callback: not followed.
    let js2 = js.replace("spinner.hide();", "log(res.status);");
    let (diags, fixed) = run("a.js", &js2, &[]);
    assert_eq!(fixed, js2);
    assert!(diags
        .iter()
        .find(|d| d.code == "OIE001")
        .unwrap()
        .no_fix
        .is_some());
    // Hosted: the callback is replaced, so it must hold only the relay.
    let cb = "function (res) {\n    spinner.hide();\n    finish(res);\n  }";
    let page = hosted(cb).replace(
        "<script>\n",
        "<script>\n  function finish(r) {\n    r.session.setCookieAndRedirect(config.redirectUri);\n  }\n",
    );
    let (_, fixed) = run("login.html", &page, &[]);
    assert!(
        !fixed.contains("OktaUtil.completeLogin, function (e)"),
        "{fixed}"
    );
}

/// Issue 25 (real code): Classic auth-js returned a Q promise and real
/// sign-in code goes on with `.fail(…)`, which the native Promise of
/// `idx.authenticate` lacks: the fix renames it to `.catch(…)`, and the
/// rejected sign-in still reaches the error handler when run.
#[test]
fn a_q_fail_after_the_sign_in_becomes_catch() {
    let js = "function login(u, p) {\n  authClient.signIn({ username: u, password: p })\n  .then(res => {\n    if (res.status === 'SUCCESS') {\n      authClient.session.setCookieAndRedirect(res.sessionToken, '/home');\n    }\n  }).fail(function (err) {\n    showError(err.message);\n  }).fin(done);\n}\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(
        fixed.contains("authClient.idx.authenticate({ username: u, password: p })"),
        "{fixed}"
    );
    assert!(fixed.contains("}).catch(function (err) {"), "{fixed}");
    assert!(fixed.contains("}).finally(done);"), "{fixed}");
    let f = fixes(&diags);
    let m = f.iter().find(|f| f.0 == "OIE001").expect("fixed");
    assert!(
        m.2.contains("`.fail(…)` becomes `.catch(…)`, `.fin(…)` becomes `.finally(…)`"),
        "{}",
        m.2
    );
    // The token read of the same redirect points at that fix.
    let token = diags.iter().find(|d| d.code == "OIE002").unwrap();
    assert_eq!(
        token.no_fix.as_ref().map(|n| n.code),
        Some("part-of-callback-fix")
    );
    node_run(&format!(
        "var seen = [];\nvar authClient = {{ idx: {{ authenticate: function () {{ return Promise.reject(new Error('bad password')); }} }}, tokenManager: {{ setTokens: function () {{ seen.push('tokens'); }} }} }};\nvar window = {{ location: {{ assign: function (u) {{ seen.push('go ' + u); }} }} }};\nfunction showError(m) {{ seen.push('error ' + m); }}\nfunction done() {{ seen.push('done'); }}\n{fixed}\nlogin('a', 'b');\nsetTimeout(function () {{ if (seen.join('|') !== 'error bad password|done') {{ console.error(seen); process.exit(1); }} }}, 20);\n"
    ));
    // Q's `.done(…)` has no native counterpart: no fix, and it says why.
    let (diags, fixed) = run("a.js", &js.replace(".fin(done)", ".done()"), &[]);
    assert!(fixed.contains("signIn("), "{fixed}");
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert!(d.message.contains("Q's `.done(…)`"), "{}", d.message);
}

/// Issue 25 (real code: 6 of 52 sites): a success callback that logs the
/// Classic result before redirecting. The log statements go (they have no
/// effect but the log, and the tokens do not replace what they print); a
/// log whose arguments call anything stays, and the site keeps its reason.
#[test]
fn logging_the_classic_result_is_dropped_with_the_redirect() {
    let js = "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.renderEl({ el: '#a' }, function (res) {\n  console.log('status ' + res.status);\n  console.dir(res);\n  if (res.status === 'SUCCESS') {\n    res.session.setCookieAndRedirect('/app');\n  }\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(
        fixed,
        "// okta\nvar w = new OktaSignIn({ clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.showSignInToGetTokens({ el: '#a' }).then(function (tokens) {\n  w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n});\n"
    );
    let f = fixes(&diags);
    let m = f.iter().find(|f| f.0 == "OIE001").expect("fixed");
    assert!(m.2.contains("drops the console logging of the Classic result, which the tokens do not replace: `console.log('status ' + res.status);`, `console.dir(res);`"), "{}", m.2);
    node_check(&fixed);
    // A log that also calls something is not dropped: no fix, with the reason.
    let (diags, fixed) = run(
        "a.js",
        &js.replace("console.dir(res);", "console.dir(track(res));"),
        &[],
    );
    assert!(fixed.contains("renderEl("), "{fixed}");
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert_eq!(
        d.no_fix.as_ref().map(|n| n.code),
        Some("classic-result-read")
    );
}

/// Issue 25 (real sample pages): an unreachable tail that declares a name
/// for the whole function (a `var`, a function) is not removed: no fix, and
/// the reason names it. `let`/`const` in the tail go with it.
#[test]
fn an_unreachable_tail_that_hoists_a_name_is_kept() {
    let js = |tail: &str| {
        format!("// okta\nvar w = new OktaSignIn({{ baseUrl: 'https://o.example', clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true }});\nw.renderEl({{ el: '#a' }}, function (res) {{\n  if (res.status === 'SUCCESS') {{\n    res.session.setCookieAndRedirect('/app');\n    return;\n  }} else {{\n    return;\n  }}\n  {tail}\n}});\n")
    };
    for tail in [
        "var id = res.claims;",
        "function later() { return res[0]; }",
    ] {
        let (diags, fixed) = run("a.js", &js(tail), &[]);
        assert_eq!(fixed, js(tail));
        let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
        assert_eq!(
            d.no_fix.as_ref().map(|n| n.code),
            Some("unreachable-declaration"),
            "{tail}"
        );
    }
    let (diags, fixed) = run(
        "a.js",
        &js("const id = res.claims; keep(function () { var x; });"),
        &[],
    );
    assert!(
        !fixed.contains("res.claims") && !fixed.contains("keep("),
        "{fixed}"
    );
    let (_, _, description) = fixes(&diags)[0];
    assert!(
        description.contains("the unreachable code after"),
        "{description}"
    );
}

/// Issue 25: `if (res.session)` is the Classic success guard of the
/// widget's sample page; the OIDC branches after it are named as removed.
#[test]
fn the_session_guard_keeps_its_branch_and_names_the_oidc_ones() {
    let js = "// okta\nvar w = new OktaSignIn({ baseUrl: 'https://o.example', clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true });\nw.renderEl({ el: '#a' }, function (res) {\n  if (res.session) {\n    res.session.setCookieAndRedirect('/app');\n  } else if (Array.isArray(res)) {\n    show(res);\n  } else {\n    show(res);\n  }\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(
        fixed.contains("w.authClient.tokenManager.setTokens(tokens);\n  w.remove();\n  window.location.assign('/app');\n})"),
        "{fixed}"
    );
    assert!(!fixed.contains("show("), "{fixed}");
    let (_, a, description) = fixes(&diags)[0];
    assert_eq!(a, Applicability::Unsafe);
    for needle in [
        "reads `if (res.session)` as the Classic success guard",
        "the `else` branch (`else if (Array.isArray(res)) {…`)",
    ] {
        assert!(description.contains(needle), "{description}");
    }
}

/// Issue 25: a `function` callback of a widget reached through `this`
/// (`this.signIn.renderEl`) is bound, or the code the fix adds would read
/// `this.signIn` of no object.
#[test]
fn a_function_callback_of_a_widget_on_this_is_bound() {
    let js = "// okta\nclass L {\n  constructor() { this.signIn = new OktaSignIn({ baseUrl: 'https://o.example', clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true }); }\n  mount() {\n    this.signIn.renderEl({ el: '#a' }, function (res) {\n      res.session.setCookieAndRedirect('/app');\n    });\n  }\n}\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert!(fixed.contains("}.bind(this));"), "{fixed}");
    assert!(fixes(&diags)[0].2.contains("`.bind(this)`"));
    // An arrow function keeps its `this`: nothing to bind.
    let arrow = js.replace("function (res) {", "(res) => {");
    let (_, fixed) = run("a.js", &arrow, &[]);
    assert!(
        !fixed.contains(".bind(this)") && fixed.contains("this.signIn.remove()"),
        "{fixed}"
    );
}

/// Issue 25: the auth-js flow fills the client's config from the fix
/// inputs; without them the finding names the keys and flags, and a token
/// alias used elsewhere is named as the reason.
#[test]
fn auth_js_flows_take_the_fix_inputs_and_name_what_is_missing() {
    let js = "// okta\nvar authClient = new OktaAuth({ url: 'https://o.example' });\nauthClient.signIn({ username: u, password: p }).then(function (tx) {\n  authClient.session.setCookieAndRedirect(tx.sessionToken, '/app');\n});\n";
    let (diags, fixed) = run("a.js", js, &[]);
    assert_eq!(fixed, js);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert_eq!(d.no_fix.as_ref().map(|n| n.code), Some("no-client-id"));
    assert!(
        d.message.contains("--client-id <ID> --redirect-uri <URL>"),
        "{}",
        d.message
    );
    let (diags, fixed) = run_with("a.js", js, &[], inputs("0oa1", "https://x.example/cb"));
    assert!(
        fixed.contains("new OktaAuth({ url: 'https://o.example', clientId: '0oa1', redirectUri: 'https://x.example/cb', issuer: 'https://o.example' })"),
        "{fixed}"
    );
    assert!(fixes(&diags)[0]
        .2
        .contains("`issuer` is the org URL the config holds in `url`"));
    // The issuer of the `[fix]` table wins over the org URL.
    let with_issuer = FixInputs {
        issuer: Some("https://o.example/oauth2/default".into()),
        ..inputs("0oa1", "https://x.example/cb")
    };
    let (_, fixed) = run_with("a.js", js, &[], with_issuer);
    assert!(
        fixed.contains("issuer: 'https://o.example/oauth2/default' })"),
        "{fixed}"
    );
    // A config that has them all is left alone.
    let full = js.replace(
        "{ url: 'https://o.example' }",
        "{ issuer: 'https://o.example/oauth2/default', clientId: 'c' }",
    );
    let (_, fixed) = run_with("a.js", &full, &[], inputs("0oa1", "https://x.example/cb"));
    assert!(
        fixed.contains("{ issuer: 'https://o.example/oauth2/default', clientId: 'c' }")
            && fixed.contains("idx.authenticate"),
        "{fixed}"
    );
    // `const t = tx.sessionToken` read elsewhere too: no fix, named.
    let alias = full.replace(
        "  authClient.session.setCookieAndRedirect(tx.sessionToken, '/app');",
        "  const t = tx.sessionToken;\n  save(t);\n  authClient.session.setCookieAndRedirect(t, '/app');",
    );
    let (diags, _) = run("a.js", &alias, &[]);
    let d = diags.iter().find(|d| d.code == "OIE001").unwrap();
    assert_eq!(
        d.no_fix.as_ref().map(|n| n.code),
        Some("session-token-alias")
    );
    assert!(d.message.contains("`save(t);` uses it"), "{}", d.message);
}

/// Issue 25: a kept redirect target that relied on the Okta session
/// cookie `setCookieAndRedirect` created is named with a warning; a plain
/// app page is not.
#[test]
fn targets_that_relied_on_the_okta_session_are_warned_about() {
    let page = |target: &str, extra: &str| {
        format!("// okta\nvar base = 'https://acme.okta.com';\nvar w = new OktaSignIn({{ baseUrl: base, clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true }});\nw.renderEl({{ el: '#a' }}, function (res) {{\n  res.session.setCookieAndRedirect({target});\n}});\n{extra}")
    };
    for (target, extra, why) in [
        (
            "base + '/app/UserHome'",
            "",
            "is an Okta app link or dashboard",
        ),
        (
            "'https://acme.okta.com/app/acme_app_1/exk1/sso/saml'",
            "",
            "is an Okta app link",
        ),
        ("base", "", "is on the Okta org"),
        (
            "next",
            "var next = new URLSearchParams(location.search).get('fromURI');",
            "carries the RelayState or fromURI",
        ),
        (
            "'/app'",
            "w.authClient.session.exists().then(function (e) { show(e); });",
            "this page reads the Okta session",
        ),
    ] {
        let (diags, _) = run("a.js", &page(target, extra), &[]);
        let (_, _, description) = fixes(&diags)[0];
        assert!(
            description.contains("warning: no Okta session cookie is created")
                && description.contains(why),
            "{target}: {description}"
        );
    }
    let (diags, _) = run("a.js", &page("'/dashboard'", ""), &[]);
    assert!(
        !fixes(&diags)[0].2.contains("warning:"),
        "{}",
        fixes(&diags)[0].2
    );
}

/// Measure 3 (E, F a): a config assigned to an undeclared global once is the
/// widget's config; a template placeholder that moves into the kept
/// navigation is not described as removed.
#[test]
fn a_global_config_is_read_and_a_kept_placeholder_is_not_removed() {
    let page = "<script>\n  cfg = { baseUrl: '{{baseUrl}}', clientId: 'c', redirectUri: '/cb', useInteractionCodeFlow: true };\n  var w = new OktaSignIn(cfg);\n  w.renderEl({ el: '#a' }, function (res) {\n    res.session.setCookieAndRedirect('{{appUrl}}');\n  });\n</script>\n";
    let (diags, fixed) = run("login.hbs", page, &[]);
    assert!(
        fixed.contains("window.location.assign('{{appUrl}}');"),
        "{fixed}"
    );
    let (_, _, description) = fixes(&diags)[0];
    assert!(
        !description.contains("not visible in this file"),
        "{description}"
    );
    assert!(
        !description.contains("removes template placeholders"),
        "{description}"
    );
}
