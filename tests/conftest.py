import os
import shutil
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from argmap.claims.store import Store
from argmap.cli import app

CHROMIUM = "/usr/bin/chromium"

# Property tests explore the same examples on every run (no flakes), with no time limit per
# example (a test of time is a bug here; hangs are caught by the hardening tests' child processes).
settings.register_profile("argmap", derandomize=True, deadline=None, database=None)
settings.load_profile("argmap")


def rows(db: Path) -> dict[str, set[tuple]]:
    """Every row of every table of a SQLite store (timestamps aside): what "nothing
    changed" compares, content and not counts. Not the arrays a read keeps (``kept_arrays``, ``kept_results``):
    derived data, a cache that any read may refresh (``tests/test_kept_arrays.py``)."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('kept_arrays', 'kept_results')"):
            cols = [f'"{r[1]}"' for r in con.execute(f'PRAGMA table_info("{table}")')
                    if r[1] not in ("created_at", "updated_at")]
            out[table] = set(con.execute(f'SELECT {", ".join(cols)} FROM "{table}"').fetchall())
        return out
    finally:
        con.close()


@contextmanager
def read_only(db: Path):
    """The store file whole (its WAL folded in) and read-only for the block; yields its bytes."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    original = db.read_bytes()
    os.chmod(db, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        yield original
    finally:
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)


# The modules whose tests run on both engines: SQLite, and PostgreSQL when $ARGMAP_TEST_PG
# names a server (`.ci/run` starts one). A test there that is about SQLite itself (its file,
# its sqlite3 rows) is marked ``sqlite_only``.
BOTH_ENGINES = {"test_store", "test_cli", "test_computations", "test_semantics", "test_formats", "test_history",
                "test_evidence", "test_demo", "test_serve", "test_serve_browser", "test_judgements", "test_schemes",
                "test_provenance", "test_array_deltas", "test_streamed_import", "test_groups"}
PG_URL = os.environ.get("ARGMAP_TEST_PG")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about SQLite itself; not run on PostgreSQL")
    config.addinivalue_line("markers", "postgresql_only: about the server (SQLite's own tests are elsewhere)")


def pytest_generate_tests(metafunc):
    if "engine" not in metafunc.fixturenames:
        return
    both = (metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_ENGINES and "db_path" not in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("sqlite_only") is None)
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        metafunc.parametrize("engine", ["postgresql"], indirect=True)
        return
    metafunc.parametrize("engine", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


@pytest.fixture
def engine(request):
    """Which database the test's store is on; a PostgreSQL test gets a schema of its own."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield None
        return
    with pg_schema() as url:
        yield url


@contextmanager
def pg_schema():
    """A PostgreSQL schema of its own on the test server, as a store URL; dropped after."""
    if not PG_URL:
        if os.environ.get("ARGMAP_REQUIRE_PG"):
            pytest.fail("ARGMAP_REQUIRE_PG is set but $ARGMAP_TEST_PG names no server")
        pytest.skip("no PostgreSQL server ($ARGMAP_TEST_PG; bash .ci/run starts one)")
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url
    url = make_url(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    dsn = dict(host=url.host, port=url.port, user=url.username, dbname=url.database, password=url.password)
    with psycopg.connect(**dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, engine):
    """No test ever touches a real store: $ARGMAP_DB and the cwd point into tmp_path (or a
    PostgreSQL schema of the test's own)."""
    monkeypatch.setenv("ARGMAP_DB", engine or str(tmp_path / "argmap.db"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def location(tmp_path, engine) -> str:
    """The test's store: a SQLite file in tmp_path, or a PostgreSQL URL."""
    return engine or str(tmp_path / "argmap.db")


@pytest.fixture
def db_path(tmp_path) -> Path:
    """The SQLite file of the test's store (a test that asks for it runs on SQLite alone)."""
    return tmp_path / "argmap.db"


@pytest.fixture
def store(location):
    with Store(location) as s:
        yield s


@pytest.fixture
def demo_store(location):
    from argmap.demo import load_demo
    with Store(location) as s:
        load_demo(s)
        yield s


class Cli:
    def __init__(self):
        self.runner = CliRunner(env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})

    def __call__(self, *args: str, ok: bool = True, input: str | None = None):
        result = self.runner.invoke(app, list(args), input=input)
        if ok and result.exit_code != 0:
            raise AssertionError(f"argmap {' '.join(args)} exited {result.exit_code}\n"
                                 f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}")
        return result

    def fails(self, *args: str):
        """Run a command expected to fail: one clean error line, non-zero exit, no traceback."""
        result = self.runner.invoke(app, list(args))
        assert result.exit_code != 0, f"expected failure: {args}\n{result.stdout}"
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one error line, got: {result.stderr!r}"
        assert lines[0].startswith("Error: "), lines
        assert "Traceback" not in result.stderr + result.stdout
        return lines[0]


@pytest.fixture
def cli():
    return Cli()


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        if os.environ.get("ARGMAP_REQUIRE_BROWSER"):
            pytest.fail("ARGMAP_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (bash .ci/run installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


pytest.register_assert_rewrite("picture")  # the browser tests' geometry helpers (tests/helpers/picture.py)
