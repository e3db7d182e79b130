#!/usr/bin/env bash
# Title, subtitle, authors and keywords at the document information's limit
# (RC_PDF_INFO_MAX_CHARS = 16,382 characters, the most a PDF/A-2 string of
# 32,767 bytes holds in UTF-16) reach the PDF whole, in the Info dictionary
# (read by pdfinfo) and in the XMP packet alike, with XML's special
# characters and characters of 2 and 3 UTF-8 bytes; one character more is a
# located error at the key and the previous PDF stays as it was. Past about
# 32,767 characters libharu used to fail with "internal error" after the
# whole layout.
set -euo pipefail
RC=$1
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$RC" new "$t/r" >/dev/null
ini=$t/r/report.ini
/usr/bin/python3 - "$ini" "$t/want.json" 16382 <<'PY'
import json, re, sys
ini, want, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
unit = "Régión & <Ω> €uro \"q\" 'a' ñ "
title = (unit * (n // len(unit) + 1))[:n - 1] + "."
k = n // 2
authors = ["A" * k, "B" * (n - k - 2)]
keywords = ["kw" * (k // 2), "é" * (n - 2 * (k // 2) - 2)]
t = open(ini).read()
for key, val in (("title", title), ("subtitle", title[::-1]),
                 ("authors", " | ".join(authors)), ("keywords", " | ".join(keywords))):
    if not re.search(r"^%s\s*=" % key, t, re.M):
        t = t.replace("[report]\n", "[report]\n%s = x\n" % key, 1)
    t = re.sub(r"^(%s\s*=).*$" % key, lambda m: m.group(1) + " " + val, t, count=1, flags=re.M)
# the cover sets the title in its band, which holds far less (a title too
# long for it is an error of its own, bad case cover-title-too-long)
t = re.sub(r"^cover\s*=.*$", "cover = no", t, count=1, flags=re.M)
open(ini, "w").write(t)
json.dump({"Title": title, "Subject": title[::-1],
           "Author": ", ".join(authors), "Keywords": ", ".join(keywords)}, open(want, "w"))
PY
"$RC" build "$ini" -o "$t/out" -q --only pdf 2>"$t/err" || {
    cat "$t/err"; echo "FAIL: the build failed at the limit"; exit 1; }
pdf=$(ls "$t"/out/*.pdf)
/usr/bin/python3 - "$pdf" "$t/want.json" <<'PY'
import json, subprocess, sys
import xml.etree.ElementTree as ET
pdf, want = sys.argv[1], json.load(open(sys.argv[2]))
def run(*a):
    return subprocess.run(a, capture_output=True, text=True, check=True).stdout
# pdfinfo prints one "Key: value" line each; the values hold no newline.
info = {}
for line in run("pdfinfo", "-enc", "UTF-8", pdf).splitlines():
    k, _, v = line.partition(":")
    info[k] = v.strip()
meta = run("pdfinfo", "-meta", pdf)
x = ET.fromstring(meta[meta.index("<x:xmpmeta"):meta.index("</x:xmpmeta>") + 12])
ns = {"dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
xmp = {"Title": x.find(".//dc:title/rdf:Alt/rdf:li", ns).text,
       "Subject": x.find(".//dc:description/rdf:Alt/rdf:li", ns).text,
       "Author": x.find(".//dc:creator/rdf:Seq/rdf:li", ns).text,
       "Keywords": x.find(".//pdf:Keywords", ns).text}
bad = 0
for k, v in want.items():
    # pdfinfo strips the value's ends; the values built above have none to strip
    for where, got in (("Info", info.get(k)), ("XMP", xmp[k])):
        if got != v:
            print(f"FAIL: {where} {k}: {len(got or '')} characters, want {len(v)}"); bad = 1
sys.exit(bad)
PY
# One character more: an error at the key, the PDF built above untouched.
before=$(sha256sum "$pdf")
sed -i 's/^title = \(.*\)\.$/title = \1.x/' "$ini"
if "$RC" build "$ini" -o "$t/out" -q --only pdf 2>"$t/err"; then
    echo "FAIL: a title of 16,383 characters was accepted"; exit 1; fi
grep -q "report.ini:[0-9]*:9: error: 'title' is 16383 characters long; the PDF's document information holds at most 16382" "$t/err" || {
    cat "$t/err"; echo "FAIL: no located error at the title"; exit 1; }
[ "$before" = "$(sha256sum "$pdf")" ] || { echo "FAIL: the previous PDF changed"; exit 1; }
echo "ok: title, subtitle, authors, keywords of 16,382 characters whole in Info and XMP; 16,383 refused"
