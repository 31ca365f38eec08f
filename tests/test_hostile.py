"""A catalogue of bad input, for every command argument and every import format: a clear
error or a correct result, never a traceback, a hang or a partial write. Plus fuzzing of
every importer and the formula parser with hypothesis."""

import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.claims.store import Store
from argmap.cli import app
from argmap.errors import ArgmapError
from argmap.graph.formats.io import parse_document
from argmap.graph.formats.load import import_document
from conftest import rows

HUGE = "x" * 10_000_000
BAD = {
    "empty": "",
    "blank": "   \t ",
    "huge": HUGE,
    "control": "bad\x01\x02\x1b[31mred",
    "nul": "nul\x00byte",
    "invalid-utf8": "caf\udce9",  # how Python hands over undecodable argv bytes
    "unknown-id": "no-such-claim",
    "hostile-html": "<script>alert(1)</script>",
    "deeply-nested": "(" * 5000 + "1" + ")" * 5000,
}

# (command template, where the bad value goes); {v} is replaced by the bad value
COMMANDS = [
    ["add", "{v}"],
    ["add", "fine text", "--id", "{v}"],
    ["add", "fine text", "--kind", "{v}"],
    ["object", "t", "{v}"],
    ["object", "{v}", "fine text"],
    ["rebut", "o", "{v}"],
    ["support", "t", "{v}"],
    ["link", "{v}", "t", "--attacks"],
    ["link", "o", "{v}", "--supports"],
    ["unlink", "{v}", "t"],
    ["remove", "{v}"],
    ["show", "{v}"],
    ["edit", "t", "--text", "{v}"],
    ["status", "{v}"],
    ["status", "--semantics", "{v}"],
    ["source", "add", "{v}", "--title", "T"],
    ["source", "add", "s2", "--title", "{v}"],
    ["source", "add", "s3", "--title", "T", "--url", "{v}"],
    ["evidence", "add", "t", "--source", "s", "--quote", "{v}"],
    ["evidence", "add", "t", "--source", "{v}", "--quote", "q"],
    ["compute", "add", "t", "--id", "k", "--formula", "{v}"],
    ["compute", "add", "t", "--id", "{v}", "--formula", "1"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a={v}"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "{v}"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "--unit", "{v}"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "--expect", "{v}"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "--expect", "1", "--tolerance", "{v}"],
    ["compute", "set", "c", "{v}"],
    ["compute", "show", "{v}"],
    ["export", "--focus", "{v}"],
    ["export", "--format", "{v}"],
    ["render", "--title", "{v}"],
    ["render", "--focus", "{v}"],
    ["crux", "{v}"],
    ["crux", "t", "--semantics", "{v}"],
    ["whatif", "--reject", "{v}"],
    ["whatif", "--accept", "{v}"],
    ["whatif", "--set", "{v}"],
    ["whatif", "--set", "c.a={v}"],
    ["status", "{v}", "--robust"],
]


def fill(template, value):
    return [value if part == "{v}" else part for part in template]


@pytest.fixture
def seeded(cli):
    cli("add", "The thesis", "--id", "t", "--kind", "thesis")
    cli("object", "t", "An objection", "--id", "o")
    cli("source", "add", "s", "--title", "A source")
    cli("compute", "add", "t", "--id", "c", "--formula", "a * 2", "--input", "a=1")
    return cli


state = rows


READ_ONLY = {"show", "status", "export", "render", "crux", "whatif"}


@pytest.mark.parametrize("template", COMMANDS, ids=lambda t: " ".join(t))
@pytest.mark.parametrize("bad", list(BAD), ids=list(BAD))
def test_bad_values_give_a_clear_error_or_a_correct_result(seeded, db_path, tmp_path, template, bad):
    before = state(db_path)
    args = fill(template, BAD[bad])
    if template[0] == "render":
        args += ["--out", str(tmp_path / "m.html")]
    result = seeded.runner.invoke(app, args)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    after = state(db_path)
    if result.exit_code == 0:  # a correct result: the value stored exactly as given, or nothing written
        if template[0] in READ_ONLY:
            assert after == before
        else:
            stored = unicodedata.normalize("NFC", BAD[bad]).strip()
            added = [row for table in after for row in after[table] - before[table]]
            # an empty optional value is stored as none
            assert any(stored in row if stored else None in row for row in added), (stored[:60], added)
        return
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr[:300]
    assert len(lines[0]) < 2_000
    assert state(db_path) == before


def test_duplicate_ids_and_cycles_are_refused(seeded, db_path):
    before = state(db_path)
    assert "already exists" in seeded.fails("add", "again", "--id", "t")
    assert "already exists" in seeded.fails("source", "add", "s", "--title", "again")
    assert "already exists" in seeded.fails("compute", "add", "t", "--id", "c", "--formula", "1")
    seeded("compute", "add", "t", "--id", "d", "--formula", "b + 1", "--input", "b=@c")
    assert "cycle" in seeded.fails("compute", "set", "c", "a=@d")
    after = state(db_path)
    assert after["claim"] == before["claim"] and after["source"] == before["source"]
    assert {row[0] for row in after["computation"] - before["computation"]} == {"d"}


# --- import formats ---------------------------------------------------------------------------------------

DEEP_JSON = '{"format": "argmap", "version": 1, "claims": ' + "[" * 100_000 + "]" * 100_000 + "}"
DEEP_AIF = '{"nodes": ' + "[" * 100_000 + "]" * 100_000 + ', "edges": []}'
BAD_FILES = {
    "json": ["", "{", "null", "[]", '{"format": "argmap"}', DEEP_JSON,
             '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "' + HUGE[:30_000] + '"}]}',
             '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "\\u0000"}]}',
             '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "x"}], "evidence": '
             '[{"claim": "a", "source": "nope", "quote": "q"}]}',
             '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "x"}], "computations": '
             '[{"id": "k", "claim": "a", "formula": "b", "inputs": [{"name": "b", "from": "k"}]}]}',
             '{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "x"}], "relations": '
             '[{"source": "a", "target": "a", "type": "attacks"}]}'],
    "aif": ["", "{}", DEEP_AIF, '{"nodes": [{"nodeID": 1}], "edges": []}',
            '{"nodes": [{"nodeID": "1", "type": "I", "text": "a"}, {"nodeID": "1", "type": "I", "text": "b"}], "edges": []}',
            '{"nodes": [{"nodeID": "1", "type": "I", "text": "a"}], "edges": [{"fromID": "1", "toID": "9"}]}'],
    "argdown": ["+ [a]", "(1) p\n(2) no inference line\n", "[a]: x {bad: [}", "[a]: x\n[b]: no empty line above",
                "\n".join("  " * i + "+ [a" + str(i) + "]" for i in range(400)).replace("+ [a0]", "[a0]"),
                "[a]: x {kind: " + "[" * 5000 + "]" * 5000 + "}", "[a]: x\n\n[b]: *open emphasis\n"],
    "kialo": ["", "Discussion Title: t\n\n2.1. Pro: x", "Discussion Title: t\n\n" + ".".join(["1"] * 300) + ". Pro: deep",
              "Discussion Title: t\n\n1. a\n1.1. Con: -> See 7."],
}


@pytest.mark.parametrize("fmt, n", [(f, i) for f, items in BAD_FILES.items() for i in range(len(items))])
def test_bad_import_files(seeded, db_path, tmp_path, fmt, n):
    before = state(db_path)
    path = tmp_path / f"bad-{n}.{fmt}"
    path.write_text(BAD_FILES[fmt][n])
    line = seeded.fails("import", str(path), "--format", fmt)
    assert str(path) in line or "expected" in line
    assert state(db_path) == before


def test_an_invalid_utf8_file_and_a_binary_file(seeded, tmp_path):
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00\x01" * 100)
    assert "UTF-8" in seeded.fails("import", str(tmp_path / "bin.json"))
    (tmp_path / "nul.txt").write_bytes(b"[a]: x\x00y")
    assert "NUL" in seeded.fails("import", str(tmp_path / "nul.txt"))


# --- fuzzing ------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
argdownish = st.lists(st.sampled_from(["[", "]", "<", ">", ":", "+", "-", "_", "><", "<+", "->", "#tag", "{", "}",
                                       "(1)", "----", "\n", "  ", "a", "b", "text", "//", "/*", "*/", "\\", "===",
                                       '"', "k: v", "#", "@"]), max_size=60).map("".join)
kialoish = st.lists(st.sampled_from(["Discussion Title: t\n", "1.", "1.1.", "1.2.1.", " Pro: ", " Con: ", "-> See ",
                                     "text", "\n", "2.", " "]), max_size=40).map("".join)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
                           lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4),
                           max_leaves=20)


