#!/usr/bin/env bash
# The oie-lint benchmark, in one command:
#
#   scripts/bench/run.sh            # full run, writes BENCHMARKS.md (about 40 min on 2 cores)
#   scripts/bench/run.sh --quick    # small corpora, few runs: checks the harness (a few minutes)
#
# Steps: install the peers (scripts/bench/install-peers.sh), build oie-lint in
# release mode, build the corpora (scripts/bench/make-corpus.py), then run the
# scenarios with every tool in one session, alternating tool order between
# rounds (hyperfine --export-json for wall and CPU time, /usr/bin/time -v for
# peak RSS and for the output that scripts/bench/score.py scores against the
# ground truth), and finally scripts/bench/report.py writes the table.
#
# Scenarios: (1) whole-repo check of the corpus; (2) one staged file, as
# pre-commit runs it; (3) Okta-dense corpus, rules vs bare parse (from
# `check --timings -j 1`); (4) threads: 1 and $(nproc); plus peak RSS on a
# quarter-size corpus to see whether memory grows with the file count.
#
# Knobs (environment): BENCH_DIR (work dir, default /tmp/oie-lint-bench),
# PEERS (peer install prefix, default $BENCH_DIR/peers), FILES (20000),
# SMALL_FILES (5000), DENSE_FILES (2000), ROUNDS (3), FAST_RUNS (5 per round:
# oie-lint, rg, ast-grep), SLOW_ROUNDS (2: rounds that include semgrep and
# ESLint, 1 run each), SLOW_J1 (0: also run semgrep/ESLint at -j 1),
# FILE_RUNS (30: runs per tool for the one-file scenario), NOISE (issue or
# okta-heavy: the npm packages of the noise, see make-corpus.py), OUT
# (BENCHMARKS.md in the repo root; --quick writes $BENCH_DIR/BENCHMARKS.quick.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/bench"
BENCH_DIR="${BENCH_DIR:-/tmp/oie-lint-bench}"
export PEERS="${PEERS:-$BENCH_DIR/peers}"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
if [ "$QUICK" = 1 ]; then
  FILES="${FILES:-2000}" SMALL_FILES="${SMALL_FILES:-500}" DENSE_FILES="${DENSE_FILES:-200}"
  ROUNDS="${ROUNDS:-2}" FAST_RUNS="${FAST_RUNS:-2}" SLOW_ROUNDS="${SLOW_ROUNDS:-1}" FILE_RUNS="${FILE_RUNS:-5}"
  OUT="${OUT:-$BENCH_DIR/BENCHMARKS.quick.md}"
