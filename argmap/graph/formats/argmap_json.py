"""argmap's own JSON format: lossless, versioned, deterministic.

Layout (version 1)::

    {"format": "argmap", "version": 1,
     "claims":       [{"id", "text", "kind", "base_score"}],
     "relations":    [{"source", "target", "type"}],
     "sources":      [{"id", "title", "author", "url", "date", "text"}],
     "evidence":     [{"id", "claim", "source", "quote", "locator"}],
     "computations": [{"id", "claim", "formula", "unit", "description", "expect",
                       "scenarios", "inputs": [{"name", "low", "high", "unit",
                                                "evidence", "from", "note"}]}]}

Everything is sorted by id so that export -> import -> export gives the same bytes.
Evidence ids are file-local (1..n); computation inputs refer to them. Results of
computations are not stored: they are re-derived on import.
"""

import json
from typing import Any, Optional

from argmap.claims.store import Snapshot
from argmap.graph.formats.model import MapDocument

FORMAT_NAME = "argmap"
FORMAT_VERSION = 1


def snapshot_to_document(snap: Snapshot, source_texts: dict[str, Optional[str]]) -> dict[str, Any]:
    evidence_sorted = sorted(snap.evidence, key=lambda e: (e.claim, e.source, e.quote, e.locator or ""))
    local_id = {e.id: n for n, e in enumerate(evidence_sorted, start=1)}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "claims": [{"id": c.id, "text": c.text, "kind": c.kind, "base_score": c.base_score}
                   for c in sorted(snap.claims, key=lambda c: c.id)],
        "relations": [{"source": r.source, "target": r.target, "type": r.type}
                      for r in sorted(snap.relations, key=lambda r: (r.source, r.target))],
        "sources": [{"id": s.id, "title": s.title, "author": s.author, "url": s.url, "date": s.date,
                     "text": source_texts.get(s.id)} for s in sorted(snap.sources, key=lambda s: s.id)],
        "evidence": [{"id": local_id[e.id], "claim": e.claim, "source": e.source, "quote": e.quote,
                      "locator": e.locator} for e in evidence_sorted],
        "computations": [{
            "id": c["id"], "claim": c["claim"], "formula": c["formula"], "unit": c["unit"],
            "description": c["description"], "expect": c["expect"], "scenarios": c["scenarios"],
            "inputs": [{**i, "evidence": local_id.get(i["evidence"]) if i["evidence"] else None}
                       for i in c["inputs"]],
        } for c in sorted(snap.computations, key=lambda c: c["id"])],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def parse(text: str, name: str = "<json>") -> MapDocument:
    """Read an argmap JSON document into the neutral MapDocument (validated later, on import)."""
    from argmap.graph.formats.model import FormatError, load_json
    data = load_json(text, name)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormatError(name, "top level", 'an object with "format": "argmap"')
    version = data.get("version")
    if version != FORMAT_VERSION:
        raise FormatError(name, "version", f"version {FORMAT_VERSION} (this file says {version!r})")
    return MapDocument.from_dict(data, name)
