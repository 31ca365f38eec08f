"""Deterministic positions for the map: a tree grown from each thesis, left to right.

Each claim sits just right of the claim it supports or attacks (its first target in
reading order), so objections appear next to their targets and the thesis leads on the
left. Screens are wider than tall and debates are wider than deep, so the tree runs
sideways. The same store gives the same picture every time.
"""

import networkx as nx

from argmap.graph.traverse import roots

X_STEP = 270
Y_STEP = 88


def _children(g: nx.DiGraph, node: str) -> list[str]:
    incoming = list(g.in_edges(node, data="type"))
    # supporters first, then attackers, each by id: a stable reading order
    return [u for u, _, t in sorted(incoming, key=lambda e: (e[2] != "supports", e[0]))]


def tree_layout(g: nx.DiGraph) -> dict[str, tuple[float, float]]:
    parent_of: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    order: list[str] = []
    placed: set[str] = set()
    start_points = roots(g) + sorted(g.nodes)
    tops: list[str] = []
    for root in start_points:
        if root in placed:
            continue
        tops.append(root)
        placed.add(root)
        queue = [root]
        while queue:
            node = queue.pop(0)
            order.append(node)
            kids = [k for k in _children(g, node) if k not in placed]
            for k in kids:
                placed.add(k)
                parent_of[k] = node
            children[node] = kids
            queue.extend(kids)

    width: dict[str, int] = {}
    for node in reversed(order):
        width[node] = max(1, sum(width[k] for k in children[node]))

    pos: dict[str, tuple[float, float]] = {}
    offset = 0
    for top in tops:
        stack = [(top, offset, 0)]
        while stack:
            node, left, depth = stack.pop()
            pos[node] = (depth * X_STEP, (left + width[node] / 2) * Y_STEP)
            x = left
            for k in children[node]:
                stack.append((k, x, depth + 1))
                x += width[k]
        offset += width[top] + 0.5
    return pos
