"""People's judgements: stored per claim and person, in the history, carried by argmap JSON;
pooled into perspectives; the chance that a claim stands (exact on trees, checked against the
draws); and the crux between two people, on maps whose answer is known by hand."""

import json
import re
import math

import pytest

from argmap.claims.argument_map import ArgumentMap
from argmap.claims.records import ClaimRecord, JudgementRecord, RelationRecord
from argmap.graph.disagreement import crux_between
from argmap.graph.perspectives import credences, exact_stands, pool
from argmap.graph.robust import robustness


def tree(edges: list[tuple[str, str]], thesis: str = "t") -> ArgumentMap:
    ids = sorted({thesis} | {x for e in edges for x in e})
    return ArgumentMap(claims=[ClaimRecord(i, f"Claim {i}.", "thesis" if i == thesis else "objection") for i in ids],
                       relations=[RelationRecord(s, d, "attacks") for s, d in edges])


def judged(**by_person: dict[str, float]) -> list[JudgementRecord]:
    return [JudgementRecord(c, who, p) for who, cs in by_person.items() for c, p in cs.items()]


# --- stored, in the history, in and out ------------------------------------------------------------

@pytest.fixture
def demo(cli):
    cli("demo", "--out", "-")


def test_judge_list_clear_and_refusals(cli, demo):
    cli("--author", "alice", "judge", "evolution-prior", "--credence", "0.3")
    cli("--author", "bob", "judge", "evolution-prior", "--credence", "0.8")
    cli("--author", "alice", "judge", "evolution-prior", "--credence", "0.35")  # replaces hers
    rows = json.loads(cli("judgements", "--json").stdout)
    assert [(r["claim"], r["author"], r["credence"]) for r in rows] == [
        ("evolution-prior", "alice", 0.35), ("evolution-prior", "bob", 0.8)]
    assert [r["author"] for r in json.loads(cli("judgements", "--author", "bob", "--json").stdout)] == ["bob"]
    before = cli("export", "--format", "json").stdout
    for args, message in ((("judge", "evolution-prior", "--credence", "1.5"), "from 0 to 1"),
                          (("judge", "evolution-prior", "--credence", "nan"), "from 0 to 1"),
                          (("judge", "no-such-claim", "--credence", "0.5"), "no-such-claim"),
                          (("judge", "evolution-prior"), "--credence P or --clear"),
                          (("judge", "genome-too-small", "--clear"), "no judgement")):
        assert message in cli.fails(*args)
    assert cli("export", "--format", "json").stdout == before
    cli("--author", "bob", "judge", "evolution-prior", "--clear")
    assert [r["author"] for r in json.loads(cli("judgements", "evolution-prior", "--json").stdout)] == ["alice"]


def test_judgements_are_in_the_history(cli, demo):
    head = len(json.loads(cli("log", "--json").stdout))
    cli("--author", "alice", "judge", "evolution-prior", "--credence", "0.3")
    cli("--author", "alice", "judge", "evolution-prior", "--credence", "0.6")
    log = json.loads(cli("log", "--json").stdout)
    assert [(c["author"], c["command"]) for c in log[head:]] == [
        ("alice", "argmap judge evolution-prior --credence 0.3"), ("alice", "argmap judge evolution-prior --credence 0.6")]
    at = json.loads(cli("export", "--format", "json", "--at", str(head + 1)).stdout)
    assert at["judgements"][0]["credence"] == 0.3
    assert "judgements" not in json.loads(cli("export", "--format", "json", "--at", str(head)).stdout)
    diff = json.loads(cli("diff", "--since", str(head), "--json").stdout)["judgements"]
    assert diff["added"][0]["key"] == ["evolution-prior", "alice"] and diff["added"][0]["credence"] == 0.6
    cli("undo")
    assert json.loads(cli("judgements", "--json").stdout)[0]["credence"] == 0.3
    # a removed claim takes its judgements with it, and undo brings them back
    cli("remove", "genome-too-small", "--cascade")
    cli("undo")
    cli("--author", "bob", "judge", "genome-too-small", "--credence", "0.1")
    cli("remove", "genome-too-small", "--cascade")
    assert [r["claim"] for r in json.loads(cli("judgements", "--json").stdout)] == ["evolution-prior"]
    cli("undo")
    assert {r["claim"] for r in json.loads(cli("judgements", "--json").stdout)} == {"evolution-prior", "genome-too-small"}
    assert "no problems" in cli("check").stdout


