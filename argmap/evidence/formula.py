"""Formulas as users write them, evaluated without ``eval``.

The text is parsed with ``ast``, checked against an allow-list (numbers, declared input
names, + - * / **, parentheses and a few functions), then evaluated by ``simpleeval``
with our own operators. All arithmetic is floating point on numpy arrays (or pint
quantities wrapping them), so ``9**9**9`` overflows at once instead of building a huge
integer, and an overflow is refused.
"""

import ast
import math
import operator
import warnings
from functools import lru_cache
from typing import Any, Iterable

import numpy as np

from argmap.errors import FormulaError

MAX_FORMULA = 1_000
MAX_NODES = 400


def _dimensionless(x: Any, fname: str) -> Any:
    if hasattr(x, "to"):
        import pint
        try:
            return x.to("dimensionless").magnitude
        except pint.DimensionalityError:
            raise FormulaError(f"{fname}() needs a dimensionless argument, got {x.units:~}") from None
    return x


def _unary(fn, fname):
    def call(x):
        return fn(_dimensionless(x, fname))
    call.__name__ = fname
    return call


def _minmax(fn, fname):
    def call(*args):
        if len(args) < 2:
            raise FormulaError(f"{fname}() needs at least two arguments")
        result = args[0]
        for a in args[1:]:
            result = fn(result, a)
        return result
    return call


FUNCTIONS = {
    "log": _unary(np.log, "log"), "ln": _unary(np.log, "ln"), "log10": _unary(np.log10, "log10"),
    "log2": _unary(np.log2, "log2"), "exp": _unary(np.exp, "exp"),
    "sqrt": lambda x: np.sqrt(x), "abs": lambda x: abs(x),
    "min": _minmax(np.minimum, "min"), "max": _minmax(np.maximum, "max"),
}
CONSTANTS = {"pi": math.pi, "e": math.e}


def _power(a: Any, b: Any) -> Any:
    b = _dimensionless(b, "an exponent")
    if hasattr(a, "units"):
        if a.dimensionless:
            return a.to("dimensionless").magnitude ** b
        flat = np.ravel(b)
        if flat.size > 1 and not np.all(flat == flat[0]):
            raise FormulaError(f"a quantity with units ({a.units:~}) cannot be raised to a varying power")
        return a ** float(flat[0])
    return a ** b


def _div(a: Any, b: Any) -> Any:
    mag = getattr(b, "magnitude", b)
    if np.any(np.asarray(mag) == 0):
        raise FormulaError("division by zero")
    return operator.truediv(a, b)


OPERATORS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: _div,
    ast.Pow: _power, ast.USub: operator.neg, ast.UAdd: operator.pos,
}
_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_ALLOWED_UNARY = (ast.USub, ast.UAdd)
_DESCRIBE = {
    ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions", ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.Lambda: "lambdas", ast.Compare: "comparisons", ast.BoolOp: "boolean operators",
    ast.IfExp: "conditional expressions", ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dicts",
    ast.Set: "sets", ast.JoinedStr: "strings", ast.NamedExpr: "assignments", ast.Starred: "star arguments",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
}


def parse(formula: str, inputs: Iterable[str]) -> ast.Expression:
    """Parse and check a formula; every refusal is a FormulaError saying what was refused."""
    if not isinstance(formula, str):
        raise FormulaError("the formula is empty")
    return _parse(formula, frozenset(inputs))


