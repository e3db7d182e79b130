#!/usr/bin/python3
"""Checks the two workbooks of the sample report through openpyxl.

usage: check_workbooks.py CONFIG.ini DATA.xlsx FIGURES.xlsx METRICS.json EPOCH

Every sheet, table and chart must be present, every number on a figure sheet
must be the one the metrics (reportc metrics --json) and the published facts
give, names keep their accents, and the Cover sheet's provenance must match
the input files. The layout follows the Analysis Function's guidance for
releasing statistics in spreadsheets: Cover, Contents (links), Notes first;
one named Excel table per sheet right below the title and notes line, no
blank rows; charts beside the table; headers with units, never repeated;
print setup one page wide with the header row repeated. Prints one line per
failure and exits 1 if there was any."""

import configparser
import datetime
import hashlib
import json
import os
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from published_facts import ANNEX_NAMES, FACTS, REGIONS_EU, REGIONS_LA  # noqa: E402
import tally  # noqa: E402
from tally import bad, ok  # noqa: E402

ini_path, data_path, fig_path, metrics_path, epoch = sys.argv[1:6]
metrics = json.load(open(metrics_path))


def close(a, b, eps=1e-9):
    return a is not None and b is not None and abs(float(a) - float(b)) <= eps


cfg = configparser.RawConfigParser(strict=False, inline_comment_prefixes=None,
                                   comment_prefixes=(";", "#"))
cfg.read(ini_path, encoding="utf-8")
ini_dir = os.path.dirname(ini_path)


def section(kind):
    return {s.split(" ", 1)[1]: cfg[s] for s in cfg.sections() if s.startswith(kind + " ")}


figures_cfg = section("figure")
tables_cfg = section("table")
sources_cfg = section("source")

# ---------------------------------------------------------------- data workbook
data = openpyxl.load_workbook(data_path)
ok(data.sheetnames == ["Cover", "Contents"] + list(sources_cfg) + ["Fields"],
   f"data sheets {data.sheetnames}, expected Cover, Contents, {list(sources_cfg)}, Fields")
ok(data.active.title == "Cover", "data: Cover is not the active sheet")
dc = data["Contents"]
dlinks = {r[0].value: r[0].hyperlink for r in dc.iter_rows(min_row=3) if r[0].value}
for n in data.sheetnames[2:]:
    h = dlinks.get(n)
    ok(h is not None and h.location == f"'{n}'!A1", f"data Contents: no link to {n} ({h})")
ok(list(dc.tables) == ["contents"] and dc.tables["contents"].ref.startswith("A2:"),
   f"data Contents: tables {dict(dc.tables.items())}")
rows_expected = {"survey": metrics["respondents"], "pairings": metrics["pairings"]}
dwhat = {r[0]: r[1] for r in dc.iter_rows(min_row=3, values_only=True) if r[0]}
for name, n in rows_expected.items():
    f = os.path.basename(sources_cfg[name]["file"])
    ok((dwhat.get(name) or "").endswith(f"'{name}' ({f}, {n} rows)"),
       f"data Contents: {name} is described as {dwhat.get(name)!r}")


def sheet_rows(ws):
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    return header, rows


headers_all = {}
for name in sources_cfg:
    if name not in data.sheetnames:
        continue
    ws = data[name]
    header, rows = sheet_rows(ws)
    headers_all[name] = header
    ok(len(rows) == rows_expected.get(name, len(rows)),
       f"data: sheet {name} has {len(rows)} rows")
    ok(len(ws.tables) == 1, f"data: sheet {name} has {len(ws.tables)} tables")
    ok(list(ws.tables) == [name], f"data: sheet {name}'s table is named {list(ws.tables)}")
    ok(ws.print_title_rows == "$1:$1" and ws.sheet_properties.pageSetUpPr.fitToPage,
       f"data: sheet {name} print setup ({ws.print_title_rows})")
    for t in ws.tables.values():
        ok(t.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}",
           f"data: table of {name} covers {t.ref}")
        ok(t.autoFilter is not None, f"data: table of {name} has no autofilter")
    ok(ws.freeze_panes == "A2", f"data: sheet {name} header not frozen ({ws.freeze_panes})")
    ok(len(set(h.lower() for h in header)) == len(header), f"data: duplicate headers in {name}")
    for h in header[:3]:
        w = ws.column_dimensions[openpyxl.utils.get_column_letter(header.index(h) + 1)].width
        ok(w and 6 <= w <= 60, f"data: column {h} of {name} width {w}")

