#!/usr/bin/env python3
"""check_format.py CLANG_FORMAT SOURCE_DIR: every C/C++ file git tracks is laid out as the
repository's .clang-format says (clang-format-14: other versions lay out differently).

Lists the files that differ and the command that fixes them; exit 1 if any. Exit 77 (a
skip) when SOURCE_DIR is not a git checkout: the files to check are the tracked ones.
The X-macro tables (*.def) are not C++ statements and are not checked.
"""
import subprocess
import sys

PATTERNS = ["*.c", "*.cc", "*.cpp", "*.cxx", "*.h", "*.hh", "*.hpp", "*.hxx"]


def main():
    clang_format, source = sys.argv[1], sys.argv[2]
    listed = subprocess.run(["git", "-C", source, "ls-files", "-z", "--"] + PATTERNS,
                            capture_output=True)
    if listed.returncode != 0:
        print(f"{source} is not a git checkout: the format check is skipped")
        return 77
    files = [f for f in listed.stdout.decode().split("\0") if f]
    if not files:
        print("git tracks no C/C++ file: nothing to check")
        return 1
    bad = []
    for i in range(0, len(files), 100):
        batch = files[i:i + 100]
        r = subprocess.run([clang_format, "--dry-run", "--Werror", "--style=file"] + batch,
                           cwd=source, capture_output=True, text=True)
        named = {line.split(":", 1)[0] for line in r.stderr.splitlines()}
        found = [f for f in batch if f in named]
        if r.returncode != 0 and not found:  # clang-format itself failed
            print(r.stderr)
            return 1
        bad += found
    print(f"{len(files)} C/C++ files checked with {clang_format}: {len(bad)} not formatted")
    if bad:
        print("\n".join("  " + f for f in bad))
        print(f"fix: (cd {source} && {clang_format} -i {' '.join(bad)})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
