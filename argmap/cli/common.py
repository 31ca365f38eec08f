"""What every command module shares: the typer app, the ``command`` decorator that turns
ArgmapErrors into one line on stderr, opening the store, JSON output and reading files.
Command modules import this module, never ``app.py`` (which imports them)."""

import functools
import json
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from argmap.errors import ArgmapError, InvalidInput, one_line

app = typer.Typer(
    name="argmap",
    help="Map an argument honestly: claims, evidence, objections, rebuttals and the arithmetic behind them.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


DEBUG = {"on": False}  # set by the global --debug option


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
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:  # `argmap status | head`: the reader has gone, which is no error
            import os
            import sys
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141)
        except Exception as exc:  # a bug: one line, and the way to see more
            if DEBUG["on"]:
                raise
            fail(f"unexpected error: {type(exc).__name__}: {exc} (this is a bug in argmap; run again with "
                 f"argmap --debug ... to see where it happened)")

    return wrapper


def check_utf8(values: dict[str, Any]) -> None:
    """Arguments whose bytes were not UTF-8 reach Python as lone surrogates: refuse them here."""
    for name, value in values.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise InvalidInput(f"the {name.replace('_', ' ')} argument is not valid UTF-8 text") from None


def command(group: typer.Typer = app, name: Optional[str] = None, **kwargs: Any) -> Callable:
    """Register a CLI command whose ArgmapErrors become clean one-line errors, and which
    names itself to the history (``argmap.claims.history``) with the author given."""

    def decorate(fn: Callable) -> Callable:
        wrapped = reports_errors(fn)

        @functools.wraps(fn)
        def as_actor(*args: Any, **values: Any) -> Any:
            from argmap.claims.history import set_actor
            ctx = values.get("ctx")
            set_actor((getattr(ctx, "obj", None) or {}).get("author"),
                      command_line(group, name or fn.__name__.rstrip("_").replace("_", "-"), fn, values))
            return wrapped(*args, **values)

        return group.command(name, **kwargs)(as_actor)

    return decorate


def command_line(group: typer.Typer, name: str, fn: Callable, values: dict[str, Any]) -> str:
    """The command as the history shows it: its name and the values that differ from the defaults."""
    import inspect
    import shlex
    words = ["argmap"] + [g.name for g in app.registered_groups if g.typer_instance is group and g.name] + [name]
    params = inspect.signature(fn).parameters
    from typer.models import ArgumentInfo
    for key, value in values.items():
        declared = params[key].default if key in params else None  # typer's Argument(...)/Option(...)
        if key == "ctx" or value is None or value is False or value == getattr(declared, "default", declared):
            continue
        many = list(value) if isinstance(value, (list, tuple)) else [value]  # a repeated option, CLAIM...
        if isinstance(declared, ArgumentInfo):
            words += [shlex.quote(str(v)) for v in many]
            continue
        flag = "--" + key.rstrip("_").replace("_", "-")
        for v in many:
            words += [flag] if v is True else [flag, shlex.quote(str(v))]
    return " ".join(words)


def open_map(ctx: typer.Context, create: bool = True):
    """The store of ``--db`` (or $ARGMAP_DB, or ./argmap.db) through the service layer, for
    whoever runs this command; ``create=False`` for the commands that only read."""
    from argmap.service import open as open_service
    return open_service((ctx.obj or {}).get("db"), create=create)


def check_out(ctx: typer.Context, out: Optional[Path], what: str = "", kind: str = "text",
              force: bool = False) -> None:
    """Refuse a bad ``--out`` before any work, the store this command will open included
    (even one not created yet)."""
    from argmap.claims.location import resolve_location, sqlite_file
    from argmap.graph.files import check_target, is_stdout
    if out is None or is_stdout(out):
        return
    store = sqlite_file(resolve_location((ctx.obj or {}).get("db")))
    check_target(out, what, kind, force, also=(store,) if store is not None else ())


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def read_text_file(path: Path, cap: Optional[int] = None) -> str:
    from argmap.graph.files import read_text_file as read
    return read(path) if cap is None else read(path, cap)
