"""Claims that resolve: a question and a date, then true, false or ambiguous; and what
people believed before (from the history's images of the judgement rows), to score them."""

import json
from datetime import date
from typing import Optional

from argmap.claims import rules
from argmap.claims.ids import clean_text
from argmap.claims.plain_reads import RESOLUTION_COLUMNS as COLUMNS
from argmap.claims.plain_reads import resolution_record as record
from argmap.claims.plain_reads import resolutions_of
from argmap.claims.records import ResolutionRecord
from argmap.claims.sql import Sql
from argmap.claims.writes import claim_kind
from argmap.errors import InvalidInput, NotFound

OUTCOMES = ("true", "false", "ambiguous")


def _row(db: Sql, claim_id: str) -> Optional[tuple]:
    return db.one(f"SELECT {COLUMNS} FROM resolution WHERE claim_id = ?", (claim_id,))


def set_question(db: Sql, claim_id: str, resolves_by: Optional[str], criteria: Optional[str]) -> ResolutionRecord:
    """When and how ``claim_id`` will be settled (either may be given alone)."""
    if claim_kind(db, claim_id) is None:
        raise rules.no_claim(claim_id)
    if resolves_by is not None:
        try:
            resolves_by = date.fromisoformat(resolves_by).isoformat()
        except (TypeError, ValueError):
            raise InvalidInput(f"--resolves-by is a date, YYYY-MM-DD, not {str(resolves_by)[:40]!r}") from None
    if criteria is not None:
        criteria = clean_text(criteria, "resolution criteria", 4_000)
    row = _row(db, claim_id)
    if row is None:
        db.run("INSERT INTO resolution (claim_id, resolves_by, criteria, created_at) VALUES (?, ?, ?, ?)",
               (claim_id, resolves_by, criteria, db.now()))
    else:
        db.run("UPDATE resolution SET resolves_by = ?, criteria = ? WHERE claim_id = ?",
               (resolves_by if resolves_by is not None else row[1], criteria if criteria is not None else row[2],
                claim_id))
    return record(_row(db, claim_id))


def resolve(db: Sql, claim_id: str, outcome: str, source: Optional[str], head: int) -> ResolutionRecord:
    """Settle ``claim_id``; ``head``: the history's revision before this change (the
    judgements made up to it are the ones scored)."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"a claim resolves true, false or ambiguous, not {outcome[:40]!r}")
    if claim_kind(db, claim_id) is None:
        raise rules.no_claim(claim_id)
    if source is not None and db.one("SELECT 1 FROM source WHERE id = ?", (source,)) is None:
        raise NotFound(f"no source with id {source!r}")
    if _row(db, claim_id) is None:
        db.run("INSERT INTO resolution (claim_id, created_at) VALUES (?, ?)", (claim_id, db.now()))
    db.run("UPDATE resolution SET outcome = ?, source_id = ?, resolved_rev = ? WHERE claim_id = ?",
           (outcome, source, head, claim_id))
    return record(_row(db, claim_id))


def resolutions(db: Sql) -> list[ResolutionRecord]:
    return resolutions_of(db)


def credences_before(db: Sql, claims: set[str], upto: dict[str, int]) -> dict[tuple[str, str], float]:
    """{(claim, person): their last credence in the claim at or before revision
    ``upto[claim]``}, read from the history's row images (a cleared one counts as none)."""
    if not claims:
        return {}
    rows = db.all("SELECT r.rev, r.before, r.after FROM change_row r WHERE r.tbl = 'judgement' ORDER BY r.rev, r.id")
    last: dict[tuple[str, str], Optional[float]] = {}
    for rev, before, after in rows:
        image = json.loads(after or before)
        claim = image.get("claim_id")
        if claim not in claims or int(rev) > upto[claim]:
            continue
        last[(claim, image["author"])] = None if after is None else float(json.loads(after)["credence"])
    return {k: v for k, v in last.items() if v is not None}
