"""What would change the verdict: what-if without writing, cruxes and break-even numbers,
on small maps checked by hand and on the demo."""

import json
import random

from argmap.claims.argument_map import ArgumentMap
from argmap.claims.records import ClaimRecord, RelationRecord
from argmap.graph.semantics.grounded import grounded_names
from argmap.graph.whatif import REJECTED, cruxes, grounded_labels
from conftest import rows


def small_map(*attacks: str, supports: tuple[str, ...] = ()) -> ArgumentMap:
    """``"b>a"``: b attacks a."""
    pairs = [tuple(a.split(">")) for a in attacks]
    names = sorted({x for p in pairs for x in p} | {x for s in supports for x in s.split(">")})
    return ArgumentMap(claims=[ClaimRecord(n, n.upper(), "claim") for n in names],
                       relations=[RelationRecord(s, t, "attacks") for s, t in pairs]
                       + [RelationRecord(*s.split(">"), "supports") for s in supports])


def sets(found):
    return [tuple(c["ids"]) for c in found]


def test_cruxes_of_a_chain_checked_by_hand():
    m = small_map("b>a", "c>b")  # c IN, b OUT, a IN
    out = cruxes(m, "a")
    assert out["status"] == "IN"
    assert sets(out["reject"]) == [("c",)] and out["reject"][0]["status"] == "OUT"
    assert sets(out["accept"]) == [("b",)] and out["accept"][0]["also_moves"] == []  # b itself stands; c was IN already


def test_cruxes_of_two_defended_attacks_and_of_a_cycle():
    m = small_map("b>a", "d>a", "x>b", "y>d")
    out = cruxes(m, "a")
    assert sets(out["reject"]) == [("x",), ("y",)]
    assert sets(out["accept"]) == [("b",), ("d",)]
    cycle = small_map("b>a", "b>c", "c>b")  # all three undecided
    out = cruxes(cycle, "a")
    assert out["status"] == "UNDEC"
    assert {(c["ids"][0], c["status"]) for c in out["reject"]} == {("b", "IN"), ("c", "OUT")}
    assert {(c["ids"][0], c["status"]) for c in out["accept"]} == {("b", "OUT"), ("c", "IN")}


def test_cruxes_are_minimal_and_match_brute_force_on_random_maps():
    rng = random.Random(7)
    for _ in range(30):
        names = [f"n{i}" for i in range(7)]
        attacks = {(rng.choice(names), rng.choice(names)) for _ in range(9)}
        attacks = sorted((a, b) for a, b in attacks if a != b)
        m = small_map(*[f"{a}>{b}" for a, b in attacks])
        claim = m.claims[0].id
        found = cruxes(m, claim, max_size=2)
        base = grounded_names([c.id for c in m.claims], attacks)[claim]
        for group in found["reject"]:
            rest = [c.id for c in m.claims if c.id not in group["ids"]]
            kept = [(a, b) for a, b in attacks if a in rest and b in rest]
            assert grounded_names(rest, kept)[claim] == group["status"] != base
            for one in group["ids"]:  # minimal: no smaller part moves it
                smaller = set(group["ids"]) - {one}
                if smaller:
                    assert grounded_labels(m.framework(), smaller)[claim] == base


