#!/usr/bin/env bash
# SVG figures (src/svg): `--figures svg` and `[output] figures = svg` write
# one file per figure beside the PDF, byte-identical from build to build;
# each is rendered with rsvg-convert and compared with the PDF's figure area
# rendered at the same size (tests/e2e/check_svg.py). A failed build leaves
# no figures directory behind.
# usage: svg.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cfg=config/iuc-lac-2019.ini
for t in rsvg-convert pdftoppm pdftotext; do
    command -v $t >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-svg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1590969600

"$RC" build "$cfg" -o "$tmp/a" --only pdf --figures svg -q
"$RC" build "$cfg" -o "$tmp/b" --only pdf --figures svg -q
n=$(ls "$tmp/a/figures" | wc -l)
want=$("$RC" check "$cfg" | sed -n 's/.* \([0-9]*\) figures,.*/\1/p')
[ "$n" = "$want" ] || { echo "FAIL: $n SVG files for $want figures"; exit 1; }
[ -f "$tmp/a/figures/figure-04-motivation.svg" ] || { echo "FAIL: no figure-04-motivation.svg"; ls "$tmp/a/figures"; exit 1; }
diff -r "$tmp/a/figures" "$tmp/b/figures" >/dev/null || { echo "FAIL: two builds differ"; exit 1; }
# nothing but the figures (no temporaries)
[ -z "$(find "$tmp/a" -name '.*')" ] || { echo "FAIL: temporary files left"; exit 1; }
echo "ok: $n SVG figures, byte-identical across builds"

# The INI key does the same; without it no figures are written.
mkdir -p "$tmp/cfg"
cp -r config/iuc-lac-2019 "$tmp/cfg/"
sed 's|^directory = ../out|directory = out\nfigures = svg|' "$cfg" > "$tmp/cfg/r.ini"
"$RC" build "$tmp/cfg/r.ini" --only pdf -q
cmp -s "$tmp/cfg/out/figures/figure-04-motivation.svg" "$tmp/a/figures/figure-04-motivation.svg" ||
    { echo "FAIL: [output] figures = svg differs from --figures svg"; exit 1; }
"$RC" build "$cfg" -o "$tmp/c" --only pdf -q
[ ! -e "$tmp/c/figures" ] || { echo "FAIL: figures written without being asked"; exit 1; }
echo "ok: [output] figures = svg"

# A failed build (a broken chapter) creates no figures directory.
cp "$tmp/cfg/r.ini" "$tmp/cfg/bad.ini"
sed -i 's|^directory = out|directory = out-bad|' "$tmp/cfg/bad.ini"
printf '\n{{no_such_metric}}\n' >> "$tmp/cfg/iuc-lac-2019/chapters/05-conclusions.md"
if "$RC" build "$tmp/cfg/bad.ini" --only pdf -q 2>/dev/null; then echo "FAIL: bad build passed"; exit 1; fi
[ ! -e "$tmp/cfg/out-bad" ] || { echo "FAIL: a failed build left $(ls -R "$tmp/cfg/out-bad")"; exit 1; }
echo "ok: a failed build leaves no figures"

# Both renderers use the checkout's Lato.
mkdir -p "$tmp/fc"
cat > "$tmp/fc/fonts.conf" <<XML
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$root/fonts</dir><include ignore_missing="yes">/etc/fonts/fonts.conf</include><cachedir>$tmp/fc/cache</cachedir></fontconfig>
XML
mkdir -p "$tmp/work"
FONTCONFIG_FILE=$tmp/fc/fonts.conf /usr/bin/python3 tests/e2e/check_svg.py \
    "$tmp/a/iuc-lac-2019.pdf" "$tmp/a/figures" "$tmp/work"
