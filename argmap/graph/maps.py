"""From a store to an HTML file: the one function the CLI's demo and render call."""

from pathlib import Path
from typing import Optional

import networkx as nx

from argmap.claims.store import Store
from argmap.errors import InvalidInput
from argmap.graph.build import build_graph, graph_from_snapshot
from argmap.graph.render import write_html

def map_status(store: Store, shown: nx.DiGraph, strength: bool = True) -> dict[str, dict]:
    """Grounded label, reason and (unless ``strength`` is false) DF-QuAD strength for every
    node shown, all decided on the whole store (from its arrays, so this stays quick for a
    focus view of a large store)."""
    from argmap.graph.semantics.arrays import GroundedIndex
    from argmap.graph.semantics.reasons import reason
    index = GroundedIndex(store)
    strengths = index.strengths() if strength else None
    status = {}
    for node in shown.nodes:
        status[node] = reason(index.attackers, index.label, node)
        if strengths is not None:
            status[node]["strength"] = round(float(strengths[index.index[node]]), 4)
    return status


def render_store(store: Store, out: Path, title: str = "argmap", focus: Optional[str] = None,
                 depth: int = 2) -> Path:
    """Write the HTML map of the store, or of ``focus`` and its neighbours to ``depth``
    (read with indexed SQL, so a focus view of a large store stays quick).

    Status is always decided on the whole map."""
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a directory; give a file name for the map")
    if not out.parent.exists():
        raise InvalidInput(f"cannot write {out}: directory {out.parent} does not exist")
    if focus is not None:
        g = graph_from_snapshot(store.snapshot(store.neighbourhood_ids(focus, depth)))
        status = map_status(store, g)
    else:
        g = build_graph(store)
        status = map_status(store, g)
    try:
        return write_html(g, out, title=title, status=status)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
