# What the workbook tests that build the sample share (workbook_headers.sh,
# workbook_streamed.sh), sourced: run from the source tree's root, skip
# (exit 77) without openpyxl, a scratch directory $tmp removed on exit, and
# a fixed SOURCE_DATE_EPOCH.
# usage: . workbook_env.bash PREFIX     (PREFIX names the scratch directory;
# not .sh: CMakeLists.txt makes every tests/e2e/*.sh a test)
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || { echo "skipped: no openpyxl"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1590969600
