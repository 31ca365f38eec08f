"""Argdown (argdown.org): statements, arguments, relations and premise-conclusion
structures, read into a map; written back as ``[id]: text #kind {data}`` statements with
``+``/``-`` relations under each, evidence and computations as YAML data and the sources in
the front matter, which ``@argdown/cli`` reads with the same statements and relations.
"""

import json
import re
from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.graph.formats.argdown_json import from_model
from argmap.graph.formats.argdown_syntax import ArgdownSyntaxError, line_and_column, parse
from argmap.graph.formats.document import FormatError, MapDocument, load_yaml
from argmap.graph.formats.shared import computations_by_claim, evidence_by_claim, result_text

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


def _titles(amap: ArgumentMap) -> dict[str, str]:
    """The name each claim goes by in Argdown: its title where it has a usable one, else its id."""
    names: dict[str, str] = {}
    used = {c.id for c in amap.claims}  # ids stay free for the claims without a usable title
    for c in sorted(amap.claims, key=lambda c: c.id):
        usable = c.title and c.title != c.id and _SAFE_TITLE.match(c.title) and c.title not in used
        names[c.id] = c.title if usable else c.id
        used.add(names[c.id])
    return names


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    """Statements as ``[title]: text #kind {data}`` with ``+``/``-`` relations under their
    targets; arguments as ``<title>: text``, with their premise-conclusion structure when they
    support one conclusion and attack nothing, and attacks on them written as undercuts."""
    status = status or {}
    evidence = evidence_by_claim(amap)
    comps = computations_by_claim(amap)
    names = _titles(amap)
    kinds = {c.id: c.kind for c in amap.claims}
    front = {"title": title, "argmap": {"version": 1, "sources": [
        {"id": s.id, "title": s.title, "author": s.author, "url": s.url, "date": s.date} for s in amap.sources]}}
    lines = ["===", "title: " + json.dumps(title, ensure_ascii=True),
             "argmap: " + argdown_data(front["argmap"]), "===", ""]
    incoming: dict[str, list[Any]] = {}
    outgoing: dict[str, list[Any]] = {}
    for r in amap.relations:
        incoming.setdefault(r.target, []).append(r)
        outgoing.setdefault(r.source, []).append(r)

    def ref(cid: str) -> str:
        return f"<{names[cid]}>" if kinds.get(cid) == "argument" else f"[{names[cid]}]"

    reconstructed: dict[str, str] = {}  # argument -> its one conclusion, written as a pcs
    for c in amap.claims:
        if c.kind != "argument":
            continue
        out = outgoing.get(c.id, [])
        premises = [r for r in incoming.get(c.id, []) if r.type == "supports" and kinds.get(r.source) != "argument"]
        if len(out) == 1 and out[0].type == "supports" and kinds.get(out[0].target) != "argument" and premises:
            reconstructed[c.id] = out[0].target
    for c in sorted(amap.claims, key=lambda c: (c.kind != "thesis", c.kind == "argument", c.id)):
        data: dict[str, Any] = {"kind": c.kind, "base_score": c.base_score}
        if c.id in status:
            data["grounded"] = status[c.id]["label"]
        if evidence.get(c.id):
            data["evidence"] = [{"source": e.source, "quote": e.quote, "locator": e.locator} for e in evidence[c.id]]
        if comps.get(c.id):
            data["computations"] = [{"id": x.id, "formula": x.formula, "unit": x.unit,
                                     "result": result_text(x)} for x in comps[c.id]]
        tag = "" if c.kind == "argument" else f" #{c.kind}"
        opening = f"<{names[c.id]}>" if c.kind == "argument" else f"[{names[c.id]}]"
        lines.append(f"{opening}: {argdown_escape(c.text)}{tag} {argdown_data(data)}")
        conclusion = reconstructed.get(c.id)
        for r in sorted(incoming.get(c.id, []), key=lambda r: (r.type, r.source)):
            if conclusion and r.type == "supports" and kinds.get(r.source) != "argument":
                continue  # a premise, in the structure below
            if reconstructed.get(r.source) == c.id:
                continue  # the conclusion of that argument's structure
            if kinds.get(c.id) == "argument" and r.type == "attacks":
                lines.append(f"  <_ {ref(r.source)}")  # an undercut
            else:
                lines.append(f"  {'+' if r.type == 'supports' else '-'} {ref(r.source)}")
        lines.append("")
        if conclusion:
            premises = sorted(r.source for r in incoming.get(c.id, [])
                              if r.type == "supports" and kinds.get(r.source) != "argument")
            for n, p in enumerate(premises, start=1):
                lines.append(f"({n}) [{names[p]}]")
            lines += ["----", f"({len(premises) + 1}) [{names[conclusion]}]", ""]
    return "\n".join(lines)
