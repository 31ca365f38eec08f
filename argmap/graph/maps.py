"""From a store to an HTML file: the one function the CLI's demo and render call."""

from pathlib import Path
from typing import Optional

from argmap.claims.store import Store
from argmap.errors import InvalidInput
from argmap.graph.build import build_graph, neighbourhood
from argmap.graph.render import write_html


def map_status(g) -> dict[str, dict]:
    """Grounded label with its reason, and DF-QuAD strength, for every node."""
    from argmap.graph.semantics.dfquad import dfquad
    from argmap.graph.status import grounded_status
    status = grounded_status(g)
    strength, _ = dfquad(g)
    for node, row in status.items():
        row["strength"] = round(strength[node], 4)
    return status


def render_store(store: Store, out: Path, title: str = "argmap", focus: Optional[str] = None,
                 depth: int = 2) -> Path:
    """Write the HTML map of the store, or of ``focus`` and its neighbours to ``depth``.

    Status (grounded labels and DF-QuAD strengths) is always decided on the whole map."""
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a directory; give a file name for the map")
    if not out.parent.exists():
        raise InvalidInput(f"cannot write {out}: directory {out.parent} does not exist")
    g = build_graph(store)
    status = map_status(g)
    if focus is not None:
        if depth < 0:
            raise InvalidInput("--depth must be 0 or more")
        g = neighbourhood(g, focus, depth)
    try:
        return write_html(g, out, title=title, status=status)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
