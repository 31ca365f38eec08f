"""Groups: named, nested parts of a map (Argdown's headings). Made and changed from the CLI
and the Python API with the store's rules (one group per claim, no group inside itself),
kept in the history (undo), carried by argmap JSON and Argdown both ways, read as the
Argdown project's own tool groups a file."""

import json
import sqlite3

import pytest

import argmap
from argmap.errors import Forbidden, InvalidInput
from argmap.graph.formats.argdown_json import from_model
from test_formats import argdown_json


def groups_now(cli):
    return json.loads(cli("group", "list", "--json").stdout)


@pytest.fixture
def small(cli):
    cli("add", "The thesis.", "--kind", "thesis", "--id", "t")
    for cid in ("a", "b", "c"):
        cli("support", "t", f"Claim {cid}.", "--id", cid)
    cli("object", "a", "An objection.", "--id", "o")
    return cli


def test_groups_are_made_nested_moved_and_removed_and_each_step_undoes(small):
    cli = small
    cli("group", "add", "Costs", "--claim", "a", "--claim", "o")
    cli("group", "add", "Hidden costs", "--id", "hidden", "--parent", "costs")
    cli("group", "put", "hidden", "o", "b")
    assert groups_now(cli) == [{"id": "costs", "title": "Costs", "parent": None, "claims": ["a"]},
                               {"id": "hidden", "title": "Hidden costs", "parent": "costs", "claims": ["b", "o"]}]
    assert cli("group", "list").stdout.splitlines() == ["costs: Costs [1 claims]",
                                                        "  hidden (in costs): Hidden costs [2 claims]"]
    before = groups_now(cli)
    cli("group", "edit", "hidden", "--top", "--title", "Other costs")
    assert groups_now(cli)[1] == {"id": "hidden", "title": "Other costs", "parent": None, "claims": ["b", "o"]}
    cli("undo")
    assert groups_now(cli) == before
    cli("group", "remove", "costs")  # its claim and the group inside it move up (here: to the top)
    assert groups_now(cli) == [{"id": "hidden", "title": "Hidden costs", "parent": None, "claims": ["b", "o"]}]
    assert [c["id"] for c in json.loads(cli("list", "--json").stdout)] == ["t", "a", "b", "c", "o"]
    cli("undo")
    assert groups_now(cli) == before
    cli("group", "put", "-", "o")
    assert groups_now(cli)[1]["claims"] == ["b"]
    cli("undo")
    cli("remove", "o")  # a removed claim leaves its group; undo puts it back in
    assert groups_now(cli)[1]["claims"] == ["b"]
    cli("undo")
    assert groups_now(cli) == before
    log = cli("log").stdout
    assert "group add Costs" in log and "group put hidden o b" in log and "group remove costs" in log


@pytest.mark.parametrize("args, message", [
    (("group", "add", "X", "--parent", "nowhere"), "no group with id 'nowhere'"),
    (("group", "add", "X", "--id", "costs"), "a group with id 'costs' already exists"),
    (("group", "add", "X", "--id", "bad id!"), "invalid group id"),
    (("group", "add", "  "), "group title"),
    (("group", "add", "X", "--claim", "nope"), "no claim with id 'nope'"),
    (("group", "put", "nowhere", "a"), "no group with id 'nowhere'"),
    (("group", "put", "costs", "a", "nope"), "no claim with id 'nope'"),
    (("group", "edit", "costs", "--parent", "inner"), "would be inside itself"),
    (("group", "edit", "costs", "--parent", "costs"), "would be inside itself"),
    (("group", "edit", "costs"), "nothing to change"),
    (("group", "remove", "nowhere"), "no group with id 'nowhere'"),
])
def test_refusals_are_one_line_and_change_nothing(small, args, message):
    cli = small
    cli("group", "add", "Costs", "--claim", "a")
    cli("group", "add", "Inner", "--parent", "costs", "--claim", "b")
    before, log = groups_now(cli), cli("log").stdout
    assert message in cli.fails(*args)
    assert groups_now(cli) == before and cli("log").stdout == log


def test_groups_nest_only_so_deep(small):
    m = argmap.open()
    parent = None
    for k in range(20):
        parent = m.add_group(f"Level {k}", parent=parent).id
    with pytest.raises(InvalidInput, match="at most 20 deep"):
        m.add_group("One too deep", parent=parent)
    assert len(m.groups()) == 20


def test_a_viewer_may_read_groups_but_not_change_them(small, location):
    from argmap.service.actors import Actor
    small("group", "add", "Costs", "--claim", "a")
    viewer = argmap.open(location, actor=Actor(name="vera", role="viewer", via="web"))
    assert [g.id for g in viewer.groups()] == ["costs"]
    with pytest.raises(Forbidden):
        viewer.add_group("Mine")
    with pytest.raises(Forbidden):
        viewer.put_in_group("costs", ["b"])


