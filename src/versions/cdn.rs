//! Sign-In Widget versions in CDN URLs.
//!
//! The URL forms Okta documents (global.oktacdn.com), the legacy per-shard
//! form hosted pages render (okNstatic.oktacdn.com/assets/js/sdk/…) and the
//! generic npm CDNs (unpkg, jsDelivr). Templated versions (`%--ver--%`,
//! `{{version}}`) do not match: they are unknown, not guessed.

// The regexes are ASCII-only (`(?-u)`): versions are ASCII digits, and the
// Unicode classes of `\d` and `\s` made compiling them a visible part of a
// one-file run.
use regex::Regex;
use std::sync::OnceLock;

fn widget_url() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?-u)(?:global\.oktacdn\.com/okta-signin-widget/|ok\d+static\.oktacdn\.com/assets/js/sdk/okta-signin-widget/|unpkg\.com/@okta/okta-signin-widget@|cdn\.jsdelivr\.net/npm/@okta/okta-signin-widget@)v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:/|$|[?#\s])",
        )
        .expect("valid regex")
    })
}

fn auth_js_url() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?-u)(?:global\.oktacdn\.com/okta-auth-js/|ok\d+static\.oktacdn\.com/assets/js/sdk/okta-auth-js/|unpkg\.com/@okta/okta-auth-js@|cdn\.jsdelivr\.net/npm/@okta/okta-auth-js@)v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:/|$|[?#\s])",
        )
        .expect("valid regex")
    })
}

/// Every okta-auth-js CDN version reference in `s`
/// (`global.oktacdn.com/okta-auth-js/7.8.1/okta-auth-js.min.js`, unpkg, jsDelivr).
pub fn auth_js_versions_in(s: &str) -> Vec<UrlVersion> {
    versions_in(auth_js_url(), s)
}

/// A widget version found in a URL: byte range of the version text within
/// the searched string, and the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlVersion {
    pub start: usize,
    pub end: usize,
    pub version: String,
}

/// Every widget CDN version reference in `s`.
pub fn widget_versions_in(s: &str) -> Vec<UrlVersion> {
    versions_in(widget_url(), s)
}

/// The version capture (group 1) of every match of a CDN URL regex.
fn versions_in(re: &Regex, s: &str) -> Vec<UrlVersion> {
    re.captures_iter(s)
        .filter_map(|c| c.get(1))
        .map(|m| UrlVersion {
            start: m.start(),
            end: m.end(),
            version: m.as_str().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        widget_versions_in(s)
            .into_iter()
            .map(|u| u.version)
            .collect()
    }

    #[test]
    fn all_documented_forms() {
        assert_eq!(
            v("https://global.oktacdn.com/okta-signin-widget/5.0.1/js/okta-sign-in.min.js"),
            ["5.0.1"]
        );
        assert_eq!(v("https://ok12static.oktacdn.com/assets/js/sdk/okta-signin-widget/2.6.0/css/okta-sign-in.min.css"), ["2.6.0"]);
        assert_eq!(
            v("https://unpkg.com/@okta/okta-signin-widget@4.3.2/dist/js/okta-sign-in.min.js"),
            ["4.3.2"]
        );
        assert_eq!(v("//cdn.jsdelivr.net/npm/@okta/okta-signin-widget@7.1.0/dist/css/okta-sign-in.min.css"), ["7.1.0"]);
    }

    #[test]
    fn unknown_or_unversioned_forms_do_not_match() {
        assert!(v(
            "https://global.oktacdn.com/okta-signin-widget/%--widgetVer--%/js/okta-sign-in.min.js"
        )
        .is_empty());
        assert!(
            v("https://unpkg.com/@okta/okta-signin-widget/dist/js/okta-sign-in.min.js").is_empty()
        );
        assert!(v("https://example.com/okta-signin-widget/1.0.0/x.js").is_empty());
    }

    #[test]
    fn auth_js_urls() {
        let a = |s: &str| {
            auth_js_versions_in(s)
                .into_iter()
                .map(|u| u.version)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            a("https://global.oktacdn.com/okta-auth-js/7.8.1/okta-auth-js.min.js"),
            ["7.8.1"]
        );
        assert_eq!(
            a("https://unpkg.com/@okta/okta-auth-js@4.9.2/dist/okta-auth-js.min.js"),
            ["4.9.2"]
        );
        assert!(
            a("https://global.oktacdn.com/okta-signin-widget/7.8.1/js/okta-sign-in.min.js")
                .is_empty()
        );
    }

    #[test]
    fn positions_point_at_the_version() {
        let s = "x https://global.oktacdn.com/okta-signin-widget/1.13.2/js/a.js";
        let u = &widget_versions_in(s)[0];
        assert_eq!(&s[u.start..u.end], "1.13.2");
    }
}
