"""Schema versions: a fresh store gets the current schema; an older one is upgraded.

Migrations are small numbered functions (as in sqlite-utils and llm), each run in one
transaction after a backup copy of the SQLite file has been made. A store newer than
this program is refused untouched.
"""

import shutil
from pathlib import Path
from typing import Callable, Optional

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from argmap.claims.db import create_schema, guarded, table_names
from argmap.errors import StoreError

from argmap.claims.rules import SCHEMA_VERSION  # noqa: E402
ARGMAP_TABLES = {"meta", "claim", "relation", "source", "evidence", "computation", "computation_input", "kept_arrays", "kept_results",
                 "change", "change_row", "account", "api_token", "web_session", "login_failure", "judgement", "resolution",
                 "argument_scheme", "question_answer", "claim_group", "group_member"}

def _v1_to_v2(conn: Connection) -> None:
    """Claims remember when they were last edited; relations are indexed by type."""
    stamp = "TIMESTAMP" if conn.dialect.name == "postgresql" else "DATETIME"
    conn.execute(text(f"ALTER TABLE claim ADD COLUMN updated_at {stamp}"))
    conn.execute(text("UPDATE claim SET updated_at = created_at"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_relation_type ON relation (type)"))


def _v2_to_v3(conn: Connection) -> None:
    """Claims may be arguments (inferences, kind 'argument') and keep the title a map gave them.
    SQLite cannot alter a CHECK constraint: the claim table is rebuilt (foreign keys are off
    during migrations, and checked before the commit)."""
    from argmap.claims.rules import KINDS, sql_list
    conn.execute(text("ALTER TABLE claim ADD COLUMN title TEXT"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE claim DROP CONSTRAINT claim_kind"))
        conn.execute(text(f"ALTER TABLE claim ADD CONSTRAINT claim_kind CHECK (kind IN ({sql_list(KINDS)}))"))
        return
    from sqlalchemy.schema import CreateIndex, CreateTable
    from argmap.claims.models import Claim
    conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")  # keep the other tables' references to "claim"
    try:
        conn.exec_driver_sql("ALTER TABLE claim RENAME TO claim_v2")
        conn.execute(CreateTable(Claim.__table__))
        columns = ", ".join(f'"{c.name}"' for c in Claim.__table__.columns)
        conn.exec_driver_sql(f"INSERT INTO claim ({columns}) SELECT {columns} FROM claim_v2")
        conn.exec_driver_sql("DROP TABLE claim_v2")
        for index in Claim.__table__.indexes:
            conn.execute(CreateIndex(index))
    finally:
        conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")


def _v3_to_v4(conn: Connection) -> None:
    """The argument graph is kept as arrays, stamped with a generation that triggers bump on
    every change to claims, relations and computations (``argmap.claims.kept_arrays``)."""
    from argmap.claims.kept_arrays import table_sql
    from argmap.claims.triggers import generation_sql
    for statement in [*table_sql(conn.dialect.name), *generation_sql(conn.dialect.name)]:
        conn.exec_driver_sql(statement)


def _v4_to_v5(conn: Connection) -> None:
    """A change log: every row written to the map's tables, grouped into one change per
    transaction with its author and command (``argmap.claims.history``). The rows already in
    the store stay as they are; the history starts here."""
    from argmap.claims.history import schema_sql
    for statement in schema_sql(conn.dialect.name):
        conn.exec_driver_sql(statement)
    make_log_triggers(conn)


def _v5_to_v6(conn: Connection) -> None:
    """The people who may use a served map (``argmap.claims.accounts``), and on PostgreSQL a
    notification on every new change, so that each ``argmap serve`` on the database hears of
    every writer's changes at once (LISTEN/NOTIFY; SQLite servers watch the latest revision)."""
    from argmap.claims.accounts import schema_sql
    from argmap.claims.triggers import notify_sql
    for statement in [*schema_sql(conn.dialect.name), *notify_sql(conn.dialect.name)]:
        conn.exec_driver_sql(statement)


def _v6_to_v7(conn: Connection) -> None:
    """People's judgements: one credence per claim and person (``argmap judge``), and the
    claims that resolve (``argmap resolve``), in the history like every row of the map."""
    from argmap.claims import models
    models.Judgement.__table__.create(conn, checkfirst=True)
    models.Resolution.__table__.create(conn, checkfirst=True)
    make_log_triggers(conn, (models.Judgement, models.Resolution))


def _v7_to_v8(conn: Connection) -> None:
    """Argumentation schemes: the scheme each inference follows, and which claim answers
    each of its critical questions (``argmap ask``), in the history like every row of the map."""
    from argmap.claims import models
    models.ArgumentScheme.__table__.create(conn, checkfirst=True)
    models.QuestionAnswer.__table__.create(conn, checkfirst=True)
    make_log_triggers(conn, (models.ArgumentScheme, models.QuestionAnswer))


def _v8_to_v9(conn: Connection) -> None:
    """Sources keep the SHA-256 of the file their text was read from, and quotes where in the
    source's text they are (a W3C TextQuoteSelector: the sentence before, the words, the
    sentence after). The change log's triggers of the two tables are remade with the columns."""
    from argmap.claims import models
    from sqlalchemy import inspect
    for table, column, type_ in (("source", "sha256", "VARCHAR"), ("evidence", "selector", "TEXT")):
        if column not in {c["name"] for c in inspect(conn).get_columns(table)}:  # made from these models already
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {type_}")
    drop_log_triggers(conn, ("source", "evidence"))
    make_log_triggers(conn, (models.Source, models.Evidence))


def _v9_to_v10(conn: Connection) -> None:
    """Kept arrays are patched from the change log after a write instead of rebuilt
    (``argmap.claims.array_deltas``): they remember the last logged row they reflect and the
    relations' row ids, the labels and strengths move to a row of their own, and on
    PostgreSQL the generation moves per row, as the log does."""
    from sqlalchemy import inspect

    from argmap.claims.kept_arrays import results_sql
    from argmap.claims.triggers import GENERATION_TABLES, generation_trigger_sql
    pg = conn.dialect.name == "postgresql"
    present = {c["name"] for c in inspect(conn).get_columns("kept_arrays")}
    conn.exec_driver_sql("DELETE FROM kept_arrays")  # kept in the old order: built again by the next reader
    for column, type_ in (("logged", "BIGINT" if pg else "INTEGER"), ("relation_ids", "BYTEA" if pg else "BLOB")):
        if column not in present:
            conn.exec_driver_sql(f"ALTER TABLE kept_arrays ADD COLUMN {column} {type_}")
    for column in ("labels", "strengths", "converged"):  # now in a row of their own: kept_results
        if column in present:
            conn.exec_driver_sql(f"ALTER TABLE kept_arrays DROP COLUMN {column}")
    if "kept_results" not in inspect(conn).get_table_names():
        conn.exec_driver_sql(results_sql(conn.dialect.name))
    if pg:
        for table in GENERATION_TABLES:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS bump_{table} ON {table}")
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS bump_{table}_truncate ON {table}")
        for statement in generation_trigger_sql("postgresql"):
            conn.exec_driver_sql(statement)


def _v10_to_v11(conn: Connection) -> None:
    """Groups: named, nested parts of a map (Argdown's headings, Kialo's sub-discussions) and
    the claims in each, in the history like every row of the map."""
    from argmap.claims import models
    models.ClaimGroup.__table__.create(conn, checkfirst=True)
    models.GroupMember.__table__.create(conn, checkfirst=True)
    drop_log_triggers(conn, ("claim_group", "group_member"))  # a store marked older than its tables: made again
    make_log_triggers(conn, (models.ClaimGroup, models.GroupMember))


def drop_log_triggers(conn: Connection, tables: tuple[str, ...]) -> None:
    """The change log's triggers of ``tables``, dropped where they exist (to be made again)."""
    from argmap.claims.triggers import EVENTS, log_trigger
    for table in tables:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS log_{table} ON {table}")
        else:
            for event in EVENTS:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {log_trigger(table, event)}")


def make_log_triggers(conn: Connection, tables: Optional[tuple] = None) -> None:
    """The change log's row triggers, for the tables' columns as the models have them now
    (the tables of schema 5 unless ``tables`` says which). SQLite's list the columns: a
    migration that adds one drops ``log_*`` and calls this."""
    from argmap.claims import models
    from argmap.claims.triggers import log_sql
    tables = {t.__tablename__: [c.name for c in t.__table__.columns] for t in tables or (
        models.Claim, models.Source, models.Relation, models.Evidence, models.Computation, models.ComputationInput)}
    for statement in log_sql(conn.dialect.name, tables):
        conn.exec_driver_sql(statement)


# version N -> function upgrading a store from N to N+1, each run in its own transaction
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5,
                                                       5: _v5_to_v6, 6: _v6_to_v7, 7: _v7_to_v8,
                                                       8: _v8_to_v9, 9: _v9_to_v10, 10: _v10_to_v11}


def read_version(conn: Connection, where: str = "the store") -> Optional[int]:
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    if row is None:
        return None
    value = str(row[0]).strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6 or int(value) < 1:
        raise StoreError(f"{where} is not an argmap database (its schema version is {value[:20]!r}, "
                         f"not a number from 1 up)")
    return int(value)


def ensure_schema(engine: Engine, where: str, sqlite_file: Optional[Path]) -> int:
    """Create, check or upgrade the schema; return the version now in force."""
    with guarded(where):
        present = table_names(engine)
        if not present and _has_other_objects(engine):
            raise StoreError(f"{where} is not an argmap database (it has views or other objects)")
        if not present:
            create_schema(engine)
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
                             {"v": str(SCHEMA_VERSION)})
                _v3_to_v4(conn)
                _v4_to_v5(conn)
                _v5_to_v6(conn)
                _v6_to_v7(conn)
                _v7_to_v8(conn)
                _v10_to_v11(conn)
            return SCHEMA_VERSION
        if "meta" not in present or "claim" not in present:
            raise StoreError(f"{where} is not an argmap database (it has other tables)")
        with engine.connect() as conn:
            version = read_version(conn, where)
        if version is None:
            raise StoreError(f"{where} is not an argmap database (no schema version recorded)")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{where} was written by a newer argmap (schema {version}, this program knows "
                f"up to {SCHEMA_VERSION}); upgrade argmap to use it")
        if version < SCHEMA_VERSION:
            if any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):  # refused before any backup
                raise StoreError(f"{where} has schema {version}, which this argmap cannot upgrade")
            migrate(engine, version, sqlite_file)
        return SCHEMA_VERSION


def _has_other_objects(engine: Engine) -> bool:
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one() > 0


def backup_path(sqlite_file: Path, version: int) -> Path:
    return sqlite_file.with_name(f"{sqlite_file.name}.schema{version}.bak")


def migrate(engine: Engine, version: int, sqlite_file: Optional[Path]) -> None:
    """Back the file up, then apply each step in its own transaction (a failed step leaves
    the store at the last version that completed, and the backup untouched)."""
    if sqlite_file is not None:
        raw = engine.raw_connection()  # fold the WAL in so the copy is whole (outside any transaction)
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()
        backup = backup_path(sqlite_file, version)
        if not backup.exists():
            try:
                shutil.copy2(sqlite_file, backup)
            except OSError as exc:
                raise StoreError(f"cannot back up {sqlite_file} before upgrading it: {exc.strerror}") from None
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
            if raw is not None:  # before BEGIN, or SQLite ignores it: lets a step rebuild a table
                raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    step(conn)
                    if raw is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                        raise StoreError(f"upgrading to schema {version + 1} would break a reference; nothing changed")
                    version += 1
                    conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(version)})
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys=ON")
