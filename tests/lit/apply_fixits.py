"""Applies the fix-its of `supc --format=json` diagnostics (read from stdin) to FILE, in
place, as an editor would: every fix-it of FILE, from the last to the first (columns are
1-based bytes; a fix-it whose range overlaps one already applied is an error)."""
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: apply_fixits.py FILE < diagnostics.json")
    path = sys.argv[1]
    data = open(path, "rb").read()
    starts = [0]
    for i, b in enumerate(data):
        if b == ord("\n"):
            starts.append(i + 1)

    def offset(line, column):
        return starts[line - 1] + column - 1

    edits = []
    for d in json.load(sys.stdin):
        for f in d.get("fixits", []):
            if f["file"] != path:
                continue
            edits.append((offset(f["line"], f["column"]), offset(f["end_line"], f["end_column"]),
                          f["replacement"].encode()))
    edits.sort(reverse=True)
    limit = len(data) + 1
    for begin, end, text in edits:
        if end > limit:
            sys.exit(f"apply_fixits.py: overlapping fix-its at byte {begin}")
        data = data[:begin] + text + data[end:]
        limit = begin
    open(path, "wb").write(data)
    print(f"applied {len(edits)} fix-its")


main()
