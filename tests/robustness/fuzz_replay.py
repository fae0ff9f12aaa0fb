#!/usr/bin/env python3
"""Replays a reproducible fuzzing corpus through every supc subcommand.

    fuzz_replay.py SUPC --seeds DIR... [--corpus DIR...] [--mutants N] [--seed S]
                   [--jobs N] [--timeout S] [--work DIR]

The inputs, all made again from the same files and seed on every run:

  - every .sup file under the --corpus directories, as it is (tests/robustness: the hostile
    specs kept there, whatever they are);
  - N mutants of the seed specs (every .sup under the --seeds directories, the corpus
    included): byte flips, tokens and lines inserted, deleted, doubled or swapped, specs
    spliced, numbers, durations, strings and names replaced by edge values;
  - for each input, a `sim` script and an `impact` path made from the ids the spec names.

Each input goes through check (also from standard input and as JSON), compile (with a
depfile), dump, fmt (and --check), graph (dot and mermaid), sim, impact and lint (human,
json, sarif); then command lines alone are fuzzed: explain and help with good and bad
arguments, unknown commands and options, missing and bad option values, files that are
directories or missing. Every run must:

  - end by itself within --timeout seconds, not by a signal;
  - print no sanitizer report (ASan, UBSan, LSan);
  - exit with a status the command documents (docs/cli.md "Exit status" and the command's
    page), 2 and 64 with a message (diagnostics, or usage). fmt's 70 ("internal error") is
    documented as a bug, so it fails here too.

Prints a summary; exits 1 listing each problem with its input (kept under WORK/failures,
with the command line to reproduce it), the command and the symptom.
"""

import argparse
import concurrent.futures
import glob
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mangled_specs import TOKENS  # noqa: E402  the same token soup as the check corpus

# The exit statuses each command documents (docs/cli.md and the commands' own pages).
STATUSES = {
    "check": {0, 2, 64},
    "compile": {0, 2, 64, 73},
    "dump": {0, 2, 64},
    "fmt": {0, 1, 2, 64},
    "graph": {0, 2, 64},
    "sim": {0, 1, 2, 64},
    "impact": {0, 2, 64},
    "lint": {0, 1, 2, 64},
    "explain": {0, 64},
    "help": {0, 64},
    None: {0, 64},  # supc with no command, --help, --version, an unknown command
}

EDGE_NUMBERS = ["0", "-1", "1", "2147483648", "9223372036854775807", "9223372036854775808",
                "99999999999999999999999", "1_000_000", "0_0", "00", "010", "09", "1e9", "0x10"]
EDGE_DURATIONS = ["0ms", "1ms", "010s", "0_100ms", "09s", "2562047h", "2562048h",
                  "9223372036854775807ms", "1000000h", "5", "5x", "-5s", "1.5s"]
EDGE_STRINGS = ['""', '"\\n"', '"a\\nb"', '"*/"', '"/*"', '"\\\\"', '"\\x1b[31m"', '"é"',
                '"a b"', '"#define X"', '"std::string"', '"a::b<int>"', '"../x.hpp"',
                '"\\"', '"??/"', '"{i}"', '"w_{i}_{i}"']
EDGE_NAMES = ["int", "int_", "NULL", "EOF", "stdin", "linux", "errno", "main", "std",
              "App_spec", "AppTree", "_", "__x", "a" * 300, "sup", "namespace", "class"]
EDGE_LINES = ["// \\", "/* unterminated", "\r", "\x00", "\x1b[2J", "import \"std\";",
              "import \"missing.sup\";", "import \"../../../../etc/passwd\";",
              "const c = c;", "package a.b.c;", "application A { }",
              "supervisor S { child s = S; }", "for i in 1..3 {", "}" * 20]

SIM_COMMANDS = ["crash", "exit", "fail_start", "hang", "start_child", "terminate_child",
                "restart_child", "delete_child", "advance", "stop", "crsh", ""]
SIM_ARGS = ["normal", "shutdown", "boom", "1", "3", "0", "-1", "1000001", "5s", "500ms",
            "1000000h", "1000001h", "x", '""', "\x1b[31m", "\xff"]


