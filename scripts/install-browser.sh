#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and the npm packages
# of tests/browser (playwright-core, which drives /usr/bin/chromium; no browser
# is ever downloaded). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${OIE_LINT_CHROMIUM:-/usr/bin/chromium}" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
"${OIE_LINT_CHROMIUM:-/usr/bin/chromium}" --version
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
