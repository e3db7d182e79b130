#!/usr/bin/env bash
# Workbooks kept between builds (src/xlsx/xlsx_memo.c, docs/config.md
# "Cache"): one file per workbook in CACHEDIR/workbooks. Checks that
# - a warm build of the sample's three editions writes its six workbooks
#   from the memo without loading libxlsxwriter, byte for byte those of a
#   cold build and of one without the cache, and writes no memo file;
# - an edit of the prose or the data (the covers list the inputs'
#   SHA-256), another SOURCE_DATE_EPOCH or a damaged memo make the
#   workbooks again (the library loaded), the same bytes as a build
#   without the cache, and they are kept for the next build;
# - the library file that made a kept workbook is part of its key: a
#   replaced (touched) library makes it again;
# - a workbook whose writing reports a warning is not kept, and the
#   warning is printed once per build.
# usage: workbook_memo.sh REPORTC BUILD_DIR
set -euo pipefail
RC=$1
. "$(dirname "$0")/sample_env.bash"
cd "$tmp"
export REPORTC_CACHE_DIR=$tmp/cache

# runs reportc (args), prints "loaded" when it loaded libxlsxwriter
loads() {
  rm -f ld.*
  LD_DEBUG=files LD_DEBUG_OUTPUT=$tmp/ld "$RC" "$@"
  if cat ld.* 2>/dev/null | grep -q 'file=[^ ]*libxlsxwriter'; then echo loaded; else echo none; fi
}
stamps() { stat -c '%n %i %Y %y' cache/workbooks/* | sort; }
workbooks() { mkdir -p "$2" && cp "$1"/*.xlsx "$2"/; }

got=$(loads build iuc-lac-2019.ini -o out -q)
[ "$got" = loaded ] && ok "a cold build loads libxlsxwriter" || bad "a cold build: $got"
n=$(ls cache/workbooks | wc -l)
[ "$n" = 6 ] && ok "one memo per workbook (6)" || bad "$n workbook memos"
workbooks out cold
before=$(stamps)
got=$(loads build iuc-lac-2019.ini -o out -q)
[ "$got" = none ] && ok "a warm build does not load libxlsxwriter" || bad "a warm build: $got"
[ "$(stamps)" = "$before" ] && ok "a warm build writes no workbook memo" || bad "memos written again"
workbooks out warm
REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
workbooks off offx
same cold warm "cold and warm give the same workbooks"
same cold offx "with the cache and without give the same workbooks"

# prose: the workbooks' covers list every input file's SHA-256, so they
# are made again, the same as without the cache
ch=iuc-lac-2019/chapters/01-introduction.md
sed -i '0,/ the /s// a /' "$ch"
got=$(loads build iuc-lac-2019.ini -o out -q)
[ "$got" = loaded ] && ok "after an edit of the prose the workbooks are made again" || bad "prose edit: $got"
REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
rm -rf a b && workbooks out a && workbooks off b
same a b "after an edit of the prose, the workbooks of a build without the cache"
got=$(loads build iuc-lac-2019.ini -o out -q)
[ "$got" = none ] && ok "and kept for the next build" || bad "after the prose edit, again: $got"

# data: one answer changed; the workbooks are made again, as without the cache
sed -i '0,/^R01,EU,ES,Extremadura,regional_admin,P17,sharing,very,has,5,/s//R01,EU,ES,Extremadura,regional_admin,P17,sharing,very,has,3,/' \
  iuc-lac-2019/survey.csv
got=$(loads build iuc-lac-2019.ini -o out -q)
[ "$got" = loaded ] && ok "an edit of the data makes the workbooks again" || bad "data edit: $got"
REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
rm -rf a b && workbooks out a && workbooks off b
same a b "after an edit of the data, the workbooks of a build without the cache"
cmp -s a/iuc-lac-2019-data.xlsx cold/iuc-lac-2019-data.xlsx && bad "the data edit did not change the data workbook" || true

# another date
SOURCE_DATE_EPOCH=1600000000 "$RC" build iuc-lac-2019.ini -o out -q
SOURCE_DATE_EPOCH=1600000000 REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
rm -rf a b && workbooks out a && workbooks off b
same a b "another SOURCE_DATE_EPOCH: the workbooks of a build without the cache"

# damaged: a byte in the middle of each memo file
"$RC" build iuc-lac-2019.ini -o out -q
for f in cache/workbooks/*; do
  size=$(stat -c %s "$f")
  printf '\x55' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc status=none
done
got=$(loads build iuc-lac-2019.ini -o out -q)
[ "$got" = loaded ] && ok "damaged memos: the workbooks are made again" || bad "damaged memos: $got"
REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
rm -rf a b && workbooks out a && workbooks off b
same a b "after damaged memos, the workbooks of a build without the cache"

# the library's file: a copy named by RC_XLSXWRITER_SO, then replaced
so=$(ls /usr/lib/*/libxlsxwriter.so.[0-9]* /usr/lib/libxlsxwriter.so.[0-9]* 2>/dev/null | head -1 || true)
if [ -n "$so" ]; then
  mkdir lib && cp "$so" lib/
  export RC_XLSXWRITER_SO=$tmp/lib/$(basename "$so")
  got=$(loads build iuc-lac-2019.ini -o out -q)
  [ "$got" = loaded ] && ok "another library file named: the workbooks are made again" || bad "RC_XLSXWRITER_SO: $got"
  got=$(loads build iuc-lac-2019.ini -o out -q)
  [ "$got" = none ] && ok "then kept" || bad "RC_XLSXWRITER_SO, again: $got"
  touch -d '2001-01-01' "$RC_XLSXWRITER_SO"
  got=$(loads build iuc-lac-2019.ini -o out -q)
  [ "$got" = loaded ] && ok "the library file replaced: the workbooks are made again" || bad "touched library: $got"
  rm -rf a && workbooks out a
  same a b "with the copied library, the same workbooks"
  unset RC_XLSXWRITER_SO
else
  echo "skip: no libxlsxwriter.so found to copy"
fi

# a warning while writing a workbook: printed once per build, nothing kept
"$RC" new np >/dev/null
printf '| Item | Count |\n|---|---|\n| a | 12 |\n| b | 7 |\n' >np/tables/contents.md
for i in 1 2; do
  "$RC" build np/report.ini -o np/out -q 2>err.$i || bad "the project with a warning: exit $?"
  n=$(grep -c "column 'Count' holds numbers but its header gives no unit" err.$i || true)
  [ "$n" = 1 ] && ok "build $i prints the workbook's warning once" || bad "build $i: $n warnings: $(cat err.$i)"
done
if "$RC" build np/report.ini -o np/out -q --strict 2>err.3; then
  bad "--strict passed a workbook warning"
else
  grep -q "no unit.*\[strict\]" err.3 && ok "--strict makes the workbook's warning an error" || bad "--strict: $(cat err.3)"
fi
finish
