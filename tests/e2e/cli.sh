#!/usr/bin/env bash
# The command line: did-you-mean for commands, `reportc help [COMMAND]`,
# one line for an unknown option, `check`'s one-line summary (its counts
# taken from the INI file and a build, not written here), colour on a
# terminal only (script(1) gives the command a pseudo-terminal).
# usage: cli.sh REPORTC BUILD_DIR
set -uo pipefail
RC=$(realpath "$1")
cd "$(dirname "$0")/../.."
cfg=config/iuc-lac-2019.ini
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
# expect STATUS STDERR-EXACT -- ARGS...
expect() {
    local want_st=$1 want_err=$2; shift 3
    "$RC" "$@" > "$tmp/out" 2> "$tmp/err"; local st=$?
    if [ "$st" != "$want_st" ] || [ "$(cat "$tmp/err")" != "$want_err" ]; then
        echo "FAIL: reportc $*: exit $st (want $want_st), stderr:"; sed 's/^/    /' "$tmp/err"
        echo "    want: $want_err"
        fails=$((fails+1))
    else
        echo "ok: reportc $*"
    fi
}
expect 2 "reportc: error: unknown command 'biuld'; did you mean 'build'?" -- biuld "$cfg"
expect 2 "reportc: error: unknown command 'chekc'; did you mean 'check'?" -- chekc "$cfg"
expect 2 "reportc: error: unknown command 'wtach'; did you mean 'watch'?" -- wtach "$cfg"
expect 2 "reportc: error: unknown command 'frobnicate' (see 'reportc --help')" -- frobnicate "$cfg"
expect 2 "reportc: error: unknown option '--frob'; see 'reportc --help'" -- build "$cfg" --frob
expect 2 "reportc: error: unknown option '-x'; see 'reportc --help'" -- build -x "$cfg"
expect 2 "reportc: error: option '-o' needs an argument; see 'reportc --help'" -- build "$cfg" -o
expect 2 "reportc: error: unknown figure format 'png' in --figures (svg)" -- build "$cfg" --figures png
expect 2 "reportc: error: --figures only applies to 'build' and 'watch'" -- check "$cfg" --figures svg
expect 2 "reportc: error: --language only applies to 'new'" -- build "$cfg" --language es
expect 2 "reportc: error: 'new' needs a directory" -- new
expect 2 "reportc: error: unknown command 'biuld'; did you mean 'build'?" -- help biuld
expect 0 "" -- help
grep -q "^usage: reportc build CONFIG" "$tmp/out" || { echo "FAIL: help shows no usage"; fails=$((fails+1)); }
for c in build check metrics new watch help; do
    expect 0 "" -- help $c
    head -1 "$tmp/out" | grep -q "^usage: reportc $c" || { echo "FAIL: help $c: $(head -1 "$tmp/out")"; fails=$((fails+1)); }
    grep -q "^  $c " <("$RC" --help) || { echo "FAIL: --help does not list $c"; fails=$((fails+1)); }
done
expect 0 "" -- watch --help
head -1 "$tmp/out" | grep -q "^usage: reportc watch CONFIG" || { echo "FAIL: watch --help"; fails=$((fails+1)); }

# check: one line, the counts of the INI file and of a build.
pages=$("$RC" build "$cfg" -o "$tmp/o" --only pdf | sed -n 's/.*, \([0-9]*\) pages)$/\1/p')
n() { grep -c "^\[$1 " "$cfg"; }
want="checked $cfg: $(n source) sources, $(n metric) metrics, $(n figure) figures, $(n table) tables, $(n box) boxes, $pages pages; 0 warnings"
expect 0 "" -- check "$cfg"
[ "$(cat "$tmp/out")" = "$want" ] || { echo "FAIL: check said '$(cat "$tmp/out")', want '$want'"; fails=$((fails+1)); }
expect 0 "" -- check "$cfg" -q
[ ! -s "$tmp/out" ] || { echo "FAIL: check -q printed $(cat "$tmp/out")"; fails=$((fails+1)); }
# ... and counts warnings
case=tests/bad/csv-likert-out-of-scale
cp -r "$case" "$tmp/w" && cp -r tests/bad/_fixtures "$tmp/_fixtures"
(cd "$tmp/w" && "$RC" check case.ini > "$tmp/out" 2>/dev/null)
nw=$(grep -c ": warning: " "$case/expected")
grep -q "; $nw warnings\?$" "$tmp/out" || { echo "FAIL: check with warnings said '$(cat "$tmp/out")' (want $nw)"; fails=$((fails+1)); }
# ... and validates SOURCE_DATE_EPOCH as build does
SOURCE_DATE_EPOCH=2019-10-09 "$RC" check "$cfg" > /dev/null 2> "$tmp/err"; st=$?
[ $st = 2 ] && grep -q "SOURCE_DATE_EPOCH='2019-10-09' is not a whole number" "$tmp/err" ||
    { echo "FAIL: check accepted a malformed SOURCE_DATE_EPOCH ($st)"; fails=$((fails+1)); }
echo "ok: check summary and validation"

# Colour: on a terminal, not in a pipe, never with NO_COLOR.
if command -v script >/dev/null; then
    script -qec "env -u NO_COLOR TERM=xterm $RC biuld x" /dev/null > "$tmp/tty" 2>&1
    grep -q $'\033\\[01mreportc:\033\\[m \033\\[01;31merror:\033\\[m unknown command' "$tmp/tty" ||
        { echo "FAIL: no colour on a terminal: $(cat -v "$tmp/tty")"; fails=$((fails+1)); }
    script -qec "NO_COLOR=1 TERM=xterm $RC biuld x" /dev/null > "$tmp/tty" 2>&1
    ! grep -q $'\033' "$tmp/tty" || { echo "FAIL: colour with NO_COLOR"; fails=$((fails+1)); }
    TERM=xterm "$RC" biuld x 2> "$tmp/err"
    ! grep -q $'\033' "$tmp/err" || { echo "FAIL: colour in a file"; fails=$((fails+1)); }
    echo "ok: colour on a terminal only"
else
    echo "skipped colour checks: script(1) not installed"
fi
[ $fails = 0 ]
