"""Units through pint, with the counting units argument maps need.

Words, tokens, parameters, synapses, professors...: any unit name pint does not know is
defined on first use as a new base dimension (``tokens`` -> ``token = [token]``), so
``tokens / tokens`` cancels while ``tokens + words`` is refused. ``x``, ``fold`` and
``times`` are dimensionless, for ratios.
"""

import re
from functools import lru_cache
from typing import Any

from argmap.errors import FormulaError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z_]*$")
_NUMBER = re.compile(r"(?<![A-Za-z_])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
_POWER_OF_POWER = re.compile(r"(\*\*|\^)[\s()+-]*\d[\d.]*[\s)]*(\*\*|\^)")
MAX_UNIT_NUMBER = 12  # m**3, s^-2, 1/hour: units carry small numbers only
DIMENSIONLESS_WORDS = {"", "1", "x", "×", "fold", "times", "dimensionless", "ratio"}


@lru_cache(maxsize=1)
def registry():
    import pint
    ureg = pint.UnitRegistry(on_redefinition="ignore", autoconvert_offset_to_baseunit=True)
    # pint reads "bp" as a typographic point: in argument maps it is a base pair
    ureg.define("base_pair = [base_pair] = bp")
    ureg.define("parameter = [parameter] = param")
    ureg.define("fold = 1 = x")
    return ureg


def _define_new(ureg, name: str) -> None:
    if not _NAME.match(name) or len(name) > 40:
        raise FormulaError(f"unknown unit {name!r}")
    singular = name[:-1] if name.endswith("s") and len(name) > 3 else name
    ureg.define(f"{singular} = [{singular}]")


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> Any:
    """A pint Unit for ``text``; counting words become new dimensions on first use (cached:
    pint's parser is slow, and a Monte Carlo run asks for the same units again and again)."""
    import pint
    text = (text or "").strip()
    if text.lower() in DIMENSIONLESS_WORDS:
        return registry().dimensionless
    if len(text) > 100:
        raise FormulaError(f"unit {text[:40]!r}... is too long")
    if not re.match(r"^[A-Za-z0-9_ /*^.%()·-]+$", text):
        raise FormulaError(f"unit {text!r} has characters a unit cannot have")
    check_unit_numbers(text)
    ureg = registry()
    for _ in range(8):
        try:
            return ureg.parse_units(text)
        except pint.UndefinedUnitError as exc:
            names = exc.unit_names if isinstance(exc.unit_names, (list, tuple)) else [exc.unit_names]
            for name in names:
                _define_new(ureg, str(name))
        except FormulaError:
            raise
        except ZeroDivisionError:
            raise FormulaError(f"cannot read unit {text!r}: it divides by zero") from None
        except Exception as exc:  # pint's parser raises many kinds; every one means "not a unit"
            raise FormulaError(f"cannot read unit {text!r}: {exc}") from None
    raise FormulaError(f"cannot read unit {text!r}")


def check_unit_numbers(text: str) -> None:
    """Bound what pint will compute: small numbers only, and no power of a power (``m**9**9``
    or ``m^1e9`` would make it build giant integers)."""
    for m in _NUMBER.finditer(text):
        number = m.group()
        if len(number) > 4 or float(number) > MAX_UNIT_NUMBER:
            raise FormulaError(f"unit {text!r}: the number {number} is too large for a unit "
                               f"(at most {MAX_UNIT_NUMBER}, as in m**3)")
    if _POWER_OF_POWER.search(text) or text.count("**") + text.count("^") > 8:
        raise FormulaError(f"unit {text!r}: a power of a power is not a unit")


def quantity(value: Any, unit_text: str) -> Any:
    return registry().Quantity(value, parse_unit(unit_text))


def unit_label(unit: Any) -> str:
    text = f"{unit:~}" if unit is not None else ""
    return text or "dimensionless"


def convert(q: Any, unit_text: str) -> Any:
    """``q`` in ``unit_text``, or a FormulaError naming both units."""
    import pint
    target = parse_unit(unit_text)
    if not hasattr(q, "to"):
        q = registry().Quantity(q, registry().dimensionless)
    try:
        return q.to(target)
    except pint.DimensionalityError:
        raise FormulaError(f"the formula gives {unit_label(q.units)} ({q.dimensionality}), "
                           f"which cannot be expressed in {unit_text or 'dimensionless'!s} "
                           f"({registry().Quantity(1, target).dimensionality})") from None