@FUZZ
@given(st.one_of(argdownish, st.text(max_size=200)))
def test_fuzz_argdown(text):
    """Any text parses to a coherent map (every relation between claims it defines) or is
    refused with argmap's own error; never another exception."""
    try:
        doc = parse_document(text, "argdown", "fuzz.argdown")
    except ArgmapError:
        return
    assert_coherent(doc)


@FUZZ
@given(st.one_of(kialoish, st.text(max_size=200)))
def test_fuzz_kialo(text):
    """As for Argdown: a coherent map, with one thesis per discussion, or argmap's own error."""
    try:
        doc = parse_document(text, "kialo", "fuzz.txt")
    except ArgmapError:
        return
    assert_coherent(doc)
    assert sum(c["kind"] == "thesis" for c in doc.claims) <= 1


def assert_coherent(doc):
    ids = [c["id"] for c in doc.claims]
    assert len(ids) == len(set(ids))
    assert all(isinstance(c["text"], str) and c["text"].strip() for c in doc.claims)
    pairs = [(r["source"], r["target"]) for r in doc.relations]
    assert len(pairs) == len(set(pairs)) and all(a != b and {a, b} <= set(ids) for a, b in pairs)
    assert all(r["type"] in ("supports", "attacks") for r in doc.relations)


node = st.fixed_dictionaries({"nodeID": st.sampled_from(["1", "2", "3", 4, None]),
                              "type": st.sampled_from(["I", "RA", "CA", "L", "YA", "MA", "", None, 3]),
                              "text": st.one_of(st.text(max_size=10), st.none(), st.integers())})
