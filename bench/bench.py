#!/usr/bin/python3
"""Whole-process benchmark of reportc on the sample report.

usage: bench/bench.py [--reportc build/reportc] [--runs 21] [--config FILE]
                      [--only pdf,tex,xlsx] [--latex]

Times `reportc build` end to end (process start to exit), several runs after
one warm-up, and prints the median, min and max, and pages per second. With
--latex it also times two pdflatex runs on the generated .tex in the same
session and prints the ratio (the README's headline figure)."""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--reportc", default="build/reportc")
ap.add_argument("--runs", type=int, default=21)
ap.add_argument("--config", default="config/iuc-lac-2019.ini")
ap.add_argument("--only", default="")
ap.add_argument("--latex", action="store_true")
a = ap.parse_args()

out = tempfile.mkdtemp(prefix="rc-bench-")
cmd = [a.reportc, "build", a.config, "-o", out, "-q"] + (["--only", a.only] if a.only else [])
env = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")


def timed(cmd, cwd=None, runs=a.runs):
    subprocess.run(cmd, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL)  # warm-up
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    return ts


ts = timed(cmd)
pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")]
pages = 0
if pdfs and shutil.which("pdfinfo"):
    info = subprocess.run(["pdfinfo", os.path.join(out, pdfs[0])], capture_output=True, text=True).stdout
    pages = int([l for l in info.splitlines() if l.startswith("Pages:")][0].split()[1])
med = statistics.median(ts)
print(f"reportc build ({a.only or 'all outputs'}): median {med:.1f} ms, "
      f"min {min(ts):.1f} ms, max {max(ts):.1f} ms over {len(ts)} runs")
if pages:
    print(f"  {pages} pages -> {pages / (med / 1000):.0f} pages/s")
for f in sorted(os.listdir(out)):
    print(f"  {f}: {os.path.getsize(os.path.join(out, f)) / 1024:.0f} KB")

if a.latex:
    tex = [f for f in os.listdir(out) if f.endswith(".tex")]
    if not tex or not shutil.which("pdflatex"):
        print("pdflatex comparison skipped: no .tex output or pdflatex not installed")
    else:
        pdf_only = timed([a.reportc, "build", a.config, "-o", out, "-q", "--only", "pdf"])
        two = timed(["sh", "-c", f"pdflatex -interaction=batchmode -halt-on-error {tex[0]} >/dev/null"
                     f" && pdflatex -interaction=batchmode -halt-on-error {tex[0]} >/dev/null"],
                    cwd=out, runs=max(3, a.runs // 5))
        m1, m2 = statistics.median(pdf_only), statistics.median(two)
        print(f"reportc --only pdf: median {m1:.1f} ms; pdflatex x2: median {m2:.0f} ms; "
              f"ratio {m2 / m1:.0f}x")
shutil.rmtree(out)
