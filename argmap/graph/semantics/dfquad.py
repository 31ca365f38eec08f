"""DF-QuAD (Rago et al., KR 2016): a gradual semantics over attacks and supports.

Each claim starts from a base score (default 0.5). The strengths of its attackers and of
its supporters are each aggregated as a probabilistic sum, F = 1 - prod(1 - v); with va
the attack and vs the support aggregate, the strength is ``base - base*(va - vs)`` when
attacks weigh more, ``base + (1 - base)*(vs - va)`` when supports do, and ``base`` when
they balance.

Computed on arrays, in waves: a claim is settled once every claim pointing at it is, so an
acyclic map is exact in one pass, O(n + m). What cycles leave unsettled is iterated from
the base scores to a fixpoint (with a cap, reported when hit).
"""

from typing import Optional

import networkx as nx
import numpy as np

from argmap.graph.semantics.grounded import csr, peel, positions


def _combine(base: np.ndarray, va: np.ndarray, vs: np.ndarray) -> np.ndarray:
    return np.where(va >= vs, base - base * (va - vs), base + (1.0 - base) * (vs - va))


def dfquad_arrays(n: int, src: np.ndarray, dst: np.ndarray, attack: np.ndarray, base: np.ndarray,
                  max_iter: int = 10_000, tol: float = 1e-12) -> tuple[np.ndarray, bool]:
    """Strength of every argument 0..n-1; the flag says whether the cyclic part converged."""
    strength = np.array(base, dtype=float)
    if n == 0:
        return strength, True
    out_ptr, out_tgt = csr(n, src, dst)
    order = np.argsort(dst, kind="stable")
    in_src, in_att = src[order], attack[order]
    in_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(dst, minlength=n), out=in_ptr[1:])

    def update(nodes: np.ndarray) -> np.ndarray:
        edges, owner = positions(in_ptr, nodes)
        if edges.size == 0:
            return base[nodes].astype(float)
        with np.errstate(divide="ignore"):
            logs = np.log1p(-np.clip(strength[in_src[edges]], 0.0, 1.0))  # log(1 - v); -inf for v = 1
        att = in_att[edges]
        sum_att = np.bincount(owner[att], weights=logs[att], minlength=nodes.size)
        sum_sup = np.bincount(owner[~att], weights=logs[~att], minlength=nodes.size)
        return _combine(base[nodes], 1.0 - np.exp(sum_att), 1.0 - np.exp(sum_sup))

    settled = np.zeros(n, dtype=bool)
    for wave in peel(out_ptr, out_tgt, np.bincount(dst, minlength=n)):
        strength[wave] = update(wave)
        settled[wave] = True
    rest = np.flatnonzero(~settled)
    if rest.size == 0:
        return strength, True
    for _ in range(max_iter):
        new = update(rest)
        delta = float(np.max(np.abs(new - strength[rest])))
        strength[rest] = new
        if delta < tol:
            return strength, True
    return strength, False


def dfquad(g: nx.DiGraph, base: Optional[dict[str, float]] = None, max_iter: int = 10_000,
           tol: float = 1e-12) -> tuple[dict[str, float], bool]:
    """Strength in [0, 1] of every node of a graph (edge attribute ``type``: attacks or supports)."""
    base = base or {}
    nodes = list(g.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(g.edges(data="type"))
    src = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    dst = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    attack = np.array([t == "attacks" for _, _, t in edges], dtype=bool)
    scores = np.array([float(base.get(n, g.nodes[n].get("base_score", 0.5))) for n in nodes])
    strength, converged = dfquad_arrays(len(nodes), src, dst, attack, scores, max_iter, tol)
    return {node: float(strength[i]) for i, node in enumerate(nodes)}, converged
