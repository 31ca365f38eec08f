"""Commands that draw the map: demo and render."""

import webbrowser
from pathlib import Path
from typing import Optional

import typer

from argmap.cli.common import check_out, command, open_map

OutOption = typer.Option(Path("argmap.html"), "--out", "-o", help="Where to write the HTML map (- for standard output).")
ForceOption = typer.Option(False, "--force", help="Replace --out even if it is not an HTML page (never a database).")


@command()
def demo(ctx: typer.Context, out: Path = OutOption, force: bool = ForceOption,
         open_browser: bool = typer.Option(False, "--open", help="Open the map in a browser.")) -> None:
    """Load the built-in sample-efficiency debate (once) and render its map."""
    check_out(ctx, out, " for the map", "html", force)  # before loading anything
    with open_map(ctx) as m:
        report = m.load_demo()
        typer.echo(report.summary() if report else "built-in debate already loaded", err=True)
        path = m.render(out, title="Is the sample-efficiency gap a black hole?", force=force)
    if path is None:
        return
    typer.echo(str(path))
    if open_browser:
        webbrowser.open(path.as_uri())


@command()
def render(ctx: typer.Context, out: Path = OutOption, force: bool = ForceOption,
           title: str = typer.Option("argmap", "--title", help="Title shown on the page."),
           focus: Optional[str] = typer.Option(None, "--focus", help="Only this claim and its neighbours."),
           depth: int = typer.Option(2, "--depth", help="How many relations away from --focus to go."),
           break_even: bool = typer.Option(False, "--break-even",
                                           help="Show in each claim's details the input values at which it would "
                                                "flip (a search: seconds per computation)."),
           at: Optional[str] = typer.Option(None, "--at", metavar="REV|WHEN",
                                            help="The map as it was at this revision or date/time."),
           who: Optional[str] = typer.Option(None, "--as", metavar="WHO",
                                             help="Open the page in this perspective: alice, alice,bob or everyone "
                                                  "(every person's view is on the page, to switch to)."),
           open_browser: bool = typer.Option(False, "--open", help="Open the map in a browser.")) -> None:
    """Write the HTML argument map of the store (or of one claim's neighbourhood)."""
    check_out(ctx, out, " for the map", "html", force)
    with open_map(ctx, create=False) as m:
        path = m.render(out, title=title, focus=focus, depth=depth, break_even=break_even, at=at, force=force,
                        who=who)
    if path is None:
        return
    typer.echo(str(path))
    if open_browser:
        webbrowser.open(path.as_uri())
