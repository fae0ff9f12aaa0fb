"""github_commands.py FILE: reads FILE's GitHub Actions workflow commands as the runner
does (`::name key=value,key=value::message`; properties split at ',' and the first '=',
then %2C, %3A, %0A, %0D and %25 decoded in properties, %0A, %0D and %25 in the message)
and prints each as `name` then `  key: value` lines and `  message: ...` (line breaks as
'|'). Fails on a line that is not a command or a property the runner would misread."""
import sys

DATA = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]
PROPERTY = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]


def unescape(text, table):
    out, i = "", 0
    while i < len(text):
        for code, char in table:
            if text.startswith(code, i):
                out += char
                i += 3
                break
        else:
            out += text[i]
            i += 1
    return out


for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    if not line.startswith("::"):
        sys.exit(f"not a workflow command: {line!r}")
    end = line.index("::", 2)
    head, message = line[2:end], line[end + 2:]
    name, _, props = head.partition(" ")
    print(name)
    for prop in props.split(",") if props else []:
        key, eq, value = prop.partition("=")
        if not eq or not key.isalpha():
            sys.exit(f"bad property {prop!r} in {line!r}")
        print(f"  {key}: {unescape(value, PROPERTY)}")
    print("  message: " + unescape(message, DATA).replace("\n", "|"))
