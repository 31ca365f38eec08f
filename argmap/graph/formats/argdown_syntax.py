"""Argdown's grammar and model, as ``@argdown/core`` builds them, over ``argdown_lexer``'s tokens.

The result has the shape of the JSON that ``argdown json`` writes (statements as
equivalence classes by title, arguments with their premise-conclusion structure, relations
by title and type), so one mapping (``argdown_json.from_model``) turns either into a map and
the reference tool's output is the test oracle. A file that Argdown would reject (it refuses
the whole file on any syntax error) is refused here with its line and column.
"""

import re
from typing import Any, Callable, Optional

from argmap.graph.formats.argdown_lexer import LexError, Token, tokenize

SHORTCODES = {
    ".A.": "∀", ":A:": "∀", ".E.": "∃", ":E:": "∃", ".O.": "𝗢", ":O:": "𝗢", ".P.": "𝗣", ":P:": "𝗣",
    ".->.": "→", ":->:": "→", ".<->.": "↔", ":<->:": "↔", ".~.": "¬", ":~:": "¬", ".^.": "∧", ":^:": "∧",
    ".v.": "∨", ":v:": "∨", ".v_.": "⊻", ":v_:": "⊻", ".<>.": "◇", ":<>:": "◇", ".[].": "◻", ":[]:": "◻",
    ":happy:": "😀", ".happy.": "😀", ":smile:": "☺️", ".smile.": "☺", ":smiley:": "☺", ".smiley.": "☺",
    ":laugh:": "😆", ".laugh.": "😆", ":lol:": "😆", ".lol.": "😆", ":rofl:": "🤣", ".rofl.": "🤣",
    ":joy:": "😂", ".joy.": "😂", ":heart:": "❤", ".heart.": "❤", ".?.": "❓", ":?:": "❓",
    ".question.": "❓", ":question:": "❓", ":love:": "😍", ".love.": "😍", ":wink:": "😉", ".wink.": "😉",
    ":shush:": "🤫", ".shush.": "🤫", ":meh:": "😐", ".meh.": "😐", ":eye-roll:": "🙄", ".eye-roll.": "🙄",
    ":sad:": "😢", ".sad.": "😢", ":disappointed:": "😞", ".disappointed.": "😞", ":scream:": "😱",
    ".scream.": "😱", ":+1:": "👍", ".+1.": "👍", ":up:": "👍", ".up.": "👍", ":-1:": "👎", ".-1.": "👎",
    ":down:": "👎", ".down.": "👎", ":think:": "🤔", ".think.": "🤔", ".star.": "⭐", ":star:": "⭐",
    ".y.": "✔", ":y:": "✔", ".agree.": "✔", ":agree:": "✔", ".n.": "❌", ":n:": "❌",
    ".disagree.": "❌", ":disagree:": "❌",
}
RELATION_TOKENS = {  # token -> (relation type, the parent is the relation's source)
    "IncomingSupport": ("support", True), "IncomingAttack": ("attack", True),
    "OutgoingSupport": ("support", False), "OutgoingAttack": ("attack", False),
    "Contradiction": ("contradictory", True), "IncomingUndercut": ("undercut", True),
    "OutgoingUndercut": ("undercut", False),
}
CONTENT_TOKENS = {"Freestyle", "UnusedControlChar", "EscapedChar", "SpecialChar", "Link", "Tag",
                  "ArgumentMention", "StatementMention", "Newline", "AsteriskBoldStart",
                  "UnderscoreBoldStart", "AsteriskItalicStart", "UnderscoreItalicStart"}
FREESTYLE = {"Freestyle", "UnusedControlChar", "EscapedChar", "SpecialChar"}
MAX_NESTING = 200


class ArgdownSyntaxError(Exception):
    def __init__(self, offset: int, expected: str):
        super().__init__(expected)
        self.offset, self.expected = offset, expected


