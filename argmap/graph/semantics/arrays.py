"""The argument graph of a store as integer arrays, read with set-based SQL.

networkx is the model for everything small; a store of a million claims goes through here
instead: two plain scans (claims, relations) and one dict map claim ids to 0..n-1, and
numpy takes it from there. Failing computations come after the claims, as ``calc:ID``
arguments (base score 1) that attack their claim.
"""

import gc
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from argmap.claims.store import Store
from argmap.graph.build import CALC_PREFIX
from argmap.graph.semantics.grounded import NAMES, Framework, csr, grounded

RELATIONS_SQL = "SELECT source_id, target_id FROM relation WHERE {plus}type = '{kind}'"
FAILING_SQL = """SELECT id, claim_id FROM computation WHERE "check" = 'fails' ORDER BY id"""


@dataclass
class StoreArrays:
    names: list[str]           # index -> id (claims by id, then calc:ID)
    index: dict[str, int]      # id -> index
    src: np.ndarray            # every relation, and the attacks of failing computations
    dst: np.ndarray
    attack: np.ndarray         # bool: the relation is an attack
    base: np.ndarray           # base scores (1 for failing computations)
    claims: int                # how many of the names are claims

    def framework(self) -> Framework:
        return Framework(len(self.names), self.src[self.attack], self.dst[self.attack])


def read_arrays(store: Store) -> StoreArrays:
    collecting = gc.isenabled()
    gc.disable()  # millions of fresh tuples would trigger the cyclic collector again and again
    try:
        with store.transaction() as s:
            conn = s.connection()
            plus = "+" if conn.dialect.name == "sqlite" else ""
            cursor = conn.connection.cursor()  # the DBAPI cursor: no Row objects for 3M pairs
            claims = cursor.execute("SELECT id, base_score FROM claim ORDER BY id").fetchall()
            # one scan per type ("+type": a full scan beats the low-selectivity index on type),
            # so no type string is fetched per row
            attacks = cursor.execute(RELATIONS_SQL.format(plus=plus, kind="attacks")).fetchall()
            supports = cursor.execute(RELATIONS_SQL.format(plus=plus, kind="supports")).fetchall()
            failing = cursor.execute(FAILING_SQL).fetchall()
            cursor.close()
        names = [c[0] for c in claims]
        index = {name: i for i, name in enumerate(names)}
        lookup = index.__getitem__
        rows = attacks + supports
        src = np.fromiter(map(lookup, map(itemgetter(0), rows)), dtype=np.int64, count=len(rows))
        dst = np.fromiter(map(lookup, map(itemgetter(1), rows)), dtype=np.int64, count=len(rows))
        attack = np.zeros(len(rows), dtype=bool)
        attack[:len(attacks)] = True
        base = np.fromiter(map(itemgetter(1), claims), dtype=float, count=len(claims))
        del rows, attacks, supports, claims
    finally:
        if collecting:
            gc.enable()
    n_claims = len(names)
    if failing:
        first = len(names)
        for k, (cid, _) in enumerate(failing):
            names.append(CALC_PREFIX + cid)
            index[CALC_PREFIX + cid] = first + k
        src = np.concatenate([src, np.arange(first, first + len(failing), dtype=np.int64)])
        dst = np.concatenate([dst, np.array([index[claim] for _, claim in failing], dtype=np.int64)])
        attack = np.concatenate([attack, np.ones(len(failing), dtype=bool)])
        base = np.concatenate([base, np.ones(len(failing))])
    return StoreArrays(names, index, src, dst, attack, base, n_claims)


def store_framework(store: Store) -> tuple[list[str], Framework]:
    """Names and the attack framework (a Dung framework) of a store."""
    arrays = read_arrays(store)
    return arrays.names, arrays.framework()


class GroundedIndex:
    """The grounded labelling of a store with what explaining it needs: who attacks whom."""

    def __init__(self, store: Store):
        self.arrays = read_arrays(store)
        self.names, self.index = self.arrays.names, self.arrays.index
        af = self.arrays.framework()
        self.labels = grounded(af)
        self.in_ptr, self.in_src = csr(af.n, af.dst, af.src)  # attackers of each argument

    def label(self, name: str) -> str:
        return NAMES[int(self.labels[self.index[name]])]

    def attackers(self, name: str) -> list[str]:
        i = self.index[name]
        return sorted(self.names[j] for j in self.in_src[self.in_ptr[i]:self.in_ptr[i + 1]])

    def strengths(self) -> np.ndarray:
        """DF-QuAD strength of every name, over attacks and supports."""
        from argmap.graph.semantics.dfquad import dfquad_arrays
        a = self.arrays
        return dfquad_arrays(len(a.names), a.src, a.dst, a.attack, a.base)[0]

    def counts(self) -> dict[str, int]:
        values, counts = np.unique(self.labels[: self.claims()], return_counts=True)
        return {NAMES[int(v)]: int(c) for v, c in zip(values, counts)}

    def claims(self) -> int:
        return self.arrays.claims
