#!/usr/bin/env bash
# libxlsxwriter loaded with dlopen by the first workbook (src/xlsx/xlsx_lib.h,
# issue 18). Checks that:
# - reportc does not need libxlsxwriter, libminizip or libcrypto at start
#   (NEEDED), and that `--version`, `check`, `--only pdf` and `--only tex`
#   never load them while a full build does (LD_DEBUG=files);
# - src/xlsx/interposed.dynlist names exactly the functions librc defines
#   that libxlsxwriter or minizip define or call, and reportc exports them;
# - libxlsxwriter's and minizip's calls to those functions are bound to
#   reportc's definitions (LD_DEBUG=bindings), the main ones all made;
# - without the library (RC_XLSXWRITER_SO naming a missing file, or a library
#   lacking its functions) the build fails with exit status 3 and a located
#   error naming the Debian package, and the previous outputs stay as they were.
# usage: xlsx_dlopen.sh REPORTC BUILD_DIR
set -uo pipefail
RC=$(realpath "$1")
BUILD=$(realpath "$2")
cd "$(dirname "$0")/../.."
for t in readelf nm; do
    command -v $t >/dev/null || { echo "SKIP: no $t"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-dlopen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
libs_re='lib(xlsxwriter|minizip|crypto)\.so'

needed=$(readelf -d "$RC" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "no NEEDED entries read from $RC"
if grep -Eq "^$libs_re" <<<"$needed"; then
    fail "reportc still needs at start: $(grep -E "^$libs_re" <<<"$needed" | tr '\n' ' ')"
else
    echo "ok: NEEDED names none of libxlsxwriter, libminizip, libcrypto"
fi

# One edition of the sample, written next to the copy so its relative paths hold.
cfg=config/.dlopen-$$.ini
trap 'rm -rf "$tmp" "$cfg"' EXIT
python3 - "$cfg" <<'PY'
import re, sys
t = open('config/iuc-lac-2019.ini').read()
t = re.sub(r'^languages\s*=.*$', 'languages = en', t, flags=re.M)
t = re.sub(r'^\[edition [^]]*\]\n(?:[^[\n].*\n|\n)*', '', t, flags=re.M)
open(sys.argv[1], 'w').write(t)
PY
export SOURCE_DATE_EPOCH=1577836800

# loaded (LD_DEBUG=files) by a build that writes workbooks, by no other
loads() { # DESCRIPTION ARGS...: prints the libraries of $libs_re the run loaded
    local what=$1; shift
    rm -f "$tmp"/ld.*
    LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" "$RC" "$@" >/dev/null 2>"$tmp/err" ||
        { fail "$what: exit $?"; sed 's/^/    /' "$tmp/err"; }
    cat "$tmp"/ld.* 2>/dev/null | grep -oE "file=$libs_re[.0-9]*" | sort -u | tr '\n' ' '
}
for run in "--version" "check $cfg" "build $cfg -o $tmp/o -q --only pdf" \
           "build $cfg -o $tmp/o -q --only tex"; do
    # shellcheck disable=SC2086
    got=$(loads "reportc $run" $run)
    if [ -n "$got" ]; then fail "reportc $run loaded $got"; else echo "ok: reportc $run loads no workbook library"; fi
done
got=$(loads "full build" build "$cfg" -o "$tmp/o" -q)
for lib in libxlsxwriter libminizip; do
    grep -q "file=$lib\.so" <<<"$got" || fail "a full build did not load $lib (loaded: $got)"
done
echo "ok: a full build loads $got"

# The export list against what librc defines in the libraries' place.
list=$(sed -e 's#/\*.*\*/##' src/xlsx/interposed.dynlist | grep -oE '^ *[A-Za-z_][A-Za-z0-9_]* *;' |
    tr -d ' ;' | sort -u)
xw=$(sed -n 's/^RC_XLSXWRITER_SO:FILEPATH=//p' "$BUILD/CMakeCache.txt")
[ -n "$xw" ] && [ -e "$xw" ] || { echo "SKIP: RC_XLSXWRITER_SO not in $BUILD/CMakeCache.txt"; exit 77; }
xw=$(realpath "$xw")
mz=$(ldd "$xw" | sed -n 's/.*libminizip[^ ]* => \([^ ]*\).*/\1/p')
[ -n "$mz" ] || fail "no libminizip found for $xw"
# every name libxlsxwriter or minizip defines or imports
theirs=$(for l in "$xw" $mz; do nm -D "$l" | awk '$1 ~ /^[UTW]$/ { print $2 } $2 ~ /^[TWi]$/ { print $3 }'; done |
    sed 's/@.*//' | sort -u)
ours=$(nm --defined-only -g "$BUILD/librc.a" 2>/dev/null | awk '$2 ~ /^[TW]$/ { print $3 }' | sort -u)
[ -n "$ours" ] || fail "no symbols read from $BUILD/librc.a"
want=$(comm -12 <(echo "$ours") <(echo "$theirs"))
if [ "$want" != "$list" ]; then
    fail "interposed.dynlist differs from what librc defines in libxlsxwriter's or minizip's place:"
    diff <(echo "$list") <(echo "$want") | sed -n 's/^</    listed, not defined:/p; s/^>/    defined, not listed:/p'
else
    echo "ok: interposed.dynlist names the $(wc -l <<<"$list") functions librc defines in the libraries' place"
fi
exported=$(nm -D --defined-only "$RC" | awk '{ print $3 }' | sort -u)
missing=$(comm -23 <(echo "$list") <(echo "$exported") | tr '\n' ' ')
[ -z "$missing" ] || fail "reportc does not export $missing"

# The libraries' calls bound to reportc (a full build of one edition). A
# line "binding file LIB [0] to reportc [0]: normal symbol `NAME'" comes
# from LIB's own relocation (its PLT slot for NAME, which then holds
# reportc's function): dlsym on the library's handle, which reportc uses to
# find the library's own NAME, never searches the executable. Without the
# cache: the workbooks of the build above would come from its memo
# (src/xlsx/xlsx_memo.c), and the library would not be loaded.
rm -rf "$tmp/o" "$tmp"/ld.*
REPORTC_CACHE_DIR= LD_DEBUG=bindings LD_DEBUG_OUTPUT="$tmp/ld" "$RC" build "$cfg" -o "$tmp/o" -q || fail "full build: exit $?"
cat "$tmp"/ld.* >"$tmp/bindings"
grep -E "binding file [^ ]*$libs_re[^ ]* \[[0-9]+\] to [^ ]+ \[[0-9]+\]: normal symbol" "$tmp/bindings" |
    sed -E "s/.* to ([^ ]+) \[[0-9]+\]: normal symbol \`([^']+)'.*/\1 \2/" |
    while read -r to sym; do
        [ "$(realpath "$to" 2>/dev/null)" = "$RC" ] && echo "$sym"
    done | sort -u >"$tmp/bound"
# (the C library's stderr, copied into the executable, is bound there too)
funcs=$(nm -D --defined-only "$RC" | awk '$2 == "T" { print $3 }' | sort -u)
stray=$(comm -13 <(echo "$list") <(comm -12 "$tmp/bound" <(echo "$funcs")) | tr '\n' ' ')
[ -z "$stray" ] || fail "the libraries' calls to $stray are bound to reportc, which does not list them"
bad=0
for f in lxw_tmpfile gmtime zipOpen zipOpenNewFileInZip4_64 zipWriteInFileInZip zipCloseFileInZip \
         zipClose lxw_xml_start_tag lxw_xml_data_element lxw_new_attribute_str _write_number_cell \
         _write_string_cell _new_row _new_number_cell _new_string_cell _free_row; do
    grep -qx "$f" "$tmp/bound" || { fail "no call of libxlsxwriter or minizip to $f is bound to reportc"; bad=1; }
done
[ $bad = 0 ] && echo "ok: the libraries' calls to $(wc -l <"$tmp/bound") interposed functions are bound to reportc"
# libcrypto loaded first with its own scope before the global one
# (RTLD_DEEPBIND, src/xlsx/xlsx_lib.c): LD_DEBUG=scopes lists its "scope 0"
# as libcrypto itself and its dependencies, not reportc and its libraries.
# Not in a sanitized build (ASan refuses RTLD_DEEPBIND).
crypto=$(sed -n 's/^RC_XW_CRYPTO_SONAME:INTERNAL=//p' "$BUILD/CMakeCache.txt")
if [ -z "$crypto" ]; then
    echo "ok: libxlsxwriter needs no libcrypto (nothing to load first)"
elif nm -D "$RC" | grep ' __asan_init' >/dev/null; then # (not -q: pipefail)
    echo "ok: a sanitized build loads $crypto as libxlsxwriter does"
else
    rm -f "$tmp"/ld.*
    LD_DEBUG=scopes LD_DEBUG_OUTPUT="$tmp/ld" "$RC" build "$cfg" -o "$tmp/s" -q --only xlsx ||
        fail "--only xlsx (scopes): exit $?"
    first=$(cat "$tmp"/ld.* | grep -A1 "object=[^ ]*/$crypto " | sed -n 's/.*scope 0: \([^ ]*\).*/\1/p' | head -1)
    case "$first" in
    */"$crypto") echo "ok: $crypto looks its own symbols up first" ;;
    *) fail "$crypto's first scope starts with '$first', not itself" ;;
    esac
