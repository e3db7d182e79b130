#!/usr/bin/env bash
# Tagged PDF/UA-1 + PDF/A-2a: the checker tests/e2e/pdf_access.py on the
# sample, a golden document, generated documents and, as a self-test, on
# copies broken on purpose (docs/accessibility.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
/usr/bin/python3 -c 'import pikepdf' 2>/dev/null || { echo "python3-pikepdf missing (scripts/deps.sh test)"; exit 77; }
exec /usr/bin/python3 tests/e2e/accessibility.py "$(realpath "$1")"
