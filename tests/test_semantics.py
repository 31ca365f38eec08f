"""Semantics: textbook frameworks, brute force on random ones, clingo with ASPARTIX, reasons, DF-QuAD."""

import itertools
import json
import os

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.cli import app
from argmap.graph.semantics.asp import credulous, extensions, sceptical, solve
from argmap.graph.semantics.dfquad import dfquad
from argmap.graph.semantics.grounded import Framework, grounded, grounded_names
from argmap.graph.formats.iccma import parse, witness_lines, write
from argmap.graph.semantics.reasons import graph_attackers, reason
from argmap.graph.status import status


def af(*attacks, nodes=()):
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from(attacks)
    return g


def ground(g):
    labels = grounded_names(list(g.nodes), g.edges)
    return {n for n, lab in labels.items() if lab == "IN"}, labels


TEXTBOOK = {
    # name: (framework, grounded IN set, preferred extensions, stable extensions)
    "chain": (af(("a", "b"), ("b", "c")), {"a", "c"}, [["a", "c"]], [["a", "c"]]),
    "even cycle": (af(("a", "b"), ("b", "a")), set(), [["a"], ["b"]], [["a"], ["b"]]),
    "odd cycle": (af(("a", "b"), ("b", "c"), ("c", "a")), set(), [[]], []),
    "self-attack": (af(("a", "a"), ("a", "b")), set(), [[]], []),
    "floating defeat": (af(("a", "b"), ("b", "a"), ("a", "c"), ("b", "c"), ("c", "d")), set(),
                        [["a", "d"], ["b", "d"]], [["a", "d"], ["b", "d"]]),
    "unattacked": (af(nodes=["a", "b"]), {"a", "b"}, [["a", "b"]], [["a", "b"]]),
}


@pytest.mark.parametrize("name", TEXTBOOK)
def test_textbook_cases(name):
    g, grounded_in, preferred, stable = TEXTBOOK[name]
    assert ground(g)[0] == grounded_in
    assert extensions(g, "preferred")[0] == preferred
    assert extensions(g, "stable")[0] == stable
    assert extensions(g, "grounded")[0] == [sorted(grounded_in)]  # ASPARTIX's grounded encoding agrees


def test_floating_defeat_is_sceptically_accepted_under_preferred_only():
    g = TEXTBOOK["floating defeat"][0]
    assert ground(g)[1]["d"] == "UNDEC"
    assert sceptical(g, "d", "preferred") is True
    assert sceptical(g, "a", "preferred") is False and credulous(g, "a", "preferred") is True
    assert sceptical(g, "d", "stable") is True and credulous(g, "c", "stable") is False
    assert sceptical(g, "d", "complete") is False


# --- brute force ------------------------------------------------------------------------------

def brute(nodes, attacks):
    att = set(attacks)
    def cf(s):
        return not any((x, y) in att for x in s for y in s)
    def defends(s, a):
        return all(any((d, b) in att for d in s) for b in nodes if (b, a) in att)
    subsets = [frozenset(c) for r in range(len(nodes) + 1) for c in itertools.combinations(nodes, r)]
    admissible = [s for s in subsets if cf(s) and all(defends(s, a) for a in s)]
    complete = [s for s in admissible if all(a in s for a in nodes if defends(s, a))]
    grounded_ext = min(complete, key=len)
    preferred = [s for s in admissible if not any(s < t for t in admissible)]
    stable = [s for s in subsets if cf(s) and all(any((x, y) in att for x in s) for y in nodes if y not in s)]
    return grounded_ext, preferred, stable, complete


@st.composite
def frameworks(draw):
    n = draw(st.integers(1, 7))
    nodes = [f"a{i}" for i in range(n)]
    pairs = [(x, y) for x in nodes for y in nodes]
    attacks = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=min(len(pairs), 14)))
    return nodes, attacks


def as_sets(exts):
    return sorted(sorted(e) for e in exts)


@settings(max_examples=150, deadline=None)
@given(frameworks())
def test_semantics_match_brute_force(fw):
    nodes, attacks = fw
    g_ext, preferred, stable, complete = brute(nodes, attacks)
    g = af(*attacks, nodes=nodes)
    assert ground(g)[0] == set(g_ext)
    assert extensions(g, "preferred")[0] == as_sets(preferred)
    assert extensions(g, "stable")[0] == as_sets(stable)
    assert extensions(g, "complete")[0] == as_sets(complete)
    assert extensions(g, "grounded")[0] == [sorted(g_ext)]
    assert extensions(g, "grounded-fixpoint")[0] == [sorted(g_ext)]


