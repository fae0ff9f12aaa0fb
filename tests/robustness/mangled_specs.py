#!/usr/bin/env python3
"""Feeds supc a generated corpus of mangled specs and checks that it never crashes or hangs.

    mangled_specs.py SUPC SEED_DIR... [--work DIR] [--jobs N] [--timeout S] [--command lint]

The corpus (deterministic) comes from the seed specs (*.sup under the given directories):
truncations, byte flips, spliced halves, token soups, random bytes, invalid UTF-8, empty
and whitespace-only files, deep nesting of every kind, huge single lines, an oversized
file, and a spec with hundreds of errors. Each file is checked with `supc check`:

  - never a signal, a sanitizer report or a timeout;
  - exit status 2 with at least one `error[E...]` diagnostic for every file that is
    invalid by construction; 0 or 2 for mutations that may happen to stay valid (a
    truncation right after a complete declaration), and then a diagnostic iff 2;
  - no output to stdout.

With `--command lint`, each file is linted instead: the same, except that exit status 1
(findings at error severity) is allowed, and warnings with exit status 0.

Prints a summary; exits non-zero listing the offending files.
"""

import argparse
import concurrent.futures
import glob
import os
import random
import subprocess
import sys

TOKENS = [
    "package", "import", "const", "worker", "supervisor", "dynamic_supervisor",
    "application", "child", "for", "in", "of", "from", "per", "true", "false", "(", ")",
    "{", "}", "[", "]", "<", ">", ";", ":", "?", ",", "..", ".", "=", "+", "-", "*", "/",
    "%", "42", "1_000", "0.5", "5s", "100ms", "2m", "x", "Repo", "std.Registry",
    '"str"', '"w_{i}"', "one_for_one", "permanent", "brutal_kill", "env", "exponential",
    "// c\n", "/* c */", "\n", " ", "@", "#", "\"", "\\", "é", "int", "list<int>",
]


def corpus(seeds, rng):
    """Yields (name, bytes, must_fail)."""
    texts = [open(p, "rb").read() for p in seeds]
    texts = [t for t in texts if t.strip()]
    for i, t in enumerate(texts):
        for k in range(4):
            cut = rng.randrange(1, len(t))
            yield f"truncated_{i}_{k}", t[:cut], False
        for k in range(4):
            b = bytearray(t)
            for _ in range(rng.randrange(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            yield f"flipped_{i}_{k}", bytes(b), False
        for k in range(2):
            b = bytearray(t)
            for _ in range(rng.randrange(1, 6)):
                pos = rng.randrange(len(b))
                b[pos:pos] = rng.choice(TOKENS).encode()
            yield f"inserted_{i}_{k}", bytes(b), False
        other = texts[rng.randrange(len(texts))]
        yield f"spliced_{i}", t[: len(t) // 2] + other[len(other) // 2 :], False
    for k in range(60):
        soup = " ".join(rng.choice(TOKENS) for _ in range(rng.randrange(1, 400)))
        yield f"soup_{k}", soup.encode(), False
    for k in range(15):
        yield f"random_{k}", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000))), False
    # Invalid by construction: each of these must be exit status 2.
    yield "empty", b"", True
    yield "whitespace", b"  \n\t\r\n   ", True
    yield "comments_only", b"// nothing\n/* at all */\n", True
    yield "nul_byte", b"worker A = \"a\" from \"b\";\x00", True
    yield "latin1", b"const caf\xe9 = 1;", True
    yield "lone_continuation", b"\x80\x80\x80", True
    yield "truncated_utf8", b"const s = \"\xe2\x82", True
    yield "overlong_utf8", b"// \xc0\x80\n", True
    yield "surrogate", b"// \xed\xb0\x80\n", True
    yield "beyond_unicode", b"// \xf5\x80\x80\x80\n", True
    yield "binary_elf", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8, True
    n = 100_000
    yield "deep_brackets", b"const x = " + b"[" * n + b"1" + b"]" * n + b";", True
    yield "deep_parens", b"const x = " + b"(" * n + b"1" + b")" * n + b";", True
    yield "deep_braces", b"application A " + b"{" * n + b"}" * n, True
    yield "deep_unclosed", b"[" * n, True
    yield "deep_minus", b"const x = " + b"-" * n + b"1;", True
    yield "deep_types", b"worker W(x: " + b"list<" * n + b"int" + b">" * n + b") = \"a\" from \"b\";", True
    yield "deep_loops", b"worker W = \"w\" from \"w\";\napplication A {" + b"for i in 1..1 {" * 5000 + b"}" * 5001, True
    yield "long_chain", b"const x = 1" + b" + 1" * n + b";", True
    yield "long_mul_chain", b"const x = 2" + b" * 2" * n + b";", True
    yield "deep_args", b"application A { child a = W(" + b"x = W(" * 3000 + b")" * 3001 + b"; }", True
    yield "long_identifier", b"const " + b"x" * 1_000_000 + b" = ;", True
    yield "long_string", b"const s = \"" + b"a" * 1_000_000 + b";", True
    yield "long_line_of_errors", b"@ " * 200_000, True
    yield "many_errors", b"\n".join(b"worker W%d = ;" % i for i in range(2000)), True
    yield "unterminated_comment", b"const a = 1;\n/* " + b"x" * 100_000, True
    yield "huge_loop", (b"worker W(i: int) = \"w\" from \"w\";\n"
                        b"application A { for i in 1..100000000000 { child \"w{i}\" = W(i = i); } }"), True
    yield "exponential_tree", (b"worker W = \"w\" from \"w\";\n"
                               + b"".join(b"supervisor S%d { child a = S%d; child b = S%d; }\n" % (k, k + 1, k + 1)
                                          for k in range(40))
                               + b"supervisor S40 { child w = W; }\napplication A { child s = S0; }\n"), True
    yield "chain_of_supervisors", (b"worker W = \"w\" from \"w\";\n"
                                   + b"".join(b"supervisor S%d { child s = S%d; }\n" % (k, k + 1) for k in range(3000))
                                   + b"supervisor S3000 { child w = W; }\napplication A { child s = S0; }\n"), True
    yield "const_chain", (b"".join(b"const c%d = c%d + 1;\n" % (k, k + 1) for k in range(5000))
                          + b"const c5000 = 0;\nconst bad = ;\n"), True
    yield "overflow", b"const x = 9223372036854775807 * 2;", True
    yield "division_by_zero", b"const x = 1 / 0;", True
    yield "oversized", b"// " + b"x" * (65 << 20), True


