#!/usr/bin/env bash
# What the editions of one run share is done once (docs/config.md,
# "Editions"): a damaged font file, used by all three editions of the
# sample, is checked once and reported once (it was reported per edition),
# and no output of any edition is written; the three editions then build
# with their tasks on at most as many threads as there are CPUs, and a run
# on one CPU (taskset) writes the same bytes as a run on all of them.
# usage: editions_shared.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
. "$(dirname "$0")/sample_env.bash"
cd "$tmp"
head -c 3000 "$ROOT/fonts/Lato-Bold.ttf" > bad.ttf
sed 's|^font_size = 10$|font_size = 10\nfont_bold = ./bad.ttf|' iuc-lac-2019.ini > bad.ini
grep -q '^font_bold = ./bad.ttf' bad.ini || { echo "FAIL: could not set font_bold"; exit 1; }
if "$RC" build bad.ini -o out -q 2>err.txt; then
  echo "FAIL: a damaged font was accepted"; fails=$((fails + 1))
fi
n=$(grep -c "bad.ttf' is damaged or truncated" err.txt || true)
if [ "$n" = 1 ]; then echo "ok: the damaged font is reported once for three editions"
else echo "FAIL: reported $n times:"; cat err.txt; fails=$((fails + 1)); fi
if [ -e out ] && [ -n "$(ls -A out)" ]; then
  echo "FAIL: outputs written: $(ls out)"; fails=$((fails + 1))
else
  echo "ok: no output of any edition written"
fi
"$RC" build iuc-lac-2019.ini -o all -q
if command -v taskset >/dev/null; then
  taskset -c 0 "$RC" build iuc-lac-2019.ini -o one -q
  if diff -r all one >/dev/null; then echo "ok: one CPU and all CPUs give the same bytes"
  else echo "FAIL: outputs differ with one CPU: $(diff -rq all one | head -3)"; fails=$((fails + 1)); fi
fi
[ "$(ls all | wc -l)" = 12 ] && echo "ok: 12 outputs" || { echo "FAIL: $(ls all)"; fails=$((fails + 1)); }
finish
