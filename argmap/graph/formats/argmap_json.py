"""argmap's own JSON format: lossless, versioned, deterministic.

Layout (version 1)::

    {"format": "argmap", "version": 1,
     "claims":       [{"id", "text", "kind", "base_score", "title" (when it has one)}],
     "relations":    [{"source", "target", "type"}],
     "sources":      [{"id", "title", "author", "url", "date", "text", "sha256" (of a file read)}],
     "evidence":     [{"id", "claim", "source", "quote", "locator", "selector" (when found in
                       the source's text: a W3C TextQuoteSelector {"type", "prefix", "exact", "suffix"})}],
     "computations": [{"id", "claim", "formula", "unit", "description", "expect",
                       "scenarios", "inputs": [{"name", "low", "high", "unit",
                                                "evidence", "from", "note"}]}],
     "judgements":   [{"claim", "author", "credence", "at"}],   (only when there are any)
     "schemes":      [{"claim", "scheme"}],                       (only when there are any)
     "questions":    [{"argument", "question", "claim"}],         (critical questions answered; idem)
     "resolutions":  [{"claim", "resolves_by", "criteria", "outcome", "source"}],   (idem)
     "groups":       [{"id", "title", "parent", "claims"}]}       (named parts, in the map's order; idem)

Everything is sorted by id so that export -> import -> export gives the same bytes.
Evidence ids are file-local (1..n); computation inputs refer to them. Results of
computations are not stored: they are re-derived on import.
"""

import json
from typing import Any, BinaryIO, Iterator, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.claims.records import ComputationRecord, InputRecord
from argmap.errors import FormulaError
from argmap.graph.formats.document import FormatError, MapDocument, load_json

FORMAT_NAME = "argmap"
FORMAT_VERSION = 1


def _claim(c: Any) -> dict[str, Any]:
    return {"id": c.id, "text": c.text, "kind": c.kind, "base_score": c.base_score, **({"title": c.title} if c.title else {})}


def _relation(r: Any) -> dict[str, Any]:
    return {"source": r.source, "target": r.target, "type": r.type}


def _source(s: Any) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "author": s.author, "url": s.url, "date": s.date, "text": s.text,
            **({"sha256": s.sha256} if s.sha256 else {})}


def _evidence(n: int, e: Any) -> dict[str, Any]:
    return {"id": n, "claim": e.claim, "source": e.source, "quote": e.quote, "locator": e.locator,
            **({"selector": e.selector} if e.selector else {})}


def _computation(c: ComputationRecord, local_id: dict[int, int]) -> dict[str, Any]:
    return {"id": c.id, "claim": c.claim, "formula": c.formula, "unit": c.unit, "description": c.description,
            "expect": c.to_json()["expect"], "scenarios": c.scenarios,
            "inputs": [{**i.to_json(), "evidence": local_id.get(i.evidence_id) if i.evidence_id else None}
                       for i in c.inputs]}


def document(amap: ArgumentMap) -> dict[str, Any]:
    """The map as an argmap JSON document (source texts as the map carries them)."""
    evidence_sorted = sorted(amap.evidence, key=lambda e: (e.claim, e.source, e.quote, e.locator or ""))
    local_id = {e.id: n for n, e in enumerate(evidence_sorted, start=1)}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "claims": [_claim(c) for c in sorted(amap.claims, key=lambda c: c.id)],
        "relations": [_relation(r) for r in sorted(amap.relations, key=lambda r: (r.source, r.target))],
        "sources": [_source(s) for s in sorted(amap.sources, key=lambda s: s.id)],
        "evidence": [_evidence(local_id[e.id], e) for e in evidence_sorted],
        "computations": [_computation(c, local_id) for c in sorted(amap.computations, key=lambda c: c.id)],
        **({"judgements": [_judgement(j) for j in amap.judgements]} if amap.judgements else {}),
        **({"schemes": [_scheme(c, s) for c, s in sorted(amap.schemes.items())]} if amap.schemes else {}),
        **({"questions": [_answer(a) for a in sorted(amap.answers, key=lambda a: (a.argument, a.question))]}
           if amap.answers else {}),
        **({"resolutions": [_resolution(r) for r in sorted(amap.resolutions, key=lambda r: r.claim)]}
           if amap.resolutions else {}),
        **({"groups": [_group(g) for g in amap.groups]} if amap.groups else {}),
    }


