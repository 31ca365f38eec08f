"""How robust a status is: the map labelled again in many joint draws of its ranged inputs.

In each draw every ranged input takes one value (seeded, so a seed always gives the same
draws), each check is held against that point value (it holds when the value lies in the
stated band), a failing check attacks its claim, and the map is labelled (grounded). A
map has few distinct patterns of failing checks, so each pattern is labelled once.

Per claim: the share of draws in which it stands (IN), with a 95% Wilson interval; the
share in which its label differs from the stored one; and for each input, the share of
those flips that disappear when that input alone is held at its median (what drives them).
Only inputs that feed a check which flips are held (at most ``MAX_DRIVER_INPUTS`` of them,
those feeding the checks that flip most often); ``drivers_from`` lists them.
"""

import copy
import math
from typing import Any, Optional

import numpy as np

from argmap.claims.argument_map import ArgumentMap
from argmap.errors import InvalidInput
from argmap.evidence.evaluate import dependants, joint_draws, stated_band
from argmap.graph.semantics.grounded_many import grounded_many
from argmap.graph.whatif import grounded_labels

MAX_DRAWS = 1_000_000
MAX_DRIVER_INPUTS = 40  # inputs held at their median one by one: those feeding the checks that flip most
Z = 1.959963984540054  # 95%


def wilson(k: int, n: int) -> list[float]:
    if n == 0:
        return [0.0, 1.0]
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


