"""Evaluating computations: formulas with units and ranges, checked against their claim.

Pure: records in, results out; nothing here reads or writes the store.

A range ``a..b`` of positive numbers is read as Squiggle reads ``a to b``: a lognormal
distribution whose 5th and 95th percentiles are ``a`` and ``b`` (a normal one when
``a <= 0``). Results come from a seeded Monte Carlo of ``SAMPLES`` draws (the seed is
derived from the computation's id and the input's name, so the same inputs give the same
result on every run and machine); a computation whose inputs are all plain numbers is
computed exactly. An input may be another computation's result (its samples are reused,
so correlations carry through), which makes computations a graph; cycles are refused.
"""

import zlib
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import numpy as np

from argmap.claims.argument_map import reach
from argmap.claims.ids import check_id, optional_text
from argmap.claims.records import ComputationRecord, InputRecord
from argmap.errors import FormulaError
from argmap.evidence import checks
from argmap.evidence.formula import names_used, parse
from argmap.evidence.units import convert, parse_unit, quantity

SAMPLES = 10_000  # Squiggle draws 1,000 by default, Guesstimate 5,000
SENSITIVITY_SAMPLES = 5_000  # shares of the spread need less precision than the percentiles
Z95 = 1.6448536269514722  # the 95th percentile of a standard normal


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
                    note: Optional[str] = None) -> InputRecord:
    """``input_from_text("hours=12..16", "hour/day")``: an input as the CLI takes it."""
    name, value = parse_assignment(assignment)
    low, high, ref = parse_value(value)
    if unit:
        parse_unit(unit)
    return InputRecord(name=name, low=low, high=high, unit=unit.strip(), ref=ref, evidence_id=evidence_id, note=note)


@dataclass
class Outcome:
    """One evaluated computation: its samples (or exact value) in its output unit."""

    values: Any  # float if exact, np.ndarray otherwise
    exact: bool
    unit: str
    result: dict[str, Any]


def _seed(comp_id: str, name: str) -> int:
    return zlib.crc32(f"{comp_id}\x00{name}".encode())


