"""Plain records returned by the store API (never live ORM rows).

Their ``to_json`` output is the stable, documented ``--json`` format of the CLI.
"""

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from argmap.errors import NotFound


def iso_time(value: Any) -> Optional[str]:
    """A stored time as ``YYYY-MM-DDTHH:MM:SS+00:00``: times are stored in UTC, and drivers
    give text (sqlite3), naive datetimes (a plain DB-API) or UTC ones (SQLModel's type)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace(" ", "T")
        return text[:19] + (text[19:].lstrip(".0123456789") or "+00:00")
    if value.tzinfo is None:
        from datetime import timezone
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat(timespec="seconds")


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    text: str
    kind: str
    base_score: float = 0.5
    created_at: Optional[str] = None
    title: Optional[str] = None  # the name an imported map gave it (Argdown's [title]), when not the id

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        if self.title is None:
            del out["title"]
        return out


@dataclass(frozen=True)
class RelationRecord:
    source: str
    target: str
    type: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SourceRecord:
    id: str
    title: str
    author: Optional[str] = None
    url: Optional[str] = None
    date: Optional[str] = None
    has_text: bool = False
    text: Optional[str] = field(default=None, repr=False, compare=False)  # read only when asked for
    sha256: Optional[str] = None  # of the file the text was read from

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "author": self.author, "url": self.url,
                "date": self.date, "has_text": self.has_text, **({"sha256": self.sha256} if self.sha256 else {})}


@dataclass(frozen=True)
class EvidenceRecord:
    id: int
    claim: str
    source: str
    quote: str
    locator: Optional[str] = None
    selector: Optional[dict] = field(default=None, compare=False)  # W3C TextQuoteSelector: prefix, exact, suffix
    source_title: Optional[str] = None
    source_url: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        if out["selector"] is None:
            del out["selector"]
        return out


def selector_of(stored: Optional[str]) -> Optional[dict]:
    """A quote's stored selector (JSON text) as a dict: the one reading of the column."""
    return json.loads(stored) if stored else None


@dataclass
class InputRecord:
    """One named input of a computation: a number, a range ``low..high``, or another
    computation's result (``ref``), with its unit and the quote it comes from."""

    name: str
    low: Optional[float] = None
    high: Optional[float] = None
    unit: str = ""
    ref: Optional[str] = None
    evidence_id: Optional[int] = None
    note: Optional[str] = None

    @property
    def is_range(self) -> bool:
        return self.ref is None and self.high is not None and self.high != self.low

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "low": self.low, "high": self.high, "unit": self.unit,
                "evidence": self.evidence_id, "from": self.ref, "note": self.note}


@dataclass
class ComputationRecord:
    """A formula attached to a claim, with its inputs and (once run) its last result."""

    id: str
    claim: str
    formula: str
    unit: str = ""
    inputs: list[InputRecord] = field(default_factory=list)
    expect_value: Optional[float] = None
    expect_unit: str = ""
    tolerance: Optional[str] = None
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    description: Optional[str] = None
    result: Optional[dict[str, Any]] = None
    check: Optional[str] = None

    @property
    def fails(self) -> bool:
        """A failing check attacks the claim (see ``argmap.claims.argument_map.check_attacks``)."""
        return self.check == "fails"

    def input(self, name: str) -> InputRecord:
        for i in self.inputs:
            if i.name == name:
                return i
        raise NotFound(f"computation {self.id!r} has no input {name!r} "
                       f"(its inputs: {', '.join(i.name for i in self.inputs) or 'none'})")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim": self.claim,
            "formula": self.formula,
            "unit": self.unit,
            "description": self.description,
            "expect": None if self.expect_value is None else {
                "value": self.expect_value, "unit": self.expect_unit or "", "tolerance": self.tolerance},
            "inputs": [i.to_json() for i in self.inputs],
            "scenarios": self.scenarios,
            "result": self.result,
            "check": self.check,
        }


@dataclass
class ClaimDetail:
    """Everything `argmap show` tells about one claim."""

    claim: ClaimRecord
    evidence: list[EvidenceRecord] = field(default_factory=list)
    supporters: list[ClaimRecord] = field(default_factory=list)
    attackers: list[ClaimRecord] = field(default_factory=list)
    supports: list[ClaimRecord] = field(default_factory=list)
    attacks: list[ClaimRecord] = field(default_factory=list)
    computations: list[ComputationRecord] = field(default_factory=list)
    scheme: Optional[str] = None  # an argument's scheme
    asked: list[dict[str, Any]] = field(default_factory=list)  # its critical questions, each open or answered

    def questions(self) -> list[dict[str, Any]]:
        """The critical questions of the scheme (none for a scheme not in the catalogue)."""
        return self.asked

    def to_json(self) -> dict[str, Any]:
        brief = lambda rows: [{"id": c.id, "kind": c.kind, "text": c.text} for c in rows]  # noqa: E731
        scheme = {"scheme": self.scheme, "questions": self.questions()} if self.scheme else {}
        return {
            **self.claim.to_json(),
            "evidence": [e.to_json() for e in self.evidence],
            "supporters": brief(self.supporters),
            "attackers": brief(self.attackers),
            "supports": brief(self.supports),
            "attacks": brief(self.attacks),
            "computations": [c.to_json() for c in self.computations],
            **scheme,
        }


def computation_record(c: Any, inputs: list[Any]) -> ComputationRecord:
    """A computation and its inputs as records, from rows with the tables' column names
    (SQLModel's, or the plain reads' named tuples)."""
    import json
    return ComputationRecord(
        id=c.id, claim=c.claim_id, formula=c.formula, unit=c.unit, expect_value=c.expect_value,
        expect_unit=c.expect_unit or "", tolerance=c.tolerance, description=c.description,
        scenarios=json.loads(c.scenarios_json) if c.scenarios_json else {},
        result=json.loads(c.result_json) if c.result_json else None, check=c.check,
        inputs=[InputRecord(name=i.name, low=i.low, high=i.high, unit=i.unit, ref=i.ref_computation_id,
                            evidence_id=i.evidence_id, note=i.note) for i in inputs])


@dataclass(frozen=True)
class JudgementRecord:
    """One person's credence that a claim holds, as they last gave it."""

    claim: str
    author: str
    credence: float
    at: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ResolutionRecord:
    """A claim's resolution question and, once resolved, its outcome."""

    claim: str
    resolves_by: Optional[str] = None
    criteria: Optional[str] = None
    outcome: Optional[str] = None
    source: Optional[str] = None
    resolved_rev: Optional[int] = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GroupRecord:
    """A named part of a map, the group it sits in, and the claims in it (not those of the
    groups inside it)."""

    id: str
    title: str
    parent: Optional[str] = None
    claims: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AnswerRecord:
    """A claim that answers (asks) a critical question of an argument's scheme."""

    argument: str
    question: str
    claim: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

