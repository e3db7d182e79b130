#!/usr/bin/env bash
# The sample report end to end: build, audit, published facts in the PDF text,
# determinism, atomic failure, and a data change flowing into the outputs.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 tests/e2e/report_check.py "$(realpath "$1")"
