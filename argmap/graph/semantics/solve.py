"""Solving a framework read from a file: the library side of ``argmap af solve``."""

from typing import Sequence

import networkx as nx

from argmap.errors import InvalidInput
from argmap.graph.semantics.grounded import grounded_names

SOLVABLE = ("grounded", "preferred", "stable", "complete")


def _key(name: str) -> tuple:
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


def solve_framework(args: Sequence[str], attacks: Sequence[tuple[str, str]], semantics: str,
                    timeout: float = 30.0) -> tuple[list[list[str]], bool]:
    """Extensions (each sorted, numbers numerically) and whether the time limit was hit."""
    if semantics not in SOLVABLE:
        raise InvalidInput(f"unknown semantics {semantics!r}: use one of {', '.join(SOLVABLE)}")
    if semantics == "grounded":
        labels = grounded_names(list(args), attacks)
        return [sorted((a for a, lab in labels.items() if lab == "IN"), key=_key)], False
    from argmap.graph.semantics.asp import extensions
    g = nx.DiGraph()
    g.add_nodes_from(args)
    g.add_edges_from(attacks)
    exts, timed_out = extensions(g, semantics, timeout)
    return sorted((sorted(e, key=_key) for e in exts), key=lambda e: [_key(x) for x in e]), timed_out
