"""Arguments (inferences) and undercuts as first-class nodes, kept from Argdown and AIF (OVA3,
xAIF) through argmap and back, as the formats' own tools (`argdown json`, arguebuf) see them."""

import copy
import io
import json
from pathlib import Path

import arguebuf

from argmap.claims.store import Store
from argmap.graph.formats.argdown_json import from_model
from argmap.graph.formats.io import export_store, import_path
from test_formats import argdown_json

CORPUS = Path(__file__).resolve().parent / "argdown"


def structure(doc) -> tuple:
    return ({c["id"]: c.get("kind") for c in doc.claims},
            {(r["source"], r["target"], r["type"]) for r in doc.relations})


def test_argdown_arguments_and_undercuts_survive_a_round_trip(tmp_path):
    for name in ("undercuts.argdown", "inference.argdown", "equivalence.argdown"):
        original = tmp_path / name
        original.write_bytes((CORPUS / name).read_bytes())
        with Store(str(tmp_path / f"{name}.db")) as store:
            import_path(store, original)
            kinds = {c.id: c.kind for c in store.list_claims()}
            back = tmp_path / f"back-{name}"
            back.write_bytes(export_store(store, "argdown"))
        before, after = from_model(argdown_json(original), "a"), from_model(argdown_json(back), "b")
        b_kinds, b_rel = structure(before)
        a_kinds, a_rel = structure(after)
        assert a_rel == b_rel, name
        assert {k for k, v in a_kinds.items() if v == "argument"} == {k for k, v in b_kinds.items() if v == "argument"}
        assert a_kinds == kinds  # what Argdown reads from the export is what the store holds
    data = argdown_json(tmp_path / "back-undercuts.argdown")
    assert {p["role"] for p in data["arguments"]["Main"]["pcs"]} == {"premise", "main-conclusion"}
    assert any(r["relationType"] == "undercut" and r["toType"] == "inference" for r in data["relations"])


def test_titles_and_inner_whitespace_survive_argdown(tmp_path):
    source = tmp_path / "t.argdown"
    source.write_text("[Déjà vu: a title]: Two  spaces  kept #thesis\n  - [Other one]: No.\n")
    with Store(str(tmp_path / "t.db")) as store:
        import_path(store, source)
        claim = store.get("deja-vu-title")
        assert (claim.title, claim.text) == ("Déjà vu: a title", "Two  spaces  kept")
        store.add_claim("A dot.  Then two spaces, a comma,  and (brackets)  too.", "dots")
        back = tmp_path / "back.argdown"
        back.write_bytes(export_store(store, "argdown"))
    data = argdown_json(back)
    assert "Other one" in data["statements"] and "Déjà vu: a title" in data["statements"]
    assert data["statements"]["dots"]["members"][0]["text"].startswith("A dot.  Then two spaces, a comma,  and")
    with Store(str(tmp_path / "t2.db")) as again:
        import_path(again, back)
        assert again.get("deja-vu-title").text == "Two  spaces  kept"
        assert again.get("dots").text == "A dot.  Then two spaces, a comma,  and (brackets)  too."


AIF_ARGUMENTS = {
    "nodes": [
        {"nodeID": "1", "text": "We should lower speed limits", "type": "I"},
        {"nodeID": "2", "text": "Lower speeds save lives", "type": "I"},
        {"nodeID": "3", "text": "Crash energy grows with the square of speed", "type": "I"},
        {"nodeID": "4", "text": "Default Inference", "type": "RA", "scheme": "Default Inference"},
        {"nodeID": "5", "text": "Drivers ignore limits anyway", "type": "I"},
        {"nodeID": "6", "text": "Default Conflict", "type": "CA"},
        {"nodeID": "7", "text": "The studies were done on rural roads", "type": "I"},
        {"nodeID": "8", "text": "Default Conflict", "type": "CA"},
        {"nodeID": "9", "text": "Limits are enforced by cameras now", "type": "I"},
        {"nodeID": "10", "text": "Default Inference", "type": "RA"},
        {"nodeID": "11", "text": "Speed limits should come down", "type": "I"},
        {"nodeID": "12", "text": "Default Rephrase", "type": "MA"},
    ],
    "edges": [
        {"edgeID": "1", "fromID": "2", "toID": "4"}, {"edgeID": "2", "fromID": "3", "toID": "4"},
        {"edgeID": "3", "fromID": "4", "toID": "1"},
        {"edgeID": "4", "fromID": "5", "toID": "6"}, {"edgeID": "5", "fromID": "6", "toID": "1"},
        {"edgeID": "6", "fromID": "7", "toID": "8"}, {"edgeID": "7", "fromID": "8", "toID": "4"},
        {"edgeID": "8", "fromID": "9", "toID": "10"}, {"edgeID": "9", "fromID": "10", "toID": "5"},
        {"edgeID": "10", "fromID": "11", "toID": "12"}, {"edgeID": "11", "fromID": "12", "toID": "1"},
    ],
    "locutions": [],
}


