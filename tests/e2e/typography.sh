#!/usr/bin/env bash
# The sample report's typography, read back from its PDFs (typography.py),
# every edition (en, es, pt) held to issue 14's targets: hyphenated line ends
# at most 3 % of full lines, no more than 2 in a row, no justified line with
# a word gap wider than 1 em (the cap of the paragraph builder), and no body
# page that does not end a part more than 20 % empty.
# Measured when this was written: hyphenated en 1.7 %, es 1.2 %, pt 1.9 %;
# widest gaps 0.68, 0.56 and 0.62 em (bold lead-ins, which are not
# hyphenated); emptiest body pages 17 %, 19 % and 17 %.
# Skipped (77) without PyMuPDF (Debian python3-fitz).
set -euo pipefail
cd "$(dirname "$0")/../.."
reportc=$(realpath "$1")
/usr/bin/python3 -c 'import fitz' 2>/dev/null || { echo "skipped: python3-fitz not installed"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$reportc" build config/iuc-lac-2019.ini -o "$out" --only pdf -q
status=0
for lang in en es pt; do
    pdf="$out/iuc-lac-2019-$lang.pdf"
    [ -f "$pdf" ] || { echo "error: no $lang edition ($pdf)" >&2; exit 1; }
    echo -n "$lang: "
    /usr/bin/python3 tests/e2e/typography.py "$pdf" \
        --max-hyph 3 --max-run 2 --max-gap 1.0 --max-empty 20 || status=1
done
exit $status
