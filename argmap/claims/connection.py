"""How every connection to a store is set up and written through, stated once.

Both ways in use it: the SQLAlchemy engine of ``Store`` (on each new connection) and the
standard library's ``sqlite3`` of the quick path (``argmap.claims.quick``), which spares the
CLI half a second of imports for one ``argmap object``. No heavy imports here.
"""

from contextlib import contextmanager
from typing import Any, Iterator

from argmap.claims.sql import SQLITE_TIME, Sql, timestamp, utcnow  # noqa: F401  (re-exported)

BUSY_TIMEOUT_S = 60  # concurrent writers queue this long instead of failing


def configure_sqlite(dbapi_conn: Any) -> None:
    """Foreign keys on, a busy timeout, and transactions begun by us (``BEGIN IMMEDIATE``)."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.close()


@contextmanager
def sqlite_transaction(conn: Any, where: str) -> Iterator[Sql]:
    """One user action on a plain ``sqlite3`` connection: all or nothing, driver errors as
    one line naming the store."""
    import sqlite3

    from argmap.claims.history import adopt_outside_edits, note_sealed, seal
    from argmap.claims.rules import driver_error
    from argmap.errors import ArgmapError
    conn.execute("BEGIN IMMEDIATE")
    try:
        db = Sql(conn, "sqlite")
        adopt_outside_edits(db)
        yield db
        rev = seal(db)
        conn.execute("COMMIT")
        note_sealed(rev)  # the revision it made, if it wrote
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
