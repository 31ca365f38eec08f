"""Every command through typer's CliRunner, with its output and its error paths."""

import json
import os
import sqlite3

import pytest

from argmap.cli import app
from conftest import rows


def claim_ids(db):
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT id FROM claim")}
    finally:
        con.close()


def test_every_command_has_help(cli):
    out = cli("--help").stdout
    for name in ["init", "demo", "list", "show", "add", "object", "rebut", "support", "link", "unlink",
                 "remove", "edit", "source", "evidence", "render"]:
        assert name in out, name
    for group in (["source"], ["evidence"]):
        cli(*group, "--help")


def test_init_creates_the_store(cli, db_path):
    assert not db_path.exists()
    assert "store ready" in cli("init").stdout
    assert db_path.exists()


def test_add_list_show(cli):
    assert cli("add", "The thesis text", "--id", "t", "--kind", "thesis").stdout.strip() == "t"
    assert cli("add", "Some other claim").stdout.strip() == "some-other-claim"
    out = cli("list").stdout
    assert "t" in out and "thesis" in out and "some-other-claim" in out
    data = json.loads(cli("list", "--kind", "thesis", "--json").stdout)
    assert [c["id"] for c in data] == ["t"]
    assert set(data[0]) == {"id", "text", "kind", "base_score", "created_at"}
    shown = cli("show", "t").stdout
    assert "t (thesis)" in shown and "The thesis text" in shown


def test_object_rebut_support_link_unlink_remove(cli):
    cli("add", "T", "--id", "t", "--kind", "thesis")
    assert cli("object", "t", "An objection", "--id", "o").stdout.strip() == "o"
    assert cli("rebut", "o", "A rebuttal", "--id", "r").stdout.strip() == "r"
    assert cli("support", "t", "A support", "--id", "s").stdout.strip() == "s"
    cli("add", "Loose", "--id", "loose")
    assert cli("link", "loose", "o", "--supports").stdout.strip() == "loose supports o"
    detail = json.loads(cli("show", "o", "--json").stdout)
    assert [a["id"] for a in detail["attackers"]] == ["r"]
    assert [a["id"] for a in detail["supporters"]] == ["loose"]
    assert [a["id"] for a in detail["attacks"]] == ["t"]
    assert set(detail) >= {"id", "text", "kind", "evidence", "supporters", "attackers", "supports", "attacks",
                           "computations"}
    assert "removed" in cli("unlink", "loose", "o").stdout
    assert cli("remove", "loose").stdout.strip() == "removed: loose"
    assert cli("remove", "o", "--cascade").stdout.strip() == "removed: o, r"
    assert cli("edit", "s", "--text", "A better support").stdout.strip() == "s"
    assert json.loads(cli("show", "s", "--json").stdout)["text"] == "A better support"


def test_source_and_evidence_commands(cli, tmp_path):
    cli("add", "Claim", "--id", "c")
    (tmp_path / "src.txt").write_text("Alpha beta.\nGamma   delta epsilon.\n")
    assert cli("source", "add", "src", "--title", "A text", "--author", "Me", "--url", "https://example.org",
               "--text-file", str(tmp_path / "src.txt")).stdout.strip() == "src"
    ev_id = cli("evidence", "add", "c", "--source", "src", "--quote", "Gamma delta", "--locator", "line 2").stdout.strip()
    assert ev_id.isdigit()
    shown = cli("show", "c").stdout
    assert '"Gamma delta"' in shown and "line 2" in shown
    assert json.loads(cli("source", "list", "--json").stdout)[0]["has_text"] is True
    err = cli.fails("evidence", "add", "c", "--source", "src", "--quote", "not in there")
    assert "quote not found" in err
    assert "removed evidence" in cli("evidence", "remove", ev_id).stdout
    cli("source", "add", "bare", "--title", "No text yet")
    cli("evidence", "add", "c", "--source", "bare", "--quote", "Alpha beta.")
    assert "every quote found" in cli("source", "attach-text", "bare", str(tmp_path / "src.txt")).stdout


