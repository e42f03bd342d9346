#!/usr/bin/env bash
# Validates oie-lint's SARIF output with Microsoft's SARIF Multitool:
# the SARIF 2.1.0 JSON schema plus the SARIF and GitHub code scanning
# rule sets (`validate --rule-kind "Gh;Sarif"`). Fails on any error-level
# result; warnings and notes are printed but do not fail.
#
# Usage: scripts/validate-sarif.sh            (from anywhere; builds oie-lint)
#   OIE_LINT=path/to/oie-lint   use this binary instead of `cargo build`
#   SARIF_MULTITOOL_PREFIX=DIR  npm prefix for the multitool (default .ci/node)
#
# Needs node/npm (the multitool ships as an npm package that wraps a
# self-contained .NET executable; no .NET install is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MULTITOOL_VERSION=5.7.0
PREFIX=${SARIF_MULTITOOL_PREFIX:-$ROOT/.ci/node}
case "$(uname -s)" in
  Linux) PLATFORM=linux ;;
  Darwin) PLATFORM=darwin ;;
  *) PLATFORM=win32 ;;
esac
MT="$PREFIX/node_modules/@microsoft/sarif-multitool-$PLATFORM/Sarif.Multitool"
[ "$PLATFORM" = win32 ] && MT="$MT.exe"

if [ ! -e "$MT" ]; then
  echo "== installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $PREFIX"
  npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >/dev/null
fi
# npm may skip the package's postinstall `chmod`; do it ourselves.
chmod u+x "$MT"
# The .NET runtime inside needs no ICU in invariant mode (minimal CI images lack libicu).
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
# The npm `sarif-multitool` wrapper runs the binary through a shell, which
# splits "Gh;Sarif" at the semicolon, so the binary is called directly.

if [ -z "${OIE_LINT:-}" ]; then
  echo "== cargo build"
  cargo build --quiet --locked
  OIE_LINT=${CARGO_TARGET_DIR:-$ROOT/target}/debug/oie-lint
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Runs oie-lint with --format sarif -o FILE; exit 1 (findings) and 2 (a bad
# path, for the notifications case) are expected, anything else is not.
sarif() { # NAME DIR [ARGS...]
  local name=$1 dir=$2
  shift 2
  local code=0
  (cd "$dir" && "$OIE_LINT" check --format sarif -o "$WORK/$name.sarif" "$@") >/dev/null 2>&1 || code=$?
  if [ "$code" -gt 2 ] || [ ! -s "$WORK/$name.sarif" ]; then
    echo "oie-lint failed (exit $code) producing $name.sarif" >&2
    exit 1
  fi
}

echo "== producing SARIF logs"
sarif formats "$ROOT/tests/data/formats"            # every rule kind, escaping, UTF-16 columns
[ -d "$ROOT/fixtures" ] && sarif fixtures "$ROOT" fixtures   # the realistic corpus
mkdir -p "$WORK/clean" && echo 'export const x = 1;' >"$WORK/clean/a.js"
sarif clean "$WORK/clean"                             # no results: empty arrays
sarif unreadable "$WORK/clean" a.js missing.js        # a tool execution notification
# A log with `fixes` (no built-in rule has a fix yet): the pinned unit-test output.
awk 'n >= 2 { print } /^---$/ { n++ }' \
  "$ROOT/src/report/snapshots/oie_lint__report__sarif__tests__sarif_with_fix.snap" |
  sed "s/\[VERSION\]/0.0.0/g" >"$WORK/with-fix.sarif"

status=0
for log in "$WORK"/*.sarif; do
  case "$log" in *.validation.sarif) continue ;; esac
  out="${log%.sarif}.validation.sarif"
  "$MT" validate --rule-kind "Gh;Sarif" --level "Error;Warning" --log ForceOverwrite \
    -o "$out" "$log" >"$WORK/mt.log" 2>&1 || { cat "$WORK/mt.log" >&2; echo "multitool crashed on $log" >&2; exit 1; }
  [ -s "$out" ] || { cat "$WORK/mt.log" >&2; echo "multitool wrote no report for $log" >&2; exit 1; }
  node - "$out" "$(basename "$log")" <<'JS' || status=1
const [file, name] = process.argv.slice(2);
const log = JSON.parse(require('fs').readFileSync(file, 'utf8'));
const run = log.runs[0];
const rules = new Map(((run.tool.driver && run.tool.driver.rules) || []).map(r => [r.id, r]));
const fmt = (r) => {
  const rule = rules.get(r.ruleId) || {};
  const strings = rule.messageStrings || {};
  const tmpl = (strings[r.message.id] || {}).text || r.message.text || r.message.id;
  return tmpl.replace(/\{(\d+)\}/g, (_, i) => (r.message.arguments || [])[i]);
};
const results = run.results || [];
let errors = 0;
for (const r of results) {
  const level = r.level || 'warning';
  if (level === 'error') errors++;
  console.log(`  ${level} ${r.ruleId}: ${fmt(r)}`);
}
const ok = errors === 0 && (run.invocations || []).every(i => i.executionSuccessful !== false);
console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${errors} error(s), ${results.length - errors} warning(s)`);
process.exit(ok ? 0 : 1);
JS
done
exit $status
