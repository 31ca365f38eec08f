"""Commands on the history: log, diff and undo (``export``/``render --at`` are with their commands)."""

from typing import Any, Optional

import typer

from argmap.cli.common import command, echo_json, open_map

SinceOption = typer.Option(None, "--since", metavar="WHEN|REV",
                           help="After this revision, or after this date/time (UTC), e.g. 2026-11-24T09:30.")


@command()
def log(ctx: typer.Context, claim_id: Optional[str] = typer.Argument(None, metavar="[ID]"),
        since: Optional[str] = SinceOption,
        author: Optional[str] = typer.Option(None, "--author", help="Only this author's changes."),
        rows: bool = typer.Option(False, "--rows", help="Show each row changed, before and after."),
        as_json: bool = typer.Option(False, "--json")) -> None:
    """The history of the map, or of one claim: who changed what, when, with which command."""
    from argmap.claims.history import as_json as change_json
    with open_map(ctx, create=False) as m:
        found = m.history(since, author=author, claim=claim_id, rows=rows)
    if as_json:
        echo_json([change_json(c, with_rows=rows) for c in found])
        return
    if not found:
        typer.echo("no changes" + (f" to {claim_id}" if claim_id else "") + (f" since {since}" if since else ""))
        return
    for c in found:
        counts = ", ".join(f"{n} {what}" for what, n in c.counts.items())
        typer.echo(f"{c.rev:>5}  {c.at[:19].replace('T', ' ')}  {c.author}  {c.command}  ({counts})")
        if rows:
            for row in c.rows:
                typer.echo(f"       {row.summary()}")


@command()
def diff(ctx: typer.Context, since: Optional[str] = SinceOption,
         to: Optional[str] = typer.Option(None, "--to", metavar="WHEN|REV", help="Up to this point (default: now)."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """What changed between two points: claims, relations, evidence and computations added,
    removed or changed, and the statuses and checks that moved, with the change that moved each."""
    with open_map(ctx, create=False) as m:
        out = m.diff(since, to)
    if as_json:
        echo_json(out)
        return
    typer.echo(f"from revision {out['from']} to {out['to']} ({len(out['changes'])} changes)")
    from argmap.graph.history_diff import SECTIONS
    for section in SECTIONS:
        for how, mark in (("added", "+"), ("removed", "-"), ("changed", "~")):
            for item in out[section][how]:
                detail = ", ".join(f"{f}: {_short(a)} -> {_short(b)}" for f, (a, b) in item["fields"].items()) \
                    if how == "changed" else _short(str(item.get("text") or item.get("type") or item.get("formula")
                                                           or item.get("credence") or ""))
                typer.echo(f"{mark} {section[:-1] if section != 'evidence' else section} "
                           f"{' -> '.join(map(str, item['key'])) if section == 'relations' else ' / '.join(map(str, item['key']))}"
                           f"{': ' + detail if detail else ''}{_by(item['change'])}")
    for item in out["statuses"]:
        where = _by(item["change"]) if item["change"] else f"  (one of the changes {item['between'][0] + 1}-{item['between'][1]})"
        typer.echo(f"status {item['id']}: {item['before']} -> {item['after']}{where}")
    for item in out["checks"]:
        typer.echo(f"check {item['computation']} ({item['claim']}): {item['before']} -> {item['after']}{_by(item['change'])}")


def _short(value: Any, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _by(change: Optional[dict]) -> str:
    return "" if not change else f"  (change {change['rev']}, {change['author']}: {_short(change['command'], 50)})"


@command()
def undo(ctx: typer.Context, rev: Optional[int] = typer.Argument(None, metavar="[REV]",
                                                                 help="The change to revert (default: the latest).")) -> None:
    """Revert one change, as a new change; refused while later changes depend on it."""
    with open_map(ctx, create=False) as m:
        target = m.undo(rev)
    typer.echo(f"undid change {target.rev} ({target.command})")
