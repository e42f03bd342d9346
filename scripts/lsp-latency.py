#!/usr/bin/env python3
"""Measures how long `oie-lint server` takes to answer a change in a big file.

Opens a generated 5,000-line JavaScript file with widget code (findings near
the top and the bottom), then types one character at a time (didChange, a
ranged edit) and times each until its publishDiagnostics arrives, with the
debounce set to 0 so only the server's own work is measured; then times a
codeAction request on the last finding. Prints the median and the worst.

Usage: python3 scripts/lsp-latency.py [path/to/oie-lint] [lines] [short]
(`short`: filler lines of about 35 bytes instead of about 85.)
Not a test: the numbers depend on the machine (see the notes of the change).
"""
import json, os, subprocess, sys, tempfile, time

bin_ = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/oie-lint")
lines = int(sys.argv[2]) if len(sys.argv) > 2 else 5000

block = """var signIn{i} = new OktaSignIn({{
  baseUrl: 'https://example.okta.com',
  clientId: '0oa1example',
  redirectUri: 'https://app.example.com/callback'
}});
signIn{i}.renderEl({{ el: '#w' }}, function (res) {{
  if (res.status === 'SUCCESS') {{ res.session.setCookieAndRedirect('/home'); }}
}});
"""
filler = "function helper{i}(a, b) {{ return a.map(function (x) {{ return x + b * {i}; }}); }}\n"
if len(sys.argv) > 3 and sys.argv[3] == "short":
    filler = "const value{i} = compute(a, {i});\n"
text = block.format(i=0)
i = 0
while text.count("\n") < lines - 8:
    i += 1
    text += filler.format(i=i)
text += block.format(i=1)

d = tempfile.mkdtemp()
path = os.path.join(d, "app.js")
open(path, "w").write(text)
uri = "file://" + path
p = subprocess.Popen([bin_, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=d)

def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()

def recv():
    n = None
    while True:
        line = p.stdout.readline().strip()
        if not line:
            break
        if line.startswith(b"Content-Length:"):
            n = int(line.split(b":")[1])
    return json.loads(p.stdout.read(n))

def wait(pred):
    while True:
        m = recv()
        if pred(m):
            return m

send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "processId": None, "rootUri": "file://" + d, "capabilities": {},
    "initializationOptions": {"debounceMs": 0}}})
wait(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t = time.perf_counter()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "javascript", "version": 1, "text": text}}})
first = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
print(f"{text.count(chr(10))} lines, {len(text)} bytes, {len(first['params']['diagnostics'])} findings")
print(f"open: {(time.perf_counter() - t) * 1000:.1f} ms")
times = []
mid = text.count("\n") // 2
for v in range(2, 32):
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": v},
        "contentChanges": [{"range": {"start": {"line": mid, "character": 0}, "end": {"line": mid, "character": 0}}, "text": "x"}]}})
    wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"didChange -> diagnostics: median {times[len(times) // 2]:.1f} ms, worst {times[-1]:.1f} ms ({len(times)} changes)")
last = first["params"]["diagnostics"][-1]["range"]
t = time.perf_counter()
send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
    "textDocument": {"uri": uri}, "range": last, "context": {"diagnostics": []}}})
r = wait(lambda m: m.get("id") == 2)
print(f"codeAction: {(time.perf_counter() - t) * 1000:.1f} ms ({len(r['result'])} actions)")
send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
wait(lambda m: m.get("id") == 3)
send({"jsonrpc": "2.0", "method": "exit"})
p.wait()
