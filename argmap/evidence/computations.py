"""What the user does with computations: add, run, change an input, show, remove.

Each action is one transaction of the store; the evaluation is ``argmap.evidence.evaluate``
(pure) and the rows are ``argmap.claims.computations`` (persistence).
"""

from dataclasses import dataclass
from typing import Any, Callable, Optional

from argmap.claims import computations as rows
from argmap.claims.ids import check_integer_id
from argmap.claims.records import ComputationRecord
from argmap.claims.store import Store
from argmap.errors import AlreadyExists, NotFound
from argmap.evidence.evaluate import (  # noqa: F401  (the names users of this module reach for)
    Outcome, downstream, evaluate_all, input_from_text, parse_assignment, parse_value, validate)
from argmap.evidence.units import parse_unit


def results(done: dict[str, Outcome]) -> dict[str, dict[str, Any]]:
    return {cid: outcome.result for cid, outcome in done.items()}


def run_in_session(s: Any, only: Optional[set[str]] = None) -> dict[str, Outcome]:
    """Evaluate ``only`` (default: all, with what they need) and store the results."""
    done = evaluate_all(rows.load(s), only)
    rows.save_results(s, results(done))
    return done


def run_all(store: Store, only: Optional[str] = None) -> list[dict[str, Any]]:
    """Re-run one computation (with what it needs) or all of them, in one transaction."""
    with store.transaction() as s:
        if only is not None and not rows.exists(s, only):
            raise NotFound(f"no computation with id {only!r}")
        run_in_session(s, {only} if only else None)
        return [c.to_json() for c in rows.load(s).values() if only is None or c.id == only]


def add_computation(store: Store, d: ComputationRecord) -> dict[str, Any]:
    """Attach a computation to its claim, evaluate it and everything, and store the results.

    Refused (with nothing written) on a bad formula, units that do not match, a cycle,
    an unknown claim, input or evidence, or a result that cannot be computed.
    """
    validate(d)
    with store.transaction() as s:
        if not rows.claim_exists(s, d.claim):
            raise NotFound(f"no claim with id {d.claim!r}")
        if rows.exists(s, d.id):
            raise AlreadyExists(f"a computation with id {d.id!r} already exists")
        for inp in d.inputs:
            if inp.evidence_id is not None:
                check_integer_id(inp.evidence_id, f"the evidence of input {inp.name!r}")
            if inp.evidence_id is not None and not rows.evidence_exists(s, inp.evidence_id):
                raise NotFound(f"input {inp.name!r}: no evidence with id {inp.evidence_id}")
        defs = rows.load(s)
        defs[d.id] = d
        evaluate_all(defs, {d.id})  # refuses cycles, unit errors, NaN... before writing
        rows.insert(s, d)
        run_in_session(s, {d.id})
        return rows.get(s, d.id).to_json()


@dataclass
class Change:
    kind: str  # "check", "claim" or "status"
    id: str
    before: Optional[str]
    after: Optional[str]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "before": self.before, "after": self.after}


def set_input(store: Store, comp_id: str, assignment: str, unit: Optional[str] = None,
              observe: Optional[Callable[[Any], dict[str, str]]] = None) -> dict[str, Any]:
    """Change one input, re-run everything downstream; report the checks and claims that changed.

    ``observe`` reads each claim's status inside the transaction, before and after (the
    graph layer passes its grounded labelling), so status changes are reported too.
    """
    name, value = parse_assignment(assignment)
    low, high, ref = parse_value(value)
    observe = observe or (lambda _s: {})
    with store.transaction() as s:
        defs = rows.load(s)
        if comp_id not in defs:
            raise NotFound(f"no computation with id {comp_id!r}")
        inp = defs[comp_id].input(name)
        before_checks = rows.checks(s)
        before_claims = rows.claim_states(s)
        before_labels = observe(s)
        inp.low, inp.high, inp.ref = low, high, ref
        if unit is not None:
            parse_unit(unit)
            inp.unit = unit
        affected = downstream(defs, comp_id)  # refuses a cycle the change would make
        done = evaluate_all(defs, set(affected))
        rows.update_input(s, comp_id, inp)
        rows.save_results(s, {cid: done[cid].result for cid in affected})
        after_checks = rows.checks(s)
        changes = [Change("check", cid, before_checks[cid], after_checks[cid])
                   for cid in affected if before_checks[cid] != after_checks[cid]]
        after_claims = rows.claim_states(s)
        after_labels = observe(s)
        for claim in sorted(set(before_claims) | set(after_claims)):
            if before_claims.get(claim) != after_claims.get(claim):
                changes.append(Change("claim", claim, before_claims.get(claim), after_claims.get(claim)))
        for claim in sorted(after_labels):
            if before_labels.get(claim) != after_labels[claim]:
                changes.append(Change("status", claim, before_labels.get(claim), after_labels[claim]))
        return {"computation": comp_id, "input": name, "rerun": affected,
                "changes": [c.to_json() for c in changes],
                "results": {cid: done[cid].result for cid in affected}}


def show_computation(store: Store, comp_id: str) -> dict[str, Any]:
    with store.transaction() as s:
        data = rows.get(s, comp_id).to_json()
        done = evaluate_all(rows.load(s), {comp_id}, sensitivity_for=comp_id)
        if data["result"] is not None:
            data["result"]["sensitivity"] = done[comp_id].result["sensitivity"]
        for inp in data["inputs"]:
            if inp["evidence"]:
                inp["evidence_quote"] = rows.evidence_quote(s, inp["evidence"])
        return data


def remove_computation(store: Store, comp_id: str) -> str:
    with store.transaction() as s:
        return rows.remove(s, comp_id)
