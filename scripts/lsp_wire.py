"""The LSP base protocol over a server process's pipes: Content-Length framing, one reader
thread, bounded waits. Shared by the LSP tests (tests/lit/lsp/Inputs) and
bench/lsp_latency.py, so that the framing is written once."""
import json
import queue
import threading
import time


def read_message(stream):
    """The next message of `stream` (a binary file), or None at its end or on a message that
    is cut short or has no Content-Length."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        key, _, value = line.decode("ascii", "replace").partition(":")
        if key.strip().lower() == "content-length":
            length = int(value)
    if length is None:
        return None
    body = stream.read(length)
    if len(body) < length:
        return None
    return json.loads(body)


class Connection:
    """`proc` (a subprocess.Popen with stdin and stdout pipes) as a stream of LSP messages.
    A reader thread queues each message with the time it arrived (time.perf_counter()), so
    that a caller can measure latency without racing the reader."""

    def __init__(self, proc):
        self.proc = proc
        self._incoming = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            msg = read_message(self.proc.stdout)
            if msg is None:
                self._incoming.put(None)
                return
            self._incoming.put((time.perf_counter(), msg))

    def send(self, msg):
        """Writes one message; raises BrokenPipeError if the server closed its input."""
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def write_raw(self, data):
        """Writes bytes as they are (framing included): for protocol-error tests."""
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def receive(self, timeout):
        """(arrival time, message) of the next message; None once the server closed its
        output; raises queue.Empty when nothing came within `timeout` seconds."""
        item = self._incoming.get(timeout=timeout)
        if item is None:
            self._incoming.put(None)  # the end stays the end for later calls
        return item