def _u16(text: str) -> int:
    """Length in UTF-16 code units: the offsets Argdown (JavaScript) writes in ``ranges``."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class _Model:
    """What ``@argdown/core``'s ModelPlugin builds while walking the parse: equivalence
    classes, arguments and relations, with its order of "Untitled N" titles."""

    def __init__(self, load_data: Callable[[str, int], Any]):
        self.statements: dict[str, dict] = {}
        self.arguments: dict[str, dict] = {}
        self.relations: list[dict] = []
        self.untitled = 0
        self.load_data = load_data
        self.front_matter: Any = None
        self.keys: set[tuple[int, int, str]] = set()
        self.incoming: set[tuple[int, str]] = set()
        self.sections: list[dict] = []  # the headings, in order: {"id", "title", "level", "parent"}
        self.section: Optional[str] = None  # the id of the section being read
        self.open_stack: list[dict] = []

    def place(self, node: dict, member: dict) -> None:
        """Argdown's group of a statement or argument: the first section in which it is
        defined (``[T]: ...``, not only referred to; an argument: where its premise-conclusion
        structure is, if it has one); one never defined in a section: where it first appears
        (before any heading: in none)."""
        if node.get("pcsSection") is not None:
            return
        if len(node["members"]) == 1:
            node["section"] = self.section
        if self.section is not None and not node.get("texted") and not member.get("isReference"):
            node["section"], node["texted"] = self.section, True

    def open_section(self, title: str, level: int) -> None:
        """A heading starts a section inside the last one of a lower level (Argdown's groups)."""
        while self.open_stack and self.open_stack[-1]["level"] >= level:
            self.open_stack.pop()
        section = {"id": f"s{len(self.sections) + 1}", "title": title, "level": level,
                   "parent": self.open_stack[-1]["id"] if self.open_stack else None}
        self.sections.append(section)
        self.open_stack.append(section)
        self.section = section["id"]

    def unique_title(self) -> str:
        self.untitled += 1
        return f"Untitled {self.untitled}"

    def ec(self, title: str) -> dict:
        if title not in self.statements:
            self.statements[title] = {"type": "equivalence-class", "title": title, "members": []}
        return self.statements[title]

    def argument(self, title: Optional[str] = None) -> dict:
        if title and title in self.arguments:
            return self.arguments[title]
        arg = {"type": "argument", "title": title or self.unique_title(), "members": [], "pcs": []}
        self.arguments[arg["title"]] = arg
        return arg

    def member(self, stmt: dict) -> dict:
        """The relation end a statement or argument description stands for."""
        if stmt["type"] == "argument":
            return stmt
        if not stmt.get("title"):
            stmt["title"] = self.unique_title()
        if stmt.get("role") == "argument-description":
            return self.argument(stmt["title"])
        return self.ec(stmt["title"])

    def relate(self, relation: dict) -> None:
        """Add a relation unless the same one (or a contradiction the other way) exists."""
        key = (id(relation["from"]), id(relation["to"]), relation["relationType"])
        if key in self.keys or (key[2] == "contradictory" and (key[1], key[0], key[2]) in self.keys):
            return
        if key[0] == key[1] and (key[1], key[2]) in self.incoming:
            return  # Argdown compares only the target among the relations of the source: its quirk, kept
        self.keys.add(key)
        self.incoming.add((key[1], key[2]))
        self.relations.append(relation)


class _Parser:
    def __init__(self, text: str, tokens: list[Token], load_data: Callable[[str, int], Any]):
        self.text, self.tokens, self.i = text, tokens, 0
        self.model = _Model(load_data)
        self.current: Optional[dict] = None  # the statement whose text is being read
        self.inference: Optional[dict] = None  # Argdown keeps the last inference (its quirk, kept)
        self.parents: list[dict] = []
        self.depth = 0

    # --- tokens ------------------------------------------------------------------------------
    def peek(self, k: int = 0) -> Optional[str]:
        j = self.i + k
        return self.tokens[j].kind if j < len(self.tokens) else None

    def take(self, kind: str) -> Token:
        if self.peek() != kind:
            self.fail(_NAMES.get(kind, kind))
        self.i += 1
        return self.tokens[self.i - 1]

    def accept(self, kind: str) -> Optional[Token]:
        return self.take(kind) if self.peek() == kind else None

    def fail(self, expected: str) -> None:
        offset = self.tokens[self.i].start if self.i < len(self.tokens) else len(self.text)
        found = self.tokens[self.i].image.strip()[:30] if self.i < len(self.tokens) else ""
        raise ArgdownSyntaxError(offset, f"{expected}{f' (found {found!r})' if found else ''}")

    # --- blocks --------------------------------------------------------------------------------
    def document(self) -> None:
        self.accept("Newline")
        self.accept("Emptyline")
        previous: Optional[str] = None
        if self.peek() == "FrontMatter":
            token = self.take("FrontMatter")
            body = re.sub(r"={3,}\s*$", "", re.sub(r"^\s*={3,}", "", token.image))
            self.model.front_matter = self.model.load_data(body, token.start)
            self.accept("Newline")
            self.take("Emptyline")
            previous = "front matter"
        while True:
            previous = self.block(previous)
            if self.peek() is None:
                return
            self.take("Emptyline")
            if self.peek() is None:
                return

    def block(self, previous: Optional[Any]) -> Any:
        kind = self.peek()
        if kind == "HeadingStart":
            self.heading()
            return None
        if kind == "StatementNumber":
            self.pcs(previous if isinstance(previous, dict) else None)
            return None
        if kind in ("ArgumentDefinition", "ArgumentReference"):
            return self.argument(top=True)
        if kind == "Indent" and self.peek(1) in ("OrderedListItem", "UnorderedListItem"):
            self.listing()
            return None
        if kind in CONTENT_TOKENS or kind in ("StatementReference", "StatementDefinition"):
            self.statement(top=True)
            return None
        self.fail("a statement, an <argument>, a premise (1), a heading or a list")

    def heading(self) -> None:
        level = self.take("HeadingStart").image.count("#")
        saved, self.current = self.current, {"type": "heading", "text": ""}
        self.content(required=True)
        title = self.current["text"].strip()
        if self.peek() == "Data" or (self.peek() == "Newline" and self.peek(1) == "Data"):
            self.accept("Newline")
            self.data()
            self.accept("Newline")
        self.current = saved
        self.model.open_section(title, level)

    def listing(self) -> None:
        self.take("Indent")
        item = self.peek()
        while self.peek() == item:
            self.take(item)
            if self.peek() in ("ArgumentDefinition", "ArgumentReference"):
                self.argument()
            else:
                self.statement()
        self.take("Dedent")

    def pcs(self, previous: Optional[dict]) -> None:
        arg = previous if previous is not None else self.model.argument()
        if arg["pcs"]:
            self.fail(f"one premise-conclusion structure per argument (<{arg['title']}> has one already)")
        statements: list[dict] = []
        after_inference, inferences = False, 0
        while True:
            if self.peek() == "StatementNumber":
                self.take("StatementNumber")
                stmt = self.statement()
                stmt["role"] = "intermediary-conclusion" if after_inference else "premise"
                stmt["argumentTitle"] = arg["title"]
                statements.append(stmt)
                after_inference = False
                if self.peek() != "StatementNumber" and self.peek() != "InferenceStart":
                    break
            elif self.peek() == "InferenceStart":
                if after_inference or not statements:
                    self.fail("a numbered statement (1) before the inference")
                self.inference_rule(arg)
                inferences += 1
                after_inference = True
                if self.peek() != "StatementNumber":
                    self.fail("the conclusion, numbered, after the inference line")
            else:
                break
        if inferences == 0:
            self.fail("an inference line ('----') and a conclusion after the premises")
        statements[-1]["role"] = "main-conclusion"
        arg["pcs"] = [{"title": s["title"], "role": s["role"]} for s in statements]
        if self.model.section is not None:
            arg["section"] = arg["pcsSection"] = self.model.section

    def inference_rule(self, arg: dict) -> None:
        self.take("InferenceStart")
        self.inference = {"type": "inference", "argumentTitle": arg["title"], "rules": []}
        arg["inference"] = self.inference
        if self.peek() in FREESTYLE or (self.peek() == "Newline" and self.peek(1) in FREESTYLE):
            self.accept("Newline")
            while True:
                self.inference["rules"].append(self.freestyle_text().strip())
                if not self.accept("ListDelimiter"):
                    break
        self.accept("Newline")
        if self.peek() == "Data":
            self.inference["data"] = self.data()
            self.accept("Newline")
        self.take("InferenceEnd")
        self.take("Newline")
        if self.peek() == "Indent" and self.peek(1) == "OutgoingUndercut":
            self.relations(self.inference, only_undercuts=True)

    # --- statements and arguments --------------------------------------------------------------
    def statement(self, top: bool = False) -> dict:
        stmt: dict[str, Any] = {"type": "statement", "text": ""}
        if top:
            stmt["role"] = "top-level"
        saved, self.current = self.current, stmt
        kind = self.peek()
        if kind == "StatementDefinition":
            stmt["title"] = self.take(kind).image[1:-2]
            self.content(required=True)
        elif kind == "StatementReference":
            stmt["title"] = self.take(kind).image[1:-1]
            self.reference_rest(stmt)
        else:
            self.content(required=True)
        self.data_and_relations(stmt, saved)
        if not stmt.get("title"):
            stmt["title"] = self.model.unique_title()
        ec = self.model.ec(stmt["title"])
        if stmt.get("data") is not None:
            ec["data"] = _merge(ec.get("data"), stmt["data"])
        ec["members"].append(stmt)
        self.model.place(ec, stmt)
        return stmt

    def reference_rest(self, node: dict) -> None:
        """After ``[Title]`` or ``<Title>`` as a reference: its tags, then the end of its line."""
        node["isReference"] = True
        while self.peek() == "Tag":
            self.tag(self.take("Tag"))
        if self.peek() == "Newline":
            self.newline(last=self.peek(1) not in ("Data", "Indent"))
            self.take("Newline")

    def data_and_relations(self, node: dict, saved: Any) -> None:
        """A statement's or argument's data block, then (back in the enclosing text) its relations."""
        if self.peek() == "Data":
            node["data"] = self.data()
            self.accept("Newline")
        self.current = saved
        if self.peek() == "Indent":
            self.relations(node)

    def argument(self, top: bool = False) -> dict:
        desc: dict[str, Any] = {"type": "statement", "role": "argument-description", "text": ""}
        saved, self.current = self.current, desc
        kind = self.peek()
        if kind == "ArgumentDefinition":
            desc["title"] = self.take(kind).image[1:-2]
            self.content(required=True)
        else:
            desc["title"] = self.take("ArgumentReference").image[1:-1]
            self.reference_rest(desc)
        self.data_and_relations(desc, saved)
        arg = self.model.argument(desc["title"] or None)
        if desc.get("data") is not None:
            arg["data"] = _merge(arg.get("data"), desc["data"])
        arg["members"].append(desc)
        self.model.place(arg, desc)
        return arg

    def relations(self, parent: dict, only_undercuts: bool = False) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.fail(f"relations nested at most {MAX_NESTING} levels deep")
        self.take("Indent")
        self.parents.append(self.model.member(parent) if parent["type"] != "inference" else parent)
        count = 0
        while self.peek() in RELATION_TOKENS:
            token = self.take(self.peek())
            if only_undercuts and token.kind != "OutgoingUndercut":
                self.fail("only undercuts '_' under an inference")
            rtype, parent_is_source = RELATION_TOKENS[token.kind]
            anchor = self.parents[-1]
            if token.kind == "OutgoingUndercut" and anchor["type"] == "equivalence-class" and self.inference:
                anchor = self.inference
            if token.kind == "Contradiction":
                child = self.model.member(self.statement())
            elif self.peek() in ("ArgumentDefinition", "ArgumentReference"):
                child = self.argument()
            else:
                child = self.model.member(self.statement())
            source, target = (anchor, child) if parent_is_source else (child, anchor)
            self.model.relate({"from": source, "to": target, "relationType": rtype})
            count += 1
        if count == 0:
            self.fail("a relation (+, -, _, <+, <-, <_, +>, ->, _>, ><)")
        self.take("Dedent")
        self.parents.pop()
        self.depth -= 1

    # --- text ------------------------------------------------------------------------------------
    def content(self, required: bool = False) -> None:
        """Statement content: text, links, emphasis, tags, mentions and line breaks."""
        start = self.i
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.fail(f"emphasis nested at most {MAX_NESTING} levels deep")
        while self.peek() in CONTENT_TOKENS:
            kind = self.peek()
            if kind in FREESTYLE:
                self.current["text"] += self.freestyle_text()
            elif kind == "Link":
                self.link(self.take(kind))
            elif kind == "Tag":
                self.tag(self.take(kind))
            elif kind in ("ArgumentMention", "StatementMention"):
                self.mention(self.take(kind))
            elif kind == "Newline":
                self.newline(last=self.peek(1) not in CONTENT_TOKENS)
                self.take(kind)
            else:
                self.emphasis(kind[:-len("Start")])
        self.depth -= 1
        if required and self.i == start:
            self.fail("text")

    def emphasis(self, name: str) -> None:
        opened = self.take(name + "Start")
        if self.peek() in CONTENT_TOKENS:
            self.content()
        if self.peek() != name + "End":
            raise ArgdownSyntaxError(opened.start, f"the end of the emphasis opened here ('{opened.image}' "
                                                   f"again, or write '\\{opened.image[0]}' for the character)")
        end = self.take(name + "End")
        if end.image.endswith(" "):
            self.current["text"] += " "

    def freestyle_text(self) -> str:
        out = []
        while self.peek() in FREESTYLE:
            token = self.take(self.peek())
            if token.kind == "EscapedChar":
                out.append(token.image[1:])
            elif token.kind == "SpecialChar" and token.image.strip() in SHORTCODES:
                out.append(SHORTCODES[token.image.strip()] + (" " if token.image.endswith(" ") else ""))
            else:
                out.append(token.image)
        return "".join(out)

    def newline(self, last: bool) -> None:
        """A line break inside a text reads as one space (not at the text's end)."""
        target = self.current
        if not last and not target["text"].endswith(" "):
            target["text"] += " "

    def link(self, token: Token) -> None:
        label_end = token.image.index("](")
        target = self.current
        target["text"] += token.image[1:label_end]
        target.setdefault("links", []).append(token.image[label_end + 2:token.image.rstrip(" \t").rindex(")")])
        if token.image.endswith((" ", "\t")):
            target["text"] += " "

    def tag(self, token: Token) -> None:
        image = token.image
        tag = image[2:image.rindex(")")] if image.startswith("#(") else image[1:].rstrip(" \t")
        target = self.current
        old = target["text"]
        target["text"] = old + image
        target.setdefault("ranges", []).append(
            {"type": "tag", "start": _u16(old), "stop": _u16(old) + _u16(image) - 1, "tag": tag})
        if tag not in target.setdefault("tags", []):
            target["tags"].append(tag)

    def mention(self, token: Token) -> None:
        self.current["text"] += token.image

    def data(self) -> Any:
        token = self.take("Data")
        body = token.image
        if m := re.match(r"\{[ \t]*(\n\r|\n)", body):  # a multi-line block: YAML's block style
            body = re.sub(r"\}\s*$", "", body[m.end():])
        return self.model.load_data(body, token.start)


_NAMES = {**{f"{e}{w}End": "the end of the emphasis" for e in ("Asterisk", "Underscore") for w in ("Bold", "Italic")},
          "Emptyline": "an empty line before the next element", "Dedent": "the end of the indented relations",
          "Newline": "a line break", "InferenceEnd": "'--' closing the inference", "Indent": "an indented relation"}


def _merge(old: Any, new: Any) -> Any:
    """lodash.merge, as Argdown combines the data of an element's occurrences."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for key, value in new.items():
            out[key] = _merge(out.get(key), value) if key in out else value
        return out
    return new if new is not None else old


def _transform(model: _Model) -> None:
    """ModelPlugin's last steps: a reconstructed argument's relations start from its main
    conclusion, an undercut of it targets its inference, and an attack on it that repeats an
    attack on one of its premises is dropped. Indexed, so linear in the relations."""
    keys = model.keys
    kept = []
    for r in model.relations:
        src, dst, rtype = r["from"], r["to"], r["relationType"]
        if src["type"] == "argument" and src["pcs"]:
            keys.discard((id(src), id(dst), rtype))
            src = r["from"] = model.statements[src["pcs"][-1]["title"]]
            if (id(src), id(dst), rtype) in keys or src is dst:  # Argdown finds the relation itself there
                continue
            keys.add((id(src), id(dst), rtype))
        if dst["type"] == "argument" and dst["pcs"] and rtype == "undercut":
            keys.discard((id(src), id(dst), rtype))
            dst = r["to"] = dst.setdefault("inference", {"type": "inference", "argumentTitle": dst["title"]})
            if (id(src), id(dst), rtype) in keys:
                continue
            keys.add((id(src), id(dst), rtype))
        kept.append(r)
    of_ec: dict[int, list[dict]] = {}
    for r in kept:
        for end in (r["from"], r["to"]):
            if end["type"] == "equivalence-class":
                of_ec.setdefault(id(end), []).append(r)
    final = []
    for r in kept:
        src, dst = r["from"], r["to"]
        if src["type"] == "equivalence-class" and r["relationType"] == "attack" and dst["type"] == "argument" \
                and dst["pcs"]:
            premises = {s["title"] for s in dst["pcs"] if s["role"] == "premise"}
            if any(_other(o, src)["type"] == "equivalence-class" and _other(o, src)["title"] in premises
                   and ((o["relationType"] == "attack" and o["from"] is src)
                        or o["relationType"] in ("contradictory", "contrary")) for o in of_ec.get(id(src), ())):
                continue
        final.append(r)
    model.relations = final


def _other(relation: dict, end: dict) -> dict:
    return relation["to"] if relation["from"] is end else relation["from"]


def _end(x: dict) -> tuple[str, str]:
    if x["type"] == "inference":
        return x["argumentTitle"], "inference"
    return x["title"], x["type"]


def parse(text: str, load_data: Callable[[str, int], Any]) -> dict[str, Any]:
    """The model of an Argdown text in the shape of ``argdown json``'s output; raises
    ``ArgdownSyntaxError`` (with an offset) where Argdown would report a syntax error."""
    try:
        tokens = tokenize(text)
    except LexError as exc:
        raise ArgdownSyntaxError(exc.offset, exc.what) from None
    parser = _Parser(text, tokens, load_data)
    if tokens:
        parser.document()
    model = parser.model
    _transform(model)
    return {
        "statements": {t: {"title": t, "members": [_public(m) for m in ec["members"]], "data": ec.get("data"),
                           "section": ec.get("section")}
                       for t, ec in model.statements.items()},
        "arguments": {t: {"title": t, "members": [_public(m) for m in a["members"]], "data": a.get("data"),
                          "pcs": a["pcs"], "section": a.get("section")}
                      for t, a in model.arguments.items()},
        "sections": model.sections,
        "relations": [{"from": _end(r["from"])[0], "fromType": _end(r["from"])[1], "to": _end(r["to"])[0],
                       "toType": _end(r["to"])[1], "relationType": r["relationType"]} for r in model.relations],
        "frontMatter": model.front_matter,
    }


def _public(member: dict) -> dict:
    return {k: member[k] for k in ("text", "tags", "ranges", "role", "title", "data") if k in member}


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """Where an offset is, for an error message (computed only when one is shown)."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
