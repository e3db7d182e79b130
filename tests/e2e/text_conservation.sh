#!/usr/bin/env bash
# Text conservation (tests/e2e/text_conservation.py): every word of the prose
# reaches the PDF, in order, inside the page. Run on
#  - the sample report and tests/e2e/conservation (a footnote of 400
#    sentences that spans pages, a table file, a box, lists, links, code,
#    placeholders);
#  - every golden document (tests/golden/doc, tests/golden/latex), the
#    bad-input fixture chapter and the pipeline fuzz target's seeds, each
#    with a config that declares what it uses (text_conservation_cases.py).
#    A golden case must build (or fail with the error it is listed with);
#    a fuzz seed that does not build is skipped, and at least 15 must build;
#  - a self-test: copies of a good PDF with text taken away (the last page
#    dropped), out of order (pages reversed) and outside the page (the
#    page box cut to its top half) must each fail with the matching message.
# usage: text_conservation.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -uo pipefail
RC=$(realpath "$1")
cd "$(dirname "$0")/../.."
for tool in cmark-gfm pdftotext qpdf; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-conservation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1577836800
check=tests/e2e/text_conservation.py
fail=0

for cfg in config/iuc-lac-2019.ini tests/e2e/conservation/case.ini; do
  name=$(basename "$cfg" .ini)
  "$RC" build "$cfg" -o "$tmp/$name" --only pdf -q || { echo "FAIL: $cfg did not build"; fail=1; continue; }
  echo "$cfg:"
  pdf="$tmp/$name/$name.pdf"
  # a config with editions names them NAME-LANG.pdf: the base language's
  # edition is set from the chapters the config lists
  [ -f "$pdf" ] || pdf=$(ls "$tmp/$name/$name"-en.pdf 2>/dev/null || true)
  /usr/bin/python3 $check "$cfg" "$pdf" || fail=1
done

# The test documents.
/usr/bin/python3 tests/e2e/text_conservation_cases.py "$tmp/cases" >"$tmp/cases.txt" || exit 1
golden=0 fuzz=0 skipped=0
while IFS=$'\t' read -r name ini kind; do
  out=$("$RC" build "$ini" --only pdf -q 2>&1)
  st=$?
  case $kind in
    error:*)
      if [ $st = 0 ] || ! grep -qF "${kind#error:}" <<<"$out"; then
        echo "FAIL: $name should fail with '${kind#error:}'; got status $st: ${out:0:300}"
        fail=1
      fi
      continue ;;
  esac
  if [ $st != 0 ]; then
    if [ "$kind" = golden ]; then echo "FAIL: $name did not build: ${out:0:400}"; fail=1; fi
    skipped=$((skipped + 1))
    continue
  fi
  if r=$(/usr/bin/python3 $check "$ini" "$(dirname "$ini")/out/case.pdf"); then
    [ "$kind" = golden ] && golden=$((golden + 1)) || fuzz=$((fuzz + 1))
  else
    printf '%s:\n%s\n' "$name" "$r"
    fail=1
  fi
done <"$tmp/cases.txt"
echo "test documents: $golden golden documents and $fuzz fuzz seeds conserved; $skipped seeds do not build"
[ $golden -ge 14 ] || { echo "FAIL: only $golden golden documents checked"; fail=1; }
[ $fuzz -ge 15 ] || { echo "FAIL: only $fuzz fuzz seeds checked"; fail=1; }

# Self-test: the check fails on PDFs that lost text, order or the page box.
cfg=tests/e2e/conservation/case.ini
good=$tmp/case/case.pdf
if [ -f "$good" ]; then
  qpdf "$good" --pages "$good" 1-r2 -- "$tmp/short.pdf"
  qpdf "$good" --pages "$good" z-1 -- "$tmp/reversed.pdf"
  /usr/bin/python3 - "$good" "$tmp/cut.pdf" <<'PY' || fail=1
import sys
import pikepdf
pdf = pikepdf.open(sys.argv[1])
for page in pdf.pages:
    x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
    page.MediaBox = [x0, (y0 + y1) / 2, x1, y1]   # the top half only
pdf.save(sys.argv[2])
PY
  for c in "short:words short in the PDF" "reversed:order lost at" "cut:drawn outside the page"; do
    f=${c%%:*} want=${c#*:}
    r=$(/usr/bin/python3 $check "$cfg" "$tmp/$f.pdf")
    st=$?
    if [ $st = 0 ] || ! grep -q "^FAIL: .*$want" <<<"$r"; then
      echo "FAIL: self-test '$f' should fail with '$want'; got status $st: $(tail -1 <<<"$r")"
      fail=1
    else
      echo "self-test $f: fails as it should ($(tail -1 <<<"$r"))"
    fi
  done
else
  echo "FAIL: no PDF for the self-test"; fail=1
fi
exit $fail
