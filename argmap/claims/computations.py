"""Computations in the store: read as ``ComputationRecord``, written back with their results.

Only persistence lives here; what a formula means and how it is evaluated is
``argmap.evidence``'s business. Every function works inside the caller's transaction.
"""

import json
from typing import Any, Optional

from sqlmodel import Session, select

from argmap.claims.connection import utcnow
from argmap.claims.models import Claim, Computation, ComputationInput, Evidence
from argmap.claims.records import ComputationRecord, InputRecord, computation_record
from argmap.errors import InvalidInput, NotFound


def computations_of(s: Session, claim_ids: Optional[set[str]] = None) -> list[ComputationRecord]:
    """Computations (of ``claim_ids``, or all) with their inputs, by claim then id: set-based
    queries (by index for a few claims), not one per computation (``plain_reads``)."""
    from argmap.claims.plain_reads import computations_of as read
    from argmap.claims.reads import sql_of
    return read(sql_of(s), claim_ids)


def load(s: Session) -> dict[str, ComputationRecord]:
    """Every computation, by id."""
    return {c.id: c for c in sorted(computations_of(s), key=lambda c: c.id)}


def get(s: Session, comp_id: str) -> ComputationRecord:
    row = s.get(Computation, comp_id)
    if row is None:
        raise NotFound(f"no computation with id {comp_id!r}")
    inputs = s.exec(select(ComputationInput).where(ComputationInput.computation_id == comp_id)
                    .order_by(ComputationInput.id)).all()
    return computation_record(row, list(inputs))


def exists(s: Session, comp_id: str) -> bool:
    return s.get(Computation, comp_id) is not None


def claim_exists(s: Session, claim_id: str) -> bool:
    return s.get(Claim, claim_id) is not None


def evidence_exists(s: Session, evidence_id: int) -> bool:
    return s.get(Evidence, evidence_id) is not None


def evidence_quote(s: Session, evidence_id: int) -> dict[str, Any]:
    ev = s.get(Evidence, evidence_id)
    return {"source": ev.source_id, "quote": ev.quote, "locator": ev.locator}


def scenarios_json(c: ComputationRecord) -> Optional[str]:
    return json.dumps(c.scenarios, sort_keys=True) if c.scenarios else None


def row_of(c: ComputationRecord) -> dict[str, Any]:
    """The ``computation`` row of a record (results aside), as the bulk loader inserts it."""
    return {"id": c.id, "claim_id": c.claim, "formula": c.formula.strip(), "unit": c.unit,
            "description": c.description, "expect_value": c.expect_value, "expect_unit": c.expect_unit or None,
            "tolerance": c.tolerance, "scenarios_json": scenarios_json(c)}


def input_row(comp_id: str, i: InputRecord) -> dict[str, Any]:
    return {"computation_id": comp_id, "name": i.name, "low": i.low, "high": i.high, "unit": i.unit,
            "evidence_id": i.evidence_id, "ref_computation_id": i.ref, "note": i.note}


def insert(s: Session, c: ComputationRecord) -> None:
    s.add(Computation(**row_of(c)))
    s.flush()
    for i in c.inputs:
        s.add(ComputationInput(**input_row(c.id, i)))
    s.flush()


def save_results(s: Session, results: dict[str, dict[str, Any]]) -> None:
    """Store each computation's last result (percentiles and check outcome as columns too)."""
    for cid, r in results.items():
        row = s.get(Computation, cid)
        row.p5, row.p50, row.p95 = r["p5"], r["p50"], r["p95"]
        row.check = r["check"]["outcome"] if r.get("check") else None
        row.result_json = json.dumps(r, sort_keys=True)
        row.updated_at = utcnow()
        s.add(row)
    s.flush()


def update_input(s: Session, comp_id: str, inp: InputRecord) -> None:
    row = s.exec(select(ComputationInput).where(ComputationInput.computation_id == comp_id,
                                                ComputationInput.name == inp.name)).one()
    row.low, row.high, row.ref_computation_id, row.unit = inp.low, inp.high, inp.ref, inp.unit
    s.add(row)
    s.flush()


def checks(s: Session) -> dict[str, Optional[str]]:
    """Each computation's check outcome (holds, partly, fails or None)."""
    return {cid: check for cid, check in s.exec(select(Computation.id, Computation.check)).all()}


def claim_states(s: Session) -> dict[str, str]:
    """Each claim that has computations: 'fails' if any of its checks fails, else 'ok'."""
    states: dict[str, str] = {}
    for claim, check in s.exec(select(Computation.claim_id, Computation.check).order_by(Computation.id)).all():
        if check == "fails":
            states[claim] = "fails"
        else:
            states.setdefault(claim, "ok")
    return states


def remove(s: Session, comp_id: str) -> str:
    row = s.get(Computation, comp_id)
    if row is None:
        raise NotFound(f"no computation with id {comp_id!r}")
    users = s.exec(select(ComputationInput).where(ComputationInput.ref_computation_id == comp_id)).all()
    if users:
        raise InvalidInput(f"computation {comp_id!r} is an input of {users[0].computation_id!r}; remove that first")
    for inp in s.exec(select(ComputationInput).where(ComputationInput.computation_id == comp_id)).all():
        s.delete(inp)
    s.flush()
    s.delete(row)
    return comp_id


def owners(s: Session) -> dict[str, str]:
    """Computation id -> the claim it belongs to."""
    return {cid: claim for cid, claim in s.exec(select(Computation.id, Computation.claim_id)).all()}
