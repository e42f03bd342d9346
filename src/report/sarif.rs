//! The `sarif` format: SARIF 2.1.0 as GitHub code scanning ingests it.
//!
//! What GitHub (and `sarif-multitool validate --rule-kind "Gh;Sarif"`) needs,
//! and where it comes from here:
//! - `tool.driver.rules` lists *every* rule of the registry (not just those
//!   that fired), so an alert's rule has its help even when it is the only
//!   one; `ruleIndex` points into that list.
//! - URIs are relative, `/`-separated and percent-encoded, resolved against
//!   `%SRCROOT%`, whose absolute `file://` URI is given in
//!   `originalUriBaseIds` (the checkout, i.e. the working directory).
//! - Columns are UTF-16 code units (SARIF's default `columnKind`), computed
//!   by [`LineIndex::utf16_column`] from the original text.
//! - `partialFingerprints` come from [`super::fingerprint`] and survive
//!   inserted lines, so alerts are tracked across commits.
//! - Arrays are always present (possibly empty), optional objects are
//!   omitted, never `null`; `fixes` appear only for findings with a fix, and
//!   always with `artifactChanges`.
//!
//! Why plain serde structs rather than the `serde-sarif` crate: we emit a
//! small, fixed subset of the schema, and owning the structs lets us control
//! exactly which members appear (no `null`s, stable member order for
//! snapshots) without a builder API and three proc-macro dependencies in the
//! release binary. `serde-sarif` is still used, as a dev-dependency, to check
//! in the tests that our output deserialises into its typed model of the
//! schema (`tests/it/sarif.rs`), so a typo'd member name cannot slip through.

use super::fingerprint;
use super::Run;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Registry, Rule};
use crate::source::lines::LineIndex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SRCROOT: &str = "%SRCROOT%";

/// The tool's home page (`tool.driver.informationUri`): Cargo.toml's
/// `repository`. The member is optional and left out while that is unset.
pub fn information_uri() -> Option<&'static str> {
    crate::repository()
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<SarifRun<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    /// Left out for a rule without a link (see `Rule::url`).
    #[serde(skip_serializing_if = "str::is_empty")]
    help_uri: &'a str,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties<'a> {
    tags: Vec<&'a str>,
    /// The rule's checklist category (also the last tag).
    category: &'a str,
    /// Off unless selected (`--select preview`).
    preview: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    /// The whole lines around the region, so viewers without a checkout
    /// (and reviewers of the raw log) see the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor<'_> {
    let mut markdown = format!(
        "{}\n\n## What it does\n\n{}\n\n## Why it breaks under Okta Identity Engine\n\n{}\n\n## How to fix\n\n{}\n\n## Fix safety\n\n{}\n",
        rule.summary,
        rule.docs().what.trim(),
        rule.docs().why.trim(),
        rule.docs().how.trim(),
        rule.docs().fix_safety.trim(),
    );
    let mut help_text = rule.help.clone();
    if !rule.url.is_empty() {
        markdown.push_str(&format!("\n{}: <{}>\n", rule.url_label(), rule.url));
        help_text.push_str(&format!("\n\n{}: {}", rule.url_label(), rule.url));
    }
    ReportingDescriptor {
        id: &rule.code,
        name: &rule.name,
        short_description: text(&rule.summary),
        full_description: text(rule.docs().what.trim()),
        help_uri: &rule.url,
        help: Help {
            text: help_text,
            markdown,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: vec!["okta", "okta-identity-engine", "migration", &rule.category],
            category: &rule.category,
            preview: rule.preview,
        },
    }
}

