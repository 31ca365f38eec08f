"""How every connection to a store is set up and written through, stated once.

Both ways in use it: the SQLAlchemy engine of ``Store`` (on each new connection) and the
standard library's ``sqlite3`` of the quick path (``argmap.claims.quick``), which spares the
CLI half a second of imports for one ``argmap object``. No heavy imports here.
"""

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator, Optional, Sequence

BUSY_TIMEOUT_S = 60  # concurrent writers queue this long instead of failing
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's DateTime stores a time in SQLite


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def configure_sqlite(dbapi_conn: Any) -> None:
    """Foreign keys on, a busy timeout, and transactions begun by us (``BEGIN IMMEDIATE``)."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.close()


def timestamp(dialect: str) -> Any:
    """Now, in the form the driver takes: SQLAlchemy's SQLite DateTime text, or a datetime."""
    now = utcnow()
    return now.strftime(SQLITE_TIME) if dialect == "sqlite" else now


class Sql:
    """A DB-API connection inside an open transaction, spoken to with ``?`` placeholders
    whatever the driver's own style (psycopg wants ``%s``)."""

    def __init__(self, dbapi_conn: Any, dialect: str, dbapi: Any = None, where: str = "the store"):
        self.conn, self.dialect, self.dbapi, self.where = dbapi_conn, dialect, dbapi, where
        self.format = dialect != "sqlite"

    def _run(self, sql: str, params: Sequence[Any], fetch: str) -> Any:
        cur = self.conn.cursor()
        try:
            cur.execute(sql.replace("?", "%s") if self.format else sql, tuple(params))
            return cur.fetchone() if fetch == "one" else cur.fetchall() if fetch == "all" else None
        except Exception as exc:
            if self.dbapi is None or not isinstance(exc, self.dbapi.Error):
                raise
            from argmap.claims.rules import driver_error
            raise driver_error(str(exc), self.where, isinstance(exc, self.dbapi.IntegrityError)) from None
        finally:
            cur.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Optional[tuple]:
        return self._run(sql, params, "one")

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._run(sql, params, "all")

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._run(sql, params, "")

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 5_000) -> Iterator[tuple]:
        """The rows of a query a few thousand at a time, for an export of any size in little memory."""
        cur = self.conn.cursor()
        try:
            cur.execute(sql.replace("?", "%s") if self.format else sql, tuple(params))
            while True:
                rows = cur.fetchmany(size)
                if not rows:
                    return
                yield from rows
        finally:
            cur.close()

    def now(self) -> Any:
        return timestamp(self.dialect)


@contextmanager
def sqlite_transaction(conn: Any, where: str) -> Iterator[Sql]:
    """One user action on a plain ``sqlite3`` connection: all or nothing, driver errors as
    one line naming the store."""
    import sqlite3

    from argmap.claims.rules import driver_error
    from argmap.errors import ArgmapError
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield Sql(conn, "sqlite")
        conn.execute("COMMIT")
    except ArgmapError:
        conn.execute("ROLLBACK")
        raise
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise driver_error(str(exc), where, isinstance(exc, sqlite3.IntegrityError)) from None
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
