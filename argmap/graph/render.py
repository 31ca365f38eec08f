"""The HTML argument map: pyvis's vis-network and elkjs, inlined, under our own template.

Why our own template: pyvis 0.3.2 links Bootstrap from a CDN even in ``in_line`` mode and
switches tooltips to innerHTML when a title contains "href". Here every user string
travels as JSON inside a ``<script type="application/json">`` block (with ``<``, ``>``
and ``&`` escaped) and is put on the page with ``textContent`` only; tooltips are plain
strings, which vis-network shows as text. No URL is ever loaded.

The picture is laid out in the page (``templates/layout.js``): ELK's layered layout with
the box sizes vis-network measured, arrows routed around the boxes. Maps beyond
``LARGE_MAP`` claims start from the tree computed here (``layout.tree_layout``) and are
redrawn in ELK's layout when the page's worker has made it (given up after ``ELK_BUDGET_MS``).
"""

import copy
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import networkx as nx

from argmap.graph.layout import tree_layout

KIND_STYLE = {  # no label font below 14 px: the page's readability rule counts on it (layout.js FONT_PX)
    "thesis": {"color": {"background": "#ffd166", "border": "#b8860b"}, "shape": "box", "size": 30,
               "font": {"size": 16}, "borderWidth": 3, "margin": 10},
    "claim": {"color": {"background": "#cfe3f7", "border": "#3b6ea5"}, "shape": "box",
              "font": {"size": 14}, "borderWidth": 1, "margin": 6},
    "objection": {"color": {"background": "#f8c9c4", "border": "#b23a2b"}, "shape": "box",
                  "font": {"size": 14}, "borderWidth": 1, "margin": 6},
    "rebuttal": {"color": {"background": "#c9ecc5", "border": "#2f7d32"}, "shape": "box",
                 "font": {"size": 14}, "borderWidth": 1, "margin": 6},
    "computation": {"color": {"background": "#e4d7f5", "border": "#6a3d9a"}, "shape": "box",
                    "shapeProperties": {"borderRadius": 18}, "font": {"size": 14}, "borderWidth": 2, "margin": 8},
    "argument": {"color": {"background": "#f2f2f2", "border": "#555555"}, "shape": "box",  # an inference
                 "shapeProperties": {"borderDashes": [5, 3], "borderRadius": 14},
                 "font": {"size": 14, "ital": True}, "borderWidth": 2, "margin": 8},
}
EDGE_STYLE = {  # drawn by the page itself; a selected or hovered arrow keeps its colour (only wider)
    "supports": {"color": "#2f7d32", "dashes": []},
    "attacks": {"color": "#c0392b", "dashes": [8, 5]},
}
DISAGREE_BADGE = "⇄"  # people disagree on this claim (the spread of their credences >= judged_page.DISAGREE_MARK)
STATUS_BADGE = {"IN": "✔ IN", "OUT": "✘ OUT", "UNDEC": "? UNDEC"}
LEGEND_KINDS = ("thesis", "claim", "objection", "rebuttal", "argument", "computation")
FONT_FACE = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans Condensed', sans-serif"  # Arial's metrics first: narrow, legible
LABEL_CHARS = 200  # the whole claim as a person writes one; longer texts end in "…" (details have all)
SHORT_LABEL_CHARS = 56  # beyond LARGE_MAP: short labels keep 5,000 boxes cheap to draw
LARGE_MAP = 300  # beyond this many nodes: the page opens walking, from the Python tree layout, short labels
ELK_BUDGET_MS = 90_000  # a big view's ELK layout, in the page's worker, given up after this: the tree stays
BIG_MAP_NOTE = 2_000  # beyond this many: the page says how to focus


def _asset(name: str) -> str:
    """A vis-network file from the pyvis package (the copy pyvis ships, inlined here); found
    without importing pyvis, which would import networkx, jinja2 and IPython's display."""
    from importlib.util import find_spec
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed (pip install pyvis): argmap inlines its copy of vis-network")
    base = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / "vis-9.1.2"
    return (base / name).read_text(encoding="utf-8")


def _template(name: str) -> str:
    return resources.files("argmap.graph").joinpath("templates", name).read_text("utf-8")


def _label(node: str, attrs: dict[str, Any], chars: int) -> str:
    text = " ".join(attrs.get("text", "").split())
    short = text if len(text) <= chars else text[: chars - 1].rstrip() + "…"
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


