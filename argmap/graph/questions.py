"""Critical questions: which of an argument's are open, which answered and by what, and what
status follows when the analyst puts the burden on them.

By default an open question is shown, not counted ("2 of 6 critical questions open"). With
the burden ``open-questions``, each open question the scheme marks as an *exception*
(Carneades' distinction: an assumption is presumed until questioned, an exception must be
ruled out) leaves its argument undecided until it is answered: a self-attacking stand-in for
the open question attacks the argument, which grounded semantics then cannot settle, and so
neither what rests on it alone.
"""

import dataclasses
from typing import Any, Optional

import numpy as np

from argmap.claims.argument_map import ArgumentMap, MapArrays
from argmap.claims.catalogue import Scheme, find
from argmap.errors import InvalidInput, NotFound

BURDENS = ("none", "open-questions")


def check_burden(burden: str) -> str:
    if burden not in BURDENS:
        raise InvalidInput(f"unknown burden {burden!r}: use {' or '.join(BURDENS)}")
    return burden


def questions(amap: ArgumentMap, argument: str, labels: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """The critical questions of ``argument``'s scheme, each open or answered (by which claim,
    and that claim's label when ``labels`` are given)."""
    kinds = {c.id: c.kind for c in amap.claims}
    if argument not in kinds:
        raise NotFound(f"no claim with id {argument!r}")
    name = amap.schemes.get(argument)
    scheme = find(name) if name else None
    by = {a.question: a.claim for a in amap.answers if a.argument == argument}
    rows = []
    for q in scheme.questions if scheme else ():
        answered = by.get(q.id)
        rows.append({"id": q.id, "text": q.text, "about": q.about, "type": q.type,
                     "status": "answered" if answered else "open", "by": answered,
                     **({"by_label": labels.get(answered)} if labels is not None and answered else {})})
    open_ = sum(1 for r in rows if r["status"] == "open")
    return {"argument": argument, "kind": kinds[argument], "scheme": name,
            "scheme_title": scheme.title if scheme else None, "known": scheme is not None,
            "questions": rows, "open": open_, "total": len(rows), "summary": summary(open_, len(rows), name, scheme)}


def summary(open_: int, total: int, name: Optional[str], scheme: Optional[Scheme]) -> str:
    if name is None:
        return "no scheme"
    if scheme is None:
        return f"scheme {name!r} (not in the catalogue: no questions)"
    return f"{scheme.name}: {open_} of {total} critical questions open"


def open_exceptions(amap: ArgumentMap) -> dict[str, list[str]]:
    """{argument: the ids of its open questions that its scheme marks as exceptions}."""
    answered: dict[str, set[str]] = {}
    for a in amap.answers:
        answered.setdefault(a.argument, set()).add(a.question)
    out: dict[str, list[str]] = {}
    for argument, name in sorted(amap.schemes.items()):
        scheme = find(name)
        if scheme is None:
            continue
        left = [q.id for q in scheme.open(answered.get(argument, set())) if q.type == "exception"]
        if left:
            out[argument] = left
    return out


def with_burden(arrays: MapArrays, pending: dict[str, list[str]]) -> MapArrays:
    """The arrays with a self-attacking stand-in for each argument's open exceptions, which
    attacks the argument (placed after the claims, as a failing check's argument is)."""
    if not pending:
        return arrays
    names = list(arrays.names)
    index = dict(arrays.index)
    src, dst = [], []
    for argument in sorted(pending):
        stand_in = f"{argument}?{','.join(pending[argument])}"
        index[stand_in] = len(names)
        names.append(stand_in)
        src += [index[stand_in], index[stand_in]]
        dst += [index[stand_in], index[argument]]
    extra = len(src)
    return dataclasses.replace(
        arrays, names=names, index=index,
        src=np.concatenate([arrays.src, np.array(src, dtype=arrays.src.dtype)]),
        dst=np.concatenate([arrays.dst, np.array(dst, dtype=arrays.dst.dtype)]),
        attack=np.concatenate([arrays.attack, np.ones(extra, dtype=bool)]),
        base=np.concatenate([arrays.base, np.ones(len(pending))]), labels=None, strengths=None)


def burden_status(amap: ArgumentMap, limit: Optional[int] = None) -> dict[str, Any]:
    """``status --burden open-questions``: the grounded table with open exceptions counted."""
    from argmap.graph.semantics.arrays import GroundedIndex
    from argmap.graph.semantics.reasons import reason
    pending = open_exceptions(amap)
    index = GroundedIndex(with_burden(amap.framework(), pending))
    rows = []
    for c in sorted(amap.claims, key=lambda c: (c.kind != "thesis", c.id)):
        row = {"id": c.id, "kind": c.kind, "text": c.text, **reason(index.attackers, index.label, c.id)}
        if c.id in pending and row["label"] == "UNDEC":
            row = {"id": c.id, "kind": c.kind, "text": c.text, "label": "UNDEC", "open_exceptions": pending[c.id],
                   "reason": f"undecided: its critical questions {', '.join(pending[c.id])} are open, and its scheme "
                             f"makes them exceptions (answer them: argmap ask {c.id} QUESTION)"}
        rows.append(row)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    return {"semantics": "grounded", "burden": "open-questions", "claims": rows[:limit] if limit else rows,
            "total": len(rows), "counts": counts, "open_exceptions": pending}
