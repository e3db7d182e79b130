#!/usr/bin/env bash
# A data workbook in constant-memory mode, whose source rows reportc writes
# itself and splices into libxlsxwriter's workbook (src/xlsx/xlsx_rows.c,
# xlsx_zip.c): a synthetic survey of 22,000 rows (bench/gen-survey.py; 46
# columns, over the 1,000,000-cell limit) read back with openpyxl cell by
# cell against the CSV file, Python's zipfile checks every CRC, two builds
# are byte-identical, and LibreOffice (headless) converts it without error
# and keeps every row.
# usage: workbook_streamed.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
. "$(dirname "$0")/workbook_env.bash" rc-streamed
python3 bench/gen-survey.py -n 22000 "$tmp/survey.csv"
# The sample with its survey replaced, one edition (en), paths made absolute.
python3 bench/survey-config.py config/iuc-lac-2019.ini "$tmp/s.ini" "$tmp/survey.csv"
"$RC" build "$tmp/s.ini" -o "$tmp/a" --only xlsx -q
"$RC" build "$tmp/s.ini" -o "$tmp/b" --only xlsx -q
wb=$(ls "$tmp"/a/*-data.xlsx)
cmp -s "$wb" "$tmp/b/$(basename "$wb")" || { echo "FAIL: two builds differ"; exit 1; }
echo "ok: two builds are byte-identical"
/usr/bin/python3 - "$wb" "$tmp/survey.csv" "$tmp/s.ini" <<'PY'
import configparser, csv, sys, zipfile
import openpyxl
path, csvpath, ini = sys.argv[1:]
z = zipfile.ZipFile(path)
assert z.testzip() is None, "a member's CRC is wrong"
assert not any(n.startswith("xl/tables/") for n in z.namelist()), "constant-memory mode has no tables"
cfg = configparser.RawConfigParser(strict=False, comment_prefixes=(";", "#"))
cfg.read(ini, encoding="utf-8")
wbk = openpyxl.load_workbook(path, read_only=True)
ws = wbk["survey"]
rows = ws.iter_rows(values_only=True)
head = next(rows)
src = list(csv.DictReader(open(csvpath, encoding="utf-8", newline="")))
assert ws.max_row == len(src) + 1, f"dimension says {ws.max_row} rows, the CSV has {len(src)}"
missing = {"", "NA", "n/a"}
col = {h: i for i, h in enumerate(head)}
label = lambda f: cfg[f"field survey.{f}"].get("label", f)
idc, regc = col[label("respondent_id")], col[label("region")]
rel = col[f"{label('rel_edp')} (1–5)"]
n = 0
for r, want in zip(rows, src):
    n += 1
    assert r[idc] == want["respondent_id"], f"row {n}: id {r[idc]!r} != {want['respondent_id']!r}"
    assert r[regc] == (want["region"] or None), f"row {n}: region {r[regc]!r} != {want['region']!r}"
    v = want["rel_edp"]
    assert r[rel] == (None if v in missing else int(v)), f"row {n}: rel_edp {r[rel]!r} != {v!r}"
assert n == len(src), f"{n} rows read, the CSV has {len(src)}"
print(f"ok: openpyxl reads the {n} rows of the streamed sheet as the CSV has them")
PY
lo=$(command -v soffice || command -v libreoffice || true)
if [ -z "$lo" ]; then echo "ok (LibreOffice not installed: conversion not checked)"; exit 0; fi
export HOME=$tmp/home
"$lo" --headless --terminate_after_init >/dev/null 2>&1 || true
mkdir -p "$tmp/conv"
csvopt='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
"$lo" --headless --convert-to "$csvopt" --outdir "$tmp/conv" "$wb" > "$tmp/lo.log" 2>&1 ||
    { echo "FAIL: LibreOffice"; cat "$tmp/lo.log"; exit 1; }
! grep -qi error "$tmp/lo.log" || { echo "FAIL: LibreOffice reports an error"; cat "$tmp/lo.log"; exit 1; }
out=$(ls "$tmp"/conv/*-survey.csv)
got=$(/usr/bin/python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8'))))" "$out")
[ "$got" = 22001 ] || { echo "FAIL: LibreOffice reads $got rows of the survey sheet, want 22001"; exit 1; }
grep -q '^R0021999,' "$out" || { echo "FAIL: LibreOffice lost the last row"; exit 1; }
echo "ok: LibreOffice converts the streamed workbook ($got rows, no error)"
