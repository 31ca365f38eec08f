"""The grounded labelling in time linear in arguments + attacks.

Work proceeds in waves over a CSR adjacency: the arguments with no attacker left are IN;
everything they attack is OUT; each OUT argument takes one undefeated attacker away from
its targets, and a target with none left becomes IN in the next wave. Every argument
enters a wave at most once and every attack is followed at most twice, so the total work
is O(n + m) whatever the number of waves; each wave is a handful of numpy operations.
What is never reached stays UNDECIDED.
"""

from typing import Iterable, Sequence

import numpy as np

from argmap.claims.argument_map import Framework

LABEL_UNDEC, LABEL_IN, LABEL_OUT = 0, 1, 2
NAMES = {LABEL_UNDEC: "UNDEC", LABEL_IN: "IN", LABEL_OUT: "OUT"}


def csr(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Out-neighbours of every argument: targets[indptr[a]:indptr[a+1]]."""
    order = np.argsort(src, kind="stable")
    targets = dst[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, targets


def positions(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The CSR positions of every neighbour of ``nodes``, and which of ``nodes`` each belongs to."""
    starts = indptr[nodes]
    lengths = indptr[nodes + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return offsets + np.arange(total), np.repeat(np.arange(nodes.size), lengths)


def gather(indptr: np.ndarray, targets: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """All out-neighbours of ``nodes``, concatenated (with repeats)."""
    return targets[positions(indptr, nodes)[0]]


def grounded(af: Framework) -> np.ndarray:
    """Labels (0 UNDEC, 1 IN, 2 OUT) of the grounded labelling, one per argument."""
    n = af.n
    label = np.zeros(n, dtype=np.int8)
    if n == 0:
        return label
    indptr, targets = csr(n, af.src, af.dst)
    remaining = np.bincount(af.dst, minlength=n).astype(np.int64)  # attackers not yet OUT
    wave = np.flatnonzero(remaining == 0)
    while wave.size:
        label[wave] = LABEL_IN
        hit = gather(indptr, targets, wave)
        hit = np.unique(hit[label[hit] == LABEL_UNDEC])
        if hit.size == 0:
            break
        label[hit] = LABEL_OUT
        freed = gather(indptr, targets, hit)
        if freed.size == 0:
            break
        nodes, counts = np.unique(freed, return_counts=True)
        remaining[nodes] -= counts
        wave = nodes[(remaining[nodes] == 0) & (label[nodes] == LABEL_UNDEC)]
    return label


def grounded_names(names: Sequence[str], attacks: Iterable[tuple[str, str]]) -> dict[str, str]:
    af, _ = Framework.from_names(names, attacks)
    labels = grounded(af)
    return {name: NAMES[int(labels[i])] for i, name in enumerate(names)}
