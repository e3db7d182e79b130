#!/usr/bin/env bash
# `reportc watch`: rebuilds on edits, keeps the last good PDF on a broken
# edit, leaves no temporaries on Ctrl-C (tests/e2e/watch_test.py).
# usage: watch.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
command -v pdftotext >/dev/null || { echo "skipped: pdftotext not installed"; exit 77; }
exec /usr/bin/python3 "$(dirname "$0")/watch_test.py" "$1"
