"""Commands for computations: add, run, show, set, list, remove."""

from typing import Any, List, Optional

import typer

from argmap.cli.common import app, command, echo_json, open_map
from argmap.cli.output import computation_lines, fmt_number
from argmap.errors import FormulaError

compute_app = typer.Typer(help="Formulas with units and ranges, checked against what their claim states.",
                          no_args_is_help=True)
app.add_typer(compute_app, name="compute")

EXTRA = {"allow_extra_args": True, "ignore_unknown_options": True}


def parse_input_args(args: List[str]) -> list[tuple[str, str]]:
    """``--input NAME=VALUE[..HIGH] [UNIT]`` pairs from the raw arguments, in order."""
    pairs, i = [], 0
    while i < len(args):
        token = args[i]
        if token != "--input" and not token.startswith("--input="):
            raise FormulaError(f"unexpected argument {token!r} (inputs are given as --input NAME=VALUE UNIT)")
        if token.startswith("--input="):
            spec, i = token[len("--input="):], i + 1
        else:
            if i + 1 >= len(args):
                raise FormulaError("--input needs NAME=VALUE[..HIGH] [UNIT]")
            spec, i = args[i + 1], i + 2
        assignment, _, unit = spec.strip().partition(" ")
        if not unit and i < len(args) and not args[i].startswith("--") and "=" not in args[i]:
            unit, i = args[i], i + 1
        pairs.append((assignment, unit.strip()))
    return pairs


def _keyed(values: List[str], what: str) -> dict[str, str]:
    out = {}
    for v in values:
        name, sep, rest = v.partition("=")
        if not sep or not name.strip():
            raise FormulaError(f"{what} must be NAME=VALUE, not {v!r}")
        out[name.strip()] = rest.strip()
    return out


