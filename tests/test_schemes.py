"""Argumentation schemes and critical questions: the catalogue, schemes on arguments, open
and answered questions, `ask`, the burden of open exceptions, and schemes through argmap
JSON, AIF (read back by arguebuf) and Argdown (read by `argdown json`)."""

import json
import sys
from pathlib import Path

import pytest

from argmap.claims.catalogue import catalogue, find
from test_formats import argdown_json

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from pages import open_page  # noqa: E402

REQUIRED = ("expert-opinion", "position-to-know", "popular-opinion", "example", "analogy", "cause-to-effect",
            "correlation-to-cause", "sign", "positive-consequences", "negative-consequences", "practical-reasoning",
            "verbal-classification", "commitment", "bias", "generic-ad-hominem", "circumstantial-ad-hominem",
            "default-conflict", "logical-conflict", "default-preference")


def test_the_catalogue_is_complete():
    import arguebuf
    from arguebuf.model.scheme import text2support
    names = [s.name for s in catalogue()]
    assert len(names) == len(set(names)) and set(REQUIRED) <= set(names)
    for s in catalogue():
        roles = [p["role"] for p in s.premises]
        assert roles and len(roles) == len(set(roles)) and all(p["text"].strip() for p in s.premises), s.name
        assert s.conclusion.strip() and s.title.strip() and s.source.strip(), s.name
        assert s.applies in ("inference", "conflict", "preference")
        ids = [q.id for q in s.questions]
        assert ids and len(ids) == len(set(ids)), s.name
        for q in s.questions:
            assert q.type in ("assumption", "exception") and q.text.endswith("?"), (s.name, q.id)
            assert q.about == "inference" or q.about.removeprefix("premise:") in roles, (s.name, q.id)
        assert find(s.aif) is s and find(s.title) is s and find(s.name.upper()) is s
        if s.applies == "inference" and s.name != "default-inference":  # AIF's own readers know the name
            assert text2support.get(s.aif) not in (None, arguebuf.Support.DEFAULT), s.name


def test_scheme_list_and_show(cli):
    listed = json.loads(cli("scheme", "list", "--json").stdout)
    assert [s["name"] for s in listed] == [s.name for s in catalogue()]
    text = cli("scheme", "show", "Expert Opinion").stdout
    assert text.startswith("Argument from expert opinion (expert-opinion; AIF: Expert Opinion; inference)")
    assert "trustworthiness (exception, about the inference)" in text and "Walton, Reed & Macagno 2008" in text
    assert "no scheme 'nope' in the catalogue" in cli.fails("scheme", "show", "nope")


@pytest.fixture
def argued(cli):
    """An objection o to the thesis t, itself attacked by an argument from expert opinion a
    (with its premise p): as written, a stands, o falls, t stands."""
    cli("add", "The thesis.", "--kind", "thesis", "--id", "t")
    cli("object", "t", "An objection.", "--id", "o")
    cli("add", "Dr E, an expert, says the objection is wrong.", "--kind", "argument", "--id", "a",
        "--scheme", "expert-opinion")
    cli("link", "a", "o", "--attacks")
    cli("add", "Dr E is an expert on this.", "--id", "p")
    cli("link", "p", "a", "--supports")


def labels(cli, *args):
    return {r["id"]: r["label"] for r in json.loads(cli("status", "--json", *args).stdout)["claims"]}


def test_schemes_on_arguments_and_their_refusals(cli, argued):
    shown = json.loads(cli("show", "a", "--json").stdout)
    assert shown["scheme"] == "expert-opinion" and [q["status"] for q in shown["questions"]] == ["open"] * 6
    assert "scheme" not in json.loads(cli("show", "o", "--json").stdout)
    for args, message in ((("add", "x", "--kind", "claim", "--scheme", "analogy"), "a scheme belongs to an inference"),
                          (("add", "x", "--kind", "argument", "--scheme", "logical-conflict"), "is a conflict scheme"),
                          (("add", "x", "--kind", "argument", "--scheme", "nope"), "no scheme 'nope'"),
                          (("edit", "a", "--kind", "claim"), "only an argument does"),
                          (("edit", "o", "--scheme", "analogy"), "'o' is a objection")):
        assert message in cli.fails(*args), args
    assert "x" not in {c["id"] for c in json.loads(cli("list", "--json").stdout)}  # nothing half-written
    cli("edit", "a", "--scheme", "Argument From Analogy")  # AIF's long name, in any case
    assert json.loads(cli("show", "a", "--json").stdout)["scheme"] == "analogy"
    cli("edit", "a", "--scheme", "")
    assert "scheme" not in json.loads(cli("show", "a", "--json").stdout)
    cli("undo")
    assert json.loads(cli("show", "a", "--json").stdout)["scheme"] == "analogy"
    commands = [c["command"] for c in json.loads(cli("log", "--json").stdout)]
    assert commands[-3:] == ["argmap edit a --scheme 'Argument From Analogy'", "argmap edit a --scheme ''",
                             commands[-1]] and commands[-1].startswith("argmap undo")


