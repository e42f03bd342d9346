#!/usr/bin/env bash
# Installs the package managers tests/it/dist.rs installs oie-lint's npm packages
# with, besides npm: the versions the README names, from the npm registry (nothing from
# GitHub or repo.yarnpkg.com), each in its own prefix under
# OIE_LINT_PM_TOOLS (default ${XDG_CACHE_HOME:-$HOME/.cache}/oie-lint-ci/pm-tools):
#
#   pnpm/          pnpm                 (node_modules/.bin/pnpm)
#   yarn-classic/  yarn 1, npm `yarn`   (node_modules/.bin/yarn)
#   yarn-berry/    Yarn 4, npm `@yarnpkg/cli-dist`, the bundle Corepack would
#                  fetch from repo.yarnpkg.com (node_modules/.bin/yarn)
#
# Nothing goes on PATH: the tests put a `pnpm` or `yarn` of their own in front
# of the one they run, and build.rs looks for these three files (the tests are
# ignored outside CI while one is missing). Safe to run again. The versions
# are pinned so that a new release cannot turn CI red overnight; set
# OIE_LINT_PM_VERSIONS=latest to try the newest.
set -euo pipefail
pin() { if [ "${OIE_LINT_PM_VERSIONS:-}" = latest ]; then echo latest; else echo "$1"; fi; }
tools="${OIE_LINT_PM_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/oie-lint-ci/pm-tools}"
for entry in "pnpm:pnpm:$(pin 12.21.0)" "yarn-classic:yarn:$(pin 1.22.22)" "yarn-berry:@yarnpkg/cli-dist:$(pin 4.18.1)"; do
  dir="${entry%%:*}" rest="${entry#*:}"
  package="${rest%%:*}" version="${rest#*:}"
  started=$SECONDS
  npm install --prefix "$tools/$dir" --no-audit --no-fund --loglevel=error "$package@$version" >/dev/null
  bin="$tools/$dir/node_modules/.bin/${dir%%-*}"
  echo "$package $("$bin" --version) in $tools/$dir ($((SECONDS - started)) s)"
done
