//! Inline suppressions: one marker, `oie-lint-ignore`, in every comment
//! syntax a file has.
//!
//! | form | scope |
//! |---|---|
//! | `oie-lint-ignore` after (or before) code on a line | findings that start on the comment's line(s) |
//! | `oie-lint-ignore` alone on its line(s) | findings that start on the next line |
//! | `oie-lint-ignore-next-line` | findings that start on the line after the comment |
//! | `oie-lint-ignore-start` … `oie-lint-ignore-end` | findings that start between the two comments |
//! | `oie-lint-ignore-file` (anywhere) | the whole file |
//!
//! A marker is followed by codes, slugs or code prefixes (comma- and/or
//! space-separated; none = every rule), then optionally `-- reason`.
//!
//! Markers are read only from real comments, never from strings: comment
//! nodes of each JavaScript tree (`//`, `/* */`, JSX `{/* */}`), HTML
//! comments (`<!-- -->`, from the HTML tree), Handlebars/Mustache comments
//! (`{{! }}`, `{{!-- --}}`) in `.html`/`.hbs`/`.mustache` templates, and in
//! `package.json` the npm convention of a `"//"` key whose value is the
//! comment. A marker must open the comment (a leading `*` is allowed), so
//! prose that mentions it does not count.
//!
//! A generated lockfile cannot hold a comment: its finding is suppressed by
//! markers on the `package.json` dependencies it resolves
//! ([`Finding::stands_for`], [`apply_elsewhere`]), and those markers count as
//! used through stand-in findings at the dependencies ([`Finding::stand_in`]).
//!
//! Markers that suppress nothing (OIE900) and markers naming unknown rules
//! or with an unmatched start/end (OIE901) are findings of their own; those
//! two rules cannot be suppressed inline (use `ignore` in the config).

use crate::diagnostic::Finding;
use crate::parse::Unit;
use crate::rules::{Registry, RuleSet};
use crate::source::lines::LineIndex;
use crate::source::{FileKind, SourceFile};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

pub const MARKER: &str = "oie-lint-ignore";
/// The rule reporting markers that suppressed nothing.
pub const UNUSED_CODE: &str = "OIE900";
/// The rule reporting malformed markers.
pub const INVALID_CODE: &str = "OIE901";

/// Template extensions whose `{{! … }}` is a comment (Handlebars/Mustache;
/// Okta-hosted pages are `.html` with Mustache-style tags). In Vue or
/// Svelte `{{!x}}` is an expression, so those are not scanned.
pub const MUSTACHE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "hbs", "handlebars", "mustache"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    Line,
    NextLine,
    Start,
    End,
    File,
}

impl Directive {
    fn name(self) -> &'static str {
        match self {
            Directive::Line => "oie-lint-ignore",
            Directive::NextLine => "oie-lint-ignore-next-line",
            Directive::Start => "oie-lint-ignore-start",
            Directive::End => "oie-lint-ignore-end",
            Directive::File => "oie-lint-ignore-file",
        }
    }
}

/// A comment of any syntax: its whole span and the span of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub span: Range<usize>,
    pub body: Range<usize>,
    /// A `"//"` key in package.json (a trailing `,` still counts as "alone").
    pub json: bool,
}

/// One rule selector written in a marker.
#[derive(Debug, Clone)]
pub struct Selector {
    pub text: String,
    pub span: Range<usize>,
    pub rules: Vec<usize>,
    used: bool,
}

#[derive(Debug, Clone)]
pub struct Marker {
    pub directive: Directive,
    pub comment: Comment,
    /// Empty: every rule.
    pub selectors: Vec<Selector>,
    pub reason: Option<String>,
    used_all: bool,
}

/// What a comment turned out to be.
#[derive(Debug)]
pub enum Parsed {
    NotMarker,
    Marker(Marker),
    /// Starts like a marker but is not one (`oie-lint-ignore-nextline`).
    Invalid(Range<usize>, String),
}

