"""The attack framework of a store as integer arrays, read with set-based SQL.

networkx is the model for everything small; a store of a million claims goes through
here instead: one SQL join maps claim ids to their rowids inside SQLite, and numpy takes
the pairs as they come, so nothing is built per claim in Python but the id list.
"""

import gc
from operator import itemgetter
from typing import Optional

import numpy as np

from argmap.claims.store import Store
from argmap.graph.build import CALC_PREFIX
from argmap.graph.semantics.grounded import NAMES, Framework, csr, grounded

ATTACKS_SQL = "SELECT source_id, target_id FROM relation WHERE type = 'attacks'"
# on SQLite, "+type" makes a full scan, which beats walking the low-selectivity index on type
ATTACKS_SQL_SQLITE = "SELECT source_id, target_id FROM relation WHERE +type = 'attacks'"
FAILING_SQL = """SELECT id, claim_id FROM computation WHERE "check" = 'fails' ORDER BY id"""


def store_framework(store: Store, keep_index: Optional[dict] = None) -> tuple[list[str], Framework]:
    """Names (index -> claim id, then ``calc:`` nodes) and the attack framework of a store.

    Two plain scans and one dict: mapping ids in Python is several times faster than
    letting SQLite join every relation back to the claim table.
    """
    collecting = gc.isenabled()
    gc.disable()  # millions of fresh tuples would trigger the cyclic collector again and again
    try:
        with store.transaction() as s:
            conn = s.connection()
            cursor = conn.connection.cursor()  # the DBAPI cursor: no Row objects for 3M pairs
            cursor.execute("SELECT id FROM claim ORDER BY id")
            names = [r[0] for r in cursor.fetchall()]
            cursor.execute(ATTACKS_SQL_SQLITE if conn.dialect.name == "sqlite" else ATTACKS_SQL)
            pairs = cursor.fetchall()
            cursor.execute(FAILING_SQL)
            failing = cursor.fetchall()
            cursor.close()
        index = {name: i for i, name in enumerate(names)}
        lookup = index.__getitem__
        src = np.fromiter(map(lookup, map(itemgetter(0), pairs)), dtype=np.int64, count=len(pairs))
        dst = np.fromiter(map(lookup, map(itemgetter(1), pairs)), dtype=np.int64, count=len(pairs))
        del pairs
    finally:
        if collecting:
            gc.enable()
    if failing:
        extra_src = np.arange(len(names), len(names) + len(failing), dtype=np.int64)
        extra_dst = np.array([lookup(claim) for _, claim in failing], dtype=np.int64)
        names = names + [CALC_PREFIX + cid for cid, _ in failing]
        src, dst = np.concatenate([src, extra_src]), np.concatenate([dst, extra_dst])
        index.update((name, i) for i, name in enumerate(names) if name.startswith(CALC_PREFIX))
    if keep_index is not None:  # the caller wants the id -> index map too (it costs a second to rebuild)
        keep_index.update(index)
    return names, Framework(len(names), src, dst)


def grounded_from_store(store: Store, only: Optional[str] = None) -> dict[str, str]:
    """Grounded labels of every claim (or of ``only``) without building a networkx graph."""
    names, af = store_framework(store)
    labels = grounded(af)
    if only is not None:
        return {only: NAMES[int(labels[names.index(only)])]}
    return {name: NAMES[int(lab)] for name, lab in zip(names, labels)}


class GroundedIndex:
    """The grounded labelling of a store with what explaining it needs: who attacks whom."""

    def __init__(self, store: Store):
        self.index: dict[str, int] = {}
        self.names, af = store_framework(store, keep_index=self.index)
        self.labels = grounded(af)
        self.in_ptr, self.in_src = csr(af.n, af.dst, af.src)  # attackers of each argument

    def label(self, name: str) -> str:
        return NAMES[int(self.labels[self.index[name]])]

    def attackers(self, name: str) -> list[str]:
        i = self.index[name]
        return sorted(self.names[j] for j in self.in_src[self.in_ptr[i]:self.in_ptr[i + 1]])

    def counts(self) -> dict[str, int]:
        values, counts = np.unique(self.labels[: self.claims()], return_counts=True)
        return {NAMES[int(v)]: int(c) for v, c in zip(values, counts)}

    def claims(self) -> int:
        """How many names are claims: failing computations (``calc:``) come after them all."""
        n = len(self.names)
        while n and self.names[n - 1].startswith(CALC_PREFIX):
            n -= 1
        return n
