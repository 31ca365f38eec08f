"""Argdown (argdown.org): statements, arguments, relations and premise-conclusion
structures, read into a map; written back as ``[id]: text #kind {data}`` statements with
``+``/``-`` relations under each, evidence and computations as YAML data and the sources in
the front matter, which ``@argdown/cli`` reads with the same statements and relations.
"""

import json
import re
from typing import Any, BinaryIO, Callable, Iterator, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.argdown_json import from_model
from argmap.graph.formats.argdown_syntax import ArgdownSyntaxError, line_and_column, parse
from argmap.graph.formats.document import FormatError, MapDocument, load_yaml
from argmap.graph.formats.shared import (claims_by_group, computations_by_claim, evidence_by_claim, group_events,
                                         judgements_by_claim, result_text)

MAX_ARGDOWN = 64 * 1024 * 1024  # characters: far beyond any hand-written map
MAX_LINE = 100_000  # characters in one line (a statement is at most 20,000)
_LONG_LINE = re.compile(r"[^\n]{%d}" % (MAX_LINE + 1))


def _sources(front: Any, doc: MapDocument) -> None:
    """The sources argmap writes into the front matter (``argmap: sources:``)."""
    if front is None:
        return
    if not isinstance(front, dict):
        raise FormatError(doc.name, "front matter", "YAML as a {key: value} mapping")
    argmap = front.get("argmap") or {}
    if not isinstance(argmap, dict):
        raise FormatError(doc.name, "front matter", "'argmap:' as a mapping with 'sources'")
    sources = argmap.get("sources") or []
    if not isinstance(sources, list):
        raise FormatError(doc.name, "front matter", "'argmap: sources:' as a list")
    for s in sources:
        if isinstance(s, dict) and s.get("id") and s.get("title"):
            doc.sources.append({k: s.get(k) for k in ("id", "title", "author", "url", "date")})


def read(text: str, name: str) -> MapDocument:
    """Statements, arguments and relations exactly as ``@argdown/core`` reads them."""
    if len(text) > MAX_ARGDOWN:
        raise FormatError(name, "whole file", f"an Argdown file of at most {MAX_ARGDOWN:,} characters")
    long_line = _LONG_LINE.search(text)
    if long_line:
        raise FormatError(name, f"line {text.count(chr(10), 0, long_line.start()) + 1}",
                          f"lines of at most {MAX_LINE:,} characters")

    def load_data(body: str, offset: int) -> Any:
        try:
            return load_yaml(body, name, "", "YAML data")
        except FormatError as exc:  # the place is worked out only for the error: one pass per message
            line, column = line_and_column(text, offset)
            raise FormatError(name, f"line {line}, column {column}", exc.expected) from None

    try:
        model = parse(text, load_data)
    except ArgdownSyntaxError as exc:
        line, column = line_and_column(text, exc.offset)
        raise FormatError(name, f"line {line}, column {column}", exc.expected) from None
    doc = from_model(model, name)
    _sources(model["frontMatter"], doc)
    return doc


# --- writing ---------------------------------------------------------------------------------

_ARGDOWN_SPECIAL = set("\\[]<>{}#*_+-@/:=~^|(),.;")  # what Argdown's plain text token stops at


def argdown_escape(text: str) -> str:
    """Backslash-escape every character Argdown could read as syntax (it allows escaping any):
    an escaped character keeps the spaces after it, so inner whitespace survives; a line
    break cannot (Argdown reads one as a space)."""
    flat = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return "".join("\\" + ch if ch in _ARGDOWN_SPECIAL else ch for ch in flat)


def argdown_data(data: dict[str, Any]) -> str:
    """YAML flow data for Argdown: JSON, with the characters its lexer trips on written as \\u escapes."""
    raw = json.dumps(data, ensure_ascii=False)
    def fix(m: re.Match) -> str:
        return re.sub(r"[{}\[\]<>#/]", lambda c: f"\\u{ord(c.group()):04x}", m.group())
    return re.sub(r'"(?:[^"\\]|\\.)*"', fix, raw)


_SAFE_TITLE = re.compile(r"^[^\[\]<>\\#@{}\s-][^\[\]<>\\#@{}\n\r]{0,200}(?<!\s)$")


def _usable_title(title: Optional[str], cid: str, taken: Callable[[str], bool]) -> bool:
    return bool(title) and title != cid and bool(_SAFE_TITLE.match(title)) and not taken(title)


def _titles(amap: ArgumentMap) -> dict[str, str]:
    """The name each claim goes by in Argdown: its title where it has a usable one, else its id."""
    names: dict[str, str] = {}
    used = {c.id for c in amap.claims}  # ids stay free for the claims without a usable title
    for c in sorted(amap.claims, key=lambda c: c.id):
        names[c.id] = c.title if _usable_title(c.title, c.id, used.__contains__) else c.id
        used.add(names[c.id])
    return names


