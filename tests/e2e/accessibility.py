#!/usr/bin/python3
"""The accessibility checker (pdf_access.py) over reportc's PDFs:

1. the sample report, with every chapter paragraph in the structure tree in
   the order of the INI's front/chapters/back/annexes;
2. the golden test document tests/golden/doc/basic and the bad-input
   fixture chapter with a figure (a small configuration of their own);
3. generated documents (a fixed seed, so runs repeat): random heading
   levels that skip, nested lists, tables, quotes, links, footnotes, long
   words that hyphenate, code blocks, with and without cover and contents;
   and the pipeline fuzz target's corpus (fuzz/corpus/fuzz_doc_pdf);
4. a self-test: broken copies of the sample (a Figure without /Alt, an
   untagged painting operator, a skipped heading level, an annotation out
   of the tree, XMP and Info that disagree) must each fail.

usage: accessibility.py REPORTC"""
import configparser
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import pikepdf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import pdf_access  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def build(reportc, ini, env=None):
    e = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")
    r = subprocess.run([reportc, "build", ini, "-q", "--only", "pdf"], capture_output=True, text=True, env=e)
    if r.returncode != 0:
        fail(f"{ini}: reportc failed: {r.stderr.strip()[:300]}")
        return None
    return r


def check(pdf, chapters=None, light=False):
    c = pdf_access.Checker(pdf)
    c.content()
    c.tree()
    c.semantics()
    c.annotations()
    c.document()
    if light:  # the self-test's broken copies: no fonts, pdftotext or pdfinfo
        return c
    c.fonts_check()
    c.hyphenation()
    if chapters:
        c.chapters(chapters)
    else:
        c.struct_text()
    return c


