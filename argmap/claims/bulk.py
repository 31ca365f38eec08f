"""Writing a whole validated map at once (import, the demo): set-based inserts, one
transaction, the caller's. Rows arrive as dicts whose keys are the tables' columns."""

from operator import itemgetter
from typing import Any, Iterator, Optional

from sqlalchemy import insert, select
from sqlmodel import Session

from argmap.claims.computations import input_row, row_of, save_results
from argmap.claims.connection import timestamp
from argmap.claims.models import Claim, Computation, ComputationInput, Evidence, Meta, Relation, Source
from argmap.claims.records import ComputationRecord

REBUILD_INDEXES_FROM = 10_000
RELATION_COLUMNS = ("source_id", "target_id", "type", "created_at")  # relations arrive as tuples of these


def now(s: Session) -> Any:
    return timestamp(s.connection().dialect.name)


def claim_ids(s: Session) -> set[str]:
    return set(s.connection().execute(select(Claim.id)).scalars())


def sources(s: Session) -> dict[str, tuple[str, Optional[str]]]:
    """Source id -> (title, text)."""
    return {row.id: (row.title, row.text) for row in s.connection().execute(select(Source.id, Source.title, Source.text))}


def grouping(s: Session) -> tuple[set[str], set[str], int]:
    """The store's group ids, the claims in a group already, and the next group's position."""
    from sqlalchemy import func

    from argmap.claims.models import ClaimGroup, GroupMember
    conn = s.connection()
    last = conn.execute(select(func.max(ClaimGroup.position))).scalar()
    return (set(conn.execute(select(ClaimGroup.id)).scalars()),
            set(conn.execute(select(GroupMember.claim_id)).scalars()), 0 if last is None else int(last) + 1)


def resolved_claims(s: Session) -> set[str]:
    """The claims that have a resolution question or outcome already."""
    from argmap.claims.models import Resolution
    return set(s.connection().execute(select(Resolution.claim_id)).scalars())


def relation_pairs(s: Session) -> Iterator[tuple[str, str]]:
    for row in s.connection().execute(select(Relation.source_id, Relation.target_id)):
        yield row.source_id, row.target_id


def bulk_insert(s: Session, table: Any, rows: list, columns: Optional[tuple[str, ...]] = None) -> None:
    """Insert many rows at once: straight to the driver's executemany on SQLite (SQLAlchemy's
    per-row parameter processing costs more than the insert itself), Core elsewhere.
    Rows are dicts with the same keys, or tuples of ``columns``."""
    rebuild = _set_indexes_aside(s, table, len(rows))
    _insert(s, table, rows, columns)
    _rebuild(s, rebuild)


def _set_indexes_aside(s: Session, table: Any, first_batch: int) -> list[str]:
    """Filling an empty SQLite table with many rows: drop its secondary indexes (the DDL to
    make them again is returned), since building them once, afterwards, beats updating them
    row by row. Same transaction: a failed write rolls the indexes back too."""
    conn = s.connection()
    if conn.dialect.name != "sqlite" or first_batch < REBUILD_INDEXES_FROM \
            or conn.exec_driver_sql(f"SELECT 1 FROM {table.name} LIMIT 1").first() is not None:
        return []
    rebuild = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,)).fetchall()
    for name, _ in rebuild:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in rebuild]


def _rebuild(s: Session, ddls: list[str]) -> None:
    for ddl in ddls:
        s.connection().exec_driver_sql(ddl)


def _insert(s: Session, table: Any, rows: list, columns: Optional[tuple[str, ...]] = None) -> None:
    if not rows:
        return
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, r)) for r in rows] if columns else rows)
        return
    if columns:
        values = rows
    else:
        columns = tuple(rows[0])
        getter = itemgetter(*columns)
        values = [getter(r) for r in rows] if len(columns) > 1 else [(getter(r),) for r in rows]
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.exec_driver_sql(sql, values)


class Filling:
    """A validated map written in batches as it is checked (an import of any size): the row
    triggers stand aside (``triggers.quiet``), each table filled from empty has its indexes
    set aside until the end, and the history gets one entry per table with the keys of every
    row, kept as encoded JSON so that a million keys cost a string, not a million tuples.
    Use as ``with Filling(s) as fill: fill.claims(rows) ...``; an error leaves the rollback
    to the transaction."""

    def __init__(self, s: Session):
        from argmap.claims.db import sql_of
        from argmap.claims.history import BulkKeys
        self.s, self.db, self.keys = s, sql_of(s), BulkKeys()
        self._aside: dict[str, list[str]] = {}
        self._quiet: Any = None

    def __enter__(self) -> "Filling":
        from argmap.claims.triggers import quiet
        self._quiet = quiet(self.db)
        self._quiet.__enter__()
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is not None:
            return  # the transaction rolls everything back, the triggers and indexes too
        for ddls in self._aside.values():
            _rebuild(self.s, ddls)
        self._quiet.__exit__(None, None, None)
        self.keys.write(self.db)

    def _add(self, table: Any, rows: list, columns: Optional[tuple[str, ...]] = None) -> None:
        """Insert rows (dicts, or tuples of ``columns``) and note their keys (``history.KEYS``)."""
        from argmap.claims.history import KEYS
        if not rows:
            return
        if table.name not in self._aside:
            self._aside[table.name] = _set_indexes_aside(self.s, table, len(rows))
        _insert(self.s, table, rows, columns)
        key = itemgetter(*(columns.index(c) for c in KEYS[table.name]) if columns else KEYS[table.name])
        self.keys.add(table.name, [(k,) for k in map(key, rows)] if len(KEYS[table.name]) == 1 else
                      list(map(key, rows)))

    def claims(self, rows: list[dict]) -> None:
        self._add(Claim.__table__, rows)

    def sources(self, rows: list[dict]) -> None:
        self._add(Source.__table__, rows)

    def relations(self, rows: list[tuple]) -> None:
        """Tuples of ``RELATION_COLUMNS`` (3M dicts would cost a GB)."""
        self._add(Relation.__table__, rows, RELATION_COLUMNS)

    def evidence(self, rows: list[dict]) -> None:
        self._add(Evidence.__table__, rows)

    def computations(self, computations: list[ComputationRecord], evidence_keys: dict[Any, tuple[str, str, str]],
                     results: dict[str, dict[str, Any]]) -> None:
        """Computation inputs cite evidence by the document's own keys (``evidence_keys``:
        key -> (claim, source, quote)), resolved here to the new rows' ids."""
        if not computations:
            return
        ev_db_ids: dict[tuple[str, str, str], int] = {}
        if evidence_keys:
            conn = self.s.connection()
            for row in conn.execute(select(Evidence.id, Evidence.claim_id, Evidence.source_id, Evidence.quote)):
                ev_db_ids[(row.claim_id, row.source_id, row.quote)] = row.id
        stamp = now(self.s)
        comp_rows, input_rows = [], []
        for comp in computations:
            comp_rows.append(row_of(comp) | {"created_at": stamp, "updated_at": stamp})
            for inp in comp.inputs:
                key = inp.evidence_id
                input_rows.append(input_row(comp.id, inp) | {
                    "evidence_id": ev_db_ids[evidence_keys[key]] if key is not None else None})
        self._add(Computation.__table__, comp_rows)
        self._add(ComputationInput.__table__, input_rows)
        save_results(self.s, results)


def get_meta(s: Session, key: str) -> Optional[str]:
    row = s.get(Meta, key)
    return row.value if row else None


def set_meta(s: Session, key: str, value: str) -> None:
    row = s.get(Meta, key)
    if row is None:
        s.add(Meta(key=key, value=value))
    else:
        row.value = value