def test_json_carries_groups_export_import_export_same_bytes_and_undo_takes_them(small, tmp_path):
    cli = small
    cli("group", "add", "Costs", "--claim", "a")
    cli("group", "add", "Inner", "--parent", "costs", "--claim", "o", "--claim", "b")
    cli("group", "add", "Alone", "--id", "alone", "--claim", "c")
    cli("export", "--format", "json", "--out", str(tmp_path / "a.json"))
    data = json.loads((tmp_path / "a.json").read_text())
    assert data["groups"] == groups_now(cli)
    other = str(tmp_path / "b.db")
    assert "3 groups" in cli("--db", other, "import", str(tmp_path / "a.json")).stdout
    cli("--db", other, "export", "--format", "json", "--out", str(tmp_path / "b.json"))
    assert (tmp_path / "b.json").read_bytes() == (tmp_path / "a.json").read_bytes()
    cli("--db", other, "import", str(tmp_path / "a.json"), "--prefix", "x-")  # the groups' ids get it too
    assert [g["id"] for g in json.loads(cli("--db", other, "group", "list", "--json").stdout)] == \
        ["costs", "inner", "alone", "x-costs", "x-inner", "x-alone"]
    cli("--db", other, "undo")  # the second import, its groups with it
    assert [g["id"] for g in json.loads(cli("--db", other, "group", "list", "--json").stdout)] == \
        ["costs", "inner", "alone"]


def hostile(tmp_path, groups):
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"format": "argmap", "version": 1,
                                "claims": [{"id": "a", "text": "A."}, {"id": "b", "text": "B."}], "groups": groups}))
    return str(path)


@pytest.mark.parametrize("groups, message", [
    ([{"id": "g", "title": "G", "parent": "h"}, {"id": "h", "title": "H", "parent": "g"}], "inside itself"),
    ([{"id": "g", "title": "G", "parent": "g"}], "inside itself"),
    ([{"id": "g", "title": "G", "parent": "nowhere"}], "a parent group in the file"),
    ([{"id": "g", "title": "G", "claims": ["a"]}, {"id": "h", "title": "H", "claims": ["a"]}], "one group at most"),
    ([{"id": "g", "title": "G", "claims": ["zz"]}], "no claim 'zz'"),
    ([{"id": "g", "title": "G"}, {"id": "g", "title": "G again"}], "a group id not used already"),
    ([{"id": "g g", "title": "G"}], "invalid group id"),
    ([{"id": "g", "title": ""}], '"title"'),
    ([{"id": "g", "title": "G", "claims": "a"}], "a list of claim ids"),
    ([{"id": "g", "title": "G", "parent": 3}], "a group id"),
    ([{"id": f"g{k}", "title": "G", "parent": f"g{k - 1}" if k else None} for k in range(25)], "at most 20 deep"),
])
def test_a_bad_groups_section_is_refused_and_nothing_is_written(cli, tmp_path, groups, message):
    cli("add", "Already here.", "--id", "z")
    error = cli.fails("import", hostile(tmp_path, groups))
    assert message in error and "h.json" in error
    assert [c["id"] for c in json.loads(cli("list", "--json").stdout)] == ["z"] and groups_now(cli) == []


@pytest.mark.sqlite_only
def test_a_schema_10_store_is_upgraded_with_groups(tmp_path, cli, db_path):
    cli("add", "A claim.", "--id", "a")
    con = sqlite3.connect(db_path)
    con.executescript("DROP TABLE group_member; DROP TABLE claim_group; "
                      "UPDATE meta SET value = '10' WHERE key = 'schema_version';")
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'log_%group%'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    con.commit()
    con.close()
    cli("group", "add", "After the upgrade", "--claim", "a")
    assert groups_now(cli)[0]["claims"] == ["a"]
    assert "group add" in cli("log").stdout
    assert (tmp_path / "argmap.db.schema10.bak").exists()
    assert "ok" in cli("check").stdout.lower()


# --- Argdown ------------------------------------------------------------------------------------

ARGDOWN = """# Costs

[Price]: The price is too high.
  - [Subsidy]: A subsidy halves it.

## Hidden costs

[Upkeep]: Upkeep doubles the cost.
  + <Wear>

# Benefits

<Wear>: Parts wear out within a year.

[Price]
"""


