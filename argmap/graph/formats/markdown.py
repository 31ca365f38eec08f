"""Markdown: the argument as a nested outline from the thesis down, with evidence,
computations and sources, every text escaped for Markdown."""

import re
from urllib.parse import quote
from typing import Any, BinaryIO, Iterator, Optional

import networkx as nx

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.shared import computations_by_claim, evidence_by_claim, result_text
from argmap.graph.traverse import roots

URL_SAFE = ":/?#@!$'*+,;=%~-._"  # kept as they are; anything else (<, >, spaces, controls) %-encoded
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _header(title: str, kinds: dict[str, int], relations: int) -> list[str]:
    return [f"# {md_escape(title)}", "",
            f"{sum(kinds.values())} claims ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
            f"{relations} relations. Labels are grounded semantics: IN stands, OUT is defeated, "
            f"UNDEC is undecided.", ""]


def _head(node: str, kind: str, label: str, depth: int, how: str) -> str:
    return f"{'  ' * depth}- {how}**{md_escape(node)}** *({kind}{', ' + label if label else ''})*"


def _body(depth: int, text: str, evidence: list, comps: list, sources: dict) -> list[str]:
    """The rest of a claim's first line, then its evidence and computations."""
    pad = "  " * depth
    out = [f": {md_escape(text)}"]
    for e in evidence:
        src = sources.get(e.source)
        where = (src.title if src else e.source) + (f", {e.locator}" if e.locator else "")
        out.append(f"{pad}  - Evidence: “{md_escape(e.quote)}” ({md_escape(where)})")
    for c in comps:
        out.append(f"{pad}  - Computation {md_escape(c.id)}: `{c.formula.replace('`', '')}` = "
                   f"{md_escape(result_text(c))}")
    return out


def _sources(sources: list) -> list[str]:
    if not sources:
        return []
    out = ["", "## Sources", ""]
    for s in sources:
        bits = [md_escape(s.title)] + [md_escape(x) for x in (s.author, s.date) if x]
        line = f"- {md_escape(s.id)}: " + ", ".join(bits)
        if s.url and re.match(r"^https?://", s.url):
            line += f" <{quote(s.url, safe=URL_SAFE)}>"
        out.append(line)
    return out


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    status = status or {}
    g = nx.DiGraph()
    g.add_nodes_from((c.id, {"kind": c.kind, "text": c.text}) for c in amap.claims)
    g.add_edges_from((r.source, r.target, {"type": r.type}) for r in amap.relations)
    evidence = evidence_by_claim(amap.evidence)
    comps = computations_by_claim(amap.computations)
    sources = {s.id: s for s in amap.sources}
    counts: dict[str, int] = {}
    for c in amap.claims:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    out = _header(title, counts, len(amap.relations))
    shown: set[str] = set()

    def visit(node: str, depth: int, how: str) -> None:
        head = _head(node, g.nodes[node]["kind"], status.get(node, {}).get("label", ""), depth, how)
        if node in shown:
            out.append(head + " (see above)")
            return
        shown.add(node)
        first, *rest = _body(depth, g.nodes[node]["text"], evidence.get(node, []), comps.get(node, []), sources)
        out.append(head + first)
        out.extend(rest)
        kids = sorted(g.in_edges(node, data="type"), key=lambda e: (e[2] != "supports", e[0]))
        for u, _, t in kids:
            visit(u, depth + 1, "Supported by " if t == "supports" else "Attacked by ")

    for root in roots(g) + sorted(g.nodes):
        if root not in shown:
            visit(root, 0, "")
    out += _sources(amap.sources)
    return "\n".join(out) + "\n"


def stream(db: Any, out: BinaryIO, title: str = "argmap") -> None:
    """The whole store as ``write`` gives it, byte for byte, with the argument graph as
    integer arrays (the store's kept ones) and the claims' texts and quotes read a few
    thousand at a time in the order the outline visits them: little memory at any size."""
    import numpy as np

    from argmap.claims import plain_reads
    from argmap.graph.formats.shared import batches, by_target, write_lines
    from argmap.graph.maps import whole_map_labels
    from argmap.graph.semantics.grounded import NAMES
    arrays = plain_reads.read_arrays(db)
    n, names = arrays.claims, arrays.names
    labels = whole_map_labels(db, arrays)
    src, dst, attack = arrays.relations()
    kinds: list[str] = [""] * n
    one_of: dict[str, str] = {}  # one string object per kind, not one per claim
    for cid, kind in db.stream("SELECT id, kind FROM claim"):
        kinds[arrays.index[cid]] = one_of.setdefault(kind, kind)
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    write_lines(out, _header(title, counts, int(src.size)))
    ptr, child, child_attacks = by_target(n, src, dst, attack, attacks_first=False)  # a claim's children
    out_degree = np.bincount(src, minlength=n)
    comps = computations_by_claim(plain_reads.computations_of(db))
    sources = {s.id: s for s in plain_reads.sources_with_texts(db)}
    shown = np.zeros(n, dtype=bool)

    def starts() -> Iterator[int]:
        """Theses, then claims that point nowhere, then every claim (as ``roots`` + sorted)."""
        yield from (i for i in range(n) if kinds[i] == "thesis")
        yield from (i for i in np.flatnonzero(out_degree == 0).tolist() if kinds[i] != "thesis")
        yield from range(n)

    def visits() -> Iterator[tuple[int, int, str, bool]]:
        """(claim, depth, how, first time) in the outline's order, without recursion; the
        stack holds one frame per level (a claim and the next of its children), not every
        child waiting."""
        for start in starts():
            if shown[start]:
                continue
            shown[start] = True
            yield start, 0, "", True
            frames = [[start, int(ptr[start])]]
            while frames:
                frame = frames[-1]
                node, k = frame
                if k >= ptr[node + 1]:
                    frames.pop()
                    continue
                frame[1] = k + 1
                kid = int(child[k])
                first = not shown[kid]
                yield kid, len(frames), "Attacked by " if child_attacks[k] else "Supported by ", first
                if first:
                    shown[kid] = True
                    frames.append([kid, int(ptr[kid])])

    def lines() -> Iterator[str]:
        for batch in batches(visits()):
            yield from render(batch)

    def render(batch: list[tuple[int, int, str, bool]]) -> Iterator[str]:
        ids = {names[node] for node, _, _, first in batch if first}
        texts = plain_reads.texts_of(db, ids)
        quotes = evidence_by_claim(plain_reads.quotes_of(db, ids))
        for node, depth, how, first in batch:
            name = names[node]
            head = _head(name, kinds[node], NAMES[int(labels[node])], depth, how)
            if not first:
                yield head + " (see above)"
                continue
            body = _body(depth, texts[name], quotes.get(name, []), comps.get(name, []), sources)
            yield head + body[0]
            yield from body[1:]

    write_lines(out, lines())
    write_lines(out, _sources(list(sources.values())))

