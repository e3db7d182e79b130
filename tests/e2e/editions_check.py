#!/usr/bin/python3
"""End-to-end checks of the sample's three editions (issue 16): one run writes
an English, a Spanish and a Portuguese edition; each shows the published facts
in its own number format and its own fixed words, no English fixed word leaks
into the others, the workbooks hold the same numbers, pdf-audit passes, every
edition hyphenates, and each .tex compiles with pdflatex (when installed).
Also: a single-language config keeps today's output names; a missing
translation warns (an error under --strict / [report] strict); a language file
cannot change codes; a missing dictionary names its Debian package.

Every check prints one line; the last line is "N passed, M failed"."""
import json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from published_facts import ANNEX_NAMES, FACTS

RC = sys.argv[1]
CFG = "config/iuc-lac-2019.ini"
AUDIT = os.path.join("..", "shared", "tools", "pdf-audit")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1577836800")
LANGS = ["en", "es", "pt"]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))
    if ok:
        passed += 1
    else:
        failed += 1


def run(*args, env=None):
    return subprocess.run([RC, *args], capture_output=True, text=True, env=env or ENV)


def pdftext(path, layout=False, raw=False):
    args = (["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
            + (["-raw"] if raw else []) + [path, "-"])
    return subprocess.run(args, capture_output=True, text=True).stdout


def flat(t):
    # hyphenated line ends joined, every blank (no-break space too) one space
    t = t.replace("\u00ad\n", "").replace("-\n", "-")
    return re.sub(r"[\s\u00a0]+", " ", t)


tmp = tempfile.mkdtemp(prefix="rc-editions-")
out = os.path.join(tmp, "out")

# ---- one run, three editions ----------------------------------------------
r = run("build", CFG, "-o", out)
check("build of three editions exits 0", r.returncode == 0, r.stderr)
check("no warning (every text is translated)", r.stderr.strip() == "", r.stderr[:500])
names = {l: {"pdf": f"iuc-lac-2019-{l}.pdf", "tex": f"iuc-lac-2019-{l}.tex",
             "data": f"iuc-lac-2019-{l}-data.xlsx", "figs": f"iuc-lac-2019-{l}-figures.xlsx"}
         for l in LANGS}
for l in LANGS:
    for f in names[l].values():
        check(f"writes {f}", os.path.exists(os.path.join(out, f)))
check("reports three editions", re.search(r"built 3 editions in [0-9.]+ ms", r.stdout) is not None,
      r.stdout[-200:])
check("nothing else in the output directory", len(os.listdir(out)) == 12, str(os.listdir(out)))

# ---- facts and fixed words, per edition -------------------------------------
# Numbers: 93.75 % and 87.5 % with one decimal; from 10 000 up a no-break
# space groups thousands in es/pt (no number of the sample is that large).
fmt = {"en": {"strategy": "93.8%", "salience": "87.5%", "pct_re": r"\b\d+(\.\d)?%"},
       "es": {"strategy": "93,8\u00a0%", "salience": "87,5\u00a0%", "pct_re": r"\b\d+(,\d)?\u00a0%"},
       "pt": {"strategy": "93,8\u00a0%", "salience": "87,5\u00a0%", "pct_re": r"\b\d+(,\d)?\u00a0%"}}
words = {
    "en": ["Contents", "List of figures", "List of tables", "List of boxes", "Figure 1",
           "Table 1", "Box 1", "Annex 1", "Source:", "How to cite this report", "Legal notice"],
    "es": ["Índice", "Lista de figuras", "Lista de cuadros", "Lista de recuadros", "Figura 1",
           "Cuadro 1", "Recuadro 1", "Anexo 1", "Fuente:", "Cómo citar este informe",
           "Aviso jurídico"],
    "pt": ["Índice", "Lista de figuras", "Lista de quadros", "Lista de caixas", "Figura 1",
           "Quadro 1", "Caixa 1", "Anexo 1", "Fonte:", "Como citar este relatório",
           "Aviso legal"],
}
english_only = ["Contents", "List of figures", "List of tables", "Figure ", "Table ", "Box ",
                "Annex ", "Source:", "Note:", "How to cite", "Legal notice", "Published by"]
# the same published fact, said in each language
said = {
    "en": [r"\b32\b[^.]{0,60}answered", r"17 from the EU and 15 from Latin America",
           r"31 respondents give it a 4 or a 5", r"(more than|over) 300"],
    "es": [r"\b32\b[^.]{0,60}respondieron", r"17 de la UE y 15 de América Latina",
           r"31 encuestados le dan un 4 o un 5", r"más de 300"],
    "pt": [r"\b32\b[^.]{0,60}responderam", r"17 da UE e 15 da América Latina",
           r"31 inquiridos dão-lhe um 4 ou um 5", r"mais de 300"],
}
texts = {}
for l in LANGS:
    pdf = os.path.join(out, names[l]["pdf"])
    raw = pdftext(pdf)
    t = flat(raw)
    texts[l] = t
    for w in words[l]:
        check(f"{l}: fixed word {w!r}", w in t)
    check(f"{l}: strategy share printed as {fmt[l]['strategy']!r}",
          flat(fmt[l]["strategy"]) in t or fmt[l]["strategy"] in raw)
    check(f"{l}: salience share printed as {fmt[l]['salience']!r}",
          flat(fmt[l]["salience"]) in t or fmt[l]["salience"] in raw)
    for pat in said[l]:
        check(f"{l}: says /{pat}/", re.search(pat, t) is not None)
    for name in ["Bielsko-Biała", "São Paulo", "Bogotá-Cundinamarca"] + ANNEX_NAMES:
        if name not in t:
            check(f"{l}: name {name!r} in its own spelling", False)
            break
    else:
        check(f"{l}: every place name in its own spelling", True)
    if l != "en":
        leaks = [w for w in english_only if w in t]
        check(f"{l}: no English fixed word", not leaks, str(leaks))
        check(f"{l}: no English decimal point in a share",
              re.search(r"\b\d+\.\d\s?%", t) is None, str(re.findall(r"\b\d+\.\d\s?%", t)[:5]))
        # -raw keeps the gap of a chart's short labels ("9 %"), which the
        # default mode closes up
        rawtext = pdftext(pdf, raw=True)
        check(f"{l}: percent signs follow a no-break space",
              re.search(r"\d%", rawtext) is None, str(re.findall(r".{0,10}\d%", rawtext)[:3]))
    # hyphenation is active: hyphenated line ends measured from the glyphs
    # (tests/e2e/typography.py; extracted text joins hyphenated words, as
    # the PDF's ActualText asks)
    ty = subprocess.run(["/usr/bin/python3", "tests/e2e/typography.py", pdf, "--max-hyph", "100",
                         "--max-run", "100", "--max-empty", "100"], capture_output=True, text=True)
    m = re.search(r"hyphenated (\d+) \(([\d.]+)%\)", ty.stdout)
    if m:
        print(f"     {l}: {m.group(1)} hyphenated line ends ({m.group(2)} %)")
        check(f"{l}: hyphenation active", int(m.group(1)) > 0, m.group(0))
    else:
        print(f"     {l}: hyphenation not measured (python3-fitz missing?) {ty.stdout[-200:]}")
    if os.path.exists(AUDIT):
        au = subprocess.run([AUDIT, pdf], capture_output=True, text=True)
        check(f"{l}: pdf-audit passes", au.returncode == 0, au.stdout[-800:] + au.stderr)

# ---- workbooks: same numbers in every edition --------------------------------
try:
    import openpyxl

    def numbers(path):
        wb = openpyxl.load_workbook(path, read_only=True)
        vals = []
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                vals.extend(v for v in row if isinstance(v, (int, float)) and not isinstance(v, bool))
        return wb.sheetnames, vals

    metrics = json.loads(run("metrics", "--json", CFG).stdout)
    sheets = {}
    for kind in ["data", "figs"]:
        base = numbers(os.path.join(out, names["en"][kind]))
        sheets[("en", kind)] = base[0]
        for l in ["es", "pt"]:
            other = numbers(os.path.join(out, names[l][kind]))
            sheets[(l, kind)] = other[0]
            check(f"{l}: {kind} workbook has the English one's numbers, cell for cell",
                  other[1] == base[1] and len(base[1]) > 100, f"{len(other[1])} vs {len(base[1])}")
    for l in LANGS:
        wb = openpyxl.load_workbook(os.path.join(out, names[l]["figs"]), read_only=True)
        ws = wb[{"en": "Metrics", "es": "Indicadores", "pt": "Indicadores"}[l]]
        got = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}
        bad = [k for k, v in FACTS.items() if not isinstance(v, tuple) and got.get(k) != v]
        check(f"{l}: workbook metrics are the published facts", not bad, str(bad))
        check(f"{l}: workbook metrics equal `reportc metrics`",
              all(got.get(k) == v or (isinstance(v, float) and abs(got.get(k, 0) - v) < 1e-9)
                  for k, v in metrics.items()))
    want_sheets = {"en": ("Cover", "Contents", "Notes", "Figure 1", "Table 1", "Metrics", "Fields",
                          "Data quality"),
                   "es": ("Portada", "Índice", "Notas", "Figura 1", "Cuadro 1", "Indicadores",
                          "Campos", "Calidad de los datos"),
                   "pt": ("Capa", "Índice", "Notas", "Figura 1", "Quadro 1", "Indicadores",
                          "Campos", "Qualidade dos dados")}
    for l in LANGS:
        have = set(sheets[(l, "figs")]) | set(sheets[(l, "data")])
        miss = [s for s in want_sheets[l] if s not in have]
        check(f"{l}: sheet names of docs/workbooks.md", not miss, str(miss))
    # the Data quality sheet in the edition's words: last, listed in Contents,
    # its headers translated (no English header left in es/pt), counts in "(número)"
    for l in LANGS:
        wb = openpyxl.load_workbook(os.path.join(out, names[l]["figs"]), read_only=True)
        dq = want_sheets[l][-1]
        head = [c for c in next(wb[dq].iter_rows(values_only=True))]
        toc = [r[0] for r in wb.worksheets[1].iter_rows(values_only=True) if r]
        check(f"{l}: Data quality is the last sheet and Contents lists it",
              wb.sheetnames[-1] == dq and dq in toc, f"{wb.sheetnames[-2:]} {toc[-3:]}")
        english = {"Source", "Field", "Column", "Type", "Rows (number)", "Missing (number)"}
        unit = {"en": "(number)", "es": "(número)", "pt": "(número)"}[l]
        check(f"{l}: Data quality headers in the edition's words",
              len(head) == 11 and sum(unit in h for h in head) == 6
              and (l == "en" or not english & set(head)), str(head))
    # note references in the edition's word: "[nota 3]" in es/pt, never "[note 3]"
    for l in LANGS:
        wb = openpyxl.load_workbook(os.path.join(out, names[l]["figs"]), read_only=True)
        cells = [v for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r
                 if isinstance(v, str)]
        word = {"en": "[note ", "es": "[nota ", "pt": "[nota "}[l]
        check(f"{l}: note references read {word.strip()} N]",
              any(word in c for c in cells) and (l == "en" or not any("[note " in c for c in cells)))
    wb = openpyxl.load_workbook(os.path.join(out, names["es"]["figs"]), read_only=True)
    about = [c for r in wb.worksheets[0].iter_rows(values_only=True) for c in r if c]
    check("es: Cover sheet lists the language file and the Spanish chapters",
          "config/iuc-lac-2019/es.ini" in about
          and "config/iuc-lac-2019/chapters/es/01-introduction.md" in about, str(about[-12:]))
    wb = openpyxl.load_workbook(os.path.join(out, names["es"]["data"]), read_only=True)
    cells = {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
             if isinstance(v, str)}
    check("es: data workbook uses the edition's labels", "Unión Europea" in cells
          and "European Union" not in cells)
