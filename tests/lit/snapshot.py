#!/usr/bin/env python3
"""snapshot.py PATH...: prints every file and directory under each PATH (recursively, in
sorted order) with its type, modification time in nanoseconds and, for a file, a hash of
its contents: two snapshots that compare equal mean nothing was created, removed, written
or touched. A PATH that does not exist prints as missing; bytes in names that are not
printable ASCII print as \\xHH."""
import hashlib
import os
import sys


def printable(name):
    """Bytes outside printable ASCII as \\xHH, so each entry is one line."""
    return "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in os.fsencode(name))


def describe(path, shown):
    st = os.lstat(path)
    if os.path.isdir(path) and not os.path.islink(path):
        print(f"dir  {printable(shown)} {st.st_mtime_ns}")
        for name in sorted(os.listdir(path)):
            describe(os.path.join(path, name), os.path.join(shown, name))
    else:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:16]
        print(f"file {printable(shown)} {st.st_mtime_ns} {digest}")


for arg in sys.argv[1:]:
    if os.path.lexists(arg):
        describe(arg, os.path.basename(arg))
    else:
        print(f"missing {printable(os.path.basename(arg))}")
