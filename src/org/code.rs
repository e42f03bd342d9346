//! What the scanned code says about the org: the OAuth client IDs it uses,
//! the issuers (authorization servers) and the sign-in redirect URIs it names.
//!
//! How it reads them, precisely rather than by grepping:
//! - JavaScript/TypeScript files and the `<script>` regions of HTML-like
//!   templates go through the same tree-sitter parse as the linter. Only
//!   object-literal properties count: a `clientId` / `client_id` key (also
//!   `clientID`) or an `issuer` key whose value is a plain string literal
//!   (or a template literal without substitutions); likewise `redirectUri`
//!   / `redirect_uri` (also `redirectURI`). Comments, other strings
//!   and identifiers never match. A property inside `new OktaSignIn({…})`
//!   (also in its `authParams`) is marked as the embedded widget.
//! - `.env`-style files (`.env`, `.env.*`, `*.env`) are read line by line
//!   with one anchored regex: `KEY=value` where the key ends in `CLIENT_ID`
//!   / `CLIENTID`, `ISSUER` or `REDIRECT_URI` (any prefix: `OKTA_`, `REACT_APP_OKTA_`, …),
//!   optionally `export`ed and quoted. Nothing else in those files is kept.

use crate::diagnostic::Position;
use crate::discover::{self, WalkOptions};
use crate::source::lines::LineIndex;
use crate::source::{self, html, FileKind};
use crate::syntax;
use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tree_sitter::Node;

/// How the code around a client ID authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Usage {
    /// The client is configured in `new OktaSignIn(...)`, or in a file that
    /// sets `useInteractionCodeFlow: true` or calls `idx.*` (direct
    /// authentication): it runs the Interaction Code flow under OIE.
    InteractionCode,
    /// A client ID in other code or a `.env` file: it needs the grant only if
    /// it embeds the widget or authenticates directly.
    Unknown,
}

/// Where the code names a value.
#[derive(Debug, Clone)]
pub struct Location {
    /// Display path (relative, `/`).
    pub path: String,
    pub start_byte: usize,
    pub end_byte: usize,
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone)]
pub struct ClientRef {
    pub client_id: String,
    pub usage: Usage,
    pub at: Location,
}

#[derive(Debug, Clone)]
pub struct IssuerRef {
    pub issuer: String,
    pub at: Location,
}

#[derive(Debug, Clone)]
pub struct RedirectRef {
    pub redirect_uri: String,
    pub at: Location,
}

/// Everything found, with the text of each file that has a reference (so a
/// finding can show a code frame).
#[derive(Debug, Default)]
pub struct CodeRefs {
    pub clients: Vec<ClientRef>,
    pub issuers: Vec<IssuerRef>,
    pub redirects: Vec<RedirectRef>,
    pub texts: BTreeMap<String, String>,
}

impl CodeRefs {
    /// How many references of every kind (to tell whether a file added any).
    fn count(&self) -> usize {
        self.clients.len() + self.issuers.len() + self.redirects.len()
    }

    /// The authorization server IDs named by issuers (`…/oauth2/<id>`).
    pub fn server_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .issuers
            .iter()
            .filter_map(|i| server_id(&i.issuer))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Every place a client ID is used, best evidence first, then by path and position.
    pub fn uses_of(&self, client_id: &str) -> Vec<&ClientRef> {
        let mut v: Vec<&ClientRef> = self
            .clients
            .iter()
            .filter(|c| c.client_id == client_id)
            .collect();
        v.sort_by(|a, b| (a.usage, &a.at.path, a.at.start).cmp(&(b.usage, &b.at.path, b.at.start)));
        v
    }
}

/// The authorization server ID in an issuer URL: `https://x/oauth2/default` → `default`.
pub fn server_id(issuer: &str) -> Option<String> {
    let rest = issuer.split("/oauth2/").nth(1)?;
    let id: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!id.is_empty() && id != "v1").then_some(id)
}

