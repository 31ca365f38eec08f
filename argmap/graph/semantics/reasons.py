"""Why a claim has its grounded label, in words and in ids.

- OUT: the IN attackers that defeat it.
- IN: each attacker is OUT, and who defeats it (or: nothing attacks it).
- UNDECIDED: an undecided argument always has an undecided attacker and no IN one, so
  following undecided attackers back from it must close a cycle: that cycle keeps it open.
"""

from typing import Any

import networkx as nx

from argmap.graph.semantics import IN, OUT, UNDEC


def _attackers(af: nx.DiGraph, node: str) -> list[str]:
    return sorted(af.predecessors(node))


def open_cycle(af: nx.DiGraph, labels: dict[str, str], node: str) -> list[str]:
    """The cycle of undecided attacks behind ``node``, in attack order, first node repeated at the end."""
    path, seen = [node], {node: 0}
    current = node
    while True:
        undecided = [a for a in _attackers(af, current) if labels.get(a) == UNDEC]
        if not undecided:  # cannot happen for a true UNDEC label; be safe
            return []
        current = undecided[0]
        if current in seen:
            cycle = path[seen[current]:]  # walked against the attacks
            cycle.reverse()
            return cycle + [cycle[0]]
        seen[current] = len(path)
        path.append(current)


def reason(af: nx.DiGraph, labels: dict[str, str], node: str) -> dict[str, Any]:
    label = labels[node]
    attackers = _attackers(af, node)
    if label == OUT:
        winners = [a for a in attackers if labels.get(a) == IN]
        return {"label": OUT, "defeated_by": winners,
                "reason": f"defeated by {', '.join(winners)} (IN)"}
    if label == IN:
        if not attackers:
            return {"label": IN, "attackers": [], "reason": "nothing attacks it"}
        answers = {a: [d for d in _attackers(af, a) if labels.get(d) == IN] for a in attackers}
        text = "; ".join(f"{a} is OUT, defeated by {', '.join(ds)}" for a, ds in answers.items())
        return {"label": IN, "attackers": [{"id": a, "defeated_by": ds} for a, ds in answers.items()],
                "reason": f"every attacker is defeated: {text}"}
    cycle = open_cycle(af, labels, node)
    on_cycle = node in cycle
    where = "it lies on" if on_cycle else "it depends on"
    return {"label": UNDEC, "cycle": cycle,
            "reason": f"undecided: {where} the cycle of attacks {' -> '.join(cycle)}, which grounded "
                      f"semantics cannot settle"}
