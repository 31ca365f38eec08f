"""DF-QuAD (Rago et al., KR 2016): a gradual semantics over attacks and supports.

Each claim starts from a base score (default 0.5). The strength of its attackers and of
its supporters are each aggregated as a probabilistic sum, F = 1 - prod(1 - v); then
with va the attack and vs the support aggregate, the strength is
``base - base*(va - vs)`` when attacks weigh more, ``base + (1 - base)*(vs - va)`` when
supports do, and ``base`` when they balance. Acyclic graphs are computed exactly in
topological order; with cycles the equations are iterated to a fixpoint (with a cap,
reported when hit).
"""

from typing import Optional

import networkx as nx


def _aggregate(values: list[float]) -> float:
    prod = 1.0
    for v in values:
        prod *= 1.0 - v
    return 1.0 - prod if values else 0.0


def _combine(base: float, va: float, vs: float) -> float:
    if va >= vs:
        return base - base * (va - vs)
    return base + (1.0 - base) * (vs - va)


def dfquad(g: nx.DiGraph, base: Optional[dict[str, float]] = None, max_iter: int = 10_000,
           tol: float = 1e-12) -> tuple[dict[str, float], bool]:
    """Strength in [0, 1] of every node; the flag says whether the values converged."""
    base = base or {}
    score = {n: float(base.get(n, g.nodes[n].get("base_score", 0.5))) for n in g.nodes}

    def update(node: str, strength: dict[str, float]) -> float:
        att = [strength[u] for u, _, t in g.in_edges(node, data="type") if t == "attacks"]
        sup = [strength[u] for u, _, t in g.in_edges(node, data="type") if t == "supports"]
        return _combine(score[node], _aggregate(att), _aggregate(sup))

    if nx.is_directed_acyclic_graph(g):
        strength: dict[str, float] = {}
        for node in nx.topological_sort(g):
            strength[node] = update(node, strength)
        return strength, True
    strength = dict(score)
    for _ in range(max_iter):
        new = {n: update(n, strength) for n in g.nodes}
        delta = max((abs(new[n] - strength[n]) for n in g.nodes), default=0.0)
        strength = new
        if delta < tol:
            return strength, True
    return strength, False
