"""The errors argmap shows to its users.

Every library function raises one of these for a user mistake; the CLI turns each into one
``Error: ...`` line on stderr and a non-zero exit code, the web app into ``{"error": ...}``
with an HTTP status. Anything else is a bug.
"""

import re

MAX_ERROR = 600


_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@'\"]*:)[^\s@/'\"]*@")


def redact(text: str) -> str:
    """Any ``scheme://user:password@host`` with its password replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def one_line(message: str) -> str:
    """An error message on one readable line, however long the value it quotes, with no
    database URL's password in it."""
    message = redact(" ".join(message.split())) or "unknown error"
    message = re.sub(r"\S{120,}", lambda m: m.group()[:60] + f"…({len(m.group()):,} characters)", message)
    return message if len(message) <= MAX_ERROR else message[:MAX_ERROR] + "…"


class ArgmapError(Exception):
    """A user-facing error: its message is shown as is, on one line."""

    exit_code = 1


class NotFound(ArgmapError):
    """Shown when an id names nothing in the store."""


class AlreadyExists(ArgmapError):
    """Shown when an id or a relation is already taken."""


class InvalidInput(ArgmapError):
    """Shown when a value given by the user is malformed or not allowed."""


class QuoteNotInSource(InvalidInput):
    """Shown when an evidence quote does not occur in its source's text."""


class StoreError(ArgmapError):
    """Shown when the database cannot be opened, read or written."""


class FormulaError(InvalidInput):
    """Shown when a computation's formula, inputs or units are refused."""


class Conflict(ArgmapError):
    """Shown when a change is refused because what it changes was changed since the writer
    last looked (``details`` says by whom, and how things stand now)."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.details = details or {}


class Forbidden(ArgmapError):
    """Shown when the person asking may not do what they ask (their role does not allow it)."""


class NotAuthenticated(ArgmapError):
    """Shown when a served map is asked something by nobody it knows (no or a wrong token)."""


class TooMany(ArgmapError):
    """Shown when a limit on how often or how much is reached (logins, open event streams)."""

    def __init__(self, message: str, retry_after: int = 0):
        super().__init__(message)
        self.retry_after = retry_after
