"""argmap: a claims-and-evidence knowledge graph.

The library API lives in the subpackages: ``argmap.claims`` (model and store),
``argmap.evidence`` (sources, quotes, computations), ``argmap.graph`` (networkx views,
semantics, rendering, formats). ``argmap.cli`` is a thin typer layer over them.
"""

from argmap.errors import ArgmapError

__version__ = "0.1.0"
__all__ = ["ArgmapError", "__version__"]
