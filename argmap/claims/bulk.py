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
    rebuild: list[tuple[str, str]] = []
    if len(rows) >= REBUILD_INDEXES_FROM and conn.exec_driver_sql(f"SELECT 1 FROM {table.name} LIMIT 1").first() is None:
        # filling an empty table: building its secondary indexes once, afterwards, beats updating them row by row
        rebuild = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table.name,)).fetchall()
        for name, _ in rebuild:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    conn.exec_driver_sql(sql, values)
    for _, ddl in rebuild:  # same transaction: a failed import rolls the indexes back too
        conn.exec_driver_sql(ddl)


def write_map(s: Session, claims: list[dict], sources: list[dict], relations: list[tuple], evidence: list[dict],
              computations: list[ComputationRecord], evidence_keys: dict[Any, tuple[str, str, str]],
              results: dict[str, dict[str, Any]], meta: Optional[dict[str, str]] = None) -> None:
    """Insert a validated map. Computation inputs cite evidence by the document's own keys
    (``evidence_keys``: key -> (claim, source, quote)), resolved here to the new rows' ids.
    The row triggers stand aside; the history gets one entry per table with the keys."""
    from argmap.claims.db import sql_of
    from argmap.claims.history import KEYS, record_bulk
    from argmap.claims.triggers import quiet
    db = sql_of(s)
    with quiet(db):
        _write_map(s, claims, sources, relations, evidence, computations, evidence_keys, results)
    record_bulk(db, {"claim": [(r["id"],) for r in claims], "source": [(r["id"],) for r in sources],
                     "relation": [r[:2] for r in relations],
                     "evidence": [tuple(r[c] for c in KEYS["evidence"]) for r in evidence],
                     "computation": [(c.id,) for c in computations],
                     "computation_input": [(c.id, i.name) for c in computations for i in c.inputs]})
    for key, value in (meta or {}).items():
        set_meta(s, key, value)


def _write_map(s: Session, claims: list[dict], sources: list[dict], relations: list[tuple], evidence: list[dict],
               computations: list[ComputationRecord], evidence_keys: dict[Any, tuple[str, str, str]],
               results: dict[str, dict[str, Any]]) -> None:
    bulk_insert(s, Claim.__table__, claims)
    bulk_insert(s, Source.__table__, sources)
    bulk_insert(s, Relation.__table__, relations, RELATION_COLUMNS)
    bulk_insert(s, Evidence.__table__, evidence)
    if computations:
        ev_db_ids: dict[tuple[str, str, str], int] = {}
        if evidence_keys:
            conn = s.connection()
            for row in conn.execute(select(Evidence.id, Evidence.claim_id, Evidence.source_id, Evidence.quote)):
                ev_db_ids[(row.claim_id, row.source_id, row.quote)] = row.id
        stamp = now(s)
        comp_rows, input_rows = [], []
        for comp in computations:
            comp_rows.append(row_of(comp) | {"created_at": stamp, "updated_at": stamp})
            for inp in comp.inputs:
                key = inp.evidence_id
                input_rows.append(input_row(comp.id, inp) | {
                    "evidence_id": ev_db_ids[evidence_keys[key]] if key is not None else None})
        bulk_insert(s, Computation.__table__, comp_rows)
        bulk_insert(s, ComputationInput.__table__, input_rows)
        save_results(s, results)


def get_meta(s: Session, key: str) -> Optional[str]:
    row = s.get(Meta, key)
    return row.value if row else None


def set_meta(s: Session, key: str, value: str) -> None:
    row = s.get(Meta, key)
    if row is None:
        s.add(Meta(key=key, value=value))
    else:
        row.value = value
