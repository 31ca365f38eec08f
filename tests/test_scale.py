"""The fast paths behave exactly like the slow ones, and the benchmarks run (a small smoke run:
speed itself is measured by hand, in benchmarks/, never in a timed test)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from argmap.claims.quick import QuickStore
from argmap.claims.store import Store
from argmap.errors import ArgmapError
from argmap.graph.formats.load import import_document
from argmap.graph.formats.document import MapDocument

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def rows_of(store):
    return ({(c.id, c.text, c.kind, c.base_score) for c in store.list_claims()},
            {(r.source, r.target, r.type) for r in store.relations()})


CASES = [
    ("add", dict(text="A new claim")),
    ("add", dict(text="A new claim", claim_id="t")),           # duplicate id
    ("add", dict(text="", claim_id="x")),                       # empty text
    ("add", dict(text="x", kind="hunch")),                      # bad kind
    ("add", dict(text="x", kind="")),                           # empty kind
    ("add", dict(text="x", claim_id="bad id")),                 # bad id
    ("object", dict(target="t", text="An objection")),
    ("object", dict(target="ghost", text="An objection")),      # unknown target
    ("object", dict(target="t", text="Self", claim_id="t")),    # existing id
    ("rebut", dict(target="o", text="A rebuttal")),
    ("rebut", dict(target="t", text="Not an objection target")),
    ("support", dict(target="t", text="A support", claim_id="s2")),
]


@pytest.mark.parametrize("method, kwargs", CASES)
def test_quick_path_and_store_agree(tmp_path, method, kwargs):
    outcomes = []
    for name in ("store", "quick"):
        db = tmp_path / f"{name}.db"
        with Store(str(db)) as s:
            s.add_claim("The thesis", "t", kind="thesis")
            s.object("t", "An objection", "o")
        try:
            if name == "store":
                with Store(str(db)) as s:
                    fn = {"add": s.add_claim, "object": s.object, "rebut": s.rebut, "support": s.support}[method]
                    result = fn(**kwargs).id
            else:
                with QuickStore.open(str(db)) as q:
                    result = q.add(method, kwargs["text"], kwargs.get("claim_id"), kwargs.get("target"),
                                   kwargs.get("kind")).id
            outcome = ("ok", result)
        except ArgmapError as exc:
            outcome = (type(exc).__name__, str(exc))
        with Store(str(db)) as s:
            outcomes.append((outcome, rows_of(s)))
    assert outcomes[0] == outcomes[1]


def test_the_cli_adds_without_loading_sqlalchemy(tmp_path):
    db = tmp_path / "q.db"
    with Store(str(db)) as s:
        s.add_claim("The thesis", "t", kind="thesis")
    code = ("import sys\nfrom argmap.cli import main\nsys.argv = ['argmap', '--db', sys.argv[1], 'object', 't', 'Quick']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('sqlalchemy' in sys.modules, 'sqlmodel' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["quick", "False", "False"], out.stdout + out.stderr
    help_code = ("import sys\nfrom argmap.cli import app\nprint('sqlalchemy' in sys.modules, 'networkx' in sys.modules, "
                 "'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", help_code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False", "False"], out.stdout + out.stderr


def test_the_cli_falls_back_to_the_store_when_the_quick_path_does_not_apply(cli, tmp_path):
    fresh = tmp_path / "fresh.db"
    assert cli("--db", str(fresh), "add", "first claim", "--id", "first").stdout.strip() == "first"  # creates it
    old = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "schema-v1.db", old)
    assert QuickStore.open(str(old)) is None  # an old schema: the store upgrades it first
    assert cli("--db", str(old), "object", "evolution-prior", "Still quick?", "--id", "after-upgrade").stdout.strip() \
        == "after-upgrade"
    assert (tmp_path / "old.db.schema1.bak").exists()
    assert QuickStore.open(f"sqlite:///{fresh}") is None


def test_focus_by_sql_is_the_focus_of_the_map_in_memory(demo_store):
    """One meaning of --focus: the store's indexed SQL and ArgumentMap.focus keep the same part,
    the neighbourhood within the depth plus the claims whose computations it uses."""
    from argmap.claims.records import ComputationRecord
    from argmap.evidence.computations import add_computation, input_from_text
    add_computation(demo_store, ComputationRecord(id="uses-c4", claim="evolution-prior", formula="2 * x", unit="x",
                                                  inputs=[input_from_text("x=@c4", "x")]))
    amap = demo_store.read_map(texts=True)
    g = amap.to_networkx().to_undirected()
    owners = {c.id: c.claim for c in amap.computations}
    for claim in sorted(amap.claim_ids()):
        for depth in (0, 1, 2):
            by_sql = demo_store.focus_map(claim, depth, texts=True)
            assert by_sql == amap.focus(claim, depth)
            near = set(nx.single_source_shortest_path_length(g, claim, cutoff=depth))
            assert {n for n in near if not n.startswith("calc:")} <= by_sql.claim_ids()
            assert {(r.source, r.target) for r in by_sql.relations} == \
                {(r.source, r.target) for r in amap.relations if {r.source, r.target} <= by_sql.claim_ids()}
            assert all(owners[i.ref] in by_sql.claim_ids() for c in by_sql.computations for i in c.inputs if i.ref)
    assert demo_store.focus_map("evolution-prior", 0).claim_ids() == {"evolution-prior", "parameter-scaling"}
    assert demo_store.focus_map("parameter-scaling", 0).claim_ids() == {"parameter-scaling"}
    with pytest.raises(ArgmapError, match="no claim"):
        demo_store.focus_map("ghost", 1)


def test_status_on_a_larger_store_shows_a_page_and_the_totals(cli, store):
    from generate import generate
    import_document(store, MapDocument.from_dict(generate(1500), "generated"))
    out = cli("status").stdout
    assert "showing 100 of 1500 claims" in out
    assert out.splitlines()[0].startswith("c0 ")  # the thesis first
    data = json.loads(cli("status", "--json", "--limit", "0").stdout)
    assert data["total"] == 1500 and len(data["claims"]) == 1500
    assert sum(data["counts"].values()) == 1500
    from argmap.graph.status import grounded_labels
    labels = grounded_labels(store.read_map().to_networkx())
    assert {r["id"]: r["label"] for r in data["claims"]} == {k: v for k, v in labels.items() if not k.startswith("calc:")}


def test_generated_maps_are_valid_and_render_focused(store, tmp_path):
    from generate import generate
    doc = generate(800)
    report = import_document(store, MapDocument.from_dict(doc, "generated"))
    assert report.claims == 800 and report.computations == 8
    from argmap.graph.maps import render_store
    html = render_store(store, tmp_path / "f.html", focus="c3", depth=1).read_text()
    assert '"c3"' in html


def test_benchmark_smoke_runs():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--sizes", "300", "--timeout", "300"],
                         capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    for label in ("import (JSON)", "baseline: ORM row by row", "status (grounded, CLI)", "python-argumentation",
                  "render focus", "render whole map", "export json", "export aif", "export graphml",
                  "compute run", "object (CLI"):
        line = next(x for x in lines if label in x)
        assert line.rstrip().endswith("MB"), line  # a measurement, not an error
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "grounded.py"), "--sizes", "100", "--timeout", "60"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    row = out.stdout.splitlines()[-1]
    assert row.split()[0] == "100" and "DISAGREE" not in row
