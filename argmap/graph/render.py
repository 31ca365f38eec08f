"""The HTML argument map: pyvis's vis-network, inlined, under our own template.

Why our own template: pyvis 0.3.2 links Bootstrap from a CDN even in ``in_line`` mode and
switches tooltips to innerHTML when a title contains "href". Here every user string
travels as JSON inside a ``<script type="application/json">`` block (with ``<``, ``>``
and ``&`` escaped) and is put on the page with ``textContent`` only; tooltips are plain
strings, which vis-network shows as text. No URL is ever loaded.
"""

import copy
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import networkx as nx

from argmap.graph.layout import tree_layout

KIND_STYLE = {
    "thesis": {"color": {"background": "#ffd166", "border": "#b8860b"}, "shape": "box", "size": 30,
               "font": {"size": 17}, "borderWidth": 3, "margin": 12},
    "claim": {"color": {"background": "#cfe3f7", "border": "#3b6ea5"}, "shape": "box",
              "font": {"size": 14}, "borderWidth": 1, "margin": 8},
    "objection": {"color": {"background": "#f8c9c4", "border": "#b23a2b"}, "shape": "box",
                  "font": {"size": 14}, "borderWidth": 1, "margin": 8},
    "rebuttal": {"color": {"background": "#c9ecc5", "border": "#2f7d32"}, "shape": "box",
                 "font": {"size": 14}, "borderWidth": 1, "margin": 8},
    "computation": {"color": {"background": "#e4d7f5", "border": "#6a3d9a"}, "shape": "ellipse",
                    "font": {"size": 12}, "borderWidth": 2, "margin": 6},
    "argument": {"color": {"background": "#f2f2f2", "border": "#555555"}, "shape": "box",  # an inference
                 "shapeProperties": {"borderDashes": [5, 3], "borderRadius": 14},
                 "font": {"size": 13, "ital": True}, "borderWidth": 2, "margin": 8},
}
EDGE_STYLE = {  # a selected or hovered edge keeps its colour (only wider)
    "supports": {"color": {"color": "#2f7d32", "highlight": "#2f7d32", "hover": "#2f7d32"}, "dashes": False,
                 "width": 2, "selectionWidth": 2},
    "attacks": {"color": {"color": "#c0392b", "highlight": "#c0392b", "hover": "#c0392b"}, "dashes": [8, 5],
                "width": 2, "selectionWidth": 2},
}
STATUS_BADGE = {"IN": "✔ IN", "OUT": "✘ OUT", "UNDEC": "? UNDEC"}
LEGEND_KINDS = ("thesis", "claim", "objection", "rebuttal", "argument", "computation")
LABEL_CHARS = 56
LARGE_MAP = 300  # beyond this many nodes: straight edges, no hover, edges hidden while moving
BIG_MAP_NOTE = 2_000  # beyond this many: the page says how to focus


def _asset(name: str) -> str:
    """A vis-network file from the pyvis package (the copy pyvis ships, inlined here)."""
    import pyvis
    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (base / name).read_text(encoding="utf-8")


def _label(node: str, attrs: dict[str, Any]) -> str:
    text = attrs.get("text", "")
    short = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
    return f"{node}\n{short}"


def _flagged(attrs: dict[str, Any]) -> bool:
    return any(c.get("check") == "fails" for c in attrs.get("computations", []) if attrs.get("kind") != "computation")


def _with_sources(comp: dict[str, Any], evidence_by_id: dict[int, dict]) -> dict[str, Any]:
    """A computation whose inputs carry the quote and source they come from."""
    inputs = []
    for inp in comp.get("inputs", []):
        ev = evidence_by_id.get(inp.get("evidence"))
        inputs.append({**inp, "source": None if ev is None else {
            "title": ev.get("source_title") or ev["source"], "url": ev.get("source_url"),
            "locator": ev.get("locator"), "quote": ev["quote"]}})
    return {**comp, "inputs": inputs}


