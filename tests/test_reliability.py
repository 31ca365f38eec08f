"""Reliability: concurrent writers, kills mid-write, damaged files, schema upgrades, `argmap check`."""

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from argmap.claims.schema import SCHEMA_VERSION
from argmap.claims.store import Store
from argmap.cli import app
from argmap.errors import StoreError
from argmap.evidence.integrity import check_store
from conftest import read_only

HERE = Path(__file__).resolve().parent
WORKER = HERE / "helpers" / "cli_worker.py"
FIXTURE_V1 = HERE / "fixtures" / "schema-v1.db"


def rows(path: Path) -> dict[str, list[dict]]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: [dict(r) for r in con.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}
    finally:
        con.close()


# --- concurrency -------------------------------------------------------------------------------------

def test_eight_processes_adding_objections_at_once_lose_nothing(db_path):
    with Store(str(db_path)) as s:
        s.add_claim("The thesis", "t", kind="thesis")
    procs = [subprocess.Popen([sys.executable, str(WORKER), "objections", str(db_path), "t", str(k), "100"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for k in range(8)]
    outputs = [p.communicate(timeout=900)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, outputs
    assert not any("locked" in o for o in outputs)
    with Store(str(db_path)) as s:
        objections = s.list_claims("objection")
        assert len(objections) == 800
        assert len(s.detail("t").attackers) == 800
        assert check_store(s) == []


# --- SIGKILL in the middle of a write ------------------------------------------------------------------

def kill_at_commit(db: Path, tmp_path: Path, *args: str) -> None:
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, str(WORKER), "pause-at-commit", str(db), str(marker), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the command ended before its commit: {proc.stdout.read()}")
        if time.time() > deadline:
            proc.kill()
            raise AssertionError("the command never reached its commit")
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def snapshot_json(db: Path) -> bytes:
    from argmap.graph.formats.io import export_store
    with Store(str(db)) as s:
        return export_store(s, "json")


def test_kill_during_a_large_import_leaves_the_store_as_before(demo_store, db_path, tmp_path):
    big = {"format": "argmap", "version": 1,
           "claims": [{"id": f"imp{i}", "text": f"Imported claim {i}", "kind": "claim"} for i in range(20_000)],
           "relations": [{"source": f"imp{i}", "target": f"imp{i // 2}", "type": "supports"} for i in range(1, 20_000)]}
    (tmp_path / "big.json").write_text(json.dumps(big))
    before = snapshot_json(db_path)
    kill_at_commit(db_path, tmp_path, "import", str(tmp_path / "big.json"))
    assert snapshot_json(db_path) == before
    with Store(str(db_path)) as s:
        assert s.count()["claims"] == 24 and check_store(s) == []
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_kill_during_compute_run_leaves_the_store_as_before(demo_store, db_path, tmp_path):
    con = sqlite3.connect(db_path)  # make the stored results stale, so that a run has something to write
    con.execute("UPDATE computation SET result_json = NULL, p50 = NULL")
    con.commit()
    con.close()
    before = rows(db_path)
    kill_at_commit(db_path, tmp_path, "compute", "run")
    after = rows(db_path)
    assert after == before


# --- damaged, foreign, read-only and missing stores --------------------------------------------------------

def test_truncated_store(cli, demo_store, db_path, tmp_path):
    demo_store.close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    broken = tmp_path / "truncated.db"
    data = db_path.read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    original = broken.read_bytes()
    for args in (["list"], ["show", "data-black-hole"], ["add", "x"], ["render"], ["status"]):
        line = cli.fails("--db", str(broken), *args)
        assert "corrupt" in line or "not an argmap database" in line, line
    assert broken.read_bytes() == original


def test_read_only_store_reads_but_refuses_writes(cli, demo_store, db_path):
    demo_store.close()
    with read_only(db_path) as original:
        assert "data-black-hole" in cli("list").stdout
        for args in (["add", "new claim"], ["object", "data-black-hole", "x"], ["compute", "set", "c1", "wph=1"]):
            assert "read-only" in cli.fails(*args)
        assert db_path.read_bytes() == original


def test_missing_directory_and_directory_and_foreign_files(cli, tmp_path):
    assert "does not exist" in cli.fails("--db", str(tmp_path / "a" / "b.db"), "init")
    assert "directory" in cli.fails("--db", str(tmp_path), "init")
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    assert "not an argmap database" in cli.fails("--db", str(other), "add", "x")
    assert other.read_bytes() == before
    text_file = tmp_path / "notes.txt"
    text_file.write_text("just some text\n" * 100)
    assert "not an argmap database" in cli.fails("--db", str(text_file), "list")
    assert text_file.read_text() == "just some text\n" * 100


# --- schema versions -------------------------------------------------------------------------------------

def test_a_first_schema_store_upgrades_with_every_row_intact(cli, tmp_path):
    store_file = tmp_path / "old.db"
    shutil.copy(FIXTURE_V1, store_file)
    old = rows(store_file)
    assert [r["value"] for r in old["meta"] if r["key"] == "schema_version"] == ["1"]
    out = cli("--db", str(store_file), "show", "attention-prior", "--json").stdout
    assert json.loads(out)["base_score"] == 0.7
    backup = tmp_path / "old.db.schema1.bak"
    assert backup.exists() and rows(backup) == old  # the backup is the untouched first-schema store
    new = rows(store_file)
    for table, old_rows in old.items():
        if table == "meta":
            continue
        assert len(new[table]) == len(old_rows), table
        for before, after in zip(old_rows, new[table]):
            assert {k: after[k] for k in before} == before, table
    assert all(r["updated_at"] == r["created_at"] for r in new["claim"])
    assert [r["value"] for r in new["meta"] if r["key"] == "schema_version"] == [str(SCHEMA_VERSION)]
    assert "ok: no problems found" in cli("--db", str(store_file), "check").stdout
    assert "[holds]" in cli("--db", str(store_file), "compute", "run").stdout


def test_the_schema_3_upgrade_rebuilds_the_claim_table_with_its_constraints(cli, tmp_path):
    """Schema 3 (arguments and titles) rebuilds SQLite's claim table: the kinds' CHECK now
    admits 'argument' and still refuses others, the indexes are back, and the other tables
    still reference the claims (foreign keys enforced)."""
    store_file = tmp_path / "old.db"
    shutil.copy(FIXTURE_V1, store_file)
    cli("--db", str(store_file), "list")
    con = sqlite3.connect(store_file)
    con.execute("PRAGMA foreign_keys = ON")
    assert "'argument'" in con.execute("SELECT sql FROM sqlite_master WHERE name = 'claim'").fetchone()[0]
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'claim'")} \
        >= {"ix_claim_kind"}
    assert {r[2] for r in con.execute("PRAGMA foreign_key_list(relation)")} == {"claim"}
    con.execute("INSERT INTO claim (id, text, kind, base_score, created_at, title) "
                "VALUES ('arg', 'An inference', 'argument', 0.5, '2026-01-01', 'The argument')")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO claim (id, text, kind, base_score, created_at) VALUES ('x', 't', 'bogus', 0.5, '2026')")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('nobody', 'arg', 'attacks', '2026')")
    con.commit()
    con.close()
    shown = json.loads(cli("--db", str(store_file), "show", "arg", "--json").stdout)
    assert shown["kind"] == "argument" and shown["title"] == "The argument"
    assert "ok: no problems found" in cli("--db", str(store_file), "check").stdout


def test_a_newer_store_is_refused_untouched(cli, tmp_path):
    store_file = tmp_path / "future.db"
    shutil.copy(FIXTURE_V1, store_file)
    con = sqlite3.connect(store_file)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = store_file.read_bytes()
    line = cli.fails("--db", str(store_file), "list")
    assert "newer argmap" in line and "99" in line
    assert store_file.read_bytes() == before
    with pytest.raises(StoreError, match="newer"):
        Store(str(store_file))


# --- argmap check --------------------------------------------------------------------------------------------

def test_check_is_clean_on_the_demo_and_names_every_problem(cli, demo_store, db_path):
    assert cli("check").stdout.strip() == "ok: no problems found"
    demo_store.close()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("INSERT INTO relation (source_id, target_id, type, created_at) VALUES ('ghost', 'data-black-hole', 'attacks', '')")
    con.execute("UPDATE source SET text = 'A text that quotes nothing.' WHERE id = 'comment-thread'")
    con.execute("UPDATE computation_input SET ref_computation_id = 'c2', low = NULL WHERE computation_id = 'c1' AND name = 'wph'")
    con.execute("UPDATE computation SET result_json = NULL WHERE id = 'c4'")
    con.commit()
    con.close()
    result = cli.runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    kinds = {(p["kind"], p["id"]) for p in problems}
    assert ("orphan-relation", "relation 27") in kinds
    assert any(k == "foreign-key" for k, _ in kinds)
    assert any(k == "quote-not-in-source" for k, _ in kinds)
    assert ("computation-cycle", "computations") in kinds
    assert ("computation-not-run", "computation c4") in kinds
    text = cli.runner.invoke(app, ["check"]).stdout
    assert "problem(s)" in text and "c1 -> c2 -> c1" in text.replace("c2 -> c1 -> c2", "c1 -> c2 -> c1")
