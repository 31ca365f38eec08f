"""One typo must never cost a map: no output lands on a store, one name is one store, files
keep their privacy, and a database password is never shown.

Each refusal is one line, and the store is compared byte for byte before and after.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import argmap
from argmap.claims.location import OPEN_STORES

STORE_WRITERS = [  # every command that writes a file, as a user would type it with --out
    ("export", "--format", "json"),
    ("export", "--format", "argdown"),
    ("export", "--format", "graphml"),
    ("export", "--format", "mermaid"),
    ("export", "--format", "svg"),
    ("render",),
    ("render", "--focus", "evolution-prior"),
    ("demo",),
    ("af", "export", "--format", "apx"),
]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file in the directory, byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture
def store(tmp_path, cli, monkeypatch):
    """A demo store at ./argmap.db (the default), closed: its WAL folded in."""
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "argmap.db"))
    cli("demo", "--out", "-")
    assert OPEN_STORES == {}
    return tmp_path / "argmap.db"


# --- no write lands on a store --------------------------------------------------------------------

@pytest.mark.parametrize("command", STORE_WRITERS, ids=" ".join)
@pytest.mark.parametrize("spelling", ["plain", "relative", "dotdot", "symlink", "hardlink", "force"])
def test_no_output_replaces_the_store(cli, store, tmp_path, command, spelling):
    sub = tmp_path / "sub"
    sub.mkdir()
    target = {"plain": str(store), "relative": "argmap.db", "dotdot": str(sub / ".." / "argmap.db"),
              "symlink": str(tmp_path / "link.html"), "hardlink": str(tmp_path / "hard.json"),
              "force": str(store)}[spelling]
    if spelling == "symlink":
        os.symlink(store, target)
    if spelling == "hardlink":
        os.link(store, target)
    before = snapshot(tmp_path)
    extra = ("--force",) if spelling == "force" else ()
    line = cli.fails(*command, "--out", target, *extra)
    assert "SQLite database" in line or "store in use" in line
    assert snapshot(tmp_path) == before
    assert json.loads(cli("status", "--json").stdout)["claims"]


@pytest.mark.parametrize("companion", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize("command", STORE_WRITERS[:1] + STORE_WRITERS[5:6] + STORE_WRITERS[7:], ids=" ".join)
def test_no_output_over_a_store_companion(cli, store, tmp_path, command, companion):
    before = snapshot(tmp_path)
    line = cli.fails(*command, "--out", str(store) + companion)
    assert "companion" in line or "store in use" in line
    assert snapshot(tmp_path) == before


def test_a_companion_of_the_open_store_is_refused_by_identity(tmp_path):
    """While the store is open (the service renders from it), its -wal and -shm are refused
    by where they are, whether or not SQLite has made them yet, however they are spelt."""
    location = tmp_path / "debate.db"
    (tmp_path / "sub").mkdir()
    with argmap.open(location) as m:  # a Path, as a Python user would pass it
        m.load_demo()
        for name in ("debate.db", "debate.db-wal", "debate.db-shm", "debate.db-journal"):
            for spelt in (tmp_path / name, tmp_path / "sub" / ".." / name):
                with pytest.raises(argmap.errors.InvalidInput, match="store in use|SQLite|companion"):
                    m.render(spelt)
                with pytest.raises(argmap.errors.InvalidInput, match="store in use|SQLite|companion"):
                    m.export_to(spelt, "json", force=True)
        assert m.claims()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["debate.db", "sub"]


def test_any_sqlite_database_or_journal_is_refused(cli, store, tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    wal_like = tmp_path / "saved.bin"
    wal_like.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)
    journal_like = tmp_path / "old.bin"
    journal_like.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 60)
    before = snapshot(tmp_path)
    for target in (other, wal_like, journal_like):
        for command in STORE_WRITERS:
            line = cli.fails(*command, "--out", str(target), "--force")
            assert "SQLite" in line
    assert snapshot(tmp_path) == before


def test_a_refused_demo_creates_no_store(cli, tmp_path, monkeypatch):
    """`argmap demo --out argmap.db` on a fresh machine: the store it would create is the
    output; refused, and no file is left."""
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "argmap.db"))
    line = cli.fails("demo", "--out", "argmap.db")
    assert "store in use" in line
    assert list(tmp_path.iterdir()) == []


def test_a_file_of_another_kind_is_replaced_only_with_force(cli, store, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a map\n")
    page = tmp_path / "page.json"
    page.write_text('{"format": "argmap"}')
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    before = snapshot(tmp_path)
    cases = [(("export", "--format", "json"), notes, "a JSON file"), (("render",), page, "an HTML file"),
             (("render",), notes, "an HTML file"), (("export", "--format", "svg"), picture, "an XML file"),
             (("export", "--format", "argdown"), picture, "a text file"),
             (("af", "export"), picture, "a text file")]
    for command, target, what in cases:
        line = cli.fails(*command, "--out", str(target))
        assert f"exists and is not {what}" in line and "--force" in line
    assert snapshot(tmp_path) == before
    # like replaces like without asking; anything with --force
    cli("export", "--format", "json", "--out", str(page))
    assert json.loads(page.read_text())["format"] == "argmap"
    cli("render", "--out", str(tmp_path / "map.html"))
    cli("render", "--out", str(tmp_path / "map.html"))
    cli("export", "--format", "json", "--out", str(notes), "--force")
    assert json.loads(notes.read_text())["format"] == "argmap"
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    cli("render", "--out", str(empty))
    assert empty.read_text().startswith("<!DOCTYPE html>")


# --- one path, one store -------------------------------------------------------------------------

ODD_NAMES = ["caf%41.db", "maps?mode=ro.db", "a#b.db", "with space.db", "débat-论证.db", "file:x.db",
             "%2e%2e%2fescape.db", "q?cache=shared&mode=memory"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_store_name_means_one_file_to_every_code_path(tmp_path, monkeypatch, name):
    """The quick sqlite3 path (add, list), SQLAlchemy (source add, export) and the service all
    open the file of that literal name, and no other file appears."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("ARGMAP_DB")

    def run(*args):
        r = subprocess.run([sys.executable, "-W", "error::Warning", "-m", "argmap", "--db", name, *args],
                           capture_output=True, text=True, cwd=work, timeout=120)
        assert r.returncode == 0 and r.stderr == "", (args, r.stderr)
        return r.stdout
    run("add", "The quick path's claim.", "--id", "quick")
    run("source", "add", "src", "--title", "A source")           # through SQLAlchemy
    run("object", "quick", "An objection.", "--id", "obj")
    listed = [c["id"] for c in json.loads(run("list", "--json"))]
    exported = json.loads(run("export", "--format", "json"))
    assert listed == ["obj", "quick"] or sorted(listed) == ["obj", "quick"]
    assert sorted(c["id"] for c in exported["claims"]) == ["obj", "quick"]
    assert [s["id"] for s in exported["sources"]] == ["src"]
    with argmap.open(str(work / name)) as m:
        assert sorted(c.id for c in m.claims()) == ["obj", "quick"]
    assert sorted(p.name for p in work.iterdir()) == [name]


