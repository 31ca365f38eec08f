"""People's judgements in the store: one credence per (claim, person), plain SQL on either
driver. Who "the person" is, is the writer's business (the history's author)."""

import math
from typing import Optional

from argmap.claims import rules
from argmap.claims.records import JudgementRecord, iso_time
from argmap.claims.sql import Sql
from argmap.claims.writes import claim_kind
from argmap.errors import InvalidInput, NotFound


def check_credence(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= 1:
        raise InvalidInput(f"a credence is a probability from 0 to 1, not {str(value)[:40]}")
    return float(value)


def judge(db: Sql, claim_id: str, author: str, credence: float) -> JudgementRecord:
    """Set ``author``'s credence in ``claim_id`` (replacing the one they gave before)."""
    credence = check_credence(credence)
    if claim_kind(db, claim_id) is None:
        raise rules.no_claim(claim_id)
    now = db.now()
    row = db.one("SELECT id FROM judgement WHERE claim_id = ? AND author = ?", (claim_id, author))
    if row is None:
        db.run("INSERT INTO judgement (claim_id, author, credence, created_at) VALUES (?, ?, ?, ?)",
               (claim_id, author, credence, now))
    else:
        db.run("UPDATE judgement SET credence = ?, created_at = ? WHERE id = ?", (credence, now, row[0]))
    return JudgementRecord(claim_id, author, credence, iso_time(now))


def clear(db: Sql, claim_id: str, author: str) -> JudgementRecord:
    row = db.one("SELECT credence, created_at FROM judgement WHERE claim_id = ? AND author = ?", (claim_id, author))
    if row is None:
        raise NotFound(f"{author} has no judgement of {claim_id!r} to clear")
    db.run("DELETE FROM judgement WHERE claim_id = ? AND author = ?", (claim_id, author))
    return JudgementRecord(claim_id, author, float(row[0]), iso_time(row[1]))


def judgements(db: Sql, claim_id: Optional[str] = None, author: Optional[str] = None) -> list[JudgementRecord]:
    """Every judgement (of one claim, by one person), by claim and person."""
    from argmap.claims.plain_reads import judgements_of
    if claim_id is not None and claim_kind(db, claim_id) is None:
        raise rules.no_claim(claim_id)
    found = judgements_of(db, {claim_id} if claim_id is not None else None)
    return [j for j in found if author is None or j.author == author]
