"""Reads spoken in plain SQL on a DB-API connection (``Sql``): what ``status``, ``list`` and
``show`` need, shared by the full store (SQLAlchemy) and the quick SQLite path, so that those
commands need not import SQLAlchemy and SQLModel (half a second) on a small store.
"""

import gc
from collections import namedtuple
from typing import Iterator, Optional

from argmap.claims.argument_map import FAILING_SQL, ArgumentMap, MapArrays, build_arrays
from argmap.claims.connection import Sql
from argmap.claims.records import (AnswerRecord, ClaimDetail, ClaimRecord, EvidenceRecord, JudgementRecord,
                                   RelationRecord, ResolutionRecord, SourceRecord, computation_record, iso_time,
                                   selector_of)

# in row id order (SQLite's scan order anyway): where a patched array puts a new relation
RELATIONS_SQL = "SELECT source_id, target_id, id FROM relation WHERE {plus}type = '{kind}' ORDER BY id"
CLAIM_COLUMNS = "id, text, kind, base_score, created_at, title"


def build_from_rows(db: Sql) -> MapArrays:
    """The argument graph of the whole store as integer arrays: two plain scans (claims,
    relations) through the DB-API cursor, one dict from ids to 0..n-1."""
    collecting = gc.isenabled()
    gc.disable()  # millions of fresh tuples would trigger the cyclic collector again and again
    try:
        plus = "+" if db.dialect == "sqlite" else ""
        cursor = db.conn.cursor()  # no Row objects for 3M pairs
        # by code points whatever the database's collation: the names are then in Python's order
        claims = cursor.execute(f"SELECT id, base_score FROM claim ORDER BY {_by('id', db)}").fetchall()
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
    from argmap.claims.rules import check_kind
    where, params = ("WHERE kind = ?", (check_kind(kind),)) if kind is not None else ("", ())
    return [_record(r) for r in db.all(f"SELECT {CLAIM_COLUMNS} FROM claim {where} ORDER BY created_at, id", params)]


COMPUTATION = namedtuple("COMPUTATION", 'id claim_id formula unit expect_value expect_unit tolerance description '
                                        'scenarios_json result_json check')
INPUT = namedtuple("INPUT", "computation_id name low high unit ref_computation_id evidence_id note")


def detail(db: Sql, claim_id: str) -> ClaimDetail:
    """Everything ``argmap show`` tells about one claim, by index (NotFound for no such claim)."""
    from argmap.claims.rules import no_claim
    own = claim(db, claim_id)
    if own is None:
        raise no_claim(claim_id)
    out = ClaimDetail(claim=own)
    cols = ", ".join(f"c.{c.strip()}" for c in CLAIM_COLUMNS.split(","))
    for end, near, far in (("target_id", "source_id", (out.supporters, out.attackers)),
                           ("source_id", "target_id", (out.supports, out.attacks))):
        for row in db.all(f"SELECT r.type, {cols} FROM relation r JOIN claim c ON c.id = r.{near} "
                          f"WHERE r.{end} = ? ORDER BY r.id", (claim_id,)):
            far[0 if row[0] == "supports" else 1].append(_record(row[1:]))
    own_part = read_map(db, {claim_id})  # its evidence and computations, by index
    out.evidence, out.computations = own_part.evidence, own_part.computations
    out.scheme = own_part.schemes.get(claim_id)
    if out.scheme:
        from argmap.claims.catalogue import find
        scheme = find(out.scheme)
        answers = {a.question: a.claim for a in answers_of(db, {claim_id})}
        out.asked = [{"id": q.id, "text": q.text, "type": q.type, "status": "answered" if q.id in answers else "open",
                      "by": answers.get(q.id)} for q in (scheme.questions if scheme else ())]
    return out


EVIDENCE_COLUMNS = "id, claim_id, source_id, quote, locator, selector"  # an EvidenceRecord's stored fields, in order
_EVIDENCE_JOINED = ", ".join(f"e.{c}" for c in EVIDENCE_COLUMNS.split(", ")) + ", s.title, s.url"


def _evidence(row: tuple) -> EvidenceRecord:
    """A row of ``EVIDENCE_COLUMNS`` (then, if joined, its source's title and url)."""
    return EvidenceRecord(*row[:5], selector_of(row[5]), *row[6:])


def _source(row: tuple, texts: bool) -> SourceRecord:
    """A row of id, title, author, url, date, text (or whether there is one), sha256."""
    return SourceRecord(id=row[0], title=row[1], author=row[2], url=row[3], date=row[4], has_text=bool(row[5]),
                        text=row[5] if texts else None, sha256=row[6])


