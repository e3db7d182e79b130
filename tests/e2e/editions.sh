#!/usr/bin/env bash
# The sample's three editions (en, es, pt) from one run: localised facts and
# fixed words, same numbers in every workbook, pdf-audit, hyphenation, each
# .tex through pdflatex, per-language config errors. See editions_check.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 tests/e2e/editions_check.py "$(realpath "$1")"
