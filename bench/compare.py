#!/usr/bin/python3
"""reportc against its anchors, whole process, in one alternating run.

usage: bench/compare.py [--reportc build/reportc] [--config FILE] [--rounds 11]
                        [--typst-dir DIR] [--no-latex] [--pages 35,200,1000,5000]
                        [--editions] [--json FILE]

Each round runs every contender once, in the same order (A B C A B C ...), so
a change in the machine's load touches all of them alike; the table gives
per contender the median wall time, the median user and system CPU time,
minor page faults and peak RSS (from wait4), and the ratio of medians.

Contenders:
  reportc            `reportc build` (PDF + .tex + both workbooks)
  reportc --only pdf
  --only pdf, no cache   the same with REPORTC_CACHE_DIR= (nothing kept
                     from earlier builds: fonts reduced, dictionary parsed,
                     every stream deflated, paragraph set and text
                     shaped again)
  pdflatex x2        two pdflatex runs on the .tex reportc wrote (skipped
                     without pdflatex or with --no-latex)
  typst              the same chapters as a Typst document (bench/md2typ.py),
                     compiled by the npm package @myriaddreamin/typst-ts-node-
                     compiler in a fresh node process (bench/typst-compile.js);
                     needs --typst-dir, a folder where that package is
                     installed (`npm install @myriaddreamin/typst-ts-node-
                     compiler` there; never a dependency of the build). Also
                     prints Typst's in-process warm compile and one-word edit.

--pages N,...  the pages curve: the sample's chapters repeated until the
               document has about N pages (bench/gen-pages.py), one
               `--only pdf` build each (median of 3): pages, ms, pages/s,
               peak RSS.
--editions     when the INI has a `languages =` key: all editions against
               one (a copy of the INI with only the first language), the
               ratio the editions issue bounds by 2.

Wall-clock figures on a shared machine are noisy: report the load (printed
first) with them; instruction counts (valgrind --tool=callgrind) are the
repeatable measure of work."""
import argparse, functools, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--reportc", default="build/reportc")
ap.add_argument("--config", default="config/iuc-lac-2019.ini")
ap.add_argument("--rounds", type=int, default=11)
ap.add_argument("--typst-dir", default=os.environ.get("RC_TYPST_DIR", ""))
ap.add_argument("--no-latex", action="store_true")
ap.add_argument("--pages", default="")
ap.add_argument("--editions", action="store_true")
ap.add_argument("--json", default="")
a = ap.parse_args()
print = functools.partial(print, flush=True)  # progress when redirected

here = os.path.dirname(os.path.abspath(__file__))
reportc = os.path.abspath(a.reportc)
config = os.path.abspath(a.config)
env = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")
work = tempfile.mkdtemp(prefix="rc-compare-")


def run(cmd, cwd=None, extra_env=None):
    """Runs cmd to completion; returns wall ms and the child's rusage."""
    e = dict(env, **(extra_env or {}))
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t) * 1000
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err}")
    return {"wall": wall, "user": ru.ru_utime * 1000, "sys": ru.ru_stime * 1000,
            "minflt": ru.ru_minflt, "rss_kb": ru.ru_maxrss}


def pdf_pages(path):
    if not shutil.which("pdfinfo"):
        return 0
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    return int(next(l.split()[1] for l in out.splitlines() if l.startswith("Pages:")))


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def table(results, base):
    b = statistics.median(r["wall"] for r in results[base])
    bc = statistics.median(r["user"] + r["sys"] for r in results[base])
    print(f"{'contender':<22}{'wall ms':>9}{'user ms':>9}{'sys ms':>8}{'cpu ms':>8}{'minflt':>8}"
          f"{'RSS MiB':>9}{'wall x':>8}{'cpu x':>7}")
    rows = {}
    for name, rs in results.items():
        med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        med["cpu"] = statistics.median(r["user"] + r["sys"] for r in rs)
        rows[name] = med
        print(f"{name:<22}{med['wall']:9.1f}{med['user']:9.1f}{med['sys']:8.1f}{med['cpu']:8.1f}"
              f"{med['minflt']:8.0f}{med['rss_kb'] / 1024:9.1f}{med['wall'] / b:7.1f}x"
              f"{med['cpu'] / bc:6.1f}x")
    return rows


