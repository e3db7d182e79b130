#!/usr/bin/env bash
# Words wider than the line are split at any character (paragraph.c's
# emergency pass). A 200,000-letter word and a run of 100,000 '[' once cost
# a shaped prefix measurement per character: quadratic, 8 minutes of CPU
# for this document. Long tokens are now measured piece by piece, so the
# build takes well under a second; the generous bound below only catches a
# return of the quadratic cost (this is not a speed measurement), and every
# letter must reach the PDF (no piece lost while splitting).
set -euo pipefail
RC=$1
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$RC" new "$t/r" >/dev/null
/usr/bin/python3 - "$t/r/chapters/02-results.md" <<'PY'
import sys
open(sys.argv[1], "w").write("# Long words\n\n" + "a" * 200000 + "\n\n" + "[" * 100000 + "\n")
PY
timeout 60 "$RC" build "$t/r/report.ini" -o "$t/out" -q --only pdf 2>"$t/err" || {
    cat "$t/err"; echo "FAIL: the build failed or took over 60 s"; exit 1; }
pdf=$(ls "$t"/out/*.pdf)
txt=$(pdftotext -enc UTF-8 "$pdf" - | tr -d ' \n\f')
na=$(tr -cd 'a' <<<"$txt" | wc -c)
nb=$(tr -cd '[' <<<"$txt" | wc -c)
[ "$na" -ge 200000 ] || { echo "FAIL: $na of 200000 letters a in the PDF"; exit 1; }
[ "$nb" -ge 100000 ] || { echo "FAIL: $nb of 100000 '[' in the PDF"; exit 1; }
echo "ok: $na a, $nb [ drawn, $(pdfinfo "$pdf" | sed -n 's/^Pages: *//p') pages"
