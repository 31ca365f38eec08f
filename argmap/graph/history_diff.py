"""What changed between two points of the history: rows added, removed or changed, and the
grounded statuses and computation checks that moved, each with the change that moved it.

Both points are read the same way, through ``Store.at`` (later changes reverted inside a
transaction that is rolled back). A status can move without its own claim being touched (an
objection added elsewhere), so to name the change that moved it the changes in between are
reverted one by one, newest first, and the labels compared at each step; past
``WALK_CHANGES`` changes or ``WALK_CLAIMS`` claims that walk is skipped and the whole range
is named instead.
"""

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from argmap.claims.store import Store

WALK_CHANGES = 200
WALK_CLAIMS = 20_000
SECTIONS = ("claims", "relations", "sources", "evidence", "computations", "judgements")


def _snapshot(store: "Store") -> dict[str, Any]:
    """Every item by its key, and the grounded label of every claim."""
    from argmap.claims.judgements import judgements
    from argmap.claims.store import sql
    from argmap.graph.status import grounded_labels_in_session
    amap = store.read_map()
    with store.transaction() as s:
        labels = grounded_labels_in_session(s)
        judged = judgements(sql(s, store.where))
    return {
        "claims": {(c.id,): {"text": c.text, "kind": c.kind, "base_score": c.base_score, "title": c.title}
                   for c in amap.claims},
        "relations": {(r.source, r.target): {"type": r.type} for r in amap.relations},
        "sources": {(s.id,): {"title": s.title, "author": s.author, "url": s.url, "date": s.date}
                    for s in amap.sources},
        "evidence": {(e.claim, e.source, e.quote): {"locator": e.locator} for e in amap.evidence},
        "computations": {(c.id,): {k: v for k, v in asdict(c).items() if k not in ("id", "result")}
                         for c in amap.computations},
        "judgements": {(j.claim, j.author): {"credence": j.credence} for j in judged},
        "labels": labels,
    }


_TABLE = {"claims": "claim", "relations": "relation", "sources": "source", "evidence": "evidence",
          "computations": "computation", "judgements": "judgement"}


def _movers(changes: list) -> dict[tuple, Any]:
    """Each row touched in the range -> the latest change that touched it (a computation's
    inputs count as the computation): one pass, whatever the number of items compared."""
    latest: dict[tuple, Any] = {}
    for change in changes:
        for row in change.rows:
            for identity in row.identities():
                latest[identity] = change
            if row.table == "computation_input":
                for identity in row.references():
                    latest[identity] = change
    return latest


def _who(change: Any) -> Optional[dict[str, Any]]:
    return None if change is None else {"rev": change.rev, "author": change.author, "command": change.command}


def diff(store: "Store", since: Optional[str] = None, to: Optional[str] = None) -> dict[str, Any]:
    """The differences from ``since`` (default: the revision before the last) to ``to`` (default: now)."""
    from argmap.claims import history
    from argmap.claims.store import sql
    with store.transaction() as s:
        db = sql(s, store.where)
        last = history.head(db)
        b = history.point(db, to, "--to") if to is not None else last
        a = history.point(db, since) if since is not None else max(b - 1, 0)
    if a > b:
        from argmap.errors import InvalidInput
        raise InvalidInput(f"--since ({a}) comes after --to ({b})")
    with store.at(str(a)) as old:
        before = _snapshot(old)
    with store.at(str(b) if b != last else None) as new:
        after = _snapshot(new)
    changes = store.history(str(a), str(b)) if b > a else []
    latest = _movers(changes)
    out: dict[str, Any] = {"from": a, "to": b, "changes": [_who(c) for c in changes]}
    for section in SECTIONS:
        old_items, new_items = before[section], after[section]
        table = _TABLE[section]
        out[section] = {
            "added": [{"key": list(k), **new_items[k], "change": _who(latest.get((table, *k)))}
                      for k in sorted(new_items.keys() - old_items.keys())],
            "removed": [{"key": list(k), **old_items[k], "change": _who(latest.get((table, *k)))}
                        for k in sorted(old_items.keys() - new_items.keys())],
            "changed": [{"key": list(k), "fields": {f: [old_items[k].get(f), v] for f, v in new_items[k].items()
                                                    if old_items[k].get(f) != v},
                         "change": _who(latest.get((table, *k)))}
                        for k in sorted(old_items.keys() & new_items.keys()) if old_items[k] != new_items[k]]}
    out["checks"] = [{"computation": k[0], "claim": after["computations"][k]["claim"],
                      "before": before["computations"][k]["check"], "after": after["computations"][k]["check"],
                      "change": _who(latest.get(("computation", *k)))}
                     for k in sorted(before["computations"].keys() & after["computations"].keys())
                     if before["computations"][k]["check"] != after["computations"][k]["check"]]
    moved = sorted(c for c in before["labels"].keys() & after["labels"].keys()
                   if before["labels"][c] != after["labels"][c])
    movers = _walk(store, changes, b, set(moved), after["labels"]) if moved else {}
    out["statuses"] = [{"id": c, "before": before["labels"][c], "after": after["labels"][c],
                        "change": _who(movers.get(c)),
                        **({} if c in movers else {"between": [a, b]})} for c in moved]
    return out


def _walk(store: "Store", changes: list, b: int, moved: set[str], final: dict[str, str]) -> dict[str, Any]:
    """For each claim in ``moved``, the latest change in ``changes`` after which its label was
    what it is at ``b``: the changes reverted one by one, newest first, in one transaction
    that is rolled back."""
    from argmap.claims import history
    from argmap.claims.store import sql
    from argmap.graph.status import grounded_labels_in_session
    if len(changes) > WALK_CHANGES or len(final) > WALK_CLAIMS:
        return {}
    found: dict[str, Any] = {}
    current = final
    with store.at(str(b)) as pinned, pinned.transaction() as s:
        db = sql(s, store.where)
        for change in reversed(changes):
            history.revert(db, change)
            earlier = grounded_labels_in_session(s)
            for c in moved - found.keys():
                if current.get(c) != earlier.get(c):
                    found[c] = change
            if found.keys() >= moved:
                break
            current = earlier
    return found
