//! A language-server client for the tests: starts `oie-lint server`, frames
//! JSON-RPC messages (`Content-Length`) over its stdin/stdout, answers the
//! server's own requests as an editor would (`workspace/applyEdit` is
//! recorded and accepted, `workspace/configuration` gets the settings set
//! with [`Client::set_configuration`]) and applies LSP text edits with
//! UTF-16 positions, written here independently of the server's code.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet taken.
    pub notifications: Vec<Value>,
    /// `workspace/applyEdit` requests the server sent.
    pub applied_edits: Vec<Value>,
    /// What `workspace/configuration` answers.
    pub configuration: Value,
    /// The `positionEncoding` the server chose.
    pub position_encoding: String,
}

const TIMEOUT: Duration = Duration::from_secs(30);

impl Client {
    /// Starts the server in `root` and initializes it (UTF-16 positions,
    /// `workspace/configuration` and watched files supported).
    pub fn start(root: &Path, init_options: Value) -> Client {
        let c = Client::start_with(root, init_options, &["utf-16"]);
        assert_eq!(c.position_encoding, "utf-16");
        c
    }

    /// [`Client::start`] offering the position encodings `encodings`
    /// (the one the server picked is [`Client::position_encoding`]).
    pub fn start_with(root: &Path, init_options: Value, encodings: &[&str]) -> Client {
        let bin = assert_cmd::cargo::cargo_bin("oie-lint");
        let mut child = Command::new(bin)
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("oie-lint server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("a Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("a JSON message");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut c = Client {
            child,
            stdin,
            rx,
            next_id: 0,
            notifications: Vec::new(),
            applied_edits: Vec::new(),
            configuration: Value::Null,
            position_encoding: String::new(),
        };
        let uri = uri_of(root);
        let result = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "root"}],
                "initializationOptions": init_options,
                "capabilities": {
                    "workspace": {
                        "configuration": true,
                        "applyEdit": true,
                        "didChangeWatchedFiles": {"dynamicRegistration": true}
                    },
                    "textDocument": {
                        "codeAction": {"resolveSupport": {"properties": ["edit"]}}
                    },
                    "general": {"positionEncodings": encodings}
                }
            }),
        );
        c.position_encoding = result["capabilities"]["positionEncoding"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        c.notify("initialized", json!({}));
        c
    }

    fn write(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).unwrap();
        let stdin = self.stdin.as_mut().expect("the server's stdin is open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(&body).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its `result` (panics on an error answer).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    /// Sends a request and returns the whole response.
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its answer; its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The response to request `id` (notifications on the way are kept).
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        let m = self.rx.recv_timeout(left).ok()?;
        // A request from the server: answer it as an editor does.
        if let (Some(method), Some(id)) = (m.get("method").and_then(Value::as_str), m.get("id")) {
            let result = match method {
                "workspace/applyEdit" => {
                    self.applied_edits.push(m["params"].clone());
                    json!({"applied": true})
                }
                "workspace/configuration" => {
                    let n = m["params"]["items"].as_array().map_or(1, Vec::len);
                    Value::Array(vec![self.configuration.clone(); n])
                }
                _ => Value::Null,
            };
            let id = id.clone();
            self.write(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
        Some(m)
    }

    /// The first kept notification that satisfies `pred`, else the next
    /// message that does; notifications read on the way are kept in
    /// [`Client::notifications`].
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.notifications.iter().position(&pred) {
            return self.notifications.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self
                .next(deadline)
                .expect("the server answered within the timeout");
            if pred(&m) {
                return m;
            }
            if m.get("id").is_none() {
                self.notifications.push(m);
            }
        }
    }

    /// The next `publishDiagnostics` for `uri` (one already received is
    /// taken first).
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        let is_it = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        self.wait_for(is_it)["params"].clone()
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// Shuts the server down; returns its exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null());
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    /// Closes the server's input and waits for it to end; its exit code.
    pub fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `file:` URI of a path (the test paths are plain ASCII).
pub fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The byte offset of an LSP position (UTF-16 characters) in `text`.
pub fn offset(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    end
}

/// `text` with LSP text edits applied (all ranges in the original text).
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| {
                offset(
                    text,
                    p["line"].as_u64().unwrap(),
                    p["character"].as_u64().unwrap(),
                )
            };
            (
                at(&r["start"]),
                at(&r["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

/// The edits of a workspace edit for `uri` (`changes` or `documentChanges`).
pub fn edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(list) = edit["changes"][uri].as_array() {
        return list.clone();
    }
    edit["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["textDocument"]["uri"] == uri)
        .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
        .collect()
}
