"""What every write to the map's tables sets off inside the database, whoever writes: the
store, the quick path, an import, a migration or someone at the ``sqlite3`` prompt.

- the *generation* in ``meta`` goes up on any change to claims, relations and computations
  (the kept arrays are stale from then on: ``argmap.claims.kept_arrays``);
- each row inserted, updated or deleted in the six tables of the map is written to
  ``change_row`` with its before and after images as JSON, for the history
  (``argmap.claims.history`` groups them into one change per transaction).

A bulk write (an import) runs ``quiet``: the row triggers stand aside, the generation goes up
once, and the writer records what it inserted as one entry per table instead of a row each.
"""

from contextlib import contextmanager
from typing import Iterator

from argmap.claims.sql import Sql

GENERATION_TABLES = ("claim", "relation", "computation")  # what the kept arrays are made of
LOGGED_TABLES = ("claim", "source", "relation", "evidence", "computation", "computation_input", "judgement",
                 "resolution", "argument_scheme", "question_answer", "claim_group", "group_member")
EVENTS = ("INSERT", "UPDATE", "DELETE")
BULK_SETTING = "argmap.bulk"  # PostgreSQL: set for the transaction, the trigger functions return at once


def generation_trigger(table: str, event: str) -> str:
    """The name of SQLite's trigger that bumps the generation on ``event`` in ``table``."""
    return f"bump_{table}_{event.lower()}"


def log_trigger(table: str, event: str) -> str:
    return f"log_{table}_{event.lower()}"


def sqlite_triggers() -> list[tuple[str, str, str]]:
    """(name, table, what it keeps: "generation" or "history") of every trigger a SQLite
    store must have (``argmap check`` looks for them)."""
    return ([(generation_trigger(t, e), t, "generation") for t in GENERATION_TABLES for e in EVENTS]
            + [(log_trigger(t, e), t, "history") for t in LOGGED_TABLES for e in EVENTS])


PG_GENERATION_FUNCTION = f"""CREATE OR REPLACE FUNCTION argmap_bump_generation() RETURNS trigger AS $$
    BEGIN
      IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NULL; END IF;
      UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'; RETURN NULL;
    END $$ LANGUAGE plpgsql"""


def generation_sql(dialect: str) -> list[str]:
    """The generation's counter and triggers (schema 4)."""
    return ["INSERT INTO meta (key, value) VALUES ('generation', '0')", *generation_trigger_sql(dialect)]


def generation_trigger_sql(dialect: str) -> list[str]:
    """The triggers that move the generation: one step per row changed, as the change log
    writes one row per row changed, so that the kept arrays can count one against the other
    (``argmap.claims.array_deltas``; PostgreSQL's were per statement before schema 10). A
    TRUNCATE moves it with nothing logged: the next reader rebuilds."""
    if dialect == "postgresql":
        out = [PG_GENERATION_FUNCTION]
        for table in GENERATION_TABLES:  # "bump_" sorts before "log_": the counter is locked first
            out += [f"CREATE TRIGGER bump_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION argmap_bump_generation()",
                    f"CREATE TRIGGER bump_{table}_truncate AFTER TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION argmap_bump_generation()"]
        return out
    return [f"CREATE TRIGGER {generation_trigger(table, event)} AFTER {event} ON {table} BEGIN "
            f"UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'; END"
            for table in GENERATION_TABLES for event in EVENTS]


def log_sql(dialect: str, columns: dict[str, list[str]]) -> list[str]:
    """The change log's row triggers (schema 5) of the tables in ``columns`` (each with its
    columns)."""
    if dialect == "postgresql":
        return [f"""CREATE OR REPLACE FUNCTION argmap_log_row() RETURNS trigger AS $$
                   BEGIN
                     IF current_setting('{BULK_SETTING}', true) = 'on' THEN RETURN NULL; END IF;
                     IF TG_OP = 'INSERT' THEN
                       INSERT INTO change_row (tbl, op, row_id, after)
                       VALUES (TG_TABLE_NAME, 'insert', NEW.id::text, to_jsonb(NEW)::text);
                     ELSIF TG_OP = 'UPDATE' THEN
                       INSERT INTO change_row (tbl, op, row_id, before, after)
                       VALUES (TG_TABLE_NAME, 'update', NEW.id::text, to_jsonb(OLD)::text, to_jsonb(NEW)::text);
                     ELSE
                       INSERT INTO change_row (tbl, op, row_id, before)
                       VALUES (TG_TABLE_NAME, 'delete', OLD.id::text, to_jsonb(OLD)::text);
                     END IF;
                     RETURN NULL;
                   END $$ LANGUAGE plpgsql"""] + [
            f"CREATE TRIGGER log_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION argmap_log_row()" for table in columns]

    def image(row: str, table: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {row}.\"{c}\"" for c in columns[table]) + ")"

    out = []
    for table in columns:
        out.append(f"CREATE TRIGGER {log_trigger(table, 'INSERT')} AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO change_row (tbl, op, row_id, after) "
                   f"VALUES ('{table}', 'insert', CAST(NEW.id AS TEXT), {image('NEW', table)}); END")
        out.append(f"CREATE TRIGGER {log_trigger(table, 'UPDATE')} AFTER UPDATE ON {table} BEGIN "
                   f"INSERT INTO change_row (tbl, op, row_id, before, after) "
                   f"VALUES ('{table}', 'update', CAST(NEW.id AS TEXT), {image('OLD', table)}, {image('NEW', table)}); END")
        out.append(f"CREATE TRIGGER {log_trigger(table, 'DELETE')} AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO change_row (tbl, op, row_id, before) "
                   f"VALUES ('{table}', 'delete', CAST(OLD.id AS TEXT), {image('OLD', table)}); END")
    return out


NOTIFY_CHANNEL = "argmap_change"


def notify_sql(dialect: str) -> list[str]:
    """PostgreSQL: each new change is announced on ``NOTIFY_CHANNEL`` as "schema:rev", at its
    commit, whoever wrote it (schema 6). SQLite has no such thing: servers watch the head."""
    if dialect != "postgresql":
        return []
    return [f"""CREATE OR REPLACE FUNCTION argmap_notify_change() RETURNS trigger AS $$
                BEGIN PERFORM pg_notify('{NOTIFY_CHANNEL}', current_schema() || ':' || NEW.rev::text); RETURN NULL; END
                $$ LANGUAGE plpgsql""",
            "CREATE TRIGGER notify_change AFTER INSERT ON change FOR EACH ROW EXECUTE FUNCTION argmap_notify_change()"]


@contextmanager
def quiet(db: Sql) -> Iterator[None]:
    """A bulk write without a trigger per row: on SQLite the triggers are dropped and made
    again in the writer's transaction (SQLite's DDL is transactional, and its one writer at a
    time means no other writer can slip past them); on PostgreSQL a transaction-local setting
    makes the trigger functions return at once. The generation goes up once, at the end."""
    if db.dialect == "postgresql":
        db.run(f"SELECT set_config('{BULK_SETTING}', 'on', true)")
        yield
        db.run(f"SELECT set_config('{BULK_SETTING}', 'off', true)")
    else:
        kept = db.all("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL "
                      "AND (name LIKE 'bump\\_%' ESCAPE '\\' OR name LIKE 'log\\_%' ESCAPE '\\')")
        for name, _ in kept:
            db.run(f'DROP TRIGGER "{name}"')
        yield
        for _, ddl in kept:
            db.run(ddl)
    db.run("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
           if db.dialect != "postgresql" else
           "UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")
