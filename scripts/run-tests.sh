#!/usr/bin/env bash
# Runs the CTest suite of a build directory and ends with one summary line,
#   tests: N passed, N failed, N skipped
# followed by each skipped test with its reason (the test's own "SKIP:" or
# "skipped:" line, else its last line of output) and each failed test.
# Under CI=true (GitHub Actions, GitLab CI and fresh-debian set it) a skipped
# test counts as a failure: CI has every dependency installed, so a skip
# there means a test silently did not run.
# Usage: scripts/run-tests.sh BUILD_DIR [ctest arguments...]
set -uo pipefail
build=${1:?usage: scripts/run-tests.sh BUILD_DIR [ctest arguments...]}
shift
junit=$(mktemp /tmp/rc-ctest.XXXXXX.xml)
trap 'rm -f "$junit"' EXIT

(cd "$build" && ctest --output-on-failure --output-junit "$junit" "$@")
ctest_status=$?

# JUnit is the one report of CTest that keeps the output of passed and
# skipped tests, which is where a skip's reason is.
/usr/bin/env python3 - "$junit" "$ctest_status" "${CI:-}" <<'PY'
import sys, xml.etree.ElementTree as ET
path, ctest_status, ci = sys.argv[1], int(sys.argv[2]), sys.argv[3].lower() in ("true", "1", "yes")
try:
    cases = ET.parse(path).getroot().iter("testcase")
except (ET.ParseError, FileNotFoundError) as e:
    print(f"tests: no results from ctest ({e}); ctest exited {ctest_status}")
    sys.exit(ctest_status or 1)
passed, failed, skipped = [], [], []
for c in cases:
    name, out = c.get("name"), (c.findtext("system-out") or "")
    if c.find("skipped") is not None or c.get("status") in ("notrun", "disabled"):
        lines = [l.strip() for l in out.splitlines() if l.strip()]
        why = next((l for l in lines if l.lower().startswith(("skip:", "skipped:"))), None)
        why = why.split(":", 1)[1].strip() if why else (lines[-1] if lines else "no reason given")
        skipped.append((name, why))
    elif c.find("failure") is not None or c.find("error") is not None or c.get("status") == "fail":
        failed.append(name)
    else:
        passed.append(name)
print()
print(f"tests: {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped")
for name, why in skipped:
    print(f"  skipped {name}: {why}" + ("  (a failure under CI=true)" if ci else ""))
for name in failed:
    print(f"  failed  {name}")
bad = failed or (ci and skipped) or ctest_status != 0 or not (passed or skipped)
sys.exit(1 if bad else 0)
PY
