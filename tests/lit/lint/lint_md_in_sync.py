"""lint_md_in_sync.py SUPC DOC [--update]: the rules section of docs/lint.md (between its
BEGIN RULES and END RULES markers) must be exactly what `supc lint --rules --markdown`
prints, the text `supc explain L0xx` prints too. Fails with a diff when they drift;
--update rewrites the section instead."""
import difflib
import re
import subprocess
import sys

supc, doc = sys.argv[1], sys.argv[2]
update = "--update" in sys.argv[3:]
generated = subprocess.run([supc, "lint", "--rules", "--markdown"], capture_output=True,
                           text=True, check=True).stdout
text = open(doc, encoding="utf-8").read()
pattern = re.compile(r"(<!-- BEGIN RULES[^\n]*-->\n)(.*?)(<!-- END RULES -->)", re.S)
m = pattern.search(text)
if not m:
    sys.exit(f"{doc} has no '<!-- BEGIN RULES ... -->' ... '<!-- END RULES -->' section")
if m.group(2) == generated:
    print("docs/lint.md is in sync")
    sys.exit(0)
if update:
    open(doc, "w", encoding="utf-8").write(text[:m.start(2)] + generated + text[m.end(2):])
    print(f"updated {doc}")
    sys.exit(0)
sys.stdout.writelines(difflib.unified_diff(m.group(2).splitlines(True), generated.splitlines(True),
                                           doc, "supc lint --rules --markdown"))
sys.exit(f"{doc} drifted from the rules; regenerate with\n"
         f"  python3 tests/lit/lint/lint_md_in_sync.py build/compiler/supc docs/lint.md --update")
