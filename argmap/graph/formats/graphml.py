"""GraphML for Gephi, yEd and networkx: every attribute kept, flattened to scalars.

Written line by line with the keys declared up front (the same lines whether the map is in
memory or streamed from the store a few thousand rows at a time); networkx's reader is the
oracle in the tests."""

import json
from typing import Any, BinaryIO, Iterable, Iterator, Optional
from xml.sax.saxutils import escape, quoteattr

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.shared import EDGE_COLOURS, KIND_COLOURS, computations_by_claim, evidence_by_claim, xml_safe

NODE_KEYS = (("text", "string"), ("kind", "string"), ("base_score", "double"), ("grounded", "string"),
             ("reason", "string"), ("evidence_count", "long"), ("evidence", "string"), ("computations", "string"),
             ("colour", "string"))
EDGE_KEYS = (("type", "string"), ("colour", "string"))
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')


def _text(value: Any) -> str:
    return escape(xml_safe(value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)))


def _head(title: str) -> list[str]:
    keys = [f'  <key id="g_name" for="graph" attr.name="name" attr.type="string"/>']
    keys += [f'  <key id="n_{k}" for="node" attr.name="{k}" attr.type="{t}"/>' for k, t in NODE_KEYS]
    keys += [f'  <key id="e_{k}" for="edge" attr.name="{k}" attr.type="{t}"/>' for k, t in EDGE_KEYS]
    return [HEAD, *keys, '  <graph edgedefault="directed">', f'    <data key="g_name">{_text(title)}</data>']


TAIL = ["  </graph>", "</graphml>"]


def _node(c: Any, st: dict[str, Any], evidence: list, comps: list) -> Iterator[str]:
    values = {"text": c.text, "kind": c.kind, "base_score": float(c.base_score), "grounded": st.get("label", ""),
              "reason": st.get("reason", ""), "evidence_count": len(evidence),
              "evidence": json.dumps([e.to_json() for e in evidence], ensure_ascii=False),
              "computations": json.dumps([x.to_json() for x in comps], ensure_ascii=False),
              "colour": KIND_COLOURS.get(c.kind, "#dddddd")}
    yield f"    <node id={quoteattr(xml_safe(c.id))}>"
    for key, _ in NODE_KEYS:
        yield f'      <data key="n_{key}">{_text(values[key])}</data>'
    yield "    </node>"


def _edge(r: Any) -> Iterator[str]:
    yield f"    <edge source={quoteattr(xml_safe(r.source))} target={quoteattr(xml_safe(r.target))}>"
    yield f'      <data key="e_type">{_text(r.type)}</data>'
    yield f'      <data key="e_colour">{_text(EDGE_COLOURS[r.type])}</data>'
    yield "    </edge>"


def _lines(title: str, nodes: Iterable[Iterator[str]], edges: Iterable[Iterator[str]]) -> Iterator[str]:
    yield from _head(title)
    for lines in nodes:
        yield from lines
    for lines in edges:
        yield from lines
    yield from TAIL


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    status = status or {}
    evidence = evidence_by_claim(amap.evidence)
    comps = computations_by_claim(amap.computations)
    nodes = (_node(c, status.get(c.id, {}), evidence.get(c.id, []), comps.get(c.id, []))
             for c in sorted(amap.claims, key=lambda c: c.id))
    edges = map(_edge, sorted(amap.relations, key=lambda r: (r.source, r.target)))
    return "\n".join(_lines(title, nodes, edges)) + "\n"


def stream(db: Any, out: BinaryIO, title: str = "argmap") -> None:
    """The whole store as ``write`` gives it, byte for byte, written as it is read: claims by
    id beside their quotes (both read in order), each claim's status from the kept arrays."""
    from argmap.claims import plain_reads
    from argmap.graph.formats.shared import write_lines
    from argmap.graph.semantics.arrays import GroundedIndex
    from argmap.graph.semantics.reasons import reason
    index = GroundedIndex(plain_reads.read_arrays(db))
    comps = computations_by_claim(plain_reads.computations_of(db))
    quotes = plain_reads.evidence_by_claim_in_order(db)
    pending = next(quotes, None)

    def nodes() -> Iterator[Iterator[str]]:
        nonlocal pending
        for c in plain_reads.claims_by_id(db):
            mine = []
            while pending is not None and pending.claim == c.id:
                mine.append(pending)
                pending = next(quotes, None)
            yield _node(c, reason(index.attackers, index.label, c.id), mine, comps.get(c.id, []))

    write_lines(out, _lines(title, nodes(), map(_edge, plain_reads.relations_by_ends(db))))
