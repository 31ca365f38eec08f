"""The latency-critical commands on a SQLite store, through the standard library's sqlite3
so that the CLI need not import SQLAlchemy and SQLModel (half a second): the writes add,
object, rebut and support, and the reads of ``status`` and ``list``. The write itself is
``argmap.claims.writes`` and the reads ``argmap.claims.plain_reads``, the same code
``Store`` runs; the connection is set up by ``argmap.claims.connection``, as the store's is.

``QuickStore.open`` returns None whenever the full store should handle things instead:
a database URL, a file that does not exist yet, a read-only file for a write, or a schema
other than this program's (the store then creates, upgrades or refuses it).
"""

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional, TypeVar

from argmap.claims import rules, writes
from argmap.claims.connection import BUSY_TIMEOUT_S, Sql, configure_sqlite, sqlite_transaction
from argmap.claims.location import connect_sqlite, note_closed, note_open, sqlite_file
from argmap.claims.records import ClaimRecord

T = TypeVar("T")


class QuickStore:
    def __init__(self, path: Path, conn: sqlite3.Connection, writable: bool = True):
        self.path, self.conn, self.writable = path, conn, writable
        note_open(path)  # no output may be written over it (argmap.graph.files)

    @classmethod
    def open(cls, location: str, reading: bool = False) -> Optional["QuickStore"]:
        """The store at ``location`` for a write, or with ``reading`` for a read (a read-only
        file is then opened with SQLite's mode=ro, so that nothing can reach it)."""
        path = sqlite_file(location)
        if path is None:
            return None
        if not path.is_file():
            return None
        writable = os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
        if not writable and not reading:
            return None
        try:
            conn = connect_sqlite(path, read_only=not writable, timeout=BUSY_TIMEOUT_S)
            configure_sqlite(conn)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.Error:
            return None  # not ours, damaged, or busy: the full store explains it properly
        if row is None or row[0] != str(rules.SCHEMA_VERSION):
            conn.close()
            return None
        return cls(path, conn, writable)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
            note_closed(self.path)

    def __enter__(self) -> "QuickStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, verb: str, text: str, claim_id: Optional[str] = None, target: Optional[str] = None,
            kind: Optional[str] = None) -> ClaimRecord:
        """``argmap add/object/rebut/support`` in one transaction (see ``rules.VERBS``)."""
        with sqlite_transaction(self.conn, str(self.path)) as db:
            return writes.add_claim(db, verb, text, claim_id, target, kind)

    @classmethod
    def read(cls, location: str, work: Callable[[Sql], T]) -> Optional[T]:
        """``work(db)`` in one read on the store at ``location`` through this path, or None when
        the full store must do it (``work`` itself never answers None)."""
        quick = cls.open(location, reading=True)
        if quick is None:
            return None
        with quick, quick.reading() as db:
            return work(db)

    @contextmanager
    def reading(self) -> Iterator[Sql]:
        """One consistent read (which may keep the store's arrays when the file is writable)."""
        if not self.writable:
            self.conn.execute("BEGIN")
            try:
                yield Sql(self.conn, "sqlite", sqlite3, str(self.path))
            finally:
                self.conn.execute("ROLLBACK")
            return
        with sqlite_transaction(self.conn, str(self.path)) as db:
            yield db
