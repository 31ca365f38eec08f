"""Opening a store: where it is, how each connection is set up, which schema it has.

A plain path is a SQLite file, opened by name as it is (``location``); anything with ``://``
is handed to SQLAlchemy as is (PostgreSQL for a team). Every SQLite connection gets foreign keys, WAL and a busy timeout, and each
transaction starts with ``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing
half-way.
"""

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine

from argmap.claims import models
from argmap.claims.connection import BUSY_TIMEOUT_S, Sql, configure_sqlite
from argmap.errors import ArgmapError, StoreError

from argmap.claims.location import DEFAULT_DB, ENV_VAR, connect_sqlite, resolve_location  # noqa: F401  (re-exported)



def to_url(location: str) -> str:
    """A location given as a URL, checked (a plain path never comes here: see ``location``)."""
    try:
        make_url(location)
    except Exception:  # sqlalchemy's message quotes the URL, password and all: not chained
        from argmap.errors import redact
        raise StoreError(f"not a valid database URL: {redact(location)!r}") from None
    return location


def sqlite_path(url: str) -> Optional[Path]:
    """The file of a ``sqlite:///...`` URL given as such (SQLAlchemy reads it as it will)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def check_sqlite_location(path: Path, create: bool) -> None:
    """Refuse locations SQLite would fail on with an obscure message."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not an argmap database file")
    if not path.exists():
        if not path.parent.exists():
            raise StoreError(f"cannot create {path}: directory {path.parent} does not exist")
        if not create:
            raise StoreError(f"no argmap store at {path} (create one with `argmap init` or `argmap demo`)")
        if not os.access(path.parent, os.W_OK):
            raise StoreError(f"cannot create {path}: directory {path.parent} is not writable")


def is_read_only(path: Path) -> bool:
    """No write permission, by access() or by the mode bits (root ignores the bits, we do not)."""
    try:
        return not os.access(path, os.W_OK) or not (path.stat().st_mode & 0o222)
    except OSError:
        return False


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised through every test
        configure_sqlite(dbapi_conn)  # we issue BEGIN ourselves, below

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def use_wal(engine: Engine) -> None:
    """Switch an argmap SQLite store to WAL (persistent in the file), once its schema is known
    to be ours: a foreign or newer file is never touched."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cur.execute("PRAGMA journal_mode=WAL").fetchall()
    finally:
        raw.close()


DRIVER_PACKAGES = {"psycopg": "argmap[postgres]", "psycopg2": "psycopg2-binary", "pymysql": "PyMySQL"}


def sqlite_engine(path: Path, read_only: bool = False) -> Engine:
    """An engine on exactly the file ``path`` names: connections are made by
    ``location.connect_sqlite``, as the quick path makes them, never from a URL that
    SQLAlchemy would decode."""
    from sqlalchemy.pool import QueuePool

    def connect():
        return connect_sqlite(path, read_only, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)
    _sqlite_setup(engine)
    return engine


def make_engine(url: str) -> Engine:
    from sqlalchemy.exc import NoSuchModuleError
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
            _sqlite_setup(engine)
            return engine
        return create_engine(url)
    except ImportError as exc:  # the URL's driver is not installed
        module = (exc.name or "the driver").split(".")[0]
        package = DRIVER_PACKAGES.get(module, module)
        raise StoreError(f"the database driver {module!r} for {make_url(url).drivername} is not installed "
                         f"(pip install '{package}')") from None
    except NoSuchModuleError:
        raise StoreError(f"unknown kind of database in {make_url(url).drivername!r}: use a SQLite path or "
                         f"postgresql+psycopg://...") from None


def describe_db_error(exc: SQLAlchemyError, where: str) -> ArgmapError:
    """Turn a driver error into one line a user can act on."""
    from argmap.claims.rules import driver_error
    text = str(getattr(exc, "orig", exc)) or exc.__class__.__name__
    return driver_error(text, where, integrity=isinstance(exc, IntegrityError))


@contextmanager
def guarded(where: str) -> Iterator[None]:
    """Re-raise driver errors as ArgmapErrors naming the store."""
    try:
        yield
    except ArgmapError:
        raise
    except (OperationalError, DatabaseError, IntegrityError) as exc:
        raise describe_db_error(exc, where) from exc
    except UnicodeEncodeError:
        from argmap.errors import InvalidInput
        raise InvalidInput("a value is not valid UTF-8 text") from None
    except OverflowError:  # a Python int too large for an INTEGER column
        from argmap.errors import InvalidInput
        raise InvalidInput("a number is too large for the store (at most 2**63 - 1)") from None
    except SQLAlchemyError as exc:
        raise describe_db_error(exc, where) from exc


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in (
        models.Meta, models.Claim, models.Relation, models.Source, models.Evidence,
        models.Computation, models.ComputationInput)])


def sql_of(s: Session, where: str = "the store") -> Sql:
    """The session's own DB-API connection, spoken to in plain SQL (``plain_reads``, ``writes``)."""
    conn = s.connection()
    return Sql(conn.connection, conn.dialect.name, conn.dialect.loaded_dbapi, where)


@contextmanager
def transaction(engine: Engine, where: str) -> Iterator[Session]:
    """One user action: commit on success, roll back everything on any error. What it wrote
    becomes one change in the history (``argmap.claims.history``), in the same transaction."""
    from argmap.claims.history import adopt_outside_edits, note_sealed, seal
    with guarded(where):
        with Session(engine, expire_on_commit=False) as session:
            with session.begin():
                adopt_outside_edits(sql_of(session, where))
                yield session
                session.flush()  # the ORM's pending rows reach the triggers before the change is sealed
                rev = seal(sql_of(session, where))
        note_sealed(rev)  # committed: the revision it made, if it wrote
