#!/usr/bin/env python3
"""Each SVG figure against the PDF it was drawn beside.

usage: check_svg.py REPORT.pdf FIGURES_DIR WORK_DIR

For every figure-NN-name.svg: the file is well-formed XML with a <title>
naming the figure and a <desc> opening with the figure's alternative text in
the tagged PDF; rsvg-convert renders it; the figure's place
on its PDF page is found from the words both files share (pdftotext -bbox on
the page and on rsvg-convert's own PDF of the SVG); the page is rendered at
the same resolution over that box, and the two rasters must agree on all but
a few anti-aliased pixels. Fonts come from the checkout (FONTCONFIG_FILE)
so both renderers use Lato."""
import re
import statistics
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

DPI = 96
SCALE = DPI / 72.0
NS = "{http://www.w3.org/2000/svg}"
# A pixel differs when a channel differs by more than this (0..255); the
# figure fails when more than MAX_DIFF of its pixels differ (text edges
# are anti-aliased differently by cairo and poppler/splash).
PIX_TOL = 96
MAX_DIFF = 0.04


def run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout


def png_rgb(data):
    """Decodes an 8-bit RGB/RGBA non-interlaced PNG into (w, h, rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and inter == 0, (depth, ctype, inter)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        prev = line
        rows.append(bytes(line[k] for k in range(stride) if k % bpp < 3))
    return w, h, rows


def ppm_rgb(data):
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    return w, h, [px[y * w * 3:(y + 1) * w * 3] for y in range(h)]


def words(pdf, page=None):
    args = ["pdftotext", "-bbox"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    html = run(*args, str(pdf), "-").decode()
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html):
        out.append((m.group(3), float(m.group(1)), float(m.group(2))))
    return out


def page_of(pdf, caption):
    """The page whose text holds the figure's caption line."""
    n = int(re.search(rb"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))
    for p in range(1, n + 1):
        text = run("pdftotext", "-f", str(p), "-l", str(p), "-layout", str(pdf), "-").decode()
        if caption in " ".join(text.split()) and "Contents" not in text[:200]:
            yield p


def main():
    pdf, figdir, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    svgs = sorted(figdir.glob("figure-*.svg"))
    assert svgs, "no SVG figures written"
    fails = 0
    # The alternative texts of the tagged PDF's figures: each SVG's <desc>
    # opens with its figure's (the same words a screen reader gets).
    import pikepdf
    alts = set()
    def walk(el, depth=0):
        if depth > 200 or not isinstance(el, pikepdf.Dictionary):
            return
        if el.get("/S") == "/Figure" and "/Alt" in el:
            alts.add(str(el.Alt))
        kids = el.get("/K")
        for k in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            walk(k, depth + 1)
    with pikepdf.open(pdf) as doc:
        walk(doc.Root.StructTreeRoot.K)
    assert alts, "the PDF has no Figure with /Alt"
    for svg in svgs:
        tree = ET.parse(svg)
        root = tree.getroot()
        title = root.find(NS + "title").text or ""
        desc = root.find(NS + "desc").text or ""
        num = int(re.match(r"figure-(\d+)-", svg.name).group(1))
        assert title.startswith(f"Figure {num}: "), (svg.name, title)
        assert len(desc) > len(title) - 12, (svg.name, "desc too short", desc)
        assert any(desc.startswith(a) for a in alts), (svg.name, "desc is not the figure's alt text", desc[:80])
        assert root.find(f".//{NS}text") is not None, (svg.name, "no text element")
        w_pt = float(root.get("width").rstrip("pt"))
        h_pt = float(root.get("height").rstrip("pt"))

        png = work / (svg.stem + ".png")
        run("rsvg-convert", "-b", "white", "-d", str(DPI), "-p", str(DPI), str(svg), "-o", str(png))
        sw, sh, srows = png_rgb(png.read_bytes())
        assert abs(sw - w_pt * SCALE) <= 1 and abs(sh - h_pt * SCALE) <= 1, (svg.name, sw, sh)

        # Where the figure sits on its page: the words both share.
        spdf = work / (svg.stem + ".pdf")
        run("rsvg-convert", "-f", "pdf", str(svg), "-o", str(spdf))
        sw_words = words(spdf)
        # rsvg's PDF is in CSS px at 96 dpi scaled to points: same units.
        caption = title.split(": ", 1)[1][:40]
        best = None
        for p in page_of(pdf, caption):
            pw = words(pdf, p)
            index = {}
            for t, x, y in pw:
                index.setdefault(t, []).append((x, y))
            dx, dy = [], []
            for t, x, y in sw_words:
                if len(index.get(t, [])) == 1 and sum(1 for u in sw_words if u[0] == t) == 1:
                    px, py = index[t][0]
                    dx.append(px - x)
                    dy.append(py - y)
            if len(dx) >= 3 and (best is None or len(dx) > best[0]):
                best = (len(dx), p, statistics.median(dx), statistics.median(dy))
        if best is None:
            print(f"FAIL {svg.name}: cannot place it on a page of the PDF")
            fails += 1
            continue
        _, page, ox, oy = best
        crop = work / (svg.stem + "-page")
        run("pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
            "-x", str(round(ox * SCALE)), "-y", str(round(oy * SCALE)),
            "-W", str(sw), "-H", str(sh), str(pdf), str(crop))
        pw_, ph_, prows = ppm_rgb(Path(str(crop) + ".ppm").read_bytes())
        assert (pw_, ph_) == (sw, sh), (pw_, ph_, sw, sh)
        diff = 0
        ink = 0
        for y in range(sh):
            a, b = srows[y], prows[y]
            for i in range(0, sw * 3, 3):
                if min(a[i], a[i + 1], a[i + 2]) < 200:
                    ink += 1
                if max(abs(a[i] - b[i]), abs(a[i + 1] - b[i + 1]), abs(a[i + 2] - b[i + 2])) > PIX_TOL:
                    diff += 1
        share = diff / (sw * sh)
        # The comparison can fail: the same raster against the page 8 px
        # lower must differ by more than the limit.
        moved = 0
        for y in range(sh - 8):
            a, b = srows[y], prows[y + 8]
            for i in range(0, sw * 3, 3):
                if max(abs(a[i] - b[i]), abs(a[i + 1] - b[i + 1]), abs(a[i + 2] - b[i + 2])) > PIX_TOL:
                    moved += 1
        assert moved / (sw * sh) > MAX_DIFF, (svg.name, "a shifted raster passes", moved)
        status = "ok" if share <= MAX_DIFF and ink > 0 else "FAIL"
        print(f"{status} {svg.name}: page {page}, {diff} of {sw * sh} pixels differ "
              f"({100 * share:.2f}%, limit {100 * MAX_DIFF:.0f}%)")
        if status != "ok":
            fails += 1
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
