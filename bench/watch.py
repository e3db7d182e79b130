#!/usr/bin/python3
"""Edit-to-PDF latency of `reportc watch` on the sample report.

usage: bench/watch.py [--reportc build/reportc] [--edits 21] [--only pdf] [--one-edition]
                      [--instructions]

Copies the sample configuration to a scratch directory, starts `reportc
watch` on it and makes one-word edits to a chapter (written in place, as
most editors do on close), alternating between two words. For each edit it
measures the time from just before the write to the watch's "rebuilt" line,
which is printed after the new PDF has been renamed into place: the latency
an author sees. The sample has three editions (en, es, pt); the edit is
to an English chapter, so the watch builds the English edition alone (the
others' inputs did not change); --one-edition drops the other editions
from the config first. It prints the median, min and max of that latency and of
the time (from the change seen to the outputs in place) and CPU time the
watch itself reports, and the watch process's CPU time
per rebuild (from /proc, averaged over the edits): on a loaded machine the
wall times include waiting for a core, the CPU time does not.

--instructions runs the watch under callgrind instead (valgrind: slow, the
times mean nothing then) and prints the instructions per rebuild, all
threads, counted from after the first edit: the figure to compare on a
shared machine."""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--reportc", default="build/reportc")
ap.add_argument("--edits", type=int, default=21)
ap.add_argument("--only", default="pdf")
ap.add_argument("--one-edition", action="store_true", help="the English edition alone")
ap.add_argument("--instructions", action="store_true",
                help="count instructions per rebuild under callgrind")
a = ap.parse_args()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = tempfile.mkdtemp(prefix="rc-watch-bench-")
try:
    shutil.copy(os.path.join(root, "config/iuc-lac-2019.ini"), tmp)
    shutil.copytree(os.path.join(root, "config/iuc-lac-2019"), os.path.join(tmp, "iuc-lac-2019"))
    ini = os.path.join(tmp, "iuc-lac-2019.ini")
    text = open(ini, encoding="utf-8").read().replace("directory = ../out", "directory = out")
    if a.one_edition:
        text = re.sub(r"(?m)^languages = .*\n|^\[edition \w+\]\nfile = .*\n", "", text)
    open(ini, "w", encoding="utf-8").write(text)
    chapter = os.path.join(tmp, "iuc-lac-2019/chapters/03-survey-lessons.md")
    original = open(chapter, encoding="utf-8").read()
    word = re.search(r"\b(the)\b", original)
    assert word, "no word to edit"

    cmd = [os.path.abspath(a.reportc), "watch", ini] + (["--only", a.only] if a.only else [])
    cg = os.path.join(tmp, "callgrind.out")
    if a.instructions:
        if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
            sys.exit("--instructions needs valgrind (Debian package valgrind)")
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg] + cmd
    env = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                         env=env, bufsize=1)
    line = ""
    while "watching" not in line:
        line = p.stdout.readline()
        if not line:
            sys.exit("watch exited: " + str(p.wait()))
    def cpu_s():
        f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    def faults():
        return int(open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()[7])

    lat, own, own_cpu = [], [], []
    cpu0 = None
    for i in range(a.edits + 1):  # the first edit warms up
        new = original[:word.start()] + ("this" if i % 2 == 0 else "that") + original[word.end():]
        t = time.perf_counter()
        with open(chapter, "w", encoding="utf-8") as f:
            f.write(new)
        line = p.stdout.readline()
        dt = (time.perf_counter() - t) * 1000
        m = re.search(r"rebuilt in ([\d.]+) ms(?:, ([\d.]+) ms CPU)?", line)
        if not m:
            sys.exit("unexpected line: " + line)
        if i:
            lat.append(dt)
            own.append(float(m.group(1)))
            own_cpu.append(float(m.group(2) or "nan"))  # older builds print no CPU time
        else:
            cpu0, flt0 = cpu_s(), faults()
            if a.instructions:  # count from here
                subprocess.run(["callgrind_control", "-z", str(p.pid)], capture_output=True)
    if a.instructions:
        subprocess.run(["callgrind_control", "-d", str(p.pid)], capture_output=True)
        total = 0
        for _ in range(100):  # the dump is written by the watch process
            dumps = [f for f in os.listdir(tmp) if f.startswith("callgrind.out.")]
            if dumps:
                body = open(os.path.join(tmp, dumps[0])).read()
                m = re.search(r"(?m)^(?:summary|totals):\s+(\d+)", body)
                if m:
                    total = int(m.group(1))
                    break
            time.sleep(0.1)
        print(f"reportc watch --only {a.only or 'all'}: {a.edits} one-word edits under callgrind: "
              f"{total / a.edits / 1e6:.1f} M instructions per rebuild (all threads)")
    cpu = (cpu_s() - cpu0) / a.edits * 1000
    flt = (faults() - flt0) / a.edits
    p.send_signal(2)
    p.wait(timeout=10)
    pdf = "out/iuc-lac-2019.pdf" if a.one_edition else "out/iuc-lac-2019-en.pdf"
    pages = subprocess.run(["pdfinfo", os.path.join(tmp, pdf)],
                           capture_output=True, text=True).stdout
    n = re.search(r"Pages:\s+(\d+)", pages)
    print(f"reportc watch --only {a.only or 'all'}: {a.edits} one-word edits "
          f"({n.group(1) if n else '?'} pages; "
          f"{'one edition' if a.one_edition else 'three editions, the English one edited'})")
    print(f"  edit -> PDF renamed: median {statistics.median(lat):.1f} ms "
          f"(min {min(lat):.1f}, max {max(lat):.1f})")
    print(f"  rebuild (watch's own timing): median {statistics.median(own):.1f} ms "
          f"(min {min(own):.1f}, max {max(own):.1f})")
    print(f"  rebuild CPU (watch's own, all threads): median {statistics.median(own_cpu):.1f} ms")
    print(f"  CPU time per rebuild (user + system, all threads, /proc): {cpu:.1f} ms; "
          f"{flt:.0f} minor page faults")
    print(f"  load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
finally:
    if "p" in globals() and p.poll() is None:  # an unexpected line: do not leave it running
        p.kill()
        p.wait()
    shutil.rmtree(tmp)
