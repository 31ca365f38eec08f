"""Computations attached to claims: formulas with units and ranges, checked against the claim.

A range ``a..b`` of positive numbers is read as Squiggle reads ``a to b``: a lognormal
distribution whose 5th and 95th percentiles are ``a`` and ``b`` (a normal one when
``a <= 0``). Results come from a seeded Monte Carlo of ``SAMPLES`` draws (the seed is
derived from the computation's id and the input's name, so the same inputs give the same
result on every run and machine); a computation whose inputs are all plain numbers is
computed exactly. An input may be another computation's result (its samples are reused,
so correlations carry through), which makes computations a graph; cycles are refused.
"""

import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np
from sqlmodel import Session, select

from argmap.claims.ids import check_id
from argmap.claims.models import Claim, Computation, ComputationInput, Evidence, utcnow
from argmap.claims.store import Store, computation_dict
from argmap.errors import AlreadyExists, FormulaError, InvalidInput, NotFound
from argmap.evidence import checks
from argmap.evidence.formula import names_used, parse
from argmap.evidence.units import convert, parse_unit, quantity

SAMPLES = 10_000  # Squiggle draws 1,000 by default, Guesstimate 5,000
SENSITIVITY_SAMPLES = 5_000  # shares of the spread need less precision than the percentiles
Z95 = 1.6448536269514722  # the 95th percentile of a standard normal


# --- definitions -------------------------------------------------------------------------

@dataclass
class InputDef:
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


@dataclass
class ComputationDef:
    id: str
    claim: str
    formula: str
    unit: str = ""
    inputs: list[InputDef] = field(default_factory=list)
    expect_value: Optional[float] = None
    expect_unit: str = ""
    tolerance: Optional[str] = None
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    description: Optional[str] = None

    def input(self, name: str) -> InputDef:
        for i in self.inputs:
            if i.name == name:
                return i
        raise NotFound(f"computation {self.id!r} has no input {name!r} "
                       f"(its inputs: {', '.join(i.name for i in self.inputs) or 'none'})")


def parse_value(text: str) -> tuple[Optional[float], Optional[float], Optional[str]]:
    """``"2000"`` -> (2000, None, None); ``"12..16"`` -> (12, 16, None); ``"@c1"`` -> (None, None, "c1")."""
    text = (text or "").strip()
    if text.startswith("@"):
        return None, None, check_id(text[1:], "computation id")
    if ".." in text:
        lo_text, _, hi_text = text.partition("..")
        if not lo_text.strip() or not hi_text.strip():
            raise FormulaError(f"empty range {text!r}: give both ends, as low..high")
        lo = checks.parse_number(lo_text, "range start")
        hi = checks.parse_number(hi_text, "range end")
        if lo > hi:
            raise FormulaError(f"range {text!r} runs backwards: low {lo:g} is above high {hi:g}")
        return lo, (None if lo == hi else hi), None
    if not text:
        raise FormulaError("an input needs a value, a range low..high, or @computation")
    return checks.parse_number(text, "input value"), None, None


def parse_assignment(text: str) -> tuple[str, str]:
    """``"wph=2000"`` -> ("wph", "2000")."""
    name, sep, value = (text or "").partition("=")
    name = name.strip()
    if not sep or not name:
        raise FormulaError(f"cannot read {text!r}: write NAME=VALUE, NAME=LOW..HIGH or NAME=@computation")
    if not name.isidentifier() or name.startswith("_"):
        raise FormulaError(f"input name {name!r} must be a plain identifier (letters, digits, _)")
    return name, value.strip()


def input_from_text(assignment: str, unit: str = "", evidence_id: Optional[int] = None,
                    note: Optional[str] = None) -> InputDef:
    name, value = parse_assignment(assignment)
    low, high, ref = parse_value(value)
    if unit:
        parse_unit(unit)
    return InputDef(name=name, low=low, high=high, unit=unit.strip(), ref=ref, evidence_id=evidence_id, note=note)


# --- evaluation --------------------------------------------------------------------------

@dataclass
class Outcome:
    """One evaluated computation: its samples (or exact value) in its output unit."""

    values: Any  # float if exact, np.ndarray otherwise
    exact: bool
    unit: str
    result: dict[str, Any]


def _seed(comp_id: str, name: str) -> int:
    return zlib.crc32(f"{comp_id}\x00{name}".encode())