@settings(max_examples=60, deadline=None)
@given(frameworks())
def test_grounded_labels_are_a_complete_labelling(fw):
    """IN iff every attacker OUT; OUT iff some attacker IN; the rest UNDEC."""
    nodes, attacks = fw
    _, labels = ground(af(*attacks, nodes=nodes))
    for n in nodes:
        atts = [a for a, b in attacks if b == n]
        if labels[n] == "IN":
            assert all(labels[a] == "OUT" for a in atts)
        elif labels[n] == "OUT":
            assert any(labels[a] == "IN" for a in atts)
        else:
            assert not any(labels[a] == "IN" for a in atts) and not all(labels[a] == "OUT" for a in atts)


def test_grounded_on_arrays_matches_a_random_large_framework_checked_by_clingo():
    rng = np.random.default_rng(1)
    n, m = 3000, 9000
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    labels = grounded(Framework(n, src, dst))
    pairs = sorted(set(zip(src.tolist(), dst.tolist())))
    clingo_in = solve(n, pairs, "grounded-fixpoint").extensions[0]
    assert sorted(np.flatnonzero(labels == 1).tolist()) == clingo_in


def test_time_limit_is_reported():
    rng = np.random.default_rng(3)
    n = 400
    pairs = sorted({(int(a), int(b)) for a, b in zip(rng.integers(0, n, 1600), rng.integers(0, n, 1600))})
    result = solve(n, pairs, "preferred", timeout=0.0)
    assert result.timed_out and result.extensions == []


def test_time_limit_spent_by_grounding_is_reported_with_an_injected_clock():
    ticks = iter(range(0, 1000, 10))  # every reading of the clock is 10 s later
    result = solve(3, [(0, 1), (1, 2)], "preferred", timeout=5.0, clock=lambda: float(next(ticks)))
    assert result.timed_out and result.extensions == []
    assert solve(3, [(0, 1), (1, 2)], "preferred", timeout=30.0).extensions == [[0, 2]]


# --- reasons ------------------------------------------------------------------------------------

def test_reasons():
    g = af(("a", "b"), ("b", "c"), ("x", "y"), ("y", "x"), ("y", "z"))
    _, labels = ground(g)
    att, lab = graph_attackers(g), labels.__getitem__
    assert reason(att, lab, "b")["defeated_by"] == ["a"]
    r = reason(att, lab, "c")
    assert r["label"] == "IN" and r["attackers"] == [{"id": "b", "defeated_by": ["a"]}]
    assert reason(att, lab, "a")["reason"] == "nothing attacks it"
    z = reason(att, lab, "z")
    assert z["label"] == "UNDEC" and z["cycle"] in (["x", "y", "x"], ["y", "x", "y"]) and "depends on" in z["reason"]
    assert "lies on" in reason(att, lab, "x")["reason"]


def test_reasons_from_the_store_arrays_match_the_graph(store):
    for a, b in [("a", "b"), ("b", "c"), ("x", "y"), ("y", "x"), ("y", "z")]:
        for c in (a, b):
            if c not in {r.id for r in store.list_claims()}:
                store.add_claim(f"claim {c}", c)
        store.link(a, b, "attacks")
    from argmap.graph.semantics.arrays import GroundedIndex
    index = GroundedIndex(store.read_arrays())
    g = af(("a", "b"), ("b", "c"), ("x", "y"), ("y", "x"), ("y", "z"))
    _, labels = ground(g)
    for n in g.nodes:
        assert reason(index.attackers, index.label, n) == reason(graph_attackers(g), labels.__getitem__, n)
    assert index.counts() == {"IN": 2, "OUT": 1, "UNDEC": 3}


def test_demo_status_by_hand(demo_store):
    rows = {r["id"]: r for r in status(demo_store)["claims"]}
    assert rows["evolution-prior"]["label"] == "OUT"
    assert rows["evolution-prior"]["defeated_by"] == ["genome-too-small", "marginal-still-worse"]
    assert rows["genome-too-small"]["reason"] == "nothing attacks it"
    assert rows["chinchilla-one-oom"]["defeated_by"] == ["compute-vs-data-optimal", "research-exists"]
    assert rows["parameter-scaling"]["label"] == "IN"
    assert rows["parameter-scaling"]["attackers"] == [
        {"id": "chinchilla-one-oom", "defeated_by": ["compute-vs-data-optimal", "research-exists"]}]
    assert rows["data-black-hole"]["label"] == "OUT"
    assert rows["data-black-hole"]["defeated_by"] == ["parameter-scaling"]
    assert rows["language-exposure-gap"]["label"] == "IN"
    assert rows["multimodal-tokens"]["label"] == "OUT"
    # rebut the counter-objections and the thesis stands again
    demo_store.rebut("compute-vs-data-optimal", "Choosing compute-optimality does not change the fitted exponents.", "fit-is-fit")
    demo_store.rebut("research-exists", "No published curve closes three orders of magnitude.", "no-curve")
    rows = {r["id"]: r for r in status(demo_store)["claims"]}
    assert rows["parameter-scaling"]["label"] == "OUT" and rows["data-black-hole"]["label"] == "IN"


