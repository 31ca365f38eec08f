"""Argumentation schemes: the catalogue argmap ships (``data/schemes.json``: premise roles,
conclusion and critical questions of each, after Walton, Reed & Macagno 2008), the scheme
each inference follows, and which claim answers (asks) each critical question.

A scheme's name is its slug (``expert-opinion``); the name AIF tools write (``Expert
Opinion``) and the title are accepted too. A scheme another tool named and the catalogue
does not hold is kept as it was written: it has no questions here.
"""

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

from argmap.claims import rules
from argmap.claims.ids import clean_text
from argmap.claims.sql import Sql
from argmap.errors import InvalidInput, NotFound

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


def set_scheme(db: Sql, claim_id: str, name: Optional[str], strict: bool = True) -> Optional[str]:
    """Give the argument ``claim_id`` a scheme (None or "" takes it away). ``strict``: only a
    catalogue scheme of inference (what a person types); an import keeps any name."""
    row = db.one("SELECT kind FROM claim WHERE id = ?", (claim_id,))
    kind = row[0] if row else None
    if kind is None:
        raise rules.no_claim(claim_id)
    if not name or not name.strip():
        db.run("DELETE FROM argument_scheme WHERE claim_id = ?", (claim_id,))
        return None
    if kind != "argument":
        raise InvalidInput(f"{claim_id!r} is a {kind}: a scheme belongs to an inference (kind argument; "
                           f"argmap edit {claim_id} --kind argument)")
    if strict:
        scheme = get(name)
        if scheme.applies != "inference":
            raise InvalidInput(f"{scheme.name} is a {scheme.applies} scheme: an argument follows an inference scheme")
        stored = scheme.name
    else:
        stored = stored_name(name)
    if db.one("SELECT 1 FROM argument_scheme WHERE claim_id = ?", (claim_id,)) is None:
        db.run("INSERT INTO argument_scheme (claim_id, scheme, created_at) VALUES (?, ?, ?)", (claim_id, stored, db.now()))
    else:
        db.run("UPDATE argument_scheme SET scheme = ? WHERE claim_id = ?", (stored, claim_id))
    return stored


def scheme_of(db: Sql, claim_id: str) -> Optional[str]:
    row = db.one("SELECT scheme FROM argument_scheme WHERE claim_id = ?", (claim_id,))
    return row[0] if row else None


def answer(db: Sql, argument: str, question: str, claim_id: str) -> None:
    """Record that ``claim_id`` answers the critical question ``question`` of ``argument``."""
    if db.one("SELECT 1 FROM question_answer WHERE argument_id = ? AND question = ?", (argument, question)):
        row = db.one("SELECT claim_id FROM question_answer WHERE argument_id = ? AND question = ?", (argument, question))
        raise InvalidInput(f"the question {question!r} of {argument!r} is answered already, by {row[0]!r}")
    db.run("INSERT INTO question_answer (argument_id, question, claim_id, created_at) VALUES (?, ?, ?, ?)",
           (argument, question, claim_id, db.now()))