def test_questions_ask_and_their_answers(cli, argued):
    out = json.loads(cli("questions", "a", "--json").stdout)
    assert (out["open"], out["total"]) == (6, 6) and out["summary"] == "expert-opinion: 6 of 6 critical questions open"
    assert "a  " in cli("status").stdout and "[6 of 6 critical questions open]" in cli("status").stdout
    # a question becomes an objection undercutting the argument, its text the question's
    made = cli("ask", "a", "trustworthiness", "--id", "q1").stdout
    assert made.strip() == "q1 attacks a: answers a's question trustworthiness"
    q1 = json.loads(cli("show", "q1", "--json").stdout)
    assert q1["text"] == find("expert-opinion").question("trustworthiness").text and q1["kind"] == "objection"
    assert [c["id"] for c in q1["attacks"]] == ["a"]
    assert labels(cli) == {"t": "OUT", "o": "IN", "a": "OUT", "p": "IN", "q1": "IN"}
    # answered by a claim already there (the attack is added), or against a premise
    cli("add", "Dr E's fit was replicated by others.", "--id", "rep")
    cli("ask", "a", "consistency", "--by", "rep")
    assert "rep" in {c["id"] for c in json.loads(cli("show", "a", "--json").stdout)["attackers"]}
    cli("ask", "a", "field", "--premise", "p", "--text", "Dr E works in another field.", "--id", "q3")
    assert [c["id"] for c in json.loads(cli("show", "q3", "--json").stdout)["attacks"]] == ["p"]
    out = json.loads(cli("questions", "a", "--json").stdout)
    by = {q["id"]: (q["status"], q["by"], q.get("by_label")) for q in out["questions"]}
    assert by["trustworthiness"] == ("answered", "q1", "IN") and by["consistency"] == ("answered", "rep", "IN")
    assert by["field"] == ("answered", "q3", "IN") and by["backup"] == ("open", None, None) and out["open"] == 3
    for args, message in ((("ask", "a", "trustworthiness"), "answered already, by 'q1'"),
                          (("ask", "a", "nope"), "no critical question 'nope'"),
                          (("ask", "o", "field"), "'o' follows no scheme"),
                          (("ask", "a", "backup", "--premise", "o"), "'o' is not a premise of 'a'"),
                          (("ask", "a", "backup", "--by", "zz"), "no claim with id 'zz'"),
                          (("ask", "zz", "backup"), "no claim with id 'zz'")):
        assert message in cli.fails(*args), args
    # undo takes an ask back whole; removing the answer reopens the question
    cli("undo")
    assert "q3" not in {c["id"] for c in json.loads(cli("list", "--json").stdout)}
    assert json.loads(cli("questions", "a", "--json").stdout)["open"] == 4
    cli("remove", "q1", "--cascade")
    assert json.loads(cli("questions", "a", "--json").stdout)["open"] == 5
    cli("remove", "a", "--cascade")  # its scheme and the answers to its questions go with it
    doc = json.loads(cli("export", "--format", "json").stdout)
    assert "a" not in {c["id"] for c in doc["claims"]} and "schemes" not in doc and "questions" not in doc


