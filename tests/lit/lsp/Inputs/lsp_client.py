#!/usr/bin/env python3
"""A scripted LSP client for the lit tests of `supc lsp`.

usage: lsp_client.py SUPC DIR SCRIPT [-- SUPC-ARGS...]

Starts `SUPC lsp`, then follows SCRIPT, one JSON object per line (blank lines and lines
starting with # are skipped). In every string, @DIR@ stands for DIR's file URI and
@name@ (a file of DIR) for that file's URI; responses print them back the same way.

  {"initialize": {...capabilities...}}  initialize (rootUri DIR) + initialized
  {"open": "a.sup"}                     didOpen with the file's text (version 1)
  {"change": "a.sup", "version": N, "changes": [...]}   didChange
  {"close": "a.sup"}                    didClose
  {"request": METHOD, "params": {...}}  sends a request, prints its response
  {"cancelled": METHOD, "params": {...}} sends $/cancelRequest first, then the request
  {"await": METHOD}                     prints the next notification METHOD (others kept)
  {"await": METHOD, "uri": U, "version": V, "codes": [...]}
                                        the next one about U (and version V, and whose
                                        diagnostics have exactly these codes, in order);
                                        earlier ones about U that do not match are states
                                        the server passed through and are dropped
  {"apply": "a.sup"}                    applies the edits of the last response (TextEdit[]
                                        or a WorkspaceEdit) to the file's text as the client
                                        holds it, and prints the text
  {"raw": "text"}                       writes bytes as they are (framing included)
  {"await_error": true}                 prints the next error response without an id
  {"shutdown": true}                    shutdown + exit; checks the exit status is 0

Every wait is bounded (20 s): a server that does not answer fails the test, it does not
hang it. Output: one line per message, `<- ` + JSON with sorted keys.
"""
import json
import os
import subprocess
import sys
import queue
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "scripts"))
import lsp_wire  # noqa: E402  (the framing, shared with the other LSP tools)

TIMEOUT = 20


def main():
    supc, directory, script = sys.argv[1:4]
    extra = sys.argv[5:] if len(sys.argv) > 4 and sys.argv[4] == "--" else []
    directory = os.path.realpath(directory)
    dir_uri = "file://" + urllib.parse.quote(directory)
    proc = subprocess.Popen([supc, "lsp"] + extra, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=sys.stderr)
    wire = lsp_wire.Connection(proc)

    def expand(v):
        if isinstance(v, str):
            v = v.replace("@DIR@", dir_uri)
            for name in os.listdir(directory):
                v = v.replace("@" + name + "@", dir_uri + "/" + urllib.parse.quote(name))
            return v
        if isinstance(v, list):
            return [expand(x) for x in v]
        if isinstance(v, dict):
            return {expand(k): expand(x) for k, x in v.items()}
        return v

    def shrink(text):
        return text.replace(dir_uri, "@DIR@")

    send = wire.send

    def show(msg):
        print("<- " + shrink(json.dumps(msg, sort_keys=True)), flush=True)

    def fail(why):
        print("lsp_client: " + why, file=sys.stderr, flush=True)
        proc.kill()
        sys.exit(1)

    pending = []  # notifications received while waiting for something else

    def next_message():
        try:
            item = wire.receive(TIMEOUT)
        except queue.Empty:
            fail("no message from the server within %d s" % TIMEOUT)
        if item is None:
            fail("the server closed its output")
        return item[1]

    def response(id_):
        while True:
            msg = next_message()
            if msg.get("id") == id_ and "method" not in msg:
                return msg
            pending.append(msg)

    def notification(method, uri=None, version=None, codes=None):
        def about(m):
            return m.get("method") == method and (
                uri is None or m.get("params", {}).get("uri") == uri)

        def matches(m):
            p = m.get("params", {})
            return about(m) and (version is None or p.get("version") == version) and (
                codes is None or [d.get("code") for d in p.get("diagnostics", [])] == codes)

        for i, m in enumerate(pending):
            if matches(m):
                return pending.pop(i)
        pending[:] = [m for m in pending if not about(m)]
        while True:
            msg = next_message()
            if matches(msg):
                return msg
            if not about(msg):
                pending.append(msg)

    texts = {}
    next_id = [0]
    last = [None]

    def request(method, params, cancel=False):
        next_id[0] += 1
        if cancel:
            send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": next_id[0]}})
        send({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params})
        r = response(next_id[0])
        last[0] = r
        show(r)

    def offset(text, pos):
        lines = text.split("\n")
        line = min(pos["line"], len(lines))
        before = sum(len(l) + 1 for l in lines[:line])
        if line == len(lines):
            return len(text)
        # UTF-16 units: the tests use ASCII, where they are characters.
        return before + min(pos["character"], len(lines[line]))

    def apply_edits(text, edits):
        spans = sorted(((offset(text, e["range"]["start"]), offset(text, e["range"]["end"]),
                         e["newText"]) for e in edits), reverse=True)
        for b, e, t in spans:
            text = text[:b] + t + text[e:]
        return text

    for raw in open(script, encoding="utf-8"):
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        step = expand(json.loads(raw))
        if "initialize" in step:
            params = {"processId": None, "rootUri": dir_uri, "capabilities": step["initialize"]}
            request("initialize", params)
            send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        elif "open" in step:
            name = step["open"]
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                texts[name] = f.read()
            send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                  "params": {"textDocument": {"uri": expand("@" + name + "@"),
                                              "languageId": "sup", "version": 1,
                                              "text": texts[name]}}})
        elif "change" in step:
            name = step["change"]
            for c in step["changes"]:
                texts[name] = apply_edits(texts[name], [{"range": c["range"], "newText": c["text"]}]) \
                    if "range" in c else c["text"]
            send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                  "params": {"textDocument": {"uri": expand("@" + name + "@"),
                                              "version": step["version"]},
                             "contentChanges": step["changes"]}})
        elif "close" in step:
            send({"jsonrpc": "2.0", "method": "textDocument/didClose",
                  "params": {"textDocument": {"uri": expand("@" + step["close"] + "@")}}})
        elif "request" in step:
            request(step["request"], step.get("params", {}))
        elif "cancelled" in step:
            request(step["cancelled"], step.get("params", {}), cancel=True)
        elif "await" in step:
            show(notification(step["await"], step.get("uri"), step.get("version"),
                              step.get("codes")))
        elif "apply" in step:
            name = step["apply"]
            result = last[0].get("result")
            uri = expand("@" + name + "@")
            if isinstance(result, list):
                edits = result
            elif isinstance(result, dict) and "changes" in result:
                edits = result["changes"].get(uri, [])
            else:
                fail("the last response has no edits")
            texts[name] = apply_edits(texts[name], edits)
            sys.stdout.write(texts[name])
            sys.stdout.flush()
        elif "await_error" in step:
            while True:
                msg = next_message()
                if "error" in msg and msg.get("id") is None:
                    show(msg)
                    break
                pending.append(msg)
        elif "raw" in step:
            wire.write_raw(step["raw"].encode())
        elif "shutdown" in step:
            request("shutdown", None)
            send({"jsonrpc": "2.0", "method": "exit"})
            try:
                status = proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                fail("the server did not exit within %d s of 'exit'" % TIMEOUT)
            print("exit status %d" % status, flush=True)
            return
        else:
            fail("unknown step: " + raw)
    proc.stdin.close()
    try:
        status = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("the server did not exit within %d s of the end of its input" % TIMEOUT)
    print("exit status %d" % status, flush=True)


if __name__ == "__main__":
    main()
