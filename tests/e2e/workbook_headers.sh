#!/usr/bin/env bash
# The column headers of both workbooks of the sample, in each of its three
# editions (en, es, pt), read back with openpyxl (tests/e2e/workbook_headers.py):
# no header row repeats a text, every column of numbers says its unit, and
# the figures' headers say what their numbers count, in the edition's
# language ("Share of respondents (%)", "Porcentaje de encuestados (%)",
# "Percentagem de inquiridos (%)"), from the definitions (issue 19).
# usage: workbook_headers.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
. "$(dirname "$0")/workbook_env.bash" rc-heads
"$RC" build config/iuc-lac-2019.ini -o "$tmp/out" --only xlsx -q
/usr/bin/python3 tests/e2e/workbook_headers.py "$tmp/out" iuc-lac-2019
