"""Commands on claims and relations: init, add, object, rebut, support, link, unlink, edit, remove, list, show."""

from typing import Optional

import typer

from argmap.cli.common import command, db_location, echo_json, fail, open_store
from argmap.cli.output import print_claim_detail, print_claim_table

IdOption = typer.Option(None, "--id", help="Id for the new claim (default: derived from its text).")


@command()
def init(ctx: typer.Context) -> None:
    """Create an empty store (or check an existing one)."""
    with open_store(ctx) as store:
        typer.echo(f"store ready: {store.where}")


def add_quickly(ctx: typer.Context, verb: str, text: str, claim_id: Optional[str], target: Optional[str] = None,
                kind: Optional[str] = None) -> str:
    """Add through the quick SQLite path when it applies, else through the full store: the
    same write either way (``argmap.claims.writes``)."""
    from argmap.claims.quick import QuickStore
    quick = QuickStore.open(db_location(ctx))
    if quick is not None:
        with quick:
            return quick.add(verb, text, claim_id, target, kind).id
    with open_store(ctx) as store:
        return store.add(verb, text, claim_id, target, kind).id


@command()
def add(ctx: typer.Context, text: str = typer.Argument(..., help="The claim, in a sentence or two."),
        claim_id: Optional[str] = IdOption,
        kind: str = typer.Option("claim", "--kind", help="thesis, claim, objection or rebuttal.")) -> None:
    """Add a claim."""
    typer.echo(add_quickly(ctx, "add", text, claim_id, kind=kind))


@command(name="object")
def object_(ctx: typer.Context, target: str = typer.Argument(..., help="Id of the claim to attack."),
            text: str = typer.Argument(..., help="The objection."), claim_id: Optional[str] = IdOption) -> None:
    """Add an objection: a new claim that attacks TARGET."""
    typer.echo(add_quickly(ctx, "object", text, claim_id, target))


@command()
def rebut(ctx: typer.Context, target: str = typer.Argument(..., help="Id of the objection to answer."),
          text: str = typer.Argument(..., help="The rebuttal."), claim_id: Optional[str] = IdOption) -> None:
    """Add a rebuttal: a new claim that attacks the objection TARGET."""
    typer.echo(add_quickly(ctx, "rebut", text, claim_id, target))


@command()
def support(ctx: typer.Context, target: str = typer.Argument(..., help="Id of the claim to support."),
            text: str = typer.Argument(..., help="The supporting claim."), claim_id: Optional[str] = IdOption) -> None:
    """Add a claim that supports TARGET."""
    typer.echo(add_quickly(ctx, "support", text, claim_id, target))


@command()
def link(ctx: typer.Context, source: str, target: str,
         attacks: bool = typer.Option(False, "--attacks", help="SOURCE attacks TARGET."),
         supports: bool = typer.Option(False, "--supports", help="SOURCE supports TARGET.")) -> None:
    """Relate two existing claims: SOURCE attacks or supports TARGET."""
    if attacks == supports:
        fail("give exactly one of --attacks or --supports")
    with open_store(ctx) as store:
        rel = store.link(source, target, "attacks" if attacks else "supports")
        typer.echo(f"{rel.source} {rel.type} {rel.target}")


@command()
def unlink(ctx: typer.Context, source: str, target: str) -> None:
    """Remove the relation from SOURCE to TARGET."""
    with open_store(ctx) as store:
        rel = store.unlink(source, target)
        typer.echo(f"removed: {rel.source} {rel.type} {rel.target}")


@command()
def edit(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
         text: Optional[str] = typer.Option(None, "--text", help="New text."),
         kind: Optional[str] = typer.Option(None, "--kind", help="New kind."),
         base_score: Optional[float] = typer.Option(None, "--base-score", help="Base score in [0, 1] for DF-QuAD.")) -> None:
    """Change a claim's text, kind or base score."""
    if text is None and kind is None and base_score is None:
        fail("nothing to change: give --text, --kind or --base-score")
    with open_store(ctx) as store:
        typer.echo(store.edit(claim_id, text, kind, base_score).id)


@command()
def remove(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
           cascade: bool = typer.Option(False, "--cascade",
                                        help="Also remove the relations pointing at it, and claims left relating to nothing.")) -> None:
    """Remove a claim with its evidence and computations."""
    with open_store(ctx) as store:
        typer.echo("removed: " + ", ".join(store.remove(claim_id, cascade)))


@command(name="list")
def list_(ctx: typer.Context, kind: Optional[str] = typer.Option(None, "--kind", help="Only claims of this kind."),
          as_json: bool = typer.Option(False, "--json", help="A JSON list of claims.")) -> None:
    """List claims."""
    from argmap.claims.plain_reads import claims as read_claims
    from argmap.claims.quick import QuickStore
    claims = QuickStore.read(db_location(ctx), lambda db: read_claims(db, kind))  # no SQLAlchemy on SQLite
    if claims is None:
        with open_store(ctx, create=False) as store:
            claims = store.list_claims(kind)
    if as_json:
        echo_json([c.to_json() for c in claims])
    else:
        print_claim_table(claims)


@command()
def show(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
         as_json: bool = typer.Option(False, "--json", help="A JSON object.")) -> None:
    """Show a claim: text, kind, evidence, computations, supporters and attackers."""
    from argmap.claims.plain_reads import detail as read_detail
    from argmap.claims.quick import QuickStore
    detail = QuickStore.read(db_location(ctx), lambda db: read_detail(db, claim_id))  # no SQLAlchemy on SQLite
    if detail is None:
        with open_store(ctx, create=False) as store:
            detail = store.detail(claim_id)
    if as_json:
        echo_json(detail.to_json())
    else:
        print_claim_detail(detail)


@command()
def check(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Verify the store's integrity: foreign keys, orphans, quotes in sources, computation cycles."""
    from argmap.evidence.integrity import check_store
    with open_store(ctx, create=False) as store:
        problems = check_store(store)
    if as_json:
        echo_json([p.to_json() for p in problems])
    else:
        for p in problems:
            typer.echo(str(p))
        typer.echo(f"{len(problems)} problem(s)" if problems else "ok: no problems found")
    if problems:
        raise typer.Exit(1)
