#!/usr/bin/env bash
# Runs every case in tests/bad/ (tests/bad/_fixtures holds files shared by
# the cases, copied beside each case as ../_fixtures): each directory holds the inputs, 'args'
# (the reportc arguments, run inside the case directory), 'expected' (the
# exact stderr, with the checkout's path written @ROOT@) and 'status' (the exit status). A case may also hold
# 'prepare' (a script run first in a scratch copy, e.g. to create a huge
# file) and 'env' (VAR=value lines set for the run). After a failing build
# the output directory must be unchanged.
# RC_BAD_CASES="name ..." runs only those cases; RC_BAD_RECORD=1 writes what
# reportc printed and returned as each case's 'expected' and 'status' instead
# of checking them (scripts/capture-bad-case.sh).
set -uo pipefail
RC=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
# Every entry under DIR (files, directories, links) and the sha256 of each file.
snapshot() { (cd "$1" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort); }
for case in "$root"/tests/bad/*/; do
  name=$(basename "$case")
  [[ $name == _* ]] && continue      # shared fixtures, not a case
  [ -n "${RC_BAD_CASES:-}" ] && [[ " $RC_BAD_CASES " != *" $name "* ]] && continue
  base=$(mktemp -d)
  work=$base/case
  mkdir "$work"
  cp -r "$case"/. "$work"/
  cp -r "$root/tests/bad/_fixtures" "$base/_fixtures"
  ( cd "$work" && [ -x prepare ] && RC_ROOT=$root ./prepare ) >/dev/null 2>&1
  # Pre-fill the output directory: a failing build must not touch it.
  mkdir -p "$work/out"
  echo previous > "$work/out/report.pdf"
  before=$(snapshot "$work/out")
  read -r -a args < "$work/args"
  envs=()
  [ -f "$work/env" ] && mapfile -t envs < "$work/env"
  (cd "$work" && env "${envs[@]}" timeout 120 "$RC" "${args[@]}" >/dev/null 2>"$base/stderr"); st=$?
  after=$(snapshot "$work/out")
  # Paths inside the checkout are written @ROOT@ so expectations hold anywhere.
  sed -i "s|$root|@ROOT@|g" "$base/stderr"
  if [ -n "${RC_BAD_RECORD:-}" ]; then
    cp "$base/stderr" "$case/expected"
    echo "$st" > "$case/status"
    echo "$name: exit $st"
    sed 's/^/    /' "$case/expected"
    rm -rf "$base"
    continue
  fi
  want_st=$(cat "$work/status")
  ok=1
  if [ "$st" != "$want_st" ]; then echo "FAIL $name: exit $st, want $want_st"; ok=0; fi
  if ! diff -u "$work/expected" "$base/stderr" > "$base/diff"; then
    echo "FAIL $name: diagnostics differ"; sed 's/^/    /' "$base/diff" | head -20; ok=0; fi
  if [ "$st" != 0 ] && [ "$before" != "$after" ]; then
    echo "FAIL $name: the output directory changed after a failed run"; ok=0; fi
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
  rm -rf "$base"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
