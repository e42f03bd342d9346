#!/usr/bin/env python3
"""Score a tool's findings against make-corpus.py's ground truth.

    score.py --truth TRUTH.json --tool TOOL --output FILE --root CORPUS [--json OUT]

TOOL is one of: oie-lint (`check --format json`), ast-grep
(`scan --json=stream`), semgrep (`--json`), eslint (`-f json`), retire
(`--outputformat json`, file level), rg (`rg -l`, file level).

A finding is the set element (file, line, canonical rule id); several findings
of one rule on one line count once, for every tool alike. File-level tools
(rg, retire) are scored on the set of files that carry a ground-truth finding
(retire: of rule widget-old-version only). Prints one line per rule and a
total; `--json` writes the same numbers for run.sh.
"""

import argparse
import json
import os
import re
import sys

CODES = {"OIE001": "set-cookie-redirect", "OIE002": "session-token",
         "OIE003": "widget-no-icf", "OIE004": "widget-old-version"}
RULE_IDS = list(CODES.values())


def rel(path, root):
    p = path
    if os.path.isabs(p):
        p = os.path.relpath(p, root)
    p = p.replace(os.sep, "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def canonical(rule_id):
    """`rules.widget-old-version--json` -> `widget-old-version`."""
    r = rule_id.rsplit(".", 1)[-1].split("--", 1)[0]
    return r if r in RULE_IDS else None


def load_oie_lint(text, root):
    out = set()
    for d in json.loads(text or "[]"):
        rule = CODES.get(d["code"])
        if rule:
            out.add((rel(d["path"], root), d["line"], rule))
    return out


def load_ast_grep(text, root):
    out = set()
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        d = json.loads(line)
        rule = canonical(d.get("ruleId", ""))
        if rule:
            out.add((rel(d["file"], root), d["range"]["start"]["line"] + 1, rule))
    return out


def load_semgrep(text, root):
    out = set()
    data = json.loads(text or "{}")
    for r in data.get("results", []):
        rule = canonical(r["check_id"])
        if rule:
            out.add((rel(r["path"], root), r["start"]["line"], rule))
    return out


ESLINT_TAG = re.compile(r"^\[([a-z-]+)\]")


def load_eslint(text, root):
    out = set()
    for f in json.loads(text or "[]"):
        for m in f.get("messages", []):
            t = ESLINT_TAG.match(m.get("message", ""))
            if t and canonical(t.group(1)):
                out.add((rel(f["filePath"], root), m["line"], canonical(t.group(1))))
    return out


def load_retire(text, root):
    out = set()
    if not text.strip():
        return out
    data = json.loads(text)
    items = data.get("data", data) if isinstance(data, dict) else data
    for item in items:
        if any(r.get("vulnerabilities") for r in item.get("results", [])):
            out.add(rel(item["file"], root))
    return out


def load_rg(text, root):
    return {rel(line.strip(), root) for line in text.splitlines() if line.strip()}


LOADERS = {"oie-lint": load_oie_lint, "ast-grep": load_ast_grep, "semgrep": load_semgrep,
           "eslint": load_eslint, "retire": load_retire, "rg": load_rg}


def ratio(a, b):
    return round(a / b, 4) if b else None


def score(truth, found):
    res = {}
    for rule in RULE_IDS + ["all"]:
        t = {x for x in truth if rule == "all" or x[2] == rule}
        f = {x for x in found if rule == "all" or x[2] == rule}
        tp = len(t & f)
        res[rule] = {"tp": tp, "fp": len(f - t), "fn": len(t - f),
                     "precision": ratio(tp, len(f)), "recall": ratio(tp, len(t))}
    return res


def score_files(truth_files, found):
    tp = len(truth_files & found)
    return {"all": {"tp": tp, "fp": len(found - truth_files), "fn": len(truth_files - found),
                    "precision": ratio(tp, len(found)), "recall": ratio(tp, len(truth_files))}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--tool", required=True, choices=sorted(LOADERS))
    ap.add_argument("--output", required=True, help="the tool's output file")
    ap.add_argument("--root", required=True, help="corpus root the paths are relative to")
    ap.add_argument("--json", help="write the scores here")
    ap.add_argument("--show", type=int, default=5, help="print up to N misses and false alarms")
    args = ap.parse_args()

    meta = json.load(open(args.truth))
    truth = {(t["file"], t["line"], t["rule"]) for t in meta["findings"]}
    root = os.path.abspath(args.root)
    text = open(args.output, encoding="utf-8", errors="replace").read()
    found = LOADERS[args.tool](text, root)

    if args.tool in ("rg", "retire"):
        files = {t[0] for t in truth if args.tool == "rg" or t[2] == "widget-old-version"}
        res = {"level": "file", "scores": score_files(files, found)}
        fn, fp = sorted(files - found), sorted(found - files)
    else:
        res = {"level": "line", "scores": score(truth, found)}
        fn, fp = sorted(truth - found), sorted(found - truth)
    res["tool"] = args.tool
    res["truth"] = len(truth)
    res["missed"] = [list(x) if isinstance(x, tuple) else x for x in fn[:50]]
    res["false_alarms"] = [list(x) if isinstance(x, tuple) else x for x in fp[:50]]

    for rule, s in res["scores"].items():
        print(f"{args.tool:9} {rule:19} tp={s['tp']:<5} fp={s['fp']:<5} fn={s['fn']:<5} "
              f"P={s['precision']} R={s['recall']}")
    for x in fn[: args.show]:
        print(f"  missed:      {x}")
    for x in fp[: args.show]:
        print(f"  false alarm: {x}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
