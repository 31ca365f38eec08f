"""Whose view: people's judgements pooled into one credence per claim, and what follows.

A perspective is one person (``alice``), several (``alice,bob``) or ``everyone`` who judged
anything. Several people's credences in a claim are pooled by the mean of their log-odds
(the geometric mean of odds), each credence first clipped to [0.01, 0.99] so that one
person's 0 or 1 cannot outvote everyone; a person who did not judge a claim has no say on
it, and a claim nobody in the perspective judged keeps its map default (it is present).

The thresholded view reads each pooled credence as a verdict: >= 0.5 accepts the claim,
< 0.5 rejects it; the grounded labels then follow (``whatif``). The chance that a claim
stands is ``robust.robustness`` with the credences: each judged claim is present in a draw
with its credence. On a tree of attacks it is exact: ``exact_stands``.
"""

import math
from typing import Any, Iterable, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.errors import InvalidInput, NotFound

CLIP = 0.01
POOLING = "mean of log-odds (geometric mean of odds), credences clipped to [0.01, 0.99]"


def pool(values: Iterable[float]) -> float:
    """The pooled credence of several people's (one person's is returned as given)."""
    values = list(values)
    if not values:
        raise ValueError("nothing to pool")
    if len(values) == 1:
        return values[0]
    logits = [math.log(p / (1 - p)) for p in (min(max(v, CLIP), 1 - CLIP) for v in values)]
    mean = sum(logits) / len(logits)
    return 1 / (1 + math.exp(-mean))


def people(judgements: Iterable[Any]) -> list[str]:
    return sorted({j.author for j in judgements})


def parse_who(who: str, judgements: list[Any]) -> list[str]:
    """``alice``, ``alice,bob`` or ``everyone``: the people named, each checked to have judged."""
    known = people(judgements)
    if who.strip() == "everyone":
        if not known:
            raise InvalidInput("nobody has judged any claim yet: argmap judge ID --credence P")
        return known
    names = [n.strip() for n in who.split(",") if n.strip()]
    if not names:
        raise InvalidInput("--as needs a name, several separated by commas, or everyone")
    missing = [n for n in names if n not in known]
    if missing:
        raise NotFound(f"{missing[0]} has judged no claim (people who have: {', '.join(known) or 'nobody'})")
    return sorted(set(names))


def credences(judgements: Iterable[Any], who: list[str]) -> dict[str, float]:
    """{claim: pooled credence} of the people ``who``."""
    by_claim: dict[str, list[float]] = {}
    for j in judgements:
        if j.author in who:
            by_claim.setdefault(j.claim, []).append(j.credence)
    return {claim: pool(values) for claim, values in sorted(by_claim.items())}


def view_of(amap: ArgumentMap, who: str) -> tuple[list[str], dict[str, float]]:
    """The people ``who`` names and their pooled credences, the map's resolutions applied:
    the one reading of ``--as`` that every command shares."""
    named = parse_who(who, amap.judgements)
    return named, settled(credences(amap.judgements, named), amap.resolutions)


def thresholded(credence: dict[str, float]) -> tuple[set[str], set[str]]:
    """(accepted, rejected) of a perspective read as verdicts."""
    return ({c for c, p in credence.items() if p >= 0.5}, {c for c, p in credence.items() if p < 0.5})


def view_labels(amap: ArgumentMap, credence: dict[str, float]) -> dict[str, str]:
    """The grounded labels of the thresholded view."""
    from argmap.graph.whatif import grounded_labels
    accepted, rejected = thresholded(credence)
    return grounded_labels(amap.framework(), reject=rejected, accept=accepted)


