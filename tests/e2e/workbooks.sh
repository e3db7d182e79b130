#!/usr/bin/env bash
# The companion workbooks of the sample report, read back with openpyxl
# (tests/e2e/check_workbooks.py): sheets, tables, charts, the numbers of every
# figure against `reportc metrics --json` and the published facts, UTF-8
# names, provenance; two builds with the same SOURCE_DATE_EPOCH must be
# byte-identical.
# usage: workbooks.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
cd "$(dirname "$0")/../.."
cfg=config/iuc-lac-2019.ini

if ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
    echo "skipped: /usr/bin/python3 has no openpyxl"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-workbooks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1590969600   # 2020-06-01T00:00:00Z

"$RC" build "$cfg" -o "$tmp/a" --only xlsx -q
"$RC" build "$cfg" -o "$tmp/b" --only xlsx -q
"$RC" metrics --json "$cfg" > "$tmp/metrics.json"

data=$tmp/a/iuc-lac-2019-data.xlsx
figs=$tmp/a/iuc-lac-2019-figures.xlsx
for f in "$data" "$figs"; do
    [ -s "$f" ] || { echo "FAIL: $f not written"; exit 1; }
done
# Only the two workbooks: no temporary file left behind.
n=$(find "$tmp/a" -mindepth 1 | wc -l)
[ "$n" -eq 2 ] || { echo "FAIL: $n files in the output directory:"; ls -la "$tmp/a"; exit 1; }

for f in iuc-lac-2019-data.xlsx iuc-lac-2019-figures.xlsx; do
    if ! cmp -s "$tmp/a/$f" "$tmp/b/$f"; then
        echo "FAIL: two builds with the same SOURCE_DATE_EPOCH differ: $f"
        exit 1
    fi
done
echo "ok: two builds are byte-identical"

/usr/bin/python3 tests/e2e/check_workbooks.py "$cfg" "$data" "$figs" "$tmp/metrics.json" \
    "$SOURCE_DATE_EPOCH"

# LibreOffice opens both workbooks: tests/e2e/libreoffice.sh.
