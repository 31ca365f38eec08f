"""Argdown's tokens, as the Argdown project's own lexer (``@argdown/core``) cuts them.

Argdown is not a context-free language: whether ``-`` starts a relation, ``--`` an
inference, ``(1)`` a premise or ``*`` emphasis depends on what came before (a line break, an
empty line, an open emphasis), and indentation is turned into Indent/Dedent tokens by the
matchers of relations and list items. A grammar generator cannot express that, so this is a
port of the reference lexer: the same tokens, tried in the same order, with the same
context rules. ``argdown_syntax`` parses the tokens. Work is bounded: a title or a data
block longer than any map writes is not looked for past its limit, so a hostile line costs
linear time.
"""

import re
from dataclasses import dataclass
from typing import Callable, Optional

_DOT = r"[^\n\r\u2028\u2029]"  # JavaScript's "."
MAX_DATA = 100_000  # characters of one inline {data} block


@dataclass
class Token:
    kind: str
    image: str
    start: int


class LexError(Exception):
    def __init__(self, offset: int, what: str):
        super().__init__(what)
        self.offset, self.what = offset, what


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern.replace("<DOT>", _DOT))


_AFTER_EMPTY = re.compile(r"(?:[ \t]*\r\n|\n|\r)*")
_AFTER_NEWLINE = re.compile(r"(?:[ \t]*(?:\r\n|\n|\r)(?!([ \t]*(\r\n|\n|\r))))?")
_DATA_TAIL = re.compile(r"\s*[,}]")
_ESCAPED = _re(r"\\<DOT>(?: )*")
_SPECIAL = _re(r"(?:\.[^\s]+?\.[ \t]?)|(?::[^\s]+?:[ \t]?)")
_EMPTYLINE = re.compile(r"(?:[ \t]*(?:\r\n|\n)){2,}")
_NEWLINE = re.compile(r"[ \t]*(?:\r\n|\n|\r)")
_INFERENCE_START = re.compile(r"[ \t]*-{2}")
_RELATIONS = [  # (token kind, pattern): Argdown's order, first match wins
    ("IncomingSupport", re.compile(r"([ \t]*)(\+>)")),
    ("IncomingAttack", re.compile(r"([ \t]*)(->)")),
    ("OutgoingSupport", re.compile(r"([ \t]*)(<?\+)")),
    ("OutgoingAttack", re.compile(r"([ \t]*)(<?-)")),
    ("Contradiction", re.compile(r"([ \t]*)(><)")),
    ("IncomingUndercut", re.compile(r"([ \t]*)(_>)")),
    ("OutgoingUndercut", re.compile(r"([ \t]*)(<_|(?:_(?=\s)))")),
]
_HEADING = re.compile(r"(#+) ")
_STATEMENT_NUMBER = re.compile(r"[ \t]*\(\d+\)")
_ORDERED_ITEM = re.compile(r"([ \t]*)\d+\.(?=\s)")
_UNORDERED_ITEM = re.compile(r"([ \t]*)\*(?=\s)")
_END = r"(?:[ \t]|(?=\n|\r|\)|\}|_|\.|,|!|\?|;|:|-|\*|$))"
_EMPHASIS = [  # (range type, start pattern, end pattern), ends tried before starts
    ("AsteriskBold", re.compile(r"\*\*(?!\s)"), re.compile(r"\*\*" + _END)),
    ("UnderscoreBold", re.compile(r"__(?!\s)"), re.compile(r"__" + _END)),
    ("AsteriskItalic", re.compile(r"\*(?!\s)"), re.compile(r"\*" + _END)),
    ("UnderscoreItalic", re.compile(r"_(?!\s)"), re.compile(r"_" + _END)),
]
_TAG_WORD = re.compile(r"#[a-zA-z0-9\-\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+[ \t]?")
_SPACES = re.compile(r"[ \t]+")
_FREESTYLE = re.compile(r"[^\\@#*_\[\],.:;</>\-\r\n(){}]+")
_CONTROL = re.compile(r"[@#*_\[\],.:;</>\-(){}][ \t]?")
_LIST_DELIMITER = re.compile(r",")
_INFERENCE_END = re.compile(r"-{2,}")