fi
FILES="${FILES:-20000}"
SMALL_FILES="${SMALL_FILES:-5000}"
DENSE_FILES="${DENSE_FILES:-2000}"
ROUNDS="${ROUNDS:-3}"
FAST_RUNS="${FAST_RUNS:-5}"
SLOW_ROUNDS="${SLOW_ROUNDS:-2}"
SLOW_J1="${SLOW_J1:-0}"
FILE_RUNS="${FILE_RUNS:-30}"
NOISE="${NOISE:-issue}"
OUT="${OUT:-$ROOT/BENCHMARKS.md}"
NPROC="$(nproc)"
RES="$BENCH_DIR/results"
mkdir -p "$BENCH_DIR"
rm -rf "$RES"
mkdir -p "$RES"
START=$(date +%s)
log() { printf '[bench %4ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }

# ---- machine state before anything runs (the report flags a busy machine)
{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nproc=$NPROC"
  echo "cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "mem=$(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "kernel=$(uname -r)"
  echo "quick=$QUICK"
  echo "files=$FILES"
  echo "small_files=$SMALL_FILES"
  echo "dense_files=$DENSE_FILES"
  echo "rounds=$ROUNDS"
  echo "fast_runs=$FAST_RUNS"
  echo "slow_rounds=$SLOW_ROUNDS"
  echo "file_runs=$FILE_RUNS"
  echo "git=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$RES/machine.txt"

# ---- 1. peers, 2. oie-lint (release)
log "installing peers into $PEERS"
bash "$HERE/install-peers.sh" > "$RES/install.log" 2>&1 || { cat "$RES/install.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$PEERS/env.sh"
log "building oie-lint (release)"
(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/oie-lint"
{
  echo "oie-lint=$("$BIN" --version | awk '{print $2}')"
  echo "rg=$(rg --version | sed -n 1p | awk '{print $2}')"
  echo "ast-grep=$(ast-grep --version | awk '{print $2}')"
  echo "semgrep=$(semgrep --version 2>/dev/null | tail -1)"
  echo "eslint=$(eslint --version | tr -d v)"
  echo "hyperfine=$(hyperfine --version | awk '{print $2}')"
  echo "node=$(node --version | tr -d v)"
} > "$RES/versions.txt"

# ---- 3. corpora
log "building corpora ($FILES, $SMALL_FILES and $DENSE_FILES dense files)"
MC=(python3 "$HERE/make-corpus.py" --noise "$NOISE" --src "$BENCH_DIR/npm-src-$NOISE")
"${MC[@]}" --out "$BENCH_DIR/corpus" --truth "$BENCH_DIR/corpus.truth.json" --files "$FILES" 2>> "$RES/corpus.log"
"${MC[@]}" --out "$BENCH_DIR/small" --truth "$BENCH_DIR/small.truth.json" --files "$SMALL_FILES" 2>> "$RES/corpus.log"
"${MC[@]}" --out "$BENCH_DIR/dense" --truth "$BENCH_DIR/dense.truth.json" --files "$DENSE_FILES" --dense 2>> "$RES/corpus.log"
cat "$RES/corpus.log" >&2

# The rules' trigger literals (rules/*.toml `triggers = [...]`): rg's floor.
mapfile -t TRIGGERS < <(python3 - "$ROOT/rules" <<'PY'
import sys, glob, tomllib
seen = []
for f in sorted(glob.glob(sys.argv[1] + "/*.toml")):
    for t in tomllib.load(open(f, "rb")).get("triggers", []):
        if t not in seen:
            seen.append(t)
print("\n".join(seen))
PY
)
RG_E=""
for t in "${TRIGGERS[@]}"; do RG_E="$RG_E -e $t"; done
echo "triggers=${TRIGGERS[*]}" >> "$RES/machine.txt"

SG_CFG="$HERE/peers/ast-grep/sgconfig.yml"
SEM_CFG="$HERE/peers/semgrep/rules.yml"
ES_CFG="$HERE/peers/eslint/eslint.config.mjs"

# cmd TOOL J TARGET: the command line (no shell; hyperfine -N splits on spaces).
cmd() {
  local tool=$1 j=$2 target=$3
  case $tool in
    oie-lint) echo "$BIN check --format json --exit-zero -j $j $target" ;;
    rg)       echo "rg -l -F -j $j$RG_E $target" ;;
    ast-grep) echo "ast-grep scan --config $SG_CFG --json=stream -j $j $target" ;;
    semgrep)  echo "semgrep scan --config $SEM_CFG --metrics=off --disable-version-check --json -q -j $j $target" ;;
    eslint)   if [ "$j" = 1 ]; then c=off; else c=$j; fi
              echo "eslint --no-config-lookup -c $ES_CFG -f json --concurrency $c $target" ;;
  esac
}

# once SCEN TOOL DIR TRUTH CMD...: one run under /usr/bin/time -v (peak RSS),
# keeping the output, then scored against the ground truth.
once() {
  local scen=$1 tool=$2 dir=$3 truth=$4; shift 4
  mkdir -p "$RES/$scen"
  (cd "$dir" && /usr/bin/time -v -o "$RES/$scen/$tool.time" "$@" > "$RES/$scen/$tool.out" 2> "$RES/$scen/$tool.err") || true
  if [ -n "$truth" ]; then
    python3 "$HERE/score.py" --truth "$truth" --tool "$tool" --output "$RES/$scen/$tool.out" \
      --root "$dir" --json "$RES/$scen/$tool.score.json" > "$RES/$scen/$tool.score.txt" 2>&1 || true
  fi
}

# timed SCEN TOOL DIR ROUND RUNS WARMUP CMD: hyperfine, JSON per round.
timed() {
  local scen=$1 tool=$2 dir=$3 round=$4 runs=$5 warm=$6 c=$7
  (cd "$dir" && hyperfine -N -i --style none --warmup "$warm" --runs "$runs" \
      --export-json "$RES/$scen/$tool.r$round.json" "$c" > /dev/null 2>> "$RES/hyperfine.log") || true
}

# scenario SCEN DIR TRUTH J TOOLS...: output run + alternating timed rounds.
scenario() {
  local scen=$1 dir=$2 truth=$3 j=$4; shift 4
  local tools=("$@") n=${#@}
  log "scenario $scen: ${tools[*]} (-j $j) on $dir"
  for tool in "${tools[@]}"; do
    # shellcheck disable=SC2046
    once "$scen" "$tool" "$dir" "$truth" $(cmd "$tool" "$j" .)
  done
  for ((r = 0; r < ROUNDS; r++)); do
    for ((k = 0; k < n; k++)); do
      tool=${tools[$(( (k + r) % n ))]}
      case $tool in
        semgrep|eslint)
          [ "$r" -lt "$SLOW_ROUNDS" ] || continue
          timed "$scen" "$tool" "$dir" "$r" 1 0 "$(cmd "$tool" "$j" .)" ;;
        *) timed "$scen" "$tool" "$dir" "$r" "$FAST_RUNS" 1 "$(cmd "$tool" "$j" .)" ;;
      esac
    done
    log "  round $((r + 1))/$ROUNDS done"
  done
}