/// Reads the marker in `comment`, if any. Selectors are not yet resolved.
pub fn parse(text: &str, comment: &Comment) -> Parsed {
    let body = &text[comment.body.clone()];
    let lead = body.len()
        - body
            .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
            .len();
    let start = comment.body.start + lead;
    let Some(rest) = body[lead..].strip_prefix(MARKER) else {
        return Parsed::NotMarker;
    };
    let mut directive = Directive::Line;
    let mut rest = rest;
    for d in [
        Directive::NextLine,
        Directive::Start,
        Directive::End,
        Directive::File,
    ] {
        if let Some(r) = rest.strip_prefix(&d.name()[MARKER.len()..]) {
            if r.is_empty() || r.starts_with(|c: char| c.is_whitespace() || c == ':') {
                directive = d;
                rest = r;
                break;
            }
        }
    }
    match rest.chars().next() {
        None => {}
        Some(c) if c.is_whitespace() || c == ':' => {}
        Some('-') if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) => {
            let word_end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
            let end = start + MARKER.len() + word_end;
            return Parsed::Invalid(
                start..end,
                format!(
                    "unknown directive `{}` (use -next-line, -start, -end or -file)",
                    &text[start..end]
                ),
            );
        }
        // `oie-lint-ignored`, `oie-lint-ignore_x`: a different word.
        Some(_) => return Parsed::NotMarker,
    }
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    // `rest` is a suffix of the body: its offset in the file.
    let after = comment.body.end - rest.len();
    // `-- reason`: the first `--` that starts a word.
    let reason_at = rest
        .match_indices("--")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || rest[..i].ends_with(char::is_whitespace));
    let (codes, reason) = match reason_at {
        Some(i) => (
            &rest[..i],
            Some(rest[i + 2..].trim().to_string()).filter(|r| !r.is_empty()),
        ),
        None => (rest, None),
    };
    let mut selectors = Vec::new();
    let mut i = 0;
    for token in codes.split(|c: char| c == ',' || c.is_whitespace()) {
        if !token.is_empty() {
            selectors.push(Selector {
                text: token.to_string(),
                span: after + i..after + i + token.len(),
                rules: Vec::new(),
                used: false,
            });
        }
        i += token.len() + 1;
    }
    Parsed::Marker(Marker {
        directive,
        comment: comment.clone(),
        selectors,
        reason,
        used_all: false,
    })
}

/// Every comment of the file that may hold a marker.
pub fn comments(
    source: &SourceFile,
    units: &[Unit],
    html_comments: &[Range<usize>],
) -> Vec<Comment> {
    let text = &source.text;
    let mut out = Vec::new();
    let mut push = |span: Range<usize>| {
        let s = &text[span.clone()];
        let (open, close) = [
            ("//-", ""),
            ("//", ""),
            ("/*", "*/"),
            ("<!--", "-->"),
            ("{{!--", "--}}"),
            ("{{!", "}}"),
            ("#", ""),
        ]
        .into_iter()
        .find(|(o, _)| s.starts_with(o))
        .map_or((0, 0), |(o, c)| {
            (
                o.len(),
                if s.ends_with(c) && s.len() >= o.len() + c.len() {
                    c.len()
                } else {
                    0
                },
            )
        });
        out.push(Comment {
            body: span.start + open..span.end - close,
            span,
            json: false,
        });
    };
    for unit in units {
        crate::syntax::walk(unit.tree.root_node(), |n| {
            if n.kind() == "comment" {
                push(n.byte_range());
            }
        });
    }
    for r in html_comments {
        push(r.clone());
    }
    if source.kind == FileKind::Html && is_mustache(&source.path) {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| Regex::new(r"(?s)\{\{!--.*?--\}\}|\{\{!.*?\}\}").unwrap());
        for m in re.find_iter(text) {
            push(m.range());
        }
    }
    if source.kind == FileKind::PackageJson {
        out.extend(json_comments(text));
    }
    out.sort_by_key(|c| (c.span.start, c.span.end));
    out.dedup();
    out
}

