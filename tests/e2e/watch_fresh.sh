#!/usr/bin/env bash
# `reportc watch` keeps configuration, data, fonts, hashes and unchanged
# editions between builds: after each kind of edit every output it left
# (PDF, .tex, both workbooks, of all three editions) must be byte for byte
# what a fresh `reportc build` writes (tests/e2e/watch_fresh_test.py).
# usage: watch_fresh.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/watch_fresh_test.py" "$1"
