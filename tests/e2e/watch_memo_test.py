#!/usr/bin/python3
"""A watcher that keeps set paragraphs and parsed Markdown writes a fresh
build's bytes (driven by tests/e2e/watch_memo.sh).

usage: watch_memo_test.py REPORTC

On a scratch copy of the sample reduced to its English edition (every
output): `reportc watch` builds, then after each edit its output directory
is compared file by file with what `reportc build` writes from the same
inputs. The edits: one word; a sentence inserted into a paragraph (its line
breaks move, and the paragraphs after it land elsewhere on the pages); a
glyph no page showed before (the reduced font gains a glyph); twenty
paragraphs added to a chapter (the PDF gains pages) and taken away again;
an edit undone (the memo no longer holds the old text); a table file. Then
forty one-word edits, after which the watch's resident memory must not have
grown by more than a few megabytes: the memos keep what the last build
used, not every build's."""
import os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watch_lib import (check, copy_sample, edit, failures, follow,  # noqa: E402
                       next_line, pdf_text, same_as_fresh)

RC = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="rc-watch-memo-")
env = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")


def pages(path):
    r = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    m = re.search(r"Pages:\s+(\d+)", r.stdout)
    return int(m.group(1)) if m else -1


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


p = None
try:
    ini = copy_sample(tmp)
    t = open(ini, encoding="utf-8").read()
    t = re.sub(r"(?m)^languages = .*\n|^\[edition \w+\]\nfile = .*\n", "", t)
    with open(ini, "w", encoding="utf-8") as f:
        f.write(t)
    base = os.path.join(tmp, "iuc-lac-2019")
    out = os.path.join(tmp, "out")
    pdf = os.path.join(out, "iuc-lac-2019.pdf")
    p = subprocess.Popen([RC, "watch", ini], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, bufsize=1, env=env)
    follow(p.stdout)
    first = next_line()
    check(" built in " in first, "first build: " + first.strip())
    check(next_line().startswith("watching "), "watching")
    check(os.path.exists(pdf), "one edition: " + pdf)
    same_as_fresh(RC, ini, out, tmp, env, "first build")

    def step(what, fn, expect):
        fn()
        line = next_line()
        check("rebuilt" in line and expect in line, f"{what}: {line.strip()}")
        same_as_fresh(RC, ini, out, tmp, env, what)

    ch3 = os.path.join(base, "chapters/03-survey-lessons.md")
    ch4 = os.path.join(base, "chapters/04-way-forward.md")
    step("one word", lambda: edit(ch3, " the ", " this "), "03-survey-lessons.md")

    sentence = ("It builds on their considerable potential, ",
                "It builds, as every pairing visited in the three years of the project "
                "showed in its own way, on their considerable potential, ")
    step("a sentence that moves line breaks", lambda: edit(ch4, *sentence), "04-way-forward.md")
    check("every pairing visited" in pdf_text(pdf).replace("\n", " "), "the sentence is in the PDF")

    before = pdf_text(pdf)
    check("ø" not in before and "Ø" not in before, "no page showed 'ø' before")
    step("a new glyph", lambda: edit(ch3, " this ", " Ø this "), "03-survey-lessons.md")
    check("Ø" in pdf_text(pdf), "the new glyph is in the PDF text")

    n0 = pages(pdf)
    filler = "".join(f"\n\nAn added paragraph, number {i}, long enough to fill a few lines of "
                     "the page with words that the memo has never seen set before this edit "
                     "reached the chapter.\n" for i in range(20))
    original4 = open(ch4, encoding="utf-8").read()
    step("twenty paragraphs added", lambda: open(ch4, "a", encoding="utf-8").write(filler),
         "04-way-forward.md")
    n1 = pages(pdf)
    check(n1 > n0, f"the PDF gained pages ({n0} -> {n1})")

    def restore4():
        with open(ch4, "w", encoding="utf-8") as f:
            f.write(original4)
    step("and taken away", restore4, "04-way-forward.md")
    check(pages(pdf) == n0, f"back to {n0} pages ({pages(pdf)})")

    step("an edit undone", lambda: edit(ch4, *reversed(sentence)), "04-way-forward.md")

    table = os.path.join(base, "tables/pilots.md")
    step("a table file", lambda: edit(table, "Cooperation between", "Joint work between"),
         "pilots.md")

    rss = []
    for i in range(40):
        edit(ch3, " this " if i % 2 == 0 else " that ", " that " if i % 2 == 0 else " this ")
        line = next_line()
        if "rebuilt" not in line:
            check(False, f"one-word edit {i}: {line.strip()}")
            break
        rss.append(rss_kb(p.pid))
    # AddressSanitizer keeps freed memory in quarantine: its resident size
    # says nothing about what the memos hold
    asan = b"__asan_init" in open(RC, "rb").read()
    if asan:
        print("skipped under AddressSanitizer: resident memory")
    elif len(rss) == 40:
        grew = rss[-1] - rss[9]
        check(grew < 8 * 1024, f"resident memory over 30 rebuilds: {rss[9]} -> {rss[-1]} KB")
    same_as_fresh(RC, ini, out, tmp, env, "after forty one-word edits")
finally:
    if p:
        p.send_signal(2)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(tmp)
sys.exit(1 if failures() else 0)
