#!/usr/bin/env python3
"""Checks the compiler's layering through its #include lines (compiler.layering).

    check_layering.py COMPILER_DIR       check compiler/ (exit 1 listing each violation)
    check_layering.py --self-test        prove that each rule catches what it names

The rules (docs/architecture.md, STYLE.md: one pipeline, phases that see only the phase
before through its public interface):

  1. ANTLR stays inside the parser: only lib/Parse (and lib/Format, which lays out the
     parser's tokens) include ANTLR's headers, the generated SupParser.h / SupLexer.h, or
     the parser's private headers (lib/Parse/*.h). The build enforces it too: supc_parse
     links the grammar privately, so no other library has those include directories.
  2. Sema's private headers (lib/Sema/*.h) are Sema's: elaboration and everything after it
     use Sema's public interface (include/supc/).
  3. Public headers (include/supc/) include no private header and no ANTLR.
"""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
ANTLR = re.compile(r"(^|/)(antlr4|antlr4-runtime|SupParser\.h|SupLexer\.h)")


def violations(root):
    out = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith((".h", ".cpp", ".def")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            parser_side = rel.startswith(("lib/Parse/", "lib/Format/"))
            sema = rel.startswith("lib/Sema/")
            public = rel.startswith("include/")
            for m in INCLUDE.finditer(text):
                inc = m.group(1)
                line = text.count("\n", 0, m.start()) + 1
                where = f"{rel}:{line}: #include {inc}"
                if ANTLR.search(inc) and not parser_side:
                    out.append(f"{where}: ANTLR is the parser's business (rule 1)")
                elif inc.startswith("Parse/") and not parser_side:
                    out.append(f"{where}: the parser's private header (rule 1)")
                elif inc.startswith("Sema/") and not sema and not rel.startswith("lib/Format/"):
                    out.append(f"{where}: Sema's private header; use include/supc/ (rule 2)")
                elif public and not inc.startswith(("supc/", "llvm/", "fmt/")) and '"' in m.group(0):
                    out.append(f"{where}: a public header includes a private one (rule 3)")
    return out


def self_test():
    cases = {
        "lib/Sema/Bad.cpp": '#include "Parse/Scanner.h"\n',
        "lib/Elab/Bad.cpp": '#include "Sema/Resolver.h"\n',
        "lib/Codegen/Bad.cpp": "#include <antlr4-runtime.h>\n",
        "lib/Lint/Bad.cpp": '#include "SupParser.h"\n',
        "include/supc/Bad.h": '#include "Sema/Loader.h"\n',
        "lib/Parse/Good.cpp": '#include "SupParser.h"\n#include "Parse/Scanner.h"\n',
        "lib/Sema/Good.cpp": '#include "Sema/Resolver.h"\n#include "supc/Parser.h"\n',
        "include/supc/Good.h": '#include "supc/IR.h"\n#include <llvm/Support/Casting.h>\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in cases.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        found = violations(root)
    bad = sorted(rel for rel in cases if "Bad" in rel)
    flagged = sorted({v.split(":")[0] for v in found})
    if flagged != bad:
        print("self-test failed: expected", bad, "got", found)
        return 1
    print(f"self-test: {len(bad)} violations caught, {len(cases) - len(bad)} clean files passed")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    found = violations(sys.argv[1])
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} layering violation(s)")
        return 1
    print("layering: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
