#!/usr/bin/env python3
"""Checks admf's layering from the #include lines of its sources.

Layers, lowest first (README "Layout"):
  runtime/  the foundation: events, bus, config, data, plugin API, tracing, metrics, ...
  actors/   the containers: each actor beside its pure trading logic
  apps/     the applications: engine, optimize, cluster, cli
Rules:
  1. A file includes nothing from a higher layer.
  2. No include cycle between folders (a folder is the first two path parts, e.g.
     runtime/bus or actors/portfolio): each folder can be understood with only the
     folders below it.
  3. A plugin (plugins/) includes only the plugin API (runtime/plugin/) and its own files.
Usage: check_layers.py ROOT. Prints one line per violation and exits 1 if any.
"""
import os
import re
import sys

LAYERS = ["runtime", "actors", "apps"]
INCLUDE = re.compile(r'^\s*#\s*include\s+["<]([^">]+)[">]')
SOURCE_EXT = (".hpp", ".cpp", ".h", ".cc")


def folder_of(path):
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def resolve(root, rel, target):
    """The included path relative to ROOT: as written (the source root is on the include
    path, in quotes or angle brackets), or relative to the including file ("../x.hpp")."""
    if target.startswith("."):
        here = os.path.dirname(os.path.join(root, rel))
        return os.path.relpath(os.path.normpath(os.path.join(here, target)), root)
    return target


def includes(root):
    """Yields (file, line number, included path relative to ROOT) for every include."""
    for top in LAYERS + ["plugins"]:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(SOURCE_EXT):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if m:
                            yield rel, number, resolve(root, rel, m.group(1))


def find_cycle(graph):
    """Returns one cycle as a list of folders (first == last), or None."""
    state = {}  # folder -> 1 on the stack, 2 done
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def check(root):
    problems = []
    graph = {}
    witness = {}  # (from folder, to folder) -> "file:line"
    for rel, number, target in includes(root):
        top, target_top = rel.split("/")[0], target.split("/")[0]
        if target_top not in LAYERS + ["plugins"]:
            continue  # a generated header (events.pb.h), a library's or a system one
        where = f"{rel}:{number}"
        if top == "plugins":
            if target_top != "plugins" and not target.startswith("runtime/plugin/"):
                problems.append(f"{where}: a plugin includes {target}: plugins see only runtime/plugin/")
            continue
        if target_top in LAYERS and LAYERS.index(target_top) > LAYERS.index(top):
            problems.append(f"{where}: {top}/ includes {target}, from the higher layer {target_top}/")
        a, b = folder_of(rel), folder_of(target)
        if a != b:
            graph.setdefault(a, set()).add(b)
            witness.setdefault((a, b), where)
    # Report cycles one at a time, cutting each found edge, so every cycle shows.
    while True:
        cycle = find_cycle(graph)
        if not cycle:
            break
        edges = ", ".join(f"{x} -> {y} ({witness[(x, y)]})" for x, y in zip(cycle, cycle[1:]))
        problems.append(f"include cycle between folders: {edges}")
        graph[cycle[-2]].discard(cycle[-1])
    return problems


def main():
    if len(sys.argv) != 2:
        print("usage: check_layers.py ROOT", file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s)")
        return 1
    print("layers: no back-edge, no cycle between folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
