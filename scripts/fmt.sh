#!/usr/bin/env bash
# Formats the crate: `cargo fmt`, plus the check modules under
# src/rules/checks/, which build.rs declares (cargo fmt follows only the
# `mod` lines it can see). `scripts/fmt.sh --check` only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
check=()
[ "${1:-}" = "--check" ] && check=(--check)
cargo fmt --all -- "${check[@]}"
rustfmt --edition 2021 "${check[@]}" src/rules/checks/*.rs src/rules/checks/*/mod.rs