# --- DF-QuAD -------------------------------------------------------------------------------------

def test_dfquad_values():
    g = nx.DiGraph()
    g.add_edge("att", "x", type="attacks")
    g.add_edge("sup", "y", type="supports")
    g.add_edge("a1", "z", type="attacks")
    g.add_edge("s1", "z", type="supports")
    strength, converged = dfquad(g)
    assert converged
    assert strength["x"] == pytest.approx(0.25)
    assert strength["y"] == pytest.approx(0.75)
    assert strength["z"] == pytest.approx(0.5)  # equal attack and support cancel
    strength, _ = dfquad(g, base={"att": 1.0, "x": 0.8})
    assert strength["x"] == pytest.approx(0.0)
    g.add_edge("b1", "x", type="attacks")
    strength, _ = dfquad(g)
    assert strength["x"] == pytest.approx(0.5 * (1 - (1 - 0.25)))  # F = 1 - 0.5*0.5


def reference_dfquad(g, rounds=2000):
    """The textbook equations, iterated naively (a test oracle, not the implementation)."""
    strength = {n: 0.5 for n in g.nodes}
    for _ in range(rounds):
        new = {}
        for n in g.nodes:
            att = [strength[u] for u, _, t in g.in_edges(n, data="type") if t == "attacks"]
            sup = [strength[u] for u, _, t in g.in_edges(n, data="type") if t == "supports"]
            va = 1 - np.prod([1 - v for v in att]) if att else 0.0
            vs = 1 - np.prod([1 - v for v in sup]) if sup else 0.0
            new[n] = 0.5 - 0.5 * (va - vs) if va >= vs else 0.5 + 0.5 * (vs - va)
        strength = new
    return strength


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 8).flatmap(lambda n: st.lists(
    st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(["attacks", "supports"])),
    max_size=12).map(lambda es: (n, es))))
def test_dfquad_matches_the_equations_on_random_acyclic_maps(case):
    n, edges = case
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for a, b, t in edges:
        if a < b:  # acyclic: only forward edges
            g.add_edge(a, b, type=t)
    strength, converged = dfquad(g)
    expected = reference_dfquad(g, rounds=n + 1)
    assert converged
    for node in g.nodes:
        assert strength[node] == pytest.approx(expected[node], abs=1e-12)


def test_dfquad_from_the_store_matches_the_graph(demo_store):
    from argmap.graph.semantics.arrays import GroundedIndex
    index = GroundedIndex(demo_store.read_arrays())
    arrays, converged = index.strengths()
    assert converged
    graph, _ = dfquad(demo_store.read_map().to_networkx())
    for name, i in index.index.items():
        assert arrays[i] == pytest.approx(graph[name], abs=1e-12)


def test_dfquad_on_cycles_converges():
    g = nx.DiGraph()
    g.add_edge("a", "b", type="attacks")
    g.add_edge("b", "a", type="attacks")
    strength, converged = dfquad(g)
    assert converged and strength["a"] == pytest.approx(strength["b"])
    assert 0 < strength["a"] < 0.5


def test_base_scores_are_settable(cli):
    cli("add", "A claim", "--id", "x")
    cli("object", "x", "An objection", "--id", "o")
    before = json.loads(cli("status", "x", "--semantics", "dfquad", "--json").stdout)["strength"]
    cli("edit", "o", "--base-score", "0.9")
    after = json.loads(cli("status", "x", "--semantics", "dfquad", "--json").stdout)["strength"]
    assert before == pytest.approx(0.25) and after == pytest.approx(0.05)


# --- ICCMA formats and af solve -------------------------------------------------------------------

ICCMA = "p af 4\n# a comment\n1 2\n2 3\n3 4\n4 3\n"
APX = "arg(a).\narg(b).\narg(c).\natt(a,b).\natt(b,c).\n"
TGF = "a\nb\nc\n#\na b\nb c\n"


