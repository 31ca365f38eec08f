"""Sources and evidence rows. The rules about quotes (what counts as occurring in a text)
are ``argmap.evidence.sources``'; they reach here as a ``verify`` function that runs inside
the same transaction as the write it guards."""

import json
from typing import Callable, Optional

from sqlmodel import Session, select

from argmap.claims.models import ComputationInput, Evidence, Source
from argmap.claims.reads import require_claim
from argmap.claims.records import EvidenceRecord, SourceRecord, selector_of
from argmap.errors import AlreadyExists, NotFound


def source_record(row: Source) -> SourceRecord:
    return SourceRecord(id=row.id, title=row.title, author=row.author, url=row.url, date=row.date,
                        has_text=bool(row.text), sha256=row.sha256)


def _evidence_record(row: Evidence, src: Source) -> EvidenceRecord:
    return EvidenceRecord(id=row.id, claim=row.claim_id, source=row.source_id, quote=row.quote,
                          locator=row.locator, selector=selector_of(row.selector), source_title=src.title,
                          source_url=src.url)


def _require_source(s: Session, source_id: str) -> Source:
    row = s.get(Source, source_id)
    if row is None:
        raise NotFound(f"no source with id {source_id!r}")
    return row


def add_source(s: Session, record: SourceRecord) -> SourceRecord:
    if s.get(Source, record.id) is not None:
        raise AlreadyExists(f"a source with id {record.id!r} already exists")
    row = Source(id=record.id, title=record.title, author=record.author, url=record.url, date=record.date,
                 text=record.text, sha256=record.sha256)
    s.add(row)
    s.flush()
    return source_record(row)


def set_text(s: Session, source_id: str, text: str,
             verify: Callable[[EvidenceRecord], Optional[dict]]) -> SourceRecord:
    """Give a source its full text once ``verify`` accepts each of its quotes; what it
    returns is the quote's selector in the new text."""
    row = _require_source(s, source_id)
    for ev in s.exec(select(Evidence).where(Evidence.source_id == source_id).order_by(Evidence.id)).all():
        selector = verify(_evidence_record(ev, row))
        stored = None if selector is None else json.dumps(selector, ensure_ascii=False)
        if stored != ev.selector:
            ev.selector = stored
            s.add(ev)
    row.text = text
    s.add(row)
    s.flush()
    return source_record(row)


def list_sources(s: Session) -> list[SourceRecord]:
    return [source_record(r) for r in s.exec(select(Source).order_by(Source.id)).all()]


def add_evidence(s: Session, claim_id: str, source_id: str, quote: str, locator: Optional[str],
                 verify: Callable[[Optional[str]], tuple[Optional[str], Optional[dict]]]) -> EvidenceRecord:
    """A quote for a claim, once ``verify`` accepts it against the source's text (or None);
    what ``verify`` returns is where the quote was found: a locator (used when none is given)
    and a selector."""
    require_claim(s, claim_id)
    source = _require_source(s, source_id)
    found, selector = verify(source.text)
    locator = locator or found
    if s.exec(select(Evidence).where(Evidence.claim_id == claim_id, Evidence.source_id == source_id,
                                     Evidence.quote == quote)).first() is not None:
        raise AlreadyExists(f"claim {claim_id!r} already has that quote from {source_id!r}")
    row = Evidence(claim_id=claim_id, source_id=source_id, quote=quote, locator=locator,
                   selector=None if selector is None else json.dumps(selector, ensure_ascii=False))
    s.add(row)
    s.flush()
    return _evidence_record(row, source)


def remove_evidence(s: Session, evidence_id: int) -> EvidenceRecord:
    """Remove a quote; computation inputs that cited it keep their values and lose the citation."""
    row = s.get(Evidence, evidence_id)
    if row is None:
        raise NotFound(f"no evidence with id {evidence_id}")
    record = _evidence_record(row, s.get(Source, row.source_id))
    unlink_evidence(s, [evidence_id])
    s.delete(row)
    return record


def unlink_evidence(s: Session, evidence_ids: list[int]) -> None:
    for inp in s.exec(select(ComputationInput).where(ComputationInput.evidence_id.in_(evidence_ids))).all():
        inp.evidence_id = None
        s.add(inp)
    s.flush()


def quotes(s: Session) -> list[tuple[EvidenceRecord, Optional[str]]]:
    """Every quote with its source's text (for ``argmap check``)."""
    texts = {src.id: src for src in s.exec(select(Source)).all()}
    return [(_evidence_record(ev, texts[ev.source_id]) if ev.source_id in texts else
             EvidenceRecord(id=ev.id, claim=ev.claim_id, source=ev.source_id, quote=ev.quote, locator=ev.locator,
                            selector=selector_of(ev.selector)),
             texts[ev.source_id].text if ev.source_id in texts else None)
            for ev in s.exec(select(Evidence).order_by(Evidence.id)).all()]
