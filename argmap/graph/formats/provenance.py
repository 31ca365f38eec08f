"""Where a map's verdicts come from, for tools that trace provenance: W3C PROV-O in Turtle
(``prov``) or JSON-LD (``prov-jsonld``).

- each claim, source, quote and computation is a ``prov:Entity``; a quote is also a Web
  Annotation (``oa:Annotation``) whose body is the claim and whose target is the source,
  selected by a ``oa:TextQuoteSelector`` (prefix, exact, suffix) when argmap found it there;
- each change of the history is a ``prov:Activity`` (its time, its command) associated with
  its author, a ``prov:Agent``; it generated, revised or invalidated the claims, sources and
  computations it wrote, and a claim is attributed to the author who added it;
- each claim's status (its grounded label and the reason) is an entity of its own, generated
  by the labelling and derived from the claims and computations it rests on: the claim, the
  claims that attack or support it and the computations attached to it.
"""

from typing import Any, Iterable, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.rdf import Graph, Literal, jsonld, node, term, turtle

SEMANTICS = "grounded semantics (Dung 1995): IN stands, OUT is defeated, UNDEC is undecided"


def _stamp(at: str) -> Literal:
    return Literal(at.replace(" ", "T"), "xsd:dateTime")


def _changes(g: Graph, changes: Iterable[Any], present: dict[tuple, Any]) -> None:
    """Each change as an activity with its agent; what it did to the map's entities (a claim
    is attributed to the author of the change that added it)."""
    added: set[str] = set()
    for c in changes:
        act = node("change", c.rev)
        agent = node("agent", c.author)
        g.add(act, "rdf:type", term("prov:Activity"))
        g.add(act, "rdfs:label", f"revision {c.rev}: {c.command}")
        g.add(act, "prov:endedAtTime", _stamp(c.at))
        g.add(act, "prov:wasAssociatedWith", agent)
        g.add(agent, "rdf:type", term("prov:Agent"))
        g.add(agent, "rdfs:label", c.author)
        for row in c.rows:
            for ident in row.identities():
                entity = present.get(ident[:2])
                if entity is None:
                    continue
                if row.op in ("insert", "bulk"):
                    g.add(act, "prov:generated", entity)
                    g.add(entity, "prov:wasGeneratedBy", act)
                    if ident[0] == "claim" and ident[1] not in added:
                        added.add(ident[1])
                        g.add(entity, "prov:wasAttributedTo", agent)
                elif row.op == "update":
                    g.add(entity, "prov:wasInfluencedBy", act)
                else:
                    g.add(act, "prov:invalidated", entity)


def graph(amap: ArgumentMap, title: str, status: Optional[dict[str, dict[str, Any]]],
          changes: Iterable[Any] = ()) -> Graph:
    g = Graph()
    status = status or {}
    doc = node("map", "document")
    g.add(doc, "rdf:type", term("prov:Bundle"))
    g.add(doc, "rdfs:label", title)
    claims = {c.id: node("claim", c.id) for c in amap.claims}
    sources = {s.id: node("source", s.id) for s in amap.sources}
    comps = {c.id: node("computation", c.id) for c in amap.computations}
    present = {("claim", k): v for k, v in claims.items()} | {("source", k): v for k, v in sources.items()} | {
        ("computation", k): v for k, v in comps.items()}
    for c in amap.claims:
        me = claims[c.id]
        g.add(me, "rdf:type", term("prov:Entity"))
        g.add(me, "rdf:type", term("argmap:Claim"))
        g.add(me, "rdfs:label", c.title or c.id)
        g.add(me, "prov:value", c.text)
        g.add(me, "argmap:kind", c.kind)
    for r in amap.relations:
        if r.source in claims and r.target in claims:
            g.add(claims[r.source], f"argmap:{r.type}", claims[r.target])
    for s in amap.sources:
        me = sources[s.id]
        g.add(me, "rdf:type", term("prov:Entity"))
        g.add(me, "rdf:type", term("argmap:Source"))
        g.add(me, "dcterms:title", s.title)
        g.add(me, "dcterms:creator", s.author)
        g.add(me, "dcterms:date", s.date)
        g.add(me, "schema:url", Literal(s.url, "xsd:anyURI") if s.url else None)
        g.add(me, "argmap:sha256", s.sha256)
    for e in amap.evidence:
        if e.claim not in claims or e.source not in sources:
            continue
        me, target = node("quote", e.id), g.blank()
        g.add(me, "rdf:type", term("oa:Annotation"))
        g.add(me, "rdf:type", term("prov:Entity"))
        g.add(me, "oa:hasBody", claims[e.claim])
        g.add(me, "oa:hasTarget", target)
        g.add(me, "prov:value", e.quote)
        g.add(me, "prov:wasDerivedFrom", sources[e.source])
        g.add(me, "argmap:locator", e.locator)
        g.add(target, "rdf:type", term("oa:SpecificResource"))
        g.add(target, "oa:hasSource", sources[e.source])
        if e.selector:
            sel = g.blank()
            g.add(target, "oa:hasSelector", sel)
            g.add(sel, "rdf:type", term("oa:TextQuoteSelector"))
            for part in ("prefix", "exact", "suffix"):
                g.add(sel, f"oa:{part}", e.selector.get(part) or None)
        g.add(claims[e.claim], "argmap:quotedIn", me)
    for c in amap.computations:
        if c.claim not in claims:
            continue
        me = comps[c.id]
        g.add(me, "rdf:type", term("prov:Entity"))
        g.add(me, "rdf:type", term("argmap:Computation"))
        g.add(me, "argmap:formula", c.formula)
        g.add(me, "argmap:unit", c.unit or None)
        g.add(me, "argmap:check", c.check)
        g.add(me, "argmap:about", claims[c.claim])
        for inp in c.inputs:
            if inp.evidence_id is not None:
                g.add(me, "prov:wasDerivedFrom", node("quote", inp.evidence_id))
    labelling = node("activity", "labelling")
    g.add(labelling, "rdf:type", term("prov:Activity"))
    g.add(labelling, "rdfs:label", SEMANTICS)
    rests_on: dict[str, list[str]] = {}
    for r in amap.relations:
        rests_on.setdefault(r.target, []).append(r.source)
    comps_of: dict[str, list[str]] = {}
    for c in amap.computations:
        comps_of.setdefault(c.claim, []).append(c.id)
    for cid, row in sorted(status.items()):
        if cid not in claims or not row.get("label"):
            continue
        me = node("status", cid)
        g.add(me, "rdf:type", term("prov:Entity"))
        g.add(me, "rdf:type", term("argmap:Status"))
        g.add(me, "argmap:of", claims[cid])
        g.add(me, "argmap:label", row["label"])
        g.add(me, "rdfs:comment", row.get("reason"))
        g.add(me, "prov:wasGeneratedBy", labelling)
        g.add(me, "prov:wasDerivedFrom", claims[cid])
        for other in sorted(rests_on.get(cid, [])):
            if other in claims:
                g.add(me, "prov:wasDerivedFrom", claims[other])
        for comp in sorted(comps_of.get(cid, [])):
            g.add(me, "prov:wasDerivedFrom", comps[comp])
        g.add(labelling, "prov:generated", me)
    _changes(g, changes, present)
    return g


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None,
          changes: Iterable[Any] = ()) -> str:
    g = graph(amap, title, status, changes)
    return turtle(g, f"{title}\nW3C PROV-O provenance of an argmap map; statuses by {SEMANTICS}.")


def write_jsonld(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None,
                 changes: Iterable[Any] = ()) -> str:
    return jsonld(graph(amap, title, status, changes))
