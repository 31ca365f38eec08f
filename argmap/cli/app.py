"""The argmap command: the global ``--db`` option, and every command module registered.

The shared pieces (the app object, the error-reporting decorator, opening the store) are in
``argmap.cli.common``, which the command modules import; this module imports them, once.
"""

import sys
from typing import Optional

import typer

from argmap.cli import (claims_cmds, compute_cmds, evidence_cmds, history_cmds, io_cmds, judge_cmds,  # noqa: F401
                        group_cmds, map_cmds, scheme_cmds, serve_cmds, status_cmds)
from argmap.cli.common import DEBUG, app
from argmap.errors import ArgmapError


@app.callback()
def root(ctx: typer.Context,
         db: Optional[str] = typer.Option(None, "--db", metavar="PATH_OR_URL",
                                          help="Store location: a SQLite file path or a SQLAlchemy URL "
                                               "(default: $ARGMAP_DB, else ./argmap.db)."),
         author: Optional[str] = typer.Option(None, "--author", metavar="NAME",
                                              help="Who is making this change, for the history "
                                                   "(default: $ARGMAP_AUTHOR, else your user name)."),
         debug: bool = typer.Option(False, "--debug", help="Show the traceback of an unexpected error.")) -> None:
    """Map an argument honestly: claims, evidence, objections, rebuttals and the arithmetic behind them."""
    ctx.obj = {"db": db, "author": author}
    DEBUG["on"] = debug


def main() -> None:
    try:
        app()
    except ArgmapError as exc:  # pragma: no cover - commands already report their own
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