def test_formats_parse_and_round_trip():
    assert parse(ICCMA) == (["1", "2", "3", "4"], [("1", "2"), ("2", "3"), ("3", "4"), ("4", "3")])
    assert parse(APX) == (["a", "b", "c"], [("a", "b"), ("b", "c")])
    assert parse(TGF) == parse(APX)
    for fmt in ("iccma23", "apx", "tgf"):
        args, attacks = parse(APX)
        text = write(args, attacks, fmt)
        back_args, back_attacks = parse(text, fmt)
        assert len(back_args) == 3 and len(back_attacks) == 2
    assert witness_lines([["1", "3"], []]) == "w 1 3\nw\n"
    assert witness_lines([]) == "NO\n"


@pytest.mark.parametrize("text, fmt, message", [
    ("1 2\n", "iccma23", "header"),
    ("p af 2\n1 3\n", "iccma23", "between 1 and 2"),
    ("p af 2\n1\n", "iccma23", "two argument numbers"),
    ("arg(a).\natt(a,b).\n", "apx", "arg(b). declared"),
    ("arg(a)\nwhatever\n", "apx", "arg(a). or att(a,b)."),
    ("a\n#\na b\n", "tgf", "declared argument"),
])
def test_format_errors_name_the_place(text, fmt, message):
    from argmap.graph.formats.document import FormatError
    with pytest.raises(FormatError) as exc:
        parse(text, fmt, "f.af")
    assert message in str(exc.value) and "f.af" in str(exc.value)


def test_af_solve_cli(cli, tmp_path):
    (tmp_path / "f.af").write_text(ICCMA)
    (tmp_path / "f.apx").write_text(APX)
    assert cli("af", "solve", str(tmp_path / "f.af")).stdout == "w 1\n"
    assert cli("af", "solve", str(tmp_path / "f.af"), "-s", "preferred").stdout == "w 1 3\nw 1 4\n"
    assert json.loads(cli("af", "solve", str(tmp_path / "f.apx"), "-s", "stable", "--json").stdout) == [["a", "c"]]
    (tmp_path / "odd.apx").write_text("arg(a).arg(b).arg(c).att(a,b).att(b,c).att(c,a).")
    assert cli("af", "solve", str(tmp_path / "odd.apx"), "-s", "stable").stdout == "NO\n"
    assert "header" in cli.fails("af", "solve", str(tmp_path / "f.apx"), "--format", "iccma23")
    assert "unknown semantics" in cli.fails("af", "solve", str(tmp_path / "f.af"), "-s", "ideal")


def test_the_cli_says_when_the_time_limit_is_hit(cli, tmp_path):
    rng = np.random.default_rng(3)
    pairs = sorted({(int(a) + 1, int(b) + 1) for a, b in zip(rng.integers(0, 400, 1600), rng.integers(0, 400, 1600))})
    (tmp_path / "big.af").write_text("p af 400\n" + "".join(f"{a} {b}\n" for a, b in pairs))
    result = cli.runner.invoke(app, ["af", "solve", str(tmp_path / "big.af"), "-s", "preferred", "--timeout", "0"])
    assert result.exit_code == 3
    assert "time limit was hit" in result.stderr