# Headers are labels with units; the Fields sheet maps each to its field.
fields_rows = sheet_rows(data["Fields"])[1] if "Fields" in data.sheetnames else []


def col_of(src, field, suffix=None):
    """The header of field's column in src's sheet (the one ending with
    suffix when the field has several columns)."""
    cands = [r["Column"] for r in fields_rows if r["Source"] == src and r["Field"] == field]
    if suffix is not None:
        cands = [c for c in cands if c.endswith(suffix)]
    ok(len(cands) >= 1, f"data: no column of {src}.{field} ({suffix})")
    return cands[0] if cands else None


if "survey" in data.sheetnames:
    _, rows = sheet_rows(data["survey"])
    col = col_of("survey", "exchange", ": General and thematic workshops (0/1)")
    ok(col in rows[0], f"data: no column '{col}'")
    ok(sum(r.get(col) or 0 for r in rows) == metrics["workshops_mentions"],
       "data: workshops 0/1 column does not sum to workshops_mentions")
    ok(all(r.get(col) in (0, 1, None) for r in rows), "data: option column not 0/1")
    cont, cont_code = col_of("survey", "continent", "Continent"), col_of("survey", "continent", "(code)")
    ok(cont == "Continent" and cont_code == "Continent (code)", f"data: {cont}, {cont_code}")
    ok(sum(1 for r in rows if r.get(cont_code) == "EU") == metrics["respondents_eu"],
       "data: continent codes do not give respondents_eu")
    ok(sum(1 for r in rows if r.get(cont) == "European Union") == metrics["respondents_eu"],
       "data: continent labels do not give respondents_eu")
    outc = [c for c in (col_of("survey", "outcomes"),) if c]
    ok(outc and sum(1 for r in rows if r.get(outc[0]) is None) ==
       metrics["respondents"] - metrics["outcomes_answered"],
       "data: missing outcomes are not empty cells")
    edp = col_of("survey", "rel_edp")
    ok(edp == "Regional context and EDP (1–5)", f"data: rel_edp header {edp!r} (label and scale)")
    ok(all(isinstance(r.get(edp), int) for r in rows if r.get(edp) is not None),
       "data: likert answers are not integers")
    ok(sum(1 for r in rows if (r.get(edp) or 0) >= 4) == metrics["edp_top2"],
       "data: rel_edp does not give edp_top2")

if "pairings" in data.sheetnames:
    _, rows = sheet_rows(data["pairings"])
    bc = col_of("pairings", "business_contacts")
    ok(bc is not None and bc.endswith(" (number)"), f"data: business_contacts header {bc!r}")
    ok(sum(r[bc] for r in rows) == metrics["business_contacts"],
       "data: business contacts do not sum to the metric")
    names = {r[col_of("pairings", "la_region")] for r in rows} | \
        {r[col_of("pairings", "eu_region")] for r in rows}
    for n in ("Bielsko-Biała", "Skåne", "Bogotá-Cundinamarca"):
        ok(n in names, f"data: '{n}' not in the pairings sheet")

if "Fields" in data.sheetnames:
    _, rows = sheet_rows(data["Fields"])
    ncols = sum(len(h) for h in headers_all.values())
    ok(len(rows) == ncols, f"data: Fields documents {len(rows)} columns, sheets have {ncols}")
    cols = {(r["Source"], r["Column"]) for r in rows}
    for src, header in headers_all.items():
        for h in header:
            ok((src, h) in cols, f"data: column {src}.{h} not documented in Fields")
    # No source of the sample is split: each column is on its source's sheet.
    for r in rows:
        ok(r.get("Sheet") == r["Source"] and r["Sheet"] in data.sheetnames,
           f"data: Fields says {r['Source']}.{r['Column']} is on sheet {r.get('Sheet')!r}")

# ---------------------------------------------------------------- figures workbook
wb = openpyxl.load_workbook(fig_path)
names = wb.sheetnames
ok(names[:3] == ["Cover", "Contents", "Notes"] and names[-2:] == ["Metrics", "Data quality"],
   f"figure sheets {names}")