def _front(title: str, sources: list) -> list[str]:
    front = {"version": 1, "sources": [{"id": s.id, "title": s.title, "author": s.author, "url": s.url,
                                        "date": s.date} for s in sources]}
    return ["===", "title: " + json.dumps(title, ensure_ascii=True), "argmap: " + argdown_data(front), "===", ""]


def _claim_lines(c: Any, name: Callable[[str], str], kind: Callable[[str], Optional[str]], incoming: list,
                 conclusion: Optional[str], concludes: Callable[[str], Optional[str]], label: Optional[str],
                 evidence: list, comps: list, judged: Optional[list] = None,
                 scheme: Optional[str] = None) -> list[str]:
    """One claim: its statement (or argument) line, the relations under it, then its
    premise-conclusion structure if it has one. ``incoming``: (type, source) pairs."""
    data: dict[str, Any] = {"kind": c.kind, "base_score": c.base_score, **({"scheme": scheme} if scheme else {})}
    if label is not None:
        data["grounded"] = label
    if evidence:
        data["evidence"] = [{"source": e.source, "quote": e.quote, "locator": e.locator} for e in evidence]
    if comps:
        data["computations"] = [{"id": x.id, "formula": x.formula, "unit": x.unit, "result": result_text(x)}
                                for x in comps]
    if judged:
        data["judgements"] = judged

    def ref(cid: str) -> str:
        return f"<{name(cid)}>" if kind(cid) == "argument" else f"[{name(cid)}]"

    tag = "" if c.kind == "argument" else f" #{c.kind}"
    opening = f"<{name(c.id)}>" if c.kind == "argument" else f"[{name(c.id)}]"
    lines = [f"{opening}: {argdown_escape(c.text)}{tag} {argdown_data(data)}"]
    for rtype, source in sorted(incoming):
        if conclusion and rtype == "supports" and kind(source) != "argument":
            continue  # a premise, in the structure below
        if concludes(source) == c.id:
            continue  # the conclusion of that argument's structure
        if c.kind == "argument" and rtype == "attacks":
            lines.append(f"  <_ {ref(source)}")  # an undercut
        else:
            lines.append(f"  {'+' if rtype == 'supports' else '-'} {ref(source)}")
    lines.append("")
    if conclusion:
        premises = sorted(source for rtype, source in incoming if rtype == "supports" and kind(source) != "argument")
        for n, p in enumerate(premises, start=1):
            lines.append(f"({n}) [{name(p)}]")
        lines += ["----", f"({len(premises) + 1}) [{name(conclusion)}]", ""]
    return lines


def _conclusion(kind: Optional[str], out: list[tuple[str, str]], premises: bool,
                target_kind: Callable[[str], Optional[str]]) -> Optional[str]:
    """An argument's one conclusion when it is written as a premise-conclusion structure:
    it supports one claim and attacks nothing, and has premises. ``out``: (type, target)."""
    if kind == "argument" and len(out) == 1 and out[0][0] == "supports" and target_kind(out[0][1]) != "argument" \
            and premises:
        return out[0][1]
    return None


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    """Statements as ``[title]: text #kind {data}`` with ``+``/``-`` relations under their
    targets; arguments as ``<title>: text``, with their premise-conclusion structure when they
    support one conclusion and attack nothing, and attacks on them written as undercuts."""
    status = status or {}
    evidence = evidence_by_claim(amap.evidence)
    comps = computations_by_claim(amap.computations)
    judged = judgements_by_claim(amap.judgements)
    schemes = amap.schemes
    names = _titles(amap)
    kinds = {c.id: c.kind for c in amap.claims}
    incoming: dict[str, list[tuple[str, str]]] = {}
    outgoing: dict[str, list[tuple[str, str]]] = {}
    for r in amap.relations:
        incoming.setdefault(r.target, []).append((r.type, r.source))
        outgoing.setdefault(r.source, []).append((r.type, r.target))
    reconstructed = {}  # argument -> its one conclusion, written as a pcs
    for c in amap.claims:
        premises = any(t == "supports" and kinds.get(s) != "argument" for t, s in incoming.get(c.id, []))
        found = _conclusion(c.kind, outgoing.get(c.id, []), premises, kinds.get)
        if found:
            reconstructed[c.id] = found
    lines = _front(title, amap.sources)
    by_group = claims_by_group(amap.claims, amap.groups)
    for heading, gid in _sections(amap.groups):
        lines += heading
        for c in sorted(by_group.get(gid, []), key=_order):
            lines += _claim_lines(c, names.__getitem__, kinds.get, incoming.get(c.id, []), reconstructed.get(c.id),
                                  reconstructed.get, status[c.id]["label"] if c.id in status else None,
                                  evidence.get(c.id, []), comps.get(c.id, []), judged.get(c.id), schemes.get(c.id))
    return "\n".join(lines)


def _order(c: Any) -> tuple:
    """The order of the claims of a section: theses, then claims, then arguments, each by id."""
    return (c.kind != "thesis", c.kind == "argument", c.id)


