#!/usr/bin/env bash
# The CI examples of docs/ci.md are valid YAML and do what the page says:
# every complete pipeline (a GitHub workflow with jobs, a GitLab job with a
# script) installs reportc, runs `reportc check` before `reportc build`, and
# keeps the PDF and the workbooks as artifacts; the snippets that replace the
# install step build reportc with `make ... build` and `cmake --install`.
# Usage: ci_docs.sh REPORTC BUILD_DIR (neither is used)
set -uo pipefail
cd "$(dirname "$0")/../.."
/usr/bin/python3 - docs/ci.md <<'PY'
import re, sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
bad, pipelines, snippets = [], 0, 0

def check_commands(where, cmds, artifacts):
    joined = "\n".join(cmds)
    i_check, i_build = joined.find("reportc check"), joined.find("reportc build")
    if i_check < 0 or i_build < 0 or i_check > i_build:
        bad.append(f"{where}: needs 'reportc check' before 'reportc build'")
    if "reportc_" not in joined and "cmake --install" not in joined:
        bad.append(f"{where}: does not install reportc")
    for ext in ("pdf", "xlsx"):
        if not any(a.endswith("." + ext) for a in artifacts):
            bad.append(f"{where}: keeps no *.{ext} artifact")

for n, b in enumerate(blocks, 1):
    try:
        doc = yaml.safe_load(b)
    except yaml.YAMLError as e:
        # The snippets are indented step lists or keys meant to be pasted into
        # a job: parse them dedented.
        try:
            doc = yaml.safe_load("\n".join(l[2:] if l.startswith("  ") else l for l in b.splitlines()))
        except yaml.YAMLError:
            bad.append(f"block {n}: not YAML: {e}")
            continue
    if isinstance(doc, dict) and "jobs" in doc:          # GitHub Actions
        pipelines += 1
        for name, job in doc["jobs"].items():
            cmds = [s.get("run", "") for s in job["steps"]]
            arts = [p.strip() for s in job["steps"] if "upload-artifact" in s.get("uses", "")
                    for p in str(s["with"]["path"]).split()]
            check_commands(f"block {n} (GitHub job {name})", cmds, arts)
    elif isinstance(doc, dict) and any(isinstance(v, dict) and "script" in v for v in doc.values()):
        pipelines += 1                                    # GitLab CI
        for name, job in doc.items():
            cmds = job.get("before_script", []) + job["script"]
            check_commands(f"block {n} (GitLab job {name})", cmds, job["artifacts"]["paths"])
    else:                                                 # an install-from-source snippet
        snippets += 1
        steps = doc if isinstance(doc, list) else doc.get("before_script", [])
        s = "\n".join(x.get("run", "") if isinstance(x, dict) else str(x) for x in steps)
        if not re.search(r"make -C \S+ build", s) or "cmake --install" not in s:
            bad.append(f"block {n}: the from-source snippet should run 'make -C DIR build' and 'cmake --install'")
if pipelines < 2: bad.append(f"only {pipelines} complete pipelines found (GitHub and GitLab wanted)")
for b in bad: print("FAIL:", b)
print(f"docs/ci.md: {pipelines} pipelines and {snippets} snippets parsed; {len(bad)} problem(s)")
sys.exit(1 if bad else 0)
PY