def mutate(rng, text, seeds):
    """One to four random edits of a seed spec (bytes)."""
    b = bytearray(text)
    # Mostly one edit, so that many mutants still check and reach every phase.
    for _ in range(rng.choice([1, 1, 1, 1, 2, 2, 3, 4])):
        op = rng.randrange(11)
        lines = bytes(b).split(b"\n")
        if op == 0 and b:  # flip bytes
            for _ in range(rng.randrange(1, 6)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1:  # insert tokens
            for _ in range(rng.randrange(1, 5)):
                pos = rng.randrange(len(b) + 1)
                b[pos:pos] = (" " + rng.choice(TOKENS) + " ").encode()
        elif op in (2, 3) and len(lines) > 1:  # delete, double or swap lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if op == 2:
                del lines[i]
            elif rng.randrange(2):
                lines.insert(i, lines[j])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            b = bytearray(b"\n".join(lines))
        elif op == 4:  # splice another seed in at a line boundary
            other = rng.choice(seeds).split(b"\n")
            k = rng.randrange(len(lines) + 1)
            m = rng.randrange(len(other) + 1)
            b = bytearray(b"\n".join(lines[:k] + other[m:]))
        elif op == 5:  # numbers
            b = _replace(rng, b, rb"(?<![\w.])\d[\d_]*(?![\w])", EDGE_NUMBERS)
        elif op == 6:  # durations
            b = _replace(rng, b, rb"\b\d[\d_]*(ms|s|m|h)\b", EDGE_DURATIONS)
        elif op == 7:  # strings
            b = _replace(rng, b, rb'"[^"\n]*"', EDGE_STRINGS)
        elif op == 8:  # names
            b = _replace(rng, b, rb"\b[A-Za-z_][A-Za-z0-9_]*\b", EDGE_NAMES)
        elif op == 9:  # a line of its own
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(EDGE_LINES).encode())
            b = bytearray(b"\n".join(lines))
        elif op == 10 and len(b) > 1:  # truncate
            b = b[: rng.randrange(1, len(b))]
    return bytes(b)


def _replace(rng, b, pattern, choices):
    found = list(re.finditer(pattern, bytes(b)))
    if not found:
        return b
    m = rng.choice(found)
    return bytearray(bytes(b[: m.start()]) + rng.choice(choices).encode() + bytes(b[m.end():]))


def tree_paths(supc, spec, env):
    """(path, kind) of each node of the tree `supc dump` elaborates (none when it does not)."""
    try:
        r = subprocess.run([supc, "dump", spec], capture_output=True, timeout=180, env=env)
        tree = json.loads(r.stdout) if r.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError):
        tree = None
    paths = []

    def walk(node, prefix):
        for child in node.get("children") or []:
            path = prefix + str(child.get("id"))
            paths.append((path, str(child.get("kind"))))
            if child.get("kind") == "dynamic_supervisor":
                paths.extend([(path + "/1", "dynamic child"), (path + "/2", "dynamic child")])
            walk(child, path + "/")

    if isinstance(tree, dict):
        walk(tree, "")
    return paths


def ids_of(text):
    """Child ids a spec names, for specs that do not elaborate."""
    ids = re.findall(rb'child\s+"?([A-Za-z_][\w{}]*)', text)
    return sorted({i.decode("utf-8", "replace") for i in ids}) or ["x"]


def a_path(rng, paths, ids):
    """Mostly a node of the tree, sometimes a made-up or odd one."""
    if paths and rng.randrange(5):
        return rng.choice(paths)[0]
    n = rng.choice([1, 1, 2, 3, 0])
    return "/".join(rng.choice(ids) if rng.randrange(4) else rng.choice(["1", "", ".."])
                    for _ in range(n))


def a_script(rng, paths, ids):
    """A sim script: mostly lines that suit the node they name, now and then a bad one."""
    careful = rng.randrange(3) != 0
    lines = []
    for _ in range(rng.randrange(0, 12)):
        if careful and paths:
            p, kind = rng.choice(paths)
        else:
            p, kind = a_path(rng, paths, ids), "?"
        if kind == "dynamic_supervisor" and rng.randrange(2):
            cmd = "start_child"
        elif kind in ("supervisor", "dynamic_supervisor"):
            cmd = rng.choice(["crash", "terminate_child", "restart_child", "advance"])
        else:
            cmd = rng.choice(["crash", "crash", "crash", "exit", "fail_start", "hang",
                              "terminate_child", "restart_child", "delete_child", "advance"])
        reason = [] if kind != "worker" or rng.randrange(2) else ["boom"]
        args = {"crash": [p] + reason,
                "exit": [p, rng.choice(["normal", "shutdown"])],
                "fail_start": [p, str(rng.randrange(1, 6))],
                "advance": [rng.choice(["1s", "500ms", "5s", "2m", "1h"])]}.get(cmd, [p])
        if not careful and rng.randrange(4) == 0:
            cmd = rng.choice(SIM_COMMANDS)
            args = [p] + rng.sample(SIM_ARGS, rng.randrange(0, 3))
        lines.append(" ".join([cmd] + args))
        if rng.randrange(8) == 0:
            lines.append("# a comment")
    if rng.randrange(3) == 0:
        lines.append("stop")
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


