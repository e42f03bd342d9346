#!/usr/bin/env bash
# Install the peer tools for the oie-lint benchmark into $PEERS
# (default: /tmp/oie-lint-bench/peers). Idempotent: re-running skips what is
# already present at the pinned version. Uses only the ordinary registry
# clients: apt-get (ripgrep, hyperfine, GNU time), pip (semgrep), npm
# (ast-grep, ESLint + plugins, retire.js).
#
#   scripts/bench/install-peers.sh
#   PEERS=/tmp/p2 scripts/bench/install-peers.sh
#
# Afterwards `source "$PEERS/env.sh"` puts every peer on PATH.
# Adapted from the project's shared bench-peers installer.
set -euo pipefail

PEERS="${PEERS:-/tmp/oie-lint-bench/peers}"
SEMGREP_VERSION="${SEMGREP_VERSION:-1.182.0}"
AST_GREP_VERSION="${AST_GREP_VERSION:-0.51.1}"
ESLINT_VERSION="${ESLINT_VERSION:-10.15.0}"
ESLINT_JS_VERSION="${ESLINT_JS_VERSION:-10.0.1}"
ESLINT_JSON_VERSION="${ESLINT_JSON_VERSION:-2.1.1}"
ESLINT_HTML_VERSION="${ESLINT_HTML_VERSION:-8.2.1}"
TS_PARSER_VERSION="${TS_PARSER_VERSION:-8.73.0}"
RETIRE_VERSION="${RETIRE_VERSION:-5.7.0}"

mkdir -p "$PEERS"
# semgrep otherwise spends ~90 s timing out on an update check with no network.
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off

# --- Debian packages: ripgrep (the floor), hyperfine (timing), GNU time
#     (peak RSS), node/npm and the python venv module.
need_apt=()
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v hyperfine >/dev/null 2>&1 || need_apt+=(hyperfine)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# --- semgrep from PyPI into a private venv
if ! "$PEERS/venv/bin/semgrep" --version 2>/dev/null | grep -qx "$SEMGREP_VERSION"; then
  [ -x "$PEERS/venv/bin/python" ] || python3 -m venv "$PEERS/venv"
  "$PEERS/venv/bin/pip" install -q --disable-pip-version-check "semgrep==$SEMGREP_VERSION"
fi

# --- npm peers into a scratch prefix (ast-grep ships its binary inside the
#     @ast-grep/cli-linux-x64-gnu package, so no postinstall download is needed)
NPM_DIR="$PEERS/npm"
mkdir -p "$NPM_DIR"
cat > "$NPM_DIR/package.json" <<JSON
{
  "name": "oie-lint-bench-peers",
  "private": true,
  "dependencies": {
    "@ast-grep/cli": "$AST_GREP_VERSION",
    "eslint": "$ESLINT_VERSION",
    "@eslint/js": "$ESLINT_JS_VERSION",
    "@eslint/json": "$ESLINT_JSON_VERSION",
    "eslint-plugin-html": "$ESLINT_HTML_VERSION",
    "@typescript-eslint/parser": "$TS_PARSER_VERSION",
    "retire": "$RETIRE_VERSION"
  }
}
JSON
if ! (cd "$NPM_DIR" && npm ls --depth=0 >/dev/null 2>&1); then
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --loglevel=error)
fi
# Fallback: if the npm-shipped ast-grep binary does not run here, build it.
if ! "$NPM_DIR/node_modules/.bin/ast-grep" --version >/dev/null 2>&1; then
  cargo install ast-grep --locked --version "$AST_GREP_VERSION" --root "$PEERS/cargo"
  ln -sf "$PEERS/cargo/bin/ast-grep" "$NPM_DIR/node_modules/.bin/ast-grep"
fi

cat > "$PEERS/env.sh" <<ENV
export PEERS="$PEERS"
export PATH="$NPM_DIR/node_modules/.bin:$PEERS/venv/bin:\$PATH"
export NODE_PATH="$NPM_DIR/node_modules"
export SEMGREP_SEND_METRICS=off
export SEMGREP_ENABLE_VERSION_CHECK=0
ENV

# shellcheck disable=SC1091
. "$PEERS/env.sh"
echo "rg:        $(rg --version | sed -n 1p)"
echo "hyperfine: $(hyperfine --version)"
echo "ast-grep:  $(ast-grep --version)"
echo "semgrep:   $(semgrep --version 2>/dev/null | tail -1)"
echo "eslint:    $(cd "$NPM_DIR" && node_modules/.bin/eslint --version)"
echo "retire:    $(cd "$NPM_DIR" && node_modules/.bin/retire --version)"
echo "node:      $(node --version)"
