#!/usr/bin/env bash
# reportc check + reportc metrics on the sample config: every published fact.
set -euo pipefail
RC=$1
cd "$(dirname "$0")/../.."
cfg=config/iuc-lac-2019.ini
"$RC" check "$cfg"
"$RC" metrics "$cfg" > /tmp/rc-metrics.$$.txt
"$RC" metrics --json "$cfg" > /tmp/rc-metrics.$$.json
/usr/bin/python3 - /tmp/rc-metrics.$$.json /tmp/rc-metrics.$$.txt <<'PY'
import json, sys
sys.path.insert(0, "tests/e2e")
from published_facts import check, FACTS
m = json.load(open(sys.argv[1]))
bad = check(m)
# The text form lists the same metrics, one "name = value" per line.
lines = [l for l in open(sys.argv[2]).read().splitlines() if l]
text = dict(l.split(" = ", 1) for l in lines)
if set(text) != set(m):
    bad.append("text and JSON list different metrics")
for k, v in m.items():
    if float(text[k]) != float(v):
        bad.append(f"text {k} = {text[k]} but JSON {v}")
for b in bad:
    print("FAIL:", b)
print(f"{len(FACTS) - len(bad)} passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
PY
rc=$?
rm -f /tmp/rc-metrics.$$.txt /tmp/rc-metrics.$$.json
exit $rc