def map_data(g: nx.DiGraph, title: str, status: Optional[dict[str, dict]] = None,
             judged: Optional[dict[str, Any]] = None, asked: Optional[dict[str, dict]] = None) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (tested directly, without a browser);
    ``judged`` is people's judgements as ``judged_page.page_view`` gives them, ``asked`` the
    critical questions of each argument that follows a scheme (``questions.questions``)."""
    status = status or {}
    asked = asked or {}
    spreads = (judged or {}).get("spread", {})
    by_claim = (judged or {}).get("by_claim", {})
    big = g.number_of_nodes() > LARGE_MAP
    pos = tree_layout(g)  # the first positions; the page lays out maps up to LARGE_MAP afresh
    nodes: list[dict[str, Any]] = []
    claims: dict[str, Any] = {}
    evidence_by_id = {e["id"]: e for _, ev in g.nodes(data="evidence") for e in (ev or [])}
    for node, attrs in g.nodes(data=True):
        kind = attrs.get("kind", "claim")
        style = KIND_STYLE.get(kind, KIND_STYLE["claim"])
        x, y = pos[node]
        label = _label(node, attrs, SHORT_LABEL_CHARS if big else LABEL_CHARS)
        flagged = _flagged(attrs)
        info = status.get(node, {})
        if flagged:
            label = "⚠ " + label
        disagreement = spreads.get(node)
        if disagreement is not None and disagreement >= judged["mark_from"]:
            label = DISAGREE_BADGE + " " + label
        width = 200 if big else 220
        node_dict = {
            "id": node, "label": label, "title": f"{node} ({kind})\n{attrs.get('text', '')}",
            "x": x, "y": y, "kind": kind, "flagged": flagged, **copy.deepcopy(style),
            "widthConstraint": {"minimum": width, "maximum": width},
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
        if disagreement is not None:
            node_dict["disagreement"] = disagreement
            if disagreement >= judged["mark_from"]:  # a glow as strong as the disagreement
                node_dict["shadow"] = {"enabled": True, "color": f"rgba(211,84,0,{0.35 + 0.6 * disagreement:.2f})",
                                       "size": round(8 + 22 * disagreement), "x": 0, "y": 0}
        nodes.append(node_dict)
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
            **({"judgements": by_claim[node]} if node in by_claim else {}),
            **({"questions": asked[node]} if node in asked else {}),
        }
    edges = [{"id": f"{u}->{v}", "from": u, "to": v, "type": t, "title": f"{u} {t} {v}"}
             for u, v, t in sorted(g.edges(data="type"))]
    counts: dict[str, int] = {}
    for _, kind in g.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    options = {
        "physics": {"enabled": False},  # positions come from the layout, so the page is still
        "interaction": {"hover": not big, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True},
        "nodes": {"font": {"multi": False, "face": FONT_FACE}, "chosen": {"node": True, "label": False}},  # bold would rewrap
        "layout": {"randomSeed": 7},
    }
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "groups": _groups(g),
        "edgeStyle": EDGE_STYLE,
        "options": options,
        "walkFirst": big,  # too many claims to read at once: the page opens walking the debate
        "layeredUpTo": LARGE_MAP,  # on the page's own thread (no worker)
        "elkBudgetMs": ELK_BUDGET_MS,
        "claims": claims,
        "counts": counts,
        "judgements": judged,
        "legend": {"kinds": {k: KIND_STYLE[k]["color"] for k in LEGEND_KINDS},
                   "edges": {t: s["color"] for t, s in EDGE_STYLE.items()}},
    }


def _groups(g: nx.DiGraph) -> list[dict[str, Any]]:
    """The map's groups that hold one of the shown claims (with only those), and the groups
    around them, outer ones first: the page draws each as a box around its claims."""
    from argmap.claims.argument_map import part_groups
    from argmap.claims.records import GroupRecord
    found = [GroupRecord(x["id"], x["title"], x.get("parent"), x.get("claims", [])) for x in g.graph.get("groups", [])]
    kept = part_groups(found, set(g.nodes))
    depth: dict[str, int] = {}
    parent = {x.id: x.parent for x in kept}

    def depth_of(gid: str) -> int:
        if gid not in depth:
            up = parent.get(gid)
            depth[gid] = 0 if up is None or up not in parent else depth_of(up) + 1
        return depth[gid]
    return [{"id": x.id, "title": x.title, "parent": x.parent, "claims": x.claims, "depth": depth_of(x.id)}
            for x in sorted(kept, key=lambda x: depth_of(x.id))]


def render_html(g: nx.DiGraph, title: str = "argmap", status: Optional[dict[str, dict]] = None,
                judged: Optional[dict[str, Any]] = None, asked: Optional[dict[str, dict]] = None) -> str:
    """The self-contained HTML map of ``g``: no URL is ever loaded, and it works offline."""
    return page_html(map_data(g, title, status, judged, asked), title)


STATIC_CSP = "default-src 'none'; script-src 'unsafe-inline'; worker-src blob:; style-src 'unsafe-inline'; img-src data:; font-src data:"


def page_html(data: dict[str, Any], title: str, live: Optional[dict[str, Any]] = None, nonce: Optional[str] = None) -> str:
    """The page for ``map_data``'s ``data``; with ``live`` (what a served page needs to edit the
    map and hear of changes: its revision, CSRF token, the person and their role), the
    editable page of ``argmap serve``, whose scripts run by ``nonce`` under the server's CSP."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(_template("map.html"))
    status_counts: dict[str, int] = {}
    for node in data["nodes"]:
        if node.get("status"):
            status_counts[node["status"]] = status_counts.get(node["status"], 0) + 1
    not_converged = any((c.get("status") or {}).get("strength_converged") is False for c in data["claims"].values())
    total = len(data["nodes"])
    return template.render(title=title, data=data, counts=data["counts"], total=total,
                           status_counts=status_counts, big_map=total > BIG_MAP_NOTE, not_converged=not_converged,
                           csp=None if live else STATIC_CSP, live=live, nonce=nonce,
                           vis_js=_asset("vis-network.min.js"), vis_css=_asset("vis-network.css"),
                           elk_js=_template("elk.bundled.js"), layout_js=_template("layout.js"), walk_js=_template("walk.js"),
                           live_js=_template("live.js") if live else "")