def arguebuf_shape(path: Path) -> tuple:
    """What arguebuf reads: atom texts, and each scheme node's type with the texts it joins."""
    with path.open() as f:
        data = json.load(f)
    g = arguebuf.load.xaif(data) if "AIF" in data else arguebuf.load.aif(data)
    atoms = sorted(a.plain_text for a in g.atom_nodes.values())
    schemes = []
    for s in g.scheme_nodes.values():
        kind = type(s.scheme).__name__ if s.scheme is not None else "None"
        ins = sorted(getattr(n, "plain_text", type(n).__name__) for n in g.incoming_nodes(s))
        outs = sorted(getattr(n, "plain_text", type(getattr(n, "scheme", None)).__name__) for n in g.outgoing_nodes(s))
        schemes.append((kind, tuple(ins), tuple(outs)))
    return atoms, sorted(schemes), len(g.edges)


def test_aif_arguments_and_undercuts_survive_a_round_trip(tmp_path):
    original = tmp_path / "args.json"
    original.write_text(json.dumps(AIF_ARGUMENTS))
    with Store(str(tmp_path / "a.db")) as store:
        import_path(store, original, fmt="aif")
        kinds = {c.id: c.kind for c in store.list_claims()}
        assert sorted(kinds.values()).count("argument") == 2  # the two RA nodes
        assert ("7", "4", "attacks") in {(r.source, r.target, r.type) for r in store.read_map().relations}
        back = tmp_path / "back.json"
        back.write_bytes(export_store(store, "aif"))
    atoms, schemes, edges = arguebuf_shape(original)
    b_atoms, b_schemes, b_edges = arguebuf_shape(back)
    assert b_atoms == atoms
    # the MA (rephrase) comes back as a support: the rest is the same graph, node for node
    def norm(items):
        return sorted(("Support" if k in ("Support", "Rephrase") else k, i, o) for k, i, o in items)
    assert [k for k, _, _ in b_schemes].count("Attack") == [k for k, _, _ in schemes].count("Attack") == 2
    assert len(b_schemes) == len(schemes) and b_edges == edges
    undercut = [s for s in b_schemes if s[0] == "Attack" and s[1] == ("The studies were done on rural roads",)]
    assert undercut and undercut[0][2] == ("Support",)  # the CA node is aimed at the RA node
    assert norm(b_schemes) == norm(schemes)


def xaif(data: dict) -> dict:
    aif = copy.deepcopy(data)
    aif["nodes"] += [{"nodeID": "20", "text": "Alice : lower speeds save lives", "type": "L"},
                     {"nodeID": "21", "text": "Asserting", "type": "YA"},
                     {"nodeID": "22", "text": "Bob : drivers ignore limits anyway", "type": "L"},
                     {"nodeID": "23", "text": "Asserting", "type": "YA"},
                     {"nodeID": "24", "text": "Default Transition", "type": "TA"}]
    aif["edges"] += [{"edgeID": "20", "fromID": "20", "toID": "21"}, {"edgeID": "21", "fromID": "21", "toID": "2"},
                     {"edgeID": "22", "fromID": "22", "toID": "23"}, {"edgeID": "23", "fromID": "23", "toID": "5"},
                     {"edgeID": "24", "fromID": "20", "toID": "24"}, {"edgeID": "25", "fromID": "24", "toID": "22"}]
    aif["locutions"] = [{"nodeID": "20", "personID": "1"}, {"nodeID": "22", "personID": "2"}]
    aif["participants"] = [{"participantID": "1", "firstname": "Alice", "surname": "Smith"},
                           {"participantID": "2", "firstname": "Bob", "surname": "Jones"}]
    aif["schemefulfillments"] = [{"nodeID": "4", "schemeID": "72"}]
    return aif


