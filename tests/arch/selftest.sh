#!/usr/bin/env bash
# The include checker must catch what it claims to: a back end including
# another, an internal header used from another stage, a circle inside a
# stage, a file over 800 lines. Builds a small tree in a temporary directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/docs" "$t/include/rc" "$t/src/pdf" "$t/src/xlsx" "$t/src/base"
cat > "$t/docs/architecture.md" <<'MD'
<!-- stages: test -->
| stage | folder | public headers | may include |
|---|---|---|---|
| base | src/base | util | |
| pdf | src/pdf | pdf | base |
| xlsx | src/xlsx | xlsx | base |
| main | src | | base |
<!-- end stages -->
MD
touch "$t/include/rc/util.h" "$t/include/rc/pdf.h" "$t/include/rc/xlsx.h" "$t/src/main.c"
printf '#include "rc/util.h"\n#include "rc/xlsx.h"\n' > "$t/src/pdf/pdf.c"
printf '#include "../xlsx/x_int.h"\n' > "$t/src/pdf/other.c"
printf '#include "y_int.h"\n' > "$t/src/xlsx/x_int.h"
printf '#include "x_int.h"\n' > "$t/src/xlsx/y_int.h"
seq 801 | sed 's/^/int v/; s/$/;/' > "$t/src/base/long.c"
out=$(python3 "$here/includes.py" "$t"); st=$?
fail=0
expect() { grep -qF -- "$1" <<<"$out" || { echo "missing: $1"; fail=1; }; }
[ $st = 1 ] || { echo "exit status $st, expected 1"; fail=1; }
expect "src/pdf/pdf.c:2: error: stage 'pdf' may not include 'rc/xlsx.h' (stage 'xlsx')"
expect "src/pdf/other.c:1: error: '../xlsx/x_int.h' is internal to stage 'xlsx'"
expect "circle of includes: src/xlsx/x_int.h -> src/xlsx/y_int.h -> src/xlsx/x_int.h"
expect "src/base/long.c:801: error: 801 lines"
[ $fail = 0 ] && echo "includes selftest: 4 planted problems found" || { echo "$out"; exit 1; }
