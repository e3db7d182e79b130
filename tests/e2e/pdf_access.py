#!/usr/bin/python3
"""Accessibility and archival checker for reportc's PDFs (docs/accessibility.md).

No PDF/UA or PDF/A validator is packaged for Debian, so this implements the
machine-checkable Matterhorn Protocol 1.1 failure conditions that apply to
reportc's documents and the PDF/A-2a requirements the issue lists, over
pikepdf (python3-pikepdf) and poppler's `pdfinfo -struct-text`.

usage: pdf_access.py FILE.pdf [--chapters MD...] [--quiet]

Exit status 0 when every check passes, 1 with one line per failure
("FILE: 13-004: Figure without Alt (object 123)"). --chapters also checks
that the structure tree's text holds every paragraph of the given Markdown
files, in order (placeholders {{...}} match any text).
"""
import re
import subprocess
import sys
import unicodedata

import pikepdf
from pikepdf import Array, Dictionary, Name

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct
Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote
Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula
Form""".split())
TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do"}
BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


class Checker:
    def __init__(self, path):
        self.path = path
        self.pdf = pikepdf.open(path)
        self.fail = []
        self.passed = []
        # filled by the passes; empty for a file without a structure tree
        self.refs, self.objr, self.nums, self.parent_of = {}, {}, {}, {}
        self.order, self.seq = [], []
        self.page_index = {p.obj.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.annots = self.hyphenated = self.paragraphs = 0

    def bad(self, code, msg):
        self.fail.append(f"{code}: {msg}")

    def check(self, code, ok, msg):
        if ok:
            self.passed.append(code)
        else:
            self.bad(code, msg)

    # ---- content ------------------------------------------------------
    def content(self):
        """Walks every page's content: marked-content nesting, MCIDs, codes."""
        self.mcids = {}  # (page index, mcid) -> count in content
        self.shown = {}  # (page index, mcid) -> [(font objgen, bytes)]
        self.actual = {}  # (page index, mcid) -> ActualText
        self.used = {}  # font objgen -> set of codes
        self.fonts = {}
        self.ocount = 0
        for pi, page in enumerate(self.pdf.pages):
            res = page.obj.get("/Resources", Dictionary())
            fonts = res.get("/Font", Dictionary())
            stack = []  # ('mcid', n) | ('art',) | ('other',)
            font = None
            loose = 0
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op in ("BDC", "BMC"):
                    tag = str(operands[0])
                    if tag == "/Artifact":
                        if any(s[0] == "mcid" for s in stack):
                            self.bad("01-003", f"artifact inside tagged content, page {pi + 1}")
                        stack.append(("art",))
                    elif op == "BDC" and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
                        if any(s[0] == "art" for s in stack):
                            self.bad("01-004", f"tagged content inside an artifact, page {pi + 1}")
                        n = int(operands[1].MCID)
                        key = (pi, n)
                        self.mcids[key] = self.mcids.get(key, 0) + 1
                        if "/ActualText" in operands[1]:
                            self.actual[key] = str(operands[1].ActualText)
                        stack.append(("mcid", n))
                    else:
                        stack.append(("other",))
                elif op == "EMC":
                    if not stack:
                        self.bad("content", f"EMC without BDC/BMC, page {pi + 1}")
                    else:
                        stack.pop()
                elif op == "Tf":
                    font = fonts.get(str(operands[0]))
                    if font is not None:
                        self.fonts[font.objgen] = font
                elif op in TEXT_OPS or op in PAINT_OPS:
                    self.ocount += 1
                    if not any(s[0] in ("mcid", "art") for s in stack):
                        loose += 1
                    if op in TEXT_OPS and font is not None:
                        codes = self.used.setdefault(font.objgen, set())
                        strings = operands[-1] if op != "TJ" else [x for x in operands[0] if isinstance(x, pikepdf.String)]
                        if op != "TJ":
                            strings = [strings]
                        cur = [x[1] for x in stack if x[0] == "mcid"]
                        for s in strings:
                            b = bytes(s)
                            if cur:
                                self.shown.setdefault((pi, cur[-1]), []).append((font.objgen, b))
                            for k in range(0, len(b) - 1, 2):
                                codes.add(b[k] << 8 | b[k + 1])
            if loose:
                self.bad("01-005", f"{loose} painting operators neither tagged nor artifacts, page {pi + 1}")
            if stack:
                self.bad("content", f"unclosed marked content at the end of page {pi + 1}")
        dup = [k for k, v in self.mcids.items() if v > 1]
        self.check("mcid-unique", not dup, f"MCIDs used twice on a page: {dup[:5]}")

    # ---- structure tree ---------------------------------------------
    def tree(self):
        root = self.pdf.Root
        mi = root.get("/MarkInfo")
        self.check("markinfo", mi is not None and bool(mi.get("/Marked")), "/MarkInfo /Marked true missing")
        self.check("01-007", mi is None or not bool(mi.get("/Suspects", False)), "/Suspects true")
        st = root.get("/StructTreeRoot")
        if st is None:
            self.bad("structtree", "no /StructTreeRoot")
            return
        self.check("02-00x", "/RoleMap" not in st, "a /RoleMap (reportc uses standard types only)")
        self.page_index = {p.obj.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.refs = {}  # (page, mcid) -> element objgen
        self.objr = {}  # annotation objgen -> element
        self.order = []  # elements in reading order (depth first)
        self.seq = []  # (page, mcid) in reading order, None between elements
        self.parent_of = {}
        kids = st.get("/K")
        kids = list(kids) if isinstance(kids, Array) else [kids]
        for k in kids:
            self.walk(k, None, None)
        # every MCID in the content is reached from the tree exactly once
        content = set(self.mcids)
        tree = set(self.refs)
        self.check("mcid-reached", not (content - tree),
                   f"{len(content - tree)} MCIDs not in the tree, e.g. {sorted(content - tree)[:5]}")
        self.check("mcid-exists", not (tree - content),
                   f"{len(tree - content)} tree MCIDs without content, e.g. {sorted(tree - content)[:5]}")
        # parent tree: page and annotation keys lead back to the element
        nums = {}
        pt = st.get("/ParentTree")
        def collect(node):
            if "/Nums" in node:
                a = node.Nums
                for i in range(0, len(a), 2):
                    nums[int(a[i])] = a[i + 1]
            for kid in node.get("/Kids", []):
                collect(kid)
        if pt is not None:
            collect(pt)
        wrong = 0
        for pi, page in enumerate(self.pdf.pages):
            sp = page.obj.get("/StructParents")
            mine = [m for (p, m) in self.mcids if p == pi]
            if mine and sp is None:
                self.bad("structparents", f"page {pi + 1} has MCIDs but no /StructParents")
                continue
            if sp is None:
                continue
            arr = nums.get(int(sp))
            for m in mine:
                if arr is None or m >= len(arr) or arr[m].objgen != self.refs.get((pi, m)):
                    wrong += 1
        self.check("parenttree", wrong == 0, f"{wrong} MCIDs whose parent tree entry is not their element")
        self.nums = nums

    def walk(self, e, parent, page):
        if isinstance(e, int) or isinstance(e, pikepdf.Object) and e._type_code == pikepdf.ObjectType.integer:
            if page is None:
                self.bad("structtree", "an MCID without /Pg")
            else:
                self.refs[(page, int(e))] = parent.objgen
                self.seq.append((page, int(e)))
            return
        if not isinstance(e, Dictionary):
            return
        typ = str(e.get("/Type", ""))
        if typ == "/MCR":
            pg = self.page_index.get(e.Pg.objgen) if "/Pg" in e else page
            key = (pg, int(e.MCID))
            if key in self.refs:
                self.bad("mcid-once", f"MCID {key} referenced twice")
            self.refs[key] = parent.objgen
            self.seq.append(key)
            return
        if typ == "/OBJR":
            self.objr[e.Obj.objgen] = parent
            return
        s = str(e.get("/S", ""))[1:]
        self.order.append(e)
        self.seq.append(None)  # an element boundary
        self.parent_of[e.objgen] = parent
        if s not in STANDARD:
            self.bad("02-001", f"non-standard structure type /{s}")
        if "/Pg" in e:
            page = self.page_index.get(e.Pg.objgen)
        k = e.get("/K")
        if k is None:
            return
        for x in (list(k) if isinstance(k, Array) else [k]):
            if isinstance(x, Dictionary) or not isinstance(x, pikepdf.Object) or x._type_code == pikepdf.ObjectType.integer:
                if isinstance(x, Dictionary) and str(x.get("/Type", "")) not in ("/MCR", "/OBJR") and x.objgen in self.parent_of:
                    self.bad("structtree", f"element {x.objgen} reached twice")
                    continue
                self.walk(x, e, page)

    def semantics(self):
        def s(e):
            return str(e.get("/S", ""))[1:]

        def kids(e):
            k = e.get("/K")
            if k is None:
                return []
            return [x for x in (list(k) if isinstance(k, Array) else [k])
                    if isinstance(x, Dictionary) and "/S" in x]

        # 13-004 figures: alternative text; PDF/UA bounding box
        for e in self.order:
            if s(e) == "Figure":
                alt = str(e.get("/Alt", "")) or str(e.get("/ActualText", ""))
                self.check("13-004", alt.strip() != "", f"Figure without Alt (object {e.objgen})")
                a = e.get("/A")
                self.check("figure-bbox", a is not None and "/BBox" in a, f"Figure without /BBox (object {e.objgen})")
        # 14-002/14-003 headings
        levels = [int(s(e)[1]) for e in self.order if re.fullmatch(r"H[1-6]", s(e))]
        if levels:
            self.check("14-002", levels[0] == 1, f"first heading is H{levels[0]}")
            skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
            self.check("14-003", not skips, f"heading levels skipped: {skips[:5]}")
        # 09-004 tables, 09-005 lists, 09-006 TOC; 15-003 TH scope
        allowed = {"Table": {"Caption", "THead", "TBody", "TFoot", "TR"}, "THead": {"TR"}, "TBody": {"TR"},
                   "TFoot": {"TR"}, "TR": {"TH", "TD"}, "L": {"Caption", "LI", "L"}, "LI": {"Lbl", "LBody"},
                   "TOC": {"Caption", "TOCI", "TOC"}}
        need_parent = {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
                       "LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}, "TOCI": {"TOC"}}
        code = {"Table": "09-004", "THead": "09-004", "TBody": "09-004", "TFoot": "09-004", "TR": "09-004",
                "TH": "09-004", "TD": "09-004", "L": "09-005", "LI": "09-005", "Lbl": "09-005",
                "LBody": "09-005", "TOC": "09-006", "TOCI": "09-006"}
        for e in self.order:
            t = s(e)
            if t in allowed:
                odd = [s(k) for k in kids(e) if s(k) not in allowed[t]]
                self.check(code[t], not odd, f"<{t}> holds {odd[:3]}")
            if t in need_parent:
                p = self.parent_of.get(e.objgen)
                self.check(code[t], p is not None and s(p) in need_parent[t], f"<{t}> outside {need_parent[t]}")
            if t == "TH":
                a = e.get("/A")
                attrs = list(a) if isinstance(a, Array) else [a] if a is not None else []
                self.check("15-003", any(isinstance(x, Dictionary) and "/Scope" in x for x in attrs),
                           f"TH without /Scope (object {e.objgen})")
        tables = [e for e in self.order if s(e) == "Table"]
        for t in tables:
            has_th = any(s(c) == "TH" for r in kids(t) for rr in ([r] if s(r) == "TR" else kids(r)) for c in kids(rr))
            self.check("table-header", has_th, f"table without header cells (object {t.objgen})")
        # 19-003/19-004 notes
        ids = [bytes(e.ID) if "/ID" in e else None for e in self.order if s(e) == "Note"]
        self.check("19-003", all(i is not None for i in ids), "Note without /ID")
        self.check("19-004", len(set(ids)) == len(ids), "Note /ID not unique")

    def annotations(self):
        n = 0
        for pi, page in enumerate(self.pdf.pages):
            annots = page.obj.get("/Annots", [])
            if len(annots):
                self.check("28-008/009", str(page.obj.get("/Tabs", "")) == "/S", f"page {pi + 1} has annotations and no /Tabs /S")
            for a in annots:
                n += 1
                sub = str(a.get("/Subtype", ""))
                f = int(a.get("/F", 0))
                self.check("pdfa-annot-flags", f & 4 and not f & (1 | 2 | 32), f"annotation on page {pi + 1} not printable or hidden (/F {f})")
                if sub != "/Link":
                    self.bad("28-002", f"a {sub} annotation (reportc writes links only)")
                    continue
                el = self.objr.get(a.objgen)
                self.check("28-011", el is not None and str(el.get("/S")) == "/Link",
                           f"link annotation on page {pi + 1} not in a <Link>")
                self.check("28-012", str(a.get("/Contents", "")).strip() != "",
                           f"link annotation on page {pi + 1} without /Contents")
                sp = a.get("/StructParent")
                ok = sp is not None and el is not None and int(sp) in self.nums and self.nums[int(sp)].objgen == el.objgen
                self.check("annot-structparent", ok, f"link annotation on page {pi + 1}: /StructParent does not lead to its <Link>")
        self.annots = n

    # ---- document level (PDF/UA and PDF/A-2) -------------------------
    def document(self):
        root = self.pdf.Root
        lang = str(root.get("/Lang", ""))
        self.check("11-001/11-006", bool(BCP47.match(lang)), f"catalog /Lang '{lang}' missing or not BCP 47")
        vp = root.get("/ViewerPreferences")
        self.check("07-001", vp is not None and "/DisplayDocTitle" in vp, "no /DisplayDocTitle")
        self.check("07-002", vp is None or bool(vp.get("/DisplayDocTitle", True)), "/DisplayDocTitle false")
        head = open(self.path, "rb").read(16)
        self.check("pdfa-version", head.startswith(b"%PDF-1.7"), f"header {head[:8]!r}, not %PDF-1.7")
        self.check("pdfa-id", "/ID" in self.pdf.trailer, "no /ID in the trailer")
        self.check("pdfa-encrypt", "/Encrypt" not in self.pdf.trailer, "encrypted")
        names = root.get("/Names", Dictionary())
        self.check("pdfa-nojs", "/JavaScript" not in names and "/OpenAction" not in root, "JavaScript or an OpenAction")
        self.check("pdfa-noembedded", "/EmbeddedFiles" not in names, "embedded files")
        md = root.get("/Metadata")
        self.check("06-001", md is not None, "no XMP metadata stream")
        if md is None:
            return
        self.check("pdfa-xmp-unfiltered", "/Filter" not in md, "metadata stream is filtered")
        raw = bytes(md.read_bytes()).decode("utf-8")
        x = xmp_values(raw)
        self.check("06-002", str(x["pdfuaid:part"]) == "1", f"pdfuaid:part is {x['pdfuaid:part']!r}")
        self.check("06-003", bool(x["dc:title"]), "no dc:title")
        self.check("pdfa-id-xmp", str(x["pdfaid:part"]) == "2" and str(x["pdfaid:conformance"]) == "A",
                   f"pdfaid {x['pdfaid:part']!r}/{x['pdfaid:conformance']!r}, not 2/A")
        # dc:creator is checked against the Info /Author below (a report
        # without authors has neither)
        self.check("pdfa-xmp-fields", bool(x["dc:language"]) and bool(x["xmp:CreateDate"]),
                   "dc:language or xmp:CreateDate missing")
        self.check("pdfa-xmp-lang", first(x["dc:language"]) == lang, f"dc:language {x['dc:language']!r} is not /Lang {lang!r}")
        self.check("pdfa-extension", "pdfaExtension:schemas" in raw and "http://www.aiim.org/pdfua/ns/id/" in raw,
                   "pdfuaid is not declared in a PDF/A extension schema")
        info = self.pdf.trailer.get("/Info", Dictionary())

        pairs = [("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"),
                 ("/Keywords", "pdf:Keywords"), ("/Producer", "pdf:Producer"), ("/Creator", "xmp:CreatorTool")]
        for key, xk in pairs:
            iv = str(info[key]) if key in info else None
            xv = first(x[xk]) if x[xk] else None
            self.check("pdfa-info-xmp", (iv or None) == (str(xv) if xv else None),
                       f"Info {key} {iv!r} and XMP {xk} {xv!r} differ")
        for key, xk in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            iv = str(info.get(key, ""))
            m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", iv)
            want = f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}" if m else None
            self.check("pdfa-info-xmp", want is not None and str(x[xk] or "").startswith(want),
                       f"Info {key} {iv!r} and XMP {xk} {x[xk]!r} differ")
        # output intent with an RGB ICC profile
        ois = root.get("/OutputIntents", [])
        ok = False
        for oi in ois:
            prof = oi.get("/DestOutputProfile")
            if str(oi.get("/S")) == "/GTS_PDFA1" and prof is not None and int(prof.get("/N", 0)) == 3:
                data = bytes(prof.read_bytes())
                ok = data[16:20] == b"RGB " and data[8] <= 4
        self.check("pdfa-outputintent", ok, "no GTS_PDFA1 output intent with an RGB ICC profile (version <= 4)")
        # transparency
        transp = []
        for obj in self.pdf.objects:
            if isinstance(obj, (Dictionary, pikepdf.Stream)):
                d = obj if isinstance(obj, Dictionary) else obj.stream_dict
                g = d.get("/Group")
                if isinstance(g, Dictionary) and str(g.get("/S")) == "/Transparency":
                    transp.append("transparency group")
                if str(d.get("/Type", "")) == "/ExtGState":
                    if "/SMask" in d and str(d.SMask) != "/None":
                        transp.append("soft mask")
                    for k in ("/CA", "/ca"):
                        if k in d and float(d[k]) != 1.0:
                            transp.append(f"{k} {d[k]}")
                    if "/BM" in d and str(d.BM) not in ("/Normal", "/Compatible"):
                        transp.append(f"blend mode {d.BM}")
                if "/SMask" in d and str(d.get("/Subtype", "")) == "/Image":
                    transp.append("image soft mask")
        self.check("pdfa-transparency", not transp, f"transparency: {transp[:3]}")

    def fonts_check(self):
        self.tounicode = {}
        for og, font in self.fonts.items():
            name = str(font.get("/BaseFont", og))
            sub = str(font.get("/Subtype", ""))
            if sub == "/Type0":
                desc = font.DescendantFonts[0]
                fd = desc.get("/FontDescriptor", Dictionary())
                self.check("31-009", any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded")
                self.check("31-005", "/CIDToGIDMap" in desc, f"{name}: no CIDToGIDMap")
                self.check("31-006", str(font.get("/Encoding")) in ("/Identity-H", "/Identity-V"), f"{name}: encoding {font.get('/Encoding')}")
                used = self.used.get(og, set())
                # widths: every code shown has one in /W (Identity-H: CID = code)
                widths = set()
                w = list(desc.get("/W", []))
                i = 0
                while i < len(w):
                    c = int(w[i])
                    if isinstance(w[i + 1], Array):
                        widths.update(range(c, c + len(w[i + 1])))
                        i += 2
                    else:
                        widths.update(range(c, int(w[i + 1]) + 1))
                        i += 3
                miss = sorted(used - widths)
                self.check("pdfa-widths", not miss, f"{name}: codes without a width in /W: {miss[:8]}")
                # .notdef (31-030)
                m = desc.get("/CIDToGIDMap")
                if isinstance(m, pikepdf.Stream):
                    data = bytes(m.read_bytes())
                    nd = [c for c in used if 2 * c + 1 >= len(data) or (data[2 * c] << 8 | data[2 * c + 1]) == 0]
                    self.check("31-030", not nd, f"{name}: codes showing .notdef: {sorted(nd)[:8]}")
            else:
                fd = font.get("/FontDescriptor", Dictionary())
                self.check("31-009", any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded")
            tu = font.get("/ToUnicode")
            self.check("31-027", tu is not None, f"{name}: no ToUnicode")
            if tu is None:
                continue
            cmap = bytes(tu.read_bytes()).decode("latin-1")
            mapped = {}
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    # a ligature's code maps to several characters (UTF-16BE)
                    mapped[int(a, 16)] = bytes.fromhex(b).decode("utf-16-be", "replace")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for a, z, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    for k, c in enumerate(range(int(a, 16), int(z, 16) + 1)):
                        mapped[c] = chr(int(b, 16) + k)
            self.tounicode[og] = mapped
            miss = sorted(self.used.get(og, set()) - set(mapped))
            self.check("10-001", not miss, f"{name}: codes without Unicode: {miss[:8]}")
            zero = [c for c, u in mapped.items() if u in ("\0", "\uFEFF", "\uFFFE")]
            self.check("31-028/029", not zero, f"{name}: ToUnicode maps to 0, FEFF or FFFE")

    # ---- reading order --------------------------------------------------
    def struct_text(self):
        out = subprocess.run(["pdfinfo", "-struct-text", self.path], capture_output=True, text=True)
        self.check("struct-text", out.returncode == 0 and "Syntax Error" not in out.stderr,
                   f"pdfinfo -struct-text: {out.stderr.strip()[:200]}")
        parts = re.findall(r'^\s*"(.*)"\s*$', out.stdout, re.M)
        return norm(" ".join(parts))

    def tree_text(self):
        """The text of the structure tree in reading order, the way a screen
        reader gets it: each MCID's glyphs through ToUnicode, or its
        /ActualText; elements separated by a space."""
        out = []
        for key in self.seq:
            if key is None:
                out.append(" ")
            elif key in self.actual:
                out.append(self.actual[key])
            else:
                for og, b in self.shown.get(key, []):
                    tu = self.tounicode.get(og, {})
                    out.append("".join(tu.get(b[k] << 8 | b[k + 1], "\uFFFD") for k in range(0, len(b) - 1, 2)))
        return norm("".join(out))

    def hyphenation(self):
        """Words hyphenated at a line end come out whole from pdftotext."""
        raw = norm(subprocess.run(["pdftotext", "-raw", self.path, "-"], capture_output=True, text=True).stdout)
        words = []
        for key, act in self.actual.items():
            glyphs = "".join(self.tounicode.get(og, {}).get(b[k] << 8 | b[k + 1], "\0")
                             for og, b in self.shown.get(key, []) for k in range(0, len(b) - 1, 2))
            if glyphs.rstrip().endswith("-") and act.strip():
                words.append((glyphs.strip(), act.strip()))
        bad = [w for g, w in words if norm(w) not in raw or g in raw.split()]
        self.check("hyphenation", not bad, f"hyphenated words not extracted whole: {bad[:5]}")
        self.hyphenated = len(words)

    def chapters(self, files):
        self.struct_text()
        text = self.tree_text()
        pos = 0
        found = 0
        for f in files:
            for para in paragraphs(open(f, encoding="utf-8").read()):
                rx = para_regex(para)
                m = rx.search(text, pos)
                if not m:
                    m2 = rx.search(text)
                    where = "out of order" if m2 else "missing"
                    self.bad("reading-order", f"{f}: paragraph {where}: {para[:70]!r}")
                    continue
                pos = m.end()
                found += 1
        self.paragraphs = found


def first(v):
    """A one-item XMP container as its item."""
    if isinstance(v, (list, set, tuple)):
        v = list(v)
        return v[0] if len(v) == 1 else ", ".join(map(str, v))
    return v


NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "xmp": "http://ns.adobe.com/xap/1.0/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


def xmp_values(raw):
    """The simple and container (Alt/Seq/Bag: list of items) properties of
    the rdf:Description elements, as {"prefix:name": value}."""
    import xml.etree.ElementTree as ET
    tree = ET.fromstring(raw[raw.index("<x:xmpmeta"):raw.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")])
    rev = {v: k for k, v in NS.items()}
    out = {}
    for d in tree.iter(f"{{{NS['rdf']}}}Description"):
        for k, v in d.attrib.items():  # properties written as attributes
            if k.startswith("{"):
                ns, name = k[1:].split("}")
                if ns in rev:
                    out[f"{rev[ns]}:{name}"] = v
        for el in d:
            ns, name = el.tag[1:].split("}")
            if ns not in rev:
                continue
            items = [li.text or "" for li in el.iter(f"{{{NS['rdf']}}}li")]
            out[f"{rev[ns]}:{name}"] = items if items else (el.text or "")
    keys = ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part", "dc:title", "dc:creator", "dc:description",
            "dc:language", "pdf:Keywords", "pdf:Producer", "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate")
    return {k: out.get(k) for k in keys}


def norm(s):
    s = unicodedata.normalize("NFC", s)
    for a, b in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"),
                 ("\u2014", "-"), ("\u00a0", " "), ("\u00ad", ""), ("\u2009", " "), ("\u202f", " ")):
        s = s.replace(a, b)
    return re.sub(r"\s+", " ", s).strip()


def paragraphs(md):
    """Plain paragraphs of a Markdown chapter (not headings, tables, lists,
    quotes, code, figures, footnote bodies), inline markup removed."""
    out, cur, fence = [], [], False
    for line in md.split("\n") + [""]:
        if line.startswith("```"):
            fence = not fence
            cur = []
            continue
        if fence:
            continue
        if not line.strip():
            if cur:
                out.append(" ".join(cur))
            cur = []
            continue
        if not cur and re.match(r"\s*(#|\||[-*+] |\d+[.)] |>|!\[|\[\^|<!--|---|\*\*\*|    )", line):
            cur = None
            continue
        if cur is None:
            continue
        cur.append(line.strip())
    result = []
    for p in out:
        p = re.sub(r"\[\^[^\]]+\]", "", p)  # footnote references (numbers in the PDF)
        p = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", p)
        p = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", p)
        p = re.sub(r"(\*\*|__|\*|_|`)", "", p)
        p = p.replace("\\", "")
        result.append(norm(p))
    return [p for p in result if len(p) > 20]


def para_regex(p):
    """Placeholders match any text; spacing is free; footnote numbers may
    follow any word."""
    pieces = re.split(r"\{\{[^}]*\}\}", p)
    rx = ".{0,200}?".join(r"\s*".join(re.escape(w) + r"(?:\s?\d{1,2}\b)?" for w in piece.split()) for piece in pieces)
    return re.compile(rx, re.S)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    quiet = "--quiet" in argv
    chap = []
    if "--chapters" in argv:
        i = argv.index("--chapters")
        chap = argv[i + 1:]
        args = [a for a in argv[:i] if not a.startswith("--")]
    status = 0
    for path in args:
        c = Checker(path)
        c.content()
        c.tree()
        c.semantics()
        c.annotations()
        c.document()
        c.fonts_check()
        c.hyphenation()
        if chap:
            c.chapters(chap)
        else:
            c.struct_text()
        for f in c.fail:
            print(f"{path}: {f}")
        if c.fail:
            status = 1
        elif not quiet:
            extra = f", {c.hyphenated} hyphenated words whole"
            extra += f", {c.paragraphs} paragraphs in order" if chap else ""
            print(f"{path}: ok: {len(set(c.passed))} kinds of check, {len(c.passed)} checks, "
                  f"{c.ocount} painting operators, {len(c.mcids)} MCIDs, {len(c.order)} elements, "
                  f"{c.annots} annotations{extra}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
