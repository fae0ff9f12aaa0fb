#!/usr/bin/env python3
"""e2e.trees: the generated program's tree, serialised at run time, is `supc dump`'s tree.

    run.py --supc SUPC --build-dir BUILD --source SRC --work DIR [--jobs N]

For every spec of the repository that `supc check` accepts and that has an application
(examples/, tests/ — lit inputs included) and every spec of the hostile corpus that must
compile (tests/robustness/hostile/*.sup: names that collide with generated names, C++
keywords and macros, text that reaches comments, ...):

  1. `supc dump --root NAME` gives the tree each application describes (every variable of
     env() unset);
  2. one CMake project (against supc installed from BUILD, with supc_generate as users
     call it) builds one program per spec, with -Wall -Wextra -Werror: tests/e2e/trees/
     main.cpp with the spec's generated code and, for each worker class the spec names, an
     actor that accepts any constructor arguments (written here into the program's include
     directory under the header path the spec gives). The project also compiles one
     example's generated code with -O2 -fsanitize=address,undefined -Werror (GCC 12's
     false -Wmaybe-uninitialized must not be provoked);
  3. each program starts its applications one after the other, prints
     sup::to_json(sup::inspect(root)) of each and stops it; the tree is compared with the dump node by node: ids in order, the kind
     (worker, supervisor, dynamic_supervisor), restart, shutdown (ms), significant, the
     name a child registers under (local or via, as `dump` writes it), and for
     supervisors strategy, intensity, period (ms), auto_shutdown, backoff, max_children and
     the template of a dynamic supervisor.

Prints one line per program and every difference; exits 1 on any.
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys

# Specs that must be in the corpus (a spec that stops compiling fails the test instead of
# leaving it silently).
REQUIRED = [
    "examples/financial_app/app.sup",
    "examples/game_rooms/app.sup",
    "examples/phoenix_app/app.sup",
    "examples/worker_pool/app.sup",
    "tests/e2e/stdlib/app.sup",
    "tests/e2e/generated/tree.sup",
]
# The example whose generated code is also compiled under ASan+UBSan with -O2 -Werror.
SANITIZED = "examples/phoenix_app/app.sup"

CLASS_RE = re.compile(r'=\s*"((?:::)?[A-Za-z_][A-Za-z0-9_:]*)"\s*from\s*"([^"\n]*)"')


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def clean_env():
    """The environment programs and supc run with: no env() variable set."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "CCACHE_DIR", "CCACHE_BASEDIR", "CCACHE_CONFIGPATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["SUPC_SCHEDULERS"] = "2"
    return env


def candidate_specs(source):
    out = []
    for pattern in ("examples/**/*.sup", "tests/**/*.sup"):
        out += glob.glob(os.path.join(source, pattern), recursive=True)
    return sorted(set(out))


def declares_program(path):
    """A spec with programs (worker W = program "cmd"): children that are processes."""
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return False
    return re.search(r'=\s*program\s*"', text) is not None


def has_application(path):
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return False
    return re.search(r"(^|\n)\s*application\s", text) is not None


def dependencies(supc, spec, stdlib, scratch):
    """The spec's generated files and the specs it depends on (depfile), or None."""
    os.makedirs(scratch, exist_ok=True)
    depfile = os.path.join(scratch, "deps.d")
    r = run([supc, "compile", spec, "-o", scratch, "--depfile", depfile, "--stdlib", stdlib],
            env=clean_env())
    if r.returncode != 0:
        return None
    text = open(depfile).read().replace("\\\n", " ")
    deps = text.split(":", 1)[1].split() if ":" in text else []
    return [d.replace("\\ ", " ") for d in deps]


def generated_imports(scratch):
    """Stems of imported specs whose generated headers the spec's code includes."""
    stems = set()
    for f in glob.glob(os.path.join(scratch, "*.sup.*pp")):
        for m in re.finditer(r'#if __has_include\("(.+)\.sup\.hpp"\)', open(f).read()):
            stems.add(m.group(1))
    return stems


def fixture(include_dir, spec_files):
    """Writes an actor for every worker class the specs name, under the headers they name."""
    classes, headers = set(), set()
    for path in spec_files:
        for m in CLASS_RE.finditer(open(path, encoding="utf-8").read()):
            cls, header = m.group(1).lstrip(":"), m.group(2)
            if header.startswith("sup/"):
                continue  # the standard library's own classes
            classes.add(cls)
            headers.add(header)
    lines = ["#pragma once", "#include <sup/sup.hpp>", "#include <utility>", ""]
    for cls in sorted(classes):
        *ns, name = cls.split("::")
        body = (f"class {name} : public sup::Actor<{name}> {{\npublic:\n"
                f"    template <class... A>\n    explicit {name}(A&&...) {{}}\n}};")
        lines.append(f"namespace {'::'.join(ns)} {{\n{body}\n}}" if ns else body)
    os.makedirs(include_dir, exist_ok=True)
    all_classes = os.path.join(include_dir, "trees_fixture_classes.hpp")
    with open(all_classes, "w") as f:
        f.write("\n".join(lines) + "\n")
    for header in headers:
        path = os.path.join(include_dir, header)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f'#pragma once\n#include "{all_classes}"\n')


