"""help_formats.py SUPC: checks that the man pages and shell completions supc generates
say what `supc help` says, for every command `supc --help` lists:
  - supc-NAME(1): NAME has the summary, SYNOPSIS the usage, DESCRIPTION the help text
    exactly (roff undone); supc(1) is the overview and names every command's page;
  - the bash and zsh completions offer every command, and for each command every option
    its help lists (read here from the help text, independently of supc's own reading);
  - the bash completion completes, run by bash: a command from its prefix, an option of
    lint from its prefix; the zsh one parses (zsh -n), when zsh is installed.
Prints one line per command checked."""
import re
import shutil
import subprocess
import sys

supc = sys.argv[1]


def out(*args):
    return subprocess.run([supc, *args], check=True, stdout=subprocess.PIPE, text=True).stdout


def unroff(text):
    text = re.sub(r"^\\&", "", text, flags=re.M)
    return text.replace("\\-", "-").replace("\\e", "\\")


def section(page, name):
    m = re.search(r"^\.SH " + name + r"\n(.*?)(?=^\.SH |\Z)", page, re.S | re.M)
    if not m:
        sys.exit(f"no {name} section")
    return m.group(1)


def fail(msg):
    sys.exit("FAILED: " + msg)


overview = out("--help")
names = re.findall(r"^  ([a-z]+) ", overview.split("commands:\n")[1].split("\n\n")[0], re.M)
bash = out("help", "--completion", "bash")
zsh = out("help", "--completion", "zsh")
top = out("help", "--man")
if unroff(section(top, "DESCRIPTION")) != ".nf\n" + overview + ".fi\n":
    fail("supc(1)'s description is not `supc --help`")
for name in names:
    helptext = out("help", name)
    m = re.match(r"usage: (.*?)\n\n(.*?)\n\n(.*)\Z", helptext, re.S)
    usage, summary, body = m.groups()
    page = out("help", "--man", name)
    if f".TH SUPC-{name.upper()} 1" not in page:
        fail(f"supc-{name}(1) has no .TH")
    if summary not in unroff(section(page, "NAME")):
        fail(f"supc-{name}(1): NAME lacks the summary")
    if unroff(section(page, "SYNOPSIS")) != f".nf\n{usage}\n.fi\n":
        fail(f"supc-{name}(1): SYNOPSIS is not the usage")
    if unroff(section(page, "DESCRIPTION")) != f".nf\n{body}.fi\n":
        fail(f"supc-{name}(1): DESCRIPTION is not the help text")
    if f"supc\\-{name} (1)" not in top:
        fail(f"supc(1) does not name supc-{name}(1)")
    options = set()
    for line in body.splitlines():
        if re.match(r"^ +-", line):
            spec = re.split(r"\s{2,}", line.strip())[0]
            options.update(re.findall(r"(?:^|[ ,])(--?[a-z][a-z0-9-]*)", spec))
    bash_case = re.search(rf"^    {name}\) opts='([^']*)' ;;$", bash, re.M)
    zsh_case = re.search(rf"^    {name}\) opts=\(([^)]*)\) ;;$", zsh, re.M)
    if not bash_case or not zsh_case:
        fail(f"no completion case for {name}")
    offered_bash = set(bash_case.group(1).split())
    offered_zsh = set(o.strip("'") for o in zsh_case.group(1).split())
    if not options <= offered_bash or not options <= offered_zsh:
        fail(f"{name}: help lists {sorted(options)}; bash offers {sorted(offered_bash)}, "
             f"zsh {sorted(offered_zsh)}")
    if f"'{name}:" not in zsh or name not in bash.split("compgen -W '")[1].split("'")[0].split():
        fail(f"{name} is not offered as a command")
    print(f"{name}: man page and completions agree with supc help ({len(options)} options)")


def complete(*words):
    script = (bash + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n"
              f"COMP_CWORD={len(words) - 1}\n_supc\necho \"${{COMPREPLY[*]}}\"\n")
    return subprocess.run(["bash", "--norc", "-c", script], check=True, stdout=subprocess.PIPE,
                          text=True).stdout.strip()


print("bash: supc li ->", complete("supc", "li"))
print("bash: supc lint --for ->", complete("supc", "lint", "--for"))
print("bash: supc help fm ->", complete("supc", "help", "fm"))
if shutil.which("zsh"):
    subprocess.run(["zsh", "-n"], input=zsh, text=True, check=True)
