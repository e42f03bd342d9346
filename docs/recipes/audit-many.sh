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
# something could not be read: the report names it). NAME is the owner (the
# folder above) and the repository's name, `acme-portal` for
# https://github.com/acme/portal.git, git@github.com:acme/portal.git or
# ~/src/acme/portal; a NAME already taken by an earlier line gets `-2`,
# `-3`..., so two repositories with the same folder name never share a
# report or a checkout (a clone goes to OUT_DIR/checkouts/NAME/<its name>).
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

# The report name of a repository: `owner-name`, from the last two parts
# of its path or URL (split at `/` and `:`), characters other than letters,
# digits, `.`, `_` and `-` replaced by `_`.
report_name() {
  local entry=${1%/} name owner
  entry=${entry%.git}
  name=${entry##*[/:]}
  owner=${entry%"$name"}
  owner=${owner%[/:]}
  owner=${owner##*[/:]}
  case "$owner" in '' | . | ..) ;; *) name="$owner-$name" ;; esac
  printf '%s' "${name//[^A-Za-z0-9._-]/_}"
}

# One repository: clone it if needed, audit it in its own folder (`.`).
audit_one() {
  local name=$1 repo=$2 dir folder report status=0
  if [ -d "$repo" ]; then
    dir=$repo
  else
    # The clone keeps the repository's own folder name (what the report
    # calls it), in a folder of its own.
    folder=${repo%/}
    folder=${folder%.git}
    dir="$out/checkouts/$name/${folder##*[/:]}"
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

# Unique names, in the list's order (before the parallel part).
declare -A taken=()
work=()
while IFS= read -r repo; do
  base=$(report_name "$repo")
  name=$base
  n=1
  while [ -n "${taken[$name]:-}" ]; do
    n=$((n + 1))
    name="$base-$n"
  done
  taken[$name]=1
  work+=("$name" "$repo")
done < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$list")

if [ ${#work[@]} -gt 0 ]; then
  printf '%s\0' "${work[@]}" |
    xargs -0 -n 2 -P "${JOBS:-4}" bash -c 'audit_one "$1" "$2"' _
fi

status=0
(cd "$out" && "$oie" audit --merge reports --format html -o audit.html) || status=$?
(cd "$out" && "$oie" audit --merge reports --format json -o audit.json) || status=$?
exit "$status"
