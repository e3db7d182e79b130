#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a
# fixed time, then prints what docs/reliability.md records: per target the
# executions, exec/s, corpus size, coverage (libFuzzer's cov: edges and ft:
# features) and crashes; then the stress inputs (fuzz/stress.sh) and, last,
# the same figures as Markdown rows for the "Measured" table.
#   bench/fuzz.sh [SECONDS] [TARGET...]     default: 60 s each, all targets
# Environment: BUILD (default build-fuzz), FUZZ_JOBS (>1 runs libFuzzer in
# -fork mode with that many workers; the default 1 keeps one core free),
# FUZZ_ARGS (extra libFuzzer flags), FUZZ_STRESS=0 (skip fuzz/stress.sh).
# The INI and document targets take -max_len=4096 (small documents, as the
# pipeline runs in docs/reliability.md); the CSV and filter ones the default.
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
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
git diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
echo "fuzz.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(clang --version | head -1)," \
  "$secs s per target, $jobs job(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
printf '%-14s %8s %14s %10s %8s %8s %8s %8s\n' target seconds executions exec/s corpus cov ft crashes
for t in "${targets[@]}"; do
  corpus=$BUILD/corpus/$t arts=$BUILD/artifacts/$t log=$BUILD/fuzz-$t.log
  mkdir -p "$corpus" "$arts"
  before=$(ls "$arts" | wc -l)
  extra=()
  [ "$jobs" -gt 1 ] && extra=(-fork="$jobs" -ignore_crashes=1)
  case $t in fuzz_ini | fuzz_doc_*) extra+=(-max_len=4096) ;; esac
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
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  ft=$(grep -Eo 'ft: [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
  after=$(ls "$arts" | wc -l)
  crashes=$((after - before))
  [ "$rc" != 0 ] && [ "$crashes" = 0 ] && crashes="exit$rc"
  ncorp=$(ls "$corpus" | wc -l)
  printf '%-14s %8s %14s %10s %8s %8s %8s %8s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" \
    "$ncorp" "${cov:-?}" "${ft:-?}" "$crashes"
  rows+=("| \`$t\` | $commit | $secs s | $(echo "${execs:-0}" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') | ${rate:-?} | $ncorp inputs, cov ${cov:-?}, ft ${ft:-?} | $crashes |")
  if [ "$crashes" != 0 ]; then
    status=1
    ls -t "$arts" | head -5 | sed "s|^|    $arts/|"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5 | sed 's/^/    /'
  fi
done
if [ "${FUZZ_STRESS:-1}" != 0 ]; then
  echo "stress inputs (fuzz/stress.sh, limit 60 s each):"
  BUILD=$(realpath "$BUILD") fuzz/stress.sh 60 | sed 's/^/  /'
  st=${PIPESTATUS[0]}
  [ "$st" != 0 ] && status=1
  echo "stress: $([ "$st" = 0 ] && echo 'all within the limit, no crash' || echo FAILED)"
fi
echo "rows for docs/reliability.md (target | code | time | executions | exec/s | corpus | crashes):"
printf '%s\n' "${rows[@]}"
exit $status
