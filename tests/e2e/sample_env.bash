# What the end-to-end tests that build a scratch copy of the sample share
# (build_memos.sh, deflate_memo.sh, editions_shared.sh), sourced: the
# source tree's root $ROOT, a scratch directory $tmp removed on exit
# holding the sample's INI and its folder, a fixed SOURCE_DATE_EPOCH, and
# the checks' helpers: ok, bad (counted in $fails), same (two output
# folders byte for byte) and finish (the count, and the exit status).
# usage: . "$(dirname "$0")/sample_env.bash"
# (not .sh: CMakeLists.txt makes every tests/e2e/*.sh a test)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$ROOT/config/iuc-lac-2019.ini" "$ROOT/config/iuc-lac-2019" "$tmp/"
export SOURCE_DATE_EPOCH=1577836800
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
same() { if diff -r "$1" "$2" >/dev/null; then ok "$3"; else bad "$3: $(diff -rq "$1" "$2" | head -3)"; fi; }
finish() {
  echo "$fails failure(s)"
  exit $((fails > 0))
}
