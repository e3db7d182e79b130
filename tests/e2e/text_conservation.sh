#!/usr/bin/env bash
# Text conservation (tests/e2e/text_conservation.py) on the sample report and
# on tests/e2e/conservation (a footnote of 400 sentences that spans pages, a
# table file, a box, lists, links, code, placeholders): every word of the
# prose reaches the PDF, in order, inside the page.
# usage: text_conservation.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -uo pipefail
RC=$1
cd "$(dirname "$0")/../.."
for tool in cmark-gfm pdftotext; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-conservation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
for cfg in config/iuc-lac-2019.ini tests/e2e/conservation/case.ini; do
  name=$(basename "$cfg" .ini)
  "$RC" build "$cfg" -o "$tmp/$name" --only pdf -q || { echo "FAIL: $cfg did not build"; fail=1; continue; }
  echo "$cfg:"
  pdf="$tmp/$name/$name.pdf"
  # a config with editions names them NAME-LANG.pdf: the base language's
  # edition is set from the chapters the config lists
  [ -f "$pdf" ] || pdf=$(ls "$tmp/$name/$name"-en.pdf 2>/dev/null || true)
  /usr/bin/python3 tests/e2e/text_conservation.py "$cfg" "$pdf" || fail=1
done
exit $fail
