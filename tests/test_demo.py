"""The built-in debate: complete, sourced, loaded once."""

import json
import re

import pytest

from argmap.demo import demo_document, load_demo
from conftest import rows

THESIS = "data-black-hole"
SUPPORTS = ["open-models-lag", "rl-is-synthetic-data", "language-exposure-gap", "driving-gap",
            "teleoperation-gap", "marginal-capability-gap"]
OBJECTIONS = {  # objection -> (targets, rebuttals)
    "evolution-prior": ({"language-exposure-gap", THESIS}, {"genome-too-small", "marginal-still-worse"}),
    "multimodal-tokens": ({"language-exposure-gap"}, {"blind-deaf-general", "deaf-signers"}),
    "parameter-scaling": ({THESIS}, {"chinchilla-one-oom"}),
    "amortized-training": ({"gap-blocks-automation"}, {"out-of-distribution-work"}),
}
COUNTER_OBJECTIONS = {"compute-vs-data-optimal": "chinchilla-one-oom", "research-exists": "chinchilla-one-oom",
                      "contrived-3sat": "data-scaling-hypothesis", "prediction-unsupported": "swe-demand-2028"}


@pytest.fixture(scope="module")
def doc():
    return demo_document()


def rels(doc):
    return {(r["source"], r["target"], r["type"]) for r in doc.relations}


def kinds(doc):
    return {c["id"]: c["kind"] for c in doc.claims}


def test_thesis_and_its_supports(doc):
    assert kinds(doc)[THESIS] == "thesis"
    for s in SUPPORTS:
        assert (s, THESIS, "supports") in rels(doc), s
    assert ("data-scaling-hypothesis", "open-models-lag", "supports") in rels(doc)
    assert ("data-scaling-hypothesis", THESIS, "supports") in rels(doc)
    assert "swe-demand-2028" in kinds(doc)


def test_the_three_named_objection_threads_are_complete(doc):
    k = kinds(doc)
    for objection, (targets, rebuttals) in OBJECTIONS.items():
        assert k[objection] == "objection"
        for t in targets:
            assert (objection, t, "attacks") in rels(doc), (objection, t)
        for r in rebuttals:
            assert k[r] == "rebuttal"
            assert (r, objection, "attacks") in rels(doc), (r, objection)
    for objection, target in COUNTER_OBJECTIONS.items():
        assert k[objection] == "objection"
        assert (objection, target, "attacks") in rels(doc)


def test_every_required_claim_has_a_sourced_quote(doc):
    required = [THESIS, *SUPPORTS, *OBJECTIONS] + [r for _, rs in OBJECTIONS.values() for r in rs]
    sources = {s["id"] for s in doc.sources}
    quoted = {}
    for e in doc.evidence:
        assert e["source"] in sources
        assert e["locator"], e
        quoted.setdefault(e["claim"], []).append(e)
    for claim in required:
        assert quoted.get(claim), f"{claim} has no evidence"


def test_quotes_are_short(doc):
    for e in doc.evidence:
        q = e["quote"]
        assert len(q) <= 320, q
        assert len(re.findall(r"[.!?](\s|$)", q)) <= 2, q


def test_claims_are_our_own_words_not_quotes(doc):
    quotes = [e["quote"] for e in doc.evidence]
    for c in doc.claims:
        for q in quotes:
            assert c["text"] not in q and q not in c["text"], c["id"]


def test_loading_twice_adds_nothing(store, db_path):
    first = load_demo(store)
    assert first is not None and first.claims == len(demo_document().claims)
    before = rows(db_path)
    assert load_demo(store) is None
    assert rows(db_path) == before


def test_demo_file_is_valid_json_with_a_version():
    from argmap.demo import demo_text
    data = json.loads(demo_text())
    assert data["format"] == "argmap" and data["version"] == 1
