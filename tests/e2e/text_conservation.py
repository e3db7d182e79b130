#!/usr/bin/python3
"""Text conservation: nothing the author wrote is lost on the way to the PDF.

usage: text_conservation.py CONFIG.ini REPORT.pdf

The prose is every Markdown file of [document] (front, chapters, back,
annexes), every box and table file, and the captions, notes and sources of
the figures and tables, with Markdown removed by cmark-gfm (-t plaintext)
and placeholders expanded: {{figure:X}} is "Figure", {{table:X}} "Table",
{{box:X}} "Box"; metric and aggregate placeholders and {{#...}} give numbers,
and words here are runs of letters, so numbers are not compared (the
published-facts tests check them). Then, against `pdftotext -raw` (drawing order, line-end hyphens kept):
  1. every word occurs in the PDF at least as often as in the prose
     (a footnote or note that loses sentences fails here);
  2. the words of each block (paragraph, list item, table row, footnote,
     caption) appear in the PDF in the same order (a subsequence of the
     PDF's words; a word broken by hyphenation at a line end matches too);
  3. no word is drawn outside its page's box (pdftotext -bbox).
Prints one line per failure and exits 1 if there was any."""

import collections
import configparser
import html
import os
import re
import subprocess
import sys

ini, pdf = sys.argv[1:3]
here = os.path.dirname(os.path.abspath(ini))
bad = []

cfg = configparser.RawConfigParser(strict=False, inline_comment_prefixes=None,
                                   comment_prefixes=(";", "#"))
cfg.read(ini, encoding="utf-8")

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
PH = re.compile(r"\{\{\s*(#?)\s*([^}|]*?)\s*(\|[^}]*)?\}\}")


def expand(text):
    def one(m):
        if m.group(1):
            return " "
        name = m.group(2)
        for kind, word in (("figure:", "Figure"), ("table:", "Table"), ("box:", "Box")):
            if name.startswith(kind):
                return word
        return " "  # a number
    return PH.sub(one, text)


def words(text):
    return [w.lower() for w in WORD.findall(text.replace("’", "'"))]


def plain(md):
    out = subprocess.run(["cmark-gfm", "-e", "table", "-e", "footnotes", "-e", "strikethrough",
                          "-t", "plaintext", "--width", "0"],
                         input=md, capture_output=True, text=True, check=True).stdout
    out = re.sub(r"\[\^[^\]]*\]:?", " ", out)        # footnote references and labels
    out = re.sub(r"^\|?\s*-{3,}.*$", " ", out, flags=re.M)  # table rule rows
    out = out.replace("|", " ")
    return out


def blocks_of(text):
    return [b for b in re.split(r"\n\s*\n", text) if b.strip()]


def listed(key):
    v = cfg["document"].get(key, "") if cfg.has_section("document") else ""
    return [p.strip() for p in re.split(r"[,\n]", v) if p.strip()]


prose = []  # blocks of words
for key in ("front", "chapters", "back", "annexes"):
    for rel in listed(key):
        md = open(os.path.join(here, rel), encoding="utf-8").read()
        md = re.sub(r"!\[\]\((figure|table|box):[^)]*\)", " ", md)  # placements
        # heading attributes ({#id}, {short_title="..."}, {share_page=yes}) are not prose
        md = re.sub(r"^(#{1,6} .*?)\s*\{[^{}]*\}\s*$", r"\1", md, flags=re.M)
        for b in blocks_of(plain(expand(md))):
            prose.append(words(b))
for sec in cfg.sections():
    kind = sec.split(" ", 1)[0]
    s = cfg[sec]
    if kind in ("box", "table") and s.get("file"):
        md = open(os.path.join(here, s["file"]), encoding="utf-8").read()
        for b in blocks_of(plain(expand(md))):
            prose.append(words(b))
    if kind in ("figure", "table", "box"):
        for key in ("caption", "note", "source", "title"):
            if s.get(key):
                prose.append(words(expand(" ".join(s[key].split()))))
prose = [b for b in prose if b]

text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                      check=True).stdout
# Tokens; a word broken by hyphenation at a line end ("exam-" / "ple") is a
# pair that matches either the joined word or its two parts.
tokens = []
for line in text.splitlines():
    ws = words(line)
    hyph = line.rstrip().endswith("-") and ws
    tokens.append(("line", ws, bool(hyph)))
stream = []  # (word, joined_with_next or None)
for i, (_, ws, hyph) in enumerate(tokens):
    for k, w in enumerate(ws):
        joined = None
        if hyph and k == len(ws) - 1:
            nxt = next((t[1] for t in tokens[i + 1:] if t[1]), None)
            if nxt:
                joined = w + nxt[0]
        stream.append((w, joined))

# 1. counts
have = collections.Counter(w for w, _ in stream)
for w, j in stream:
    if j:
        have[j] += 1
need = collections.Counter(w for b in prose for w in b)
lost = {w: (n, have.get(w, 0)) for w, n in need.items() if have.get(w, 0) < n}
for w, (n, h) in sorted(lost.items())[:20]:
    bad.append(f"word '{w}': {n} in the prose, {h} in the PDF")
if len(lost) > 20:
    bad.append(f"... and {len(lost) - 20} more words short in the PDF")


# 2. order, block by block
def in_order(block):
    i = 0
    for w in block:
        while i < len(stream):
            tok, joined = stream[i]
            if joined == w:
                i += 2
                break
            i += 1
            if tok == w:
                break
        else:
            return w
    return None


misordered = 0
for b in prose:
    w = in_order(b)
    if w is not None:
        misordered += 1
        if misordered <= 10:
            bad.append(f"block '{' '.join(b[:8])} ...' ({len(b)} words): order lost at '{w}'")

# 3. inside the page box
bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                      check=True).stdout
outside = 0
for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S):
    pw, ph = float(page.group(1)), float(page.group(2))
    for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                         r'yMax="([-\d.]+)">(.*?)</word>', page.group(3)):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        if x0 < -0.5 or y0 < -0.5 or x1 > pw + 0.5 or y1 > ph + 0.5:
            outside += 1
            if outside <= 5:
                bad.append(f"'{html.unescape(m.group(5))}' drawn outside the page "
                           f"({x0:.0f},{y0:.0f})-({x1:.0f},{y1:.0f}) of {pw:.0f}x{ph:.0f}")

nwords = sum(len(b) for b in prose)
for b in bad:
    print("FAIL:", b)
print(f"text conservation: {nwords} words in {len(prose)} blocks, {len(stream)} words in the "
      f"PDF; {len(lost)} words short, {misordered} blocks out of order, {outside} words outside "
      f"the page")
sys.exit(1 if bad else 0)
