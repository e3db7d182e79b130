#!/usr/bin/python3
"""Column headers of the sample's workbooks in every edition (issue 19).

usage: workbook_headers.py OUTDIR BASENAME

For each edition (en, es, pt) and both workbooks, every Excel table (or
autofiltered header row) is read with openpyxl: its header row must not
repeat a text (not even one made unique by a number, "Country (2)"), and
every column whose cells are all numbers must say its unit in its header
("... (%)", "... (number)", "... (1–5)"), unless the table has a column
giving the unit per row (the key figures' Unit, the Metrics' Format). The
figures' headers must say what their numbers count, in the edition's
language, as the definitions give it: the survey's rows are respondents
(its key field's label), the regions by country count regions. Prints one
line per failure; exits 1 if there was any."""

import os
import re
import sys

import openpyxl
from openpyxl.utils.cell import range_boundaries

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tally  # noqa: E402
from tally import bad, ok  # noqa: E402

outdir, base = sys.argv[1:3]


# The words an edition uses for the units and for the per-row unit columns.
UNITS = {"en": ("%", "number"), "es": ("%", "número"), "pt": ("%", "número")}
PER_ROW = {"en": {"Unit", "Format"}, "es": {"Unidad", "Format", "Formato"},
           "pt": {"Unidade", "Format", "Formato"}}

# What the figures' headers read, per edition: (sheet of the figure, the
# header row expected in full).
WANT = {
    "en": {
        "Figure 4": ["Main motivation for taking part", "Share of respondents (%)",
                     "Respondents (number)"],
        "Figure 2": ["Group", "Category", "Regions (number)"],
        "Figure 5": ["Main motivation for taking part",
                     "Share of respondents: European Union (%)",
                     "Share of respondents: Latin America (%)",
                     "Respondents: European Union (number)",
                     "Respondents: Latin America (number)"],
        "Figure 3": ["Label", "Value", "Metric", "Unit"],
    },
    "es": {
        "Figura 4": ["Motivación principal para participar", "Porcentaje de encuestados (%)",
                     "Encuestados (número)"],
        "Figura 2": ["Grupo", "Categoría", "Regiones (número)"],
    },
    "pt": {
        "Figura 4": ["Principal motivação para participar", "Percentagem de inquiridos (%)",
                     "Inquiridos (número)"],
        "Figura 2": ["Grupo", "Categoria", "Regiões (número)"],
    },
}
# Last columns of the Likert figure (relevance, Figure 8): answered and mean.
LIKERT_TAIL = {"en": ["Respondents answering (number)", "Mean (1–5)"],
               "es": ["Encuestados con respuesta (número)", "Media (1–5)"],
               "pt": ["Inquiridos com resposta (número)", "Média (1–5)"]}


def header_rows(ws):
    """(header cells, body rows) of each table of ws, or of its autofilter."""
    refs = [t.ref for t in ws.tables.values()]
    if not refs and ws.auto_filter.ref:
        refs = [ws.auto_filter.ref]
    for ref in refs:
        c0, r0, c1, r1 = range_boundaries(ref)
        head = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
        body = [[ws.cell(r, c).value for c in range(c0, c1 + 1)] for r in range(r0 + 1, r1 + 1)]
        yield head, body


def has_unit(h, lang):
    m = re.search(r"\(([^()]+)\)$", h or "")
    return m is not None and m.group(1) != ""


for lang in ("en", "es", "pt"):
    for kind in ("figures", "data"):
        path = os.path.join(outdir, f"{base}-{lang}-{kind}.xlsx")
        if not ok(os.path.exists(path), f"{path} not written"):
            continue
        wb = openpyxl.load_workbook(path)
        seen = {}
        for ws in wb.worksheets:
            for head, body in header_rows(ws):
                where = f"{lang} {kind} '{ws.title}'"
                seen[ws.title] = head
                ok(all(isinstance(h, str) and h for h in head), f"{where}: empty header {head}")
                stems = [re.sub(r" \(\d+\)$", "", str(h)) for h in head]
                ok(len(set(stems)) == len(stems), f"{where}: header repeats a text: {head}")
                per_row = any(h in PER_ROW[lang] for h in head)
                for j, h in enumerate(head):
                    cells = [r[j] for r in body if r[j] is not None]
                    numeric = cells and all(isinstance(v, (int, float)) for v in cells)
                    if numeric and not per_row:
                        ok(has_unit(h, lang), f"{where}: column of numbers {h!r} has no unit")
        if kind != "figures":
            continue
        for sheet, want in WANT[lang].items():
            ok(seen.get(sheet) == want, f"{lang}: {sheet} header {seen.get(sheet)}, want {want}")
        fig8 = "Figure 8" if lang == "en" else "Figura 8"
        ok((seen.get(fig8) or [])[-2:] == LIKERT_TAIL[lang],
           f"{lang}: {fig8} ends with {(seen.get(fig8) or [])[-2:]}")
        # the unit words are the edition's
        pct, num = UNITS[lang]
        ok(any(h.endswith(f"({num})") for h in seen.get(fig8, []) if h),
           f"{lang}: no '({num})' header in {fig8}")

for m in bad:
    print("FAIL:", m)
print(f"{tally.checks} checks, {len(bad)} failed")
sys.exit(1 if bad else 0)