class Run:
    def __init__(self, name, command, argv, stdin=None, files=()):
        self.name, self.command, self.argv, self.stdin, self.files = (
            name, command, argv, stdin, files)


def spec_runs(rng, name, spec, paths, work):
    """The command lines for one spec file (paths: its tree's, for sim and impact)."""
    text = open(spec, "rb").read()
    ids = ids_of(text)
    script = os.path.join(work, name + ".script")
    with open(script, "wb") as f:
        f.write(a_script(rng, paths, ids))
    out = os.path.join(work, name + ".out")
    path = a_path(rng, paths, ids)
    runs = [
        ("check", [spec]),
        ("check", ["--format=json", "--error-limit", rng.choice(["0", "1", "3"]), spec]),
        ("compile", [spec, "-o", out, "--depfile", out + "/deps.d"]),
        ("dump", [spec]),
        ("fmt", [spec]),
        ("fmt", ["--check", spec]),
        ("graph", [spec, "--format=" + rng.choice(["dot", "mermaid"])]
         + rng.choice([[], ["--collapse", "2"], ["--max-children", "1"]])),
        ("sim", [spec, "--script", script]),
        ("impact", [spec, "--crash", path]),
        ("lint", [spec, "--format=" + rng.choice(["human", "json", "sarif"])]
         + rng.choice([[], ["--werror"], ["--enable=all"], ["--disable=L001,L013"]])),
    ]
    result = [Run(name, c, [c] + a, files=(spec, script)) for c, a in runs]
    result.append(Run(name, "check", ["check", "-"], stdin=text, files=(spec,)))
    return result


def argument_runs(rng, valid_spec, work, count):
    """Command lines alone: good and bad commands, options, values and files."""
    commands = [c for c in STATUSES if c] + ["chek", "", "-x", "--", "CHECK"]
    files = [valid_spec, os.path.join(work, "missing.sup"), work, "-", "--", ""]
    options = ["--root", "--root=App", "--format=json", "--format=xml", "--format", "--color",
               "--color=always", "--color=sometimes", "--error-limit", "--error-limit=-1",
               "--error-limit=abc", "--error-limit=99999999999999999999", "-o", "--depfile",
               "--depfile-target", "--stdlib", "--stdlib=/nonexistent", "--script",
               "--crash", "--crash=", "--collapse=x", "--max-children=-3", "--enable=L999",
               "--disable=", "--werror", "--check", "--write", "--all", "--list",
               "--markdown", "--help", "-h", "--version", "--bogus", "-", "---", "--=x"]
    codes = ["E001", "E012", "E999", "L001", "L017", "L018", "e001", "E0001", "X", "", "E"]
    runs = [Run("argv", None, []), Run("argv", None, ["--help"]),
            Run("argv", None, ["--version"]), Run("argv", "help", ["help"])]
    runs += [Run("argv", "help", ["help", c]) for c in commands]
    runs += [Run("argv", "explain", ["explain", c]) for c in codes]
    for _ in range(count):
        cmd = rng.choice(commands)
        argv = [cmd]
        for _ in range(rng.randrange(0, 5)):
            argv.append(rng.choice(options) if rng.randrange(2) else rng.choice(files + codes))
        if cmd == "compile" and rng.randrange(2):
            argv += ["-o", os.path.join(work, "argv.out")]
        runs.append(Run("argv", cmd if cmd in STATUSES else None, argv))
    return runs


def judge(run, r):
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode < 0:
        return f"killed by signal {-r.returncode}"
    for marker in ("Sanitizer", "runtime error:", "LeakSanitizer"):
        if marker in err:
            return "sanitizer report:\n" + err[-3000:]
    allowed = STATUSES[run.command]
    if r.returncode not in allowed:
        return f"exit status {r.returncode} (documented: {sorted(allowed)}):\n{err[-1500:]}"
    if r.returncode in (2, 64) and not err.strip() and not r.stdout.strip():
        return f"exit status {r.returncode} without a message"
    return None


