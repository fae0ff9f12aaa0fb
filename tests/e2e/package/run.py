#!/usr/bin/env python3
"""e2e.package.<generator>: supc installed, then used by a project outside its tree.

    run.py --build-dir B --project P --work W --generator "Ninja"|"Unix Makefiles"

Installs the already-built supc (compiler, runtime, std) into W/prefix, configures and builds
P against it with find_package(supc) and the given CMake generator, runs the program; then
checks that the build does the least work, by what the build tool ran (its output) and by
the files' time stamps:

  - a second build runs nothing;
  - touching a spec that hello.sup imports runs `supc compile` once, and (same generated
    code) compiles and links nothing, then the next build runs nothing;
  - a comment added to hello.sup: the same;
  - a changed value: regenerated, recompiled, relinked, and the program prints it.

Edits are made only once the clock has moved past every file the build wrote, so that an
edit is never as old as an output (file systems keep time in ticks, not nanoseconds).
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

SUPC_RAN = "supc compile hello.sup"
COMPILED = "Building CXX"
LINKED = "Linking CXX"


def fail(message):
    sys.exit(f"FAILED: {message}")


def run(*cmd, cwd=None):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    if r.returncode != 0:
        fail(f"exit status {r.returncode}: {' '.join(cmd)}\n{r.stdout}")
    return r.stdout


class Project:
    def __init__(self, args):
        self.work = os.path.abspath(args.work)
        self.src = os.path.join(self.work, "src")
        self.build = os.path.join(self.work, "build")
        self.generator = args.generator
        self.cmake = args.cmake

    def build_once(self, what):
        out = run(self.cmake, "--build", self.build)
        print(f"-- {what}:\n{out.rstrip()}")
        return out

    def generated(self):
        """The files whose time stamps say whether something was rewritten or rebuilt."""
        gen = os.path.join(self.build, "supc_generated", "hello")
        files = [os.path.join(gen, "hello.sup.hpp"), os.path.join(gen, "hello.sup.cpp"),
                 os.path.join(self.build, "hello")]
        for root, _, names in os.walk(os.path.join(self.build, "CMakeFiles", "hello.dir")):
            files += [os.path.join(root, n) for n in names if n.endswith(".o")]
        return {f: os.stat(f).st_mtime_ns for f in sorted(files)}

    def wait_past_outputs(self):
        """Returns once a file written now is newer than everything in the build tree."""
        newest = 0
        for root, _, names in os.walk(self.build):
            for n in names:
                newest = max(newest, os.stat(os.path.join(root, n)).st_mtime_ns)
        probe = os.path.join(self.work, "clock.probe")
        deadline = time.monotonic() + 10
        while True:
            with open(probe, "w") as f:
                f.write("tick")
            if os.stat(probe).st_mtime_ns > newest:
                return
            if time.monotonic() > deadline:
                fail("the file system's clock did not move past the build's outputs in 10 s")
            time.sleep(0.002)

    def edit(self, name, change):
        self.wait_past_outputs()
        path = os.path.join(self.src, name)
        with open(path) as f:
            text = f.read()
        new = change(text)
        with open(path, "w") as f:
            f.write(new)
        os.utime(path)  # a touch: the contents may be the same


def expect_count(out, text, n, what):
    got = out.count(text)
    if got != n:
        fail(f"{what}: expected '{text}' {n} time(s), found {got}")
    print(f"ok: {what}")


def expect_nothing_ran(p, out, what):
    for marker in (SUPC_RAN, COMPILED, LINKED):
        if marker in out:
            fail(f"{what}: the build ran '{marker}'")
    if p.generator == "Ninja" and "no work to do" not in out:
        fail(f"{what}: ninja did something")
    print(f"ok: {what}")


def expect_regenerated_only(p, before, what):
    out = p.build_once(what)
    expect_count(out, SUPC_RAN, 1, f"{what}: supc compile runs once")
    if COMPILED in out or LINKED in out:
        fail(f"{what}: the same generated code was recompiled or relinked")
    after = p.generated()
    touched = [f for f in before if after[f] != before[f]]
    if touched:
        fail(f"{what}: rewritten or rebuilt: {touched}")
    print(f"ok: {what}: nothing recompiled, relinked or rewritten")
    expect_nothing_ran(p, p.build_once(f"{what}, then again"), f"{what}: then nothing more")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", required=True, help="supc's build tree (installed from)")
    ap.add_argument("--project", required=True, help="the project to build against it")
    ap.add_argument("--work", required=True, help="scratch directory (removed first)")
    ap.add_argument("--generator", required=True)
    ap.add_argument("--cmake", default="cmake")
    args = ap.parse_args()
    p = Project(args)

    shutil.rmtree(p.work, ignore_errors=True)
    os.makedirs(p.work)
    run(p.cmake, "--install", args.build_dir, "--prefix", os.path.join(p.work, "prefix"))
    # The project's sources are copied: editing one must not touch supc's tree.
    shutil.copytree(args.project, p.src)
    run(p.cmake, "-S", p.src, "-B", p.build, "-G", p.generator,
        "-DCMAKE_PREFIX_PATH=" + os.path.join(p.work, "prefix"), "-DCMAKE_BUILD_TYPE=Release",
        "-DHELLO_WERROR=ON")

    out = p.build_once("first build")
    expect_count(out, SUPC_RAN, 1, "the build runs supc compile once")
    hello = os.path.join(p.build, "hello")
    if "hello from the package" not in run(hello):
        fail("the program built from the installed package does not greet")
    print("ok: the program built from the installed package runs")
    expect_nothing_ran(p, p.build_once("second build"), "a second build does nothing")

    p.edit("kinds.sup", lambda t: t)
    expect_regenerated_only(p, p.generated(), "touching an imported spec")
    before = p.generated()
    p.edit("kinds.sup", lambda t: t + "// a comment in the imported spec\n")
    expect_regenerated_only(p, before, "a comment added to the imported spec")
    before = p.generated()
    p.edit("hello.sup", lambda t: t + "// a comment after the application\n")
    expect_regenerated_only(p, before, "a comment added to the spec")

    p.edit("hello.sup", lambda t: t.replace('"package"', '"changed package"'))
    out = p.build_once("a changed value")
    expect_count(out, SUPC_RAN, 1, "an edited spec is regenerated once")
    expect_count(out, "Linking CXX executable hello", 1, "and relinked")
    if "hello from the changed package" not in run(hello):
        fail("the rebuilt program does not print the new value")
    print("ok: with the new value")
    expect_nothing_ran(p, p.build_once("after the change"), "then nothing more")
    print(f"e2e.package with {p.generator}: all passed")


if __name__ == "__main__":
    main()
