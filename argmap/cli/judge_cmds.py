"""People's judgements: judge and judgements."""

from typing import Optional

import typer

from argmap.cli.common import command, echo_json, fail, open_map


@command()
def judge(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
          credence: Optional[float] = typer.Option(None, "--credence", metavar="P",
                                                   help="Your credence that it holds, from 0 to 1."),
          clear: bool = typer.Option(False, "--clear", help="Take your judgement of it back.")) -> None:
    """Say how likely you think a claim holds (for an argument: that its inference holds), as --author."""
    if (credence is None) == (not clear):
        fail("give --credence P or --clear")
    with open_map(ctx) as m:
        made = m.clear_judgement(claim_id) if clear else m.judge(claim_id, credence)
    typer.echo(f"{made.author}: {made.claim} " + ("judgement cleared" if clear else f"{made.credence:g}"))


@command()
def judgements(ctx: typer.Context, claim_id: Optional[str] = typer.Argument(None, metavar="[ID]"),
               author: Optional[str] = typer.Option(None, "--author", help="Only this person's."),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """People's credences, by claim and person."""
    with open_map(ctx, create=False) as m:
        found = m.judgements(claim_id, author)
    if as_json:
        echo_json([j.to_json() for j in found])
        return
    for j in found:
        typer.echo(f"{j.claim}  {j.author}  {j.credence:g}  {(j.at or '')[:19].replace('T', ' ')}")
    if not found:
        typer.echo("no judgements yet: argmap judge ID --credence P", err=True)


@command()
def resolve(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
            outcome: str = typer.Argument(..., metavar="true|false|ambiguous"),
            source: Optional[str] = typer.Option(None, "--source", metavar="SOURCE_ID",
                                                 help="The source that settles it.")) -> None:
    """Settle a claim as the world answered it: from then on every perspective holds a true
    claim and rejects a false one, and people's earlier credences are scored."""
    with open_map(ctx) as m:
        made = m.resolve(claim_id, outcome, source)
    typer.echo(f"{made.claim} resolved {made.outcome}")


@command()
def scores(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """Who was right: each person's Brier and log scores over the resolved claims, and how
    well their credences are calibrated."""
    with open_map(ctx, create=False) as m:
        data = m.scores()
    if as_json:
        echo_json(data)
        return
    if not data["people"]:
        typer.echo(f"{data['resolved']} claims resolved; nobody had judged them before")
        return
    for p in data["people"]:
        typer.echo(f"{p['person']}: Brier {p['brier']:.3f}, log score {p['log']:.3f} over {p['claims']} claims")
        for b in p["calibration"]:
            typer.echo(f"    credence {b['bin'][0]:.1f}-{b['bin'][1]:.1f}: {b['n']} claims, mean {b['mean_credence']:.2f}, "
                       f"{b['share_true'] * 100:.0f}% came true")
    typer.echo(data["scoring"])
