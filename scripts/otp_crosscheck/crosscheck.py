#!/usr/bin/env python3
"""Cross-check `supc sim` against real OTP supervisors (README.md in this directory).

  crosscheck.py case SPEC SCRIPT [--root NAME]   one spec and script: both traces, compared
  crosscheck.py tests [DIR]                      every tests/lit/sim/*.test (split-file parts)
  crosscheck.py random [--count N] [--seed S]    random trees and scripts, compared one by one
  crosscheck.py specs SPEC... [--count N] [--seed S] [--keep DIR] [--strip-backoff]
                                                 random scripts over real specs' trees (as sim
                                                 expands them), compared one by one

Needs a built supc (--supc, default build/compiler/supc) and Erlang (erl, erlc). The OTP
side (sim_otp.erl) runs the same tree on OTP's `supervisor` with stand-in workers and prints
the same trace format; traces are compared without t_ms. OTP's virtual time is real time:
`advance` sleeps, so cases take as long as their script's advances.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class Skip(Exception):
    """The case uses something OTP has no equivalent for (backoff, sub-second periods)."""


# ---------------------------------------------------------------- the tree, from supc dump

def convert(node, is_root=False):
    """supc dump's JSON node -> the Erlang node map (the tree sim runs)."""
    kind = node["kind"]
    out = {"id": node["id"] if node.get("id") is not None else "template"}
    if not is_root:
        out["restart"] = node["restart"]
        out["shutdown"] = node["shutdown"]
        out["significant"] = node["significant"]
    out["type"] = "worker" if kind == "worker" else "supervisor"

    def flags(n):
        if n.get("backoff"):
            raise Skip("backoff (OTP has none)")
        if n["period_ms"] % 1000:
            raise Skip("a period that is not whole seconds")
        return {"strategy": n["strategy"], "intensity": n["intensity"],
                "period": n["period_ms"] // 1000, "auto_shutdown": n["auto_shutdown"]}

    if kind == "worker":
        out["kind"] = "worker"
        if node.get("program"):
            # A process child, modelled as a worker (OTP's side ignores this key): its exits
            # are scripted as the reasons the runtime gives a process (PROCESS_CRASHES).
            out["program"] = True
    elif kind == "dynamic_supervisor":
        out.update(kind="dyn", **flags(node))
        out["template"] = convert(node["template"])
        out["max_children"] = node.get("max_children")
    elif "strategy" in node:  # also the standard components, which dump expands
        out.update(kind="sup", **flags(node))
        out["children"] = [convert(c) for c in node["children"]]
    else:
        out["kind"] = "worker"  # a C++ supervisor: one stand-in
    return out


def erl(v):
    """A Python value as an Erlang term."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "undefined"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Atom):
        return str(v)
    if isinstance(v, str):
        return '"' + "".join(c if c not in '"\\' else "\\" + c for c in v) + '"'
    if isinstance(v, bytes):
        return "<<" + erl(v.decode()) + ">>"
    if isinstance(v, dict):
        return "#{" + ", ".join(f"{k} => {erl_value(k, x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        inner = ", ".join(erl(x) for x in v)
        return "[" + inner + "]" if isinstance(v, list) else "{" + inner + "}"
    raise TypeError(v)


class Atom(str):
    pass


ATOM_KEYS = {"kind", "restart", "type", "strategy", "auto_shutdown"}


def erl_value(key, x):
    if key in ATOM_KEYS or (key == "shutdown" and isinstance(x, str)):
        return str(x)
    return erl(x)


# ---------------------------------------------------------------- the script

def tokens(line):
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c in " \t\r":
            i += 1
        elif c == "#":
            break
        elif c == '"':
            j, s = i + 1, ""
            while j < len(line) and line[j] != '"':
                if line[j] == "\\" and j + 1 < len(line):
                    j += 1
                s += line[j]
                j += 1
            out.append(s)
            i = j + 1
        else:
            j = i
            while j < len(line) and line[j] not in " \t\r#":
                j += 1
            out.append(line[i:j])
            i = j
    return out


def duration_ms(s):
    m = re.fullmatch(r"([\d_]+)(ms|s|m|h)", s)
    if not m:
        raise Skip(f"bad duration {s!r}: the script has errors (supc sim reports them)")
    n = int(m.group(1).replace("_", ""))
    return n * {"ms": 1, "s": 1000, "m": 60000, "h": 3600000}[m.group(2)]


def parse_script(text):
    cmds = []
    for n, line in enumerate(text.split("\n"), 1):
        t = tokens(line)
        if not t:
            continue
        op = t[0]
        if op == "crash":
            cmds.append((n, (Atom("crash"), t[1], t[2] if len(t) > 2 else "crash")))
        elif op == "exit":
            cmds.append((n, (Atom("exit"), t[1], Atom(t[2]))))
        elif op == "fail_start":
            cmds.append((n, (Atom("fail_start"), t[1], int(t[2]))))
        elif op in ("hang", "start_child", "terminate_child", "restart_child", "delete_child"):
            cmds.append((n, (Atom(op), t[1])))
        elif op == "advance":
            cmds.append((n, (Atom("advance"), duration_ms(t[1]))))
        elif op == "stop":
            cmds.append((n, Atom("stop")))
    return cmds


# A program's process ends in one of these ways (docs/sim.md): exit 0 is `exit PATH normal`;
# an exit status or a signal is an abnormal reason, as the runtime maps them. It never exits
# with `shutdown` or an arbitrary term.
PROCESS_CRASHES = ["{exit_status,1}", "{exit_status,3}", "{exit_status,137}",
                   "{signal,SIGSEGV}", "{signal,SIGABRT}", "{signal,SIGKILL}", "{signal,SIGTERM}"]


# ---------------------------------------------------------------- running both sides

def compile_erl(workdir):
    subprocess.run(["erlc", "-o", workdir, os.path.join(HERE, "sim_otp.erl")], check=True)


def run_supc(supc, spec, script, root=None):
    cmd = [supc, "sim", spec, "--script", script] + (["--root", root] if root else [])
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    lines = [strip_time(l) for l in p.stdout.splitlines()]
    m = re.search(r":(\d+):\d+: error:", p.stderr)
    return lines, (int(m.group(1)) if m and p.returncode in (1, 2) else None), p


def strip_time(line):
    return re.sub(r',"t_ms":\d+', "", line)


def run_otp(workdir, tree, script_cmds):
    terms = os.path.join(workdir, "case.terms")
    with open(terms, "w") as f:
        f.write(erl(tree) + ".\n")
        f.write("[" + ",\n ".join("{%d, %s}" % (n, erl(c)) for n, c in script_cmds) + "].\n")
    try:
        p = subprocess.run(["erl", "-noshell", "+S", "1", "-pa", workdir, "-run", "sim_otp",
                            "main", terms], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise Skip("OTP did not finish within 300s (a supervisor waiting forever?)")
    if p.returncode != 0 and not p.stdout:
        raise RuntimeError("erl failed: " + p.stderr[-2000:])
    m = re.search(r"error at line (\d+)", p.stderr)
    drift = re.search(r"timing drift at line (\d+)", p.stderr)
    if drift:
        raise Skip("real time drifted from virtual time (a loaded machine); run it again")
    return p.stdout.splitlines(), (int(m.group(1)) if m else None), p


def dump(supc, spec, root=None):
    p = subprocess.run([supc, "dump", spec] + (["--root", root] if root else []),
                       capture_output=True, text=True, check=True)
    return json.loads(p.stdout)


def orphans_last(lines):
    """A supervisor P killed by `crash` leaves its child supervisors orphaned: each stops
    its own children while P's parent restarts P, concurrently, so OTP interleaves those
    terminations with the new incarnation's starts as its scheduler happens to run them.
    Between `exit P killed` and the first event after P's next start (or its parent's
    giving up) that is not a terminate under P, move the terminates under P after that
    point, sorted: they are compared as a set."""
    ev = re.compile(r'\{"event":"(\w+)","path":"([^"]*)"(?:,"reason":"([^"]*)")?')
    out, i = [], 0
    while i < len(lines):
        m = ev.match(lines[i])
        out.append(lines[i])
        i += 1
        if not (m and m.group(1) == "exit" and m.group(3) == "killed"):
            continue
        p = m.group(2) + "/"
        moved, j = [], i
        restarted = False
        while j < len(lines):
            n = ev.match(lines[j])
            under = n and n.group(2).startswith(p)
            if n and n.group(1) == "terminate" and under:
                moved.append(lines[j])
            elif restarted and not under:
                break
            else:
                out.append(lines[j])
                if n and n.group(2) == p[:-1] and n.group(1) in ("start", "start_failed"):
                    restarted = True
                elif n and n.group(1) == "give_up" and not under:
                    restarted = True
            j += 1
        out.extend(sorted(moved))
        i = j
    return out


def normalise(lines):
    """A dynamic supervisor stops its children all at once: OTP's order is unspecified
    (supc: newest first). Sort runs of terminate events of one dynamic supervisor.
    Orphaned subtrees of a killed supervisor: orphans_last."""
    lines = orphans_last(lines)
    out, i = [], 0
    # "P/N", or "N" for the children of a dynamic root (static children's ids are names).
    dyn = re.compile(r'\{"event":"terminate","path":"(?:(.*)/)?(\d+)",')
    while i < len(lines):
        m = dyn.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and (dm := dyn.match(lines[j])) and dm.group(1) == m.group(1):
            j += 1
        out.extend(sorted(lines[i:j]))
        i = j
    return out


def compare(supc, workdir, spec, script_path, root=None, verbose=True):
    """'agree', 'differ' or 'skip: why'."""
    try:
        tree = convert(dump(supc, spec, root), is_root=True)
        with open(script_path) as f:
            cmds = parse_script(f.read())
        ours, our_err, _ = run_supc(supc, spec, script_path, root)
        theirs, their_err, _ = run_otp(workdir, tree, cmds)
    except Skip as s:
        return "skip: " + str(s)
    a, b = normalise(ours), normalise(theirs)
    if a == b and our_err == their_err:
        return "agree"
    if verbose:
        print(f"--- {spec} + {script_path}: supc sim (error at line {our_err}) vs OTP "
              f"(error at line {their_err})")
        import difflib
        for l in difflib.unified_diff(a, b, "supc", "otp", lineterm="", n=2):
            print(l)
    return "differ"


# ---------------------------------------------------------------- random cases

class Gen:
    def __init__(self, rng):
        self.r = rng
        self.decls = []
        self.kinds = 0
        self.paths = []      # (path, node kind) of static nodes
        self.dynamic = []    # paths of dynamic supervisors
        self.programs = set()  # paths of program children, and dynamic supervisors of programs

    def worker_kind(self, restart, shutdown, significant=False, program=False):
        self.kinds += 1
        name = f"W{self.kinds}"
        body = f"restart = {restart}; shutdown = {shutdown};"
        if significant:
            body += " significant = true;"
        what = f'program "bin/{name.lower()}"' if program else f'"sim::{name}" from "w.hpp"'
        self.decls.append(f'worker {name} = {what} {{ {body} }}')
        return name

    def flags(self, auto=False):
        r = self.r
        s = [f"strategy = {r.choice(['one_for_one', 'one_for_all', 'rest_for_one'])};",
             f"intensity = {r.choice([0, 1, 1, 2, 3])} per {r.choice([1, 2, 3])}s;"]
        if auto:
            s.append(f"auto_shutdown = {r.choice(['any_significant', 'all_significant'])};")
        return s

    def supervisor(self, name, path, depth):
        r = self.r
        auto = r.random() < 0.25
        body = self.flags(auto)
        n = r.randint(1, 4)
        for i in range(n):
            cid = f"c{i + 1}"
            cpath = f"{path}/{cid}" if path else cid
            roll = r.random()
            if depth < 2 and roll < 0.2:
                sub = f"S{len(self.decls) + 1}_{depth}"
                self.supervisor(sub, cpath, depth + 1)
                restart = r.choice(["permanent", "permanent", "transient"])
                # A numeric shutdown: killed at its timeout, even while it waits for a hung
                # child of its own (whose timeout may be longer, or equal).
                shutdown = r.choice(["infinity", "infinity", "300ms"])
                body.append(f"child {cid} = {sub} {{ restart = {restart}; "
                            f"shutdown = {shutdown}; }}")
                self.paths.append((cpath, "sup"))
            elif depth < 2 and roll < 0.3:
                dyn = f"D{len(self.decls) + 1}"
                program = r.random() < 0.4
                t = self.worker_kind(r.choice(["permanent", "transient", "temporary"]),
                                     r.choice(["brutal_kill", "100ms"]), program=program)
                extra = f" max_children = {r.randint(1, 3)};" if r.random() < 0.4 else ""
                self.decls.append(f"dynamic_supervisor {dyn} of {t} {{ "
                                  f"intensity = {r.choice([0, 1, 2, 3])} per {r.choice([1, 2])}s;"
                                  f"{extra} }}")
                body.append(f"child {cid} = {dyn};")
                self.paths.append((cpath, "dyn"))
                self.dynamic.append(cpath)
                if program:
                    self.programs.add(cpath)
            else:
                sig = auto and r.random() < 0.6
                restart = r.choice(["transient", "temporary"]) if sig else \
                    r.choice(["permanent", "permanent", "transient", "temporary"])
                shutdown = r.choice(["brutal_kill", "100ms", "200ms", "300ms", "400ms"])
                sett = f"restart = {restart}; shutdown = {shutdown};"
                if sig:
                    sett += " significant = true;"
                kind = "W"
                if r.random() < 0.4:  # a process child, modelled as a worker
                    kind = "P"
                    self.programs.add(cpath)
                body.append(f"child {cid} = {kind} {{ {sett} }}")
                self.paths.append((cpath, "worker"))
        kw = "application" if not path else "supervisor"
        self.decls.append(f"{kw} {name} {{\n    " + "\n    ".join(body) + "\n}")

    def spec(self):
        self.decls.append('worker W = "sim::W" from "w.hpp";')
        self.decls.append('worker P = program "bin/p";')
        self.supervisor("App", "", 0)
        return "\n".join(self.decls) + "\n"

    def script(self):
        r = self.r
        lines = []
        workers = [p for p, k in self.paths if k == "worker"]
        sups = [p for p, k in self.paths if k != "worker"]
        dyn_kids = [f"{d}/{i}" for d in self.dynamic for i in (1, 2)]
        for _ in range(r.randint(4, 14)):
            roll = r.random()
            target = r.choice(workers + dyn_kids) if (workers or dyn_kids) and roll < 0.8 else None
            if self.dynamic and roll < 0.15:
                lines.append(f"start_child {r.choice(self.dynamic)}")
            elif roll < 0.45 and target:
                lines.append(crash_line(r, target, is_program(target, self.programs)))
            elif roll < 0.52 and target:
                lines.append(exit_line(r, target, is_program(target, self.programs)))
            elif roll < 0.58 and target:
                lines.append(f"hang {target}")
            elif roll < 0.64 and target:
                lines.append(f"fail_start {target} {r.randint(1, 3)}")
            elif roll < 0.70 and (target or sups):
                lines.append(f"terminate_child {r.choice(([target] if target else []) + sups)}")
            elif roll < 0.74 and workers:
                lines.append(f"restart_child {r.choice(workers)}")
            elif roll < 0.76 and workers:
                lines.append(f"delete_child {r.choice(workers)}")
            elif roll < 0.80 and sups:
                lines.append(f"crash {r.choice(sups)}")
            else:
                lines.append(f"advance {r.choice([1, 1, 2, 3])}s")
        if r.random() < 0.5:
            lines.append("stop")
        return "\n".join(lines) + "\n"


def tree_paths(node, path="", out=None):
    """(path, kind) of every node of a converted tree below the root: kind is worker, sup
    or dyn (dynamic supervisors' children are not listed: they exist at run time)."""
    out = [] if out is None else out
    for c in node.get("children", []):
        p = f"{path}/{c['id']}" if path else c["id"]
        out.append((p, c["kind"]))
        tree_paths(c, p, out)
    return out


def program_paths(node, path="", out=None):
    """The paths of a converted tree's program children, and of its dynamic supervisors
    whose template is a program (their children are programs too)."""
    out = set() if out is None else out
    for c in node.get("children", []):
        p = f"{path}/{c['id']}" if path else c["id"]
        if c.get("program") or c.get("template", {}).get("program"):
            out.add(p)
        program_paths(c, p, out)
    return out


def is_program(target, programs):
    """Whether a script's target is a process: a program child, or a dynamic child of a
    dynamic supervisor of programs."""
    return target in programs or target.rsplit("/", 1)[0] in programs


def crash_line(rng, target, program):
    """`crash TARGET [REASON]`: a process crashes with an exit status or a signal."""
    custom = rng.random() < 0.2
    if program:
        return f"crash {target} {rng.choice(PROCESS_CRASHES)}"
    return f"crash {target}" + (" boom" if custom else "")


def exit_line(rng, target, program):
    """`exit TARGET normal|shutdown`: a process only exits normally (status 0)."""
    reason = rng.choice(["normal", "shutdown"])
    return f"exit {target} {'normal' if program else reason}"


def script_for(rng, paths, programs=frozenset()):
    """A random script over a real tree's paths (few advances: OTP's time is real);
    `programs` (program_paths) are processes: they crash and exit as processes do."""
    workers = [p for p, k in paths if k == "worker"]
    sups = [p for p, k in paths if k == "sup"]
    dyns = [p for p, k in paths if k == "dyn"]
    started = {d: 0 for d in dyns}
    lines = []
    for d in dyns:
        for _ in range(rng.randint(0, 2)):
            started[d] += 1
            lines.append(f"start_child {d}")
    for _ in range(rng.randint(5, 14)):
        kids = [f"{d}/{i}" for d in dyns for i in range(1, started[d] + 1)]
        target = rng.choice(workers + kids) if workers or kids else None
        roll = rng.random()
        if roll < 0.40 and target:
            # A burst: enough crashes of one node to reach some intensity.
            for _ in range(rng.choice([1, 1, 2, 4])):
                lines.append(crash_line(rng, target, is_program(target, programs)))
        elif roll < 0.48 and target:
            lines.append(exit_line(rng, target, is_program(target, programs)))
        elif roll < 0.55 and workers:
            lines.append(f"fail_start {rng.choice(workers)} {rng.randint(1, 3)}")
        elif roll < 0.60 and workers:
            lines.append(f"hang {rng.choice(workers)}")
        elif roll < 0.66 and sups:
            lines.append(f"crash {rng.choice(sups)}")
        elif roll < 0.72 and dyns:
            d = rng.choice(dyns)
            started[d] += 1
            lines.append(f"start_child {d}")
        elif roll < 0.78 and (workers or sups):
            lines.append(f"terminate_child {rng.choice(workers + sups)}")
        elif roll < 0.82 and workers:
            lines.append(f"restart_child {rng.choice(workers)}")
        else:
            lines.append(f"advance {rng.choice(['1s', '2s', '6s'])}")
    if rng.random() < 0.6:
        lines.append("stop")
    return "\n".join(lines) + "\n"


def spec_cases(args):
    """Random scripts over the trees of real specs (examples, realistic lint inputs).
    Scripts that hit a run-time refusal (a path no longer there) count when both sides
    refuse at the same line."""
    supc = args.supc
    work = tempfile.mkdtemp(prefix="crosscheck-")
    compile_erl(work)
    rng = random.Random(args.seed)
    tally = {"agree": 0, "differ": 0, "skip": 0}
    try:
        for spec in args.specs:
            try:
                tree = convert(dump(supc, spec), is_root=True)
            except Skip as s:
                if not (args.strip_backoff and "backoff" in str(s)):
                    print(f"{spec}: skip ({s})")
                    tally["skip"] += 1
                    continue
                # The same tree without its backoff settings (OTP has none): everything
                # else is still compared.
                text = re.sub(r"backoff\s*=\s*(exponential\s*\([^)]*\)|none)\s*;", "",
                              open(spec).read())
                spec = os.path.join(work, "nobackoff-" + os.path.basename(spec))
                with open(spec, "w") as f:
                    f.write(text)
                tree = convert(dump(supc, spec), is_root=True)
            paths = tree_paths(tree)
            for k in range(args.count):
                script = script_for(random.Random(rng.getrandbits(64)), paths,
                                    program_paths(tree))
                sc = os.path.join(work, f"{os.path.basename(spec)}.{k}.txt")
                with open(sc, "w") as f:
                    f.write(script)
                res = compare(supc, work, spec, sc, verbose=True)
                key = res.split(":")[0]
                tally[key] += 1
                print(f"{spec} script {k}: {res}", flush=True)
                if key == "differ" and args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    shutil.copy(sc, args.keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{sum(tally.values())} cases: {tally['agree']} agree, {tally['differ']} differ, "
          f"{tally['skip']} skipped")
    return 1 if tally["differ"] else 0


def random_cases(args):
    supc = args.supc
    work = tempfile.mkdtemp(prefix="crosscheck-")
    compile_erl(work)
    rng = random.Random(args.seed)
    tally = {"agree": 0, "differ": 0, "skip": 0}
    try:
        for k in range(args.count):
            g = Gen(random.Random(rng.getrandbits(64)))
            spec, script = g.spec(), None
            script = g.script()
            sp, sc = os.path.join(work, f"case{k}.sup"), os.path.join(work, f"case{k}.txt")
            with open(sp, "w") as f:
                f.write(spec)
            with open(sc, "w") as f:
                f.write(script)
            chk = subprocess.run([supc, "check", sp], capture_output=True, text=True)
            if chk.returncode != 0:
                tally["skip"] += 1
                print(f"case {k}: skip (spec does not check: {chk.stderr.splitlines()[0]})")
                continue
            res = compare(supc, work, sp, sc, verbose=True)
            key = res.split(":")[0]
            tally[key] += 1
            print(f"case {k}: {res}", flush=True)
            if key == "differ" and args.keep:
                keep = os.path.join(args.keep, f"case{k}")
                os.makedirs(keep, exist_ok=True)
                shutil.copy(sp, keep)
                shutil.copy(sc, keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.count} cases: {tally['agree']} agree, {tally['differ']} differ, "
          f"{tally['skip']} skipped")
    return 1 if tally["differ"] else 0


