"""The people who may use a served map, their API tokens, their browser sessions and their
failed logins: rows in the store itself, so that every ``argmap serve`` process on one
database agrees on who is who (schema 6). Only digests of secrets are stored; hashing and
the rules about roles are ``argmap.service``'s.

These tables are not part of the map: no history, no export, no generation.
"""

from dataclasses import dataclass
from typing import Optional

from argmap.claims.sql import Sql

ROLES = ("viewer", "editor", "owner")


def schema_sql(dialect: str) -> list[str]:
    serial = "BIGSERIAL PRIMARY KEY" if dialect == "postgresql" else "INTEGER PRIMARY KEY"
    roles = ", ".join(f"'{r}'" for r in ROLES)
    return [
        f"CREATE TABLE account (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ({roles})), "
        f"password TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE api_token (id TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES account (name) "
        "ON DELETE CASCADE, digest TEXT NOT NULL UNIQUE, label TEXT, created_at TEXT NOT NULL)",
        # account NULL: the one person of a server run alone, let in by its start-up token
        "CREATE TABLE web_session (digest TEXT PRIMARY KEY, account TEXT REFERENCES account (name) "
        "ON DELETE CASCADE, csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL)",
        "CREATE INDEX ix_web_session_expires ON web_session (expires_at)",
        f"CREATE TABLE login_failure (id {serial}, account TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE INDEX ix_login_failure_account ON login_failure (account, at)",
    ]


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: str
    password: str = ""  # the stored hash, never shown

    def to_json(self) -> dict:
        return {"name": self.name, "role": self.role, "created_at": self.created_at}


@dataclass(frozen=True)
class SessionRow:
    account: Optional[str]
    csrf: str
    expires_at: str


def count(db: Sql) -> int:
    return int(db.one("SELECT count(*) FROM account")[0])


def get(db: Sql, name: str) -> Optional[Account]:
    row = db.one("SELECT name, role, created_at, password FROM account WHERE name = ?", (name,))
    return None if row is None else Account(*row)


def listing(db: Sql) -> list[Account]:
    return [Account(*r) for r in db.all("SELECT name, role, created_at, password FROM account ORDER BY name")]


def add(db: Sql, name: str, role: str, password_hash: str, now: str) -> None:
    db.run("INSERT INTO account (name, role, password, created_at) VALUES (?, ?, ?, ?)",
           (name, role, password_hash, now))


def set_role(db: Sql, name: str, role: str) -> None:
    db.run("UPDATE account SET role = ? WHERE name = ?", (role, name))


def set_password(db: Sql, name: str, password_hash: str) -> None:
    db.run("UPDATE account SET password = ? WHERE name = ?", (password_hash, name))
    db.run("DELETE FROM web_session WHERE account = ?", (name,))  # a new password ends old sessions


def remove(db: Sql, name: str) -> None:
    for table in ("api_token", "web_session", "login_failure"):
        db.run(f"DELETE FROM {table} WHERE account = ?", (name,))
    db.run("DELETE FROM account WHERE name = ?", (name,))


def add_token(db: Sql, token_id: str, account: str, digest: str, label: Optional[str], now: str) -> None:
    db.run("INSERT INTO api_token (id, account, digest, label, created_at) VALUES (?, ?, ?, ?, ?)",
           (token_id, account, digest, label, now))


def tokens(db: Sql, account: Optional[str] = None) -> list[tuple]:
    """(id, account, label, created_at) of the tokens, of one account or all."""
    where, params = ("WHERE account = ?", (account,)) if account else ("", ())
    return [tuple(r) for r in db.all(f"SELECT id, account, label, created_at FROM api_token {where} "
                                     f"ORDER BY account, created_at, id", params)]


def remove_token(db: Sql, token_id: str) -> bool:
    found = db.one("SELECT 1 FROM api_token WHERE id = ?", (token_id,)) is not None
    db.run("DELETE FROM api_token WHERE id = ?", (token_id,))
    return found


def token_account(db: Sql, digest: str) -> Optional[Account]:
    row = db.one("SELECT a.name, a.role, a.created_at, a.password FROM api_token t JOIN account a "
                 "ON a.name = t.account WHERE t.digest = ?", (digest,))
    return None if row is None else Account(*row)


def add_session(db: Sql, digest: str, account: Optional[str], csrf: str, now: str, expires_at: str) -> None:
    db.run("DELETE FROM web_session WHERE expires_at < ?", (now,))  # the old ones go as new ones come
    db.run("INSERT INTO web_session (digest, account, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
           (digest, account, csrf, now, expires_at))


def session(db: Sql, digest: str, now: str) -> Optional[SessionRow]:
    row = db.one("SELECT account, csrf, expires_at FROM web_session WHERE digest = ? AND expires_at >= ?",
                 (digest, now))
    return None if row is None else SessionRow(*row)


def end_session(db: Sql, digest: str) -> None:
    db.run("DELETE FROM web_session WHERE digest = ?", (digest,))


def failures_since(db: Sql, account: str, since: str) -> list[str]:
    return [r[0] for r in db.all("SELECT at FROM login_failure WHERE account = ? AND at >= ? ORDER BY at",
                                 (account, since))]


def add_failure(db: Sql, account: str, now: str, older_than: str) -> None:
    db.run("DELETE FROM login_failure WHERE at < ?", (older_than,))
    db.run("INSERT INTO login_failure (account, at) VALUES (?, ?)", (account, now))


def clear_failures(db: Sql, account: str) -> None:
    db.run("DELETE FROM login_failure WHERE account = ?", (account,))
