#!/usr/bin/python3
"""End-to-end checks of `reportc build` on the sample report (issues 3, 6, 8).

Every check prints one line; the last line is "N passed, M failed"."""
import hashlib, json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from published_facts import ANNEX_NAMES, FACTS, REGIONS_EU, REGIONS_LA

RC = sys.argv[1]
CFG = "config/iuc-lac-2019.ini"
AUDIT = os.path.join("..", "shared", "tools", "pdf-audit")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))
    if ok:
        passed += 1
    else:
        failed += 1


def run(*args, cwd=None):
    return subprocess.run([RC, *args], capture_output=True, text=True, env=ENV, cwd=cwd)


def digest(d):
    return {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
            for f in sorted(os.listdir(d))}


def pdftext(path):
    t = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", t.replace("\u00ad", "").replace("-\n", ""))


tmp = tempfile.mkdtemp(prefix="rc-e2e-")
a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")

# 1. Build everything; one line per output with its size, then the time.
r = run("build", CFG, "-o", a)
check("build exits 0", r.returncode == 0, r.stderr)
lines = r.stdout.splitlines()
# The sample builds three editions (en, es, pt); the checks here read the
# English one, tests/e2e/editions_check.py the three together.
outs = ["iuc-lac-2019-en.pdf", "iuc-lac-2019-en.tex", "iuc-lac-2019-en-data.xlsx",
        "iuc-lac-2019-en-figures.xlsx"]
for f in outs:
    check(f"writes {f}", os.path.exists(os.path.join(a, f)))
    check(f"reports {f} with its size", any(f in l and re.search(r"\d+ (KB|MB|B)", l) for l in lines))
check("reports the total time", bool(lines) and re.match(r"built (3 editions )?in [0-9.]+ ms", lines[-1]) is not None,
      lines[-1] if lines else "")
check("no temporary files left", not [f for f in os.listdir(a) if f.startswith(".")])
pdf = os.path.join(a, outs[0])

# 2. The audit (shared/tools/pdf-audit) passes every check.
if os.path.exists(AUDIT):
    au = subprocess.run([AUDIT, pdf], capture_output=True, text=True)
    check("pdf-audit passes", au.returncode == 0, au.stdout + au.stderr)
else:
    print("skip pdf-audit: ../shared/tools/pdf-audit not found")

# 3. Page count and published facts in the text.
info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
check("about 30 pages", 25 <= pages <= 45, f"{pages} pages")
text = pdftext(pdf)
phrases = {
    "32 respondents": r"\b32\b[^.]{0,80}(answered|respond|participants)|(respondents|participants)[^.]{0,40}\b32\b",
    "17 EU and 15 Latin America": r"17 from the EU and 15 from Latin America",
    "28 familiar, 15 from Latin America": r"\b28\b[^.]{0,120}familiar[^.]{0,120}\b15\b",
    "93.8 % have or plan a strategy": r"93\.8\s?%",
    "31 rate the EDP 4 or 5": r"\b31 respondents give it a 4 or a 5",
    "8 rate monitoring 1-3": r"by 8 respondents",
    "87.5 % salience": r"87\.5\s?%",
    "20 of 32 support": r"\b20 of the 32\b",
    "20 pairings": r"\b20\b[^.]{0,40}pairings",
    "16 workshop mentions": r"\b16\b[^.]{0,80}workshops|workshops[^.]{0,80}\b16\b",
    "over 300 business contacts": r"(over|more than) 300",
    "3 respondents for business": r"\b3\b[^.]{0,120}business",
}
for name, rx in phrases.items():
    check(f"text states {name}", re.search(rx, text) is not None)
for country, n in {**REGIONS_LA, **REGIONS_EU}.items():
    check(f"text names {country}", country in text)
for name in ANNEX_NAMES:
    check(f"annex/prose names {name}", name in text)
for fig in ["Figure 1", "Figure 5", "Figure 10", "Table 1", "Table 2", "Box 1", "Box 4"]:
    check(f"text has {fig}", fig in text)