fi

for f in "$tmp"/o/*; do cp "$f" "$tmp/ref.$(basename "$f")"; done
[ "$(ls "$tmp/o" | wc -l)" = 4 ] || fail "the full build wrote $(ls "$tmp/o" | tr '\n' ' ')"

# No library: exit 3, a located error naming the package, outputs untouched
# (the failing builds would write other bytes: another date).
deb=$(sed -n 's/^RC_XLSXWRITER_DEB:INTERNAL=//p' "$BUILD/CMakeCache.txt")
line=$(grep -n '^directory' "$cfg" | head -1 | cut -d: -f1)
for so in libreportc-missing.so.0 libz.so.1; do
    SOURCE_DATE_EPOCH=1600000000 RC_XLSXWRITER_SO=$so "$RC" build "$cfg" -o "$tmp/o" -q 2>"$tmp/err"
    st=$?
    [ $st = 3 ] || fail "RC_XLSXWRITER_SO=$so: exit $st, want 3"
    if [ "$so" = libz.so.1 ]; then why="libz.so.1 has no function [a-z_]+"; else
        why="$so: cannot open shared object file: No such file or directory"; fi
    grep -Eq "^$cfg:$line:[0-9]+: error: cannot write workbook '[^']+\.xlsx': libxlsxwriter cannot be loaded: $why\$" "$tmp/err" ||
        { fail "RC_XLSXWRITER_SO=$so: no located error"; sed 's/^/    /' "$tmp/err"; }
    if [ -n "$deb" ]; then
        grep -q "note: workbooks need the Debian package $deb installed" "$tmp/err" ||
            { fail "RC_XLSXWRITER_SO=$so: the error does not name $deb"; sed 's/^/    /' "$tmp/err"; }
    fi
    for f in "$tmp"/o/*; do
        cmp -s "$f" "$tmp/ref.$(basename "$f")" || fail "RC_XLSXWRITER_SO=$so: $(basename "$f") changed"
    done
    [ "$(ls "$tmp/o" | wc -l)" = 4 ] || fail "RC_XLSXWRITER_SO=$so: the directory holds $(ls -A "$tmp/o" | tr '\n' ' ')"
done
# a build writing no workbook does not need the library
SOURCE_DATE_EPOCH=1600000000 RC_XLSXWRITER_SO=libreportc-missing.so.0 "$RC" build "$cfg" -o "$tmp/p" -q --only pdf ||
    fail "--only pdf without the library: exit $?"
[ $fails = 0 ] && echo "ok: without the library: exit 3, a located error${deb:+ naming $deb}, outputs untouched"
exit $((fails > 0))
