#!/usr/bin/env bash
# A long tagged PDF (the sample's chapters repeated to about 1,800 pages):
# its parent tree has more keys than libharu's 8,191-entry array limit
# allows in one /Nums array, so it is written as a number tree with /Kids
# and /Limits. Every page's /StructParents and every annotation's
# /StructParent must be found in it. (Before, such a build failed with
# "libharu error 0x1001 (internal error)".)
set -euo pipefail
RC=$1
cd "$(dirname "$0")/../.."
/usr/bin/python3 -c 'import pikepdf' 2>/dev/null || { echo "skipped: python3-pikepdf is not installed (scripts/deps.sh test)"; exit 77; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
/usr/bin/python3 - config/iuc-lac-2019.ini "$t/one.ini" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r"^languages\s*=.*$", "languages = en", t, flags=re.M)
t = re.sub(r"^\[edition [^]]*\]\n(?:[^[\n].*\n|\n)*", "", t, flags=re.M)
open(sys.argv[2], "w", encoding="utf-8").write(t)
PY
cp "$t/one.ini" config/.rc-large-structure.ini
trap 'rm -rf "$t"; rm -f config/.rc-large-structure.ini' EXIT
/usr/bin/python3 bench/gen-pages.py config/.rc-large-structure.ini "$t/big" 80 >/dev/null
"$RC" build "$t/big/.rc-large-structure.ini" -o "$t/out" --only pdf -q
/usr/bin/python3 - "$t"/out/*.pdf <<'PY'
import sys
import pikepdf
pdf = pikepdf.open(sys.argv[1])
root = pdf.Root.StructTreeRoot
pt = root.ParentTree
keys = {}
def walk(node, lo=None, hi=None):
    if "/Limits" in node:
        lo, hi = int(node.Limits[0]), int(node.Limits[1])
    if "/Nums" in node:
        n = node.Nums
        assert len(n) <= 8191, len(n)
        for i in range(0, len(n), 2):
            k = int(n[i])
            assert lo is None or lo <= k <= hi, (k, lo, hi)
            keys[k] = n[i + 1]
    for kid in node.get("/Kids", []):
        walk(kid)
walk(pt)
pages = len(pdf.pages)
annots = sum(len(p.obj.get("/Annots", [])) for p in pdf.pages)
assert "/Kids" in pt, "expected a number tree with /Kids for this many keys"
assert len(keys) == pages + annots == int(root.ParentTreeNextKey), (len(keys), pages, annots)
for i, p in enumerate(pdf.pages):
    assert int(p.obj.StructParents) in keys
    for a in p.obj.get("/Annots", []):
        assert int(a.StructParent) in keys
print(f"large_structure: {pages} pages, {annots} annotations, {len(keys)} parent-tree keys "
      f"in {len(pt.Kids)} leaves")
PY
