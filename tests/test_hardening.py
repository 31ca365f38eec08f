"""Hardening, class by class: files written where asked and nowhere else, no small input
that hangs or eats memory, no traceback, no wrong answer without an error, no output that
other tools misread. Commands that could hang run in a child process with a generous limit,
so that a regression fails the test instead of stalling the suite."""

import json
import os
import resource
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from argmap.cli import app
from conftest import Cli, rows

CHILD_LIMIT = 120  # seconds: not a measurement, a guard against a hang


def run(*args: str, db: Path, cwd: Path, extra_env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARGMAP_DB": str(db), **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "argmap", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=CHILD_LIMIT, **kwargs)


def one_error(result) -> str:
    """A refused command: exit 1, one ``Error:`` line on stderr, no traceback."""
    stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert result.returncode if hasattr(result, "returncode") else result.exit_code, stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr[-2000:]
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def demo(cli, tmp_path, db_path):
    cli("demo", "--out", str(tmp_path / "demo.html"))
    return db_path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- writing files ---------------------------------------------------------------------------

WRITERS = [
    ["render", "--out", "{out}"],
    ["export", "--format", "json", "--out", "{out}"],
    ["export", "--format", "svg", "--out", "{out}"],
    ["af", "export", "--out", "{out}"],
    ["demo", "--out", "{out}"],
]


def fill(template, out):
    return [str(out) if part == "{out}" else part for part in template]


@pytest.mark.parametrize("template", WRITERS, ids=lambda t: " ".join(t[:3]))
def test_a_planted_link_at_the_temporary_name_is_not_followed(cli, demo, tmp_path, template):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out" / "map.out"
    out.parent.mkdir()
    for name in ("map.out.tmp", ".map.out.tmp", "map.out~"):
        (out.parent / name).symlink_to(victim)
    cli(*fill(template, out))
    assert victim.read_text() == "precious"
    assert out.is_file() and not out.is_symlink() and out.stat().st_size > 0
    assert leftovers(out.parent) == [".map.out.tmp", "map.out.tmp"]  # the planted ones, untouched links
    assert all((out.parent / n).is_symlink() for n in leftovers(out.parent))


@pytest.mark.parametrize("template", WRITERS, ids=lambda t: " ".join(t[:3]))
def test_special_files_are_refused_as_outputs(demo, tmp_path, template):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link-to-fifo"
    link.symlink_to(fifo)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "x")
    for target in (fifo, link):  # a FIFO could block: in a child process, under a time guard
        before = rows(demo)
        line = one_error(run(*fill(template, target), db=demo, cwd=tmp_path))
        assert "not a regular file" in line, line
        assert rows(demo) == before
    cli = Cli()
    for target in (Path("/dev/null"), dangling):  # these cannot block: in this process
        before = rows(demo)
        line = cli.fails("--db", str(demo), *fill(template, target))
        assert "not a regular file" in line or "link to nothing" in line, line
        assert rows(demo) == before
    assert Path("/dev/null").is_char_device()


def test_dash_means_standard_output(cli, demo, tmp_path):
    assert cli("export", "--format", "json", "--out", "-").stdout == cli("export", "--format", "json").stdout
    assert cli("render", "--out", "-").stdout.startswith("<!DOCTYPE html>")
    assert cli("af", "export", "--format", "tgf", "--out", "-").stdout == cli("af", "export", "--format", "tgf").stdout
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("failure", ["disk full", "interrupt"])
def test_nothing_is_left_behind_when_a_write_fails(cli, demo, tmp_path, monkeypatch, failure):
    out = tmp_path / "keep.json"
    out.write_text('{"old": "contents"}')

    def broken(_fd):
        if failure == "interrupt":
            raise KeyboardInterrupt
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    result = cli.runner.invoke(app, ["export", "--format", "json", "--out", str(out)])
    assert result.exit_code == (130 if failure == "interrupt" else 1)
    assert ("interrupted" if failure == "interrupt" else "No space left") in result.stderr
    assert out.read_text() == '{"old": "contents"}'
    assert leftovers(tmp_path) == []


