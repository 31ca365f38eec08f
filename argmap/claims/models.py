"""The tables of an argmap store.

Kept in one module (SQLModel's advice for related tables). Rows never leave the store
layer: the store API returns the plain records of ``argmap.claims.records``.
"""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from argmap.claims.connection import utcnow
from argmap.claims.rules import KINDS, RELATION_TYPES, sql_list


class Meta(SQLModel, table=True):
    """Key/value facts about the store itself (schema version, demo loaded, ...)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_list(KINDS)})", name="claim_kind"),
        CheckConstraint("base_score >= 0 AND base_score <= 1", name="claim_base_score"),
    )
    id: str = Field(primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(default="claim", index=True)
    base_score: float = Field(default=0.5)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: Optional[datetime] = Field(default=None)  # schema 2
    title: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))  # schema 3: a map's own name


class Relation(SQLModel, table=True):
    __tablename__ = "relation"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", name="relation_unique_pair"),
        CheckConstraint("source_id <> target_id", name="relation_no_self_loop"),
        CheckConstraint(f"type IN ({sql_list(RELATION_TYPES)})", name="relation_type"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="claim.id", index=True)
    target_id: str = Field(foreign_key="claim.id", index=True)
    type: str = Field(index=True)  # schema 2
    created_at: datetime = Field(default_factory=utcnow)


class Source(SQLModel, table=True):
    __tablename__ = "source"
    id: str = Field(primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    author: Optional[str] = None
    url: Optional[str] = None
    date: Optional[str] = None
    text: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    sha256: Optional[str] = None  # of the file the text was read from (``source add --file``)
    created_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("claim_id", "source_id", "quote", name="evidence_unique"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: str = Field(foreign_key="claim.id", index=True)
    source_id: str = Field(foreign_key="source.id", index=True)
    quote: str = Field(sa_column=Column(Text, nullable=False))
    locator: Optional[str] = None
    # where in the source's text the quote is, as a W3C TextQuoteSelector (JSON: prefix, exact, suffix)
    selector: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)


class Computation(SQLModel, table=True):
    """A formula attached to a claim, with its last results cached (see argmap.evidence)."""

    __tablename__ = "computation"
    id: str = Field(primary_key=True)
    claim_id: str = Field(foreign_key="claim.id", index=True)
    formula: str = Field(sa_column=Column(Text, nullable=False))
    unit: str = ""
    description: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    expect_value: Optional[float] = None
    expect_unit: Optional[str] = None
    tolerance: Optional[str] = None
    scenarios_json: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    p5: Optional[float] = None
    p50: Optional[float] = None
    p95: Optional[float] = None
    check: Optional[str] = None
    result_json: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ComputationInput(SQLModel, table=True):
    __tablename__ = "computation_input"
    __table_args__ = (
        UniqueConstraint("computation_id", "name", name="computation_input_unique"),
        CheckConstraint("high IS NULL OR low <= high", name="computation_input_range"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    computation_id: str = Field(foreign_key="computation.id", index=True)
    name: str
    low: Optional[float] = None
    high: Optional[float] = None
    unit: str = ""
    evidence_id: Optional[int] = Field(default=None, foreign_key="evidence.id")
    ref_computation_id: Optional[str] = Field(default=None, foreign_key="computation.id", index=True)
    note: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))


class Judgement(SQLModel, table=True):
    """A person's credence that a claim holds (for an argument: that its inference holds)."""

    __tablename__ = "judgement"
    __table_args__ = (
        UniqueConstraint("claim_id", "author", name="judgement_unique"),
        CheckConstraint("credence >= 0 AND credence <= 1", name="judgement_range"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: str = Field(foreign_key="claim.id", index=True)
    author: str = Field(index=True)
    credence: float
    created_at: datetime = Field(default_factory=utcnow)


class Resolution(SQLModel, table=True):
    """A claim's question for the world, and once known its answer (what scores people)."""

    __tablename__ = "resolution"
    __table_args__ = (CheckConstraint("outcome IS NULL OR outcome IN ('true', 'false', 'ambiguous')",
                                      name="resolution_outcome"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: str = Field(foreign_key="claim.id", unique=True)
    resolves_by: Optional[str] = None
    criteria: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    outcome: Optional[str] = None
    source_id: Optional[str] = Field(default=None, foreign_key="source.id")
    resolved_rev: Optional[int] = None  # the history's head when it was resolved: what came before counts
    created_at: datetime = Field(default_factory=utcnow)


class ArgumentScheme(SQLModel, table=True):
    """The argumentation scheme an inference (a claim of kind ``argument``) follows."""

    __tablename__ = "argument_scheme"
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: str = Field(foreign_key="claim.id", unique=True)
    scheme: str  # a catalogue name (``argmap.claims.schemes``), or a name another tool gave
    created_at: datetime = Field(default_factory=utcnow)


class QuestionAnswer(SQLModel, table=True):
    """A critical question of an argument's scheme, answered (asked) by a claim."""

    __tablename__ = "question_answer"
    __table_args__ = (UniqueConstraint("argument_id", "question", name="question_answer_unique"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    argument_id: str = Field(foreign_key="claim.id", index=True)
    question: str  # the question's id in the scheme
    claim_id: str = Field(foreign_key="claim.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)



class ClaimGroup(SQLModel, table=True):
    """A named part of a map (Argdown's heading, a Kialo sub-discussion): groups nest, and a
    page shows each as a box around its claims that collapses to one (schema 11)."""

    __tablename__ = "claim_group"
    __table_args__ = (CheckConstraint("parent_id IS NULL OR parent_id <> id", name="claim_group_not_own_parent"),)
    id: str = Field(primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    parent_id: Optional[str] = Field(default=None, foreign_key="claim_group.id", index=True)
    position: int = Field(default=0)  # the order of the groups, as the map gave it
    created_at: datetime = Field(default_factory=utcnow)


class GroupMember(SQLModel, table=True):
    """A claim's group: at most one, the innermost (schema 11)."""

    __tablename__ = "group_member"
    id: Optional[int] = Field(default=None, primary_key=True)
    claim_id: str = Field(foreign_key="claim.id", unique=True)
    group_id: str = Field(foreign_key="claim_group.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
