#!/usr/bin/env bash
# Both workbooks opened by LibreOffice (headless; Debian libreoffice-calc-nogui):
# each is converted to OpenDocument and every sheet to CSV; the run fails on
# any "Error" LibreOffice prints, a missing output, a sheet count other than
# openpyxl's, or lost text (accents, the sheets' tables). A truncated
# workbook is converted last and must be caught, so this test can fail.
# usage: libreoffice.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
cd "$(dirname "$0")/../.."
lo=$(command -v soffice || command -v libreoffice || true)
[ -n "$lo" ] || { echo "skipped: LibreOffice (libreoffice-calc-nogui) not installed"; exit 77; }
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || { echo "skipped: no openpyxl"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-lo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home   # LibreOffice's profile, not the user's
export SOURCE_DATE_EPOCH=1590969600
"$RC" build config/iuc-lac-2019.ini -o "$tmp/out" --only xlsx -q

# A first start creates LibreOffice's profile and may convert nothing.
"$lo" --headless --terminate_after_init >/dev/null 2>&1 || true

# convert FILE KIND: LibreOffice's messages must name no error and the file
# must be written.
convert() {
    local f=$1 kind=$2 out=$tmp/conv
    mkdir -p "$out"
    "$lo" --headless --convert-to "$kind" --outdir "$out" "$f" > "$tmp/lo.log" 2>&1 || return 1
    ! grep -qi "error" "$tmp/lo.log" || return 1
    return 0
}
csv='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
for wb in iuc-lac-2019-data iuc-lac-2019-figures; do
    f=$tmp/out/$wb.xlsx
    convert "$f" ods || { echo "FAIL: LibreOffice: $wb.xlsx -> ods"; cat "$tmp/lo.log"; exit 1; }
    [ -s "$tmp/conv/$wb.ods" ] || { echo "FAIL: $wb.ods not written"; exit 1; }
    convert "$f" "$csv" || { echo "FAIL: LibreOffice: $wb.xlsx -> csv"; cat "$tmp/lo.log"; exit 1; }
    want=$(/usr/bin/python3 -c "import openpyxl,sys; print(len(openpyxl.load_workbook(sys.argv[1]).sheetnames))" "$f")
    got=$(ls "$tmp/conv" | grep -c "^$wb-.*\.csv$")
    [ "$got" = "$want" ] || { echo "FAIL: $wb: LibreOffice wrote $got sheets, openpyxl reads $want"; exit 1; }
    echo "ok: LibreOffice opens $wb.xlsx ($got sheets, no error)"
done
grep -q "Bielsko-Biała" "$tmp/conv/iuc-lac-2019-data-pairings.csv" ||
    { echo "FAIL: LibreOffice: the pairings sheet lost 'Bielsko-Biała'"; exit 1; }
grep -q "^Figure 1," "$tmp/conv/iuc-lac-2019-figures-Contents.csv" ||
    { echo "FAIL: LibreOffice: Contents has no 'Figure 1' row"; exit 1; }
grep -q '^Sharing and learning,' "$tmp/conv/iuc-lac-2019-figures-Figure 4.csv" ||
    { echo "FAIL: LibreOffice: Figure 4 lost its table"; exit 1; }
echo "ok: LibreOffice reads the sheets' text"
# The check can fail: a truncated workbook must give an error and no file.
head -c 9000 "$tmp/out/iuc-lac-2019-data.xlsx" > "$tmp/broken.xlsx"
if convert "$tmp/broken.xlsx" ods || [ -e "$tmp/conv/broken.ods" ]; then
    echo "FAIL: a truncated workbook was not caught"; cat "$tmp/lo.log"; exit 1
fi
echo "ok: a truncated workbook is caught ($(grep -i error "$tmp/lo.log" | head -1))"
