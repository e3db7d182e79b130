#!/usr/bin/env bash
# Start-up (issue 18): with RC_STATIC_DEPS (the default) the libraries (but nettle, LGPL) whose
# Debian -dev package ships an archive are linked into the binary, so the
# dynamic loader neither maps them nor resolves symbols in them, and the
# .deb's Depends (dpkg-shlibdeps reads NEEDED) no longer name them. Checks
# the binary's NEEDED entries against that list, and that the archives it
# was linked from belong to the -dev packages scripts/deps.sh installs.
# Usage: static_deps.sh REPORTC BUILD_DIR
set -uo pipefail
RC=$(realpath "$1")
BUILD=$2
cd "$(dirname "$0")/../.."
if ! grep -q '^RC_STATIC_DEPS:BOOL=ON' "$BUILD/CMakeCache.txt"; then
    echo "SKIP: configured with RC_STATIC_DEPS=OFF"
    exit 77
fi
command -v readelf >/dev/null || { echo "SKIP: no readelf"; exit 77; }
fail=0
needed=$(readelf -d "$RC" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "FAIL: no NEEDED entries read from $RC"; exit 1; }
for lib in libinih libcmark-gfm libcmark-gfm-extensions libutf8proc libhyphen libdeflate; do
    if grep -q "^$lib\.so" <<<"$needed"; then
        echo "FAIL: $RC still loads $lib at run time (NEEDED: $(tr '\n' ' ' <<<"$needed"))"
        fail=1
    fi
done
# Each archive comes from a -dev package that deps.sh installs in build mode.
for var in RC_STATIC_INIH RC_STATIC_CMARKGFM RC_STATIC_CMARKGFM_EXT \
           RC_STATIC_UTF8PROC RC_STATIC_HYPHEN RC_STATIC_DEFLATE; do
    a=$(sed -n "s/^$var:FILEPATH=//p" "$BUILD/CMakeCache.txt")
    [ -n "$a" ] || { echo "FAIL: $var not in the CMake cache"; fail=1; continue; }
    if command -v dpkg >/dev/null; then
        pkg=$(dpkg -S "$(realpath "$a")" 2>/dev/null | head -1 | cut -d: -f1)
        if [ -z "$pkg" ] || ! grep -qw -- "$pkg" scripts/deps.sh; then
            echo "FAIL: $a (package '${pkg:-none}') is not from a package scripts/deps.sh installs"
            fail=1
        fi
    fi
done
# With libdeflate linked in, no string may look like zlib's version banner:
# lintian (make deb, CI) reads "deflate" then a space and a digit as an
# embedded zlib and fails the package (the memo's key once said
# "libdeflate 1.14").
if /usr/bin/python3 - "$RC" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
m = re.search(rb"(?<!4 )(?:in|de)flate (?:\d[ \w.\-]{1,20}[\w.\-])", b)
sys.exit(1 if m else 0)
PY
then :; else
    echo "FAIL: $RC holds a string lintian takes for an embedded zlib (\"deflate\" + space + digit)"
    fail=1
fi
# libxlsxwriter and what it needs (libminizip, libcrypto) are loaded with
# dlopen by the first workbook: tests/e2e/xlsx_dlopen.sh checks them.
[ $fail = 0 ] && echo "ok: $(wc -l <<<"$needed") shared libraries needed, none of the six linked statically"
exit $fail
