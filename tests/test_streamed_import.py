"""A big argmap JSON file is imported as it is parsed (issue 26): the store it makes is the
store the whole-file import makes, and any error, even in the last batch, writes nothing."""

import json
import re

import pytest
from contextlib import contextmanager

from sqlalchemy import create_engine, inspect, text

import argmap
from argmap.claims.store import Store
from argmap.errors import ArgmapError
from argmap.graph.formats import argmap_json, load
from argmap.graph.formats.io import import_path
from conftest import pg_schema

TIME = re.compile(r"(^|_)at$")
STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?")  # in the change log's row images


def _untimed(value):
    return STAMP.sub("<time>", value) if isinstance(value, str) else value


@contextmanager
def engine_of(location: str):
    """A plain engine on a store (the store's own would hold its lock)."""
    engine = create_engine(location if "://" in location else f"sqlite:///{location}")
    try:
        yield engine
    finally:
        engine.dispose()


def contents(location: str) -> dict:
    """Every row of every table, in key order, times aside (each import stamps its own)."""
    with engine_of(location) as engine:
        insp = inspect(engine)
        out = {}
        with engine.connect() as conn:
            for table in sorted(insp.get_table_names()):
                cols = [c["name"] for c in insp.get_columns(table) if not TIME.search(c["name"])]
                order = insp.get_pk_constraint(table)["constrained_columns"] or cols
                quoted = ", ".join(f'"{c}"' for c in cols)
                out[table] = [tuple(map(_untimed, r)) for r in conn.execute(text(
                    f'SELECT {quoted} FROM "{table}" ORDER BY {", ".join(chr(34) + c + chr(34) for c in order)}'))]
            out["stamps"] = conn.execute(text("SELECT COUNT(DISTINCT created_at) FROM claim")).scalar()
    return out


def everything(location: str) -> dict:
    """As ``contents``, times included: nothing at all may change."""
    with engine_of(location) as engine:
        insp = inspect(engine)
        with engine.connect() as conn:
            return {t: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{t}"'))))
                    for t in sorted(insp.get_table_names())}


def document(n: int = 60) -> dict:
    """A map with every section argmap JSON has, several batches of each."""
    source_text = " ".join(f"Sentence {k} says a thing about tokens." for k in range(40))
    claims = [{"id": f"c{i}", "text": f"Claim {i} \u2014 \u201cquoted\u201d", "kind": "thesis" if i == 0 else
               ("argument" if i % 7 == 0 else ["claim", "objection", "rebuttal"][i % 3]), "base_score": 0.5,
               **({"title": f"Title {i}"} if i % 5 == 0 else {})} for i in range(n)]
    relations = [{"source": f"c{i}", "target": f"c{(i - 1) // 3}", "type": "attacks" if i % 3 else "supports"}
                 for i in range(1, n)] + [{"source": f"c{i}", "target": f"c{i - 2}", "type": "supports"}
                                          for i in range(5, n, 4)]
    sources = [{"id": f"s{k}", "title": f"Source {k}", "author": "A", "url": f"https://example.org/{k}",
                "date": "2026", "text": source_text} for k in range(3)]
    evidence = [{"id": k + 1, "claim": f"c{k * 2}", "source": f"s{k % 3}", "quote": f"Sentence {k} says a thing",
                 "locator": None} for k in range(25)]
    computations = [{"id": "k1", "claim": "c3", "formula": "rate * hours", "unit": "tokens", "description": None,
                     "expect": {"value": 3e4, "unit": "tokens", "tolerance": "factor 2"}, "scenarios": {},
                     "inputs": [{"name": "rate", "low": 10.0, "high": 30.0, "unit": "tokens/hour", "evidence": 2,
                                 "from": None, "note": None},
                                {"name": "hours", "low": 1000.0, "high": 2000.0, "unit": "hour", "evidence": None,
                                 "from": None, "note": None}]}]
    return {"format": "argmap", "version": 1, "claims": claims, "relations": relations, "sources": sources,
            "evidence": evidence, "computations": computations,
            "judgements": [{"claim": "c1", "author": "ana", "credence": 0.7, "at": "2026-01-02T03:04:05"}],
            "schemes": [{"claim": "c7", "scheme": "argument from expert opinion"}],
            "resolutions": [{"claim": "c2", "resolves_by": "2027-01-01", "criteria": "When it happens.",
                             "outcome": None, "source": None}]}


@pytest.fixture
def second(engine, tmp_path):
    """A second, empty store on the same engine."""
    if engine is None:
        yield str(tmp_path / "second.db")
        return
    with pg_schema() as url:
        yield url


def streamed(monkeypatch, batch: int = 7):
    """Import files as streams, ``batch`` rows at a time, and count the streams read."""
    reads = []
    real = argmap_json.read_stream

    def counting(f, name):
        reads.append(name)
        return real(f, name)
    monkeypatch.setattr(argmap_json, "read_stream", counting)
    monkeypatch.setattr(load, "BATCH", batch)
    monkeypatch.setattr("argmap.graph.formats.io.STREAM_FROM", 0)
    return reads


