#!/usr/bin/env python3
"""check_action.py ACTION_YML SUPC: checks the GitHub Action (action.yml) as far as it can be
without GitHub: a composite action whose steps each name a shell (composite actions need
one) or use an action; every `inputs.X` and `steps.Y` it refers to exists; the lint step's
script, run by bash with the runner's environment stand-ins (GITHUB_OUTPUT, the inputs as
its env), writes a SARIF log and the exit code to GITHUB_OUTPUT, on a scratch git repository
with a spec that has a finding. Exit 77 when PyYAML is missing."""
import os
import re
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("PyYAML is not installed: the action's check is skipped")
    sys.exit(77)

action = yaml.safe_load(open(sys.argv[1]))
supc = os.path.abspath(sys.argv[2])
runs = action["runs"]
if runs["using"] != "composite":
    sys.exit("FAILED: not a composite action")
ids = {s.get("id") for s in runs["steps"]}
text = open(sys.argv[1]).read()
for name in re.findall(r"inputs\.([a-z-]+)", text):
    if name not in action["inputs"]:
        sys.exit(f"FAILED: inputs.{name} is not an input")
for name in re.findall(r"steps\.([a-z-]+)\.", text):
    if name not in ids:
        sys.exit(f"FAILED: steps.{name} is not a step")
for step in runs["steps"]:
    if "run" in step and "shell" not in step:
        sys.exit(f"FAILED: step '{step['name']}' has no shell")
    if "run" not in step and "uses" not in step:
        sys.exit(f"FAILED: step '{step['name']}' neither runs nor uses")
print(f"ok: composite, {len(runs['steps'])} steps, inputs and step ids resolve")

lint = next(s for s in runs["steps"] if s.get("id") == "lint")
with tempfile.TemporaryDirectory() as work:
    env = dict(os.environ, PATH=os.path.dirname(supc) + os.pathsep + os.environ["PATH"],
               GITHUB_OUTPUT=os.path.join(work, "output"), SUPC_FILES="*.sup", SUPC_ARGS="--werror",
               SUPC_SARIF="supc.sarif", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    with open(os.path.join(work, "app.sup"), "w") as f:
        f.write('worker Repo = "app::Repo" from "app/repo.hpp";\n\n'
                'application App {\n    strategy = one_for_all;\n    child repo = Repo;\n}\n')
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "app.sup"], cwd=work, check=True)
    r = subprocess.run(["bash", "-e", "-c", lint["run"]], cwd=work, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit(f"FAILED: the lint step failed:\n{r.stdout}")
    output = open(env["GITHUB_OUTPUT"]).read()
    sarif = open(os.path.join(work, "supc.sarif")).read()
    if "exit-code=1" not in output or '"ruleId": "L011"' not in sarif:
        sys.exit(f"FAILED: output {output!r}; SARIF:\n{sarif[:500]}")
    if "::error file=app.sup,line=4," not in r.stdout:
        sys.exit(f"FAILED: no annotation in the step's log:\n{r.stdout}")
    print("ok: the lint step annotates, writes the SARIF log and exit-code=1 (--werror)")