except ImportError:
    print("skip workbook checks: python3-openpyxl not installed")

# ---- each .tex compiles ---------------------------------------------------------
if shutil.which("pdflatex"):
    for l in LANGS:
        d = os.path.join(tmp, "tex-" + l)
        os.makedirs(d)
        shutil.copy(os.path.join(out, names[l]["tex"]), d)
        base = names[l]["tex"][:-4]
        ok = True
        for _ in range(2):
            p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                                base + ".tex"], cwd=d, capture_output=True, text=True,
                               errors="replace")
            ok = ok and p.returncode == 0
        check(f"{l}: .tex compiles with pdflatex", ok, p.stdout[-600:])
        if ok:
            babel = {"en": "british", "es": "spanish", "pt": "portuguese"}[l]
            log = open(os.path.join(d, base + ".log"), encoding="latin-1").read()
            check(f"{l}: .tex loads babel {babel}", f"{babel}.ldf" in log)
            t = flat(pdftext(os.path.join(d, base + ".pdf")))
            check(f"{l}: LaTeX PDF shows the share as {fmt[l]['strategy']!r}",
                  flat(fmt[l]["strategy"]) in t, "")
            for w in words[l][:6]:
                if w not in t:
                    check(f"{l}: LaTeX PDF has {w!r}", False)
                    break
            else:
                check(f"{l}: LaTeX PDF has the fixed words", True)
