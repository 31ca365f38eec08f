"""What would change the verdict: a map supposed otherwise, evaluated in memory, and the
smallest such suppositions that move one claim (its cruxes).

A supposition rejects claims (they leave the map, with their relations and computations),
accepts claims (attacks on them are ignored, so they stand), or sets computation inputs
(the checks are re-run and a check that now fails attacks its claim, one that now holds
no longer does). Nothing is written: the store is read once and the rest is arithmetic.
"""

import copy
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Callable, Optional

import numpy as np

from argmap.claims.argument_map import ArgumentMap, MapArrays, reach
from argmap.errors import InvalidInput, NotFound
from argmap.evidence.evaluate import dependants, evaluate_all, parse_assignment, parse_value
from argmap.graph.semantics.grounded import NAMES, Framework, grounded

REJECTED = "REJECTED"  # the status of a claim supposed out of the map
MAX_CANDIDATES_FOR_PAIRS = 400  # beyond this many relevant claims, cruxes of size 2 are not searched


@dataclass
class Supposition:
    reject: set[str] = field(default_factory=set)
    accept: set[str] = field(default_factory=set)
    inputs: dict[tuple[str, str], str] = field(default_factory=dict)  # (computation, input) -> value text

    def describe(self) -> dict[str, Any]:
        return {"reject": sorted(self.reject), "accept": sorted(self.accept),
                "set": {f"{c}.{i}": v for (c, i), v in sorted(self.inputs.items())}}


def parse_setting(text: str) -> tuple[tuple[str, str], str]:
    """``c4.synapses=1e14`` -> (("c4", "synapses"), "1e14")."""
    target, value = parse_assignment(text.replace(".", "_DOT_", 1))
    comp, _, name = target.partition("_DOT_")
    if not comp or not name:
        raise InvalidInput(f"cannot read {text!r}: write COMPUTATION.INPUT=VALUE, e.g. c4.synapses=1e14")
    parse_value(value)
    return (comp, name), value


def with_inputs(amap: ArgumentMap, inputs: dict[tuple[str, str], str]) -> ArgumentMap:
    """The map with those inputs set and every computation they reach re-run (in memory)."""
    if not inputs:
        return amap
    defs = {c.id: copy.deepcopy(c) for c in amap.computations}
    for (comp, name), value in inputs.items():
        if comp not in defs:
            raise NotFound(f"no computation with id {comp!r}")
        inp = defs[comp].input(name)
        inp.low, inp.high, inp.ref = parse_value(value)
    changed = {comp for comp, _ in inputs}
    done = evaluate_all(defs, changed | dependants(defs, changed))
    for cid, outcome in done.items():
        defs[cid].result = outcome.result
        check = outcome.result.get("check")
        defs[cid].check = check["outcome"] if check else None
    return ArgumentMap(amap.claims, amap.relations, amap.sources, amap.evidence,
                       [defs[c.id] for c in amap.computations])


def grounded_labels(arrays: MapArrays, reject: set[str] = frozenset(), accept: set[str] = frozenset()) -> dict[str, str]:
    """Grounded label of every claim with ``reject`` taken out and attacks on ``accept`` ignored."""
    af = arrays.framework()
    keep = np.ones(af.src.size, dtype=bool)
    for name in reject:
        i = arrays.index[name]
        keep &= (af.src != i) & (af.dst != i)
    for name in accept:
        keep &= af.dst != arrays.index[name]
    labels = grounded(Framework(af.n, af.src[keep], af.dst[keep]))
    out = {arrays.names[i]: NAMES[int(v)] for i, v in enumerate(labels[: arrays.claims])}
    for name in reject:
        out[name] = REJECTED
    return out


def check_ids(amap: ArgumentMap, ids: set[str]) -> None:
    known = amap.claim_ids()
    for cid in sorted(ids):
        if cid not in known:
            raise NotFound(f"no claim with id {cid!r}")