def sample(reportc, tmp):
    ini = os.path.join(ROOT, "config", "iuc-lac-2019.ini")
    out = os.path.join(tmp, "sample")
    r = subprocess.run([reportc, "build", ini, "-q", "--only", "pdf", "-o", out], capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1577836800"))
    if r.returncode != 0:
        fail(f"sample: {r.stderr[:300]}")
        return None
    cp = configparser.ConfigParser(interpolation=None, strict=False)
    cp.read(ini, encoding="utf-8")
    doc = cp["document"]
    files = []
    for key in ("front", "chapters", "back", "annexes"):
        for f in doc.get(key, "").replace("\n", " ").split(","):
            if f.strip():
                files.append(os.path.join(os.path.dirname(ini), f.strip()))
    pdf = os.path.join(out, "iuc-lac-2019.pdf")
    c = check(pdf, files)
    for f in c.fail:
        fail(f"sample: {f}")
    if c.paragraphs < 50:
        fail(f"sample: only {c.paragraphs} chapter paragraphs compared")
    if c.hyphenated < 10:
        fail(f"sample: only {c.hyphenated} hyphenated words seen (hyphenation off?)")
    print(f"sample: {len(c.passed)} checks passed, {len(c.order)} elements, {len(c.mcids)} MCIDs, "
          f"{c.annots} links, {c.paragraphs} paragraphs in order, {c.hyphenated} hyphenated words whole")
    return pdf


FIXTURE = """[report]
title = {title}
year = 2020
language = en
{extra}
[output]
directory = out
formats = pdf

[document]
cover = {cover}
imprint = no
back_cover = no
{toc}chapters = {chapters}

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

[metric respondents]
source = survey

[metric eu]
source = survey
where = continent = EU

[aggregate relevance]
source = survey
kind = distribution
field = continent

[figure relevance]
type = bar
aggregate = relevance
caption = Respondents by continent
source = Test data
{alt}"""


def small(reportc, tmp, name, chapters, cover="no", toc=False, extra="", alt=""):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    ini = os.path.join(d, "case.ini")
    with open(ini, "w", encoding="utf-8") as f:
        f.write(FIXTURE.format(title=f"Test {name}", chapters=", ".join(chapters), cover=cover, root=ROOT,
                               toc="contents = yes\n" if toc else "", extra=extra, alt=alt))
    if not build(reportc, ini):
        return None
    pdfs = [os.path.join(d, "out", x) for x in os.listdir(os.path.join(d, "out")) if x.endswith(".pdf")]
    c = check(pdfs[0])
    for f in c.fail:
        fail(f"{name}: {f}")
    c.pdf_path = pdfs[0]
    return c


def alt_texts(c):
    return [str(e.Alt) for e in c.order if str(e.get("/S")) == "/Figure"]


def alt_override(reportc, tmp):
    """The generated alternative text names the data; 'alt =' replaces it."""
    d = os.path.join(tmp, "alt-doc")
    os.makedirs(d, exist_ok=True)
    md = os.path.join(d, "ch.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("# Chapter\n\nSome text before the figure, long enough to be a paragraph.\n\n![](figure:relevance)\n")
    c = small(reportc, tmp, "alt-generated", [md])
    got = alt_texts(c) if c else []
    if got != [] and not (got[0].startswith("Bar chart: Respondents by continent.") and "European Union" in got[0]):
        fail(f"generated alt text: {got}")
    if not got:
        fail("alt-generated: no Figure")
    c = small(reportc, tmp, "alt-override", [md], alt="alt = Most respondents are European.\n")
    got = alt_texts(c) if c else []
    if got != ["Most respondents are European."]:
        fail(f"alt = did not replace the generated text: {got}")
    print("alt: generated from the data, replaced by 'alt ='")


WORDS = ("regional innovation policy cooperation internationalisation decentralisation "
         "specialisation interregional competitiveness entrepreneurial Bielsko-Biała agri-food "
         "EU–Latin pairing strategy partnership Castilla Córdoba Śląskie participatory").split()


def sentence(rng, n):
    ws = [rng.choice(WORDS) for _ in range(n)]
    out = []
    for w in ws:
        r = rng.random()
        if r < 0.05:
            w = f"*{w}*"
        elif r < 0.08:
            w = f"**{w}**"
        elif r < 0.10:
            w = f"[{w}](https://example.org/{rng.randrange(100)})"
        out.append(w)
    return " ".join(out).capitalize() + "."


def generated(rng, k, fig):
    notes = []
    lines = [f"# Generated chapter {k}", ""]
    for b in range(rng.randrange(6, 14)):
        r = rng.random()
        if r < 0.25:
            lines += ["#" * rng.randrange(2, 5) + " " + sentence(rng, 3).rstrip("."), ""]
        elif r < 0.40:
            depth = rng.randrange(1, 3)
            for i in range(rng.randrange(2, 5)):
                lines.append(("1. " if rng.random() < 0.5 else "- ") + sentence(rng, 6))
                if depth > 1:
                    lines.append("   - " + sentence(rng, 4))
            lines.append("")
        elif r < 0.50:
            n = rng.randrange(2, 4)
            lines.append("| " + " | ".join(rng.choice(WORDS) for _ in range(n)) + " |")
            lines.append("|" + "---|" * n)
            for i in range(rng.randrange(1, 5)):
                lines.append("| " + " | ".join(sentence(rng, rng.randrange(1, 4)) for _ in range(n)) + " |")
            lines.append("")
        elif r < 0.57:
            lines += ["> " + sentence(rng, 12), ""]
        elif r < 0.62:
            lines += ["```", "code " + " ".join(rng.choice(WORDS) for _ in range(5)), "```", ""]
        elif r < 0.66 and not fig[0]:
            fig[0] = True
            lines += ["![](figure:relevance)", ""]
        else:
            p = sentence(rng, rng.randrange(20, 80))
            if rng.random() < 0.3:
                n = len(notes) + 1
                p += f"[^n{k}x{n}]"
                notes.append(f"[^n{k}x{n}]: " + sentence(rng, 10))
            lines += [p, ""]
    return "\n".join(lines + [""] + notes) + "\n"


def generated_docs(reportc, tmp, count=6):
    rng = random.Random(15)
    for k in range(count):
        d = os.path.join(tmp, f"gen{k}")
        os.makedirs(d, exist_ok=True)
        files = []
        fig = [False]  # a figure is placed once
        for ch in range(rng.randrange(1, 3)):
            f = os.path.join(d, f"ch{ch}.md")
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(generated(rng, ch, fig))
            files.append(f)
        extra = "authors = A. Author | B. Author\n" if k % 2 else ""
        c = small(reportc, tmp, f"gen{k}", files, cover="yes" if k % 2 else "no", toc=k % 3 == 0, extra=extra)
        if c:
            print(f"gen{k}: {len(c.passed)} checks passed, {len(c.order)} elements")


def fuzz_corpus(reportc, tmp):
    """The pipeline fuzz target's corpus (fuzz/corpus/fuzz_doc_pdf) as
    chapters: inputs that this small configuration cannot build (unknown
    floats, bad UTF-8: the corpus holds bad inputs on purpose) are skipped;
    every PDF that is written must pass."""
    corpus = os.path.join(ROOT, "fuzz", "corpus", "fuzz_doc_pdf")
    built = skipped = 0
    for name in sorted(os.listdir(corpus)):
        d = os.path.join(tmp, "fz-" + name)
        os.makedirs(d, exist_ok=True)
        md = os.path.join(d, "ch.md")
        shutil.copy(os.path.join(corpus, name), md)
        ini = os.path.join(d, "case.ini")
        with open(ini, "w", encoding="utf-8") as f:
            f.write(FIXTURE.format(title=f"Corpus {name}", chapters=md, cover="yes", root=ROOT, toc="",
                                   extra="", alt=""))
        r = subprocess.run([reportc, "build", ini, "-q", "--only", "pdf"], capture_output=True, text=True,
                           env=dict(os.environ, SOURCE_DATE_EPOCH="1577836800"))
        if r.returncode != 0:
            skipped += 1
            continue
        pdf = os.path.join(d, "out", "case.pdf")
        c = check(pdf, light=True)
        for f in c.fail:
            fail(f"corpus {name}: {f}")
        built += 1
    if built < 5:
        fail(f"fuzz corpus: only {built} inputs built")
    print(f"fuzz corpus: {built} documents checked, {skipped} bad inputs skipped")


def mutate(src, tmp, name, fn):
    pdf = pikepdf.open(src)
    fn(pdf)
    out = os.path.join(tmp, f"broken-{name}.pdf")
    pdf.save(out, static_id=True)
    return out


def selftest(src, tmp):
    def first(pdf, s):
        for o in pdf.objects:
            if isinstance(o, pikepdf.Dictionary) and o.get("/S") == s:
                return o

    def no_alt(pdf):
        del first(pdf, "/Figure").Alt

    def skip_heading(pdf):
        first(pdf, "/H2").S = pikepdf.Name("/H4")

    def untagged(pdf):
        page = pdf.pages[3]
        data = page.Contents.read_bytes() + b"\n0 0 m 10 10 l S\n"
        page.Contents = pdf.make_stream(data)

    def annot_out(pdf):
        for p in pdf.pages:
            for a in p.obj.get("/Annots", []):
                del a.StructParent
                del a.Contents
                return

    def xmp_info(pdf):
        pdf.trailer.Info.Title = pikepdf.String("Another title")

    cases = {"no-alt": (no_alt, "13-004"), "skipped-heading": (skip_heading, "14-003"),
             "untagged-path": (untagged, "01-005"), "annotation": (annot_out, "28-012"),
             "info-xmp": (xmp_info, "pdfa-info-xmp")}
    for name, (fn, code) in cases.items():
        out = mutate(src, tmp, name, fn)
        c = check(out, light=True)
        if not any(f.startswith(code) for f in c.fail):
            fail(f"self-test: the checker missed {code} in a PDF broken on purpose ({name}): {c.fail[:3]}")
    print(f"self-test: {len(cases)} broken PDFs rejected")


def main():
    reportc = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="rc-a11y-")
    try:
        pdf = sample(reportc, tmp)
        small(reportc, tmp, "golden-basic", [os.path.join(ROOT, "tests/golden/doc/basic/input.md")])
        small(reportc, tmp, "fixture", [os.path.join(ROOT, "tests/bad/_fixtures/chapter.md")], cover="yes", toc=True)
        generated_docs(reportc, tmp)
        alt_override(reportc, tmp)
        fuzz_corpus(reportc, tmp)
        if pdf:
            selftest(pdf, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("accessibility: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
