"""Graph views of a store: networkx model, semantics, rendering and formats.

See ``argmap.graph.build`` (the networkx view), ``argmap.graph.status`` and
``argmap.graph.semantics`` (what stands), ``argmap.graph.render`` and ``argmap.graph.maps``
(the HTML map) and ``argmap.graph.formats`` (import and export).
"""