def whatif(amap: ArgumentMap, sup: Supposition, view: Optional[tuple[set[str], set[str]]] = None) -> dict[str, Any]:
    """Every check and grounded status that moves under the supposition; with ``view``
    ((accepted, rejected): a perspective's verdicts), from that view, the supposition
    overriding it where they meet."""
    check_ids(amap, sup.reject | sup.accept)
    if sup.reject & sup.accept:
        raise InvalidInput(f"{sorted(sup.reject & sup.accept)[0]!r} cannot be both rejected and accepted")
    accepted, rejected = view or (set(), set())
    before = grounded_labels(amap.framework(), rejected, accepted)
    changed_map = with_inputs(amap, sup.inputs)
    after = grounded_labels(changed_map.framework(), (rejected - sup.accept) | sup.reject,
                            (accepted - sup.reject) | sup.accept)
    old_checks = {c.id: c.check for c in amap.computations}
    checks = [{"id": c.id, "claim": c.claim, "before": old_checks[c.id], "after": c.check,
               "result": {k: (c.result or {}).get(k) for k in ("p5", "p50", "p95")}}
              for c in changed_map.computations if c.check != old_checks[c.id]]
    moved = [{"id": cid, "before": before[cid], "after": after[cid]} for cid in sorted(before)
             if before[cid] != after[cid]]
    return {**sup.describe(), "checks": checks, "statuses": moved}


# --- cruxes --------------------------------------------------------------------------------------

class Relabeller:
    """The grounded labelling after rejecting or accepting a few arguments, worked out only
    where it can change: the arguments reachable by attacks from the supposed ones, with
    every other argument held at its stored label. So a crux search on a large map costs
    what each supposition can reach, not a relabelling of the whole map per candidate."""

    def __init__(self, arrays: MapArrays, absent: frozenset[int] = frozenset()):
        """``absent``: arguments left out of the stored labelling (base label -1), which a
        relabelling may ``restore`` (the attack of a check that fails only in some draws)."""
        from argmap.graph.semantics.grounded import csr
        af = arrays.framework()
        self.arrays, self.absent = arrays, set(absent)
        if absent:
            keep = ~(np.isin(af.src, list(absent)) | np.isin(af.dst, list(absent)))
            self.base = grounded(Framework(af.n, af.src[keep], af.dst[keep]))
            self.base[list(absent)] = -1
        else:
            self.base = grounded(af)
        out_ptr, out_tgt = csr(af.n, af.src, af.dst)
        in_ptr, in_src = csr(af.n, af.dst, af.src)
        self.out = [out_tgt[out_ptr[i]:out_ptr[i + 1]].tolist() for i in range(af.n)]
        self.attackers = [in_src[in_ptr[i]:in_ptr[i + 1]].tolist() for i in range(af.n)]
        self.height = None if absent else self._heights(af.n, af.src, in_ptr, in_src)
        self.base_list = self.base.tolist()

    def _heights(self, n: int, src: np.ndarray, in_ptr: np.ndarray, in_src: np.ndarray) -> np.ndarray:
        """For each argument from which no cycle of attacks can be reached, a height above
        everything it attacks (-1 for the others): peeled from the arguments that attack
        nothing. Where a change reaches only such arguments, labels follow in height order."""
        from argmap.graph.semantics.grounded import peel
        height = np.full(n, -1, dtype=np.int64)
        for level, wave in enumerate(peel(in_ptr, in_src, np.bincount(src, minlength=n))):  # by targets left
            height[wave] = level
        return height

    def _propagated(self, reject: set[int], accept: set[int]) -> Optional[dict[int, int]]:
        """``relabel`` where no supposed argument reaches a cycle of attacks: each argument
        reached is labelled from its attackers, highest first, and only a label that moved
        goes on to what it attacks (exact there: off cycles a grounded label is fixed by its
        attackers'). None where a cycle may be reached."""
        from heapq import heappop, heappush
        starts = reject | accept
        height, base, out, attackers = self.height, self.base_list, self.out, self.attackers
        if any(height[s] < 0 for s in starts):
            return None
        label = {v: -1 for v in reject}
        label.update({v: 1 for v in accept})
        heap: list[tuple[int, int]] = []
        queued: set[int] = set(starts)
        for s in starts:
            for t in out[s]:
                if t not in queued:
                    queued.add(t)
                    heappush(heap, (-int(height[t]), t))
        while heap:
            t = heappop(heap)[1]
            new = 1
            for a in attackers[t]:
                got = label.get(a)
                got = base[a] if got is None else got
                if got == 1:
                    new = 2
                    break
                if got == 0:
                    new = 0
            if new != base[t]:
                label[t] = new
                for u in out[t]:
                    if u not in queued:
                        queued.add(u)
                        heappush(heap, (-int(height[u]), u))
        return {v: code for v, code in label.items() if code != base[v]}

    def relabel(self, reject: set[int], accept: set[int], within: Optional[set[int]] = None,
                restore: frozenset[int] = frozenset()) -> dict[int, int]:
        """{argument: new label code} for every argument whose label moves (-1: rejected);
        with ``within``, only among those arguments (enough to decide one claim: its
        attackers' attackers... are all it depends on)."""
        from collections import deque
        if self.height is not None and not restore:
            fast = self._propagated(reject, accept)
            if fast is not None:
                return fast if within is None else {v: c for v, c in fast.items() if v in within or v in reject or v in accept}
        gone = (self.absent - restore) | reject if self.absent else reject
        region: set[int] = set()
        todo = list(reject | accept | restore)
        while todo:
            for t in self.out[todo.pop()]:
                if t not in region and t not in gone and (within is None or t in within):
                    region.add(t)
                    todo.append(t)
        region |= (accept | restore) - gone
        IN_, OUT_ = 1, 2
        label: dict[int, int] = {}
        left: dict[int, int] = {}
        ins, outs = deque(), deque()
        for v in region:
            count, beaten = 0, False
            if v not in accept:
                for a in self.attackers[v]:
                    if a in gone:
                        continue
                    if a in region:
                        count += 1
                    elif self.base[a] == IN_:
                        beaten = True
                    elif self.base[a] != OUT_:
                        count += 1  # an undecided attacker outside stays so: never IN
            left[v] = count
            if beaten:
                label[v] = OUT_
                outs.append(v)
        for v in region:
            if v not in label and left[v] == 0:
                label[v] = IN_
                ins.append(v)
        while ins or outs:
            while outs:
                for u in self.out[outs.popleft()]:
                    if u in region and u not in accept and u not in label:
                        left[u] -= 1
                        if left[u] == 0:
                            label[u] = IN_
                            ins.append(u)
            if ins:
                for t in self.out[ins.popleft()]:
                    if t in region and t not in accept and t not in label:
                        label[t] = OUT_
                        outs.append(t)
        moved = {v: label.get(v, 0) for v in region if label.get(v, 0) != self.base[v]}
        moved.update({v: -1 for v in reject if self.base[v] != -1})
        return moved

    def name(self, code: int) -> str:
        return REJECTED if code == -1 else NAMES[code]


