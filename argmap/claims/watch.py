"""Hearing of new changes as soon as any writer commits them: the CLI, an import, another
server, a page. PostgreSQL says so itself (LISTEN on the channel that every new change is
announced on, ``triggers.notify_sql``); on SQLite the latest revision is read a few times a
second on a connection of its own (one indexed ``max``: cheap, and WAL readers never block
writers).
"""

import threading
from typing import Any, Optional

from argmap.claims.triggers import NOTIFY_CHANNEL

SQLITE_POLL_S = 0.2
PG_FALLBACK_S = 5.0  # LISTEN can miss nothing once listening; a look now and then costs nothing


class ChangeWatcher:
    """``wait(timeout)`` returns the latest revision once it may have moved (or the timeout
    passed). One connection, held by one thread."""

    def __init__(self, engine: Any, sqlite_file: Optional[Any] = None):
        self.sqlite = sqlite_file is not None
        raw = engine.raw_connection()
        self.conn = raw.driver_connection
        raw.detach()  # the watcher's own, never handed back to the pool
        self.closed = threading.Event()
        if self.sqlite:
            self.conn.isolation_level = None  # autocommit: every read sees the latest commit
        else:
            self.conn.autocommit = True
            self.conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def head(self) -> int:
        row = self.conn.execute("SELECT max(rev) FROM change").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def wait(self, timeout: float = 1.0) -> int:
        if self.sqlite:
            self.closed.wait(min(timeout, SQLITE_POLL_S))
            return self.head()
        for _ in self.conn.notifies(timeout=min(timeout, PG_FALLBACK_S), stop_after=1):
            pass  # one is enough to look (a store in another schema of the database may have sent it)
        return self.head()

    def close(self) -> None:
        self.closed.set()
        try:
            self.conn.close()
        except Exception:
            pass