def sample_range(low: float, high: float, comp_id: str, name: str, n: int = SAMPLES) -> np.ndarray:
    rng = np.random.default_rng(_seed(comp_id, name))
    z = rng.standard_normal(n)
    if low > 0:
        mu = (np.log(low) + np.log(high)) / 2
        sigma = (np.log(high) - np.log(low)) / (2 * Z95)
        return np.exp(mu + sigma * z)
    mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
    return mean + sd * z


def _input_values(d: ComputationDef, done: dict[str, Outcome], overrides: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for inp in d.inputs:
        if inp.name in overrides:
            low, high = overrides[inp.name]
            values[inp.name] = quantity(sample_range(low, high, d.id, inp.name) if high is not None else float(low),
                                        inp.unit)
        elif inp.ref is not None:
            up = done.get(inp.ref)
            if up is None:
                raise FormulaError(f"input {inp.name!r} of {d.id!r} refers to unknown computation {inp.ref!r}")
            q = quantity(up.values, up.unit)
            values[inp.name] = convert(q, inp.unit) if inp.unit else q
        elif inp.is_range:
            values[inp.name] = quantity(sample_range(inp.low, inp.high, d.id, inp.name), inp.unit)
        else:
            values[inp.name] = quantity(float(inp.low), inp.unit)
    return values


def _eval(d: ComputationDef, values: dict[str, Any]) -> tuple[Any, bool]:
    from argmap.evidence.formula import evaluate
    q = evaluate(d.formula, values)
    q = convert(q, d.unit)
    mag = q.magnitude
    if np.ndim(mag) == 0:
        return float(mag), True
    return np.asarray(mag, dtype=float), False


def _spread(x: np.ndarray) -> float:
    if np.all(x > 0):
        return float(np.var(np.log(x)))
    return float(np.var(x))


def _percentiles(values: Any, exact: bool) -> dict[str, float]:
    if exact:
        return {"p5": values, "p50": values, "p95": values}
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95)}


def _fixed(value: Any) -> Any:
    """A distribution's median, keeping its units (for one-at-a-time sensitivity)."""
    mag = getattr(value, "magnitude", value)
    if np.ndim(mag) == 0:
        return value
    med = float(np.median(mag))
    return quantity(med, f"{value.units}") if hasattr(value, "units") else med


def sensitivity(d: ComputationDef, values: dict[str, Any]) -> list[dict[str, Any]]:
    """For each varying input: its share of the result's spread, varying it alone."""
    varying = [n for n, v in values.items() if np.ndim(getattr(v, "magnitude", v)) > 0]
    if not varying:
        return []
    medians = {n: _fixed(v) for n, v in values.items()}
    rows = []
    for name in varying:
        out, _ = _eval(d, {**medians, name: values[name][:SENSITIVITY_SAMPLES]})
        p5, p95 = np.percentile(out, [5, 95])
        rows.append({"input": name, "variance": _spread(out), "low": float(p5), "high": float(p95)})
    total = sum(r["variance"] for r in rows) or 1.0
    for r in rows:
        r["share"] = round(r.pop("variance") / total, 4)
    return sorted(rows, key=lambda r: -r["share"])


def _check(d: ComputationDef, pct: dict[str, float]) -> Optional[dict[str, Any]]:
    if d.expect_value is None:
        return None
    stated = d.expect_value
    if d.expect_unit and d.expect_unit != d.unit:
        stated = float(convert(quantity(stated, d.expect_unit), d.unit).magnitude)
    tol = checks.parse_tolerance(d.tolerance)
    if tol.kind == "absolute" and d.expect_unit and d.expect_unit != d.unit:
        tol = checks.Tolerance("absolute", float(convert(quantity(tol.amount, d.expect_unit), d.unit).magnitude), tol.text)
    return checks.check(stated, tol, pct["p5"], pct["p50"], pct["p95"], d.unit).to_json()


