//! Sign-In Widget versions in CDN URLs.
//!
//! The URL forms Okta documents (global.oktacdn.com), the same paths on any
//! other `*.oktacdn.com` host (regional hosts such as globaltrex.oktacdn.com,
//! the legacy per-shard okNstatic.oktacdn.com/assets/js/sdk/… form hosted
//! pages render) and the generic npm CDNs (unpkg, jsDelivr). Templated
//! versions (`%--ver--%`, `{{version}}`) do not match: they are unknown, not
//! guessed.

use memchr::memmem;

/// What comes before a package name in each CDN URL form, and the byte
/// between the name and the version. The Okta forms (`.oktacdn.com/…`) must
/// follow a host name: any `*.oktacdn.com` host serves the same paths.
const FORMS: [(&str, u8); 4] = [
    (".oktacdn.com/", b'/'),
    (".oktacdn.com/assets/js/sdk/", b'/'),
    ("unpkg.com/@okta/", b'@'),
    ("cdn.jsdelivr.net/npm/@okta/", b'@'),
];

/// Whether `before` (the text up to an `.oktacdn.com/` form) ends with a
/// host name: at least one character of a DNS label (`ok1static`,
/// `globaltrex`, `a.b`). At most 253 bytes are looked at (the longest
/// host name), so each URL costs a bounded amount of work.
fn ends_with_host(before: &[u8]) -> bool {
    before
        .iter()
        .rev()
        .take(253)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.'))
        .any(|c| c.is_ascii_alphanumeric())
}

/// Every okta-auth-js CDN version reference in `s`
/// (`global.oktacdn.com/okta-auth-js/7.8.1/okta-auth-js.min.js`, unpkg, jsDelivr).
pub fn auth_js_versions_in(s: &str) -> Vec<UrlVersion> {
    versions_in("okta-auth-js", s)
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
    versions_in("okta-signin-widget", s)
}

/// Every `<form><package><sep>[v]<x.y.z>[-pre]` of [`FORMS`] in `s`, the
/// version followed by `/`, `?`, `#`, whitespace or the end. Read by hand
/// rather than with a regex: compiling one cost more than checking a
/// small file, and this runs on every file that mentions the widget.
fn versions_in(package: &str, s: &str) -> Vec<UrlVersion> {
    let b = s.as_bytes();
    memmem::find_iter(b, package.as_bytes())
        .filter_map(|at| {
            let before = &b[..at];
            let sep = FORMS.iter().find_map(|&(prefix, sep)| {
                // Host names are case-insensitive (`GLOBAL.OKTACDN.COM`,
                // issue 25); the path is not.
                let cut = before.len().checked_sub(prefix.len())?;
                let (rest, tail) = before.split_at(cut);
                let host_len = prefix.find('/').unwrap_or(prefix.len());
                if !(tail[..host_len].eq_ignore_ascii_case(&prefix.as_bytes()[..host_len])
                    && tail[host_len..] == prefix.as_bytes()[host_len..])
                {
                    return None;
                }
                (!prefix.starts_with('.') || ends_with_host(rest)).then_some(sep)
            })?;
            let mut i = at + package.len();
            if b.get(i) != Some(&sep) {
                return None;
            }
            i += 1;
            if b.get(i) == Some(&b'v') {
                i += 1;
            }
            let start = i;
            for part in 0..3 {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits == 0 {
                    return None;
                }
                i += digits;
                if part < 2 {
                    if b.get(i) != Some(&b'.') {
                        return None;
                    }
                    i += 1;
                }
            }
            let pre = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
            if b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(pre) {
                i += 1 + b[i + 1..].iter().take_while(|c| pre(c)).count();
            }
            let ends = match b.get(i) {
                None => true,
                Some(c) => matches!(
                    c,
                    b'/' | b'?' | b'#' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c
                ),
            };
            ends.then(|| UrlVersion {
                start,
                end: i,
                version: s[start..i].to_string(),
            })
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

    /// Regression (issue 25): an upper-case host was not read, so its css
    /// was not bumped with the js.
    #[test]
    fn host_names_in_any_case() {
        assert_eq!(
            v("https://GLOBAL.OKTACDN.COM/okta-signin-widget/5.0.1/css/okta-sign-in.min.css"),
            ["5.0.1"]
        );
        assert_eq!(
            v("https://UNPKG.com/@okta/okta-signin-widget@4.3.2/dist/x.js"),
            ["4.3.2"]
        );
        // The path stays case-sensitive.
        assert!(v("https://global.oktacdn.com/OKTA-SIGNIN-WIDGET/5.0.1/x.js").is_empty());
    }

    #[test]
    fn every_oktacdn_host() {
        for host in [
            "globaltrex.oktacdn.com",
            "okstatic.oktacdn.com",
            "ok7static.oktacdn.com",
            "us-east-1.cdn.oktacdn.com",
        ] {
            assert_eq!(
                v(&format!(
                    "https://{host}/okta-signin-widget/5.5.0/js/okta-sign-in.min.js"
                )),
                ["5.5.0"],
                "{host}"
            );
            assert_eq!(
                v(&format!(
                    "https://{host}/assets/js/sdk/okta-signin-widget/2.6.0/js/okta-sign-in.min.js"
                )),
                ["2.6.0"],
                "{host}"
            );
        }
        // Not an Okta host: the name must end in `.oktacdn.com`.
        assert!(v("https://evil-oktacdn.com/okta-signin-widget/5.5.0/a.js").is_empty());
        assert!(v("https://cdn.example.com/okta-signin-widget/5.5.0/a.js").is_empty());
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
    fn versions_and_what_ends_them() {
        let base = "https://global.oktacdn.com/okta-signin-widget/";
        for (tail, want) in [
            ("v7.1.0/js/a.js", Some("7.1.0")),
            ("7.1.0-beta.2/js/a.js", Some("7.1.0-beta.2")),
            ("7.1.0", Some("7.1.0")),
            ("7.1.0?x=1", Some("7.1.0")),
            ("7.1.0#frag", Some("7.1.0")),
            ("7.1.0 ", Some("7.1.0")),
            ("7.1.0\"", None),
            ("7.1/js/a.js", None),
            ("7.1.0-/js", None),
            ("7.1.0x/js", None),
            ("x7.1.0/js", None),
        ] {
            let got = v(&format!("{base}{tail}"));
            assert_eq!(got.first().map(String::as_str), want, "{tail}");
        }
        assert!(v("https://.oktacdn.com/okta-signin-widget/2.6.0/a.js").is_empty());
        assert!(v("https://oktacdn.com/okta-signin-widget/2.6.0/a.js").is_empty());
        assert!(v("https://global.oktacdn.com/assets/okta-signin-widget/2.6.0/a.js").is_empty());
        assert!(v("https://global.oktacdn.com/okta-signin-widget@2.6.0/a.js").is_empty());
        assert_eq!(
            v("a global.oktacdn.com/okta-signin-widget/5.0.1/x b unpkg.com/@okta/okta-signin-widget@6.0.0"),
            ["5.0.1", "6.0.0"]
        );
    }

    #[test]
    fn positions_point_at_the_version() {
        let s = "x https://global.oktacdn.com/okta-signin-widget/1.13.2/js/a.js";
        let u = &widget_versions_in(s)[0];
        assert_eq!(&s[u.start..u.end], "1.13.2");
    }
}
