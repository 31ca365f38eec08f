"""AIF JSON (the Argument Interchange Format, as AIFdb and OVA save it), read into a map.

I-nodes become claims, RA nodes supports (from every premise), CA nodes attacks; an
undercut (a scheme node aimed at another) is read as an attack on the attacked inference's
conclusion; dialogue (L, YA, TA) and other nodes are skipped with a count. Written back as
I-nodes with an RA or CA node between each related pair (``write``).
"""

import json
from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.claims.rules import KINDS
from argmap.graph.formats.document import (
    MAX_DEPTH, FormatError, Ids, MapDocument, add_relation, infer_kinds, load_json)

DIALOGUE_TYPES = {"L", "YA", "TA"}


def read(text: str, name: str) -> MapDocument:
    data = load_json(text, name)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise FormatError(name, "top level", 'an AIF object with "nodes" and "edges" lists')
    doc = MapDocument(name=name)
    ids = Ids()
    nodes: dict[str, dict] = {}
    for n, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or "nodeID" not in node or "type" not in node:
            raise FormatError(name, f"node {n + 1}", 'an object with "nodeID" and "type"')
        nid = str(node["nodeID"])
        if nid in nodes:
            raise FormatError(name, f"node {nid}", "a unique nodeID")
        nodes[nid] = node
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for n, edge in enumerate(data["edges"]):
        if not isinstance(edge, dict) or "fromID" not in edge or "toID" not in edge:
            raise FormatError(name, f"edge {n + 1}", 'an object with "fromID" and "toID"')
        a, b = str(edge["fromID"]), str(edge["toID"])
        for end in (a, b):
            if end not in nodes:
                raise FormatError(name, f"edge {edge.get('edgeID', n + 1)}", f"a known node id (no node {end})")
        outgoing.setdefault(a, []).append(b)
        incoming.setdefault(b, []).append(a)
    claim_of: dict[str, str] = {}
    for nid, node in nodes.items():
        ntype = str(node["type"])
        if ntype == "I":
            text_value = node.get("text")
            if not isinstance(text_value, str) or not text_value.strip():
                raise FormatError(name, f"node {nid}", "an I-node with a text")
            cid = ids.get(str(node.get("argmapId") or nid))
            claim_of[nid] = cid
            kind = node.get("argmapKind") if node.get("argmapKind") in KINDS else None
            doc.claims.append({"id": cid, "text": text_value, **({"kind": kind} if kind else {})})
        elif ntype in DIALOGUE_TYPES:
            key = f"AIF {ntype} nodes (dialogue)"
            doc.skipped[key] = doc.skipped.get(key, 0) + 1
        elif ntype not in ("RA", "CA"):
            key = f"AIF {ntype or 'untyped'} nodes"
            doc.skipped[key] = doc.skipped.get(key, 0) + 1
    seen: set = set()
    known: dict[str, list[str]] = {}  # each scheme node's conclusions, worked out once: linear in the file
    undercut = "undercuts (read as attacks on the inference's conclusion)"

    def conclusions(scheme: str, depth: int = 0) -> list[str]:
        """The I-nodes a scheme node points at; for an undercut, the conclusion of the attacked inference."""
        if scheme in known:
            return known[scheme]
        if depth > MAX_DEPTH:
            raise FormatError(name, f"node {scheme}", f"scheme nodes that attack each other at most {MAX_DEPTH} "
                                                      f"deep, and not in a loop")
        out: dict[str, None] = {}
        for t in outgoing.get(scheme, []):
            if t in claim_of:
                out[claim_of[t]] = None
            elif str(nodes[t]["type"]) in ("RA", "CA"):
                doc.skipped[undercut] = doc.skipped.get(undercut, 0) + 1
                out.update(dict.fromkeys(conclusions(t, depth + 1)))
        known[scheme] = list(out)
        return known[scheme]

    for nid, node in nodes.items():
        ntype = str(node["type"])
        if ntype not in ("RA", "CA"):
            continue
        premises = [claim_of[s] for s in incoming.get(nid, []) if s in claim_of]
        targets = conclusions(nid)
        if not premises or not targets:
            doc.skipped[f"{ntype} nodes without premise or conclusion"] = \
                doc.skipped.get(f"{ntype} nodes without premise or conclusion", 0) + 1
            continue
        for p in premises:
            for t in targets:
                add_relation(doc, seen, p, t, "supports" if ntype == "RA" else "attacks")
    infer_kinds(doc, {c["id"] for c in doc.claims if c.get("kind")})
    return doc


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    nodes, edges = [], []
    ids: dict[str, str] = {}
    stamp = "2026-01-01 00:00:00"
    for n, c in enumerate(sorted(amap.claims, key=lambda c: c.id), start=1):
        ids[c.id] = str(n)
        nodes.append({"nodeID": str(n), "text": c.text, "type": "I", "timestamp": stamp, "argmapId": c.id,
                      "argmapKind": c.kind})
    next_id = len(nodes) + 1
    for r in sorted(amap.relations, key=lambda r: (r.source, r.target)):
        scheme = {"nodeID": str(next_id), "type": "RA" if r.type == "supports" else "CA",
                  "text": "Default Inference" if r.type == "supports" else "Default Conflict",
                  "timestamp": stamp}
        nodes.append(scheme)
        edges.append({"edgeID": str(len(edges) + 1), "fromID": ids[r.source], "toID": scheme["nodeID"], "formEdgeID": None})
        edges.append({"edgeID": str(len(edges) + 1), "fromID": scheme["nodeID"], "toID": ids[r.target], "formEdgeID": None})
        next_id += 1
    return json.dumps({"nodes": nodes, "edges": edges, "locutions": []}, indent=1, ensure_ascii=False) + "\n"