def _scenario_overrides(d: ComputationDef, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    overrides = {}
    for key, raw in spec.items():
        d.input(key)  # raises if unknown
        low, high, ref = parse_value(str(raw))
        if ref is not None:
            raise FormulaError(f"scenario {name!r} of {d.id!r}: an override must be a number or range")
        overrides[key] = (low, high)
    return overrides


MAX_CORNERS = 12


def bounds(d: ComputationDef, done: dict[str, Outcome], values: dict[str, Any]) -> Optional[list[float]]:
    """Lowest and highest result with every ranged input at one of its ends (the interval
    a reader gets by hand; exact for formulas monotonic in each input)."""
    ends: dict[str, tuple[float, float]] = {}
    for inp in d.inputs:
        if inp.ref is not None:
            b = done[inp.ref].result.get("bounds")
            if b and b[0] != b[1]:
                ends[inp.name] = (b[0], b[1])
        elif inp.is_range:
            ends[inp.name] = (inp.low, inp.high)
    if not ends or len(ends) > MAX_CORNERS:
        return None
    names = sorted(ends)
    corners = np.array(np.meshgrid(*[[0, 1]] * len(names), indexing="ij")).reshape(len(names), -1)
    values = dict(values)
    for row, name in zip(corners, names):
        lo, hi = ends[name]
        unit = done[d.input(name).ref].unit if d.input(name).ref else d.input(name).unit
        q = quantity(np.where(row == 0, lo, hi).astype(float), unit)
        values[name] = convert(q, d.input(name).unit) if d.input(name).ref and d.input(name).unit else q
    for name, v in values.items():  # the other inputs: point values broadcast over the corners
        if name not in ends and np.ndim(getattr(v, "magnitude", v)) > 0:
            values[name] = _fixed(v)
    out, _ = _eval(d, values)
    return [float(np.min(out)), float(np.max(out))]


def evaluate_one(d: ComputationDef, done: dict[str, Outcome], with_sensitivity: bool = False) -> Outcome:
    """Percentiles, bounds, check and scenarios; sensitivity only when asked (``compute show``)."""
    try:
        values = _input_values(d, done, {})
        result_values, exact = _eval(d, values)
        pct = _percentiles(result_values, exact)
        result: dict[str, Any] = {**pct, "exact": exact, "unit": d.unit,
                                  "bounds": [pct["p50"], pct["p50"]] if exact else bounds(d, done, values),
                                  "samples": 0 if exact else SAMPLES, "check": _check(d, pct)}
        if with_sensitivity:
            result["sensitivity"] = sensitivity(d, values) if not exact else []
        if d.scenarios:
            result["scenarios"] = {}
            for name, spec in sorted(d.scenarios.items()):
                vals, sc_exact = _eval(d, _input_values(d, done, _scenario_overrides(d, name, spec)))
                sc_pct = _percentiles(vals, sc_exact)
                result["scenarios"][name] = {"value": sc_pct["p50"], **sc_pct, "exact": sc_exact,
                                             "inputs": spec, "check": _check(d, sc_pct)}
    except FormulaError as exc:
        raise FormulaError(f"computation {d.id!r}: {exc}") from None
    return Outcome(result_values, exact, d.unit, result)


def dependency_order(defs: dict[str, ComputationDef]) -> list[str]:
    """Ids in an order where every input comes before its user; refuses cycles by naming them."""
    import networkx as nx
    g = nx.DiGraph()
    g.add_nodes_from(sorted(defs))
    for d in defs.values():
        for inp in d.inputs:
            if inp.ref is not None:
                if inp.ref not in defs:
                    raise FormulaError(f"input {inp.name!r} of {d.id!r} refers to unknown computation {inp.ref!r}")
                g.add_edge(inp.ref, d.id)
    try:
        return list(nx.lexicographical_topological_sort(g))
    except nx.NetworkXUnfeasible:
        cycle = nx.find_cycle(g)
        names = [u for u, _ in cycle] + [cycle[0][0]]
        raise FormulaError(f"computations would form a cycle: {' -> '.join(names)}") from None


def evaluate_all(defs: dict[str, ComputationDef], only: Optional[set[str]] = None,
                 sensitivity_for: Optional[str] = None) -> dict[str, Outcome]:
    """Evaluate ``only`` (default: all) and whatever they need, in dependency order."""
    order = dependency_order(defs)
    if only is not None:
        needed = set(only)
        for cid in reversed(order):
            if cid in needed:
                needed.update(i.ref for i in defs[cid].inputs if i.ref)
        order = [c for c in order if c in needed]
    done: dict[str, Outcome] = {}
    for cid in order:
        done[cid] = evaluate_one(defs[cid], done, with_sensitivity=cid == sensitivity_for)
    return done


def downstream(defs: dict[str, ComputationDef], start: str) -> list[str]:
    import networkx as nx
    g = nx.DiGraph()
    g.add_nodes_from(defs)
    g.add_edges_from((i.ref, d.id) for d in defs.values() for i in d.inputs if i.ref)
    affected = {start} | nx.descendants(g, start)
    return [c for c in dependency_order(defs) if c in affected]


# --- the store side ------------------------------------------------------------------------

def load_definitions(s: Session) -> dict[str, ComputationDef]:
    defs: dict[str, ComputationDef] = {}
    for c in s.exec(select(Computation).order_by(Computation.id)).all():
        defs[c.id] = ComputationDef(
            id=c.id, claim=c.claim_id, formula=c.formula, unit=c.unit, expect_value=c.expect_value,
            expect_unit=c.expect_unit or "", tolerance=c.tolerance, description=c.description,
            scenarios=json.loads(c.scenarios_json) if c.scenarios_json else {})
    for i in s.exec(select(ComputationInput).order_by(ComputationInput.id)).all():
        defs[i.computation_id].inputs.append(InputDef(
            name=i.name, low=i.low, high=i.high, unit=i.unit, ref=i.ref_computation_id,
            evidence_id=i.evidence_id, note=i.note))
    return defs


def _save_result(s: Session, cid: str, outcome: Outcome) -> None:
    row = s.get(Computation, cid)
    r = outcome.result
    row.p5, row.p50, row.p95 = r["p5"], r["p50"], r["p95"]
    row.check = r["check"]["outcome"] if r.get("check") else None
    row.result_json = json.dumps(r, sort_keys=True)
    row.updated_at = utcnow()
    s.add(row)


def save_outcomes(s: Session, done: dict[str, Outcome]) -> None:
    for cid, outcome in done.items():
        _save_result(s, cid, outcome)
    s.flush()


def run_in_session(s: Session, only: Optional[set[str]] = None) -> dict[str, Outcome]:
    done = evaluate_all(load_definitions(s), only)
    save_outcomes(s, done)
    return done


def run_all(store: Store, only: Optional[str] = None) -> list[dict[str, Any]]:
    """Re-run one computation (with what it needs) or all of them, in one transaction."""
    with store.transaction() as s:
        if only is not None and s.get(Computation, only) is None:
            raise NotFound(f"no computation with id {only!r}")
        run_in_session(s, {only} if only else None)
        query = select(Computation).order_by(Computation.id)
        return [computation_dict(s, c) for c in s.exec(query).all() if only is None or c.id == only]


def _validate_def(d: ComputationDef) -> None:
    check_id(d.id, "computation id")
    if not d.formula or not d.formula.strip():
        raise FormulaError("the formula is empty")
    seen = set()
    for inp in d.inputs:
        if inp.name in seen:
            raise FormulaError(f"input {inp.name!r} is given twice")
        seen.add(inp.name)
        if inp.ref == d.id:
            raise FormulaError(f"computations would form a cycle: {d.id} -> {d.id}")
    tree = parse(d.formula, seen)
    unused = seen - names_used(tree)
    if unused:
        raise FormulaError(f"input(s) {', '.join(sorted(unused))} are not used by the formula")
    parse_unit(d.unit)
    if d.expect_value is not None:
        parse_unit(d.expect_unit)
        checks.parse_tolerance(d.tolerance)
    for name, spec in d.scenarios.items():
        check_id(name, "scenario name")
        if not isinstance(spec, dict) or not spec:
            raise FormulaError(f"scenario {name!r} must set at least one input")
        _scenario_overrides(d, name, spec)


def _write_def(s: Session, d: ComputationDef) -> None:
    s.add(Computation(id=d.id, claim_id=d.claim, formula=d.formula.strip(), unit=d.unit, description=d.description,
                      expect_value=d.expect_value, expect_unit=d.expect_unit or None, tolerance=d.tolerance,
                      scenarios_json=json.dumps(d.scenarios, sort_keys=True) if d.scenarios else None))
    s.flush()
    for inp in d.inputs:
        s.add(ComputationInput(computation_id=d.id, name=inp.name, low=inp.low, high=inp.high, unit=inp.unit,
                               evidence_id=inp.evidence_id, ref_computation_id=inp.ref, note=inp.note))
    s.flush()


def add_computation(store: Store, d: ComputationDef) -> dict[str, Any]:
    """Attach a computation to its claim, evaluate it and everything, and store the results.

    Refused (with nothing written) on a bad formula, units that do not match, a cycle,
    an unknown claim, input or evidence, or a result that cannot be computed.
    """
    _validate_def(d)
    with store.transaction() as s:
        if s.get(Claim, d.claim) is None:
            raise NotFound(f"no claim with id {d.claim!r}")
        if s.get(Computation, d.id) is not None:
            raise AlreadyExists(f"a computation with id {d.id!r} already exists")
        for inp in d.inputs:
            if inp.evidence_id is not None and s.get(Evidence, inp.evidence_id) is None:
                raise NotFound(f"input {inp.name!r}: no evidence with id {inp.evidence_id}")
        defs = load_definitions(s)
        defs[d.id] = d
        evaluate_all(defs, {d.id})  # refuses cycles, unit errors, NaN... before writing
        _write_def(s, d)
        run_in_session(s, {d.id})
        return computation_dict(s, s.get(Computation, d.id))


@dataclass
class Change:
    kind: str  # "check" or "claim"
    id: str
    before: Optional[str]
    after: Optional[str]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "before": self.before, "after": self.after}


