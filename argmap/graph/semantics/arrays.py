"""The attack framework of a store as integer arrays, read with set-based SQL.

networkx is the model for everything small; a store of a million claims goes through
here instead: one SQL join maps claim ids to their rowids inside SQLite, and numpy takes
the pairs as they come, so nothing is built per claim in Python but the id list.
"""

from typing import Optional

import numpy as np
from sqlalchemy import text

from argmap.claims.store import Store
from argmap.graph.build import CALC_PREFIX
from argmap.graph.semantics.grounded import NAMES, Framework, grounded

ATTACKS_SQL = """
SELECT cs.rowid, ct.rowid FROM relation r
JOIN claim cs ON cs.id = r.source_id
JOIN claim ct ON ct.id = r.target_id
WHERE r.type = 'attacks'
"""
FAILING_SQL = """
SELECT c.id, cl.rowid FROM computation c JOIN claim cl ON cl.id = c.claim_id WHERE c."check" = 'fails'
"""


def store_framework(store: Store) -> tuple[list[str], Framework]:
    """Names (index -> claim id, then ``calc:`` nodes) and the framework of a SQLite store."""
    with store.transaction() as s:
        conn = s.connection()
        rows = conn.execute(text("SELECT rowid, id FROM claim ORDER BY rowid")).all()
        rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        names = [r[1] for r in rows]
        pairs = conn.exec_driver_sql(ATTACKS_SQL).fetchall()
        failing = conn.exec_driver_sql(FAILING_SQL).fetchall()
    flat = np.fromiter((x for pair in pairs for x in pair), dtype=np.int64, count=2 * len(pairs)).reshape(-1, 2)
    # rowids are increasing but may have gaps: map them to 0..n-1
    src = np.searchsorted(rowids, flat[:, 0])
    dst = np.searchsorted(rowids, flat[:, 1])
    if failing:
        extra_src = np.arange(len(names), len(names) + len(failing), dtype=np.int64)
        extra_dst = np.searchsorted(rowids, np.array([f[1] for f in failing], dtype=np.int64))
        names = names + [CALC_PREFIX + f[0] for f in failing]
        src, dst = np.concatenate([src, extra_src]), np.concatenate([dst, extra_dst])
    return names, Framework(len(names), src, dst)


def grounded_from_store(store: Store, only: Optional[str] = None) -> dict[str, str]:
    """Grounded labels of every claim (or of ``only``) without building a networkx graph."""
    names, af = store_framework(store)
    labels = grounded(af)
    if only is not None:
        return {only: NAMES[int(labels[names.index(only)])]}
    return {name: NAMES[int(lab)] for name, lab in zip(names, labels)}
