"""Reads spoken in plain SQL on a DB-API connection (``Sql``): what ``status``, ``list`` and
``show`` need, shared by the full store (SQLAlchemy) and the quick SQLite path, so that those
commands need not import SQLAlchemy and SQLModel (half a second) on a small store.
"""

import gc
from collections import namedtuple
from typing import Optional

from argmap.claims.argument_map import MapArrays, build_arrays
from argmap.claims.connection import Sql
from argmap.claims.records import ClaimDetail, ClaimRecord, EvidenceRecord, computation_record, iso_time

RELATIONS_SQL = "SELECT source_id, target_id FROM relation WHERE {plus}type = '{kind}'"
FAILING_SQL = """SELECT id, claim_id FROM computation WHERE "check" = 'fails' ORDER BY id"""
CLAIM_COLUMNS = "id, text, kind, base_score, created_at, title"


def build_from_rows(db: Sql) -> MapArrays:
    """The argument graph of the whole store as integer arrays: two plain scans (claims,
    relations) through the DB-API cursor, one dict from ids to 0..n-1."""
    collecting = gc.isenabled()
    gc.disable()  # millions of fresh tuples would trigger the cyclic collector again and again
    try:
        plus = "+" if db.dialect == "sqlite" else ""
        cursor = db.conn.cursor()  # no Row objects for 3M pairs
        claims = cursor.execute("SELECT id, base_score FROM claim ORDER BY id").fetchall()
        # one scan per type ("+type": a full scan beats the low-selectivity index on type),
        # so no type string is fetched per row
        attacks = cursor.execute(RELATIONS_SQL.format(plus=plus, kind="attacks")).fetchall()
        supports = cursor.execute(RELATIONS_SQL.format(plus=plus, kind="supports")).fetchall()
        failing = cursor.execute(FAILING_SQL).fetchall()
        cursor.close()
        return build_arrays(claims, attacks, supports, failing)
    finally:
        if collecting:
            gc.enable()


def read_arrays(db: Sql) -> MapArrays:
    """The arrays kept in the store when they are of its generation, else built and kept."""
    from argmap.claims.kept_arrays import kept_or_built
    return kept_or_built(db, lambda: build_from_rows(db))


def ordered_claims(db: Sql, limit: Optional[int]) -> list[tuple[str, str, str]]:
    """(id, kind, text) of claims, theses first, then by id: two index-ordered scans, so a
    limit never sorts the whole table."""
    tail = f" LIMIT {int(limit)}" if limit else ""
    rows = db.all("SELECT id, kind, text FROM claim WHERE kind = 'thesis' ORDER BY id" + tail)
    if not limit or len(rows) < limit:
        more = f" LIMIT {int(limit) - len(rows)}" if limit else ""
        rows += db.all("SELECT id, kind, text FROM claim WHERE kind <> 'thesis' ORDER BY id" + more)
    return [tuple(r) for r in rows]


def _record(row: tuple) -> ClaimRecord:
    return ClaimRecord(id=row[0], text=row[1], kind=row[2], base_score=row[3], created_at=iso_time(row[4]), title=row[5])


def claim(db: Sql, claim_id: str) -> Optional[ClaimRecord]:
    row = db.one(f"SELECT {CLAIM_COLUMNS} FROM claim WHERE id = ?", (claim_id,))
    return None if row is None else _record(row)


def claims(db: Sql, kind: Optional[str] = None) -> list[ClaimRecord]:
    """Every claim (or those of one kind) in the order they were made."""
    where, params = ("WHERE kind = ?", (kind,)) if kind is not None else ("", ())
    return [_record(r) for r in db.all(f"SELECT {CLAIM_COLUMNS} FROM claim {where} ORDER BY created_at, id", params)]


COMPUTATION = namedtuple("COMPUTATION", 'id claim_id formula unit expect_value expect_unit tolerance description '
                                        'scenarios_json result_json check')
INPUT = namedtuple("INPUT", "computation_id name low high unit ref_computation_id evidence_id note")


def detail(db: Sql, claim_id: str) -> Optional[ClaimDetail]:
    """Everything ``argmap show`` tells about one claim, by index; None if there is no such claim."""
    own = claim(db, claim_id)
    if own is None:
        return None
    out = ClaimDetail(claim=own)
    cols = ", ".join(f"c.{c.strip()}" for c in CLAIM_COLUMNS.split(","))
    for end, near, far in (("target_id", "source_id", (out.supporters, out.attackers)),
                           ("source_id", "target_id", (out.supports, out.attacks))):
        for row in db.all(f"SELECT r.type, {cols} FROM relation r JOIN claim c ON c.id = r.{near} "
                          f"WHERE r.{end} = ? ORDER BY r.id", (claim_id,)):
            far[0 if row[0] == "supports" else 1].append(_record(row[1:]))
    out.evidence = [EvidenceRecord(*row) for row in db.all(
        "SELECT e.id, e.claim_id, e.source_id, e.quote, e.locator, s.title, s.url FROM evidence e "
        "JOIN source s ON s.id = e.source_id WHERE e.claim_id = ? ORDER BY e.id", (claim_id,))]
    comps = [COMPUTATION(*row) for row in db.all(
        f'SELECT {", ".join(f"{chr(34)}{f}{chr(34)}" for f in COMPUTATION._fields)} FROM computation '
        "WHERE claim_id = ? ORDER BY id", (claim_id,))]
    inputs: dict[str, list] = {c.id: [] for c in comps}
    if comps:
        marks = ", ".join("?" for _ in comps)
        for row in db.all(f"SELECT {', '.join(INPUT._fields)} FROM computation_input "
                          f"WHERE computation_id IN ({marks}) ORDER BY id", [c.id for c in comps]):
            inputs[row[0]].append(INPUT(*row))
    out.computations = [computation_record(c, inputs[c.id]) for c in comps]
    return out
