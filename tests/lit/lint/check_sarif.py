"""check_sarif.py FILE: checks that FILE is SARIF 2.1.0 as code-scanning services read it.

Checks the structure (schema, version, one run, the driver and its rules, results with
rule ids and indexes, levels, messages, physical locations with regions, fixes) and that
every reference resolves: each result's ruleIndex points at the rule of its ruleId, each
region is in 1-based lines and columns with the end after the start; and the invocation's
tool configuration notifications, when there are any."""
import json
import sys

LEVELS = {"none", "note", "warning", "error"}


def fail(msg):
    sys.exit(f"not valid SARIF: {msg}")


def need(obj, key, kind, where):
    if key not in obj:
        fail(f"{where} has no '{key}'")
    if not isinstance(obj[key], kind):
        fail(f"{where}.{key} is {type(obj[key]).__name__}, not {kind.__name__}")
    return obj[key]


def region(r, where):
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        v = need(r, k, int, where)
        if v < 1:
            fail(f"{where}.{k} is {v}, not 1-based")
    if (r["endLine"], r["endColumn"]) < (r["startLine"], r["startColumn"]):
        fail(f"{where} ends before it starts")


def physical(loc, where):
    p = need(loc, "physicalLocation", dict, where)
    a = need(p, "artifactLocation", dict, where + ".physicalLocation")
    uri = need(a, "uri", str, where + ".artifactLocation")
    if not uri or " " in uri:
        fail(f"{where}: bad uri '{uri}'")
    if "region" in p:
        region(p["region"], where + ".region")


log = json.load(open(sys.argv[1]))
if need(log, "version", str, "log") != "2.1.0":
    fail("version is not 2.1.0")
if "sarif" not in need(log, "$schema", str, "log"):
    fail("$schema does not name the SARIF schema")
runs = need(log, "runs", list, "log")
if len(runs) != 1:
    fail(f"{len(runs)} runs, expected 1")
run = runs[0]
driver = need(need(run, "tool", dict, "run"), "driver", dict, "run.tool")
for k in ("name", "version", "informationUri"):
    need(driver, k, str, "driver")
if not driver["informationUri"].startswith("https://"):
    fail("informationUri is not an absolute https URI")
rules = need(driver, "rules", list, "driver")
ids = []
for i, r in enumerate(rules):
    w = f"rules[{i}]"
    ids.append(need(r, "id", str, w))
    need(r, "name", str, w)
    for k in ("shortDescription", "fullDescription"):
        need(need(r, k, dict, w), "text", str, f"{w}.{k}")
    h = need(r, "help", dict, w)
    need(h, "text", str, w + ".help")
    need(h, "markdown", str, w + ".help")
    lvl = need(need(r, "defaultConfiguration", dict, w), "level", str, w + ".defaultConfiguration")
    if lvl not in LEVELS:
        fail(f"{w}: level '{lvl}'")
if len(set(ids)) != len(ids):
    fail("duplicate rule ids")
results = need(run, "results", list, "run")
for i, res in enumerate(results):
    w = f"results[{i}]"
    rid = need(res, "ruleId", str, w)
    idx = need(res, "ruleIndex", int, w)
    if not 0 <= idx < len(rules) or rules[idx]["id"] != rid:
        fail(f"{w}: ruleIndex {idx} does not point at rule {rid}")
    if need(res, "level", str, w) not in LEVELS:
        fail(f"{w}: level {res['level']}")
    if not need(need(res, "message", dict, w), "text", str, w + ".message"):
        fail(f"{w}: empty message")
    for j, loc in enumerate(need(res, "locations", list, w)):
        physical(loc, f"{w}.locations[{j}]")
    for j, loc in enumerate(res.get("relatedLocations", [])):
        physical(loc, f"{w}.relatedLocations[{j}]")
        need(loc, "message", dict, f"{w}.relatedLocations[{j}]")
    for j, fix in enumerate(res.get("fixes", [])):
        fw = f"{w}.fixes[{j}]"
        need(need(fix, "description", dict, fw), "text", str, fw + ".description")
        for k, change in enumerate(need(fix, "artifactChanges", list, fw)):
            cw = f"{fw}.artifactChanges[{k}]"
            need(need(change, "artifactLocation", dict, cw), "uri", str, cw + ".artifactLocation")
            for m, rep in enumerate(need(change, "replacements", list, cw)):
                region(need(rep, "deletedRegion", dict, f"{cw}.replacements[{m}]"), f"{cw}.deletedRegion")
                need(need(rep, "insertedContent", dict, f"{cw}.replacements[{m}]"), "text", str, cw)
notes = 0
for i, inv in enumerate(run.get("invocations", [])):
    w = f"invocations[{i}]"
    need(inv, "executionSuccessful", bool, w)
    for j, n in enumerate(inv.get("toolConfigurationNotifications", [])):
        nw = f"{w}.toolConfigurationNotifications[{j}]"
        if need(n, "level", str, nw) not in LEVELS:
            fail(f"{nw}: level {n['level']}")
        if not need(need(n, "message", dict, nw), "text", str, nw + ".message"):
            fail(f"{nw}: empty message")
        for k, loc in enumerate(n.get("locations", [])):
            physical(loc, f"{nw}.locations[{k}]")
        notes += 1
summary = f"valid SARIF: {len(rules)} rules, {len(results)} results"
if notes:
    summary += f", {notes} configuration notifications"
print(summary)
