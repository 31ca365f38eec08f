"""Holding a computed result against the value its claim states.

A stated value comes with a tolerance: ``factor 2`` (or ``x2``), ``1 OOM`` (a factor of
ten per order of magnitude), ``10%`` or an absolute ``±5``. The tolerance makes a band
around the stated value. Against a result with percentiles p5 <= p50 <= p95:

- ``holds``: the median lies in the band;
- ``partly``: the band only overlaps the 5th-95th percentile range, i.e. the stated value
  is reached at an edge of what the inputs allow, not at their centre;
- ``fails``: the band misses the range entirely; the detail says by what factor.
"""

import math
import re
from dataclasses import asdict, dataclass
from typing import Any, Optional

from argmap.errors import FormulaError

DEFAULT_TOLERANCE = "10%"
_NUMBER = r"[-+]?(?:\d+(?:[.,_]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class Tolerance:
    kind: str  # factor | relative | absolute
    amount: float
    text: str

    def band(self, value: float) -> tuple[float, float]:
        if self.kind == "factor":
            lo, hi = value / self.amount, value * self.amount
        elif self.kind == "relative":
            lo, hi = value * (1 - self.amount), value * (1 + self.amount)
        else:
            lo, hi = value - self.amount, value + self.amount
        return (min(lo, hi), max(lo, hi))


def parse_number(text: str, what: str = "number") -> float:
    cleaned = text.strip().lstrip("~≈").replace(",", "").replace("_", "")
    if len(cleaned) > 100:
        raise FormulaError(f"{what} {text[:40]!r}... is too long for a number")
    try:
        value = float(cleaned)
    except (ValueError, OverflowError):
        raise FormulaError(f"{what} {text!r} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise FormulaError(f"{what} {text!r} is not a finite number")
    return value


def parse_tolerance(text: Optional[str]) -> Tolerance:
    if text is not None and not isinstance(text, str):
        raise FormulaError(f"a tolerance is text such as 'factor 2', not {text!r}")
    raw = (text or DEFAULT_TOLERANCE).strip()
    if len(raw) > 100:
        raise FormulaError(f"tolerance {raw[:40]!r}... is too long")
    t = raw.lower().replace("within", "").replace("a ", " ").strip()
    if m := re.fullmatch(rf"(?:factor(?: of)?|x|×)\s*({_NUMBER})", t):
        f = parse_number(m.group(1), "tolerance factor")
        if not 1 < f <= 1e100:
            raise FormulaError(f"a tolerance factor must be above 1 and at most 1e100, not {f:g}")
        return Tolerance("factor", f, raw)
    if m := re.fullmatch(rf"(?:about\s*)?({_NUMBER})\s*(?:ooms?|orders? of magnitude)", t):
        k = parse_number(m.group(1), "tolerance")
        if not 0 < k <= 100:
            raise FormulaError("an OOM tolerance must be between 0 and 100 orders of magnitude")
        return Tolerance("factor", 10 ** k, raw)
    if m := re.fullmatch(rf"(?:±|\+-|\+/-)?\s*({_NUMBER})\s*%", t):
        p = parse_number(m.group(1), "tolerance") / 100
        if not 0 < p < 1:
            raise FormulaError("a percentage tolerance must be between 0% and 100%")
        return Tolerance("relative", p, raw)
    if m := re.fullmatch(rf"(?:±|\+-|\+/-)\s*({_NUMBER})", t):
        a = abs(parse_number(m.group(1), "tolerance"))
        return Tolerance("absolute", a, raw)
    raise FormulaError(f"cannot read tolerance {raw!r}: use e.g. 'factor 2', '1 OOM', '10%' or '±5'")


def parse_expectation(text: str) -> tuple[float, str]:
    """``"2e8 tokens"`` -> (2e8, "tokens"); ``"~10"`` -> (10.0, "")."""
    m = re.fullmatch(rf"\s*[~≈]?\s*({_NUMBER})\s*(.*?)\s*", text or "")
    if not m:
        raise FormulaError(f"cannot read the stated value {text!r}: give a number and a unit, e.g. '2e8 tokens'")
    return parse_number(m.group(1), "stated value"), m.group(2)


@dataclass(frozen=True)
class CheckResult:
    outcome: str  # holds | partly | fails
    detail: str
    stated: float
    band: tuple[float, float]
    off_by: Optional[float] = None  # for fails: the factor between the band and the range

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["band"] = list(self.band)
        return data


def g(x: float) -> str:
    return f"{x:.3g}"


def _factor(a: float, b: float) -> Optional[float]:
    if a > 0 and b > 0:
        return max(a, b) / min(a, b)
    return None


def check(stated: float, tol: Tolerance, p5: float, p50: float, p95: float, unit: str = "") -> CheckResult:
    lo, hi = tol.band(stated)
    u = f" {unit}" if unit else ""
    exact = p5 == p95
    rng = g(p50) if exact else f"{g(p5)} to {g(p95)} (median {g(p50)})"
    said = f"stated {g(stated)}{u} ({tol.text})"
    if lo <= p50 <= hi:
        return CheckResult("holds", f"{said}; computed {rng}{u}", stated, (lo, hi))
    if hi >= p5 and lo <= p95:
        edge = "upper" if stated > p50 else "lower"
        by = _factor(stated, p50)
        how = f", {by:.2g}x {'above' if stated > p50 else 'below'} the median" if by else ""
        return CheckResult("partly", f"{said} is reached only at the {edge} edge of the computed range "
                                     f"{rng}{u}{how}", stated, (lo, hi), by)
    if lo > p95:
        by = _factor(lo, p95)
        where = f"above the 95th percentile {g(p95)}{u}" if not exact else f"above the computed {g(p95)}{u}"
    else:
        by = _factor(hi, p5)
        where = f"below the 5th percentile {g(p5)}{u}" if not exact else f"below the computed {g(p5)}{u}"
    amount = f"{by:.3g}x " if by else ""
    return CheckResult("fails", f"{said} lies {amount}{where} even with its tolerance; computed {rng}{u}",
                       stated, (lo, hi), by)