def compare():
    out = os.path.join(work, "out")
    os.makedirs(out)
    build = [reportc, "build", single, "-o", out, "-q"]
    contenders = {"reportc": (build, None, None),
                  "reportc --only pdf": (build + ["--only", "pdf"], None, None),
                  # nothing kept from the last build: no cache directory
                  "--only pdf, no cache": (build + ["--only", "pdf"], None,
                                           {"REPORTC_CACHE_DIR": ""})}
    run(build)  # warm-up, and the .tex for pdflatex
    tex = [f for f in os.listdir(out) if f.endswith(".tex")]
    if not a.no_latex and tex and shutil.which("pdflatex"):
        # pdflatex works on a copy, so its PDF does not replace reportc's.
        ldir = os.path.join(work, "latex")
        shutil.copytree(out, ldir)
        latex = "pdflatex -interaction=batchmode -halt-on-error"
        contenders["pdflatex x2"] = (
            ["sh", "-c", f"{latex} {tex[0]} >/dev/null && {latex} {tex[0]} >/dev/null"], ldir, None)
    typst_warm = None
    if a.typst_dir:
        typ = os.path.join(work, "report.typ")
        subprocess.run([sys.executable, os.path.join(here, "md2typ.py"), single, typ], check=True)
        fonts = os.path.join(os.path.dirname(here), "fonts")
        nm = {"NODE_PATH": os.path.join(os.path.abspath(a.typst_dir), "node_modules")}
        cmd = ["node", os.path.join(here, "typst-compile.js"), typ,
               os.path.join(work, "typst.pdf"), fonts]
        contenders["typst (node process)"] = (cmd, None, nm)
        run(cmd, extra_env=nm)
        w = subprocess.run(cmd + ["--warm", "7"], env=dict(env, **nm), capture_output=True,
                           text=True, check=True).stdout
        typst_warm = json.loads(w.strip().splitlines()[-1])
    for cmd, cwd, extra in contenders.values():
        run(cmd, cwd, extra)  # one warm-up each
    results = {k: [] for k in contenders}
    for _ in range(a.rounds):
        for name, (cmd, cwd, extra) in contenders.items():
            results[name].append(run(cmd, cwd, extra))
    pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")]
    pages = pdf_pages(os.path.join(out, pdfs[0])) if pdfs else 0
    print(f"\n{a.rounds} alternating rounds, load average {load()} at the end; "
          f"reportc's PDF has {pages} pages")
    rows = table(results, "reportc")
    b, bc = rows["reportc --only pdf"]["wall"], rows["reportc --only pdf"]["cpu"]
    nb = rows["--only pdf, no cache"]["wall"]
    for name in rows:
        if name.startswith(("pdflatex", "typst")):
            print(f"  reportc --only pdf is {rows[name]['wall'] / b:.1f}x faster than {name} "
                  f"(wall), {rows[name]['cpu'] / bc:.1f}x (user + system CPU); "
                  f"{rows[name]['wall'] / nb:.1f}x with no cache")
    if typst_warm:
        tp = pdf_pages(os.path.join(work, "typst.pdf"))
        ev = statistics.median(typst_warm["warm_evicted_ms"])
        ed = statistics.median(typst_warm["one_word_edit_ms"])
        print(f"  typst in-process ({tp} pages): warm compile, cache evicted {ev:.0f} ms; "
              f"after a one-word edit {ed:.0f} ms")
        rows["typst warm"] = {"evicted_ms": ev, "edit_ms": ed, "pages": tp}
    return rows


