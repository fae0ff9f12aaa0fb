#!/usr/bin/env python3
"""e2e.precommit: the hooks of .pre-commit-hooks.yaml, run by a real pre-commit (Debian's),
offline, as a project that uses them runs them.

    run.py --source S --supc PATH_TO_SUPC --work W

Makes a hooks repository from S's .pre-commit-hooks.yaml (a git repository with one commit,
as pre-commit clones a hooks repository from a URL: here its path, no network), and a
project repository whose .pre-commit-config.yaml uses supc-fmt, supc-check and supc-lint
from it at that commit, with the built supc first on PATH; then, with `pre-commit run
--all-files`:
  - formatted, checking, lint-clean specs: every hook passes;
  - a spec not formatted: supc-fmt fails and names it; `supc fmt --write` fixes it;
  - a spec with an error: supc-check fails with its diagnostic;
  - a lint warning: supc-lint passes, and fails with args: [--werror].
Exit 77 (skipped) when pre-commit or git is not installed."""
import argparse
import os
import shutil
import subprocess
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--source", required=True)
parser.add_argument("--supc", required=True)
parser.add_argument("--work", required=True)
args = parser.parse_args()
args.supc = os.path.abspath(args.supc)

for tool in ("pre-commit", "git"):
    if not shutil.which(tool):
        print(f"{tool} is not installed (Debian: {tool}): e2e.precommit is skipped")
        sys.exit(77)

work = os.path.abspath(args.work)
shutil.rmtree(work, ignore_errors=True)
hooks, project = os.path.join(work, "hooks"), os.path.join(work, "project")
os.makedirs(hooks)
os.makedirs(os.path.join(project, "specs"))
env = dict(os.environ,
           PATH=os.path.dirname(args.supc) + os.pathsep + os.environ["PATH"],
           PRE_COMMIT_HOME=os.path.join(work, "cache"),  # not the user's ~/.cache
           GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
           GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
           GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1",
           # No network: a proxy that does not exist makes any attempt fail loudly.
           http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")
env.pop("SUPC_STDLIB", None)


def run(cmd, cwd, expect=0):
    r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=300)
    if expect is not None and r.returncode != expect:
        sys.exit(f"FAILED: {' '.join(cmd)}: exit {r.returncode}, expected {expect}\n{r.stdout}")
    return r.stdout


def need(text, what, where):
    if text not in where:
        sys.exit(f"FAILED: expected {what!r} in:\n{where}")


shutil.copy(os.path.join(args.source, ".pre-commit-hooks.yaml"), hooks)
run(["git", "init", "-q"], hooks)
run(["git", "add", "."], hooks)
run(["git", "commit", "-q", "-m", "hooks"], hooks)
rev = run(["git", "rev-parse", "HEAD"], hooks).strip()


def configure(lint_args):
    with open(os.path.join(project, ".pre-commit-config.yaml"), "w") as f:
        f.write(f"""repos:
  - repo: {hooks}
    rev: {rev}
    hooks:
      - id: supc-fmt
      - id: supc-check
      - id: supc-lint
        args: {lint_args}
""")


def spec(name, text):
    with open(os.path.join(project, "specs", name), "w") as f:
        f.write(text)
    run(["git", "add", "-A"], project)


GOOD = ('worker Repo = "app::Repo" from "app/repo.hpp";\n\n'
        'application App {\n    child repo = Repo;\n}\n')
run(["git", "init", "-q"], project)
configure("[]")
spec("app.sup", GOOD)

out = run(["pre-commit", "run", "--all-files"], project)
for hook in ("supc fmt --check", "supc check", "supc lint"):
    need(hook, "each hook ran", out)
print("-- clean specs: every hook passes\n" + out)

spec("messy.sup", 'worker Repo="app::Repo" from "app/repo.hpp";\nsupervisor S{child r=Repo;}\n')
out = run(["pre-commit", "run", "--all-files"], project, expect=1)
need("specs/messy.sup", "supc-fmt naming the file", out)
run([args.supc, "fmt", "--write", "specs/messy.sup"], project)
run(["git", "add", "-A"], project)
out = run(["pre-commit", "run", "supc-fmt", "--all-files"], project)
print("-- a spec not formatted: supc-fmt fails, fmt --write fixes it\n" + out)

spec("broken.sup", 'worker Repo = "app::Repo" from "app/repo.hpp";\n\n'
     'application App {\n    child repo = Repo { restart = permanant; }\n}\n')
out = run(["pre-commit", "run", "supc-check", "--all-files"], project, expect=1)
need("error[E012]: unknown restart type 'permanant'", "supc-check's diagnostic", out)
os.remove(os.path.join(project, "specs", "broken.sup"))
run(["git", "add", "-A"], project)
print("-- a spec with an error: supc-check fails\n" + out)

# L011: one child under one_for_all: a warning.
spec("warned.sup", 'worker Repo = "app::Repo" from "app/repo.hpp";\n\n'
     'application App {\n    strategy = one_for_all;\n    child repo = Repo;\n}\n')
run(["pre-commit", "run", "supc-lint", "--all-files"], project)
configure("[--werror]")
run(["git", "add", "-A"], project)
out = run(["pre-commit", "run", "supc-lint", "--all-files"], project, expect=1)
need("error[L011]", "the finding as an error", out)
print("-- a lint warning: passes, and fails with --werror\n" + out)
print("PASSED")
