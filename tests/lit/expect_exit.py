#!/usr/bin/env python3
"""expect_exit.py [--unescape] N COMMAND...: runs COMMAND; exits 0 only if its exit status
is N.

lit's internal shell cannot test $?; this lets tests pin exact exit statuses (2 for spec
errors, 64 for usage errors) rather than just 'non-zero'. A command killed by a signal
never matches. With --unescape, `\\xHH`, `\\n`, `\\t` and `\\\\` in COMMAND's words become
those bytes (control characters and bytes that are not UTF-8, which a lit RUN line cannot
hold)."""
import re
import subprocess
import sys

args = sys.argv[1:]
unescape = args[0] == "--unescape"
if unescape:
    args = args[1:]
want = int(args[0])
command = args[1:]
if unescape:
    names = {"n": b"\n", "t": b"\t", "\\": b"\\"}

    def decode(word):
        raw = word.encode("utf-8", "surrogateescape")
        return re.sub(rb"\\(x[0-9a-fA-F]{2}|[nt\\])",
                      lambda m: bytes([int(m.group(1)[1:], 16)]) if m.group(1)[:1] == b"x"
                      else names[m.group(1).decode()], raw)

    command = [decode(w) for w in command]
got = subprocess.call(command)
if got != want:
    shown = " ".join(repr(w) if isinstance(w, bytes) else w for w in command)
    sys.stderr.write(f"expected exit status {want}, got {got}: {shown}\n")
    sys.exit(1)
