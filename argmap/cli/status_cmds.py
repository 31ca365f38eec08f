"""Commands on what still stands: status, and abstract frameworks (af solve, af export)."""

from pathlib import Path
from typing import List, Optional, Tuple

import typer

from argmap.cli.common import app, check_out, command, echo_json, open_map, read_text_file
from argmap.graph.formats import choices
from argmap.cli.output import short
from argmap.errors import InvalidInput

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
           bipolar: bool = typer.Option(False, "--bipolar",
                                        help="Supports count too: supported and secondary attacks "
                                             "(Cayrol & Lagasquie-Schiex 2005)."),
           robust: bool = typer.Option(False, "--robust",
                                       help="How often each claim stands when every ranged input is drawn anew."),
           draws: int = typer.Option(1000, "--draws", help="Draws for --robust."),
           seed: int = typer.Option(1, "--seed", help="Seed for --robust: the same seed gives the same figures."),
           who: Optional[str] = typer.Option(None, "--as", metavar="WHO",
                                             help="A perspective: alice, alice,bob or everyone (their judgements "
                                                  "pooled); with --robust, the chance each claim stands."),
           burden: str = typer.Option("none", "--burden", metavar="none|open-questions",
                                      help="open-questions: an open critical question that its scheme marks as an "
                                           "exception leaves the argument undecided."),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Which claims stand, and why: a table, or one claim's reasoning."""
    if burden != "none" and (robust or who is not None):
        raise InvalidInput("--burden reads the map as written: leave out --robust and --as")
    if robust:
        return _robust(ctx, claim_id, draws, seed, limit, as_json, who)
    if who is not None:
        return _perspective(ctx, who, claim_id, as_json)
    with open_map(ctx, create=False) as m:
        data = m.status(claim_id, semantics, timeout, limit, bipolar, auto_limit=True, burden=burden)
    if as_json:
        echo_json(data)
        return
    if data.get("timed_out"):
        typer.echo(f"warning: the {timeout:g} s time limit was hit; answers marked 'unknown' are open", err=True)
    if data.get("bipolar"):
        typer.echo(f"semantics: {data['semantics']}, {data['bipolar']}", err=True)
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
        asked = f" [{r['questions']['summary']}]" if r.get("questions") else ""
        typer.echo(f"{r['id']:<{id_w}}  {value:<10}  {short(r['reason'], 90)}{asked}")
    if semantics in ("preferred", "stable", "complete"):
        typer.echo(f"{len(data['extensions'])} {semantics} extension(s)")
    if data.get("counts"):
        typer.echo("grounded: " + ", ".join(f"{n} {label}" for label, n in sorted(data["counts"].items())))
    if data.get("total", len(rows)) > len(rows):
        typer.echo(f"showing {len(rows)} of {data['total']} claims (--limit 0 shows all)")


def _perspective(ctx: typer.Context, who: str, claim_id: Optional[str], as_json: bool) -> None:
    with open_map(ctx, create=False) as m:
        data = m.perspective(who, claim_id)
    if as_json:
        echo_json(data)
        return
    _as_header(data)
    id_w = max([len(r["id"]) for r in data["claims"]] + [2])
    for r in data["claims"]:
        judged = f"credence {r['credence']:.2f}" if r["credence"] is not None else "not judged"
        moved = f"  (as written: {r['as_written']})" if r["label"] != r["as_written"] else ""
        typer.echo(f"{r['id']:<{id_w}}  {r['label']:<5}  {judged}{moved}")


def _robust(ctx: typer.Context, claim_id: Optional[str], draws: int, seed: int, limit: Optional[int],
            as_json: bool, who: Optional[str] = None) -> None:
    with open_map(ctx, create=False) as m:
        data = m.robust(claim_id, draws, seed, limit, who)
    if as_json:
        echo_json(data)
        return
    if who is not None:
        typer.echo(f"as {', '.join(data['perspective'])} judge it: each judged claim present with its credence "
                   f"(pooled by {data['pooling']})" + ("; exact on this tree of attacks" if data["exact"] else ""))
    id_w = max([len(r["id"]) for r in data["claims"]] + [2])
    for r in data["claims"]:
        lo, hi = r["ci"]
        drivers = ", ".join(f"{d['input']} {d['share'] * 100:.0f}%" for d in r["drivers"][:3])
        typer.echo(f"{r['id']:<{id_w}}  {r['label']:<5}  stands {r['stands'] * 100:5.1f}% "
                   f"[{lo * 100:.1f}-{hi * 100:.1f}]" + (f"  flips {r['flips'] * 100:.1f}%" + (f": {drivers}" if drivers else "") if r["flips"] else ""))
        if r.get("claim_drivers") and r["flips"]:
            typer.echo(f"{'':<{id_w}}  driven by " + ", ".join(f"{d['claim']} {d['share'] * 100:.0f}%"
                                                               for d in r["claim_drivers"][:3]))
    typer.echo(f"{data['draws']} draws of {len(data['inputs'])} ranged inputs (seed {data['seed']}); "
               f"{len(data['checks'])} checks")


