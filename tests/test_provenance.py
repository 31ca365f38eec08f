"""Provenance out and quotes kept where they are: xAIF read by arguebuf's xAIF loader,
schema.org ClaimReview and W3C PROV-O (Turtle and JSON-LD) read by rdflib and checked for
the triples they must hold, every hostile text a literal; a quote's W3C TextQuoteSelector
(the sentence before, the words, the sentence after) and a source file's SHA-256 kept in
the store and carried by argmap JSON."""

import hashlib
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from argmap.evidence.sources import SourceText, selector_at

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
from pages import open_page  # noqa: E402

PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
AM = Namespace("urn:argmap:vocab:")
HERE = Path(__file__).parent
TEXT = ("Scaling laws were measured twice. The first study found that data matters as much as parameters. "
        "Later work disagreed with its exponents! Both agree that more data helps.\n\n"
        "A second paragraph stands alone.")
HOSTILE = 'He said "no" \\ then <b>&amp;</b>\n\ttab \u2028 line; {braces} ^`| end'


def claim(cid: str) -> URIRef:
    return URIRef(f"urn:argmap:claim:{cid}")


def graph(text: str, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format=fmt)


@pytest.fixture
def quoted(cli, tmp_path):
    """A small map with a source text, two quotes, an attack, a computation and two authors."""
    (tmp_path / "study.txt").write_text(TEXT, encoding="utf-8")
    cli("add", "Data matters.", "--id", "data", "--kind", "thesis")
    cli("source", "add", "study", "--title", "A study", "--file", str(tmp_path / "study.txt"), "--url",
        "https://example.org/a?b=1&c=<2>")
    cli("evidence", "add", "data", "--source", "study", "--quote", "data matters as much as parameters")
    cli("--author", "bob", "object", "data", "Later work disagreed.", "--id", "later")
    cli("evidence", "add", "later", "--source", "study", "--quote", "Later work disagreed with its exponents!")
    cli("compute", "add", "data", "--id", "k", "--formula", "2 * 3", "--expect", "6")
    return tmp_path


# --- the selector and the SHA-256 ---------------------------------------------------------------

def test_a_quote_keeps_the_sentence_before_and_after_it(cli, quoted):
    ev = {e["quote"]: e for c in ("data", "later") for e in json.loads(cli("show", c, "--json").stdout)["evidence"]}
    mid = ev["data matters as much as parameters"]["selector"]
    assert mid == {"type": "TextQuoteSelector", "prefix": "Scaling laws were measured twice. The first study found that ",
                   "exact": "data matters as much as parameters", "suffix": ". Later work disagreed with its exponents!"}
    whole = ev["Later work disagreed with its exponents!"]["selector"]
    assert whole["prefix"] == "The first study found that data matters as much as parameters. "
    assert whole["suffix"] == " Both agree that more data helps."  # the paragraph ends there
    digest = hashlib.sha256((quoted / "study.txt").read_bytes()).hexdigest()
    out = json.loads(cli("export", "--format", "json").stdout)
    assert out["sources"][0]["sha256"] == digest
    assert {e["quote"]: e["selector"] for e in out["evidence"]} == {q: e["selector"] for q, e in ev.items()}


def test_selectors_and_digests_survive_an_import_and_are_computed_when_missing(cli, quoted, tmp_path):
    exported = cli("export", "--format", "json").stdout
    (tmp_path / "map.json").write_text(exported)
    cli("--db", str(tmp_path / "b.db"), "import", str(tmp_path / "map.json"))
    assert cli("--db", str(tmp_path / "b.db"), "export", "--format", "json").stdout == exported
    doc = json.loads(exported)
    for e in doc["evidence"]:
        del e["selector"]
    (tmp_path / "bare.json").write_text(json.dumps(doc))
    cli("--db", str(tmp_path / "c.db"), "import", str(tmp_path / "bare.json"))
    assert cli("--db", str(tmp_path / "c.db"), "export", "--format", "json").stdout == exported
    for bad in ({"exact": ""}, {"exact": "x", "type": "TextPositionSelector"}, {"exact": "x", "start": 1},
                {"exact": "x", "prefix": "p" * 5_000}, "data", {"exact": 5}):
        doc["evidence"][0]["selector"] = bad
        (tmp_path / "bad.json").write_text(json.dumps(doc))
        message = cli.fails("--db", str(tmp_path / "d.db"), "import", str(tmp_path / "bad.json"))
        assert "selector" in message and len(message.strip().splitlines()) == 1
    doc["evidence"][0].pop("selector")
    doc["sources"][0]["sha256"] = "not-a-digest"
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    assert "sha256" in cli.fails("--db", str(tmp_path / "d.db"), "import", str(tmp_path / "bad.json"))
    assert not (tmp_path / "d.db").exists()