/// Where a display path points: relative ones hang off `%SRCROOT%`.
fn artifact(path: &str) -> ArtifactLocation {
    if Path::new(path).is_absolute() {
        ArtifactLocation {
            uri: file_uri(path, false),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(path),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// RFC 3986 path encoding: unreserved characters and `/` pass, all other
/// bytes (spaces, `%`, `#`, `?`, `:`, non-ASCII, …) become `%XX`.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/path` (with a trailing `/` for a directory, as SARIF requires
/// of base URIs). Windows paths become `file:///C:/dir/`.
fn file_uri(path: &str, dir: bool) -> String {
    let mut p = path.replace('\\', "/");
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if dir && !p.ends_with('/') {
        p.push('/');
    }
    // Keep the drive colon of `/C:/…` readable; it is legal in a path segment.
    format!(
        "file://{}",
        percent_encode(&p).replacen("%3A", ":", usize::from(p.as_bytes().get(2) == Some(&b':')))
    )
}

/// Snippets longer than this are left out (a hit in a one-line bundle
/// would otherwise copy the whole bundle into the report).
const MAX_SNIPPET: usize = 1000;

/// Byte span → SARIF region (1-based lines, UTF-16 columns, end exclusive).
fn region(text: &str, index: &LineIndex, start: usize, end: usize) -> Region {
    let end = end.max(start);
    Region {
        start_line: index.position(text, start).line,
        start_column: index.utf16_column(text, start),
        end_line: index.position(text, end).line,
        end_column: index.utf16_column(text, end),
        snippet: None,
    }
}

/// The region of a finding, with its text as the snippet.
fn result_region(text: &str, index: &LineIndex, start: usize, end: usize) -> Region {
    Region {
        snippet: snippet(text, start, end.max(start)),
        ..region(text, index, start, end)
    }
}

/// The full lines the finding's span touches (without the final line break).
fn context_region(text: &str, index: &LineIndex, start: usize, end: usize) -> Option<Region> {
    let first = index.line_range(text, index.position(text, start).line)?;
    let last = index.line_range(text, index.position(text, end.max(start)).line)?;
    let from = if first.start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        first.start
    };
    if (from, last.end) == (start, end.max(start)) {
        // The finding is its whole lines already; SARIF requires a context
        // region to be a proper superset of the region (SARIF1008).
        return None;
    }
    let snippet = snippet(text, from, last.end)?;
    Some(Region {
        snippet: Some(snippet),
        ..region(text, index, from, last.end)
    })
}

fn snippet(text: &str, start: usize, end: usize) -> Option<Text> {
    text.get(start..end)
        .filter(|s| s.len() <= MAX_SNIPPET)
        .map(|s| Text {
            text: s.to_string(),
        })
}

fn result<'a>(
    reg: &Registry,
    d: &'a Diagnostic,
    src: &str,
    index: &LineIndex,
    fp: String,
) -> SarifResult<'a> {
    let location = || PhysicalLocation {
        artifact_location: artifact(&d.path),
        region: None,
        context_region: None,
    };
    let fixes = d
        .fix
        .iter()
        .filter(|f| !f.edits.is_empty())
        .map(|f| {
            let mut edits: Vec<_> = f.edits.iter().collect();
            edits.sort_by_key(|e| (e.start, e.end));
            SarifFix {
                description: text(&f.description),
                artifact_changes: vec![ArtifactChange {
                    artifact_location: location().artifact_location,
                    replacements: edits
                        .into_iter()
                        .map(|e| Replacement {
                            deleted_region: region(src, index, e.start, e.end),
                            inserted_content: text(&e.replacement),
                        })
                        .collect(),
                }],
            }
        })
        .collect();
    SarifResult {
        rule_id: d.code,
        rule_index: reg
            .find(d.code)
            .expect("diagnostics come from registered rules"),
        level: level(d.severity),
        message: text(&d.message),
        locations: vec![Location {
            physical_location: PhysicalLocation {
                region: Some(result_region(src, index, d.start_byte, d.end_byte)),
                context_region: context_region(src, index, d.start_byte, d.end_byte),
                ..location()
            },
        }],
        partial_fingerprints: [(format!("oieLint/v{}", fingerprint::VERSION), fp)].into(),
        fixes,
    }
}

