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


def edit_claim(db: Sql, claim_id: str, text: Optional[str] = None, kind: Optional[str] = None,
               base_score: Optional[float] = None, title: Optional[str] = None) -> ClaimRecord:
    """Change a claim's text, kind, base score or title (an empty title removes it)."""
    from argmap.claims.plain_reads import claim as read_claim
    if claim_kind(db, claim_id) is None:
        raise rules.no_claim(claim_id)
    changes: dict[str, object] = {}
    if text is not None:
        changes["text"] = clean_text(text)
    if kind is not None:
        changes["kind"] = rules.check_kind(kind)
    if base_score is not None:
        changes["base_score"] = rules.check_score(base_score)
    if title is not None:
        changes["title"] = clean_text(title, "title", rules.MAX_TITLE) if title.strip() else None
    changes["updated_at"] = db.now()
    db.run(f"UPDATE claim SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?", (*changes.values(), claim_id))
    return read_claim(db, claim_id)


def remove_relation(db: Sql, source: str, target: str) -> RelationRecord:
    for end in (source, target):
        if claim_kind(db, end) is None:
            raise rules.no_claim(end)
    row = db.one("SELECT type FROM relation WHERE source_id = ? AND target_id = ?", (source, target))
    if row is None:
        raise rules.no_relation(source, target)
    db.run("DELETE FROM relation WHERE source_id = ? AND target_id = ?", (source, target))
    return RelationRecord(source, target, row[0])


def remove_claim(db: Sql, claim_id: str, cascade: bool = False) -> list[str]:
    """Remove a claim with its evidence, computations and outgoing relations.

    Refused while relations point at it, unless ``cascade``: then those relations go too,
    and so does every non-thesis claim left relating to nothing (an objection whose target
    is gone, its rebuttals, ...). Returns the removed ids, in order.
    """
    if claim_kind(db, claim_id) is None:
        raise rules.no_claim(claim_id)
    incoming = db.all("SELECT source_id, type FROM relation WHERE target_id = ?", (claim_id,))
    if incoming and not cascade:
        names = ", ".join(sorted(f"{source} ({rtype})" for source, rtype in incoming))
        raise InvalidInput(f"{claim_id!r} still has relations pointing at it from {names}; "
                           f"unlink them or use --cascade")
    removed: list[str] = []
    queue = [claim_id]
    while queue:
        current = queue.pop(0)
        if current in removed:
            continue
        dependants = _delete_claim(db, current)
        removed.append(current)
        for dep in sorted(dependants):
            if dep in removed or claim_kind(db, dep) in (None, "thesis"):
                continue
            if db.one("SELECT 1 FROM relation WHERE source_id = ? LIMIT 1", (dep,)) is None:
                queue.append(dep)
    return removed


def _delete_claim(db: Sql, claim_id: str) -> set[str]:
    """Delete one claim and what belongs to it; return the claims that pointed at it."""
    comps = [r[0] for r in db.all("SELECT id FROM computation WHERE claim_id = ? ORDER BY id", (claim_id,))]
    if comps:
        marks = ", ".join("?" for _ in comps)
        user = db.one(f"SELECT ref_computation_id, name, computation_id FROM computation_input "
                      f"WHERE ref_computation_id IN ({marks}) AND computation_id NOT IN ({marks}) "
                      f"ORDER BY computation_id, name", (*comps, *comps))
        if user is not None:
            raise InvalidInput(f"cannot remove {claim_id!r}: its computation {user[0]!r} is an input "
                               f"({user[1]}) of computation {user[2]!r}")
        db.run(f"DELETE FROM computation_input WHERE computation_id IN ({marks})", comps)
        db.run(f"DELETE FROM computation WHERE id IN ({marks})", comps)
    db.run("UPDATE computation_input SET evidence_id = NULL WHERE evidence_id IN "
           "(SELECT id FROM evidence WHERE claim_id = ?)", (claim_id,))
    db.run("DELETE FROM evidence WHERE claim_id = ?", (claim_id,))
    db.run("DELETE FROM judgement WHERE claim_id = ?", (claim_id,))
    db.run("DELETE FROM resolution WHERE claim_id = ?", (claim_id,))
    db.run("DELETE FROM group_member WHERE claim_id = ?", (claim_id,))
    db.run("DELETE FROM argument_scheme WHERE claim_id = ?", (claim_id,))
    db.run("DELETE FROM question_answer WHERE argument_id = ? OR claim_id = ?", (claim_id, claim_id))
    dependants = {r[0] for r in db.all("SELECT source_id FROM relation WHERE target_id = ?", (claim_id,))}
    db.run("DELETE FROM relation WHERE source_id = ? OR target_id = ?", (claim_id, claim_id))
    db.run("DELETE FROM claim WHERE id = ?", (claim_id,))
    return dependants
