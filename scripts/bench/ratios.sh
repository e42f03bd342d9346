#!/usr/bin/env bash
# The speed goals of issue 24, side by side in one run: ratios to `rg` and
# to a previous release, for the whole repository (default rules, the four
# rules of the migration guide, every rule), one staged file (pre-commit),
# and `audit` against `check`; then what each rule costs on Okta-dense code.
#
#   scripts/bench/ratios.sh                          # corpus built from npm packages
#   scripts/bench/ratios.sh --prev v0.1.0            # also a previous release (any git ref)
#   scripts/bench/ratios.sh --corpus ~/src/monorepo  # your own tree instead
#   scripts/bench/ratios.sh --prev a856eb3 --out BENCHMARKS.md   # append the tables there
#   scripts/bench/ratios.sh --prev a856eb3 --prev-bin ~/old/oie-lint   # a binary already built at that ref
#
# Needs hyperfine and rg (scripts/bench/install-peers.sh installs both). Run
# it on a quiet machine: other load on the cores skews every number. The
# previous release is built once in $BENCH_DIR/prev-<commit> (its own
# worktree and target directory) and reused by later runs.
#
# Knobs (environment): BENCH_DIR (default /tmp/oie-lint-bench), FILES (20000:
# files of the generated corpus), DENSE_FILES (600: Okta-dense files mixed
# into it, about what the issue's corpus held), RUNS (12 hyperfine runs per
# command), RULE_ROUNDS (3 runs per rule for the rule costs), NOISE (`issue`:
# webpack, prettier, ant-design and eslint as in issue 24's corpus; or
# `okta-heavy`: small packages plus the Sign-In Widget's own sources, the
# prefilter's worst case; see make-corpus.py).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/bench"
BENCH_DIR="${BENCH_DIR:-/tmp/oie-lint-bench}"
FILES="${FILES:-20000}"
DENSE_FILES="${DENSE_FILES:-600}"
RUNS="${RUNS:-12}"
RULE_ROUNDS="${RULE_ROUNDS:-3}"
NOISE="${NOISE:-issue}"
PREV="" PREV_BIN_GIVEN="" CORPUS="" OUT=""
while [ $# -gt 0 ]; do
  case $1 in
    --prev) PREV=$2; shift 2 ;;
    --prev-bin) PREV_BIN_GIVEN=$2; shift 2 ;;
    --corpus) CORPUS=$(cd "$2" && pwd); shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "ratios.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in hyperfine rg python3; do
  command -v "$tool" >/dev/null || { echo "ratios.sh: $tool is missing (scripts/bench/install-peers.sh)" >&2; exit 2; }
done
RES="$BENCH_DIR/ratios"
rm -rf "$RES"
mkdir -p "$RES"
log() { printf '[ratios] %s\n' "$*" >&2; }

log "building oie-lint (release)"
(cd "$ROOT" && cargo build --release --locked --quiet)
BIN="$ROOT/target/release/oie-lint"
PREV_BIN="$PREV_BIN_GIVEN"
if [ -n "$PREV" ] && [ -z "$PREV_BIN" ]; then
  sha=$(git -C "$ROOT" rev-parse --short "$PREV^{commit}")
  wt="$BENCH_DIR/prev-$sha"
  if [ ! -x "$wt/target/release/oie-lint" ]; then
    log "building the previous release $PREV ($sha) in $wt"
    rm -rf "$wt"
    git -C "$ROOT" worktree prune
    git -C "$ROOT" worktree add --detach "$wt" "$sha" >/dev/null
    (cd "$wt" && cargo build --release --locked --quiet)
  fi
  PREV_BIN="$wt/target/release/oie-lint"
fi

if [ -z "$CORPUS" ]; then
  CORPUS="$BENCH_DIR/ratios-corpus"
  log "building the corpus: $FILES files from npm packages ($NOISE noise), $DENSE_FILES Okta-dense files mixed in"
  python3 "$HERE/make-corpus.py" --noise "$NOISE" --src "$BENCH_DIR/npm-src-$NOISE" --out "$CORPUS" \
    --truth "$RES/corpus.truth.json" --files "$FILES" 2>> "$RES/corpus.log"
  python3 "$HERE/make-corpus.py" --out "$CORPUS/okta-dense" --truth "$RES/dense.truth.json" \
    --files "$DENSE_FILES" --dense --synthetic 2>> "$RES/corpus.log"
fi
DENSE="$BENCH_DIR/ratios-dense"
python3 "$HERE/make-corpus.py" --out "$DENSE" --truth "$RES/rules-dense.truth.json" \
  --files 2000 --dense --synthetic 2>> "$RES/corpus.log"

# The staged file of the pre-commit scenario: a sign-in script that needs
# the page→script link (no package.json declares the widget for it) when the
# corpus has one, else any file that builds the widget.
STAGED=$(cd "$CORPUS" && rg -l -F 'new OktaSignIn' -g '*.js' . | sort | head -1)
[ -n "$STAGED" ] || { echo "ratios.sh: no file in $CORPUS builds the widget" >&2; exit 2; }
log "corpus: $CORPUS ($(find "$CORPUS" -type f | wc -l) files); staged file: $STAGED"

