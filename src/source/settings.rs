//! Settings files a server substitutes into its pages (`config.json`,
//! `settings.json`, `appsettings.json`, `*.yml`): only the widget CDN URLs
//! in them are read, never the file as code.
//!
//! A settings file is not parsed: one linear scan finds its comments (YAML
//! `#`, JSONC `//` and `/* */`, which ASP.NET Core's `appsettings.json`
//! allows) and the spans outside them that mention the widget's package
//! path, so a URL in a comment stays silent and every position is the
//! file's own (a BOM, CRLF or CR line ends need no mapping).

use super::page::UrlAttr;
use std::ops::Range;

/// The needle a span must hold (the CDN paths all name the package).
const PACKAGE: &str = "okta-signin-widget";

/// What a settings file offers the linter.
pub struct SettingsDoc {
    /// Spans outside comments that mention the widget's package: JSON
    /// strings, or YAML line values.
    pub urls: Vec<UrlAttr>,
    /// Comments (for suppression markers).
    pub comments: Vec<Range<usize>>,
}

/// Whether `name` is a YAML file (by extension).
pub fn is_yaml(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// Scans a settings file; `yaml` picks the comment syntax.
pub fn analyze(text: &str, yaml: bool) -> SettingsDoc {
    let mut doc = SettingsDoc {
        urls: Vec::new(),
        comments: Vec::new(),
    };
    if memchr::memmem::find(text.as_bytes(), PACKAGE.as_bytes()).is_none() {
        return doc;
    }
    if yaml {
        scan_yaml(text, &mut doc);
    } else {
        scan_json(text, &mut doc);
    }
    doc
}

fn push_if_widget(text: &str, r: Range<usize>, doc: &mut SettingsDoc) {
    if r.start < r.end && text[r.clone()].contains(PACKAGE) {
        doc.urls.push(UrlAttr {
            start: r.start,
            end: r.end,
        });
    }
}

/// JSON (and JSONC): every string outside comments.
fn scan_json(text: &str, doc: &mut SettingsDoc) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' && b[i] != b'\r' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = i.min(b.len());
                push_if_widget(text, start..end, doc);
                i = end + 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr2(b'\n', b'\r', &b[i..]).map_or(b.len(), |k| i + k);
                doc.comments.push(i..end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end =
                    memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |k| i + 2 + k + 2);
                doc.comments.push(i..end);
                i = end;
            }
            _ => i += 1,
        }
    }
}

/// YAML: per line, the text after the key (or the list dash) up to a
/// comment; quotes are taken off. A `#` starts a comment at the start of a
/// line or after whitespace, outside quotes.
fn scan_yaml(text: &str, doc: &mut SettingsDoc) {
    let b = text.as_bytes();
    let mut line_start = 0;
    while line_start < b.len() {
        let line_end =
            memchr::memchr2(b'\n', b'\r', &b[line_start..]).map_or(b.len(), |k| line_start + k);
        let mut quote = None;
        let mut content_end = line_end;
        for k in line_start..line_end {
            match (b[k], quote) {
                (q @ (b'"' | b'\''), None) => quote = Some(q),
                (q, Some(open)) if q == open => quote = None,
                (b'#', None) if k == line_start || b[k - 1] == b' ' || b[k - 1] == b'\t' => {
                    doc.comments.push(k..line_end);
                    content_end = k;
                    break;
                }
                _ => {}
            }
        }
        let line = &text[line_start..content_end];
        if line.contains(PACKAGE) {
            // The value: after `key: ` when there is one, else the line.
            let value_at = line
                .find(": ")
                .filter(|&c| !line[..c].contains(PACKAGE))
                .map_or(0, |c| c + 2);
            let raw = &line[value_at..];
            let lead = raw.len() - raw.trim_start().len();
            let mut s = line_start + value_at + lead;
            let mut e = line_start + value_at + raw.trim_end().len();
            if e > s + 1 && matches!(b[s], b'"' | b'\'') && b[e - 1] == b[s] {
                s += 1;
                e -= 1;
            }
            push_if_widget(text, s..e, doc);
        }
        line_start = line_end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, yaml: bool) -> Vec<&str> {
        analyze(text, yaml)
            .urls
            .iter()
            .map(|u| &text[u.start..u.end])
            .collect()
    }

    #[test]
    fn json_strings_outside_comments() {
        let text = "{\n  // \"old\": \"https://global.oktacdn.com/okta-signin-widget/2.6.0/js/okta-sign-in.min.js\",\n  /* \"x\": \"okta-signin-widget/1.0.0\" */\n  \"Okta\": { \"WidgetJs\": \"https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js\", \"Note\": \"a \\\"quoted\\\" okta-signin-widget\" }\n}\n";
        assert_eq!(
            spans(text, false),
            vec![
                "https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js",
                "a \\\"quoted\\\" okta-signin-widget"
            ]
        );
        assert_eq!(analyze(text, false).comments.len(), 2);
    }

    #[test]
    fn yaml_values_outside_comments() {
        let text = "# widget_js: https://global.oktacdn.com/okta-signin-widget/2.6.0/js/okta-sign-in.min.js\r\nokta:\r\n  widget_js: \"https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js\" # pinned\r\n  css:\r\n    - https://global.oktacdn.com/okta-signin-widget/5.2.0/css/okta-sign-in.min.css\r\n  anchor: 'https://example.com/#okta-signin-widget'\r\n";
        assert_eq!(
            spans(text, true),
            vec![
                "https://global.oktacdn.com/okta-signin-widget/5.2.0/js/okta-sign-in.min.js",
                "- https://global.oktacdn.com/okta-signin-widget/5.2.0/css/okta-sign-in.min.css",
                "https://example.com/#okta-signin-widget"
            ]
        );
        assert_eq!(analyze(text, true).comments.len(), 2);
    }

    #[test]
    fn files_without_the_widget_are_not_scanned() {
        let doc = analyze("{ \"a\": \"b\" } // c", false);
        assert!(doc.urls.is_empty() && doc.comments.is_empty());
    }
}
