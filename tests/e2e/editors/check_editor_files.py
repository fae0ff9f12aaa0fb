#!/usr/bin/env python3
"""The editor packages (editors/) stay in step with the language.

usage: check_editor_files.py SRCROOT

- every keyword of grammar/Sup.g4 is highlighted by the VS Code grammar
  (editors/vscode/syntaxes/sup.tmLanguage.json) and is a `syn keyword` of the Vim syntax
  (editors/vim/syntax/sup.vim);
- every enumerated setting value supc knows (compiler/lib/Sema/Settings.cpp) is highlighted
  by both;
- settings are highlighted by their place, not by a list (so a new setting touches no editor
  file): every setting name supc knows, written as a statement (`NAME = x;` on its own line or
  after `{` / `;`), is highlighted as a setting, and the same word as a kind argument, a
  parameter or a declared name is not. The VS Code pattern is run with Python's re (the
  grammar's constructs mean the same in Oniguruma); the Vim syntax in a real Neovim, whose
  absence skips that part (exit 77) with a message;
- the VS Code package is consistent: package.json's files exist, the grammar and the
  language configuration are JSON, and every pattern of the grammar compiles.
Prints what is missing and exits 1.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# (line, word, is a setting there): the places a word may stand, with NAME for the setting.
PLACES = [
    ("    NAME = x;", True),
    ("  child c of W { restart = temporary; NAME = x; }", True),
    ("child c { NAME = x;", True),
    ("child p of std.Pool(NAME = 4)", False),
    ("worker W(NAME: int = 1) = \"a::W\" from \"w.h\";", False),
    ("const NAME = 1;", False),
]


def vim_setting_problems(root, settings):
    """Runs Neovim over a buffer with every setting in every place; returns the problems, or
    None when there is no Neovim."""
    nvim = shutil.which("nvim")
    if not nvim:
        return None
    lines, expect = [], []
    for name in settings:
        for place, is_setting in PLACES:
            line = place.replace("NAME", name)
            lines.append(line)
            expect.append((len(lines), line.index(name) + 1, name, place, is_setting))
    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "places.sup")
        with open(spec, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        script = os.path.join(tmp, "groups.lua")
        with open(script, "w", encoding="utf-8") as f:
            f.write("vim.cmd('syntax on')\n"
                    "vim.cmd('edit ' .. vim.fn.fnameescape(%s))\n"
                    "vim.cmd('set filetype=sup')\n"
                    "local out = {}\n"
                    "for _, p in ipairs(vim.json.decode(%s)) do\n"
                    "  table.insert(out, vim.fn.synIDattr(vim.fn.synID(p[1], p[2], 1), 'name'))\n"
                    "end\n"
                    "io.stdout:write(table.concat(out, '\\n') .. '\\n')\n"
                    "vim.cmd('qa!')\n"
                    % (json.dumps(spec), json.dumps(json.dumps([[e[0], e[1]] for e in expect]))))
        run = subprocess.run([nvim, "--headless", "--clean", "--cmd",
                              "set rtp^=" + os.path.join(root, "editors/vim"),
                              "-c", "luafile " + script],
                             capture_output=True, text=True, timeout=60)
    groups = run.stdout.split("\n")
    if run.returncode != 0 or len(groups) < len(expect):
        return ["Neovim failed (exit %d): %s" % (run.returncode, run.stderr.strip()[:500])]
    problems = []
    for (_, _, name, place, is_setting), group in zip(expect, groups):
        if (group == "supSetting") != is_setting:
            problems.append("editors/vim/syntax/sup.vim: '%s' in `%s` is %s, should %sbe "
                            "supSetting" % (name, place.replace("NAME", name), group or "plain",
                                            "" if is_setting else "not "))
    return problems


def main():
    root = sys.argv[1]
    read = lambda rel: open(os.path.join(root, rel), encoding="utf-8").read()
    problems = []
    keywords = re.findall(r"^[A-Z_]+\s*:\s*'([a-z_]+)'\s*;", read("grammar/Sup.g4"), re.M)
    if len(keywords) < 10:
        problems.append("found only %d keywords in grammar/Sup.g4" % len(keywords))
    settings_cpp = read("compiler/lib/Sema/Settings.cpp")
    settings = re.findall(r'\{SettingKey::\w+,\s*"(\w+)"', settings_cpp)
    values = [v for group in re.findall(r"Type::enumOf\(\{([^}]*)\}\)", settings_cpp)
              for v in re.findall(r'"(\w+)"', group)]
    if not settings or not values:
        problems.append("found no settings or values in compiler/lib/Sema/Settings.cpp")

    grammar_text = read("editors/vscode/syntaxes/sup.tmLanguage.json")
    grammar = json.loads(grammar_text)
    patterns = []

    def walk(node):
        if isinstance(node, dict):
            for k in ("match", "begin", "end"):
                if k in node:
                    patterns.append(node[k])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(grammar)
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            problems.append("tmLanguage: the pattern %r does not compile: %s" % (p, e))
    words = set()
    for p in patterns:
        for alt in re.findall(r"\\b\(([a-z_|]+)\)", p):
            words.update(alt.split("|"))
    vim = read("editors/vim/syntax/sup.vim")
    vim_words = set()
    for line in vim.splitlines():
        m = re.match(r"syn keyword \w+ (.*)", line)
        if m:
            vim_words.update(m.group(1).split())
    setting_rule = grammar["repository"]["settings"]
    setting_re = re.compile(setting_rule["match"])
    for name in settings:
        for place, is_setting in PLACES:
            line = place.replace("NAME", name)
            found = any(m.group(1) == name and m.start(1) == line.index(name)
                        for m in setting_re.finditer(line))
            if found != is_setting:
                problems.append("tmLanguage: '%s' in `%s` should %sbe highlighted as a setting"
                                % (name, line, "" if is_setting else "not "))
    for kind, names in (("keyword", keywords), ("setting value", values)):
        for n in names:
            if n not in words:
                problems.append("%s '%s' is not highlighted by editors/vscode/syntaxes/"
                                "sup.tmLanguage.json" % (kind, n))
            if n not in vim_words:
                problems.append("%s '%s' is not a `syn keyword` of editors/vim/syntax/sup.vim"
                                % (kind, n))

    package = json.loads(read("editors/vscode/package.json"))
    json.loads(read("editors/vscode/language-configuration.json"))
    contrib = package["contributes"]
    files = [package["main"]] + [l["configuration"] for l in contrib["languages"]] + \
            [g["path"] for g in contrib["grammars"]]
    for f in files:
        if not os.path.isfile(os.path.join(root, "editors/vscode", f)):
            problems.append("editors/vscode/package.json names a missing file: " + f)
    if not os.path.isfile(os.path.join(root, "editors/vscode/package-lock.json")):
        problems.append("editors/vscode/package-lock.json is missing")
    vim_problems = vim_setting_problems(root, settings)
    problems += vim_problems or []
    for p in problems:
        print("check_editor_files: " + p)
    if problems:
        return 1
    print("check_editor_files: %d keywords and %d values highlighted in both; %d settings "
          "highlighted by their place in VS Code's grammar%s; the VS Code package is consistent"
          % (len(keywords), len(values), len(settings),
             " and in Vim (Neovim)" if vim_problems is not None else ""))
    if vim_problems is None:
        print("check_editor_files: SKIPPED the Vim half: no nvim on PATH (scripts/deps.sh "
              "installs neovim)")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
