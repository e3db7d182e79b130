#!/usr/bin/env bash
# Records what reportc says for bad-input cases: runs each named case of
# tests/bad/ exactly as tests/e2e/bad_inputs.sh does (scratch copy, prepare,
# env, args) and writes its standard error to CASE/expected (paths inside the
# checkout written @ROOT@) and its exit status to CASE/status. Read the
# result before committing it: the diagnostic must be precise.
#   scripts/capture-bad-case.sh REPORTC CASE...
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 REPORTC CASE..." >&2; exit 2; }
RC=$(realpath "$1"); shift
root=$(cd "$(dirname "$0")/.." && pwd)
for name in "$@"; do
  case=$root/tests/bad/$name
  [ -f "$case/args" ] || { echo "$name: no $case/args" >&2; exit 2; }
  base=$(mktemp -d)
  mkdir "$base/case"
  cp -r "$case"/. "$base/case/"
  cp -r "$root/tests/bad/_fixtures" "$base/_fixtures"
  ( cd "$base/case" && [ -x prepare ] && RC_ROOT=$root ./prepare ) >/dev/null 2>&1
  mkdir -p "$base/case/out"
  echo previous > "$base/case/out/report.pdf"
  read -r -a args < "$base/case/args"
  envs=()
  [ -f "$base/case/env" ] && mapfile -t envs < "$base/case/env"
  (cd "$base/case" && env "${envs[@]}" timeout 120 "$RC" "${args[@]}" >/dev/null 2>"$base/stderr")
  st=$?
  sed "s|$root|@ROOT@|g" "$base/stderr" > "$case/expected"
  echo "$st" > "$case/status"
  echo "$name: exit $st"
  sed 's/^/    /' "$case/expected"
  rm -rf "$base"
done
