"""Exports read back by the formats' own tools; imports on valid and broken inputs."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.claims.store import Store
from argmap.errors import ArgmapError
from argmap.graph.formats.io import parse_document
from argmap.graph.formats.io import export_store, import_path
from argmap.graph.formats.load import import_document
from argmap.graph.formats.document import MapDocument

ROOT = Path(__file__).resolve().parents[1]


def argdown_bin():
    for candidate in (os.environ.get("ARGDOWN_BIN"), ROOT / ".ci/tools/node_modules/.bin/argdown", shutil.which("argdown")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    if os.environ.get("ARGMAP_REQUIRE_TOOLS"):
        pytest.fail("ARGMAP_REQUIRE_TOOLS is set but @argdown/cli is not installed")
    pytest.skip("@argdown/cli is not installed (bash .ci/run installs it)")


def need_dot():
    if shutil.which("dot") is None:
        if os.environ.get("ARGMAP_REQUIRE_TOOLS"):
            pytest.fail("ARGMAP_REQUIRE_TOOLS is set but Graphviz is not installed")
        pytest.skip("Graphviz is not installed")


def argdown_json(path: Path) -> dict:
    out = path.parent / "argdown-out"
    done = subprocess.run([argdown_bin(), "json", str(path), str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Invalid" not in done.stdout + done.stderr, done.stdout + done.stderr
    return json.loads((out / (path.stem + ".json")).read_text())


def without_tags(text):
    """Argdown keeps #tags in a statement's text; argmap reads them as the kind."""
    return re.sub(r"(\s#(\([^)]*\)|[A-Za-z0-9_-]+))+\s*$", "", text).strip()


def store_relations(store):
    return {(r.source, r.target, r.type) for r in store.relations()}


# --- JSON ---------------------------------------------------------------------------------------

def test_json_round_trip_is_identical(demo_store, tmp_path):
    first = export_store(demo_store, "json")
    (tmp_path / "a.json").write_bytes(first)
    with Store(str(tmp_path / "empty.db")) as other:
        report = import_path(other, tmp_path / "a.json")
        assert report.claims == 24 and report.computations == 7
        assert export_store(other, "json") == first
        assert {c.id: c.result["p50"] for c in other.computations()} == \
               {c.id: c.result["p50"] for c in demo_store.computations()}


ident = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
                min_size=1, max_size=40).map(str.strip).filter(bool)


