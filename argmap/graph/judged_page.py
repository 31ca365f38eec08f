"""What the map page needs of people's judgements: each person's view of the map (and
everyone's), how much people disagree on each claim, who judged what, and, for a small
map, the crux between every two people on each thesis.

The labels of a view are computed here, by the same functions as ``status --as``, and the
page only shows them: the page and the CLI cannot disagree. A view keeps only the labels
that differ from the map as written, so twenty people's views of a big map stay small.
"""

from itertools import combinations
from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.perspectives import POOLING, credences, parse_who, people, settled, thresholded, view_labels

DISAGREE_MARK = 0.2  # the spread of credences (highest minus lowest) from which a claim is marked
CRUX_PAIRS = 6  # the page works out the crux of at most this many pairs of people (four people) ...
CRUX_CLAIMS = 300  # ... on maps of at most this many claims ...
CRUX_THESES = 3  # ... for at most this many theses; beyond, the served page asks the server


def spread(values: list[float]) -> Optional[float]:
    """How much people disagree on a claim: the highest credence minus the lowest (None
    when fewer than two people judged it)."""
    return round(max(values) - min(values), 4) if len(values) >= 2 else None


def page_view(amap: ArgumentMap, initial: Optional[str] = None, crux: bool = True,
              views: bool = True) -> Optional[dict[str, Any]]:
    """The page's ``judgements`` data (None when nobody has judged a claim of the map);
    ``initial`` (``--as``) names the view the page opens with. Without ``views`` (a focused
    page: a view's labels are decided on the whole map, which it does not hold), only who
    judged what and how much they disagree."""
    if not amap.judgements:
        return None
    names = people(amap.judgements)
    groups: dict[str, list[str]] = {name: [name] for name in names}
    if len(names) > 1:
        groups = {"everyone": names, **groups}
    if initial is not None:
        who = parse_who(initial, amap.judgements)
        initial = "everyone" if initial.strip() == "everyone" else ",".join(who)
        groups.setdefault(initial, who)
    as_written = view_labels(amap, {}) if views else {}
    drawn: dict[str, Any] = {}
    for key, who in groups.items() if views else ():
        cred = settled(credences(amap.judgements, who), amap.resolutions)
        labels = view_labels(amap, cred)
        accepted, rejected = thresholded(cred)
        drawn[key] = {"people": who, "credence": {c: round(p, 4) for c, p in cred.items()},
                      "accepted": sorted(accepted), "rejected": sorted(rejected),
                      "labels": {c: label for c, label in sorted(labels.items()) if as_written.get(c) != label}}
    by_claim: dict[str, list[dict[str, Any]]] = {}
    for j in amap.judgements:
        by_claim.setdefault(j.claim, []).append({"author": j.author, "credence": j.credence, "at": j.at})
    spreads = {c: s for c, rows in by_claim.items() if (s := spread([r["credence"] for r in rows])) is not None}
    theses = sorted(c.id for c in amap.claims if c.kind == "thesis")
    pairs = list(combinations(names, 2))
    data = {"pooling": POOLING, "threshold": "credence >= 0.5 accepts, < 0.5 rejects", "semantics": "grounded",
            "people": names, "views": drawn if views else None, "initial": initial, "by_claim": by_claim, "spread": spreads,
            "mark_from": DISAGREE_MARK, "theses": theses, "crux": None,
            "resolved": {r.claim: r.outcome for r in amap.resolutions if r.outcome}}
    if crux and views and pairs and len(pairs) <= CRUX_PAIRS and len(amap.claims) <= CRUX_CLAIMS and len(theses) <= CRUX_THESES:
        data["crux"] = {t: {f"{a}\n{b}": crux_summary(amap, t, a, b) for a, b in pairs} for t in theses}
    return data


def within(judged: Optional[dict[str, Any]], ids: set[str]) -> Optional[dict[str, Any]]:
    """``page_view``'s data, worked out on the whole map, kept to the claims ``ids`` (a
    focused page): each view's labels and credences, who judged what, the spreads."""
    if judged is None:
        return None
    views = {key: {**v, "credence": {c: p for c, p in v["credence"].items() if c in ids},
                   "accepted": [c for c in v["accepted"] if c in ids], "rejected": [c for c in v["rejected"] if c in ids],
                   "labels": {c: label for c, label in v["labels"].items() if c in ids}}
             for key, v in (judged["views"] or {}).items()}
    return {**judged, "views": views, "crux": None, "theses": [t for t in judged["theses"] if t in ids],
            "by_claim": {c: rows for c, rows in judged["by_claim"].items() if c in ids},
            "spread": {c: x for c, x in judged["spread"].items() if c in ids},
            "resolved": {c: x for c, x in judged["resolved"].items() if c in ids}}


def crux_summary(amap: ArgumentMap, claim: str, a: str, b: str) -> dict[str, Any]:
    """``crux ID --between A B --json``'s answer, word for word: the compare view marks its
    disagreements (those that can move the claim) as the crux claims."""
    from argmap.graph.disagreement import crux_between
    return crux_between(amap, claim, amap.judgements, a, b, resolutions=tuple(amap.resolutions))
