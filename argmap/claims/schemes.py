"""Which argumentation scheme each inference follows (a name of ``catalogue``, or one another
tool wrote), and which claim answers (asks) each of its critical questions: their SQL.
"""

from typing import Any, Optional

from argmap.claims import rules, writes
from argmap.claims.catalogue import find, get, stored_name
from argmap.claims.sql import Sql
from argmap.errors import InvalidInput, NotFound


def set_scheme(db: Sql, claim_id: str, name: Optional[str], strict: bool = True) -> Optional[str]:
    """Give the argument ``claim_id`` a scheme (None or "" takes it away). ``strict``: only a
    catalogue scheme of inference (what a person types); an import keeps any name."""
    kind = writes.claim_kind(db, claim_id)
    if kind is None:
        raise rules.no_claim(claim_id)
    if not name or not name.strip():
        db.run("DELETE FROM argument_scheme WHERE claim_id = ?", (claim_id,))
        return None
    if kind != "argument":
        raise InvalidInput(f"{claim_id!r} is a {kind}: a scheme belongs to an inference (kind argument; "
                           f"argmap edit {claim_id} --kind argument)")
    if strict:
        scheme = get(name)
        if scheme.applies != "inference":
            raise InvalidInput(f"{scheme.name} is a {scheme.applies} scheme: an argument follows an inference scheme")
        stored = scheme.name
    else:
        stored = stored_name(name)
    if db.one("SELECT 1 FROM argument_scheme WHERE claim_id = ?", (claim_id,)) is None:
        db.run("INSERT INTO argument_scheme (claim_id, scheme, created_at) VALUES (?, ?, ?)", (claim_id, stored, db.now()))
    else:
        db.run("UPDATE argument_scheme SET scheme = ? WHERE claim_id = ?", (stored, claim_id))
    return stored


def scheme_of(db: Sql, claim_id: str) -> Optional[str]:
    row = db.one("SELECT scheme FROM argument_scheme WHERE claim_id = ?", (claim_id,))
    return row[0] if row else None


def answer(db: Sql, argument: str, question: str, claim_id: str) -> None:
    """Record that ``claim_id`` answers the critical question ``question`` of ``argument``."""
    if db.one("SELECT 1 FROM question_answer WHERE argument_id = ? AND question = ?", (argument, question)):
        row = db.one("SELECT claim_id FROM question_answer WHERE argument_id = ? AND question = ?", (argument, question))
        raise InvalidInput(f"the question {question!r} of {argument!r} is answered already, by {row[0]!r}")
    db.run("INSERT INTO question_answer (argument_id, question, claim_id, created_at) VALUES (?, ?, ?, ?)",
           (argument, question, claim_id, db.now()))


def ask(db: Sql, argument: str, question: str, text: Optional[str] = None, new_id: Optional[str] = None,
        by: Optional[str] = None, premise: Optional[str] = None) -> dict[str, Any]:
    """Critical question ``question`` of ``argument`` as a claim that undercuts it (or attacks
    its ``premise``): a new objection, its text the question's unless ``text``, or the
    existing claim ``by`` (which then attacks it, if it did not yet)."""
    from argmap.claims.plain_reads import claim as read_claim
    if writes.claim_kind(db, argument) is None:
        raise NotFound(f"no claim with id {argument!r}")
    name = scheme_of(db, argument)
    if name is None:
        raise InvalidInput(f"{argument!r} follows no scheme: give it one first (argmap edit {argument} --scheme NAME)")
    scheme = find(name)
    if scheme is None:
        raise InvalidInput(f"{argument!r} follows {name!r}, which is not in the catalogue: it has no questions here")
    q = scheme.question(question)
    target = argument
    if premise is not None:
        if db.one("SELECT 1 FROM relation WHERE source_id = ? AND target_id = ? AND type = 'supports'",
                  (premise, argument)) is None:
            raise InvalidInput(f"{premise!r} is not a premise of {argument!r} (a premise supports the argument)")
        target = premise
    if by is not None:
        if writes.claim_kind(db, by) is None:
            raise NotFound(f"no claim with id {by!r}")
        if by == target:
            raise InvalidInput(f"{by!r} cannot answer a question about itself")
        if db.one("SELECT 1 FROM relation WHERE source_id = ? AND target_id = ?", (by, target)) is None:
            writes.add_relation(db, by, target, "attacks")
        made = read_claim(db, by)
    else:
        made = writes.add_claim(db, "object", text or q.text, new_id, target)
    answer(db, argument, q.id, made.id)
    return {"argument": argument, "question": q.id, "text": q.text, "type": q.type, "claim": made.to_json(),
            "attacks": target}