# rg's floor: the four trigger literals of the migration guide's rules.
RG=(rg -l -F -e setCookieAndRedirect -e sessionToken -e OktaSignIn -e okta-signin-widget)
commands=(
  "rg|${RG[*]} ."
  "default|$BIN check --format json --exit-zero ."
  "migration-guide|$BIN check --format json --exit-zero --select migration-guide ."
  "ALL|$BIN check --format json --exit-zero --select ALL ."
  "audit|$BIN audit --format json -o /dev/null ."
  "rg one file|${RG[*]} $STAGED"
  "one file|$BIN check --format json --exit-zero $STAGED"
)
if [ -n "$PREV_BIN" ]; then
  commands+=(
    "previous|$PREV_BIN check --format json --exit-zero ."
    "previous one file|$PREV_BIN check --format json --exit-zero $STAGED"
  )
fi
args=()
for c in "${commands[@]}"; do args+=(-n "${c%%|*}" "${c#*|}"); done
log "timing ${#commands[@]} commands, $RUNS runs each, in one hyperfine session"
(cd "$CORPUS" && hyperfine -N -i --style none --warmup 2 --runs "$RUNS" \
  --export-json "$RES/whole.json" "${args[@]}" > /dev/null)

log "rule costs: check phase (-j 1 --timings) on 2,000 Okta-dense files, one rule at a time"
python3 - "$BIN" "$DENSE" "$RULE_ROUNDS" "$ROOT/rules" > "$RES/rules.json" <<'PY'
import glob, json, re, statistics, subprocess, sys, tomllib
binary, corpus, rounds, rules = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
codes = []
for f in sorted(glob.glob(rules + "/*.toml")):
    r = tomllib.load(open(f, "rb"))
    if r["detect"].get("check") not in ("org", "suppressions"):
        codes.append(r["code"])
def check_ms(select):
    out = []
    for _ in range(rounds):
        run = subprocess.run([binary, "check", "-j1", "--timings", "--select", select,
                              "--format", "json", "-o", "/dev/null", corpus],
                             capture_output=True, text=True)
        out.append(float(re.search(r"^\s+check\s+([\d.]+) ms", run.stderr, re.M).group(1)))
        parsed = int(re.search(r"(\d+) parsed", run.stderr).group(1))
    return statistics.median(out), parsed
result = {}
for code in codes:
    ms, parsed = check_ms(code)
    result[code] = {"check_ms": ms, "parsed": parsed}
json.dump(result, sys.stdout)
PY

python3 - "$RES" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git -C "$ROOT" rev-parse --short HEAD)" "${PREV:-}" \
  "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(cut -d' ' -f1-3 /proc/loadavg) load" \
  "$STAGED" > "$RES/report.md" <<'PY'
import json, sys
res, date, head, prev, machine, staged = sys.argv[1:7]
runs = {r["command"]: r for r in json.load(open(res + "/whole.json"))["results"]}
ms = lambda name: runs[name]["mean"] * 1000
print(f"### Ratios, {date} (commit {head}{', previous ' + prev if prev else ''})\n")
print(f"Machine: {machine}. `scripts/bench/ratios.sh{' --prev ' + prev if prev else ''}`; "
      f"hyperfine means; one file: `{staged}`.\n")
print("| command | mean | vs rg | vs previous | goal |")
print("|---|---|---|---|---|")
goals = {"default": ("rg", 1.2), "ALL": ("rg", 1.5), "one file": ("rg one file", 1.2),
         "audit": ("default", 1.3), "migration-guide": ("default", 1.0)}
for name in runs:
    floor = "rg one file" if "one file" in name else "rg"
    vs_rg = ms(name) / ms(floor)
    p = "previous one file" if "one file" in name else "previous"
    vs_prev = f"{ms(name) / ms(p):.2f} ×" if p in runs and not name.startswith(("rg", "previous")) else ""
    goal = ""
    if name in goals:
        base, limit = goals[name]
        ratio = ms(name) / ms(base)
        goal = f"≤ {limit} × {base}: {ratio:.2f} × {'**met**' if ratio <= limit else '**not met**'}"
    print(f"| {name} | {ms(name):.1f} ms | {vs_rg:.2f} × | {vs_prev} | {goal} |")
rules = json.load(open(res + "/rules.json"))
print("\nEach rule alone on 2,000 Okta-dense files (`check -j 1 --timings --select CODE`, median "
      "of the check phase; files parsed shows what its triggers admit):\n")
print("| rule | check phase | files parsed |")
print("|---|---|---|")
for code, r in rules.items():
    print(f"| {code} | {r['check_ms']:.1f} ms | {r['parsed']} |")
PY
cat "$RES/report.md"
if [ -n "$OUT" ]; then
  { echo; cat "$RES/report.md"; } >> "$OUT"
  log "appended to $OUT"
fi