def _group(g: Any) -> dict[str, Any]:
    return {"id": g.id, "title": g.title, "parent": g.parent, "claims": sorted(g.claims)}


def _scheme(claim: str, scheme: str) -> dict[str, Any]:
    return {"claim": claim, "scheme": scheme}


def _answer(a: Any) -> dict[str, Any]:
    return {"argument": a.argument, "question": a.question, "claim": a.claim}


def _resolution(r: Any) -> dict[str, Any]:
    """A claim's resolution question and outcome (the revision it was resolved at belongs to
    this store's history and stays behind)."""
    return {"claim": r.claim, "resolves_by": r.resolves_by, "criteria": r.criteria, "outcome": r.outcome,
            "source": r.source}


def _judgement(j: Any) -> dict[str, Any]:
    return {"claim": j.claim, "author": j.author, "credence": j.credence, "at": j.at}


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, Any]] = None) -> str:
    return dumps(document(amap))


def stream(db: Any, out: BinaryIO, title: str = "argmap") -> None:
    """The whole store as ``write`` gives it, byte for byte, written as it is read (rows come
    from the database in order, a few thousand at a time): a million claims in little memory."""
    from argmap.claims import plain_reads
    from argmap.graph.formats.shared import stream_json
    comps = sorted(plain_reads.computations_of(db), key=lambda c: c.id)
    judged = plain_reads.judgements_of(db)  # few: one per claim and person who judged it
    schemes, answers = plain_reads.schemes_of(db), plain_reads.answers_of(db)  # few: one per argument
    resolved = plain_reads.resolutions_of(db)  # few: the claims that resolve
    from argmap.claims.groups import groups_of
    grouped = groups_of(db)  # a group's claims are ids only
    cited = {i.evidence_id for c in comps for i in c.inputs if i.evidence_id}
    local_id: dict[int, int] = {}

    def evidence() -> Iterator[dict[str, Any]]:
        for n, e in enumerate(plain_reads.evidence_by_content(db), start=1):
            if e.id in cited:
                local_id[e.id] = n
            yield _evidence(n, e)

    stream_json(out, [
        ("claims", map(_claim, plain_reads.claims_by_id(db))),
        ("relations", map(_relation, plain_reads.relations_by_ends(db))),
        ("sources", map(_source, plain_reads.sources_with_texts(db))),
        ("evidence", evidence()),
        ("computations", (_computation(c, local_id) for c in comps)),  # after the evidence: its local ids are known
        *([("judgements", map(_judgement, judged))] if judged else []),
        *([("schemes", (_scheme(c, s) for c, s in schemes.items()))] if schemes else []),
        *([("questions", map(_answer, answers))] if answers else []),
        *([("resolutions", map(_resolution, resolved))] if resolved else []),
        *([("groups", map(_group, grouped))] if grouped else []),
    ], indent=2, head=f'\n  "format": {json.dumps(FORMAT_NAME)},\n  "version": {FORMAT_VERSION}')


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def read(text: str, name: str = "<json>") -> MapDocument:
    """Read an argmap JSON document into the neutral MapDocument (validated later, on import)."""
    data = load_json(text, name)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormatError(name, "top level", 'an object with "format": "argmap"')
    version = data.get("version")
    if version != FORMAT_VERSION:
        raise FormatError(name, "version", f"version {FORMAT_VERSION} (this file says {version!r})")
    return MapDocument.from_dict(data, name)


