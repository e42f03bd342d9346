#!/usr/bin/env bash
# Installs the tools CI needs beyond the Rust toolchain. Source it from .ci/run
# before `cargo test` (it exports variables the tests read).
set -euo pipefail

# pre-commit (PyPI): tests/precommit.rs runs the hooks in .pre-commit-hooks.yaml
# through it. With OIE_LINT_REQUIRE_PRE_COMMIT=1 a missing pre-commit fails the
# test instead of skipping it.
if ! command -v pre-commit >/dev/null 2>&1; then
  python3 -m pip install --quiet pre-commit
fi
pre-commit --version
export OIE_LINT_REQUIRE_PRE_COMMIT=1
