#!/usr/bin/python3
"""Writes a Typst document of a report's chapters, for bench/compare.py.

usage: bench/md2typ.py CONFIG.ini OUT.typ [--font-dir fonts]

The chapters named in [document] (front, chapters, back, annexes) are turned
from Markdown into Typst markup: headings, paragraphs, bold and italic, links,
bullet and numbered lists, pipe tables. Tables and boxes referenced from the
text ([](table:x), boxes in the INI) are inlined from their Markdown files.
What reportc computes and Typst cannot (metric placeholders, charts) becomes
a fixed number and a grey box of a figure's size, so both programs set the
same text on about the same number of pages; the comparison is of typesetting
the same chapters, not of the whole pipeline. Page size, margins, font (Lato,
from the repository) and hyphenation (British English) follow the sample.
This is a benchmark helper only; nothing in the build uses it."""
import configparser, os, re, sys

SPECIAL = re.compile(r'([\\#$*_`<>@\[\]~=/+\-"])')


def esc(s):
    return SPECIAL.sub(r"\\\1", s)


def inline(s):
    """Markdown inline markup -> Typst markup (enough for the sample)."""
    out, i = [], 0
    pat = re.compile(r"\{\{figure:[^}]*\}\}|\{\{table:[^}]*\}\}|\{\{box:[^}]*\}\}|\{\{[^}]*\}\}"
                     r"|\*\*(.+?)\*\*|\*(.+?)\*|_(.+?)_|`([^`]*)`|\[([^\]]*)\]\(([^)]*)\)")
    for m in pat.finditer(s):
        out.append(esc(s[i:m.start()]))
        t = m.group(0)
        if t.startswith("{{figure:") or t.startswith("{{table:") or t.startswith("{{box:"):
            out.append("Figure 1")
        elif t.startswith("{{"):
            out.append("42")  # a metric value
        elif m.group(1) is not None:
            out.append("#strong[" + inline(m.group(1)) + "]")
        elif m.group(2) is not None or m.group(3) is not None:
            out.append("#emph[" + inline(m.group(2) or m.group(3)) + "]")
        elif m.group(4) is not None:
            out.append("#raw(" + '"' + m.group(4).replace("\\", "\\\\").replace('"', '\\"') + '")')
        else:
            text, url = m.group(5), m.group(6)
            if url.startswith(("figure:", "table:", "box:")):
                out.append("")  # a float reference handled at block level
            else:
                out.append('#link("' + url.replace('"', '\\"') + '")[' + inline(text) + "]")
        i = m.end()
    out.append(esc(s[i:]))
    return "".join(out)


def table(rows):
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    cells = [r for r in cells if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    n = max(len(r) for r in cells)
    body = ", ".join("[" + inline(c) + "]" for r in cells for c in r + [""] * (n - len(r)))
    return f"#table(columns: {n}, inset: 4pt, stroke: 0.5pt + luma(180), {body})\n"


def convert(md, base, floats):
    out, para, lines = [], [], md.split("\n")
    i = 0

    def flush():
        if para:
            out.append(inline(" ".join(para)) + "\n")
            para.clear()

    while i < len(lines):
        ln = lines[i]
        m = re.match(r"(#{1,6})\s+(.*)", ln)
        if m:
            flush()
            out.append("=" * len(m.group(1)) + " " + inline(m.group(2)) + "\n")
        elif not ln.strip():
            flush()
            out.append("")
        elif re.fullmatch(r"\s*!?\[[^\]]*\]\((figure|table|box):([^)]*)\)\s*", ln):
            flush()
            kind, name = re.fullmatch(r"\s*!?\[[^\]]*\]\((figure|table|box):([^)]*)\)\s*", ln).groups()
            if kind == "figure":
                out.append('#figure(rect(width: 100%, height: 7cm, fill: luma(230)), '
                           f'caption: [{esc(name)}])\n')
            elif name in floats:
                out.append(convert(open(os.path.join(base, floats[name])).read(), base, floats))
        elif ln.lstrip().startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            out.append(table(rows))
            continue
        elif re.match(r"\s*([-*+]|\d+\.)\s+", ln):
            flush()
            m = re.match(r"\s*([-*+]|\d+\.)\s+(.*)", ln)
            item = [m.group(2)]
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r"\s*([-*+]|\d+\.)\s+", lines[i]):
                item.append(lines[i].strip())
                i += 1
            mark = "-" if m.group(1) in "-*+" else "+"
            out.append(mark + " " + inline(" ".join(item)) + "\n")
            continue
        elif ln.startswith(">"):
            para.append(ln.lstrip("> "))
        else:
            para.append(ln.strip())
        i += 1
    flush()
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    font_dir = "fonts"
    if "--font-dir" in args:
        k = args.index("--font-dir")
        font_dir = args[k + 1]
        del args[k:k + 2]
    ini, dest = args
    cp = configparser.ConfigParser(interpolation=None, strict=False, comment_prefixes=(";", "#"),
                                   inline_comment_prefixes=None)
    cp.read(ini, encoding="utf-8")
    base = os.path.dirname(os.path.abspath(ini))
    floats = {}
    for sec in cp.sections():
        m = re.match(r"(table|box)\s+(\S+)", sec)
        if m and cp.has_option(sec, "file"):
            floats[m.group(2)] = cp.get(sec, "file")
    doc = cp["document"]
    files = []
    for key in ("front", "chapters", "back", "annexes"):
        if key in doc:
            files += [f.strip() for f in doc[key].replace("\n", " ").split(",") if f.strip()]
    title = cp.get("report", "title", fallback="Report")
    parts = ['#set page(paper: "a4", margin: (x: 2.75cm, y: 2.5cm), numbering: "1")',
             '#set text(font: "Lato", size: 10pt, lang: "en", region: "gb", hyphenate: true)',
             "#set par(justify: true, leading: 0.55em)",
             "#set heading(numbering: \"1.1\")",
             f"#align(center)[#text(size: 24pt)[{esc(title)}]]",
             "#pagebreak()", "#outline()", "#pagebreak()"]
    for f in files:
        parts.append(convert(open(os.path.join(base, f), encoding="utf-8").read(), base, floats))
        parts.append("#pagebreak(weak: true)")
    with open(dest, "w", encoding="utf-8") as out:
        out.write("\n".join(parts) + "\n")


main()
