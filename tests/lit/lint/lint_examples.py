"""lint_examples.py SUPC EXAMPLES_DIR: lints every .sup under EXAMPLES_DIR, one run per
file; each must lint clean (a finding is acceptable only with a suppression that gives its
reason, which the linter checks): exit status 0 and nothing printed."""
import pathlib
import subprocess
import sys

supc, root = sys.argv[1], pathlib.Path(sys.argv[2])
specs = sorted(root.rglob("*.sup"))
if not specs:
    sys.exit(f"no .sup files under {root}")
bad = []
for spec in specs:
    run = subprocess.run([supc, "lint", "--werror", str(spec)], capture_output=True, text=True)
    if run.returncode != 0 or run.stdout or run.stderr:
        bad.append(f"{spec}: exit {run.returncode}\n{run.stdout}{run.stderr}")
if bad:
    sys.exit("examples that do not lint clean:\n" + "\n".join(bad))
print(f"{len(specs)} examples lint clean")
