"""The people of a served map: accounts with a role and a password, API tokens for scripts,
browser sessions, and the limit on failed logins. Secrets are kept only as digests:
passwords with scrypt (the standard library's, memory-hard), tokens and session ids (random,
256 bits) with SHA-256. Nothing here returns or logs a secret except the one new token or
session id it has just made, to be handed to its owner once.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from typing import Optional

from argmap.claims import accounts as rows
from argmap.claims.accounts import ROLES, Account
from argmap.claims.ids import check_id
from argmap.claims.sql import Sql
from argmap.errors import AlreadyExists, InvalidInput, NotAuthenticated, NotFound, TooMany

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1  # 16 MB and some 50 ms a guess
MIN_PASSWORD, MAX_PASSWORD = 8, 1_024
SESSION_HOURS = 12
FAILURES_ALLOWED, FAILURE_WINDOW_S = 5, 15 * 60  # per account name, across every server on the store
TOKEN_PREFIX = "argmap_"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD:,} characters")
    if password != password.strip() or "\n" in password:
        raise InvalidInput("a password cannot begin or end with white space, or hold a line break")
    return password


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


_DUMMY = None  # a hash to check against when the name is unknown, so both take as long


def verify_password(password: str, stored: Optional[str]) -> bool:
    global _DUMMY
    if stored is None:
        _DUMMY = _DUMMY or hash_password("not anyone's password")
        stored, password = _DUMMY, password + "\x00"
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password[:MAX_PASSWORD + 1].encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r),
                             p=int(p), maxmem=64 * 1024 * 1024, dklen=len(_unb64(key)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(key))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def now_text(delta: timedelta = timedelta()) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: use {', '.join(ROLES)}")
    return role


def check_name(name: str) -> str:
    return check_id(name, "user name")


def require_account(db: Sql, name: str) -> Account:
    found = rows.get(db, name)
    if found is None:
        raise NotFound(f"no user {name!r} (see `argmap user list`)")
    return found


def add_user(db: Sql, name: str, role: str, password: str) -> Account:
    check_name(name)
    check_role(role)
    check_password(password)
    if rows.get(db, name) is not None:
        raise AlreadyExists(f"a user {name!r} already exists")
    rows.add(db, name, role, hash_password(password), now_text())
    return rows.get(db, name)


def remove_user(db: Sql, name: str) -> None:
    require_account(db, name)
    rows.remove(db, name)


def set_role(db: Sql, name: str, role: str) -> Account:
    require_account(db, name)
    rows.set_role(db, name, check_role(role))
    return rows.get(db, name)


def set_password(db: Sql, name: str, password: str) -> None:
    require_account(db, name)
    rows.set_password(db, name, hash_password(check_password(password)))


def create_token(db: Sql, name: str, label: Optional[str] = None) -> tuple[str, str]:
    """A new API token for ``name``: (its id, the token itself, shown this once)."""
    from argmap.claims.ids import optional_text
    require_account(db, name)
    token_id = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    rows.add_token(db, token_id, name, digest(token), optional_text(label, "token label", 200), now_text())
    return token_id, token


def revoke_token(db: Sql, token_id: str) -> None:
    if not rows.remove_token(db, token_id):
        raise NotFound(f"no token {token_id!r} (see `argmap token list`)")


def account_of_token(db: Sql, token: str) -> Optional[Account]:
    return rows.token_account(db, digest(token)) if token.startswith(TOKEN_PREFIX) else None


def start_session(db: Sql, account: Optional[str]) -> tuple[str, str]:
    """A browser session for ``account`` (None: the one person of a server run alone):
    (the session id for its cookie, its CSRF token)."""
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    rows.add_session(db, digest(session_id), account, csrf, now_text(), now_text(timedelta(hours=SESSION_HOURS)))
    return session_id, csrf


def session(db: Sql, session_id: str) -> Optional[rows.SessionRow]:
    return rows.session(db, digest(session_id), now_text())


def end_session(db: Sql, session_id: str) -> None:
    rows.end_session(db, digest(session_id))


def login_allowed(db: Sql, name: str) -> None:
    """Refuse a login for ``name`` while it has failed too often of late (TooMany)."""
    window_start = now_text(timedelta(seconds=-FAILURE_WINDOW_S))
    failed = rows.failures_since(db, name[:200], window_start)
    if len(failed) >= FAILURES_ALLOWED:
        oldest = datetime.fromisoformat(failed[-FAILURES_ALLOWED])
        wait = int((oldest + timedelta(seconds=FAILURE_WINDOW_S) - datetime.now(timezone.utc)).total_seconds()) + 1
        raise TooMany(f"too many failed logins for {name[:80]!r}: try again in {max(wait, 1)} s", max(wait, 1))


def check_login(db: Sql, name: str, password: str) -> Optional[Account]:
    """The account if ``password`` is its password, else None (the time taken is the same)."""
    found = rows.get(db, name) if isinstance(name, str) and len(name) <= 200 else None
    ok = verify_password(password if isinstance(password, str) else "", found.password if found else None)
    return found if ok and found is not None else None


def record_login(db: Sql, name: str, account: Optional[Account]) -> None:
    if account is None:
        rows.add_failure(db, name[:200], now_text(), now_text(timedelta(seconds=-FAILURE_WINDOW_S)))
    else:
        rows.clear_failures(db, account.name)


def wrong_login() -> NotAuthenticated:
    return NotAuthenticated("wrong user name or password")