def claim_states(s: Session) -> dict[str, str]:
    """Each claim that has computations: 'fails' if any of its checks fails, else 'ok'."""
    states: dict[str, str] = {}
    for c in s.exec(select(Computation)).all():
        if c.check == "fails":
            states[c.claim_id] = "fails"
        else:
            states.setdefault(c.claim_id, "ok")
    return states


def set_input(store: Store, comp_id: str, assignment: str, unit: Optional[str] = None,
              observe: Optional[Callable[[Session], dict[str, str]]] = None) -> dict[str, Any]:
    """Change one input, re-run everything downstream; report the checks and claims that changed.

    ``observe`` reads each claim's status inside the transaction, before and after (the
    graph layer passes its grounded labelling), so status changes are reported too.
    """
    name, value = parse_assignment(assignment)
    low, high, ref = parse_value(value)
    observe = observe or (lambda _s: {})
    with store.transaction() as s:
        defs = load_definitions(s)
        if comp_id not in defs:
            raise NotFound(f"no computation with id {comp_id!r}")
        d = defs[comp_id]
        inp = d.input(name)
        before_checks = {cid: s.get(Computation, cid).check for cid in defs}
        before_claims = claim_states(s)
        before_labels = observe(s)
        inp.low, inp.high, inp.ref = low, high, ref
        if unit is not None:
            parse_unit(unit)
            inp.unit = unit
        affected = downstream(defs, comp_id)  # refuses a cycle the change would make
        done = evaluate_all(defs, set(affected))
        row = s.exec(select(ComputationInput).where(ComputationInput.computation_id == comp_id,
                                                    ComputationInput.name == name)).one()
        row.low, row.high, row.ref_computation_id = low, high, ref
        row.unit = inp.unit
        s.add(row)
        for cid in affected:
            _save_result(s, cid, done[cid])
        s.flush()
        changes = [Change("check", cid, before_checks[cid], s.get(Computation, cid).check)
                   for cid in affected if before_checks[cid] != s.get(Computation, cid).check]
        after_claims = claim_states(s)
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
        row = s.get(Computation, comp_id)
        if row is None:
            raise NotFound(f"no computation with id {comp_id!r}")
        data = computation_dict(s, row)
        done = evaluate_all(load_definitions(s), {comp_id}, sensitivity_for=comp_id)
        if data["result"] is not None:
            data["result"]["sensitivity"] = done[comp_id].result["sensitivity"]
        for inp in data["inputs"]:
            if inp["evidence"]:
                ev = s.get(Evidence, inp["evidence"])
                inp["evidence_quote"] = {"source": ev.source_id, "quote": ev.quote, "locator": ev.locator}
        return data


