"""Runs `supc explain CODE` for every code of `supc explain --list`: each must print its
own code, an example and a fix, and the codes must be E001, E002, ... then the lint rules
L000, L001, ..., without gaps."""
import subprocess
import sys

supc, listing = sys.argv[1], sys.argv[2]
codes = [line.split()[0] for line in open(listing) if line.strip()]
errors = [c for c in codes if c.startswith("E")]
rules = [c for c in codes if c.startswith("L")]
expected = [f"E{n:03d}" for n in range(1, len(errors) + 1)] + [f"L{n:03d}" for n in range(len(rules))]
if codes != expected:
    sys.exit(f"codes are not E001..E{len(errors):03d} then L000..L{len(rules) - 1:03d}, in order: {codes}")
for code in codes:
    out = subprocess.run([supc, "explain", code], capture_output=True, text=True, check=True).stdout
    if not out.startswith(code + " (") or "\nExample:\n" not in out or "\nFix:\n" not in out:
        sys.exit(f"explain {code} is incomplete:\n{out}")
print(f"{len(codes)} codes explained")
