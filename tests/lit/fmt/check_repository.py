#!/usr/bin/env python3
"""check_repository.py SUPC SRCROOT: supc fmt over every .sup file of the repository.

Finds the .sup files itself (new ones are covered without editing a list) and, for each:

  - a file supc fmt refuses (exit 2) must have lexical or syntax errors: nothing is
    printed on stdout, diagnostics are, and the file is left as it was;
  - otherwise, with F = fmt(file):
      idempotence   fmt(F) == F
      comments      the comments of F are the file's, same texts in the same order
      tokens        F has the file's tokens, up to the optional punctuation fmt decides
                    on (a `;` after `}`, a comma before `)` or `]`)
      meaning       when the file checks: `supc check` accepts F too, and `supc dump`
                    prints the same tree for every application of the file (for every
                    supervisor and dynamic supervisor when it has no application)

The lexer here is written from docs/language.md, independently of supc's scanner.
"""
import os
import re
import subprocess
import sys

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n\f]+)
  | (?P<line>//[^\r\n]*)
  | (?P<block>/\*.*?\*/)
  | (?P<string>"(?:[^"\\\r\n]|\\[^\r\n])*")
  | (?P<number>[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[A-Za-z_][A-Za-z0-9_]*)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\.\.|[-+*/%(){}\[\]<>;:?,.=])
""", re.S | re.X)


def lex(text):
    """(tokens, comments) of a spec that supc accepted."""
    if text.startswith("\ufeff"):
        text = text[1:]
    tokens, comments = [], []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot lex at offset {pos}: {text[pos:pos + 20]!r}")
        kind = m.lastgroup
        if kind in ("line", "block"):
            comments.append(m.group())
        elif kind != "ws":
            tokens.append(m.group())
        pos = m.end()
    return tokens, comments


def without_optional_punctuation(tokens):
    out = []
    for i, t in enumerate(tokens):
        if t == "," and i + 1 < len(tokens) and tokens[i + 1] in (")", "]"):
            continue
        if t == ";" and out and out[-1] == "}":
            continue
        out.append(t)
    return out


def roots(tokens):
    """Applications of the file; if none, its supervisors and dynamic supervisors."""
    apps = [tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t == "application"]
    if apps:
        return apps
    return [tokens[i + 1] for i, t in enumerate(tokens[:-1])
            if t in ("supervisor", "dynamic_supervisor") and (i == 0 or tokens[i - 1] in (";", "}"))]


def sup_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        # Skip version control and build trees (a build directory inside the source tree).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not os.path.exists(os.path.join(dirpath, d, "CMakeCache.txt")))
        for f in sorted(filenames):
            if f.endswith(".sup"):
                yield os.path.join(dirpath, f)


def run(args, stdin=None, cwd=None):
    p = subprocess.run(args, input=stdin, capture_output=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def main():
    supc, srcroot = sys.argv[1], sys.argv[2]
    failures, formatted, refused = [], [], []

    def fail(path, what):
        failures.append(f"{os.path.relpath(path, srcroot)}: {what}")

    for path in sup_files(srcroot):
        with open(path, "rb") as f:
            original = f.read()
        rc, out, err = run([supc, "fmt", path])
        with open(path, "rb") as f:
            if f.read() != original:
                fail(path, "supc fmt changed the file")
        if rc == 2:
            refused.append(path)
            if out:
                fail(path, "refused (exit 2) but printed on stdout")
            if b"error[" not in err:
                fail(path, "refused (exit 2) without a diagnostic")
            continue
        if rc != 0:
            fail(path, f"supc fmt exited {rc}: {err.decode(errors='replace')}")
            continue
        formatted.append(path)
        directory = os.path.dirname(path)

        rc2, again, err2 = run([supc, "fmt", "-"], stdin=out)
        if rc2 != 0 or again != out:
            fail(path, "not idempotent: fmt(fmt(x)) != fmt(x)")

        try:
            tokens, comments = lex(original.decode("utf-8"))
            ftokens, fcomments = lex(out.decode("utf-8"))
        except ValueError as e:
            fail(path, str(e))
            continue
        if fcomments != comments:
            fail(path, f"comments differ: {len(comments)} in the file, {len(fcomments)} formatted")
        if without_optional_punctuation(ftokens) != without_optional_punctuation(tokens):
            fail(path, "tokens differ")

        # Meaning: both texts through standard input, from the file's directory (imports
        # resolve from there), so that the two runs differ only by the text.
        rc_check, _, _ = run([supc, "check", "-"], stdin=original, cwd=directory)
        if rc_check != 0:
            continue
        rc_fcheck, _, ferr = run([supc, "check", "-"], stdin=out, cwd=directory)
        if rc_fcheck != 0:
            fail(path, "the file checks but its formatting does not: " + ferr.decode(errors="replace"))
            continue
        for root in roots(tokens):
            a = run([supc, "dump", "--root", root, "-"], stdin=original, cwd=directory)
            b = run([supc, "dump", "--root", root, "-"], stdin=out, cwd=directory)
            if a[0] != b[0] or a[1] != b[1]:
                fail(path, f"supc dump --root {root} differs after formatting")

    print(f"{len(formatted)} files formatted and compared, {len(refused)} refused (errors)")
    for must in ("examples/phoenix_app/app.sup", "stdlib/std.sup"):
        if os.path.join(srcroot, must) not in formatted:
            failures.append(f"{must} was not formatted")
    if len(formatted) < 20:
        failures.append(f"only {len(formatted)} files formatted: is the search broken?")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
