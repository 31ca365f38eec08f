"""The one registry of formats: what each can do and the module that does it.

The CLI's choices and help, ``import``, ``export``, ``af`` and format guessing all read
``FORMATS``; adding a format is one module under ``argmap/graph/formats/`` (exposing
``read(text, name) -> MapDocument``, for a file too big to hold ``read_stream(file, name)``,
and/or ``write(amap, title, status) -> str``, and for a whole store of any size
``stream(db, file, title)``) and one line here. Nothing heavy is
imported until a format is used, so ``--help`` stays quick.
"""

import re
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable, Optional

from argmap.errors import InvalidInput


@dataclass(frozen=True)
class Format:
    name: str
    module: str                      # under argmap.graph.formats
    reads: bool = False              # has read(text, name) -> MapDocument
    writes: Optional[str] = None     # the writer's function name in the module
    binary: bool = False             # the writer returns bytes
    framework: bool = False          # an abstract framework (af solve / af export), not a map
    sniff: Optional[Callable[[str], bool]] = None  # recognises the start of a file
    fallback: bool = False           # guessed when nothing else is recognised
    streams: Optional[str] = None    # writes a whole store as it reads it: (db, binary file, title) -> None
    looks: str = "text"              # what its files look like, for replacing one (graph.files.looks_like)
    labels: bool = False             # shows each claim's grounded label (so export --as can show a person's view)
    history: bool = False            # its writer takes the history's changes too (changes=...)
    reads_stream: Optional[str] = None  # reads a file too big to hold: (binary file, name) -> MapDocument

    def load(self) -> Any:
        return import_module(f"argmap.graph.formats.{self.module}")

    def read(self, text: str, name: str) -> Any:
        return self.load().read(text, name)

    def read_stream(self, f: Any, name: str) -> Any:
        return getattr(self.load(), self.reads_stream)(f, name)

    def write(self, amap: Any, title: str, status: dict, changes: Any = ()) -> bytes:
        extra = {"changes": changes} if self.history else {}
        out = getattr(self.load(), self.writes)(amap, title, status, **extra)
        return out if self.binary else out.encode("utf-8")

    def stream(self, db: Any, out: Any, title: str = "argmap") -> None:
        getattr(self.load(), self.streams)(db, out, title)


_ARGMAP_JSON = re.compile(r'"format"\s*:\s*"argmap"')
_ARGDOWN_JSON = re.compile(r'\{\s*"(arguments|statements)"\s*:')  # how `argdown json` starts its files

FORMATS = (
    Format("json", "argmap_json", reads=True, writes="write", streams="stream", looks="json",
           reads_stream="read_stream",
           sniff=lambda head: head.startswith("{") and bool(_ARGMAP_JSON.search(head))),
    Format("argdown", "argdown", reads=True, writes="write", streams="stream", fallback=True, labels=True),
    Format("argdown-json", "argdown_json", reads=True, sniff=lambda head: bool(_ARGDOWN_JSON.match(head))),
    Format("aif", "aif", reads=True, writes="write", streams="stream", looks="json", sniff=lambda head: head.startswith("{")),
    Format("xaif", "xaif", reads=True, writes="write", looks="json"),  # read as AIF (aif.read reads xAIF)
    Format("kialo", "kialo", reads=True, sniff=lambda head: head.startswith("Discussion Title:")),
    Format("graphml", "graphml", writes="write", streams="stream", looks="xml", labels=True),
    Format("dot", "dot", writes="write", streams="stream", labels=True),
    Format("mermaid", "mermaid", writes="write"),
    Format("markdown", "markdown", writes="write", streams="stream", labels=True),
    Format("claimreview", "claimreview", writes="write", looks="json", labels=True, history=True),
    Format("prov", "provenance", writes="write", labels=True, history=True),
    Format("prov-jsonld", "provenance", writes="write_jsonld", looks="json", labels=True, history=True),
    Format("svg", "dot", writes="write_svg", binary=True, looks="xml", labels=True),
    Format("png", "dot", writes="write_png", binary=True, looks="png", labels=True),
    Format("iccma23", "iccma", framework=True, sniff=lambda head: head.startswith("p af")),
    Format("apx", "iccma", framework=True, sniff=lambda head: head.startswith(("arg(", "att("))),
    Format("tgf", "iccma", framework=True, fallback=True),
)
BY_NAME = {f.name: f for f in FORMATS}


def names(kind: str) -> tuple[str, ...]:
    """``import``, ``export`` or ``framework``: the formats that can, in registry order."""
    test = {"import": lambda f: f.reads, "export": lambda f: f.writes is not None and not f.framework,
            "framework": lambda f: f.framework}[kind]
    return tuple(f.name for f in FORMATS if test(f))


def choices(kind: str) -> str:
    """'a, b or c', for help texts."""
    n = names(kind)
    return ", ".join(n[:-1]) + " or " + n[-1]


def get(name: str, kind: str) -> Format:
    if name not in names(kind):
        raise InvalidInput(f"unknown {kind} format {name!r}: use one of {', '.join(names(kind))}")
    return BY_NAME[name]


def guess(head: str, kind: str = "import") -> str:
    """The format a file's start shows (the kind's fallback when nothing else fits)."""
    readable = [BY_NAME[n] for n in names(kind)]
    for f in readable:
        if f.sniff is not None and f.sniff(head):
            return f.name
    return next(f.name for f in readable if f.fallback)
