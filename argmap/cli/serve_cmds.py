"""Commands for a served map: serve, and the people (user ...) and tokens (token ...) it lets in."""

import os
import webbrowser
from pathlib import Path
from typing import Optional

import typer

from argmap.cli.common import app, command, echo_json, fail, open_map, read_text_file

user_app = typer.Typer(help="The people who may use a served map (argmap serve), each with a role.",
                       no_args_is_help=True)
token_app = typer.Typer(help="API tokens, for scripts that use a served map.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

RoleOption = typer.Option(..., "--role", help="viewer (reads), editor (also edits) or owner (also manages people).")
PasswordFile = typer.Option(None, "--password-file", metavar="FILE",
                            help="Read the password from the first line of FILE (default: asked for).")


@command()
def serve(ctx: typer.Context,
          host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (another than this machine's "
                                                               "own needs users, or --insecure-no-auth)."),
          port: int = typer.Option(8765, "--port", help="Port to listen on (0: any free one)."),
          open_browser: bool = typer.Option(False, "--open", help="Open the map in a browser."),
          title: str = typer.Option("argmap", "--title", help="Title shown on the page."),
          root_path: str = typer.Option("", "--root-path", help="The path prefix a proxy serves this under, e.g. /debate."),
          forwarded_allow_ips: Optional[str] = typer.Option(None, "--forwarded-allow-ips", metavar="IPS",
                                                            help="Proxies whose X-Forwarded-* headers are believed "
                                                                 "(default: 127.0.0.1)."),
          insecure_no_auth: bool = typer.Option(False, "--insecure-no-auth",
                                                help="Let anyone who reaches the server in, as its owner."),
          max_streams: int = typer.Option(20, "--max-streams", help="Live pages (event streams) per person."),
          max_body: int = typer.Option(1024 * 1024, "--max-body", help="Largest request body, in bytes.")) -> None:
    """Serve the map as a live web app that a team edits together: the editable map at /, an
    HTTP JSON API under /api/ (described at /openapi.json). Alone, it prints a URL with a
    token (or set $ARGMAP_SERVE_TOKEN); with users (argmap user add), people log in."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail("argmap serve needs the web app's packages: pip install 'argmap[serve]'")
    from argmap.claims.ids import clean_text
    from argmap.web import Config, run
    token = os.environ.get("ARGMAP_SERVE_TOKEN") or None
    if token is not None and not (16 <= len(token) <= 200 and token.isascii() and token.isprintable()
                                  and " " not in token):
        fail("$ARGMAP_SERVE_TOKEN must be 16 to 200 printable ASCII characters without spaces")
    if not 0 <= port <= 65535:
        fail(f"--port must be from 0 to 65535, not {port}")
    if root_path and (not root_path.startswith("/") or any(c in root_path for c in "?#\\ ")):
        fail(f"--root-path is a path like /debate, not {root_path[:60]!r}")
    if max_streams < 1 or max_body < 1024:
        fail("--max-streams must be 1 or more and --max-body 1024 or more")
    config = Config(location=(ctx.obj or {}).get("db"), host=host, port=port, token=token,
                    insecure_no_auth=insecure_no_auth, root_path=root_path, forwarded_allow_ips=forwarded_allow_ips,
                    title=clean_text(title, "title", 1_000), max_streams=max_streams, max_body=max_body,
                    author=(ctx.obj or {}).get("author"))

    def announce(url: str) -> None:
        typer.echo(url)
        if open_browser:
            webbrowser.open(url.split()[0])

    run(config, announce)


def _password(password_file: Optional[Path]) -> str:
    if password_file is not None:
        lines = read_text_file(password_file, 64 * 1024).splitlines()
        return lines[0] if lines else ""
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@command(user_app, name="add")
def user_add(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME"), role: str = RoleOption,
             password_file: Optional[Path] = PasswordFile) -> None:
    """Add a person who may log in to the served map."""
    password = _password(password_file)
    with open_map(ctx) as m:
        made = m.add_user(name, role, password)
    typer.echo(f"user {made.name} added ({made.role})")


@command(user_app, name="list")
def user_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """List the people and their roles."""
    with open_map(ctx, create=False) as m:
        people = m.users()
    if as_json:
        echo_json([p.to_json() for p in people])
        return
    for p in people:
        typer.echo(f"{p.name}  {p.role}  since {p.created_at[:10]}")
    if not people:
        typer.echo("no users: argmap serve lets in whoever has its start-up token")


@command(user_app, name="remove")
def user_remove(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME")) -> None:
    """Remove a person, with their tokens and sessions."""
    with open_map(ctx, create=False) as m:
        m.remove_user(name)
    typer.echo(f"user {name} removed")


@command(user_app, name="role")
def user_role(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME"),
              role: str = typer.Argument(..., metavar="ROLE", help="viewer, editor or owner.")) -> None:
    """Change a person's role."""
    with open_map(ctx, create=False) as m:
        made = m.set_role(name, role)
    typer.echo(f"user {made.name} is now {made.role}")


@command(user_app, name="password")
def user_password(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME"),
                  password_file: Optional[Path] = PasswordFile) -> None:
    """Set a person's password (their open sessions end)."""
    password = _password(password_file)
    with open_map(ctx, create=False) as m:
        m.set_password(name, password)
    typer.echo(f"password of {name} changed")


@command(token_app, name="create")
def token_create(ctx: typer.Context, name: str = typer.Argument(..., metavar="NAME", help="The user it acts for."),
                 label: Optional[str] = typer.Option(None, "--label", help="What the token is for.")) -> None:
    """Make an API token for a user's scripts (Authorization: Bearer TOKEN); shown once."""
    with open_map(ctx, create=False) as m:
        token_id, token = m.create_token(name, label)
    typer.echo(token)
    typer.echo(f"token {token_id} for {name}: keep it secret, it is not shown again", err=True)


@command(token_app, name="list")
def token_list(ctx: typer.Context, name: Optional[str] = typer.Argument(None, metavar="[NAME]"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """List the tokens (their ids, never the tokens themselves)."""
    with open_map(ctx, create=False) as m:
        found = m.tokens(name)
    if as_json:
        echo_json([{"id": t[0], "user": t[1], "label": t[2], "created_at": t[3]} for t in found])
        return
    for t in found:
        typer.echo(f"{t[0]}  {t[1]}  {t[3][:10]}" + (f"  {t[2]}" if t[2] else ""))


@command(token_app, name="revoke")
def token_revoke(ctx: typer.Context, token_id: str = typer.Argument(..., metavar="ID")) -> None:
    """Revoke a token: it stops working at once."""
    with open_map(ctx, create=False) as m:
        m.revoke_token(token_id)
    typer.echo(f"token {token_id} revoked")
