#!/usr/bin/env bash
# Workbook headers say what and in which unit, never the same text twice
# (issue 19): a Markdown table's column of numbers is written as numbers,
# and its header without a unit gets a located warning (an error under
# --strict); a unit in parentheses, or a column of years, silences it; a
# table generated from a listing has the fields' labels as headers; tables
# generated from other aggregates say what they count and in which unit.
# usage: workbook_units.sh REPORTC BUILD_DIR     (exit 77 = skipped)
set -euo pipefail
RC=$1
/usr/bin/python3 -c "import openpyxl" 2>/dev/null || { echo "skipped: python3-openpyxl not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$RC" new "$tmp/p" >/dev/null
cd "$tmp/p"
cat > tables/budget.md <<'MD'
| Region | Year | Budget | Share of projects (%) |
|---|---|---|---|
| North | 2019 | 1,250.5 | 12.5 |
| South | 2020 | 10,000 | 87.5 |
MD
cat >> report.ini <<'INI'

[table budget]
caption = Budget by region
file = tables/budget.md
INI
sed -i 's|!\[\](table:contents)|&\n\n![](table:budget)|' chapters/01-introduction.md
fails=0
export SOURCE_DATE_EPOCH=1577836800
"$RC" build report.ini -o out -q --only xlsx 2>err.txt || { echo "FAIL: build failed"; cat err.txt; exit 1; }
if grep -q "tables/budget.md.*warning: table 'budget': column 'Budget' holds numbers but its header gives no unit" err.txt; then
  echo "ok: a column of numbers without a unit is warned about, at the table file"
else
  echo "FAIL: no located warning for 'Budget':"; cat err.txt; fails=$((fails + 1))
fi
if grep -q "'Year'\|'Share of projects (%)'\|'Region'" err.txt; then
  echo "FAIL: a warning for a column with a unit, of years or of text:"; cat err.txt; fails=$((fails + 1))
else
  echo "ok: no warning for the unit, the years and the text column"
fi
if "$RC" build report.ini -o out2 -q --only xlsx --strict 2>/dev/null; then
  echo "FAIL: --strict accepted the header without a unit"; fails=$((fails + 1))
else
  echo "ok: --strict makes it an error"
fi
sed -i 's/| Budget |/| Budget (EUR thousand) |/' tables/budget.md
"$RC" build report.ini -o out -q --only xlsx 2>err.txt
if [ -s err.txt ]; then echo "FAIL: warnings after the fix:"; cat err.txt; fails=$((fails + 1)); else echo "ok: a unit in parentheses silences it"; fi
# Tables generated from aggregates: headers from the aggregate, saying what
# they count (the key field's label in the plural) and in which unit, not
# the page's two header rows ("España" over "Count | Share"). `reportc new`
# labels the key field (Respondent), so the counts are of respondents.
grep -q '^label = Respondent$' report.ini || { echo 'FAIL: reportc new gives the key field no label'; fails=$((fails + 1)); }
cat >> report.ini <<'INI'

[aggregate sector_country]
source = survey
kind = distribution
field = sector
by = country

[aggregate sat]
source = survey
kind = likert
fields = satisfaction
label = Satisfaction with the programme

[aggregate countries_by_sector]
source = survey
kind = distinct
field = country
by = sector

[table sector_country]
caption = Sector by country
aggregate = sector_country

[table sat]
caption = Satisfaction
aggregate = sat

[table countries_by_sector]
caption = Countries by sector
aggregate = countries_by_sector
INI
sed -i 's|!\[\](table:budget)|&\n\n![](table:sector_country)\n\n![](table:sat)\n\n![](table:countries_by_sector)|' chapters/01-introduction.md
"$RC" build report.ini -o out -q --only xlsx 2>err.txt || { echo "FAIL: build with generated tables"; cat err.txt; fails=$((fails + 1)); }
/usr/bin/python3 - out/*figures*.xlsx <<'PY' || fails=$((fails + 1))
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
bad = 0
for ws in wb.worksheets:
    for name, ref in ws.tables.items():
        rows = ws[ref]
        head = [c.value for c in rows[0]]
        if name == "budget":
            body = [[c.value for c in r] for r in rows[1:]]
            ok = head == ["Region", "Year", "Budget (EUR thousand)", "Share of projects (%)"] and \
                body == [["North", 2019, 1250.5, 12.5], ["South", 2020, 10000, 87.5]]
            print(("ok: " if ok else "FAIL: ") + f"numbers as numbers: {head} {body}")
            bad += not ok
        want = {
            "sector_country": ["Sector"] + [w for c in ("España", "Portugal", "México", "Brasil")
                                            for w in (f"Respondents: {c} (number)",
                                                      f"Share of respondents: {c} (%)")],
            "sat": ["Satisfaction with the programme"] +
                   [f"Share of respondents: {k} (%)" for k in range(1, 6)] +
                   ["Respondents answering (number)", "Mean (1–5)"],
            "countries_by_sector": ["Sector", "Countries (number)"],
        }.get(name)
        if want is not None:
            body = [[c.value for c in r] for r in rows[1:]]
            ok = head == want and body and all(isinstance(v, (int, float)) for v in body[0][1:])
            print(("ok: " if ok else "FAIL: ") + f"generated table {name}: {head}")
            bad += not ok
        # never the same text twice in a header row, not even as 'Country (4)'
        base = [h.rsplit(" (", 1)[0] if h.endswith(")") and h.rsplit(" (", 1)[1][:-1].isdigit() else h
                for h in head]
        if len(set(base)) != len(base):
            print(f"FAIL: {ws.title}: repeated header text {head}")
            bad += 1
sys.exit(1 if bad else 0)
PY
echo "$fails failure(s)"
exit $((fails > 0))
