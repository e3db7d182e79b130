#!/usr/bin/env bash
# `reportc watch` on a config with three editions: every input of every
# edition is watched (the language files, their chapter lists, the chapters
# of each language), an edition none of whose inputs changed is not built
# again, and a broken language file keeps the last good outputs
# (tests/e2e/watch_editions_test.py).
# usage: watch_editions.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
command -v pdftotext >/dev/null || { echo "skipped: pdftotext not installed"; exit 77; }
exec /usr/bin/python3 "$(dirname "$0")/watch_editions_test.py" "$1"
