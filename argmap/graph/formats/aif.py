"""AIF JSON (the Argument Interchange Format, as AIFdb saves it), OVA3's wrapped saves
(``{"AIF": {...}, "OVA": {...}, "text": ...}``) and xAIF (AIF plus locutions, participants
and dialogue nodes), read into a map and written back.

- I-nodes become claims; RA nodes become claims of kind ``argument`` (an inference): what
  points at one supports it, and it supports what it points at;
- CA nodes become attacks from what points at them to what they point at: a claim (rebut,
  undermine) or an RA node (an undercut: the argument is attacked, not its conclusion);
- MA nodes (rephrase) become a ``supports`` relation from the rephrasing to the original,
  counted in the report; PA (preference) nodes are reported (argmap keeps no preference
  relation) and attacks on attacks are skipped with a count;
- L-nodes (locutions) that an I-node was asserted in (through a YA node) become evidence:
  the locution's text, quoted from a source per speaker (xAIF participants) or "dialogue".
Written back with the same shape: I-nodes, RA nodes for arguments, a CA node per attack
(aimed at the RA node for an undercut), an RA node between two claims that support.
"""

import json
from typing import Any, BinaryIO, Iterator, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.claims.ids import slugify
from argmap.claims.rules import KINDS
from argmap.graph.formats.document import FormatError, Ids, MapDocument, add_relation, infer_kinds, load_json
from argmap.graph.formats.shared import judgements_by_claim, read_judgements

DIALOGUE_TYPES = {"L", "YA", "TA"}


def _count(doc: MapDocument, what: str, n: int = 1) -> None:
    doc.skipped[what] = doc.skipped.get(what, 0) + n


def _graph(data: Any, name: str) -> tuple[dict, dict]:
    """The AIF object and the file's wrapper (OVA3 and xAIF put AIF under "AIF")."""
    if isinstance(data, dict) and isinstance(data.get("AIF"), dict):
        return data["AIF"], data
    return data, {}


def read(text: str, name: str) -> MapDocument:
    data, wrapper = _graph(load_json(text, name), name)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise FormatError(name, "top level", 'an AIF object with "nodes" and "edges" lists (or OVA3/xAIF\'s '
                                             '{"AIF": {...}})')
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
        if ntype == "RA" and node.get("argmapRelation") == "supports":
            continue  # a support argmap wrote between two claims, not an argument of the map
        if ntype in ("I", "RA"):
            text_value = node.get("text")
            if ntype == "I" and (not isinstance(text_value, str) or not text_value.strip()):
                raise FormatError(name, f"node {nid}", "an I-node with a text")
            if ntype == "RA" and (not isinstance(text_value, str) or not text_value.strip()):
                text_value = str(node.get("scheme") or DEFAULT_INFERENCE)
            cid = ids.get(str(node.get("argmapId") or nid), key=nid)
            claim_of[nid] = cid
            kind = "argument" if ntype == "RA" else (node.get("argmapKind") if node.get("argmapKind") in KINDS else None)
            claim: dict[str, Any] = {"id": cid, "text": text_value, **({"kind": kind} if kind else {})}
            if isinstance(node.get("argmapTitle"), str):
                claim["title"] = node["argmapTitle"]
            doc.claims.append(claim)
            read_judgements(doc, cid, node.get("argmapJudgements"), f"node {nid}")
            scheme = node.get("scheme")
            if ntype == "RA" and isinstance(scheme, str) and scheme.strip() and scheme.strip() != DEFAULT_INFERENCE:
                doc.schemes.append({"claim": cid, "scheme": scheme.strip()})
        elif ntype == "CA" and isinstance(node.get("scheme"), str) and node["scheme"].strip() not in ("", DEFAULT_CONFLICT):
            _count(doc, "conflict scheme names on CA nodes (argmap's attacks carry none)")
        elif ntype == "PA":
            continue  # preferences: reported once the claims are known (below)
        elif ntype in DIALOGUE_TYPES:
            _count(doc, f"AIF {ntype} nodes (dialogue)")
        elif ntype not in ("CA", "MA"):
            _count(doc, f"AIF {ntype or 'untyped'} nodes")
    seen: set = set()
    for nid, node in nodes.items():
        ntype = str(node["type"])
        if ntype == "RA" and nid in claim_of:
            for s in incoming.get(nid, []):
                if s in claim_of:
                    add_relation(doc, seen, claim_of[s], claim_of[nid], "supports")
            for t in outgoing.get(nid, []):
                if t in claim_of:
                    add_relation(doc, seen, claim_of[nid], claim_of[t], "supports")
        elif ntype == "PA":
            _preference(doc, nid, node, incoming, outgoing, claim_of)
        elif ntype in ("CA", "MA", "RA"):
            sources = [claim_of[s] for s in incoming.get(nid, []) if s in claim_of]
            targets = [claim_of[t] for t in outgoing.get(nid, []) if t in claim_of]
            if any(str(nodes[t]["type"]) in ("CA", "MA") for t in outgoing.get(nid, [])):
                _count(doc, "attacks on attacks or rephrases (argmap relates claims)")
            if not sources or not targets:
                _count(doc, f"{ntype} nodes without a source or a target")
                continue
            if ntype == "MA":
                _count(doc, "MA nodes (rephrases), read as supports")
            for s in sources:
                for t in targets:
                    add_relation(doc, seen, s, t, "attacks" if ntype == "CA" else "supports")
    _locutions(doc, nodes, incoming, outgoing, claim_of, wrapper.get("AIF", data))
    infer_kinds(doc, {c["id"] for c in doc.claims if c.get("kind")})
    return doc


