"""The code's shape: packages with one-way doors, one persistence boundary, no cycles.

claims <- evidence <- graph <- service <- cli and web (side by side: the CLI may start the
web app, ``argmap serve``, and nothing else of it; the web app never imports the CLI).

Read from the source with ``ast`` (imports inside functions count too), so a new module
that breaks a rule fails here, not in review.
"""

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "argmap"
ROOMS = ("claims", "evidence", "graph", "service", "cli", "web")  # each may import only the rooms before it...
BESIDE = {"web": {"cli"}}  # ...except these: rooms side by side
DOORS = {("argmap.cli.serve_cmds", "argmap.web")}  # `argmap serve` starts the web app
PERSISTENCE = re.compile(r"^(sqlite3|sqlalchemy|sqlmodel|psycopg|psycopg2)(\.|$)")


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def argmap_imports() -> dict[str, set[str]]:
    mods = modules()
    return {name: {m for m in imports(path, name) if m in mods and m != name} for name, path in mods.items()}


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def test_rooms_import_one_way():
    wrong = []
    for module, deps in argmap_imports().items():
        mine = room(module)
        if mine is None:
            continue
        allowed = set(ROOMS[: ROOMS.index(mine) + 1]) - BESIDE.get(mine, set())
        wrong += [f"{module} -> {d}" for d in deps if room(d) is not None and room(d) not in allowed
                  and not any(module == a and (d == b or d.startswith(b + ".")) for a, b in DOORS)]
    assert wrong == []


def test_only_claims_talks_to_the_database():
    wrong = []
    for module, path in modules().items():
        if room(module) == "claims":
            continue
        text = path.read_text(encoding="utf-8")
        wrong += [f"{module} imports {m}" for m in imports(path, module) if PERSISTENCE.match(m)]
        wrong += [f"{module} runs SQL" for _ in re.findall(r"\.execute\(", text)]
    assert wrong == []


def test_no_import_cycles():
    graph = nx.DiGraph()
    for module, deps in argmap_imports().items():
        graph.add_node(module)
        # a package's own __init__ is imported with any of its modules: not an edge of its own
        graph.add_edges_from((module, d) for d in deps if not module.startswith(d + "."))
    cycles = list(nx.simple_cycles(graph))
    assert cycles == []


@pytest.mark.parametrize("rule", ["claims", "evidence", "graph", "service"])
def test_lower_rooms_do_not_reach_up(rule):
    reached = {d for m, deps in argmap_imports().items() if room(m) == rule for d in deps}
    assert not {room(d) for d in reached} & set(ROOMS[ROOMS.index(rule) + 1:])


def test_the_web_app_and_the_cli_hold_no_sql_and_call_the_service():
    """Both are thin: neither reaches past the service layer into the store's own modules."""
    wrong = []
    for module, deps in argmap_imports().items():
        if room(module) in ("cli", "web"):
            wrong += [f"{module} -> {d}" for d in deps if d.startswith(("argmap.claims.store", "argmap.claims.quick",
                                                                        "argmap.claims.writes", "argmap.claims.sql"))]
    assert wrong == []
