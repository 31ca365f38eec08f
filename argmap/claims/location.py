"""Where the store is, and what that means to every code path.

``--db``, else ``$ARGMAP_DB``, else ``./argmap.db``. Anything with ``://`` is a SQLAlchemy
URL; anything else is the name of a SQLite file, taken literally: never URL-decoded, never
read as URI options (``%41``, ``?mode=ro``, ``#``, ``file:`` are parts of the name). Every
SQLite connection, through SQLAlchemy or plain sqlite3, opens the file by ``sqlite_uri``, so
that one name is one store. The open stores are noted here, so that no output is ever
written over one of them or over a companion file (``-wal``, ``-shm``, ``-journal``).
No heavy imports: the quick CLI path uses this too.
"""

import os
from pathlib import Path
from typing import Optional
from urllib.parse import quote

DEFAULT_DB = "argmap.db"
ENV_VAR = "ARGMAP_DB"
COMPANIONS = ("-wal", "-shm", "-journal")
OPEN_STORES: dict[str, int] = {}  # absolute path of each SQLite store this process has open: how many times


def resolve_location(db: Optional["str | os.PathLike[str]"] = None) -> str:
    """The store to open: ``db`` (a path or a URL; a ``Path`` as well as a string), else
    ``$ARGMAP_DB``, else ``./argmap.db``."""
    return os.fspath(db) if db else (os.environ.get(ENV_VAR) or DEFAULT_DB)


def is_url(location: str) -> bool:
    return "://" in location


def sqlite_file(location: str) -> Optional[Path]:
    """The SQLite file a plain location names (``~`` expanded), or None for a URL."""
    return None if is_url(location) else Path(location).expanduser()


def sqlite_uri(path: Path, read_only: bool = False) -> str:
    """The one way a SQLite file is opened: an absolute ``file:`` URI with every special
    character of the name percent-encoded, so that SQLite reads the name as it is."""
    uri = "file:" + quote(os.path.abspath(path), safe="/")
    return uri + ("?mode=ro" if read_only else "")


def connect_sqlite(path: Path, read_only: bool = False, **kwargs):
    import sqlite3
    return sqlite3.connect(sqlite_uri(path, read_only), uri=True, **kwargs)


def note_open(path: Path) -> None:
    key = os.path.abspath(path)
    OPEN_STORES[key] = OPEN_STORES.get(key, 0) + 1


def note_closed(path: Path) -> None:
    key = os.path.abspath(path)
    if OPEN_STORES.get(key, 0) > 1:
        OPEN_STORES[key] -= 1
    else:
        OPEN_STORES.pop(key, None)
