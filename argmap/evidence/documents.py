"""The text of a real document, for a source: plain text, Markdown, HTML (the main text, the
page's navigation, scripts and boilerplate left out, with selectolax) or PDF (pypdf), with
its title and date where the file says, and the original's SHA-256.

Bounded before any library sees the file: its size, a PDF's pages, the text kept, and the
time spent reading a PDF's pages. An
encrypted PDF, or one with no text layer (scanned pages), is refused with one clear line.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from argmap.errors import InvalidInput

MAX_FILE = 50_000_000     # bytes of the original
MAX_PAGES = 2_000         # pages of a PDF
MAX_TEXT = 5_000_000      # characters of the text kept (evidence.sources.MAX_SOURCE_TEXT)
MAX_SECONDS = 60.0        # reading a PDF's text, checked after each page
DROPPED = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
           "button", "menu")
BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dt", "dd", "figcaption", "td", "th")


@dataclass(frozen=True)
class Document:
    text: str
    kind: str                    # "text", "markdown", "html" or "pdf"
    sha256: str
    title: Optional[str] = None
    date: Optional[str] = None


def read_document(path: Path) -> Document:
    """The document at ``path``: its kind from its first bytes (then its name)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InvalidInput(f"{path} is not a file")
        if size > MAX_FILE:
            raise InvalidInput(f"{path} is {size:,} bytes: a source file may have up to {MAX_FILE:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    head = data[:1024].lstrip().lower()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-"):
        doc = _pdf(path, data)
    elif suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        doc = _html(path, _decode(path, data))
    else:
        doc = Document(_decode(path, data), "markdown" if suffix in (".md", ".markdown") else "text", "")
    text = doc.text.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(f"{path} holds no text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{path} holds {len(text):,} characters of text: a source may have up to {MAX_TEXT:,}")
    return Document(text, doc.kind, digest, doc.title, doc.date)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not UTF-8 text (byte {exc.start}); a PDF or HTML file is read as such") from None


def _html(path: Path, markup: str) -> Document:
    from selectolax.lexbor import LexborHTMLParser
    tree = LexborHTMLParser(markup)
    title = _meta(tree, ("og:title", "twitter:title")) or (tree.css_first("title").text(strip=True)
                                                          if tree.css_first("title") else None)
    date = _meta(tree, ("article:published_time", "date", "dc.date", "dcterms.date", "citation_date",
                        "citation_publication_date"))
    if date is None and tree.css_first("time[datetime]") is not None:
        date = tree.css_first("time[datetime]").attributes.get("datetime")
    tree.strip_tags(list(DROPPED))
    main = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if main is None:
        return Document("", "html", "", title, date)
    blocks = [" ".join(node.text(separator=" ").split()) for node in main.css(",".join(BLOCKS))
              if not any(parent.tag in BLOCKS for parent in _parents(node, main))]
    blocks = [b for b in blocks if b]
    text = "\n\n".join(blocks) if blocks else "\n\n".join(
        p.strip() for p in re.split(r"\n\s*\n", main.text(separator="\n")) if p.strip())
    return Document(text, "html", "", _short(title), _short(date))


def _parents(node, stop) -> list:
    out, cur = [], node.parent
    while cur is not None and cur is not stop:
        out.append(cur)
        cur = cur.parent
    return out


def _meta(tree, names: tuple[str, ...]) -> Optional[str]:
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").lower()
        if key in names and (node.attributes.get("content") or "").strip():
            return node.attributes["content"].strip()
    return None


def _short(value: Optional[str], limit: int = 1_000) -> Optional[str]:
    value = " ".join(value.split()) if value else None
    return value[:limit] if value else None


def _pdf(path: Path, data: bytes) -> Document:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInput(f"{path} is an encrypted PDF: decrypt it first (argmap reads no passwords)")
        pages = len(reader.pages)
        if pages > MAX_PAGES:
            raise InvalidInput(f"{path} has {pages:,} pages: a source PDF may have up to {MAX_PAGES:,}")
        texts, total = [], 0
        deadline = time.monotonic() + MAX_SECONDS
        for n, page in enumerate(reader.pages, start=1):
            if n > 1 and time.monotonic() > deadline:
                raise InvalidInput(f"{path}: reading its text took more than {MAX_SECONDS:g} s (stopped at page {n} "
                                   f"of {pages:,}); split the PDF or save its text as a file")
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_TEXT:
                raise InvalidInput(f"{path} holds more than {MAX_TEXT:,} characters of text")
            texts.append(text.strip())
        meta = reader.metadata or {}
        title = meta.get("/Title")
        raw_date = str(meta.get("/CreationDate") or "")
    except InvalidInput:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise InvalidInput(f"{path} is not a PDF argmap can read ({type(exc).__name__})") from None
    text = "\n\n".join(t for t in texts if t)
    if not text.strip():
        raise InvalidInput(f"{path} has no text layer (an image-only or scanned PDF): run OCR on it first")
    found = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", raw_date)
    date = "-".join(g for g in found.groups() if g) if found else None
    return Document(text, "pdf", "", _short(str(title)) if title else None, date)
