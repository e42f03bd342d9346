#!/usr/bin/env bash
# Builds oie-lint's packages for the host platform into dist/ (git-ignored):
#
#   dist/wheels/oie_lint-VERSION-py3-none-PLATFORM.whl   the PyPI wheel (maturin, bindings = "bin")
#   dist/npm/oie-lint-VERSION.tgz                         the npm launcher package
#   dist/npm/oie-lint-PLATFORM-VERSION.tgz                the npm package with the binary
#   dist/pre-commit-mirror/                               the hook repository for this version
#   dist/archives/oie-lint-VERSION-TARGET.tar.gz(.sha256) the release archive and its SHA-256
#
# The release binary is compiled once, with the committed Cargo.lock (--locked),
# by maturin; the npm package and the archive reuse target/release/oie-lint.
# Needs: a Rust toolchain, maturin (PyPI), node and npm. Works from a clean
# checkout. The release workflow (.github/workflows/release.yml) calls it on
# each platform with --target TRIPLE (then the binary is target/TRIPLE/release).
#
#   bash scripts/dist.sh [--target TRIPLE] [-- MATURIN_ARGS…]
#
# MATURIN_ARGS go to `maturin build`, e.g. `--zig --compatibility manylinux2014`
# in the release workflow (links against an old glibc, or musl, with ziglang).
set -euo pipefail
cd "$(dirname "$0")/.."

target=""
maturin_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --) shift; maturin_args=("$@"); break ;;
    *) echo "usage: scripts/dist.sh [--target TRIPLE] [-- MATURIN_ARGS...]" >&2; exit 2 ;;
  esac
done
host="$(rustc -vV | sed -n 's/^host: //p')"
triple="${target:-$host}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
exe=""
case "$triple" in *windows*) exe=".exe" ;; esac

rm -rf dist/wheels dist/npm dist/pre-commit-mirror dist/archives
mkdir -p dist/wheels dist/npm dist/archives

echo "== wheel (maturin, --locked) for $triple"
target_args=()
bin_dir="target/release"
if [ -n "$target" ]; then
  target_args=(--target "$target")
  bin_dir="target/$target/release"
fi
maturin build --release --locked "${target_args[@]}" "${maturin_args[@]}" --out dist/wheels
binary="$bin_dir/oie-lint$exe"
test -x "$binary"
"$binary" --version

echo "== npm packages"
node npm/stage.mjs --version "$version" --target "$triple" --binary "$binary" --out dist/npm

echo "== release archive"
name="oie-lint-$version-$triple"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary" README.md "$stage/$name/"
if [ -n "$exe" ]; then
  (cd "$stage" && 7z a -bd -tzip "$OLDPWD/dist/archives/$name.zip" "$name" >/dev/null)
  archive="dist/archives/$name.zip"
else
  tar -C "$stage" -czf "dist/archives/$name.tar.gz" "$name"
  archive="dist/archives/$name.tar.gz"
fi
(cd dist/archives && sha256sum "$(basename "$archive")" >"$(basename "$archive").sha256")

echo "== pre-commit mirror"
bash scripts/pre-commit-mirror.sh "$version" dist/pre-commit-mirror

ls -l dist/wheels dist/npm dist/archives