/// The `"//"` comments of a `package.json`.
fn json_comments(text: &str) -> impl Iterator<Item = Comment> {
    json_comment_keys(text)
        .into_iter()
        .map(|(prop, value)| Comment {
            span: prop.start..prop.end,
            body: value.start + 1..value.end.saturating_sub(1),
            json: true,
        })
}

fn is_mustache(path: &std::path::Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    MUSTACHE_EXTENSIONS.contains(&ext.as_str())
}

/// `(property range, string value range)` of every `"//": "…"` (or
/// `"//": ["…", …]`) in a JSON document, at any depth.
fn json_comment_keys(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    use jsonc_parser::ast::Value;
    // A UTF-8 BOM is not JSON; ranges stay ranges in `text`.
    let (body, shift) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let Ok(ast) = jsonc_parser::parse_to_ast(body, &Default::default(), &Default::default()) else {
        return Vec::new();
    };
    let at = |r: jsonc_parser::common::Range| shift + r.start..shift + r.end;
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = ast.value.iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(o) => {
                for p in &o.properties {
                    if p.name.as_str() == "//" {
                        let prop = at(p.range);
                        match &p.value {
                            Value::StringLit(s) => out.push((prop.clone(), at(s.range))),
                            Value::Array(a) => {
                                for e in &a.elements {
                                    if let Value::StringLit(s) = e {
                                        out.push((prop.clone(), at(s.range)));
                                    }
                                }
                            }
                            _ => {}
                        }
                    } else {
                        stack.push(&p.value);
                    }
                }
            }
            Value::Array(a) => stack.extend(a.elements.iter()),
            _ => {}
        }
    }
    out
}

/// Where a marker applies.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// 1-based lines, inclusive.
    Lines(usize, usize),
    /// Byte offsets, half-open.
    Bytes(usize, usize),
    File,
}

/// Reads the markers among `comments`, resolving their selectors; malformed
/// ones and unknown or unsuppressible rules go to `invalid`.
fn read_markers(
    text: &str,
    comments: &[Comment],
    reg: &Registry,
    invalid: &mut Vec<(Range<usize>, String)>,
) -> Vec<Marker> {
    let own = own_rules(reg);
    let mut markers = Vec::new();
    for c in comments {
        match parse(text, c) {
            Parsed::NotMarker => {}
            Parsed::Invalid(span, msg) => invalid.push((span, msg)),
            Parsed::Marker(mut m) => {
                for s in &mut m.selectors {
                    let all = reg.matching(&s.text);
                    s.rules = all.iter().copied().filter(|&r| !own(r)).collect();
                    if all.is_empty() {
                        invalid.push((
                            s.span.clone(),
                            format!("unknown rule `{}` in `{}`", s.text, m.directive.name()),
                        ));
                    } else if s.rules.is_empty() {
                        invalid.push((
                            s.span.clone(),
                            format!(
                                "`{}` cannot be suppressed inline; use `ignore` in the config file",
                                s.text
                            ),
                        ));
                    }
                }
                markers.push(m);
            }
        }
    }
    markers
}

/// OIE900/OIE901, which markers cannot suppress.
fn own_rules(reg: &Registry) -> impl Fn(usize) -> bool {
    let unused_rule = reg.find(UNUSED_CODE);
    let invalid_rule = reg.find(INVALID_CODE);
    move |r: usize| Some(r) == unused_rule || Some(r) == invalid_rule
}

