"""The arrays kept in the store are never stale: after every kind of write (the store's API,
the CLI's quick path, an import, a computation's check, a migration, a direct SQL edit) the
next read gives exactly what building them from the rows gives."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from argmap.claims import reads
from argmap.claims.array_deltas import same
from argmap.claims.store import Store
from conftest import read_only

HERE = Path(__file__).resolve().parent
FIXTURE_V1 = HERE / "fixtures" / "schema-v1.db"


def kept(db_path):
    con = sqlite3.connect(db_path)
    try:
        stamp = con.execute("SELECT generation FROM kept_arrays").fetchall()
        now = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return [r[0] for r in stamp], int(now[0])
    finally:
        con.close()




def fresh_and_rebuilt(store):
    with store.transaction() as s:
        return reads.read_arrays(s), reads.build_from_rows(s)


def test_a_read_keeps_the_arrays_and_the_next_read_uses_them(demo_store, db_path, monkeypatch):
    first = demo_store.read_arrays()
    stamps, now = kept(db_path)
    assert stamps == [now]
    monkeypatch.setattr(reads, "build_from_rows", lambda s: pytest.fail("rebuilt although nothing changed"))
    assert same(demo_store.read_arrays(), first)


def sql_edit(db_path, statements):
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA foreign_keys = ON")
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


WRITES = {
    "add": lambda st, cli, db: st.add_claim("A new claim", "new-claim"),
    "object": lambda st, cli, db: st.object("evolution-prior", "Another objection", "another"),
    "link": lambda st, cli, db: st.link("driving-gap", "evolution-prior", "attacks"),
    "unlink": lambda st, cli, db: st.unlink("genome-too-small", "evolution-prior"),
    "edit base score": lambda st, cli, db: st.edit("genome-too-small", base_score=0.9),
    "remove": lambda st, cli, db: st.remove("genome-too-small"),
    "cli quick object": lambda st, cli, db: cli("--db", str(db), "object", "marginal-still-worse", "Quick", "--id", "q"),
    "cli rebut": lambda st, cli, db: cli("--db", str(db), "rebut", "parameter-scaling", "A rebuttal", "--id", "rb"),
    "cli import": lambda st, cli, db: cli("--db", str(db), "import", str(HERE / "argdown" / "undercuts.argdown")),
    "cli compute set": lambda st, cli, db: cli("--db", str(db), "compute", "set", "c1", "wph=1"),
    "sql insert relation": lambda st, cli, db: sql_edit(db, [
        "INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('driving-gap', 'genome-too-small', 'attacks', '2026')"]),
    "sql delete claim": lambda st, cli, db: sql_edit(db, [
        "DELETE FROM relation WHERE source_id = 'deaf-signers' OR target_id = 'deaf-signers'",
        "DELETE FROM evidence WHERE claim_id = 'deaf-signers'", "DELETE FROM claim WHERE id = 'deaf-signers'"]),
    "sql update score": lambda st, cli, db: sql_edit(db, ["UPDATE claim SET base_score = 0.1 WHERE id = 'driving-gap'"]),
    "sql flip a check": lambda st, cli, db: sql_edit(db, ["""UPDATE computation SET "check" = 'fails' WHERE id = 'c1'"""]),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_no_write_leaves_the_kept_arrays_stale(write, demo_store, db_path, cli):
    before = demo_store.read_arrays()
    stamps, then = kept(db_path)
    assert stamps == [then]
    WRITES[write](demo_store, cli, db_path)
    assert kept(db_path)[1] > then  # the write moved the generation (a writer that reads keeps new arrays)
    after, rebuilt = fresh_and_rebuilt(demo_store)
    assert same(after, rebuilt) and not same(after, before)
    assert kept(db_path)[0] == [kept(db_path)[1]]  # kept again, for the next reader


def test_a_migrated_store_keeps_arrays_that_match_its_rows(cli, tmp_path):
    store_file = tmp_path / "old.db"
    shutil.copy(FIXTURE_V1, store_file)
    cli("--db", str(store_file), "status")
    with Store(str(store_file)) as store:
        after, rebuilt = fresh_and_rebuilt(store)
    assert same(after, rebuilt) and len(after.names) >= 2


def test_a_read_only_store_is_read_from_its_rows_and_left_untouched(cli, demo_store, db_path):
    demo_store.read_arrays()
    sql_edit(db_path, ["UPDATE claim SET base_score = 0.2 WHERE id = 'driving-gap'"])  # now stale
    demo_store.close()
    with read_only(db_path) as original:
        for command in (["status"], ["status", "driving-gap"], ["list"], ["show", "driving-gap"]):
            out = cli("--db", str(db_path), *command).stdout
            assert "driving-gap" in out
        assert db_path.read_bytes() == original


def test_every_change_to_the_three_tables_moves_the_generation(store, db_path):
    store.add_claim("T", "t", kind="thesis")
    store.add_claim("A", "a")
    steps = [
        "INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('a', 't', 'attacks', '2026')",
        "UPDATE relation SET type = 'supports'",
        "DELETE FROM relation",
        "UPDATE claim SET text = 'B' WHERE id = 'a'",
        "INSERT INTO computation (id, claim_id, formula, unit, created_at, updated_at) VALUES ('k', 'a', 'x', '1', '2026', '2026')",
        """UPDATE computation SET "check" = 'fails'""",
        "DELETE FROM computation",
        "DELETE FROM claim WHERE id = 'a'",
    ]
    seen = [kept(db_path)[1]]
    for step in steps:
        sql_edit(db_path, [step])
        seen.append(kept(db_path)[1])
    assert all(b > a for a, b in zip(seen, seen[1:])), seen


def full_store_only(monkeypatch):
    """Make the quick SQLite path decline, so that the full store (SQLAlchemy) answers."""
    from argmap.claims.quick import QuickStore
    monkeypatch.setattr(QuickStore, "open", classmethod(lambda cls, location, reading=False: None))


@pytest.mark.parametrize("args", [["status", "--json"], ["status", "evolution-prior", "--json"], ["list", "--json"],
                                  ["list", "--kind", "objection", "--json"], ["status", "--limit", "3", "--json"],
                                  ["show", "language-exposure-gap", "--json"], ["show", "evolution-prior"],
                                  ["show", "data-black-hole", "--json"]])
def test_the_quick_reads_answer_as_the_full_store_does(demo_store, db_path, cli, monkeypatch, args):
    quick = cli("--db", str(db_path), *args).stdout
    with monkeypatch.context() as m:
        full_store_only(m)
        full = cli("--db", str(db_path), *args).stdout
    assert quick == full and len(quick) > 100
    # times as they always were (UTC, with the offset) whichever driver read them
    import re
    stamps = re.findall(r'"created_at": "([^"]*)"', quick)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", t) for t in stamps)


def test_status_list_show_and_focus_render_import_no_sqlalchemy_on_a_sqlite_store(demo_store, db_path):
    """The point of the quick path: start-up is most of a small command's time."""
    import subprocess
    import sys
    code = ("import sys; from argmap.cli import main; sys.argv = ['argmap', '--db', sys.argv[1], *sys.argv[2].split()]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('sqlalchemy', 'sqlmodel', 'networkx') if m in sys.modules))")
    page = db_path.parent / "f.html"
    for command, loaded in (("status", "[]"), ("list", "[]"), ("show data-black-hole", "[]"),
                            (f"render --focus data-black-hole --out {page}", "['networkx']")):  # the page is built from networkx
        out = subprocess.run([sys.executable, "-c", code, str(db_path), command], capture_output=True, text=True,
                             check=True).stdout
        assert ("data-black-hole" in out or str(page) in out) and out.strip().endswith(f"LOADED {loaded}"), out[-300:]
    assert "data-black-hole" in page.read_text(encoding="utf-8")