else:
    print("skip pdflatex: not installed (scripts/deps.sh tex)")

# ---- SVG figures: one directory per edition ----------------------------------------
svgout = os.path.join(tmp, "svg")
r = run("build", CFG, "-o", svgout, "--only", "pdf", "--figures", "svg", "-q")
dirs = sorted(d for d in os.listdir(svgout) if d.startswith("figures"))
check("SVG figures in figures-en, figures-es, figures-pt", r.returncode == 0 and
      dirs == ["figures-en", "figures-es", "figures-pt"], str(dirs) + r.stderr)
if dirs == ["figures-en", "figures-es", "figures-pt"]:
    svg_es = open(os.path.join(svgout, "figures-es", "figure-04-motivation.svg"),
                  encoding="utf-8").read()
    check("es: the SVG figure has the Spanish labels", "Compartir y aprender" in svg_es
          and "Sharing and learning" not in svg_es)

# ---- determinism ------------------------------------------------------------------
out2 = os.path.join(tmp, "out2")
run("build", CFG, "-o", out2, "-q")
same = all(open(os.path.join(out, f), "rb").read() == open(os.path.join(out2, f), "rb").read()
           for f in os.listdir(out))
check("all twelve outputs byte-identical across builds", same)

# ---- configurations derived from the sample ----------------------------------------
cfgdir = os.path.join(tmp, "cfg")
shutil.copytree("config", cfgdir)
ini = os.path.join(cfgdir, "iuc-lac-2019.ini")
es_ini = os.path.join(cfgdir, "iuc-lac-2019", "es.ini")
base_text = open(ini, encoding="utf-8").read()
es_text = open(es_ini, encoding="utf-8").read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# a single-language config keeps today's names
write(ini, re.sub(r"(?m)^languages = .*\n", "", base_text))
single = os.path.join(tmp, "single")
r = run("build", ini, "-o", single, "-q")
check("single language: builds", r.returncode == 0, r.stderr)
check("single language: today's output names",
      sorted(os.listdir(single)) == sorted(["iuc-lac-2019.pdf", "iuc-lac-2019.tex",
                                            "iuc-lac-2019-data.xlsx", "iuc-lac-2019-figures.xlsx"]),
      str(os.listdir(single)))
