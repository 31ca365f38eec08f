"""Plain SQL inside an open transaction, whichever driver carries it (no heavy imports)."""

from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Optional, Sequence

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's DateTime stores a time in SQLite


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def chunks(ids: Any, size: int = 900) -> list[list[Any]]:
    """Under SQLite's default limit of 999 parameters per statement."""
    ordered = sorted(ids)
    return [ordered[n:n + size] for n in range(0, len(ordered), size)]


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

    def _run(self, sql: str, params: Any, fetch: str) -> Any:
        """Execute (``many``: ``params`` is a list of rows) and fetch; driver errors become one
        line naming the store."""
        cur = self.conn.cursor()
        try:
            sql = sql.replace("?", "%s") if self.format else sql
            if fetch == "many":
                cur.executemany(sql, [tuple(r) for r in params])
                return None
            cur.execute(sql, tuple(params))
            if fetch == "dicts":
                names = [d[0] for d in cur.description]
                return [dict(zip(names, row)) for row in cur.fetchall()]
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

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement for many rows (the driver's executemany)."""
        if rows:
            self._run(sql, rows, "many")

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows as dicts by column name."""
        return self._run(sql, params, "dicts")

    def all_in(self, query: str, column: Optional[str], ids: Optional[Iterable[Any]],
               as_dicts: bool = False) -> list[Any]:
        """``query`` for the whole store, or with ``WHERE column IN (...)`` in chunks for ``ids``."""
        fetch = "dicts" if as_dicts else "all"
        if ids is None or column is None:
            return self._run(query, (), fetch)
        out: list[Any] = []
        for part in chunks(ids):
            out += self._run(f"{query} WHERE {column} IN ({', '.join('?' for _ in part)})", part, fetch)
        return out

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
