"""The change log, on both engines: every write is one change with its author, command and
rows; log, diff, undo and --at read it back."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.claims.store import Store

HERE = Path(__file__).resolve().parent
WORKER = HERE / "helpers" / "cli_worker.py"


def log(cli, *args: str) -> list[dict]:
    return json.loads(cli("log", "--json", "--rows", *args).stdout)


def export(cli, *args: str) -> dict:
    return json.loads(cli("export", "--format", "json", *args).stdout)


def claim_ids(doc: dict) -> set[str]:
    return {c["id"] for c in doc["claims"]}


@pytest.fixture
def small(cli):
    """A thesis (change 1), an objection by alice (2), a rebuttal by bob (3)."""
    cli("add", "Models learn less per example than people.", "--id", "thesis", "--kind", "thesis")
    cli("--author", "alice", "object", "thesis", "Per-example efficiency is the wrong measure.", "--id", "obj")
    cli("--author", "bob", "rebut", "obj", "It is the measure that decides the cost.", "--id", "reb")
    return cli


def test_every_write_is_one_change_with_its_author_command_and_rows(small, monkeypatch):
    changes = log(small)
    assert [c["rev"] for c in changes] == [1, 2, 3]
    assert [c["author"] for c in changes[1:]] == ["alice", "bob"]
    assert changes[1]["command"] == ("argmap object thesis 'Per-example efficiency is the wrong measure.' "
                                     "--claim-id obj")
    rows = changes[1]["rows"]
    assert [(r["table"], r["op"]) for r in rows] == [("claim", "insert"), ("relation", "insert")]
    assert rows[0]["before"] is None and rows[0]["after"]["id"] == "obj"
    assert rows[0]["after"]["text"] == "Per-example efficiency is the wrong measure."
    assert {k: rows[1]["after"][k] for k in ("source_id", "target_id", "type")} == \
        {"source_id": "obj", "target_id": "thesis", "type": "attacks"}
    monkeypatch.setenv("ARGMAP_AUTHOR", "carol")
    small("edit", "obj", "--text", "Per-example efficiency is not the measure.")
    edit = log(small)[-1]
    assert edit["author"] == "carol" and edit["command"].startswith("argmap edit obj")
    (row,) = edit["rows"]
    assert row["op"] == "update" and row["before"]["text"] == "Per-example efficiency is the wrong measure."
    assert row["after"]["text"] == "Per-example efficiency is not the measure."
    monkeypatch.delenv("ARGMAP_AUTHOR")
    small("remove", "reb")
    removal = log(small)[-1]
    assert removal["author"] and removal["author"] not in ("alice", "bob", "carol")  # the OS user
    assert {(r["table"], r["op"]) for r in removal["rows"]} == {("claim", "delete"), ("relation", "delete")}
    assert next(r for r in removal["rows"] if r["table"] == "claim")["before"]["id"] == "reb"


def test_a_refused_command_and_a_read_record_nothing(small):
    before = log(small)
    small.fails("object", "nobody", "An objection to nothing.")
    small.fails("rebut", "thesis", "A thesis is not an objection.")
    for read in (["status"], ["list"], ["show", "obj"], ["export", "--format", "aif"], ["whatif", "--reject", "reb"],
                 ["crux", "thesis"], ["check"], ["render", "--out", "m.html"], ["log"], ["diff"], ["status", "--robust"]):
        small(*read)
    assert log(small) == before


def test_sources_and_quotes_are_logged_like_claims(small, tmp_path):
    (tmp_path / "src.txt").write_text("People learn language from far fewer words than models see.")
    small("--author", "erin", "source", "add", "paper", "--title", "A paper", "--text-file", str(tmp_path / "src.txt"))
    small("--author", "erin", "evidence", "add", "thesis", "--source", "paper", "--quote", "far fewer words")
    source, quote = log(small)[-2:]
    assert [(r["table"], r["op"]) for r in source["rows"]] == [("source", "insert")]
    assert [(r["table"], r["op"]) for r in quote["rows"]] == [("evidence", "insert")]
    assert quote["rows"][0]["after"]["quote"] == "far fewer words" and quote["author"] == "erin"
    assert [c["rev"] for c in log(small, "thesis")][-1] == quote["rev"]
    small("undo")
    assert export(small)["evidence"] == []


def test_an_import_is_one_change_however_many_rows(cli, tmp_path):
    cli("demo", "--out", str(tmp_path / "map.html"))
    (change,) = log(cli)
    assert change["counts"] == {"insert computation_input": 21, "insert computation": 7, "insert evidence": 39,
                                "insert relation": 26, "insert source": 7, "insert claim": 24}
    doc = {"format": "argmap", "version": 1, "claims": [{"id": f"c{i}", "text": f"Claim {i}"} for i in range(300)],
           "relations": [{"source": f"c{i}", "target": f"c{i - 1}", "type": "attacks"} for i in range(1, 300)]}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    cli("--author", "importer", "import", str(tmp_path / "m.json"))
    changes = log(cli)
    assert len(changes) == 2 and changes[1]["author"] == "importer"
    assert changes[1]["counts"] == {"insert relation": 299, "insert claim": 300}
    assert [r["op"] for r in changes[1]["rows"]] == ["bulk", "bulk"]
    assert [tuple(k) for k in changes[1]["rows"][0]["keys"][:2]] == [("c1", "c0"), ("c2", "c1")]


def test_log_of_one_claim_since_and_by_author(small):
    small("add", "An unrelated claim.", "--id", "other")
    assert [c["rev"] for c in log(small, "obj")] == [2, 3]
    assert [c["rev"] for c in log(small, "thesis")] == [1, 2]
    assert [c["rev"] for c in log(small, "--since", "2")] == [3, 4]
    assert [c["rev"] for c in log(small, "--author", "bob")] == [3]
    assert [c["rev"] for c in log(small, "--since", "2000-01-01")] == [1, 2, 3, 4]
    assert log(small, "--since", "2999-01-01") == []
    text = small("log", "obj").stdout.splitlines()
    assert len(text) == 2 and "alice" in text[0] and "argmap object" in text[0] and "bob" in text[1]
    assert "no claim 'ghost'" in small.fails("log", "ghost")
    assert "revision number or a date" in small.fails("log", "--since", "last tuesday")
    assert "no change 99" in small.fails("log", "--since", "99")


def test_undo_reverts_the_latest_change_as_a_new_change(small):
    assert claim_ids(export(small)) == {"thesis", "obj", "reb"}
    assert "undid change 3" in small("undo").stdout
    assert claim_ids(export(small)) == {"thesis", "obj"}
    changes = log(small)
    assert changes[-1]["command"] == "argmap undo" and changes[-1]["rev"] == 4
    assert {(r["table"], r["op"]) for r in changes[-1]["rows"]} == {("claim", "delete"), ("relation", "delete")}
    small("undo", "4")  # undoing the undo brings the rebuttal back, as it was
    assert claim_ids(export(small)) == {"thesis", "obj", "reb"}
    status = json.loads(small("status", "--json").stdout)
    assert {c["id"]: c["label"] for c in status["claims"]} == {"thesis": "IN", "obj": "OUT", "reb": "IN"}


def test_undo_is_refused_while_a_later_change_depends_on_it(small):
    before = export(small)
    message = small.fails("undo", "2")
    assert "cannot undo change 2" in message and "change 3" in message and "bob" in message
    assert "undo 3 first" in message
    assert export(small) == before and len(log(small)) == 3  # nothing written, nothing logged
    small("edit", "reb", "--text", "It is the measure that decides the price.")
    message = small.fails("undo", "3")  # its rebuttal has been edited since
    assert "change 4" in message and "changed since" in message
    small("undo")  # the edit
    small("undo", "3")  # now the rebuttal can go
    small("undo", "2")  # and then the objection
    assert claim_ids(export(small)) == {"thesis"}
    assert "no change 42" in small.fails("undo", "42")


def test_undo_of_an_import_and_its_refusal(cli, tmp_path):
    cli("add", "The thesis.", "--id", "t", "--kind", "thesis")
    doc = {"format": "argmap", "version": 1, "claims": [{"id": "i1", "text": "Imported one", "kind": "objection"},
                                                        {"id": "i2", "text": "Imported two", "kind": "objection"}],
           "relations": [{"source": "i1", "target": "t", "type": "attacks"},
                         {"source": "i2", "target": "i1", "type": "attacks"}]}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    cli("import", str(tmp_path / "m.json"))
    cli("rebut", "i1", "A rebuttal of an imported objection.", "--id", "r")
    message = cli.fails("undo", "2")
    assert "change 3" in message and "claim i1" in message
    cli("undo")
    cli("undo", "2")
    assert claim_ids(export(cli)) == {"t"}
    assert export(cli)["relations"] == []


def test_export_and_render_at_a_revision_show_the_map_as_it_was(small, tmp_path):
    at_two = small("export", "--format", "json").stdout
    small("add", "Later claim.", "--id", "zzlater")
    small("edit", "obj", "--text", "Changed later.")
    assert small("export", "--format", "json", "--at", "3").stdout == at_two
    old = export(small, "--at", "2")
    assert claim_ids(old) == {"thesis", "obj"}
    assert next(c for c in old["claims"] if c["id"] == "obj")["text"] == "Per-example efficiency is the wrong measure."
    assert claim_ids(export(small, "--at", "0")) == set()
    assert small("export", "--format", "json", "--at", "2999-01-01").stdout == small("export", "--format", "json").stdout
    small("render", "--at", "2", "--out", str(tmp_path / "old.html"))
    small("render", "--out", str(tmp_path / "now.html"))
    old_page, new_page = (tmp_path / "old.html").read_text(), (tmp_path / "now.html").read_text()
    assert '"obj"' in old_page and '"reb"' not in old_page and "zzlater" not in old_page
    assert '"reb"' in new_page and "zzlater" in new_page
    assert claim_ids(export(small)) == {"thesis", "obj", "reb", "zzlater"}  # --at changed nothing
    assert len(log(small)) == 5
    assert "no change 9" in small.fails("export", "--at", "9")


def test_diff_names_what_changed_and_the_change_that_moved_each_status(small):
    small("add", "Unrelated.", "--id", "other")
    out = json.loads(small("diff", "--since", "1", "--json").stdout)
    assert out["from"] == 1 and out["to"] == 4
    assert [(i["key"], i["change"]["rev"]) for i in out["claims"]["added"]] == [(["obj"], 2), (["other"], 4), (["reb"], 3)]
    assert [(i["key"], i["change"]["rev"]) for i in out["relations"]["added"]] == [(["obj", "thesis"], 2), (["reb", "obj"], 3)]
    # the objection defeated the thesis (2), the rebuttal reinstated it (3): net, the thesis is IN at both ends
    assert out["statuses"] == []
    out = json.loads(small("diff", "--since", "1", "--to", "2", "--json").stdout)
    assert [(s["id"], s["before"], s["after"], s["change"]["rev"]) for s in out["statuses"]] == [("thesis", "IN", "OUT", 2)]
    small("edit", "obj", "--text", "Reworded.")
    small("remove", "reb")
    out = json.loads(small("diff", "--since", "4", "--json").stdout)
    assert out["claims"]["removed"][0]["key"] == ["reb"] and out["claims"]["removed"][0]["change"]["rev"] == 6
    (changed,) = out["claims"]["changed"]
    assert changed["key"] == ["obj"] and changed["change"]["rev"] == 5
    assert changed["fields"] == {"text": ["Per-example efficiency is the wrong measure.", "Reworded."]}
    assert [(s["id"], s["before"], s["after"], s["change"]["rev"]) for s in out["statuses"]] == \
        [("obj", "OUT", "IN", 6), ("thesis", "IN", "OUT", 6)]
    text = small("diff", "--since", "4").stdout
    assert "- claim reb" in text and "~ claim obj: text:" in text and "status thesis: IN -> OUT  (change 6" in text
    last = json.loads(small("diff", "--json").stdout)  # default: what the last change did
    assert (last["from"], last["to"]) == (5, 6)


def test_diff_shows_a_check_that_moved(cli):
    cli("add", "The run costs about 6 units.", "--id", "cost")
    cli("compute", "add", "cost", "--id", "run", "--formula", "a * b", "--input", "a=2", "--input", "b=3",
        "--expect", "6")
    cli("compute", "run")
    cli("compute", "set", "run", "b=5")
    cli("compute", "run")
    out = json.loads(cli("diff", "--since", "3", "--json").stdout)
    assert [(c["computation"], c["before"], c["after"]) for c in out["checks"]] == [("run", "holds", "fails")]
    assert out["statuses"] and out["statuses"][0]["id"] == "cost" and out["statuses"][0]["after"] == "OUT"


def test_history_starts_at_the_upgrade_of_a_schema_4_store(cli, location):
    cli("add", "Written before the history existed.", "--id", "old")
    cli("object", "old", "Also before.", "--id", "older")
    with Store(location) as s, s.engine.begin() as conn:  # back to schema 4: no change log
        conn.exec_driver_sql("DROP TABLE group_member")  # schema 11 (their triggers go with them)
        conn.exec_driver_sql("DROP TABLE claim_group")
        conn.exec_driver_sql("DROP TABLE question_answer")  # schema 8 (their triggers go with them)
        conn.exec_driver_sql("DROP TABLE argument_scheme")
        conn.exec_driver_sql("DROP TABLE judgement")  # schema 7 (their triggers go with them)
        conn.exec_driver_sql("DROP TABLE resolution")
        if conn.dialect.name == "postgresql":
            for table in ("claim", "source", "relation", "evidence", "computation", "computation_input"):
                conn.exec_driver_sql(f"DROP TRIGGER log_{table} ON {table}")
            conn.exec_driver_sql("DROP FUNCTION argmap_log_row()")
        else:
            for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                "AND name LIKE 'log_%'").fetchall():
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        conn.exec_driver_sql("DROP TABLE change_row")
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP FUNCTION argmap_notify_change() CASCADE")  # schema 6 on the change table
        conn.exec_driver_sql("DROP TABLE change")
        for table in ("api_token", "web_session", "login_failure", "account"):  # schema 6
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    before = export(cli)
    assert log(cli) == []  # upgraded on open: every row kept, no history before it
    assert export(cli) == before and claim_ids(before) == {"old", "older"}
    cli("rebut", "older", "After the upgrade.", "--id", "new")
    assert [c["rev"] for c in log(cli)] == [1]
    assert claim_ids(export(cli, "--at", "0")) == {"old", "older"}
    cli("undo")
    assert export(cli) == before
    assert "ok: no problems found" in cli("check").stdout


def in_sqlite3(db_path: Path, statement: str) -> None:
    """What someone at the ``sqlite3`` prompt would do."""
    import sqlite3
    con = sqlite3.connect(db_path)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.sqlite_only
def test_an_edit_outside_argmap_is_a_change_of_its_own(small, db_path):
    in_sqlite3(db_path, "UPDATE claim SET text = 'Edited in the sqlite3 shell.' WHERE id = 'reb'")
    small("--author", "dan", "add", "After the outside edit.", "--id", "after")
    changes = log(small)
    assert [(c["rev"], c["author"], c["command"]) for c in changes[3:]] == [
        (4, "unknown", "an edit outside argmap"), (5, "dan", "argmap add 'After the outside edit.' --claim-id after")]
    assert changes[3]["rows"][0]["after"]["text"] == "Edited in the sqlite3 shell."


@pytest.mark.sqlite_only
def test_check_names_a_missing_history_trigger(small, db_path):
    in_sqlite3(db_path, "DROP TRIGGER log_claim_update")
    out = small("check", ok=False).stdout
    assert "log_claim_update" in out and "history" in out


@pytest.mark.postgresql_only  # SQLite's eight writers are tests/test_reliability.py's
def test_eight_writers_and_an_import_at_once_lose_nothing(cli, location, tmp_path):
    """Eight processes add 100 objections each while a ninth imports a 2,000-claim map."""
    cli("add", "The thesis", "--id", "t", "--kind", "thesis")
    doc = {"format": "argmap", "version": 1, "claims": [{"id": f"m{i}", "text": f"Imported {i}"} for i in range(2000)],
           "relations": [{"source": f"m{i}", "target": "t", "type": "attacks"} for i in range(0, 2000, 2)]}
    (tmp_path / "big.json").write_text(json.dumps(doc))
    procs = [subprocess.Popen([sys.executable, str(WORKER), "objections", location, "t", str(k), "100"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for k in range(8)]
    importer = subprocess.Popen([sys.executable, "-m", "argmap", "--db", location, "import", str(tmp_path / "big.json")],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = [p.communicate(timeout=900)[0] for p in procs + [importer]]
    assert [p.returncode for p in procs + [importer]] == [0] * 9, outputs[-1]
    with Store(location) as s:
        assert len(s.list_claims("objection")) == 800
        assert len(s.detail("t").attackers) == 800 + 1000
        assert len(s.list_claims()) == 1 + 800 + 2000
    changes = log(cli)
    assert len(changes) == 1 + 800 + 1 and len({c["rev"] for c in changes}) == len(changes)
    assert sum(1 for c in changes if c["command"].startswith("argmap object")) == 800


@pytest.mark.sqlite_only
def test_at_on_a_read_only_store_is_one_clear_error(small, db_path):
    from conftest import read_only
    with read_only(db_path) as original:
        message = small.fails("export", "--at", "1")
        assert "read-only" in message and "--at" in message
        assert small("log").stdout.count("argmap") == 3  # the log itself reads fine
    assert db_path.read_bytes() == original


def test_an_empty_author_is_refused_and_nothing_is_written(small):
    before = log(small)
    assert "author is empty" in small.fails("--author", "  ", "add", "A claim.", "--id", "x")
    assert "author is empty" in small.fails("--author", "\x00\x1b\n", "add", "A claim.", "--id", "x")
    assert log(small) == before and "x" not in claim_ids(export(small))
    small("--author", "Ann\x00 \x1b[31mLee\nJr", "add", "A claim.", "--id", "y")
    assert log(small)[-1]["author"] == "Ann [31mLee Jr"
    assert "no change 0" in small.fails("undo", "0")


def test_undo_on_an_empty_history(cli):
    cli("init")
    assert "history is empty" in cli.fails("undo")
