"""Sources and exact quotes."""

import pytest

from argmap.errors import AlreadyExists, InvalidInput, NotFound, QuoteNotInSource
from argmap.evidence.sources import add_evidence, add_source, attach_text, list_sources, quote_occurs

TEXT = """The first paragraph says something.

A teenager can learn to drive a car
with about 20 hours of practice.  Then more."""


def test_quote_matching_ignores_whitespace_only():
    assert quote_occurs("learn to drive a car with about 20 hours", TEXT)
    assert not quote_occurs("learn to drive a truck", TEXT)
    assert not quote_occurs("Learn to drive a car", TEXT)  # case matters: quotes are exact


def test_evidence_is_checked_against_the_source_text(store):
    store.add_claim("Driving takes people little practice", claim_id="driving")
    add_source(store, "essay", "An essay", author="Someone", url="https://example.org/essay", text=TEXT)
    ev = add_evidence(store, "driving", "essay", "A teenager can learn to drive a car with about 20 hours of practice.",
                      "paragraph 2")
    assert ev.source_title == "An essay" and ev.locator == "paragraph 2"
    with pytest.raises(QuoteNotInSource, match="essay"):
        add_evidence(store, "driving", "essay", "A teenager can learn to fly a plane.")
    with pytest.raises(AlreadyExists):
        add_evidence(store, "driving", "essay", "A teenager can learn to drive a car with about 20 hours of practice.")
    assert [e.id for e in store.detail("driving").evidence] == [ev.id]


def test_evidence_errors(store):
    store.add_claim("c", claim_id="c")
    add_source(store, "s", "Title")  # no text: quotes cannot be checked, so they are accepted
    add_evidence(store, "c", "s", "anything at all")
    with pytest.raises(NotFound, match="source"):
        add_evidence(store, "c", "nope", "q")
    with pytest.raises(NotFound, match="claim"):
        add_evidence(store, "nope", "s", "q")
    with pytest.raises(InvalidInput, match="empty"):
        add_evidence(store, "c", "s", "   ")
    with pytest.raises(AlreadyExists):
        add_source(store, "s", "Again")
    with pytest.raises(InvalidInput, match="url"):
        add_source(store, "js", "Bad link", url="javascript:alert(1)")
    assert [s.id for s in list_sources(store)] == ["s"]


def test_attach_text_refuses_a_text_missing_a_quote(store):
    store.add_claim("c", claim_id="c")
    add_source(store, "s", "Title")
    add_evidence(store, "c", "s", "about 20 hours of practice")
    with pytest.raises(QuoteNotInSource):
        attach_text(store, "s", "A different text entirely.")
    assert not list_sources(store)[0].has_text
    attach_text(store, "s", TEXT)
    assert list_sources(store)[0].has_text
