"""Reading a map from the store, inside a transaction the caller holds (``Store.transaction``),
so that one command reads everything it shows from one consistent state.

Set-based SQL throughout: a whole map is a handful of scans, a focus follows the indexes
and costs what the neighbourhood costs, and the arrays of a million-claim store come
through the DB-API cursor without a Row object per relation.
"""

from typing import Optional

from sqlalchemy import func, select
from sqlmodel import Session

from argmap.claims import plain_reads
from argmap.claims.argument_map import ArgumentMap, MapArrays, focus_ids
from argmap.claims.connection import Sql
from argmap.claims.computations import chunks, computations_of
from argmap.claims.models import Claim, Computation, ComputationInput, Evidence, Relation, Source
from argmap.claims.records import ClaimRecord, EvidenceRecord, RelationRecord, SourceRecord, iso_time
from argmap.claims.rules import no_claim



def read_map(s: Session, ids: Optional[set[str]] = None, texts: bool = False) -> ArgumentMap:
    """The store as an ArgumentMap; with ``ids``, only those claims, what belongs to them and
    the relations among them; with ``texts``, the sources' full texts too."""
    conn = s.connection()
    amap = ArgumentMap()
    c, r, src, ev = Claim.__table__, Relation.__table__, Source.__table__, Evidence.__table__

    def rows(query, column=None):
        if ids is None or column is None:
            return conn.execute(query).all()
        out = []
        for part in chunks(ids):
            out += conn.execute(query.where(column.in_(part))).all()
        return out

    amap.claims = sorted((ClaimRecord(id=x.id, text=x.text, kind=x.kind, base_score=x.base_score,
                                      created_at=iso_time(x.created_at), title=x.title)
                          for x in rows(select(c.c.id, c.c.text, c.c.kind, c.c.base_score, c.c.created_at, c.c.title),
                                        c.c.id)), key=lambda x: (x.created_at or "", x.id))
    relations = rows(select(r.c.id, r.c.source_id, r.c.target_id, r.c.type), r.c.source_id)
    amap.relations = [RelationRecord(x.source_id, x.target_id, x.type) for x in sorted(relations)
                      if ids is None or x.target_id in ids]
    evidence = rows(select(ev.c.id, ev.c.claim_id, ev.c.source_id, ev.c.quote, ev.c.locator), ev.c.claim_id)
    columns = [src.c.id, src.c.title, src.c.author, src.c.url, src.c.date,
               (src.c.text if texts else src.c.text.isnot(None)).label("text")]
    sources = {x.id: x for x in conn.execute(select(*columns))}
    amap.evidence = [EvidenceRecord(id=x.id, claim=x.claim_id, source=x.source_id, quote=x.quote,
                                    locator=x.locator, source_title=sources[x.source_id].title,
                                    source_url=sources[x.source_id].url) for x in sorted(evidence)]
    used = {e.source for e in amap.evidence} if ids is not None else set(sources)
    amap.sources = [SourceRecord(id=x.id, title=x.title, author=x.author, url=x.url, date=x.date,
                                 has_text=bool(x.text), text=x.text if texts else None)
                    for k, x in sorted(sources.items()) if k in used]
    amap.computations = computations_of(s, ids)
    return amap


def sql_of(s: Session) -> Sql:
    conn = s.connection()
    return Sql(conn.connection, conn.dialect.name, conn.dialect.loaded_dbapi)


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


def get_claim(s: Session, claim_id: str) -> ClaimRecord:
    """One claim as a record (rows never leave ``argmap.claims``)."""
    return claim_record(require_claim(s, claim_id))


def claim_record(row: Claim) -> ClaimRecord:
    return ClaimRecord(id=row.id, text=row.text, kind=row.kind, base_score=row.base_score,
                       created_at=iso_time(row.created_at), title=row.title)


def _neighbours(s: Session, frontier: set[str]) -> set[str]:
    conn = s.connection()
    r = Relation.__table__
    found: set[str] = set()
    for part in chunks(frontier):
        found.update(x[0] for x in conn.execute(select(r.c.target_id).where(r.c.source_id.in_(part))))
        found.update(x[0] for x in conn.execute(select(r.c.source_id).where(r.c.target_id.in_(part))))
    return found


def _upstream(s: Session, claims: set[str]) -> set[str]:
    """Claims owning the computations that the computations of ``claims`` take inputs from."""
    conn = s.connection()
    k, i = Computation.__table__, ComputationInput.__table__
    owner = k.alias("owner")
    found: set[str] = set()
    for part in chunks(claims):
        query = (select(owner.c.claim_id).select_from(k.join(i, i.c.computation_id == k.c.id)
                                                      .join(owner, owner.c.id == i.c.ref_computation_id))
                 .where(k.c.claim_id.in_(part)))
        found.update(x[0] for x in conn.execute(query))
    return found


def focus_map(s: Session, focus: str, depth: int, texts: bool = False) -> ArgumentMap:
    """``ArgumentMap.focus`` by indexed SQL: the cost follows the neighbourhood, not the store."""
    require_claim(s, focus)
    ids = focus_ids(focus, depth, lambda frontier: _neighbours(s, frontier), lambda claims: _upstream(s, claims))
    return read_map(s, ids, texts)


def ordered_claims(s: Session, limit: Optional[int]) -> list[tuple[str, str, str]]:
    return plain_reads.ordered_claims(sql_of(s), limit)


def count(s: Session) -> dict[str, int]:
    conn = s.connection()
    claims = conn.execute(select(func.count()).select_from(Claim.__table__)).scalar_one()
    relations = conn.execute(select(func.count()).select_from(Relation.__table__)).scalar_one()
    return {"claims": claims, "relations": relations}