edge = st.fixed_dictionaries({"fromID": st.sampled_from(["1", "2", "3", 4, None]),
                              "toID": st.sampled_from(["1", "2", "3", "9"])})


@FUZZ
@given(st.one_of(st.builds(lambda n, e: json.dumps({"nodes": n, "edges": e}), st.lists(node, max_size=6),
                           st.lists(edge, max_size=6)),
                 json_values.map(json.dumps), st.text(max_size=100)))
def test_fuzz_aif(text):
    """AIF: a coherent map or argmap's own error; importing it is all or nothing, and what is
    imported is what was parsed."""
    try:
        doc = parse_document(text, "aif", "fuzz.json")
    except ArgmapError:
        return
    with tempfile.TemporaryDirectory() as tmp, Store(os.path.join(tmp, "f.db")) as s:
        empty = rows(Path(tmp, "f.db"))
        try:
            import_document(s, doc)
        except ArgmapError:
            assert rows(Path(tmp, "f.db")) == empty  # all or nothing
            return
        stored = s.read_map()
        assert {c.text for c in stored.claims} == {c["text"].strip() for c in doc.claims}


claim_like = st.fixed_dictionaries({"id": st.one_of(st.sampled_from(["a", "b", "c", "bad id", ""]), json_values),
                                    "text": st.one_of(st.text(max_size=10), json_values)},
                                   optional={"kind": json_values | st.sampled_from(["thesis", "objection"]),
                                             "base_score": json_values})
rel_like = st.fixed_dictionaries({"source": st.sampled_from(["a", "b", "c", 1]), "target": st.sampled_from(["a", "b", "z"]),
                                  "type": st.sampled_from(["supports", "attacks", "likes", None])})
comp_like = st.fixed_dictionaries({"id": st.sampled_from(["k", "m", ""]), "claim": st.sampled_from(["a", "b"]),
                                   "formula": st.sampled_from(["x", "x * 2", "x +", "__import__('os')", "y", "9**9**9"]),
                                   "inputs": st.lists(st.fixed_dictionaries(
                                       {"name": st.sampled_from(["x", "y", "", 3]),
                                        "low": st.one_of(st.floats(allow_nan=True), st.none(), st.text(max_size=3)),
                                        "high": st.one_of(st.none(), st.floats(allow_nan=True)),
                                        "unit": st.sampled_from(["", "m", "tokens", "s/", 7]),
                                        "from": st.sampled_from([None, "k", "m"])}), max_size=2)},
                                  optional={"unit": st.sampled_from(["", "m", "kg"]), "expect": json_values})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claim_like, max_size=4), st.lists(rel_like, max_size=4), st.lists(comp_like, max_size=2))
def test_fuzz_argmap_json_import_is_all_or_nothing(claims, relations, computations):
    """argmap JSON with wrong types and values: refused with nothing written, or imported
    with exactly the claims and relations of the file."""
    text = json.dumps({"format": "argmap", "version": 1, "claims": claims, "relations": relations,
                       "computations": computations})
    with tempfile.TemporaryDirectory() as tmp, Store(os.path.join(tmp, "f.db")) as s:
        empty = rows(Path(tmp, "f.db"))
        try:
            import_document(s, parse_document(text, "json", "fuzz.json"))
        except ArgmapError:
            assert rows(Path(tmp, "f.db")) == empty  # all or nothing
            return
        stored = s.read_map()
        assert {c.id for c in stored.claims} == {c["id"] for c in claims}
        assert {(r.source, r.target, r.type) for r in stored.relations} == \
            {(r["source"], r["target"], r["type"]) for r in relations}


@FUZZ
@given(st.fixed_dictionaries({"arguments": st.one_of(json_values, st.dictionaries(st.sampled_from(["A", "B"]), json_values)),
                              "statements": st.one_of(json_values, st.dictionaries(
                                  st.sampled_from(["A", "B", "C"]),
                                  st.fixed_dictionaries({"members": st.one_of(json_values, st.lists(json_values))}))),
                              "relations": st.one_of(json_values, st.lists(st.fixed_dictionaries(
                                  {"from": st.sampled_from(["A", "B", "C", 1]), "to": st.sampled_from(["A", "B", "Z"]),
                                   "fromType": st.sampled_from(["equivalence-class", "argument", None]),
                                   "toType": st.sampled_from(["equivalence-class", "argument", "inference"]),
                                   "relationType": st.sampled_from(["support", "attack", "undercut", "contrary", [1]])}),
                                  max_size=4))}))
def test_fuzz_argdown_json(data):
    """The JSON of `argdown json`, with every field of the wrong shape: a coherent map or
    argmap's own error."""
    try:
        doc = parse_document(json.dumps(data), "argdown-json", "fuzz.json")
    except ArgmapError:
        return
    assert_coherent(doc)
