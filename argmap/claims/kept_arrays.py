"""The argument graph kept as integer arrays in the store, rebuilt only when stale.

Reading a million claims' text ids and mapping them to integers is most of what ``status``
costs; the result changes only when claims, relations or computations do. So the arrays
(``MapArrays``) are kept in one row of ``kept_arrays`` as BLOBs, stamped with the store's
*generation*: a counter in ``meta`` that triggers (``argmap.claims.triggers``) bump on every
insert, update and delete of those three tables, whoever writes (the store, the quick path,
an import, a migration, or someone with the ``sqlite3`` shell). A reader takes the
generation first and the rows after, so arrays it keeps are never stamped newer than what
they were read from.

A write does not throw the arrays away: the next reader finds what changed since in the
change log (``change_row``, written by the same triggers) and patches them
(``argmap.claims.array_deltas``), in time that follows the change, not the map. The kept row
remembers the last logged row it reflects (``logged``) and the relations' row ids, which
place a new relation where a fresh scan would. The grounded labels and DF-QuAD strengths
computed from the arrays are kept in a row of their own (``kept_results``, same generation),
so that keeping them never rewrites the arrays' megabytes.
"""

from typing import Any, Callable, Optional

from argmap.claims import array_deltas
from argmap.claims.argument_map import MapArrays, NameIndex
from argmap.claims.connection import Sql


def _types(dialect: str) -> tuple[str, str]:
    """(bytes, big integer) in the dialect's words."""
    return ("BYTEA", "BIGINT") if dialect == "postgresql" else ("BLOB", "INTEGER")


def table_sql(dialect: str) -> list[str]:
    """The two tables (schema 4; as of schema 10)."""
    blob, big = _types(dialect)
    return [f"""CREATE TABLE kept_arrays (id INTEGER PRIMARY KEY CHECK (id = 1), generation {big} NOT NULL,
                claims INTEGER NOT NULL, names {blob} NOT NULL, base {blob} NOT NULL, src {blob} NOT NULL,
                dst {blob} NOT NULL, attack {blob} NOT NULL, logged {big}, relation_ids {blob})""",
            results_sql(dialect)]


def results_sql(dialect: str) -> str:
    blob, big = _types(dialect)
    return (f"CREATE TABLE kept_results (id INTEGER PRIMARY KEY CHECK (id = 1), generation {big} NOT NULL, "
            f"labels {blob}, strengths {blob}, converged INTEGER)")


KEPT_SQL = ("SELECT a.generation, a.claims, a.names, a.base, a.src, a.dst, a.attack, r.labels, r.strengths, "
            "r.converged, a.logged FROM kept_arrays a LEFT JOIN kept_results r ON r.id = 1 AND r.generation = a.generation "
            "WHERE a.id = 1")


def generation(db: Sql) -> Optional[int]:
    row = db.one("SELECT value FROM meta WHERE key = 'generation'")
    return None if row is None else int(row[0])


def encode(arrays: MapArrays) -> tuple:
    import numpy as np
    return (arrays.claims, "\n".join(arrays.names).encode("utf-8"), np.asarray(arrays.base, dtype="<f8").tobytes(),
            np.asarray(arrays.src, dtype="<i4").tobytes(), np.asarray(arrays.dst, dtype="<i4").tobytes(),
            np.asarray(arrays.attack, dtype=np.uint8).tobytes())


def decode(row: tuple, stamp: int) -> MapArrays:
    import numpy as np
    claims, names_blob, base, src, dst, attack, labels, strengths, converged = row
    names = bytes(names_blob).decode("utf-8").split("\n") if len(names_blob) else []
    return MapArrays(names=names, index=NameIndex(names, int(claims)),
                     src=np.frombuffer(bytes(src), dtype="<i4").astype(np.int64),
                     dst=np.frombuffer(bytes(dst), dtype="<i4").astype(np.int64),
                     attack=np.frombuffer(bytes(attack), dtype=np.uint8).astype(bool),
                     base=np.frombuffer(bytes(base), dtype="<f8").copy(), claims=int(claims), generation=stamp,
                     labels=None if labels is None else np.frombuffer(bytes(labels), dtype=np.int8).copy(),
                     strengths=None if strengths is None else np.frombuffer(bytes(strengths), dtype="<f8").copy(),
                     converged=None if converged is None else bool(converged), made="kept")


def _kept(db: Sql, now: int) -> Optional[MapArrays]:
    """The kept arrays if they are of generation ``now``."""
    row = db.one(KEPT_SQL)
    return decode(row[1:10], now) if row is not None and int(row[0]) == now else None


