"""Mermaid: a ``flowchart BT`` that GitHub renders, every text escaped for Mermaid."""

from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.shared import KIND_COLOURS, claims_by_group, group_events

def mermaid_escape(text: str) -> str:
    flat = " ".join(text.split())
    flat = flat.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    # % would open a %%{init}%% directive or a comment, & an HTML entity
    for ch in "`|%&":
        flat = flat.replace(ch, f"#{ord(ch)};")
    return flat


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    ids = {c.id: f"n{i}" for i, c in enumerate(sorted(amap.claims, key=lambda c: c.id), start=1)}
    lines = ["flowchart BT"]
    by_group = claims_by_group(sorted(amap.claims, key=lambda c: c.id), amap.groups)
    for n, (event, g, depth) in enumerate(group_events(amap.groups)):
        pad = "  " * (depth + 1)
        if event == "open":  # a group: a subgraph named by its place, titled by its title
            lines.append(f'{"  " * depth}subgraph g{n} ["{mermaid_escape(g.title)}"]')
        elif event == "close":
            lines.append(f'{"  " * depth}end')
        else:
            for c in by_group.get(None if g is None else g.id, []):
                short = c.text if len(c.text) <= 90 else c.text[:89] + "…"
                lines.append(f'{pad if g else "  "}{ids[c.id]}["{mermaid_escape(c.id)}: {mermaid_escape(short)}"]:::{c.kind}')
    for r in sorted(amap.relations, key=lambda r: (r.source, r.target)):
        arrow = "-->" if r.type == "supports" else "-.->"
        lines.append(f"  {ids[r.source]} {arrow}|{r.type}| {ids[r.target]}")
    for kind, colour in KIND_COLOURS.items():
        lines.append(f"  classDef {kind} fill:{colour},stroke:#555,color:#111")
    return "\n".join(lines) + "\n"