def test_whatif_on_the_demo_moves_the_thesis_and_writes_nothing(cli, tmp_path, db_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    before_bytes, before_rows = db_path.read_bytes(), rows(db_path)
    out = json.loads(cli("whatif", "--reject", "parameter-scaling", "--json").stdout)
    assert {"id": "data-black-hole", "before": "OUT", "after": "IN"} in out["statuses"]
    assert {"id": "parameter-scaling", "before": "IN", "after": REJECTED} in out["statuses"]
    out = json.loads(cli("whatif", "--set", "c4.synapses=1e13", "--json").stdout)
    assert [(c["id"], c["before"], c["after"]) for c in out["checks"]] == [("c4", "holds", "fails")]
    assert {"id": "parameter-scaling", "before": "IN", "after": "OUT"} in out["statuses"]
    assert cli("whatif", "--accept", "parameter-scaling").stdout == "nothing moves\n"  # it stands already
    assert "cannot be both" in cli.fails("whatif", "--reject", "evolution-prior", "--accept", "evolution-prior")
    assert "no claim" in cli.fails("whatif", "--reject", "ghost")
    assert "no computation" in cli.fails("whatif", "--set", "ghost.x=1")
    assert "COMPUTATION.INPUT" in cli.fails("whatif", "--set", "c4=1")
    assert db_path.read_bytes() == before_bytes and rows(db_path) == before_rows


def test_cruxes_and_break_even_on_the_demo(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    data = json.loads(cli("crux", "data-black-hole", "--json").stdout)
    assert data["status"] == "OUT"
    assert ["parameter-scaling"] in [c["ids"] for c in data["reject"]]  # the hand check of the issue
    assert data["reject"][0]["ids"] == ["parameter-scaling"]  # size first
    synapses = [r for r in data["break_even"] if r["input"] == "synapses" and r["below"] == "IN"]
    assert synapses and synapses[0]["quote"]["quote"].startswith("The human brain is 100T synapses")
    point = synapses[0]["at"]
    assert point < synapses[0]["now"]
    moved = json.loads(cli("whatif", "--set", f"c4.synapses={point * 0.98!r}", "--json").stdout)
    assert {"id": "data-black-hole", "before": "OUT", "after": "IN"} in moved["statuses"]
    kept = json.loads(cli("whatif", "--set", f"c4.synapses={point * 1.02!r}", "--json").stdout)
    assert "data-black-hole" not in [s["id"] for s in kept["statuses"]]
    text = cli("crux", "data-black-hole").stdout
    assert "rejecting parameter-scaling makes it IN" in text and "falls below" in text


def test_robustness_of_one_ranged_check_matches_the_arithmetic(cli):
    """x ranges 1..100 (a lognormal with those 5th/95th percentiles); the claim says 10 within
    a factor 2, so a draw holds when x is in [5, 20]: P = P(|z| < ln 2 / sigma), sigma =
    ln 100 / (2 * 1.645), about 0.379. The claim stands exactly in those draws."""
    import math
    cli("add", "About ten.", "--id", "ten")
    cli("compute", "add", "ten", "--id", "k", "--formula", "x", "--input", "x=1..100", "--expect", "10",
        "--tolerance", "factor 2")
    data = json.loads(cli("status", "--robust", "--draws", "4000", "--json").stdout)
    row = next(r for r in data["claims"] if r["id"] == "ten")
    sigma = math.log(100) / (2 * 1.6448536269514722)
    expected = math.erf(math.log(2) / sigma / math.sqrt(2))
    assert abs(row["stands"] - expected) < 0.03
    assert row["ci"][0] < row["stands"] < row["ci"][1]
    assert row["drivers"] == [{"input": "k.x", "share": 1.0}]
    again = json.loads(cli("status", "--robust", "--draws", "4000", "--json").stdout)
    assert again == data  # reproducible from the seed
    other = json.loads(cli("status", "--robust", "--draws", "4000", "--seed", "2", "--json").stdout)
    assert other["claims"] != data["claims"]


def test_robustness_on_the_demo(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    data = json.loads(cli("status", "--robust", "--draws", "300", "--json").stdout)
    by_id = {r["id"]: r for r in data["claims"]}
    assert data["claims"][0]["id"] == "data-black-hole"
    unmoved = [r for r in data["claims"] if not r["flips"]]
    assert all(r["stands"] == (1.0 if r["label"] == "IN" else 0.0) for r in unmoved)
    assert 0 < by_id["language-exposure-gap"]["stands"] < 1 and by_id["language-exposure-gap"]["drivers"]
    assert "stands" in cli("status", "--robust", "--draws", "50").stdout
    assert "no claim" in cli.fails("status", "ghost", "--robust")
    assert "--draws" in cli.fails("status", "--robust", "--draws", "0")


# --- bipolar: supports that count for the extension semantics --------------------------------------

def brute_complex_attacks(names, attacks, supports):
    """Cayrol & Lagasquie-Schiex's definitions, path by path: a supported attack is a chain of
    supports ending in an attack, a secondary attack an attack followed by a chain of supports."""
    import networkx as nx
    sg = nx.DiGraph()
    sg.add_nodes_from(names)
    sg.add_edges_from(supports)
    found = set(attacks)
    for a in names:
        for b in names:
            paths = list(nx.all_simple_paths(sg, a, b)) if a != b else []
            if not paths:
                continue
            for x, c in attacks:
                if x == b:
                    found.add((a, c))   # a supports ... b, b attacks c
            for x, y in attacks:
                if y == a:
                    found.add((x, b))   # x attacks a, a supports ... b
    return {(a, b) for a, b in found if a != b}


def brute_grounded(names, attacks):
    """The least fixpoint of the characteristic function, computed set by set."""
    attackers = {n: {a for a, b in attacks if b == n} for n in names}
    s = set()
    while True:
        defeated = {b for a, b in attacks if a in s}
        nxt = {n for n in names if attackers[n] <= defeated}
        if nxt == s:
            return s
        s = nxt


def test_bipolar_attacks_and_labels_match_brute_force_on_small_random_maps():
    from argmap.graph.semantics.bipolar import complex_attacks
    rng = random.Random(11)
    for _ in range(60):
        names = [f"n{i}" for i in range(6)]
        pairs = [(a, b) for a in names for b in names if a != b]
        chosen = rng.sample(pairs, 9)
        attacks = chosen[:4]
        supports = chosen[4:]
        derived = complex_attacks(attacks, supports)
        assert derived == brute_complex_attacks(names, attacks, supports)
        labels = grounded_names(names, sorted(derived))
        assert {n for n, lab in labels.items() if lab == "IN"} == brute_grounded(names, derived)


def test_bipolar_status_on_the_example_of_the_readme(cli):
    cli("add", "A", "--id", "a")
    cli("add", "B", "--id", "b")
    cli("add", "C", "--id", "c")
    cli("link", "a", "b", "--supports")
    cli("link", "c", "a", "--attacks")
    plain = {r["id"]: r["label"] for r in json.loads(cli("status", "--json").stdout)["claims"]}
    assert plain == {"a": "OUT", "b": "IN", "c": "IN"}
    out = json.loads(cli("status", "--bipolar", "--json").stdout)
    assert {r["id"]: r["label"] for r in out["claims"]} == {"a": "OUT", "b": "OUT", "c": "IN"}
    assert "Cayrol" in out["bipolar"]
    pref = json.loads(cli("status", "--semantics", "preferred", "--bipolar", "--json").stdout)
    assert {r["id"]: r["label"] for r in pref["claims"]} == {"a": "rejected", "b": "rejected", "c": "sceptical"}
    assert json.loads(cli("status", "b", "--bipolar", "--json").stdout)["defeated_by"] == ["c"]
    assert "DF-QuAD" in cli.fails("status", "--semantics", "dfquad", "--bipolar")


def test_the_incremental_relabelling_is_the_full_one_on_random_maps():
    from argmap.graph.whatif import Relabeller
    rng = random.Random(5)
    for _ in range(40):
        names = [f"n{i}" for i in range(8)]
        attacks = sorted({(rng.choice(names), rng.choice(names)) for _ in range(12)} - {(n, n) for n in names})
        arrays = small_map(*[f"{a}>{b}" for a, b in attacks], supports=()).framework() if attacks else None
        if arrays is None:
            continue
        relabel = Relabeller(arrays)
        base = grounded_labels(arrays)
        for claim in list(base):
            for kind in ("reject", "accept"):
                full = grounded_labels(arrays, {claim} if kind == "reject" else set(),
                                       {claim} if kind == "accept" else set())
                code = {arrays.index[claim]}
                moved = relabel.relabel(code if kind == "reject" else set(), code if kind == "accept" else set())
                assert {arrays.names[v]: relabel.name(c) for v, c in moved.items()} == \
                    {n: lab for n, lab in full.items() if lab != base[n]}, (attacks, kind, claim)


def test_cruxes_under_preferred_and_stable_semantics_checked_by_hand():
    from argmap.graph.whatif import cruxes_extension
    m = small_map("a>b", "b>a", "b>c")  # preferred: {a, c} and {b}; c is credulous
    out = cruxes_extension(m, "c", 1, "preferred")
    assert out["status"] == "credulous"
    assert {(c["ids"][0], c["status"]) for c in out["reject"]} == {("a", "rejected"), ("b", "sceptical")}
    assert {(c["ids"][0], c["status"]) for c in out["accept"]} == {("a", "sceptical"), ("b", "rejected")}
    odd = small_map("a>b", "b>a", "b>c", "x>y", "y>z", "z>x")  # the odd cycle leaves no stable extension
    out = cruxes_extension(odd, "c", 1, "stable")
    assert out["status"] == "no extension"
    assert {"x", "y", "z"} <= {c["ids"][0] for c in out["reject"]}  # claims that do not attack c matter
    assert {"x", "y", "z"}.isdisjoint({c["ids"][0] for c in cruxes_extension(odd, "c", 1, "preferred")["reject"]})


def test_crux_cli_under_preferred_semantics_on_the_demo(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    data = json.loads(cli("crux", "data-black-hole", "-s", "preferred", "--no-numbers", "--json").stdout)
    assert data["status"] == "rejected" and data["semantics"] == "preferred"
    assert [c["ids"] for c in data["reject"]][0] == ["parameter-scaling"]
    assert "unknown semantics" in cli.fails("crux", "data-black-hole", "-s", "dfquad")


def test_the_map_shows_robustness_and_with_break_even_the_numbers(cli, tmp_path):
    import re
    cli("demo", "--out", str(tmp_path / "plain.html"))
    cli("render", "--break-even", "--out", str(tmp_path / "m.html"))
    for name in ("plain.html", "m.html"):
        html = (tmp_path / name).read_text()
        data = json.loads(re.search(r'<script type="application/json" id="argmap-data">(.*?)</script>', html, re.S)
                          .group(1))
        robust = data["claims"]["language-exposure-gap"]["status"]["robust"]
        assert robust["draws"] == 500 and 0 < robust["stands"] < 1 and robust["drivers"]
        assert data["claims"]["parameter-scaling"]["status"]["robust"]["flips"] == 0
        thesis = data["claims"]["data-black-hole"]["status"]
        assert ("break_even" in thesis) == (name == "m.html")
    assert any("synapses" in t and "falls below" in t for t in thesis["break_even"])


def test_break_even_follows_inputs_through_other_computations(cli):
    """c2 uses c1's result: c1's input moves c2's check, so it has a break-even value for
    c2's claim even though c1 belongs to a claim that attacks nothing."""
    cli("add", "Upstream numbers.", "--id", "up")
    cli("add", "The stated total.", "--id", "total")
    cli("compute", "add", "up", "--id", "c1", "--formula", "x * 2", "--input", "x=10", "--unit", "")
    cli("compute", "add", "total", "--id", "c2", "--formula", "y + 1", "--input", "y=@c1", "--expect", "21",
        "--tolerance", "10%")
    data = json.loads(cli("crux", "total", "--json").stdout)
    rows = {(r["computation"], r["input"]): r for r in data["break_even"]}
    assert ("c1", "x") in rows
    low = [r for r in data["break_even"] if r["computation"] == "c1" and r["below"] == "OUT"]
    assert low and 8.9 < low[0]["at"] < 9.0  # 2x + 1 leaves 21 +-10% below x = 8.95
    text = cli("crux", "total").stdout
    assert "total becomes OUT if `x` (c1) falls below 8.95 (now 10)" in text
    assert "total becomes OUT if `x` (c1) rises above 11 (now 10)" in text


def test_relabelling_with_arguments_restored_is_the_full_one():
    """The robustness search brings back the attacks of checks that fail only in some draws:
    arguments absent from the stored labelling, restored; checked against a full relabelling."""
    from argmap.graph.whatif import Relabeller
    rng = random.Random(21)
    for _ in range(60):
        names = [f"n{i}" for i in range(9)]
        attacks = sorted({(rng.choice(names), rng.choice(names)) for _ in range(14)} - {(n, n) for n in names})
        if not attacks:
            continue
        arrays = small_map(*[f"{a}>{b}" for a, b in attacks]).framework()
        n = len(arrays.names)
        absent = frozenset(rng.sample(range(n), rng.randint(0, 3)))
        restore = frozenset(x for x in absent if rng.random() < 0.5)
        reject = {x for x in rng.sample(range(n), rng.randint(0, 2)) if x not in absent}
        relabel = Relabeller(arrays, absent)
        names_out = {arrays.names[i] for i in (absent - restore) | reject}
        full = grounded_labels(arrays, names_out)
        base = grounded_labels(arrays, {arrays.names[i] for i in absent})
        moved = {arrays.names[v]: relabel.name(c) for v, c in relabel.relabel(reject, set(), None, restore).items()}
        want = {k: v for k, v in full.items() if v != base[k]}
        assert moved == want, (attacks, absent, restore, reject)


def _labels_one_by_one(n, src, dst, present):
    import numpy as np
    from argmap.claims.argument_map import Framework
    from argmap.graph.semantics.grounded import grounded
    out = []
    for keep in present:
        both = keep[src] & keep[dst]
        labels = grounded(Framework(n, src[both], dst[both]))
        labels[~keep] = 2
        out.append(labels)
    return np.array(out)


def test_many_variants_labelled_at_once_match_one_by_one():
    """grounded_many (64 variants to a word) against the grounded solver on each variant:
    random frameworks with cycles, self-attacks and 1-200 variants (words partly filled)."""
    import numpy as np
    from argmap.graph.semantics.grounded_many import grounded_many
    rng = np.random.default_rng(7)
    for _ in range(200):
        n, e, d = int(rng.integers(1, 40)), int(rng.integers(0, 90)), int(rng.integers(1, 200))
        src, dst = rng.integers(0, n, e), rng.integers(0, n, e)
        present = rng.random((d, n)) < rng.uniform(0.5, 1.0)
        assert (grounded_many(n, src, dst, present) == _labels_one_by_one(n, src, dst, present)).all()
    # a chain longer than the rounds allowed is left to the caller
    chain = np.arange(50)
    assert grounded_many(51, chain, chain + 1, np.ones((3, 51), dtype=bool), max_rounds=10) is None
    assert grounded_many(51, chain, chain + 1, np.ones((3, 51), dtype=bool), max_rounds=60) is not None


def test_robust_with_judgements_is_the_same_whichever_way_draws_are_labelled(cli, monkeypatch):
    """The draws of `status --robust --as` labelled all at once, one by one (MANY_FROM above
    the draws), and with the at-once labelling giving up (a long chain): the same output."""
    import argmap.graph.robust as robust
    from argmap.graph.semantics import grounded_many as many
    cli("demo")
    for who, claim, p in (("ann", "data-black-hole", 0.7), ("ann", "evolution-prior", 0.4),
                          ("ben", "genome-too-small", 0.2), ("ben", "evolution-prior", 0.9)):
        cli("--author", who, "judge", claim, "--credence", str(p))
    args = ("status", "--robust", "--as", "everyone", "--draws", "300", "--json")
    at_once = cli(*args).stdout
    assert json.loads(at_once)["credences"]
    monkeypatch.setattr(robust, "MANY_FROM", 10_000)
    assert cli(*args).stdout == at_once
    monkeypatch.setattr(robust, "MANY_FROM", 1)
    real = many.grounded_many
    monkeypatch.setattr(robust, "grounded_many", lambda *a, **k: real(*a, **{**k, "max_rounds": 1}))
    assert cli(*args).stdout == at_once
