#!/usr/bin/env bash
# Records what reportc says for bad-input cases: runs each named case of
# tests/bad/ through tests/e2e/bad_inputs.sh (scratch copy, prepare, env,
# args) and writes its standard error to CASE/expected (paths inside the
# checkout written @ROOT@) and its exit status to CASE/status. Read the
# result before committing it: the diagnostic must be precise.
#   scripts/capture-bad-case.sh REPORTC CASE...
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 REPORTC CASE..." >&2; exit 2; }
rc=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
for name in "$@"; do
  [ -f "$root/tests/bad/$name/args" ] || { echo "$name: no tests/bad/$name/args" >&2; exit 2; }
done
RC_BAD_RECORD=1 RC_BAD_CASES="$*" bash "$root/tests/e2e/bad_inputs.sh" "$rc" | grep -v ' passed, '
