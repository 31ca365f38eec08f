"""Plain-text renderings for the terminal (the --json forms live on the records)."""

import textwrap
from typing import Any, Iterable

import typer

from argmap.claims.records import ClaimDetail, ClaimRecord


def short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_claim_table(claims: Iterable[ClaimRecord]) -> None:
    claims = list(claims)
    if not claims:
        typer.echo("no claims")
        return
    id_w = max(len(c.id) for c in claims)
    kind_w = max(len(c.kind) for c in claims)
    for c in claims:
        typer.echo(f"{c.id:<{id_w}}  {c.kind:<{kind_w}}  {short(c.text)}")


def fmt_number(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and x != 0 and (abs(x) >= 1e5 or abs(x) < 1e-3):
        return f"{x:.3g}"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def computation_lines(c: dict[str, Any]) -> list[str]:
    lines = [f"{c['id']}: {c['formula']}" + (f"  [{c['unit']}]" if c["unit"] else "")]
    for i in c["inputs"]:
        if i.get("from"):
            value = f"result of {i['from']}"
        elif i.get("high") is not None:
            value = f"{fmt_number(i['low'])}..{fmt_number(i['high'])}"
        else:
            value = fmt_number(i["low"])
        lines.append(f"    {i['name']} = {value} {i['unit']}".rstrip())
    result = c.get("result")
    if result:
        if result.get("exact"):
            lines.append(f"    result: {fmt_number(result['p50'])} {c['unit']}".rstrip())
        else:
            lines.append(f"    result: {fmt_number(result['p5'])} to {fmt_number(result['p95'])} "
                         f"(median {fmt_number(result['p50'])}; 5th-95th percentile) {c['unit']}".rstrip())
            if result.get("bounds"):
                lo, hi = result["bounds"]
                lines.append(f"    bounds: {fmt_number(lo)} to {fmt_number(hi)} (inputs at their range ends)")
        for name, sc in (result.get("scenarios") or {}).items():
            lines.append(f"    scenario {name}: {fmt_number(sc['value'])} {c['unit']}".rstrip())
        check = result.get("check")
        if check:
            lines.append(f"    check: {check['outcome']}: {check['detail']}")
    return lines


def print_claim_detail(d: ClaimDetail) -> None:
    c = d.claim
    typer.echo(f"{c.id} ({c.kind})")
    typer.echo(textwrap.fill(c.text, 78, initial_indent="  ", subsequent_indent="  "))
    typer.echo("")
    typer.echo(f"Evidence ({len(d.evidence)}):")
    for e in d.evidence:
        where = f", {e.locator}" if e.locator else ""
        typer.echo(f"  [{e.id}] \"{short(e.quote, 300)}\"")
        typer.echo(f"       {e.source_title or e.source} ({e.source}{where})")
    if d.computations:
        typer.echo(f"Computations ({len(d.computations)}):")
        for comp in d.computations:
            for line in computation_lines(comp.to_json()):
                typer.echo("  " + line)
    for title, rows in (("Supported by", d.supporters), ("Attacked by", d.attackers),
                        ("Supports", d.supports), ("Attacks", d.attacks)):
        typer.echo(f"{title} ({len(rows)}):")
        for r in rows:
            typer.echo(f"  {r.id} ({r.kind}): {short(r.text)}")
    if d.scheme:
        questions = d.questions()
        left = sum(1 for q in questions if q["status"] == "open")
        typer.echo(f"Scheme: {d.scheme}" + (f", {left} of {len(questions)} critical questions open" if questions
                                             else " (not in the catalogue: no questions)"))
        for q in questions:
            typer.echo(f"  {q['id']} ({q['type']}): " + ("open" if q["status"] == "open" else f"answered by {q['by']}"))
