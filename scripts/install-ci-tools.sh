#!/usr/bin/env bash
# Installs the tools CI needs beyond the Rust toolchain. Source it from .ci/run
# before `cargo test` (it exports variables the tests read).
set -euo pipefail

# pre-commit (PyPI): tests/precommit.rs runs the hooks in .pre-commit-hooks.yaml
# through it. With OIE_LINT_REQUIRE_PRE_COMMIT=1 a missing pre-commit fails the
# test instead of skipping it.
export PATH="$HOME/.local/bin:$PATH"
if ! command -v pre-commit >/dev/null 2>&1; then
  # A system Python marked externally managed (PEP 668) refuses plain
  # installs; fall back to a user install.
  python3 -m pip install --quiet pre-commit ||
    python3 -m pip install --quiet --user --break-system-packages pre-commit
fi
pre-commit --version
export OIE_LINT_REQUIRE_PRE_COMMIT=1
