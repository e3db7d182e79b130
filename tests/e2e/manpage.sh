#!/usr/bin/env bash
# The manual page (docs/reportc.1) and the bash completion say what the
# binary does: every command and option of `reportc --help` is documented in
# the man page's COMMANDS and OPTIONS and vice versa, the exit statuses match,
# every environment variable the sources read (getenv("NAME"), or a
# *_ENV "NAME" macro) is in ENVIRONMENT and vice versa, the version matches
# --version, groff renders the page without a warning, and the completion
# offers exactly the commands and options of --help.
# Usage: manpage.sh REPORTC BUILD_DIR
set -uo pipefail
RC=$(realpath "$1")
cd "$(dirname "$0")/../.."
fail=0

help=$("$RC" --help) || { echo "FAIL: reportc --help exits $?"; exit 1; }
version=$("$RC" --version) || { echo "FAIL: reportc --version"; exit 1; }

checker=$(cat <<'PY'
import glob, re, sys
help_text, version, man_path = sys.argv[1], sys.argv[2], sys.argv[3]
man = open(man_path, encoding="utf-8").read()
bad = []

# ---- --help -------------------------------------------------------------
def block(text, title):
    """Lines of the indented block under 'title:' up to the next blank line."""
    m = re.search(r"^" + title + r":\s*\n((?:[ \t].*\n?)*)", text, re.M)
    return m.group(1) if m else ""
help_cmds = {l.split()[0] for l in block(help_text, "commands").splitlines() if l.strip()}
for m in re.finditer(r"^(?:usage:)?\s+reportc\s+([a-z][a-z-]*)", help_text, re.M):
    help_cmds.add(m.group(1))
help_opts = set(re.findall(r"(?<![\w-])(--?[A-Za-z][A-Za-z-]*)", help_text))
exit_m = re.search(r"exit status:(.*?)(?:\n\s*\n|\Z)", help_text, re.S)
help_exits = set(re.findall(r"\b(\d+)\b", exit_m.group(1))) if exit_m else set()
if not help_cmds: bad.append("no commands found in --help (a 'commands:' block)")
if not help_opts: bad.append("no options found in --help")
if not help_exits: bad.append("no 'exit status:' found in --help")

# ---- the man page -------------------------------------------------------
def section(name):
    m = re.search(r"^\.SH " + re.escape(name) + r"\s*\n(.*?)(?=^\.SH |\Z)", man, re.M | re.S)
    if not m:
        bad.append(f"man page has no {name} section")
        return ""
    return m.group(1)
def tagged(sec):
    """The tag line after each .TP, with roff escapes removed."""
    tags = re.findall(r"^\.TP\s*\n(.*)$", sec, re.M)
    return [re.sub(r"\\f[BIRP]|\\", "", re.sub(r"^\.[A-Z]+\s*", "", t)) for t in tags]
man_cmds = {t.split()[0] for t in tagged(section("COMMANDS")) if t.split()}
man_opts = set()
for t in tagged(section("OPTIONS")):
    man_opts |= set(re.findall(r"(?<![\w-])(--?[A-Za-z][A-Za-z-]*)", t.replace('"', " ")))
man_exits = {t.split()[0] for t in tagged(section("EXIT STATUS")) if t.split()}
man_env = {t.split()[0] for t in tagged(section("ENVIRONMENT")) if t.split()}

for c in sorted(help_cmds - man_cmds): bad.append(f"command '{c}' of --help is not in the man page's COMMANDS")
for c in sorted(man_cmds - help_cmds): bad.append(f"command '{c}' of the man page is not in --help")
for o in sorted(help_opts - man_opts): bad.append(f"option '{o}' of --help is not in the man page's OPTIONS")
for o in sorted(man_opts - help_opts): bad.append(f"option '{o}' of the man page is not in --help")
for e in sorted(help_exits ^ man_exits): bad.append(f"exit status {e} is in only one of --help and the man page")

# ---- environment variables the sources read -----------------------------
src_env = set()
for f in glob.glob("src/**/*.[ch]", recursive=True) + glob.glob("include/rc/*.h"):
    s = open(f, encoding="utf-8").read()
    src_env |= set(re.findall(r'getenv\("([A-Z][A-Z0-9_]*)"\)', s))
    src_env |= set(re.findall(r'#define\s+\w+_ENV\s+"([A-Z][A-Z0-9_]*)"', s))
for e in sorted(src_env - man_env): bad.append(f"environment variable {e} is read by src/ but not in the man page's ENVIRONMENT")
for e in sorted(man_env - src_env): bad.append(f"environment variable {e} of the man page is read nowhere in src/")

# ---- version --------------------------------------------------------------
th = re.search(r'^\.TH\s+\S+\s+\S+\s+\S+\s+"([^"]*)"', man, re.M)
if not th or th.group(1) != version.strip():
    bad.append(f"man page .TH says {th.group(1) if th else None!r}, --version says {version.strip()!r}")

for b in bad: print("FAIL:", b)
print(f"man page: {len(help_cmds)} commands, {len(help_opts)} options, {len(help_exits)} exit statuses, "
      f"{len(src_env)} environment variables checked; {len(bad)} problem(s)")
sys.exit(1 if bad else 0)
PY
)
/usr/bin/python3 -c "$checker" "$help" "$version" docs/reportc.1 || fail=1

