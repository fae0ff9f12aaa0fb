#!/usr/bin/env python3
"""e2e.subproject.*: supc added to another project's build (add_subdirectory or FetchContent).

    run.py --source S --project P --work W --via add_subdirectory|FetchContent

Configures P (tests/e2e/package/project), which adds supc's source tree S, and checks that:

  - supc builds only what the project uses: the compiler, the runtime, the standard library
    and the project's program exist as targets; supc's tests, examples and benchmarks do not,
    and CTest knows no test;
  - the project's build type is left alone: the cache keeps it empty when the project sets
    none (a top-level supc would choose RelWithDebInfo), and keeps Debug when it says Debug;
  - asked with -DSUPC_BUILD_TESTS=ON, supc's test programs are there;
  - the build would run supc compile on the spec and link the program (ninja -n: building
    supc again here would cost minutes and prove nothing new);
  - with -DSUPC_EXECUTABLE=<this build's supc> (a prebuilt compiler) on a machine where
    ANTLR and LLVM cannot be found (CMAKE_DISABLE_FIND_PACKAGE_LLVM and _antlr4-runtime:
    find_package of either fails), the project configures, the compiler is no target,
    supc_generate runs the prebuilt supc; via FetchContent the program is built (the
    runtime and std only, besides it) and run.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

OWN = ["hello", "supc", "sup_runtime", "sup_std"]
NOT_BY_DEFAULT = ["runtime_tests", "stdlib_tests", "supc_compiler_tests", "e2e_generated",
                  "e2e_stdlib", "phoenix_app", "financial_app", "worker_pool", "game_rooms",
                  "supbench", "observe_fixture", "observe_tests"]


def fail(message):
    sys.exit(f"FAILED: {message}")


def run(*cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    if r.returncode != 0:
        fail(f"exit status {r.returncode}: {' '.join(cmd)}\n{r.stdout}")
    return r.stdout


def cache_value(build, name):
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        for line in f:
            m = re.match(rf"{name}:[A-Z]+=(.*)$", line.rstrip("\n"))
            if m:
                return m.group(1)
    return None


def targets(build):
    """The build system's targets, as CMake's file API (codemodel) lists them."""
    reply = os.path.join(build, ".cmake", "api", "v1", "reply")
    index = max(f for f in os.listdir(reply) if f.startswith("index-"))
    with open(os.path.join(reply, index)) as f:
        codemodel = json.load(f)["reply"]["codemodel-v2"]["jsonFile"]
    with open(os.path.join(reply, codemodel)) as f:
        model = json.load(f)
    return {t["name"] for c in model["configurations"] for t in c["targets"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", required=True, help="supc's source tree")
    ap.add_argument("--project", required=True)
    ap.add_argument("--work", required=True, help="scratch directory (removed first)")
    ap.add_argument("--via", required=True, choices=["add_subdirectory", "FetchContent"])
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--ctest", default="ctest")
    ap.add_argument("--supc", required=True, help="a built supc, as a prebuilt one")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)

    def configure(name, *extra):
        build = os.path.join(args.work, name)
        query = os.path.join(build, ".cmake", "api", "v1", "query")
        os.makedirs(query)
        open(os.path.join(query, "codemodel-v2"), "w").close()
        cmd = [args.cmake, "-S", args.project, "-B", build, "-G", "Ninja", "-Wno-dev",
               "-DUSE_SUPC_SOURCE=" + args.source]
        if args.via == "FetchContent":
            cmd.append("-DUSE_FETCHCONTENT=ON")
        run(*cmd, *extra)
        return build

    build = configure("default")
    have = targets(build)
    missing = [t for t in OWN if t not in have]
    if missing:
        fail(f"targets missing: {missing}")
    print(f"ok: {', '.join(OWN)} are targets")
    extra = [t for t in NOT_BY_DEFAULT if t in have]
    if extra:
        fail(f"supc's own tests, examples or benchmarks are built: {extra}")
    print("ok: none of supc's tests, examples and benchmarks is a target")
    tests = run(args.ctest, "--test-dir", build, "-N")
    if "Total Tests: 0" not in tests:
        fail(f"the project's CTest lists supc's tests:\n{tests}")
    print("ok: CTest lists no test of supc's")
    if cache_value(build, "CMAKE_BUILD_TYPE") != "":
        fail(f"CMAKE_BUILD_TYPE is '{cache_value(build, 'CMAKE_BUILD_TYPE')}' in the cache, "
             "the project set none")
    print("ok: no build type set by the project, none in the cache")

    plan = run(args.cmake, "--build", build, "--target", "hello", "--", "-n")
    for text in ("supc compile hello.sup", "Linking CXX executable hello"):
        if text not in plan:
            fail(f"the build would not run '{text}':\n{plan}")
    print("ok: the build would run supc compile and link hello")

    build = configure("debug", "-DCMAKE_BUILD_TYPE=Debug")
    if cache_value(build, "CMAKE_BUILD_TYPE") != "Debug":
        fail(f"CMAKE_BUILD_TYPE is '{cache_value(build, 'CMAKE_BUILD_TYPE')}', not Debug")
    print("ok: the project's Debug stays Debug")

    build = configure("with-tests", "-DSUPC_BUILD_TESTS=ON")
    have = targets(build)
    if not {"runtime_tests", "stdlib_tests", "supc_compiler_tests"} <= have:
        fail("-DSUPC_BUILD_TESTS=ON did not add supc's tests")
    print("ok: asked for, supc's tests are there")

    supc = os.path.abspath(args.supc)
    build = configure("prebuilt", "-DSUPC_EXECUTABLE=" + supc, "-DSUPC_BUILD_OBSERVE=OFF",
                      "-DCMAKE_DISABLE_FIND_PACKAGE_LLVM=ON",
                      "-DCMAKE_DISABLE_FIND_PACKAGE_antlr4-runtime=ON")
    have = targets(build)
    if "supc" in have or not {"hello", "sup_runtime", "sup_std"} <= have:
        fail(f"with SUPC_EXECUTABLE, the targets are {sorted(have)}")
    print("ok: with SUPC_EXECUTABLE and no ANTLR or LLVM: no compiler target; hello, the "
          "runtime and std are")
    plan = run(args.cmake, "--build", build, "--target", "hello", "--", "-n", "-v")
    if f"{supc} compile" not in plan:
        fail(f"the build would not run the prebuilt supc:\n{plan}")
    print("ok: supc_generate runs the prebuilt supc")
    if args.via == "FetchContent":
        out = run(args.cmake, "--build", build, "--target", "hello")
        if "supc/compiler" in out.replace(os.path.dirname(supc), ""):
            fail(f"the build compiled part of the compiler:\n{out}")
        hello = run(os.path.join(build, "hello"))
        print(f"ok: built without the compiler, and it runs: {hello.strip()[:200]}")
    print(f"e2e.subproject via {args.via}: all passed")


if __name__ == "__main__":
    main()
