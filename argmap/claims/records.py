"""Plain records returned by the store API (never live ORM rows).

Their ``to_json`` output is the stable, documented ``--json`` format of the CLI.
"""

from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    text: str
    kind: str
    base_score: float = 0.5
    created_at: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EvidenceRecord:
    id: int
    claim: str
    source: str
    quote: str
    locator: Optional[str] = None
    source_title: Optional[str] = None
    source_url: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClaimDetail:
    """Everything `argmap show` tells about one claim."""

    claim: ClaimRecord
    evidence: list[EvidenceRecord] = field(default_factory=list)
    supporters: list[ClaimRecord] = field(default_factory=list)
    attackers: list[ClaimRecord] = field(default_factory=list)
    supports: list[ClaimRecord] = field(default_factory=list)
    attacks: list[ClaimRecord] = field(default_factory=list)
    computations: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        brief = lambda rows: [{"id": c.id, "kind": c.kind, "text": c.text} for c in rows]  # noqa: E731
        return {
            **self.claim.to_json(),
            "evidence": [e.to_json() for e in self.evidence],
            "supporters": brief(self.supporters),
            "attackers": brief(self.attackers),
            "supports": brief(self.supports),
            "attacks": brief(self.attacks),
            "computations": self.computations,
        }
