#!/usr/bin/env bash
# Two faces drawn from files of the same bytes (a copy of a font under
# another name, here the light face's file copied as the regular one)
# share one font, as two faces drawn from one file do: the sample builds,
# the PDF embeds that font once and its text reads whole. (The PDF writer
# embeds a font by its own name: libharu refused the second copy, exit 3.)
# Two files of one PostScript name but other bytes cannot share: a located
# configuration error (exit 2) that says so, the outputs left as they were.
# usage: font_copies.sh REPORTC BUILD_DIR
set -euo pipefail
reportc=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v pdffonts >/dev/null && command -v pdftotext >/dev/null ||
    { echo "skipped: poppler-utils is needed (scripts/deps.sh test)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed '/^languages *=/d' "$ROOT/config/iuc-lac-2019.ini" | awk '/^; -+ editions/{exit} {print}' \
    > "$tmp/one.ini"
cp -r "$ROOT/config/iuc-lac-2019" "$tmp/"
mkdir "$tmp/fonts"
cp "$ROOT"/fonts/Lato-*.ttf "$tmp/fonts/"
cp "$ROOT/fonts/Lato-Light.ttf" "$tmp/fonts/Body.ttf"
sed -i 's/^\[style\]$/[style]\nfont_dir = fonts\nfont_regular = Body.ttf/' "$tmp/one.ini"
cd "$tmp"
fails=0
if SOURCE_DATE_EPOCH=1577836800 "$reportc" build one.ini -o out -q --only pdf 2> err.txt; then
    echo "ok: builds"
else
    echo "FAIL: exit $?: $(head -3 err.txt)"
    exit 1
fi
pdf=$(ls out/*.pdf)
n=$(pdffonts "$pdf" | grep -c 'Lato-Light' || true)
[ "$n" = 1 ] && echo "ok: Lato-Light embedded once" || { echo "FAIL: Lato-Light embedded $n times"; fails=$((fails + 1)); }
pdftotext "$pdf" text.txt
grep -q 'Smart Specialisation' text.txt && echo "ok: the text reads" ||
    { echo "FAIL: text not extracted"; fails=$((fails + 1)); }

# the copy changed by one byte: another file of the same name
printf 'x' >> fonts/Body.ttf
before=$(md5sum "$pdf")
set +e
"$reportc" build one.ini -o out -q --only pdf 2> err.txt
rc=$?
set -e
[ "$rc" = 2 ] && echo "ok: exit 2" || { echo "FAIL: exit $rc"; fails=$((fails + 1)); }
grep -q "^one.ini:[0-9]*:[0-9]*: error: the light font 'fonts/Lato-Light.ttf' has the PostScript name of another face's font" err.txt &&
    echo "ok: located and explained" || { echo "FAIL: $(head -2 err.txt)"; fails=$((fails + 1)); }
[ "$(md5sum "$pdf")" = "$before" ] && echo "ok: the previous PDF untouched" ||
    { echo "FAIL: the previous PDF changed"; fails=$((fails + 1)); }
echo "$fails failure(s)"
exit $((fails > 0))
