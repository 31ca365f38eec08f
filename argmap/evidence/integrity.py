"""`argmap check`: a store's integrity, problem by problem, each named by its id.

Covers what the schema guarantees (SQLite's own integrity and foreign-key checks, orphans,
self-loops, unknown kinds) for stores that were edited by other tools, and what it cannot
(quotes missing from their source's text, cycles among computations, computations that
no longer evaluate or were never run).
"""

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from argmap.claims.models import Evidence, Source
from argmap.claims.store import Store
from argmap.errors import ArgmapError
from argmap.evidence.computations import dependency_order, evaluate_all, load_definitions
from argmap.evidence.sources import quote_occurs


@dataclass(frozen=True)
class Problem:
    kind: str
    id: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.message}"


ORPHANS = [
    ("orphan-relation", "SELECT r.id, r.source_id, r.target_id FROM relation r LEFT JOIN claim a ON a.id = r.source_id "
     "LEFT JOIN claim b ON b.id = r.target_id WHERE a.id IS NULL OR b.id IS NULL",
     lambda r: (f"relation {r[0]}", f"{r[1]} -> {r[2]} names a claim that does not exist")),
    ("orphan-evidence", "SELECT e.id, e.claim_id, e.source_id FROM evidence e LEFT JOIN claim c ON c.id = e.claim_id "
     "LEFT JOIN source s ON s.id = e.source_id WHERE c.id IS NULL OR s.id IS NULL",
     lambda r: (f"evidence {r[0]}", f"claim {r[1]!r} or source {r[2]!r} does not exist")),
    ("orphan-computation", "SELECT k.id, k.claim_id FROM computation k LEFT JOIN claim c ON c.id = k.claim_id "
     "WHERE c.id IS NULL", lambda r: (f"computation {r[0]}", f"its claim {r[1]!r} does not exist")),
    ("orphan-input", "SELECT i.computation_id, i.name FROM computation_input i LEFT JOIN computation k "
     "ON k.id = i.computation_id WHERE k.id IS NULL",
     lambda r: (f"computation {r[0]}", f"input {r[1]!r} belongs to no computation")),
    ("orphan-input", "SELECT i.computation_id, i.name, i.ref_computation_id FROM computation_input i LEFT JOIN "
     "computation k ON k.id = i.ref_computation_id WHERE i.ref_computation_id IS NOT NULL AND k.id IS NULL",
     lambda r: (f"computation {r[0]}", f"input {r[1]!r} uses missing computation {r[2]!r}")),
    ("self-loop", "SELECT id, source_id FROM relation WHERE source_id = target_id",
     lambda r: (f"relation {r[0]}", f"{r[1]} relates to itself")),
    ("bad-kind", "SELECT id, kind FROM claim WHERE kind NOT IN ('thesis', 'claim', 'objection', 'rebuttal')",
     lambda r: (f"claim {r[0]}", f"unknown kind {r[1]!r}")),
    ("bad-relation", "SELECT id, type FROM relation WHERE type NOT IN ('supports', 'attacks')",
     lambda r: (f"relation {r[0]}", f"unknown type {r[1]!r}")),
]


def check_store(store: Store) -> list[Problem]:
    problems: list[Problem] = []
    with store.transaction() as s:
        conn = s.connection()
        if conn.dialect.name == "sqlite":
            for (msg,) in conn.exec_driver_sql("PRAGMA integrity_check").fetchall():
                if msg != "ok":
                    problems.append(Problem("sqlite-integrity", "database", msg))
            for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                problems.append(Problem("foreign-key", f"{row[0]} row {row[1]}", f"points at a missing {row[2]}"))
        for kind, sql, describe in ORPHANS:
            for row in conn.execute(text(sql)).fetchall():
                where, message = describe(row)
                problems.append(Problem(kind, where, message))
        texts = {src.id: src.text for src in s.exec(select(Source)).all()}
        for ev in s.exec(select(Evidence).order_by(Evidence.id)).all():
            source_text = texts.get(ev.source_id)
            if source_text and not quote_occurs(ev.quote, source_text):
                problems.append(Problem("quote-not-in-source", f"evidence {ev.id}",
                                        f"quote for claim {ev.claim_id!r} is not in source {ev.source_id!r}"))
        defs = load_definitions(s) if not any(p.kind == "orphan-input" for p in problems) else {}
        try:
            dependency_order(defs)
        except ArgmapError as exc:
            problems.append(Problem("computation-cycle", "computations", str(exc)))
            defs = {}
        for cid in sorted(defs):
            try:
                evaluate_all(defs, {cid})
            except ArgmapError as exc:
                problems.append(Problem("computation-error", f"computation {cid}", str(exc)))
        for row in conn.execute(text("SELECT id FROM computation WHERE result_json IS NULL ORDER BY id")).fetchall():
            problems.append(Problem("computation-not-run", f"computation {row[0]}", "no stored result (run `argmap compute run`)"))
    return problems
