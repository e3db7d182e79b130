#!/usr/bin/env python3
"""Checks the stage rules of docs/architecture.md against the #include lines.

Reads the stage table of docs/architecture.md (the only place the rules are
written), then every `#include "..."` of src/, include/rc/ and tests/unit/:
- a file of stage S includes only public headers of S and of the stages S may
  include, and internal headers (src/<stage>/*.h) of its own stage;
- the table itself has no circle (every stage names only stages above it);
- no circle of includes between the files of one stage;
- no source file is longer than 800 lines.
Prints `file:line: error: message` for each violation and exits 1.
Usage: includes.py [REPO_ROOT]
"""
import os
import re
import sys

MAX_LINES = 800

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
errors = []


def err(path, line, msg):
    errors.append(f"{os.path.relpath(path, root)}:{line}: error: {msg}")


def read_table():
    path = os.path.join(root, "docs", "architecture.md")
    text = open(path, encoding="utf-8").read()
    m = re.search(r"<!-- stages:.*?-->\n(.*?)<!-- end stages -->", text, re.S)
    if not m:
        print(f"{path}: error: no stage table between '<!-- stages' and '<!-- end stages -->'")
        sys.exit(1)
    stages, order = {}, []
    for row in m.group(1).splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("stage", "") or set(cells[0]) <= set("-"):
            continue
        name, folder, headers, allowed = cells
        stages[name] = {"folder": folder, "headers": headers.split(),
                        "allowed": set(allowed.split())}
        order.append(name)
    # The table must be ordered so that every stage depends only on earlier ones.
    for i, name in enumerate(order):
        for dep in stages[name]["allowed"]:
            if dep not in stages:
                err(path, 1, f"stage '{name}' may include unknown stage '{dep}'")
            elif order.index(dep) >= i:
                err(path, 1, f"stage '{name}' depends on '{dep}', which is not above it (a circle)")
    return stages, order


stages, order = read_table()
header_stage = {}
for name, s in stages.items():
    for h in s["headers"]:
        header_stage[f"rc/{h}.h"] = name

# Every public header must belong to a stage.
for h in sorted(os.listdir(os.path.join(root, "include", "rc"))):
    if h.endswith(".h") and f"rc/{h}" not in header_stage:
        err(os.path.join(root, "include", "rc", h), 1,
            f"public header 'rc/{h}' is in no stage of docs/architecture.md")

folder_stage = {s["folder"]: n for n, s in stages.items() if s["folder"] != "src"}


def stage_of(path):
    rel = os.path.relpath(path, root)
    parts = rel.split(os.sep)
    if rel == os.path.join("src", "main.c"):
        return "main"
    if parts[0] == "src" and len(parts) == 3:
        return folder_stage.get("src/" + parts[1])
    if parts[0] == "include":
        return header_stage.get("rc/" + parts[-1])
    if parts[:2] == ["tests", "unit"] and len(parts) == 4:
        return parts[2]
    return None


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
files = []
for base in ("src", "include", os.path.join("tests", "unit")):
    for dirpath, _, names in os.walk(os.path.join(root, base)):
        files += [os.path.join(dirpath, n) for n in names if n.endswith((".c", ".h"))]
files.sort()

graph = {}  # internal include graph per stage: file -> included files
for path in files:
    stage = stage_of(path)
    rel = os.path.relpath(path, root)
    if stage is None:
        err(path, 1, "file is in no stage folder (src/<stage>/, tests/unit/<stage>/)")
        continue
    if stage not in stages:
        err(path, 1, f"'{stage}' is not a stage of docs/architecture.md")
        continue
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    if rel.startswith("src") and len(lines) - 1 > MAX_LINES:
        err(path, len(lines) - 1, f"{len(lines) - 1} lines; split files longer than {MAX_LINES}")
    is_test = rel.startswith(os.path.join("tests", "unit"))
    allowed = stages[stage]["allowed"] | {stage}
    for no, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1)
        if inc.startswith("rc/"):
            target = header_stage.get(inc)
            if target is None:
                err(path, no, f"'{inc}' is not a public header of any stage")
            elif target not in allowed:
                err(path, no, f"stage '{stage}' may not include '{inc}' (stage '{target}'); "
                    f"allowed: {', '.join(sorted(allowed))}")
            continue
        target_path = os.path.normpath(os.path.join(os.path.dirname(path), inc))
        if not os.path.exists(target_path):
            err(path, no, f"'{inc}' does not exist next to the file")
            continue
        target_rel = os.path.relpath(target_path, root)
        if target_rel.startswith("src" + os.sep):
            tstage = stage_of(target_path)
            if tstage != stage:
                err(path, no, f"'{inc}' is internal to stage '{tstage}' and may not be "
                    f"included from stage '{stage}'")
            elif not is_test:
                graph.setdefault(path, []).append((target_path, no))


# Circles of includes among the files of one stage.
def find_cycle():
    state = {}

    def visit(node, stack):
        state[node] = 1
        for nxt, no in graph.get(node, []):
            if state.get(nxt) == 1:
                cyc = stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt]
                err(node, no, "circle of includes: " +
                    " -> ".join(os.path.relpath(c, root) for c in cyc))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])


find_cycle()

for e in errors:
    print(e)
print(f"includes: {len(files)} files, {len(stages)} stages, {len(errors)} problems")
sys.exit(1 if errors else 0)
