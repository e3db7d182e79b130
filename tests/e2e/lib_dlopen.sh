#!/usr/bin/env bash
# HarfBuzz and libharu loaded with dlopen (include/rc/hb_lib.h,
# src/pdf/hpdf_lib.h, issue 18), at the start of the commands that need
# them (include/rc/libs.h). Checks that:
# - reportc does not need libharfbuzz, libharfbuzz-subset, libhpdf or what
#   they need (glib, freetype, graphite2, png) at start (NEEDED);
# - `--version`, `help`, `metrics` and `--only tex,xlsx` load neither
#   (LD_DEBUG=files); `check` and `--only tex --figures svg` load HarfBuzz
#   but not libhpdf; `--only pdf` loads both, on the main thread before it
#   starts any other (strace -f, when it can trace);
# - without either library (RC_HARFBUZZ_SO or RC_HPDF_SO naming a missing
#   file, or a library lacking the functions) the build fails with exit
#   status 3 and a located error naming the Debian package, and the previous
#   outputs stay as they were; a build that writes no PDF does not need
#   libhpdf, one that reads no font (--only tex,xlsx) not HarfBuzz either;
# - a build that needs no HarfBuzz (fonts' facts, texts and paragraphs all
#   from the cache) does not load it once a run has found so (rc/libs.h),
#   and gives the PDF of a build without cache; an edit loads it where a
#   text is shaped, and the next build loads it at the start again; a
#   library file replaced (RC_HARFBUZZ_SO naming a copy) is seen without
#   loading it, and loaded again;
# - a build failing at once (a missing configuration) exits cleanly with its
#   own status, many times over (the ASan suite runs this too).
# usage: lib_dlopen.sh REPORTC BUILD_DIR
set -uo pipefail
RC=$(realpath "$1")
BUILD=$(realpath "$2")
cd "$(dirname "$0")/../.."
command -v readelf >/dev/null || { echo "SKIP: no readelf"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-libdl.XXXXXX")
export REPORTC_CACHE_DIR=$tmp/cache SOURCE_DATE_EPOCH=1577836800 # (a cache of its own, cold)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
hb_re='libharfbuzz(-subset)?\.so'
pdf_re='libhpdf[-.0-9]*\.so'

needed=$(readelf -d "$RC" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "no NEEDED entries read from $RC"
bad=$(grep -E "^(libharfbuzz|libhpdf|libglib|libfreetype|libgraphite2|libpng|libbrotli|libpcre2)" <<<"$needed" | tr '\n' ' ')
if [ -n "$bad" ]; then fail "reportc still needs at start: $bad"; else
    echo "ok: NEEDED names none of HarfBuzz, libhpdf and what they need ($(tr '\n' ' ' <<<"$needed"))"; fi

# One edition of the sample, written next to the copy so its relative paths hold.
cfg=config/.libdl-$$.ini
trap 'rm -rf "$tmp" "$cfg"' EXIT
python3 - "$cfg" <<'PY'
import re, sys
t = open('config/iuc-lac-2019.ini').read()
t = re.sub(r'^languages\s*=.*$', 'languages = en', t, flags=re.M)
t = re.sub(r'^\[edition [^]]*\]\n(?:[^[\n].*\n|\n)*', '', t, flags=re.M)
open(sys.argv[1], 'w').write(t)
PY

# The libraries a run loads (LD_DEBUG=files), as "libharfbuzz libhpdf".
loads() {
    local what=$1
    shift
    rm -f "$tmp"/ld.*
    LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" "$RC" "$@" >/dev/null 2>"$tmp/err" ||
        { fail "$what: exit $?"; sed 's/^/    /' "$tmp/err"; }
    local got
    got=$(cat "$tmp"/ld.* 2>/dev/null | grep -oE "file=[^ ]*($hb_re|$pdf_re)" | sed 's#.*/##; s/file=//')
    {
        grep -q '^libharfbuzz\.so' <<<"$got" && echo libharfbuzz
        grep -q '^libharfbuzz-subset\.so' <<<"$got" && echo libharfbuzz-subset
        grep -q '^libhpdf' <<<"$got" && echo libhpdf
    } | tr '\n' ' ' | sed 's/ $//'
}
expect() { # WHAT WANT ARGS...: the run loads exactly WANT
    local what=$1 want=$2
    shift 2
    local got
    got=$(loads "$what" "$@")
    if [ "$got" = "$want" ]; then echo "ok: $what loads ${want:-none of them}"; else
        fail "$what loads '$got', want '$want'"; fi
}
both="libharfbuzz libharfbuzz-subset libhpdf"
expect "reportc --version" "" --version
expect "reportc help build" "" help build
expect "reportc metrics" "" metrics "$cfg"
expect "reportc check" "libharfbuzz libharfbuzz-subset" check "$cfg" -q
expect "--only tex,xlsx" "" build "$cfg" -o "$tmp/t" -q --only tex,xlsx
expect "--only tex --figures svg" "libharfbuzz libharfbuzz-subset" build "$cfg" -o "$tmp/v" -q --only tex --figures svg
expect "--only pdf" "$both" build "$cfg" -o "$tmp/p" -q --only pdf
expect "a full build" "$both" build "$cfg" -o "$tmp/o" -q

# Not loaded when not needed (rc/libs.h): the run after the first still
# loads it (the one before needed it) and finds it did not need it; the
# next does not load it, and its PDF is a build's without cache.
expect "--only pdf, inputs unchanged" "$both" build "$cfg" -o "$tmp/p" -q --only pdf
expect "--only pdf, unchanged again" "libhpdf" build "$cfg" -o "$tmp/p" -q --only pdf
REPORTC_CACHE_DIR= "$RC" build "$cfg" -o "$tmp/nc" -q --only pdf || fail "no cache: exit $?"
pdf=$(basename "$(ls "$tmp/nc"/*.pdf)")
cmp -s "$tmp/p/$pdf" "$tmp/nc/$pdf" && echo "ok: that PDF is the one built without cache" ||
    fail "the PDF built without HarfBuzz differs from the one built without cache"
# an edit: a new word to shape loads it mid-build; the next run loads it first
mkdir -p "$tmp/edit" && cp -r config/iuc-lac-2019 "$tmp/edit/" && cp "$cfg" "$tmp/edit/report.ini"
ecfg=$tmp/edit/report.ini
efirst=$tmp/edit/iuc-lac-2019/chapters/01-introduction.md
if [ -f "$efirst" ]; then
    sed -i '0,/^[A-Z][a-z]/s//Zyzzyva &/' "$efirst"
    expect "an edited chapter, first build" "$both" build "$ecfg" -o "$tmp/e" -q --only pdf
    expect "an edited chapter, unchanged" "$both" build "$ecfg" -o "$tmp/e" -q --only pdf
    expect "an edited chapter, unchanged again" "libhpdf" build "$ecfg" -o "$tmp/e" -q --only pdf
    sed -i '0,/Zyzzyva /s//Zyzzyvas /' "$efirst"
    expect "a second edit (a text to shape)" "$both" build "$ecfg" -o "$tmp/e" -q --only pdf
    REPORTC_CACHE_DIR= "$RC" build "$ecfg" -o "$tmp/enc" -q --only pdf || fail "no cache: exit $?"
    cmp -s "$tmp/e/$pdf" "$tmp/enc/$pdf" && echo "ok: the edit's PDF is the one built without cache" ||
        fail "the edit's PDF differs from the one built without cache"
    expect "the build after an edit" "$both" build "$ecfg" -o "$tmp/e" -q --only pdf
else
    fail "no $efirst"
fi
# The library's file replaced: seen without loading it (its signature), so
# the next build loads it and works again.
hbso=$(ldconfig -p 2>/dev/null | grep -oE '/[^ ]*/libharfbuzz\.so\.0$' | head -1)
if [ -n "$hbso" ] && cp "$hbso" "$tmp/libharfbuzz.so.0"; then
    export RC_HARFBUZZ_SO=$tmp/libharfbuzz.so.0
    for i in 1 2 3; do "$RC" build "$cfg" -o "$tmp/h" -q --only pdf || fail "with a copy of libharfbuzz: exit $?"; done
    expect "with a copy of libharfbuzz, unchanged" "libhpdf" build "$cfg" -o "$tmp/h" -q --only pdf
    touch -d '2001-01-01' "$RC_HARFBUZZ_SO"
    expect "that copy replaced" "libharfbuzz libharfbuzz-subset libhpdf" build "$cfg" -o "$tmp/h" -q --only pdf
    cmp -s "$tmp/h/$pdf" "$tmp/nc/$pdf" && echo "ok: and its PDF is the same" || fail "the PDF with the copy differs"
    unset RC_HARFBUZZ_SO
else
    echo "ok: (no libharfbuzz.so.0 found by ldconfig: the replaced library is not checked)"
fi

# Loaded at the start (rc_libs_preload): the openat of each library is made
# by the main thread before it starts any other (rc/libs.h says why).
if command -v strace >/dev/null && strace -f -qq -o "$tmp/st0" true 2>/dev/null; then
    # (LeakSanitizer cannot run under ptrace: off for this run of an ASan build)
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -qq -e trace=openat,clone,clone3 -o "$tmp/st" "$RC" build "$cfg" -o "$tmp/s" -q --only pdf ||
        fail "--only pdf under strace: exit $?"
    main=$(head -1 "$tmp/st" | awk '{ print $1 }')
    first_clone=$(grep -nE '^[0-9]+ +clone3?\(' "$tmp/st" | head -1 | cut -d: -f1)
    [ -n "$first_clone" ] || fail "strace saw no thread started by --only pdf"
    for lib in libharfbuzz.so libharfbuzz-subset.so libhpdf; do
        # (a call another thread interrupts is split: "<unfinished ...>")
        at=$(grep -nE "openat\(.*/$lib[^/\"]*\"" "$tmp/st" | grep -v '= -1' | head -1)
        by=$(cut -d: -f2- <<<"$at" | awk '{ print $1 }')
        line=$(cut -d: -f1 <<<"$at")
        if [ -z "$at" ]; then fail "strace saw no opening of $lib"
        elif [ "$by" != "$main" ]; then fail "$lib was opened by thread $by, not the main thread ($main)"
        elif [ -n "$first_clone" ] && [ "$line" -gt "$first_clone" ]; then
            fail "$lib was opened after the first thread was started"
        else echo "ok: $lib opened by the main thread $main before any other thread"; fi
    done
else
    echo "ok: (strace cannot trace here: where the libraries load is not checked)"
fi

# a build that writes no PDF does not need libhpdf
RC_HPDF_SO=libreportc-missing.so.0 "$RC" build "$cfg" -o "$tmp/n" -q --only tex,xlsx ||
    fail "--only tex,xlsx without libhpdf: exit $?"
RC_HPDF_SO=libreportc-missing.so.0 "$RC" check "$cfg" -q || fail "check without libhpdf: exit $?"
RC_HARFBUZZ_SO=libreportc-missing.so.0 RC_HPDF_SO=libreportc-missing.so.0 \
    "$RC" build "$cfg" -o "$tmp/m" -q --only tex,xlsx || fail "--only tex,xlsx without either: exit $?"

# Failing at once after the loading: the status of the failure, one line
# of error, no crash (a signal would be 128+), 40 times each.
bad=0
for i in $(seq 40); do
    "$RC" build "$tmp/no-such.ini" -o "$tmp/x" -q 2>"$tmp/err"
    st=$?
    if [ $st != 2 ] || [ "$(wc -l <"$tmp/err")" != 1 ]; then
        fail "a missing configuration (run $i): exit $st"; sed 's/^/    /' "$tmp/err"; bad=1; break
    fi
    "$RC" check "$tmp/no-such.ini" 2>"$tmp/err"
    st=$?
    if [ $st != 2 ]; then fail "check of a missing configuration (run $i): exit $st"; bad=1; break; fi
done
[ $bad = 0 ] && echo "ok: 80 builds and checks failing at once exit 2 cleanly"
exit $((fails > 0))
