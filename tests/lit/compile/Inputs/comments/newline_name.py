"""Copies SPEC to DIR/'two\nlines.sup' and compiles it into DIR/out with SUPC: prints the
exit status and what supc wrote to standard error."""
import os
import shutil
import subprocess
import sys

supc, spec, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
named = os.path.join(work, "two\nlines.sup")
shutil.copy(spec, named)
run = subprocess.run([supc, "compile", named, "-o", os.path.join(work, "out")],
                     capture_output=True, text=True)
print(f"exit {run.returncode}")
print(run.stderr)
