"""Commands that move maps in and out: export and import."""

import sys
from pathlib import Path
from typing import Optional

import typer

from argmap.cli.common import check_out, command, open_map
from argmap.graph.formats import BY_NAME, choices


@command()
def export(ctx: typer.Context,
           fmt: str = typer.Option("json", "--format", "-f",
                                   help=choices("export") + "."),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default, or -: standard output)."),
           focus: Optional[str] = typer.Option(None, "--focus", help="Only this claim's neighbourhood."),
           depth: int = typer.Option(2, "--depth", help="How many relations away from --focus to go."),
           title: str = typer.Option("argmap", "--title"),
           at: Optional[str] = typer.Option(None, "--at", metavar="REV|WHEN",
                                            help="The map as it was at this revision or date/time."),
           force: bool = typer.Option(False, "--force", help="Replace --out even if it does not look like "
                                                              "this format's file (never a database)."),
           who: Optional[str] = typer.Option(None, "--as", metavar="WHO",
                                             help="Each claim's label as this perspective sees it (alice, alice,bob or "
                                                  "everyone; the formats that show labels).")) -> None:
    """Export the map (or one claim's neighbourhood) in another format."""
    from argmap.graph.files import STDOUT, is_stdout, write_file
    from argmap.graph.formats.io import streams
    looks = BY_NAME[fmt].looks if fmt in BY_NAME else "text"
    check_out(ctx, out, kind=looks, force=force)  # before the work: a FIFO, a device, a store refused at once
    if streams(fmt, focus, who):  # the whole store, written as it is read: little memory at any size
        with open_map(ctx, create=False) as m:
            written = m.export_to(out if out is not None else Path(STDOUT), fmt, title, at, force)
        if out is not None and not is_stdout(out):
            typer.echo(str(written))
        return
    with open_map(ctx, create=False) as m:
        data = m.export(fmt, focus, depth, title, at, who)
    if out is None or is_stdout(out):
        sys.stdout.buffer.write(data) if BY_NAME[fmt].binary else typer.echo(data.decode("utf-8"), nl=False)
        return
    typer.echo(str(write_file(data, out, looks, force)))


@command(name="import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., metavar="FILE"),
            fmt: Optional[str] = typer.Option(None, "--format", "-f", help=f"{choices('import')} (default: guessed)."),
            prefix: Optional[str] = typer.Option(None, "--prefix", help="Prepend this to every imported claim id.")) -> None:
    """Import a map (all or nothing): argmap JSON, Argdown, AIF JSON or a Kialo text export."""
    with open_map(ctx) as m:
        report = m.import_file(file, fmt, prefix)
    typer.echo(report.summary())
