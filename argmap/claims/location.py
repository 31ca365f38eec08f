"""Where the store is: ``--db``, else ``$ARGMAP_DB``, else ``./argmap.db`` (no heavy imports)."""

import os
from typing import Optional

DEFAULT_DB = "argmap.db"
ENV_VAR = "ARGMAP_DB"


def resolve_location(db: Optional[str] = None) -> str:
    return db or os.environ.get(ENV_VAR) or DEFAULT_DB