@lru_cache(maxsize=2048)
def _parse(formula: str, inputs: frozenset) -> ast.Expression:
    """The checked tree, cached: evaluations repeat (sensitivity, scenarios, bounds); the
    tree is never mutated after this point."""
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError("the formula is empty")
    if len(formula) > MAX_FORMULA:
        raise FormulaError(f"the formula is too long ({len(formula)} characters; at most {MAX_FORMULA})")
    if "\x00" in formula:
        raise FormulaError("the formula contains a NUL character")
    try:
        formula.encode("utf-8")
    except UnicodeEncodeError:
        raise FormulaError("the formula is not valid UTF-8 text") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "invalid decimal literal": the error below says it
            tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot read the formula: {exc.msg} at column {exc.offset}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("the formula is nested too deeply") from None
    names = set(inputs)
    count = 0
    for node in ast.walk(tree):
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"the formula is too complex (more than {MAX_NODES} parts)")
        if isinstance(node, (ast.Expression, ast.Load)) or isinstance(node, _ALLOWED_BINOPS + _ALLOWED_UNARY):
            continue
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _ALLOWED_BINOPS):
                raise FormulaError(f"operator {type(node.op).__name__} is not allowed (use + - * / **)")
            continue
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, _ALLOWED_UNARY):
                raise FormulaError(f"operator {type(node.op).__name__} is not allowed")
            continue
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise FormulaError(f"only numbers may appear as constants, not {node.value!r}")
            continue
        if isinstance(node, ast.Name):
            if node.id.startswith("_"):
                raise FormulaError(f"name {node.id!r} is not allowed")
            if node.id not in names and node.id not in FUNCTIONS and node.id not in CONSTANTS:
                declared = ", ".join(sorted(names)) or "none"
                raise FormulaError(f"unknown name {node.id!r} in the formula (declared inputs: {declared})")
            continue
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                fname = node.func.id if isinstance(node.func, ast.Name) else "that"
                raise FormulaError(f"function {fname!r} is not allowed (allowed: {', '.join(sorted(FUNCTIONS))})")
            if node.keywords:
                raise FormulaError("keyword arguments are not allowed")
            continue
        what = _DESCRIBE.get(type(node), type(node).__name__)
        raise FormulaError(f"{what} not allowed in a formula")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in FUNCTIONS:
            parent_calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.func is node]
            if not parent_calls:
                raise FormulaError(f"{node.id!r} is a function: call it, as {node.id}(...)")
    return _floats(tree)


class _ToFloat(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.copy_location(ast.Constant(value=float(node.value)), node)


def _floats(tree: ast.Expression) -> ast.Expression:
    try:
        return ast.fix_missing_locations(_ToFloat().visit(tree))
    except OverflowError:
        raise FormulaError("a number in the formula is too large") from None


def names_used(tree: ast.Expression) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS}


def evaluate(formula: str, values: dict[str, Any]) -> Any:
    """Evaluate a checked formula on numbers, arrays or pint quantities."""
    import pint
    from simpleeval import SimpleEval

    tree = parse(formula, values)
    evaluator = SimpleEval(operators=OPERATORS, functions=FUNCTIONS, names={**CONSTANTS, **values})
    try:
        with np.errstate(all="raise"):
            result = evaluator.eval(formula, previously_parsed=tree.body)
    except FormulaError:
        raise
    except pint.DimensionalityError as exc:
        raise FormulaError(f"units do not match: cannot combine {exc.units1} and {exc.units2}"
                           + (f" ({exc.extra_msg.strip(' :')})" if getattr(exc, 'extra_msg', '') else "")) from None
    except pint.OffsetUnitCalculusError as exc:
        raise FormulaError(f"units do not match: {exc}") from None
    except ZeroDivisionError:
        raise FormulaError("division by zero") from None
    except FloatingPointError as exc:
        text = str(exc)
        if "overflow" in text:
            raise FormulaError("the result is too large to compute (overflow)") from None
        if "divide" in text and "log" in text:
            raise FormulaError("the result is not a number (the log of zero)") from None
        if "divide" in text:
            raise FormulaError("division by zero") from None
        raise FormulaError(f"the result is not a number ({text}): check the inputs' ranges "
                           f"(a log or sqrt of a negative number?)") from None
    except OverflowError:
        raise FormulaError("the result is too large to compute (overflow)") from None
    except (TypeError, ValueError) as exc:
        raise FormulaError(f"cannot evaluate the formula: {exc}") from None
    except RecursionError:
        raise FormulaError("the formula is nested too deeply") from None
    mag = np.asarray(getattr(result, "magnitude", result), dtype=float)
    if np.any(np.isnan(mag)):
        raise FormulaError("the result is not a number (NaN): check the inputs' ranges")
    if np.any(np.isinf(mag)):
        raise FormulaError("the result is too large to compute (overflow)")
    return result
