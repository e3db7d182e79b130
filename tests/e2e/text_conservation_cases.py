#!/usr/bin/python3
"""Writes a buildable configuration for every test document, so that
text_conservation.sh can run the conservation check on each of them.

usage: text_conservation_cases.py OUTDIR

The test documents are the golden documents (tests/golden/doc/<case> and
tests/golden/latex/<case>: input.md, split into front, main, back and annex
at "%%% part" lines as test_latex.c does), the bad-input fixture chapter
(tests/bad/_fixtures/chapter.md) and the pipeline fuzz target's seeds
(fuzz/corpus/fuzz_doc_pdf, split at form feeds into main, back, annex and
front as fuzz_doc_pdf.c does). The unit tests give these documents a
hand-built config; here every name a document uses is declared over the
fixture survey (tests/bad/_fixtures/survey.csv): a metric per placeholder,
a bar chart per figure, a table per table (its file in the case's _files
folder when there is one, else an aggregate), a box per box (its file when
there is one). The chart types do not matter: the check is about prose.

Prints one line per case: NAME TAB INI TAB KIND, KIND being "golden" (must
build), "error:TEXT" (a golden case of EXPECTED_ERRORS: it must fail with
an error containing TEXT) or "fuzz" (a seed that
does not build with this config is skipped: the corpus holds bad inputs on
purpose)."""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Golden cases that cannot build a PDF, and the error that says why.
EXPECTED_ERRORS = {
    "doc/errors": "must start with a level-1 heading",  # written to fail
    "latex/utf8": "is not in the font",  # an emoji: TeX only, the PDF refuses it
}

NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
PLACED = re.compile(r"!\[[^\]]*\]\((figure|table|box):(" + NAME + r")\)")
REF = re.compile(r"\{\{\s*#?\s*(figure|table|box):(" + NAME + r")\s*\}\}")
LINK = re.compile(r"\]\(#(figure|table|box):(" + NAME + r")\)")
METRIC = re.compile(r"\{\{\s*(" + NAME + r")\s*(?:\|[^}]*)?\}\}")

HEAD = """[report]
title = Conservation {title}
year = 2020
language = en

[output]
directory = out
formats = pdf

[document]
cover = no
imprint = no
back_cover = no
{parts}
[source survey]
file = {root}/tests/bad/_fixtures/survey.csv
key = id

[field survey.id]
column = Id
type = text

[field survey.continent]
column = Continent
type = category
values = EU: European Union | LA: Latin America

[aggregate by_continent]
source = survey
kind = distribution
field = continent
"""


def declare(texts, files_dirs):
    """The INI sections for every float and metric the texts use."""
    names = {"figure": set(), "table": set(), "box": set()}
    metrics = set()
    for t in texts:
        for rx in (PLACED, REF, LINK):
            for kind, name in rx.findall(t):
                names[kind].add(name)
        for name in METRIC.findall(t):
            if ":" not in name:
                metrics.add(name)

    def find(*cands):
        for d in files_dirs:
            for c in cands:
                p = os.path.join(d, c)
                if os.path.isfile(p):
                    return p
        return None

    out = []
    body = {}
    for t in sorted(names["table"]):
        p = find(f"{t}.md", "table.md" if t in ("plain", "pilots") else f"{t}.md")
        body[("table", t)] = f"file = {p}\n" if p else "aggregate = by_continent\n"
    for b in sorted(names["box"]):
        # a box needs a file: its own, else any box of the golden files
        p = find(f"box-{b}.md", f"{b}.md", "box.md") or os.path.join(ROOT, "tests/golden/latex/_files/box.md")
        body[("box", b)] = f"file = {p}\n"
    for v in body.values():  # placeholders inside the table and box files
        if v.startswith("file = "):
            with open(v[7:].strip(), encoding="utf-8") as f:
                metrics.update(n for n in METRIC.findall(f.read()) if ":" not in n)
    for m in sorted(metrics):
        out.append(f"[metric {m}]\nsource = survey\n")
    for f in sorted(names["figure"]):
        out.append(f"[figure {f}]\ntype = bar\naggregate = by_continent\n"
                   f"caption = Respondents of figure {f} by continent\nsource = Test data\n")
    for t in sorted(names["table"]):
        out.append(f"[table {t}]\ncaption = Table {t} of the case\n{body[('table', t)]}")
    for b in sorted(names["box"]):
        out.append(f"[box {b}]\ntitle = Box {b} of the case\n{body[('box', b)]}")
    return "\n".join(out)


def write_case(outdir, name, parts, files_dirs):
    """parts: list of (part, text). Writes the chapters and case.ini."""
    d = os.path.join(outdir, name.replace("/", "-"))
    os.makedirs(d, exist_ok=True)
    keys = {"front": [], "main": [], "back": [], "annex": []}
    for i, (part, text) in enumerate(parts):
        p = os.path.join(d, f"part{i}-{part}.md")
        with open(p, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        keys[part].append(p)
    lines = ""
    for part, key in (("front", "front"), ("main", "chapters"), ("back", "back"), ("annex", "annexes")):
        if keys[part]:
            lines += f"{key} = {', '.join(keys[part])}\n"
    ini = os.path.join(d, "case.ini")
    with open(ini, "w", encoding="utf-8") as f:
        f.write(HEAD.format(title=name, parts=lines, root=ROOT))
        f.write("\n" + declare([t for _, t in parts], files_dirs))
    return ini


def golden_parts(text):
    parts, part, cur = [], "main", []
    for line in text.splitlines(keepends=True):
        m = re.match(r"%%% (front|main|back|annex)\s*$", line)
        if m:
            if "".join(cur).strip():
                parts.append((part, "".join(cur)))
            part, cur = m.group(1), []
        else:
            cur.append(line)
    if "".join(cur).strip():
        parts.append((part, "".join(cur)))
    return parts


def main():
    outdir = sys.argv[1]
    for kind in ("doc", "latex"):
        base = os.path.join(ROOT, "tests", "golden", kind)
        for case in sorted(os.listdir(base)):
            src = os.path.join(base, case, "input.md")
            if case.startswith("_") or not os.path.isfile(src):
                continue
            with open(src, encoding="utf-8") as f:
                parts = golden_parts(f.read())
            name = f"{kind}/{case}"
            ini = write_case(outdir, name, parts, [os.path.join(base, "_files")])
            tag = f"error:{EXPECTED_ERRORS[name]}" if name in EXPECTED_ERRORS else "golden"
            print(f"{name}\t{ini}\t{tag}")
    fixture = os.path.join(ROOT, "tests", "bad", "_fixtures", "chapter.md")
    with open(fixture, encoding="utf-8") as f:
        ini = write_case(outdir, "bad-fixture", [("main", f.read())], [])
    print(f"bad/_fixtures/chapter\t{ini}\tgolden")
    corpus = os.path.join(ROOT, "fuzz", "corpus", "fuzz_doc_pdf")
    order = ("main", "back", "annex", "front")
    for seed in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, seed), "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # bad UTF-8 is refused by design; nothing to conserve
        parts = [(order[i % 4], t) for i, t in enumerate(text.split("\f"))]
        ini = write_case(outdir, f"fuzz-{seed}", parts, [])
        print(f"fuzz/{seed}\t{ini}\tfuzz")


if __name__ == "__main__":
    main()
