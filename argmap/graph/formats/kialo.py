"""Kialo's text export ("Discussion Title:", then a numbered ``1.1.2. Pro:/Con:`` outline,
multi-line texts and ``-> See 1.2.3.`` links), read into a map.

Kialo writes its texts as Markdown: characters it escapes (``\\(``, ``\\[``, ``\\*``, ...) are
unescaped (as arguebuf's Kialo loader does), a link ``[text](url)`` keeps its text and
becomes a source the claim cites (evidence quoting the link text), and the discussion
title becomes the thesis's title.

A multi-thesis discussion (``1.1. Thesis: ...`` under the discussion's question) keeps each
thesis as a thesis of its own, answering no claim, and each thesis with what hangs under it
as a group: Kialo's sub-discussions, a box each on the page that collapses to its thesis."""

import re
from typing import Any, Optional

from argmap.graph.formats.document import MAX_DEPTH, FormatError, Ids, MapDocument, add_relation

_KIALO_ITEM = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(?:(Pro|Con|Thesis):\s*)?(.*)$")
_KIALO_LINK = re.compile(r"^->\s*See\s+(\d+(?:\.\d+)*)\.?\s*$")
_MARKDOWN_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\\n]|\\.){1,1000})\]\((\S{1,2000}?)\)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def _plain(text: str, cid: str, doc: MapDocument, sources: dict[str, str]) -> str:
    """Kialo's Markdown as plain text; each link's URL recorded as a source the claim cites."""
    def link(m: re.Match) -> str:
        label = _ESCAPED.sub(r"\1", m.group(1)).strip()
        url = m.group(2)
        if url.startswith(("http://", "https://")) and label:
            sid = sources.get(url)
            if sid is None:
                sid = sources[url] = f"kialo-source-{len(sources) + 1}"
                doc.sources.append({"id": sid, "title": label[:300], "url": url})
            doc.evidence.append({"claim": cid, "source": sid, "quote": label, "locator": None})
        return label
    return _ESCAPED.sub(r"\1", _MARKDOWN_LINK.sub(link, text))


def _sub_discussions(doc: MapDocument, items: dict[str, dict[str, Any]], ids: Ids) -> None:
    """Each thesis under the question, with every item numbered under it, as a group."""
    theses = [n for n, item in items.items() if item["stance"] == "Thesis" and item["parent"] is not None]
    if not theses:
        return
    groups = Ids()
    members: dict[str, list[str]] = {n: [] for n in theses}
    for number in items:
        head = ".".join(number.split(".")[:2])
        if head in members:
            members[head].append(ids.get(number))
    for n in theses:
        first = " ".join(items[n]["text"].split())
        title = first if len(first) <= 120 else first[:119].rstrip() + "…"
        doc.groups.append({"id": groups.get(f"thesis {n}"), "title": title, "claims": members[n]})


def read(text: str, name: str) -> MapDocument:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not lines[first].startswith("Discussion Title:"):
        raise FormatError(name, "line 1", "'Discussion Title: ...' (Kialo's text export)")
    doc = MapDocument(name=name)
    items: dict[str, dict[str, Any]] = {}
    links: list[tuple[int, str, str, str]] = []
    current: Optional[dict[str, Any]] = None
    for lineno, line in enumerate(lines[first + 1:], start=first + 2):
        if not line.strip():
            continue
        m = _KIALO_ITEM.match(line.strip())
        if not m:
            if current is None:
                raise FormatError(name, f"line {lineno}", "a numbered item such as '1. Thesis' or '1.1. Pro: ...'")
            current["text"].append(line.strip())
            continue
        number, stance, body = m.group(1), m.group(2), m.group(3).strip()
        if number in items:
            raise FormatError(name, f"line {lineno}", f"a new item number ({number} appears twice)")
        parent = number.rsplit(".", 1)[0] if "." in number else None
        if parent is not None and parent not in items:
            raise FormatError(name, f"line {lineno}", f"item {parent} before its child {number}")
        if parent is not None and stance is None:
            raise FormatError(name, f"line {lineno}", f"'Pro:' or 'Con:' before the text of {number}")
        if stance == "Thesis" and parent is not None and items[parent]["parent"] is not None:
            raise FormatError(name, f"line {lineno}", f"a thesis only at the top or under the question ({number})")
        if number.count(".") > MAX_DEPTH:
            raise FormatError(name, f"line {lineno}", f"a discussion at most {MAX_DEPTH} levels deep")
        link = _KIALO_LINK.match(body)
        if link and stance == "Thesis":
            raise FormatError(name, f"line {lineno}", f"'Pro:' or 'Con:' before a link ({number})")
        if link:
            links.append((lineno, link.group(1), parent or "", stance or "Pro"))
            current = None
            continue
        current = {"number": number, "parent": parent, "stance": stance, "text": [body], "line": lineno}
        items[number] = current
    ids = Ids()
    kinds: dict[str, str] = {}
    seen: set = set()
    sources: dict[str, str] = {}
    title = lines[first][len("Discussion Title:"):].strip()
    for number, item in items.items():
        item["text"] = "\n".join(item["text"])  # joined once: appending to a string would be quadratic
        if not item["text"].strip():
            raise FormatError(name, f"line {item['line']}", f"a text for item {number}")
        if item["parent"] is None or item["stance"] == "Thesis":
            kind = "thesis"
        elif item["stance"] == "Pro":
            kind = "claim"
        else:
            kind = "rebuttal" if kinds.get(item["parent"]) == "objection" else "objection"
        kinds[number] = kind
        cid = ids.get(number)
        claim = {"id": cid, "text": _plain(item["text"], cid, doc, sources), "kind": kind}
        if item["parent"] is None and title:
            claim["title"] = _ESCAPED.sub(r"\1", title)
        doc.claims.append(claim)
    for number, item in items.items():
        if item["parent"] is not None and item["stance"] != "Thesis":
            add_relation(doc, seen, ids.get(number), ids.get(item["parent"]),
                          "supports" if item["stance"] == "Pro" else "attacks")
    _sub_discussions(doc, items, ids)
    for lineno, target, parent, stance in links:
        if target not in items:
            raise FormatError(name, f"line {lineno}", f"a link to an existing item (no item {target})")
        if not parent:
            raise FormatError(name, f"line {lineno}", "a link inside the discussion, not at its top")
        add_relation(doc, seen, ids.get(target), ids.get(parent), "supports" if stance == "Pro" else "attacks")
    return doc