/// Where each marker applies: `-start` paired with `-end` (an `-end` with
/// rules closes the latest `-start` with the same rules; a bare `-end` the
/// latest `-start`); `None` for an `-end`. Unpaired ones go to `invalid`.
fn scopes_of(
    text: &str,
    index: &LineIndex,
    markers: &[Marker],
    invalid: &mut Vec<(Range<usize>, String)>,
) -> Vec<Option<Scope>> {
    let line = |off: usize| index.position(text, off).line;
    let mut scopes: Vec<Option<Scope>> = vec![None; markers.len()];
    let mut open: Vec<usize> = Vec::new();
    let key = |m: &Marker| {
        let mut k: Vec<usize> = m
            .selectors
            .iter()
            .flat_map(|s| s.rules.iter().copied())
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    for i in 0..markers.len() {
        let m = &markers[i];
        let c = &m.comment;
        scopes[i] = match m.directive {
            Directive::File => Some(Scope::File),
            Directive::NextLine => Some(Scope::Lines(line(c.span.end) + 1, line(c.span.end) + 1)),
            Directive::Line if alone(text, c) => {
                Some(Scope::Lines(line(c.span.end) + 1, line(c.span.end) + 1))
            }
            Directive::Line => Some(Scope::Lines(line(c.span.start), line(c.span.end))),
            Directive::Start => {
                open.push(i);
                None
            }
            Directive::End => {
                let k = key(m);
                let pos = if m.selectors.is_empty() {
                    open.len().checked_sub(1)
                } else {
                    open.iter().rposition(|&o| key(&markers[o]) == k)
                };
                match pos {
                    Some(p) => {
                        let s = open.remove(p);
                        scopes[s] = Some(Scope::Bytes(markers[s].comment.span.end, c.span.start));
                    }
                    None => invalid.push((c.span.clone(), "`oie-lint-ignore-end` without a matching `oie-lint-ignore-start` before it".into())),
                }
                None
            }
        };
    }
    for s in open {
        scopes[s] = Some(Scope::Bytes(markers[s].comment.span.end, text.len()));
        invalid.push((markers[s].comment.span.clone(), "`oie-lint-ignore-start` is never closed by `oie-lint-ignore-end` (it runs to the end of the file)".into()));
    }
    scopes
}

impl Scope {
    /// Whether a finding starting at byte `start`, on line `line`, is inside.
    fn covers(self, line: usize, start: usize) -> bool {
        match self {
            Scope::File => true,
            Scope::Lines(a, b) => (a..=b).contains(&line),
            Scope::Bytes(a, b) => (a..b).contains(&start),
        }
    }
}

/// Whether a marker of the `package.json` `text` suppresses a finding of
/// `rule` at byte `start`: the manifest side of a lockfile finding (see
/// [`Finding::stands_for`]).
pub fn package_json_suppresses(text: &str, reg: &Registry, rule: usize, start: usize) -> bool {
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return false;
    }
    let comments: Vec<Comment> = json_comments(text).collect();
    let mut ignored = Vec::new();
    let markers = read_markers(text, &comments, reg, &mut ignored);
    if markers.is_empty() {
        return false;
    }
    let index = LineIndex::new(text);
    let scopes = scopes_of(text, &index, &markers, &mut ignored);
    let line = index.position(text, start).line;
    markers.iter().zip(&scopes).any(|(m, scope)| {
        scope.is_some_and(|s| s.covers(line, start))
            && (m.selectors.is_empty() || m.selectors.iter().any(|s| s.rules.contains(&rule)))
    })
}

/// Marks the manifest dependencies of an inventory (`oie-lint versions`,
/// the audit) that an OIE004 marker covers, the same markers that suppress
/// the dependency's finding, so the tables agree with `check`: listed, but
/// not counted as blocking or warning. `cwd` resolves the uses' paths.
pub fn mark_acknowledged(
    uses: &mut [crate::versions::inventory::Use],
    reg: &Registry,
    cwd: &std::path::Path,
) {
    use crate::versions::inventory::{Status, UseKind};
    let Some(rule) = reg.find("OIE004") else {
        return;
    };
    let mut texts: std::collections::HashMap<String, Option<String>> = Default::default();
    for u in uses.iter_mut().filter(|u| {
        u.kind == UseKind::Manifest && matches!(u.status, Status::Blocking | Status::Warning)
    }) {
        let text = texts
            .entry(u.path.clone())
            .or_insert_with(|| std::fs::read_to_string(cwd.join(&u.path)).ok());
        u.suppressed = text
            .as_deref()
            .is_some_and(|t| package_json_suppresses(t, reg, rule, u.start));
    }
}

