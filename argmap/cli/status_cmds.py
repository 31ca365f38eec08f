"""Commands on what still stands: status, and abstract frameworks (af solve, af export)."""

from pathlib import Path
from typing import Optional

import typer

from argmap.cli.common import app, command, echo_json, open_store, read_text_file
from argmap.graph.formats import choices
from argmap.cli.output import short

af_app = typer.Typer(help="Abstract argumentation frameworks in the ICCMA formats.", no_args_is_help=True)
app.add_typer(af_app, name="af")

SemanticsOption = typer.Option("grounded", "--semantics", "-s",
                               help="grounded, preferred, stable, complete or dfquad.")
TimeoutOption = typer.Option(30.0, "--timeout", help="Seconds allowed to clingo (preferred, stable, complete).")


@command()
def status(ctx: typer.Context, claim_id: Optional[str] = typer.Argument(None, metavar="[ID]"),
           semantics: str = SemanticsOption, timeout: float = TimeoutOption,
           limit: Optional[int] = typer.Option(None, "--limit",
                                               help="Rows to show, thesis first (0: all; default: all up to "
                                                    "1,000 claims, else 100)."),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Which claims stand, and why: a table, or one claim's reasoning."""
    from argmap.graph.status import claim_status
    from argmap.graph.status import status as status_of
    with open_store(ctx, create=False) as store:
        if claim_id:
            data = claim_status(store, claim_id, semantics, timeout)
        else:
            data = status_of(store, semantics, timeout, limit, auto_limit=True)
    if as_json:
        echo_json(data)
        return
    if data.get("timed_out"):
        typer.echo(f"warning: the {timeout:g} s time limit was hit; answers marked 'unknown' are open", err=True)
    if data.get("converged") is False:
        typer.echo("warning: DF-QuAD did not converge on the map's cycles; the strengths shown are the last "
                   "iterate, not a fixpoint", err=True)
    if claim_id:
        _print_one(data)
        return
    rows = data["claims"]
    if not rows:
        typer.echo("no claims")
        return
    id_w = max(len(r["id"]) for r in rows)
    for r in rows:
        value = f"{r['strength']:.3f}" if "strength" in r else r["label"]
        typer.echo(f"{r['id']:<{id_w}}  {value:<10}  {short(r['reason'], 90)}")
    if semantics in ("preferred", "stable", "complete"):
        typer.echo(f"{len(data['extensions'])} {semantics} extension(s)")
    if data.get("counts"):
        typer.echo("grounded: " + ", ".join(f"{n} {label}" for label, n in sorted(data["counts"].items())))
    if data.get("total", len(rows)) > len(rows):
        typer.echo(f"showing {len(rows)} of {data['total']} claims (--limit 0 shows all)")


def _print_one(d: dict) -> None:
    typer.echo(f"{d['id']} ({d['kind']}) under {d['semantics']} semantics: "
               + (f"strength {d['strength']:.3f}" if "strength" in d else d["label"]))
    typer.echo(f"  {d['text']}")
    typer.echo(f"  why: {d['reason']}")
    if d["semantics"] not in ("grounded", "dfquad"):
        typer.echo(f"  grounded: {d['grounded']}; credulously accepted: {d['credulous']}; "
                   f"sceptically accepted: {d['sceptical']}")


@command(af_app, name="solve")
def af_solve(ctx: typer.Context, file: Path = typer.Argument(..., metavar="FILE"),
             semantics: str = typer.Option("grounded", "--semantics", "-s", help="grounded, preferred, stable or complete."),
             fmt: Optional[str] = typer.Option(None, "--format", "-f", help=f"{choices('framework')} (default: guessed)."),
             timeout: float = TimeoutOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Extensions of a framework file, in ICCMA's output format (w lines), or JSON."""
    from argmap.graph.formats.iccma import parse, witness_lines
    from argmap.graph.semantics.solve import solve_framework
    args, attacks = parse(read_text_file(file), fmt, str(file))
    exts, timed_out = solve_framework(args, attacks, semantics, timeout)
    if timed_out:
        typer.echo(f"warning: the {timeout:g} s time limit was hit; the extensions listed may be incomplete", err=True)
    if as_json:
        echo_json(exts)
    else:
        typer.echo(witness_lines(exts), nl=False)
    if timed_out:
        raise typer.Exit(3)


@command(af_app, name="export")
def af_export(ctx: typer.Context, fmt: str = typer.Option("apx", "--format", "-f", help=f"{choices('framework')}."),
              out: Optional[Path] = typer.Option(None, "--out", "-o")) -> None:
    """The store's attack framework (failing computations included) in an ICCMA format."""
    from argmap.graph.files import check_target, is_stdout, write_file
    from argmap.graph.formats.iccma import write
    if out is not None and not is_stdout(out):
        check_target(out)
    with open_store(ctx, create=False) as store:
        arrays = store.read_arrays()
    af = arrays.framework()
    names = arrays.names
    text = write(sorted(names), sorted((names[a], names[b]) for a, b in zip(af.src.tolist(), af.dst.tolist())), fmt)
    if out is None or is_stdout(out):
        typer.echo(text, nl=False)
        return
    typer.echo(str(write_file(text.encode("utf-8"), out)))
