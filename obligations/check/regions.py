"""Regions may be built from other regions, but never from themselves."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic
from obligations.model.core import Corpus


def check(c: Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    graph = {name: [s for s in (*r.includes, *r.excludes, *(pi.region for pi in r.possibly_in)) if s in c.regions]
             for name, r in c.regions.items()}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    reported: set[frozenset] = set()
    for root in graph:
        if state.get(root):
            continue
        # Iterative DFS: region chains in generated corpora can be long.
        path: list[str] = []
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            kids = graph[node]
            if i < len(kids):
                stack.append((node, i + 1))
                k = kids[i]
                if state.get(k) == 1:
                    cycle = path[path.index(k):] + [k]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        r = c.regions[k]
                        what = "refers to itself" if len(cycle) == 2 else "is defined through itself: " + " -> ".join(cycle)
                        out.append(Diagnostic(code="E020", message=f'region "{k}" {what}', span=r.span,
                                              hint="a region may include other regions, but no chain of includes/excludes may lead back to it"))
                elif not state.get(k):
                    stack.append((k, 0))
            else:
                state[node] = 2
                path.pop()
    return out
