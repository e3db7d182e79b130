#!/usr/bin/env bash
# A build into a file system that fills up: every output fails cleanly with
# exit status 3 and "No space left on device" at the output's name, no
# temporary file is left, and the output directory holds exactly what it
# held before. Needs root to mount a small tmpfs; skipped (77) otherwise.
#   tests/e2e/disk_full.sh REPORTC
set -uo pipefail
RC=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "skipped: needs root to mount a tmpfs"; exit 77; }
mnt=$(mktemp -d)
if ! mount -t tmpfs -o size=160k tmpfs "$mnt" 2>/dev/null; then
  rmdir "$mnt"
  echo "skipped: cannot mount a tmpfs here"
  exit 77
fi
cleanup() { umount "$mnt" 2>/dev/null; rmdir "$mnt"; }
trap cleanup EXIT

fail=0
check() { # description, condition status
  if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

mkdir "$mnt/out"
echo "the previous report" > "$mnt/out/iuc-lac-2019-en.pdf"
before=$(cd "$mnt/out" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
SOURCE_DATE_EPOCH=1570000000 "$RC" build "$root/config/iuc-lac-2019.ini" -o "$mnt/out" \
  >/dev/null 2>"$mnt/../disk_full.$$.err"
st=$?
err=$(cat "$mnt/../disk_full.$$.err"); rm -f "$mnt/../disk_full.$$.err"
after=$(cd "$mnt/out" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)

check "exit status 3 (an output could not be written), got $st" "$([ "$st" = 3 ]; echo $?)"
check "the PDF failure names the PDF, not a temporary file" \
  "$(grep -qF "$mnt/out/iuc-lac-2019-en.pdf: error: cannot write PDF: No space left on device" <<<"$err"; echo $?)"
# Which other outputs still fit depends on timing (the PDF is written on its
# own thread): every error that is reported must say why.
check "every error says the disk is full" \
  "$(! grep 'error:' <<<"$err" | grep -v 'No space left on device' >/dev/null; echo $?)"
check "no diagnostic names a temporary file" "$(! grep -E '^[^[].*\.tmp' <<<"$err" >/dev/null; echo $?)"
check "the output directory is exactly as before (no output, no temporary file)" \
  "$([ "$before" = "$after" ]; echo $?)"
[ $fail = 0 ] || { echo "--- stderr:"; echo "$err"; }
exit $fail
