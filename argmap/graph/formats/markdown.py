"""Markdown: the argument as a nested outline from the thesis down, with evidence,
computations and sources, every text escaped for Markdown."""

import re
from urllib.parse import quote
from typing import Any, Optional

import networkx as nx

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.shared import computations_by_claim, evidence_by_claim, result_text
from argmap.graph.traverse import roots

URL_SAFE = ":/?#@!$'*+,;=%~-._"  # kept as they are; anything else (<, >, spaces, controls) %-encoded
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    status = status or {}
    g = nx.DiGraph()
    g.add_nodes_from((c.id, {"kind": c.kind, "text": c.text}) for c in amap.claims)
    g.add_edges_from((r.source, r.target, {"type": r.type}) for r in amap.relations)
    evidence = evidence_by_claim(amap)
    comps = computations_by_claim(amap)
    sources = {s.id: s for s in amap.sources}
    counts: dict[str, int] = {}
    for c in amap.claims:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    out = [f"# {md_escape(title)}", "",
           f"{len(amap.claims)} claims ({', '.join(f'{n} {k}' for k, n in sorted(counts.items()))}), "
           f"{len(amap.relations)} relations. Labels are grounded semantics: IN stands, OUT is defeated, "
           f"UNDEC is undecided.", ""]
    shown: set[str] = set()

    def visit(node: str, depth: int, how: str) -> None:
        pad = "  " * depth
        st = status.get(node, {}).get("label", "")
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
            out.append(f"{pad}  - Computation {md_escape(c.id)}: `{c.formula.replace('`', '')}` = "
                       f"{md_escape(result_text(c))}")
        kids = sorted(g.in_edges(node, data="type"), key=lambda e: (e[2] != "supports", e[0]))
        for u, _, t in kids:
            visit(u, depth + 1, "Supported by " if t == "supports" else "Attacked by ")

    for root in roots(g) + sorted(g.nodes):
        if root not in shown:
            visit(root, 0, "")
    if amap.sources:
        out += ["", "## Sources", ""]
        for s in amap.sources:
            bits = [md_escape(s.title)] + [md_escape(x) for x in (s.author, s.date) if x]
            line = f"- {md_escape(s.id)}: " + ", ".join(bits)
            if s.url and re.match(r"^https?://", s.url):
                line += f" <{quote(s.url, safe=URL_SAFE)}>"
            out.append(line)
    return "\n".join(out) + "\n"
