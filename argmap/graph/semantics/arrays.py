"""The grounded labelling of a map's arrays, with what explaining a label needs.

networkx is the model for everything small; a store of a million claims is read as arrays
(``argmap.claims.reads.read_arrays``, or ``ArgumentMap.framework()`` for a map in hand)
and labelled here in O(arguments + attacks).
"""

import numpy as np

from argmap.claims.argument_map import Framework, MapArrays
from argmap.graph.semantics.grounded import NAMES, csr, grounded, regrounded


def labels_of(arrays: MapArrays, af: Framework) -> np.ndarray:
    """The grounded labels of the arrays: kept by the store; or, for arrays patched after a
    write, the old labels relabelled where the change reaches; or computed from scratch."""
    if arrays.labels is not None:
        return arrays.labels
    if arrays.hint is not None:
        labels = regrounded(af, *arrays.hint)
        if labels is not None:
            return labels
    return grounded(af)


class GroundedIndex:
    """The grounded labelling of a map with what explaining it needs: who attacks whom."""

    def __init__(self, arrays: MapArrays):
        self.arrays = arrays
        self.names, self.index = arrays.names, arrays.index
        af = arrays.framework()
        self.labels = labels_of(arrays, af)
        self.in_ptr, self.in_src = csr(af.n, af.dst, af.src)  # attackers of each argument

    def label(self, name: str) -> str:
        return NAMES[int(self.labels[self.index[name]])]

    def attackers(self, name: str) -> list[str]:
        i = self.index[name]
        return sorted(self.names[j] for j in self.in_src[self.in_ptr[i]:self.in_ptr[i + 1]])

    def strengths(self) -> tuple[np.ndarray, bool]:
        """DF-QuAD strength of every name, over attacks and supports, and whether the
        iteration on the map's cycles converged (if not, the strengths are its last iterate)."""
        from argmap.graph.semantics.dfquad import dfquad_arrays
        a = self.arrays
        if a.strengths is not None:  # kept by the store beside the arrays
            return a.strengths, bool(a.converged)
        return dfquad_arrays(len(a.names), a.src, a.dst, a.attack, a.base)

    def counts(self) -> dict[str, int]:
        counts = np.bincount(self.labels[: self.claims()], minlength=len(NAMES))
        return {NAMES[v]: int(c) for v, c in enumerate(counts) if c}

    def claims(self) -> int:
        return self.arrays.claims

    def labels_by_claim(self) -> dict[str, str]:
        return {self.names[i]: NAMES[int(v)] for i, v in enumerate(self.labels[: self.claims()])}