def lit_tests(args):
    """Every tests/lit/sim test with a spec.sup and a script.txt part (and no OTP-SKIP)."""
    supc = args.supc
    work = tempfile.mkdtemp(prefix="crosscheck-")
    compile_erl(work)
    tally = {"agree": 0, "differ": 0, "skip": 0}
    try:
        for name in sorted(os.listdir(args.dir)):
            path = os.path.join(args.dir, name)
            if not name.endswith(".test") or not re.search(args.match, name):
                continue
            text = open(path).read()
            if "#--- spec.sup" not in text or "#--- script.txt" not in text:
                continue
            if "OTP-SKIP" in text:
                why = re.search(r"OTP-SKIP: *(.*)", text).group(1)
                print(f"{name}: skip ({why})")
                tally["skip"] += 1
                continue
            d = os.path.join(work, name)
            os.makedirs(d)
            subprocess.run(["split-file", path, d], check=False) if shutil.which("split-file") else \
                subprocess.run(["/usr/lib/llvm-14/bin/split-file", path, d], check=True)
            root = re.search(r"--root (\w+)", text)
            res = compare(supc, work, os.path.join(d, "spec.sup"), os.path.join(d, "script.txt"),
                          root.group(1) if root else None)
            key = res.split(":")[0]
            tally[key] += 1
            print(f"{name}: {res}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{sum(tally.values())} tests: {tally['agree']} agree, {tally['differ']} differ, "
          f"{tally['skip']} skipped")
    return 1 if tally["differ"] else 0


