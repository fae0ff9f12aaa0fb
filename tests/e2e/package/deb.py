#!/usr/bin/env python3
"""e2e.package.deb: `cpack -G DEB` packs the already-built tree; the .deb, unpacked into a
scratch root (dpkg -x, no root rights needed), holds what docs/install.md says, and a
project outside the tree builds and runs against it (find_package(supc) from the scratch
root, supc_generate running the packaged supc and its std.sup).

    deb.py --build-dir B --project P --work W [--cmake cmake] [--cpack cpack]

Prints the package's information and file list. Exit 77 (skipped) without dpkg-deb."""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def fail(message):
    sys.exit(f"FAILED: {message}")


def run(*cmd, cwd=None, env=None):
    r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=600)
    if r.returncode != 0:
        fail(f"exit status {r.returncode}: {' '.join(cmd)}\n{r.stdout}")
    return r.stdout


ap = argparse.ArgumentParser()
ap.add_argument("--build-dir", required=True)
ap.add_argument("--project", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--cmake", default="cmake")
ap.add_argument("--cpack", default="cpack")
args = ap.parse_args()
if not shutil.which("dpkg-deb"):
    print("dpkg-deb is not installed: e2e.package.deb is skipped")
    sys.exit(77)

work = os.path.abspath(args.work)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
run(args.cpack, "-G", "DEB", "-B", work, "--config",
    os.path.join(args.build_dir, "CPackConfig.cmake"))
debs = glob.glob(os.path.join(work, "*.deb"))
if len(debs) != 1:
    fail(f"expected one .deb, found {debs}")
deb = debs[0]
info = run("dpkg-deb", "--info", deb)
files = run("dpkg-deb", "--contents", deb)
print(f"-- {os.path.basename(deb)}\n{info}\n{files}")
for field in ("Package: supc", "Version: ", "Depends: ", "Description: "):
    if field not in info:
        fail(f"no '{field}' in the package's control file")

root = os.path.join(work, "root")
run("dpkg", "-x", deb, root)
usr = os.path.join(root, "usr")
expected = ["bin/supc", "share/supc/stdlib/std.sup", "include/sup/runtime.hpp",
            "share/man/man1/supc.1", "share/man/man1/supc-check.1", "share/man/man1/supc-lint.1",
            "share/bash-completion/completions/supc", "share/zsh/vendor-completions/_supc",
            "share/doc/supc/LICENSE"]
found = {os.path.relpath(os.path.join(d, f), usr) for d, _, fs in os.walk(usr) for f in fs}
for path in expected:
    if path not in found:
        fail(f"the package has no /usr/{path}")
for pattern in ("libsup_runtime.", "libsup_std.", "supcConfig.cmake", "supcConfigVersion.cmake",
                "SupcGenerate.cmake", "supcRuntimeTargets.cmake", "supcToolTargets.cmake"):
    if not any(os.path.basename(f).startswith(pattern) for f in found):
        fail(f"the package has no {pattern}*")
print("ok: supc, std.sup, headers, libraries, the CMake package, man pages, completions, LICENSE")

# The packaged supc runs from the scratch root and finds its std.sup there.
env = dict(os.environ)
env.pop("SUPC_STDLIB", None)
supc = os.path.join(usr, "bin", "supc")
spec = os.path.join(work, "uses_std.sup")
with open(spec, "w") as f:
    f.write('import "std";\napplication App {\n    child registry = std.Registry(keys = unique);\n}\n')
run(supc, "check", spec, env=env)
print("ok: the packaged supc checks a spec importing std, from its own std.sup")

build = os.path.join(work, "build")
run(args.cmake, "-S", args.project, "-B", build, "-G", "Ninja", "-Wno-dev",
    "-DCMAKE_PREFIX_PATH=" + usr, "-DCMAKE_FIND_PACKAGE_NO_SYSTEM_PACKAGE_REGISTRY=ON", env=env)
with open(os.path.join(build, "CMakeCache.txt")) as f:
    cache = f.read()
if f"supc_DIR:PATH={usr}" not in cache:
    fail("find_package(supc) did not find the unpacked package")
run(args.cmake, "--build", build, env=env)
out = run(os.path.join(build, "hello"), env=env)
print(f"ok: a project built against the unpacked .deb runs: {out.strip()}")
# find_package(supc COMPONENTS ...): the components the package has are found, an unknown
# one is not (and is an error when REQUIRED).
comp = os.path.join(work, "components")
os.makedirs(comp)
with open(os.path.join(comp, "CMakeLists.txt"), "w") as f:
    f.write("""cmake_minimum_required(VERSION 3.25)
project(components CXX)
find_package(supc 0.1 REQUIRED COMPONENTS runtime std compiler)
foreach(t supc::runtime supc::std supc::supc)
  if(NOT TARGET ${t})
    message(FATAL_ERROR "no ${t}")
  endif()
endforeach()
find_package(supc 0.1 QUIET COMPONENTS runtime nosuch)
message(STATUS "with nosuch: found=${supc_FOUND} runtime=${supc_runtime_FOUND} nosuch=${supc_nosuch_FOUND}")
""")
out = run(args.cmake, "-S", comp, "-B", os.path.join(comp, "build"), "-DCMAKE_PREFIX_PATH=" + usr,
          env=env)
if "with nosuch: found=0 runtime=TRUE nosuch=FALSE" not in out:
    fail(f"COMPONENTS: unexpected result:\n{out}")
with open(os.path.join(comp, "CMakeLists.txt"), "a") as f:
    f.write("find_package(supc 0.1 REQUIRED COMPONENTS nosuch)\n")
r = subprocess.run([args.cmake, "-S", comp, "-B", os.path.join(comp, "build2"),
                    "-DCMAKE_PREFIX_PATH=" + usr], env=env, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT, text=True, timeout=120)
if r.returncode == 0 or "unknown component 'nosuch'" not in r.stdout:
    fail(f"REQUIRED COMPONENTS nosuch did not fail with its reason:\n{r.stdout}")
print("ok: find_package(supc COMPONENTS runtime std compiler) finds the targets; an unknown "
      "component is not found, and REQUIRED fails naming it")
print("e2e.package.deb: all passed")
