#!/usr/bin/env bash
# Text strings at PDF/A-2's limit (src/doc/doc_limits.c): a heading whose
# bookmark ("1.1 " and the title) is RC_PDF_TEXT_MAX_CHARS = 16,382
# characters, a link of 16,382 characters of text whose target is 32,767
# bytes, and a figure 'alt' of 16,382 characters, all with 'é' so that they
# are written in UTF-16: the build succeeds and no string in the PDF
# (pikepdf reads every object) is longer than 32,767 bytes, the bookmark
# and the alternative text whole. One more character or byte of each is a
# located error: bad case md-pdf-string-too-long.
set -euo pipefail
RC=$1
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$RC" new "$t/r" >/dev/null
ini=$t/r/report.ini
/usr/bin/python3 - "$ini" <<'PY'
import os, re, sys
ini = sys.argv[1]
d = os.path.dirname(ini)
t = open(ini).read()
t = re.sub(r"^cover\s*=.*$", "cover = no", t, count=1, flags=re.M)
fig = re.search(r"^\[figure ([^\]]+)\]\n", t, re.M)
assert fig, "the starter project has a figure"
t = t[:fig.end()] + "alt = " + "é" * 16382 + "\n" + t[fig.end():]
open(ini, "w").write(t)
chap = re.search(r"^chapters\s*=\s*([^,\n]+)", t, re.M).group(1).strip()
base = "https://example.org/"
words = " ".join(["éééé"] * 3277)[:16382]
heading = ("é" * 16378)
with open(os.path.join(d, chap), "a") as f:
    f.write("\n\n## " + heading + "\n\nA [" + words + "](" + base + "a" * (32767 - len(base)) + ").\n")
PY
"$RC" build "$ini" -o "$t/out" -q --only pdf 2>"$t/err" || {
    cat "$t/err"; echo "FAIL: the build failed at the limit"; exit 1; }
pdf=$(ls "$t"/out/*.pdf)
/usr/bin/python3 - "$pdf" <<'PY'
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
longest, seen, bad = 0, set(), 0
def walk(o):
    global longest
    if isinstance(o, pikepdf.String):
        longest = max(longest, len(bytes(o)))
    elif isinstance(o, pikepdf.Array):
        for x in o: walk(x)
    elif isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)):
        if o.is_indirect:
            if o.objgen in seen: return
            seen.add(o.objgen)
        for k in o.keys(): walk(o[k])
for obj in pdf.objects:
    walk(obj)
titles = []
def outline(items):
    for it in items:
        titles.append(it.title); outline(it.children)
with pdf.open_outline() as ol:
    outline(ol.root)
alts = [str(o.Alt) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/Alt" in o]
if longest > 32767:
    print("FAIL: a string of %d bytes (PDF/A-2: at most 32,767)" % longest); bad = 1
if not any(len(x) == 16382 and x.endswith("é" * 16378) for x in titles):
    print("FAIL: no bookmark of 16,382 characters:", sorted(len(x) for x in titles)[-3:]); bad = 1
if not any(x == "é" * 16382 for x in alts):
    print("FAIL: the figure's alt is not whole:", [len(x) for x in alts]); bad = 1
if bad: sys.exit(1)
print("ok: longest string %d bytes; bookmark and alt of 16,382 characters whole" % longest)
PY