check("single language: [edition] sections warned about",
      "[edition es] has no effect" in r.stderr, r.stderr[:300])
write(ini, base_text)

# a text the language file lacks: the base text with a warning; --strict errors
write(es_ini, es_text.replace("[figure motivation]\ncaption = ", "[figure motivation]\n; caption = "))
r = run("check", ini)
check("missing translation: check still succeeds", r.returncode == 0, r.stderr)
check("missing translation: warning at the base key",
      re.search(r"iuc-lac-2019\.ini:\d+:1: warning: edition 'es': 'caption' of \[figure motivation\] "
                r"is not translated", r.stderr) is not None, r.stderr)
r = run("check", "--strict", ini)
check("missing translation: --strict is exit 2", r.returncode == 2, f"exit {r.returncode}")
check("missing translation: --strict reports an error",
      "error: edition 'es': 'caption' of [figure motivation]" in r.stderr, r.stderr)
write(ini, base_text.replace("languages = en, es, pt\n", "languages = en, es, pt\nstrict = yes\n"))
r = run("check", ini)
check("missing translation: [report] strict = yes is exit 2", r.returncode == 2, r.stderr)
write(ini, base_text)

# a language file may relabel codes, not change them
write(es_ini, es_text.replace("EU: Unión Europea | LA: América Latina",
                              "UE: Unión Europea | LA: América Latina"))