def test_the_burden_of_open_exceptions(cli, argued):
    """By default open questions are shown, not counted. With --burden open-questions, the
    argument's three open exceptions leave it undecided, and so what it attacks and what that
    attacks; answering them with claims that stand defeats the argument; answers that are
    themselves defeated let it stand again."""
    assert labels(cli) == {"t": "IN", "o": "OUT", "a": "IN", "p": "IN"}
    burdened = json.loads(cli("status", "--json", "--burden", "open-questions").stdout)
    assert {r["id"]: r["label"] for r in burdened["claims"]} == {"t": "UNDEC", "o": "UNDEC", "a": "UNDEC", "p": "IN"}
    assert burdened["open_exceptions"] == {"a": ["trustworthiness", "consistency", "backup"]}
    row = next(r for r in burdened["claims"] if r["id"] == "a")
    assert "trustworthiness, consistency, backup are open" in row["reason"]
    assert "UNDEC" in cli("status", "a", "--burden", "open-questions").stdout
    for i, q in enumerate(("trustworthiness", "consistency"), start=1):  # answered, each answer rebutted
        cli("ask", "a", q, "--id", f"q{i}")
        cli("rebut", f"q{i}", f"Rebuttal {i}.", "--id", f"r{i}")
    assert labels(cli, "--burden", "open-questions")["a"] == "UNDEC"  # one exception still open
    cli("ask", "a", "backup", "--id", "q3")
    cli("rebut", "q3", "Rebuttal 3.", "--id", "r3")
    assert labels(cli, "--burden", "open-questions") == labels(cli)  # nothing open: the burden changes nothing
    assert labels(cli)["a"] == "IN" and labels(cli)["t"] == "IN"
    cli("remove", "r3")  # an answer that stands defeats the argument, burden or not
    assert labels(cli, "--burden", "open-questions")["a"] == labels(cli)["a"] == "OUT"
    assert "unknown burden 'x'" in cli.fails("status", "--burden", "x")
    assert "leave out --robust and --as" in cli.fails("status", "--burden", "open-questions", "--robust")
    assert "grounded semantics" in cli.fails("status", "--burden", "open-questions", "-s", "preferred")


def test_argmap_json_keeps_schemes_and_answers(cli, argued, tmp_path, monkeypatch):
    cli("ask", "a", "backup", "--id", "q1")
    cli("add", "An argument from another tool.", "--kind", "argument", "--id", "b")
    text = cli("export", "--format", "json").stdout
    doc = json.loads(text)
    assert doc["schemes"] == [{"claim": "a", "scheme": "expert-opinion"}]
    assert doc["questions"] == [{"argument": "a", "question": "backup", "claim": "q1"}]
    head = json.loads(cli("log", "--json").stdout)[-1]["rev"]
    assert cli("export", "--format", "json", "--at", str(head)).stdout == text  # streamed and in memory alike
    (tmp_path / "m.json").write_text(text)
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "back.db"))
    assert "1 schemes" in cli("import", str(tmp_path / "m.json")).stdout
    assert cli("export", "--format", "json").stdout == text
    # another tool's scheme name is kept as written; broken entries name their place
    doc["schemes"].append({"claim": "b", "scheme": "Argument From Sunk Costs <b>"})
    for change, message in ((lambda d: d["schemes"].append({"claim": "zz", "scheme": "analogy"}), "no claim 'zz'"),
                            (lambda d: d["schemes"].append({"claim": "a", "scheme": "analogy"}), "one scheme per argument"),
                            (lambda d: d["questions"].append({"argument": "a", "question": "nope", "claim": "q1"}),
                             "a critical question of expert-opinion"),
                            (lambda d: d["questions"].append({"argument": "b", "question": "x", "claim": "q1"}),
                             "follows a catalogue scheme")):
        bad = json.loads(json.dumps(doc))
        change(bad)
        (tmp_path / "bad.json").write_text(json.dumps(bad))
        monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "bad.db"))
        assert message in cli.fails("import", str(tmp_path / "bad.json"))
    (tmp_path / "other.json").write_text(json.dumps(doc))
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "other.db"))
    cli("import", str(tmp_path / "other.json"))
    out = json.loads(cli("questions", "b", "--json").stdout)
    assert out["scheme"] == "Argument From Sunk Costs <b>" and out["known"] is False and out["questions"] == []


