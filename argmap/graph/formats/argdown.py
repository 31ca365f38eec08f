"""Argdown (argdown.org): statements, arguments, relations and premise-conclusion
structures, read into a map; written back as ``[id]: text #kind {data}`` statements with
``+``/``-`` relations under each, evidence and computations as YAML data and the sources in
the front matter, which ``@argdown/cli`` reads with the same statements and relations.
"""

import json
import re
from typing import Any, Optional

from argmap.claims.argument_map import ArgumentMap
from argmap.claims.rules import KINDS
from argmap.graph.formats.document import (
    MAX_DEPTH, FormatError, Ids, MapDocument, add_relation, infer_kinds, load_yaml)
from argmap.graph.formats.shared import computations_by_claim, evidence_by_claim, result_text

MAX_ARGDOWN = 64 * 1024 * 1024  # characters: far beyond any hand-written map
MAX_LINE = 100_000  # characters in one line (a statement is at most 20,000)
_LONG_LINE = re.compile(r"[^\n]{%d}" % (MAX_LINE + 1))
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
    data = load_yaml(s[i:], name, f"line {lineno}", "YAML data")
    if not isinstance(data, dict):
        raise FormatError(name, f"line {lineno}", "YAML data as a {key: value} mapping")
    return s[:i], data


class _Argdown:
    def __init__(self, name: str) -> None:
        self.name = name
        self.doc = MapDocument(name=name)
        self.ids = Ids()
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
            add_relation(self.doc, self.seen, child, parent, "supports")
        elif symbol in ("-", "<-", "_", "<_"):
            add_relation(self.doc, self.seen, child, parent, "attacks")
        elif symbol == "+>":
            add_relation(self.doc, self.seen, parent, child, "supports")
        elif symbol in ("->", "_>"):
            add_relation(self.doc, self.seen, parent, child, "attacks")
        elif symbol == "><":
            add_relation(self.doc, self.seen, parent, child, "attacks")
            add_relation(self.doc, self.seen, child, parent, "attacks")

    def parse(self, text: str) -> MapDocument:
        if len(text) > MAX_ARGDOWN:
            raise FormatError(self.name, "whole file", f"an Argdown file of at most {MAX_ARGDOWN:,} characters")
        long_line = _LONG_LINE.search(text)
        if long_line:
            raise FormatError(self.name, f"line {text.count(chr(10), 0, long_line.start()) + 1}",
                              f"lines of at most {MAX_LINE:,} characters")
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
            add_relation(self.doc, self.seen, premise, owner, "supports")
        add_relation(self.doc, self.seen, owner, conclusion, "supports")

    def front_matter(self, text: str) -> None:
        data = load_yaml(text, self.name, "front matter") or {}
        if not isinstance(data, dict):
            raise FormatError(self.name, "front matter", "YAML as a {key: value} mapping")
        argmap = data.get("argmap") or {}
        if not isinstance(argmap, dict):
            raise FormatError(self.name, "front matter", "'argmap:' as a mapping with 'sources'")
        sources = argmap.get("sources") or []
        if not isinstance(sources, list):
            raise FormatError(self.name, "front matter", "'argmap: sources:' as a list")
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
        infer_kinds(self.doc, self.explicit_kind)
        return self.doc


def read(text: str, name: str) -> MapDocument:
    return _Argdown(name).parse(text)


# --- writing ---------------------------------------------------------------------------------

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


def write(amap: ArgumentMap, title: str = "argmap", status: Optional[dict[str, dict[str, Any]]] = None) -> str:
    status = status or {}
    evidence = evidence_by_claim(amap)
    comps = computations_by_claim(amap)
    front = {"title": title, "argmap": {"version": 1, "sources": [
        {"id": s.id, "title": s.title, "author": s.author, "url": s.url, "date": s.date} for s in amap.sources]}}
    lines = ["===", "title: " + json.dumps(title, ensure_ascii=True),
             "argmap: " + argdown_data(front["argmap"]), "===", ""]
    incoming: dict[str, list[Any]] = {}
    for r in amap.relations:
        incoming.setdefault(r.target, []).append(r)
    for c in sorted(amap.claims, key=lambda c: (c.kind != "thesis", c.id)):
        data: dict[str, Any] = {"kind": c.kind, "base_score": c.base_score}
        if c.id in status:
            data["grounded"] = status[c.id]["label"]
        if evidence.get(c.id):
            data["evidence"] = [{"source": e.source, "quote": e.quote, "locator": e.locator} for e in evidence[c.id]]
        if comps.get(c.id):
            data["computations"] = [{"id": x.id, "formula": x.formula, "unit": x.unit,
                                     "result": result_text(x)} for x in comps[c.id]]
        lines.append(f"[{c.id}]: {argdown_escape(c.text)} #{c.kind} {argdown_data(data)}")
        for r in sorted(incoming.get(c.id, []), key=lambda r: (r.type, r.source)):
            lines.append(f"  {'+' if r.type == 'supports' else '-'} [{r.source}]")
        lines.append("")
    return "\n".join(lines)