ALL=(oie-lint rg ast-grep semgrep eslint)
FAST=(oie-lint rg ast-grep)

# ---- (1) whole repository, all threads
scenario 1-repo "$BENCH_DIR/corpus" "$BENCH_DIR/corpus.truth.json" "$NPROC" "${ALL[@]}"

# ---- (4) one thread
if [ "$SLOW_J1" = 1 ]; then
  scenario 4-repo-j1 "$BENCH_DIR/corpus" "$BENCH_DIR/corpus.truth.json" 1 "${ALL[@]}"
else
  scenario 4-repo-j1 "$BENCH_DIR/corpus" "$BENCH_DIR/corpus.truth.json" 1 "${FAST[@]}"
fi

# ---- memory scaling: the same check on a quarter-size corpus
log "memory: oie-lint on the $SMALL_FILES-file corpus"
# shellcheck disable=SC2046
once 5-memory-small oie-lint "$BENCH_DIR/small" "$BENCH_DIR/small.truth.json" $(cmd oie-lint "$NPROC" .)

# ---- (2) one staged file, as pre-commit passes it
STAGED=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(sorted({f["file"] for f in t["findings"] if f["file"].endswith("/src/login.js")})[0])' "$BENCH_DIR/corpus.truth.json")
echo "staged=$STAGED" >> "$RES/machine.txt"
log "scenario 2-file: $STAGED"
python3 - "$BENCH_DIR/corpus.truth.json" "$STAGED" "$BENCH_DIR/staged.truth.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["findings"] = [f for f in t["findings"] if f["file"] == sys.argv[2]]
json.dump(t, open(sys.argv[3], "w"))
PY
for tool in "${ALL[@]}"; do
  # shellcheck disable=SC2046
  once 2-file "$tool" "$BENCH_DIR/corpus" "$BENCH_DIR/staged.truth.json" $(cmd "$tool" 1 "$STAGED")
done
for ((r = 0; r < ROUNDS; r++)); do
  for ((k = 0; k < ${#ALL[@]}; k++)); do
    tool=${ALL[$(( (k + r) % ${#ALL[@]} ))]}
    case $tool in
      semgrep|eslint) [ "$r" -lt "$SLOW_ROUNDS" ] || continue
                      timed 2-file "$tool" "$BENCH_DIR/corpus" "$r" 3 1 "$(cmd "$tool" 1 "$STAGED")" ;;
      *) timed 2-file "$tool" "$BENCH_DIR/corpus" "$r" "$FILE_RUNS" 3 "$(cmd "$tool" 1 "$STAGED")" ;;
    esac
  done
done

# ---- (3) Okta-dense corpus: whole-run timings, and rules vs bare parse
scenario 3-dense "$BENCH_DIR/dense" "$BENCH_DIR/dense.truth.json" "$NPROC" "${FAST[@]}"
log "scenario 3-dense: oie-lint --timings -j 1 (parse vs check)"
for ((r = 0; r < ROUNDS * FAST_RUNS; r++)); do
  (cd "$BENCH_DIR/dense" && "$BIN" check --format json --exit-zero --timings -j 1 . > /dev/null 2>> "$RES/3-dense/timings.txt")
done

# ---- profile: where oie-lint's time goes (check --timings), for the report
log "profile: oie-lint --timings"
mkdir -p "$RES/profile"
(cd "$BENCH_DIR/corpus" && "$BIN" check --format json --exit-zero --timings -j 1 . 2>&1 > /dev/null | grep -v '^Found' > "$RES/profile/repo-j1.txt") || true
(cd "$BENCH_DIR/corpus" && "$BIN" check --format json --exit-zero --timings -j 1 "$STAGED" 2>&1 > /dev/null | grep -v '^Found' > "$RES/profile/file.txt") || true

# ---- report
cp "$BENCH_DIR"/*.truth.json "$RES/" 2>/dev/null || true
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RES/machine.txt"
echo "duration_s=$(( $(date +%s) - START ))" >> "$RES/machine.txt"
python3 "$HERE/report.py" --results "$RES" --out "$OUT"
log "wrote $OUT (results in $RES)"