ok(wb.active.title == "Cover", "figures: Cover is not the active sheet")
fig_sheets = [n for n in names if n.startswith("Figure ")]
tab_sheets = [n for n in names if n.startswith("Table ")]
ok(len(fig_sheets) == len(figures_cfg), f"{len(fig_sheets)} figure sheets, {len(figures_cfg)} figures")
ok(len(tab_sheets) == len(tables_cfg), f"{len(tab_sheets)} table sheets, {len(tables_cfg)} tables")

props = wb.properties
ok(props.title == cfg["report"]["title"], f"figures: title property {props.title!r}")
expected_created = datetime.datetime.utcfromtimestamp(int(epoch))
ok(props.created == expected_created, f"figures: created {props.created}, want {expected_created}")

# Contents: one row per figure and table, linking to its sheet.
cs = wb["Contents"]
links = {}
for row in cs.iter_rows(min_row=3):
    if row[2].value:
        links[row[2].value] = row[2].hyperlink
for n in fig_sheets + tab_sheets:
    h = links.get(n)
    ok(h is not None and h.location == f"'{n}'!A1", f"Contents: no link to {n} ({h})")

# Find each figure's sheet by its caption in A1.
by_caption = {}
for n in fig_sheets + tab_sheets:
    a1 = wb[n]["A1"].value or ""
    ok(a1.startswith(n + ": "), f"{n}: A1 is {a1!r}")
    by_caption[a1.split(": ", 1)[-1]] = n


def caption(sec):
    return " ".join(sec["caption"].split())


def figure_sheet(name):
    return wb[by_caption[caption(figures_cfg[name])]]


def table(ws, start_row):
    """The block of cells from the header row start_row down to the first
    empty row, as a list of header and row lists."""
    header = [c.value for c in ws[start_row] if c.value is not None]
    rows = []
    r = start_row + 1
    while ws.cell(r, 1).value is not None:
        rows.append([ws.cell(r, j + 1).value for j in range(len(header))])
        r += 1
    return header, rows


EXCEL_KIND = {"bar": ("BarChart", "col", "clustered"), "hbar": ("BarChart", "bar", "clustered"),
              "grouped": ("BarChart", "col", "clustered"),
              "stacked": ("BarChart", "col", "stacked"),
              "likert": ("BarChart", "bar", "percentStacked"), "pie": ("PieChart", None, None),
              "doughnut": ("DoughnutChart", None, None)}

for name, sec in figures_cfg.items():
    if caption(sec) not in by_caption:
        ok(False, f"figure {name}: no sheet with its caption")
        continue
    ws = figure_sheet(name)
    kind = sec["type"]
    if "source" in sec:
        src_line = "Source: " + " ".join(sec["source"].split())
        ok((ws["A2"].value or "").startswith(src_line + " [note "), f"figure {name}: A2 is {ws['A2'].value!r}")
    if kind in EXCEL_KIND:
        want = EXCEL_KIND[kind]
        charts = ws._charts
        npanels = len([a for a in sec["aggregate"].split(",") if a.strip()])
        ok(len(charts) == npanels, f"figure {name}: {len(charts)} charts for {npanels} panels")
        for ch in charts:
            ok(type(ch).__name__ == want[0], f"figure {name}: chart {type(ch).__name__}")
            if want[1]:
                ok(ch.type == want[1] and ch.grouping == want[2],
                   f"figure {name}: chart {ch.type}/{ch.grouping}, want {want[1]}/{want[2]}")
            for s in ch.series:
                ref = s.val.numRef.f
                ok(ref.startswith(f"'{ws.title}'!"), f"figure {name}: series values at {ref}")
                ok(s.cat is not None and s.tx is not None and s.tx.strRef is not None,
                   f"figure {name}: series without categories or name cells")
    else:
        ok(len(ws._charts) == 0, f"figure {name}: {kind} should have no chart")

# Values as drawn, against the metrics and the published facts.
h, rows = table(figure_sheet("motivation"), 3)
ok(h[-1] == "Respondents (number)" and sum(r[-1] for r in rows) == metrics["respondents"] == 32,
   "motivation: counts do not sum to 32")
ok(close(sum(r[1] for r in rows), 1.0), "motivation: shares do not sum to 1")
share = {r[0]: r[1] for r in rows}
ok(close(share.get("Sharing and learning"), metrics["motivation_sharing_share"]),
   "motivation: share of sharing and learning differs from the metric")