def texts_of(db: Sql, ids: set[str]) -> dict[str, str]:
    """The texts of the claims ``ids``."""
    return dict(db.all_in("SELECT id, text FROM claim", "id", ids)) if ids else {}


def quotes_of(db: Sql, ids: set[str]) -> list[EvidenceRecord]:
    """The evidence of the claims ``ids``, by id (without its source's title and url)."""
    rows = db.all_in(f"SELECT {EVIDENCE_COLUMNS} FROM evidence", "claim_id", ids) if ids else []
    return [_evidence(r) for r in sorted(rows, key=lambda r: r[0])]


def computations_of(db: Sql, ids: Optional[set[str]] = None) -> list:
    """Computations (of the claims ``ids``, or all) with their inputs, by claim then id."""
    fields = ", ".join(f'"{f}"' for f in COMPUTATION._fields)
    comps = sorted((COMPUTATION(*r) for r in db.all_in(f"SELECT {fields} FROM computation", "claim_id", ids)),
                   key=lambda c: (c.claim_id, c.id))
    if not comps:
        return []
    inputs: dict[str, list] = {c.id: [] for c in comps}
    found = db.all_in(f"SELECT id, {', '.join(INPUT._fields)} FROM computation_input", "computation_id",
                  None if ids is None else set(inputs))
    for row in sorted(found):
        if row[1] in inputs:
            inputs[row[1]].append(INPUT(*row[1:]))
    return [computation_record(c, inputs[c.id]) for c in comps]


def read_map(db: Sql, ids: Optional[set[str]] = None, texts: bool = False) -> ArgumentMap:
    """The store as an ArgumentMap; with ``ids``, only those claims, what belongs to them and
    the relations among them; with ``texts``, the sources' full texts too."""
    amap = ArgumentMap()
    amap.claims = sorted((_record(r) for r in db.all_in(f"SELECT {CLAIM_COLUMNS} FROM claim", "id", ids)),
                         key=lambda x: (x.created_at or "", x.id))
    relations = db.all_in("SELECT id, source_id, target_id, type FROM relation", "source_id", ids)
    amap.relations = [RelationRecord(x[1], x[2], x[3]) for x in sorted(relations) if ids is None or x[2] in ids]
    evidence = db.all_in(f"SELECT {EVIDENCE_COLUMNS} FROM evidence", "claim_id", ids)
    sources = {x[0]: x for x in db.all(
        f"SELECT id, title, author, url, date, {'text' if texts else 'text IS NOT NULL'}, sha256 FROM source")}
    amap.evidence = [_evidence((*x, sources[x[2]][1], sources[x[2]][3])) for x in sorted(evidence, key=lambda r: r[0])]
    used = {e.source for e in amap.evidence} if ids is not None else set(sources)
    amap.sources = [_source(x, texts) for k, x in sorted(sources.items()) if k in used]
    amap.computations = computations_of(db, ids)
    amap.judgements = judgements_of(db, ids)
    amap.resolutions = resolutions_of(db, ids)
    amap.schemes = schemes_of(db, ids)
    amap.answers = [a for a in answers_of(db, ids) if ids is None or a.claim in ids]
    from argmap.claims.groups import groups_of
    amap.groups = groups_of(db, ids)
    return amap


def schemes_of(db: Sql, ids: Optional[set[str]] = None) -> dict[str, str]:
    """{argument: the scheme it follows} (of the claims ``ids``), by claim."""
    return dict(sorted(db.all_in("SELECT claim_id, scheme FROM argument_scheme", "claim_id", ids)))


def answers_of(db: Sql, ids: Optional[set[str]] = None) -> list[AnswerRecord]:
    """Which claims answer the critical questions of the arguments ``ids``."""
    rows = db.all_in("SELECT argument_id, question, claim_id FROM question_answer", "argument_id", ids)
    return [AnswerRecord(*r) for r in sorted(rows)]


def judgements_of(db: Sql, ids: Optional[set[str]] = None) -> list[JudgementRecord]:
    """People's credences (in the claims ``ids``), by claim and person."""
    rows = db.all_in("SELECT claim_id, author, credence, created_at FROM judgement", "claim_id", ids)
    return [JudgementRecord(r[0], r[1], float(r[2]), iso_time(r[3])) for r in sorted(rows, key=lambda r: (r[0], r[1]))]


