"""The argument graph kept as integer arrays in the store, rebuilt only when stale.

Reading a million claims' text ids and mapping them to integers is most of what ``status``
costs; the result changes only when claims, relations or computations do. So the arrays
(``MapArrays``) are kept in one row of ``kept_arrays`` as BLOBs, stamped with the store's
*generation*: a counter in ``meta`` that triggers (``argmap.claims.triggers``) bump on every
insert, update and delete of those three tables, whoever writes (the store, the quick path,
an import, a migration, or someone with the ``sqlite3`` shell). A reader takes the
generation first and the rows after, so arrays it keeps are never stamped newer than what
they were read from.
"""

from typing import Any, Callable, Optional

from argmap.claims.argument_map import MapArrays, NameIndex
from argmap.claims.connection import Sql


def table_sql(dialect: str) -> str:
    blob, big = ("BYTEA", "BIGINT") if dialect == "postgresql" else ("BLOB", "INTEGER")
    return f"""CREATE TABLE kept_arrays (id INTEGER PRIMARY KEY CHECK (id = 1), generation {big} NOT NULL,
               claims INTEGER NOT NULL, names {blob} NOT NULL, base {blob} NOT NULL, src {blob} NOT NULL,
               dst {blob} NOT NULL, attack {blob} NOT NULL, labels {blob}, strengths {blob}, converged INTEGER)"""


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
                     converged=None if converged is None else bool(converged))


def _kept(db: Sql, now: int) -> Optional[MapArrays]:
    """The kept arrays if they are of generation ``now``."""
    row = db.one("SELECT generation, claims, names, base, src, dst, attack, labels, strengths, converged "
                 "FROM kept_arrays WHERE id = 1")
    return decode(row[1:], now) if row is not None and int(row[0]) == now else None


def kept_or_built(db: Sql, build: Callable[[], MapArrays]) -> MapArrays:
    """The kept arrays if they are of the store's generation, else ``build()``'s, kept for the
    next reader when the store can be written (a read-only store just builds each time)."""
    now = generation(db)
    if now is None:
        return build()
    kept = _kept(db, now)
    if kept is not None:
        return kept
    arrays = build()
    if keep(db, arrays, now):
        arrays.generation = now
    return arrays


def keep(db: Sql, arrays: MapArrays, stamp: int) -> bool:
    """Write the arrays; whether they were kept (not on a read-only file)."""
    return _saved(db, [("DELETE FROM kept_arrays", ()),
                       ("INSERT INTO kept_arrays (id, generation, claims, names, base, src, dst, attack) "
                        "VALUES (1, ?, ?, ?, ?, ?, ?, ?)", (stamp, *encode(arrays)))])


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
    if sets:
        _saved(db, [(f"UPDATE kept_arrays SET {', '.join(sets)} WHERE id = 1 AND generation = ?",
                     (*params, arrays.generation))])


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
        import numpy as np
        rows = build()
        same = (kept.names == rows.names and kept.claims == rows.claims and np.array_equal(kept.src, rows.src)
                and np.array_equal(kept.dst, rows.dst) and np.array_equal(kept.attack, rows.attack)
                and np.array_equal(kept.base, rows.base))
        if not same:
            found.append(("kept-arrays", "kept_arrays", "the kept arrays differ from the rows although nothing "
                          "marked them stale; deleting the row (DELETE FROM kept_arrays) makes the next read rebuild them"))
    return found
