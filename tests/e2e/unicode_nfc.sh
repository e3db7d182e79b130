#!/usr/bin/env bash
# Text is normalised to NFC at the edges (CSV cells, INI values, Markdown):
# the sample written entirely in decomposed form (NFD, as macOS writes
# "Córdoba": o + U+0301) builds to the same PDF and .tex bytes and the same
# workbook cells as the composed original. Only the inputs' SHA-256 (the
# provenance rows of the About sheet) may differ, since the files differ.
set -euo pipefail
RC=$1
cd "$(dirname "$0")/../.."
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cp -r config "$t/nfc"
cp -r config "$t/nfd"
/usr/bin/python3 - "$t/nfd" <<'PY'
import pathlib, sys, unicodedata
changed = 0
for p in pathlib.Path(sys.argv[1]).rglob("*"):
    if p.suffix not in (".ini", ".csv", ".md") or not p.is_file():
        continue
    s = p.read_text(encoding="utf-8")
    d = unicodedata.normalize("NFD", s)
    if d != s:
        p.write_text(d, encoding="utf-8")
        changed += 1
if changed < 5:
    sys.exit(f"only {changed} files had composed characters to decompose")
print(f"decomposed {changed} input files")
PY
for v in nfc nfd; do
  SOURCE_DATE_EPOCH=1600000000 "$RC" build "$t/$v/iuc-lac-2019.ini" -o "$t/out-$v" -q
done
n=0
for f in "$t"/out-nfc/*.pdf "$t"/out-nfc/*.tex; do
  cmp "$f" "$t/out-nfd/$(basename "$f")" || { echo "FAIL: $(basename "$f") differs between NFC and NFD inputs"; exit 1; }
  n=$((n + 1))
done
/usr/bin/python3 - "$t/out-nfc" "$t/out-nfd" <<'PY'
import glob, os, re, sys
import openpyxl
a, b = sys.argv[1], sys.argv[2]
hexrow = re.compile(r"^[0-9a-f]{64}$")
cells = 0
for fa in sorted(glob.glob(os.path.join(a, "*.xlsx"))):
    wa = openpyxl.load_workbook(fa)
    wb = openpyxl.load_workbook(os.path.join(b, os.path.basename(fa)))
    assert wa.sheetnames == wb.sheetnames, (fa, wa.sheetnames, wb.sheetnames)
    for name in wa.sheetnames:
        ra = list(wa[name].iter_rows(values_only=True))
        rb = list(wb[name].iter_rows(values_only=True))
        assert len(ra) == len(rb), (fa, name)
        for x, y in zip(ra, rb):
            for u, v in zip(x, y):
                if isinstance(u, str) and hexrow.match(u) and isinstance(v, str) and hexrow.match(v):
                    continue  # an input's SHA-256: the decomposed file is another file
                if isinstance(u, str) and isinstance(v, str):  # paths of the two copies
                    u, v = u.replace("/nfc/", "/"), v.replace("/nfd/", "/")
                assert u == v, (os.path.basename(fa), name, u, v)
                cells += 1
print(f"workbooks: {cells} cells identical")
PY
echo "unicode_nfc: $n PDF/.tex outputs byte-identical for composed and decomposed inputs"