def test_aif_keeps_schemes_both_ways_as_arguebuf_reads_them(cli, argued, tmp_path, monkeypatch):
    import arguebuf
    path = tmp_path / "m.json"
    cli("export", "--format", "aif", "--out", str(path))
    g = arguebuf.load.file(path)
    data = json.loads(path.read_text())
    node = next(n for n in data["nodes"] if n.get("argmapId") == "a")
    assert node["scheme"] == "Expert Opinion"
    assert g.scheme_nodes[node["nodeID"]].scheme == arguebuf.Support.EXPERT_OPINION
    # an AIFdb-style file: RA nodes with schemes (one unknown here), a CA node with a conflict scheme, a PA node
    aifdb = {"nodes": [
        {"nodeID": "1", "text": "Experts agree the bridge is safe.", "type": "I"},
        {"nodeID": "2", "text": "The bridge is safe.", "type": "I"},
        {"nodeID": "3", "text": "Expert Opinion", "type": "RA", "scheme": "Expert Opinion", "schemeID": "1"},
        {"nodeID": "4", "text": "Last year's bridge was like this one and stood.", "type": "I"},
        {"nodeID": "5", "text": "Argument From Analogy", "type": "RA", "scheme": "Argument From Analogy"},
        {"nodeID": "6", "text": "The bridge has cracks.", "type": "I"},
        {"nodeID": "7", "text": "Logical Conflict", "type": "CA", "scheme": "Logical Conflict"},
        {"nodeID": "8", "text": "Default Inference", "type": "RA", "scheme": "Default Inference"},
        {"nodeID": "9", "text": "Default Preference", "type": "PA", "scheme": "Default Preference"},
        {"nodeID": "10", "text": "Expert Opinion Preference", "type": "PA"}],
        "edges": [{"edgeID": "1", "fromID": "1", "toID": "3"}, {"edgeID": "2", "fromID": "3", "toID": "2"},
                  {"edgeID": "3", "fromID": "4", "toID": "5"}, {"edgeID": "4", "fromID": "5", "toID": "2"},
                  {"edgeID": "5", "fromID": "6", "toID": "7"}, {"edgeID": "6", "fromID": "7", "toID": "2"},
                  {"edgeID": "7", "fromID": "6", "toID": "8"}, {"edgeID": "8", "fromID": "8", "toID": "2"},
                  {"edgeID": "9", "fromID": "1", "toID": "9"}, {"edgeID": "10", "fromID": "9", "toID": "6"},
                  {"edgeID": "11", "fromID": "3", "toID": "10"}, {"edgeID": "12", "fromID": "10", "toID": "5"}],
        "locutions": []}
    (tmp_path / "aifdb.json").write_text(json.dumps(aifdb))
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "aifdb.db"))
    report = cli("import", str(tmp_path / "aifdb.json"), "--format", "aif").stdout
    assert "2 schemes" in report and "1 conflict scheme names on CA nodes" in report
    assert report.strip().endswith("; 2 preferences in the file, not kept (argmap has no preference relation): "
                                   "1 over 6; 3 over 5 (Expert Opinion Preference)")
    schemes = json.loads(cli("export", "--format", "json").stdout)["schemes"]
    assert schemes == [{"claim": "3", "scheme": "expert-opinion"}, {"claim": "5", "scheme": "analogy"}]
    back = tmp_path / "back.json"
    cli("export", "--format", "aif", "--out", str(back))
    g = arguebuf.load.file(back)
    got = sorted(str(n.scheme) for n in g.scheme_nodes.values() if isinstance(n.scheme, arguebuf.Support))
    assert "Support.EXPERT_OPINION" in got and "Support.ANALOGY" in got


def test_argdown_keeps_an_argument_s_scheme(cli, argued, tmp_path, monkeypatch):
    path = tmp_path / "m.argdown"
    cli("export", "--format", "argdown", "--out", str(path))
    data = argdown_json(path)
    assert data["arguments"]["a"]["data"]["scheme"] == "expert-opinion"
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "back.db"))
    cli("import", str(path))
    assert json.loads(cli("show", "a", "--json").stdout)["scheme"] == "expert-opinion"
    # a scheme on a statement (not an argument) is counted, not kept
    (tmp_path / "s.argdown").write_text("[s]: A statement. {scheme: analogy}\n")
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "s.db"))
    assert "1 schemes on claims that are not arguments" in cli("import", str(tmp_path / "s.argdown")).stdout


@pytest.mark.browser
def test_the_page_shows_an_argument_s_questions(browser, cli, argued, tmp_path):
    cli("ask", "a", "backup", "--id", "q1")
    path = tmp_path / "m.html"
    cli("render", "--out", str(path))
    page, events = open_page(browser, path, timeout=60_000)
    page.evaluate("window.argmap.showDetails('a')")
    assert "Scheme: Argument from expert opinion. expert-opinion: 5 of 6 critical questions open." in page.text_content("#details")
    states = page.eval_on_selector_all("#details li.question", "ls => ls.map(l => [l.dataset.question, l.className])")
    assert states == [[q.id, "question " + ("answered" if q.id == "backup" else "open")]
                      for q in find("expert-opinion").questions]
    page.click("#outline-btn")
    row = page.text_content("#outline li[data-id='a'] > .row")
    assert "5 of 6 questions open" in row
    # the filter for arguments with open questions: only a is left, and the count says so
    assert page.is_visible("#questions-filter")
    page.check("#filter-open-questions")
    shown = page.evaluate("window.argmap.nodes.get().filter(n => !n.hidden).map(n => n.id)")
    assert shown == ["a"] and page.text_content("#summary-total") == "1 of 5 claims shown"
    page.uncheck("#filter-open-questions")
    assert page.text_content("#summary-total") == "5 claims"
    assert [m for m in events["console"] if m[0] in ("pageerror", "error")] == []
    page.close()