def map_data(g: nx.DiGraph, title: str, status: Optional[dict[str, dict]] = None) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (tested directly, without a browser)."""
    from pyvis.network import Network

    status = status or {}
    pos = tree_layout(g)
    net = Network(directed=True, height="100%", width="100%", cdn_resources="remote")
    claims: dict[str, Any] = {}
    evidence_by_id = {e["id"]: e for _, ev in g.nodes(data="evidence") for e in (ev or [])}
    for node, attrs in g.nodes(data=True):
        kind = attrs.get("kind", "claim")
        style = KIND_STYLE.get(kind, KIND_STYLE["claim"])
        x, y = pos[node]
        label = _label(node, attrs)
        flagged = _flagged(attrs)
        info = status.get(node, {})
        if flagged:
            label = "⚠ " + label
        node_dict = {
            "id": node, "label": label, "title": f"{node} ({kind})\n{attrs.get('text', '')}",
            "x": x, "y": y, "kind": kind, "flagged": flagged, **copy.deepcopy(style),
            "widthConstraint": {"maximum": 230 if kind == "thesis" else 200},
        }
        if info.get("label"):
            node_dict["status"] = info["label"]
            node_dict["label"] = f"{STATUS_BADGE[info['label']]} {label}"
            if info["label"] == "OUT":
                node_dict["opacity"] = 0.55
            elif info["label"] == "UNDEC":
                node_dict["shapeProperties"] = {"borderDashes": [4, 4]}
        if flagged:
            node_dict["borderWidth"] = 4
            node_dict["color"] = {"background": style["color"]["background"], "border": "#6a3d9a"}
            node_dict["shapeProperties"] = {"borderDashes": [6, 3]}
        net.nodes.append(node_dict)
        claims[node] = {
            "id": node, "text": attrs.get("text", ""), "kind": kind,
            "base_score": attrs.get("base_score", 0.5),
            "evidence": attrs.get("evidence", []),
            "computations": [_with_sources(c, evidence_by_id) for c in attrs.get("computations", [])],
            "supporters": sorted(u for u, _, t in g.in_edges(node, data="type") if t == "supports"),
            "attackers": sorted(u for u, _, t in g.in_edges(node, data="type") if t == "attacks"),
            "supports": sorted(v for _, v, t in g.out_edges(node, data="type") if t == "supports"),
            "attacks": sorted(v for _, v, t in g.out_edges(node, data="type") if t == "attacks"),
            "flagged": flagged,
            **({"status": info} if info else {}),
        }
    for u, v, t in sorted(g.edges(data="type")):
        net.edges.append({"id": f"{u}->{v}", "from": u, "to": v, "type": t, "arrows": "to",
                          "title": f"{u} {t} {v}", **EDGE_STYLE.get(t, EDGE_STYLE["supports"])})
    counts: dict[str, int] = {}
    for _, kind in g.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    big = g.number_of_nodes() > LARGE_MAP
    net.options = {
        "physics": {"enabled": False},  # positions are computed here, so the page is ready at once
        "interaction": {"hover": not big, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True,
                        "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "edges": {"smooth": False} if big else {"smooth": {"enabled": True, "type": "cubicBezier",
                                                           "forceDirection": "horizontal", "roundness": 0.4}},
        "nodes": {"font": {"multi": False}},
        "layout": {"randomSeed": 7},
    }
    return {
        "title": title,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "claims": claims,
        "counts": counts,
        "legend": {"kinds": {k: KIND_STYLE[k]["color"] for k in LEGEND_KINDS},
                   "edges": {t: s["color"]["color"] for t, s in EDGE_STYLE.items()}},
    }


def render_html(g: nx.DiGraph, title: str = "argmap", status: Optional[dict[str, dict]] = None) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(resources.files("argmap.graph").joinpath("templates/map.html").read_text("utf-8"))
    data = map_data(g, title, status)
    status_counts: dict[str, int] = {}
    for info in (status or {}).values():
        if info.get("label"):
            status_counts[info["label"]] = status_counts.get(info["label"], 0) + 1
    return template.render(title=title, data=data, counts=data["counts"], total=g.number_of_nodes(),
                           status_counts=status_counts, big_map=g.number_of_nodes() > BIG_MAP_NOTE,
                           not_converged=any(i.get("strength_converged") is False for i in (status or {}).values()),
                           vis_js=_asset("vis-network.min.js"), vis_css=_asset("vis-network.css"))
