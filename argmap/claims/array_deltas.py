"""Kept arrays patched with what the change log says changed since they were kept.

Every change to a claim, relation or computation row moves the generation by one and writes
one row to ``change_row`` (both by row triggers, on both engines: ``argmap.claims.triggers``).
So when the log's rows of those three tables since the kept arrays' ``logged`` are exactly
as many as the generation moved, they are the whole change and the arrays can be patched in
time that follows the change: each claim and relation set to its last image (so applying a
change twice is harmless), the failing checks read again if a computation changed, every
index shifted in one numpy pass. Anything else (a bulk import's one entry, a TRUNCATE, a
renamed claim, a trigger gone, a change bigger than a twentieth of the map, a writer that
committed while we read) and the reader builds from the rows, as before.

Ordering: the kept row's ``logged`` is read before the generation, and on PostgreSQL a row's
generation trigger (``bump_*``) fires before its log trigger (``log_*``, alphabetical) and
locks the counter until commit, so the three tables' log rows are numbered in commit order.
"""

import json
from bisect import bisect_left
from typing import Any, Callable, Optional

from argmap.claims.argument_map import CALC_PREFIX, FAILING_SQL, MapArrays, NameIndex, with_checks
from argmap.claims.connection import Sql

IN_TABLES = "tbl IN ('claim', 'relation', 'computation')"
MIN_LIMIT = 1000  # changes patched whatever the map's size


def last_logged(db: Sql) -> int:
    """The newest row of the change log about the three tables (0: none yet)."""
    row = db.one(f"SELECT id FROM change_row WHERE {IN_TABLES} ORDER BY id DESC LIMIT 1")
    return 0 if row is None else int(row[0])


