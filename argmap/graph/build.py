"""The networkx view of a store: claims are nodes, supports/attacks are edges.

A computation whose check fails becomes an extra node (kind ``computation``) that attacks
its claim, so the semantics see the arithmetic too.
"""

import networkx as nx

from argmap.claims.store import Snapshot, Store

CALC_PREFIX = "calc:"


def graph_from_snapshot(snap: Snapshot) -> nx.DiGraph:
    g = nx.DiGraph()
    for c in snap.claims:
        g.add_node(c.id, text=c.text, kind=c.kind, base_score=c.base_score, evidence=[], computations=[])
    for r in snap.relations:
        g.add_edge(r.source, r.target, type=r.type)
    for e in snap.evidence:
        g.nodes[e.claim]["evidence"].append(e.to_json())
    for comp in snap.computations:
        g.nodes[comp["claim"]]["computations"].append(comp)
        if comp.get("check") == "fails":
            node = CALC_PREFIX + comp["id"]
            detail = (comp.get("result") or {}).get("check", {}).get("detail", "")
            g.add_node(node, text=f"Computation {comp['id']} fails its check: {detail}".strip(),
                       kind="computation", base_score=1.0, evidence=[], computations=[comp])
            g.add_edge(node, comp["claim"], type="attacks")
    return g


def build_graph(store: Store) -> nx.DiGraph:
    return graph_from_snapshot(store.snapshot())


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
