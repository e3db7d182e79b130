#!/usr/bin/python3
"""`reportc watch` end to end (driven by tests/e2e/watch.sh).

usage: watch_test.py REPORTC

On a scratch copy of the sample report: the first build, a one-word edit
that reaches the PDF's text, an editor-style save (write a new file, rename
it over the chapter), a CSV change, a broken edit that fails with a located
diagnostic and leaves the last good PDF byte for byte, the repair, and
Ctrl-C, after which the process has exited 0 and no temporary file is left."""
import os, re, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watch_lib import check, copy_sample, failures, follow, next_line, pdf_text, sha  # noqa: E402

RC = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="rc-watch-")

try:
    ini = copy_sample(tmp)
    text = open(ini, encoding="utf-8").read()
    # the English edition alone (the sample also builds es and pt): one PDF to watch
    text = re.sub(r"(?m)^languages = .*\n|^\[edition \w+\]\nfile = .*\n", "", text)
    open(ini, "w", encoding="utf-8").write(text)
    out = os.path.join(tmp, "out")
    pdf = os.path.join(out, "iuc-lac-2019.pdf")
    chapter = os.path.join(tmp, "iuc-lac-2019/chapters/05-conclusions.md")
    csv = os.path.join(tmp, "iuc-lac-2019/survey.csv")
    original = open(chapter, encoding="utf-8").read()
    errf = open(os.path.join(tmp, "stderr"), "w+")
    p = subprocess.Popen([RC, "watch", ini, "--only", "pdf"], stdout=subprocess.PIPE, stderr=errf,
                         text=True, bufsize=1, env=dict(os.environ, SOURCE_DATE_EPOCH="1577836800"))
    follow(p.stdout)
    first = next_line(60)
    check(re.match(r"\d\d:\d\d:\d\d built in [\d.]+ ms, [\d.]+ ms CPU$", first.strip()) is not None,
          "first build line: " + first.strip())
    watching = next_line(60)
    check(watching.startswith("watching "), "watching line: " + watching.strip())
    check(os.path.exists(pdf), "the first build wrote the PDF")

    # A one-word edit, written in place.
    edited = original.replace("\n\n", "\n\nZanzibarish ", 1)
    open(chapter, "w", encoding="utf-8").write(edited)
    line = next_line(60)
    check(re.search(r"rebuilt in [\d.]+ ms, [\d.]+ ms CPU \(05-conclusions\.md\)", line) is not None,
          "rebuild line: " + line.strip())
    check("Zanzibarish" in pdf_text(pdf), "the edit reached the PDF")

    # An editor-style save: a new file renamed over the chapter.
    side = chapter + ".swp~"
    open(side, "w", encoding="utf-8").write(edited.replace("Zanzibarish", "Quetzalish"))
    os.rename(side, chapter)
    line = next_line(60)
    check("rebuilt" in line, "rename-save rebuilds: " + line.strip())
    check("Quetzalish" in pdf_text(pdf), "the renamed file reached the PDF")

    # A CSV change reloads the data.
    os.utime(csv, (time.time() + 5, time.time() + 5))  # new mtime; the inotify event is the write
    data = open(csv, "rb").read()
    open(csv, "wb").write(data)
    line = next_line(60)
    check("rebuilt" in line and "survey.csv" in line, "a CSV change rebuilds: " + line.strip())

    # A broken edit: a located error, the last good PDF kept byte for byte.
    good = sha(pdf)
    errf.seek(0, 2)
    pos = errf.tell()
    open(chapter, "w", encoding="utf-8").write(edited.replace("Zanzibarish", "{{no_such_metric}}"))
    line = next_line(60)
    check("build failed" in line and "kept the previous outputs" in line,
          "failure line: " + line.strip())
    errf.seek(pos)
    err = errf.read()
    check(re.search(r"05-conclusions\.md:\d+:\d+: error: .*no_such_metric", err) is not None,
          "located diagnostic: " + err.strip()[:160])
    check("\x1b[" not in err, "no colour when stderr is not a terminal")
    check(sha(pdf) == good, "the failed build kept the last good PDF")

    # The repair rebuilds.
    open(chapter, "w", encoding="utf-8").write(original)
    line = next_line(60)
    check("rebuilt" in line, "the repair rebuilds: " + line.strip())
    check("Zanzibarish" not in pdf_text(pdf), "the PDF follows the repair")

    # A file that is not an input does not rebuild.
    open(os.path.join(tmp, "iuc-lac-2019/notes.txt"), "w").write("x")
    check(next_line(1.5) == "", "a non-input file does not rebuild")

    # Ctrl-C right after an edit: exits 0 and leaves no temporaries.
    open(chapter, "w", encoding="utf-8").write(edited)
    time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    try:
        st = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        st = "timeout"
    check(st == 0, f"Ctrl-C exits 0 (got {st})")
    left = [f for f in os.listdir(out) if f.startswith(".") or f.endswith(".tmp")]
    check(left == [], f"no temporaries left in the output directory: {left}")
    check(os.listdir(out) == ["iuc-lac-2019.pdf"], f"output directory: {os.listdir(out)}")
finally:
    shutil.rmtree(tmp)
sys.exit(1 if failures() else 0)