class _Next:
    """Where a pattern next occurs at or after a position. The lexer only moves forward, so
    one search serves every position up to its answer: scanning stays linear however many
    unclosed brackets a file holds."""

    def __init__(self, text: str, pattern: str):
        self.text, self.pattern = text, re.compile(pattern)
        self.asked, self.found = 1, 0

    def __call__(self, pos: int) -> int:
        if not self.asked <= pos <= self.found:
            m = self.pattern.search(self.text, pos)
            self.asked, self.found = pos, (m.start() if m else len(self.text))
        return self.found


class Lexer:
    def __init__(self, text: str):
        self.text = text
        self.n = len(text)
        self.next = {name: _Next(text, pattern) for name, pattern in (
            ("eol", r"[\n\r\u2028\u2029]"), ("]", r"\]"), (">", r">"), (")", r"\)"), ("]:", r"\]:"),
            (">:", r">:"), ("-->", r"-->"), ("*/", r"\*/"), ("===", r"==="), ("}", r"\}\s[^,}]"),
            ("\r", r"[\r\u2028\u2029]"))}
        self.data_cache: tuple[int, int, int] = (-1, -1, -1)  # (stop, lowest checked, valid end)
        self.tokens: list[Token] = []
        self.indents = [0]
        self.ranges: list[str] = []

    # --- context ------------------------------------------------------------------------
    def last(self) -> Optional[str]:
        return self.tokens[-1].kind if self.tokens else None

    def at_line_start(self, emptyline_too: bool = True) -> bool:
        last = self.last()
        return last is None or last == "Newline" or (emptyline_too and last == "Emptyline")

    def emit(self, kind: str, pos: int) -> None:
        self.tokens.append(Token(kind, "", pos))

    def dedent_all(self, pos: int) -> None:
        while len(self.indents) > 1:
            self.indents.pop()
            self.emit("Dedent", pos)

    def indent_to(self, width: int, pos: int) -> None:
        if width > self.indents[-1]:
            self.indents.append(width)
            self.emit("Indent", pos)
        else:
            while len(self.indents) > 1 and width < self.indents[-1]:
                self.indents.pop()
                self.emit("Dedent", pos)

    # --- the tokens whose reference patterns search ahead, found in linear time ------------
    def comment(self, pos: int) -> int:
        """End of a comment at ``pos`` (without what follows it), or -1."""
        text, nxt = self.text, self.next
        if text.startswith("<!--", pos):
            end = nxt["-->"](pos + 4)
            return end + 3 if end < self.n else -1
        if text.startswith("/*", pos):
            end = nxt["*/"](pos + 2)
            return end + 2 if end < self.n else -1
        if text.startswith("//", pos):
            end = nxt["eol"](pos + 2)
            return end if end < self.n and text[end] in "\r\n" else -1
        return -1

    def front_matter(self, pos: int) -> int:
        """``===+[\\s\\S]*?===+``: the run of '=' opening it, then the next run of three or more."""
        text, run = self.text, pos
        while run < self.n and text[run] == "=":
            run += 1
        if run - pos < 3:
            return -1
        close = self.next["==="](run)
        if close < self.n:
            end = close
            while end < self.n and text[end] == "=":
                end += 1
            return end
        return run if run - pos >= 6 else -1

    def titled(self, pos: int, open_: str, close: str, definition: bool) -> int:
        """``[.+?]:`` / ``[[^-].*?]`` (and the same with < >): end, or -1."""
        if definition:
            end = self.next[close + ":"](pos + 2)
            return end + 2 if end < self.next["eol"](pos + 1) else -1
        if pos + 1 >= self.n or self.text[pos + 1] == "-":
            return -1
        end = self.next[close](pos + 2)
        return end + 1 if end < self.next["eol"](pos + 2) else -1

    def mention(self, pos: int, close: str) -> int:
        end = self.next[close](pos + 3)
        if end >= self.next["eol"](pos + 2):
            return -1
        return end + 2 if self.text[end + 1:end + 2] in (" ", "\t") and end + 1 < self.n else end + 1

    def link(self, pos: int) -> int:
        """``[[^\\]]+?]\\([^)]+?\\)[ \\t]?``"""
        text = self.text
        label_end = self.next["]"](pos + 1)
        if label_end == pos + 1 or label_end + 2 >= self.n or text[label_end + 1] != "(" or text[label_end + 2] == ")":
            return -1
        url_end = self.next[")"](label_end + 2)
        if url_end >= self.n:
            return -1
        return url_end + 2 if text[url_end + 1:url_end + 2] in (" ", "\t") and url_end + 1 < self.n else url_end + 1

    def data(self, pos: int) -> int:
        """``{((?!}\\s[^,}])(.|\\n))*}(?!\\s*(,|}))``: the last '}' before the first '} x' (x not
        ',' or '}') that is not followed by optional space and ',' or '}'."""
        stop = min(self.next["}"](pos + 1), self.next["\r"](pos + 1) - 1)  # JavaScript's "." stops at \r
        cached_stop, checked, valid = self.data_cache
        if cached_stop != stop:
            checked, valid = stop + 1, -1
        if valid <= pos:
            valid = -1
            q = min(checked, self.n) - 1
            while q > pos:
                q = self.text.rfind("}", pos + 1, q + 1)
                if q < 0:
                    break
                if not _DATA_TAIL.match(self.text, q + 1):
                    valid = q + 1
                    break
                q -= 1
            checked = pos + 1
        self.data_cache = (stop, checked, valid)
        if valid > MAX_DATA + pos:
            raise LexError(pos, f"a {{data}} block of at most {MAX_DATA:,} characters")
        return valid

    # --- default mode ---------------------------------------------------------------------
    def default(self, pos: int) -> Optional[tuple[str, int, bool]]:
        """The token at ``pos``: (kind, end, skipped), or None when nothing matches."""
        text, last = self.text, self.last()
        ch = text[pos]
        if ch in "/<" and (end := self.comment(pos)) >= 0:
            if last == "Emptyline":
                end = _AFTER_EMPTY.match(text, end).end()
            elif last == "Newline":
                end = _AFTER_NEWLINE.match(text, end).end()
            return "Comment", end, True
        if ch == "=" and (end := self.front_matter(pos)) >= 0:
            return "FrontMatter", end, False
        if ch == "{" and (end := self.data(pos)) >= 0:
            return "Data", end, False
        if ch == "\\" and (m := _ESCAPED.match(text, pos)):
            return "EscapedChar", m.end(), False
        if ch in ".:" and (m := _SPECIAL.match(text, pos)):
            return "SpecialChar", m.end(), False
        if ch in " \t\r\n" and last != "Emptyline" and (m := _EMPTYLINE.match(text, pos)):
            if m.end() < len(text):
                self.dedent_all(pos)
            return "Emptyline", m.end(), False
        if m := _NEWLINE.match(text, pos):
            return "Newline", m.end(), False
        line_start = self.at_line_start()
        if last in (None, "Newline") and (m := _INFERENCE_START.match(text, pos)):
            self.dedent_all(pos)
            return "InferenceStart", m.end(), False
        if line_start:
            for kind, pattern in _RELATIONS:
                if m := pattern.match(text, pos):
                    self.indent_to(len(m.group(1)), pos)
                    return kind, m.end(), False
            if ch == "#" and (m := _HEADING.match(text, pos)):
                return "HeadingStart", m.end(), False
            if m := _STATEMENT_NUMBER.match(text, pos):
                self.dedent_all(pos)
                return "StatementNumber", m.end(), False
            for kind, pattern in (("OrderedListItem", _ORDERED_ITEM), ("UnorderedListItem", _UNORDERED_ITEM)):
                if m := pattern.match(text, pos):
                    self.indent_to(len(m.group(1)) + 1, pos)
                    return kind, m.end(), False
        if ch in "*_":
            for name, _start, end in _EMPHASIS:
                if self.ranges and self.ranges[-1] == name and self.tokens and (m := end.match(text, pos)):
                    self.ranges.pop()
                    return name + "End", m.end(), False
            for name, start, _end in _EMPHASIS:
                if m := start.match(text, pos):
                    self.ranges.append(name)
                    return name + "Start", m.end(), False
        if ch == "[" and (end := self.link(pos)) >= 0:
            return "Link", end, False
        if ch == "#":
            if text.startswith("#(", pos) and text[pos + 2:pos + 3] not in ("", ")") \
                    and (end := self.next[")"](pos + 2)) < self.n:
                return "Tag", end + 2 if text[end + 1:end + 2] in (" ", "\t") and end + 1 < self.n else end + 1, False
            if m := _TAG_WORD.match(text, pos):
                return "Tag", m.end(), False
        if ch in "[<":
            close = "]" if ch == "[" else ">"
            for kind, definition in (("Definition", True), ("Reference", False)):
                if (end := self.titled(pos, ch, close, definition)) >= 0:
                    return ("Statement" if ch == "[" else "Argument") + kind, end, False
        if ch == "@" and text[pos + 1:pos + 2] in ("[", "<"):
            close = "]" if text[pos + 1] == "[" else ">"
            if (end := self.mention(pos, close)) >= 0:
                return ("Statement" if close == "]" else "Argument") + "Mention", end, False
        return self.text_token(pos)

    def text_token(self, pos: int) -> Optional[tuple[str, int, bool]]:
        if m := _SPACES.match(self.text, pos):
            return "Spaces", m.end(), True
        if m := _FREESTYLE.match(self.text, pos):
            return "Freestyle", m.end(), False
        if m := _CONTROL.match(self.text, pos):
            return "UnusedControlChar", m.end(), False
        return None

    # --- inference mode (between the two "--" of an inference rule) ------------------------
    def inference(self, pos: int) -> Optional[tuple[str, int, bool]]:
        text, ch = self.text, self.text[pos]
        if ch in "/<" and (end := self.comment(pos)) >= 0:
            return "Comment", end, True
        if m := _NEWLINE.match(text, pos):
            return "Newline", m.end(), False
        if ch == "\\" and (m := _ESCAPED.match(text, pos)):
            return "EscapedChar", m.end(), False
        if ch in ".:" and (m := _SPECIAL.match(text, pos)):
            return "SpecialChar", m.end(), False
        if ch == "-" and (m := _INFERENCE_END.match(text, pos)):
            return "InferenceEnd", m.end(), False
        if ch == "{" and (end := self.data(pos)) >= 0:
            return "Data", end, False
        if ch == ",":
            return "ListDelimiter", pos + 1, False
        return self.text_token(pos)

    def run(self) -> list[Token]:
        text, pos, n = self.text, 0, len(self.text)
        mode: Callable[[int], Optional[tuple[str, int, bool]]] = self.default
        while pos < n:
            found = mode(pos)
            if found is None:
                raise LexError(pos, "a character Argdown can read here (a lone '\\' must escape something)")
            kind, end, skipped = found
            if not skipped:
                self.tokens.append(Token(kind, text[pos:end], pos))
                if kind == "InferenceStart":
                    mode = self.inference
                elif kind == "InferenceEnd":
                    mode = self.default
            pos = end
        if self.tokens and self.tokens[-1].kind == "Emptyline":
            self.tokens.pop()
        self.dedent_all(n)
        return self.tokens


def tokenize(text: str) -> list[Token]:
    return Lexer(text).run()
