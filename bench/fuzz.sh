#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a
# fixed time, then prints executions, corpus size and crashes per target.
#   bench/fuzz.sh [SECONDS] [TARGET...]     default: 60 s each, all targets
# Environment: BUILD (default build-fuzz), FUZZ_JOBS (>1 runs libFuzzer in
# -fork mode with that many workers; the default 1 keeps one core free),
# FUZZ_ARGS (extra libFuzzer flags).
# The committed seeds in fuzz/corpus/<target>/ are read-only inputs; the
# growing corpus lives in $BUILD/corpus/<target>/ and crash, leak, timeout
# and OOM reproducers in $BUILD/artifacts/<target>/. Reproduce one with
#   $BUILD/<target> $BUILD/artifacts/<target>/crash-...
# Exit status: 0 when no target crashed, 1 otherwise.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_csv fuzz_ini fuzz_filter fuzz_doc_pdf fuzz_doc_tex)
BUILD=${BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-1}

command -v clang >/dev/null || { echo "fuzz.sh: clang is required (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DRC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
if ! cmake --build "$BUILD" -j 2 --target "${targets[@]}" >"$BUILD/fuzz-build.log" 2>&1; then
  # The tree is shared with engineers mid-edit: fall back to the last good
  # binaries rather than losing the run, but say so.
  for t in "${targets[@]}"; do
    [ -x "$BUILD/$t" ] || { tail -30 "$BUILD/fuzz-build.log"; exit 2; }
  done
  echo "fuzz.sh: the build failed ($BUILD/fuzz-build.log); running the previous binaries" >&2
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-14s %8s %14s %10s %8s %8s\n' target seconds executions exec/s corpus crashes
for t in "${targets[@]}"; do
  corpus=$BUILD/corpus/$t arts=$BUILD/artifacts/$t log=$BUILD/fuzz-$t.log
  mkdir -p "$corpus" "$arts"
  before=$(ls "$arts" | wc -l)
  extra=()
  [ "$jobs" -gt 1 ] && extra=(-fork="$jobs" -ignore_crashes=1)
  # -timeout: one input taking more than 10 s is a hang and is reported.
  "$BUILD/$t" "$corpus" "fuzz/corpus/$t" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$arts/" "${extra[@]}" \
    ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  if [ -z "$execs" ]; then  # fork mode or an early stop: use the last status line
    execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  fi
  rate=$(grep -Eo 'exec/s:? *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  after=$(ls "$arts" | wc -l)
  crashes=$((after - before))
  [ "$rc" != 0 ] && [ "$crashes" = 0 ] && crashes="exit$rc"
  printf '%-14s %8s %14s %10s %8s %8s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" \
    "$(ls "$corpus" | wc -l)" "$crashes"
  if [ "$crashes" != 0 ]; then
    status=1
    ls -t "$arts" | head -5 | sed "s|^|    $arts/|"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5 | sed 's/^/    /'
  fi
done
exit $status