class _Labeller:
    """Labels (int8 codes) of the map's claims for a pattern of failing checks and absent
    judged claims, each pattern worked out once. Few new patterns: incrementally, from the
    stored labelling, only what the changes can reach (``argmap.graph.whatif.Relabeller``);
    many (judged claims make nearly every draw its own): all at once, 64 to a machine word
    (``semantics.grounded_many``), the relabeller standing in if that does not settle."""

    def __init__(self, amap: ArgumentMap, checked: list[str], judged: tuple[str, ...] = ()):
        from argmap.claims.argument_map import CALC_PREFIX
        from argmap.graph.whatif import Relabeller
        all_fail = [copy.copy(c) for c in amap.computations]
        for c in all_fail:
            if c.id in checked:
                c.check = "fails"  # every checked computation gets its argument; patterns leave some out
        arrays = ArgumentMap(amap.claims, amap.relations, amap.sources, amap.evidence, all_fail).framework()
        self.calc = [arrays.index[CALC_PREFIX + cid] for cid in checked]
        stored = {c.id: c.fails for c in amap.computations}
        self.present = tuple(stored[cid] for cid in checked)
        self.framework = arrays.framework()
        self.relabeller = Relabeller(arrays, frozenset(i for i, on in zip(self.calc, self.present) if not on))
        self.judged = [arrays.index[c] for c in judged]  # claims that may be absent from a draw
        self.claims = arrays.claims
        self.names = arrays.names[: arrays.claims]
        self.cache: dict[bytes, np.ndarray] = {}

    def _one(self, pattern: np.ndarray) -> np.ndarray:
        checks, absent = pattern[:len(self.calc)], pattern[len(self.calc):]
        restore = frozenset(i for i, was, now in zip(self.calc, self.present, checks) if now and not was)
        reject = {i for i, was, now in zip(self.calc, self.present, checks) if was and not now}
        reject |= {i for i, gone in zip(self.judged, absent) if gone}
        codes = self.relabeller.base[: self.claims].astype(np.int8)
        for v, code in self.relabeller.relabel(reject, set(), None, restore).items():
            if v < self.claims:
                codes[v] = code if code >= 0 else OUT  # a rejected claim does not stand
        return codes

    def _many(self, patterns: np.ndarray) -> Optional[np.ndarray]:
        af = self.framework
        present = np.ones((patterns.shape[0], af.n), dtype=bool)
        if self.calc:
            present[:, self.calc] = patterns[:, :len(self.calc)]
        if self.judged:
            present[:, self.judged] = ~patterns[:, len(self.calc):]
        labels = grounded_many(af.n, af.src, af.dst, present)
        return None if labels is None else labels[:, : self.claims]

    def per_draw(self, fails: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct patterns' labels (patterns x claims) and each draw's pattern index."""
        if fails.shape[1] == 0:  # nothing varies: one pattern, the map as written
            if b"" not in self.cache:
                self.cache[b""] = self._one(fails[0] if len(fails) else np.zeros(0, dtype=bool))
            return self.cache[b""].reshape(1, -1), np.zeros(fails.shape[0], dtype=np.int64)
        packed = np.packbits(fails, axis=1)  # a draw's pattern as a few bytes: grouped far quicker than rows of bools
        rows = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
        _, first, index = np.unique(rows, return_index=True, return_inverse=True)
        patterns = fails[first]
        keys = [packed[i].tobytes() for i in first]
        new = [k for k, key in enumerate(keys) if key not in self.cache]
        labels = self._many(patterns[new]) if len(new) >= MANY_FROM else None
        for j, k in enumerate(new):
            self.cache[keys[k]] = labels[j] if labels is not None else self._one(patterns[k])
        return np.stack([self.cache[key] for key in keys]), index.reshape(-1)


IN, OUT = 1, 2
_NAMES = np.array(["UNDEC", "IN", "OUT"])
CODES = {"UNDEC": 0, "IN": IN, "OUT": OUT}
MANY_FROM = 32  # new patterns from which labelling them all at once beats one by one


def robustness(amap: ArgumentMap, draws: int = 1000, seed: int = 1,
               credences: Optional[dict[str, float]] = None) -> dict[str, Any]:
    """``credences``: {claim: the chance it is present} (a perspective's, ``perspectives``):
    in each draw each such claim is present with that chance, absent with its relations
    otherwise (the constellation approach), drawn from a stream of their own so that the
    inputs' draws are the same with or without them."""
    if not 1 <= draws <= MAX_DRAWS:
        raise InvalidInput(f"--draws must be from 1 to {MAX_DRAWS:,}")
    defs = {c.id: copy.deepcopy(c) for c in amap.computations}
    bands = {cid: stated_band(d) for cid, d in defs.items()}
    checked = sorted(cid for cid, band in bands.items() if band is not None)
    inputs = sorted((cid, i.name) for cid, d in defs.items() for i in d.inputs if i.is_range)
    known = amap.claim_ids()
    judged = tuple(sorted(c for c in (credences or {}) if c in known))
    labeller = _Labeller(amap, checked, judged)
    absent = (np.random.default_rng([seed, 1]).random((draws, len(judged)))
              >= np.array([credences[c] for c in judged])) if judged else np.zeros((draws, 0), dtype=bool)
    as_stored = grounded_labels(amap.framework())
    stored = np.array([CODES[as_stored[n]] for n in labeller.names], dtype=np.int8)

    def flipped(held: frozenset) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Labels per distinct pattern of failing checks, how many draws have each, each
        draw's pattern, and which checks fail in each draw."""
        values = joint_draws(defs, draws, seed, held) if defs else {}
        fails = np.column_stack([(values[c] < bands[c][0]) | (values[c] > bands[c][1]) for c in checked]) \
            if checked else np.zeros((draws, 0), dtype=bool)
        labels, index = labeller.per_draw(np.hstack([fails, absent]))
        counts = np.bincount(index, minlength=labels.shape[0])
        return labels, counts, index, fails

    labels, counts, index, fails = flipped(frozenset())
    varying = {c: float(min(f.mean(), 1 - f.mean())) for c, f in zip(checked, fails.T) if 0 < f.mean() < 1}
    feeds = {cid: {cid} | dependants(defs, [cid]) for cid in defs}
    weight = {(cid, name): max((varying[c] for c in feeds[cid] if c in varying), default=0.0) for cid, name in inputs}
    analysed = sorted((x for x in inputs if weight[x] > 0), key=lambda x: (-weight[x], x))[:MAX_DRIVER_INPUTS]
    stands = (counts[:, None] * (labels == IN)).sum(axis=0)
    flips = (counts[:, None] * (labels != stored)).sum(axis=0)
    drivers: dict[int, list[dict[str, Any]]] = {}
    moving = np.flatnonzero(flips)
    if moving.size:
        flip_draws = (labels[:, moving] != stored[moving])[index]  # draws x the claims that ever flip
        for cid, name in analysed:
            h_labels, _, h_index, _ = flipped(frozenset({(cid, name)}))
            still = (h_labels[:, moving] != stored[moving])[h_index]
            gone = (flip_draws & ~still).sum(axis=0)
            for j, claim in enumerate(moving):
                if gone[j]:
                    drivers.setdefault(int(claim), []).append(
                        {"input": f"{cid}.{name}", "share": round(float(gone[j]) / float(flips[claim]), 4)})
    by_claim = _claim_drivers((labels == IN)[index], absent, judged) if judged else {}
    rows = []
    kinds = {c.id: c.kind for c in amap.claims}
    for i, claim in enumerate(labeller.names):
        rows.append({"id": claim, "kind": kinds[claim], "label": str(_NAMES[stored[i]]),
                     "stands": round(float(stands[i]) / draws, 4), "ci": wilson(int(stands[i]), draws),
                     "flips": round(float(flips[i]) / draws, 4),
                     "drivers": sorted(drivers.get(i, []), key=lambda d: (-d["share"], d["input"])),
                     **({"claim_drivers": by_claim.get(i, [])} if judged else {})})
    rows.sort(key=lambda r: (r["kind"] != "thesis", r["id"]))
    extra = {"credences": {c: round(credences[c], 6) for c in judged}} if credences is not None else {}
    return {"semantics": "grounded", "draws": draws, "seed": seed, **extra,
            "inputs": [f"{c}.{n}" for c, n in inputs], "checks": checked,
            "drivers_from": [f"{c}.{n}" for c, n in sorted(analysed)], "claims": rows}



def _claim_drivers(stands: np.ndarray, absent: np.ndarray, judged: tuple[str, ...], top: int = 5) -> dict[int, list]:
    """For each claim whose standing varies, the judged claims whose presence explains most
    of its variance: the share each explains alone (the squared correlation of the two
    indicators, what a one-variable regression would explain)."""
    present = (~absent).astype(float)
    y = stands.astype(float)
    ys, xs = y.std(axis=0), present.std(axis=0)
    vary, move = np.flatnonzero(ys > 0), np.flatnonzero(xs > 0)
    out: dict[int, list] = {}
    if not vary.size or not move.size:
        return out
    yc = (y[:, vary] - y[:, vary].mean(axis=0)) / ys[vary]
    xc = (present[:, move] - present[:, move].mean(axis=0)) / xs[move]
    share = ((xc.T @ yc) / y.shape[0]) ** 2  # judged x claims
    for col, claim in enumerate(vary):
        order = np.argsort(-share[:, col], kind="stable")[:top]
        out[int(claim)] = [{"claim": judged[int(move[k])], "share": round(float(share[k, col]), 4)}
                           for k in order if share[k, col] >= 0.0005]
    return out