def remove_computation(store: Store, comp_id: str) -> str:
    with store.transaction() as s:
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


# --- import ----------------------------------------------------------------------------------

def def_from_document(item: dict[str, Any], prefix: str = "") -> ComputationDef:
    """A computation as written in argmap's JSON format."""
    expect = item.get("expect") or {}
    inputs = []
    for raw in item.get("inputs") or []:
        if not isinstance(raw, dict) or not raw.get("name"):
            raise FormulaError("each input needs a name")
        name = str(raw["name"])
        if not name.isidentifier():
            raise FormulaError(f"input name {name!r} must be a plain identifier")
        ref = raw.get("from")
        low, high = raw.get("low"), raw.get("high")
        if ref is None:
            if not isinstance(low, (int, float)) or isinstance(low, bool):
                raise FormulaError(f"input {name!r} needs a number \"low\" (or \"from\": a computation id)")
            if high is not None:
                if not isinstance(high, (int, float)) or isinstance(high, bool):
                    raise FormulaError(f"input {name!r}: \"high\" must be a number")
                if high < low:
                    raise FormulaError(f"input {name!r}: range runs backwards ({low:g}..{high:g})")
            for v in (low, high):
                if v is not None and not np.isfinite(v):
                    raise FormulaError(f"input {name!r}: values must be finite numbers")
        inputs.append(InputDef(name=name, low=None if ref else float(low),
                               high=None if ref or high is None or high == low else float(high),
                               unit=str(raw.get("unit") or ""), ref=(prefix + str(ref)) if ref else None,
                               evidence_id=raw.get("evidence"), note=raw.get("note")))
    value = expect.get("value") if isinstance(expect, dict) else None
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise FormulaError("\"expect\".\"value\" must be a number")
    scenarios = item.get("scenarios") or {}
    if not isinstance(scenarios, dict):
        raise FormulaError("\"scenarios\" must be an object")
    return ComputationDef(
        id=prefix + str(item.get("id") or ""), claim=prefix + str(item.get("claim") or ""),
        formula=str(item.get("formula") or ""), unit=str(item.get("unit") or ""), inputs=inputs,
        expect_value=float(value) if value is not None else None,
        expect_unit=str(expect.get("unit") or "") if isinstance(expect, dict) else "",
        tolerance=expect.get("tolerance") if isinstance(expect, dict) else None,
        scenarios=scenarios, description=item.get("description"))