def sample_range(low: float, high: float, comp_id: str, name: str, n: int = SAMPLES, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(_seed(comp_id, name) if seed == 0 else [seed, _seed(comp_id, name)])
    z = rng.standard_normal(n)
    if low > 0:
        mu = (np.log(low) + np.log(high)) / 2
        sigma = (np.log(high) - np.log(low)) / (2 * Z95)
        return np.exp(mu + sigma * z)
    mean, sd = (low + high) / 2, (high - low) / (2 * Z95)
    return mean + sd * z


def _input_values(d: ComputationRecord, done: dict[str, Outcome], overrides: dict[str, Any]) -> dict[str, Any]:
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


def _eval(d: ComputationRecord, values: dict[str, Any]) -> tuple[Any, bool]:
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


def sensitivity(d: ComputationRecord, values: dict[str, Any]) -> list[dict[str, Any]]:
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


def _stated(d: ComputationRecord) -> tuple[float, "checks.Tolerance"]:
    """The value the claim states and its tolerance, in the computation's output unit."""
    stated = d.expect_value
    if d.expect_unit and d.expect_unit != d.unit:
        stated = float(convert(quantity(stated, d.expect_unit), d.unit).magnitude)
    tol = checks.parse_tolerance(d.tolerance)
    if tol.kind == "absolute" and d.expect_unit and d.expect_unit != d.unit:
        tol = checks.Tolerance("absolute", float(convert(quantity(tol.amount, d.expect_unit), d.unit).magnitude), tol.text)
    return stated, tol


def stated_band(d: ComputationRecord) -> Optional[tuple[float, float]]:
    """The band a single computed value must fall in for the check to hold (None: no check)."""
    if d.expect_value is None:
        return None
    stated, tol = _stated(d)
    return tol.band(stated)


def _check(d: ComputationRecord, pct: dict[str, float]) -> Optional[dict[str, Any]]:
    if d.expect_value is None:
        return None
    stated, tol = _stated(d)
    return checks.check(stated, tol, pct["p5"], pct["p50"], pct["p95"], d.unit).to_json()


def joint_draws(defs: dict[str, ComputationRecord], n: int, seed: int,
                held: frozenset[tuple[str, str]] = frozenset()) -> dict[str, np.ndarray]:
    """Each computation's value in ``n`` joint draws of every ranged input (seeded, so the
    same seed gives the same draws); the inputs in ``held`` stay at their median."""
    done: dict[str, tuple[np.ndarray, str]] = {}
    for cid in dependency_order(defs):
        d = defs[cid]
        values: dict[str, Any] = {}
        for inp in d.inputs:
            if inp.ref is not None:
                up, unit = done[inp.ref]
                q = quantity(up, unit)
                values[inp.name] = convert(q, inp.unit) if inp.unit else q
            elif inp.is_range and (cid, inp.name) in held:
                median = float(np.sqrt(inp.low * inp.high)) if inp.low > 0 else (inp.low + inp.high) / 2
                values[inp.name] = quantity(np.full(n, median), inp.unit)
            elif inp.is_range:
                values[inp.name] = quantity(sample_range(inp.low, inp.high, cid, inp.name, n, seed), inp.unit)
            else:
                values[inp.name] = quantity(float(inp.low), inp.unit)
        try:
            result, _ = _eval(d, values)
        except FormulaError as exc:
            raise FormulaError(f"computation {d.id!r}: {exc}") from None
        done[cid] = (np.broadcast_to(np.asarray(result, dtype=float), (n,)), d.unit)
    return {cid: v for cid, (v, _) in done.items()}


def _scenario_overrides(d: ComputationRecord, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    overrides = {}
    for key, raw in spec.items():
        d.input(key)  # raises if unknown
        low, high, ref = parse_value(str(raw))
        if ref is not None:
            raise FormulaError(f"scenario {name!r} of {d.id!r}: an override must be a number or range")
        overrides[key] = (low, high)
    return overrides


MAX_CORNERS = 12


def bounds(d: ComputationRecord, done: dict[str, Outcome], values: dict[str, Any]) -> Optional[list[float]]:
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


def evaluate_one(d: ComputationRecord, done: dict[str, Outcome], with_sensitivity: bool = False) -> Outcome:
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


def dependency_order(defs: dict[str, ComputationRecord]) -> list[str]:
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


def evaluate_all(defs: dict[str, ComputationRecord], only: Optional[set[str]] = None,
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


def dependants(defs: dict[str, ComputationRecord], starts: Iterable[str]) -> set[str]:
    """The computations that take the result of any of ``starts``, directly or through others."""
    users: dict[str, list[str]] = {}
    for d in defs.values():
        for i in d.inputs:
            if i.ref:
                users.setdefault(i.ref, []).append(d.id)
    return reach(starts, users)


def downstream(defs: dict[str, ComputationRecord], start: str) -> list[str]:
    """``start`` and what depends on it, in dependency order (a cycle is refused by naming it)."""
    affected = {start} | dependants(defs, [start])
    return [c for c in dependency_order(defs) if c in affected]



def validate(d: ComputationRecord) -> None:
    """Refuse a computation that cannot be right whatever the store holds: bad ids, formula,
    units, tolerance or scenarios, inputs given twice, unused or referring to itself."""
    check_id(d.id, "computation id")
    if not isinstance(d.formula, str) or not isinstance(d.unit, str) or not isinstance(d.expect_unit or "", str):
        raise FormulaError("the formula and the units must be text")
    if not isinstance(d.scenarios, dict):
        raise FormulaError("scenarios must be a mapping of names to inputs")
    d.description = optional_text(d.description, "description")
    if not d.formula or not d.formula.strip():
        raise FormulaError("the formula is empty")
    seen = set()
    for inp in d.inputs:
        if inp.name in seen:
            raise FormulaError(f"input {inp.name!r} is given twice")
        seen.add(inp.name)
        if inp.ref == d.id:
            raise FormulaError(f"computations would form a cycle: {d.id} -> {d.id}")
        inp.note = optional_text(inp.note, f"note of input {inp.name!r}")
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