ok(figure_sheet("motivation")["B4"].number_format == "0%", "motivation: shares not in percent")

h, rows = table(figure_sheet("familiarity"), 3)
counts = {r[0]: r[2] for r in rows}
ok(counts.get("Very familiar", 0) + counts.get("Broadly familiar", 0) == FACTS["familiar"] ==
   metrics["familiar"], f"familiarity: {counts} does not give 28 familiar")

ws = figure_sheet("regions_by_country")
panels = {}
h, rows = table(ws, 3)  # one table: the panel in the first column
ok(h[0] == "Group" and h[1] == "Category", f"regions by country: header {h}")
for row in rows:
    panels.setdefault(row[0], {})[row[1]] = row[2]
ok(panels.get("Latin America") == REGIONS_LA, f"regions by LA country: {panels.get('Latin America')}")
ok(panels.get("European Union") == REGIONS_EU, f"regions by EU country: {panels.get('European Union')}")

h, rows = table(figure_sheet("key_figures"), 3)
vals = {r[2]: r[1] for r in rows}
for m in ("pairings", "joint_action_plans", "agreements", "s3_strategies", "business_contacts",
          "s3_trainings"):
    ok(vals.get(m) == metrics[m], f"key figures: {m} = {vals.get(m)}, metric {metrics[m]}")

h, rows = table(figure_sheet("exchange"), 3)
ok({r[0]: r[1] for r in rows}.get("General and thematic workshops") == metrics["workshops_mentions"],
   "exchange: workshops count differs from the metric")

h, rows = table(figure_sheet("relevance"), 3)
edp = rows[0]
ok(edp[0] == "Regional context and EDP", f"relevance: first item {edp[0]}")
ok(close(edp[4] + edp[5], metrics["edp_top2"] / metrics["respondents"]),
   "relevance: top-2 share of the EDP differs from the metric")
ok(close(sum(edp[1:6]), 1.0), "relevance: shares of an item do not sum to 1")

h, rows = table(figure_sheet("pairings_map"), 3)
ok(len(rows) == metrics["pairings"], f"pairings list has {len(rows)} rows")
flat = " ".join(str(c) for r in rows for c in r)
for n in ANNEX_NAMES:
    ok(n in flat, f"pairings sheet: '{n}' missing (UTF-8 names must survive)")

# Metrics: every metric, same value.
ms = wb["Metrics"]
sheet_metrics = {r[0]: r[1] for r in ms.iter_rows(min_row=2, values_only=True)}
ok(set(sheet_metrics) == set(metrics), "Metrics sheet lists other metrics than reportc metrics")
for k, v in metrics.items():
    if v is not None:
        ok(close(sheet_metrics.get(k), v, 1e-6), f"Metrics: {k} = {sheet_metrics.get(k)}, want {v}")

# Every figure and table sheet: title in A1, the source and notes line in
# A2, then one Excel table named for the figure or table, no blank row above
# it, unique headers, units in the value headers, charts beside it, print
# setup one page wide with the header row repeated.
notes = {r[0]: (r[1], r[2]) for r in wb["Notes"].iter_rows(min_row=3, values_only=True)}
ok(len(notes) > 0 and list(wb["Notes"].tables) == ["notes"], "Notes: no numbered notes")
all_names = set()
for n in fig_sheets + tab_sheets:
    ws = wb[n]
    a1 = ws["A1"].value or ""
    sec_name = next((k for k, v in figures_cfg.items() if a1.endswith(": " + caption(v))), None) \
        if n.startswith("Figure") else \
        next((k for k, v in tables_cfg.items() if a1.endswith(": " + caption(v))), None)
    ok(len(ws.tables) == 1, f"{n}: {len(ws.tables)} tables")
    for tname, ref in ws.tables.items():
        t = ws.tables[tname]
        ok(tname == sec_name, f"{n}: table named {tname!r}, want {sec_name!r}")
        all_names.add(tname)
        first = openpyxl.utils.cell.range_boundaries(t.ref)
        top = first[1]
        ok(first[0] == 1 and all(ws.cell(r, 1).value for r in range(1, top)),
           f"{n}: table at {t.ref}, blank rows above it")
        header = [ws.cell(top, c).value for c in range(first[0], first[2] + 1)]
        ok(len(set(header)) == len(header) and all(header), f"{n}: header {header}")
        # nor the same text made unique by a number ("Country", "Country (4)")
        stems = [__import__("re").sub(r" \(\d+\)$", "", str(h)) for h in header]
        ok(len(set(stems)) == len(stems), f"{n}: header repeats a text {header}")
        if n.startswith("Figure") and figures_cfg[sec_name]["type"] not in ("tiles", "pairings"):
            units = [h for h in header if h.endswith(" (%)") or h.endswith(" (number)")]
            ok(len(units) >= 1, f"{n}: no unit in the header {header}")
        for ch in ws._charts:
            ok(ch.anchor._from.col >= first[2], f"{n}: chart at column {ch.anchor._from.col} "
               f"overlaps the table {t.ref}")
        ok(ws.print_title_rows == f"${top}:${top}" and ws.sheet_properties.pageSetUpPr.fitToPage,
           f"{n}: print setup {ws.print_title_rows}")
    for ref in __import__("re").findall(r"\[note (\d+)\]", ws["A2"].value or ""):
        ok(f"[note {ref}]" in notes and notes[f"[note {ref}]"][1] == n,
           f"{n}: [note {ref}] not on the Notes sheet for this sheet")
