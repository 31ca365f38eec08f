"""Sources and the exact quotes that tie claims to them.

A quote is checked against its source's full text when the source has one. Text copied
from web pages and PDFs differs from what a person types in ways that do not change the
words, so source and quote go through one normalisation before they are compared: Unicode
NFKC (ligatures such as "ﬁ" become "fi"), curly quotes and dashes folded to ASCII, soft
hyphens and words hyphenated across a line break joined, whitespace collapsed. The stored
quote stays as the user wrote it. A quote still not found is refused with the nearest
passage of the source (rapidfuzz), its similarity and where it is, so that the user can
copy the real words. When no locator is given, one is computed: the paragraph (blocks
separated by a blank line) and the characters of the source text where the quote is.
"""

import re
import unicodedata
from array import array
from typing import Any, Optional

from argmap.claims import sources as rows
from argmap.claims.ids import check_id, check_integer_id, clean_text, optional_text
from argmap.claims.records import EvidenceRecord, SourceRecord
from argmap.claims.store import Store
from argmap.errors import InvalidInput, QuoteNotInSource

MAX_SOURCE_TEXT = 5_000_000
MAX_QUOTE = 2_000
NEAREST_FROM = 60  # similarity (0-100) from which the nearest passage is worth showing
_WS = re.compile(r"\s+")
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
                       "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                       "\u2015": "-", "\u2212": "-", "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None})
