#!/usr/bin/env bash
# `reportc watch` sets again only the paragraphs that changed and parses
# again only the Markdown files that changed (para_memo.c, doc_memo.c):
# after edits that move line breaks, add a glyph, change a chapter's page
# count, undo one another or touch a table file, every output must be byte
# for byte what a fresh `reportc build` writes, and the watch's memory must
# not grow with the number of rebuilds (tests/e2e/watch_memo_test.py).
# usage: watch_memo.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/watch_memo_test.py" "$1"
