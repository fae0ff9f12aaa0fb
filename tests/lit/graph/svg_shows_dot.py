#!/usr/bin/env python3
"""svg_shows_dot.py DOT SVG: checks, without Graphviz, that SVG was rendered from DOT
(a `supc graph` output): the same nodes with the same label lines, the same edges."""
import html
import re
import sys


def dot_graph(text):
    nodes, edges = {}, set()
    for m in re.finditer(r"^\s*(n\d+) \[.*label=<(.*)>\];$", text, re.M):
        lines = [re.sub(r"</?b>", "", part) for part in m.group(2).split("<br/>")]
        nodes[m.group(1)] = [html.unescape(l).replace("\\\\", "\\") for l in lines]
    for m in re.finditer(r"^\s*(n\d+) -> (n\d+)", text, re.M):
        edges.add((m.group(1), m.group(2)))
    return nodes, edges


def svg_graph(text):
    nodes, edges = {}, set()
    for m in re.finditer(r'<g id="[^"]*" class="(node|edge)">\s*<title>(.*?)</title>(.*?)</g>',
                         text, re.S):
        title = html.unescape(m.group(2))
        if m.group(1) == "node":
            nodes[title] = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", m.group(3))]
        else:
            edges.add(tuple(title.split("->")))
    return nodes, edges


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        dot_nodes, dot_edges = dot_graph(f.read())
    with open(sys.argv[2], encoding="utf-8") as f:
        svg_nodes, svg_edges = svg_graph(f.read())
    problems = []
    if not dot_nodes:
        problems.append("no nodes found in the .dot file")
    if dot_nodes != svg_nodes:
        for n in sorted(set(dot_nodes) | set(svg_nodes)):
            if dot_nodes.get(n) != svg_nodes.get(n):
                problems.append(f"node {n}: .dot says {dot_nodes.get(n)}, .svg shows {svg_nodes.get(n)}")
    if dot_edges != svg_edges:
        problems.append(f"edges differ: {sorted(dot_edges ^ svg_edges)}")
    for p in problems:
        print("svg_shows_dot.py:", p)
    if problems:
        print("regenerate the picture: scripts/render_graphs.sh")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