ORDERS = {"as argmap writes it": None,
          "sections in another order": ["relations", "evidence", "judgements", "claims", "version", "sources",
                                        "resolutions", "computations", "schemes", "format"]}


@pytest.mark.parametrize("order", list(ORDERS))
def test_a_streamed_import_is_the_whole_file_import_row_for_row(location, second, tmp_path, monkeypatch, order):
    doc = document()
    if ORDERS[order]:
        doc = {k: doc[k] for k in ORDERS[order]}
    path = tmp_path / "map.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    with Store(location) as s:
        whole = import_path(s, path, "json", stream_from=1 << 40)
    reads = streamed(monkeypatch)
    with Store(second) as s:
        parts = import_path(s, path, "json")
    assert reads == [str(path)]
    assert parts.summary() == whole.summary() == ("imported 60 claims, 73 relations, 3 sources, 25 evidence, "
                                                  "1 computations, 1 judgements, 1 schemes, 1 resolutions")
    a, b = contents(location), contents(second)
    assert a == b and len(a["claim"]) == 60 and len(a["relation"]) == 73 and a["stamps"] == 1
    assert [t for t, rows in a.items() if t in ("claim", "relation", "evidence", "change_row") and not rows] == []
    exports = []
    for where in (location, second):
        with Store(where) as s:
            exports.append(argmap_json.write(s.read_map(texts=True)))
    assert exports[0] == exports[1] and '"Title 5"' in exports[0]


def _bad(doc: dict, what: str) -> dict:
    if what == "claim":
        doc["claims"][-1]["kind"] = "nonsense"
    elif what == "relation":
        doc["relations"][-1]["target"] = "nowhere"
    elif what == "repeated relation":
        doc["relations"].append(dict(doc["relations"][0]))
    elif what == "evidence":
        doc["evidence"][-1]["quote"] = "Words no source has."
    elif what == "judgement":
        doc["judgements"][-1]["credence"] = 2
    elif what == "a claim id twice":
        doc["claims"].append(dict(doc["claims"][3]))
    return doc


@pytest.mark.parametrize("what", ["claim", "relation", "repeated relation", "evidence", "judgement",
                                  "a claim id twice"])
def test_a_failing_row_in_the_last_batch_leaves_the_store_unchanged(location, tmp_path, monkeypatch, what):
    with Store(location) as s:
        s.add_claim("Already here.", "here", kind="thesis")
        s.object("here", "An objection already here.", "here-o")
    before = everything(location)
    path = tmp_path / "map.json"
    path.write_text(json.dumps(_bad(document(), what)))
    with Store(location) as s, pytest.raises(ArgmapError) as whole:
        import_path(s, path, stream_from=1 << 40)
    assert everything(location) == before
    streamed(monkeypatch)
    with Store(location) as s, pytest.raises(ArgmapError) as parts:
        import_path(s, path)
    assert str(parts.value) == str(whole.value) and str(path) in str(parts.value)
    assert everything(location) == before  # earlier batches were written, and rolled back


@pytest.mark.parametrize("tail, message", [
    (lambda t: t[:-40], "expected valid JSON"),                          # cut off near the end
    (lambda t: t + " {}", "expected valid JSON (parse error: trailing garbage)"),
    (lambda t: t[:-1] + ', "claims": []}', '"claims": expected each section once'),
    (lambda t: t[:-1] + ', "resolutions": {"claim": "c1"}}', '"resolutions": expected a list'),
    (lambda t: t[:-1] + ', "schemes": [3]}', '"schemes"[0]: expected an object'),
    (lambda t: t[:-1] + ', "": []}', "expected keys that are not empty"),
    (lambda t: t[:-3] + ', "a\\u00ff\\ud800"]}]}', "expected valid JSON"),
])
def test_a_broken_end_of_a_streamed_file_writes_nothing(cli, tmp_path, monkeypatch, tail, message):
    cli("add", "Already here.", "--id", "here")
    before = cli("export", "--format", "json").stdout
    doc = document()
    del doc["schemes"], doc["resolutions"]
    path = tmp_path / "map.json"
    path.write_text(tail(json.dumps(doc)))
    reads = streamed(monkeypatch)
    line = cli.fails("import", str(path))
    assert reads and message in line and str(path) in line
    assert cli("export", "--format", "json").stdout == before


def test_small_files_are_read_whole_and_big_ones_streamed(tmp_path, monkeypatch, cli):
    reads = streamed(monkeypatch)
    path = tmp_path / "small.json"
    path.write_text(json.dumps(document()))
    big = tmp_path / "big.json"
    big.write_text(json.dumps(document(400)))
    monkeypatch.setattr("argmap.graph.formats.io.STREAM_FROM", path.stat().st_size + 1)
    cli("import", str(path))
    assert reads == []
    with argmap.open(str(tmp_path / "other.db")) as m:
        assert m.import_file(big).claims == 400
    assert reads == [str(big)]
