//! The message loop over stdio (`lsp-server`, synchronous): initialize,
//! then requests and notifications one at a time until `shutdown`/`exit`.
//!
//! Changes are debounced: a `didChange` marks its document dirty, and the
//! dirty documents are checked and published once no message has come for
//! the debounce time (or at once on open and save). A request about a
//! dirty document lints its current text first, so answers never lag.
//!
//! Other documents follow: every open buffer is what other files' checks
//! read of that file ([`crate::source::overlay`]), and a change to one
//! re-checks the open documents that depend on it (see
//! [`Server::text_changed`]).
//!
//! The loop reads ahead: messages waiting on stdin are taken before work
//! starts and again before its result is sent, so a request cancelled by
//! `$/cancelRequest` before it is answered gets `RequestCancelled`
//! (-32800), and a document's diagnostics are neither computed nor sent
//! when a newer change of it is already waiting.

use super::actions;
use super::diagnostics;
use super::documents::{self, Documents};
use super::engine::{Engine, Linted};
use super::position::{self, Encoding, Lines};
use super::settings::Settings;
use crate::source::overlay;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::*;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Runs the server on stdin/stdout until the client says `exit`. Returns
/// the process exit code (0 after `shutdown`, 1 when the client went away
/// without it, as the protocol says).
pub fn run(settings: Settings) -> i32 {
    let (connection, io) = Connection::stdio();
    // The checks recurse: the loop gets the workers' stack.
    let code = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(crate::syntax::WORKER_STACK)
            .spawn_scoped(s, || serve(&connection, settings))
            .expect("a thread")
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    });
    drop(connection);
    let _ = io.join();
    code
}

fn serve(connection: &Connection, cli_settings: Settings) -> i32 {
    // The same buffers are parsed again after each edit: this thread's
    // script parses reuse the previous tree's unchanged parts.
    crate::parse::keep_last_tree(true);
    let (id, params) = match connection.initialize_start() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: oie-lint server: {e}");
            return 1;
        }
    };
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = pick_encoding(&init);
    let settings = match &init.initialization_options {
        Some(v) => cli_settings.overlaid(v).unwrap_or_else(|e| {
            eprintln!("{e}");
            cli_settings.clone()
        }),
        None => cli_settings.clone(),
    };
    let root = root_of(&init);
    let caps = capabilities(enc);
    let result = serde_json::json!({
        "capabilities": caps,
        "serverInfo": { "name": "oie-lint", "version": env!("CARGO_PKG_VERSION") },
    });
    if let Err(e) = connection.initialize_finish(id, result) {
        eprintln!("error: oie-lint server: {e}");
        return 1;
    }
    let workspace_config = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.configuration)
        .unwrap_or(false);
    let mut server = Server {
        conn: connection,
        inbox: inbox(connection),
        engine: Engine::new(root, settings.clone()),
        docs: Documents::default(),
        enc,
        dirty: BTreeSet::new(),
        last_change: None,
        next_id: 0,
        workspace_config,
        start_settings: settings.clone(),
        linted: HashMap::new(),
        resolve_edits: resolves_edits(&init),
        last_error: None,
        queue: VecDeque::new(),
        dependents: BTreeSet::new(),
        reads: HashMap::new(),
    };
    server.watch_config_files(&init);
    server.main_loop()
}

/// A thread that takes each message from the connection as soon as it is
/// read and queues it (unbounded) for the loop. It ends with the
/// connection's input.
fn inbox(connection: &Connection) -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel();
    let from = connection.receiver.clone();
    std::thread::spawn(move || {
        for m in from {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    rx
}

/// Whether the client can resolve a code action's `edit` later.
fn resolves_edits(init: &InitializeParams) -> bool {
    init.capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.code_action.as_ref())
        .and_then(|c| c.resolve_support.as_ref())
        .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
}

/// UTF-8 when the client offers it (no conversion), else UTF-16.
fn pick_encoding(init: &InitializeParams) -> Encoding {
    let offered = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// The workspace folder (the first), the root URI, or the working directory.
#[allow(deprecated)] // root_uri: older clients (Neovim 0.7) send only it.
fn root_of(init: &InitializeParams) -> PathBuf {
    init.workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| documents::path_of(&f.uri))
        .or_else(|| init.root_uri.as_ref().and_then(documents::path_of))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL_KIND),
            ]),
            resolve_provider: Some(true),
            ..Default::default()
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![actions::FIX_ALL_COMMAND.to_string()],
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