def test_a_file_size_limit_leaves_nothing_behind(demo, tmp_path):
    out = tmp_path / "big.html"
    LIMIT = 200_000  # more than the store's own files need, less than the map
    assert (tmp_path / "demo.html").stat().st_size > LIMIT

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    line = one_error(run("render", "--out", str(out), db=demo, cwd=tmp_path, preexec_fn=limit))
    assert "File too large" in line
    assert not out.exists() and leftovers(tmp_path) == []


# --- inputs that hang or eat memory ----------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "--unit", "m**99999999999"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "m^1e9"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "m", "--unit", "m",
     "--expect", "1 m**9**9"],
    ["compute", "add", "t", "--id", "k", "--formula", "a", "--input", "a=1", "m**(99)**(99)"],
])
def test_unit_strings_are_bounded_before_pint_sees_them(cli, tmp_path, db_path, args):
    cli("add", "T", "--id", "t")
    before = rows(db_path)
    assert "unit" in one_error(run(*args, db=db_path, cwd=tmp_path))
    assert rows(db_path) == before


def test_unit_strings_in_an_imported_map_are_bounded_too(cli, tmp_path, db_path):
    doc = {"format": "argmap", "version": 1, "claims": [{"id": "t", "text": "T"}],
           "computations": [{"id": "k", "claim": "t", "formula": "a", "unit": "m**999999999",
                             "inputs": [{"name": "a", "low": 1, "unit": "m**999999999"}]}]}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    assert "unit" in one_error(run("import", str(tmp_path / "m.json"), db=db_path, cwd=tmp_path))
    assert not db_path.exists()


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize("text", [
    "===\n" + LAUGHS + "===\n\n[A]: a claim.\n",
    "[A]: a claim. {a: &a [x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a], c: [*b, *b, *b, *b, *b, *b]}\n",
])
def test_yaml_aliases_are_refused(tmp_path, db_path, text):
    (tmp_path / "m.argdown").write_text(text)
    assert "aliases" in one_error(run("import", str(tmp_path / "m.argdown"), db=db_path, cwd=tmp_path))


def test_special_files_are_refused_as_inputs(cli, tmp_path, db_path):
    cli("add", "T", "--id", "t")
    cli("source", "add", "s", "--title", "S")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for special in (fifo, Path("/dev/zero")):
        for args in (["import", str(special)], ["import", str(special), "--format", "argdown"],
                     ["source", "add", "s2", "--title", "T", "--text-file", str(special)],
                     ["source", "attach-text", "s", str(special)], ["af", "solve", str(special)]):
            line = one_error(run(*args, db=db_path, cwd=tmp_path))
            assert "not a regular file" in line, line


def test_a_huge_one_line_argdown_file_is_refused_early(tmp_path, db_path):
    (tmp_path / "big.argdown").write_text("[A]: " + "word " * 400_000 + "\n")
    line = one_error(run("import", str(tmp_path / "big.argdown"), db=db_path, cwd=tmp_path))
    assert "line 1" in line and "lines of at most" in line


def test_a_framework_header_larger_than_any_file_is_refused(tmp_path, db_path):
    (tmp_path / "f.af").write_text("p af 1000000000\n1 2\n")
    assert "at most" in one_error(run("af", "solve", str(tmp_path / "f.af"), db=db_path, cwd=tmp_path))


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from shapes import aif_chain, aif_conflicts, argdown_alike, kialo_lines  # noqa: E402


