"""Importers: AIF JSON, Argdown and Kialo's text export, each to a MapDocument.

Every error names the file, the line (or AIF node) and what was expected; the loader then
writes the document all or nothing.
"""

import re
from typing import Any, Optional

from argmap.claims.ids import ID_RE, slugify
from argmap.claims.models import KINDS
from argmap.graph.formats import argmap_json
from argmap.graph.formats.model import FormatError, MapDocument, load_json

MAX_DEPTH = 200


def guess_format(text: str) -> str:
    head = text.lstrip()[:4000]
    if head.startswith("{"):
        if re.search(r'"format"\s*:\s*"argmap"', head):
            return "json"
        return "aif"
    if head.startswith("Discussion Title:"):
        return "kialo"
    return "argdown"


def parse_document(text: str, fmt: Optional[str], name: str) -> MapDocument:
    fmt = fmt or guess_format(text)
    parsers = {"json": argmap_json.parse, "aif": parse_aif, "argdown": parse_argdown, "kialo": parse_kialo}
    if fmt not in parsers:
        raise FormatError(name, "--format", f"one of {', '.join(parsers)}")
    return parsers[fmt](text, name)


class _Ids:
    """Turn outside names (titles, node ids, numbers) into unique argmap ids."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}
        self.taken: set[str] = set()

    def get(self, name: str) -> str:
        if name in self.by_name:
            return self.by_name[name]
        base = name if ID_RE.match(name) else slugify(name, max_words=6, max_len=60)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        self.by_name[name] = candidate
        return candidate


def _infer_kinds(doc: MapDocument, explicit: set[str]) -> None:
    """Claims without a stated kind: attackers become objections, attackers of objections rebuttals."""
    kinds = {c["id"]: c.get("kind") or "claim" for c in doc.claims}
    attackers = {r["source"]: r["target"] for r in doc.relations if r["type"] == "attacks"}
    for c in doc.claims:
        if c["id"] in explicit or c["id"] not in attackers:
            continue
        targets = [r["target"] for r in doc.relations if r["type"] == "attacks" and r["source"] == c["id"]]
        c["kind"] = "rebuttal" if targets and all(kinds.get(t) == "objection" for t in targets) else "objection"
        kinds[c["id"]] = c["kind"]


def _add_relation(doc: MapDocument, seen: set, source: str, target: str, rtype: str) -> None:
    if source == target or (source, target) in seen:
        doc.skipped["self or repeated relations"] = doc.skipped.get("self or repeated relations", 0) + 1
        return
    seen.add((source, target))
    doc.relations.append({"source": source, "target": target, "type": rtype})


# --- AIF ---------------------------------------------------------------------------------------

DIALOGUE_TYPES = {"L", "YA", "TA"}


def parse_aif(text: str, name: str) -> MapDocument:
    data = load_json(text, name)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise FormatError(name, "top level", 'an AIF object with "nodes" and "edges" lists')
    doc = MapDocument(name=name)
    ids = _Ids()
    nodes: dict[str, dict] = {}
    for n, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or "nodeID" not in node or "type" not in node:
            raise FormatError(name, f"node {n + 1}", 'an object with "nodeID" and "type"')
        nid = str(node["nodeID"])
        if nid in nodes:
            raise FormatError(name, f"node {nid}", "a unique nodeID")
        nodes[nid] = node
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for n, edge in enumerate(data["edges"]):
        if not isinstance(edge, dict) or "fromID" not in edge or "toID" not in edge:
            raise FormatError(name, f"edge {n + 1}", 'an object with "fromID" and "toID"')
        a, b = str(edge["fromID"]), str(edge["toID"])
        for end in (a, b):
            if end not in nodes:
                raise FormatError(name, f"edge {edge.get('edgeID', n + 1)}", f"a known node id (no node {end})")
        outgoing.setdefault(a, []).append(b)
        incoming.setdefault(b, []).append(a)
    claim_of: dict[str, str] = {}
    for nid, node in nodes.items():
        ntype = str(node["type"])
        if ntype == "I":
            text_value = node.get("text")
            if not isinstance(text_value, str) or not text_value.strip():
                raise FormatError(name, f"node {nid}", "an I-node with a text")
            cid = ids.get(str(node.get("argmapId") or nid))
            claim_of[nid] = cid
            kind = node.get("argmapKind") if node.get("argmapKind") in KINDS else None
            doc.claims.append({"id": cid, "text": text_value, **({"kind": kind} if kind else {})})
        elif ntype in DIALOGUE_TYPES:
            key = f"AIF {ntype} nodes (dialogue)"
            doc.skipped[key] = doc.skipped.get(key, 0) + 1
        elif ntype not in ("RA", "CA"):
            key = f"AIF {ntype or 'untyped'} nodes"
            doc.skipped[key] = doc.skipped.get(key, 0) + 1
    seen: set = set()

    def conclusions(scheme: str, depth: int = 0) -> list[str]:
        """The I-nodes a scheme node points at; for an undercut, the conclusion of the attacked inference."""
        if depth > MAX_DEPTH:
            raise FormatError(name, f"node {scheme}", "scheme nodes that do not attack each other in a loop")
        out = []
        for t in outgoing.get(scheme, []):
            if t in claim_of:
                out.append(claim_of[t])
            elif str(nodes[t]["type"]) in ("RA", "CA"):
                doc.skipped["undercuts (read as attacks on the inference's conclusion)"] = \
                    doc.skipped.get("undercuts (read as attacks on the inference's conclusion)", 0) + 1
                out.extend(conclusions(t, depth + 1))
        return out

    for nid, node in nodes.items():
        ntype = str(node["type"])
        if ntype not in ("RA", "CA"):
            continue
        premises = [claim_of[s] for s in incoming.get(nid, []) if s in claim_of]
        targets = conclusions(nid)
        if not premises or not targets:
            doc.skipped[f"{ntype} nodes without premise or conclusion"] = \
                doc.skipped.get(f"{ntype} nodes without premise or conclusion", 0) + 1
            continue
        for p in premises:
            for t in targets:
                _add_relation(doc, seen, p, t, "supports" if ntype == "RA" else "attacks")
    _infer_kinds(doc, {c["id"] for c in doc.claims if c.get("kind")})
    return doc


# --- Kialo -------------------------------------------------------------------------------------

_KIALO_ITEM = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(?:(Pro|Con):\s*)?(.*)$")
_KIALO_LINK = re.compile(r"^->\s*See\s+(\d+(?:\.\d+)*)\.?\s*$")


def parse_kialo(text: str, name: str) -> MapDocument:
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
            current["text"] += "\n" + line.strip()
            continue
        number, stance, body = m.group(1), m.group(2), m.group(3).strip()
        if number in items:
            raise FormatError(name, f"line {lineno}", f"a new item number ({number} appears twice)")
        parent = number.rsplit(".", 1)[0] if "." in number else None
        if parent is not None and parent not in items:
            raise FormatError(name, f"line {lineno}", f"item {parent} before its child {number}")
        if parent is not None and stance is None:
            raise FormatError(name, f"line {lineno}", f"'Pro:' or 'Con:' before the text of {number}")
        if number.count(".") > MAX_DEPTH:
            raise FormatError(name, f"line {lineno}", f"a discussion at most {MAX_DEPTH} levels deep")
        link = _KIALO_LINK.match(body)
        if link:
            links.append((lineno, link.group(1), parent or "", stance or "Pro"))
            current = None
            continue
        current = {"number": number, "parent": parent, "stance": stance, "text": body, "line": lineno}
        items[number] = current
    ids = _Ids()
    kinds: dict[str, str] = {}
    seen: set = set()
    for number, item in items.items():
        if not item["text"].strip():
            raise FormatError(name, f"line {item['line']}", f"a text for item {number}")
        if item["parent"] is None:
            kind = "thesis"
        elif item["stance"] == "Pro":
            kind = "claim"
        else:
            kind = "rebuttal" if kinds.get(item["parent"]) == "objection" else "objection"
        kinds[number] = kind
        doc.claims.append({"id": ids.get(number), "text": item["text"], "kind": kind})
    for number, item in items.items():
        if item["parent"] is not None:
            _add_relation(doc, seen, ids.get(number), ids.get(item["parent"]),
                          "supports" if item["stance"] == "Pro" else "attacks")
    for lineno, target, parent, stance in links:
        if target not in items:
            raise FormatError(name, f"line {lineno}", f"a link to an existing item (no item {target})")
        if not parent:
            raise FormatError(name, f"line {lineno}", "a link inside the discussion, not at its top")
        _add_relation(doc, seen, ids.get(target), ids.get(parent), "supports" if stance == "Pro" else "attacks")
    return doc


# --- Argdown -------------------------------------------------------------------------------------

_RELATION = re.compile(r"^(<\+|<-|<_|\+>|->|_>|><|\+|-|_)\s+(.*)$")
_PCS_ITEM = re.compile(r"^\((\d+)\)\s*(.*)$")
_PCS_RULE = re.compile(r"^-{2,}(?:.*-{2,})?\s*$")
_HEADING = re.compile(r"^#{1,6}\s+\S")
_STATEMENT = re.compile(r"^\[((?:[^\]\\]|\\.)+)\]\s*(?::\s*(.*))?$", re.S)
_ARGUMENT = re.compile(r"^<((?:[^>\\]|\\.)+)>\s*(?::\s*(.*))?$", re.S)
_TAG = re.compile(r"(?<!\\)#\(([^)]*)\)|(?<!\\)#([A-Za-z0-9_-]+)")


def _strip_comments(text: str, name: str) -> str:
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i:i + 2])
            i += 2
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise FormatError(name, "end of file", "'*/' closing a comment")
            out.append("\n" * text.count("\n", i, end))
            i = end + 2
        elif text.startswith("//", i):  # as in Argdown itself, even inside "http://"
            end = text.find("\n", i)
            i = n if end < 0 else end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).strip()


def _split_data(rest: str, name: str, lineno: int) -> tuple[str, Optional[dict]]:
    """Cut a trailing ``{...}`` YAML data block off an element's text."""
    s = rest.rstrip()
    if not s.endswith("}") or s.endswith("\\}"):
        if re.search(r"(?<!\\)\{", s):
            raise FormatError(name, f"line {lineno}", "a '}' closing the data block (or write \\{ for a brace)")
        return rest, None
    depth, quote, i = 0, None, len(s) - 1
    while i >= 0:
        ch = s[i]
        escaped = i > 0 and s[i - 1] == "\\"
        if quote:
            if ch == quote and not escaped:
                quote = None
        elif ch in "\"'" and not escaped:
            quote = ch
        elif ch == "}" and not escaped:
            depth += 1
        elif ch == "{" and not escaped:
            depth -= 1
            if depth == 0:
                break
        i -= 1
    if i < 0:
        raise FormatError(name, f"line {lineno}", "a '{' opening the data block")
    import yaml
    try:
        data = yaml.safe_load(s[i:])
    except yaml.YAMLError as exc:
        raise FormatError(name, f"line {lineno}", f"YAML data ({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise FormatError(name, f"line {lineno}", "YAML data nested less deeply") from None
    if not isinstance(data, dict):
        raise FormatError(name, f"line {lineno}", "YAML data as a {key: value} mapping")
    return s[:i], data


class _Argdown:
    def __init__(self, name: str) -> None:
        self.name = name
        self.doc = MapDocument(name=name)
        self.ids = _Ids()
        self.claims: dict[str, dict[str, Any]] = {}
        self.explicit_kind: set[str] = set()
        self.seen: set = set()
        self.anonymous = 0
        self.sources: dict[str, dict] = {}

    def element(self, content: str, lineno: int) -> str:
        """Define or refer to a statement or argument; return its claim id."""
        content, data = _split_data(content, self.name, lineno)
        tags = [a or b for a, b in _TAG.findall(content)]
        content = _TAG.sub("", content).strip()
        if m := _STATEMENT.match(content):
            title, text, is_argument = _unescape(m.group(1)), m.group(2), False
        elif m := _ARGUMENT.match(content):
            title, text, is_argument = _unescape(m.group(1)), m.group(2), True
        else:
            if not content:
                raise FormatError(self.name, f"line {lineno}", "a statement, [title], <argument> or text")
            self.anonymous += 1
            title, text, is_argument = f"{_unescape(content)[:60]}#{self.anonymous}", content, False
        cid = self.ids.get(title.split("#")[0] if not m else title)
        claim = self.claims.get(cid)
        if claim is None:
            claim = {"id": cid, "text": None, "line": lineno, "argument": is_argument, "title": title}
            self.claims[cid] = claim
        if text and _unescape(text) and claim["text"] is None:
            claim["text"] = _unescape(text)
        for tag in tags:
            if tag in KINDS:
                claim["kind"] = tag
                self.explicit_kind.add(cid)
            else:
                self.doc.skipped["tags"] = self.doc.skipped.get("tags", 0) + 1
        if data:
            self.apply_data(cid, claim, data, lineno)
        return cid

    def apply_data(self, cid: str, claim: dict, data: dict, lineno: int) -> None:
        if data.get("kind") in KINDS:
            claim["kind"] = data["kind"]
            self.explicit_kind.add(cid)
        if isinstance(data.get("base_score"), (int, float)) and not isinstance(data.get("base_score"), bool):
            claim["base_score"] = float(data["base_score"])
        for ev in data.get("evidence") or []:
            if not isinstance(ev, dict) or not ev.get("source") or not ev.get("quote"):
                raise FormatError(self.name, f"line {lineno}", "evidence as {source: ..., quote: ...}")
            self.doc.evidence.append({"claim": cid, "source": str(ev["source"]), "quote": str(ev["quote"]),
                                      "locator": ev.get("locator")})
        if data.get("computations"):
            self.doc.skipped["computations in Argdown data (import argmap JSON to keep them)"] = \
                self.doc.skipped.get("computations in Argdown data (import argmap JSON to keep them)", 0) + 1

    def relate(self, symbol: str, parent: str, child: str) -> None:
        if symbol in ("+", "<+"):
            _add_relation(self.doc, self.seen, child, parent, "supports")
        elif symbol in ("-", "<-", "_", "<_"):
            _add_relation(self.doc, self.seen, child, parent, "attacks")
        elif symbol == "+>":
            _add_relation(self.doc, self.seen, parent, child, "supports")
        elif symbol in ("->", "_>"):
            _add_relation(self.doc, self.seen, parent, child, "attacks")
        elif symbol == "><":
            _add_relation(self.doc, self.seen, parent, child, "attacks")
            _add_relation(self.doc, self.seen, child, parent, "attacks")

    def parse(self, text: str) -> MapDocument:
        lines = text.split("\n")
        start = 0
        if lines and lines[0].strip() == "===":
            end = next((i for i in range(1, len(lines)) if lines[i].strip() == "==="), None)
            if end is None:
                raise FormatError(self.name, "line 1", "front matter closed by '==='")
            self.front_matter("\n".join(lines[1:end]))
            start = end + 1
        body = _strip_comments("\n".join(lines[start:]), self.name)
        stack: list[tuple[int, str]] = []
        last_argument: Optional[str] = None
        pcs: list[tuple[str, bool]] = []  # (claim id, after a rule)
        pcs_owner: Optional[str] = None
        for offset, raw in enumerate(body.split("\n")):
            lineno = start + offset + 1
            if not raw.strip():
                continue
            expanded = raw.replace("\t", "    ")
            indent = len(expanded) - len(expanded.lstrip(" "))
            line = expanded.strip()
            if indent == 0 and _HEADING.match(line):
                stack = []
                continue
            if _PCS_RULE.match(line) and pcs_owner is not None:
                pcs.append(("", True))
                continue
            if m := _PCS_ITEM.match(line):
                if last_argument is None:
                    raise FormatError(self.name, f"line {lineno}", "an <argument> before its numbered premises")
                if pcs_owner != last_argument:
                    self.finish_pcs(pcs_owner, pcs)
                    pcs_owner, pcs = last_argument, []
                pcs.append((self.element(m.group(2), lineno), False))
                continue
            rel = _RELATION.match(line)
            symbol, content = (rel.group(1), rel.group(2)) if rel else (None, line)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if len(stack) > MAX_DEPTH:
                raise FormatError(self.name, f"line {lineno}", f"nesting at most {MAX_DEPTH} levels deep")
            if symbol is not None and not stack:
                raise FormatError(self.name, f"line {lineno}", f"a statement above the relation '{symbol}'")
            cid = self.element(content, lineno)
            if symbol is not None:
                self.relate(symbol, stack[-1][1], cid)
            elif indent == 0:
                if self.claims[cid]["argument"]:
                    last_argument = cid
                else:
                    last_argument = None
            stack.append((indent, cid))
        self.finish_pcs(pcs_owner, pcs)
        return self.finish()

    def finish_pcs(self, owner: Optional[str], pcs: list[tuple[str, bool]]) -> None:
        """Premises support the argument; the argument supports its conclusion (the last item)."""
        if owner is None or not pcs:
            return
        items = [cid for cid, rule in pcs if not rule]
        if not any(rule for _, rule in pcs) or len(items) < 2:
            raise FormatError(self.name, f"argument <{self.claims[owner]['title']}>",
                              "premises, a '----' line, then a conclusion")
        conclusion = items[-1]
        for premise in items[:-1]:
            _add_relation(self.doc, self.seen, premise, owner, "supports")
        _add_relation(self.doc, self.seen, owner, conclusion, "supports")

    def front_matter(self, text: str) -> None:
        import yaml
        try:
            data = yaml.safe_load(text) or {}
        except RecursionError:
            raise FormatError(self.name, "front matter", "YAML nested less deeply") from None
        except yaml.YAMLError as exc:
            raise FormatError(self.name, "front matter", f"YAML ({str(exc).splitlines()[0]})") from None
        sources = ((data.get("argmap") or {}).get("sources") or []) if isinstance(data, dict) else []
        for s in sources:
            if isinstance(s, dict) and s.get("id") and s.get("title"):
                self.doc.sources.append({k: s.get(k) for k in ("id", "title", "author", "url", "date")})

    def finish(self) -> MapDocument:
        for cid, claim in self.claims.items():
            text = claim["text"] or (f"Argument {claim['title']}" if claim["argument"] else claim["title"])
            entry = {"id": cid, "text": text}
            if claim.get("kind"):
                entry["kind"] = claim["kind"]
            if "base_score" in claim:
                entry["base_score"] = claim["base_score"]
            self.doc.claims.append(entry)
        _infer_kinds(self.doc, self.explicit_kind)
        return self.doc


def parse_argdown(text: str, name: str) -> MapDocument:
    return _Argdown(name).parse(text)
