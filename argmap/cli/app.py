"""The typer app, the global ``--db`` option, and the one place user errors are reported."""

import functools
import json
import re
import sys
from typing import Any, Callable, Optional

import typer

from argmap.errors import ArgmapError

app = typer.Typer(
    name="argmap",
    help="Map an argument honestly: claims, evidence, objections, rebuttals and the arithmetic behind them.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


MAX_ERROR = 600


def one_line(message: str) -> str:
    """An error message on one readable line, however long the value it quotes."""
    message = " ".join(message.split()) or "unknown error"
    message = re.sub(r"\S{120,}", lambda m: m.group()[:60] + f"…({len(m.group()):,} characters)", message)
    return message if len(message) <= MAX_ERROR else message[:MAX_ERROR] + "…"


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def reports_errors(fn: Callable) -> Callable:
    """Turn the library's ArgmapErrors into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_utf8(kwargs)
            return fn(*args, **kwargs)
        except ArgmapError as exc:
            fail(str(exc) or exc.__class__.__name__, exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper


def check_utf8(values: dict[str, Any]) -> None:
    """Arguments whose bytes were not UTF-8 reach Python as lone surrogates: refuse them here."""
    from argmap.errors import InvalidInput
    for name, value in values.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise InvalidInput(f"the {name.replace('_', ' ')} argument is not valid UTF-8 text") from None


def command(group: typer.Typer = app, name: Optional[str] = None, **kwargs: Any) -> Callable:
    """Register a CLI command whose ArgmapErrors become clean one-line errors."""

    def decorate(fn: Callable) -> Callable:
        return group.command(name, **kwargs)(reports_errors(fn))

    return decorate


@app.callback()
def root(ctx: typer.Context,
         db: Optional[str] = typer.Option(None, "--db", metavar="PATH_OR_URL",
                                          help="Store location: a SQLite file path or a SQLAlchemy URL "
                                               "(default: $ARGMAP_DB, else ./argmap.db).")) -> None:
    """Map an argument honestly: claims, evidence, objections, rebuttals and the arithmetic behind them."""
    ctx.obj = {"db": db}


def open_store(ctx: typer.Context, create: bool = True):
    from argmap.claims.store import Store
    return Store((ctx.obj or {}).get("db"), create=create)


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _register() -> None:
    # importing the modules registers their commands on `app`
    from argmap.cli import claims_cmds, compute_cmds, evidence_cmds, io_cmds, map_cmds, status_cmds  # noqa: F401


_register()


def main() -> None:
    try:
        app()
    except ArgmapError as exc:  # pragma: no cover - commands already report their own
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
