"""sarif_facts.py LOG [DOCS_DIR]: prints what code scanning keys on in a SARIF log, one fact
a line, for FileCheck: the source root (originalUriBaseIds), each result's rule, artifact
URI and base, start line, fingerprints and suppressions. With DOCS_DIR, also checks that
every rule's helpUri ends in an anchor of a heading of DOCS_DIR/lint.md or errors.md (as
GitHub makes anchors) and prints how many do."""
import json
import re
import sys


def anchor(heading):
    # GitHub: lowercase; letters, digits, '-', '_' and non-ASCII kept; spaces to '-'.
    return "".join(c.lower() if (c.isalnum() or c in "-_" or ord(c) > 127) else
                   ("-" if c == " " else "") for c in heading)


log = json.load(open(sys.argv[1], encoding="utf-8"))
run = log["runs"][0]
for name, base in sorted(run.get("originalUriBaseIds", {}).items()):
    print(f"base {name} {base['uri']}")
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]
    art = loc["artifactLocation"]
    print(f"result {r['ruleId']} {art['uri']} base={art.get('uriBaseId', '-')} "
          f"line={loc.get('region', {}).get('startLine', '-')}")
    for k, v in sorted(r.get("partialFingerprints", {}).items()):
        print(f"  fingerprint {k} {v}")
    for s in r.get("suppressions", []):
        print(f"  suppression {s['kind']} {s.get('status', '-')}: {s.get('justification', '-')}")
if len(sys.argv) > 2:
    anchors = {}
    for page in ("lint.md", "errors.md"):
        for line in open(f"{sys.argv[2]}/{page}", encoding="utf-8"):
            m = re.match(r"#+ (.*)", line)
            if m:
                anchors.setdefault(page, set()).add(anchor(m.group(1).strip()))
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        uri = rule["helpUri"]
        m = re.match(r"https://\S+/(lint|errors)\.md#(\S+)$", uri)
        if not m or m.group(2) not in anchors[m.group(1) + ".md"]:
            sys.exit(f"rule {rule['id']}: helpUri {uri} names no heading of the docs")
        if not uri.split("#")[1].startswith(rule["id"].lower() + "-"):
            sys.exit(f"rule {rule['id']}: helpUri {uri} is another rule's")
    print(f"helpUri: {len(rules)} rules, each an anchor of docs/lint.md or docs/errors.md")