def test_ova3_and_xaif_files_import_with_arguebufs_counts(tmp_path):
    files = {"ova3.json": {"AIF": copy.deepcopy(AIF_ARGUMENTS), "OVA": {"firstname": "", "nodes": [], "edges": []},
                           "text": "<p>Speed limits</p>"},
             "xaif.json": {"AIF": xaif(AIF_ARGUMENTS), "text": {"txt": "Alice and Bob discuss speed limits"}}}
    for name, data in files.items():
        path = tmp_path / name
        path.write_text(json.dumps(data))
        g = arguebuf.load.xaif(data)
        with Store(str(tmp_path / f"{name}.db")) as store:
            report = import_path(store, path, fmt="aif")
            amap = store.read_map()
            kinds = [c.kind for c in amap.claims]
            rels = {(r.source, r.target, r.type) for r in amap.relations}
            assert len(kinds) - kinds.count("argument") == len(g.atom_nodes), name
            schemes = [type(s.scheme).__name__ for s in g.scheme_nodes.values()]
            assert kinds.count("argument") == schemes.count("Support"), name
            assert sum(1 for r in rels if r[2] == "attacks") == schemes.count("Attack"), name
            assert report.skipped.get("MA nodes (rephrases), read as supports") == schemes.count("Rephrase"), name
            if name == "xaif.json":
                quotes = {(e.claim, e.source, e.quote) for e in amap.evidence}
                assert quotes == {("2", "speaker-alice-smith", "Alice : lower speeds save lives"),
                                  ("5", "speaker-bob-jones", "Bob : drivers ignore limits anyway")}
                assert {s.title for s in amap.sources} == {"Alice Smith (locutions in xaif.json)",
                                                          "Bob Jones (locutions in xaif.json)"}


def test_a_kialo_export_with_escapes_imports_as_plain_text_with_its_links_and_title(tmp_path):
    path = Path(__file__).resolve().parent / "helpers" / "kialo-escapes.txt"
    with Store(str(tmp_path / "k.db")) as store:
        import_path(store, path, fmt="kialo")
        amap = store.read_map()
        texts = {c.id: c.text for c in amap.claims}
        assert texts["1"] == "Cities should ban cars from their centres."
        assert texts["1.1"] == "Air quality improves [see WHO report and EEA]."
        assert texts["1.2"] == "Shops lose customers (a 2019 study)."
        assert texts["1.1.1"] == "Electric cars **do not** pollute the air - mostly."
        assert not any("\\" in t for t in texts.values())
        assert store.get("1").title == "Should cities ban cars (in centres)?"
        assert {(s.title, s.url) for s in amap.sources} == {("WHO report", "https://www.who.int/air"),
                                                           ("EEA", "https://eea.europa.eu/x")}
        assert {(e.claim, e.quote) for e in amap.evidence} == {("1.1", "WHO report"), ("1.1", "EEA")}
    g = arguebuf.load.kialo(io.StringIO(path.read_text()))
    assert len(g.atom_nodes) == len(texts)  # the same statements as arguebuf finds


def test_arguments_have_their_own_shape_in_the_map_and_in_dot(tmp_path):
    from argmap.graph.maps import render_store
    source = tmp_path / "u.argdown"
    source.write_bytes((CORPUS / "undercuts.argdown").read_bytes())
    with Store(str(tmp_path / "u.db")) as store:
        import_path(store, source)
        dot = export_store(store, "dot").decode()
        html_path = tmp_path / "map.html"
        render_store(store, html_path)
    assert '"Main" [label=' in dot and "shape=hexagon" in dot.split('"Main" [label=')[1].split("\n")[0]
    assert "shape=hexagon" not in dot.split('"Conclusion" [label=')[1].split("\n")[0]
    html = html_path.read_text()
    assert '"borderDashes": [5, 3]' in html or '"borderDashes":[5,3]' in html