/// Reads the files under `paths` (walked as `check` walks them, plus
/// `.env`-style files) and collects client IDs and issuers.
pub fn scan(
    paths: &[PathBuf],
    opts: &WalkOptions,
    cwd: &Path,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> CodeRefs {
    let mut refs = CodeRefs::default();
    let found = discover::discover(paths, opts);
    let read = source::ReadOptions {
        extensions: &opts.extensions,
        encoding,
    };
    for path in &found.files {
        let Some(kind) = read.kind_of(path) else {
            continue;
        };
        // Manifests, lockfiles and vendored widget bundles hold no client IDs of the app.
        if matches!(
            kind,
            FileKind::PackageJson
                | FileKind::Lockfile
                | FileKind::WidgetBundle
                | FileKind::Css
                | FileKind::Settings
                | FileKind::Server(_)
        ) {
            continue;
        }
        let Ok(text) = read.read(path) else {
            continue;
        };
        if !(text.contains("lient") || text.contains("issuer") || text.contains("edirect")) {
            continue;
        }
        let display = source::display_path(path, cwd);
        let before = refs.count();
        scan_code(&display, &text, kind, &mut refs);
        if refs.count() != before {
            refs.texts.insert(display, text);
        }
    }
    for path in env_files(paths, opts) {
        let Ok(text) = read.read(&path) else {
            continue;
        };
        let display = source::display_path(&path, cwd);
        let before = refs.count();
        scan_env(&display, &text, &mut refs);
        if refs.count() != before {
            refs.texts.insert(display, text);
        }
    }
    refs.clients
        .sort_by(|a, b| (&a.at.path, a.at.start_byte).cmp(&(&b.at.path, b.at.start_byte)));
    refs.issuers
        .sort_by(|a, b| (&a.at.path, a.at.start_byte).cmp(&(&b.at.path, b.at.start_byte)));
    refs.redirects
        .sort_by(|a, b| (&a.at.path, a.at.start_byte).cmp(&(&b.at.path, b.at.start_byte)));
    refs
}

/// `.env`, `.env.local`, `production.env`, … under `paths` (hidden files
/// included, `node_modules` skipped, ignore files honoured as `check` does).
fn env_files(paths: &[PathBuf], opts: &WalkOptions) -> Vec<PathBuf> {
    let is_env = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == ".env" || n.starts_with(".env.") || n.ends_with(".env"))
    };
    let mut out = Vec::new();
    for root in paths {
        if root.is_file() {
            if is_env(root) {
                out.push(root.clone());
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(opts.respect_gitignore)
            .git_exclude(opts.respect_gitignore)
            .ignore(opts.respect_gitignore)
            .require_git(false)
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                !(discover::SKIP_DIRS.contains(&n.as_ref()) || n == ".git")
            })
            .build();
        for entry in walker.flatten() {
            if entry.file_type().is_some_and(|t| t.is_file()) && is_env(entry.path()) {
                out.push(entry.into_path());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn location(path: &str, text: &str, index: &LineIndex, start: usize, end: usize) -> Location {
    Location {
        path: path.to_string(),
        start_byte: start,
        end_byte: end,
        start: index.position(text, start),
        end: index.position(text, end),
    }
}

/// A value that could be an ID or URL: no spaces, no template syntax.
fn plausible(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 200
        && !v
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '{' | '}' | '$' | '%' | '<' | '>'))
}

/// Collects references from one JavaScript or HTML-like file.
pub fn scan_code(display: &str, text: &str, kind: FileKind, refs: &mut CodeRefs) {
    let interaction_file = interaction_code_evidence(text);
    let index = LineIndex::new(text);
    crate::parse::with_parsers(|p| {
        let (masked, regions): (String, Vec<(source::Dialect, Option<tree_sitter::Range>)>) =
            match kind {
                FileKind::Script(d) => (text.to_string(), vec![(d, None)]),
                FileKind::Html => {
                    let doc = html::analyze(text, p.html());
                    let regions = doc
                        .scripts
                        .iter()
                        .filter(|r| !r.handler)
                        .map(|r| (r.dialect, Some(r.range)))
                        .collect();
                    (doc.masked, regions)
                }
                FileKind::PackageJson
                | FileKind::Lockfile
                | FileKind::WidgetBundle
                | FileKind::Css
                | FileKind::Settings
                | FileKind::Server(_) => return,
            };
        for (dialect, range) in regions {
            let Some(tree) = p.parse_js(dialect, &masked, range) else {
                continue;
            };
            syntax::walk(tree.root_node(), |node| {
                if node.kind() != "pair" {
                    return;
                }
                let Some(key) = syntax::prop_key(node, &masked) else {
                    return;
                };
                let Some(value) = node.child_by_field_name("value") else {
                    return;
                };
                let Some((vs, ve)) = string_content(value, &masked) else {
                    return;
                };
                let v = &text[vs..ve];
                if !plausible(v) {
                    return;
                }
                let at = location(display, text, &index, vs, ve);
                match key {
                    "clientId" | "clientID" | "client_id" => {
                        let usage = if interaction_file || in_widget_config(node, &masked) {
                            Usage::InteractionCode
                        } else {
                            Usage::Unknown
                        };
                        refs.clients.push(ClientRef {
                            client_id: v.to_string(),
                            usage,
                            at,
                        });
                    }
                    "issuer" => refs.issuers.push(IssuerRef {
                        issuer: v.to_string(),
                        at,
                    }),
                    "redirectUri" | "redirectURI" | "redirect_uri" => {
                        refs.redirects.push(RedirectRef {
                            redirect_uri: v.to_string(),
                            at,
                        })
                    }
                    _ => {}
                }
            });
        }
    });
}

/// The byte range of a string literal's content (no quotes); template
/// literals only without substitutions.
fn string_content(node: Node, src: &str) -> Option<(usize, usize)> {
    match node.kind() {
        "string" => {
            let (s, e) = (node.start_byte(), node.end_byte());
            (e >= s + 2).then_some((s + 1, e - 1))
        }
        "template_string" => {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.kind() == "template_substitution")
            {
                return None;
            }
            let (s, e) = (node.start_byte(), node.end_byte());
            (e >= s + 2 && src.is_char_boundary(s + 1)).then_some((s + 1, e - 1))
        }
        _ => None,
    }
}

