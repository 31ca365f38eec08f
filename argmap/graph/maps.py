"""From a store to an HTML file: the one function the CLI's demo and render call."""

from pathlib import Path

from argmap.claims.store import Store
from argmap.errors import InvalidInput
from argmap.graph.build import build_graph
from argmap.graph.render import write_html


def render_store(store: Store, out: Path, title: str = "argmap") -> Path:
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a directory; give a file name for the map")
    if not out.parent.exists():
        raise InvalidInput(f"cannot write {out}: directory {out.parent} does not exist")
    g = build_graph(store)
    try:
        return write_html(g, out, title=title)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
