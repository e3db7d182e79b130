#!/usr/bin/python3
"""`reportc watch` on the sample's three editions (driven by
tests/e2e/watch_editions.sh).

usage: watch_editions_test.py REPORTC

On a scratch copy of the sample (en, es, pt): a Spanish chapter edit
rebuilds the Spanish PDF and leaves the English and Portuguese ones as they
were (not built again: same inode and bytes); an edit of the Spanish
language file (es.ini) rebuilds with its new title, the Spanish edition
alone; a new chapter list in
es.ini is followed (the new file reaches the PDF, and an edit of the new
file rebuilds); a broken es.ini fails with a located error and keeps every
PDF; its repair rebuilds; an English chapter edit leaves es and pt alone."""
import os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watch_lib import check, copy_sample, failures, follow, next_line, pdf_text, sha  # noqa: E402

RC = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp(prefix="rc-watch-ed-")


def state(path):
    """What says the file was not written again: inode, mtime and bytes."""
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, sha(path))


def write(path, s):
    with open(path, "w", encoding="utf-8") as f:
        f.write(s)


def edit_es(path, s, cause, what):
    """Writes s into path, a Spanish input, and checks the watch's next line
    says it rebuilt for cause; returns the English and Portuguese PDFs'
    states from before the edit."""
    before = {l: state(pdf[l]) for l in ("en", "pt")}
    write(path, s)
    line = next_line()
    check(re.search(r"rebuilt in [\d.]+ ms, [\d.]+ ms CPU \(" + re.escape(cause) + r"\)", line)
          is not None, what + ": " + line.strip())
    return before


p = None
try:
    ini = copy_sample(tmp)
    base = os.path.join(tmp, "iuc-lac-2019")
    out = os.path.join(tmp, "out")
    pdf = {l: os.path.join(out, f"iuc-lac-2019-{l}.pdf") for l in ("en", "es", "pt")}
    es_ini = os.path.join(base, "es.ini")
    es_ini_text = open(es_ini, encoding="utf-8").read()
    es_ch = os.path.join(base, "chapters/es/05-conclusions.md")
    es_ch_text = open(es_ch, encoding="utf-8").read()
    en_ch = os.path.join(base, "chapters/05-conclusions.md")
    en_ch_text = open(en_ch, encoding="utf-8").read()
    errf = open(os.path.join(tmp, "stderr"), "w+")
    p = subprocess.Popen([RC, "watch", ini, "--only", "pdf"], stdout=subprocess.PIPE, stderr=errf,
                         text=True, bufsize=1,
                         env=dict(os.environ, SOURCE_DATE_EPOCH="1577836800"))
    follow(p.stdout)
    first = next_line()
    check(re.match(r"\d\d:\d\d:\d\d built in [\d.]+ ms, [\d.]+ ms CPU$", first.strip()) is not None,
          "first build line: " + first.strip())
    watching = next_line()
    m = re.match(r"watching (\d+) inputs", watching)
    # 3 language versions of 13 Markdown files, 2 language files, the INI file, ...
    check(m is not None and int(m.group(1)) >= 3 * 13 + 3,
          "every edition's inputs are watched: " + watching.strip())
    check(all(os.path.exists(f) for f in pdf.values()), "the first build wrote three PDFs")

    # A Spanish chapter: the Spanish PDF only.
    before = edit_es(es_ch, es_ch_text.replace("\n\n", "\n\nZanzibarés ", 1), "05-conclusions.md",
                     "a Spanish chapter rebuilds")
    check("Zanzibarés" in pdf_text(pdf["es"]), "the edit reached the Spanish PDF")
    check(all(state(pdf[l]) == before[l] for l in before),
          "the English and Portuguese PDFs were not written again")

    # The language file itself: a new title, in the Spanish edition alone.
    before = edit_es(es_ini, es_ini_text.replace("title = La especialización",
                                                 "title = Quetzalia: la especialización", 1),
                     "es.ini", "an edit of es.ini rebuilds")
    check("Quetzalia" in pdf_text(pdf["es"]), "the new Spanish title reached the PDF")
    check("Quetzalia" not in pdf_text(pdf["en"]), "the English PDF keeps its title")
    check(all(state(pdf[l]) == before[l] for l in before),
          "an es.ini edit does not build the English and Portuguese editions again")

    # A new chapter list: a new file, then an edit of that file.
    extra = os.path.join(base, "chapters/es/06-extra.md")
    write(extra, "# Capítulo añadido\n\nTexto del capítulo Ocelotrino.\n")
    line = next_line(timeout=2)  # not an input yet: no rebuild
    check(line == "", "a file no edition lists does not rebuild: " + line.strip())
    lst = es_ini_text.replace("chapters/es/05-conclusions.md",
                              "chapters/es/05-conclusions.md, chapters/es/06-extra.md", 1)
    write(es_ini, lst)
    line = next_line()
    check("rebuilt" in line, "a new chapter list rebuilds: " + line.strip())
    check("Ocelotrino" in pdf_text(pdf["es"]), "the newly listed chapter reached the Spanish PDF")
    write(extra, "# Capítulo añadido\n\nTexto del capítulo Jaguarino.\n")
    line = next_line()
    check(re.search(r"rebuilt in [\d.]+ ms, [\d.]+ ms CPU \(06-extra\.md\)", line) is not None,
          "the newly listed chapter is watched: " + line.strip())
    check("Jaguarino" in pdf_text(pdf["es"]), "its edit reached the Spanish PDF")

    # A broken language file: a located error, every PDF kept.
    good = {l: state(pdf[l]) for l in pdf}
    errf.seek(0, 2)
    pos = errf.tell()
    write(es_ini, lst.replace("[document]", "[document", 1))
    line = next_line()
    check("build failed" in line and "kept the previous outputs" in line,
          "a broken es.ini fails: " + line.strip())
    errf.seek(pos)
    err = errf.read()
    check(re.search(r"es\.ini:\d+:\d+: error:", err) is not None,
          "located diagnostic: " + err.strip()[:160])
    check(all(state(pdf[l]) == good[l] for l in pdf), "the failed build kept every PDF")

    # The repair rebuilds (the language file is still watched).
    write(es_ini, es_ini_text)
    line = next_line()
    check("rebuilt" in line and "es.ini" in line, "the repair rebuilds: " + line.strip())
    check("Ocelotrino" not in pdf_text(pdf["es"]) and "Jaguarino" not in pdf_text(pdf["es"]),
          "the Spanish PDF follows the repaired chapter list")
    check("Quetzalia" not in pdf_text(pdf["es"]), "and the repaired title")

    # An English chapter: es and pt are left alone.
    before = {l: state(pdf[l]) for l in ("es", "pt")}
    write(en_ch, en_ch_text.replace("\n\n", "\n\nZanzibarish ", 1))
    line = next_line()
    check("rebuilt" in line, "an English chapter rebuilds: " + line.strip())
    check("Zanzibarish" in pdf_text(pdf["en"]), "the edit reached the English PDF")
    check(all(state(pdf[l]) == before[l] for l in before),
          "the Spanish and Portuguese PDFs were not written again")

    p.send_signal(2)
    check(p.wait(timeout=30) == 0, "Ctrl-C stops the watch with status 0")
    left = [f for f in os.listdir(out) if f.startswith(".")]
    check(left == [], "no temporary file left: " + repr(left))
finally:
    if p and p.poll() is None:
        p.kill()
    shutil.rmtree(tmp, ignore_errors=True)
print(f"{failures()} failure(s)")
sys.exit(1 if failures() else 0)
