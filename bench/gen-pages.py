#!/usr/bin/python3
"""Writes a copy of a report whose body chapters are repeated, for the pages
curve of bench/compare.py.

usage: bench/gen-pages.py CONFIG.ini OUTDIR REPEATS

OUTDIR receives the config's folder and INI with the `chapters =` list
followed by REPEATS renamed copies of itself. Figures, tables and boxes are
placed once each, so every copy gets its own [figure x_rK], [table x_rK] and
[box x_rK] sections (the same data and chart) and its references are renamed
to match: a repeated report does the same work per page as the sample (text,
hyphenation, charts, tables), not text alone."""
import os, re, shutil, sys

ini, outdir, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = os.path.dirname(os.path.abspath(ini))
text = open(ini, encoding="utf-8").read()
os.makedirs(outdir, exist_ok=True)
# Copy every folder the INI refers to (the sample keeps them beside the INI).
for entry in os.listdir(base):
    src = os.path.join(base, entry)
    if os.path.isdir(src) and not os.path.exists(os.path.join(outdir, entry)):
        shutil.copytree(src, os.path.join(outdir, entry))

m = re.search(r"^chapters\s*=\s*(.*?)(?=^\S)", text, re.S | re.M)
files = [f.strip() for f in m.group(1).replace("\n", " ").split(",") if f.strip()]
floats = re.findall(r"^\[(figure|table|box)\s+(\S+)\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
used = set()
for f in files:
    used |= set(re.findall(r"\b(?:figure|table|box):([A-Za-z0-9_]+)",
                           open(os.path.join(base, f), encoding="utf-8").read()))
floats = [fl for fl in floats if fl[1] in used]
extra_files, extra_sections = [], []
for k in range(repeats):
    suffix = f"_r{k}"
    for f in files:
        body = open(os.path.join(base, f), encoding="utf-8").read()
        body = re.sub(r"\b(figure|table|box):([A-Za-z0-9_]+)", rf"\1:\2{suffix}", body)
        nf = re.sub(r"\.md$", f"{suffix}.md", f)
        with open(os.path.join(outdir, nf), "w", encoding="utf-8") as out:
            out.write(body)
        extra_files.append(nf)
    for kind, name, sec in floats:
        extra_sections.append(f"[{kind} {name}{suffix}]\n{sec}")
chapters = "chapters = " + ", ".join(files + extra_files) + "\n"
text = text[:m.start()] + chapters + text[m.end():]
text = text.rstrip("\n") + "\n\n" + "\n".join(extra_sections)
with open(os.path.join(outdir, os.path.basename(ini)), "w", encoding="utf-8") as out:
    out.write(text)
