#!/usr/bin/env python3
"""Feeds `supc lsp` a seeded, bounded stream of random edits over the repository's specs.

usage: lsp_fuzz.py SUPC SRCROOT [--seed N] [--files N] [--edits N]

For each of N specs (chosen with the seed among examples/, stdlib/ and tests/), opens it,
then applies random insertions (tokens, brackets, quotes, comment openers, non-ASCII text,
huge numbers, newlines) and deletions as incremental didChange notifications, with
requests (hover, definition, references, completion, documentSymbol, codeAction,
formatting, prepareRename) at random positions, some past the end of the text, in between.
Every request must be answered (result or error) within 20 s; at the end the server must
shut down and exit with status 0. A crash, a hang or a wrong exit status fails; the seed,
file and step are printed so that a failure can be replayed.
"""
import argparse
import glob
import json
import os
import queue
import random
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "scripts"))
import lsp_wire  # noqa: E402  (the framing, shared with the other LSP tools)

TIMEOUT = 20
SNIPPETS = ["{", "}", "(", ")", "[", "]", ";", ",", "=", ".", "..", "\"", "/*", "*/", "//",
            "\n", " ", "child x = ", "child y = Db(a = 1) { restart = ", "supervisor S {",
            "for i in 1..3 {", "worker W(a: int) = \"W\" from \"w.hpp\";", "const c = ",
            "import \"nothere\";", "import \"std\";", "needs = [", "strategy = one_for_all;",
            "99999999999999999999999", "1s", "-", "*", "per", "of", "std.", "é", "😀", "\t",
            "application A { child a = A; }", "env(\"X\", 1)", "schedulers()", "{i}", "\"w_{i}\""]


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def position(text, index):
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": utf16_len(text[start:index])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("supc")
    ap.add_argument("srcroot")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--edits", type=int, default=40)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    specs = sorted(p for d in ("examples", "stdlib", "tests")
                   for p in glob.glob(os.path.join(args.srcroot, d, "**", "*.sup"), recursive=True))
    specs = [p for p in specs if os.path.getsize(p) < 200_000]
    chosen = rng.sample(specs, min(args.files, len(specs)))

    proc = subprocess.Popen([args.supc, "lsp", "--stdlib", os.path.join(args.srcroot, "stdlib")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    wire = lsp_wire.Connection(proc)
    where = {"file": None, "step": None}

    def fail(why):
        print("lsp_fuzz: FAIL (seed %d, file %s, step %s): %s"
              % (args.seed, where["file"], where["step"], why), flush=True)
        proc.kill()
        sys.exit(1)

    def send(msg):
        try:
            wire.send(msg)
        except BrokenPipeError:
            fail("the server closed its input (crashed?), status %s" % proc.poll())

    next_id = [0]

    def request(method, params):
        next_id[0] += 1
        send({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params})
        while True:
            try:
                item = wire.receive(TIMEOUT)
            except queue.Empty:
                fail("no answer to %s within %d s" % (method, TIMEOUT))
            if item is None:
                fail("the server closed its output (crashed?) during %s, status %s"
                     % (method, proc.wait()))
            msg = item[1]
            if msg.get("id") == next_id[0] and "method" not in msg:
                if "result" not in msg and "error" not in msg:
                    fail("a response without result or error: %s" % msg)
                return msg

    request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    methods = ["textDocument/hover", "textDocument/definition", "textDocument/completion",
               "textDocument/documentSymbol", "textDocument/codeAction",
               "textDocument/formatting", "textDocument/prepareRename",
               "textDocument/references"]
    requests = 0
    for path in chosen:
        where["file"] = os.path.relpath(path, args.srcroot)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        uri = "file://" + urllib.parse.quote(os.path.realpath(path))
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
              "params": {"textDocument": {"uri": uri, "languageId": "sup", "version": 1,
                                          "text": text}}})
        for step in range(args.edits):
            where["step"] = step
            a = rng.randrange(len(text) + 1)
            if rng.random() < 0.5 and text:
                b = min(len(text), a + rng.choice([1, 1, 2, 5, 20, 200]))
                new = ""
            else:
                b = a
                new = rng.choice(SNIPPETS)
            change = {"range": {"start": position(text, a), "end": position(text, b)},
                      "text": new}
            text = text[:a] + new + text[b:]
            send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                  "params": {"textDocument": {"uri": uri, "version": step + 2},
                             "contentChanges": [change]}})
            if rng.random() < 0.3:
                method = rng.choice(methods)
                if rng.random() < 0.1:
                    pos = {"line": rng.randrange(100000), "character": rng.randrange(100000)}
                else:
                    pos = position(text, rng.randrange(len(text) + 1))
                params = {"textDocument": {"uri": uri}, "position": pos,
                          "range": {"start": pos, "end": pos},
                          "context": {"diagnostics": [], "includeDeclaration": True},
                          "options": {"tabSize": 4, "insertSpaces": True}}
                request(method, params)
                requests += 1
        send({"jsonrpc": "2.0", "method": "textDocument/didClose",
              "params": {"textDocument": {"uri": uri}}})
    where["file"] = where["step"] = None
    request("shutdown", None)
    send({"jsonrpc": "2.0", "method": "exit"})
    try:
        status = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("no exit within %d s" % TIMEOUT)
    if status != 0:
        fail("exit status %d" % status)
    print("lsp_fuzz: %d files, %d edits, %d requests, seed %d: no crash, no hang"
          % (len(chosen), len(chosen) * args.edits, requests, args.seed))


if __name__ == "__main__":
    main()
