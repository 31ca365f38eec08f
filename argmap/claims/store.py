"""The store API: every user action is one method, and one transaction.

Methods validate first and raise ArgmapErrors with the user's own ids in the message;
the database's constraints (foreign keys, unique pairs, no self-loops) are the backstop.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from sqlalchemy import func, or_
from sqlmodel import Session, select

from argmap.claims import db as dbmod
from argmap.claims.ids import check_id, clean_text, unique_slug
from argmap.claims.models import (
    Claim, Computation, ComputationInput, Evidence, Meta, Relation, Source, utcnow)
from argmap.claims.records import ClaimDetail, ClaimRecord, EvidenceRecord, RelationRecord, SourceRecord
from argmap.claims.schema import ensure_schema
from argmap.claims.rules import (
    check_kind, check_relation_type, check_score, claim_exists, no_claim, not_an_objection, relation_exists,
    self_relation)
from argmap.errors import InvalidInput, NotFound


def claim_record(row: Claim) -> ClaimRecord:
    return ClaimRecord(id=row.id, text=row.text, kind=row.kind, base_score=row.base_score,
                       created_at=_iso(row.created_at))


@dataclass
class Snapshot:
    """The whole store read in one transaction, as plain data (for graphs and exports)."""

    claims: list[ClaimRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    computations: list[dict[str, Any]] = field(default_factory=list)


class Store:
    """An open argmap store. Cheap to create; every method is its own transaction."""

    def __init__(self, location: Optional[str] = None, create: bool = True):
        location = dbmod.resolve_location(location)
        self.url = dbmod.to_url(location)
        self.sqlite_file = dbmod.sqlite_path(self.url)
        self.where = str(self.sqlite_file) if self.sqlite_file else dbmod.make_url(self.url).render_as_string(hide_password=True)
        self.read_only = False
        if self.sqlite_file is not None:
            dbmod.check_sqlite_location(self.sqlite_file, create)
            if self.sqlite_file.exists() and dbmod.is_read_only(self.sqlite_file):
                self.url, self.read_only = dbmod.read_only_url(self.sqlite_file), True
        self.engine = dbmod.make_engine(self.url)
        self.schema_version = ensure_schema(self.engine, self.where, self.sqlite_file)
        if self.sqlite_file is not None and not self.read_only:
            with dbmod.guarded(self.where):
                dbmod.use_wal(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with dbmod.transaction(self.engine, self.where) as session:
            yield session

    # --- meta -------------------------------------------------------------------------

    def get_meta(self, key: str) -> Optional[str]:
        with self.transaction() as s:
            row = s.get(Meta, key)
            return row.value if row else None

    @staticmethod
    def set_meta(session: Session, key: str, value: str) -> None:
        row = session.get(Meta, key)
        if row is None:
            session.add(Meta(key=key, value=value))
        else:
            row.value = value

    # --- helpers inside a transaction ------------------------------------------------

    @staticmethod
    def require_claim(session: Session, claim_id: str) -> Claim:
        row = session.get(Claim, claim_id)
        if row is None:
            raise no_claim(claim_id)
        return row

    @staticmethod
    def new_claim(session: Session, text: str, claim_id: Optional[str], kind: str,
                  base_score: float = 0.5) -> Claim:
        text = clean_text(text)
        check_kind(kind)
        base_score = check_score(base_score)
        if claim_id is None:
            claim_id = unique_slug(text, lambda c: session.get(Claim, c) is not None)
        else:
            check_id(claim_id, "claim id")
            if session.get(Claim, claim_id) is not None:
                raise claim_exists(claim_id)
        row = Claim(id=claim_id, text=text, kind=kind, base_score=base_score)
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def new_relation(session: Session, source: str, target: str, rtype: str) -> Relation:
        check_relation_type(rtype)
        if source == target:
            raise self_relation(source, rtype)
        Store.require_claim(session, source)
        Store.require_claim(session, target)
        existing = session.exec(select(Relation).where(
            Relation.source_id == source, Relation.target_id == target)).first()
        if existing is not None:
            raise relation_exists(source, existing.type, target)
        row = Relation(source_id=source, target_id=target, type=rtype)
        session.add(row)
        session.flush()
        return row

    # --- claims and relations ----------------------------------------------------------

    def add_claim(self, text: str, claim_id: Optional[str] = None, kind: str = "claim",
                  base_score: float = 0.5) -> ClaimRecord:
        with self.transaction() as s:
            return claim_record(self.new_claim(s, text, claim_id, kind, base_score))

    def _add_related(self, target: str, text: str, claim_id: Optional[str], kind: str, rtype: str,
                     target_kinds: Optional[tuple[str, ...]] = None) -> ClaimRecord:
        with self.transaction() as s:
            target_row = self.require_claim(s, target)
            if target_kinds and target_row.kind not in target_kinds:
                raise not_an_objection(target, target_row.kind)
            row = self.new_claim(s, text, claim_id, kind)
            self.new_relation(s, row.id, target, rtype)
            return claim_record(row)

    def object(self, target: str, text: str, claim_id: Optional[str] = None) -> ClaimRecord:
        """Add an objection: a new claim that attacks TARGET."""
        return self._add_related(target, text, claim_id, "objection", "attacks")

    def rebut(self, target: str, text: str, claim_id: Optional[str] = None) -> ClaimRecord:
        """Add a rebuttal: a new claim that attacks the objection TARGET."""
        return self._add_related(target, text, claim_id, "rebuttal", "attacks", ("objection",))

    def support(self, target: str, text: str, claim_id: Optional[str] = None) -> ClaimRecord:
        """Add a supporting claim for TARGET."""
        return self._add_related(target, text, claim_id, "claim", "supports")

    def link(self, source: str, target: str, rtype: str) -> RelationRecord:
        with self.transaction() as s:
            row = self.new_relation(s, source, target, rtype)
            return RelationRecord(row.source_id, row.target_id, row.type)

    def unlink(self, source: str, target: str) -> RelationRecord:
        with self.transaction() as s:
            self.require_claim(s, source)
            self.require_claim(s, target)
            row = s.exec(select(Relation).where(Relation.source_id == source, Relation.target_id == target)).first()
            if row is None:
                raise NotFound(f"no relation from {source!r} to {target!r}")
            record = RelationRecord(row.source_id, row.target_id, row.type)
            s.delete(row)
            return record

    def edit(self, claim_id: str, text: Optional[str] = None, kind: Optional[str] = None,
             base_score: Optional[float] = None) -> ClaimRecord:
        with self.transaction() as s:
            row = self.require_claim(s, claim_id)
            if text is not None:
                row.text = clean_text(text)
            if kind is not None:
                row.kind = check_kind(kind)
            if base_score is not None:
                row.base_score = check_score(base_score)
            row.updated_at = utcnow()
            s.add(row)
            s.flush()
            return claim_record(row)

    def remove(self, claim_id: str, cascade: bool = False) -> list[str]:
        """Remove a claim with its evidence, computations and outgoing relations.

        Refuses while relations point at it, unless ``cascade``: then those relations go too,
        and so does every non-thesis claim left relating to nothing (an objection whose
        target is gone, its rebuttals, ...). Returns the removed ids, in order.
        """
        with self.transaction() as s:
            self.require_claim(s, claim_id)
            incoming = s.exec(select(Relation).where(Relation.target_id == claim_id)).all()
            if incoming and not cascade:
                names = ", ".join(sorted(f"{r.source_id} ({r.type})" for r in incoming))
                raise InvalidInput(
                    f"{claim_id!r} still has relations pointing at it from {names}; "
                    f"unlink them or use --cascade")
            removed: list[str] = []
            queue = [claim_id]
            while queue:
                current = queue.pop(0)
                if current in removed:
                    continue
                dependants = self._delete_claim(s, current)
                removed.append(current)
                for dep in sorted(dependants):
                    row = s.get(Claim, dep)
                    if row is None or row.kind == "thesis" or dep in removed:
                        continue
                    still = s.exec(select(func.count()).select_from(Relation).where(
                        Relation.source_id == dep)).one()
                    if still == 0:
                        queue.append(dep)
            return removed

    def _delete_claim(self, s: Session, claim_id: str) -> set[str]:
        """Delete one claim and what belongs to it; return the claims that pointed at it."""
        comps = s.exec(select(Computation).where(Computation.claim_id == claim_id)).all()
        comp_ids = {c.id for c in comps}
        if comp_ids:
            users = s.exec(select(ComputationInput).where(
                ComputationInput.ref_computation_id.in_(comp_ids),
                ComputationInput.computation_id.not_in(comp_ids))).all()
            if users:
                u = users[0]
                raise InvalidInput(
                    f"cannot remove {claim_id!r}: its computation {u.ref_computation_id!r} is an input "
                    f"({u.name}) of computation {u.computation_id!r}")
            for inp in s.exec(select(ComputationInput).where(ComputationInput.computation_id.in_(comp_ids))).all():
                s.delete(inp)
            s.flush()
            for comp in comps:
                s.delete(comp)
        ev_ids = [e.id for e in s.exec(select(Evidence).where(Evidence.claim_id == claim_id)).all()]
        if ev_ids:
            for inp in s.exec(select(ComputationInput).where(ComputationInput.evidence_id.in_(ev_ids))).all():
                inp.evidence_id = None
                s.add(inp)
            s.flush()
            for ev in s.exec(select(Evidence).where(Evidence.claim_id == claim_id)).all():
                s.delete(ev)
        rels = s.exec(select(Relation).where(or_(Relation.source_id == claim_id, Relation.target_id == claim_id))).all()
        dependants = {r.source_id for r in rels if r.target_id == claim_id}
        for rel in rels:
            s.delete(rel)
        s.flush()
        s.delete(s.get(Claim, claim_id))
        s.flush()
        return dependants

    # --- reading ---------------------------------------------------------------------

    def get(self, claim_id: str) -> ClaimRecord:
        with self.transaction() as s:
            return claim_record(self.require_claim(s, claim_id))

    def list_claims(self, kind: Optional[str] = None) -> list[ClaimRecord]:
        with self.transaction() as s:
            query = select(Claim).order_by(Claim.created_at, Claim.id)
            if kind is not None:
                query = query.where(Claim.kind == check_kind(kind))
            return [claim_record(r) for r in s.exec(query).all()]

    def relations(self) -> list[RelationRecord]:
        with self.transaction() as s:
            rows = s.exec(select(Relation).order_by(Relation.id)).all()
            return [RelationRecord(r.source_id, r.target_id, r.type) for r in rows]

    def count(self) -> dict[str, int]:
        with self.transaction() as s:
            claims = s.exec(select(func.count()).select_from(Claim)).one()
            relations = s.exec(select(func.count()).select_from(Relation)).one()
            return {"claims": claims, "relations": relations}

    def detail(self, claim_id: str) -> ClaimDetail:
        with self.transaction() as s:
            row = self.require_claim(s, claim_id)
            detail = ClaimDetail(claim=claim_record(row))
            incoming = s.exec(select(Relation, Claim).join(Claim, Claim.id == Relation.source_id)
                              .where(Relation.target_id == claim_id).order_by(Relation.id)).all()
            for rel, other in incoming:
                (detail.supporters if rel.type == "supports" else detail.attackers).append(claim_record(other))
            outgoing = s.exec(select(Relation, Claim).join(Claim, Claim.id == Relation.target_id)
                              .where(Relation.source_id == claim_id).order_by(Relation.id)).all()
            for rel, other in outgoing:
                (detail.supports if rel.type == "supports" else detail.attacks).append(claim_record(other))
            detail.evidence = self._evidence(s, claim_id)
            detail.computations = [computation_dict(s, c) for c in s.exec(
                select(Computation).where(Computation.claim_id == claim_id).order_by(Computation.id)).all()]
            return detail

    @staticmethod
    def _evidence(s: Session, claim_id: Optional[str] = None) -> list[EvidenceRecord]:
        query = select(Evidence, Source).join(Source, Source.id == Evidence.source_id).order_by(Evidence.id)
        if claim_id is not None:
            query = query.where(Evidence.claim_id == claim_id)
        return [EvidenceRecord(id=e.id, claim=e.claim_id, source=e.source_id, quote=e.quote, locator=e.locator,
                               source_title=src.title, source_url=src.url) for e, src in s.exec(query).all()]

    def snapshot(self, ids: Optional[set[str]] = None) -> Snapshot:
        """The whole store, or just the claims ``ids`` with what belongs to them and the
        relations among them (see ``read_snapshot``)."""
        with self.transaction() as s:
            return read_snapshot(s, ids)

    def computation_owners(self) -> dict[str, str]:
        """Computation id -> the claim it belongs to."""
        with self.transaction() as s:
            return {cid: claim for cid, claim in s.exec(select(Computation.id, Computation.claim_id)).all()}

    def neighbourhood_ids(self, focus: str, depth: int) -> set[str]:
        """Claims within ``depth`` relations of ``focus`` (either direction), by indexed SQL:
        the cost follows the neighbourhood, not the store."""
        if depth < 0:
            raise InvalidInput("--depth must be 0 or more")
        with self.transaction() as s:
            self.require_claim(s, focus)
            conn = s.connection()
            r = Relation.__table__
            seen, frontier = {focus}, {focus}
            for _ in range(depth):
                found: set[str] = set()
                chunk = sorted(frontier)
                for n in range(0, len(chunk), 900):
                    part = chunk[n:n + 900]
                    found.update(x[0] for x in conn.execute(select(r.c.target_id).where(r.c.source_id.in_(part))))
                    found.update(x[0] for x in conn.execute(select(r.c.source_id).where(r.c.target_id.in_(part))))
                frontier = found - seen
                if not frontier:
                    break
                seen |= frontier
            return seen


def read_snapshot(s: Session, ids: Optional[set[str]] = None) -> Snapshot:
    """The store as plain data, inside an open transaction: set-based Core queries, no ORM
    objects; with ``ids``, only those claims, what belongs to them and the relations among them."""
    conn = s.connection()
    snap = Snapshot()
    c, r, src, ev = Claim.__table__, Relation.__table__, Source.__table__, Evidence.__table__

    def rows(query, column=None):
        if ids is None or column is None:
            return conn.execute(query).all()
        out = []
        chunk = sorted(ids)
        for n in range(0, len(chunk), 900):
            out += conn.execute(query.where(column.in_(chunk[n:n + 900]))).all()
        return out

    snap.claims = sorted((ClaimRecord(id=x.id, text=x.text, kind=x.kind, base_score=x.base_score,
                                      created_at=_iso(x.created_at))
                          for x in rows(select(c.c.id, c.c.text, c.c.kind, c.c.base_score, c.c.created_at),
                                        c.c.id)), key=lambda x: (x.created_at or "", x.id))
    relations = rows(select(r.c.id, r.c.source_id, r.c.target_id, r.c.type), r.c.source_id)
    snap.relations = [RelationRecord(x.source_id, x.target_id, x.type) for x in sorted(relations)
                      if ids is None or x.target_id in ids]
    evidence = rows(select(ev.c.id, ev.c.claim_id, ev.c.source_id, ev.c.quote, ev.c.locator), ev.c.claim_id)
    sources = {x.id: x for x in conn.execute(select(src.c.id, src.c.title, src.c.author, src.c.url,
                                                        src.c.date, src.c.text.isnot(None).label("has_text")))}
    snap.evidence = [EvidenceRecord(id=x.id, claim=x.claim_id, source=x.source_id, quote=x.quote,
                                    locator=x.locator, source_title=sources[x.source_id].title,
                                    source_url=sources[x.source_id].url) for x in sorted(evidence)]
    used = {e.source for e in snap.evidence} if ids is not None else set(sources)
    snap.sources = [SourceRecord(id=x.id, title=x.title, author=x.author, url=x.url, date=x.date,
                                 has_text=bool(x.has_text)) for k, x in sorted(sources.items()) if k in used]
    snap.computations = computations_of(s, ids)
    return snap


def _iso(value: Any) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T")[:19]
    return value.isoformat(timespec="seconds")


def computations_of(s: Session, claim_ids: Optional[set[str]] = None) -> list[dict[str, Any]]:
    """Computations (of ``claim_ids``, or all) with their inputs: two queries, not one per computation."""
    query = select(Computation).order_by(Computation.claim_id, Computation.id)
    comps = [c for c in s.exec(query).all() if claim_ids is None or c.claim_id in claim_ids]
    if not comps:
        return []
    wanted = {c.id for c in comps}
    inputs: dict[str, list[ComputationInput]] = {}
    for i in s.exec(select(ComputationInput).order_by(ComputationInput.id)).all():
        if i.computation_id in wanted:
            inputs.setdefault(i.computation_id, []).append(i)
    return [computation_dict(s, c, inputs.get(c.id, [])) for c in comps]


def source_record(row: Source) -> SourceRecord:
    return SourceRecord(id=row.id, title=row.title, author=row.author, url=row.url, date=row.date,
                        has_text=bool(row.text))


def computation_dict(s: Session, comp: Computation, inputs: Optional[list] = None) -> dict[str, Any]:
    """A computation with its inputs and last results, as plain data."""
    if inputs is None:
        inputs = s.exec(select(ComputationInput).where(ComputationInput.computation_id == comp.id)
                        .order_by(ComputationInput.id)).all()
    return {
        "id": comp.id,
        "claim": comp.claim_id,
        "formula": comp.formula,
        "unit": comp.unit,
        "description": comp.description,
        "expect": None if comp.expect_value is None else {
            "value": comp.expect_value, "unit": comp.expect_unit or "", "tolerance": comp.tolerance},
        "inputs": [{
            "name": i.name, "low": i.low, "high": i.high, "unit": i.unit,
            "evidence": i.evidence_id, "from": i.ref_computation_id, "note": i.note,
        } for i in inputs],
        "scenarios": json.loads(comp.scenarios_json) if comp.scenarios_json else {},
        "result": json.loads(comp.result_json) if comp.result_json else None,
        "check": comp.check,
    }
