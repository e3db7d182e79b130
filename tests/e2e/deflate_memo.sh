#!/usr/bin/env bash
# Deflated bytes kept between builds (include/rc/zmemo.h, docs/config.md
# "Cache"): one file per output in CACHEDIR/deflate. The sample's three
# editions give the same bytes cold, warm, with the cache off, after a
# damaged cache and with an unwritable one; a warm build writes no memo
# file; an edit of one edition's chapter rewrites only that edition's
# memos; two builds of the same outputs at once leave whole memo files and
# no temporary.
# usage: deflate_memo.sh REPORTC BUILD_DIR
set -euo pipefail
RC=$1
. "$(dirname "$0")/sample_env.bash"
cd "$tmp"
export REPORTC_CACHE_DIR=$tmp/cache
# each memo file's inode and modification time, by the output its key names
stamps() {
  for f in cache/deflate/*; do
    printf '%s %s\n' "$(grep -aoE 'iuc-lac-2019-[a-z]+(-[a-z]+)?\.(pdf|xlsx)' "$f" | head -1)" \
      "$(stat -c '%i %Y %y' "$f")"
  done | sort
}

# every build with the cache writes the same outputs (memos are per output)
"$RC" build iuc-lac-2019.ini -o out -q
cp -r out cold
n=$(ls cache/deflate | wc -l)
[ "$n" = 9 ] && ok "one memo per PDF and workbook (9)" || bad "$n memo files: $(ls cache/deflate)"
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
[ "$(stamps)" = "$before" ] && ok "a warm build writes no memo file" || bad "memos written again"
REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
same cold out "cold and warm give the same bytes"
same cold off "with the cache and without give the same bytes"

# one word of the Spanish chapters: only the Spanish PDF's memo changes
ch=$(grep -l 'de' iuc-lac-2019/chapters/es/*.md | head -1)
sed -i '0,/ de /s// del /' "$ch"
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q
same out off "after an edit, the same bytes as without the cache"
changed=$( (diff <(echo "$before") <(stamps) || true) | (grep '^>' || true) | awk '{print $2}' | tr '\n' ' ')
# (the Spanish workbooks list the chapter's SHA-256: they change; the
# PDF's pages are kept whole, deflated, in CACHEDIR/pages and not here:
# build_memos.sh checks that the edit rewrote the Spanish PDF's file there)
case "$changed" in
  *-en*|*-pt*) bad "other editions' memos rewritten after the edit: '$changed'" ;;
  *iuc-lac-2019-es-data.xlsx*iuc-lac-2019-es-figures.xlsx*)
    ok "the edit rewrote Spanish memos alone: $changed" ;;
  *) bad "the Spanish workbooks' memos were not rewritten: '$changed'" ;;
esac

# damaged memos: truncated, one byte changed, garbage
i=0
for f in cache/deflate/*; do
  case $((i % 3)) in
    0) truncate -s $(($(stat -c %s "$f") / 2)) "$f" ;;
    1) printf 'X' | dd of="$f" bs=1 seek=100 conv=notrunc status=none ;;
    2) head -c 5000 /dev/urandom > "$f" ;;
  esac
  i=$((i + 1))
done
"$RC" build iuc-lac-2019.ini -o out -q
same off out "damaged memos give the same bytes"
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
[ "$(stamps)" = "$before" ] && ok "damaged memos were written anew, then kept" || bad "memos not settled"

# two builds of the same outputs at once
rm -rf cache/deflate
"$RC" build iuc-lac-2019.ini -o out -q & a=$!
"$RC" build iuc-lac-2019.ini -o out -q & b=$!
wait $a && wait $b && ok "two builds at once both succeed" || bad "a build at once failed"
same off out "two builds at once give the same bytes"
left=$(ls -a cache/deflate | grep -c '\.tmp$' || true)
[ "$left" = 0 ] && ok "no temporary left in the cache" || bad "$left temporaries left"
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
[ "$(stamps)" = "$before" ] && ok "their memos are whole (a later build keeps them)" ||
  bad "memos rewritten after two builds at once"

# no cache directory can be made: just no memo
touch afile
REPORTC_CACHE_DIR=$tmp/afile/sub "$RC" build iuc-lac-2019.ini -o out -q
same off out "an unusable cache directory gives the same bytes"
finish
