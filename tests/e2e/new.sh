#!/usr/bin/env bash
# `reportc new DIR [--language L]`: the project it creates checks with no
# warning, builds at once in each language (the numbers of its placeholders
# and the language's words in the PDF), and the PDF passes pdf-audit
# (RC_PDF_AUDIT, default /work/shared/tools/pdf-audit; skipped if absent).
# It refuses a non-empty directory, a file and an unknown language, and then
# writes nothing.
# usage: new.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
command -v pdftotext >/dev/null || { echo "skipped: pdftotext not installed"; exit 77; }
audit=${RC_PDF_AUDIT:-/work/shared/tools/pdf-audit}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rc-new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for lang in en es pt; do
    case $lang in
        en) fig="Figure 1"; words="12 respondents, 5 of them" ;;
        es) fig="Figura 1"; words="12 encuestados, 5 de ellos" ;;
        pt) fig="Figura 1"; words="12 inquiridos, 5 deles" ;;
    esac
    d=$tmp/$lang/project          # parents are created too
    "$RC" new "$d" --language "$lang" > "$tmp/new.out"
    grep -q "^created $d ($lang)" "$tmp/new.out" || fail "new $lang: $(cat "$tmp/new.out")"
    "$RC" check "$d/report.ini" > "$tmp/check.out" 2> "$tmp/check.err"
    grep -q "1 figure, 1 table, 1 box, .*; 0 warnings" "$tmp/check.out" ||
        fail "check $lang: $(cat "$tmp/check.out" "$tmp/check.err")"
    [ ! -s "$tmp/check.err" ] || fail "check $lang printed diagnostics: $(cat "$tmp/check.err")"
    "$RC" build "$d/report.ini" -q
    for f in report.pdf report.tex report-data.xlsx report-figures.xlsx; do
        [ -s "$d/out/$f" ] || fail "$lang: $f not written"
    done
    text=$(pdftotext "$d/out/report.pdf" - | tr -s ' \n' '  ')
    [[ $text == *"$words"* ]] || fail "$lang: the PDF lacks '$words'"
    [[ $text == *"$fig"* ]] || fail "$lang: the PDF lacks '$fig'"
    [[ $text != *"{{"* ]] || fail "$lang: a placeholder was left in the PDF"
    if [ -x "$audit" ]; then
        "$audit" "$d/out/report.pdf" --quiet || fail "$lang: pdf-audit"
        echo "ok: new --language $lang builds; pdf-audit passes"
    else
        echo "ok: new --language $lang builds (pdf-audit not found at $audit: not run)"
    fi
done

# The English project is the default.
"$RC" new "$tmp/default" -q
grep -q "^language = en" "$tmp/default/report.ini" || fail "default language is not en"

# Refusals write nothing.
mkdir "$tmp/full"; echo keep > "$tmp/full/notes.txt"
set +e
"$RC" new "$tmp/full" 2> "$tmp/err"; st=$?
set -e
[ "$st" = 2 ] || fail "non-empty directory: exit $st"
grep -q "error: directory is not empty" "$tmp/err" || fail "non-empty: $(cat "$tmp/err")"
[ "$(ls "$tmp/full")" = notes.txt ] && [ "$(cat "$tmp/full/notes.txt")" = keep ] ||
    fail "a refused 'new' touched the directory"
set +e
"$RC" new "$tmp/full/notes.txt" 2> "$tmp/err"; st=$?
"$RC" new "$tmp/fr" --language fr 2> "$tmp/err2"; st2=$?
set -e
[ "$st" = 2 ] && grep -q "not a directory" "$tmp/err" || fail "a file as DIR: $st $(cat "$tmp/err")"
[ "$st2" = 2 ] && grep -q "no project template in language 'fr'" "$tmp/err2" ||
    fail "unknown language: $st2 $(cat "$tmp/err2")"
[ ! -e "$tmp/fr" ] || fail "an unknown language created the directory"
echo "ok: refuses a non-empty directory, a file and an unknown language"
