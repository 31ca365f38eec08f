"""The latency-critical writes (add, object, rebut, support) on a SQLite store, through the
standard library's sqlite3 so that the CLI need not import SQLAlchemy and SQLModel (half a
second) to add one claim. Same rules and messages as the store (``argmap.claims.rules``),
same transaction discipline: foreign keys on, ``BEGIN IMMEDIATE``, all or nothing.

``QuickStore.open`` returns None whenever the full store should handle things instead:
a database URL, a file that does not exist yet, a read-only file, or a schema other than
this program's (the store then creates, upgrades or refuses it).
"""

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from argmap.claims import rules
from argmap.claims.ids import check_id, clean_text, unique_slug
from argmap.errors import ArgmapError

BUSY_TIMEOUT_S = 60


class QuickStore:
    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path, self.conn = path, conn

    @classmethod
    def open(cls, location: str) -> Optional["QuickStore"]:
        if "://" in location:
            return None
        path = Path(location).expanduser()
        if not path.is_file() or not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
            return None
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.Error:
            return None  # not ours, damaged, or busy: the full store explains it properly
        if row is None or row[0] != str(rules.SCHEMA_VERSION):
            conn.close()
            return None
        return cls(path, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "QuickStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _claim_kind(self, claim_id: str) -> Optional[str]:
        row = self.conn.execute("SELECT kind FROM claim WHERE id = ?", (claim_id,)).fetchone()
        return row[0] if row else None

    def add(self, text: str, claim_id: Optional[str] = None, kind: str = "claim",
            target: Optional[str] = None, rtype: Optional[str] = None,
            target_kinds: Optional[tuple[str, ...]] = None) -> str:
        """Add a claim, and (with ``target``) its relation to ``target``, in one transaction."""
        text = clean_text(text)
        rules.check_kind(kind)
        if claim_id is not None:
            check_id(claim_id, "claim id")
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            if target is not None:
                target_kind = self._claim_kind(target)
                if target_kind is None:
                    raise rules.no_claim(target)
                if target_kinds and target_kind not in target_kinds:
                    raise rules.not_an_objection(target, target_kind)
            if claim_id is None:
                claim_id = unique_slug(text, lambda c: self._claim_kind(c) is not None)
            elif self._claim_kind(claim_id) is not None:
                raise rules.claim_exists(claim_id)
            if target == claim_id:
                raise rules.self_relation(claim_id, rtype or "attacks")
            cur.execute("INSERT INTO claim (id, text, kind, base_score, created_at) VALUES (?, ?, ?, 0.5, ?)",
                        (claim_id, text, kind, now))
            if target is not None:
                cur.execute("INSERT INTO relation (source_id, target_id, type, created_at) VALUES (?, ?, ?, ?)",
                            (claim_id, target, rules.check_relation_type(rtype or ""), now))
            cur.execute("COMMIT")
            return claim_id
        except ArgmapError:
            cur.execute("ROLLBACK")
            raise
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                cur.execute("ROLLBACK")
            raise rules.driver_error(str(exc), str(self.path), isinstance(exc, sqlite3.IntegrityError)) from None
        except BaseException:
            if self.conn.in_transaction:
                cur.execute("ROLLBACK")
            raise