_SOFT_HYPHEN = re.compile("\u00ad[ \t]*(?:\r?\n[ \t]*)?")
_BROKEN_WORD = re.compile(r"(\w)-[ \t]*\r?\n[ \t]*(\w)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# printable ASCII but the hyphen, and single spaces between: normalising leaves each as it is
_PLAIN = re.compile(r"[!-,.-~]+(?: [!-,.-~]+)*")


def normalise(text: str, join_hyphens: bool = True) -> str:
    """The text as quotes are compared: NFKC, quotes and dashes folded, soft hyphens gone,
    words broken across lines joined (``join_hyphens``), whitespace collapsed."""
    text = _SOFT_HYPHEN.sub("", unicodedata.normalize("NFKC", text).translate(_FOLD))
    text = _BROKEN_WORD.sub(r"\1\2" if join_hyphens else r"\1-\2", text)
    return _WS.sub(" ", text).strip()


def quote_occurs(quote: str, text: str) -> bool:
    """Does the quote occur in the text, after normalisation? A hyphen at a line's end may
    break a word ("hyphen-|ated") or end a compound ("well-|known"): either reading counts."""
    wanted = normalise(quote)
    return wanted in normalise(text) or wanted in normalise(text, join_hyphens=False)


def _mapped(text: str) -> tuple[str, "array[int]"]:
    """``normalise(text)`` built character by character, with where each character came from
    (4 bytes a character: an import holds one for each source its quotes cite)."""
    out: list[str] = []
    where = array("i")
    i, n = 0, len(text)
    while i < n:
        plain = _PLAIN.match(text, i)
        if plain:  # a run that normalising leaves alone, taken at once (a source's text is mostly such runs)
            j = plain.end()
            out.append(text[i:j])
            where.extend(range(i, j))
            i = j
            continue
        if text[i] == "\u00ad":
            m = _SOFT_HYPHEN.match(text, i)
            i = m.end()
            continue
        m = _BROKEN_WORD.match(text, i - 1) if i and text[i] == "-" else None
        if m and m.start() == i - 1:
            i = m.end() - 1  # the next word character follows at once
            continue
        if text[i].isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if out and j < n:
                out.append(" ")
                where.append(i)
            i = j
            continue
        for ch in unicodedata.normalize("NFKC", text[i]).translate(_FOLD):
            out.append(ch)
            where.append(i)
        i += 1
    return "".join(out), where


def paragraph_of(text: str, offset: int) -> int:
    """The paragraph (from 1; blocks separated by a blank line) the offset lies in."""
    if not text[:offset].strip():  # blank lines before the first paragraph start none
        return 1
    return 1 + sum(1 for _ in _PARAGRAPH_BREAK.finditer(text, 0, offset))


class SourceText:
    """A source's text made ready for many quotes: normalised once, with where each
    character of the normalised text came from (an import checks every quote of a source
    against one of these)."""

    def __init__(self, text: str):
        self.text = text
        self.flat, self.where = _mapped(text)
        self._unhyphenated: Optional[str] = None
        self._last: Optional[tuple[str, Optional[tuple[int, int]]]] = None

    def span(self, quote: str) -> Optional[tuple[int, int]]:
        """Where (start, end) in the text the quote is, after normalisation; None if it is not."""
        if self._last is not None and self._last[0] == quote:  # occurs() then found(): looked for once
            return self._last[1]
        wanted = normalise(quote)
        at = self.flat.find(wanted) if wanted else -1
        found = None if at < 0 else (self.where[at], self.where[at + len(wanted) - 1] + 1)
        self._last = (quote, found)
        return found

    def occurs(self, quote: str) -> bool:
        """As ``quote_occurs``: found where ``span`` looks, or with hyphens at line ends kept."""
        if self.span(quote) is not None:
            return True
        if self._unhyphenated is None:
            self._unhyphenated = normalise(self.text, join_hyphens=False)
        return normalise(quote) in self._unhyphenated

    def found(self, quote: str) -> tuple[Optional[str], Optional[dict]]:
        """The locator and the selector of a quote (None, None when ``span`` does not find it)."""
        span = self.span(quote)
        if span is None:
            return None, None
        start, end = span
        return (f"paragraph {paragraph_of(self.text, start)}, characters {start + 1}-{end}",
                selector_at(self.text, start, end))


def find_quote(quote: str, text: str) -> Optional[tuple[int, int]]:
    """Where (start, end) in ``text`` the quote is, after normalisation; None if it is not."""
    return SourceText(text).span(quote)


def locate(quote: str, text: str) -> Optional[str]:
    """The locator of a quote found in ``text``: its paragraph and characters."""
    return SourceText(text).found(quote)[0]


CONTEXT = 400  # characters of the source looked at on each side of a quote for its sentences
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def _flat(text: str) -> str:
    return _WS.sub(" ", text)


def selector_at(text: str, start: int, end: int) -> dict:
    """A W3C Web Annotation TextQuoteSelector for ``text[start:end]``: the words, and as
    prefix and suffix the sentence before and the one after (with the rest of the quote's
    own sentences), within its paragraph and ``CONTEXT`` characters; white space collapsed."""
    before = text[max(0, start - CONTEXT):start]
    cut = max((m.end() for m in _PARAGRAPH_BREAK.finditer(before)), default=None)
    truncated = cut is None and start > CONTEXT
    before = before[cut:] if cut is not None else before
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    if len(ends) >= 2:
        before = before[ends[-2]:]
    elif truncated and " " in before:
        before = before[before.index(" ") + 1:]
    after = text[end:end + CONTEXT]
    brk = _PARAGRAPH_BREAK.search(after)
    truncated = brk is None and end + CONTEXT < len(text)
    after = after[:brk.start()] if brk else after
    ends = [m.end() for m in _SENTENCE_END.finditer(after)]
    if text[max(start, end - 1):end] in (".", "!", "?") and not (ends and ends[0] <= len(after) - len(after.lstrip())):
        ends = [0] + ends  # the quote ends its sentence: what follows is the next one
    if len(ends) >= 2:
        after = after[:ends[1]]
    elif truncated and " " in after:
        after = after[:after.rindex(" ")]
    return {"type": "TextQuoteSelector", "prefix": _flat(before), "exact": _flat(text[start:end]),
            "suffix": _flat(after).rstrip()}


def nearest(quote: str, text: str) -> Optional[dict]:
    """The passage of ``text`` most like ``quote`` (rapidfuzz's best partial alignment), with
    its similarity (0-100), paragraph and characters; None if nothing comes near."""
    from rapidfuzz import fuzz
    flat, where = _mapped(text)
    wanted = normalise(quote)
    if not flat or not wanted:
        return None
    found = fuzz.partial_ratio_alignment(wanted, flat)
    if found is None or found.score < NEAREST_FROM:
        return None
    start, end = where[found.dest_start], where[max(found.dest_end - 1, found.dest_start)] + 1
    return {"similarity": round(found.score, 1), "passage": text[start:end], "start": start + 1, "end": end,
            "paragraph": paragraph_of(text, start)}


def not_found(quote: str, source_id: str, text: str) -> QuoteNotInSource:
    """The refusal of a quote not in its source, with the nearest passage when there is one."""
    near = nearest(quote, text)
    message = f"quote not found in source {source_id!r}: {quote[:60]!r}"
    if near is None:
        return QuoteNotInSource(message + " (nothing in the source comes near it)")
    passage = " ".join(near["passage"].split())
    return QuoteNotInSource(f"{message}; nearest passage ({near['similarity']:g}% alike, paragraph {near['paragraph']}, "
                            f"characters {near['start']}-{near['end']}): {passage[:300]!r}")


_optional = optional_text


def check_url(url: Optional[str]) -> Optional[str]:
    url = _optional(url, "source url")
    if url is not None and not re.match(r"^(https?|ftp|doi):", url, re.IGNORECASE) and not url.startswith("urn:"):
        raise InvalidInput(f"source url {url!r} must start with http://, https://, ftp:, doi: or urn:")
    if url is not None and re.search(r"\s", url):
        raise InvalidInput(f"source url {url[:60]!r} contains white space (write it as %20)")
    return url


def check_selector(selector: Any) -> Optional[dict]:
    """A TextQuoteSelector as a file gives it (``{"type", "prefix", "exact", "suffix"}``),
    checked and bounded; None when there is none."""
    if selector is None:
        return None
    if not isinstance(selector, dict) or set(selector) - {"type", "prefix", "exact", "suffix"}:
        raise InvalidInput('a quote\'s selector must be an object with "exact" and optionally "prefix", "suffix" '
                           'and "type": "TextQuoteSelector"')
    if selector.get("type", "TextQuoteSelector") != "TextQuoteSelector":
        raise InvalidInput('a quote\'s selector must be of "type": "TextQuoteSelector"')
    out: dict = {"type": "TextQuoteSelector"}
    for key, limit in (("prefix", 2 * CONTEXT), ("exact", 2 * MAX_QUOTE), ("suffix", 2 * CONTEXT)):
        value = selector.get(key, "" if key != "exact" else None)
        if not isinstance(value, str) or len(value) > limit or (key == "exact" and not value.strip()):
            raise InvalidInput(f"a quote's selector needs {'an' if key == 'exact' else 'a'} {key!r} text of up to "
                               f"{limit:,} characters")
        out[key] = value
    return out


_SHA256 = re.compile(r"[0-9a-f]{64}")


def check_sha256(digest: Optional[str]) -> Optional[str]:
    if digest is not None and not (isinstance(digest, str) and _SHA256.fullmatch(digest)):
        raise InvalidInput("a source's sha256 must be 64 lowercase hexadecimal digits")
    return digest


def add_source(store: Store, source_id: str, title: str, author: Optional[str] = None,
               url: Optional[str] = None, date: Optional[str] = None,
               text: Optional[str] = None, sha256: Optional[str] = None) -> SourceRecord:
    """``sha256``: of the file the text was read from (kept to tell a changed file)."""
    check_id(source_id, "source id")
    sha256 = check_sha256(sha256)
    title = clean_text(title, "source title", 1_000)
    if text is not None:
        text = clean_text(text, "source text", MAX_SOURCE_TEXT) if text.strip() else None
        if text is not None:
            text = text.replace("\r\n", "\n")
    record = SourceRecord(id=source_id, title=title, author=_optional(author, "source author"),
                          url=check_url(url), date=_optional(date, "source date", 100),
                          has_text=text is not None, text=text, sha256=sha256)
    with store.transaction() as s:
        return rows.add_source(s, record)


def attach_text(store: Store, source_id: str, text: str) -> SourceRecord:
    """Give a source its full text, refusing it if an existing quote is not in it."""
    text = clean_text(text, "source text", MAX_SOURCE_TEXT)

    prepared = SourceText(text)

    def verify(ev: EvidenceRecord) -> Optional[dict]:
        if not prepared.occurs(ev.quote):
            near = not_found(ev.quote, source_id, text)
            raise QuoteNotInSource(f"the quote of evidence {ev.id} (claim {ev.claim!r}) does not occur in that text: "
                                   f"{str(near).split(': ', 1)[1]}")
        return prepared.found(ev.quote)[1]

    with store.transaction() as s:
        return rows.set_text(s, source_id, text, verify)


def list_sources(store: Store) -> list[SourceRecord]:
    with store.transaction() as s:
        return rows.list_sources(s)


def add_evidence(store: Store, claim_id: str, source_id: str, quote: str,
                 locator: Optional[str] = None) -> EvidenceRecord:
    quote = clean_text(quote, "quote", MAX_QUOTE)
    locator = _optional(locator, "locator", 200)

    def verify(source_text: Optional[str]) -> tuple[Optional[str], Optional[dict]]:
        """Refuse a quote not in the source's text; where one that is was found."""
        if not source_text:
            return None, None
        prepared = SourceText(source_text)
        if not prepared.occurs(quote):
            raise not_found(quote, source_id, source_text)
        return prepared.found(quote)

    with store.transaction() as s:
        return rows.add_evidence(s, claim_id, source_id, quote, locator, verify)


def remove_evidence(store: Store, evidence_id: int) -> EvidenceRecord:
    check_integer_id(evidence_id, "an evidence id")
    with store.transaction() as s:
        return rows.remove_evidence(s, evidence_id)