r = run("check", ini)
check("changed code: exit 2", r.returncode == 2, f"exit {r.returncode}")
check("changed code: located in the language file",
      re.search(r"es\.ini:\d+:\d+: error: edition 'es': code 'UE' of field 'continent' should be 'EU'",
                r.stderr) is not None, r.stderr)
# ... and holds texts only
write(es_ini, es_text.replace("[field survey.region]\nlabel = Región",
                              "[field survey.region]\nlabel = Región\ntype = category"))
r = run("check", ini)
check("non-text key: located error",
      re.search(r"es\.ini:\d+:1: error: 'type' cannot be set in a language file", r.stderr)
      is not None, r.stderr)
write(es_ini, es_text)

# a failure in one edition writes no output of any edition
def digest(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))}


es_chapter = os.path.join(cfgdir, "iuc-lac-2019", "chapters", "es", "05-conclusions.md")
chapter_text = open(es_chapter, encoding="utf-8").read()
write(es_chapter, chapter_text + "\nEsto cita {{no_existe}}.\n")
before = digest(out)
r = run("build", ini, "-o", out)
check("broken Spanish chapter: exit 1", r.returncode == 1, f"exit {r.returncode}")
check("broken Spanish chapter: located in the Spanish file",
      re.search(r"es/05-conclusions\.md:\d+:\d+: error: unknown metric 'no_existe'", r.stderr)
      is not None, r.stderr)
check("broken Spanish chapter: no edition's outputs replaced (English ones included)",
      digest(out) == before)
write(es_chapter, chapter_text)

# The same whatever the order the editions are built in (a build starts an
# edition's outputs as soon as its document is built, beside the others'):
# the last edition broken, its error alone, as `check` (which builds every
# document first) reports it, and nothing of any edition written or left.
pt_chapter = os.path.join(cfgdir, "iuc-lac-2019", "chapters", "pt", "05-conclusions.md")
pt_text = open(pt_chapter, encoding="utf-8").read()
write(pt_chapter, pt_text + "\nIsto cita {{nao_existe}}.\n")
before = digest(out)
r = run("build", ini, "-o", out)
rc = run("check", ini)
check("broken Portuguese chapter: exit 1", r.returncode == 1, f"exit {r.returncode}")
check("broken Portuguese chapter: its error alone, as check gives it",
      r.stderr == rc.stderr and r.stderr.count("error:") == 1 and "nao_existe" in r.stderr,
      r.stderr + "---\n" + rc.stderr)
check("broken Portuguese chapter: no output replaced, no temporary left", digest(out) == before,
      str(sorted(set(before) ^ set(os.listdir(out)))))
# an output directory that cannot be made as well: the chapter's error still
# comes alone (the documents are reported first), and then it alone
blocker = os.path.join(tmp, "a-file")
write(blocker, "")
r = run("build", ini, "-o", os.path.join(blocker, "out"))
check("broken chapter, unusable output directory: the chapter's error alone",
      r.returncode == 1 and r.stderr == rc.stderr, r.stderr)
write(pt_chapter, pt_text)
r = run("build", ini, "-o", os.path.join(blocker, "out"))
check("unusable output directory: exit 3, its error",
      r.returncode == 3 and "cannot create output directory" in r.stderr, r.stderr)

# a missing dictionary names the Debian package
empty = os.path.join(tmp, "no-dicts")
os.makedirs(empty)
os.symlink("/usr/share/hyphen/hyph_en_GB.dic", os.path.join(empty, "hyph_en_GB.dic"))
r = run("check", ini, env=dict(ENV, RC_HYPHEN_DIR=empty))
check("missing dictionary: exit 2", r.returncode == 2, f"exit {r.returncode}")
check("missing dictionary: names hyphen-es at [edition es]",
      re.search(r"iuc-lac-2019\.ini:\d+:1: error: no hyphenation dictionary for español \('es'\): "
                r"none of hyph_es\.dic, hyph_es_ES\.dic .*install the Debian package hyphen-es",
                r.stderr) is not None, r.stderr)
check("missing dictionary: names hyphen-pt-pt", "hyphen-pt-pt" in r.stderr, r.stderr)

shutil.rmtree(tmp)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