def _print_one(d: dict) -> None:
    typer.echo(f"{d['id']} ({d['kind']}) under {d['semantics']} semantics: "
               + (f"strength {d['strength']:.3f}" if "strength" in d else d["label"]))
    typer.echo(f"  {d['text']}")
    typer.echo(f"  why: {d['reason']}")
    if d.get("questions"):
        q = d["questions"]
        typer.echo(f"  {q['scheme']}: {q['summary']}" + (f" ({', '.join(q['open'])})" if q["open"] else ""))
    if d["semantics"] not in ("grounded", "dfquad"):
        typer.echo(f"  grounded: {d['grounded']}; credulously accepted: {d['credulous']}; "
                   f"sceptically accepted: {d['sceptical']}")


@command()
def whatif(ctx: typer.Context,
           reject: List[str] = typer.Option([], "--reject", metavar="ID", help="Suppose this claim out of the map."),
           accept: List[str] = typer.Option([], "--accept", metavar="ID",
                                            help="Suppose this claim stands (attacks on it ignored)."),
           setting: List[str] = typer.Option([], "--set", metavar="COMP.INPUT=VALUE",
                                             help="Suppose a computation input (NUMBER or LOW..HIGH)."),
           who: Optional[str] = typer.Option(None, "--as", metavar="WHO",
                                             help="From a perspective's view (alice, alice,bob or everyone: "
                                                  "as status --as gives it); the suppositions override it."),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Evaluate a supposed map and list every check and grounded status that moves. Writes nothing."""
    with open_map(ctx, create=False) as m:
        data = m.whatif(reject, accept, setting, who)
    if as_json:
        echo_json(data)
        return
    if who is not None:
        _as_header(data)
    for c in data["checks"]:
        typer.echo(f"check {c['id']} ({c['claim']}): {c['before'] or '-'} -> {c['after'] or '-'}")
    for c in data["statuses"]:
        typer.echo(f"status {c['id']}: {c['before']} -> {c['after']}")
    if not data["checks"] and not data["statuses"]:
        typer.echo("nothing moves")


@command()
def crux(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
         max_size: int = typer.Option(2, "--max-size", help="Largest set of claims to try."),
         semantics: str = typer.Option("grounded", "--semantics", "-s",
                                       help="grounded, preferred, stable or complete (status: sceptical, "
                                            "credulous or rejected)."),
         timeout: float = TimeoutOption,
         numbers: bool = typer.Option(True, "--numbers/--no-numbers",
                                      help="Also search the break-even value of each input that can move it."),
         between: Optional[Tuple[str, str]] = typer.Option(None, "--between", metavar="A B",
                                                           help="Two people: where their judgements differ."),
         who: Optional[str] = typer.Option(None, "--as", metavar="WHO",
                                           help="What would change ID's label in a perspective's view (as status "
                                                "--as gives it), from that view."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """What would change ID's status: the smallest sets of claims to reject or accept, and the
    break-even values of the numbers behind it; with --between, where two people's
    judgements differ in a way that matters for it."""
    from argmap.graph.whatif import break_even_text
    if between:
        if who is not None:
            raise InvalidInput("--between compares two people's own views: leave out --as")
        return _crux_between(ctx, claim_id, between, max_size, as_json)
    with open_map(ctx, create=False) as m:
        data = m.crux(claim_id, max_size, semantics, timeout, numbers, who)
    if data.get("timed_out"):
        typer.echo(f"warning: the {timeout:g} s time limit was hit in some search; cruxes may be missing", err=True)
    if as_json:
        echo_json(data)
        return
    if who is not None:
        _as_header(data)
    typer.echo(f"{claim_id} is {data['status']} ({data['semantics']}); {data['candidates']} claims can move it")
    for action, verb in (("reject", "rejecting"), ("accept", "accepting")):
        for c in data[action]:
            more = f" (also moves {len(c['also_moves'])}: {short(', '.join(c['also_moves']), 60)})" if c["also_moves"] else ""
            typer.echo(f"  {verb} {' + '.join(c['ids'])} makes it {c['status']}{more}")
    if not data["reject"] and not data["accept"]:
        typer.echo(f"  no set of up to {data['max_size']} claims moves it")
    for row in data["break_even"]:
        typer.echo("  " + break_even_text(claim_id, row))


def _crux_between(ctx: typer.Context, claim_id: str, between: Tuple[str, str], max_size: int, as_json: bool) -> None:
    a, b = between
    with open_map(ctx, create=False) as m:
        data = m.crux_between(claim_id, a, b, max(max_size, 1))
    if as_json:
        echo_json(data)
        return
    how = "exactly (a tree of attacks)" if data["exact"] else f"by {data['draws']} draws (seed {data['seed']})"
    typer.echo(f"{claim_id}: P(stands) {data['p'][a]:.3f} for {a}, {data['p'][b]:.3f} for {b}, {how}; "
               f"thresholded: {data['label'][a]} for {a}, {data['label'][b]} for {b}")
    for r in data["disagreements"]:
        typer.echo(f"  {r['claim']}: {a} {_cred(r[a])}, {b} {_cred(r[b])}; agreeing on it closes "
                   f"{r['closes_if_both_pool'] * 100:.0f}% of the gap (pooled {r['pooled']:.2f}), "
                   f"{r['closes_if_' + a + '_takes_' + b] * 100:.0f}% if {a} takes {b}'s, "
                   f"{r['closes_if_' + b + '_takes_' + a] * 100:.0f}% if {b} takes {a}'s")
    for person, other in ((a, b), (b, a)):
        for f in data["flip_for"][person]:
            typer.echo(f"  {person} would change verdict taking {other}'s view of {' + '.join(f['claims'])} "
                       f"(P {f['p']:.3f}, {f['label']})")
    if data["do_not_matter"]:
        typer.echo(f"  disagreements that do not matter here: {', '.join(data['do_not_matter'])}")
    if not data["disagreements"] and not data["do_not_matter"]:
        typer.echo(f"  {a} and {b} judge nothing differently")


def _cred(value: Optional[float]) -> str:
    return "not judged" if value is None else f"{value:.2f}"


@command(af_app, name="solve")
def af_solve(ctx: typer.Context, file: Path = typer.Argument(..., metavar="FILE"),
             semantics: str = typer.Option("grounded", "--semantics", "-s", help="grounded, preferred, stable or complete."),
             fmt: Optional[str] = typer.Option(None, "--format", "-f", help=f"{choices('framework')} (default: guessed)."),
             timeout: float = TimeoutOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Extensions of a framework file, in ICCMA's output format (w lines), or JSON."""
    from argmap.graph.files import MAX_IMPORT_BYTES
    from argmap.graph.formats.iccma import witness_lines
    from argmap.graph.semantics.solve import solve_text
    exts, timed_out = solve_text(read_text_file(file, MAX_IMPORT_BYTES), fmt, str(file), semantics, timeout)
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
              out: Optional[Path] = typer.Option(None, "--out", "-o"),
              force: bool = typer.Option(False, "--force", help="Replace --out even if it is not a text file "
                                                                 "(never a database).")) -> None:
    """The store's attack framework (failing computations included) in an ICCMA format."""
    from argmap.graph.files import is_stdout, write_file
    from argmap.graph.formats.iccma import write
    check_out(ctx, out, force=force)
    with open_map(ctx, create=False) as m:
        names, attacks = m.framework()
    text = write(names, attacks, fmt)
    if out is None or is_stdout(out):
        typer.echo(text, nl=False)
        return
    typer.echo(str(write_file(text.encode("utf-8"), out, force=force)))


def _as_header(data: dict) -> None:
    typer.echo(f"as {', '.join(data['perspective'])} judge it ({data['threshold']}; pooled by {data['pooling']})")