def test_argmap_json_carries_judgements_losslessly(cli, demo, tmp_path, monkeypatch):
    from argmap.claims.store import Store
    from argmap.graph.formats.argmap_json import write
    cli("--author", "alice", "judge", "evolution-prior", "--credence", "0.3")
    cli("--author", "bob", "judge", "genome-too-small", "--credence", "0.75")
    streamed = cli("export", "--format", "json").stdout  # a whole store: written as it is read
    with Store() as s:
        assert write(s.read_map()) == streamed  # the same bytes as the in-memory writer
    doc = tmp_path / "map.json"
    doc.write_text(streamed)
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "copy.db"))
    cli("import", str(doc))
    assert cli("export", "--format", "json").stdout == streamed
    bad = json.loads(streamed)
    for change, message in ((lambda d: d["judgements"].append(dict(d["judgements"][0])), "one judgement per"),
                            (lambda d: d["judgements"][0].update(credence=2), "from 0 to 1"),
                            (lambda d: d["judgements"][0].update(claim="nope"), "no claim 'nope'"),
                            (lambda d: d["judgements"][0].update(at="yesterday"), "ISO 8601")):
        broken = json.loads(json.dumps(bad))
        change(broken)
        doc.write_text(json.dumps(broken))
        monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "refused.db"))
        assert message in cli.fails("import", str(doc))
    assert not (tmp_path / "refused.db").exists()


# --- pooling by hand -----------------------------------------------------------------------------

def test_pooling_by_hand():
    assert pool([0.2, 0.8]) == pytest.approx(0.5)
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    three = 1 / (1 + math.exp(-(2 * logit(0.9) + logit(0.5)) / 3))
    assert pool([0.9, 0.9, 0.5]) == pytest.approx(three) == pytest.approx(0.8122, abs=1e-4)
    assert pool([1.0, 0.5]) == pytest.approx(1 / (1 + math.exp(-logit(0.99) / 2)))  # 1 clipped to 0.99
    assert pool([0.0]) == 0.0  # one person: as given
    js = judged(alice={"a": 0.2, "b": 0.9}, bob={"a": 0.8}, carol={"c": 0.4})
    assert credences(js, ["alice", "bob"]) == {"a": pytest.approx(0.5), "b": 0.9}  # bob abstains on b
    assert credences(js, ["carol"]) == {"c": 0.4}


# --- the chance that a claim stands ----------------------------------------------------------------

CHAIN = [("o1", "t"), ("r1", "o1")]
FORK = [("o1", "t"), ("o2", "t"), ("r1", "o1"), ("r2", "o1"), ("x", "r2")]


def test_exact_on_small_trees_by_hand():
    assert exact_stands(tree(CHAIN), {"o1": 0.6, "r1": 0.5}) == pytest.approx({"r1": 0.5, "o1": 0.3, "t": 0.7})
    p = exact_stands(tree(FORK), {"o1": 0.6, "o2": 0.5, "r1": 0.5, "x": 0.25})
    # x stands .25; r2 (present) stands .75; r1 .5; o1 = .6 * .5 * .25 = .075; o2 .5; t = .925 * .5
    assert p == pytest.approx({"x": 0.25, "r2": 0.75, "r1": 0.5, "o1": 0.075, "o2": 0.5, "t": 0.4625})
    assert exact_stands(tree([("a", "t"), ("a", "b"), ("b", "t")]), {}) is None  # a attacks two: not a tree
    assert exact_stands(tree([("a", "b"), ("b", "a"), ("a", "t")]), {}) is None  # a cycle


