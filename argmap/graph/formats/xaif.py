"""xAIF: AIF as OVA3 saves it and the oAMF pipelines pass it on (``{"AIF": {...}, "OVA":
{...}, "text": ...}``).

The argument graph is AIF's (``aif.graph``: I-nodes, RA nodes for arguments with their
schemes, CA nodes for attacks). xAIF adds what OVA3 shows: each quote as a locution (an
L-node, said by its source's author or the source, asserting its claim through a YA node
"Asserting"), the speakers as participants, a layout for OVA's canvas (the thesis on top,
what bears on a claim below it), and the quoted texts as the analysed text. Read back by
``aif.read``, which reads xAIF.
"""

import html
import json
from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.aif import STAMP, graph, read  # noqa: F401  (xAIF files are read as AIF)

X_STEP, Y_STEP = 260, 170  # OVA's canvas: pixels between neighbours and between levels


def _speakers(amap: ArgumentMap) -> dict[str, dict[str, Any]]:
    """One participant per quoted source: its author when it has one, else its title."""
    out: dict[str, dict[str, Any]] = {}
    quoted = {e.source for e in amap.evidence}
    for s in sorted(amap.sources, key=lambda s: s.id):
        if s.id in quoted:
            first, _, last = (s.author or "").partition(" ")
            out[s.id] = {"participantID": len(out) + 1, "firstname": first if s.author else s.title,
                         "surname": last if s.author else ""}
    return out


def _layout(amap: ArgumentMap, nodes: list[dict], edges: list[dict], ids: dict[str, str]) -> dict[str, tuple]:
    """OVA positions: claims as the page's tree lays them out, turned to run top-down; the
    nodes between two claims (RA, CA, YA, L) beside or between the nodes they join."""
    from argmap.graph.layout import tree_layout
    pos = {ids[c]: (y / 88 * X_STEP / 2, x / 270 * Y_STEP) for c, (x, y) in tree_layout(amap.to_networkx()).items()
           if c in ids}
    ends: dict[str, list[str]] = {}
    for e in edges:
        ends.setdefault(e["fromID"], []).append(e["toID"])
        ends.setdefault(e["toID"], []).append(e["fromID"])
    for _ in range(3):  # scheme nodes first, then the YA and L nodes hanging from them
        for n in nodes:
            near = [pos[m] for m in ends.get(n["nodeID"], []) if m in pos]
            if n["nodeID"] not in pos and near:
                pos[n["nodeID"]] = (sum(p[0] for p in near) / len(near) + (X_STEP / 2 if len(near) == 1 else 0),
                                    sum(p[1] for p in near) / len(near) + (Y_STEP / 2 if len(near) == 1 else 0))
    return pos


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    nodes, edges, ids = graph(amap)
    speakers = _speakers(amap)
    locutions: list[dict[str, Any]] = []
    next_id = len(nodes) + 1

    def add(node: dict[str, Any]) -> str:
        nonlocal next_id
        node = {"nodeID": str(next_id), **node, "timestamp": STAMP}
        nodes.append(node)
        next_id += 1
        return node["nodeID"]

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": a, "toID": b, "formEdgeID": None})

    sources = {s.id: s for s in amap.sources}
    texts: list[str] = []
    for e in sorted(amap.evidence, key=lambda e: (e.claim, e.source, e.quote)):
        if e.claim not in ids:
            continue
        who = speakers[e.source]
        said = add({"text": e.quote, "type": "L"})
        asserting = add({"text": "Asserting", "type": "YA", "scheme": "Asserting"})
        edge(said, asserting)
        edge(asserting, ids[e.claim])
        src = sources.get(e.source)
        locutions.append({"nodeID": said, "personID": who["participantID"], "timestamp": STAMP,
                          "start": None, "end": None, "source": (src.url if src else None) or e.source})
        texts.append(f'<span class="highlighted" id="{said}">{html.escape(e.quote)}</span>')
    pos = _layout(amap, nodes, edges, ids)
    ova_nodes = [{"nodeID": n["nodeID"], "visible": True, "x": round(pos.get(n["nodeID"], (0, 0))[0]),
                  "y": round(pos.get(n["nodeID"], (0, 0))[1]), "timestamp": STAMP} for n in nodes]
    document = {
        "AIF": {"nodes": nodes, "edges": edges, "locutions": locutions, "participants": list(speakers.values()),
                "schemefulfillments": [], "descriptorfulfillments": [], "cqdescriptorfulfillments": []},
        "OVA": {"firstname": "", "surname": "", "url": "", "nodes": ova_nodes,
                "edges": [{"fromID": e["fromID"], "toID": e["toID"], "visible": True} for e in edges]},
        "text": "<br><br>".join([f"<b>{html.escape(title)}</b>", *texts]),
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