def attack_ancestors(arrays: MapArrays, claim: str) -> set[str]:
    """The claims whose rejection or acceptance can move ``claim``'s grounded label: those
    with a path of attacks to it (a grounded label depends on nothing else)."""
    af = arrays.framework()
    attackers: dict[int, list[int]] = {}
    for s, d in zip(af.src.tolist(), af.dst.tolist()):
        attackers.setdefault(d, []).append(s)
    start = arrays.index[claim]
    seen = reach([start], attackers)
    seen.discard(start)
    return {arrays.names[i] for i in seen if i < arrays.claims}


def cruxes(amap: ArgumentMap, claim: str, max_size: int = 2) -> dict[str, Any]:
    """The minimal sets (up to ``max_size``) of claims whose rejection, or whose acceptance,
    changes ``claim``'s grounded status; by size, then by how many other claims they move."""
    check_ids(amap, {claim})
    if max_size < 1:
        raise InvalidInput("--max-size must be 1 or more")
    return cruxes_of_arrays(amap.framework(), claim, max_size)


def minimal_sets(candidates: list[str], sizes: range,
                 attempt: Callable[[str, frozenset[str]], Optional[tuple[str, list[str]]]]) -> dict[str, list[dict]]:
    """For rejection and for acceptance: the sets of candidates, by size, that ``attempt``
    says move the claim (its new status, and what else moves), leaving out any set that
    contains one already found; ranked by size, then by how much else moves."""
    found: dict[str, list[dict[str, Any]]] = {"reject": [], "accept": []}
    for action in ("reject", "accept"):
        minimal: list[frozenset[str]] = []
        for size in sizes:
            for group in combinations(candidates, size):
                ids = frozenset(group)
                if any(m <= ids for m in minimal):
                    continue
                moved = attempt(action, ids)
                if moved is not None:
                    minimal.append(ids)
                    found[action].append({"ids": sorted(ids), "status": moved[0], "also_moves": moved[1]})
        found[action].sort(key=lambda x: (len(x["ids"]), -len(x["also_moves"]), x["ids"]))
    return found


def view_arrays(arrays: MapArrays, accepted: set[str]) -> MapArrays:
    """The arrays without the attacks on ``accepted`` claims (a view that accepts them)."""
    import dataclasses
    if not accepted:
        return arrays
    codes = np.array(sorted(arrays.index[x] for x in accepted), dtype=np.int64)
    keep = ~(arrays.attack & np.isin(arrays.dst, codes))
    return dataclasses.replace(arrays, src=arrays.src[keep], dst=arrays.dst[keep], attack=arrays.attack[keep],
                               labels=None, strengths=None)


