#!/usr/bin/python3
"""Typographic figures of a built report, read back from the PDF (PyMuPDF):

- hyphenation: line ends that break a word with a hyphen, over the full
  lines (every line of a text block but its last), and the longest run of
  consecutive hyphenated lines;
- word gaps: on every justified line (a full line of a text block that ends
  where at least one other full line of the block ends: the right edge of
  its column), the widest gap between two words, in ems of the line's font
  size (glyph edge to glyph edge, the space and its stretch); the gap after
  a leading number or bullet (footnote, heading, list) is fixed, not
  stretched, and is left out;
- empty area: for each page, the part of the text area (the layout's body
  box, src/layout/layout_int.h) holding nothing: the space below the last
  thing on the page plus every vertical gap taller than three lines.

Usage: typography.py FILE.pdf [--max-hyph PCT] [--max-run N] [--max-gap EM]
                              [--max-empty PCT] [--verbose]
Prints the figures; with limits, exits 1 when one is exceeded, naming the
page. A page whose successor opens a chapter (a level-1 outline entry), the
last page, and the pages before the first chapter's (cover, front matter
parts, contents) are reported but not held to --max-empty: they end a part.
"""
import sys

import fitz  # python3-fitz

PAGE_H = 841.890
BODY_TOP = 88.0  # PDF y 753.89 from the top edge
BODY_BOTTOM = PAGE_H - 86.0
BODY_LEFT, BODY_RIGHT = 77.95, 595.276 - 77.95
GAP = 36.0  # a vertical gap taller than this counts as empty


def hyphen_end(text):
    t = text.rstrip()
    return t.endswith("-") or t.endswith("\u2010")


def lines_of(page):
    """Text lines as (x0, y0, x1, y1, text), grouped by block."""
    blocks = []
    for b in page.get_text("dict")["blocks"]:
        if b.get("type") != 0:
            continue
        lines = []
        for ln in b["lines"]:
            text = "".join(s["text"] for s in ln["spans"])
            if text.strip():
                lines.append((*ln["bbox"], text))
        if lines:
            blocks.append(lines)
    return blocks


def word_gaps(page):
    """(widest gap in em, line text) of each justified line of the page."""
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        if b.get("type") != 0:
            continue
        lines = []
        for ln in b["lines"]:
            chars = [c for s in ln["spans"] for c in s["chars"]]
            ink = [c for c in chars if not c["c"].isspace()]
            if ink and BODY_TOP - 2 < ln["bbox"][1] and ln["bbox"][3] < BODY_BOTTOM + 2:
                size = max(s["size"] for s in ln["spans"])
                lines.append((chars, ink[-1]["bbox"][2], size))
        full = lines[:-1]
        if len(full) < 2:
            continue
        right = max(x1 for _, x1, _ in full)
        if sum(1 for _, x1, _ in full if right - x1 < 0.6) < 2:
            continue  # ragged text: no common right edge
        for chars, x1, size in full:
            if right - x1 >= 0.6:
                continue
            words, cur, gaps, space = [], "", [], False
            end = None
            for c in chars:
                if c["c"].isspace():
                    space = True
                    continue
                if space and end is not None:
                    gaps.append(c["bbox"][0] - end)
                    words.append(cur)
                    cur = ""
                space = False
                cur += c["c"]
                end = c["bbox"][2]
            words.append(cur)
            if gaps and (words[0].rstrip(".").replace(".", "").isdigit() or words[0] in ("\u2022", "\u2013", "-")):
                gaps = gaps[1:]
            if len(gaps) >= 2:
                out.append((max(gaps) / size, " ".join(words)[:60]))
    return out


def rows(blocks):
    """Merges a page's lines into visual rows (same baseline band, same
    column), in reading order, so words fitz split into separate lines count
    once."""
    out = []
    for lines in blocks:
        for x0, y0, x1, y1, t in lines:
            out.append([x0, y0, x1, y1, t])
    out.sort(key=lambda r: (round(r[3]), r[0]))
    merged = []
    for r in out:
        if merged:
            m = merged[-1]
            if abs(m[3] - r[3]) < 1.5 and r[0] - m[2] < 30:
                m[2] = max(m[2], r[2])
                m[4] = m[4] + " " + r[4]
                continue
        merged.append(r)
    return merged


