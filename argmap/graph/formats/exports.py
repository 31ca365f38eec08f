"""Exporters: one function per format, each from a MapView to text (or bytes).

Each is checked in the tests by the format's own tool: @argdown/cli for Argdown, arguebuf
for AIF, networkx for GraphML, Graphviz's dot for DOT.
"""

import json
import re
import subprocess
import textwrap
from typing import Any, Callable

import networkx as nx

from argmap.errors import ArgmapError, InvalidInput
from argmap.graph.formats import argmap_json
from argmap.graph.formats.view import MapView

KIND_COLOURS = {"thesis": "#ffd166", "claim": "#cfe3f7", "objection": "#f8c9c4", "rebuttal": "#c9ecc5",
                "computation": "#e4d7f5"}
EDGE_COLOURS = {"supports": "#2f7d32", "attacks": "#c0392b"}


def _computations_by_claim(view: MapView) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for c in view.snap.computations:
        out.setdefault(c["claim"], []).append(c)
    return out


def _evidence_by_claim(view: MapView) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for e in view.snap.evidence:
        out.setdefault(e.claim, []).append(e)
    return out


def _result_text(c: dict[str, Any]) -> str:
    r = c.get("result") or {}
    if not r:
        return "not run"
    unit = f" {c['unit']}" if c["unit"] else ""
    value = f"{r['p50']:.3g}{unit}" if r.get("exact") else f"{r['p5']:.3g} to {r['p95']:.3g}{unit} (median {r['p50']:.3g})"
    if r.get("check"):
        value += f"; check {r['check']['outcome']}: {r['check']['detail']}"
    return value


# --- json ---------------------------------------------------------------------------------

def to_json(view: MapView) -> str:
    return argmap_json.dumps(argmap_json.snapshot_to_document(view.snap, view.source_texts))


# --- argdown ------------------------------------------------------------------------------

_ARGDOWN_SPECIAL = set("\\[]<>{}#*_+-@/:=~^|()")


