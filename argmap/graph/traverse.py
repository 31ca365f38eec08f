"""Reading a networkx map view: where a reading starts, and the attacks alone."""

import networkx as nx


def attack_graph(g: nx.DiGraph) -> nx.DiGraph:
    """Only the attacks: the Dung framework the semantics work on."""
    af = nx.DiGraph()
    af.add_nodes_from(g.nodes)
    af.add_edges_from((u, v) for u, v, t in g.edges(data="type") if t == "attacks")
    return af


def roots(g: nx.DiGraph) -> list[str]:
    """Where a reading of the map starts: theses first, then claims that point nowhere."""
    theses = sorted(n for n, k in g.nodes(data="kind") if k == "thesis")
    sinks = sorted(n for n in g.nodes if g.out_degree(n) == 0 and n not in theses)
    return theses + sinks