def page_figures(page):
    blocks = lines_of(page)
    # hyphenation: within each block, every line but the last is a full line
    full = hyph = 0
    run = longest = 0
    runs = []
    for lines in blocks:
        body = [ln for ln in lines if BODY_TOP - 2 < ln[1] and ln[3] < BODY_BOTTOM + 2]
        run = 0
        for i, ln in enumerate(body[:-1]):
            if "....." in ln[4]:
                run = 0
                continue  # a contents or list entry with dot leaders
            full += 1
            nxt = body[i + 1][4].lstrip()
            if hyphen_end(ln[4]) and nxt[:1].isalpha() and nxt[:1].islower():
                hyph += 1
                run += 1
                longest = max(longest, run)
                if run >= 2:
                    runs.append((run, ln[4].strip()[-30:]))
            else:
                run = 0
    # coverage of the body box's height
    spans = []
    for lines in blocks:
        for x0, y0, x1, y1, _ in lines:
            spans.append((y0, y1))
    for d in page.get_drawings():
        r = d["rect"]
        if r.width > 400 and r.height > 600:
            continue  # a full-page background
        spans.append((r.y0, r.y1))
    for img in page.get_image_info():
        b = img["bbox"]
        spans.append((b[1], b[3]))
    spans = sorted((max(a, BODY_TOP), min(b, BODY_BOTTOM)) for a, b in spans)
    spans = [(a, b) for a, b in spans if b > a]
    empty = 0.0
    cur = BODY_TOP
    for a, b in spans:
        if a - cur > GAP:
            empty += a - cur
        cur = max(cur, b)
    empty += BODY_BOTTOM - cur
    return full, hyph, longest, empty / (BODY_BOTTOM - BODY_TOP), bool(spans)


def main(argv):
    args = list(argv[1:])
    verbose = "--verbose" in args
    if verbose:
        args.remove("--verbose")
    lim = {}
    for key in ("--max-hyph", "--max-run", "--max-gap", "--max-empty"):
        if key in args:
            k = args.index(key)
            lim[key] = float(args[k + 1])
            del args[k : k + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    doc = fitz.open(args[0])
    starts = sorted({p - 1 for lvl, _, p in doc.get_toc() if lvl == 1})
    first_chapter = starts[0] if starts else 0
    full = hyph = longest = 0
    fails = []
    holes = []
    gap = (0.0, 0, "")
    for i, page in enumerate(doc):
        for g, text in word_gaps(page):
            if g > gap[0]:
                gap = (g, i + 1, text)
        f, h, run, empty, has = page_figures(page)
        full += f
        hyph += h
        longest = max(longest, run)
        ends_part = i + 1 in starts or i == len(doc) - 1 or i < first_chapter
        if verbose:
            print(f"page {i + 1}: {f} full lines, {h} hyphenated, longest run {run}, "
                  f"empty {100 * empty:.0f}%{' (ends a part)' if ends_part else ''}")
        if not ends_part and has:
            holes.append((empty, i + 1))
    ratio = 100.0 * hyph / full if full else 0.0
    holes.sort(reverse=True)
    over = [(e, p) for e, p in holes if "--max-empty" in lim and 100 * e > lim["--max-empty"]]
    print(f"pages {len(doc)}; full lines {full}; hyphenated {hyph} ({ratio:.1f}%); "
          f"longest hyphen run {longest}; worst word gap {gap[0]:.2f} em (p{gap[1]}: {gap[2]!r}); "
          f"body pages {len(holes)}; "
          f"worst empty " + ", ".join(f"p{p} {100 * e:.0f}%" for e, p in holes[:5]))
    if "--max-hyph" in lim and ratio > lim["--max-hyph"]:
        fails.append(f"hyphenated line ends {ratio:.1f}% > {lim['--max-hyph']}%")
    if "--max-run" in lim and longest > lim["--max-run"]:
        fails.append(f"a run of {longest} hyphenated lines > {lim['--max-run']:.0f}")
    if "--max-gap" in lim and gap[0] > lim["--max-gap"]:
        fails.append(f"page {gap[1]}: a justified line with a word gap of {gap[0]:.2f} em > "
                     f"{lim['--max-gap']} em: {gap[2]!r}")
    for e, p in over:
        fails.append(f"page {p}: {100 * e:.1f}% of the text area empty > {lim['--max-empty']}%")
    for f in fails:
        print(f"{args[0]}: error: {f}", file=sys.stderr)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