RESOLUTION_COLUMNS = "claim_id, resolves_by, criteria, outcome, source_id, resolved_rev"


def resolutions_of(db: Sql, ids: Optional[set[str]] = None) -> list[ResolutionRecord]:
    """The claims' resolution questions and outcomes (of the claims ``ids``), by claim."""
    rows = db.all_in(f"SELECT {RESOLUTION_COLUMNS} FROM resolution", "claim_id", ids)
    return [resolution_record(r) for r in sorted(rows)]


def resolution_record(row: tuple) -> ResolutionRecord:
    return ResolutionRecord(row[0], row[1], row[2], row[3], row[4], None if row[5] is None else int(row[5]))


def _neighbours(db: Sql, frontier: set[str]) -> set[str]:
    found = {r[0] for r in db.all_in("SELECT target_id FROM relation", "source_id", frontier)}
    return found | {r[0] for r in db.all_in("SELECT source_id FROM relation", "target_id", frontier)}


def _upstream(db: Sql, claims: set[str]) -> set[str]:
    """Claims owning the computations that the computations of ``claims`` take inputs from."""
    query = ("SELECT owner.claim_id FROM computation k JOIN computation_input i ON i.computation_id = k.id "
             "JOIN computation owner ON owner.id = i.ref_computation_id")
    return {r[0] for r in db.all_in(query, "k.claim_id", claims)}


def focus_map(db: Sql, focus: str, depth: int, texts: bool = False) -> ArgumentMap:
    """``ArgumentMap.focus`` by indexed SQL: the cost follows the neighbourhood, not the store."""
    from argmap.claims.argument_map import focus_ids
    from argmap.claims.rules import no_claim
    if claim(db, focus) is None:
        raise no_claim(focus)
    ids = focus_ids(focus, depth, lambda frontier: _neighbours(db, frontier), lambda owned: _upstream(db, owned))
    return read_map(db, ids, texts)


def _by(column: str, db: Sql) -> str:
    """Order by code points, as Python sorts strings (SQLite's BINARY; PostgreSQL needs "C")."""
    return column if db.dialect == "sqlite" else f'{column} COLLATE "C"'


_KIND_FILTERS = {None: "", "thesis": "WHERE kind = 'thesis'", "argument": "WHERE kind = 'argument'",
                 "other": "WHERE kind NOT IN ('thesis', 'argument')"}


def claims_by_id(db: Sql, kinds: Optional[str] = None) -> Iterator[ClaimRecord]:
    """Every claim (or the theses, the arguments, or the others) by id, streamed."""
    return (_record(r) for r in db.stream(
        f"SELECT {CLAIM_COLUMNS} FROM claim {_KIND_FILTERS[kinds]} ORDER BY {_by('id', db)}"))


def claims_in(db: Sql, ids: set[str]) -> list[ClaimRecord]:
    """The claims ``ids`` (in no order)."""
    return [_record(r) for r in db.all_in(f"SELECT {CLAIM_COLUMNS} FROM claim", "id", ids)]


def relations_by_ends(db: Sql) -> Iterator[RelationRecord]:
    return (RelationRecord(*r) for r in db.stream(
        f"SELECT source_id, target_id, type FROM relation ORDER BY {_by('source_id', db)}, {_by('target_id', db)}"))


def evidence_by_content(db: Sql) -> Iterator[EvidenceRecord]:
    """Evidence ordered by claim, source, quote and locator (then id): the JSON export's order."""
    order = ", ".join(_by(c, db) for c in ("e.claim_id", "e.source_id", "e.quote", "COALESCE(e.locator, '')"))
    return (_evidence(r) for r in db.stream(
        f"SELECT {_EVIDENCE_JOINED} FROM evidence e JOIN source s ON s.id = e.source_id ORDER BY {order}, e.id"))


def evidence_by_claim_in_order(db: Sql) -> Iterator[EvidenceRecord]:
    """Evidence ordered by claim (code points, as ``claims_by_id``) then id: the order each
    claim's quotes have in a map read whole, for a merge beside the claims."""
    return (_evidence(r) for r in db.stream(
        f"SELECT {_EVIDENCE_JOINED} FROM evidence e JOIN source s ON s.id = e.source_id "
        f"ORDER BY {_by('e.claim_id', db)}, e.id"))


def sources_with_texts(db: Sql) -> list[SourceRecord]:
    return [_source(x, True)
            for x in db.all(f"SELECT id, title, author, url, date, text, sha256 FROM source ORDER BY {_by('id', db)}")]
