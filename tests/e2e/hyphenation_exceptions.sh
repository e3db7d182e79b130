#!/usr/bin/env bash
# [style] hyphenation_exceptions reach the layout: a small report whose
# table has six columns too narrow for "telecommunications" is built twice.
# Without exceptions the dictionary breaks the word (hyph_en_GB gives
# "telecommunica-tions"); with `hyphenation_exceptions = Telecom-munications`
# (any letter case) every break of the word is after "telecom" and nowhere
# else. The words are read back from the PDF as drawn, with PyMuPDF.
set -euo pipefail
reportc=$(realpath "$1")
/usr/bin/python3 -c 'import fitz' 2>/dev/null || { echo "skipped: python3-fitz is not installed (scripts/deps.sh test)"; exit 77; }
[ -r /usr/share/hyphen/hyph_en_GB.dic ] || { echo "skipped: hyphen-en-gb not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/ch"
w=telecommunications
{
    printf '# Narrow columns\n\nA table whose cells are narrower than one long word.\n\n'
    printf '| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n'
    printf "| $w | $w | $w | $w | $w | $w |\n"
} > "$dir/ch/one.md"
write_ini() { # $1: INI file, $2: extra [style] line
    cat > "$1" <<EOF
[report]
title = Hyphenation exceptions
year = 2020

[style]
hyphenation = /usr/share/hyphen/hyph_en_GB.dic
$2

[output]
formats = pdf

[document]
cover = no
imprint = no
contents = no
back_cover = no
chapters = ch/one.md
EOF
}
write_ini "$dir/plain.ini" ""
write_ini "$dir/exc.ini" "hyphenation_exceptions = Telecom-munications"
"$reportc" build "$dir/plain.ini" -q
"$reportc" build "$dir/exc.ini" -q
/usr/bin/python3 - "$dir/out/plain.pdf" "$dir/out/exc.pdf" "$w" <<'PY'
import sys
import fitz  # python3-fitz: the glyphs as drawn (poppler would apply the
             # /ActualText that gives screen readers the whole word)

def pieces(path, word):
    """The word's occurrences as lists of the pieces they were set in."""
    words = [w[4] for page in fitz.open(path) for w in page.get_text("words")]
    out, cur = [], []
    for t in words:
        if not cur and not word.startswith(t.rstrip("-").lower()):
            continue
        cur.append(t)
        if "".join(p[:-1] if p.endswith("-") else p for p in cur).lower() == word:
            out.append(cur)
            cur = []
        elif not t.endswith("-") and len(cur) > 1:
            cur = []
    return out

word = sys.argv[3]
plain, exc = pieces(sys.argv[1], word), pieces(sys.argv[2], word)
fails = []
if len(plain) != 6 or len(exc) != 6:
    fails.append(f"expected 6 occurrences, found {len(plain)} and {len(exc)}")
if not any(len(p) > 1 for p in plain):
    fails.append("without exceptions the word is never hyphenated: the test proves nothing")
if any(p[0] == "telecom-" for p in plain):
    fails.append("the dictionary alone already breaks after 'telecom': the test proves nothing")
for p in exc:
    if p != ["telecom-", "munications"]:
        fails.append(f"with the exception the word is set as {p}, not ['telecom-', 'munications']")
print("without:", sorted({" ".join(p) for p in plain}), "with:", sorted({" ".join(p) for p in exc}))
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PY