# The checker can fail: a command and an option that --help gained without
# the man page (what a new command would look like) must both be reported.
doctored=$(sed -e '/^commands:/a\  frobnicate  not documented' -e '/^options:/a\      --frob        not documented' <<<"$help")
out=$(/usr/bin/python3 -c "$checker" "$doctored" "$version" docs/reportc.1 2>&1)
if [ $? = 0 ] || ! grep -q "command 'frobnicate'" <<<"$out" || ! grep -q "option '--frob'" <<<"$out"; then
    echo "FAIL: the checker did not catch an undocumented command and option:"
    echo "$out"
    fail=1
fi

# groff renders the page without a warning (-ww: all warnings).
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww -z docs/reportc.1 2>&1)
    if [ -n "$warn" ]; then echo "FAIL: groff warnings:"; echo "$warn"; fail=1; else echo "groff renders the page cleanly"; fi
else
    echo "FAIL: groff is not installed (groff-base; scripts/deps.sh test installs it)"
    fail=1
fi

# The completion offers what --help lists: the commands after 'reportc', the
# options after '-'.
comp=$(
    PATH="$(dirname "$RC"):$PATH" bash -c '
    source scripts/bash-completion/reportc
    t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _reportc; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "; echo; }
    t reportc ""
    t reportc build -
    t reportc build config/iuc-lac-2019.ini --only pdf,
    t reportc build -o "" ' 2>&1
)
want_cmds=$(sed -n '/^commands:/,/^$/p' <<<"$help" | awk 'NR > 1 && $1 ~ /^[a-z]/ { print $1 }' | sort | tr '\n' ' ')
want_opts=$(grep -oE -- '(^|[ ,|\[])--?[A-Za-z][A-Za-z-]*' <<<"$help" | sed 's/^[ ,|[]//' | sort -u | tr '\n' ' ')
mapfile -t got <<<"$comp"
[ "${got[0]}" = "$want_cmds" ] || { echo "FAIL: completion of commands: '${got[0]}', want '$want_cmds'"; fail=1; }
[ "${got[1]}" = "$want_opts" ] || { echo "FAIL: completion of options: '${got[1]}', want '$want_opts'"; fail=1; }
[ "${got[2]}" = "pdf,pdf pdf,tex pdf,xlsx " ] || { echo "FAIL: completion of --only pdf,: '${got[2]}'"; fail=1; }
[[ " ${got[3]}" == *" config "* ]] || { echo "FAIL: completion of -o does not offer directories: '${got[3]}'"; fail=1; }
[ $fail = 0 ] && echo "completion: commands '$want_cmds', options '$want_opts'"
exit $fail
