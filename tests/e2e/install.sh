#!/usr/bin/env bash
# Installing: `cmake --install BUILD --prefix P` puts the binary, its data,
# the man page, the bash completion and the sample report where
# cmake/install.cmake says; the prefix is then moved, and the installed binary,
# run from a copy of the installed example outside the repository, finds its
# fonts from its own location and builds all four outputs. Its PDF is
# byte-identical to the build tree's PDF of the repository's sample.
# REPORTC_DATA_DIR overrides the search.
# Usage: install.sh REPORTC BUILD_DIR
set -uo pipefail
RC=$(realpath "$1")
BUILD=$(realpath "$2")
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
tmp=$(mktemp -d /tmp/rc-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
export SOURCE_DATE_EPOCH=1588291200
unset REPORTC_DATA_DIR

if ! cmake --install "$BUILD" --prefix "$tmp/p1" >"$tmp/install.out" 2>&1; then
    echo "FAIL: cmake --install"; cat "$tmp/install.out"; exit 1
fi
for f in bin/reportc share/reportc/fonts/Lato-Regular.ttf share/reportc/fonts/Lato-Italic.ttf \
    share/reportc/fonts/Lato-Bold.ttf share/reportc/fonts/Lato-BoldItalic.ttf \
    share/reportc/fonts/Lato-Light.ttf share/reportc/fonts/OFL.txt share/man/man1/reportc.1 \
    share/bash-completion/completions/reportc \
    share/doc/reportc/examples/iuc-lac-2019/config/iuc-lac-2019.ini; do
    [ -s "$tmp/p1/$f" ] || { echo "FAIL: $f not installed"; fail=1; }
done
[ -x "$tmp/p1/bin/reportc" ] || { echo "FAIL: bin/reportc is not executable"; fail=1; }
# Every file the sample's INI names is in the example (chapters, CSVs, tables, boxes).
(cd config && find . -type f | sort) >"$tmp/repo.list"
(cd "$tmp/p1/share/doc/reportc/examples/iuc-lac-2019/config" && find . -type f | sort) >"$tmp/ex.list"
diff "$tmp/repo.list" "$tmp/ex.list" >/dev/null || { echo "FAIL: the example differs from config/:"; diff "$tmp/repo.list" "$tmp/ex.list" | head; fail=1; }
[ $fail = 0 ] || exit 1

# Move the prefix; build the example from a copy, in a directory of its own.
mv "$tmp/p1" "$tmp/moved"
cp -r "$tmp/moved/share/doc/reportc/examples/iuc-lac-2019" "$tmp/ex"
if ! (cd "$tmp/ex" && "$tmp/moved/bin/reportc" check config/iuc-lac-2019.ini) >"$tmp/check.out" 2>&1; then
    echo "FAIL: the installed reportc check on the example, from a moved prefix:"; cat "$tmp/check.out"; exit 1
fi
if ! (cd "$tmp/ex" && "$tmp/moved/bin/reportc" build config/iuc-lac-2019.ini) >"$tmp/build.out" 2>&1; then
    echo "FAIL: the installed reportc build on the example, from a moved prefix:"; cat "$tmp/build.out"; exit 1
fi
for f in iuc-lac-2019.pdf iuc-lac-2019.tex iuc-lac-2019-data.xlsx iuc-lac-2019-figures.xlsx; do
    [ -s "$tmp/ex/out/$f" ] || { echo "FAIL: the example's build did not write out/$f"; fail=1; }
done
echo "moved prefix: $(grep -c '^wrote' "$tmp/build.out") outputs of the example written"

# The same PDF as the build tree's, byte for byte: same fonts, same data.
"$RC" build config/iuc-lac-2019.ini -o "$tmp/tree" --only pdf -q >/dev/null 2>&1 ||
    { echo "FAIL: build tree reportc build"; fail=1; }
cmp -s "$tmp/tree/iuc-lac-2019.pdf" "$tmp/ex/out/iuc-lac-2019.pdf" ||
    { echo "FAIL: the installed binary's PDF differs from the build tree's"; fail=1; }

# The override wins, and a wrong one is reported at the font, naming the path.
REPORTC_DATA_DIR="$tmp/nowhere" "$tmp/moved/bin/reportc" check "$tmp/ex/config/iuc-lac-2019.ini" >"$tmp/env.out" 2>&1
st=$?
if [ $st != 2 ] || ! grep -q "$tmp/nowhere/fonts/Lato-Regular.ttf" "$tmp/env.out"; then
    echo "FAIL: REPORTC_DATA_DIR=$tmp/nowhere: exit $st, wanted 2 and the font path:"; cat "$tmp/env.out"; fail=1
fi
mkdir -p "$tmp/data"
cp -r "$ROOT/fonts" "$tmp/data/fonts"
REPORTC_DATA_DIR="$tmp/data" "$tmp/moved/bin/reportc" build "$tmp/ex/config/iuc-lac-2019.ini" -o "$tmp/env" --only pdf -q >"$tmp/env.out" 2>&1 ||
    { echo "FAIL: REPORTC_DATA_DIR=$tmp/data:"; cat "$tmp/env.out"; fail=1; }

# Without /proc/self/exe's help the binary would fall back to /usr/share/reportc:
# the prefix's own data must have been used, so hide it and see the build fail.
mv "$tmp/moved/share/reportc" "$tmp/hidden"
if (cd "$tmp/ex" && "$tmp/moved/bin/reportc" check config/iuc-lac-2019.ini) >"$tmp/hidden.out" 2>&1 &&
    [ ! -d /usr/share/reportc ]; then
    echo "FAIL: the example built without the prefix's share/reportc"; fail=1
fi
[ $fail = 0 ] && echo "install: prefix moved, example built from a copy, PDF identical to the build tree's; REPORTC_DATA_DIR honoured"
exit $fail
