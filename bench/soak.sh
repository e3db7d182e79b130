#!/usr/bin/env bash
# Soak test: builds the sample report many times and checks that nothing
# accumulates or drifts.
#   bench/soak.sh [N]            default N = 1000 (each phase)
# Phase 1, one process per build: `reportc build` N times into one output
#   directory under /usr/bin/time -f %M; every build must exit 0, leave
#   exactly the outputs of the first build (4 per edition, 12 for the
#   sample; no temporary files) with the same bytes as the first build;
#   prints peak RSS (min / median / max) and time per build.
# Phase 2, one process for all builds: bench/soak_driver.c calls rc_build()
#   N times and checks that open descriptors (/proc/self/fd) do not change,
#   resident memory (/proc/self/statm) does not grow after warm-up, and the
#   output directory holds only the first build's outputs, byte-identical
#   every time.
# Environment: BUILD (default build-rel), CONFIG (default the sample).
# Exit status: 0 when both phases passed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-1000}
BUILD=${BUILD:-build-rel}
CONFIG=${CONFIG:-config/iuc-lac-2019.ini}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
cmake --build "$BUILD" -j 2 --target reportc rc >/dev/null || exit 2
[ -x /usr/bin/time ] || { echo "soak.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }
work=$(mktemp -d /tmp/rc-soak-XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

echo "phase 1: $n x reportc build $CONFIG (one process per build)"
out=$work/out1
: > "$work/rss" ; : > "$work/secs"
ref=""
expect=""
fails=0
for ((i = 1; i <= n; i++)); do
  /usr/bin/time -o "$work/t" -f '%M %e' "$BUILD/reportc" build "$CONFIG" -o "$out" -q \
    >/dev/null 2>"$work/err"
  st=$?
  read -r rss secs < "$work/t" || true
  echo "$rss" >> "$work/rss"; echo "$secs" >> "$work/secs"
  files=$(ls -A "$out" | wc -l)
  sum=$(cd "$out" && ls -A | sort | xargs -r sha256sum | sha256sum | cut -c1-16)
  [ -z "$ref" ] && ref=$sum
  # the outputs of the first build (4 per edition: the sample makes 12), and
  # no temporary (hidden) file
  [ -z "$expect" ] && expect=$(ls "$out" | wc -l)
  if [ "$st" != 0 ] || [ "$files" != "$expect" ] || [ "$sum" != "$ref" ]; then
    fails=$((fails + 1))
    echo "  build $i: exit $st, $files files, outputs $sum (first $ref)"; head -3 "$work/err"
    [ $fails -gt 10 ] && break
  fi
  (( i % 100 == 0 )) && echo "  build $i: peak rss ${rss} KB, ${secs} s"
done
sort -n "$work/rss" > "$work/rss.s"; sort -n "$work/secs" > "$work/secs.s"
cnt=$(wc -l < "$work/rss.s")
med() { sed -n "$(( ($(wc -l < "$1") + 1) / 2 ))p" "$1"; }
echo "phase 1: $cnt builds, $fails failed; peak RSS min $(head -1 "$work/rss.s") KB," \
  "median $(med "$work/rss.s") KB, max $(tail -1 "$work/rss.s") KB;" \
  "time min $(head -1 "$work/secs.s") s, median $(med "$work/secs.s") s, max $(tail -1 "$work/secs.s") s"
# Peak RSS of the last 100 builds against the first 100: no drift expected.
first=$(head -100 "$work/rss" | sort -n | tail -1); last=$(tail -100 "$work/rss" | sort -n | tail -1)
echo "phase 1: max peak RSS of the first 100 builds $first KB, of the last 100 $last KB"
[ "$fails" = 0 ] || status=1

echo "phase 2: $n x rc_build() in one process (bench/soak_driver.c)"
# built by CMake beside reportc, with its link line (the libraries it links
# and those it loads with dlopen change; a hand-written one went stale)
cmake --build "$BUILD" --target soak_driver >/dev/null || exit 2
"$BUILD/soak_driver" "$CONFIG" "$work/out2" "$n" 20 || status=1
[ $status = 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $status
