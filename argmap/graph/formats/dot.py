"""Graphviz DOT, and SVG and PNG drawn from it by Debian's ``dot``."""

import subprocess
import textwrap
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.errors import ArgmapError
from argmap.graph.formats.shared import EDGE_COLOURS, KIND_COLOURS, claims_by_group, group_events, xml_safe

def dot_quote(text: str) -> str:
    text = xml_safe(text)  # dot writes SVG: what XML cannot hold is dropped
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _head(title: str) -> list[str]:
    return ["digraph argmap {", "  graph [rankdir=BT, fontname=\"Helvetica\", label=" + dot_quote(title) + "];",
            "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=9];"]


def _node(c: Any, st: Optional[str]) -> str:
    wrapped = "\n".join(textwrap.wrap(" ".join(c.text.split()), 40)[:6])
    label = f"{c.id}" + (f" [{st}]" if st else "") + "\n" + wrapped
    extra = ", penwidth=3" if c.kind == "thesis" else (', shape=hexagon, style="filled,dashed"'
                                                       if c.kind == "argument" else "")
    return f"  {dot_quote(c.id)} [label={dot_quote(label)}, fillcolor={dot_quote(KIND_COLOURS.get(c.kind, '#ddd'))}{extra}];"


def _edge(r: Any) -> str:
    style = "dashed" if r.type == "attacks" else "solid"
    return (f"  {dot_quote(r.source)} -> {dot_quote(r.target)} [label={dot_quote(r.type)}, "
            f"color={dot_quote(EDGE_COLOURS[r.type])}, style={style}];")


def _clustered(groups: list, claims_of: Callable[[Any], Iterable[str]]) -> Iterator[str]:
    """The node lines, each group a Graphviz cluster (boxed, titled, nested as the groups
    are) around its claims' nodes; ``claims_of(group or None)`` gives a group's node lines."""
    for n, (event, g, depth) in enumerate(group_events(groups)):
        pad = "  " * depth
        if event == "open":
            yield f'{pad}subgraph "cluster_{n}" {{'
            yield f'{pad}  label={dot_quote(g.title)}; labeljust=l; style="rounded,filled"; fillcolor="#f1f3f8"; color="#8a93a8";'
        elif event == "close":
            yield pad + "}"
        else:
            yield from (pad + line for line in claims_of(g))


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    status = status or {}
    lines = _head(title)
    by_group = claims_by_group(sorted(amap.claims, key=lambda c: c.id), amap.groups)
    lines += _clustered(amap.groups, lambda g: [_node(c, status.get(c.id, {}).get("label"))
                                                for c in by_group.get(None if g is None else g.id, [])])
    lines += [_edge(r) for r in sorted(amap.relations, key=lambda r: (r.source, r.target))]
    lines.append("}")
    return "\n".join(lines) + "\n"


def stream(db: Any, out: BinaryIO, title: str = "argmap") -> None:
    """The whole store as ``write`` gives it, byte for byte, written as it is read."""
    from argmap.claims import plain_reads
    from argmap.graph.maps import grounded_labeller
    from argmap.graph.formats.shared import write_lines
    from argmap.claims.groups import groups_of
    label = grounded_labeller(db)
    groups = groups_of(db)  # ids only: a group's claims are read when its cluster is written
    grouped = {cid for g in groups for cid in g.claims}

    def claims_of(g: Any) -> Iterator[str]:
        found = (c for c in plain_reads.claims_by_id(db) if c.id not in grouped) if g is None else \
            sorted(plain_reads.claims_in(db, set(g.claims)), key=lambda c: c.id)
        return (_node(c, label(c.id)) for c in found)
    write_lines(out, _head(title))
    write_lines(out, _clustered(groups, claims_of))
    write_lines(out, map(_edge, plain_reads.relations_by_ends(db)))
    write_lines(out, ["}"])


def run_dot(dot_text: str, fmt: str) -> bytes:
    try:
        done = subprocess.run(["dot", f"-T{fmt}"], input=dot_text.encode(), capture_output=True, timeout=300)
    except FileNotFoundError:
        raise ArgmapError("Graphviz's `dot` is not installed (Debian: apt-get install graphviz); "
                          "export --format dot works without it") from None
    except subprocess.TimeoutExpired:
        raise ArgmapError("Graphviz's `dot` took more than 5 minutes; export a --focus view instead") from None
    if done.returncode != 0:
        raise ArgmapError(f"Graphviz's `dot` failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return done.stdout




def write_svg(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> bytes:
    return run_dot(write(amap, title, status), "svg")


def write_png(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> bytes:
    return run_dot(write(amap, title, status), "png")
