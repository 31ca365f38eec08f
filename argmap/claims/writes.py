"""The one implementation of add, object, rebut and support.

It speaks plain DB-API (``argmap.claims.connection.Sql``), so the quick CLI path runs it on
the standard library's ``sqlite3`` and ``Store`` runs it on its SQLAlchemy connection: the
same checks, the same messages, the same rows. Validation comes first; the database's
constraints are the backstop.
"""

from typing import Optional

from argmap.claims import rules
from argmap.claims.connection import Sql
from argmap.claims.ids import check_id, clean_text, unique_slug
from argmap.claims.records import ClaimRecord, RelationRecord, iso_time
from argmap.errors import InvalidInput


def claim_kind(db: Sql, claim_id: str) -> Optional[str]:
    row = db.one("SELECT kind FROM claim WHERE id = ?", (claim_id,))
    return row[0] if row else None


def add_claim(db: Sql, verb: str, text: str, claim_id: Optional[str] = None, target: Optional[str] = None,
              kind: Optional[str] = None, base_score: float = 0.5) -> ClaimRecord:
    """A new claim made by ``verb`` (see ``rules.VERBS``), with its relation to ``target``."""
    how = rules.VERBS[verb]
    kind = rules.check_kind(how.kind if kind is None else kind)
    text = clean_text(text)
    base_score = rules.check_score(base_score)
    if claim_id is not None:
        check_id(claim_id, "claim id")
    if (target is None) != (how.relation is None):
        raise InvalidInput(f"`{verb}` {'needs' if how.relation else 'takes no'} target claim")
    if target is not None:
        target_kind = claim_kind(db, target)
        if target_kind is None:
            raise rules.no_claim(target)
        if how.target_kinds and target_kind not in how.target_kinds:
            raise rules.not_an_objection(target, target_kind)
    if claim_id is None:
        claim_id = unique_slug(text, lambda c: claim_kind(db, c) is not None)
    elif claim_kind(db, claim_id) is not None:
        raise rules.claim_exists(claim_id)
    if target == claim_id:
        raise rules.self_relation(claim_id, how.relation or "attacks")
    now = db.now()
    db.run("INSERT INTO claim (id, text, kind, base_score, created_at) VALUES (?, ?, ?, ?, ?)",
           (claim_id, text, kind, base_score, now))
    if target is not None:
        add_relation(db, claim_id, target, how.relation, now)
    return ClaimRecord(id=claim_id, text=text, kind=kind, base_score=base_score, created_at=iso_time(now))


def add_relation(db: Sql, source: str, target: str, rtype: str, now: object = None) -> RelationRecord:
    """SOURCE supports or attacks TARGET: both must exist, differ, and not be related yet."""
    rules.check_relation_type(rtype)
    if source == target:
        raise rules.self_relation(source, rtype)
    for end in (source, target):
        if claim_kind(db, end) is None:
            raise rules.no_claim(end)
    existing = db.one("SELECT type FROM relation WHERE source_id = ? AND target_id = ?", (source, target))
    if existing is not None:
        raise rules.relation_exists(source, existing[0], target)
    db.run("INSERT INTO relation (source_id, target_id, type, created_at) VALUES (?, ?, ?, ?)",
           (source, target, rtype, now or db.now()))
    return RelationRecord(source, target, rtype)