def test_a_url_is_only_something_with_a_scheme(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli("--db", "sqlite:relative.db", "add", "A claim.", "--id", "a")  # no "://": a file of that name
    assert (tmp_path / "sqlite:relative.db").is_file()
    cli("--db", f"sqlite:///{tmp_path / 'as-url.db'}", "add", "A claim.", "--id", "a")  # a URL, as SQLAlchemy reads it
    assert (tmp_path / "as-url.db").is_file()


# --- files keep their privacy --------------------------------------------------------------------

@pytest.mark.parametrize("command,name", [(("export", "--format", "json"), "private.json"),
                                          (("render",), "private.html"),
                                          (("export", "--format", "markdown"), "private.md"),
                                          (("af", "export"), "private.apx")])
def test_a_replaced_file_keeps_its_mode(cli, store, tmp_path, command, name):
    target = tmp_path / name
    cli(*command, "--out", str(target))
    for mode in (0o600, 0o640, 0o604):
        os.chmod(target, mode)
        cli(*command, "--out", str(target))
        assert target.stat().st_mode & 0o7777 == mode


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_follows_the_umask(cli, store, tmp_path, umask):
    old = os.umask(umask)
    try:
        cli("export", "--format", "json", "--out", str(tmp_path / f"new{umask}.json"))
        cli("render", "--out", str(tmp_path / f"new{umask}.html"))
    finally:
        os.umask(old)
    for suffix in ("json", "html"):
        assert (tmp_path / f"new{umask}.{suffix}").stat().st_mode & 0o777 == 0o666 & ~umask


# --- secrets stay secret -------------------------------------------------------------------------

SECRET = "hunter2-never-shown"


def argmap_process(*args, env=None):
    return subprocess.run([sys.executable, "-m", "argmap", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://argmap:{SECRET}@127.0.0.1:1/debate",          # nothing listens there
    f"postgresql+psycopg://argmap:{SECRET}@127.0.0.1:notaport/debate",   # not a valid URL
    f"nosuchdb://argmap:{SECRET}@host/debate",                           # no such kind of database
])
@pytest.mark.parametrize("debug", [False, True])
def test_a_database_password_is_never_in_an_error_or_a_traceback(url, debug):
    r = argmap_process(*(["--debug"] if debug else []), "--db", url, "list")
    assert r.returncode != 0
    assert SECRET not in r.stdout + r.stderr
    if not debug:
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("Error: ")
    r = argmap_process("list", env={"ARGMAP_DB": url})
    assert r.returncode != 0 and SECRET not in r.stdout + r.stderr


@pytest.mark.postgresql_only
def test_the_history_never_records_the_database_url(engine, cli):
    from sqlalchemy.engine import make_url
    location = make_url(engine).set(password=SECRET).render_as_string(hide_password=False)
    cli("--db", location, "demo", "--out", "-")
    cli("--db", location, "--author", "alice", "object", "evolution-prior", "An objection.", "--id", "o1")
    outputs = [cli("--db", location, *args).stdout for args in
               (("log", "--json"), ("log",), ("log", "o1", "--rows"), ("diff", "--json"), ("status",),
                ("export", "--format", "json"), ("render", "--out", "-"))]
    for out in outputs:
        assert SECRET not in out
    r = argmap_process("--debug", "--db", location, "show", "no-such-claim")
    assert r.returncode != 0 and SECRET not in r.stdout + r.stderr