struct Server<'a> {
    conn: &'a Connection,
    /// The client's messages, as fast as they come: `lsp-server` hands
    /// them over one at a time (a rendezvous channel), so without this
    /// reader the loop could not see the messages waiting behind the one
    /// it takes.
    inbox: mpsc::Receiver<Message>,
    engine: Engine,
    docs: Documents,
    enc: Encoding,
    /// Documents changed since they were last published, by URI.
    dirty: BTreeSet<Uri>,
    last_change: Option<Instant>,
    next_id: i32,
    workspace_config: bool,
    /// The settings at start (flags, then `initializationOptions`); the
    /// editor's later settings override them key by key.
    start_settings: Settings,
    /// The last lint of each document, with the version it was made of:
    /// code actions and hover reuse it.
    linted: HashMap<Uri, (i32, Rc<Linted>)>,
    /// Whether the client resolves a code action's edit later
    /// (`codeAction/resolve`): the fix-all edit is then computed only
    /// when chosen.
    resolve_edits: bool,
    /// The last error shown (a broken config file is said once, not once
    /// per open document).
    last_error: Option<String>,
    /// Messages read from the client and not handled yet.
    queue: VecDeque<Message>,
    /// Documents to check again with the dirty ones: a file they depend on
    /// changed.
    dependents: BTreeSet<Uri>,
    /// The other files each document's last check read (absolute,
    /// normalised): a change to one of them re-checks the document.
    reads: HashMap<Uri, BTreeSet<PathBuf>>,
}

/// Files under whose folder every file depends on them: config files
/// (settings), manifests, lockfiles and pnpm workspaces (widget versions).
fn governs_folder(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    crate::config::FILE_NAMES.contains(&name)
        || name == "package.json"
        || name == "pnpm-workspace.yaml"
        || crate::source::LOCKFILE_NAMES.contains(&name)
}

fn is_config_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    crate::config::FILE_NAMES.contains(&name)
}