def argdown_escape(text: str) -> str:
    """Backslash-escape every character Argdown could read as syntax (it allows escaping any)."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in _ARGDOWN_SPECIAL else ch for ch in flat)


def argdown_data(data: dict[str, Any]) -> str:
    """YAML flow data for Argdown: JSON, with the characters its lexer trips on written as \\u escapes."""
    raw = json.dumps(data, ensure_ascii=False)
    def fix(m: re.Match) -> str:
        return re.sub(r"[{}\[\]<>#/]", lambda c: f"\\u{ord(c.group()):04x}", m.group())
    return re.sub(r'"(?:[^"\\]|\\.)*"', fix, raw)


def to_argdown(view: MapView) -> str:
    evidence = _evidence_by_claim(view)
    comps = _computations_by_claim(view)
    front = {"title": view.title, "argmap": {"version": 1, "sources": [
        {"id": s.id, "title": s.title, "author": s.author, "url": s.url, "date": s.date} for s in view.snap.sources]}}
    lines = ["===", "title: " + json.dumps(view.title, ensure_ascii=True),
             "argmap: " + argdown_data(front["argmap"]), "===", ""]
    incoming: dict[str, list[Any]] = {}
    for r in view.snap.relations:
        incoming.setdefault(r.target, []).append(r)
    for c in sorted(view.snap.claims, key=lambda c: (c.kind != "thesis", c.id)):
        data: dict[str, Any] = {"kind": c.kind, "base_score": c.base_score}
        if c.id in view.status:
            data["grounded"] = view.status[c.id]["label"]
        if evidence.get(c.id):
            data["evidence"] = [{"source": e.source, "quote": e.quote, "locator": e.locator} for e in evidence[c.id]]
        if comps.get(c.id):
            data["computations"] = [{"id": x["id"], "formula": x["formula"], "unit": x["unit"],
                                     "result": _result_text(x)} for x in comps[c.id]]
        lines.append(f"[{c.id}]: {argdown_escape(c.text)} #{c.kind} {argdown_data(data)}")
        for r in sorted(incoming.get(c.id, []), key=lambda r: (r.type, r.source)):
            lines.append(f"  {'+' if r.type == 'supports' else '-'} [{r.source}]")
        lines.append("")
    return "\n".join(lines)


# --- AIF ------------------------------------------------------------------------------------

def to_aif(view: MapView) -> str:
    nodes, edges = [], []
    ids: dict[str, str] = {}
    stamp = "2026-01-01 00:00:00"
    for n, c in enumerate(sorted(view.snap.claims, key=lambda c: c.id), start=1):
        ids[c.id] = str(n)
        nodes.append({"nodeID": str(n), "text": c.text, "type": "I", "timestamp": stamp, "argmapId": c.id,
                      "argmapKind": c.kind})
    next_id = len(nodes) + 1
    for r in sorted(view.snap.relations, key=lambda r: (r.source, r.target)):
        scheme = {"nodeID": str(next_id), "type": "RA" if r.type == "supports" else "CA",
                  "text": "Default Inference" if r.type == "supports" else "Default Conflict",
                  "timestamp": stamp}
        nodes.append(scheme)
        edges.append({"edgeID": str(len(edges) + 1), "fromID": ids[r.source], "toID": scheme["nodeID"], "formEdgeID": None})
        edges.append({"edgeID": str(len(edges) + 1), "fromID": scheme["nodeID"], "toID": ids[r.target], "formEdgeID": None})
        next_id += 1
    return json.dumps({"nodes": nodes, "edges": edges, "locutions": []}, indent=1, ensure_ascii=False) + "\n"


# --- GraphML ----------------------------------------------------------------------------------

def export_graph(view: MapView) -> nx.DiGraph:
    """A flat-attributed graph for GraphML (Gephi and yEd want scalars)."""
    evidence = _evidence_by_claim(view)
    comps = _computations_by_claim(view)
    g = nx.DiGraph(name=view.title)
    for c in view.snap.claims:
        st = view.status.get(c.id, {})
        g.add_node(c.id, text=c.text, kind=c.kind, base_score=float(c.base_score),
                   grounded=st.get("label", ""), reason=st.get("reason", ""),
                   evidence_count=len(evidence.get(c.id, [])),
                   evidence=json.dumps([e.to_json() for e in evidence.get(c.id, [])], ensure_ascii=False),
                   computations=json.dumps(comps.get(c.id, []), ensure_ascii=False),
                   colour=KIND_COLOURS.get(c.kind, "#dddddd"))
    for r in view.snap.relations:
        g.add_edge(r.source, r.target, type=r.type, colour=EDGE_COLOURS[r.type])
    return g


def to_graphml(view: MapView) -> str:
    return "\n".join(nx.generate_graphml(export_graph(view), prettyprint=True)) + "\n"


# --- DOT / SVG / PNG ------------------------------------------------------------------------------

def dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(view: MapView) -> str:
    lines = ["digraph argmap {", "  graph [rankdir=BT, fontname=\"Helvetica\", label=" + dot_quote(view.title) + "];",
             "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];",
             "  edge [fontname=\"Helvetica\", fontsize=9];"]
    for c in sorted(view.snap.claims, key=lambda c: c.id):
        st = view.status.get(c.id, {}).get("label")
        wrapped = "\n".join(textwrap.wrap(" ".join(c.text.split()), 40)[:6])
        label = f"{c.id}" + (f" [{st}]" if st else "") + "\n" + wrapped
        extra = ", penwidth=3" if c.kind == "thesis" else ""
        lines.append(f"  {dot_quote(c.id)} [label={dot_quote(label)}, fillcolor={dot_quote(KIND_COLOURS.get(c.kind, '#ddd'))}{extra}];")
    for r in sorted(view.snap.relations, key=lambda r: (r.source, r.target)):
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


# --- Mermaid ---------------------------------------------------------------------------------------

def mermaid_escape(text: str) -> str:
    flat = " ".join(text.split())
    flat = flat.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return flat.replace("`", "#96;").replace("|", "#124;")


def to_mermaid(view: MapView) -> str:
    ids = {c.id: f"n{i}" for i, c in enumerate(sorted(view.snap.claims, key=lambda c: c.id), start=1)}
    lines = ["flowchart BT"]
    for c in sorted(view.snap.claims, key=lambda c: c.id):
        short = c.text if len(c.text) <= 90 else c.text[:89] + "…"
        lines.append(f'  {ids[c.id]}["{mermaid_escape(c.id)}: {mermaid_escape(short)}"]:::{c.kind}')
    for r in sorted(view.snap.relations, key=lambda r: (r.source, r.target)):
        arrow = "-->" if r.type == "supports" else "-.->"
        lines.append(f"  {ids[r.source]} {arrow}|{r.type}| {ids[r.target]}")
    for kind, colour in KIND_COLOURS.items():
        lines.append(f"  classDef {kind} fill:{colour},stroke:#555,color:#111")
    return "\n".join(lines) + "\n"


# --- Markdown ---------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(view: MapView) -> str:
    from argmap.graph.build import roots
    g = nx.DiGraph()
    g.add_nodes_from((c.id, {"kind": c.kind, "text": c.text}) for c in view.snap.claims)
    g.add_edges_from((r.source, r.target, {"type": r.type}) for r in view.snap.relations)
    evidence = _evidence_by_claim(view)
    comps = _computations_by_claim(view)
    sources = {s.id: s for s in view.snap.sources}
    counts: dict[str, int] = {}
    for c in view.snap.claims:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    out = [f"# {md_escape(view.title)}", "",
           f"{len(view.snap.claims)} claims ({', '.join(f'{n} {k}' for k, n in sorted(counts.items()))}), "
           f"{len(view.snap.relations)} relations. Labels are grounded semantics: IN stands, OUT is defeated, "
           f"UNDEC is undecided.", ""]
    shown: set[str] = set()

    def visit(node: str, depth: int, how: str) -> None:
        pad = "  " * depth
        st = view.status.get(node, {}).get("label", "")
        head = f"{pad}- {how}**{md_escape(node)}** *({g.nodes[node]['kind']}{', ' + st if st else ''})*"
        if node in shown:
            out.append(head + " (see above)")
            return
        shown.add(node)
        out.append(f"{head}: {md_escape(g.nodes[node]['text'])}")
        for e in evidence.get(node, []):
            src = sources.get(e.source)
            where = (src.title if src else e.source) + (f", {e.locator}" if e.locator else "")
            out.append(f"{pad}  - Evidence: “{md_escape(e.quote)}” ({md_escape(where)})")
        for c in comps.get(node, []):
            out.append(f"{pad}  - Computation {md_escape(c['id'])}: `{c['formula'].replace('`', '')}` = "
                       f"{md_escape(_result_text(c))}")
        kids = sorted(g.in_edges(node, data="type"), key=lambda e: (e[2] != "supports", e[0]))
        for u, _, t in kids:
            visit(u, depth + 1, "Supported by " if t == "supports" else "Attacked by ")

    for root in roots(g) + sorted(g.nodes):
        if root not in shown:
            visit(root, 0, "")
    if view.snap.sources:
        out += ["", "## Sources", ""]
        for s in view.snap.sources:
            bits = [md_escape(s.title)] + [md_escape(x) for x in (s.author, s.date) if x]
            line = f"- {md_escape(s.id)}: " + ", ".join(bits)
            if s.url and re.match(r"^https?://", s.url):
                line += f" <{s.url.replace('>', '%3E').replace(' ', '%20')}>"
            out.append(line)
    return "\n".join(out) + "\n"


EXPORTERS: dict[str, Callable[[MapView], str]] = {
    "json": to_json, "argdown": to_argdown, "aif": to_aif, "graphml": to_graphml, "dot": to_dot,
    "mermaid": to_mermaid, "markdown": to_markdown,
}
BINARY = ("svg", "png")
FORMATS = tuple(EXPORTERS) + BINARY


def export(view: MapView, fmt: str) -> bytes:
    if fmt in EXPORTERS:
        return EXPORTERS[fmt](view).encode("utf-8")
    if fmt in BINARY:
        return run_dot(to_dot(view), fmt)
    raise InvalidInput(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