def validate_documented(s: Session, doc: Any, prefix: str, known_claims: set[str],
                        known_evidence: set[Any]) -> tuple[list[dict[str, Any]], dict[str, Outcome]]:
    """Check a document's computations against the store by running them; return the rows to
    insert and the results to store once they are in (so each is evaluated once)."""
    from argmap.graph.formats.model import FormatError
    defs = load_definitions(s)
    new: list[ComputationDef] = []
    for n, item in enumerate(doc.computations):
        where = f"computation {item.get('id', n + 1)!r}"
        try:
            d = def_from_document(item, prefix)
            _validate_def(d)
        except InvalidInput as exc:
            raise FormatError(doc.name, where, f"a valid computation ({exc})") from None
        if d.claim not in known_claims:
            raise FormatError(doc.name, where, f"a known claim id (no claim {d.claim!r})")
        if d.id in defs:
            raise FormatError(doc.name, where, "a computation id not already in the store")
        for inp in d.inputs:
            if inp.evidence_id is not None and inp.evidence_id not in known_evidence:
                raise FormatError(doc.name, where, f"input {inp.name!r} to cite an evidence id of the file")
        defs[d.id] = d
        new.append(d)
    try:
        done = evaluate_all(defs, {d.id for d in new})
    except InvalidInput as exc:
        raise FormatError(doc.name, "computations", f"computations that can be evaluated ({exc})") from None
    rows = []
    for d in new:
        rows.append({
            "id": d.id, "claim_id": d.claim, "formula": d.formula.strip(), "unit": d.unit,
            "description": d.description, "expect_value": d.expect_value, "expect_unit": d.expect_unit or None,
            "tolerance": d.tolerance, "scenarios_json": json.dumps(d.scenarios, sort_keys=True) if d.scenarios else None,
            "inputs": [{"name": i.name, "low": i.low, "high": i.high, "unit": i.unit, "ref_computation_id": i.ref,
                        "note": i.note, "evidence_key": i.evidence_id} for i in d.inputs],
        })
    new_ids = {d.id for d in new}
    return rows, {cid: outcome for cid, outcome in done.items() if cid in new_ids}
