#!/usr/bin/env bash
# A long title (about 600 characters, 11 lines at the cover's 26 pt) is
# set smaller so that it and the subtitle stay inside the cover's blue
# band: every word of both is on page 1, and the lowest of them is above
# the band's bottom edge and above the authors. Before, the title ran over
# the stripe and onto the authors (pdf-audit: 30 overlaps). A title too
# long even at 18 pt is an error (bad case cover-title-too-long). Likewise
# a cover note of about 1,300 characters: on the front it ends above the
# EUR number, on the back cover it is set smaller and ends above the
# publisher's lines (bad cases cover-note-too-long, back-cover-note-too-long).
set -euo pipefail
RC=$1
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$RC" new "$t/r" >/dev/null
ini=$t/r/report.ini
/usr/bin/python3 - "$ini" <<'PY'
import re, sys
ini = sys.argv[1]
unit = "Regional innovation cooperation between European and Latin American regions"
title = " ".join([unit] * 8)
t = open(ini).read()
note = " ".join(["This sample report was produced from synthetic micro-data."] * 22)
for key, val in (("title", title), ("subtitle", "What the pairings taught about local innovation"),
                 ("authors", "Ana Author | Bea Writer"), ("cover_note", note),
                 ("publisher", "Publications Office"), ("eur", "EUR 30085 EN")):
    if not re.search(r"^%s\s*=" % key, t, re.M):
        t = t.replace("[report]\n", "[report]\n%s = x\n" % key, 1)
    t = re.sub(r"^(%s\s*=).*$" % key, lambda m: m.group(1) + " " + val, t, count=1, flags=re.M)
t = re.sub(r"^back_cover\s*=.*$", "back_cover = yes", t, count=1, flags=re.M)
open(ini, "w").write(t)
PY
(cd "$t/r" && "$RC" build report.ini -q --only pdf)
pdf=$(ls "$t"/r/out/*.pdf | head -1)
pdftotext -f 1 -l 1 -bbox "$pdf" "$t/p1.html"
last=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
pdftotext -f "$last" -l "$last" -bbox "$pdf" "$t/pn.html"
/usr/bin/python3 - "$t/p1.html" "$t/pn.html" <<'PY'
import re, sys
def words_of(path):
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        open(path).read())]
words = words_of(sys.argv[1])
page_h = 842.0  # A4; pdftotext's y grows downwards
band_bottom = page_h - 0.40 * page_h  # the band's lower edge, 40 % of the page up
title_words = [w for w in words if w[4] in ("Regional", "innovation", "cooperation", "pairings")]
assert len([w for w in words if w[4] == "Regional"]) == 8, "the title's 8 'Regional' not all on page 1"
assert any(w[4] == "pairings" for w in words), "the subtitle is missing"
lowest = max(w[3] for w in title_words)
authors = [w for w in words if w[4] in ("Ana", "Bea")]
assert authors, "the authors are missing"
assert lowest < band_bottom, "the title runs below the band (%.1f > %.1f)" % (lowest, band_bottom)
assert lowest < min(w[1] for w in authors), "the title runs onto the authors"
size = min(w[3] - w[1] for w in words if w[4] == "Regional")
assert size < 26 * 1.2, "the title was not set smaller (%.1f)" % size
for page, below in ((words, "EUR"), (words_of(sys.argv[2]), "Publications")):
    note = [w for w in page if w[4] in ("synthetic", "micro-data.")]
    assert len([w for w in note if w[4] == "synthetic"]) == 22, "the note is not whole"
    top = min(w[1] for w in page if w[4] == below)
    assert max(w[3] for w in note) < top, "the note runs onto '%s'" % below
print("ok: a 607-character title set smaller inside the cover's band (lowest word at %.1f, band edge %.1f); a 1,300-character note whole above the EUR number and the publisher"
      % (lowest, band_bottom))
PY