def work(fn, *args) -> int:
    """How many lines of Python ``fn(*args)`` runs: a deterministic measure of work."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("fmt, make, sizes", [
    ("aif", aif_chain, (8, 16)), ("aif", aif_conflicts, (400, 800)), ("argdown", argdown_alike, (300, 600)),
    ("kialo", kialo_lines, (2000, 4000)),
], ids=["aif-chained-conflicts", "aif-alike-ids", "argdown-alike-titles", "kialo-continuations"])
def test_importers_do_work_linear_in_their_input(fmt, make, sizes):
    from argmap.graph.formats.io import parse_document
    small, large = (work(parse_document, make(n), fmt, "grow") for n in sizes)
    assert large / small < 2.6, (small, large)  # doubling the input at most doubles the work (and a bit)


# --- tracebacks that reach the user ---------------------------------------------------------------

def test_errors_deep_in_the_arithmetic_are_one_line(cli, db_path):
    cli("add", "T", "--id", "t")
    before = rows(db_path)
    for args in (["--input", "a=1", "m/0"], ["--unit", "1/0"], ["--input", "a=1", "--expect", "1", "--tolerance", "400 OOM"],
                 ["--input", "a=1", "--expect", "1", "--tolerance", "factor 1e400"],
                 ["--input", "a=1", "--evidence", "a=99999999999999999999999"]):
        cli.fails("compute", "add", "t", "--id", "k", "--formula", "a", *args)
    cli.fails("evidence", "remove", "99999999999999999999999")
    assert rows(db_path) == before


BAD_JSON_FIELDS = [
    {"computations": [{"id": "k", "claim": "t", "formula": "a", "expect": {"value": 1, "tolerance": ["x"]},
                       "inputs": [{"name": "a", "low": 1}]}]},
    {"computations": [{"id": "k", "claim": "t", "formula": "a", "inputs": [{"name": "a", "low": 1, "evidence": {"x": 1}}]}]},
    {"computations": [{"id": "k", "claim": "t", "formula": "a", "inputs": [{"name": "a", "low": 1, "note": [1, 2]}]}]},
    {"computations": [{"id": "k", "claim": "t", "formula": "a", "inputs": [{"name": "a", "low": 10 ** 400}]}]},
    {"computations": [{"id": "k", "claim": "t", "formula": "a", "expect": [1], "inputs": [{"name": "a", "low": 1}]}]},
    {"sources": [{"id": "s", "title": "S", "author": ["a", "b"]}]},
    {"sources": [{"id": "s", "title": "S", "url": "https://x.org/\nx"}]},
    {"sources": [{"id": "s", "title": "S", "date": {"y": 1}}]},
    {"sources": [{"id": "s", "title": "S"}], "evidence": [{"id": [1], "claim": "t", "source": "s", "quote": "q"}]},
    {"sources": [{"id": "s", "title": "S"}], "evidence": [{"id": 1, "claim": "t", "source": "s", "quote": "q",
                                                             "locator": {"p": 1}}]},
    {"claims": [{"id": "u", "text": "bad\ufffe"}]},
    {"claims": [{"id": "u", "text": "U", "base_score": 10 ** 400}]},
]


@pytest.mark.parametrize("extra", BAD_JSON_FIELDS, ids=range(len(BAD_JSON_FIELDS)))
def test_wrong_json_types_are_one_line(cli, tmp_path, db_path, extra):
    cli("add", "T", "--id", "t")
    doc = {"format": "argmap", "version": 1, "claims": [{"id": "t2", "text": "T2"}]}
    for key, value in extra.items():
        doc[key] = doc.get(key, []) + value
    (tmp_path / "m.json").write_text(json.dumps(doc))
    before = rows(db_path)
    cli.fails("import", str(tmp_path / "m.json"))
    assert rows(db_path) == before


def test_a_5000_digit_integer_and_bad_front_matter_are_one_line(cli, tmp_path, db_path):
    cli("add", "T", "--id", "t")
    before = rows(db_path)
    (tmp_path / "n.json").write_text('{"format": "argmap", "version": 1, "claims": [{"id": "x", "text": "x", '
                                     '"base_score": ' + "9" * 5000 + "}]}")
    cli.fails("import", str(tmp_path / "n.json"))
    for front in ("- 1\n- 2", "argmap: [1, 2]", "argmap: {sources: 5}", "argmap: {sources: [1, {id: s}]}"):
        (tmp_path / "f.argdown").write_text(f"===\n{front}\n===\n\n[A]: a.\n")
        result = cli.runner.invoke(app, ["import", str(tmp_path / "f.argdown"), "--prefix", "p-"])
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr
        if result.exit_code == 1:
            assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
            assert rows(db_path) == before
        before = rows(db_path)


@pytest.mark.parametrize("version", ["abc", "0", "-1", "2.5", "99999999999999999999"])
def test_a_store_with_a_strange_schema_version_is_refused_untouched(cli, tmp_path, db_path, version):
    cli("add", "T", "--id", "t")
    con = sqlite3.connect(db_path)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    con.commit()
    con.close()
    before = db_path.read_bytes()
    assert "schema" in cli.fails("list")
    assert db_path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []


def test_a_database_url_whose_driver_is_missing_names_the_package(cli):
    import importlib.util
    line = cli.fails("--db", "postgresql+pg8000://u@localhost/x", "list")
    assert "pg8000" in line and "pip install" in line
    if importlib.util.find_spec("psycopg") is None:
        assert "argmap[postgres]" in cli.fails("--db", "postgresql+psycopg://u@localhost/x", "list")
    assert "unknown kind of database" in cli.fails("--db", "nosuchdb://x", "list")


def test_non_ascii_digits_in_a_framework_file(cli, tmp_path):
    for text in ("p af ٣\n", "p af 3\n1 ²\n", "p af 3\n١ 2\n"):
        (tmp_path / "f.af").write_text(text)
        assert "expected" in cli.fails("af", "solve", str(tmp_path / "f.af"))


def test_an_unexpected_error_is_one_line_with_a_hint_and_debug_shows_it(cli, monkeypatch):
    cli("add", "T", "--id", "t")
    from argmap.claims import plain_reads

    def bug(*_a, **_k):
        raise ZeroDivisionError("a slip")

    monkeypatch.setattr(plain_reads, "claims", bug)  # what both the quick path and the store read with
    line = cli.fails("list")
    assert "unexpected error" in line and "ZeroDivisionError" in line and "--debug" in line
    result = cli.runner.invoke(app, ["--debug", "list"])
    assert isinstance(result.exception, ZeroDivisionError)


# --- wrong answers without an error ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1 2\n2 3\n", "hello world\n", "a b\nb c\n"])
def test_a_framework_file_of_no_clear_format_is_refused(cli, tmp_path, text):
    (tmp_path / "f.txt").write_text(text)
    assert "--format" in cli.fails("af", "solve", str(tmp_path / "f.txt"))
    (tmp_path / "f.tgf").write_text("a\nb\n#\na b\n")
    assert cli("af", "solve", str(tmp_path / "f.tgf")).stdout == "w a\n"


def test_dfquad_that_does_not_converge_says_so(cli, tmp_path):
    cli("add", "A", "--id", "a")
    cli("add", "B", "--id", "b")
    cli("link", "a", "b", "--attacks")
    cli("link", "b", "a", "--attacks")
    cli("edit", "a", "--base-score", "1")
    cli("edit", "b", "--base-score", "1")
    data = json.loads(cli("status", "--semantics", "dfquad", "--json").stdout)
    assert data["converged"] is False
    table = cli("status", "--semantics", "dfquad")
    assert "did not converge" in table.stderr
    cli("render", "--out", str(tmp_path / "m.html"))
    html = (tmp_path / "m.html").read_text()
    assert 'id="dfquad-note"' in html and '"strength_converged": false' in html


@pytest.mark.parametrize("args", [
    ["import", "/no/such/file.json"], ["object", "ghost", "text"], ["add", ""], ["demo", "--out", "/no/such/dir/m.html"],
    ["source", "add", "bad id", "--title", "t"], ["compute", "add", "ghost", "--id", "k", "--formula", "1"],
])
def test_a_refused_command_creates_no_store_file(cli, tmp_path, args):
    db = tmp_path / "fresh.db"
    cli.fails("--db", str(db), *args)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("fresh")) == []


@pytest.mark.parametrize("args", [["list"], ["object", "x", "y"], ["add", "x"], ["import", "IMPORT"], ["status"]])
def test_a_foreign_sqlite_file_is_refused_untouched(cli, tmp_path, args):
    for schema in ("CREATE TABLE t (x)", "CREATE VIEW v AS SELECT 1", "CREATE TABLE meta (key, value); CREATE TABLE claim (x)"):
        db = tmp_path / "foreign.db"
        db.unlink(missing_ok=True)
        con = sqlite3.connect(db)
        con.executescript(schema)
        con.close()
        before = db.read_bytes()
        (tmp_path / "m.json").write_text('{"format": "argmap", "version": 1, "claims": [{"id": "a", "text": "A"}]}')
        cli.fails("--db", str(db), *[str(tmp_path / "m.json") if a == "IMPORT" else a for a in args])
        assert db.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("foreign")) == ["foreign.db"]


# --- output that other tools misread -----------------------------------------------------------------

def tamper(db: Path, sql: str, *params) -> None:
    """Write as another tool would, around argmap's checks."""
    con = sqlite3.connect(db)
    con.execute(sql, params)
    con.commit()
    con.close()