def test_the_draws_agree_with_the_exact_answer():
    """Over 30 fixed seeds: the 95% interval holds the exact value about 95% of the time
    (at least 85% here, of 180), and the mean of the estimates is within 0.005 of it."""
    amap = tree(FORK)
    cred = {"o1": 0.6, "o2": 0.5, "r1": 0.5, "x": 0.25}
    exact = exact_stands(amap, cred)
    inside, estimates = 0, {claim: [] for claim in exact}
    for seed in range(1, 31):
        rows = {r["id"]: r for r in robustness(amap, 4000, seed, cred)["claims"]}
        for claim, p in exact.items():
            lo, hi = rows[claim]["ci"]
            inside += lo <= p <= hi
            estimates[claim].append(rows[claim]["stands"])
    assert inside >= 0.85 * 30 * len(exact)
    for claim, p in exact.items():
        assert sum(estimates[claim]) / 30 == pytest.approx(p, abs=0.005)


def test_the_same_seed_gives_the_same_figures_and_no_judgement_changes_nothing(cli, demo):
    from argmap.claims.store import Store
    with Store() as s:
        amap = s.read_map()
    cred = {"evolution-prior": 0.3, "genome-too-small": 0.6}
    assert robustness(amap, 500, 7, cred) == robustness(amap, 500, 7, cred)
    assert robustness(amap, 500, 7, cred) != robustness(amap, 500, 8, cred)
    plain = robustness(amap, 500, 7)
    assert robustness(amap, 500, 7, {}) == {**plain, "credences": {}}
    assert json.loads(cli("status", "--robust", "--json", "--draws", "500", "--seed", "7").stdout) == plain


def test_status_as_a_perspective(cli, demo):
    cli("--author", "alice", "judge", "genome-too-small", "--credence", "0.1")
    cli("--author", "alice", "judge", "marginal-still-worse", "--credence", "0.2")
    cli("--author", "bob", "judge", "genome-too-small", "--credence", "0.9")
    alice = {r["id"]: r for r in json.loads(cli("status", "--as", "alice", "--json").stdout)["claims"]}
    # alice rejects both of evolution-prior's attackers: it stands in her view, not as written
    assert alice["evolution-prior"]["as_written"] == "OUT" and alice["evolution-prior"]["label"] == "IN"
    assert alice["genome-too-small"]["label"] == "REJECTED" and alice["genome-too-small"]["credence"] == 0.1
    both = json.loads(cli("status", "--as", "alice,bob", "--json").stdout)
    assert both["perspective"] == ["alice", "bob"] and "log-odds" in both["pooling"]
    assert {r["id"]: r for r in both["claims"]}["genome-too-small"]["credence"] == pytest.approx(0.5)
    robust = json.loads(cli("status", "--robust", "--as", "alice", "--json").stdout)
    rows = {r["id"]: r for r in robust["claims"]}
    assert rows["genome-too-small"]["stands"] < 0.2 and robust["credences"] == {
        "genome-too-small": 0.1, "marginal-still-worse": 0.2}
    assert any(d["claim"] in ("genome-too-small", "marginal-still-worse") for d in rows["evolution-prior"]["claim_drivers"])
    assert "carol has judged no claim" in cli.fails("status", "--as", "carol")
    assert "as alice judge it" in cli("status", "--as", "alice").stdout


# --- the crux between two people -----------------------------------------------------------------

def test_one_claim_explains_the_whole_gap_and_one_does_not_matter():
    amap = tree([("o1", "t"), ("o2", "t"), ("o3", "u")])
    js = judged(alice={"o1": 0.9, "o2": 0.9, "o3": 0.1}, bob={"o1": 0.1, "o2": 0.9, "o3": 0.9})
    out = crux_between(amap, "t", js, "alice", "bob")
    assert out["exact"] and out["p"] == {"alice": pytest.approx(0.01), "bob": pytest.approx(0.09)}
    assert [r["claim"] for r in out["disagreements"]] == ["o1"]
    row = out["disagreements"][0]
    assert row["closes_if_both_pool"] == 1.0 and row["closes_if_alice_takes_bob"] == 1.0
    assert row["closes_if_bob_takes_alice"] == 1.0
    assert out["do_not_matter"] == ["o3"]
    assert out["flip_for"] == {"alice": [], "bob": []}  # both think t falls, by either reading


