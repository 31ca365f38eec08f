"""Sources and the exact quotes that tie claims to them.

A quote is checked against its source's full text when the source has one: after
whitespace normalisation it must occur verbatim, or the evidence is refused.
"""

import re
import unicodedata
from typing import Optional

from sqlmodel import select

from argmap.claims.ids import check_id, clean_text
from argmap.claims.models import ComputationInput, Evidence, Source
from argmap.claims.records import EvidenceRecord, SourceRecord
from argmap.claims.store import Store, source_record
from argmap.errors import AlreadyExists, InvalidInput, NotFound, QuoteNotInSource

MAX_SOURCE_TEXT = 5_000_000
MAX_QUOTE = 2_000
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse whitespace runs and NFC-normalise, so line breaks never defeat a quote check."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def quote_occurs(quote: str, text: str) -> bool:
    return normalise(quote) in normalise(text)


def _optional(value: Optional[str], what: str, max_len: int = 2_000) -> Optional[str]:
    if value is None or not str(value).strip():
        return None
    return clean_text(value, what, max_len)


def check_url(url: Optional[str]) -> Optional[str]:
    url = _optional(url, "source url")
    if url is not None and not re.match(r"^(https?|ftp|doi):", url, re.IGNORECASE) and not url.startswith("urn:"):
        raise InvalidInput(f"source url {url!r} must start with http://, https://, ftp:, doi: or urn:")
    return url


def add_source(store: Store, source_id: str, title: str, author: Optional[str] = None,
               url: Optional[str] = None, date: Optional[str] = None,
               text: Optional[str] = None) -> SourceRecord:
    check_id(source_id, "source id")
    title = clean_text(title, "source title", 1_000)
    if text is not None:
        text = clean_text(text, "source text", MAX_SOURCE_TEXT) if text.strip() else None
        if text is not None:
            text = text.replace("\r\n", "\n")
    row = Source(id=source_id, title=title, author=_optional(author, "source author"),
                 url=check_url(url), date=_optional(date, "source date", 100), text=text)
    with store.transaction() as s:
        if s.get(Source, source_id) is not None:
            raise AlreadyExists(f"a source with id {source_id!r} already exists")
        s.add(row)
        s.flush()
        return source_record(row)


def attach_text(store: Store, source_id: str, text: str) -> SourceRecord:
    """Give a source its full text, refusing it if an existing quote is not in it."""
    text = clean_text(text, "source text", MAX_SOURCE_TEXT)
    with store.transaction() as s:
        row = s.get(Source, source_id)
        if row is None:
            raise NotFound(f"no source with id {source_id!r}")
        for ev in s.exec(select(Evidence).where(Evidence.source_id == source_id).order_by(Evidence.id)).all():
            if not quote_occurs(ev.quote, text):
                raise QuoteNotInSource(
                    f"the quote of evidence {ev.id} (claim {ev.claim_id!r}) does not occur in that text: "
                    f"{ev.quote[:60]!r}")
        row.text = text
        s.add(row)
        s.flush()
        return source_record(row)


def list_sources(store: Store) -> list[SourceRecord]:
    with store.transaction() as s:
        return [source_record(r) for r in s.exec(select(Source).order_by(Source.id)).all()]


def add_evidence(store: Store, claim_id: str, source_id: str, quote: str,
                 locator: Optional[str] = None) -> EvidenceRecord:
    quote = clean_text(quote, "quote", MAX_QUOTE)
    locator = _optional(locator, "locator", 200)
    with store.transaction() as s:
        Store.require_claim(s, claim_id)
        source = s.get(Source, source_id)
        if source is None:
            raise NotFound(f"no source with id {source_id!r}")
        if source.text and not quote_occurs(quote, source.text):
            raise QuoteNotInSource(
                f"quote not found in source {source_id!r}: {quote[:60]!r} (quotes must be exact, "
                f"up to whitespace)")
        if s.exec(select(Evidence).where(Evidence.claim_id == claim_id, Evidence.source_id == source_id,
                                         Evidence.quote == quote)).first() is not None:
            raise AlreadyExists(f"claim {claim_id!r} already has that quote from {source_id!r}")
        row = Evidence(claim_id=claim_id, source_id=source_id, quote=quote, locator=locator)
        s.add(row)
        s.flush()
        return EvidenceRecord(id=row.id, claim=claim_id, source=source_id, quote=quote, locator=locator,
                              source_title=source.title, source_url=source.url)


def remove_evidence(store: Store, evidence_id: int) -> EvidenceRecord:
    with store.transaction() as s:
        row = s.get(Evidence, evidence_id)
        if row is None:
            raise NotFound(f"no evidence with id {evidence_id}")
        src = s.get(Source, row.source_id)
        record = EvidenceRecord(id=row.id, claim=row.claim_id, source=row.source_id, quote=row.quote,
                                locator=row.locator, source_title=src.title, source_url=src.url)
        for inp in s.exec(select(ComputationInput).where(ComputationInput.evidence_id == evidence_id)).all():
            inp.evidence_id = None
            s.add(inp)
        s.flush()
        s.delete(row)
        return record
