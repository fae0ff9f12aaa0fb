"""Checks the ```sup examples of a Markdown page: each block is a whole spec, written to
OUT/<page>_<line>.sup and checked with `supc check` (and `supc fmt --check`: examples are
laid out as fmt lays them out). A block fenced ```sup-error must fail `supc check`: it shows
a mistake; its error codes are those its text names as `// error[E0xx]`.

    doc_examples.py SUPC PAGE.md OUT [--stdlib DIR]

Prints one line per block ("PAGE:LINE: ok" or what went wrong) and exits 1 if any block
does not behave as its fence says."""
import os
import re
import subprocess
import sys


def blocks(page):
    lines = open(page, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.fullmatch(r"```(sup|sup-error)", lines[i].strip())
        if not m:
            i += 1
            continue
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        yield start + 1, m.group(1), "\n".join(lines[start:j]) + "\n"
        i = j + 1


def main():
    args = sys.argv[1:]
    stdlib = []
    if "--stdlib" in args:
        k = args.index("--stdlib")
        stdlib = ["--stdlib", args[k + 1]]
        del args[k:k + 2]
    supc, page, out = args
    os.makedirs(out, exist_ok=True)
    name = os.path.splitext(os.path.basename(page))[0]
    failed = count = 0
    for line, fence, text in blocks(page):
        count += 1
        path = os.path.join(out, f"{name}_{line}.sup")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        check = subprocess.run([supc, "check", *stdlib, "--color=never", path],
                               capture_output=True, text=True)
        where = f"{os.path.basename(page)}:{line}"
        if fence == "sup":
            fmt = subprocess.run([supc, "fmt", "--check", path], capture_output=True, text=True)
            if check.returncode != 0:
                failed += 1
                print(f"{where}: supc check failed:\n{check.stderr}")
            elif fmt.returncode != 0:
                failed += 1
                print(f"{where}: not laid out as supc fmt lays it out:\n"
                      + subprocess.run([supc, "fmt", "--diff", path], capture_output=True,
                                       text=True).stdout)
            else:
                print(f"{where}: ok")
        else:
            want = sorted(set(re.findall(r"// error\[(E\d+)\]", text)))
            got = sorted(set(re.findall(r"error\[(E\d+)\]", check.stderr)))
            if check.returncode == 0 or want != got:
                failed += 1
                print(f"{where}: expected errors {want}, got exit {check.returncode} and {got}:"
                      f"\n{check.stderr}")
            else:
                print(f"{where}: ok (fails with {', '.join(got)})")
    print(f"{count} examples, {failed} failed")
    sys.exit(1 if failed or count == 0 else 0)


main()