/// The id a `$/cancelRequest` names.
fn cancelled_id(n: &Notification) -> Option<RequestId> {
    match n.params.get("id")? {
        serde_json::Value::Number(v) => Some(RequestId::from(i32::try_from(v.as_i64()?).ok()?)),
        serde_json::Value::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

/// Whether `m` changes or closes the document `uri`.
fn changes_document(m: &Message, uri: &Uri) -> bool {
    match m {
        Message::Notification(n)
            if n.method == note::DidChangeTextDocument::METHOD
                || n.method == note::DidCloseTextDocument::METHOD =>
        {
            n.params["textDocument"]["uri"].as_str() == Some(uri.as_str())
        }
        _ => false,
    }
}

impl Server<'_> {
    fn main_loop(&mut self) -> i32 {
        loop {
            self.read_ahead();
            // A steady stream of messages does not hold diagnostics back
            // past the debounce time.
            if let Some(at) = self.last_change {
                let wait = Duration::from_millis(self.engine.settings.debounce_ms);
                if !self.queue.is_empty() && at.elapsed() >= wait {
                    self.publish_dirty();
                }
            }
            let msg = match (self.queue.pop_front(), self.last_change) {
                (Some(m), _) => m,
                (None, Some(at)) => {
                    let wait = Duration::from_millis(self.engine.settings.debounce_ms);
                    let left = (at + wait).saturating_duration_since(Instant::now());
                    match self.inbox.recv_timeout(left) {
                        Ok(m) => m,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            self.publish_dirty();
                            continue;
                        }
                        Err(_) => return 1,
                    }
                }
                (None, None) => match self.inbox.recv() {
                    Ok(m) => m,
                    Err(_) => return 1,
                },
            };
            match msg {
                Message::Request(r) if r.method == req::Shutdown::METHOD => {
                    self.send(Response::new_ok(r.id, ()));
                    return self.await_exit();
                }
                Message::Request(r) => self.on_request(r),
                // Exit before shutdown.
                Message::Notification(n) if n.method == note::Exit::METHOD => return 1,
                Message::Notification(n) => self.on_notification(n),
                Message::Response(r) => self.on_response(r),
            }
        }
    }

    /// After `shutdown`: 0 when `exit` comes next, as the protocol says.
    fn await_exit(&mut self) -> i32 {
        let next = self
            .queue
            .pop_front()
            .or_else(|| self.inbox.recv_timeout(Duration::from_secs(30)).ok());
        match next {
            Some(Message::Notification(n)) if n.method == note::Exit::METHOD => 0,
            _ => 1,
        }
    }

    /// Takes the messages waiting on the connection into [`Server::queue`].
    fn read_ahead(&mut self) {
        while let Ok(m) = self.inbox.try_recv() {
            self.queue.push_back(m);
        }
    }

    /// Whether request `id` was cancelled by a waiting `$/cancelRequest`
    /// (which is then taken).
    fn cancelled(&mut self, id: &RequestId) -> bool {
        self.read_ahead();
        let at = self.queue.iter().position(|m| {
            matches!(m, Message::Notification(n)
                if n.method == note::Cancel::METHOD && cancelled_id(n).as_ref() == Some(id))
        });
        at.map(|i| self.queue.remove(i)).is_some()
    }

    /// Whether a change (or the close) of `uri` is waiting: a check of its
    /// current text would be moot.
    fn superseded(&mut self, uri: &Uri) -> bool {
        self.read_ahead();
        self.queue.iter().any(|m| changes_document(m, uri))
    }

    fn send(&self, m: impl Into<Message>) {
        let _ = self.conn.sender.send(m.into());
    }

    fn send_cancelled(&self, id: RequestId) {
        self.send(Response::new_err(
            id,
            ErrorCode::RequestCanceled as i32,
            "cancelled".to_string(),
        ));
    }

    fn notify<N: note::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params));
    }

    fn request<R: req::Request>(&mut self, params: R::Params) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(format!("oie-lint-{}", self.next_id));
        self.send(Request::new(id.clone(), R::METHOD.to_string(), params));
        id
    }

    fn show_error(&mut self, message: String) {
        if self.last_error.as_ref() == Some(&message) {
            return;
        }
        self.last_error = Some(message.clone());
        self.notify::<note::ShowMessage>(ShowMessageParams {
            typ: MessageType::ERROR,
            message,
        });
    }

    /// Asks the client to tell it when a config file changes on disk.
    fn watch_config_files(&mut self, init: &InitializeParams) {
        let dynamic = init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        // Config files, manifests and lockfiles: a change on disk (an
        // install, a checkout) changes the settings or the widget version.
        let watchers = crate::config::FILE_NAMES
            .iter()
            .chain(["package.json"].iter())
            .chain(crate::source::LOCKFILE_NAMES.iter())
            .map(|n| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{n}")),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        self.request::<req::RegisterCapability>(RegistrationParams {
            registrations: vec![Registration {
                id: "oie-lint-watched-files".to_string(),
                method: note::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        });
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<DidOpenTextDocumentParams>(note::DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let d = p.text_document;
                let Some(path) = self
                    .docs
                    .open(d.uri.clone(), d.text, d.version)
                    .map(|doc| doc.path.clone())
                else {
                    return;
                };
                // A buffer that is not the file on disk (an unsaved editor
                // state) changes what the others read of the file.
                let differs = self.docs.get(&d.uri).is_some_and(|doc| {
                    std::fs::read(&path).map_or(true, |disk| disk != doc.text.as_bytes())
                });
                if differs {
                    let deps = self.text_changed(&path);
                    self.dependents.extend(deps);
                }
                self.dirty.insert(d.uri);
                self.publish_dirty();
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<DidChangeTextDocumentParams>(note::DidChangeTextDocument::METHOD)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                if self
                    .docs
                    .change(&uri, p.text_document.version, p.content_changes, self.enc)
                {
                    if let Some(path) = self.docs.get(&uri).map(|d| d.path.clone()) {
                        let deps = self.text_changed(&path);
                        self.dependents.extend(deps);
                    }
                    self.dirty.insert(uri);
                    self.last_change = Some(Instant::now());
                }
            }
            note::DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<DidSaveTextDocumentParams>(note::DidSaveTextDocument::METHOD)
                else {
                    return;
                };
                // The buffer was the others' source already: the saved
                // document and what waits for the debounce are published now.
                self.dirty.insert(p.text_document.uri);
                self.publish_dirty();
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<DidCloseTextDocumentParams>(note::DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.dirty.remove(&uri);
                self.dependents.remove(&uri);
                self.linted.remove(&uri);
                self.reads.remove(&uri);
                if let Some(doc) = self.docs.close(&uri) {
                    self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    });
                    // Closed unsaved: the others read the disk's text again.
                    let differs =
                        std::fs::read(&doc.path).map_or(true, |disk| disk != doc.text.as_bytes());
                    if differs {
                        let deps = self.text_changed(&doc.path);
                        self.dependents.extend(deps);
                        self.publish_dirty();
                    }
                }
            }
            note::DidChangeConfiguration::METHOD => {
                let Ok(p) =
                    n.extract::<DidChangeConfigurationParams>(note::DidChangeConfiguration::METHOD)
                else {
                    return;
                };
                if self.workspace_config {
                    self.request::<req::WorkspaceConfiguration>(ConfigurationParams {
                        items: vec![ConfigurationItem {
                            scope_uri: None,
                            section: Some("oie-lint".to_string()),
                        }],
                    });
                } else {
                    self.apply_settings(&p.settings);
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    n.extract::<DidChangeWatchedFilesParams>(note::DidChangeWatchedFiles::METHOD)
                else {
                    return;
                };
                // An open document's buffer wins over its file.
                let changed: Vec<PathBuf> = p
                    .changes
                    .iter()
                    .filter(|c| self.docs.get(&c.uri).is_none())
                    .filter_map(|c| documents::path_of(&c.uri))
                    .collect();
                for path in changed {
                    let deps = self.text_changed(&path);
                    self.dependents.extend(deps);
                }
                self.publish_dirty();
            }
            _ => {}
        }
    }

    fn on_response(&mut self, r: Response) {
        // The answer to `workspace/configuration`: one item, our section.
        let is_config = r
            .result
            .as_ref()
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.len() == 1);
        if let (true, Some(v)) = (is_config, r.result.and_then(|v| v.get(0).cloned())) {
            if v.is_null() {
                return;
            }
            self.apply_settings(&v);
        }
    }

    /// New settings from the editor, over the ones the server started with
    /// (flags, then `initializationOptions`).
    fn apply_settings(&mut self, value: &serde_json::Value) {
        match self.start_settings.overlaid(value) {
            Ok(s) => {
                if s != self.engine.settings {
                    self.engine.settings = s;
                    self.reset();
                    self.republish_all();
                }
            }
            Err(e) => self.show_error(e),
        }
    }

    /// Forgets the linters and every lint made with them.
    fn reset(&mut self) {
        self.last_error = None;
        self.engine.reset();
        self.linted.clear();
    }

    /// The lint of a document's current text (made once per version).
    fn lint(&mut self, uri: &Uri) -> Result<Option<Rc<Linted>>, String> {
        let Some(doc) = self.docs.get(uri) else {
            return Ok(None);
        };
        if let Some((v, l)) = self.linted.get(uri) {
            if *v == doc.version && l.file.text == doc.text {
                return Ok(Some(l.clone()));
            }
        }
        let (path, text, version) = (doc.path.clone(), doc.text.clone(), doc.version);
        let (linted, reads) = overlay::record(|| self.engine.lint(&path, &text));
        self.reads.insert(uri.clone(), reads);
        let Some(l) = linted? else {
            self.linted.remove(uri);
            return Ok(None);
        };
        let l = Rc::new(l);
        self.linted.insert(uri.clone(), (version, l.clone()));
        Ok(Some(l))
    }

    fn republish_all(&mut self) {
        self.dirty.extend(self.docs.uris());
        self.publish_dirty();
    }

    /// The file at `path` has new text (a buffer changed, opened or closed
    /// unsaved; a file changed on disk): the linters forget what they read
    /// of it, and the open documents that depend on it are returned (their
    /// last lints dropped):
    /// - a config file: every open document (its linter is made again);
    /// - a manifest, lockfile or pnpm workspace: the documents below its
    ///   folder (their widget versions);
    /// - a page: the scripts it loads, before or after the change;
    /// - any file: the documents whose last check read it (a module a
    ///   widget config is imported from).
    fn text_changed(&mut self, path: &Path) -> Vec<Uri> {
        let root = self.engine.root().to_path_buf();
        let key = crate::pathglob::normalize(&root, path);
        let everyone = is_config_file(&key);
        let scripts = if everyone {
            self.reset();
            Vec::new()
        } else {
            self.engine.changed(&key)
        };
        let folder = governs_folder(&key).then(|| key.parent()).flatten();
        let mut deps = Vec::new();
        for uri in self.docs.uris() {
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            let other = crate::pathglob::normalize(&root, &doc.path);
            if other == key {
                continue;
            }
            let depends = everyone
                || folder.is_some_and(|f| other.starts_with(f))
                || scripts.binary_search(&other).is_ok()
                || self.reads.get(&uri).is_some_and(|r| r.contains(&key));
            if depends {
                deps.push(uri);
            }
        }
        for uri in &deps {
            self.linted.remove(uri);
        }
        deps
    }

    /// Publishes the dirty documents, then the documents that depend on
    /// them, then the open modules that the checks so far found to be a
    /// widget's config (imported by a file handing it to `new OktaSignIn`)
    /// and that were last checked as plain modules.
    fn publish_dirty(&mut self) {
        self.last_change = None;
        let dirty: Vec<Uri> = std::mem::take(&mut self.dirty).into_iter().collect();
        for uri in &dirty {
            self.publish(uri);
        }
        for uri in std::mem::take(&mut self.dependents) {
            if !dirty.contains(&uri) {
                self.publish(&uri);
            }
        }
        let newly_config: Vec<Uri> = self
            .linted
            .iter()
            .filter(|(_, (_, l))| !l.config_module)
            .filter(|(_, (_, l))| self.engine.is_config_module(&l.file.path))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in newly_config {
            self.linted.remove(&uri);
            self.publish(&uri);
        }
    }

    /// Lints a document and publishes its diagnostics, unless a newer
    /// change of it is waiting (before the lint or after it).
    fn publish(&mut self, uri: &Uri) {
        let Some(version) = self.docs.get(uri).map(|d| d.version) else {
            return;
        };
        if self.superseded(uri) {
            return;
        }
        let diagnostics = match self.lint(uri) {
            Ok(Some(l)) => {
                let (docs, enc) = (&self.docs, self.enc);
                // Another file's text: its buffer when open, else the disk's.
                let text_of = |p: &std::path::Path| {
                    docs.by_path(p)
                        .map(|d| d.text.clone())
                        .or_else(|| std::fs::read_to_string(p).ok())
                };
                let linter = self.engine.linter_for(&l.file.path).ok().flatten();
                let related = |d: &crate::diagnostic::Diagnostic| match linter {
                    Some((linter, _)) => super::related::related(linter, &l.file, d, &text_of, enc),
                    None => Vec::new(),
                };
                diagnostics::of_report(&l.report, &l.file.text, enc, &related)
            }
            Ok(None) => Vec::new(),
            Err(e) => {
                self.show_error(format!("oie-lint: {e}"));
                Vec::new()
            }
        };
        if self.superseded(uri) {
            return;
        }
        self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version: Some(version),
        });
    }

    fn on_request(&mut self, r: Request) {
        let id = r.id.clone();
        if self.cancelled(&id) {
            self.send_cancelled(id);
            return;
        }
        // A command has effects (it asks the client to edit): once run, it
        // is answered. The other answers are dropped when cancelled while
        // they were made.
        let answers_only = r.method != req::ExecuteCommand::METHOD;
        let result = match r.method.as_str() {
            req::CodeActionRequest::METHOD => r
                .extract::<CodeActionParams>(req::CodeActionRequest::METHOD)
                .map_err(|e| e.to_string())
                .map(|(_, p)| serde_json::to_value(self.code_actions(p))),
            req::CodeActionResolveRequest::METHOD => r
                .extract::<CodeAction>(req::CodeActionResolveRequest::METHOD)
                .map_err(|e| e.to_string())
                .map(|(_, a)| serde_json::to_value(self.resolve(a))),
            req::HoverRequest::METHOD => r
                .extract::<HoverParams>(req::HoverRequest::METHOD)
                .map_err(|e| e.to_string())
                .map(|(_, p)| serde_json::to_value(self.hover(p))),
            req::ExecuteCommand::METHOD => r
                .extract::<ExecuteCommandParams>(req::ExecuteCommand::METHOD)
                .map_err(|e| e.to_string())
                .and_then(|(_, p)| self.execute(p))
                .map(|_| Ok(serde_json::Value::Null)),
            _ => {
                self.send(Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("oie-lint server does not answer {}", r.method),
                ));
                return;
            }
        };
        if answers_only && self.cancelled(&id) {
            self.send_cancelled(id);
            return;
        }
        match result {
            Ok(Ok(v)) => self.send(Response::new_ok(id, v)),
            Ok(Err(e)) => self.send(Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                e.to_string(),
            )),
            Err(e) => self.send(Response::new_err(id, ErrorCode::InvalidParams as i32, e)),
        }
    }

    fn code_actions(&mut self, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = p.text_document.uri;
        let linted = self.lint(&uri).ok()??;
        let (text, enc) = (&linted.file.text, self.enc);
        let lines = Lines::new(text);
        let wants = |k: &CodeActionKind| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    k.as_str() == o.as_str() || k.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let lo = lines.offset(text, p.range.start, enc);
        let hi = lines.offset(text, p.range.end, enc);
        let mut out = Vec::new();
        if wants(&CodeActionKind::QUICKFIX) {
            let unsafe_ok = self.engine.settings.unsafe_fixes;
            let mut found: Vec<_> = linted
                .report
                .diagnostics
                .iter()
                .filter(|d| d.start_byte <= hi && lo <= d.end_byte)
                .collect();
            found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            for d in found {
                let lsp = diagnostics::to_lsp(d, &lines, text, enc);
                let offered = d.fix.as_ref().is_some_and(|f| {
                    unsafe_ok || f.applicability == crate::diagnostic::Applicability::Safe
                });
                if offered {
                    let before = *linted
                        .syntax_errors
                        .get_or_init(|| Engine::syntax_errors(&linted.file));
                    if let Some(fixed) = self.engine.fix_one(&linted.file, d, before) {
                        out.extend(actions::quick_fix(&uri, d, &lsp, text, &fixed, enc));
                    }
                }
                out.extend(actions::suppress(
                    &uri,
                    d,
                    &lsp,
                    linted.file.kind,
                    text,
                    enc,
                ));
            }
        }
        let fix_all_kind = CodeActionKind::new(actions::FIX_ALL_KIND);
        let any_safe_fix = linted.report.diagnostics.iter().any(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == crate::diagnostic::Applicability::Safe)
        });
        if any_safe_fix && wants(&fix_all_kind) {
            // Asked for by kind (on save): the edit now. Offered among the
            // others (the light bulb): the edit when chosen, by
            // `codeAction/resolve` or the command.
            let asked = p.context.only.is_some();
            if asked {
                if let Some(fixed) = self.engine.fix_all(&linted.file.path, text, false) {
                    out.extend(actions::fix_all(&uri, text, &fixed, enc));
                }
            } else {
                out.push(actions::fix_all_deferred(&uri, self.resolve_edits));
            }
        }
        Some(
            out.into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        )
    }

    /// `codeAction/resolve`: the fix-all edit of the document in `data`.
    fn resolve(&mut self, mut action: CodeAction) -> CodeAction {
        let uri = action
            .data
            .as_ref()
            .and_then(|d| d.get("uri"))
            .and_then(|u| u.as_str())
            .and_then(|u| u.parse::<Uri>().ok());
        if let Some(uri) = uri {
            if let Ok(Some(l)) = self.lint(&uri) {
                let fixed = self.engine.fix_all(&l.file.path, &l.file.text, false);
                if let Some(fixed) = fixed {
                    let edit = position::minimal_edit(&l.file.text, &fixed, self.enc);
                    action.edit = edit.map(|e| actions::edit_of(&uri, e));
                }
            }
        }
        action
    }

    fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let at = p.text_document_position_params;
        let linted = self.lint(&at.text_document.uri).ok()??;
        let (text, enc) = (&linted.file.text, self.enc);
        let lines = Lines::new(text);
        let offset = lines.offset(text, at.position, enc);
        super::hover::hover(&linted.report.diagnostics, offset, |d| {
            position::range(&lines, text, d.start_byte, d.end_byte, enc)
        })
    }

    /// `oie-lint.applyAutofix URI`: the safe fixes, sent to the client as
    /// `workspace/applyEdit`.
    fn execute(&mut self, p: ExecuteCommandParams) -> Result<(), String> {
        if p.command != actions::FIX_ALL_COMMAND {
            return Err(format!("unknown command {}", p.command));
        }
        let uri = p
            .arguments
            .first()
            .and_then(|a| {
                a.as_str()
                    .map(str::to_string)
                    .or_else(|| a.get("uri").and_then(|u| u.as_str()).map(str::to_string))
            })
            .and_then(|s| s.parse::<Uri>().ok())
            .ok_or_else(|| format!("{} takes a document URI", actions::FIX_ALL_COMMAND))?;
        let doc = self
            .docs
            .get(&uri)
            .ok_or_else(|| format!("{} is not open", uri.as_str()))?;
        let (path, text) = (doc.path.clone(), doc.text.clone());
        let fixed = self.engine.fix_all(&path, &text, false);
        if let Some(edit) = fixed.and_then(|f| position::minimal_edit(&text, &f, self.enc)) {
            self.request::<req::ApplyWorkspaceEdit>(ApplyWorkspaceEditParams {
                label: Some("oie-lint: fix all safe problems".to_string()),
                edit: actions::edit_of(&uri, edit),
            });
        }
        Ok(())
    }
}