def execute(supc, run, timeout, env):
    argv = [supc] + run.argv
    start = time.monotonic()
    try:
        r = subprocess.run(argv, input=run.stdin if run.stdin is not None else b"",
                           capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout:g} s", time.monotonic() - start, None
    return judge(run, r), time.monotonic() - start, r.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("supc")
    ap.add_argument("--seeds", nargs="+", required=True, help="directories of seed specs")
    ap.add_argument("--corpus", nargs="*", default=[],
                    help="directories whose .sup files are replayed as they are")
    ap.add_argument("--mutants", type=int, default=200)
    ap.add_argument("--argv-runs", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=180.0,
                    help="seconds per run (a hang detector: generous for sanitizer builds under load)")
    ap.add_argument("--work", default=None, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()

    def specs_under(dirs):
        return sorted({os.path.abspath(f) for d in dirs
                       for f in glob.glob(os.path.join(d, "**", "*.sup"), recursive=True)})

    corpus = specs_under(args.corpus)
    seeds = sorted(set(specs_under(args.seeds)) | set(corpus))
    if not seeds:
        sys.exit("no seed specs")
    seed_texts = [open(s, "rb").read() for s in seeds]
    valid = next((s for s in seeds if s.endswith("phoenix_app/app.sup")), seeds[0])

    work = args.work or tempfile.mkdtemp(prefix="supc-fuzz-")
    shutil.rmtree(work, ignore_errors=True)
    inputs = os.path.join(work, "inputs")
    os.makedirs(inputs)
    rng = random.Random(args.seed)

    env = dict(os.environ)
    for var in ("SUPC_STDLIB", "POOL_SIZE", "GEN_SCALE"):
        env.pop(var, None)
    env["SUPC_SCHEDULERS"] = "4"
    env["TERM"] = "dumb"
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")

    # Mutants of seeds that elaborate reach every phase: most mutants come from those.
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        deep = [i for i, p in enumerate(pool.map(lambda s: tree_paths(args.supc, s, env), seeds))
                if p]
    specs = [(f"corpus{i:03d}", spec) for i, spec in enumerate(corpus)]
    for k in range(args.mutants):
        s = rng.choice(deep) if deep and rng.randrange(4) else rng.randrange(len(seeds))
        # The mutant sits beside copies of its seed's Inputs/, so its imports still resolve.
        d = os.path.join(inputs, f"m{k:04d}")
        os.makedirs(d)
        near = os.path.join(os.path.dirname(seeds[s]), "Inputs")
        if os.path.isdir(near):
            shutil.copytree(near, os.path.join(d, "Inputs"),
                            ignore=lambda _, names: [n for n in names if n.endswith((".cpp", ".hpp"))])
        path = os.path.join(d, os.path.basename(seeds[s]))
        with open(path, "wb") as f:
            f.write(mutate(rng, seed_texts[s], seed_texts))
        specs.append((f"m{k:04d}", path))
    # sim scripts and impact paths name the nodes of each tree that elaborates.
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        trees = list(pool.map(lambda ns: tree_paths(args.supc, ns[1], env), specs))
    runs = []
    for (name, spec), paths in zip(specs, trees):
        runs += spec_runs(rng, name, spec, paths, inputs)
    runs += argument_runs(rng, valid, inputs, args.argv_runs)

    started = time.monotonic()
    problems, statuses, slowest = [], {}, (0.0, "")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda r: (r, execute(args.supc, r, args.timeout, env)), runs)
        for run, (problem, seconds, status) in results:
            statuses[(run.command, status)] = statuses.get((run.command, status), 0) + 1
            if seconds > slowest[0]:
                slowest = (seconds, " ".join(run.argv))
            if problem:
                problems.append((run, problem))

    kept = os.path.join(work, "failures")
    for n, (run, problem) in enumerate(problems):
        os.makedirs(kept, exist_ok=True)
        for f in run.files:
            shutil.copy(f, os.path.join(kept, f"{n:03d}-{os.path.basename(f)}"))
        print(f"PROBLEM {n}: {problem}\n  input: {run.name}\n  command: "
              f"{shlex.join([args.supc] + run.argv)}{' < ' + run.files[0] if run.stdin else ''}")

    by_command = {}
    for (command, status), count in sorted(statuses.items(), key=lambda kv: str(kv[0])):
        by_command.setdefault(command or "(none)", []).append(f"{status}:{count}")
    print(f"fuzz replay (seed {args.seed}): {len(runs)} runs on {len(corpus)} corpus specs, "
          f"{args.mutants} mutants of {len(seeds)} seeds and {args.argv_runs} command lines; "
          f"{len(problems)} problems")
    print("exit statuses: " + "; ".join(f"{c} {' '.join(s)}" for c, s in by_command.items()))
    print(f"slowest run: {slowest[0]:.1f} s: {slowest[1]}; all runs: "
          f"{time.monotonic() - started:.0f} s with {args.jobs} jobs")
    if not problems and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