def test_replacing_a_source_text_moves_the_selectors_with_it(cli, quoted, tmp_path):
    (tmp_path / "new.txt").write_text("A new opening. " + TEXT.replace("Scaling laws were measured twice. ", ""))
    cli("source", "attach-text", "study", str(tmp_path / "new.txt"))
    ev = json.loads(cli("show", "data", "--json").stdout)["evidence"][0]
    assert ev["selector"]["prefix"] == "A new opening. The first study found that "


def test_the_selector_by_hand_at_the_edges_of_a_text():
    text = "Only sentence here"
    assert selector_at(text, 0, len(text)) == {"type": "TextQuoteSelector", "prefix": "", "exact": text, "suffix": ""}
    long = "word " * 300 + "THE QUOTE " + "more " * 300
    sel = SourceText(long).found("THE QUOTE")[1]
    assert sel["exact"] == "THE QUOTE" and 300 < len(sel["prefix"]) <= 400 and sel["prefix"].startswith("word")
    assert sel["suffix"].startswith(" more") and not sel["suffix"].endswith(" mor")
    assert SourceText("Ligatures: the e\ufb03cient way. Next one.").found("the efficient way.")[1]["suffix"] == " Next one."


@pytest.mark.sqlite_only
def test_an_old_store_upgrades_and_logs_the_new_columns(cli, tmp_path):
    store_file = tmp_path / "old.db"
    shutil.copy(HERE / "fixtures" / "schema-v1.db", store_file)
    (tmp_path / "t.txt").write_text(TEXT)
    cli("--db", str(store_file), "source", "add", "s", "--title", "T", "--text-file", str(tmp_path / "t.txt"))
    cli("--db", str(store_file), "add", "A claim.", "--id", "new-claim")
    cli("--db", str(store_file), "evidence", "add", "new-claim", "--source", "s", "--quote", "Both agree")
    con = sqlite3.connect(store_file)
    after = [json.loads(r[0]) for r in con.execute("SELECT after FROM change_row WHERE tbl = 'evidence'")]
    con.close()
    assert after and after[-1]["selector"] and json.loads(after[-1]["selector"])["exact"] == "Both agree"
    cli("--db", str(store_file), "undo")
    assert json.loads(cli("--db", str(store_file), "show", "new-claim", "--json").stdout)["evidence"] == []


# --- xAIF -----------------------------------------------------------------------------------------

def test_xaif_export_is_read_by_arguebufs_xaif_loader(cli, demo_store, tmp_path):
    import arguebuf
    cli("add", "Hoffmann et al. are experts on scaling.", "--id", "expert-arg", "--kind", "argument",
        "--scheme", "expert-opinion")
    cli("link", "expert-arg", "chinchilla-one-oom", "--supports")
    xaif = json.loads(cli("export", "--format", "xaif").stdout)
    aif = json.loads(cli("export", "--format", "aif").stdout)
    assert set(xaif) == {"AIF", "OVA", "text"}
    g, plain = arguebuf.load.xaif(xaif), arguebuf.load.aif(aif)
    assert sorted(a.plain_text for a in g.atom_nodes.values()) == sorted(a.plain_text for a in plain.atom_nodes.values())
    assert sorted(str(s.scheme) for s in g.scheme_nodes.values()) == sorted(str(s.scheme) for s in plain.scheme_nodes.values())
    assert "Support.EXPERT_OPINION" in {str(s.scheme) for s in g.scheme_nodes.values()}
    # every quote is a locution said by its source, asserting its claim; OVA places every node
    nodes = {n["nodeID"]: n for n in xaif["AIF"]["nodes"]}
    quotes = json.loads(cli("export", "--format", "json").stdout)["evidence"]
    said = [n for n in nodes.values() if n["type"] == "L"]
    assert sorted(n["text"] for n in said) == sorted(e["quote"] for e in quotes)
    assert {loc["nodeID"] for loc in xaif["AIF"]["locutions"]} == {n["nodeID"] for n in said}
    people = {p["participantID"] for p in xaif["AIF"]["participants"]}
    assert {loc["personID"] for loc in xaif["AIF"]["locutions"]} <= people
    assert {n["nodeID"] for n in xaif["OVA"]["nodes"]} == set(nodes)
    # read back by argmap (as AIF): the same claims and relations
    (tmp_path / "m.xaif.json").write_text(json.dumps(xaif))
    cli("--db", str(tmp_path / "b.db"), "import", str(tmp_path / "m.xaif.json"), "--format", "xaif")
    before, back = (json.loads(cli(*db, "export", "--format", "json").stdout) for db in ([], ["--db", str(tmp_path / "b.db")]))
    assert sorted(c["text"] for c in back["claims"]) == sorted(c["text"] for c in before["claims"])
    assert len(back["relations"]) == len(before["relations"])
    assert len(back["evidence"]) == len(before["evidence"])


