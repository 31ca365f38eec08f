"""argmap: a claims-and-evidence knowledge graph.

``argmap.open(path_or_url)`` is the Python API (``argmap.service``): the same operations,
one transaction each, that the CLI (``argmap.cli``) and the web app (``argmap.web``) call.
Underneath: ``argmap.claims`` (model and store), ``argmap.evidence`` (sources, quotes,
computations), ``argmap.graph`` (networkx views, semantics, rendering, formats).
"""

from typing import Any

from argmap.errors import ArgmapError

__version__ = "0.1.0"
__all__ = ["ArgmapError", "__version__", "open"]


def open(location: Any = None, **options: Any) -> Any:
    """The store at ``location`` (a SQLite path or a database URL) as an ``argmap.service.Argmap``."""
    from argmap.service import open as open_store
    return open_store(location, **options)