def read_stream(f: BinaryIO, name: str = "<json>") -> MapDocument:
    """An argmap JSON file read as it is imported (``read``'s checks, in the file's order):
    the loader takes each section's items as they are parsed. Sections before "format" and
    "version" (not where argmap writes them) are held until those are read."""
    from argmap.graph.formats.document import StreamedDocument
    from argmap.graph.formats.json_stream import LIST, top_level
    keys = top_level(f, name)
    head: dict[str, Any] = {}
    early: list[tuple[str, Optional[Iterator[Any]]]] = []
    for key, kind, value in keys:
        if key in ("format", "version"):
            head[key] = list(value) if kind is LIST else (None if kind is dict else value)
        else:
            early.append((key, iter(list(value)) if kind is LIST else None))
        if "format" in head and "version" in head:
            break
    if head.get("format") != FORMAT_NAME:
        raise FormatError(name, "top level", 'an object with "format": "argmap"')
    if head.get("version") != FORMAT_VERSION:
        raise FormatError(name, "version", f"version {FORMAT_VERSION} (this file says {head.get('version')!r})")

    def sections() -> Iterator[tuple[str, Optional[Iterator[Any]]]]:
        yield from early
        for key, kind, value in keys:
            if key in head:
                raise FormatError(name, f'"{key}"', "one such key (it appears twice)")
            yield key, value if kind is LIST else None
    return StreamedDocument(name, sections())


def _number(value: Any, what: str) -> Optional[float]:
    """A JSON number as a finite float (a 400-digit integer is refused, not an overflow)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormulaError(f"{what} must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise FormulaError(f"{what} is too large a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise FormulaError(f"{what} must be a finite number")
    return number


def computation(item: dict[str, Any], prefix: str = "") -> ComputationRecord:
    """A computation as written in argmap's JSON format (checked further on import)."""
    expect = item.get("expect") or {}
    if not isinstance(expect, dict):
        raise FormulaError("\"expect\" must be an object with \"value\", \"unit\" and \"tolerance\"")
    inputs = []
    for raw in item.get("inputs") or []:
        if not isinstance(raw, dict) or not raw.get("name"):
            raise FormulaError("each input needs a name")
        name = str(raw["name"])
        if not name.isidentifier():
            raise FormulaError(f"input name {name!r} must be a plain identifier")
        ref = raw.get("from")
        low = high = None
        if ref is None:
            if raw.get("low") is None:
                raise FormulaError(f"input {name!r} needs a number \"low\" (or \"from\": a computation id)")
            low = _number(raw.get("low"), f"input {name!r}: \"low\"")
            high = _number(raw.get("high"), f"input {name!r}: \"high\"")
            if high is not None and high < low:
                raise FormulaError(f"input {name!r}: range runs backwards ({low:g}..{high:g})")
        evidence = raw.get("evidence")
        if evidence is not None and (isinstance(evidence, bool) or not isinstance(evidence, (int, str))):
            raise FormulaError(f"input {name!r}: \"evidence\" must be the id of an evidence of the file")
        inputs.append(InputRecord(name=name, low=low, high=None if high is None or high == low else high,
                                  unit=str(raw.get("unit") or ""), ref=(prefix + str(ref)) if ref else None,
                                  evidence_id=evidence, note=raw.get("note")))
    value = _number(expect.get("value"), "\"expect\".\"value\"")
    scenarios = item.get("scenarios") or {}
    if not isinstance(scenarios, dict):
        raise FormulaError("\"scenarios\" must be an object")
    return ComputationRecord(
        id=prefix + str(item.get("id") or ""), claim=prefix + str(item.get("claim") or ""),
        formula=str(item.get("formula") or ""), unit=str(item.get("unit") or ""), inputs=inputs,
        expect_value=value, expect_unit=str(expect.get("unit") or ""), tolerance=expect.get("tolerance"),
        scenarios=scenarios, description=item.get("description"))
