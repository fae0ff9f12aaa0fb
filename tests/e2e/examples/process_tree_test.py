#!/usr/bin/env python3
"""End-to-end test of examples/process_tree: `supc run app.sup` with real processes.

The story, checked with the events supc prints and the process table (never sleeps: every
wait is for an event or an exit, bounded):
  1. the tree starts; the crasher, its partner, the stubborn child and the daemonizer run,
     and the daemonizer's daemon (a grandchild in a session of its own);
  2. the crasher is killed by SIGSEGV: exit {signal,SIGSEGV}, its partner is stopped and
     both start again (one_for_all);
  3. SIGTERM to supc stops the tree in reverse start order: the daemonizer (its daemon
     too), the stubborn child killed after its 1 s shutdown timeout, the group; supc exits 0;
  4. no process of the tree is left, the daemon included.

usage: process_tree_test.py SUPC EXAMPLE_DIR [story|sigint|sigkill]

Other endings of the same tree (after step 1):
  sigint   SIGINT (Ctrl-C) stops it as SIGTERM does: in reverse start order, exit status 0,
           nothing left;
  sigkill  supc itself SIGKILLed, with no chance to stop anything: every process of the tree
           dies anyway, the daemon included (PR_SET_PDEATHSIG for the programs, the runtime's
           guardian for their descendants: docs/runtime.md, "No orphans"); each death is
           awaited with a pidfd, never polled.
"""
import json
import os
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 30  # seconds, for each wait: generous on a loaded machine, never reached when it works


def fail(msg, proc=None, stderr_file=None):
    print("FAILED: " + msg)
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    if stderr_file is not None:
        stderr_file.seek(0)
        print("--- supc run's standard error:\n" + stderr_file.read().decode(errors="replace"))
    sys.exit(1)


