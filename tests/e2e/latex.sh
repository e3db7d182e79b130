#!/usr/bin/env bash
# The LaTeX back end end to end: build the sample report with --only tex,
# compile it twice with pdflatex (no error, no overfull box wider than 5 pt),
# read the PDF back with pdftotext and check the published facts, the
# accented place names and that figures, tables and boxes carry the same
# numbers and captions as in reportc's own PDF. The golden .tex files
# (tests/golden/latex/*/expected.tex) are standalone documents: each must
# compile too. xelatex and lualatex run as well when they are installed.
# Usage: latex.sh REPORTC BUILD_DIR. Exit 77 (skipped) without pdflatex.
set -uo pipefail
RC=$(realpath "$1")
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

if ! command -v pdflatex >/dev/null 2>&1; then
    echo "SKIP: pdflatex is not installed (scripts/deps.sh tex installs TeX)"
    exit 77
fi
if ! command -v pdftotext >/dev/null 2>&1; then
    echo "SKIP: pdftotext is not installed (poppler-utils)"
    exit 77
fi

tmp=$(mktemp -d /tmp/rc-latex.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
now() { date +%s.%N; }

# Compiles $1 (a .tex in its own directory) $3 times with engine $2; checks
# the exit status and the log. Prints the seconds taken.
compile() {
    local tex=$1 engine=$2 runs=$3 dir base t0 t1
    dir=$(dirname "$tex")
    base=$(basename "$tex" .tex)
    t0=$(now)
    for ((i = 1; i <= runs; i++)); do
        if ! (cd "$dir" && "$engine" -interaction=nonstopmode -halt-on-error "$base.tex" \
                  >"$base.$engine.out" 2>&1); then
            echo "FAIL: $engine run $i on $tex"
            grep -A6 '^!' "$dir/$base.log" | head -30
            return 1
        fi
    done
    t1=$(now)
    if grep -q '^! ' "$dir/$base.log"; then
        echo "FAIL: LaTeX errors in $dir/$base.log"
        grep -A6 '^!' "$dir/$base.log" | head -30
        return 1
    fi
    local over
    over=$(grep -o 'Overfull \\hbox ([0-9.]*pt' "$dir/$base.log" |
        awk -F'[(p]' '{ if ($2 + 0 > 5) print }')
    if [ -n "$over" ]; then
        echo "FAIL: overfull boxes wider than 5 pt in $tex:"
        grep -A2 'Overfull \\hbox' "$dir/$base.log" | head -30
        return 1
    fi
    echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }'
}

# ---- the sample report ----------------------------------------------------
mkdir -p "$tmp/tex" "$tmp/pdf"
if ! "$RC" build config/iuc-lac-2019.ini -o "$tmp/tex" --only tex >"$tmp/build.out" 2>&1; then
    echo "FAIL: reportc build --only tex"
    cat "$tmp/build.out"
    exit 1
fi
tex=$(ls "$tmp"/tex/*.tex)

# Every package and babel language the generated files use is installed
# (scripts/deps.sh tex names their Debian packages): one clear line per
# missing file rather than a LaTeX error later.
missing=0
for sty in $(cat "$tex" tests/golden/latex/*/expected.tex |
    grep -oE '\\(usepackage|RequirePackage)(\[[^]]*\])?\{[^}]*\}' | sed 's/.*{//; s/}//' | tr ',' '\n' | sort -u); do
    kpsewhich "$sty.sty" >/dev/null || { echo "FAIL: $sty.sty not found by kpsewhich (scripts/deps.sh tex)"; missing=1; }
