#!/usr/bin/env python3
"""The editor packages (editors/) stay in step with the language.

usage: check_editor_files.py SRCROOT

- every keyword of grammar/Sup.g4 is highlighted by the VS Code grammar
  (editors/vscode/syntaxes/sup.tmLanguage.json) and is a `syn keyword` of the Vim syntax
  (editors/vim/syntax/sup.vim);
- every setting name and enumerated setting value supc knows (compiler/lib/Sema/Settings.cpp)
  is highlighted by both;
- the VS Code package is consistent: package.json's files exist, the grammar and the
  language configuration are JSON, and every pattern of the grammar compiles.
Prints what is missing and exits 1.
"""
import json
import os
import re
import sys


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
    for kind, names in (("keyword", keywords), ("setting", settings), ("setting value", values)):
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
    for p in problems:
        print("check_editor_files: " + p)
    if problems:
        return 1
    print("check_editor_files: %d keywords, %d settings, %d values highlighted in both; "
          "the VS Code package is consistent" % (len(keywords), len(settings), len(values)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
