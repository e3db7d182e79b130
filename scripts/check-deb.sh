#!/usr/bin/env bash
# Checks the Debian package as a user would meet it (not part of `make test`:
# it needs root and a few minutes): builds it with `make deb`, then with
# ../shared/tools/fresh-debian installs it in a fresh bookworm root (only
# git, make and ca-certificates there, so the package's Depends must bring
# every library and data file), and builds the installed example copied to a
# temporary directory.
# fresh-debian clones the repository it runs in, so the .deb travels in a
# throw-away clone with one extra commit holding it.
# Usage (as root): scripts/check-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
fresh=${FRESH_DEBIAN:-$repo/../shared/tools/fresh-debian}
[ -x "$fresh" ] || { echo "check-deb: $fresh not found" >&2; exit 2; }

make --no-print-directory deb
deb=$(ls -t build-deb/reportc_*.deb | head -1)

tmp=$(mktemp -d /var/tmp/rc-check-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/repo"
cp "$deb" "$tmp/repo/"
git -C "$tmp/repo" add -f "$(basename "$deb")"
git -C "$tmp/repo" -c user.name=check-deb -c user.email=check-deb@localhost \
    commit -qm "check-deb: the package under test"

cd "$tmp/repo"
"$fresh" \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ./reportc_*.deb' \
    'reportc --version && test -r /usr/share/reportc/fonts/Lato-Regular.ttf && test -s /usr/share/man/man1/reportc.1.gz && test -s /usr/share/bash-completion/completions/reportc && ! dpkg -l | grep -E "^ii +(lib[a-z0-9.-]+-dev|gcc|cmake) "' \
    'ex=$(mktemp -d) && cp -r /usr/share/doc/reportc/examples/iuc-lac-2019/. "$ex" && cd "$ex" && reportc check config/iuc-lac-2019.ini && reportc build config/iuc-lac-2019.ini && test -s out/iuc-lac-2019.pdf && test -s out/iuc-lac-2019.tex && test -s out/iuc-lac-2019-data.xlsx && test -s out/iuc-lac-2019-figures.xlsx'
