"""GraphML for Gephi, yEd and networkx: every attribute kept, flattened to scalars."""

import json
from typing import Any, Optional

import networkx as nx

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.shared import EDGE_COLOURS, KIND_COLOURS, computations_by_claim, evidence_by_claim, xml_safe

def flat_graph(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> nx.DiGraph:
    """A flat-attributed graph for GraphML (Gephi and yEd want scalars)."""
    status = status or {}
    evidence = evidence_by_claim(amap)
    comps = computations_by_claim(amap)
    g = nx.DiGraph(name=title)
    for c in amap.claims:
        st = status.get(c.id, {})
        g.add_node(c.id, text=c.text, kind=c.kind, base_score=float(c.base_score),
                   grounded=st.get("label", ""), reason=st.get("reason", ""),
                   evidence_count=len(evidence.get(c.id, [])),
                   evidence=json.dumps([e.to_json() for e in evidence.get(c.id, [])], ensure_ascii=False),
                   computations=json.dumps([x.to_json() for x in comps.get(c.id, [])], ensure_ascii=False),
                   colour=KIND_COLOURS.get(c.kind, "#dddddd"))
    for r in amap.relations:
        g.add_edge(r.source, r.target, type=r.type, colour=EDGE_COLOURS[r.type])
    return g


def _xml_safe_graph(g: nx.DiGraph) -> nx.DiGraph:
    for _, data in list(g.nodes(data=True)) + [(None, d) for _, _, d in g.edges(data=True)] + [(None, g.graph)]:
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = xml_safe(value)
    return g


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    return "\n".join(nx.generate_graphml(_xml_safe_graph(flat_graph(amap, title, status)), prettyprint=True)) + "\n"