def test_markdown_export_cannot_be_made_to_carry_html_or_headings(cli, demo, db_path):
    assert "white space" in cli.fails("source", "add", "u", "--title", "T", "--url", "https://x.org/a\n# Heading")
    tamper(db_path, "UPDATE source SET url = ? WHERE id = (SELECT min(id) FROM source)",
           "https://x.org/<script>alert(1)</script>\n# Heading <img src=x>")
    tamper(db_path, "UPDATE claim SET text = ? WHERE id = 'data-black-hole'", "Text\n\n# Heading\n<b>bold</b> ```x```")
    out = cli("export", "--format", "markdown").stdout
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings == [headings[0], "## Sources"]


def test_mermaid_export_escapes_directives_and_syntax(cli, demo, db_path):
    import re
    hostile = '%%{init: {"theme": "dark"}}%% a "quote" | pipe ` tick & amp; <b> #x; ]] end'
    tamper(db_path, "UPDATE claim SET text = ? WHERE id = 'data-black-hole'", hostile)
    out = cli("export", "--format", "mermaid").stdout
    assert "%%" not in out and "<b>" not in out
    node = re.compile(r'^  n\d+\["[^"`|%&<>]*"\]:::\w+$')
    edge = re.compile(r"^  n\d+ (-->|-\.->)\|(supports|attacks)\| n\d+$")
    style = re.compile(r"^  classDef \w+ fill:#[0-9a-f]{6},stroke:#555,color:#111$")
    lines = out.splitlines()
    assert lines[0] == "flowchart BT"
    assert all(node.match(x) or edge.match(x) or style.match(x) for x in lines[1:]), \
        [x for x in lines[1:] if not (node.match(x) or edge.match(x) or style.match(x))]


