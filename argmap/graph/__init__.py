"""Graph views of a store: networkx model, semantics, rendering and formats."""

from argmap.graph.build import attack_graph, build_graph, graph_from_snapshot, neighbourhood

__all__ = ["attack_graph", "build_graph", "graph_from_snapshot", "neighbourhood"]
