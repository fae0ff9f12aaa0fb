#!/usr/bin/env python3
"""Endless input, for the tests of supc's input limit.

    endless.py [TEXT]                      writes TEXT (default: a line of a spec) to standard
                                           output forever; exits 0 once the reader stops
    endless.py --fifo [TEXT] -- CMD...     makes a FIFO, writes TEXT into it forever from a
                                           thread, runs CMD with every '{fifo}' replaced by
                                           its path; exits with CMD's status (CMD's output
                                           passes through)
    endless.py --stdin [TEXT] -- CMD...    runs CMD with TEXT poured into its standard input
                                           forever (lit's own pipes keep a reader open, so
                                           an endless writer piped into CMD would never stop)
"""
import os
import subprocess
import sys
import tempfile
import threading

DEFAULT = "worker W = \"w\" from \"w\";\n"


def pour(stream, text):
    data = (text * (65536 // len(text) + 1)).encode()
    try:
        while True:
            stream.write(data)
    except (BrokenPipeError, OSError):
        pass


def main():
    args = sys.argv[1:]
    if args and args[0] == "--fifo":
        split = args.index("--")
        text = args[1] if split > 1 else DEFAULT
        command = args[split + 1:]
        with tempfile.TemporaryDirectory() as tmp:
            fifo = os.path.join(tmp, "input.fifo")
            os.mkfifo(fifo)

            def writer():
                try:
                    with open(fifo, "wb", buffering=0) as f:
                        pour(f, text)
                except OSError:
                    pass

            threading.Thread(target=writer, daemon=True).start()
            status = subprocess.call([a.replace("{fifo}", fifo) for a in command])
            # Unblock the writer if the command never opened the FIFO.
            try:
                fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:
                pass
            return status
    if args and args[0] == "--stdin":
        split = args.index("--")
        text = args[1] if split > 1 else DEFAULT
        proc = subprocess.Popen(args[split + 1:], stdin=subprocess.PIPE)
        writer = threading.Thread(target=pour, args=(proc.stdin, text), daemon=True)
        writer.start()
        status = proc.wait()
        writer.join(timeout=60)
        return status
    text = args[0] if args else DEFAULT
    pour(sys.stdout.buffer, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