def test_two_claims_needed_together():
    amap = tree([("o1", "t"), ("o2", "t")])
    js = judged(alice={"o1": 0.9, "o2": 0.9}, bob={"o1": 0.1, "o2": 0.1})
    out = crux_between(amap, "t", js, "alice", "bob")
    assert out["p"] == {"alice": pytest.approx(0.01), "bob": pytest.approx(0.81)}
    assert out["label"] == {"alice": "OUT", "bob": "IN"}
    assert out["flip_for"]["alice"] == [{"claims": ["o1", "o2"], "p": pytest.approx(0.81), "label": "IN"}]
    # bob needs only one: accepting either objection defeats t for him
    assert [f["claims"] for f in out["flip_for"]["bob"]] == [["o1"], ["o2"]]


def test_crux_between_from_the_cli(cli, demo):
    cli("--author", "alice", "judge", "genome-too-small", "--credence", "0.1")
    cli("--author", "alice", "judge", "marginal-still-worse", "--credence", "0.1")
    cli("--author", "bob", "judge", "genome-too-small", "--credence", "0.9")
    cli("--author", "bob", "judge", "marginal-still-worse", "--credence", "0.9")
    cli("--author", "bob", "judge", "contrived-3sat", "--credence", "0.2")
    out = json.loads(cli("crux", "evolution-prior", "--between", "alice", "bob", "--json").stdout)
    assert out["label"] == {"alice": "IN", "bob": "OUT"}
    assert {r["claim"] for r in out["disagreements"]} == {"genome-too-small", "marginal-still-worse"}
    assert out["flip_for"]["alice"] == [{"claims": ["genome-too-small"], "p": out["flip_for"]["alice"][0]["p"],
                                         "label": "OUT"},
                                        {"claims": ["marginal-still-worse"], "p": out["flip_for"]["alice"][1]["p"],
                                         "label": "OUT"}]
    assert "contrived-3sat" in out["do_not_matter"]
    text = cli("crux", "evolution-prior", "--between", "alice", "bob").stdout
    assert "do not matter here: contrived-3sat" in text
    assert "two different people" in cli.fails("crux", "evolution-prior", "--between", "alice", "alice")
    assert "carol has judged no claim" in cli.fails("crux", "evolution-prior", "--between", "alice", "carol")


# --- claims that resolve, and who was right -----------------------------------------------------

def test_resolutions_and_scores_by_hand(cli, demo):
    cli("--author", "alice", "judge", "swe-demand-2028", "--credence", "0.8")
    cli("--author", "bob", "judge", "swe-demand-2028", "--credence", "0.6")
    cli("--author", "bob", "judge", "swe-demand-2028", "--credence", "0.3")  # his last word before it resolves
    cli("--author", "alice", "judge", "genome-too-small", "--credence", "0.9")
    cli("--author", "bob", "judge", "genome-too-small", "--credence", "0.5")
    cli("--author", "carol", "judge", "contrived-3sat", "--credence", "0.7")  # never resolved: not scored
    cli("edit", "swe-demand-2028", "--resolves-by", "2028-12-31", "--resolution-criteria", "More SWE jobs than in 2025.")
    cli("resolve", "swe-demand-2028", "false")
    cli("resolve", "genome-too-small", "true")
    cli("--author", "bob", "judge", "swe-demand-2028", "--credence", "0.01")  # after the fact: does not count
    out = json.loads(cli("scores", "--json").stdout)
    assert out["resolved"] == 2
    people = {p["person"]: p for p in out["people"]}
    assert set(people) == {"alice", "bob"}
    assert people["alice"]["brier"] == pytest.approx((0.8 ** 2 + 0.1 ** 2) / 2)
    assert people["bob"]["brier"] == pytest.approx((0.3 ** 2 + 0.5 ** 2) / 2)
    assert people["alice"]["log"] == pytest.approx((math.log(0.2) + math.log(0.9)) / 2)
    assert people["bob"]["log"] == pytest.approx((math.log(0.7) + math.log(0.5)) / 2)
    assert [b["n"] for b in people["alice"]["calibration"]] == [1, 1]
    assert people["alice"]["calibration"][1] == {"bin": [0.9, 1.0], "n": 1, "mean_credence": 0.9, "share_true": 1.0}
    # from then on, every perspective holds the true claim and rejects the false one
    view = {r["id"]: r for r in json.loads(cli("status", "--as", "alice", "--json").stdout)["claims"]}
    assert view["swe-demand-2028"]["label"] == "REJECTED" and view["swe-demand-2028"]["credence"] == 0.0
    assert view["genome-too-small"]["credence"] == 1.0
    for args, message in ((("resolve", "swe-demand-2028", "maybe"), "true, false or ambiguous"),
                          (("resolve", "nope", "true"), "nope"),
                          (("resolve", "swe-demand-2028", "true", "--source", "nope"), "no source"),
                          (("edit", "swe-demand-2028", "--resolves-by", "soon"), "YYYY-MM-DD")):
        assert message in cli.fails(*args)
    log = json.loads(cli("log", "--json").stdout)
    assert log[-2]["command"] == "argmap resolve genome-too-small true"
    cli("undo")  # bob's late judgement
    cli("undo", str(log[-2]["rev"]))  # the resolution of genome-too-small
    assert json.loads(cli("scores", "--json").stdout)["resolved"] == 1


