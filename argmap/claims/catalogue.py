"""The catalogue of argumentation schemes argmap ships (``data/schemes.json``: premise roles,
conclusion and critical questions of each, after Walton, Reed & Macagno 2008). No SQL:
``schemes`` stores which scheme each inference follows and what answers its questions.

A scheme's name is its slug (``expert-opinion``); the name AIF tools write (``Expert
Opinion``) and the title are accepted too. A scheme another tool named and the catalogue
does not hold is kept as it was written: it has no questions here.
"""

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from argmap.claims.ids import clean_text
from argmap.errors import NotFound

MAX_SCHEME = 200  # characters of a scheme name another tool wrote


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    about: str  # "inference", or "premise:ROLE"
    type: str   # "assumption" (the argument's proponent must show it) or "exception" (its critic must)


@dataclass(frozen=True)
class Scheme:
    name: str
    aif: str
    title: str
    applies: str  # "inference" (AIF RA), "conflict" (CA) or "preference" (PA)
    premises: list[dict[str, str]]
    conclusion: str
    questions: list[Question] = field(default_factory=list)
    source: str = ""

    def open(self, answered: set[str]) -> list[Question]:
        """Its questions not among the ``answered`` ids, in the scheme's order."""
        return [q for q in self.questions if q.id not in answered]

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise NotFound(f"{self.name} has no critical question {qid!r} (it has: {', '.join(q.id for q in self.questions)})")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=1)
def catalogue() -> tuple[Scheme, ...]:
    data = json.loads(resources.files("argmap").joinpath("data", "schemes.json").read_text("utf-8"))
    return tuple(Scheme(**{**s, "questions": [Question(**q) for q in s["questions"]]}) for s in data["schemes"])


def _fold(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").lower().split())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Scheme]:
    out: dict[str, Scheme] = {}
    for s in catalogue():
        for name in (s.name, s.aif, s.title, "argument from " + s.aif):
            out.setdefault(_fold(name), s)
    return out


def find(name: str) -> Optional[Scheme]:
    """The catalogue's scheme called ``name`` (its slug, AIF name or title, in any case)."""
    return _by_name().get(_fold(name))


def get(name: str) -> Scheme:
    found = find(name)
    if found is None:
        raise NotFound(f"no scheme {name!r} in the catalogue (argmap scheme list shows them)")
    return found


def stored_name(name: str) -> str:
    """What is stored for ``name``: the catalogue's slug, or the name as another tool wrote it."""
    found = find(name)
    return found.name if found else clean_text(name, "scheme", MAX_SCHEME)