# 3b. Every figure's labels and values, as the figures workbook lists them,
# appear on the PDF page that carries the figure (one aggregate model feeds
# both, so this also checks that PDF and workbook agree).
try:
    import openpyxl
    wb = openpyxl.load_workbook(os.path.join(a, outs[3]), read_only=True)

    def page_text(p):
        t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"],
                           capture_output=True, text=True).stdout
        return re.sub(r"\s+", "", t.replace("\u00ad", "").replace("-\n", ""))

    pages_text = [page_text(p) for p in range(1, pages + 1)]
    for name in [n for n in wb.sheetnames if n.startswith("Figure ")]:
        rows = [r for r in wb[name].iter_rows(values_only=True)]
        caption = rows[0][0]
        key = re.sub(r"\s+", "", caption)[:40]
        where = [i for i, t in enumerate(pages_text) if key in t]
        if not where:
            check(f"{name}: caption on a page", False, caption)
            continue
        t = pages_text[where[0]]
        missing, header = [], ()
        for r in rows[1:]:
            if not r or r[0] is None or str(r[0]).startswith("Source"):
                continue
            v = r[1] if len(r) > 1 else None
            if v is None or isinstance(v, str):
                header = r            # a panel title or a header row
                continue
            if re.sub(r"\s+", "", str(r[0])).replace("-", "") not in t.replace("-", ""):
                missing.append(str(r[0]))
            # Stacked shares (likert) label only the segments wide enough.
            # (their sheets have counts per level or series: "Respondents: Relevant (number)")
            if any(isinstance(h, str) and re.match(r".+: .+ \(number\)$", h) for h in header):
                continue
            if isinstance(v, float) and v <= 1.0 and not float(v).is_integer():
                shown = [f"{v * 100:.0f}%", f"{v * 100:.1f}%"]
            else:
                shown = [f"{v:g}"]
            if not any(x in t for x in shown):
                missing.append(f"{r[0]}={shown[0]}")
        check(f"{name}: labels and values in the PDF", not missing, "; ".join(missing[:5]))
except ImportError:
    print("skip figure/workbook cross-check: python3-openpyxl not installed")

# 4. Determinism: a second build is byte-identical.
r = run("build", CFG, "-o", b, "-q")
check("second build exits 0", r.returncode == 0, r.stderr)
da, db = digest(a), digest(b)
for f in outs:
    check(f"{f} byte-identical across builds", da.get(f) == db.get(f))

# 5. A failing build leaves the previous outputs untouched.
cfgdir = os.path.join(tmp, "cfg")
shutil.copytree("config", cfgdir)
ini = os.path.join(cfgdir, "iuc-lac-2019.ini")
chap = sorted(os.listdir(os.path.join(cfgdir, "iuc-lac-2019", "chapters")))
broken = os.path.join(cfgdir, "iuc-lac-2019", "chapters", chap[-1])
with open(broken, "a") as f:
    f.write("\nThis mentions {{no_such_metric}}.\n")
before = digest(a)
r = run("build", ini, "-o", a)
check("broken chapter: exit 1", r.returncode == 1, f"exit {r.returncode}")
check("broken chapter: file:line:col diagnostic",
      re.search(r"\.md:\d+:\d+: error: unknown metric 'no_such_metric'", r.stderr) is not None, r.stderr)
check("broken chapter: outputs untouched", digest(a) == before)

# 6. Changing one survey row changes the numbers in PDF text and workbook.
shutil.copytree("config", cfgdir, dirs_exist_ok=True)
survey = os.path.join(cfgdir, "iuc-lac-2019", "survey.csv")
rows = open(survey, encoding="utf-8").read().splitlines(keepends=True)
hdr = rows[0].rstrip("\r\n").split(",")
ci, fi = hdr.index("continent"), hdr.index("familiarity")
changed = False
for i, row in enumerate(rows[1:], 1):
    cells = row.rstrip("\r\n").split(",")
    if cells[ci] == "EU" and cells[fi] in ("very", "broadly") and '"' not in row:
        cells[fi] = "vaguely"
        rows[i] = ",".join(cells) + "\n"
        changed = True
        break
check("found an EU respondent to change", changed)
open(survey, "w", encoding="utf-8").writelines(rows)
c = os.path.join(tmp, "c")
r = run("build", ini, "-o", c, "-q")
check("changed data builds", r.returncode == 0, r.stderr)
m = json.loads(run("metrics", "--json", ini).stdout)
check("metric familiar follows the data (27)", m.get("familiar") == 27, str(m.get("familiar")))
check("metric vaguely_familiar follows the data (4)", m.get("vaguely_familiar") == 4)
t2 = pdftext(os.path.join(c, outs[0]))
check("PDF text follows the data", re.search(r"\b27\b[^.]{0,120}familiar", t2) is not None
      and re.search(r"\b28\b[^.]{0,120}familiar", t2) is None)
try:
    import openpyxl
    wb = openpyxl.load_workbook(os.path.join(c, outs[3]), read_only=True)
    ms = wb["Metrics"]
    vals = {row[0]: row[1] for row in ms.iter_rows(values_only=True) if row and row[0]}
    check("workbook Metrics sheet follows the data", vals.get("familiar") == 27, str(vals.get("familiar")))
except ImportError:
    print("skip workbook check: python3-openpyxl not installed")

shutil.rmtree(tmp)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