def test_argdown_headings_become_groups_as_the_argdown_tool_groups_them(cli, tmp_path):
    path = tmp_path / "m.argdown"
    path.write_text(ARGDOWN)
    theirs = from_model(argdown_json(path), "m").groups
    cli("import", str(path))
    assert groups_now(cli) == theirs == [
        {"id": "Costs", "title": "Costs", "parent": None, "claims": ["Price", "Subsidy"]},
        {"id": "hidden-costs", "title": "Hidden costs", "parent": "Costs", "claims": ["Upkeep"]},
        {"id": "Benefits", "title": "Benefits", "parent": None, "claims": ["Wear"]}]


def test_argdown_export_writes_groups_as_headings_that_read_back_as_they_were(small, tmp_path):
    cli = small
    cli("group", "add", "Costs [and] #risks", "--id", "costs", "--claim", "a", "--claim", "o")
    cli("group", "add", "Inner", "--parent", "costs", "--claim", "b")
    cli("group", "add", "Deeper", "--parent", "inner", "--claim", "c")
    path = tmp_path / "m.argdown"
    cli("export", "--format", "argdown", "--out", str(path))
    text = path.read_text()
    assert "\n# Costs \\[and\\] \\#risks\n" in text and "\n## Inner\n" in text and "\n### Deeper\n" in text
    assert text.index("[t]:") < text.index("# Costs")  # the claim in no group comes before any heading
    theirs = from_model(argdown_json(path), "m").groups
    cli("--db", str(tmp_path / "r.db"), "import", str(path))
    back = json.loads(cli("--db", str(tmp_path / "r.db"), "group", "list", "--json").stdout)
    shape = [(g["title"], g["claims"]) for g in groups_now(cli)]
    assert [(g["title"], g["claims"]) for g in back] == [(g["title"], g["claims"]) for g in theirs] == shape
    assert [bool(g["parent"]) for g in back] == [False, True, True]


# --- DOT and Mermaid ------------------------------------------------------------------------------

def mermaid_parses(path) -> str:
    """Mermaid's own parser on the file ("ok", or its error): installed by .ci/run beside @argdown/cli."""
    import os
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    tools = root / ".ci" / "tools"
    if not (tools / "node_modules" / "mermaid").is_dir() or not (tools / "node_modules" / "jsdom").is_dir():
        if os.environ.get("ARGMAP_REQUIRE_TOOLS"):
            pytest.fail("ARGMAP_REQUIRE_TOOLS is set but mermaid and jsdom are not in .ci/tools (bash .ci/run installs them)")
        pytest.skip("Mermaid's parser is not installed (bash .ci/run installs it)")
    done = subprocess.run(["node", str(root / "tests" / "helpers" / "mermaid_parse.mjs"), str(tools), str(path)],
                          capture_output=True, text=True, timeout=120)
    return done.stdout.strip() or done.stderr.strip()


