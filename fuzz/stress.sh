#!/usr/bin/env bash
# Stress inputs at and past the documented limits, run once each through
# the sanitized fuzz targets (so ASan/UBSan and the targets' oracles check
# them) with a time limit. Prints the time of each; exit 1 if one crashed
# or took longer than LIMIT seconds (default 60; the machine is slow under
# ASan, the release build is ~10x faster).
#   fuzz/stress.sh [LIMIT]      needs build-fuzz/ (bench/fuzz.sh builds it)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$root/build-fuzz}
limit=${1:-60}
dir=$(mktemp -d /tmp/rc-stress-XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
/usr/bin/python3 - <<'PY'
w = lambda n, s: open(n, 'w').write(s)
w('md-quotes', '# T\n\n' + '>' * 100000 + ' x\n')
w('md-lists', '# T\n\n' + ''.join('  ' * i + '- a\n' for i in range(3000)))
w('md-emph', '# T\n\n' + '*a ' * 50000 + 'x' + ' a*' * 50000 + '\n')
w('md-brackets', '# T\n\n' + '[' * 100000 + '\n')
w('md-table', '# T\n\n|' + 'a|' * 5000 + '\n|' + '-|' * 5000 + '\n' + ('|' + 'x|' * 5000 + '\n') * 20)
w('md-placeholders', '# T\n\n' + '{{fz_respondents}} ' * 20000 + '\n')
w('md-longword', '# T\n\n' + 'a' * 200000 + '\n')
w('md-footnotes', '# T\n\n' + ''.join('x[^%d] ' % i for i in range(3000)) + '\n\n'
  + ''.join('[^%d]: n%d\n' % (i, i) for i in range(3000)))
w('md-headings', ''.join('# H%d\n\npara\n\n' % i for i in range(3000)))
w('f-parens', '(' * 100000 + 'continent = EU' + ')' * 100000)
w('f-nots', 'not ' * 100000 + 'continent = EU')
w('f-in', 'continent in (' + ', '.join(['EU'] * 100000) + ')')
w('f-ands', ' and '.join(['continent = EU'] * 20000))
w('ini-longline', '[report]\ntitle = ' + 'x' * 70000 + '\n')
w('ini-sections', ''.join('[metric m%d]\nsource = survey\n' % i for i in range(20000)))
w('ini-keys', '[report]\n' + ''.join('k%d = v\n' % i for i in range(20000)))
w('ini-codes', '[source s]\nfile = data.csv\n[field s.x]\ntype = multi\nvalues = '
  + ' | '.join('c%d: l' % i for i in range(70)) + '\n')
w('csv-cols', ','.join('c%d' % i for i in range(5000)) + '\n')
w('csv-quotes', '"' + '""' * 200000 + '"\n')
w('csv-lines', 'a\n' * 300000)
PY
status=0
for f in *; do
  case $f in md-*) t=fuzz_doc_pdf ;; f-*) t=fuzz_filter ;; ini-*) t=fuzz_ini ;; csv-*) t=fuzz_csv ;; esac
  s=$(date +%s%N)
  timeout $((limit * 2)) "$BUILD/$t" -timeout="$limit" -rss_limit_mb=4096 "$f" >"$f.log" 2>&1
  st=$?
  ms=$(( ($(date +%s%N) - s) / 1000000 ))
  verdict=ok
  { [ $st != 0 ] || [ $ms -gt $((limit * 1000)) ]; } && { verdict=FAIL; status=1; }
  printf '%-16s %-13s %8d ms  %s\n' "$f" "$t" "$ms" "$verdict"
  [ $verdict = FAIL ] && grep -m3 -E 'ERROR|runtime error|timeout|SUMMARY' "$f.log" | sed 's/^/    /'
done
exit $status
