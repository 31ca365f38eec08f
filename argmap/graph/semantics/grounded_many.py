"""The grounded labelling of many variants of one framework at once: the same arguments
and attacks, each variant with some arguments absent (a robustness draw: checks that hold,
judged claims that are not there). Variants are bits of 64-bit words, so one pass over
the attacks labels 64 of them.

The labelling is the least fixpoint, reached in rounds: an argument is IN when every
present attacker is OUT, OUT when a present attacker is IN. A round costs one pass over
the attacks for every 64 variants; the rounds needed are the length of the longest chain
of attacks that decides a label, so a map made of very long chains is left to the
incremental relabeller (None is returned after ``max_rounds``).
"""

from typing import Optional

import numpy as np

from argmap.graph.semantics.grounded import LABEL_IN, LABEL_OUT, LABEL_UNDEC


def _pack(present: np.ndarray) -> np.ndarray:
    """(variants, n) bools -> (n, words) uint64, variant v in bit v % 64 of word v // 64."""
    d, n = present.shape
    words = (d + 63) // 64
    padded = np.zeros((n, words * 64), dtype=bool)
    padded[:, :d] = present.T
    return np.packbits(padded, axis=1, bitorder="little").view(np.uint64)


def _unpack(bits: np.ndarray, d: int) -> np.ndarray:
    """(n, words) uint64 -> (variants, n) bools."""
    return np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little")[:, :d].T.astype(bool)


def grounded_many(n: int, src: np.ndarray, dst: np.ndarray, present: np.ndarray,
                  max_rounds: int = 400) -> Optional[np.ndarray]:
    """Labels (variants x n, int8: 0 UNDEC, 1 IN, 2 OUT) of each variant, an absent argument
    labelled OUT (it does not stand); None if ``max_rounds`` rounds do not settle them."""
    d = present.shape[0]
    here = _pack(present)
    inside = np.zeros_like(here)
    out = np.zeros_like(here)
    order = np.argsort(dst, kind="stable")
    attacker, target = src[order], dst[order]
    targets, starts = np.unique(target, return_index=True)

    def any_of(bits: np.ndarray) -> np.ndarray:
        """For each argument, the OR over its attackers of ``bits``."""
        found = np.zeros_like(bits)
        if targets.size:
            found[targets] = np.bitwise_or.reduceat(bits[attacker], starts, axis=0)
        return found

    for _ in range(max_rounds):
        new_in = here & ~any_of(here & ~out)
        new_out = here & any_of(new_in)
        if np.array_equal(new_in, inside) and np.array_equal(new_out, out):
            labels = np.full((d, n), LABEL_UNDEC, dtype=np.int8)
            labels[_unpack(inside, d)] = LABEL_IN
            labels[_unpack(out, d) | ~present] = LABEL_OUT
            return labels
        inside, out = new_in, new_out
    return None