def test_dot_draws_groups_as_nested_clusters_as_graphviz_reads_them(small):
    import subprocess

    from test_formats import need_dot
    need_dot()
    cli = small
    cli("group", "add", 'Costs "quoted" \\ {x}', "--id", "costs", "--claim", "a", "--claim", "o")
    cli("group", "add", "Inner", "--parent", "costs", "--claim", "b")
    dot = cli("export", "--format", "dot").stdout
    done = subprocess.run(["dot", "-Tjson0"], input=dot, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    objects = json.loads(done.stdout)["objects"]
    names = [o["name"] for o in objects]
    # a label's own escapes (\\ for a backslash, as in every label argmap writes) drawn as Graphviz draws them
    clusters = {o["label"].replace("\\\\", "\\"): o for o in objects if o["name"].startswith("cluster_")}
    assert set(clusters) == {'Costs "quoted" \\ {x}', "Inner"}
    outer, inner = clusters['Costs "quoted" \\ {x}'], clusters["Inner"]
    assert sorted(names[i] for i in outer["nodes"]) == ["a", "b", "o"]  # with the inner group's
    assert [names[i] for i in inner["nodes"]] == ["b"]
    assert [objects[i]["label"] for i in outer["subgraphs"]] == ["Inner"]


def test_mermaid_draws_groups_as_subgraphs_with_escaped_titles(small):
    import re
    cli = small
    cli("group", "add", '%%{init: {"theme": "dark"}}%% end ["x"] <b>', "--id", "costs", "--claim", "a")
    cli("group", "add", "Inner", "--parent", "costs", "--claim", "o")
    lines = cli("export", "--format", "mermaid").stdout.splitlines()
    opened = [x for x in lines if x.lstrip().startswith("subgraph ")]
    assert len(opened) == 2 and sum(x.strip() == "end" for x in lines) == 2
    assert all(re.fullmatch(r'\s*subgraph g\d+ \["[^"`|%&<>]*"\]', x) for x in opened), opened
    start = lines.index(opened[0])
    assert lines[start + 1].strip().startswith('n') and "a: Claim a." in lines[start + 1]
    assert lines.index(opened[1]) > start and "o: An objection." in lines[lines.index(opened[1]) + 1]


TITLES = ['%%{init: {"theme": "dark"}}%% end', 'subgraph x ["y"] end', "a | b ` c & d; <script>", "end",
          "[brackets] (parens) {braces}", "#35; #quot; already escaped", "Ünï ✔ 😀", "a\\b"]


def test_mermaids_own_parser_reads_every_grouped_export(small, tmp_path):
    cli = small
    parent = None
    for k, title in enumerate(TITLES):
        cli("group", "add", title, "--id", f"g{k}", *(["--parent", parent] if parent and k % 2 else []))
        parent = f"g{k}"
    for k, claim in enumerate(["a", "b", "c", "o"]):
        cli("group", "put", f"g{k * 2 + 1}", claim)
    cli("edit", "t", "--text", 'The thesis end %% ["x"] | ` & <b>')
    path = tmp_path / "m.mmd"
    path.write_text(cli("export", "--format", "mermaid").stdout)
    assert sum(x.lstrip().startswith("subgraph g") for x in path.read_text().splitlines()) == len(TITLES)
    assert mermaid_parses(path) == "ok"
    broken = tmp_path / "broken.mmd"  # the oracle does refuse what Mermaid cannot read
    broken.write_text(path.read_text().replace("  end\n", "", 1))
    assert mermaid_parses(broken) != "ok"


# --- Kialo ------------------------------------------------------------------------------------------

KIALO_MULTI = """Discussion Title: Which energy source should the city buy?

1. Which energy source should the city buy?
1.1. Thesis: Solar, because it is cheapest.
1.1.1. Pro: Panel prices fell by 80%.
1.1.2. Con: Winter output is low.
1.1.2.1. Con: Storage covers the gap.
1.2. Thesis:
Wind
1.2.1. Pro:
Steady in winter.
1.2.2. Con: -> See 1.1.2.
"""


def test_a_kialo_multi_thesis_discussion_keeps_each_thesis_and_its_branch_as_a_group(cli, tmp_path):
    path = tmp_path / "k.txt"
    path.write_text(KIALO_MULTI)
    assert "2 groups" in cli("import", str(path)).stdout
    assert groups_now(cli) == [
        {"id": "thesis-1-1", "title": "Solar, because it is cheapest.", "parent": None,
         "claims": ["1.1", "1.1.1", "1.1.2", "1.1.2.1"]},
        {"id": "thesis-1-2", "title": "Wind", "parent": None, "claims": ["1.2", "1.2.1"]}]
    claims = {c["id"]: c for c in json.loads(cli("list", "--json").stdout)}
    assert [claims[c]["kind"] for c in ("1", "1.1", "1.2")] == ["thesis"] * 3
    relations = {(r["source"], r["target"], r["type"]) for r in json.loads(cli("export", "--format", "json").stdout)["relations"]}
    assert ("1.1", "1", "supports") not in relations and ("1.1.2", "1.2", "attacks") in relations
    assert ("1.2.1", "1.2", "supports") in relations and claims["1.2.1"]["text"] == "Steady in winter."


def test_kialos_thesis_label_at_the_top_is_not_part_of_its_text_and_is_refused_deeper(cli, tmp_path):
    path = tmp_path / "k.txt"
    path.write_text("Discussion Title: T\n\n1. Thesis: The thesis itself.\n1.1. Pro: A reason.\n")
    cli("import", str(path))
    assert json.loads(cli("show", "1", "--json").stdout)["text"] == "The thesis itself."
    assert groups_now(cli) == []
    path.write_text("Discussion Title: T\n\n1. Q\n1.1. Pro: A reason.\n1.1.1. Thesis: Too deep.\n")
    assert "a thesis only at the top or under the question (1.1.1)" in cli.fails("import", str(path), "--prefix", "x-")


def test_a_streamed_import_keeps_groups_as_a_whole_file_import_does(small, tmp_path):
    from argmap.claims.store import Store
    from argmap.graph.formats.io import export_store, import_path
    cli = small
    cli("group", "add", "Costs", "--id", "costs", "--claim", "a")
    cli("group", "add", "Inner", "--parent", "costs", "--claim", "o", "--claim", "b")
    path = tmp_path / "m.json"
    cli("export", "--format", "json", "--out", str(path))
    data = json.loads(path.read_text())
    path.write_text(json.dumps({"groups": data.pop("groups"), **data}))  # groups first: held until the claims are in
    made = []
    for name, stream_from in (("whole.db", None), ("streamed.db", 1)):
        with Store(str(tmp_path / name)) as store:
            import_path(store, path, stream_from=stream_from)
            made.append(export_store(store, "json"))
    assert made[0] == made[1] and json.loads(made[0])["groups"] == groups_now(cli)