pub fn render(run: &Run, w: &mut dyn Write) -> io::Result<()> {
    let reg = Registry::get();
    let fingerprints = fingerprint::fingerprints(run);
    let mut indexes: BTreeMap<&str, LineIndex> = BTreeMap::new();
    let mut results = Vec::with_capacity(run.diagnostics.len());
    for (d, fp) in run.diagnostics.iter().zip(fingerprints) {
        let src = run.sources.get(&d.path).map_or("", String::as_str);
        let index = indexes
            .entry(d.path.as_str())
            .or_insert_with(|| LineIndex::new(src));
        results.push(result(reg, d, src, index, fp));
    }
    let notifications = run
        .errors
        .iter()
        .map(|(path, msg)| {
            // A problem at a known place (`invalid JSON` at 3:14) gets a region.
            let at = crate::diagnostic::location(msg);
            Notification {
                level: "error",
                message: text(crate::diagnostic::with_path(path, msg)),
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact(path),
                        region: at.map(|(at, _)| Region {
                            start_line: at.line,
                            start_column: at.column,
                            end_line: at.line,
                            end_column: at.column,
                            snippet: None,
                        }),
                        context_region: None,
                    },
                }],
            }
        })
        .collect();
    let mut base_ids = BTreeMap::new();
    if run.root.is_absolute() {
        base_ids.insert(
            SRCROOT,
            ArtifactLocation {
                uri: file_uri(&run.root.to_string_lossy(), true),
                uri_base_id: None,
            },
        );
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "oie-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: reg.rules.iter().map(descriptor).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: run.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: base_ids,
            results,
            column_kind: "utf16CodeUnits",
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Fix};

    /// A run with one fixable finding on a line with a non-BMP character,
    /// since no built-in rule carries a fix on this branch yet.
    fn run_with_fix() -> Run {
        let text = "// okta\nconst w /* 😀 */ = new OktaSignIn({ clientId: id, useInteractionCodeFlow: false });\n";
        let index = LineIndex::new(text);
        let start = text.find("false").unwrap();
        let end = start + "false".len();
        let mut run = Run {
            root: "/work/repo".into(),
            ..Run::default()
        };
        run.diagnostics.push(Diagnostic {
            code: "OIE003",
            name: "missing-interaction-code-flow",
            severity: Severity::Error,
            message: "`useInteractionCodeFlow: false` keeps the Classic Engine".into(),
            path: "src/login.js".into(),
            start_byte: start,
            end_byte: end,
            start: index.position(text, start),
            end: index.position(text, end),
            fix: Some(Fix {
                applicability: Applicability::Safe,
                description: "Set `useInteractionCodeFlow: true`".into(),
                edits: vec![Edit {
                    start,
                    end,
                    replacement: "true".into(),
                }],
            }),
            no_fix: None,
        });
        // A finding that is a whole line: no contextRegion (it would not be
        // a proper superset of the region, which SARIF forbids).
        let line = index.line_range(text, 1).unwrap();
        run.diagnostics.push(Diagnostic {
            code: "OIE004",
            name: "widget-version-too-old",
            severity: Severity::Warning,
            message: "A whole-line finding".into(),
            path: "src/login.js".into(),
            start_byte: line.start,
            end_byte: line.end,
            start: index.position(text, line.start),
            end: index.position(text, line.end),
            fix: None,
            no_fix: None,
        });
        run.sources.insert("src/login.js".into(), text.into());
        run
    }

    #[test]
    fn whole_line_findings_have_no_context_region() {
        let text = "// okta\nx\n";
        let index = LineIndex::new(text);
        assert_eq!(context_region(text, &index, 0, 7), None);
        assert!(context_region(text, &index, 3, 7).is_some());
        let log: serde_json::Value =
            serde_json::from_str(&render_to_string(&run_with_fix())).unwrap();
        let locs: Vec<_> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["locations"][0]["physicalLocation"])
            .collect();
        assert!(locs[0].get("contextRegion").is_some());
        assert!(locs[1].get("contextRegion").is_none(), "{}", locs[1]);
    }

    fn render_to_string(run: &Run) -> String {
        let mut out = Vec::new();
        render(run, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fixes_carry_artifact_changes() {
        let text = render_to_string(&run_with_fix());
        // Pinned as a file so `scripts/validate-sarif.sh` can also run the
        // SARIF Multitool over a log that has `fixes`.
        let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
        insta::assert_snapshot!("sarif_with_fix", text.replace(&version, "\"[VERSION]\""));
        let log: serde_sarif::sarif::Sarif = serde_json::from_str(&text).unwrap();
        let result = &log.runs[0].results.as_ref().unwrap()[0];
        let fix = &result.fixes.as_ref().unwrap()[0];
        assert_eq!(
            fix.description.as_ref().unwrap().text.as_deref(),
            Some("Set `useInteractionCodeFlow: true`")
        );
        let change = &fix.artifact_changes[0];
        assert_eq!(
            change.artifact_location.uri.as_deref(),
            Some("src/login.js")
        );
        let r = &change.replacements[0];
        assert_eq!(
            (
                r.deleted_region.start_line,
                r.deleted_region.start_column,
                r.deleted_region.end_column
            ),
            (Some(2), Some(75), Some(80)),
            "UTF-16 columns: the emoji counts twice"
        );
        assert_eq!(
            r.inserted_content.as_ref().unwrap().text.as_deref(),
            Some("true")
        );
    }

    #[test]
    fn findings_without_fix_have_no_fixes_member() {
        let mut run = run_with_fix();
        run.diagnostics[0].fix = None;
        assert!(!render_to_string(&run).contains("\"fixes\""));
    }

    #[test]
    fn uris_are_relative_encoded_and_forward_slashed() {
        let a = artifact("web/sign in/[id].vue");
        assert_eq!(a.uri, "web/sign%20in/%5Bid%5D.vue");
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        assert_eq!(artifact("ünï.js").uri, "%C3%BCn%C3%AF.js");
    }

    #[test]
    fn absolute_paths_become_file_uris_without_base() {
        let a = artifact("/srv/app/login.html");
        assert_eq!(a.uri, "file:///srv/app/login.html");
        assert_eq!(a.uri_base_id, None);
        assert_eq!(file_uri("/work/repo", true), "file:///work/repo/");
        assert_eq!(
            file_uri("C:\\work\\my repo", true),
            "file:///C:/work/my%20repo/"
        );
    }

    #[test]
    fn regions_use_utf16_columns_with_exclusive_end() {
        // '😀' is 4 bytes, 1 char and 2 UTF-16 units; 'é' is 2 bytes, 1 unit.
        let text = "x\n😀é setCookieAndRedirect();\n";
        let index = LineIndex::new(text);
        let start = text.find("set").unwrap();
        let r = region(text, &index, start, start + "setCookieAndRedirect".len());
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 5,
                end_line: 2,
                end_column: 25,
                snippet: None
            }
        );
        let c = context_region(text, &index, start, start + 3).unwrap();
        assert_eq!((c.start_column, c.end_column), (1, 28));
        assert_eq!(c.snippet.unwrap().text, "😀é setCookieAndRedirect();");
    }
}
