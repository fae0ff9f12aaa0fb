#!/usr/bin/env python3
"""json_check.py [--lines] [FILE]: reads FILE (or standard input) as bytes, decodes them
as strict UTF-8 and parses them as one JSON document (--lines: one per non-empty line),
failing with a message if either step fails. Then prints every string in the document(s),
one per line, with Python's escapes for anything outside printable ASCII (so a test can
FileCheck what the strings hold: U+FFFD prints as \\ufffd, ESC as \\x1b)."""
import json
import sys

args = sys.argv[1:]
lines = "--lines" in args
args = [a for a in args if a != "--lines"]
data = open(args[0], "rb").read() if args else sys.stdin.buffer.read()
try:
    text = data.decode("utf-8", errors="strict")
except UnicodeDecodeError as e:
    sys.exit(f"json_check: not UTF-8: {e}")
try:
    docs = [json.loads(l) for l in text.splitlines() if l.strip()] if lines else [json.loads(text)]
except json.JSONDecodeError as e:
    sys.exit(f"json_check: not JSON: {e}")


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from strings(k)
            yield from strings(x)


print("json_check: valid")
for d in docs:
    for s in strings(d):
        print(ascii(s)[1:-1])
