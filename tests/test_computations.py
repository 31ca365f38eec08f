"""Attached computations: results, checks, sensitivity, the graph of computations, errors."""

import json

import pytest

from argmap.errors import AlreadyExists, FormulaError, NotFound
from argmap.claims.records import ComputationRecord
from argmap.evidence.computations import (
    add_computation, input_from_text, run_all, set_input, show_computation)
from argmap.graph.status import grounded_labels_in_session


def comps(store):
    return {c.id: c.to_json() for c in store.computations()}


def result(store, cid):
    return comps(store)[cid]["result"]


# --- the demo's seven computations ------------------------------------------------------------

def test_c1_language_tokens_holds_against_200m(demo_store):
    r = result(demo_store, "c1")
    assert 1.6e8 <= r["p5"] <= 1.8e8 and 2.4e8 <= r["p95"] <= 2.8e8
    assert r["bounds"] == pytest.approx([1.577e8, 2.80e8], rel=0.01)
    assert r["check"]["outcome"] == "holds"
    assert comps(demo_store)["c1"]["claim"] == "language-exposure-gap"


def test_c2_uses_c1_and_partly_holds_against_a_million_fold(demo_store):
    c2 = comps(demo_store)["c2"]
    assert [i["from"] for i in c2["inputs"]] == [None, "c1"]
    r = c2["result"]
    assert 4e4 <= r["p5"] <= 6e4 and 4e5 <= r["p95"] <= 6e5
    assert r["bounds"] == pytest.approx([3.6e4, 6.3e5], rel=0.03)
    assert r["check"]["outcome"] == "partly"
    assert "upper edge" in r["check"]["detail"]


def test_c3_to_c6(demo_store):
    r3, r4, r5, r6 = (result(demo_store, c) for c in ("c3", "c4", "c5", "c6"))
    assert 6e5 <= r3["p5"] <= 6.6e5 and 1.25e6 <= r3["p95"] <= 1.3e6
    assert r4["exact"] and r4["p50"] == pytest.approx(20.0)
    assert 1e2 <= r5["p5"] <= 3e2 and 4e3 <= r5["p95"] <= 1e4
    assert r6["p5"] == pytest.approx(33.3, rel=0.02) and r6["p95"] == pytest.approx(100, rel=0.02)
    assert r6["check"]["outcome"] == "holds"


def test_c7_both_sets_of_constants_hold_against_a_factor_of_ten(demo_store):
    r = result(demo_store, "c7")
    assert r["scenarios"]["chinchilla"]["value"] == pytest.approx(8.55, abs=0.005)
    assert r["scenarios"]["replication"]["value"] == pytest.approx(7.13, abs=0.005)
    assert r["scenarios"]["chinchilla"]["exact"] and r["scenarios"]["replication"]["check"]["outcome"] == "holds"
    assert r["check"]["outcome"] == "holds"
    assert r["bounds"] == pytest.approx([7.13, 8.55], abs=0.01)
    shares = {s["input"]: s["share"] for s in show_computation(demo_store, "c7")["result"]["sensitivity"]}
    assert shares["b"] > shares["a"] and sum(shares.values()) == pytest.approx(1.0, abs=1e-3)


def test_results_are_the_same_on_every_run(demo_store, tmp_path):
    first = {c: result(demo_store, c) for c in ("c1", "c2", "c7")}
    run_all(demo_store)
    assert {c: result(demo_store, c) for c in ("c1", "c2", "c7")} == first
    from argmap.claims.store import Store
    from argmap.demo import load_demo
    with Store(str(tmp_path / "other.db")) as other:
        load_demo(other)
        assert {c: result(other, c) for c in ("c1", "c2", "c7")} == first


def test_a_range_is_a_lognormal_with_those_percentiles(store):
    store.add_claim("x", claim_id="x")
    add_computation(store, ComputationRecord(id="r", claim="x", formula="v", unit="m",
                                          inputs=[input_from_text("v=10..1000", "m")]))
    r = result(store, "r")
    assert r["p5"] == pytest.approx(10, rel=0.05) and r["p95"] == pytest.approx(1000, rel=0.05)
    assert r["p50"] == pytest.approx(100, rel=0.05)  # the geometric mean
    add_computation(store, ComputationRecord(id="n", claim="x", formula="v", unit="",
                                          inputs=[input_from_text("v=-1..1")]))
    n = result(store, "n")
    assert n["p5"] == pytest.approx(-1, abs=0.05) and n["p50"] == pytest.approx(0, abs=0.05)


