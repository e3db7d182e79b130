#!/usr/bin/env bash
# Installs the Debian packages reportc needs to build, test and render reports.
# Run by `make report` / `make test`; does nothing when everything is present.
# Usage: scripts/deps.sh [build|test|tex|deb]
#   build  compile reportc            test  + what `make test` runs (readers, groff)
#   tex    + TeX for the generated .tex: every \usepackage and babel language
#          of the sample and tests/golden/latex (e2e/latex checks each with
#          kpsewhich; tex-gyre and texlive-plain-generic are only Recommends
#          of the others, so they are named here)
#   deb    + what `make deb` uses (dpkg-shlibdeps, lintian, fonts-lato it links to)
# Packages are named one by one: apt runs with --no-install-recommends.
set -eu
mode=${1:-build}
pkgs="build-essential cmake pkg-config zlib1g-dev libhpdf-dev libxlsxwriter-dev libinih-dev
      libcmocka-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libhyphen-dev libdeflate-dev
      nettle-dev libutf8proc-dev libharfbuzz-dev libharfbuzz-subset0
      hyphen-en-gb hyphen-en-us hyphen-es hyphen-pt-pt icc-profiles-free"
if [ "$mode" = test ] || [ "$mode" = tex ]; then
  pkgs="$pkgs poppler-utils qpdf mupdf-tools python3-openpyxl python3 python3-yaml groff-base python3-fitz python3-pikepdf
        librsvg2-bin libreoffice-calc-nogui cmark-gfm"
fi
if [ "$mode" = tex ]; then
  pkgs="$pkgs texlive-latex-recommended texlive-latex-extra texlive-pictures texlive-fonts-recommended lmodern texlive-xetex texlive-luatex fonts-lato"
  pkgs="$pkgs tex-gyre texlive-plain-generic texlive-lang-spanish texlive-lang-portuguese"
fi
if [ "$mode" = deb ]; then
  pkgs="$pkgs dpkg-dev lintian fonts-lato"
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "reportc: installing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "reportc: not root and no sudo; install these packages:$missing" >&2; exit 1; fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
