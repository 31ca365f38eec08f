"""A supposition that reaches no cycle of attacks is relabelled by propagation in height
order, stopping where a label does not move (issue 26: cruxes on big maps); what it gives is
what relabelling the whole region the supposition reaches gives."""

import copy

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.claims.argument_map import MapArrays
from argmap.graph.whatif import Relabeller, cruxes_of_arrays


def arrays_of(n, edges):
    edges = sorted(edges)
    names = [f"a{i:03d}" for i in range(n)]
    return MapArrays(names=names, index={x: i for i, x in enumerate(names)},
                     src=np.array([a for a, _ in edges], dtype=np.int64), dst=np.array([b for _, b in edges], dtype=np.int64),
                     attack=np.ones(len(edges), dtype=bool), base=np.full(n, 0.5), claims=n)


@st.composite
def suppositions(draw):
    n = draw(st.integers(2, 30))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])
    # mostly acyclic (edges from higher to lower), with a few that may close cycles
    down = draw(st.sets(pair.map(lambda e: (max(e), min(e))), max_size=2 * n))
    loops = draw(st.sets(pair, max_size=4))  # cycles: UNDEC attackers upstream of acyclic parts
    nodes = st.integers(0, n - 1)
    reject = draw(st.sets(nodes, max_size=2))
    accept = draw(st.sets(nodes, max_size=2)) - reject
    return n, down | loops, reject, accept


@settings(max_examples=800, deadline=None)
@given(suppositions())
def test_propagation_gives_what_relabelling_the_whole_region_gives(case):
    n, edges, reject, accept = case
    fast = Relabeller(arrays_of(n, edges))
    slow = copy.copy(fast)
    slow.height = None  # the region relabelled whole
    expected = slow.relabel(set(reject), set(accept))
    assert fast.relabel(set(reject), set(accept)) == expected
    from argmap.graph.whatif import attack_ancestors
    arrays = arrays_of(n, edges)
    within = {arrays.index[x] for x in attack_ancestors(arrays, "a000")} | {0}  # what the crux search passes
    assert fast.relabel(set(reject), set(accept), within) == slow.relabel(set(reject), set(accept), within)


def test_propagation_is_used_off_cycles_and_not_on_them():
    chain = Relabeller(arrays_of(4, {(3, 2), (2, 1), (1, 0)}))
    assert chain._propagated({3}, set()) == {3: -1, 2: 1, 1: 2, 0: 1}
    loop = Relabeller(arrays_of(4, {(3, 2), (2, 1), (1, 2), (1, 0)}))
    assert loop._propagated({3}, set()) is None  # 3 reaches the cycle 1 <-> 2
    assert loop.relabel({3}, set()) == {3: -1, 2: 0, 1: 0, 0: 0}
    upstream = Relabeller(arrays_of(5, {(3, 4), (4, 3), (4, 1), (2, 1), (1, 0)}))  # an undecided cycle above 1
    assert upstream._propagated({2}, set()) == {2: -1, 1: 0, 0: 0}


def test_cruxes_of_a_tree_with_cross_links_are_those_of_the_whole_relabelling():
    rng = np.random.default_rng(3)
    n = 300
    edges = {(i, (i - 1) // 3) for i in range(1, n)} | {(int(a), int(b)) for a, b in rng.integers(0, n, (60, 2)) if a > b}
    arrays = arrays_of(n, edges)
    claims = [f"a{i:03d}" for i in range(0, 40, 3)]
    fast = [cruxes_of_arrays(arrays, c, 2) for c in claims]
    original = Relabeller.__init__

    def no_heights(self, *a, **k):
        original(self, *a, **k)
        self.height = None
    try:
        Relabeller.__init__ = no_heights
        slow = [cruxes_of_arrays(arrays, c, 2) for c in claims]
    finally:
        Relabeller.__init__ = original
    assert fast == slow and sum(len(f["reject"]) + len(f["accept"]) for f in fast) > 10
