#!/usr/bin/env bash
# What the rules beyond Okta's migration guide cost on Okta-dense code
# (issue 14): `check --timings -j 1` on a dense synthetic corpus with three
# selections, interleaved, ROUNDS rounds (default 7); prints the fastest and
# the median `check` phase and total per selection, and the findings count.
#
#   scripts/bench/rule-cost.sh            # builds release, 2,000 dense files
#   DENSE_FILES=5000 ROUNDS=11 scripts/bench/rule-cost.sh
#
# The selections: `migration-guide` (the four rules of the guide),
# `recommended` (the default set) and `ALL` (preview rules too).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${BENCH_DIR:-/tmp/oie-lint-bench}/rule-cost"
mkdir -p "$WORK"
(cd "$ROOT" && cargo build --release --locked -q)
python3 "$ROOT/scripts/bench/make-corpus.py" --out "$WORK/dense" --truth "$WORK/dense.truth.json" \
    --files "${DENSE_FILES:-2000}" --dense --synthetic
python3 - "$ROOT/target/release/oie-lint" "$WORK/dense" "${ROUNDS:-7}" <<'PY'
import json, re, statistics, subprocess, sys
binary, corpus, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
selections = ["migration-guide", "recommended", "ALL"]
times = {s: {"check": [], "total": []} for s in selections}
findings = {}
for _ in range(rounds):
    for s in selections:
        run = subprocess.run([binary, "check", "-j1", "--timings", "--select", s,
                              "--format", "json", corpus], capture_output=True, text=True)
        findings[s] = len(json.loads(run.stdout))
        for phase in times[s]:
            m = re.search(r"^\s+" + phase + r"\s+([\d.]+) ms", run.stderr, re.M)
            times[s][phase].append(float(m.group(1)))
base = statistics.median(times["migration-guide"]["check"])
print(f"{'selection':16} {'findings':>8} {'check min':>10} {'check median':>13} {'vs guide':>9} {'total median':>13}")
for s in selections:
    c, t = times[s]["check"], times[s]["total"]
    print(f"{s:16} {findings[s]:>8} {min(c):>8.1f}ms {statistics.median(c):>11.1f}ms "
          f"{statistics.median(c) / base:>8.2f}x {statistics.median(t):>11.1f}ms")
PY
