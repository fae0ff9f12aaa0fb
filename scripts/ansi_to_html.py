#!/usr/bin/env python3
"""A terminal screen with SGR colour codes (tmux capture-pane -e) as an HTML page.

usage: ansi_to_html.py [--columns N] < screen.ans > screen.html
Handles what a terminal editor emits: reset, bold, italic, underline, reverse, the 8/16
colours, 256-colour and 24-bit colours, for foreground and background.
"""
import argparse
import html
import re
import sys

BASE16 = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
          "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]
DEFAULT_FG, DEFAULT_BG = "#d4d4d4", "#1e1e1e"


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--columns", type=int, default=110)
    args = ap.parse_args()
    state = {}

    def apply(params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                state.clear()
            elif c == 1:
                state["bold"] = True
            elif c == 3:
                state["italic"] = True
            elif c == 4:
                state["underline"] = True
            elif c == 7:
                state["reverse"] = True
            elif c in (22, 23, 24, 27):
                state.pop({22: "bold", 23: "italic", 24: "underline", 27: "reverse"}[c], None)
            elif 30 <= c <= 37 or 90 <= c <= 97:
                state["fg"] = BASE16[c - 30 if c < 90 else c - 90 + 8]
            elif 40 <= c <= 47 or 100 <= c <= 107:
                state["bg"] = BASE16[c - 40 if c < 100 else c - 100 + 8]
            elif c in (39, 49):
                state.pop("fg" if c == 39 else "bg", None)
            elif c in (38, 48) and i + 1 < len(codes):
                key = "fg" if c == 38 else "bg"
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    state[key] = color256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
            i += 1

    def style():
        fg, bg = state.get("fg", DEFAULT_FG), state.get("bg", DEFAULT_BG)
        if state.get("reverse"):
            fg, bg = bg, fg
        s = "color:%s;background:%s" % (fg, bg)
        if state.get("bold"):
            s += ";font-weight:bold"
        if state.get("italic"):
            s += ";font-style:italic"
        if state.get("underline"):
            s += ";text-decoration:underline"
        return s

    out = []
    for line in sys.stdin.read().split("\n"):
        row, width = [], 0
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
            if m:
                apply(m.group(1))
            elif part:
                part = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", part)
                width += len(part)
                row.append('<span style="%s">%s</span>' % (style(), html.escape(part)))
        if width < args.columns:
            row.append('<span style="background:%s">%s</span>'
                       % (DEFAULT_BG, " " * (args.columns - width)))
        out.append("".join(row))
    print("<!doctype html><meta charset=utf-8><body style=\"margin:0;background:%s\">"
          "<pre style=\"margin:8px;font:14px/1.25 'DejaVu Sans Mono',monospace;color:%s\">%s</pre>"
          % (DEFAULT_BG, DEFAULT_FG, "\n".join(out)))


if __name__ == "__main__":
    main()
