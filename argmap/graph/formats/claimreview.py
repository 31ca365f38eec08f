"""argmap's verdicts as fact-checking tools read them: one schema.org ``ClaimReview`` per
claim (JSON-LD), so that a claim-review aggregator or a search engine sees what stands.

- ``reviewRating``: the claim's grounded status as a rating from 1 to 3 (3: stands, IN;
  2: undecided, UNDEC; 1: does not stand, OUT), its name, and the reason as the explanation;
- ``itemReviewed``: the claim (``Claim``), with the person who added it to the map (from the
  history) and its first appearance: the source of its first quote, with the quote;
- the review's author is the map (its title), the date the latest change of the history.

The context is inline (``@vocab`` schema.org, as schema.org's own context has it), so that
a reader needs no network to expand it.
"""

import json
from typing import Any, Iterable, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.rdf import node
from argmap.graph.formats.shared import evidence_by_claim

RATINGS = {"IN": (3, "Stands (IN)"), "UNDEC": (2, "Undecided (UNDEC)"), "OUT": (1, "Does not stand (OUT)")}
CONTEXT = {"@vocab": "http://schema.org/"}


def added_by(changes: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """Claim id -> (author, time) of the change that first added it."""
    out: dict[str, tuple[str, str]] = {}
    for c in changes:
        for row in c.rows:
            if row.table == "claim" and row.op in ("insert", "bulk"):
                for ident in row.identities():
                    out.setdefault(ident[1], (c.author, c.at))
    return out


def _date(at: Optional[str]) -> Optional[str]:
    return at[:10] if at else None


def _work(e: Any, source: Any) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title if source else e.source, "text": e.quote}
    if source is not None:
        work.update({k: v for k, v in (("url", source.url), ("datePublished", source.date)) if v})
        if source.author:
            work["author"] = {"@type": "Person", "name": source.author}
    return work


def reviews(amap: ArgumentMap, title: str, status: Optional[dict[str, dict[str, Any]]],
            changes: Iterable[Any] = ()) -> list[dict[str, Any]]:
    changes = list(changes)
    first = added_by(changes)
    latest = _date(changes[-1].at) if changes else None
    quotes = evidence_by_claim(amap.evidence)
    sources = {s.id: s for s in amap.sources}
    out = []
    for c in sorted(amap.claims, key=lambda c: c.id):
        row = (status or {}).get(c.id) or {}
        if row.get("label") not in RATINGS:
            continue
        value, name = RATINGS[row["label"]]
        claim: dict[str, Any] = {"@type": "Claim", "@id": node("claim", c.id).value, "name": c.title or c.id,
                                 "text": c.text}
        if c.id in first:
            claim["author"] = {"@type": "Person", "name": first[c.id][0]}
            if _date(first[c.id][1]):
                claim["datePublished"] = _date(first[c.id][1])
        shown = quotes.get(c.id, [])
        if shown:
            claim["firstAppearance"] = _work(shown[0], sources.get(shown[0].source))
            claim["appearance"] = [_work(e, sources.get(e.source)) for e in shown]
        review: dict[str, Any] = {
            "@type": "ClaimReview", "@id": node("review", c.id).value, "claimReviewed": c.text,
            "author": {"@type": "Organization", "name": title},
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 3, "worstRating": 1,
                             "alternateName": name, "ratingExplanation": row.get("reason") or name},
            "itemReviewed": claim,
        }
        if latest:
            review["datePublished"] = latest
        out.append(review)
    return out


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None,
          changes: Iterable[Any] = ()) -> str:
    doc = {"@context": CONTEXT, "@graph": reviews(amap, title, status, changes)}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