def test_resolutions_travel_in_argmap_json(cli, demo, tmp_path):
    cli("edit", "swe-demand-2028", "--resolves-by", "2028-12-31", "--resolution-criteria", "More SWE jobs than in 2025.")
    cli("resolve", "swe-demand-2028", "false", "--source", "comment-thread")
    cli("edit", "genome-too-small", "--resolves-by", "2030-01-01")
    cli("--author", "alice", "judge", "swe-demand-2028", "--credence", "0.8")
    exported = cli("export", "--format", "json").stdout
    assert json.loads(exported)["resolutions"] == [
        {"claim": "genome-too-small", "resolves_by": "2030-01-01", "criteria": None, "outcome": None, "source": None},
        {"claim": "swe-demand-2028", "resolves_by": "2028-12-31", "criteria": "More SWE jobs than in 2025.",
         "outcome": "false", "source": "comment-thread"}]
    streamed = tmp_path / "streamed.json"
    cli("export", "--format", "json", "--out", str(streamed))
    assert streamed.read_text() == exported  # the streamed export writes them too
    (tmp_path / "map.json").write_text(exported)
    other = ["--db", str(tmp_path / "other.db")]
    assert "2 resolutions" in cli(*other, "import", str(tmp_path / "map.json")).stdout
    assert cli(*other, "export", "--format", "json").stdout == exported
    view = {r["id"]: r for r in json.loads(cli(*other, "status", "--as", "everyone", "--json").stdout)["claims"]}
    assert view["swe-demand-2028"]["label"] == "REJECTED"  # a false claim is rejected there too
    # a second resolution of the same claim, a bad date, outcome or source: refused, nothing written
    for change, message in ((lambda d: d["resolutions"].append(dict(d["resolutions"][0])), "one resolution per claim"),
                            (lambda d: d["resolutions"][0].update(resolves_by="soon"), "YYYY-MM-DD"),
                            (lambda d: d["resolutions"][0].update(outcome="maybe"), "true, false or ambiguous"),
                            (lambda d: d["resolutions"][0].update(source="nope"), "no source 'nope'"),
                            (lambda d: d["resolutions"][0].update(claim="nope"), "no claim 'nope'")):
        bad = json.loads(exported)
        change(bad)
        (tmp_path / "bad.json").write_text(json.dumps(bad))
        assert message in cli.fails("--db", str(tmp_path / "bad.db"), "import", str(tmp_path / "bad.json"))
    assert not (tmp_path / "bad.db").exists()


# --- the page ---------------------------------------------------------------------------------

def page_judgements(cli, path, *args):
    import re
    cli("render", "--out", str(path), *args)
    found = re.search(r'<script type="application/json" id="argmap-data">(.*?)</script>', path.read_text(), re.S)
    return json.loads(found.group(1))["judgements"]


