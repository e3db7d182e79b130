#!/usr/bin/python3
"""A watcher's outputs are a fresh build's (driven by tests/e2e/watch_fresh.sh).

usage: watch_fresh_test.py REPORTC

On a scratch copy of the sample (en, es, pt; every output): `reportc watch`
builds, then after each edit its output directory is compared file by file
with what `reportc build` writes from the same inputs into another
directory. The edits: an English chapter (the English edition alone is
built again; its workbooks hold the chapter's SHA-256), a Spanish table
file, a CSV value (the data is read again: every edition), a same-size edit
that keeps the chapter's size and modification time (only inotify can tell
it changed: the signature-keyed caches must not keep the old hash or skip
the edition), and the language file es.ini."""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watch_lib import (check, copy_sample, edit, failures, follow,  # noqa: E402
                       next_line, same_as_fresh)

RC = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="rc-watch-fresh-")
env = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")


p = None
try:
    ini = copy_sample(tmp)
    base = os.path.join(tmp, "iuc-lac-2019")
    out = os.path.join(tmp, "out")
    p = subprocess.Popen([RC, "watch", ini], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, bufsize=1, env=env)
    follow(p.stdout)
    first = next_line()
    check(" built in " in first, "first build: " + first.strip())
    check(next_line().startswith("watching "), "watching")
    same_as_fresh(RC, ini, out, tmp, env, "first build")

    def step(what, fn, expect):
        fn()
        line = next_line()
        check("rebuilt" in line and expect in line, f"{what}: {line.strip()}")
        same_as_fresh(RC, ini, out, tmp, env, what)

    en_ch = os.path.join(base, "chapters/03-survey-lessons.md")
    step("an English chapter", lambda: edit(en_ch, " the ", " this "), "03-survey-lessons.md")

    tables = sorted(os.listdir(os.path.join(base, "tables/es")))
    es_table = os.path.join(base, "tables/es", tables[0])
    step("a Spanish table file", lambda: edit(es_table, " de ", " del "), tables[0])

    csv = os.path.join(base, "survey.csv")
    def csv_edit():
        t = open(csv, encoding="utf-8").read().split("\n")
        # rel_edp of the first respondent: a value the metrics and charts read
        row = t[1].split(",")
        assert t[0].split(",")[9] == "rel_edp"
        row[9] = "3" if row[9] != "3" else "4"
        t[1] = ",".join(row)
        with open(csv, "w", encoding="utf-8") as f:
            f.write("\n".join(t))
    step("a CSV value", csv_edit, "survey.csv")

    # Same size, same inode, and the modification time put back before the
    # file is closed: the inotify event (on close) is the only sign.
    def same_size():
        st = os.stat(en_ch)
        t = open(en_ch, "rb").read()
        i = t.index(b" this ")
        with open(en_ch, "r+b") as f:
            f.seek(i)
            f.write(b" that ")
            f.flush()
            os.utime(en_ch, ns=(st.st_atime_ns, st.st_mtime_ns))
        st2 = os.stat(en_ch)
        check((st2.st_size, st2.st_mtime_ns, st2.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino),
              "the same-size edit kept the chapter's signature")
    step("a same-size edit with the old modification time", same_size, "03-survey-lessons.md")
    r = subprocess.run(["pdftotext", os.path.join(out, "iuc-lac-2019-en.pdf"), "-"],
                       capture_output=True, text=True)
    check(r.returncode != 0 or " that " in r.stdout.replace("\n", " "),
          "the same-size edit reached the PDF")

    es_ini = os.path.join(base, "es.ini")
    step("the Spanish language file", lambda: edit(es_ini, "title = ", "title = Nuevo: "), "es.ini")
finally:
    if p:
        p.send_signal(2)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(tmp)
sys.exit(1 if failures() else 0)