@st.composite
def random_maps(draw):
    ids = draw(st.lists(ident, min_size=1, max_size=8, unique=True))
    claims = [{"id": i, "text": draw(texts), "kind": draw(st.sampled_from(["thesis", "claim", "objection", "rebuttal"])),
               "base_score": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))} for i in ids]
    pairs = [(a, b) for a in ids for b in ids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)) if pairs else []
    relations = [{"source": a, "target": b, "type": draw(st.sampled_from(["supports", "attacks"]))} for a, b in chosen]
    sources = [{"id": "src", "title": draw(texts), "author": None, "url": "https://example.org/x", "date": "2024",
                "text": None}]
    evidence = [{"id": n + 1, "claim": draw(st.sampled_from(ids)), "source": "src", "quote": q, "locator": "p. 1"}
                for n, q in enumerate(draw(st.lists(texts, max_size=3, unique=True)))]
    evidence = list({(e["claim"], nfc(e["quote"])): e for e in evidence}.values())
    for n, e in enumerate(evidence):
        e["id"] = n + 1
    computations = []
    if draw(st.booleans()):
        low = draw(st.floats(1, 100))
        computations.append({"id": "k1", "claim": ids[0], "formula": "a * 2", "unit": "tokens", "description": None,
                             "expect": {"value": 2 * low, "unit": "tokens", "tolerance": "10%"}, "scenarios": {},
                             "inputs": [{"name": "a", "low": low, "high": low * 3 if draw(st.booleans()) else None,
                                         "unit": "tokens", "evidence": evidence[0]["id"] if evidence else None,
                                         "from": None, "note": draw(st.one_of(st.none(), texts))}]})
    return {"format": "argmap", "version": 1, "claims": claims, "relations": relations, "sources": sources,
            "evidence": evidence, "computations": computations}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def as_exported(data: dict) -> dict:
    """What argmap's JSON export of an imported document must be: texts NFC-normalised,
    everything sorted, evidence numbered 1..n in the sorted order (and inputs citing it so)."""
    evidence = sorted(data["evidence"], key=lambda e: (e["claim"], e["source"], nfc(e["quote"]), e["locator"] or ""))
    number = {e["id"]: n for n, e in enumerate(evidence, start=1)}
    return {
        "format": "argmap", "version": 1,
        "claims": sorted(({**c, "text": nfc(c["text"])} for c in data["claims"]), key=lambda c: c["id"]),
        "relations": sorted(data["relations"], key=lambda r: (r["source"], r["target"])),
        "sources": sorted(({**x, "title": nfc(x["title"])} for x in data["sources"]), key=lambda x: x["id"]),
        "evidence": [{**e, "id": number[e["id"]], "quote": nfc(e["quote"])} for e in evidence],
        "computations": sorted(({**c, "inputs": [{**i, "note": nfc(i["note"]) if i["note"] else i["note"],
                                                  "evidence": number.get(i["evidence"])} for i in c["inputs"]]}
                                for c in data["computations"]), key=lambda c: c["id"]),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(random_maps())
def test_json_export_import_export_is_identical_on_random_maps(data):
    """The first export is the generated map itself (nothing lost or changed on the way in),
    and exporting its re-import gives the same bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        with Store(os.path.join(tmp, "a.db")) as a:
            import_document(a, MapDocument.from_dict(data, "random"))
            first = export_store(a, "json")
        assert json.loads(first) == as_exported(data)
        Path(tmp, "m.json").write_bytes(first)
        with Store(os.path.join(tmp, "b.db")) as b:
            import_path(b, Path(tmp, "m.json"))
            assert export_store(b, "json") == first


# --- Argdown ------------------------------------------------------------------------------------

def test_argdown_export_is_read_by_argdown_with_the_same_claims_and_relations(demo_store, tmp_path):
    demo_store.add_claim('Hostile [text] with {braces}, <tags>, #hash, *stars*, a_b, // and /* */ "quotes"', "odd")
    demo_store.link("odd", "data-black-hole", "attacks")
    path = tmp_path / "demo.argdown"
    path.write_bytes(export_store(demo_store, "argdown"))
    data = argdown_json(path)
    claims = {c.id: c for c in demo_store.list_claims()}
    assert set(data["statements"]) == set(claims)
    for cid, st_ in data["statements"].items():
        text = next(m["text"] for m in st_["members"] if m.get("text"))
        assert without_tags(text) == " ".join(claims[cid].text.split()), cid
        assert st_["data"]["kind"] == claims[cid].kind
    got = {(r["from"], r["to"], {"support": "supports", "attack": "attacks"}[r["relationType"]]) for r in data["relations"]}
    assert got == store_relations(demo_store)
    ev = data["statements"]["evolution-prior"]["data"]["evidence"][0]
    assert ev["quote"].startswith("Many billions of years of evolution")


def test_argdown_import_of_our_export_restores_the_map(demo_store, tmp_path):
    path = tmp_path / "demo.argdown"
    path.write_bytes(export_store(demo_store, "argdown"))
    with Store(str(tmp_path / "b.db")) as b:
        report = import_path(b, path)
        assert report.claims == 24 and report.evidence == len(demo_store.read_map().evidence)
        assert store_relations(b) == store_relations(demo_store)
        assert {c.id: (c.text, c.kind) for c in b.list_claims()} == {c.id: (c.text, c.kind) for c in demo_store.list_claims()}


ARGDOWN_FIXTURE = """===
title: Fixture written from the Argdown syntax guide
===

# Mobility

[Cars]: Cars should be banned from city centres. #thesis
  + [Air]: Exhaust harms the health of residents.
    - [Electric]: Electric cars have no exhaust.
      - [Tyres]: Tyre and brake wear still pollute.
  - [Jobs]: Shops in the centre lose customers.
  <- [Trade]: Traders depend on car access.
  +> [Liveable]: City centres become more liveable.

[Bikes]: Cycling is faster in the centre.
  >< [Slow]: Cycling is slower than driving.

// a line comment
/* a block
   comment */
[Air]
  + <Studies>: Studies link exhaust to asthma.
"""


def test_argdown_import_agrees_with_argdown_itself(tmp_path):
    path = tmp_path / "fixture.argdown"
    path.write_text(ARGDOWN_FIXTURE)
    ours = parse_document(ARGDOWN_FIXTURE, "argdown", "fixture.argdown")
    rel = {(r["source"], r["target"], r["type"]) for r in ours.relations}
    assert ("Air", "Cars", "supports") in rel and ("Electric", "Air", "attacks") in rel
    assert ("Tyres", "Electric", "attacks") in rel and ("Trade", "Cars", "attacks") in rel
    assert ("Cars", "Liveable", "supports") in rel and ("Studies", "Air", "supports") in rel
    assert {("Bikes", "Slow", "attacks"), ("Slow", "Bikes", "attacks")} <= rel
    kinds = {c["id"]: c.get("kind") for c in ours.claims}
    assert kinds["Cars"] == "thesis" and kinds["Electric"] == "objection" and kinds["Tyres"] == "rebuttal"
    theirs = argdown_json(path)
    statements = {t for t in theirs["statements"]}
    assert statements == {c["id"] for c in ours.claims} - {"Studies"}  # <Studies> is an argument there
    mapping = {"support": "supports", "attack": "attacks"}
    their_rel = {(r["from"], r["to"], mapping[r["relationType"]]) for r in theirs["relations"] if r["relationType"] in mapping}
    assert their_rel <= rel
    texts = {c["id"]: c["text"] for c in ours.claims}
    for title, st_ in theirs["statements"].items():
        defined = [m["text"] for m in st_["members"] if m.get("text")]
        assert texts[title] == without_tags(defined[0])


def test_argdown_arguments_with_premise_conclusion_structure():
    text = """<Ban>: Banning cars is justified.

(1) [Air]: Exhaust harms health.
(2) Harm to health justifies a ban.
----
(3) [Cars]: Cars should be banned. #thesis

[Jobs]: Shops lose customers.
  _> <Ban>
"""
    doc = parse_document(text, "argdown", "pcs.argdown")
    rel = {(r["source"], r["target"], r["type"]) for r in doc.relations}
    assert ("Air", "Ban", "supports") in rel and ("Ban", "Cars", "supports") in rel
    untitled = {c["id"]: c for c in doc.claims}["untitled-1"]  # Argdown's name for an untitled premise
    assert untitled["text"] == "Harm to health justifies a ban." and ("untitled-1", "Ban", "supports") in rel
    assert ("Jobs", "Ban", "attacks") in rel
    assert {c["id"]: c.get("kind") for c in doc.claims}["Cars"] == "thesis"


# --- AIF ------------------------------------------------------------------------------------------

def test_aif_export_loads_in_arguebuf_with_the_same_claims_and_relations(demo_store, tmp_path):
    import arguebuf
    path = tmp_path / "demo.json"
    path.write_bytes(export_store(demo_store, "aif"))
    g = arguebuf.load.file(path)
    atoms = {n.id: n for n in g.atom_nodes.values()}
    data = json.loads(path.read_text())
    id_of = {n["nodeID"]: n["argmapId"] for n in data["nodes"] if n["type"] == "I"}
    assert {id_of[i] for i in atoms} == {c.id for c in demo_store.list_claims()}
    for i, atom in atoms.items():
        assert atom.plain_text == demo_store.get(id_of[i]).text
    relations = set()
    for scheme in g.scheme_nodes.values():
        kind = "supports" if isinstance(scheme.scheme, arguebuf.Support) else "attacks"
        for a in g.incoming_nodes(scheme):
            for b in g.outgoing_nodes(scheme):
                relations.add((id_of[a.id], id_of[b.id], kind))
    assert relations == store_relations(demo_store)


AIF_FIXTURE = {
    "nodes": [
        {"nodeID": "1", "text": "We should lower speed limits", "type": "I"},
        {"nodeID": "2", "text": "Lower speeds save lives", "type": "I"},
        {"nodeID": "3", "text": "Crash energy grows with the square of speed", "type": "I"},
        {"nodeID": "4", "text": "Default Inference", "type": "RA"},
        {"nodeID": "5", "text": "Drivers ignore limits anyway", "type": "I"},
        {"nodeID": "6", "text": "Default Conflict", "type": "CA"},
        {"nodeID": "7", "text": "The studies were done on rural roads", "type": "I"},
        {"nodeID": "8", "text": "Default Conflict", "type": "CA"},
        {"nodeID": "9", "text": "Bob: speed kills", "type": "L"},
        {"nodeID": "10", "text": "Asserting", "type": "YA"},
        {"nodeID": "11", "text": "Default Transition", "type": "TA"},
        {"nodeID": "12", "text": "Default Rephrase", "type": "MA"},
    ],
    "edges": [
        {"edgeID": "1", "fromID": "2", "toID": "4"}, {"edgeID": "2", "fromID": "3", "toID": "4"},
        {"edgeID": "3", "fromID": "4", "toID": "1"},
        {"edgeID": "4", "fromID": "5", "toID": "6"}, {"edgeID": "5", "fromID": "6", "toID": "1"},
        {"edgeID": "6", "fromID": "7", "toID": "8"}, {"edgeID": "7", "fromID": "8", "toID": "4"},
        {"edgeID": "8", "fromID": "9", "toID": "10"}, {"edgeID": "9", "fromID": "10", "toID": "2"},
    ],
    "locutions": [],
}


def test_aif_import(store, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(AIF_FIXTURE))
    report = import_path(store, path, prefix="aif-")
    rels = store_relations(store)
    assert store.get("aif-4").kind == "argument"  # the RA node: an inference, with its two premises
    assert {("aif-2", "aif-4", "supports"), ("aif-3", "aif-4", "supports"), ("aif-4", "aif-1", "supports")} <= rels
    assert ("aif-5", "aif-1", "attacks") in rels
    assert ("aif-7", "aif-4", "attacks") in rels  # the undercut attacks the inference, not its conclusion
    assert not any(s == "aif-7" and t == "aif-1" for s, t, _ in rels)
    assert store.get("aif-5").kind == "objection"
    assert report.skipped["AIF L nodes (dialogue)"] == 1 and report.skipped["AIF YA nodes (dialogue)"] == 1
    assert report.skipped["AIF TA nodes (dialogue)"] == 1 and report.skipped["MA nodes without a source or a target"] == 1
    evidence = store.read_map().evidence
    assert [(e.claim, e.quote) for e in evidence] == [("aif-2", "Bob: speed kills")]  # the locution asserting it


def test_aif_round_trip(demo_store, tmp_path):
    path = tmp_path / "demo.json"
    path.write_bytes(export_store(demo_store, "aif"))
    with Store(str(tmp_path / "b.db")) as b:
        import_path(b, path, fmt="aif")
        assert store_relations(b) == store_relations(demo_store)
        assert {c.id: c.kind for c in b.list_claims()} == {c.id: c.kind for c in demo_store.list_claims()}


# --- GraphML, DOT, Mermaid, Markdown -----------------------------------------------------------------

def test_graphml_reads_back_in_networkx_with_attributes(demo_store, tmp_path):
    path = tmp_path / "demo.graphml"
    path.write_bytes(export_store(demo_store, "graphml"))
    g = nx.read_graphml(path)
    assert set(g.nodes) == {c.id for c in demo_store.list_claims()}
    assert {(u, v, d["type"]) for u, v, d in g.edges(data=True)} == store_relations(demo_store)
    node = g.nodes["evolution-prior"]
    assert node["kind"] == "objection" and node["grounded"] == "OUT" and node["base_score"] == 0.5
    assert node["text"] == demo_store.get("evolution-prior").text
    assert json.loads(g.nodes["language-exposure-gap"]["computations"])[0]["id"] == "c1"
    assert node["evidence_count"] == 1


def test_dot_renders_with_graphviz(demo_store, tmp_path):
    need_dot()
    demo_store.add_claim('quote " backslash \\ newline\nbrace } <b>', "odd")
    dot_text = export_store(demo_store, "dot").decode()
    done = subprocess.run(["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    import html
    svg = html.unescape(done.stdout.decode())
    for cid in ("data-black-hole", "evolution-prior", "odd"):
        assert cid in svg
    assert export_store(demo_store, "svg").startswith(b"<?xml")
    assert export_store(demo_store, "png").startswith(b"\x89PNG")


def test_mermaid_flowchart(store):
    store.add_claim('T "quoted" #hash <b>bold</b> `tick` | pipe', "t", kind="thesis")
    store.object("t", "An objection", "o")
    store.support("t", "A support", "s")
    text = export_store(store, "mermaid").decode()
    assert text.startswith("flowchart BT\n")
    assert '"' not in text.split('["', 1)[1].split('"]', 1)[0]  # no raw quote inside a label
    assert "<b>" not in text and "#quot;" in text and "#35;" in text
    assert re.search(r"n\d+ -\.->\|attacks\| n\d+", text) and re.search(r"n\d+ -->\|supports\| n\d+", text)


def test_markdown_outline(demo_store):
    md = export_store(demo_store, "markdown", title="The debate").decode()
    assert md.startswith("# The debate")
    lines = md.splitlines()
    thesis = next(i for i, line in enumerate(lines) if line.startswith("- **data-black-hole**"))
    assert "(thesis, OUT)" in lines[thesis]
    first = next(i for i, line in enumerate(lines) if "Attacked by **evolution-prior**" in line)
    indent = len(lines[first]) - len(lines[first].lstrip())
    below = lines[first + 1:first + 6]
    assert any(line.startswith(" " * (indent + 2) + "- Attacked by **genome-too-small**") for line in below)
    assert any("Attacked by **evolution-prior**" in line and "(see above)" in line for line in lines[first + 1:])
    assert "Computation c1: `wph * hours_awake * days_per_year * years * tpw`" in md
    assert "Evidence: “Many billions of years of evolution" in md
    assert "## Sources" in md


def test_focus_exports_only_the_neighbourhood(demo_store):
    data = json.loads(export_store(demo_store, "json", focus="evolution-prior", depth=1))
    assert {c["id"] for c in data["claims"]} == {"evolution-prior", "genome-too-small", "marginal-still-worse",
                                                  "language-exposure-gap", "data-black-hole"}
    assert {c["id"] for c in data["computations"]} == {"c1", "c2", "c3"}
    data0 = json.loads(export_store(demo_store, "json", focus="evolution-prior", depth=0))
    assert [c["id"] for c in data0["claims"]] == ["evolution-prior"]
    with pytest.raises(ArgmapError, match="no claim"):
        export_store(demo_store, "json", focus="ghost")


# --- Kialo -------------------------------------------------------------------------------------------

KIALO_FIXTURE = """Discussion Title: Should cities ban cars from their centres?

1. Cities should ban cars from their centres.
1.1. Pro: Exhaust harms the health of residents,
especially children.
1.1.1. Con: Electric cars have no exhaust.
1.1.1.1. Con: Tyre wear still pollutes.
1.2. Con: Shops lose customers.
1.2.1. Pro: -> See 1.1.1.
1.3. Pro: Streets become safer.
"""


def test_kialo_import(store, tmp_path):
    path = tmp_path / "kialo.txt"
    path.write_text(KIALO_FIXTURE)
    report = import_path(store, path)
    assert report.claims == 6  # the "-> See" line is a link, not a claim
    assert store.get("1").kind == "thesis"
    assert store.get("1.1").text == "Exhaust harms the health of residents,\nespecially children."
    assert store.get("1.1.1").kind == "objection" and store.get("1.1.1.1").kind == "rebuttal"
    rels = store_relations(store)
    assert ("1.1", "1", "supports") in rels and ("1.2", "1", "attacks") in rels
    assert ("1.1.1", "1.2", "supports") in rels  # the "-> See" link


# --- broken inputs: clear errors, store unchanged -------------------------------------------------------

BROKEN = [
    ("json", '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "x"}', "line 1"),
    ("json", '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "x"}], '
             '"relations": [{"source": "a", "target": "zz", "type": "attacks"}]}', "no claim 'zz'"),
    ("json", '{"format": "argmap", "version": 9}', "version 1"),
    ("json", '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}',
     "appears twice"),
    ("aif", '{"nodes": [{"nodeID": "1", "text": "x", "type": "I"}], "edges": [{"edgeID": "9", "fromID": "1", "toID": "7"}]}',
     "edge 9: expected a known node id (no node 7)"),
    ("aif", '{"nodes": [{"nodeID": "1", "type": "I"}], "edges": []}', "node 1: expected an I-node with a text"),
    ("aif", '{"nodes": 3}', "top level"),
    ("argdown", "[A]: a\n+ [B]: b\n", "line 2, column 1: expected an empty line before the next element"),
    ("argdown", "[A]: a {kind: [unclosed}\n", "line 1, column 8: expected YAML data"),
    ("argdown", "(1) premise\n(2) conclusion\n", "line 3, column 1: expected an inference line"),
    ("argdown", "[A]: a\n\n[B]: *never closed\n", "line 3, column 6: expected the end of the emphasis opened here"),
    ("kialo", "Discussion Title: t\n\n1. T\n1.2.1. Pro: orphan\n", "line 4: expected item 1.2 before its child 1.2.1"),
    ("kialo", "Discussion Title: t\n\n1. T\n1.1. Con: -> See 9.9.\n", "line 4: expected a link to an existing item"),
    ("kialo", "1. no title\n", "line 1: expected 'Discussion Title"),
    ("kialo", "Discussion Title: t\n\n1. T\n1.1. no stance\n", "'Pro:' or 'Con:'"),
]


@pytest.mark.parametrize("fmt, text, message", BROKEN)
def test_broken_imports_name_the_place_and_change_nothing(cli, tmp_path, fmt, text, message):
    cli("add", "Existing", "--id", "existing")
    path = tmp_path / f"broken.{fmt}"
    path.write_text(text)
    line = cli.fails("import", str(path), "--format", fmt)
    assert message in line and str(path) in line
    assert json.loads(cli("list", "--json").stdout)[0]["id"] == "existing"
    assert len(json.loads(cli("list", "--json").stdout)) == 1


def test_import_clashes_prefix_and_bad_files(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    cli("export", "--format", "json", "--out", str(tmp_path / "demo.json"))
    assert "already in the store" in cli.fails("import", str(tmp_path / "demo.json"))
    assert "imported 24 claims" in cli("import", str(tmp_path / "demo.json"), "--prefix", "copy-").stdout
    assert json.loads(cli("show", "copy-evolution-prior", "--json").stdout)["attackers"][0]["id"].startswith("copy-")
    (tmp_path / "latin1.txt").write_bytes("Discussion Title: caf\xe9".encode("latin-1"))
    assert "expected UTF-8" in cli.fails("import", str(tmp_path / "latin1.txt"))
    assert "cannot read" in cli.fails("import", str(tmp_path / "missing.json"))
    assert "unknown import format" in cli.fails("import", str(tmp_path / "demo.json"), "--format", "xml")
    assert "unknown export format" in cli.fails("export", "--format", "xml")


def test_export_cli_writes_files_and_stdout(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "m.html"))
    out = cli("export", "--format", "markdown").stdout
    assert out.startswith("# argmap")
    assert cli("export", "--format", "graphml", "--out", str(tmp_path / "g.graphml")).stdout.strip().endswith("g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == 24
    assert "does not exist" in cli.fails("export", "--out", str(tmp_path / "no" / "x.json"))


# --- the JSON of `argdown json` ------------------------------------------------------------------

ARGDOWN_FOR_JSON = """===
title: Test
===

# Section one

[Thesis]: Cats are better than dogs. #thesis
  + <Quiet>: Cats are quiet.
  - [Loud]: Some cats are loud.
    - [Rare]: Loud cats are rare.

<Quiet>

(1) Cats make little
    noise.
(2) Quiet pets are better.
----
(3) [Thesis]

[Dogs]: Dogs are better than cats.
  >< [Thesis]

<Undercut>: The rule fails. <!-- a comment -->
  _> <Quiet>
"""


def test_argdown_json_written_by_argdown_imports_exactly(store, tmp_path):
    """Argdown's own reading, imported: one claim per statement and per argument, the
    relations mapped one by one (support/attack/undercut/contradictory), the pcs as supports."""
    (tmp_path / "t.argdown").write_text(ARGDOWN_FOR_JSON)
    data = argdown_json(tmp_path / "t.argdown")
    (tmp_path / "t.json").write_text(json.dumps(data))
    report = import_path(store, tmp_path / "t.json")  # the format is recognised
    m = store.read_map()
    texts = {c.id: c.text for c in m.claims}
    assert report.claims == len(data["statements"]) + len(data["arguments"])
    assert texts["Thesis"] == "Cats are better than dogs." and texts["Dogs"] == "Dogs are better than cats."
    assert texts["Quiet"] == "Cats are quiet." and texts["untitled-1"] == "Cats make little noise."
    assert {c.id: c.kind for c in m.claims}["Thesis"] == "thesis"
    rels = {(r.source, r.target, r.type) for r in m.relations}
    assert {("Rare", "Loud", "attacks"), ("Loud", "Thesis", "attacks"), ("Dogs", "Thesis", "attacks"),
            ("Thesis", "Dogs", "attacks"), ("Undercut", "Quiet", "attacks"), ("Quiet", "Thesis", "supports"),
            ("untitled-1", "Quiet", "supports"), ("untitled-2", "Quiet", "supports")} == rels
    assert {c.id: c.kind for c in m.claims}["Quiet"] == "argument"


@pytest.mark.parametrize("text, where", [
    ('{"arguments": {}, "statements": []}', "top level"),
    ('{"arguments": {}, "statements": {"A": 5}}', "statement [A]"),
    ('{"arguments": {}, "statements": {"A": {"members": []}}, "relations": [{"from": "A", "fromType": '
     '"equivalence-class", "to": "B", "toType": "equivalence-class", "relationType": "attack"}]}', "relation 1"),
    ('{"arguments": {}, "statements": {"A": {"members": []}}, "relations": [{"from": ["A"], "to": "A"}]}', "relation 1"),
    ('{"arguments": {}, "statements": {}, "relations": 7}', '"relations"'),
])
def test_broken_argdown_json_names_the_place(cli, tmp_path, text, where):
    (tmp_path / "b.json").write_text(text)
    line = cli.fails("import", str(tmp_path / "b.json"), "--format", "argdown-json")
    assert where in line


def test_argdown_json_with_unknown_relation_types_and_tags(store):
    from argmap.graph.formats.io import parse_document
    text = json.dumps({"arguments": {}, "statements": {
        "A": {"members": [{"text": "First #objection", "tags": ["objection"],
                           "ranges": [{"type": "tag", "start": 6, "stop": 15}]}]},
        "B": {"members": [{"text": ""}, {"text": "Second  text"}]}},
        "relations": [{"from": "A", "fromType": "equivalence-class", "to": "B", "toType": "equivalence-class",
                       "relationType": "frobnicates"}]})
    doc = parse_document(text, None, "x.json")
    assert doc.claims == [{"id": "A", "text": "First", "kind": "objection"}, {"id": "B", "text": "Second  text"}]
    assert doc.relations == [] and doc.skipped == {"frobnicates relations": 1}


@pytest.mark.parametrize("fmt", ["json", "aif", "dot", "markdown", "graphml", "argdown"])
def test_the_whole_store_streams_byte_for_byte_as_the_map_writes_it(store, cli, tmp_path, monkeypatch, fmt):
    """A whole-store export goes from the database to the file a few thousand rows
    at a time; it is the same file the in-memory writer makes, orders of ids included (case,
    digits, '-' and '.' sort by code point in both), arguments and their direct supports too."""
    import io

    from argmap.claims.store import sql
    from argmap.graph import formats
    ids = ["b", "B", "a-1", "a.1", "a_1", "10", "9", "zz", "Z", "e1", "eve"]
    store.add_claim("The thesis <b>&</b> \u2028 \"quoted\"", claim_id="t", kind="thesis")
    for n, cid in enumerate(ids):
        store.add_claim(f"Claim {cid} ✔ with text {n}", claim_id=cid, kind=("claim", "objection", "argument")[n % 3])
        store.link(cid, "t" if n < 4 else ids[n - 4], "supports" if n % 3 else "attacks")
    from argmap.evidence.sources import add_evidence, add_source
    add_source(store, "src", "A source", url="https://example.org", text="Some quoted words here and there.")
    for cid, quote in (("b", "quoted words"), ("a-1", "here and there"), ("b", "here and there")):
        add_evidence(store, cid, "src", quote)
    store.add_claim("Costs 6 units", claim_id="cost")
    store.link("cost", "b", "attacks")
    from argmap.claims.records import ComputationRecord, InputRecord
    from argmap.evidence.computations import add_computation
    add_computation(store, ComputationRecord(id="k", claim="cost", formula="a * 2", inputs=[InputRecord(name="a", low=4)],
                                             expect_value=6))  # fails its check: it attacks "cost"
    from argmap.graph.maps import read_view
    writer = formats.get(fmt, "export")
    amap, status = read_view(store, strength=False, texts=True)
    want = writer.write(amap, "argmap", status)
    with store.transaction() as s:
        buf = io.BytesIO()
        writer.stream(sql(s, "x"), buf)
    assert buf.getvalue().decode() == want.decode()
    assert (b"argument" in want or b"hexagon" in want) and (b"OUT" in want or fmt in ("json", "aif"))
    monkeypatch.setattr("argmap.graph.maps.read_view", lambda *a, **k: pytest.fail("read whole into memory"))
    cli("export", "--format", fmt, "--out", str(tmp_path / "m.out"))
    assert (tmp_path / "m.out").read_bytes() == want
    assert cli("export", "--format", fmt).stdout_bytes == want


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streamed_exports_match_the_in_memory_writers_on_random_maps(store, seed):
    """Random maps with cycles, claims reached twice, several theses, mixed-case and punctuated
    ids, quotes on some claims: each streaming format writes what its in-memory writer does."""
    import io
    import random

    from argmap.claims.store import sql
    from argmap.graph import formats
    from argmap.graph.formats.document import MapDocument
    from argmap.graph.formats.load import import_document
    from argmap.graph.maps import read_view
    rng = random.Random(seed)
    ids = [rng.choice(["c", "C", "Z", "z", "B", "a", "9"]) + rng.choice(["", "-", ".", "_"]) + str(i) for i in range(80)]
    kinds = ["thesis", "claim", "objection", "rebuttal", "argument"]
    titles = ["Main point", ids[3], "Other view", "Main point", "A [bad] title", "Short"]
    claims = [{"id": cid, "text": f"Claim {cid} *with* <markup> & “quotes” {rng.random():.3f}",
               "kind": rng.choice(kinds) if i else "thesis",
               **({"title": rng.choice(titles)} if rng.random() < 0.3 else {})} for i, cid in enumerate(ids)]
    pairs = {(rng.choice(ids), rng.choice(ids)) for _ in range(160)}
    arguments = [c["id"] for c in claims if c["kind"] == "argument"]
    for arg in arguments[::2]:  # premise-conclusion structures: premises supporting it, one conclusion
        pairs = {p for p in pairs if p[0] != arg} | {(arg, rng.choice(ids)), (rng.choice(ids), arg)}
    relations = [{"source": a, "target": b, "type": rng.choice(["attacks", "attacks", "supports"])}
                 for a, b in sorted(pairs) if a != b]
    text = " ".join(f"word{i}" for i in range(200))
    sources = [{"id": "s1", "title": "Source one", "url": "https://example.org/a?b=<c>", "text": text}]
    evidence = [{"claim": cid, "source": "s1", "quote": f"word{k} word{k + 1}"}
                for cid in rng.sample(ids, 25) for k in rng.sample(range(150), 2)]
    groups = [{"id": f"g{k}", "title": f"Part {k} [of] #the map", "parent": None if k < 2 else f"g{rng.randrange(k)}",
               "claims": []} for k in range(5)]
    for cid in rng.sample(ids, 40):  # some claims in groups, the rest in none
        rng.choice(groups)["claims"].append(cid)
    import_document(store, MapDocument(name="r", claims=claims, relations=relations, sources=sources,
                                       evidence=evidence, groups=groups))
    amap, status = read_view(store, strength=False, texts=True)
    assert sorted(g.id for g in amap.groups) == [g["id"] for g in groups]
    for fmt in ("json", "aif", "dot", "markdown", "graphml", "argdown"):
        writer = formats.get(fmt, "export")
        with store.transaction() as s:
            buf = io.BytesIO()
            writer.stream(sql(s, "x"), buf, "A title & <more>")
        assert buf.getvalue().decode() == writer.write(amap, "A title & <more>", status).decode(), fmt
    assert "----" in formats.get("argdown", "export").write(amap, "t", status).decode()  # a structure was written


JUDGES = ['alice', 'Dr. "B" {x}: #y [z] // */ ünï', 'carol']


@pytest.fixture
def judged_demo(cli):
    cli("demo", "--out", "-")
    for who, claim, p in ((JUDGES[0], "evolution-prior", 0.7), (JUDGES[1], "evolution-prior", 0.25),
                          (JUDGES[2], "genome-too-small", 1), (JUDGES[1], "data-black-hole", 0)):
        cli("--author", who, "judge", claim, "--credence", str(p))
    return json.loads(cli("judgements", "--json").stdout)


@pytest.mark.parametrize("fmt", ["argdown", "aif"])
def test_argdown_and_aif_keep_judgements_as_extra_data(cli, judged_demo, tmp_path, fmt, monkeypatch):
    """People's credences travel as a claim's extra data (Argdown's ``{judgements: ...}``,
    AIF's ``argmapJudgements``): the formats' own tools still read the file, and importing
    it back gives every judgement as it was (who, how much, when), counted in the report."""
    path = tmp_path / ("m.argdown" if fmt == "argdown" else "m.json")
    cli("export", "--format", fmt, "--out", str(path))
    if fmt == "argdown":
        data = argdown_json(path)
        assert data["statements"]["evolution-prior"]["data"]["judgements"] == [
            {k: j[k] for k in ("author", "credence", "at")} for j in judged_demo if j["claim"] == "evolution-prior"]
    else:
        import arguebuf
        g = arguebuf.load.file(path)
        assert len(g.atom_nodes) == sum(1 for n in json.loads(path.read_text())["nodes"] if n["type"] == "I")
    # the file written from the store as a whole (streamed) and from a map in memory (--at) are the same
    head = json.loads(cli("log", "--json").stdout)[-1]["rev"]
    assert cli("export", "--format", fmt, "--at", str(head)).stdout == path.read_text()
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "back.db"))
    assert "4 judgements" in cli("import", str(path)).stdout
    assert json.loads(cli("judgements", "--json").stdout) == judged_demo
    # a broken judgement names its place
    text = path.read_text()
    broken = text.replace('"credence": 0.7', '"credence": 7', 1)
    assert broken != text
    (tmp_path / ("bad.argdown" if fmt == "argdown" else "bad.json")).write_text(broken)
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "bad.db"))
    assert "from 0 to 1" in cli.fails("import", str(tmp_path / ("bad.argdown" if fmt == "argdown" else "bad.json")))
    assert not (tmp_path / "bad.db").exists() or json.loads(cli("judgements", "--json").stdout) == []