def _scenarios(values: List[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for v in values:
        name, sep, rest = v.partition(":")
        if not sep or not name.strip():
            raise FormulaError(f"a scenario is NAME:input=value,input=value, not {v!r}")
        out[name.strip()] = _keyed([p for p in rest.split(",") if p.strip()], "a scenario input")
    return out


@command(compute_app, name="add", context_settings=EXTRA)
def compute_add(
    ctx: typer.Context,
    claim: str = typer.Argument(..., help="Id of the claim the computation belongs to."),
    comp_id: str = typer.Option(..., "--id", help="Id of the computation, e.g. c1."),
    formula: str = typer.Option(..., "--formula", help="e.g. 'wph * hours * years'. Allowed: numbers, inputs, "
                                                       "+ - * / **, (), log, log10, exp, sqrt, min, max, abs."),
    unit: str = typer.Option("", "--unit", help="Unit of the result (default: dimensionless)."),
    expect: Optional[str] = typer.Option(None, "--expect", help="The value the claim states, e.g. '2e8 tokens'."),
    tolerance: Optional[str] = typer.Option(None, "--tolerance", help="'factor 2', '1 OOM', '10%' or '±5' (default 10%)."),
    evidence: List[str] = typer.Option([], "--evidence", help="NAME=EVIDENCE_ID: the quote an input comes from."),
    note: List[str] = typer.Option([], "--note", help="NAME=TEXT: where an input comes from."),
    scenario: List[str] = typer.Option([], "--scenario", help="NAME:input=value,...: an alternative set of inputs."),
    description: Optional[str] = typer.Option(None, "--description", help="What the computation estimates."),
) -> None:
    """Attach a computation to CLAIM. Inputs: --input NAME=VALUE UNIT, --input NAME=LOW..HIGH UNIT
    (a range, read as a lognormal with those 5th/95th percentiles) or --input NAME=@COMPUTATION."""
    from argmap.evidence.checks import parse_expectation
    from argmap.claims.records import ComputationRecord
    from argmap.evidence.computations import input_from_text
    ev = {k: _evidence_id(v) for k, v in _keyed(evidence, "--evidence").items()}
    notes = _keyed(note, "--note")
    inputs = [input_from_text(a, u) for a, u in parse_input_args(ctx.args)]
    names = {i.name for i in inputs}
    for key in list(ev) + list(notes):
        if key not in names:
            raise FormulaError(f"--evidence/--note name an input {key!r} that is not given with --input")
    for i in inputs:
        i.evidence_id, i.note = ev.get(i.name), notes.get(i.name)
    value, expect_unit = parse_expectation(expect) if expect else (None, "")
    d = ComputationRecord(id=comp_id, claim=claim, formula=formula, unit=unit, inputs=inputs, expect_value=value,
                       expect_unit=expect_unit or unit if expect else "", tolerance=tolerance,
                       scenarios=_scenarios(scenario), description=description)
    with open_map(ctx) as m:
        result = m.add_computation(d)
    for line in computation_lines(result):
        typer.echo(line)


def _evidence_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise FormulaError(f"an evidence id is a number, not {text!r}") from None


@command(compute_app, name="run")
def compute_run(ctx: typer.Context, comp_id: Optional[str] = typer.Argument(None, metavar="[ID]"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """Re-run one computation, or all of them in dependency order, and store the results."""
    with open_map(ctx, create=False) as m:
        comps = m.run_computations(comp_id)
    _print_list(comps, as_json, "no computations")


def _print_list(comps: list[dict[str, Any]], as_json: bool, empty: Optional[str] = None) -> None:
    if as_json:
        echo_json(comps)
        return
    if not comps and empty:
        typer.echo(empty)
    for c in comps:
        typer.echo(_one_line(c))


def _one_line(c: dict[str, Any]) -> str:
    r = c.get("result") or {}
    value = fmt_number(r.get("p50")) if r.get("exact") else f"{fmt_number(r.get('p5'))}..{fmt_number(r.get('p95'))}"
    return f"{c['id']:<8} {c['claim']:<28} {value} {c['unit']}".rstrip() + (f"  [{c['check']}]" if c.get("check") else "")


@command(compute_app, name="list")
def compute_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """List computations with their results and checks."""
    with open_map(ctx, create=False) as m:
        comps = [c.to_json() for c in m.computations()]
    _print_list(comps, as_json)


@command(compute_app, name="show")
def compute_show(ctx: typer.Context, comp_id: str = typer.Argument(..., metavar="ID"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Formula, inputs, percentiles, check and sensitivity of one computation."""
    with open_map(ctx, create=False) as m:
        c = m.computation(comp_id)
    if as_json:
        echo_json(c)
        return
    typer.echo(f"{c['id']} (claim {c['claim']})" + (f": {c['description']}" if c.get("description") else ""))
    for line in computation_lines(c):
        typer.echo("  " + line)
    for inp in c["inputs"]:
        if inp.get("evidence_quote"):
            q = inp["evidence_quote"]
            typer.echo(f"  {inp['name']} from {q['source']}" + (f", {q['locator']}" if q.get("locator") else "")
                       + f": \"{q['quote']}\"")
        if inp.get("note"):
            typer.echo(f"  {inp['name']}: {inp['note']}")
    sens = (c.get("result") or {}).get("sensitivity") or []
    if sens:
        typer.echo("  sensitivity (share of the result's spread, each input varied alone):")
        for s in sens:
            typer.echo(f"    {s['input']:<20} {s['share'] * 100:5.1f}%   {fmt_number(s['low'])}..{fmt_number(s['high'])}")


@command(compute_app, name="set")
def compute_set(ctx: typer.Context, comp_id: str = typer.Argument(..., metavar="ID"),
                assignment: str = typer.Argument(..., metavar="NAME=VALUE"),
                unit: Optional[str] = typer.Option(None, "--unit", help="A new unit for that input."),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """Change an input (NAME=VALUE, NAME=LOW..HIGH or NAME=@ID), re-run everything downstream,
    and list the checks and claims whose outcome changed."""
    with open_map(ctx, create=False) as m:
        report = m.set_input(comp_id, assignment, unit)
    if as_json:
        echo_json(report)
        return
    typer.echo(f"re-ran: {', '.join(report['rerun'])}")
    for cid in report["rerun"]:
        r = report["results"][cid]
        value = fmt_number(r["p50"]) if r["exact"] else f"{fmt_number(r['p5'])}..{fmt_number(r['p95'])}"
        typer.echo(f"  {cid}: {value}" + (f"  [{r['check']['outcome']}]" if r.get("check") else ""))
    if not report["changes"]:
        typer.echo("no check or claim changed its outcome")
    for ch in report["changes"]:
        typer.echo(f"changed {ch['kind']} {ch['id']}: {ch['before'] or '-'} -> {ch['after'] or '-'}")


@command(compute_app, name="remove")
def compute_remove(ctx: typer.Context, comp_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Remove a computation (refused while another computation uses its result)."""
    with open_map(ctx) as m:
        typer.echo(f"removed: {m.remove_computation(comp_id)}")
