"""The latency-critical writes (add, object, rebut, support) on a SQLite store, through the
standard library's sqlite3 so that the CLI need not import SQLAlchemy and SQLModel (half a
second) to add one claim. The write itself is ``argmap.claims.writes``, the same code
``Store`` runs; the connection is set up by ``argmap.claims.connection``, as the store's is.

``QuickStore.open`` returns None whenever the full store should handle things instead:
a database URL, a file that does not exist yet, a read-only file, or a schema other than
this program's (the store then creates, upgrades or refuses it).
"""

import os
import sqlite3
from pathlib import Path
from typing import Optional

from argmap.claims import rules, writes
from argmap.claims.connection import BUSY_TIMEOUT_S, configure_sqlite, sqlite_transaction
from argmap.claims.records import ClaimRecord


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
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
            configure_sqlite(conn)
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

    def add(self, verb: str, text: str, claim_id: Optional[str] = None, target: Optional[str] = None,
            kind: Optional[str] = None) -> ClaimRecord:
        """``argmap add/object/rebut/support`` in one transaction (see ``rules.VERBS``)."""
        with sqlite_transaction(self.conn, str(self.path)) as db:
            return writes.add_claim(db, verb, text, claim_id, target, kind)
