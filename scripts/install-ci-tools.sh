#!/usr/bin/env bash
# Installs the tools CI needs beyond the Rust toolchain. Source it from .ci/run
# before `cargo test` (it exports variables the tests read).
set -euo pipefail

# pre-commit (PyPI): tests/precommit.rs runs the hooks in .pre-commit-hooks.yaml
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

# Headless Chromium (Debian) and playwright-core (npm) for the browser tests.
bash scripts/install-browser.sh
