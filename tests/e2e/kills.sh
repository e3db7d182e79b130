#!/usr/bin/env bash
# Kills and concurrent builds (docs/reliability.md), bounded in time:
#  1. kill loop: builds killed with SIGKILL after 1-60 ms leave the previous
#     outputs byte-identical; the next complete build removes every
#     temporary they left (their pids are dead).
#  2. signal cleanup: a build stopped by SIGINT, SIGTERM or SIGHUP removes
#     its own temporaries (and its work directory) before dying of the
#     signal (status 128 + signal), and never leaves a mixed set of outputs.
#  3. concurrent builds: two builds into one directory, with different
#     SOURCE_DATE_EPOCH, so their outputs differ; afterwards the directory
#     holds one build's complete set, never a mix. --no-wait fails at once
#     with a clear message while another build holds the directory.
#  4. an output name of 240 bytes builds (temporary names fit NAME_MAX).
# RC_KILL_ROUNDS sets the kill-loop rounds (default 40).
set -uo pipefail
RC=$(realpath "$1")
cd "$(dirname "$0")/../.."
cfg=config/iuc-lac-2019.ini
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
out=$work/out
# Every output of the sample's three editions (12 files, named per edition):
# a missing one is a failure, not an empty checksum.
sums() {
  (cd "$1" && for e in en es pt; do
     for f in "iuc-lac-2019-$e.pdf" "iuc-lac-2019-$e.tex" "iuc-lac-2019-$e-data.xlsx" "iuc-lac-2019-$e-figures.xlsx"; do
       [ -f "$f" ] && sha256sum "$f" || echo "missing $f"
     done
   done)
}
hidden() { find "$1" -mindepth 1 -name '.*' | wc -l; }

SOURCE_DATE_EPOCH=1000000000 "$RC" build "$cfg" -o "$out" -q || { echo "FAIL: reference build"; exit 1; }
ref=$(sums "$out")

# 1. kill loop
rounds=${RC_KILL_ROUNDS:-40}
left=0
for ((i = 0; i < rounds; i++)); do
  ms=$((RANDOM % 60 + 1))
  (SOURCE_DATE_EPOCH=1000000000 timeout -s KILL "$(printf '0.%03d' "$ms")" "$RC" build "$cfg" -o "$out" -q) 2>/dev/null
  if [ "$(sums "$out")" != "$ref" ]; then echo "FAIL: outputs changed after a build killed at ${ms} ms"; fail=1; break; fi
  left=$((left + $(hidden "$out")))
done
SOURCE_DATE_EPOCH=1000000000 "$RC" build "$cfg" -o "$out" -q || { echo "FAIL: build after the kill loop"; fail=1; }
n=$(hidden "$out")
if [ "$n" != 0 ]; then echo "FAIL: $n temporaries left after a complete build:"; ls -A "$out" | head; fail=1; fi
[ "$(sums "$out")" = "$ref" ] || { echo "FAIL: outputs differ after the kill loop"; fail=1; }
echo "kill loop: $rounds builds killed (SIGKILL, 1-60 ms), outputs intact; leftovers seen between rounds: $left; after one build: $n"

# 2. signal cleanup: each signal at 10 random points of the build (5-150 ms)
for sig in INT TERM HUP; do
  for ((k = 0; k < 10; k++)); do
    ms=$((RANDOM % 146 + 5))
    SOURCE_DATE_EPOCH=1000000000 "$RC" build "$cfg" -o "$out" -q 2>/dev/null &
    pid=$!
    sleep "$(printf '0.%03d' "$ms")"
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null; st=$?
    n=$(hidden "$out")
    if [ "$n" != 0 ]; then echo "FAIL: SIG$sig at $ms ms left $n temporaries (exit $st)"; ls -A "$out" | head -5; fail=1; fi
    [ "$(sums "$out")" = "$ref" ] || { echo "FAIL: SIG$sig at $ms ms changed the outputs"; fail=1; }
    case $st in 0|130|143|129) ;; *) echo "FAIL: SIG$sig at $ms ms: exit $st"; fail=1 ;; esac
  done
done
echo "signal cleanup: SIGINT, SIGTERM, SIGHUP, 10 times each at 5-150 ms: no temporary left, outputs intact"

# 3. concurrent builds
SOURCE_DATE_EPOCH=2000000000 "$RC" build "$cfg" -o "$work/b" -q || { echo "FAIL: second reference"; exit 1; }
ref2=$(sums "$work/b" | sed "s|$work/b|$out|")
rounds=10
for ((i = 0; i < rounds; i++)); do
  SOURCE_DATE_EPOCH=1000000000 "$RC" build "$cfg" -o "$out" -q & p1=$!
  SOURCE_DATE_EPOCH=2000000000 "$RC" build "$cfg" -o "$out" -q & p2=$!
  wait $p1 || { echo "FAIL: concurrent build 1 failed"; fail=1; }
  wait $p2 || { echo "FAIL: concurrent build 2 failed"; fail=1; }
  now=$(sums "$out")
  if [ "$now" != "$ref" ] && [ "$now" != "$ref2" ]; then
    echo "FAIL: round $i: the outputs mix two builds"; echo "$now"; fail=1; break
  fi
done
echo "concurrent builds: $rounds rounds, each left one build's complete set"

# --no-wait while the directory is held (flock on the directory, as a build takes it)
flock "$out" sleep 3 & holder=$!
sleep 0.3
msg=$("$RC" build "$cfg" -o "$out" -q --no-wait 2>&1); st=$?
if [ "$st" = 0 ] || [[ $msg != *"another build is writing into"* ]]; then
  echo "FAIL: --no-wait: exit $st, '$msg'"; fail=1
fi
t0=$(date +%s%N)
"$RC" build "$cfg" -o "$out" -q 2>"$work/wait.txt"; st=$?
t1=$(date +%s%N)
wait $holder
waited=$(( (t1 - t0) / 1000000 ))
if [ "$st" != 0 ] || [ "$waited" -lt 1500 ]; then echo "FAIL: a build did not wait for the lock (exit $st, ${waited} ms)"; fail=1; fi
grep -q "waited" "$work/wait.txt" || { echo "FAIL: no note about waiting"; cat "$work/wait.txt"; fail=1; }
echo "lock: --no-wait fails at once ($msg); a build waited ${waited} ms"

# An output name as long as the file system allows (240 bytes + ".pdf" ...):
# temporaries must still fit in NAME_MAX.
cp -r config fonts "$work/"
long=$(printf 'r%.0s' $(seq 1 236))
sed -i "s/^basename = .*/basename = $long/" "$work/config/iuc-lac-2019.ini"
if "$RC" build "$work/config/iuc-lac-2019.ini" -o "$work/long" -q; then
  n=$(find "$work/long" -mindepth 1 | wc -l)
  # the sample's three editions, four outputs each
  [ "$n" = 12 ] || { echo "FAIL: long names: $n files (expected 12)"; fail=1; }
  echo "long output names: built ($(ls "$work/long" | awk '{print length($0)}' | sort -n | tail -1) bytes)"
else
  echo "FAIL: a 240-byte output name did not build"; fail=1
fi
exit $fail
