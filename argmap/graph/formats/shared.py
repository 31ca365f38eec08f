"""What several writers share: the colours of kinds and relations, a map's evidence and
computations by claim, and a computation's result in words."""

import re
from typing import Any, BinaryIO, Iterable, Iterator, TypeVar

from argmap.claims.records import ComputationRecord, EvidenceRecord

T = TypeVar("T")

KIND_COLOURS = {"thesis": "#ffd166", "claim": "#cfe3f7", "objection": "#f8c9c4", "rebuttal": "#c9ecc5",
                "computation": "#e4d7f5", "argument": "#f2f2f2"}
EDGE_COLOURS = {"supports": "#2f7d32", "attacks": "#c0392b"}


def claims_by_group(claims: Iterable[Any], groups: list[Any]) -> dict[Any, list]:
    """The claims of each group (by group id; None: in no group), in the order given."""
    group_of = {cid: g.id for g in groups for cid in g.claims}
    out: dict[Any, list] = {}
    for c in claims:
        out.setdefault(group_of.get(c.id), []).append(c)
    return out


def group_events(groups: list[Any]) -> Iterator[tuple[str, Any, int]]:
    """How a writer nests a map's groups: ("claims", None, 0) for the claims in no group
    (first: in Argdown, a claim after a heading is in its section), then for each group, each
    before the groups inside it, ("open", group, depth), ("claims", group, depth) and, after
    the groups inside it, ("close", group, depth); depth counts from 1."""
    yield "claims", None, 0
    inside: dict[Any, list] = {}
    for g in groups:
        inside.setdefault(g.parent, []).append(g)
    todo: list[tuple[str, Any, int]] = [("visit", g, 1) for g in reversed(inside.get(None, []))]
    while todo:
        step, g, depth = todo.pop()
        if step == "close":
            yield step, g, depth
            continue
        yield "open", g, depth
        yield "claims", g, depth
        todo.append(("close", g, depth))
        todo.extend(("visit", child, depth + 1) for child in reversed(inside.get(g.id, [])))


def computations_by_claim(computations: Iterable[ComputationRecord]) -> dict[str, list[ComputationRecord]]:
    out: dict[str, list[ComputationRecord]] = {}
    for c in computations:
        out.setdefault(c.claim, []).append(c)
    return out


def evidence_by_claim(evidence: Iterable[EvidenceRecord]) -> dict[str, list[EvidenceRecord]]:
    out: dict[str, list[EvidenceRecord]] = {}
    for e in evidence:
        out.setdefault(e.claim, []).append(e)
    return out


def judgements_by_claim(judgements: Iterable[Any]) -> dict[str, list[dict[str, Any]]]:
    """People's credences per claim, as the formats that keep them as a claim's extra data
    write them (Argdown's data, AIF's ``argmapJudgements``): author, credence and when."""
    out: dict[str, list[dict[str, Any]]] = {}
    for j in judgements:
        out.setdefault(j.claim, []).append({"author": j.author, "credence": j.credence, "at": j.at})
    return out


def read_judgements(doc: Any, claim: str, value: Any, where: str) -> None:
    """A claim's judgements as ``judgements_by_claim`` writes them, into the document (each
    checked with the rest of it when it is loaded)."""
    from argmap.graph.formats.document import FormatError
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(j, dict) for j in value):
        raise FormatError(doc.name, where, "judgements as a list of {author: ..., credence: ..., at: ...}")
    for j in value:
        doc.judgements.append({"claim": claim, "author": j.get("author"), "credence": j.get("credence"), "at": j.get("at")})


def batches(items: Iterable[T], size: int = 2_000) -> Iterator[list[T]]:
    """``items`` a few thousand at a time (a streamed export reads each batch's texts at once)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def by_target(n: int, src: Any, dst: Any, attack: Any, attacks_first: bool) -> tuple[Any, Any, Any]:
    """For each of ``n`` claims, the relations pointing at it as a CSR: ``ptr[i]:ptr[i + 1]``
    indexes ``source`` and ``attacks``, supports or attacks first, then by source (claims are
    numbered in id order, so that is by id)."""
    import numpy as np
    order = np.lexsort((src, ~attack if attacks_first else attack, dst))
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(dst, minlength=n), out=ptr[1:])
    return ptr, src[order], attack[order]


def result_text(c: ComputationRecord) -> str:
    r = c.result or {}
    if not r:
        return "not run"
    unit = f" {c.unit}" if c.unit else ""
    value = f"{r['p50']:.3g}{unit}" if r.get("exact") else f"{r['p5']:.3g} to {r['p95']:.3g}{unit} (median {r['p50']:.3g})"
    if r.get("check"):
        value += f"; check {r['check']['outcome']}: {r['check']['detail']}"
    return value


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (argmap refuses them at entry; a
    store edited by other tools may still have them)."""
    return _NOT_XML.sub("", text)


def stream_json(out: BinaryIO, parts: list[tuple[str, Iterable[dict]]], indent: int, head: str = "",
                tail: str = "") -> None:
    """Write ``{head, "key": [item, ...], ..., tail}`` as ``json.dumps(..., indent=indent)``
    lays it out, item by item as the iterables give them: a whole store in little memory."""
    import json
    encode = json.JSONEncoder(indent=indent, ensure_ascii=False).encode  # made once, used a million times
    pad, inner = " " * indent, " " * (2 * indent)
    out.write(("{" + head).encode("utf-8"))
    for n, (key, items) in enumerate(parts):
        out.write(f'{"," if head or n else ""}\n{pad}{json.dumps(key)}: ['.encode("utf-8"))
        empty = True
        for item in items:
            out.write(f'{"" if empty else ","}\n{inner}{encode(item).replace(chr(10), chr(10) + inner)}'.encode("utf-8"))
            empty = False
        out.write(b"]" if empty else f"\n{pad}]".encode("utf-8"))
    out.write(f"{tail}\n}}\n".encode("utf-8"))


def write_lines(out: BinaryIO, lines: Iterable[str], batch: int = 5_000) -> None:
    """Lines to a binary file as UTF-8, each ended by a newline, a few thousand at a time."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            out.write(("\n".join(chunk) + "\n").encode("utf-8"))
            chunk = []
    if chunk:
        out.write(("\n".join(chunk) + "\n").encode("utf-8"))