def run_one(supc, command, path, must_fail, timeout):
    """Returns (exit status, problem or None)."""
    try:
        r = subprocess.run([supc, command, path], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout}s"
    return r.returncode, judge(r, must_fail, command == "lint")


def judge(r, must_fail, lint=False):
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode < 0:
        return f"killed by signal {-r.returncode}"
    if "Sanitizer" in err or "runtime error:" in err:
        return "sanitizer report:\n" + err[-2000:]
    if r.stdout:
        return "wrote to stdout"
    if r.returncode not in ((0, 1, 2) if lint else (0, 2)):
        return f"exit status {r.returncode}:\n{err[-2000:]}"
    if must_fail and r.returncode != 2:
        return f"exit status {r.returncode}, expected 2"
    if r.returncode == 2 and "error[E" not in err:
        return "exit status 2 without an error diagnostic:\n" + err[-500:]
    if r.returncode == 0 and err and not lint:
        return "exit status 0 with diagnostics:\n" + err[-500:]
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("supc")
    p.add_argument("seeds", nargs="+", help="directories of seed specs")
    p.add_argument("--work", default=None, help="where to write the corpus (default: a temp dir)")
    p.add_argument("--command", default="check", choices=["check", "lint"],
                   help="the supc command to run on each file")
    p.add_argument("--jobs", type=int, default=2)
    # A hang, not slowness, is what the timeout catches: the exponential tree takes ~2 s to
    # reach the node limit in Release, and over 20 s in the ASan+UBSan Debug build of the
    # test command on a loaded machine. Generous, so that load never fails the test.
    p.add_argument("--timeout", type=float, default=180.0)
    p.add_argument("--seed", type=int, default=2024)
    args = p.parse_args()

    seeds = sorted(f for d in args.seeds for f in glob.glob(os.path.join(d, "**", "*.sup"), recursive=True))
    if not seeds:
        sys.exit("no seed specs")
    work = args.work or os.path.join(os.environ.get("TMPDIR", "/tmp"), f"supc-corpus-{os.getpid()}")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(args.seed)
    jobs = []
    for name, data, must_fail in corpus(seeds, rng):
        path = os.path.join(work, name + ".sup")
        with open(path, "wb") as f:
            f.write(data)
        jobs.append((name, path, must_fail))

    failures = []
    statuses = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda j: (j, run_one(args.supc, args.command, j[1], j[2], args.timeout)), jobs)
        for (name, path, must_fail), (status, problem) in results:
            statuses[status] = statuses.get(status, 0) + 1
            if problem:
                failures.append(f"{name}: {problem}")
    for _, path, _ in jobs:
        os.remove(path)
    if not args.work:
        os.rmdir(work)
    print(f"{len(jobs)} mangled specs from {len(seeds)} seeds, {len(failures)} problems "
          f"(exit 2: {statuses.get(2, 0)}, exit 0: {statuses.get(0, 0)})")
    if failures:
        print("\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