@pytest.mark.parametrize("value", ["nul\x00in", "bell\x07in", "vt\x0bin", "esc\x1bin", "nonchar\ufffein", "nonchar\uffffin"])
def test_characters_xml_cannot_hold_are_refused_at_entry(cli, tmp_path, value):
    cli("add", "T", "--id", "t")
    for args in (["add", value], ["edit", "t", "--text", value], ["source", "add", "s", "--title", value],
                 ["render", "--title", value, "--out", str(tmp_path / "m.html")], ["export", "--title", value]):
        cli.fails(*args)
    doc = {"format": "argmap", "version": 1, "claims": [{"id": "x", "text": "X"}],
           "sources": [{"id": "s", "title": "S", "author": value}]}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    cli.fails("import", str(tmp_path / "m.json"))


def test_xml_exports_stay_readable_when_a_store_holds_forbidden_characters(cli, demo, db_path, tmp_path):
    import networkx as nx
    tamper(db_path, "UPDATE claim SET text = ? WHERE id = 'data-black-hole'", "bad \x01\x0b\ufffe text")
    graphml = tmp_path / "m.graphml"
    graphml.write_text(cli("export", "--format", "graphml").stdout)
    g = nx.read_graphml(graphml)
    assert g.nodes["data-black-hole"]["text"] == "bad  text"
    ET.fromstring(cli("export", "--format", "svg").stdout)
    assert "\x01" not in cli("export", "--format", "dot").stdout
