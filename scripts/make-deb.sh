#!/usr/bin/env bash
# Builds the Debian package of reportc with dpkg-deb (no debhelper needed):
# a hardened, stripped build with dpkg-buildflags, installed through the
# CMake install rules (cmake/install.cmake) into a staging root, Depends
# computed by dpkg-shlibdeps from the binary's libraries plus the data
# packages reportc reads at run time, then checked with lintian when it is
# installed. Prints the .deb's path, size and the lintian result.
# Usage: scripts/make-deb.sh [BUILD_DIR]   (default build-deb; `make deb`)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-deb}
scripts/deps.sh deb

# The date of the last commit, so that two builds of one commit give the same
# bytes (dpkg-deb clamps file times to it; the changelog carries it).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cflags="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" -DRC_WERROR=ON >/dev/null
cmake --build "$build" --target reportc -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

version=$("$build/reportc" --version | awk '{ print $2 }')
arch=$(dpkg --print-architecture)
stage="$build/deb/reportc_${version}_$arch"
deb="$build/reportc_${version}_$arch.deb"
rm -rf "$build/deb" "$deb"
DESTDIR="$PWD/$stage" cmake --install "$build" --strip >/dev/null
# What dh_strip also drops (lintian: binary-has-unneeded-section).
strip --remove-section=.comment --remove-section=.note "$stage/usr/bin/reportc"

# Fonts: the repository's Lato files are byte for byte those of Debian's
# fonts-lato, so the package links to them rather than shipping a second
# copy (Debian policy; lintian's duplicate-font-file). Checked here so a
# change of fonts/ cannot silently break the links' promise.
fonts="$stage/usr/share/reportc/fonts"
lato=/usr/share/fonts/truetype/lato
while read -r sum file; do
    got=$(sha256sum "fonts/$file" | awk '{ print $1 }')
    if [ "$got" != "$sum" ]; then
        echo "make-deb: fonts/$file differs from fonts-lato's $lato/$file; update scripts/make-deb.sh" >&2
        exit 1
    fi
    ln -sf "../../fonts/truetype/lato/$file" "$fonts/$file" # relative: same top directory
done <<'SUMS'
0ad460bd756454f8485609747b25c5644a54d307a65daabbb24c646c112ed541 Lato-Regular.ttf
bbc138d69289c5604474166e150d39995770ca98ffb9df02adb68666ec36cc37 Lato-Italic.ttf
e0b1c4de011de8dd077cf21f97919fc31158eb290ee1176cbae06d500a6304bc Lato-Bold.ttf
7e5f7fb881fbdc84c40d6239666afc5e3696c61507534ab16b9f05d40d904f84 Lato-BoldItalic.ttf
ce27719f469f86ee1a0bbfd60c9ce88951654e104a1dcf8e22d2fa7bb6c5a234 Lato-Light.ttf
SUMS
# The licence stays beside the fonts, as the OFL asks.
ln -sf ../../doc/fonts-lato/copyright "$fonts/OFL.txt"

doc="$stage/usr/share/doc/reportc"
gzip -9n "$stage/usr/share/man/man1/reportc.1"
{
    echo "reportc ($version) unstable; urgency=medium"
    echo
    echo "  * Packaged from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo " -- reportc maintainers <reportc@packages.example.org>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
first=$(git log --max-parents=0 --format=%cd --date=format:%Y 2>/dev/null | tail -1)
last=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)
years=${first:-$last}
[ "$years" = "$last" ] || years="$years-$last"
cat >"$doc/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: reportc
Comment: The Lato fonts reportc uses are those of the fonts-lato package
 (SIL Open Font License 1.1, /usr/share/doc/fonts-lato/copyright); this
 package links to them from /usr/share/reportc/fonts.

Files: *
Copyright: $years the reportc authors
License: unstated
 The reportc sources do not state a licence yet. Until they do, this
 package may be used but its terms of redistribution are those agreed with
 the authors.
COPY
# The example's own README is documentation too; lintian wants nothing else.
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/usr/bin/reportc"