def applications(spec_text):
    return [m.group(2) for m in
            re.finditer(r"(^|[\n\r])\s*application\s+([A-Za-z_][A-Za-z0-9_]*)", spec_text)]


def start_function(spec_text, root):
    m = re.search(r"(^|[\n\r])\s*package\s+([A-Za-z0-9_.]+)\s*;", spec_text)
    ns = "::" + "::".join(m.group(2).split(".")) + "::" if m else "::"
    return f"{ns}start_{root}"


# ------------------------------------------------------------------ comparison

def kind_of_template(node):
    return "worker" if node.get("kind") == "worker" else "supervisor"


def backoff(b):
    if b is None:
        return None
    return (b.get("min_ms"), b.get("max_ms"), float(b.get("jitter", 0)))


def compare(dumped, running, path, diffs, root=False):
    def differ(what, a, b):
        if a != b:
            diffs.append(f"{path or '(root)'}: {what}: dump says {a!r}, the program {b!r}")

    if not root:
        differ("id", dumped.get("id"), running.get("id"))
        differ("kind", dumped.get("kind"), running.get("kind"))
        for key in ("restart", "shutdown", "significant", "name"):
            differ(key, dumped.get(key), running.get(key))
    if dumped.get("kind") in ("supervisor", "dynamic_supervisor") and "strategy" in dumped:
        for key in ("strategy", "intensity", "period_ms", "auto_shutdown"):
            differ(key, dumped.get(key), running.get(key))
        differ("backoff", backoff(dumped.get("backoff")), backoff(running.get("backoff")))
        if dumped.get("kind") == "dynamic_supervisor":
            differ("max_children", dumped.get("max_children"), running.get("max_children"))
            t, rt = dumped.get("template") or {}, running.get("template") or {}
            differ("template child_type", kind_of_template(t), rt.get("child_type"))
            for key in ("restart", "shutdown", "significant"):
                differ("template " + key, t.get(key), rt.get(key))
        a, b = dumped.get("children", []), running.get("children", [])
        differ("children", [c.get("id") for c in a], [c.get("id") for c in b])
        for c, rc in zip(a, b):
            if c.get("id") == rc.get("id"):
                compare(c, rc, (path + "/" if path else "") + str(c.get("id")), diffs)


# ------------------------------------------------------------------ the project

