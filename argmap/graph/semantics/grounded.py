"""The grounded labelling in time linear in arguments + attacks.

Work proceeds in waves over a CSR adjacency: the arguments with no attacker left are IN;
everything they attack is OUT; each OUT argument takes one undefeated attacker away from
its targets, and a target with none left becomes IN in the next wave. Every argument
enters a wave at most once and every attack is followed at most twice, so the total work
is O(n + m) whatever the number of waves; each wave is a handful of numpy operations.
What is never reached stays UNDECIDED.
"""

from typing import Iterable, Iterator, Optional, Sequence

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


def countdown(remaining: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """Take one from ``remaining`` for each time a node is in ``hits``; the nodes hit, once each."""
    nodes, counts = np.unique(hits, return_counts=True)
    remaining[nodes] -= counts
    return nodes


def peel(indptr: np.ndarray, targets: np.ndarray, remaining: np.ndarray) -> Iterator[np.ndarray]:
    """Kahn's waves: the nodes with ``remaining`` 0, then each time those whose last count
    the previous wave took away (following ``indptr``/``targets``); nodes on or after a cycle
    never come. ``remaining`` is used up."""
    done = np.zeros(remaining.size, dtype=bool)
    wave = np.flatnonzero(remaining == 0)
    while wave.size:
        yield wave
        done[wave] = True
        hit = gather(indptr, targets, wave)
        if hit.size == 0:
            return
        nodes = countdown(remaining, hit)
        wave = nodes[(remaining[nodes] == 0) & ~done[nodes]]


def waves(label: np.ndarray, remaining: np.ndarray, indptr: np.ndarray, targets: np.ndarray,
          wave: np.ndarray) -> np.ndarray:
    """The waves from ``wave`` (arguments with no attacker left) until nothing moves."""
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
        nodes = countdown(remaining, freed)
        wave = nodes[(remaining[nodes] == 0) & (label[nodes] == LABEL_UNDEC)]
    return label


def grounded(af: Framework) -> np.ndarray:
    """Labels (0 UNDEC, 1 IN, 2 OUT) of the grounded labelling, one per argument."""
    n = af.n
    label = np.zeros(n, dtype=np.int8)
    if n == 0:
        return label
    indptr, targets = csr(n, af.src, af.dst)
    remaining = np.bincount(af.dst, minlength=n).astype(np.int64)  # attackers not yet OUT
    wave = np.flatnonzero(remaining == 0)
    return waves(label, remaining, indptr, targets, wave)


def grounded_names(names: Sequence[str], attacks: Iterable[tuple[str, str]]) -> dict[str, str]:
    af, _ = Framework.from_names(names, attacks)
    labels = grounded(af)
    return {name: NAMES[int(labels[i])] for i, name in enumerate(names)}


def regrounded(af: Framework, before: np.ndarray, changed: np.ndarray, most: Optional[int] = None) -> Optional[np.ndarray]:
    """The grounded labels after a change, from the labels ``before`` it (indexed as ``af``
    is) and the arguments whose attackers changed (``changed``, new ones included): only what
    those reach along attacks is labelled again, the rest cannot have moved (nothing of the
    change reaches it), and the region is labelled as ``grounded`` would, its attackers from
    outside taken as they are. None if the region would exceed ``most`` arguments (by
    default a quarter of them, at least 64): labelling from scratch is then as quick."""
    n = af.n
    most = max(64, n // 4) if most is None else most
    indptr, targets = csr(n, af.src, af.dst)
    inside = np.zeros(n, dtype=bool)
    frontier = np.unique(np.asarray(changed, dtype=np.int64))
    inside[frontier] = True
    size = frontier.size
    while frontier.size:
        reached = gather(indptr, targets, frontier)
        frontier = np.unique(reached[~inside[reached]])
        inside[frontier] = True
        size += frontier.size
        if size > most:
            return None
    region = np.flatnonzero(inside)
    label = np.asarray(before, dtype=np.int8).copy()
    label[region] = LABEL_UNDEC
    into = inside[af.dst]  # the attacks on the region (all of the region's own are among them)
    a_src, a_dst = af.src[into], af.dst[into]
    from_outside = ~inside[a_src]
    alive = ~from_outside | (label[a_src] != LABEL_OUT)  # attackers not (yet) OUT
    remaining = np.bincount(a_dst[alive], minlength=n).astype(np.int64)
    hit = np.unique(a_dst[from_outside & (label[a_src] == LABEL_IN)])  # beaten from outside
    label[hit] = LABEL_OUT
    countdown(remaining, gather(indptr, targets, hit))
    wave = region[(remaining[region] == 0) & (label[region] == LABEL_UNDEC)]
    return waves(label, remaining, indptr, targets, wave)
