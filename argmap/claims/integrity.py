"""The store's own integrity, problem by problem: what the schema should guarantee (SQLite's
integrity and foreign-key checks, orphans, self-loops, unknown kinds), checked again for
stores edited by other tools. ``argmap.evidence.integrity`` adds what the schema cannot.
"""

from sqlalchemy import text
from sqlmodel import Session

from argmap.claims.rules import KINDS, RELATION_TYPES, sql_list

Found = tuple[str, str, str]  # (kind of problem, what, message)



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
    ("bad-kind", "SELECT id, kind FROM claim WHERE kind NOT IN (" + sql_list(KINDS) + ")",
     lambda r: (f"claim {r[0]}", f"unknown kind {r[1]!r}")),
    ("bad-relation", "SELECT id, type FROM relation WHERE type NOT IN (" + sql_list(RELATION_TYPES) + ")",
     lambda r: (f"relation {r[0]}", f"unknown type {r[1]!r}")),
]




def problems(s: Session) -> list[Found]:
    found: list[Found] = []
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        for (msg,) in conn.exec_driver_sql("PRAGMA integrity_check").fetchall():
            if msg != "ok":
                found.append(("sqlite-integrity", "database", msg))
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
            found.append(("foreign-key", f"{row[0]} row {row[1]}", f"points at a missing {row[2]}"))
    for kind, sql, describe in ORPHANS:
        for row in conn.execute(text(sql)).fetchall():
            where, message = describe(row)
            found.append((kind, where, message))
    if not found:  # the kept arrays are checked against rows known to be sound
        from argmap.claims import kept_arrays, plain_reads
        from argmap.claims.reads import sql_of
        db = sql_of(s)
        found += kept_arrays.problems(db, lambda: plain_reads.build_from_rows(db))
    return found


def computations_not_run(s: Session) -> list[str]:
    rows = s.connection().execute(text("SELECT id FROM computation WHERE result_json IS NULL ORDER BY id"))
    return [row[0] for row in rows.fetchall()]