@pytest.mark.parametrize("args, message", [
    (["show", "nope"], "no claim with id 'nope'"),
    (["object", "nope", "text"], "no claim with id 'nope'"),
    (["add", "dup", "--id", "t"], "already exists"),
    (["add", ""], "empty"),
    (["add", "   "], "empty"),
    (["object", "t", ""], "empty"),
    (["rebut", "t", "not an objection target"], "not an objection"),
    (["add", "x", "--kind", "hunch"], "unknown kind"),
    (["add", "x", "--id", "bad id"], "invalid claim id"),
    (["link", "t", "t", "--attacks"], "itself"),
    (["link", "t", "o", "--attacks", "--supports"], "exactly one"),
    (["link", "o", "t", "--attacks"], "already attacks"),
    (["unlink", "t", "o"], "no relation"),
    (["remove", "t"], "--cascade"),
    (["edit", "t"], "nothing to change"),
    (["edit", "t", "--base-score", "2"], "between 0 and 1"),
    (["evidence", "add", "t", "--source", "ghost", "--quote", "q"], "no source"),
    (["source", "add", "s1", "--title", "T", "--text-file", "/no/such/file"], "cannot read"),
])
def test_user_errors_are_one_line_and_change_nothing(cli, db_path, args, message):
    cli("add", "T", "--id", "t", "--kind", "thesis")
    cli("object", "t", "O", "--id", "o")
    before = db_path.read_bytes() if not os.path.exists(str(db_path) + "-wal") else None
    rows_before = rows(db_path)
    line = cli.fails(*args)
    assert message in line
    assert rows(db_path) == rows_before
    if before is not None:
        assert db_path.read_bytes() == before


@pytest.mark.parametrize("location, message", [
    ("{tmp}/missing/dir/x.db", "does not exist"),
    ("{tmp}", "directory"),
])
def test_bad_db_paths(cli, tmp_path, location, message):
    line = cli.fails("--db", location.format(tmp=tmp_path), "add", "x")
    assert message in line


def test_read_commands_do_not_create_a_store(cli, tmp_path):
    line = cli.fails("--db", str(tmp_path / "nothing.db"), "list")
    assert "no argmap store" in line
    assert not (tmp_path / "nothing.db").exists()


def test_not_a_database(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("hello, not sqlite" * 50)
    assert "not an argmap database" in cli.fails("--db", str(junk), "list")
    assert junk.read_text() == "hello, not sqlite" * 50


@pytest.mark.sqlite_only  # where the file goes
def test_db_location_precedence(cli, tmp_path, monkeypatch):
    cli("add", "via env", "--id", "env-claim")
    assert claim_ids(tmp_path / "argmap.db") == {"env-claim"}
    cli("--db", str(tmp_path / "explicit.db"), "add", "via flag", "--id", "flag-claim")
    assert claim_ids(tmp_path / "explicit.db") == {"flag-claim"}
    monkeypatch.delenv("ARGMAP_DB")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    cli("add", "via default", "--id", "default-claim")
    assert claim_ids(work / "argmap.db") == {"default-claim"}


def test_demo_writes_the_map_and_is_idempotent(cli, tmp_path, db_path):
    out = cli("demo", "--out", str(tmp_path / "map.html"))
    assert out.stdout.strip() == str((tmp_path / "map.html").resolve())
    assert "imported 24 claims" in out.stderr
    html = (tmp_path / "map.html").read_text()
    assert "data-black-hole" in html
    before = rows(db_path)
    again = cli("demo", "--out", str(tmp_path / "map.html"))
    assert "already loaded" in again.stderr
    assert rows(db_path) == before
    cli("demo")  # default output file, in the current directory
    assert (tmp_path / "argmap.html").exists()


def test_new_objection_then_render_shows_it_attached(cli, tmp_path, location):
    cli("demo", "--out", str(tmp_path / "first.html"))
    cli("object", "evolution-prior", "Evolution also shaped the data people pay attention to.", "--id", "attention-prior")
    cli("render", "--out", str(tmp_path / "second.html"))
    from argmap.claims.store import Store
    from argmap.graph.render import map_data
    with Store(location) as s:
        data = map_data(s.read_map().to_networkx(), "t")
    edge = [e for e in data["edges"] if e["from"] == "attention-prior"]
    assert edge and edge[0]["to"] == "evolution-prior" and edge[0]["type"] == "attacks"
    html = (tmp_path / "second.html").read_text()
    assert "attention-prior" in html and "attention-prior" not in (tmp_path / "first.html").read_text()


def test_render_errors(cli, tmp_path):
    cli("add", "x", "--id", "x")
    assert "does not exist" in cli.fails("render", "--out", str(tmp_path / "no" / "map.html"))
    assert "directory" in cli.fails("render", "--out", str(tmp_path))


def test_no_traceback_on_unexpected_input_types(cli):
    cli("add", "T", "--id", "t")
    result = cli.runner.invoke(app, ["evidence", "remove", "not-a-number"])
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
