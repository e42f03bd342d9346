#!/usr/bin/env bash
# Audits many repositories on one machine, one oie-lint process per
# repository (JOBS at a time), then merges the reports into one.
#
# Usage: audit-many.sh REPOS.txt [OUT_DIR]
#   REPOS.txt: one repository per line: a local checkout (a folder) or
#   anything `git clone` takes (cloned, shallow, into OUT_DIR/checkouts).
#   `#` starts a comment.
# Writes OUT_DIR/reports/NAME.json (one per repository), OUT_DIR/audit.html
# and OUT_DIR/audit.json; exits with the merge's status (0, or 2 when
# something could not be read: the report names it).
# Environment: OIE_LINT (the binary, default `oie-lint`), JOBS (default 4).
# Documented in docs/audit.md, "Auditing many repositories".
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 REPOS.txt [OUT_DIR]" >&2
  exit 2
fi
list=$1
out=${2:-oie-audit}
oie=${OIE_LINT:-oie-lint}
mkdir -p "$out/reports" "$out/checkouts"
out=$(cd "$out" && pwd)

# One repository: clone it if needed, audit it in its own folder (`.`).
audit_one() {
  local repo=$1 name dir report status=0
  name=$(basename "${repo%/}" .git)
  if [ -d "$repo" ]; then
    dir=$repo
  else
    dir="$out/checkouts/$name"
    [ -d "$dir" ] || git clone --depth 1 --quiet "$repo" "$dir"
  fi
  report="$out/reports/$name.json"
  (cd "$dir" && "$oie" audit --format json -o "$report") || status=$?
  # Exit 2 with a report written: a file could not be read, and the report
  # lists it.
  if [ ! -s "$report" ]; then
    echo "oie-audit: no report for $repo (exit $status)" >&2
  fi
}
export -f audit_one
export out oie

grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$list" |
  tr '\n' '\0' | xargs -0 -P "${JOBS:-4}" -I{} bash -c 'audit_one "$1"' _ {}

status=0
(cd "$out" && "$oie" audit --merge reports --format html -o audit.html) || status=$?
(cd "$out" && "$oie" audit --merge reports --format json -o audit.json) || status=$?
exit "$status"
