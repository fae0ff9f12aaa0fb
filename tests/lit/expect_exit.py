#!/usr/bin/env python3
"""expect_exit.py N COMMAND...: runs COMMAND; exits 0 only if its exit status is N.

lit's internal shell cannot test $?; this lets tests pin exact exit statuses (2 for spec
errors, 64 for usage errors) rather than just 'non-zero'. A command killed by a signal
never matches."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.stderr.write(f"expected exit status {want}, got {got}: {' '.join(sys.argv[2:])}\n")
    sys.exit(1)