def proc_stat(pid):
    """(state, ppid, starttime) of a process, or None if there is none."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[19])


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [e.decode(errors="replace") for e in f.read().split(b"\0") if e]
    except OSError:
        return []


def alive(pid, start):
    """Whether the process that had this pid and start time still runs (a zombie does not)."""
    st = proc_stat(pid)
    return st is not None and st[2] == start and st[0] != "Z"


def await_deaths(tracked, timeout):
    """Waits (bounded) until none of the processes {pid: start time} runs; returns those
    still running. A pidfd becomes readable when its process ends."""
    fds = {}
    for pid, start in tracked.items():
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue  # gone already
        if alive(pid, start):  # the pid was not reused between the table and the pidfd
            fds[fd] = pid
        else:
            os.close(fd)
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    deadline = time.monotonic() + timeout
    while fds:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for fd, _ in poller.poll(left * 1000):
            poller.unregister(fd)
            os.close(fd)
            del fds[fd]
    still = [pid for pid in fds.values() if alive(pid, tracked[pid])]
    for fd in fds:
        os.close(fd)
    return still


def main():
    supc, example = sys.argv[1], sys.argv[2]
    scenario = sys.argv[3] if len(sys.argv) > 3 else "story"
    stderr_file = tempfile.TemporaryFile()
    proc = subprocess.Popen([supc, "run", "app.sup"], cwd=example, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    events = queue.Queue()
    log_lines = queue.Queue()

    def reader():
        for line in proc.stdout:
            events.put(json.loads(line))
        events.put(None)

    def log_reader():  # the programs' output, as supc logs it; kept for a failure's report
        for line in proc.stderr:
            stderr_file.write(line)
            stderr_file.flush()
            log_lines.put(line.decode(errors="replace"))
        log_lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    threading.Thread(target=log_reader, daemon=True).start()

    logged = []  # every log line so far: programs' lines may come in any order

    def wait_log(text, used=()):
        """The first log line containing `text` that is not in `used` (indexes)."""
        i = 0
        while True:
            while i < len(logged):
                if text in logged[i] and i not in used:
                    return i, logged[i]
                i += 1
            try:
                line = log_lines.get(timeout=TIMEOUT)
            except queue.Empty:
                fail(f"no log line with {text!r} within {TIMEOUT} s", proc, stderr_file)
            if line is None:
                fail(f"supc run ended before logging {text!r}", proc, stderr_file)
            logged.append(line)

    used = set()

    def child(script):
        """The pid of a program, from the line it logs when it is up: "path[PID] stdout: ..."."""
        i, line = wait_log(f"stdout: {script}: up", used)
        used.add(i)
        return int(line[line.index("[") + 1:line.index("]")])

    seen = []

    def wait_for(pred, what, since=0):
        for e in seen[since:]:
            if pred(e):
                return e
        while True:
            try:
                e = events.get(timeout=TIMEOUT)
            except queue.Empty:
                fail(f"no event {what} within {TIMEOUT} s; events: {seen}", proc, stderr_file)
            if e is None:
                fail(f"supc run ended before {what}; events: {seen}", proc, stderr_file)
            seen.append(e)
            if pred(e):
                return e

    def event(kind, path, reason=None):
        return lambda e: (e["event"] == kind and e["path"] == path
                          and (reason is None or e.get("reason") == reason))

    # 1. Started.
    wait_for(event("start", ""), "the root's start")
    crasher, partner = child("crasher"), child("partner")
    stubborn, daemonizer = child("stubborn"), child("daemonizer")
    # The daemonizer logged its line once its daemon had been forked, with the daemon's pid.
    # (Processes are told apart by pid and start time, read from /proc/PID/stat: an
    # environment read in /proc can come back empty while the process is in execve.)
    line = logged[max(i for i in used if "daemonizer: up" in logged[i])]
    daemon = int(line[line.index("(pid ") + 5:line.index(")", line.index("(pid "))])
    tracked = {}
    for pid in (crasher, partner, stubborn, daemonizer, daemon):
        st = proc_stat(pid)
        if st is None:
            fail(f"process {pid} is not running", proc, stderr_file)
        tracked[pid] = st[2]
    print(f"ok: started: crasher {crasher}, partner {partner}, stubborn {stubborn}, "
          f"daemonizer {daemonizer}, its daemon {daemon}")
    if proc_stat(daemon)[1] == daemonizer:
        fail("the daemon is still the daemonizer's child: it did not daemonise", proc,
             stderr_file)

    if scenario == "sigkill":
        proc.kill()
        proc.wait(timeout=TIMEOUT)
        left = await_deaths(tracked, TIMEOUT)
        if left:
            fail(f"processes outlived supc's SIGKILL: {[(p, cmdline(p)) for p in left]}", None,
                 stderr_file)
        print(f"ok: supc SIGKILLed: none of the {len(tracked)} processes of the tree is left, "
              f"the daemon included")
        return

    if scenario == "sigint":
        proc.send_signal(signal.SIGINT)
        stop_and_check(proc, events, seen, tracked, stderr_file,
                       ["daemonizer", "stubborn", "group/partner", "group/crasher", "group", ""])
        print("ok: SIGINT stopped the tree in reverse start order; exit status 0; nothing left")
        return

    # 2. SIGSEGV: the group restarts.
    mark = len(seen)
    os.kill(crasher, signal.SIGSEGV)
    wait_for(event("exit", "group/crasher", "{signal,SIGSEGV}"), "crasher's exit by SIGSEGV",
             mark)
    wait_for(event("terminate", "group/partner", "shutdown"), "partner stopped", mark)
    wait_for(event("start", "group/partner"), "partner's restart", mark)
    restarted = [e["path"] for e in seen if e["event"] == "start"]
    if restarted.count("group/crasher") != 2 or restarted.count("group/partner") != 2:
        fail(f"the group did not restart once: {seen}", proc, stderr_file)
    if alive(crasher, tracked[crasher]) or alive(partner, tracked[partner]):
        fail("the old crasher or partner still runs", proc, stderr_file)
    for pid in (child("crasher"), child("partner")):
        tracked[pid] = proc_stat(pid)[2]
    print("ok: the crasher, killed by SIGSEGV, restarted with its partner (one_for_all)")

    # 3. SIGTERM: stop in order.
    proc.send_signal(signal.SIGTERM)
    stop_and_check(proc, events, seen, tracked, stderr_file,
                   ["group/partner", "daemonizer", "stubborn", "group/partner", "group/crasher",
                    "group", ""])
    print("ok: SIGTERM stopped the tree in reverse start order, the stubborn child killed "
          "after its 1 s timeout; exit status 0")
    print(f"ok: none of the {len(tracked)} processes is left, the daemon included")


def stop_and_check(proc, events, seen, tracked, stderr_file, want):
    """After SIGTERM or SIGINT: supc exits 0, having stopped the tree in the order `want`
    (the paths of its terminate events), the stubborn child killed after its 1 s timeout;
    no process of `tracked` is left."""
    try:
        status = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("supc run did not exit after the stop signal", proc, stderr_file)
    while True:
        e = events.get(timeout=TIMEOUT)
        if e is None:
            break
        seen.append(e)
    if status != 0:
        fail(f"supc run exited with {status} after the stop signal", None, stderr_file)
    stops = [(e["path"], e.get("reason"), e["t_ms"]) for e in seen if e["event"] == "terminate"]
    order = [p for p, _, _ in stops]
    if order != want:
        fail(f"stop order {order}, expected {want}", None, stderr_file)
    t = {p: (r, ms) for p, r, ms in stops[len(want) - 6:]}
    if t["stubborn"][0] != "killed" or t["daemonizer"][0] != "shutdown":
        fail(f"stubborn should be killed and daemonizer shut down: {stops}", None, stderr_file)
    if t["stubborn"][1] - t["daemonizer"][1] < 990:
        fail(f"stubborn killed before its 1 s shutdown timeout: {stops}", None, stderr_file)

    # 4. Nothing left.
    left = [p for p, start in tracked.items() if alive(p, start)]
    if left:
        fail(f"processes left after the stop: {[(p, cmdline(p)) for p in left]}", None,
             stderr_file)


if __name__ == "__main__":
    main()
