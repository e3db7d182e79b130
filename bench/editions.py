#!/usr/bin/python3
"""The cost of the sample's three editions against one (issue 16's target:
three editions in one run cost at most twice one edition).

usage: bench/editions.py [--reportc build/reportc] [--runs 21]

Builds config/iuc-lac-2019.ini as it is (en, es, pt in one run) and a copy
without its `languages` line (the English edition alone, today's names),
interleaved run by run so machine load hits both alike, and prints for each
the median wall time and the median CPU time (user + system of the process
and its threads), then the ratios. On a shared machine compare CPU times."""
import argparse, os, re, resource, shutil, statistics, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--reportc", default="build/reportc")
ap.add_argument("--runs", type=int, default=21)
a = ap.parse_args()

tmp = tempfile.mkdtemp(prefix="rc-bench-editions-")
cfg = os.path.join(tmp, "config")
shutil.copytree("config", cfg)
three = os.path.join(cfg, "iuc-lac-2019.ini")
one = os.path.join(cfg, "iuc-lac-2019-en-only.ini")
text = open(three, encoding="utf-8").read()
with open(one, "w", encoding="utf-8") as f:
    f.write(re.sub(r"(?m)^languages = .*\n", "", text))
env = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")
# The copies were made just now: files changed within the last two seconds
# are not kept in the cache directory (their SHA-256 digests, include/rc/cache.h),
# so wait until the inputs are as settled as a user's unchanged files are.
time.sleep(2.2)


def run(ini):
    out = os.path.join(tmp, "out")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([a.reportc, "build", ini, "-o", out, "-q"], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - t) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000
    return wall, cpu


run(one), run(three)  # warm-up
res = {one: [], three: []}
for _ in range(a.runs):
    for ini in (one, three):
        res[ini].append(run(ini))
med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
       for k, v in res.items()}
print(f"one edition (en):          wall {med[one][0]:6.1f} ms   cpu {med[one][1]:6.1f} ms")
print(f"three editions (en,es,pt): wall {med[three][0]:6.1f} ms   cpu {med[three][1]:6.1f} ms")
print(f"ratio three/one:           wall {med[three][0] / med[one][0]:.2f}       "
      f"cpu {med[three][1] / med[one][1]:.2f}   ({a.runs} interleaved runs, {os.cpu_count()} cores)")
shutil.rmtree(tmp)