/// Removes the findings whose [`Finding::stands_for`] places are all
/// suppressed by markers in their files (`read` gives a file's text).
pub fn apply_elsewhere(
    reg: &Registry,
    findings: &mut Vec<Finding>,
    read: impl Fn(&std::path::Path) -> Option<String>,
) {
    if findings.iter().all(|f| f.stands_for.is_empty()) {
        return;
    }
    let mut texts: std::collections::HashMap<std::path::PathBuf, Option<String>> =
        Default::default();
    findings.retain(|f| {
        if f.stands_for.is_empty() {
            return true;
        }
        let all = f.stands_for.iter().all(|(path, span)| {
            let text = texts.entry(path.clone()).or_insert_with(|| read(path));
            text.as_deref()
                .is_some_and(|t| package_json_suppresses(t, reg, f.rule, span.start))
        });
        !all
    });
}

/// Removes suppressed findings and adds OIE900/OIE901 findings. Does
/// nothing (and costs one substring search) when the file has no marker.
/// Stand-in findings ([`Finding::stand_in`]) mark the markers that cover
/// them as used; the caller drops the rest.
pub fn apply(
    source: &SourceFile,
    comments: &[Comment],
    reg: &Registry,
    enabled: &RuleSet,
    findings: &mut Vec<Finding>,
) {
    let text = &source.text;
    let unused_rule = reg.find(UNUSED_CODE);
    let invalid_rule = reg.find(INVALID_CODE);
    let own = own_rules(reg);
    let report_invalid = invalid_rule.filter(|&r| enabled.is_enabled(r));
    let report_unused = unused_rule.filter(|&r| enabled.is_enabled(r));
    let mut extra = Vec::new();
    let mut problems: Vec<(Range<usize>, String)> = Vec::new();
    let mut markers = read_markers(text, comments, reg, &mut problems);
    if markers.is_empty() {
        push_invalid(report_invalid, problems, findings);
        return;
    }
    let index = LineIndex::new(text);
    let line = |off: usize| index.position(text, off).line;
    let scopes = scopes_of(text, &index, &markers, &mut problems);

    // Suppress.
    findings.retain(|f| {
        if own(f.rule) {
            return true;
        }
        let at_line = line(f.start);
        let mut covered = false;
        for (m, scope) in markers.iter_mut().zip(&scopes) {
            if !scope.is_some_and(|s| s.covers(at_line, f.start)) {
                continue;
            }
            if m.selectors.is_empty() {
                m.used_all = true;
                covered = true;
            }
            for s in &mut m.selectors {
                if s.rules.contains(&f.rule) {
                    s.used = true;
                    covered = true;
                }
            }
        }
        !covered
    });

    // Unused: markers (or some of their rules) that suppressed nothing.
    if let Some(r) = report_unused {
        for (m, scope) in markers.iter().zip(&scopes) {
            if m.directive == Directive::End || scope.is_none() {
                continue;
            }
            let place = match m.directive {
                Directive::File => "in this file",
                Directive::Start => "in this block",
                _ if matches!(scope, Some(Scope::Lines(a, _)) if *a > line(m.comment.span.end)) => {
                    "on the next line"
                }
                _ => "on this line",
            };
            let message = if m.selectors.is_empty() {
                (!m.used_all).then(|| format!("unused suppression: no finding {place}"))
            } else {
                let unused: Vec<String> = m
                    .selectors
                    .iter()
                    .filter(|s| !s.used && s.rules.iter().any(|&r| enabled.is_enabled(r)))
                    .map(|s| format!("`{}`", s.text))
                    .collect();
                (!unused.is_empty()).then(|| {
                    format!(
                        "unused suppression: no {} finding {place}",
                        unused.join(", ")
                    )
                })
            };
            if let Some(message) = message {
                extra.push(
                    Finding::new(r, m.comment.span.start, m.comment.span.end).message(message),
                );
            }
        }
    }
    findings.extend(extra);
    push_invalid(report_invalid, problems, findings);
}

