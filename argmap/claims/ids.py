"""Ids and texts as users type them: validated here, once, for every entry point."""

import re
import unicodedata
from typing import Callable, Optional

from argmap.errors import InvalidInput

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
MAX_TEXT = 20_000
# control characters, and what XML 1.0 forbids (so that GraphML, SVG and DOT stay readable)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_STOPWORDS = {"a", "an", "the", "of", "to", "and", "or", "is", "are", "in", "on", "for", "by", "that", "it"}


def check_id(value: str, what: str = "id") -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise InvalidInput(
            f"invalid {what} {value!r}: use 1-80 letters, digits, '-', '_' or '.', starting with a letter or digit")
    return value


def clean_text(value: str, what: str = "claim text", max_len: int = MAX_TEXT) -> str:
    """Strip a text and refuse empty, control-character or oversized ones."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} is not valid UTF-8 text") from None
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise InvalidInput(f"{what} is empty")
    if len(value) > max_len:
        raise InvalidInput(f"{what} is too long ({len(value):,} characters; at most {max_len:,})")
    if _CONTROL.search(value):
        raise InvalidInput(f"{what} contains control characters")
    return value


def optional_text(value: Optional[str], what: str, max_len: int = 2_000) -> Optional[str]:
    """An optional field (author, locator, note...): None when absent or blank, else clean text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_text(value, what, max_len)


def check_integer_id(value: object, what: str) -> int:
    """A row id given by a user or a file: a whole number the database can hold."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2 ** 63:
        raise InvalidInput(f"{what} must be a whole number from 1 to {2 ** 63 - 1}, not {str(value)[:40]!r}")
    return value


def slugify(text: str, max_words: int = 5, max_len: int = 40) -> str:
    """A short readable id from a text: 'Bigger models learn faster' -> 'bigger-models-learn-faster'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept = [w for w in words if w not in _STOPWORDS] or words
    slug = "-".join(kept[:max_words])[:max_len].strip("-")
    return slug or "claim"


def unique_slug(text: str, taken: Callable[[str], bool]) -> str:
    base = slugify(text)
    candidate, n = base, 2
    while taken(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate
