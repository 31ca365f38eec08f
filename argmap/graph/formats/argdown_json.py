"""Argdown's model, read into a map: the JSON that the Argdown project's own tool writes
(``argdown json FILE DIR``), and the same model built by argmap's own Argdown parser
(``argdown_syntax``), through one mapping, so that both read a file alike.

- statements (equivalence classes, by title) become claims: the text of their first member
  that has one (tags cut out, inner whitespace kept), else the title; the title is kept when
  the id derived from it differs; a tag or a ``kind`` in the data naming a kind sets it;
- arguments become claims of kind ``argument`` (their description, else their title); the
  premises of a premise-conclusion structure support the argument, and the argument
  supports its main conclusion;
- relations: support and entails -> supports; attack -> attacks; undercut -> the undercutter
  attacks the argument (not its conclusion); contrary and contradictory -> attacks both ways.
"""

from typing import Any

from argmap.claims.rules import KINDS, MAX_GROUP_DEPTH
from argmap.graph.formats.document import FormatError, Ids, MapDocument, add_relation, infer_kinds, load_json
from argmap.graph.formats.shared import read_judgements

SUPPORTS = {"support", "entails"}
ATTACKS = {"attack", "undercut"}
MUTUAL = {"contrary", "contradictory"}
COMPUTATIONS_SKIPPED = "computations in Argdown data (import argmap JSON to keep them)"


def _text(member: dict[str, Any]) -> str:
    """A member's text with its tags (``#tag``) cut out, as Argdown marks them in ``ranges``
    (offsets in UTF-16 code units, as JavaScript counts)."""
    text = member.get("text")
    if not isinstance(text, str):
        return ""
    cuts = sorted(((r.get("start"), r.get("stop")) for r in member.get("ranges") or []
                   if isinstance(r, dict) and r.get("type") == "tag"
                   and isinstance(r.get("start"), int) and isinstance(r.get("stop"), int)), reverse=True)
    if cuts:
        units = text.encode("utf-16-le", "surrogatepass")
        for start, stop in cuts:
            if 0 <= start <= stop < len(units) // 2:
                units = units[:2 * start] + units[2 * stop + 2:]
        text = units.decode("utf-16-le", "replace")
    return text.strip()


def _members(item: Any, name: str, where: str) -> list[dict[str, Any]]:
    if not isinstance(item, dict) or not isinstance(item.get("members", []), list):
        raise FormatError(name, where, 'an object with a "members" list')
    return [m for m in item.get("members", []) if isinstance(m, dict)]


def _apply_data(doc: MapDocument, claim: dict[str, Any], data: Any, explicit: set[str], where: str) -> None:
    """What argmap writes into an element's data: kind, base score, evidence, judgements."""
    if not isinstance(data, dict):
        return
    if data.get("kind") in KINDS:
        claim["kind"] = data["kind"]
        explicit.add(claim["id"])
    score = data.get("base_score")
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        claim["base_score"] = float(score)
    evidence = data.get("evidence") or []
    for ev in evidence if isinstance(evidence, list) else [evidence]:
        if not isinstance(ev, dict) or not ev.get("source") or not ev.get("quote"):
            raise FormatError(doc.name, where, "evidence as {source: ..., quote: ...}")
        doc.evidence.append({"claim": claim["id"], "source": str(ev["source"]), "quote": str(ev["quote"]),
                             "locator": ev.get("locator")})
    read_judgements(doc, claim["id"], data.get("judgements"), where)
    if isinstance(data.get("scheme"), str) and data["scheme"].strip():
        doc.schemes.append({"claim": claim["id"], "scheme": data["scheme"]})
    if data.get("computations"):
        doc.skipped[COMPUTATIONS_SKIPPED] = doc.skipped.get(COMPUTATIONS_SKIPPED, 0) + 1


def from_model(data: dict[str, Any], name: str) -> MapDocument:
    """A map from Argdown's model (``statements``, ``arguments``, ``relations``)."""
    doc = MapDocument(name=name)
    ids = Ids()
    explicit: set[str] = set()
    seen: set = set()
    statement, argument = {}, {}
    for title, item in data["statements"].items():
        members = _members(item, name, f"statement [{title}]")
        cid = statement[title] = ids.get(str(title))
        texts = [_text(m) for m in members if _text(m)]
        claim: dict[str, Any] = {"id": cid, "text": texts[0] if texts else str(title)}
        if cid != title:
            claim["title"] = str(title)
        tags = [t for m in members for t in (m.get("tags") or []) if isinstance(t, str)]
        kind = next((t for t in tags if t in KINDS), None)
        if kind:
            claim["kind"] = kind
            explicit.add(cid)
        _apply_data(doc, claim, item.get("data"), explicit, f"statement [{title}]")
        doc.claims.append(claim)
    for title, item in data["arguments"].items():
        members = _members(item, name, f"argument <{title}>")
        aid = argument[title] = ids.get(str(title), key=("argument", title))
        texts = [_text(m) for m in members if _text(m)]
        claim = {"id": aid, "text": texts[0] if texts else str(title), "kind": "argument"}
        if aid != title:
            claim["title"] = str(title)
        explicit.add(aid)
        _apply_data(doc, claim, item.get("data"), explicit, f"argument <{title}>")
        claim["kind"] = "argument"
        doc.claims.append(claim)
    for title, item in data["arguments"].items():
        for step in item.get("pcs") or []:
            if not isinstance(step, dict) or not isinstance(step.get("title"), str) or step["title"] not in statement:
                continue
            if step.get("role") == "main-conclusion":
                add_relation(doc, seen, argument[title], statement[step["title"]], "supports")
            elif step.get("role") == "premise":
                add_relation(doc, seen, statement[step["title"]], argument[title], "supports")
    relations = data.get("relations") or []
    if not isinstance(relations, list):
        raise FormatError(name, '"relations"', "a list")
    for n, r in enumerate(relations):
        if not isinstance(r, dict):
            raise FormatError(name, f"relation {n + 1}", "an object")
        ends = []
        for end, kind in ((r.get("from"), r.get("fromType")), (r.get("to"), r.get("toType"))):
            table = statement if kind == "equivalence-class" else argument
            if not isinstance(end, str) or end not in table:
                raise FormatError(name, f"relation {n + 1}", f"a known statement or argument (no {end!r})")
            ends.append(table[end])
        rtype = r.get("relationType") if isinstance(r.get("relationType"), str) else str(r.get("relationType"))[:40]
        if rtype in SUPPORTS:
            add_relation(doc, seen, ends[0], ends[1], "supports")
        elif rtype in ATTACKS:
            add_relation(doc, seen, ends[0], ends[1], "attacks")
        elif rtype in MUTUAL:
            add_relation(doc, seen, ends[0], ends[1], "attacks")
            add_relation(doc, seen, ends[1], ends[0], "attacks")
        else:
            doc.skipped[f"{rtype} relations"] = doc.skipped.get(f"{rtype} relations", 0) + 1
    infer_kinds(doc, explicit)
    _groups(doc, data, statement, argument)
    return doc


def _groups(doc: MapDocument, data: dict[str, Any], statement: dict[str, str], argument: dict[str, str]) -> None:
    """Argdown's sections (its headings) become groups, nested as the headings are, each with
    the statements and arguments Argdown puts in it; a section with no claim under it is left out.
    ``sections`` is a tree (``children``, as ``argdown json`` writes it) or a list with parents."""
    sections = data.get("sections") or []
    if not isinstance(sections, list):
        raise FormatError(doc.name, '"sections"', "a list")
    flat: list[tuple[str, str, Any]] = []  # (section id, title, parent section id), parents first
    todo: list[tuple[Any, Any, int]] = [(s, None, 0) for s in reversed(sections)]
    while todo:
        item, parent, depth = todo.pop()
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("title"), str):
            raise FormatError(doc.name, "a section", 'an object with an "id" and a "title"')
        if depth > MAX_GROUP_DEPTH:
            raise FormatError(doc.name, f"section {item['id'][:40]!r}", f"sections nested at most {MAX_GROUP_DEPTH} deep")
        flat.append((item["id"], item["title"], parent if parent is not None else item.get("parent")))
        children = item.get("children") or []
        todo.extend((c, item["id"], depth + 1) for c in reversed(children if isinstance(children, list) else []))
    claims: dict[Any, list[str]] = {}
    for table, kind in ((statement, "statements"), (argument, "arguments")):
        for title, item in data[kind].items():
            if isinstance(item, dict) and title in table:
                claims.setdefault(item.get("section"), []).append(table[title])
    known = {sid for sid, _, _ in flat}
    used: set[Any] = set()
    parent_of = {sid: parent for sid, _, parent in flat}
    for sid in claims:
        at, steps = sid, 0
        while at in known and at not in used and steps <= MAX_GROUP_DEPTH:
            used.add(at)
            at, steps = parent_of[at], steps + 1
    ids = Ids()
    for sid, title, parent in flat:
        if sid in used and title.strip():
            doc.groups.append({"id": ids.get(title, key=sid), "title": title,
                               "parent": ids.get("", key=parent) if parent in used else None,
                               "claims": claims.get(sid, [])})


def read(text: str, name: str) -> MapDocument:
    data = load_json(text, name)
    if not isinstance(data, dict) or not isinstance(data.get("statements"), dict) \
            or not isinstance(data.get("arguments"), dict):
        raise FormatError(name, "top level", 'the JSON of `argdown json`, with "statements" and "arguments"')
    return from_model(data, name)