def cruxes_of_arrays(arrays: MapArrays, claim: str, max_size: int = 2,
                     view: Optional[tuple[set[str], set[str]]] = None) -> dict[str, Any]:
    """``cruxes`` on the arrays; with ``view`` ((accepted, rejected): a perspective's
    verdicts), the smallest sets that, on top of that view, change the claim's label in it:
    rejecting claims the view keeps, accepting claims it rejects or leaves open."""
    accepted, rejected = view or (set(), set())
    arrays = view_arrays(arrays, accepted)
    absent = frozenset(arrays.index[x] for x in rejected)
    relabel = Relabeller(arrays, absent)
    target = arrays.index[claim]
    base = relabel.name(int(relabel.base[target]))
    candidates = sorted(attack_ancestors(arrays, claim))
    relevant = {arrays.index[x] for x in candidates} | {target}
    sizes = range(1, max_size + 1) if len(candidates) <= MAX_CANDIDATES_FOR_PAIRS else range(1, 2)

    def attempt(action: str, ids: frozenset[str]) -> Optional[tuple[str, list[str]]]:
        codes = {arrays.index[x] for x in ids}
        if len(codes) == 1 and int(relabel.base[next(iter(codes))]) == (2 if action == "reject" else 1):
            return None  # rejecting an OUT claim or accepting an IN one moves nothing
        if action == "reject" and codes & absent:
            return None  # the view rejects it already
        reject, accept = (codes, set()) if action == "reject" else (set(), codes)
        restore = frozenset(codes & absent) if action == "accept" else frozenset()
        if target not in relabel.relabel(reject, accept, relevant, restore):
            return None
        moved = relabel.relabel(reject, accept, restore=restore)  # again, everywhere: what else it moves
        return relabel.name(moved[target]), sorted(arrays.names[v] for v in moved
                                                    if v < arrays.claims and v != target and arrays.names[v] not in ids)

    found = minimal_sets(candidates, sizes, attempt)
    return {"claim": claim, "status": base, "semantics": "grounded", "max_size": max(sizes),
            "candidates": len(candidates), "reject": found["reject"], "accept": found["accept"]}


def break_even(amap: ArgumentMap, claim: str, window: float = 1000.0, steps: int = 24,
               bisect: int = 20) -> list[dict[str, Any]]:
    """For each plain input of the computations whose checks can reach ``claim`` (through the
    attack a failing check makes), the value at which ``claim``'s grounded status flips,
    searched over ``window`` times the input's range on each side (log scale)."""
    check_ids(amap, {claim})
    return break_even_all(amap, {claim}, window, steps, bisect).get(claim, [])


def break_even_all(amap: ArgumentMap, claims: Optional[set[str]] = None, window: float = 1000.0, steps: int = 24,
                   bisect: int = 20) -> dict[str, list[dict[str, Any]]]:
    """``break_even`` for many claims at once: one evaluation of an input's value labels every
    claim, so the search costs the same for one claim or all of them."""
    arrays = amap.framework()
    stored = grounded_labels(arrays)
    claims = set(stored) if claims is None else claims
    reachable: set[str] = set()
    for claim in claims:
        reachable |= attack_ancestors(arrays, claim) | {claim}
    evidence = {e.id: e for e in amap.evidence}
    inputs_of = {c.id: [i.ref for i in c.inputs if i.ref] for c in amap.computations}
    checked = {c.id for c in amap.computations if c.claim in reachable}
    upstream = checked | reach(checked, inputs_of)  # a computation's inputs may be other computations
    rows: dict[str, list[dict[str, Any]]] = {}
    for comp in amap.computations:
        if comp.id not in upstream:
            continue
        for inp in comp.inputs:
            if inp.ref is not None or inp.low is None or inp.low <= 0:
                continue
            now = inp.low if inp.high is None else float(np.sqrt(inp.low * inp.high))
            seen: dict[float, dict[str, str]] = {}

            def labels_at(value: float) -> dict[str, str]:
                if value not in seen:
                    changed = with_inputs(amap, {(comp.id, inp.name): repr(float(value))})
                    seen[value] = grounded_labels(changed.framework())
                return seen[value]

            grid = sorted({float(v) for v in np.geomspace(inp.low / window, (inp.high or inp.low) * window, steps)}
                          | {float(inp.low), float(inp.high or inp.low), now})  # never step over the present
            for left, right in zip(grid, grid[1:]):
                moving = sorted(c for c in claims if labels_at(left)[c] != labels_at(right)[c])
                if not moving:
                    continue
                lo, hi = left, right
                for _ in range(bisect):
                    mid = float(np.sqrt(lo * hi))
                    if all(labels_at(mid)[c] == labels_at(left)[c] for c in moving):
                        lo = mid
                    else:
                        hi = mid
                point = float(np.sqrt(lo * hi))
                ev = evidence.get(inp.evidence_id)
                for claim in moving:
                    rows.setdefault(claim, []).append({
                        "computation": comp.id, "input": inp.name, "unit": inp.unit, "now": now,
                        "range": [inp.low, inp.high] if inp.high is not None else None, "at": point,
                        "below": labels_at(left)[claim], "above": labels_at(right)[claim], "current": stored[claim],
                        "quote": None if ev is None else {"source": ev.source, "title": ev.source_title,
                                                         "quote": ev.quote, "locator": ev.locator}})
    return rows