def test_labels_and_strengths_are_kept_beside_the_arrays_and_used_until_a_write(demo_store, db_path, cli, monkeypatch):
    from argmap.graph.semantics import arrays as semantics_arrays
    first = cli("--db", str(db_path), "status", "--json").stdout
    cli("--db", str(db_path), "render", "--focus", "evolution-prior", "--out", str(db_path.parent / "a.html"))
    con = sqlite3.connect(db_path)
    kept_labels, kept_strengths = con.execute("SELECT labels IS NOT NULL, strengths IS NOT NULL FROM kept_results").fetchone()
    con.close()
    assert kept_labels and kept_strengths
    page = (db_path.parent / "a.html").read_text(encoding="utf-8")
    with monkeypatch.context() as m:  # the kept results answer: nothing is labelled or weighed again
        m.setattr(semantics_arrays, "grounded", lambda af: pytest.fail("labelled again"))
        m.setattr("argmap.graph.semantics.dfquad.dfquad_arrays", lambda *a, **k: pytest.fail("weighed again"))
        assert cli("--db", str(db_path), "status", "--json").stdout == first
        cli("--db", str(db_path), "render", "--focus", "evolution-prior", "--out", str(db_path.parent / "b.html"))
        assert (db_path.parent / "b.html").read_text(encoding="utf-8") == page
    cli("--db", str(db_path), "object", "genome-too-small", "A new objection", "--id", "fresh")
    after = cli("--db", str(db_path), "status", "--json").stdout  # a write: labelled anew, and right
    with monkeypatch.context() as m:
        full_store_only(m)
        assert cli("--db", str(db_path), "status", "--json").stdout == after != first


def test_check_finds_a_dropped_trigger_and_kept_arrays_that_differ_from_the_rows(demo_store, db_path, cli):
    assert "ok: no problems found" in cli("--db", str(db_path), "check").stdout
    demo_store.read_arrays()
    sql_edit(db_path, ["DROP TRIGGER bump_relation_delete",
                       "DELETE FROM relation WHERE source_id = 'genome-too-small'"])  # unseen by the kept arrays
    out = cli("--db", str(db_path), "check", ok=False).stdout
    assert "bump_relation_delete" in out and "differ from the rows" in out
