"""Why a claim has its grounded label, in words and in ids.

- OUT: the IN attackers that defeat it.
- IN: each attacker is OUT, and who defeats it (or: nothing attacks it).
- UNDECIDED: an undecided argument always has an undecided attacker and no IN one, so
  following undecided attackers back from it must close a cycle: that cycle keeps it open.
"""

from typing import TYPE_CHECKING, Any, Callable

from argmap.graph.semantics import IN, OUT, UNDEC

if TYPE_CHECKING:
    import networkx as nx


Attackers = Callable[[str], list[str]]
Labels = Callable[[str], str]


def graph_attackers(af: "nx.DiGraph") -> Attackers:
    return lambda node: sorted(af.predecessors(node))


def open_cycle(attackers: Attackers, label: Labels, node: str) -> list[str]:
    """The cycle of undecided attacks behind ``node``, in attack order, first node repeated at the end."""
    path, seen = [node], {node: 0}
    current = node
    while True:
        undecided = [a for a in attackers(current) if label(a) == UNDEC]
        if not undecided:  # cannot happen for a true UNDEC label; be safe
            return []
        current = undecided[0]
        if current in seen:
            cycle = path[seen[current]:]  # walked against the attacks
            cycle.reverse()
            return cycle + [cycle[0]]
        seen[current] = len(path)
        path.append(current)


def reason(attackers: Attackers, label: Labels, node: str) -> dict[str, Any]:
    """Why ``node`` has its label; ``attackers`` and ``label`` read the framework (networkx
    or arrays), so the same explanation serves a ten-claim map and a million-claim one."""
    own = label(node)
    atts = attackers(node)
    if own == OUT:
        winners = [a for a in atts if label(a) == IN]
        return {"label": OUT, "defeated_by": winners,
                "reason": f"defeated by {', '.join(winners)} (IN)"}
    if own == IN:
        if not atts:
            return {"label": IN, "attackers": [], "reason": "nothing attacks it"}
        answers = {a: [d for d in attackers(a) if label(d) == IN] for a in atts}
        text = "; ".join(f"{a} is OUT, defeated by {', '.join(ds)}" for a, ds in answers.items())
        return {"label": IN, "attackers": [{"id": a, "defeated_by": ds} for a, ds in answers.items()],
                "reason": f"every attacker is defeated: {text}"}
    cycle = open_cycle(attackers, label, node)
    where = "it lies on" if node in cycle else "it depends on"
    shown = cycle if len(cycle) <= 12 else cycle[:5] + [f"... ({len(cycle) - 1} arguments in all) ..."] + cycle[-3:]
    return {"label": UNDEC, "cycle": cycle,
            "reason": f"undecided: {where} the cycle of attacks {' -> '.join(shown)}, which grounded "
                      f"semantics cannot settle"}
