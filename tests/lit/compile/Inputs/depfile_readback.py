#!/usr/bin/env python3
"""depfile_readback.py SUPC WORKDIR SPEC STD: copies SPEC (and the spec it imports,
Inputs/shared.sup beside it) under directories whose names need every escape a depfile
has (a space, '#', '$', ':'), runs `supc compile --depfile`, then has the real readers
read the depfile back: Ninja (a `deps = gcc` edge, then `ninja -t deps`) and GNU Make (a
rule for the header: it must find every prerequisite under the name it read, and remake
the header when the import changes). Prints what each read."""
import os
import shutil
import subprocess
import sys

supc, work, spec = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
root = os.path.join(work, "a dir#1 $HOME:x")
os.makedirs(os.path.join(root, "Inputs"))
shutil.copy(spec, os.path.join(root, "app.sup"))
shutil.copy(os.path.join(os.path.dirname(spec), "Inputs", "shared.sup"),
            os.path.join(root, "Inputs", "shared.sup"))
out = "gen dir"  # relative to WORKDIR, where Ninja and Make run
out_abs = os.path.join(work, out)
want = [os.path.join(root, "app.sup"), os.path.join(root, "Inputs", "shared.sup")]
# The spec imports std too: a copy, whose time stamp the test sets.
os.makedirs(os.path.join(work, "stdlib"))
std = os.path.join(work, "stdlib", "std.sup")
shutil.copy(sys.argv[4], std)

# Ninja: the edge that runs supc records the depfile in its deps log.
# (In build.ninja, "$ " is a space in a path.)
with open(os.path.join(work, "build.ninja"), "w") as f:
    f.write("rule supc\n"
            f"  command = {supc} compile $in -o '{out}' --depfile app.d --stdlib stdlib\n"
            "  depfile = app.d\n"
            "  deps = gcc\n"
            "build gen$ dir/app.sup.hpp gen$ dir/app.sup.cpp: supc "
            "a$ dir#1$ $$HOME$:x/app.sup\n")
subprocess.run(["ninja", "-C", work, "-d", "keepdepfile"], check=True, stdout=subprocess.DEVNULL)
deps = subprocess.run(["ninja", "-C", work, "-t", "deps", "gen dir/app.sup.hpp"], check=True,
                      capture_output=True, text=True).stdout
read = [line.strip() for line in deps.splitlines()[1:] if line.strip()]
print("ninja read:", read)
print("ninja:", "ok" if read == want + [std] else "WRONG")

# GNU Make: the depfile is included; Make stops if a prerequisite it read does not exist,
# and remakes the header when one it read is newer.
with open(os.path.join(work, "Makefile"), "w") as f:
    f.write("all: gen\\ dir/app.sup.hpp\n"
            "include app.d\n"
            "gen\\ dir/app.sup.hpp:\n\t@echo remade the header\n")
def make():
    r = subprocess.run(["make", "-s", "-C", work], capture_output=True, text=True)
    return (r.stdout + r.stderr).strip() or "nothing to do"
header = os.path.join(out_abs, "app.sup.hpp")
for path, t in [(want[0], 1000), (want[1], 1000), (std, 1000), (header, 2000)]:
    os.utime(path, (t, t))
print("make, the header newer:", make())
os.utime(want[1], (3000, 3000))
print("make, the import newer:", make())
