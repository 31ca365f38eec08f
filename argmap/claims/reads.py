"""Reading a map from the store, inside a transaction the caller holds (``Store.transaction``),
so that one command reads everything it shows from one consistent state.

The reads themselves are ``argmap.claims.plain_reads`` (plain SQL on the session's DB-API
connection, shared with the quick SQLite path): set-based throughout, a whole map is a
handful of scans, a focus follows the indexes and costs what the neighbourhood costs.
"""

from typing import Optional

from sqlalchemy import func, select
from sqlmodel import Session

from argmap.claims import plain_reads
from argmap.claims.argument_map import ArgumentMap, MapArrays
from argmap.claims.connection import Sql
from argmap.claims.db import sql_of  # noqa: F401  (re-exported)
from argmap.claims.models import Claim, Relation
from argmap.claims.records import ClaimRecord, iso_time
from argmap.claims.rules import no_claim


def read_map(s: Session, ids: Optional[set[str]] = None, texts: bool = False) -> ArgumentMap:
    """The store as an ArgumentMap; with ``ids``, only those claims, what belongs to them and
    the relations among them; with ``texts``, the sources' full texts too (``plain_reads``)."""
    return plain_reads.read_map(sql_of(s), ids, texts)


def read_arrays(s: Session) -> MapArrays:
    """The argument graph of the whole store as integer arrays (``plain_reads.read_arrays``)."""
    return plain_reads.read_arrays(sql_of(s))


def build_from_rows(s: Session) -> MapArrays:
    return plain_reads.build_from_rows(sql_of(s))


def require_claim(s: Session, claim_id: str) -> Claim:
    row = s.get(Claim, claim_id)
    if row is None:
        raise no_claim(claim_id)
    return row


def claim_record(row: Claim) -> ClaimRecord:
    return ClaimRecord(id=row.id, text=row.text, kind=row.kind, base_score=row.base_score,
                       created_at=iso_time(row.created_at), title=row.title)


def focus_map(s: Session, focus: str, depth: int, texts: bool = False) -> ArgumentMap:
    """``ArgumentMap.focus`` by indexed SQL: the cost follows the neighbourhood, not the store."""
    return plain_reads.focus_map(sql_of(s), focus, depth, texts)


def count(s: Session) -> dict[str, int]:
    conn = s.connection()
    claims = conn.execute(select(func.count()).select_from(Claim.__table__)).scalar_one()
    relations = conn.execute(select(func.count()).select_from(Relation.__table__)).scalar_one()
    return {"claims": claims, "relations": relations}