PROJECT_HEAD = """cmake_minimum_required(VERSION 3.25)
project(e2e_trees CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
find_package(supc REQUIRED)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--supc", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--jobs", default="2")
    args = ap.parse_args()
    source = os.path.abspath(args.source)
    work = os.path.abspath(args.work)
    stdlib = os.path.join(source, "stdlib")
    here = os.path.dirname(os.path.abspath(__file__))

    shutil.rmtree(os.path.join(work, "src"), ignore_errors=True)
    shutil.rmtree(os.path.join(work, "scratch"), ignore_errors=True)
    os.makedirs(work, exist_ok=True)

    hostile = sorted(p for p in glob.glob(os.path.join(source, "tests/robustness/hostile/*.sup"))
                     if has_application(p))
    specs = []
    for spec in candidate_specs(source):
        if "/robustness/hostile/" in spec or not has_application(spec):
            continue
        if declares_program(spec):
            continue  # its programs' commands are made up: there is nothing to start
        if run([args.supc, "check", spec, "--stdlib", stdlib], env=clean_env()).returncode == 0:
            specs.append(spec)
    for required in REQUIRED:
        if os.path.join(source, required) not in specs:
            sys.exit(f"{required} is not accepted by supc check: it must be in the corpus")
    specs += hostile  # each must compile: a failure below is a failure of the test

    programs, failures = [], []
    for i, spec in enumerate(specs):
        rel = os.path.relpath(spec, source)
        text = open(spec, encoding="utf-8").read()
        roots = applications(text)
        trees = []
        for root in roots:
            dump = run([args.supc, "dump", spec, "--root", root, "--stdlib", stdlib],
                       env=clean_env())
            if dump.returncode != 0:
                failures.append(f"{rel}: supc dump --root {root} failed:\n{dump.stderr}")
                break
            trees.append(json.loads(dump.stdout))
        if not roots:
            failures.append(f"{rel}: no application found")
        if not roots or len(trees) != len(roots):
            continue
        scratch = os.path.join(work, "scratch", f"p{i}")
        deps = dependencies(args.supc, spec, stdlib, scratch)
        if deps is None:
            failures.append(f"{rel}: supc compile failed")
            continue
        deps = [d for d in deps if not os.path.abspath(d).startswith(stdlib + os.sep)]
        stems = generated_imports(scratch)
        imported = [d for d in deps if os.path.abspath(d) != os.path.abspath(spec) and
                    os.path.basename(d)[:-len(".sup")] in stems]
        include = os.path.join(work, "src", f"p{i}", "include")
        fixture(include, [spec] + [d for d in deps if d.endswith(".sup")])
        stem = os.path.basename(spec)[:-len(".sup")]
        main_cpp = open(os.path.join(here, "main.cpp")).read()
        main_cpp = main_cpp.replace("#include TREE_HEADER", f'#include "{stem}.sup.hpp"')
        starts = "\n    ".join(f"status |= show(rt, {start_function(text, root)}(rt));"
                               for root in roots)
        main_cpp = main_cpp.replace("\n    TREE_STARTS\n", "\n    " + starts + "\n")
        with open(os.path.join(work, "src", f"p{i}", "main.cpp"), "w") as f:
            f.write(main_cpp)
        programs.append({"name": f"p{i}", "spec": spec, "rel": rel, "trees": trees,
                         "roots": roots,
                         "specs": [spec] + imported, "include": include})

    cmake = [PROJECT_HEAD]
    first = None
    for p in programs:
        quoted = " ".join(f'"{s}"' for s in p["specs"])
        cmake.append(f'add_executable({p["name"]} {p["name"]}/main.cpp)  # {p["rel"]}\n'
                     f'target_include_directories({p["name"]} PRIVATE "{p["include"]}")\n'
                     f'target_compile_options({p["name"]} PRIVATE -Wall -Wextra -Werror)\n'
                     f'supc_generate(TARGET {p["name"]} SPECS {quoted} STDLIB "{stdlib}" '
                     f'NO_OBSERVE)\n')
        # The runtime's headers are parsed once for every program.
        if first is None:
            first = p["name"]
            cmake.append(f"target_precompile_headers({first} PRIVATE <sup/gen.hpp> "
                         f"<sup/inspect.hpp>)\n")
        else:
            cmake.append(f"target_precompile_headers({p['name']} REUSE_FROM {first})\n")
    sanitized = next((p for p in programs if p["rel"] == SANITIZED), None)
    if sanitized:
        # GCC 12 -O2 with ASan+UBSan: no (false) warning in the generated code.
        cmake.append(f'add_library(sanitized OBJECT)\n'
                     f'target_include_directories(sanitized PRIVATE "{sanitized["include"]}")\n'
                     f'target_compile_options(sanitized PRIVATE -O2 -Wall -Wextra -Werror '
                     f'-fsanitize=address,undefined)\n'
                     f'target_link_libraries(sanitized PRIVATE supc::runtime supc::std)\n'
                     f'supc_generate(TARGET sanitized SPECS "{sanitized["spec"]}" '
                     f'STDLIB "{stdlib}" NO_OBSERVE)\n')
    with open(os.path.join(work, "src", "CMakeLists.txt"), "w") as f:
        f.write("\n".join(cmake))

    prefix = os.path.join(work, "prefix")
    steps = [
        ["cmake", "--install", args.build_dir, "--prefix", prefix],
        ["cmake", "-S", os.path.join(work, "src"), "-B", os.path.join(work, "build"), "-G",
         "Ninja", "-Wno-dev", f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE="],
    ]
    env = dict(os.environ)
    if shutil.which("ccache"):
        env.setdefault("CMAKE_CXX_COMPILER_LAUNCHER", "ccache")
    for cmd in steps:
        r = run(cmd, env=env)
        if r.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout[-20000:]}\n{r.stderr[-5000:]}")
    # Every program that builds is run: one that does not is a failure of its own.
    r = run(["cmake", "--build", os.path.join(work, "build"), "-j", args.jobs, "--", "-k", "0"],
            env=env)
    if r.returncode != 0:
        errors = [line for line in r.stdout.splitlines() if "error" in line or "FAILED" in line]
        failures.append("the build failed:\n" + "\n".join(errors[:200]))
    if sanitized and not os.path.exists(os.path.join(work, "build", "CMakeFiles",
                                                     "sanitized.dir")):
        failures.append("the sanitized build of the example's generated code did not run")

    def check(p):
        exe = os.path.join(work, "build", p["name"])
        if not os.path.exists(exe):
            return p, [f"{p['rel']}: the program did not build (see the build's errors)"]
        try:
            r = run([exe], env=clean_env(), timeout=60)
        except subprocess.TimeoutExpired:
            return p, [f"{p['rel']}: the program did not finish in 60 s"]
        if r.returncode != 0:
            return p, [f"{p['rel']}: the program failed ({r.returncode}): {r.stderr}"]
        diffs = []
        running = json.loads(r.stdout)
        if len(running) != len(p["trees"]):
            return p, [f"{p['rel']}: {len(running)} trees printed for {len(p['trees'])} roots"]
        for root, dumped, tree in zip(p["roots"], p["trees"], running):
            compare(dumped, tree, root, diffs, root=True)
        return p, [f"{p['rel']}: {d}" for d in diffs]

    with concurrent.futures.ThreadPoolExecutor(max_workers=int(args.jobs)) as pool:
        for p, problems in pool.map(check, programs):
            print(f"{'ok  ' if not problems else 'FAIL'} {p['rel']}")
            failures += problems
    print(f"{len(programs)} programs built and run, their trees compared with supc dump")
    if failures:
        print("\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
