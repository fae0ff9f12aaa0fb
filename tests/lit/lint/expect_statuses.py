"""expect_statuses.py SUPC: reads lines `STATUS ARGS...` from standard input (# comments,
blank lines, %S in ARGS replaced by this file's directory) and runs `SUPC ARGS...` for
each, failing unless every exit status is exactly STATUS. One Python for many runs: the
exit statuses of lint are a table."""
import os
import shlex
import subprocess
import sys

supc = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
failures = []
count = 0
for line in sys.stdin:
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    want, *args = shlex.split(line.replace("%S", here))
    got = subprocess.run([supc, *args], capture_output=True).returncode
    count += 1
    if got != int(want):
        failures.append(f"expected {want}, got {got}: supc {' '.join(args)}")
if failures:
    sys.exit("\n".join(failures))
print(f"{count} exit statuses as expected")
