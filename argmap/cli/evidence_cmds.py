"""Commands for sources and evidence quotes."""

from pathlib import Path
from typing import Optional

import typer

from argmap.cli.common import app, command, echo_json, fail, open_map, read_text_file

source_app = typer.Typer(help="Sources that evidence quotes come from.", no_args_is_help=True)
evidence_app = typer.Typer(help="Exact quotes tying claims to sources.", no_args_is_help=True)
app.add_typer(source_app, name="source")
app.add_typer(evidence_app, name="evidence")


@command(source_app, name="add")
def source_add(ctx: typer.Context, source_id: str = typer.Argument(..., metavar="ID"),
               title: Optional[str] = typer.Option(None, "--title", help="Title of the source (default: the file's)."),
               author: Optional[str] = typer.Option(None, "--author"),
               url: Optional[str] = typer.Option(None, "--url"),
               date: Optional[str] = typer.Option(None, "--date"),
               text_file: Optional[Path] = typer.Option(None, "--text-file",
                                                        help="The full text; quotes are then checked against it."),
               file: Optional[Path] = typer.Option(None, "--file", metavar="PATH",
                                                   help="A document (text, Markdown, HTML or PDF): its text, title "
                                                        "and date.")) -> None:
    """Add a source."""
    if text_file and file:
        fail("give --text-file or --file, not both")
    text = read_text_file(text_file) if text_file else None
    with open_map(ctx) as m:
        typer.echo(m.add_source(source_id, title, author, url, date, text, file).id)


@command(source_app, name="attach-text")
def source_attach_text(ctx: typer.Context, source_id: str = typer.Argument(..., metavar="ID"),
                       text_file: Path = typer.Argument(..., metavar="FILE")) -> None:
    """Give a source its full text; refused if any existing quote of it is not in the text."""
    text = read_text_file(text_file)
    with open_map(ctx) as m:
        m.attach_text(source_id, text)
        typer.echo(f"{source_id}: text attached, every quote found in it")


@command(source_app, name="list")
def source_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """List sources."""
    with open_map(ctx, create=False) as m:
        sources = m.sources()
    if as_json:
        echo_json([s.to_json() for s in sources])
        return
    for s in sources:
        typer.echo(f"{s.id}  {s.title}" + (f" ({s.author})" if s.author else ""))


@command(evidence_app, name="add")
def evidence_add(ctx: typer.Context, claim_id: str = typer.Argument(..., metavar="CLAIM"),
                 source: str = typer.Option(..., "--source", help="Source id."),
                 quote: str = typer.Option(..., "--quote", help="The exact words quoted."),
                 locator: Optional[str] = typer.Option(None, "--locator", help="Where in the source, e.g. 'paragraph 4'.")) -> None:
    """Attach an exact quote from a source to a claim."""
    with open_map(ctx) as m:
        typer.echo(m.add_evidence(claim_id, source, quote, locator).id)


@command(evidence_app, name="remove")
def evidence_remove(ctx: typer.Context, evidence_id: int = typer.Argument(..., metavar="EVIDENCE_ID")) -> None:
    """Remove one evidence quote."""
    with open_map(ctx) as m:
        ev = m.remove_evidence(evidence_id)
        typer.echo(f"removed evidence {ev.id} from {ev.claim}")
