#!/usr/bin/env python3
"""Writes the seed corpora (corpus/<target>/seed-*) from fixtures/ and the
rule examples (rules/*.toml, `code` and `fixed`). Each seed is one kind byte
(the index of the file name in oie_lint::fuzzing::NAMES) and the file text.
Run from anywhere; rerun after adding fixtures or examples."""
import hashlib, pathlib, re, tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
src = (ROOT / "src/fuzzing.rs").read_text()
NAMES = re.findall(r'^    "([^"]+)",$', src.split("pub const NAMES")[1].split("];")[0], re.M)

def name_for(filename):
    base = filename.rsplit("/", 1)[-1]
    if base in NAMES:
        return base
    if base.startswith("okta-sign-in"):
        return "okta-sign-in.min.js"
    ext = base.rsplit(".", 1)[-1].lower()
    by_ext = {"html": "login.html", "htm": "login.html", "jsp": "login.jsp", "php": "login.php",
              "hbs": "login.hbs", "handlebars": "login.hbs", "vm": "login.vm", "erb": "login.erb",
              "ftl": "login.jsp", "js": "app.js", "mjs": "app.js", "cjs": "app.js", "jsx": "app.jsx",
              "ts": "app.ts", "mts": "app.ts", "tsx": "App.tsx", "vue": "login.html", "njk": "login.html"}
    return by_ext.get(ext)

seeds = []
for f in sorted((ROOT / "fixtures").rglob("*")):
    if f.is_file() and name_for(f.name) and f.stat().st_size < 200_000:
        seeds.append((name_for(f.name), f.read_bytes()))
for r in sorted((ROOT / "rules").glob("*.toml")):
    data = tomllib.loads(r.read_text())
    for ex in data.get("invalid", []) + data.get("valid", []):
        n = name_for(ex.get("filename", "a.js"))
        if not n:
            continue
        for key in ("code", "fixed"):
            if key in ex:
                seeds.append((n, ex[key].encode()))

html = {"login.html", "login.jsp", "login.php", "login.hbs", "login.vm", "login.erb"}
count = {}
for target in ("mask_html", "lint", "fix"):
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*"):
        old.unlink()
    for name, text in seeds:
        if target == "mask_html" and name not in html:
            continue
        blob = bytes([NAMES.index(name)]) + text
        (d / ("seed-" + hashlib.sha1(blob).hexdigest()[:16])).write_bytes(blob)
        count[target] = count.get(target, 0) + 1
print(count)