def break_even_text(claim: str, row: dict[str, Any]) -> str:
    """'data-black-hole stands if `synapses` falls below X (now Y, from the quote ... in ...)'."""
    unit = f" {row['unit']}" if row["unit"] else ""
    below_moves = row["below"] != row["current"]  # which side of the point is the change
    becomes = row["below"] if below_moves else row["above"]
    what = "stands" if becomes == "IN" else f"becomes {becomes}"
    direction = "falls below" if below_moves else "rises above"
    text = f"{claim} {what} if `{row['input']}` ({row['computation']}) {direction} {row['at']:.3g}{unit} " \
           f"(now {row['now']:.3g}{unit}"
    if row["quote"]:
        q = row["quote"]
        text += f", from the quote \"{q['quote'][:80]}\" in {q['title'] or q['source']}"
    return text + ")"


MAX_EXTENSION_CANDIDATES = 200  # clingo enumerates extensions once per supposition


def cruxes_extension(amap: ArgumentMap, claim: str, max_size: int = 2, semantics: str = "preferred",
                     timeout: float = 30.0) -> dict[str, Any]:
    """Cruxes under preferred, stable or complete semantics, where a claim's status is how it
    is accepted: in every extension (sceptical), in some (credulous), or in none (rejected).
    Preferred and complete acceptance depends only on a claim's attack ancestors; under
    stable semantics any claim can matter (an odd cycle elsewhere can leave no extension)."""
    from argmap.graph.semantics.asp import acceptance_table
    from argmap.graph.status import framework_of
    check_ids(amap, {claim})
    if max_size < 1:
        raise InvalidInput("--max-size must be 1 or more")
    af = framework_of(amap.to_networkx())
    claims = sorted(amap.claim_ids())
    if semantics == "stable":
        candidates = [c for c in claims if c != claim]
    else:
        candidates = sorted(attack_ancestors(amap.framework(), claim))
    if len(candidates) > MAX_EXTENSION_CANDIDATES:
        raise InvalidInput(f"{len(candidates)} claims could move {claim!r} under {semantics} semantics, more than "
                           f"the {MAX_EXTENSION_CANDIDATES} a search with clingo tries: use --semantics grounded")
    sizes = range(1, max_size + 1) if len(candidates) <= 30 else range(1, 2)
    timed_out = False

    def statuses(reject: frozenset, accept: frozenset) -> dict[str, str]:
        nonlocal timed_out
        g = af.copy()
        g.remove_nodes_from(reject)
        g.remove_edges_from([(u, v) for u, v in list(g.edges) if v in accept])
        table = acceptance_table(g, semantics, timeout)
        timed_out = timed_out or table["timed_out"]
        out = {c: table["claims"][c]["label"] for c in claims if c in table["claims"]}
        out.update({c: REJECTED for c in reject})
        return out

    base = statuses(frozenset(), frozenset())
    def attempt(action: str, ids: frozenset[str]) -> Optional[tuple[str, list[str]]]:
        now = statuses(ids, frozenset()) if action == "reject" else statuses(frozenset(), ids)
        if now[claim] == base[claim]:
            return None
        return now[claim], sorted(c for c in claims if c not in ids and c != claim and now[c] != base[c])

    found = minimal_sets(candidates, sizes, attempt)
    return {"claim": claim, "status": base[claim], "semantics": semantics, "max_size": max(sizes),
            "candidates": len(candidates), "timed_out": timed_out, "reject": found["reject"], "accept": found["accept"]}
