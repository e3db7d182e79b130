#!/usr/bin/python3
"""Wall-clock scaling of the INI reader on stress inputs (docs/reliability.md):
n sections "[metric mI]", and one section with n keys, each with a duplicate
at the end, for n and 4n. Times `reportc check` (whole process, median of
--runs) and prints the ratio: about 4 is linear, 16 quadratic.

usage: bench/ini-scale.py [--reportc build/reportc] [--n 8000] [--runs 5]

The unit test (tests/unit/layout/test_regress.c) checks the same inputs by
counting comparisons, which does not depend on how loaded the machine is;
this script gives the times behind it."""
import argparse, os, statistics, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--reportc", default="build/reportc")
ap.add_argument("--n", type=int, default=8000)
ap.add_argument("--runs", type=int, default=5)
a = ap.parse_args()
tmp = tempfile.mkdtemp(prefix="rc-ini-scale-")


def sections(n):
    return "[report]\ntitle = t\n" + "".join("[metric m%d]\nsource = survey\n" % i for i in range(n)) \
        + "[metric m5]\nsource = survey\n"


def keys(n):
    return "[report]\ntitle = t\n" + "".join("k%d = v\n" % i for i in range(n)) + "k20 = again\n"


def run(text, n):
    path = os.path.join(tmp, "s%d.ini" % n)
    with open(path, "w") as f:
        f.write(text)
    ts = []
    for _ in range(a.runs):
        t = time.perf_counter()
        # the inputs are invalid on purpose (duplicates, no sources): exit 2
        subprocess.run([a.reportc, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)


for name, gen in (("sections", sections), ("keys", keys)):
    small, big = run(gen(a.n), a.n), run(gen(4 * a.n), 4 * a.n)
    print("%-8s %6d: %8.1f ms  %6d: %8.1f ms  ratio %.1f" % (name, a.n, small, 4 * a.n, big, big / small))