def _preference(doc: MapDocument, nid: str, node: dict, incoming: dict, outgoing: dict, claim_of: dict) -> None:
    """A PA node: what points at it is preferred to what it points at (claims or arguments).
    argmap has no preference relation, so the import reports each one instead of keeping it."""
    better = [claim_of[s] for s in incoming.get(nid, []) if s in claim_of]
    worse = [claim_of[t] for t in outgoing.get(nid, []) if t in claim_of]
    if not better or not worse:
        _count(doc, "PA nodes (preferences) between nodes argmap does not keep")
        return
    scheme = node.get("scheme") if isinstance(node.get("scheme"), str) else node.get("text")
    scheme = scheme.strip() if isinstance(scheme, str) and scheme.strip() not in ("", "Default Preference") else ""
    for a in better:
        for b in worse:
            doc.preferences.append({"preferred": a, "over": b, "scheme": scheme[:200]})


def _locutions(doc: MapDocument, nodes: dict, incoming: dict, outgoing: dict, claim_of: dict, aif: dict) -> None:
    """Evidence from dialogue: an L-node that asserts an I-node (L -> YA -> I) is quoted, from a
    source named after its speaker."""
    speakers: dict[str, str] = {}
    people = {str(p.get("participantID")): " ".join(str(p.get(k) or "") for k in ("firstname", "surname")).strip()
              for p in aif.get("participants") or [] if isinstance(p, dict)}
    for loc in aif.get("locutions") or []:
        if isinstance(loc, dict) and str(loc.get("personID")) in people and people[str(loc.get("personID"))]:
            speakers[str(loc.get("nodeID"))] = people[str(loc["personID"])]
    sources: dict[str, str] = {}
    quoted: set = set()
    for nid, node in nodes.items():
        if str(node["type"]) != "L" or not isinstance(node.get("text"), str) or not node["text"].strip():
            continue
        for ya in outgoing.get(nid, []):
            if str(nodes[ya]["type"]) != "YA":
                continue
            for target in outgoing.get(ya, []):
                if target not in claim_of or str(nodes[target]["type"]) != "I":
                    continue
                speaker = speakers.get(nid, "")
                sid = "speaker-" + slugify(speaker, max_words=4, max_len=40) if speaker else "dialogue"
                if sid not in sources:
                    sources[sid] = speaker or "Dialogue"
                    where = doc.name.replace("\\", "/").rsplit("/", 1)[-1]
                    doc.sources.append({"id": sid, "title": f"{speaker or 'Dialogue'} (locutions in {where})"})
                key = (claim_of[target], sid, node["text"].strip())
                if key not in quoted:
                    quoted.add(key)
                    doc.evidence.append({"claim": key[0], "source": sid, "quote": key[2],
                                         "locator": f"L-node {nid}"})


STAMP = "2026-01-01 00:00:00"


def _claim_node(n: int, c: Any, judged: Optional[list] = None, scheme: Optional[str] = None) -> dict[str, Any]:
    node = {"nodeID": str(n), "text": c.text, "type": "RA" if c.kind == "argument" else "I",
            "timestamp": STAMP, "argmapId": c.id, "argmapKind": c.kind}
    if c.kind == "argument":
        node["scheme"] = aif_scheme(scheme)
    if c.title:
        node["argmapTitle"] = c.title
    if judged:  # people's credences: an extension field, which AIF's own readers pass over
        node["argmapJudgements"] = judged
    return node