# --- checks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("expect, tolerance, outcome", [
    (100, "10%", "holds"), (105, "10%", "holds"), (200, "10%", "fails"), (200, "factor 2", "holds"),
    (1000, "1 OOM", "holds"), (3, "±2", "fails"), (99, "±2", "holds"),
])
def test_exact_checks(store, expect, tolerance, outcome):
    store.add_claim("x", claim_id="x")
    out = add_computation(store, ComputationRecord(id="k", claim="x", formula="a * b", unit="",
                                                inputs=[input_from_text("a=10"), input_from_text("b=10")],
                                                expect_value=expect, tolerance=tolerance))
    assert out["result"]["check"]["outcome"] == outcome
    if outcome == "fails":
        assert "x" in out["result"]["check"]["detail"] and out["result"]["check"]["off_by"] > 1


def test_a_failing_check_attacks_its_claim(store):
    store.add_claim("Costs are about ten", claim_id="x")
    add_computation(store, ComputationRecord(id="k", claim="x", formula="a * 3", unit="",
                                          inputs=[input_from_text("a=10")], expect_value=10, tolerance="10%"))
    g = store.read_map().to_networkx()
    assert g.has_edge("calc:k", "x") and g.edges["calc:k", "x"]["type"] == "attacks"
    with store.transaction() as s:
        assert grounded_labels_in_session(s)["x"] == "OUT"
    from argmap.graph.render import map_data
    assert map_data(g, "t")["claims"]["x"]["flagged"]


def test_expected_value_in_another_unit_is_converted(store):
    store.add_claim("x", claim_id="x")
    out = add_computation(store, ComputationRecord(id="k", claim="x", formula="d", unit="m",
                                                inputs=[input_from_text("d=1500", "m")],
                                                expect_value=1.5, expect_unit="km", tolerance="1%"))
    assert out["result"]["check"]["outcome"] == "holds"


# --- errors: nothing written --------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(formula="a + b", unit="", inputs=[("a=1", "m"), ("b=1", "s")]), "meter"),
    (dict(formula="a", unit="s", inputs=[("a=1", "m")]), "cannot be expressed in s"),
    (dict(formula="a / b", unit="", inputs=[("a=1", ""), ("b=0", "")]), "division by zero"),
    (dict(formula="a / (b - 2)", unit="", inputs=[("a=1", ""), ("b=2", "")]), "division by zero"),
    (dict(formula="a", unit="", inputs=[("a=..5", "")]), "empty range"),
    (dict(formula="a", unit="", inputs=[("a=5..", "")]), "empty range"),
    (dict(formula="a", unit="", inputs=[("a=5..1", "")]), "backwards"),
    (dict(formula="a", unit="", inputs=[("a=nan", "")]), "not a finite number"),
    (dict(formula="a", unit="", inputs=[("a=inf", "")]), "not a finite number"),
    (dict(formula="log(a - 1)", unit="", inputs=[("a=1", "")]), "not a number"),
    (dict(formula="a + zz", unit="", inputs=[("a=1", "")]), "unknown name 'zz'"),
    (dict(formula="a", unit="", inputs=[("a=1", ""), ("b=2", "")]), "not used"),
    (dict(formula="a.real", unit="", inputs=[("a=1", "")]), "attribute access"),
    (dict(formula="a", unit="", inputs=[("a=@ghost", "")]), "unknown computation 'ghost'"),
    (dict(formula="a", unit="", inputs=[("a=1", ""), ("a=2", "")]), "given twice"),
    (dict(formula="9**9**9", unit="", inputs=[]), "too large"),
])
def test_refused_computations_write_nothing(store, kwargs, message):
    store.add_claim("x", claim_id="x")
    with pytest.raises(FormulaError) as exc:  # raised while reading the inputs, or when adding
        add_computation(store, ComputationRecord(id="bad", claim="x", formula=kwargs["formula"], unit=kwargs["unit"],
                                              inputs=[input_from_text(a, u) for a, u in kwargs["inputs"]]))
    assert message in str(exc.value)
    assert comps(store) == {}


def test_unknown_claim_duplicate_id_and_cycles(store):
    store.add_claim("x", claim_id="x")
    with pytest.raises(NotFound):
        add_computation(store, ComputationRecord(id="k", claim="nope", formula="1", unit=""))
    add_computation(store, ComputationRecord(id="k1", claim="x", formula="a * 2", unit="", inputs=[input_from_text("a=1")]))
    with pytest.raises(AlreadyExists):
        add_computation(store, ComputationRecord(id="k1", claim="x", formula="1", unit=""))
    add_computation(store, ComputationRecord(id="k2", claim="x", formula="b + 1", unit="", inputs=[input_from_text("b=@k1")]))
    add_computation(store, ComputationRecord(id="k3", claim="x", formula="c * 3", unit="", inputs=[input_from_text("c=@k2")]))
    with pytest.raises(FormulaError, match="cycle: k1 -> k2 -> k3 -> k1"):
        set_input(store, "k1", "a=@k3")
    assert comps(store)["k1"]["inputs"][0]["from"] is None  # unchanged
    with pytest.raises(FormulaError, match="cycle"):
        add_computation(store, ComputationRecord(id="self", claim="x", formula="s", unit="", inputs=[input_from_text("s=@self")]))