ok(len(all_names) == len(fig_sheets) + len(tab_sheets), "table names are not unique")

# Data quality: a row per declared field; answered + missing + not declared
# + outside the scale = the CSV's data rows (read here with the csv module).
import csv  # noqa: E402
dq = list(wb["Data quality"].iter_rows(min_row=2, values_only=True))
declared = [tuple(n.split(None, 1)[1].split(".", 1)) for n in cfg.sections()
            if n.startswith("field ")]
ok(sorted((r[0], r[1]) for r in dq) == sorted(declared),
   f"Data quality lists {[(r[0], r[1]) for r in dq]}, declared {declared}")
for src, sec in sources_cfg.items():
    path = os.path.join(os.path.dirname(ini_path), sec["file"])
    delim = {"tab": "\t"}.get(sec.get("delimiter", ","), sec.get("delimiter", ","))
    with open(path, newline="", encoding="utf-8-sig") as fh:
        nrec = sum(1 for _ in csv.reader(fh, delimiter=delim))
    nrows = nrec - int(sec.get("header", "1"))
    for r in dq:
        if r[0] != src:
            continue
        ok(r[4] == nrows, f"Data quality {src}.{r[1]}: {r[4]} rows, the CSV has {nrows}")
        ok(r[5] + r[6] + r[7] + r[8] == r[4], f"Data quality {src}.{r[1]}: {r[5:9]} != {r[4]}")

# Cover: generation date, version, provenance.
about = {r[0]: r[1] for r in wb["Cover"].iter_rows(values_only=True) if r[0]}
iso = expected_created.strftime("%Y-%m-%dT%H:%M:%SZ")
ok(about.get("Generated") == iso, f"Cover: generated {about.get('Generated')}, want {iso}")
ok(str(about.get("reportc version", "")).startswith("reportc "), "Cover: no version")
for k in ("This workbook", "Source", "Publication date", "Contact", "Report"):
    ok(about.get(k), f"Cover: no {k!r}")
dabout = {r[0]: r[1] for r in data["Cover"].iter_rows(values_only=True) if r[0]}
ok(dabout.get("Generated") == iso and dabout.get("This workbook"), "data Cover: no provenance")


def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


ok(about.get(ini_path) == sha(ini_path), f"Cover: SHA-256 of {ini_path}")
for name, sec in sources_cfg.items():
    p = os.path.join(ini_dir, sec["file"])
    ok(about.get(p) == sha(p), f"Cover: SHA-256 of {p} ({about.get(p)})")
    ok(dabout.get(p) == sha(p), f"data Cover: SHA-256 of {p} ({dabout.get(p)})")
chapters = [c.strip() for c in cfg["document"]["chapters"].split(",")]
for c in chapters:
    p = os.path.join(ini_dir, c)
    ok(about.get(p) == sha(p), f"Cover: SHA-256 of {p}")

for b in bad:
    print("FAIL:", b)
print(f"workbooks: {tally.checks - len(bad)} checks passed, {len(bad)} failed")
sys.exit(1 if bad else 0)