DEFAULT_INFERENCE, DEFAULT_CONFLICT = "Default Inference", "Default Conflict"


def aif_scheme(name: Optional[str]) -> str:
    """The name AIF tools give an argument's scheme (arguebuf and AIFdb read ``Expert
    Opinion``); a name not in the catalogue as it was written; none: the default."""
    from argmap.claims.catalogue import find
    if not name:
        return DEFAULT_INFERENCE
    found = find(name)
    return found.aif if found else name


def _scheme_node(n: int, rtype: str) -> dict[str, Any]:
    return {"nodeID": str(n), "type": "RA" if rtype == "supports" else "CA",
            "text": DEFAULT_INFERENCE if rtype == "supports" else DEFAULT_CONFLICT,
            "timestamp": STAMP, **({"argmapRelation": "supports"} if rtype == "supports" else {})}


def _direct(rtype: str, source_kind: Optional[str], target_kind: Optional[str]) -> bool:
    """premise -> RA, RA -> conclusion: a support touching an argument needs no node between."""
    return rtype == "supports" and "argument" in (source_kind, target_kind)


def stream(db: Any, out: BinaryIO, title: str = "argmap") -> None:
    """The whole store as ``write`` gives it, byte for byte, written as it is read: claims
    once, relations twice (their scheme nodes, then the edges), in little memory."""
    from argmap.claims import plain_reads
    ids: dict[str, int] = {}
    arguments: set[str] = set()
    judged = judgements_by_claim(plain_reads.judgements_of(db))  # few: one per claim and person
    schemes = plain_reads.schemes_of(db)

    def nodes() -> Iterator[dict[str, Any]]:
        n = 0
        for n, c in enumerate(plain_reads.claims_by_id(db), start=1):
            ids[c.id] = n
            if c.kind == "argument":
                arguments.add(c.id)
            yield _claim_node(n, c, judged.get(c.id), schemes.get(c.id))
        for r in plain_reads.relations_by_ends(db):
            if not _direct(r.type, _kind(r.source), _kind(r.target)):
                n += 1
                yield _scheme_node(n, r.type)

    def _kind(cid: str) -> str:
        return "argument" if cid in arguments else "claim"

    def edges() -> Iterator[dict[str, Any]]:
        count, scheme = 0, len(ids)
        for r in plain_reads.relations_by_ends(db):
            pairs = [(ids[r.source], ids[r.target])]
            if not _direct(r.type, _kind(r.source), _kind(r.target)):
                scheme += 1
                pairs = [(ids[r.source], scheme), (scheme, ids[r.target])]
            for a, b in pairs:
                count += 1
                yield {"edgeID": str(count), "fromID": str(a), "toID": str(b), "formEdgeID": None}

    from argmap.graph.formats.shared import stream_json
    stream_json(out, [("nodes", nodes()), ("edges", edges())], indent=1, tail=',\n "locutions": []')


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    nodes, edges, _ = graph(amap)
    return json.dumps({"nodes": nodes, "edges": edges, "locutions": []}, indent=1, ensure_ascii=False) + "\n"


def graph(amap: ArgumentMap) -> tuple[list[dict], list[dict], dict[str, str]]:
    """The map's AIF nodes and edges, and each claim's node id (xAIF adds to them)."""
    nodes, edges = [], []
    ids: dict[str, str] = {}
    kinds = {c.id: c.kind for c in amap.claims}
    judged = judgements_by_claim(amap.judgements)
    for n, c in enumerate(sorted(amap.claims, key=lambda c: c.id), start=1):
        ids[c.id] = str(n)
        nodes.append(_claim_node(n, c, judged.get(c.id), amap.schemes.get(c.id)))
    next_id = len(nodes) + 1

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": a, "toID": b, "formEdgeID": None})

    for r in sorted(amap.relations, key=lambda r: (r.source, r.target)):
        if _direct(r.type, kinds.get(r.source), kinds.get(r.target)):
            edge(ids[r.source], ids[r.target])
            continue
        scheme = _scheme_node(next_id, r.type)
        nodes.append(scheme)
        edge(ids[r.source], scheme["nodeID"])
        edge(scheme["nodeID"], ids[r.target])
        next_id += 1
    return nodes, edges, ids