def test_the_page_holds_each_view_and_crux_as_the_cli_gives_them(cli, demo, tmp_path):
    assert page_judgements(cli, tmp_path / "none.html") is None  # nobody judged: nothing on the page
    for who, claim, p in (("alice", "parameter-scaling", 0.8), ("bob", "parameter-scaling", 0.3),
                          ("alice", "evolution-prior", 0.7), ("bob", "evolution-prior", 0.2),
                          ("carol", "evolution-prior", 0.6), ("bob", "genome-too-small", 0.9)):
        cli("--author", who, "judge", claim, "--credence", str(p))
    data = page_judgements(cli, tmp_path / "m.html", "--as", "bob,alice")
    assert data["people"] == ["alice", "bob", "carol"] and data["initial"] == "alice,bob"
    assert sorted(data["views"]) == ["alice", "alice,bob", "bob", "carol", "everyone"]
    written = {r["id"]: r["label"] for r in json.loads(cli("status", "--json").stdout)["claims"]}
    for key, view in data["views"].items():
        want = json.loads(cli("status", "--as", key, "--json").stdout)
        assert view["people"] == want["perspective"]
        assert view["labels"] == {r["id"]: r["label"] for r in want["claims"] if r["label"] != written[r["id"]]}
        assert view["credence"] == {r["id"]: round(r["credence"], 4) for r in want["claims"] if r["credence"] is not None}
    assert data["spread"] == {"evolution-prior": 0.5, "parameter-scaling": 0.5}  # by hand; one judge: no spread
    assert [j["author"] for j in data["by_claim"]["evolution-prior"]] == ["alice", "bob", "carol"]
    for pair in ("alice\nbob", "alice\ncarol", "bob\ncarol"):
        a, b = pair.split("\n")
        assert data["crux"]["data-black-hole"][pair] == json.loads(
            cli("crux", "data-black-hole", "--between", a, b, "--json").stdout)
    # a focused page shows who judged what, not the views (decided on the whole map)
    focused = page_judgements(cli, tmp_path / "f.html", "--focus", "evolution-prior")
    assert focused["views"] is None and focused["crux"] is None and "evolution-prior" in focused["spread"]
    # with --as, a focused page shows the views too: decided on the whole map, kept to the part shown
    part = page_judgements(cli, tmp_path / "fa.html", "--focus", "evolution-prior", "--depth", "1", "--as", "alice")
    import re
    page = re.search(r'id="argmap-data">(.*?)</script>', (tmp_path / "fa.html").read_text(), re.S).group(1)
    shown = set(json.loads(page)["claims"])
    assert "evolution-prior" in shown and len(shown) < 24  # a part of the demo's 24 claims
    assert part["initial"] == "alice" and part["crux"] is None and set(part["by_claim"]) <= shown
    for key, view in part["views"].items():
        whole = data["views"][key]
        assert view["labels"] == {c: v for c, v in whole["labels"].items() if c in shown}
        assert view["credence"] == {c: v for c, v in whole["credence"].items() if c in shown}
    assert part["views"]["alice"]["credence"] and part["views"]["alice"]["labels"]
    assert "zed has judged no claim" in cli.fails("render", "--out", str(tmp_path / "refused.html"), "--as", "zed")
    assert not (tmp_path / "refused.html").exists()


def test_the_page_leaves_the_crux_of_many_people_to_the_server(cli, demo, tmp_path):
    from argmap.graph.judged_page import CRUX_PAIRS
    people = [f"p{i}" for i in range(5)]
    assert len(people) * (len(people) - 1) // 2 > CRUX_PAIRS
    for i, who in enumerate(people):
        cli("--author", who, "judge", "evolution-prior", "--credence", str(0.1 + 0.2 * i))
    data = page_judgements(cli, tmp_path / "m.html")
    assert data["crux"] is None and sorted(data["views"]) == sorted(people + ["everyone"])


# --- whatif and crux from a perspective ---------------------------------------------------------