def kept_or_built(db: Sql, build: Callable[[], MapArrays]) -> MapArrays:
    """The kept arrays if they are of the store's generation; else the kept ones patched with
    what the change log says changed since, when it accounts for every change and the change
    is small; else ``build()``'s. Kept for the next reader when the store can be written (a
    read-only store just builds, or patches, each time)."""
    mark = array_deltas.last_logged(db)  # before the generation: see array_deltas
    now = generation(db)
    if now is None:
        return build()
    row = db.one(KEPT_SQL)
    if row is not None and int(row[0]) == now:
        return decode(row[1:10], now)
    arrays = array_deltas.patched(db, row, now, decode) if row is not None and row[10] is not None else None
    if arrays is not None:
        mark = arrays.logged
    else:
        arrays = build()
    if keep(db, arrays, now, mark):
        arrays.generation = now
    return arrays


def keep(db: Sql, arrays: MapArrays, stamp: int, logged: Optional[int] = None) -> bool:
    """Write the arrays; whether they were kept (not on a read-only file). ``logged``: the last
    row of the change log they reflect (None: the next change rebuilds them)."""
    import numpy as np
    ids = arrays.relation_ids
    ids = (None if ids is None or logged is None or (len(ids) and int(ids.max()) >= 2 ** 31)
           else np.asarray(ids, "<i4").tobytes())
    return _saved(db, [("DELETE FROM kept_arrays", ()), ("DELETE FROM kept_results", ()),
                       ("INSERT INTO kept_arrays (id, generation, claims, names, base, src, dst, attack, logged, "
                        "relation_ids) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (stamp, *encode(arrays), None if ids is None else logged, ids))])


def keep_results(db: Sql, arrays: MapArrays, labels: Any = None, strengths: Any = None,
                 converged: Optional[bool] = None) -> None:
    """Keep the grounded labels and DF-QuAD strengths computed from kept arrays beside them,
    if these are still the store's generation (the next reader then skips both)."""
    import numpy as np
    if arrays.generation is None or (labels is None and strengths is None):
        return
    sets, params = [], []
    if labels is not None and arrays.labels is None:
        sets.append("labels = ?")
        params.append(np.asarray(labels, dtype=np.int8).tobytes())
    if strengths is not None and arrays.strengths is None:
        sets += ["strengths = ?", "converged = ?"]
        params += [np.asarray(strengths, dtype="<f8").tobytes(), int(bool(converged))]
    if not sets:
        return
    gen = arrays.generation
    fresh = [] if db.one("SELECT 1 FROM kept_results WHERE id = 1 AND generation = ?", (gen,)) else [
        ("DELETE FROM kept_results", ()),  # a row of these arrays' generation, to fill
        ("INSERT INTO kept_results (id, generation) SELECT 1, generation FROM kept_arrays WHERE id = 1 AND generation = ?",
         (gen,))]
    _saved(db, [*fresh, (f"UPDATE kept_results SET {', '.join(sets)} WHERE id = 1 AND generation = ?", (*params, gen))])


def _saved(db: Sql, statements: list[tuple[str, tuple]]) -> bool:
    """Run the statements under a savepoint: a refusal (a read-only file) leaves the
    reader's transaction as it was."""
    try:
        db.run("SAVEPOINT keep_arrays")
    except Exception:
        return False
    try:
        for sql, params in statements:
            db.run(sql, params)
        db.run("RELEASE SAVEPOINT keep_arrays")
        return True
    except Exception:
        db.run("ROLLBACK TO SAVEPOINT keep_arrays")
        db.run("RELEASE SAVEPOINT keep_arrays")
        return False


def problems(db: Sql, build: Callable[[], MapArrays]) -> list[tuple[str, str, str]]:
    """For ``argmap check``: a trigger missing (a tool may have dropped it: the arrays would go
    stale unseen), or kept arrays of the current generation that differ from the rows."""
    from argmap.claims.triggers import sqlite_triggers
    found = []
    if db.dialect == "sqlite":
        present = {r[0] for r in db.all("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        for name, table, keeps in sqlite_triggers():
            if name not in present:
                found.append(("kept-arrays" if keeps == "generation" else "history", f"trigger {name}",
                              f"is missing: changes to {table} would not "
                              + ("make the kept arrays stale" if keeps == "generation" else "be in the history")))
    now = generation(db)
    kept = None if now is None else _kept(db, now)
    if kept is not None:
        if not array_deltas.same(kept, build()):
            found.append(("kept-arrays", "kept_arrays", "the kept arrays differ from the rows although nothing "
                          "marked them stale; deleting the row (DELETE FROM kept_arrays) makes the next read rebuild them"))
    return found