def test_af_export_of_the_demo_round_trips_through_solve(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    cli("af", "export", "--format", "apx", "--out", str(tmp_path / "demo.apx"))
    ext = json.loads(cli("af", "solve", str(tmp_path / "demo.apx"), "--json").stdout)[0]
    rows = json.loads(cli("status", "--json").stdout)["claims"]
    assert set(ext) == {r["id"] for r in rows if r["label"] == "IN"}


def test_status_cli(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    table = cli("status").stdout
    assert table.splitlines()[0].startswith("data-black-hole") and "OUT" in table.splitlines()[0]
    one = cli("status", "evolution-prior").stdout
    assert "OUT" in one and "defeated by genome-too-small, marginal-still-worse" in one
    pref = json.loads(cli("status", "--semantics", "preferred", "--json").stdout)
    assert pref["timed_out"] is False and len(pref["extensions"]) == 1
    assert {r["id"]: r["label"] for r in pref["claims"]}["genome-too-small"] == "sceptical"
    assert "unknown semantics" in cli.fails("status", "--semantics", "magic")
    assert "no claim" in cli.fails("status", "ghost")


def test_iccma_files_read_in_bulk_agree_with_the_line_by_line_reader():
    """The numeric fast path of `af solve` reads exactly what `parse` reads, and gives up
    (so that `parse` names the line) on anything else."""
    import random
    from argmap.graph.formats.iccma import numeric_iccma23
    rng = random.Random(3)
    pieces = ["", "# a comment\n", "\n", "  \n", "\r\n"]
    bad = ["1\n", "1 2 3\n", "x y\n", "0 1\n", "1 9\n", "1 ²\n", "-1 2\n", "p af 2\n", "0000000001 1\n",
           "1 2 3 4\n", "1\t2\t1\n", "1\x002\n", "\r1 2 3\n", "1 2\r3\n"]
    for _ in range(300):
        n = rng.randint(1, 6)
        lines = [rng.choice(pieces) for _ in range(2)] + [f"p af {n}\n"]
        for _ in range(rng.randint(0, 8)):
            lines.append(f"{rng.randint(1, n)} {rng.randint(1, n)}" + rng.choice(["\n", " \n", "\r\n", "\t\n"]))
            if rng.random() < 0.2:
                lines.append(rng.choice(pieces))
        if rng.random() < 0.3:
            lines.insert(rng.randint(3, len(lines)), rng.choice(bad))
        text = "".join(lines)
        try:
            args, attacks = parse(text, "iccma23", "f")
        except Exception:
            assert numeric_iccma23(text) is None, text
            continue
        af = numeric_iccma23(text)
        assert af is not None, text
        assert af.n == len(args)
        assert [(str(a + 1), str(b + 1)) for a, b in zip(af.src.tolist(), af.dst.tolist())] == attacks


def test_af_solve_grounded_fast_path_matches_the_general_one(cli, tmp_path):
    import random
    from argmap.graph.semantics.solve import solve_framework
    rng = random.Random(9)
    for _ in range(20):
        n = rng.randint(1, 30)
        pairs = sorted({(rng.randint(1, n), rng.randint(1, n)) for _ in range(rng.randint(0, 60))})
        text = f"p af {n}\n" + "".join(f"{a} {b}\n" for a, b in pairs)
        (tmp_path / "f.af").write_text(text)
        got = json.loads(cli("af", "solve", str(tmp_path / "f.af"), "--json").stdout)
        want, _ = solve_framework(*parse(text, "iccma23", "f"), "grounded")
        assert got == want


@pytest.mark.parametrize("semantics", ["preferred", "stable", "complete", "grounded-fixpoint"])
def test_clingo_in_a_child_process_answers_as_in_this_one(monkeypatch, semantics):
    """Large frameworks are solved by clingo in a child process (its JSON output parsed at
    once); the answers are those of the in-process solve, empty extensions and none at all included."""
    from argmap.graph.semantics import asp
    rng = np.random.default_rng(11)
    cases = [(1, [(0, 0)]), (3, [(0, 1), (1, 2), (2, 0)]), (4, [(0, 1), (1, 0), (2, 3), (3, 2)])]
    for _ in range(6):
        n = int(rng.integers(5, 14))
        cases.append((n, sorted({(int(a), int(b)) for a, b in zip(rng.integers(0, n, 2 * n), rng.integers(0, n, 2 * n))})))
    here = [sorted(asp.solve(n, pairs, semantics).extensions) for n, pairs in cases]
    monkeypatch.setattr(asp, "IN_PROCESS_UP_TO", 0)
    child = [sorted(asp.solve(n, pairs, semantics).extensions) for n, pairs in cases]
    assert child == here
    # a lone self-attacker, and an odd cycle: only the empty extension, or (stable) none at all
    assert here[0] == here[1] == ([] if semantics == "stable" else [[]])


def test_a_child_stuck_in_grounding_is_stopped_at_the_time_limit():
    """ASPARTIX's grounded encoding grounds in cubic time: 3,000 arguments would take many
    minutes. The limit stops the child (interrupted, then killed) and says so."""
    from pathlib import Path
    from argmap.graph.semantics import asp
    result = asp.solve(3000, [(i, i + 1) for i in range(2999)], "grounded", timeout=0.5)
    assert result.timed_out and result.extensions == []
    # only this process's children: another test run on the machine may have a child of its own
    leftover = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parent = next(line for line in (proc / "status").read_text().splitlines() if line.startswith("PPid:"))
            if int(parent.split()[1]) == os.getpid() and b"argmap-clingo-" in (proc / "cmdline").read_bytes():
                leftover.append(proc.name)
        except (OSError, StopIteration, ValueError):
            pass  # a process that ended meanwhile
    assert leftover == []