def pages_curve(targets):
    print("\npages curve (`--only pdf`, median of 3):")
    print(f"{'target':>7}{'pages':>7}{'wall ms':>9}{'user ms':>9}{'sys ms':>8}{'minflt':>9}"
          f"{'RSS MiB':>9}{'pages/s':>9}{'per cpu s':>10}")
    rows = []

    def make(repeats):
        d = os.path.join(work, f"pages-{repeats}")
        subprocess.run([sys.executable, os.path.join(here, "gen-pages.py"), single, d,
                        str(repeats)], check=True)
        out = os.path.join(d, "out")
        os.makedirs(out, exist_ok=True)
        return [reportc, "build", os.path.join(d, os.path.basename(single)), "-o", out, "-q",
                "--only", "pdf"], out

    # Pages of the sample and of one repeat of its chapters, to aim at each target.
    cmd, out = make(0)
    run(cmd)
    p0 = pdf_pages(os.path.join(out, os.listdir(out)[0]))
    cmd, out = make(1)
    run(cmd)
    per = max(1, pdf_pages(os.path.join(out, os.listdir(out)[0])) - p0)
    for n in targets:
        cmd, out = make(max(0, round((n - p0) / per)))
        rs = [run(cmd) for _ in range(3)]
        med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        pdf = [f for f in os.listdir(out) if f.endswith(".pdf")][0]
        pg = pdf_pages(os.path.join(out, pdf))
        med["pages"] = pg
        rows.append(med)
        print(f"{n:7d}{pg:7d}{med['wall']:9.0f}{med['user']:9.0f}{med['sys']:8.0f}"
              f"{med['minflt']:9.0f}{med['rss_kb'] / 1024:9.1f}{pg / med['wall'] * 1000:9.0f}"
              f"{pg / (med['user'] + med['sys']) * 1000:10.0f}")
    return rows


def editions():
    """All editions against one (the one-edition copy of the INI)."""
    if not langs:
        print("\neditions: the INI has no `languages =` key; skipped")
        return None
    outs = [os.path.join(work, "ed-all"), os.path.join(work, "ed-one")]
    cmds = {"all editions": [reportc, "build", config, "-o", outs[0], "-q"],
            "one edition": [reportc, "build", single, "-o", outs[1], "-q"]}
    for c in cmds.values():
        run(c)
    res = {k: [] for k in cmds}
    for _ in range(a.rounds):
        for k, c in cmds.items():
            res[k].append(run(c))
    print(f"\neditions ({langs} against {langs.replace(',', ' ').split()[0]}):")
    return table(res, "one edition")


# A config with several editions (`languages = en, es, pt`) is measured as
# one edition, the first language (a copy of the INI beside the original, so
# relative paths hold, removed at the end): the anchors typeset one document.
# --editions compares all editions with it.
_text = open(config, encoding="utf-8").read()
_m = re.search(r"^languages\s*=\s*(.+)$", _text, re.M)
langs = _m.group(1).strip() if _m else ""
single = config
if _m:
    single = os.path.join(os.path.dirname(config), f".rc-bench-one-{os.getpid()}.ini")
    _one = (_text[:_m.start()] + f"languages = {langs.replace(',', ' ').split()[0]}"
            + _text[_m.end():])
    _one = re.sub(r"^\[edition [^]]*\]\n(?:[^[\n].*\n|\n)*", "", _one, flags=re.M)
    with open(single, "w", encoding="utf-8") as f:
        f.write(_one)
    import atexit
    atexit.register(os.remove, single)

report = {"load": load(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
print(f"{report['date']}, load average {report['load']}, {os.cpu_count()} CPUs")
report["compare"] = compare()
if a.pages:
    report["pages"] = pages_curve([int(x) for x in a.pages.split(",")])
if a.editions:
    report["editions"] = editions()
if a.json:
    with open(a.json, "w") as f:
        json.dump(report, f, indent=1)
shutil.rmtree(work, ignore_errors=True)
