"""Argumentation schemes and critical questions: scheme list/show, questions, ask."""

from typing import Optional

import typer

from argmap.cli.common import app, command, echo_json, open_map
from argmap.cli.output import short

scheme_app = typer.Typer(help="The catalogue of argumentation schemes (Walton, Reed & Macagno 2008).",
                         no_args_is_help=True)
app.add_typer(scheme_app, name="scheme")


@command(scheme_app, name="list")
def scheme_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every scheme of the catalogue: its name, what it applies to and how many questions it asks."""
    from argmap.service import Argmap
    found = Argmap.schemes()
    if as_json:
        echo_json([s.to_json() for s in found])
        return
    width = max(len(s.name) for s in found)
    for s in found:
        typer.echo(f"{s.name:<{width}}  {s.applies:<10}  {len(s.questions)} questions  {s.title}")


@command(scheme_app, name="show")
def scheme_show(name: str = typer.Argument(..., metavar="NAME"), as_json: bool = typer.Option(False, "--json")) -> None:
    """A scheme: its premises by role, its conclusion, its critical questions and where it comes from."""
    from argmap.service import Argmap
    s = Argmap.scheme(name)
    if as_json:
        echo_json(s.to_json())
        return
    typer.echo(f"{s.title} ({s.name}; AIF: {s.aif}; {s.applies})")
    for p in s.premises:
        typer.echo(f"  premise ({p['role']}): {p['text']}")
    typer.echo(f"  conclusion: {s.conclusion}")
    typer.echo("Critical questions:")
    for q in s.questions:
        typer.echo(f"  {q.id} ({q.type}, about the {q.about.replace('premise:', 'premise ')}): {q.text}")
    typer.echo(f"Source: {s.source}")


@command()
def questions(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """The critical questions of an argument's scheme, each open or answered (and by which claim)."""
    with open_map(ctx, create=False) as m:
        data = m.questions(claim_id)
    if as_json:
        echo_json(data)
        return
    typer.echo(f"{claim_id}: {data['summary']}")
    for q in data["questions"]:
        state = "open" if q["status"] == "open" else f"answered by {q['by']} ({q.get('by_label', '?')})"
        typer.echo(f"  {q['id']:<16} {q['type']:<10} {state:<36} {short(q['text'], 70)}")


@command()
def ask(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="ID", help="The argument."),
        question: str = typer.Argument(..., metavar="QUESTION", help="The critical question's id (argmap questions ID)."),
        text: Optional[str] = typer.Option(None, "--text", help="The new claim's text (default: the question)."),
        new_id: Optional[str] = typer.Option(None, "--id", help="Id for the new claim."),
        by: Optional[str] = typer.Option(None, "--by", metavar="CLAIM", help="An existing claim that answers it."),
        premise: Optional[str] = typer.Option(None, "--premise", metavar="CLAIM",
                                              help="Attack this premise of the argument instead of the inference.")) -> None:
    """Turn a critical question into a claim that undercuts the argument (or attacks a premise)."""
    with open_map(ctx) as m:
        made = m.ask(claim_id, question, text, new_id, by, premise)
    typer.echo(f"{made['claim']['id']} attacks {made['attacks']}: answers {claim_id}'s question {made['question']}")
