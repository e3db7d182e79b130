#!/usr/bin/env bash
# What a PDF's build keeps for the next one in the cache directory besides
# the deflated bytes (deflate_memo.sh): the lines of its paragraphs
# (rc_para_memo_disk in include/rc/linebreak.h: CACHEDIR/paragraphs), the
# texts it showed with their kerning and ligatures (rc_fonts_keep_shown in
# include/rc/font.h: CACHEDIR/shown) and its pages' content, deflated, with
# the codes and fonts they show (src/pdf/pdf_pagekey.c: CACHEDIR/pages),
# one file each per PDF
# (docs/config.md "Cache"). The sample's three editions give the same bytes
# cold, warm, with the cache off, after an edit, after damaged files and
# after a font file is replaced by another with the same times; a warm
# build writes no file (every paragraph, text and page was found: the
# shown texts of pages taken whole are kept too); an edit of one
# edition's chapter rewrites only that edition's files; a font changed
# within the last two seconds keeps no file.
# usage: build_memos.sh REPORTC BUILD_DIR
set -euo pipefail
RC=$1
. "$(dirname "$0")/sample_env.bash"
# the fonts from a folder of the test's own, an hour old; the regular face
# from a copy (Body.ttf) and the light one drawn with the bold, so that the
# light face's file is free to replace the regular one below
mkdir "$tmp/fonts"
cp "$ROOT"/fonts/Lato-*.ttf "$tmp/fonts/"
cp "$tmp/fonts/Lato-Regular.ttf" "$tmp/fonts/Body.ttf"
touch -d '-1 hour' "$tmp"/fonts/*.ttf
sleep 2.1 # (their change time is now: a font changed in the last two seconds is not trusted)
sed -i 's/^\[style\]$/[style]\nfont_dir = fonts\nfont_regular = Body.ttf\nfont_light = Lato-Bold.ttf/' \
  "$tmp/iuc-lac-2019.ini"
cd "$tmp"
export REPORTC_CACHE_DIR=$tmp/cache
# each memo file's kind, inode and modification time, by the PDF its key names
stamps() {
  for f in cache/paragraphs/* cache/shown/* cache/pages/*; do
    printf '%s %s %s\n' "$(grep -aoE 'iuc-lac-2019-[a-z]+\.pdf' "$f" | head -1)" \
      "$(basename "$(dirname "$f")")" "$(stat -c '%i %Y %y' "$f")"
  done | sort
}
off() { REPORTC_CACHE_DIR= "$RC" build iuc-lac-2019.ini -o off -q; }

"$RC" build iuc-lac-2019.ini -o out -q
for kind in paragraphs shown pages; do
  n=$(ls cache/$kind | wc -l)
  [ "$n" = 3 ] && ok "one $kind file per PDF (3)" || bad "$n $kind files: $(ls cache/$kind)"
done
cp -r out cold
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
[ "$(stamps)" = "$before" ] && ok "a warm build writes no file (every paragraph, text and page found)" ||
  bad "memos written again by a warm build"
off
same cold out "cold and warm give the same bytes"
same cold off "with the cache and without give the same bytes"

# one word of the Spanish chapters: only the Spanish PDF's memo changes
ch=$(grep -l ' de ' iuc-lac-2019/chapters/es/*.md | head -1)
sed -i '0,/ de /s// del /' "$ch"
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
off
same out off "after an edit, the same bytes as without the cache"
changed=$( (diff <(echo "$before") <(stamps) || true) | (grep '^>' || true) | awk '{print $2 "/" $3}' | tr '\n' ' ')
case "$changed" in
  *-en.pdf*|*-pt.pdf*) bad "other editions' memos rewritten after the edit: '$changed'" ;;
  *iuc-lac-2019-es.pdf/pages*) ok "the edit rewrote Spanish files alone: $changed" ;;
  *) bad "the Spanish PDF's pages were not rewritten: '$changed'" ;;
esac

# the regular face's file replaced by the light face, its modification time
# put back: every width changes, and no line may come from the memo
cp fonts/Lato-Light.ttf fonts/Body.ttf
touch -d '-1 hour' fonts/Body.ttf
sleep 2.1
"$RC" build iuc-lac-2019.ini -o out -q
off
same out off "after a font is replaced (same times), the same bytes as without the cache"
cmp -s out/iuc-lac-2019-en.pdf cold/iuc-lac-2019-en.pdf &&
  bad "the replaced font changed nothing (the test would prove nothing)" || true

# damaged memos: truncated, one byte changed, garbage
i=0
for f in cache/paragraphs/* cache/shown/* cache/pages/*; do
  case $((i % 3)) in
    0) truncate -s $(($(stat -c %s "$f") / 2)) "$f" ;;
    1) printf 'X' | dd of="$f" bs=1 seek=$(($(stat -c %s "$f") / 3)) conv=notrunc status=none ;;
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
rm -rf cache/paragraphs cache/shown cache/pages
"$RC" build iuc-lac-2019.ini -o out -q & a=$!
"$RC" build iuc-lac-2019.ini -o out -q & b=$!
wait $a && wait $b && ok "two builds at once both succeed" || bad "a build at once failed"
off
same off out "two builds at once give the same bytes"
left=$(find cache/paragraphs cache/shown cache/pages -name '*.tmp' | wc -l)
[ "$left" = 0 ] && ok "no temporary left in the cache" || bad "$left temporaries left"
before=$(stamps)
"$RC" build iuc-lac-2019.ini -o out -q
[ "$(stamps)" = "$before" ] && ok "their files are whole (a later build keeps them)" ||
  bad "files rewritten after two builds at once"

# no cache directory can be made: just no file
touch afile
REPORTC_CACHE_DIR=$tmp/afile/sub "$RC" build iuc-lac-2019.ini -o out -q
same off out "an unusable cache directory gives the same bytes"

# a font changed just now is not trusted: no memo is kept for that build
rm -rf cache/paragraphs cache/shown cache/pages
touch fonts/Lato-Italic.ttf
"$RC" build iuc-lac-2019.ini -o out -q
n=$(find cache -path "*/paragraphs/*" -o -path "*/shown/*" -o -path "*/pages/*" -type f | wc -l)
[ "$n" = 0 ] && ok "no file kept with a font changed in the last two seconds" || bad "$n files kept"
finish