/// Whether the property sits in the arguments of `new OktaSignIn(...)`.
fn in_widget_config(mut node: Node, src: &str) -> bool {
    while let Some(parent) = node.parent() {
        if parent.kind() == "new_expression" {
            if let Some(ctor) = parent.child_by_field_name("constructor") {
                if src[ctor.byte_range()].ends_with("OktaSignIn") {
                    return true;
                }
            }
        }
        node = parent;
    }
    false
}

/// File-level signs of the Interaction Code flow: the embedded widget,
/// `useInteractionCodeFlow: true`, or auth-js direct authentication (`idx.*`).
fn interaction_code_evidence(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"new\s+(?:window\.)?OktaSignIn\b|useInteractionCodeFlow\s*:\s*true|\.idx\s*\.\s*(?:start|proceed|authenticate|register|recoverPassword|unlockAccount)\s*\(")
            .unwrap()
    })
    .is_match(text)
}

/// Collects references from one `.env`-style file.
pub fn scan_env(display: &str, text: &str, refs: &mut CodeRefs) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?m)^[ \t]*(?:export[ \t]+)?([A-Za-z0-9_]*?(?i:client_?id|issuer|redirect_?uri))[ \t]*=[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#"']+))"#)
            .unwrap()
    });
    let index = LineIndex::new(text);
    for caps in re.captures_iter(text) {
        let key = caps.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
        let Some(value) = caps.get(2).or(caps.get(3)).or(caps.get(4)) else {
            continue;
        };
        if !plausible(value.as_str()) {
            continue;
        }
        let at = location(display, text, &index, value.start(), value.end());
        if key.ends_with("issuer") {
            refs.issuers.push(IssuerRef {
                issuer: value.as_str().to_string(),
                at,
            });
        } else if key.ends_with("uri") {
            refs.redirects.push(RedirectRef {
                redirect_uri: value.as_str().to_string(),
                at,
            });
        } else {
            refs.clients.push(ClientRef {
                client_id: value.as_str().to_string(),
                usage: Usage::Unknown,
                at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Dialect;

    fn code(text: &str, kind: FileKind) -> CodeRefs {
        let mut r = CodeRefs::default();
        scan_code("f", text, kind, &mut r);
        r
    }

    #[test]
    fn widget_config_client_ids() {
        let r = code(
            "// clientId: '0oaCOMMENT'\nconst s = \"clientId: '0oaSTRING'\";\nconst w = new OktaSignIn({ baseUrl: 'x', clientId: '0oaW1', issuer: 'https://x.okta.com/oauth2/default' });\n",
            FileKind::Script(Dialect::JavaScript),
        );
        assert_eq!(r.clients.len(), 1);
        assert_eq!(r.clients[0].client_id, "0oaW1");
        assert_eq!(r.clients[0].usage, Usage::InteractionCode);
        assert_eq!(r.clients[0].at.start.line, 3);
        assert_eq!(r.server_ids(), vec!["default".to_string()]);
    }

    #[test]
    fn auth_js_config_without_evidence_is_unknown() {
        let r = code("export default { oidc: { clientId: `0oaA1`, issuer: `https://x/oauth2/aus9` } };\nauth.signInWithRedirect();\n", FileKind::Script(Dialect::TypeScript));
        assert_eq!(r.clients[0].client_id, "0oaA1");
        assert_eq!(r.clients[0].usage, Usage::Unknown);
        assert_eq!(r.server_ids(), vec!["aus9".to_string()]);
        let r = code(
            "const c = { clientId: `${id}` };",
            FileKind::Script(Dialect::JavaScript),
        );
        assert!(r.clients.is_empty());
    }

    #[test]
    fn html_script_regions() {
        let r = code("<p>clientId: '0oaTEXT'</p><script>var c = {client_id: \"0oaH1\"}; authClient.idx.start({});</script>", FileKind::Html);
        assert_eq!(r.clients.len(), 1);
        assert_eq!(r.clients[0].client_id, "0oaH1");
        assert_eq!(r.clients[0].usage, Usage::InteractionCode);
    }

    /// A page kept as `.txt` in Windows-1252 is read as `check` reads it:
    /// with the `--extension` map and the `--encoding` fallback.
    #[test]
    fn scan_reads_with_the_extension_map_and_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let page = "<p>s\u{e9}curis\u{e9}</p><script>var c = {client_id: \"0oaTXT1\"}; authClient.idx.start({});</script>";
        let cp1252: Vec<u8> = page.chars().map(|c| c as u32 as u8).collect();
        std::fs::write(dir.path().join("login.txt"), cp1252).unwrap();
        let paths = [dir.path().to_path_buf()];
        let mut opts = WalkOptions::default();
        let found = |opts: &WalkOptions, enc| scan(&paths, opts, dir.path(), enc).clients.len();
        assert_eq!(found(&opts, None), 0, "a .txt file is not read by default");
        let (ext, kind) = crate::source::ExtensionMap::parse_pair("txt:html").unwrap();
        opts.extensions.insert(ext, kind);
        assert_eq!(found(&opts, None), 0, "not UTF-8 and no encoding: not read");
        let r = scan(&paths, &opts, dir.path(), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(r.clients.len(), 1);
        assert_eq!(r.clients[0].client_id, "0oaTXT1");
    }

    #[test]
    fn env_files() {
        let mut r = CodeRefs::default();
        scan_env(
            ".env",
            "# OKTA_CLIENT_ID=0oaCOMMENTED\nOKTA_CLIENT_ID=0oaE1\nexport REACT_APP_OKTA_CLIENTID=\"0oaE2\"\nSECRET=abc\nOKTA_ISSUER='https://x.okta.com/oauth2/default'\n",
            &mut r,
        );
        let ids: Vec<_> = r.clients.iter().map(|c| c.client_id.as_str()).collect();
        assert_eq!(ids, ["0oaE1", "0oaE2"]);
        assert_eq!(
            r.clients[0].at.start,
            Position {
                line: 2,
                column: 16
            }
        );
        assert_eq!(r.server_ids(), vec!["default".to_string()]);
    }

    #[test]
    fn redirect_uris_in_code_and_env_files() {
        let r = code(
            "// redirectUri: 'https://comment.example.com/cb'\nnew OktaSignIn({ clientId: 'c', redirectUri: 'https://app.example.com/login/callback', authParams: { redirect_uri: `http://localhost:3000/cb` } });\nconst other = { redirectUri: window.location.origin + '/cb' };\n",
            FileKind::Script(Dialect::JavaScript),
        );
        let uris = |r: &CodeRefs| -> Vec<String> {
            r.redirects.iter().map(|u| u.redirect_uri.clone()).collect()
        };
        assert_eq!(
            uris(&r),
            [
                "https://app.example.com/login/callback",
                "http://localhost:3000/cb"
            ]
        );
        assert_eq!(r.redirects[0].at.start.line, 2);
        let mut r = CodeRefs::default();
        scan_env(".env", "# OKTA_REDIRECT_URI=https://no.example.com\nOKTA_REDIRECT_URI=https://env.example.com/cb\nREACT_APP_REDIRECTURI='http://localhost:8080/cb'\n", &mut r);
        assert_eq!(
            uris(&r),
            ["https://env.example.com/cb", "http://localhost:8080/cb"]
        );
        assert!(r.clients.is_empty() && r.issuers.is_empty());
    }

    #[test]
    fn server_ids_from_issuers() {
        assert_eq!(
            server_id("https://x.okta.com/oauth2/default").as_deref(),
            Some("default")
        );
        assert_eq!(
            server_id("https://x.okta.com/oauth2/aus1abc/").as_deref(),
            Some("aus1abc")
        );
        assert_eq!(server_id("https://x.okta.com/oauth2/v1/authorize"), None);
        assert_eq!(server_id("https://x.okta.com"), None);
    }
}