def attack_tree(amap: ArgumentMap) -> Optional[dict[str, list[str]]]:
    """{claim: its attackers} when the attacks (failing checks' included) form a forest: no
    cycle, no claim attacking two others, so each claim's attackers head independent
    subtrees. None otherwise."""
    attackers: dict[str, list[str]] = {c.id: [] for c in amap.claims}
    targets: dict[str, str] = {}
    edges = [(r.source, r.target) for r in amap.relations if r.type == "attacks"]
    edges += [(arg, claim) for arg, claim, _ in amap.check_arguments()]
    for src, dst in edges:
        if src in targets:
            return None
        targets[src] = dst
        attackers.setdefault(dst, []).append(src)
        attackers.setdefault(src, [])
    for start in targets:  # a cycle: following the one target from some claim comes back
        seen, node = set(), start
        while node in targets:
            if node in seen:
                return None
            seen.add(node)
            node = targets[node]
    return attackers


def exact_stands(amap: ArgumentMap, credence: dict[str, float]) -> Optional[dict[str, float]]:
    """P(stands) of every claim, exactly, on a tree of attacks with no ranged check (None
    otherwise): a claim stands when it is present and each of its attackers does not stand,
    and on a tree those events are independent: P(x) = p(x) * prod(1 - P(a))."""
    from argmap.evidence.evaluate import stated_band
    if any(stated_band(c) is not None and any(i.is_range for i in c.inputs) for c in amap.computations):
        return None
    attackers = attack_tree(amap)
    if attackers is None:
        return None
    memo: dict[str, float] = {}

    def stands(node: str) -> float:
        stack = [node]
        while stack:  # iteratively, leaves first: a deep chain does not overflow the stack
            x = stack[-1]
            waiting = [a for a in attackers.get(x, ()) if a not in memo]
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            p = credence.get(x, 1.0)
            for a in attackers.get(x, ()):
                p *= 1 - memo[a]
            memo[x] = p
        return memo[node]
    return {c.id: stands(c.id) for c in amap.claims}


def settled(credence: dict[str, float], resolutions: Iterable[Any]) -> dict[str, float]:
    """A perspective after the world has answered: a claim resolved true holds (1), one
    resolved false does not (0), whoever believed otherwise; an ambiguous one is left."""
    out = dict(credence)
    for r in resolutions:
        if r.outcome in ("true", "false"):
            out[r.claim] = 1.0 if r.outcome == "true" else 0.0
    return out


def scores(resolutions: Iterable[Any], before: dict[tuple[str, str], float], bins: int = 10) -> dict[str, Any]:
    """Per person, over the claims resolved true or false that they had judged before: the
    Brier score (mean squared error; lower is better, 0.25 is a coin), the log score (mean
    natural log of the probability given to what happened, credences clipped to [0.01, 0.99];
    higher is better) and a calibration table (credence bins against the share that came true)."""
    outcome = {r.claim: r.outcome == "true" for r in resolutions if r.outcome in ("true", "false")}
    by_person: dict[str, list[tuple[str, float, bool]]] = {}
    for (claim, person), p in sorted(before.items()):
        if claim in outcome:
            by_person.setdefault(person, []).append((claim, p, outcome[claim]))
    people = []
    for person, rows in sorted(by_person.items()):
        brier = sum((p - o) ** 2 for _, p, o in rows) / len(rows)
        log = sum(math.log(min(max(p if o else 1 - p, CLIP), 1 - CLIP)) for _, p, o in rows) / len(rows)
        table = []
        for k in range(bins):
            lo, hi = k / bins, (k + 1) / bins
            inside = [(p, o) for _, p, o in rows if lo <= p < hi or (k == bins - 1 and p == 1.0)]
            if inside:
                table.append({"bin": [lo, hi], "n": len(inside), "mean_credence": round(sum(p for p, _ in inside) / len(inside), 4),
                              "share_true": round(sum(o for _, o in inside) / len(inside), 4)})
        people.append({"person": person, "claims": len(rows), "brier": round(brier, 6), "log": round(log, 6),
                       "calibration": table, "judged": [{"claim": c, "credence": p, "outcome": o} for c, p, o in rows]})
    return {"resolved": len(outcome), "scoring": "Brier (lower is better) and log score (natural log, "
            "credences clipped to [0.01, 0.99]; higher is better), each person's last credence before the "
            "resolution", "people": people}
