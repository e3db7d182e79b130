#!/usr/bin/env bash
# [typography] standard ligatures: words with fi, fl, ff, ffi are set with
# Lato's ligature glyphs (shown by codes of their own, whose ToUnicode
# entries give the characters back), text extraction gives every word
# whole, and a hyphenation point inside "ffi" splits the ligature: with
# `hyphenation_exceptions = ef-ficiently` and columns too narrow for the
# word, it is set "ef-" (f by its own code) + "ficiently" (the fi ligature),
# and pdftotext still reads "efficiently" (/ActualText).
set -euo pipefail
reportc=$(realpath "$1")
command -v qpdf >/dev/null && command -v pdftotext >/dev/null ||
    { echo "skipped: qpdf and poppler-utils are needed (scripts/deps.sh test)"; exit 77; }
[ -r /usr/share/hyphen/hyph_en_GB.dic ] || { echo "skipped: hyphen-en-gb not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/ch"
w=efficiently
cols=11 # cells narrower than the word, wider than "ficiently"
{
    printf '# Ligatures\n\nThe first efficient office profile flows affluently into a different fjord.\n\n'
    for ((k = 0; k < cols; k++)); do printf '| %s ' "$k"; done
    printf '|\n'
    for ((k = 0; k < cols; k++)); do printf '|---'; done
    printf '|\n'
    for ((k = 0; k < cols; k++)); do printf '| %s ' "$w"; done
    printf '|\n'
} > "$dir/ch/one.md"
cat > "$dir/r.ini" <<EOF
[report]
title = Ligatures
year = 2020

[style]
hyphenation = /usr/share/hyphen/hyph_en_GB.dic
hyphenation_exceptions = ef-ficiently

[output]
formats = pdf

[document]
cover = no
imprint = no
contents = no
back_cover = no
chapters = ch/one.md
EOF
"$reportc" build "$dir/r.ini" -q
pdf=$(ls "$dir"/out/*.pdf)
pdftotext "$pdf" "$dir/t.txt"
qpdf --qdf --object-streams=disable "$pdf" "$dir/q.pdf"
/usr/bin/python3 - "$dir/t.txt" "$dir/q.pdf" "$w" "$cols" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
raw = open(sys.argv[2], "rb").read()
word = sys.argv[3]
fails = []
for wd in ["first", "efficient", "office", "profile", "flows", "affluently", "different"]:
    if not re.search(r"\b%s\b" % wd, text):
        fails.append(f"pdftotext does not give '{wd}' whole")
n = len(re.findall(r"\b%s\b" % word, text))
if n != int(sys.argv[4]):
    fails.append(f"pdftotext gives '{word}' {n} times, not {sys.argv[4]} (hyphenated pieces?)")
# ligature codes: ToUnicode entries from a code below 0x20 to several characters
lig = {}
for code, dst in re.findall(rb"<(00[01][0-9A-F])> <([0-9A-F]{8,})>", raw):
    lig[bytes.fromhex(dst.decode()).decode("utf-16-be")] = int(code, 16)
for want in ["fi", "ffi", "fl", "ff"]:
    if want not in lig:
        fails.append(f"no ligature code for '{want}' in any ToUnicode CMap: {sorted(lig)}")
# the word broken inside ffi: "ef-" in the f's own code, then the fi
# ligature (qpdf --qdf writes strings in hex; kerning numbers are dropped)
shown = re.sub(rb">\s*-?[\d.]+\s*<", b"", raw).lower()
if b"<00650066002d>" not in shown:
    fails.append("no 'ef-' piece shown: the break inside 'ffi' did not split the ligature")
if "fi" in lig and b"<%04x00630069" % lig["fi"] not in shown:
    fails.append("no 'ficiently' piece shown with the fi ligature")
print("ligature codes:", {k: v for k, v in sorted(lig.items())})
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PY
