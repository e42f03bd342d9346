//! Vendored Sign-In Widget bundles (`okta-sign-in.min.js` copied into
//! `static/js/`, any name, minified or not), recognised by content.
//!
//! The banner carries no version; the build inlines the generated
//! `config.json` once: `{version:"1.8.0",supportedLanguages:…}` (1.x),
//! `e.exports={version:"5.2.0",supportedLanguages:[…]}` (5.x) and
//! `JSON.parse('{"defaultLanguage":"en","version":"7.14.0",…}')` (7.x).
//! A match counts as a widget bundle when the file also says it is one:
//! the `okta-signin-widget-` user-agent string, the `OktaSignIn` global, or
//! an `okta-sign-in*.js` file name.

use regex::Regex;
use std::path::Path;
use std::sync::OnceLock;

/// The widget version a bundle declares, with the byte range of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleVersion {
    pub version: String,
    pub start: usize,
    pub end: usize,
}

/// `okta-sign-in.min.js`, `okta-sign-in.no-polyfill.min.js`, `okta-sign-in-5.2.0.js`…
pub fn is_bundle_name(path: &Path) -> bool {
    is_bundle_file_name(path.file_name().and_then(|n| n.to_str()).unwrap_or(""))
}

pub use crate::source::is_widget_bundle_name as is_bundle_file_name;

fn marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?-u)["']?version["']?\s*:\s*["'](\d+\.\d+\.\d+)["']\s*,\s*["']?supportedLanguages|\\?"defaultLanguage\\?"\s*:\s*\\?"[A-Za-z_-]+\\?"\s*,\s*\\?"version\\?"\s*:\s*\\?"(\d+\.\d+\.\d+)"#,
        )
        .expect("valid regex")
    })
}

/// Cheap test before the regex: the literals every marker form contains.
pub fn may_be_bundle(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"supportedLanguages").is_some()
        || memchr::memmem::find(text.as_bytes(), b"defaultLanguage").is_some()
}

/// The widget version of a bundle, or `None` when `text` is not one.
pub fn detect(path: &Path, text: &str) -> Option<BundleVersion> {
    if !may_be_bundle(text) {
        return None;
    }
    let corroborated = is_bundle_name(path)
        || memchr::memmem::find(text.as_bytes(), b"okta-signin-widget-").is_some()
        || memchr::memmem::find(text.as_bytes(), b"OktaSignIn").is_some();
    if !corroborated {
        return None;
    }
    let c = marker().captures(text)?;
    let m = c.get(1).or_else(|| c.get(2))?;
    Some(BundleVersion {
        version: m.as_str().to_string(),
        start: m.start(),
        end: m.end(),
    })
}

/// The okta-auth-js version a widget bundle embeds (its user-agent string:
/// `"okta-auth-js/".concat("4.5.0")` in 5.2.0, `["okta-auth-js/".concat("7.0.1")]` in 7.14.0).
pub fn bundled_auth_js(text: &str) -> Option<BundleVersion> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?-u)okta-auth-js/["']\s*\.concat\(\s*["'](\d+\.\d+\.\d+)["']"#)
            .expect("valid regex")
    });
    let m = re.captures(text)?.get(1)?;
    Some(BundleVersion {
        version: m.as_str().to_string(),
        start: m.start(),
        end: m.end(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str, text: &str) -> Option<String> {
        detect(Path::new(name), text).map(|b| {
            assert_eq!(&text[b.start..b.end], b.version);
            b.version
        })
    }

    #[test]
    fn all_three_marker_forms() {
        assert_eq!(v("okta-sign-in.min.js", r#"/*! Copyright (c) 2015-2016, Okta */ x={version:"1.8.0",supportedLanguages:["en"]}"#).as_deref(), Some("1.8.0"));
        assert_eq!(
            v("vendor.js", r#"function(e){e.exports={version:"5.2.0",supportedLanguages:["en","fr"]}};n["okta-signin-widget-"+t.version]"#).as_deref(),
            Some("5.2.0")
        );
        assert_eq!(
            v("widget.js", r#"var c=JSON.parse('{"defaultLanguage":"en","version":"7.14.0","supportedLanguages":["en"]}');a.addEnvironment("okta-signin-widget-".concat(c.version))"#).as_deref(),
            Some("7.14.0")
        );
    }

    #[test]
    fn embedded_auth_js_version() {
        let t = r#"a.addEnvironment("okta-signin-widget-".concat(c.version));e._oktaUserAgent.addEnvironment(["okta-auth-js/".concat("7.0.1")])"#;
        let b = bundled_auth_js(t).unwrap();
        assert_eq!((&t[b.start..b.end], b.version.as_str()), ("7.0.1", "7.0.1"));
        assert_eq!(bundled_auth_js("okta-auth-js/7.0.1"), None);
    }

    #[test]
    fn uncorroborated_or_unrelated_text_is_not_a_bundle() {
        assert_eq!(
            v(
                "app.js",
                r#"const i18n = {version:"1.0.0",supportedLanguages:["en"]};"#
            ),
            None
        );
        assert_eq!(
            v("okta-sign-in.min.js", "console.log('nothing here')"),
            None
        );
        assert!(is_bundle_name(Path::new(
            "static/js/okta-sign-in.no-polyfill.min.js"
        )));
        assert!(!is_bundle_name(Path::new("okta-sign-in.min.css")));
    }
}