def test_set_reruns_downstream_and_reports_what_changed(demo_store):
    before = result(demo_store, "c2")
    untouched = result(demo_store, "c5")
    report = set_input(demo_store, "c1", "wph=200", observe=grounded_labels_in_session)
    assert report["rerun"] == ["c1", "c2"]
    kinds = {(c["kind"], c["id"]): (c["before"], c["after"]) for c in report["changes"]}
    assert kinds[("check", "c1")] == ("holds", "fails")
    assert kinds[("check", "c2")] == ("partly", "holds")
    assert kinds[("claim", "language-exposure-gap")] == ("ok", "fails")
    assert kinds[("status", "language-exposure-gap")] == ("IN", "OUT")
    assert result(demo_store, "c2")["p50"] == pytest.approx(before["p50"] * 10, rel=1e-6)
    assert result(demo_store, "c5") == untouched
    report = set_input(demo_store, "c1", "wph=2000", observe=grounded_labels_in_session)
    assert ("status", "language-exposure-gap") in {(c["kind"], c["id"]) for c in report["changes"]}
    assert result(demo_store, "c2") == before
    with pytest.raises(NotFound):
        set_input(demo_store, "c1", "nope=3")
    with pytest.raises(NotFound):
        set_input(demo_store, "c99", "a=3")


def test_show_includes_input_evidence(demo_store):
    c = show_computation(demo_store, "c1")
    wph = [i for i in c["inputs"] if i["name"] == "wph"][0]
    assert "2,000 words an hour" in wph["evidence_quote"]["quote"]
    assert demo_store.detail("language-exposure-gap").computations[0].id == "c1"


# --- CLI -------------------------------------------------------------------------------------------

def test_compute_cli_end_to_end(cli):
    cli("add", "A person meets about 200M tokens", "--id", "tokens")
    out = cli("compute", "add", "tokens", "--id", "t1", "--formula", "wph * hours * years",
              "--input", "wph=2000", "words/hour", "--input", "hours=12..16 hour/day",
              "--input", "years=18", "year", "--unit", "words", "--expect", "2e8 words", "--tolerance", "factor 2",
              "--note", "wph=reading and listening").stdout
    assert "t1: wph * hours * years" in out and "check: holds" in out
    shown = json.loads(cli("compute", "show", "t1", "--json").stdout)
    assert shown["inputs"][1] == {"name": "hours", "low": 12.0, "high": 16.0, "unit": "hour/day", "evidence": None,
                                  "from": None, "note": None}
    assert shown["inputs"][0]["note"] == "reading and listening"
    text = cli("compute", "show", "t1").stdout
    assert "sensitivity" in text and "hours" in text
    assert "t1" in cli("compute", "run").stdout
    assert "[holds]" in cli("compute", "list").stdout
    out = cli("compute", "set", "t1", "wph=20").stdout
    assert "changed check t1: holds -> fails" in out
    assert "changed status tokens: IN -> OUT" in out
    assert "Computations (1)" in cli("show", "tokens").stdout
    assert json.loads(cli("show", "tokens", "--json").stdout)["computations"][0]["check"] == "fails"
    assert cli("compute", "remove", "t1").stdout.strip() == "removed: t1"


@pytest.mark.parametrize("args, message", [
    (["compute", "add", "x", "--id", "k", "--formula", "a + b", "--input", "a=1", "m", "--input", "b=1", "s"], "meter"),
    (["compute", "add", "x", "--id", "k", "--formula", "a", "--input", "a=5..1"], "backwards"),
    (["compute", "add", "x", "--id", "k", "--formula", "__import__('os')"], "not allowed"),
    (["compute", "add", "x", "--id", "k", "--formula", "a", "--input", "a"], "NAME=VALUE"),
    (["compute", "add", "x", "--id", "k", "--formula", "a", "--input", "a=1", "--evidence", "a=99"], "no evidence"),
    (["compute", "add", "x", "--id", "k", "--formula", "a", "--input", "a=1", "stray", "extra"], "unexpected"),
    (["compute", "add", "x", "--id", "k", "--formula", "a", "--input", "a=1", "--expect", "lots"], "stated value"),
    (["compute", "add", "x", "--id", "k", "--formula", "a", "--input", "a=1", "--expect", "1", "--tolerance", "some"], "tolerance"),
    (["compute", "show", "nope"], "no computation"),
    (["compute", "run", "nope"], "no computation"),
    (["compute", "set", "nope", "a=1"], "no computation"),
])
def test_compute_cli_errors(cli, args, message):
    cli("add", "x", "--id", "x")
    assert message in cli.fails(*args)
    assert cli("compute", "list", "--json").stdout.strip() == "[]"
