"""on_tty.py CMD...: runs CMD with its standard error on a pseudo-terminal (TERM=xterm,
the rest of the environment as given) and prints 'escapes N': how many ESC characters it
wrote there, then 'exit N'. Tests colours as a user at a terminal sees them."""
import os
import pty
import subprocess
import sys

main, sub = pty.openpty()
env = dict(os.environ, TERM="xterm")
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=sub, env=env)
os.close(sub)
data = b""
while True:
    try:
        chunk = os.read(main, 65536)
    except OSError:  # EIO: the other side is closed
        break
    if not chunk:
        break
    data += chunk
status = proc.wait()
print("escapes", data.count(b"\x1b"))
print("exit", status)