def _sections(groups: list) -> Iterator[tuple[list[str], Optional[str]]]:
    """(heading lines, group id) of the claims in no group (no heading), then of each group
    under a heading as deep as it is nested."""
    for event, g, depth in group_events(groups):
        if event == "claims":
            yield ([] if g is None else ["#" * depth + " " + argdown_escape(g.title), ""]), None if g is None else g.id


def stream(db: Any, out: BinaryIO, title: str = "argmap") -> None:
    """The whole store as ``write`` gives it, byte for byte, with the argument graph as the
    store's kept integer arrays and the claims read a few thousand at a time in the order
    they are written (theses, claims, arguments; each by id): little memory at any size."""
    from bisect import bisect_left

    import numpy as np

    from argmap.claims import plain_reads
    from argmap.graph.formats.shared import batches, by_target, write_lines
    from argmap.graph.maps import whole_map_labels
    from argmap.graph.semantics.grounded import NAMES
    arrays = plain_reads.read_arrays(db)
    n, ids = arrays.claims, arrays.names
    labels = whole_map_labels(db, arrays)
    src, dst, attack = arrays.relations()
    argument = np.zeros(n, dtype=bool)
    for (cid,) in db.stream("SELECT id FROM claim WHERE kind = 'argument'"):
        argument[arrays.index[cid]] = True

    def position(cid: str) -> Optional[int]:
        i = bisect_left(ids, cid, 0, n)
        return i if i < n and ids[i] == cid else None

    def kind_of(cid: str) -> Optional[str]:  # what the writer asks of a claim's neighbours: argument or not
        i = position(cid)
        return None if i is None else "argument" if argument[i] else "claim"

    titled: dict[str, str] = {}
    used: set[str] = set()
    for cid, name in db.all("SELECT id, title FROM claim WHERE title IS NOT NULL"):
        titled[cid] = name
    for cid in sorted(titled):  # as _titles: ids and the titles already given are taken
        if _usable_title(titled[cid], cid, lambda t: t in used or position(t) is not None):
            used.add(titled[cid])
        else:
            del titled[cid]
    name_of = lambda cid: titled.get(cid, cid)  # noqa: E731
    in_ptr, in_src, in_attack = by_target(n, src, dst, attack, attacks_first=True)
    out_degree = np.bincount(src, minlength=n)
    single = np.zeros(n, dtype=np.int64) - 1  # the one relation of a claim with exactly one
    one = out_degree[src] == 1
    single[src[one]] = np.flatnonzero(one)

    def incoming(i: int) -> list[tuple[str, str]]:
        return [("attacks" if in_attack[k] else "supports", ids[int(in_src[k])]) for k in range(in_ptr[i], in_ptr[i + 1])]

    def conclusion(i: int) -> Optional[str]:
        if not argument[i] or single[i] < 0:
            return None
        k = int(single[i])
        premises = any(not argument[int(in_src[j])] and not in_attack[j] for j in range(in_ptr[i], in_ptr[i + 1]))
        out_edge = [("attacks" if attack[k] else "supports", ids[int(dst[k])])]
        return _conclusion("argument", out_edge, premises, kind_of)

    def concludes(cid: str) -> Optional[str]:
        i = position(cid)
        return None if i is None else conclusion(i)

    comps = computations_by_claim(plain_reads.computations_of(db))
    judged = judgements_by_claim(plain_reads.judgements_of(db))  # few: one per claim and person
    schemes = plain_reads.schemes_of(db)

    from argmap.claims.groups import groups_of
    groups = groups_of(db)  # ids only: a group's claims are read when its heading is written
    grouped = {cid for g in groups for cid in g.claims}
    members = {g.id: g.claims for g in groups}

    def lines() -> Iterator[str]:
        yield from _front(title, plain_reads.sources_with_texts(db))
        for heading, gid in _sections(groups):
            yield from heading
            if gid is None:
                for kinds in ("thesis", "other", "argument"):
                    for batch in batches(c for c in plain_reads.claims_by_id(db, kinds) if c.id not in grouped):
                        yield from claims(batch)
            else:
                for batch in batches(sorted(plain_reads.claims_in(db, set(members[gid])), key=_order)):
                    yield from claims(batch)

    def claims(batch: list) -> Iterator[str]:
        quotes = evidence_by_claim(plain_reads.quotes_of(db, {c.id for c in batch}))
        for c in batch:
            i = arrays.index[c.id]
            yield from _claim_lines(c, name_of, kind_of, incoming(i), conclusion(i), concludes,
                                    NAMES[int(labels[i])], quotes.get(c.id, []), comps.get(c.id, []), judged.get(c.id),
                                    schemes.get(c.id))

    def all_but_the_last(items: Iterator[str]) -> Iterator[str]:
        """``write`` joins its lines with newlines, and its last line is always empty."""
        previous = next(items)
        for line in items:
            yield previous
            previous = line
    write_lines(out, all_but_the_last(lines()))

