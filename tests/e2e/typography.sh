#!/usr/bin/env bash
# The sample report's typography, read back from its PDF (typography.py):
# hyphenated line ends at most 3 % of full lines, no more than 2 in a row,
# and no body page that does not end a part more than 20 % empty (the
# issue's target; the sample's worst is 17 %: the page before the box that
# waits for the chapter's last page takes lines from the page before it).
# Skipped (77) without PyMuPDF (Debian python3-fitz).
set -euo pipefail
cd "$(dirname "$0")/../.."
reportc=$(realpath "$1")
/usr/bin/python3 -c 'import fitz' 2>/dev/null || { echo "skipped: python3-fitz not installed"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$reportc" build config/iuc-lac-2019.ini -o "$out" --only pdf -q
/usr/bin/python3 tests/e2e/typography.py "$out/iuc-lac-2019.pdf" --max-hyph 3 --max-run 2 --max-empty 20