# Depends: the shared libraries (dpkg-shlibdeps reads the binary's NEEDED and
# the shlibs/symbols files of the installed -dev packages; the libraries
# loaded with dlopen, below), plus the data
# reportc opens at run time: the fonts, and the default (British English)
# hyphenation patterns. The Spanish and Portuguese patterns serve reports in
# those languages; the TeX packages compile the generated .tex.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debian"
printf 'Source: reportc\n\nPackage: reportc\nArchitecture: any\n' >"$tmp/debian/control"
shlibs=$(cd "$tmp" && dpkg-shlibdeps -O "$OLDPWD/$stage/usr/bin/reportc" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "make-deb: dpkg-shlibdeps found no libraries" >&2; exit 1; }
# libxlsxwriter, HarfBuzz (libharfbuzz, libharfbuzz-subset) and libharu
# (libhpdf) are loaded with dlopen (src/xlsx/xlsx_lib.h, include/rc/hb_lib.h,
# src/pdf/hpdf_lib.h), so they are not in NEEDED and dpkg-shlibdeps cannot
# see them: each is named from the shlibs file of the package that installs
# the soname reportc was built against (CMakeLists.txt's rc_dlopen_lib found
# both). Their own Depends bring what they need (libminizip, libcrypto;
# glib, freetype, graphite2; libpng).
for var in XLSXWRITER HARFBUZZ HARFBUZZ_SUBSET HPDF; do
    soname=$(sed -n "s/^RC_${var}_SONAME:INTERNAL=//p" "$build/CMakeCache.txt")
    pkg=$(sed -n "s/^RC_${var}_DEB:INTERNAL=//p" "$build/CMakeCache.txt")
    [ -n "$soname" ] && [ -n "$pkg" ] ||
        { echo "make-deb: RC_${var}_SONAME or RC_${var}_DEB not in $build/CMakeCache.txt" >&2; exit 1; }
    # shlibs lines: "LIBRARY VERSION DEPENDENCY", e.g. "libxlsxwriter 4
    # libxlsxwriter4 (>= 1.1.4)" for libxlsxwriter.so.4, "libhpdf 2.3.0
    # libhpdf-2.3.0" for libhpdf-2.3.0.so
    case $soname in
    *.so.*) lib=${soname%.so.*} ver=${soname##*.so.} ;;
    *-*.so) base=${soname%.so} lib=${base%-*} ver=${base##*-} ;;
    *) echo "make-deb: cannot read $soname as a library and a version" >&2; exit 1 ;;
    esac
    dep=$(dpkg-query --control-show "$pkg" shlibs 2>/dev/null |
        awk -v lib="$lib" -v ver="$ver" '$1 == lib && $2 == ver { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }')
    [ -n "$dep" ] || { echo "make-deb: no shlibs entry for $soname in $pkg" >&2; exit 1; }
    case ", $shlibs," in
    *", $pkg "* | *", $pkg,"*) ;;
    *) shlibs="$shlibs, $dep" ;;
    esac
done

mkdir -p "$stage/DEBIAN"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: reportc
Version: $version
Architecture: $arch
Maintainer: reportc maintainers <reportc@packages.example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | awk '{ print $1 }')
Depends: $shlibs, fonts-lato (>= 2.0-2), hyphen-en-gb, hyphen-es, hyphen-pt-pt
Suggests: texlive-latex-recommended, texlive-latex-extra, texlive-pictures, texlive-plain-generic, tex-gyre, lmodern
Section: text
Priority: optional
Description: report compiler for survey-based policy reports
 reportc turns one INI file - survey and pairing CSV files, how their
 columns are read, metrics, aggregates, figures and tables, Markdown
 chapters - into a typeset A4 PDF, the same report as LaTeX source, and two
 Excel workbooks with the cleaned data and the numbers behind every figure.
 .
 Outputs are deterministic and written atomically; problems in the input
 are reported as file:line:column diagnostics. A sample report is in
 /usr/share/doc/reportc/examples.
CONTROL
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
    xargs -d '\n' md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "make-deb: $deb ($(du -k "$deb" | awk '{ print $1 }') KB; installed $(awk '/^Installed-Size/ { print $2 }' "$stage/DEBIAN/control") KB)"
echo "make-deb: Depends: $(sed -n 's/^Depends: //p' "$stage/DEBIAN/control")"
if command -v lintian >/dev/null 2>&1; then
    out=$(lintian --fail-on error,warning "$deb" 2>&1 | grep -v 'running with root privileges' || true)
    if [ -z "$out" ]; then
        echo "make-deb: lintian: clean"
    else
        echo "make-deb: lintian:"
        grep -v 'running with root privileges' <<<"$out" | sed 's/^/  /'
        [ -z "$(grep -E '^[EW]:' <<<"$out")" ] || exit 1
    fi
fi
