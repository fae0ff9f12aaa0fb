"""validate_sarif.py SCHEMA LOG...: validates each SARIF log against the SARIF 2.1.0 JSON
schema (Draft 4, with format checks: URIs, dates) and prints one line per log; exit 1 with
every violation (its JSON path and message) when one is not valid, 77 when the jsonschema
module is missing (a test skips then)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif.py: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft4Validator.check_schema(schema)
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for path in sys.argv[2:]:
    log = json.load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: /{where}: {e.message}")
    if errors:
        bad += 1
    else:
        results = sum(len(r.get("results", [])) for r in log.get("runs", []))
        print(f"valid against the SARIF 2.1.0 schema: {len(log['runs'][0]['tool']['driver'].get('rules', []))} rules, {results} results")
sys.exit(1 if bad else 0)