fn push_invalid(
    rule: Option<usize>,
    problems: Vec<(Range<usize>, String)>,
    findings: &mut Vec<Finding>,
) {
    if let Some(r) = rule {
        findings.extend(
            problems
                .into_iter()
                .map(|(span, msg)| Finding::new(r, span.start, span.end).message(msg)),
        );
    }
}

/// Whether nothing but whitespace shares the comment's first and last lines.
fn alone(text: &str, c: &Comment) -> bool {
    let line_start = text[..c.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[c.span.end..]
        .find('\n')
        .map_or(text.len(), |i| c.span.end + i);
    let before = text[line_start..c.span.start].trim();
    let after = text[c.span.end..line_end].trim();
    before.is_empty() && (after.is_empty() || (c.json && after == ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str) -> (String, Comment) {
        let c = Comment {
            span: 0..text.len(),
            body: 2..text.len(),
            json: false,
        };
        (text.to_string(), c)
    }

    fn marker(text: &str) -> Marker {
        let (t, c) = comment(text);
        match parse(&t, &c) {
            Parsed::Marker(m) => m,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn parses_directives_selectors_and_reason() {
        let m = marker("// oie-lint-ignore OIE002, session-token OIE00 -- legacy -- flow");
        assert_eq!(m.directive, Directive::Line);
        let sels: Vec<_> = m.selectors.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(sels, ["OIE002", "session-token", "OIE00"]);
        assert_eq!(m.reason.as_deref(), Some("legacy -- flow"));
        let t = "// oie-lint-ignore OIE002, session-token OIE00 -- legacy -- flow";
        assert_eq!(&t[m.selectors[1].span.clone()], "session-token");
        assert_eq!(
            marker("// oie-lint-ignore-next-line: OIE004").directive,
            Directive::NextLine
        );
        assert_eq!(marker("//oie-lint-ignore-file").directive, Directive::File);
        assert!(marker("//  oie-lint-ignore-file").selectors.is_empty());
        assert_eq!(
            marker("// oie-lint-ignore-start OIE1").directive,
            Directive::Start
        );
        assert_eq!(marker("// oie-lint-ignore-end").directive, Directive::End);
        assert_eq!(
            marker("/** oie-lint-ignore OIE003 */".trim_end_matches("*/"))
                .selectors
                .len(),
            1
        );
    }

    #[test]
    fn package_json_markers_cover_dependencies_past_a_bom() {
        let reg = Registry::get();
        let oie004 = reg.find("OIE004").unwrap();
        let oie001 = reg.find("OIE001").unwrap();
        let text = "\u{feff}{\r\n  \"dependencies\": {\r\n    \"//\": \"oie-lint-ignore-next-line OIE004 -- JIRA-42\",\r\n    \"@okta/okta-signin-widget\": \"^4.0.0\",\r\n    \"express\": \"^4.0.0\"\r\n  }\r\n}\r\n";
        let dep = text.find("^4.0.0").unwrap();
        let next = text.rfind("^4.0.0").unwrap();
        assert!(package_json_suppresses(text, reg, oie004, dep));
        assert!(
            !package_json_suppresses(text, reg, oie001, dep),
            "another rule"
        );
        assert!(
            !package_json_suppresses(text, reg, oie004, next),
            "the line after"
        );
        let no_marker = text.replace("oie-lint-ignore-next-line OIE004", "upgrade later");
        assert!(!package_json_suppresses(&no_marker, reg, oie004, dep));
    }

    #[test]
    fn prose_and_other_words_are_not_markers() {
        for t in [
            "// we could add oie-lint-ignore here",
            "// oie-lint-ignored",
            "// oie-lint-ignore_x",
            "// expect: OIE002",
        ] {
            let (t, c) = comment(t);
            assert!(matches!(parse(&t, &c), Parsed::NotMarker), "{t}");
        }
        let (t, c) = comment("// oie-lint-ignore-nextline OIE002");
        assert!(matches!(parse(&t, &c), Parsed::Invalid(..)));
    }
}
