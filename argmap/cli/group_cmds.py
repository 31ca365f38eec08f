"""Groups, the named parts of a map: group add/put/edit/remove/list."""

from typing import Optional

import typer

from argmap.cli.common import app, command, echo_json, open_map

group_app = typer.Typer(help="Groups: named, nested parts of the map (Argdown's headings), each a box on the page "
                             "that collapses to one.", no_args_is_help=True)
app.add_typer(group_app, name="group")


def _said(g) -> str:
    inside = f" (in {g.parent})" if g.parent else ""
    return f"{g.id}{inside}: {g.title} [{len(g.claims)} claims]"


@command(group_app, name="add")
def group_add(ctx: typer.Context, title: str = typer.Argument(..., metavar="TITLE"),
              id_: Optional[str] = typer.Option(None, "--id", help="The group's id (made from the title if not given)."),
              parent: Optional[str] = typer.Option(None, "--parent", help="The group it sits in."),
              claim: list[str] = typer.Option([], "--claim", help="A claim to put in it (repeatable)."),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """A new group, empty or with the claims given."""
    with open_map(ctx) as m:
        g = m.add_group(title, id_, parent, claim)
    echo_json(g.to_json()) if as_json else typer.echo(f"Added group {_said(g)}")


@command(group_app, name="put")
def group_put(ctx: typer.Context, group_id: str = typer.Argument(..., metavar="GROUP", help="The group, or '-' for none."),
              claims: list[str] = typer.Argument(..., metavar="CLAIM..."),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Move claims into a group ('-': out of their group)."""
    with open_map(ctx, create=False) as m:
        g = m.put_in_group(None if group_id == "-" else group_id, claims)
    if as_json:
        echo_json(g.to_json() if g else None)
    else:
        typer.echo(f"Moved {len(claims)} claims " + (f"into {_said(g)}" if g else "out of their groups"))


@command(group_app, name="edit")
def group_edit(ctx: typer.Context, group_id: str = typer.Argument(..., metavar="GROUP"),
               title: Optional[str] = typer.Option(None, "--title"),
               parent: Optional[str] = typer.Option(None, "--parent", help="Move it inside this group."),
               top: bool = typer.Option(False, "--top", help="Move it to the top, inside no group."),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """A group's new title or place."""
    from argmap.errors import InvalidInput
    if parent is not None and top:
        raise InvalidInput("--parent and --top cannot be given together")
    if title is None and parent is None and not top:
        raise InvalidInput("nothing to change: give --title, --parent or --top")
    with open_map(ctx, create=False) as m:
        g = m.edit_group(group_id, title, parent, top)
    echo_json(g.to_json()) if as_json else typer.echo(f"Edited group {_said(g)}")


@command(group_app, name="remove")
def group_remove(ctx: typer.Context, group_id: str = typer.Argument(..., metavar="GROUP")) -> None:
    """Take a group away; its claims and the groups inside it move up to the group around it."""
    with open_map(ctx, create=False) as m:
        g = m.remove_group(group_id)
    typer.echo(f"Removed group {g.id} ({len(g.claims)} claims moved " + (f"into {g.parent})" if g.parent else "out)"))


@command(group_app, name="list")
def group_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
    """The map's groups in order, nested, with how many claims each holds."""
    with open_map(ctx, create=False) as m:
        found = m.groups()
    if as_json:
        echo_json([g.to_json() for g in found])
        return
    depth: dict[str, int] = {}
    for g in found:
        depth[g.id] = depth.get(g.parent, -1) + 1 if g.parent else 0
        typer.echo("  " * depth[g.id] + _said(g))