def one_case(args):
    work = tempfile.mkdtemp(prefix="crosscheck-")
    try:
        compile_erl(work)
        tree = convert(dump(args.supc, args.spec, args.root), is_root=True)
        cmds = parse_script(open(args.script).read())
        ours, our_err, p1 = run_supc(args.supc, args.spec, args.script, args.root)
        theirs, their_err, p2 = run_otp(work, tree, cmds)
        print("== supc sim" + (f" (error at line {our_err})" if our_err else ""))
        print("\n".join(ours))
        print("== OTP" + (f" (error at line {their_err})" if their_err else ""))
        print("\n".join(theirs))
        same = normalise(ours) == normalise(theirs) and our_err == their_err
        print("== " + ("agree" if same else "DIFFER"))
        return 0 if same else 1
    except Skip as s:
        print("skip:", s)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--supc", default=os.path.join(ROOT, "build", "compiler", "supc"))
    sub = ap.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("case")
    c.add_argument("spec")
    c.add_argument("script")
    c.add_argument("--root")
    t = sub.add_parser("tests")
    t.add_argument("dir", nargs="?", default=os.path.join(ROOT, "tests", "lit", "sim"))
    t.add_argument("--match", default="", help="only the tests whose file name matches")
    r = sub.add_parser("random")
    r.add_argument("--count", type=int, default=50)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--keep", help="copy differing cases here")
    sp = sub.add_parser("specs")
    sp.add_argument("specs", nargs="+")
    sp.add_argument("--count", type=int, default=3)
    sp.add_argument("--seed", type=int, default=1)
    sp.add_argument("--keep", help="copy differing scripts here")
    sp.add_argument("--strip-backoff", action="store_true",
                    help="compare specs with backoff with their backoff settings removed")
    args = ap.parse_args()
    if not shutil.which("erl"):
        print("crosscheck: Erlang (erl) is not installed", file=sys.stderr)
        return 2
    return {"case": one_case, "tests": lit_tests, "random": random_cases,
            "specs": spec_cases}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
