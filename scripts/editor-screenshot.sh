#!/usr/bin/env bash
# Takes docs/img/neovim-diagnostics.png: Neovim in an xterm under Xvfb with
# `oie-lint server` attached (tests/editors/nvim-screenshot.lua), showing
# the diagnostics of tests/editors/sign-in.html and the code-action menu
# on its OIE003 finding. Needs Debian's xvfb, xterm, neovim and imagemagick,
# and a built binary (OIE_LINT_BIN, default target/debug/oie-lint).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${OIE_LINT_BIN:-$root/target/debug/oie-lint}
out=${1:-$root/docs/img/neovim-diagnostics.png}
work=$(mktemp -d)
cp tests/editors/sign-in.html "$work/sign-in.html"
display=:${SCREENSHOT_DISPLAY:-93}
Xvfb "$display" -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
(cd "$work" && DISPLAY=$display OIE_LINT_BIN=$bin HOME=$work \
  xterm -geometry 138x42+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1e1e' -fg '#d4d4d4' \
  -e nvim -u NONE -i NONE -n -c "luafile $root/tests/editors/nvim-screenshot.lua" sign-in.html) &
term=$!
sleep "${SCREENSHOT_WAIT:-5}"
mkdir -p "$(dirname "$out")"
import -display "$display" -window root -crop 1150x820+0+0 +repage "$out"
kill "$term" 2>/dev/null || true
echo "wrote $out"