# --- ClaimReview ----------------------------------------------------------------------------------

def test_claimreview_is_schema_org_json_ld_with_each_verdict(cli, quoted):
    status = {r["id"]: r["label"] for r in json.loads(cli("status", "--json").stdout)["claims"]}
    text = cli("export", "--format", "claimreview").stdout
    g = graph(text, "json-ld")
    reviews = set(g.subjects(RDF.type, SCHEMA.ClaimReview))
    assert len(reviews) == len(status) == 2
    rating = {"IN": 3, "UNDEC": 2, "OUT": 1}
    for review in reviews:
        item = g.value(review, SCHEMA.itemReviewed)
        cid = str(item).rsplit(":", 1)[1]
        assert (item, RDF.type, SCHEMA.Claim) in g
        value = g.value(g.value(review, SCHEMA.reviewRating), SCHEMA.ratingValue)
        assert value.toPython() == rating[status[cid]]
        assert str(g.value(review, SCHEMA.claimReviewed)) == str(g.value(item, SCHEMA.text))
        first = g.value(item, SCHEMA.firstAppearance)
        assert str(g.value(first, SCHEMA.name)) == "A study" and g.value(first, SCHEMA.text) is not None
    by_claim = {str(g.value(r, SCHEMA.itemReviewed)): r for r in reviews}
    later = g.value(by_claim["urn:argmap:claim:later"], SCHEMA.itemReviewed)
    assert str(g.value(g.value(later, SCHEMA.author), SCHEMA.name)) == "bob"
    assert str(g.value(g.value(later, SCHEMA.firstAppearance), SCHEMA.text)) == "Later work disagreed with its exponents!"
    data = g.value(by_claim["urn:argmap:claim:data"], SCHEMA.reviewRating)
    assert "defeated by later" in str(g.value(data, SCHEMA.ratingExplanation))


# --- PROV -----------------------------------------------------------------------------------------

def test_prov_in_turtle_and_json_ld_are_the_same_graph_with_the_history(cli, quoted):
    turtle, ld = cli("export", "--format", "prov").stdout, cli("export", "--format", "prov-jsonld").stdout
    g = graph(turtle, "turtle")
    assert isomorphic(g, graph(ld, "json-ld"))
    for cid in ("data", "later"):
        assert (claim(cid), RDF.type, PROV.Entity) in g
    assert (claim("later"), AM.attacks, claim("data")) in g
    assert str(g.value(claim("data"), PROV.value)) == "Data matters."
    # each change an activity with its author as agent; a claim attributed to who added it
    changes = json.loads(cli("log", "--json").stdout)
    activities = set(g.subjects(RDF.type, PROV.Activity)) - {URIRef("urn:argmap:activity:labelling")}
    assert len(activities) == len(changes)
    bob = URIRef("urn:argmap:agent:bob")
    assert (bob, RDF.type, PROV.Agent) in g and (claim("later"), PROV.wasAttributedTo, bob) in g
    made = g.value(claim("later"), PROV.wasGeneratedBy)
    assert (made, PROV.wasAssociatedWith, bob) in g and g.value(made, PROV.endedAtTime) is not None
    # the status of data: OUT, derived from the claim, its attacker and its computation
    status = URIRef("urn:argmap:status:data")
    assert str(g.value(status, AM.label)) == "OUT"
    assert set(g.objects(status, PROV.wasDerivedFrom)) == {claim("data"), claim("later"),
                                                           URIRef("urn:argmap:computation:k")}
    # a quote: a Web Annotation on the source, selected by its words and sentences
    annotations = set(g.subjects(OA.hasBody, claim("data")))
    assert len(annotations) == 1
    target = g.value(annotations.pop(), OA.hasTarget)
    assert g.value(target, OA.hasSource) == URIRef("urn:argmap:source:study")
    selector = g.value(target, OA.hasSelector)
    assert (selector, RDF.type, OA.TextQuoteSelector) in g
    assert str(g.value(selector, OA.exact)) == "data matters as much as parameters"
    assert str(g.value(selector, OA.suffix)) == ". Later work disagreed with its exponents!"
    assert str(g.value(URIRef("urn:argmap:source:study"), SCHEMA.url)) == "https://example.org/a?b=1&c=<2>"


