"""Relabelling after a change only where the change reaches gives the grounded labelling a
labelling from scratch gives (issue 26: the first read after a write on a big map)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.claims.argument_map import Framework
from argmap.graph.semantics.grounded import grounded, regrounded


def framework(n, edges):
    edges = sorted(edges)
    return Framework(n, np.array([a for a, _ in edges], dtype=np.int64), np.array([b for _, b in edges], dtype=np.int64))


@st.composite
def changes(draw):
    n = draw(st.integers(1, 25))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])
    edges = draw(st.sets(pair, max_size=3 * n))
    added = draw(st.integers(0, 3))
    m = n + added
    new_pair = st.tuples(st.integers(0, m - 1), st.integers(0, m - 1)).filter(lambda e: e[0] != e[1])
    gone = draw(st.sets(st.sampled_from(sorted(edges)), max_size=4)) if edges else set()
    more = draw(st.sets(new_pair, max_size=4))
    return n, edges, m, (edges - gone) | more, gone | more


@settings(max_examples=400, deadline=None)
@given(changes())
def test_relabelling_the_region_a_change_reaches_equals_labelling_from_scratch(change):
    n, edges, m, new_edges, touched = change
    before = np.concatenate([grounded(framework(n, edges)), np.zeros(m - n, dtype=np.int8)])
    changed = np.array(sorted({b for _, b in touched} | set(range(n, m))), dtype=np.int64)
    after = framework(m, new_edges)
    assert np.array_equal(regrounded(after, before, changed, most=m), grounded(after))


def test_a_region_bigger_than_allowed_gives_up():
    chain = framework(200, {(i, i + 1) for i in range(199)})
    before = grounded(chain)
    assert regrounded(chain, before, np.array([0]), most=50) is None
    assert np.array_equal(regrounded(chain, before, np.array([150])), grounded(chain))  # 50 reached: within 64
