"""Graphviz DOT, and SVG and PNG drawn from it by Debian's ``dot``."""

import subprocess
import textwrap
from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.errors import ArgmapError
from argmap.graph.formats.shared import EDGE_COLOURS, KIND_COLOURS, xml_safe

def dot_quote(text: str) -> str:
    text = xml_safe(text)  # dot writes SVG: what XML cannot hold is dropped
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    status = status or {}
    lines = ["digraph argmap {", "  graph [rankdir=BT, fontname=\"Helvetica\", label=" + dot_quote(title) + "];",
             "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];",
             "  edge [fontname=\"Helvetica\", fontsize=9];"]
    for c in sorted(amap.claims, key=lambda c: c.id):
        st = status.get(c.id, {}).get("label")
        wrapped = "\n".join(textwrap.wrap(" ".join(c.text.split()), 40)[:6])
        label = f"{c.id}" + (f" [{st}]" if st else "") + "\n" + wrapped
        extra = ", penwidth=3" if c.kind == "thesis" else (', shape=hexagon, style="filled,dashed"'
                                                           if c.kind == "argument" else "")
        lines.append(f"  {dot_quote(c.id)} [label={dot_quote(label)}, fillcolor={dot_quote(KIND_COLOURS.get(c.kind, '#ddd'))}{extra}];")
    for r in sorted(amap.relations, key=lambda r: (r.source, r.target)):
        style = "dashed" if r.type == "attacks" else "solid"
        lines.append(f"  {dot_quote(r.source)} -> {dot_quote(r.target)} [label={dot_quote(r.type)}, "
                     f"color={dot_quote(EDGE_COLOURS[r.type])}, style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


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