def test_hostile_texts_and_names_stay_literals_in_every_rdf_format(cli):
    cli("--author", HOSTILE, "add", HOSTILE, "--id", "h")
    cli("edit", "h", "--title", HOSTILE[:40].replace("\n", " "))
    (Path.cwd() / "hostile.txt").write_text("Some " + HOSTILE + " text.", encoding="utf-8")
    cli("source", "add", "src", "--title", HOSTILE, "--text-file", "hostile.txt")
    cli("evidence", "add", "h", "--source", "src", "--quote", HOSTILE.split("\n")[0])
    for fmt, syntax in (("prov", "turtle"), ("prov-jsonld", "json-ld"), ("claimreview", "json-ld")):
        g = graph(cli("export", "--format", fmt, "--title", HOSTILE).stdout, syntax)
        texts = {str(o) for o in g.objects() if isinstance(o, Literal)}
        assert HOSTILE in texts, fmt  # the text whole, as one literal
        assert all(str(s).startswith(("urn:argmap:", "http")) or isinstance(s, rdflib.BNode) for s in g.subjects())
    g = graph(cli("export", "--format", "prov").stdout, "turtle")
    agents = set(g.subjects(RDF.type, PROV.Agent))
    authors = {c["author"] for c in json.loads(cli("log", "--json").stdout)}
    assert {str(g.value(a, RDFS.label)) for a in agents} == authors and len(authors) == 2


def test_export_as_a_person_changes_the_ratings(cli, quoted):
    cli("--author", "carol", "judge", "later", "--credence", "0.1")
    g = graph(cli("export", "--format", "claimreview", "--as", "carol").stdout, "json-ld")
    review = next(r for r in g.subjects(RDF.type, SCHEMA.ClaimReview)
                  if str(g.value(r, SCHEMA.itemReviewed)) == "urn:argmap:claim:data")
    assert g.value(g.value(review, SCHEMA.reviewRating), SCHEMA.ratingValue).toPython() == 3


@pytest.mark.browser
def test_the_page_shows_a_quote_between_its_sentences(browser, cli, quoted, tmp_path):
    path = tmp_path / "m.html"
    cli("render", "--out", str(path))
    page, events = open_page(browser, path, timeout=60_000)
    page.evaluate("window.argmap.showDetails('data')")
    parts = page.eval_on_selector_all("#details .quote-context > *", "xs => xs.map(x => [x.tagName, x.textContent])")
    assert parts == [["SPAN", "…Scaling laws were measured twice. The first study found that "],
                     ["MARK", "data matters as much as parameters"],
                     ["SPAN", ". Later work disagreed with its exponents!…"]]
    assert not page.is_visible("#questions-filter")  # no argument with questions here
    assert [m for m in events["console"] if m[0] in ("pageerror", "error")] == []
    page.close()


def _mapped_by_character(text):
    """The mapping as it was first written, a character at a time: the reference the fast
    path (runs of plain ASCII taken at once) must agree with."""
    import unicodedata
    from argmap.evidence.sources import _BROKEN_WORD, _FOLD, _SOFT_HYPHEN
    out, where, i, n = [], [], 0, len(text)
    while i < n:
        if text[i] == "\u00ad":
            i = _SOFT_HYPHEN.match(text, i).end()
            continue
        m = _BROKEN_WORD.match(text, i - 1) if i and text[i] == "-" else None
        if m and m.start() == i - 1:
            i = m.end() - 1
            continue
        if text[i].isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if out and j < n:
                out.append(" ")
                where.append(i)
            i = j
            continue
        for ch in unicodedata.normalize("NFKC", text[i]).translate(_FOLD):
            out.append(ch)
            where.append(i)
        i += 1
    return "".join(out), where


from hypothesis import given, settings, strategies as st  # noqa: E402

_TRICKY = st.sampled_from(list("ab -\n\t\r.,'\"") + ["\u00ad", "\u2019", "\u201c", "\u2014", "\ufb03", "\u200b",
                                                     "\u00a0", "\u2028", "-\n", "x-\n y", "\u00ad\n", "é", "ﬁ"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_TRICKY, st.text(max_size=5)), max_size=30).map("".join))
def test_source_text_mapping_agrees_with_the_character_by_character_one(text):
    from argmap.evidence.sources import _mapped
    flat, where = _mapped(text)
    assert (flat, list(where)) == _mapped_by_character(text)