def limit(claims: int, relations: int) -> int:
    """How many logged changes are patched rather than rebuilt from the rows."""
    return max(MIN_LIMIT, (claims + relations) // 20)


def patched(db: Sql, row: tuple, now: int, decode: Callable[[tuple, int], MapArrays]) -> Optional[MapArrays]:
    """The kept arrays (``row`` as ``kept_arrays.kept_or_built`` read it, ``decode`` making
    arrays of it) brought to generation ``now`` from the change log, or None when the log
    cannot be trusted to say it all."""
    import numpy as np
    kept_generation, logged = int(row[0]), int(row[10])
    moved = now - kept_generation
    if moved <= 0 or moved > limit(int(row[1]), len(row[4]) // 4):
        return None
    deltas = db.all(f"SELECT id, tbl, op, before, after FROM change_row WHERE id > ? AND {IN_TABLES} "
                    "ORDER BY id LIMIT ?", (logged, moved + 1))
    if len(deltas) != moved or any(d[2] not in ("insert", "update", "delete") for d in deltas):
        return None
    ids = db.one("SELECT relation_ids FROM kept_arrays WHERE id = 1 AND generation = ?", (kept_generation,))
    if ids is None or ids[0] is None:
        return None
    arrays = decode(row[1:10], now)  # its labels (if kept) are the old map's: the hint for relabelling
    arrays.relation_ids = np.frombuffer(bytes(ids[0]), dtype="<i4").astype(np.int64)
    try:
        out = apply(arrays, deltas, lambda: [tuple(r) for r in db.all(FAILING_SQL)])
    except (KeyError, ValueError, TypeError):  # an image that does not fit the arrays: rebuild
        return None
    if out is not None:
        out.logged = int(deltas[-1][0])
    return out


def net_change(deltas: list) -> Optional[tuple[dict, dict, set, bool]]:
    """(claim id -> last base score or None if removed, relation row id -> last (source,
    target, is attack) or None if removed, the targets of every relation touched, whether a
    computation changed); None if a claim was renamed (its relations follow it by a cascade:
    rebuilt)."""
    claims: dict[str, Optional[float]] = {}
    relations: dict[int, Optional[tuple[str, str, bool]]] = {}
    targets: set[str] = set()  # claims whose attackers (or supporters) may have changed
    checks = False
    for _, table, op, before, after in deltas:
        if table == "computation":
            checks = True
            continue
        old = json.loads(before) if before else None
        new = json.loads(after) if after else None
        if table == "claim":
            if op == "update" and old["id"] != new["id"]:
                return None
            if op == "delete":
                claims[old["id"]] = None
            else:
                claims[new["id"]] = float(new["base_score"])
        else:
            targets.update(image["target_id"] for image in (old, new) if image)
            if op != "insert":
                relations[int(old["id"])] = None
            if op != "delete":
                kind = new["type"]
                relations[int(new["id"])] = ((new["source_id"], new["target_id"], kind == "attacks")
                                             if kind in ("attacks", "supports") else None)
    return claims, relations, targets, checks


def apply(arrays: MapArrays, deltas: list, read_failing: Callable[[], list]) -> Optional[MapArrays]:
    """The arrays after ``deltas`` (rows of ``change_row``, in order), as a build from the rows
    would make them: claims by id, then attacks and supports each by relation id, then checks."""
    import numpy as np
    change = net_change(deltas)
    if change is None:
        return None
    claims, relations, targets, checks = change
    n, k = arrays.claims, len(arrays.relation_ids)
    names = arrays.names[:n]
    if len(arrays.names) - n != len(arrays.src) - k:
        return None

    def old_index(c: str) -> int:  # by bisection: a miss must not make NameIndex build its dict
        i = bisect_left(names, c)
        return i if i < n and names[i] == c else -1
    failing = None if checks else [(arrays.names[s][len(CALC_PREFIX):], names[d])
                                   for s, d in zip(arrays.src[k:].tolist(), arrays.dst[k:].tolist())]

    # claims: removed, added (by id), base scores
    removed = np.array(sorted(i for i in (old_index(c) for c, v in claims.items() if v is None) if i >= 0),
                       dtype=np.int64)
    added = sorted(c for c, v in claims.items() if v is not None and old_index(c) < 0)
    if removed.size:
        gone = set(removed.tolist())
        remaining = [name for i, name in enumerate(names) if i not in gone]
    else:
        remaining = names
    at = [bisect_left(remaining, c) for c in added]
    new_names: list[str] = []
    start = 0
    for pos, c in zip(at, added):
        new_names.extend(remaining[start:pos])
        new_names.append(c)
        start = pos
    new_names.extend(remaining[start:])
    at_arr = np.array(at, dtype=np.int64)
    if removed.size:
        old = np.arange(n, dtype=np.int64)
        kept_pos = old - np.searchsorted(removed, old)  # where each old claim is among the remaining
        mapping = kept_pos + np.searchsorted(at_arr, kept_pos, side="right")
        mapping[removed] = -1
        base = np.empty(len(new_names))
        alive = mapping >= 0
        base[mapping[alive]] = arrays.base[:n][alive]
    else:  # the common case: claims added (or none), every index after each moves up by one
        base = spliced(arrays.base[:n], at_arr, [claims[c] for c in added])
    index = NameIndex(new_names, len(new_names))
    for c, v in claims.items():
        if v is not None:
            base[index[c]] = v

    def renumber(x: Any) -> Any:
        if removed.size:
            return mapping[x]
        return x + np.searchsorted(at_arr, x, side="right") if added else x

    # relations: those touched leave, the rest are renumbered, the touched come back in place
    ids, src, dst, attack = arrays.relation_ids, arrays.src[:k], arrays.dst[:k], arrays.attack[:k]
    if relations:
        stay = np.isin(ids, np.fromiter(relations, dtype=np.int64, count=len(relations)), invert=True)
        if not stay.all():
            ids, src, dst, attack = ids[stay], src[stay], dst[stay], attack[stay]
    src, dst = renumber(src), renumber(dst)
    if removed.size and ((src < 0).any() or (dst < 0).any()):  # a relation of a removed claim the log did not mention
        return None
    fresh = sorted((rid, index[v[0]], index[v[1]], v[2]) for rid, v in relations.items() if v is not None)
    if fresh:  # a pair is one relation: a row that replaced another of the same pair (REPLACE) leaves one
        if len(fresh) <= 8:
            taken = np.zeros(len(src), dtype=bool)
            for _, s_, d_, _ in fresh:
                taken |= (src == s_) & (dst == d_)
        else:
            width = len(new_names)
            taken = np.isin(src * width + dst, np.array([s_ * width + d_ for _, s_, d_, _ in fresh], dtype=np.int64))
        if taken.any():
            ids, src, dst, attack = ids[~taken], src[~taken], dst[~taken], attack[~taken]
    attacks = int(np.count_nonzero(attack))
    if not attack[:attacks].all():  # not attacks then supports: not arrays this module made
        return None
    parts = []
    for kind, block in ((True, slice(None, attacks)), (False, slice(attacks, None))):
        b_ids, b_src, b_dst = ids[block], src[block], dst[block]
        more = [f for f in fresh if f[3] == kind]
        if more:
            where = np.searchsorted(b_ids, np.array([f[0] for f in more], dtype=np.int64))
            b_ids, b_src, b_dst = (spliced(b_ids, where, [f[0] for f in more]), spliced(b_src, where, [f[1] for f in more]),
                                   spliced(b_dst, where, [f[2] for f in more]))
        parts.append((b_ids, b_src, b_dst, len(b_ids)))
    attack = np.zeros(parts[0][3] + parts[1][3], dtype=bool)
    attack[:parts[0][3]] = True
    out = MapArrays(new_names, index, src=np.concatenate([parts[0][1], parts[1][1]]),
                    dst=np.concatenate([parts[0][2], parts[1][2]]), attack=attack, base=base,
                    claims=len(new_names), relation_ids=np.concatenate([parts[0][0], parts[1][0]]), made="patched")
    if arrays.labels is not None and failing is not None:  # the old labels where they were, for relabelling
        before = arrays.labels
        if removed.size:
            labels = np.zeros(len(new_names), dtype=np.int8)
            labels[mapping[alive]] = before[:n][alive]
        else:
            labels = spliced(before[:n], at_arr, [0] * len(added))
        def found(c: str) -> int:  # by bisection: a removed target must not make NameIndex build its dict
            i = bisect_left(new_names, c)
            return i if i < len(new_names) and new_names[i] == c else -1
        changed = [index[c] for c in added] + [i for i in map(found, targets) if i >= 0]
        out.hint = (np.concatenate([labels, before[n:]]), np.array(changed, dtype=np.int64))
    return with_checks(out, read_failing() if failing is None else failing)


def spliced(old: Any, where: Any, values: list) -> Any:
    """``old`` with ``values`` inserted before the positions ``where`` (ascending): one copy,
    where ``numpy.insert`` makes several."""
    import numpy as np
    parts, start = [], 0
    for w, v in zip(where.tolist(), values):
        parts += [old[start:w], np.array([v], dtype=old.dtype)]
        start = w
    parts.append(old[start:])
    return np.concatenate(parts)


def same(a: MapArrays, b: MapArrays) -> bool:
    """Whether two arrays of a map are the same, element for element (``argmap check``, tests)."""
    import numpy as np

    def eq(x: Any, y: Any) -> bool:
        return np.array_equal(np.asarray(x), np.asarray(y))
    return (a.names == b.names and a.claims == b.claims and eq(a.src, b.src) and eq(a.dst, b.dst)
            and eq(a.attack, b.attack) and eq(a.base, b.base))
