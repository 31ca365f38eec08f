"""Commands on claims and relations: init, add, object, rebut, support, link, unlink, edit, remove, list, show."""

from typing import Optional

import typer

from argmap.cli.common import command, echo_json, fail, open_map
from argmap.cli.output import print_claim_detail, print_claim_table

IdOption = typer.Option(None, "--id", help="Id for the new claim (default: derived from its text).")


@command()
def init(ctx: typer.Context) -> None:
    """Create an empty store (or check an existing one)."""
    with open_map(ctx) as m:
        typer.echo(f"store ready: {m.where}")


@command()
def add(ctx: typer.Context, text: str = typer.Argument(..., help="The claim, in a sentence or two."),
        claim_id: Optional[str] = IdOption,
        kind: str = typer.Option("claim", "--kind", help="thesis, claim, objection, rebuttal or argument."),
        scheme: Optional[str] = typer.Option(None, "--scheme", metavar="NAME",
                                             help="The scheme an argument follows (argmap scheme list).")) -> None:
    """Add a claim."""
    with open_map(ctx) as m:
        typer.echo(m.add(text, kind, claim_id, scheme=scheme).id)


@command(name="object")
def object_(ctx: typer.Context, target: str = typer.Argument(..., help="Id of the claim to attack."),
            text: str = typer.Argument(..., help="The objection."), claim_id: Optional[str] = IdOption) -> None:
    """Add an objection: a new claim that attacks TARGET."""
    with open_map(ctx) as m:
        typer.echo(m.object(target, text, claim_id).id)


@command()
def rebut(ctx: typer.Context, target: str = typer.Argument(..., help="Id of the objection to answer."),
          text: str = typer.Argument(..., help="The rebuttal."), claim_id: Optional[str] = IdOption) -> None:
    """Add a rebuttal: a new claim that attacks the objection TARGET."""
    with open_map(ctx) as m:
        typer.echo(m.rebut(target, text, claim_id).id)


@command()
def support(ctx: typer.Context, target: str = typer.Argument(..., help="Id of the claim to support."),
            text: str = typer.Argument(..., help="The supporting claim."), claim_id: Optional[str] = IdOption) -> None:
    """Add a claim that supports TARGET."""
    with open_map(ctx) as m:
        typer.echo(m.support(target, text, claim_id).id)


@command()
def link(ctx: typer.Context, source: str, target: str,
         attacks: bool = typer.Option(False, "--attacks", help="SOURCE attacks TARGET."),
         supports: bool = typer.Option(False, "--supports", help="SOURCE supports TARGET.")) -> None:
    """Relate two existing claims: SOURCE attacks or supports TARGET."""
    if attacks == supports:
        fail("give exactly one of --attacks or --supports")
    with open_map(ctx) as m:
        rel = m.link(source, target, "attacks" if attacks else "supports")
        typer.echo(f"{rel.source} {rel.type} {rel.target}")


@command()
def unlink(ctx: typer.Context, source: str, target: str) -> None:
    """Remove the relation from SOURCE to TARGET."""
    with open_map(ctx) as m:
        rel = m.unlink(source, target)
        typer.echo(f"removed: {rel.source} {rel.type} {rel.target}")


@command()
def edit(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
         text: Optional[str] = typer.Option(None, "--text", help="New text."),
         kind: Optional[str] = typer.Option(None, "--kind", help="New kind."),
         title: Optional[str] = typer.Option(None, "--title", help="New title ('' removes it)."),
         base_score: Optional[float] = typer.Option(None, "--base-score", help="Base score in [0, 1] for DF-QuAD."),
         resolves_by: Optional[str] = typer.Option(None, "--resolves-by", metavar="DATE",
                                                   help="When the world will settle it (YYYY-MM-DD)."),
         resolution_criteria: Optional[str] = typer.Option(None, "--resolution-criteria", metavar="TEXT",
                                                help="How it will be settled."),
         scheme: Optional[str] = typer.Option(None, "--scheme", metavar="NAME",
                                              help="The scheme an argument follows ('' removes it).")) -> None:
    """Change a claim's text, kind, title or base score, the question it resolves by, or its scheme."""
    if all(v is None for v in (text, kind, base_score, title, resolves_by, resolution_criteria, scheme)):
        fail("nothing to change: give --text, --kind, --title, --base-score, --resolves-by, --resolution-criteria "
             "or --scheme")
    with open_map(ctx) as m:
        typer.echo(m.edit(claim_id, text, kind, base_score, title, resolves_by=resolves_by,
                          resolution_criteria=resolution_criteria, scheme=scheme).id)


@command()
def remove(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
           cascade: bool = typer.Option(False, "--cascade",
                                        help="Also remove the relations pointing at it, and claims left relating to nothing.")) -> None:
    """Remove a claim with its evidence and computations."""
    with open_map(ctx) as m:
        typer.echo("removed: " + ", ".join(m.remove(claim_id, cascade)))


@command(name="list")
def list_(ctx: typer.Context, kind: Optional[str] = typer.Option(None, "--kind", help="Only claims of this kind."),
          as_json: bool = typer.Option(False, "--json", help="A JSON list of claims.")) -> None:
    """List claims."""
    with open_map(ctx, create=False) as m:
        claims = m.claims(kind)
    if as_json:
        echo_json([c.to_json() for c in claims])
    else:
        print_claim_table(claims)


@command()
def show(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
         as_json: bool = typer.Option(False, "--json", help="A JSON object.")) -> None:
    """Show a claim: text, kind, evidence, computations, supporters and attackers."""
    with open_map(ctx, create=False) as m:
        detail = m.claim(claim_id)
    if as_json:
        echo_json(detail.to_json())
    else:
        print_claim_detail(detail)


@command()
def check(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Verify the store's integrity: foreign keys, orphans, quotes in sources, computation cycles."""
    with open_map(ctx, create=False) as m:
        problems = m.check()
    if as_json:
        echo_json([p.to_json() for p in problems])
    else:
        for p in problems:
            typer.echo(str(p))
        typer.echo(f"{len(problems)} problem(s)" if problems else "ok: no problems found")
    if problems:
        raise typer.Exit(1)
