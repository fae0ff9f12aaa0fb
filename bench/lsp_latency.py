#!/usr/bin/env python3
"""How long `supc lsp` takes to answer an edit with diagnostics, on a large spec.

usage: bench/lsp_latency.py SUPC [--children N] [--edits N] [--stdlib DIR]

Writes a spec of N children (default 1,000: 100 supervisors of 10 workers under one
application, with kinds, consts, parameters and loops, as real specs have them), opens it
in `supc lsp`, then types: each edit changes one character of a child's shutdown and waits
for the diagnostics of that version (a valid edit, then one that introduces an error,
then the fix, in turn). Prints, in milliseconds, the median, 90th percentile and maximum of
  - edit -> publishDiagnostics   what a user sees: the debounce (40 ms) plus the analysis
  - edit -> hover answered       a request right after an edit analyses at once (no debounce)
and the server's CPU time per edit (user + system, from /proc: what the figures would be on
an idle machine, less the debounce; the wall-clock figures include waiting for a core when
the machine is busy). No figure is asserted: this is a measurement (docs/editors.md quotes
it).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import lsp_wire  # noqa: E402  (the framing, shared with the other LSP tools)


def spec(children):
    sups = max(1, children // 10)
    out = ["const base = 5s;", "",
           'worker Conn(id: int, timeout: duration = base) = "app::Conn" from "conn.hpp" '
           "{ restart = transient; }",
           'worker Cache(ttl: duration = 60s) = "app::Cache" from "cache.hpp";', ""]
    for s in range(sups):
        out.append("supervisor Group%d(n: int = 8) {" % s)
        out.append("    strategy  = one_for_one;")
        out.append("    intensity = 5 per 10s;")
        out.append("    child cache = Cache(ttl = 30s) { shutdown = 2s; }")
        out.append("    for i in 1..n {")
        out.append('        child "conn_{i}" = Conn(id = i) { shutdown = 1s; }')
        out.append("    }")
        out.append("    child last = Cache { needs = [cache]; }")
        out.append("}")
        out.append("")
    out.append("application App {")
    out.append("    strategy = one_for_one;")
    for s in range(sups):
        out.append("    child g%d = Group%d(n = 8);" % (s, s))
    out.append("}")
    return "\n".join(out) + "\n"


def cpu_ms(pid):
    """The process's user + system CPU time so far, in milliseconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) * 1000.0 / ticks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("supc")
    ap.add_argument("--children", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=60)
    ap.add_argument("--stdlib", default=os.path.join(os.path.dirname(__file__), "..", "stdlib"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lsp_latency.")
    path = os.path.join(tmp, "big.sup")
    text = spec(args.children)
    with open(path, "w") as f:
        f.write(text)
    uri = "file://" + path
    proc = subprocess.Popen([args.supc, "lsp", "--stdlib", args.stdlib],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    wire = lsp_wire.Connection(proc)
    send = wire.send

    def wait(pred):
        while True:
            item = wire.receive(30)
            if item is None:
                sys.exit("supc lsp ended")
            if pred(item[1]):
                return item[0], item[1]

    send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
          "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait(lambda m: m.get("id") == 0)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    t0 = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "sup", "version": 1, "text": text}}})
    t1, first = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    n_diags = len(first["params"]["diagnostics"])

    # The `1s` of the first group's conns: line of 'shutdown = 1s' in Group0.
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if "Conn(id = i) { shutdown = 1s; }" in l)
    col = lines[line].index("1s")
    values = ["2", "x", "1"]  # valid, an error (unknown name 'xs'), fixed
    diag_ms, hover_ms = [], []
    version = 1
    cpu_before = cpu_ms(proc.pid)
    for k in range(args.edits):
        version += 1
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version},
                         "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                                       "end": {"line": line, "character": col + 1}},
                                             "text": values[k % 3]}]}})
        start = time.perf_counter()
        if k % 2 == 0:
            t, _ = wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"].get("version") == v)
            diag_ms.append((t - start) * 1000)
        else:
            send({"jsonrpc": "2.0", "id": version, "method": "textDocument/hover",
                  "params": {"textDocument": {"uri": uri},
                             "position": {"line": line, "character": col}}})
            t, _ = wait(lambda m, v=version: m.get("id") == v)
            hover_ms.append((t - start) * 1000)
    cpu_per_edit = (cpu_ms(proc.pid) - cpu_before) / args.edits
    send({"jsonrpc": "2.0", "id": 99999, "method": "shutdown", "params": None})
    wait(lambda m: m.get("id") == 99999)
    send({"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=30)

    def figures(name, xs):
        xs = sorted(xs)
        p90 = xs[min(len(xs) - 1, int(len(xs) * 0.9))]
        print("  %-32s median %6.1f   p90 %6.1f   max %6.1f   (%d samples)"
              % (name, statistics.median(xs), p90, xs[-1], len(xs)))

    print("supc lsp latency, %d children in %d supervisors (%d lines, %d bytes), ms; load %s:"
          % (args.children, max(1, args.children // 10), len(lines), len(text),
             " ".join(open("/proc/loadavg").read().split()[:3])))
    print("  %-32s %6.1f   (%d diagnostics)" % ("open -> first diagnostics", (t1 - t0) * 1000, n_diags))
    figures("edit -> publishDiagnostics", diag_ms)
    figures("edit -> hover answered", hover_ms)
    print("  %-32s %6.1f" % ("server CPU per edit", cpu_per_edit))


if __name__ == "__main__":
    main()
