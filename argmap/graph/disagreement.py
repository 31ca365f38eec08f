"""The crux between two people: which of the claims they judge differently matter for a
claim, how much of their disagreement on it each would settle, and the smallest sets that
would change the verdict for either of them.

P(X stands) for a person is computed exactly on a tree of attacks (``perspectives.
exact_stands``) and otherwise by the seeded draws of ``robust.robustness``, with the same
random numbers for every variant compared (so a difference is the change made, not noise).
A claim one of them did not judge is at its map default for that person (present).
"""

from itertools import combinations
from typing import Any, Callable

from argmap.claims.argument_map import ArgumentMap
from argmap.errors import InvalidInput, NotFound
from argmap.graph.perspectives import POOLING, credences, exact_stands, parse_who, pool, settled, view_labels

MAX_CANDIDATES = 16  # disagreements tried in sets (the ones that settle most alone)
EPS = 1e-9


def relevant_part(amap: ArgumentMap, claim: str) -> ArgumentMap:
    """Only what can move ``claim``: the claims with a path of attacks to it (a failing
    check's included), and the claims owning the computations theirs draw on. Every chance
    compared is then worked out on this part, not the whole map."""
    from argmap.graph.whatif import attack_ancestors
    ids = attack_ancestors(amap.framework(), claim) | {claim}
    owner = {c.id: c.claim for c in amap.computations}
    uses = {c.id: [i.ref for i in c.inputs if i.ref] for c in amap.computations}
    frontier = [c.id for c in amap.computations if c.claim in ids]
    seen = set(frontier)
    while frontier:
        for ref in uses.get(frontier.pop(), ()):
            if ref in owner and ref not in seen:
                seen.add(ref)
                ids.add(owner[ref])
                frontier.append(ref)
    return amap.part(ids) if len(ids) < len(amap.claims) else amap


def chance(amap: ArgumentMap, claim: str, universe: list[str], draws: int, seed: int) -> Callable[[dict], float]:
    """A function from {claim: credence} to P(``claim`` stands), every claim of ``universe``
    given (a missing one is present), the same draws each time."""
    from argmap.graph.robust import robustness
    exact = exact_stands(amap, {}) is not None

    def p(cred: dict[str, float]) -> float:
        full = {c: cred.get(c, 1.0) for c in universe}
        if exact:
            return exact_stands(amap, full)[claim]
        rows = robustness(amap, draws, seed, full)["claims"]
        return next(r["stands"] for r in rows if r["id"] == claim)
    p.exact = exact  # type: ignore[attr-defined]
    return p


def crux_between(amap: ArgumentMap, claim: str, judgements: list[Any], a: str, b: str, max_size: int = 3,
                 draws: int = 1000, seed: int = 1, resolutions: tuple = ()) -> dict[str, Any]:
    if claim not in amap.claim_ids():
        raise NotFound(f"no claim with id {claim!r}")
    if a == b:
        raise InvalidInput("--between needs two different people")
    if max_size < 1:
        raise InvalidInput("--max-size must be 1 or more")
    parse_who(f"{a},{b}", judgements)
    ca, cb = settled(credences(judgements, [a]), resolutions), settled(credences(judgements, [b]), resolutions)
    everywhere = [c for c in sorted(set(ca) | set(cb)) if abs(ca.get(c, 1.0) - cb.get(c, 1.0)) > EPS]
    amap = relevant_part(amap, claim)  # a disagreement elsewhere cannot matter here
    inside = amap.claim_ids()
    ca = {c: v for c, v in ca.items() if c in inside}
    cb = {c: v for c, v in cb.items() if c in inside}
    universe = sorted(set(ca) | set(cb))
    differ = [c for c in everywhere if c in inside]
    p = chance(amap, claim, universe, draws, seed)
    pa, pb = p(ca), p(cb)
    gap = pa - pb
    label_a, label_b = view_labels(amap, ca)[claim], view_labels(amap, cb)[claim]

    def closes(new_a: float, new_b: float) -> float:
        return 0.0 if abs(gap) < EPS else round(1 - abs(new_a - new_b) / abs(gap), 4)

    def taking(mine: dict, theirs: dict, subset) -> dict:
        """``mine`` with their view of ``subset``: their credence, or none if they gave none."""
        changed = dict(mine)
        for c in subset:
            if c in theirs:
                changed[c] = theirs[c]
            else:
                changed.pop(c, None)
        return changed

    rows = []
    for c in differ:
        va, vb = ca.get(c), cb.get(c)
        given = [v for v in (va, vb) if v is not None]
        agreed = pool(given)
        a_takes = p({**ca, c: cb.get(c, 1.0)})
        b_takes = p({**cb, c: ca.get(c, 1.0)})
        both = p({**ca, c: agreed}), p({**cb, c: agreed})
        rows.append({"claim": c, a: va, b: vb, "pooled": round(agreed, 6),
                     "closes_if_" + a + "_takes_" + b: closes(a_takes, pb),
                     "closes_if_" + b + "_takes_" + a: closes(pa, b_takes),
                     "closes_if_both_pool": closes(*both),
                     "moves": (abs(a_takes - pa) > EPS or abs(b_takes - pb) > EPS or abs(both[0] - both[1] - gap) > EPS
                               or view_labels(amap, taking(ca, cb, [c]))[claim] != label_a
                               or view_labels(amap, taking(cb, ca, [c]))[claim] != label_b)})
    key = "closes_if_both_pool"
    rows.sort(key=lambda r: (-abs(r[key]), -max(abs(r["closes_if_" + a + "_takes_" + b]),
                                                  abs(r["closes_if_" + b + "_takes_" + a])), r["claim"]))

    def flips(person: str, mine: dict, theirs: dict, base_p: float, base_label: str) -> list[dict]:
        candidates = [r["claim"] for r in rows if r["moves"]][:MAX_CANDIDATES]
        found: list[dict] = []
        for size in range(1, min(max_size, len(candidates)) + 1):
            for subset in combinations(candidates, size):
                if any(set(f["claims"]) <= set(subset) for f in found):
                    continue
                changed = taking(mine, theirs, subset)
                new_p = p(changed)
                new_label = view_labels(amap, changed)[claim]
                if (new_p >= 0.5) != (base_p >= 0.5) or new_label != base_label:
                    found.append({"claims": list(subset), "p": round(new_p, 4), "label": new_label})
        return found

    matter = {r["claim"] for r in rows if r["moves"]}
    return {"claim": claim, "between": [a, b], "pooling": POOLING, "exact": p.exact, "draws": None if p.exact else draws,
            "seed": None if p.exact else seed,
            "p": {a: round(pa, 4), b: round(pb, 4)}, "label": {a: label_a, b: label_b},
            "disagreements": [r for r in rows if r["moves"]],
            "flip_for": {a: flips(a, ca, cb, pa, label_a), b: flips(b, cb, ca, pb, label_b)},
            "do_not_matter": sorted(set(everywhere) - matter)}