done
for lang in $(cat "$tex" tests/golden/latex/*/expected.tex |
    sed -n 's/.*\\usepackage\[\([^]]*\)\]{babel}.*/\1/p' | tr ',' '\n' | sort -u); do
    kpsewhich "$lang.ldf" >/dev/null || { echo "FAIL: babel language $lang ($lang.ldf) not installed (scripts/deps.sh tex)"; missing=1; }
done
[ $missing = 0 ] || exit 1
echo "kpsewhich finds every package and babel language of the sample and the golden .tex files"
secs=$(compile "$tex" pdflatex 2) || { echo "$secs"; exit 1; }
echo "pdflatex x2 on the sample: ${secs} s"
pdf="${tex%.tex}.pdf"
pdftotext -enc UTF-8 "$pdf" "$tmp/latex.txt" || { echo "FAIL: pdftotext"; exit 1; }

t0=$(now)
if "$RC" build config/iuc-lac-2019.ini -o "$tmp/pdf" --only pdf >"$tmp/pdf.out" 2>&1; then
    t1=$(now)
    echo "reportc build --only pdf on the sample: $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s"
    pdftotext -enc UTF-8 "$tmp"/pdf/*.pdf "$tmp/native.txt" || : >"$tmp/native.txt"
else
    echo "note: reportc build --only pdf failed; float numbering not compared"
    : >"$tmp/native.txt"
fi

/usr/bin/python3 - "$tmp/latex.txt" "$tmp/native.txt" <<'PY' || fail=1
import re, sys
sys.path.insert(0, "tests/e2e")
from published_facts import ANNEX_NAMES
text = open(sys.argv[1], encoding="utf-8").read()
native = open(sys.argv[2], encoding="utf-8").read()
flat = re.sub(r"\s+", " ", text)
bad = []
# published facts as printed (numbers as whole tokens, shares as percentages)
for n in ["32", "17", "15", "28", "31", "8", "20", "30", "93.8%", "87.5%", "312"]:
    if not re.search(r"(?<![\d.])" + re.escape(n) + r"(?![\d])", flat):
        bad.append(f"fact {n} not printed")
for name in ANNEX_NAMES + ["Bielsko-Biała", "Skåne", "Bogotá-Cundinamarca", "Śląskie"]:
    if name not in flat:
        bad.append(f"place name {name!r} missing (encoding?)")
for phrase in ["Annex 1", "Contents", "List of figures", "List of tables", "List of boxes",
               "Source: JRC analysis"]:
    if phrase not in flat:
        bad.append(f"{phrase!r} missing")
# floats: every "Figure N: caption" of reportc's PDF appears in the LaTeX one
hpat = re.compile(r"^\s*(\d+\.\d+(?:\.\d+)?)\s+([A-Z]\w+)", re.M)
heads = lambda t: {" ".join(m.groups()) for m in hpat.finditer(t)}
pat = re.compile(r"\b(Figure|Table|Box)\s(\d+):\s+(\S+(?: \S+){0,2})")
def floats(t):
    return {m.group(0) for m in pat.finditer(re.sub(r"\s+", " ", t))}
if native.strip():
    mine, theirs = floats(text), floats(native)
    if not theirs:
        bad.append("no float captions found in reportc's PDF")
    for f in sorted(theirs - mine):
        bad.append(f"float caption {f!r} of the PDF is not in the LaTeX output")
    # section numbers: every "2.1 Title" line of the PDF is in the LaTeX one
    if not heads(native):
        bad.append("no numbered sections found in reportc's PDF")
    for h in sorted(heads(native) - heads(text)):
        bad.append(f"section {h!r} of the PDF is not in the LaTeX output")
for b in bad:
    print("FAIL:", b)
hcount = len(heads(native)) if native.strip() else 0
print(f"latex facts: {len(bad)} problem(s); {len(floats(native))} float captions and {hcount} section numbers compared")
sys.exit(1 if bad else 0)
PY

# ---- the golden documents compile too ----------------------------------
for exp in tests/golden/latex/*/expected.tex; do
    [ -f "$exp" ] || continue
    case=$(basename "$(dirname "$exp")")
    mkdir -p "$tmp/golden/$case"
    cp "$exp" "$tmp/golden/$case/$case.tex"
    compile "$tmp/golden/$case/$case.tex" pdflatex 1 >"$tmp/golden.out" ||
        { cat "$tmp/golden.out"; fail=1; continue; }
    echo "golden $case compiles"
done

# ---- xelatex and lualatex, when installed -----------------------------------
for engine in xelatex lualatex; do
    if ! command -v $engine >/dev/null 2>&1; then
        echo "$engine not installed: $engine run skipped"
        continue
    fi
    mkdir -p "$tmp/$engine"
    cp "$tex" "$tmp/$engine/"
    if secs=$(compile "$tmp/$engine/$(basename "$tex")" $engine 2); then
        echo "$engine x2 on the sample: ${secs} s"
        # Lato's hyphen glyph serves U+002D and U+2010; these engines' ToUnicode
        # names the latter, so fold it back before comparing.
        utext=$(pdftotext -enc UTF-8 "$tmp/$engine/$(basename "${tex%.tex}").pdf" - | sed 's/\xe2\x80\x90/-/g')
        for name in "Bielsko-Biała" "Skåne" "Śląskie" "Bogotá-Cundinamarca" "O’Higgins"; do
            grep -q "$name" <<<"$utext" || { echo "FAIL: $engine PDF lacks $name"; fail=1; }
        done
    else
        echo "$secs"
        fail=1
    fi
done

exit $fail