def test_whatif_and_crux_as_a_perspective_agree_with_each_other_by_brute_force(cli, demo, location):
    """``crux ID --as P`` finds exactly the single claims whose rejection or acceptance, on
    top of P's view, moves ID in ``whatif --as P``; and the view itself is ``status --as P``'s."""
    from argmap.service import open as open_map
    for who, claim, p in (("alice", "parameter-scaling", 0.8), ("alice", "evolution-prior", 0.7),
                          ("alice", "genome-too-small", 0.4), ("bob", "parameter-scaling", 0.3),
                          ("bob", "chinchilla-one-oom", 0.8), ("bob", "evolution-prior", 0.2)):
        cli("--author", who, "judge", claim, "--credence", str(p))
    m = open_map(location, create=False)
    claims = sorted(c.id for c in m.claims())
    for who in ("alice", "bob", "everyone"):
        labels = {r["id"]: r["label"] for r in m.perspective(who)["claims"]}
        assert m.whatif(who=who)["statuses"] == []  # nothing supposed: the view as it is
        for target in ("data-black-hole", "evolution-prior", "language-exposure-gap"):
            found = m.crux(target, max_size=1, who=who)
            assert found["status"] == labels[target] and found["perspective"] == m.perspective(who)["perspective"]
            for action in ("reject", "accept"):
                want = {}
                for x in claims:
                    if x == target:
                        continue
                    moved = m.whatif(**{action: (x,)}, who=who)["statuses"]
                    now = next((s["after"] for s in moved if s["id"] == target), labels[target])
                    before = next((s["before"] for s in moved if s["id"] == target), labels[target])
                    assert before == labels[target]
                    if now != labels[target]:
                        want[x] = now
                assert {c["ids"][0]: c["status"] for c in found[action]} == want, (who, target, action)
    text = cli("crux", "data-black-hole", "--as", "alice").stdout
    assert text.startswith("as alice judge it") and "rejecting evolution-prior + parameter-scaling makes it IN" in text
    assert "as bob judge it" in cli("whatif", "--as", "bob", "--reject", "evolution-prior").stdout
    assert "leave out --as" in cli.fails("crux", "data-black-hole", "--as", "alice", "--between", "alice", "bob")
    assert "leave out --semantics" in cli.fails("crux", "data-black-hole", "--as", "alice", "-s", "preferred")
    assert "zed has judged no claim" in cli.fails("whatif", "--as", "zed")


def test_export_as_a_perspective_shows_its_labels(cli, demo, tmp_path):
    import xml.etree.ElementTree as ET
    for who, claim, p in (("bob", "parameter-scaling", 0.3), ("bob", "evolution-prior", 0.2),
                          ("bob", "genome-too-small", 0.9)):
        cli("--author", who, "judge", claim, "--credence", str(p))
    view = {r["id"]: r["label"] for r in json.loads(cli("status", "--as", "bob", "--json").stdout)["claims"]}
    written = {r["id"]: r["label"] for r in json.loads(cli("status", "--json").stdout)["claims"]}
    assert view != written
    for fmt, labels_in in (
            ("markdown", lambda text: dict(re.findall(r"\*\*([a-z0-9-]+)\*\* \*\([a-z]+, ([A-Z]+)\)\*", text))),
            ("dot", lambda text: dict(re.findall(r'"([a-z0-9-]+)" \[label="[a-z0-9-]+ \[([A-Z]+)\]', text))),
            ("argdown", lambda text: {m[0]: m[1] for m in re.findall(r'^\[([a-z0-9-]+)\]:.*"grounded": "([A-Z]+)"', text, re.M)}),
            ("graphml", graphml_labels)):
        text = cli("export", "--format", fmt, "--as", "bob").stdout
        assert "as bob judge it" in text
        assert labels_in(text) == {c: view[c] for c in labels_in(text)} and len(labels_in(text)) == len(view), fmt
        assert labels_in(cli("export", "--format", fmt).stdout) == {c: written[c] for c in labels_in(text)}
    # a focused export shows the part with the labels of the view of the whole map
    part = graphml_labels(cli("export", "--format", "graphml", "--focus", "evolution-prior", "--depth", "1",
                              "--as", "bob").stdout)
    assert "evolution-prior" in part and len(part) < len(view) and part == {c: view[c] for c in part}
    assert any(part[c] != written[c] for c in part)  # bob's view differs from the map as written there
    for args, message in ((("--format", "json"), "json does not show what stands"),
                          (("--format", "markdown", "--as", "zed"), "zed has judged no claim")):
        full = [*args] + ([] if "--as" in args else ["--as", "bob"])
        assert message in cli.fails("export", *full, "--out", str(tmp_path / "refused.md"))
        assert not (tmp_path / "refused.md").exists()


def graphml_labels(text):
    import xml.etree.ElementTree as ET
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(text)
    key = next(k.get("id") for k in root.findall("g:key", ns) if k.get("attr.name") == "grounded")
    return {n.get("id"): n.find(f"g:data[@key='{key}']", ns).text for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node")}
