#!/usr/bin/env bash
# scripts/run-tests.sh, the wrapper `make test` runs ctest through, on a
# throw-away CTest project with one passing, one failing and two skipped
# tests: the summary line, the reasons of the skips, the exit status, and
# that CI=true turns a skip into a failure.
# Usage: run_tests.sh REPORTC BUILD_DIR (neither is used)
set -uo pipefail
cd "$(dirname "$0")/../.."
runner=$(pwd)/scripts/run-tests.sh
tmp=$(mktemp -d /tmp/rc-run-tests.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

project() { # $1: directory; $2: whether to add the failing test
    mkdir -p "$1"
    {
        echo 'cmake_minimum_required(VERSION 3.18)'
        echo 'project(t NONE)'
        echo 'enable_testing()'
        echo 'add_test(NAME good COMMAND true)'
        echo 'add_test(NAME tex COMMAND sh -c "echo noise; echo \"SKIP: pdflatex is not installed\"; exit 77")'
        echo 'add_test(NAME mute COMMAND sh -c "echo first; echo the last line; exit 77")'
        echo 'set_tests_properties(tex mute PROPERTIES SKIP_RETURN_CODE 77)'
        [ "$2" = yes ] && echo 'add_test(NAME bad COMMAND false)'
    } >"$1/CMakeLists.txt"
    cmake -S "$1" -B "$1/b" >/dev/null 2>&1 || { echo "FAIL: cmake on the throw-away project"; exit 1; }
}

expect() { # $1: label; $2: wanted status; $3: output file; rest: wanted lines
    local label=$1 want=$2 out=$3 got=$4
    shift 4
    [ "$got" = "$want" ] || { echo "FAIL: $label: exit $got, wanted $want"; fail=1; }
    for line in "$@"; do
        grep -qxF -- "$line" "$out" || { echo "FAIL: $label: no line '$line' in:"; tail -6 "$out"; fail=1; }
    done
}

project "$tmp/skips" no
CI= "$runner" "$tmp/skips/b" >"$tmp/1.out" 2>&1
expect "skips outside CI" 0 "$tmp/1.out" $? "tests: 1 passed, 0 failed, 2 skipped" \
    "  skipped tex: pdflatex is not installed" "  skipped mute: the last line"
CI=true "$runner" "$tmp/skips/b" >"$tmp/2.out" 2>&1
expect "skips under CI=true" 1 "$tmp/2.out" $? "tests: 1 passed, 0 failed, 2 skipped" \
    "  skipped tex: pdflatex is not installed  (a failure under CI=true)"
project "$tmp/fails" yes
CI= "$runner" "$tmp/fails/b" >"$tmp/3.out" 2>&1
expect "a failure" 1 "$tmp/3.out" $? "tests: 1 passed, 1 failed, 2 skipped" "  failed  bad"
[ $fail = 0 ] && echo "run-tests.sh: summary, skip reasons and CI=true checked"
exit $fail
