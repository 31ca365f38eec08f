"""Sources and the exact quotes that tie claims to them.

A quote is checked against its source's full text when the source has one: after
whitespace normalisation it must occur verbatim, or the evidence is refused.
"""

import re
import unicodedata
from typing import Optional

from argmap.claims import sources as rows
from argmap.claims.ids import check_id, check_integer_id, clean_text, optional_text
from argmap.claims.records import EvidenceRecord, SourceRecord
from argmap.claims.store import Store
from argmap.errors import InvalidInput, QuoteNotInSource

MAX_SOURCE_TEXT = 5_000_000
MAX_QUOTE = 2_000
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse whitespace runs and NFC-normalise, so line breaks never defeat a quote check."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def quote_occurs(quote: str, text: str) -> bool:
    return normalise(quote) in normalise(text)


_optional = optional_text


def check_url(url: Optional[str]) -> Optional[str]:
    url = _optional(url, "source url")
    if url is not None and not re.match(r"^(https?|ftp|doi):", url, re.IGNORECASE) and not url.startswith("urn:"):
        raise InvalidInput(f"source url {url!r} must start with http://, https://, ftp:, doi: or urn:")
    if url is not None and re.search(r"\s", url):
        raise InvalidInput(f"source url {url[:60]!r} contains white space (write it as %20)")
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
    record = SourceRecord(id=source_id, title=title, author=_optional(author, "source author"),
                          url=check_url(url), date=_optional(date, "source date", 100),
                          has_text=text is not None, text=text)
    with store.transaction() as s:
        return rows.add_source(s, record)


def attach_text(store: Store, source_id: str, text: str) -> SourceRecord:
    """Give a source its full text, refusing it if an existing quote is not in it."""
    text = clean_text(text, "source text", MAX_SOURCE_TEXT)

    def verify(ev: EvidenceRecord) -> None:
        if not quote_occurs(ev.quote, text):
            raise QuoteNotInSource(
                f"the quote of evidence {ev.id} (claim {ev.claim!r}) does not occur in that text: "
                f"{ev.quote[:60]!r}")

    with store.transaction() as s:
        return rows.set_text(s, source_id, text, verify)


def list_sources(store: Store) -> list[SourceRecord]:
    with store.transaction() as s:
        return rows.list_sources(s)


def add_evidence(store: Store, claim_id: str, source_id: str, quote: str,
                 locator: Optional[str] = None) -> EvidenceRecord:
    quote = clean_text(quote, "quote", MAX_QUOTE)
    locator = _optional(locator, "locator", 200)

    def verify(source_text: Optional[str]) -> None:
        if source_text and not quote_occurs(quote, source_text):
            raise QuoteNotInSource(
                f"quote not found in source {source_id!r}: {quote[:60]!r} (quotes must be exact, "
                f"up to whitespace)")

    with store.transaction() as s:
        return rows.add_evidence(s, claim_id, source_id, quote, locator, verify)


def remove_evidence(store: Store, evidence_id: int) -> EvidenceRecord:
    check_integer_id(evidence_id, "an evidence id")
    with store.transaction() as s:
        return rows.remove_evidence(s, evidence_id)
