"""Files in and out: export a store to a file, import a file into a store, through the
registry of formats (``argmap.graph.formats``)."""

from pathlib import Path
from typing import Optional

from argmap.claims.ids import clean_text
from argmap.claims.store import Store
from argmap.errors import InvalidInput
from argmap.graph import formats
from argmap.graph.files import open_import, read_import
from argmap.graph.formats.load import ImportReport, import_document

MAX_TITLE = 1_000


def export_store(store: Store, fmt: str, focus: Optional[str] = None, depth: int = 2,
                 title: str = "argmap", who: Optional[str] = None, at: Optional[str] = None) -> bytes:
    """The map, or ``focus``'s part of it, in ``fmt``; what stands is decided on the whole map.
    With ``who``, each claim's label is that perspective's (``status --as``); ``at``: the
    point of the history the store is seen at (the provenance formats' changes end there)."""
    from argmap.graph.maps import read_view
    writer = formats.get(fmt, "export")
    title = clean_text(title, "title", MAX_TITLE)
    if who is not None:
        if not writer.labels:
            shown = ", ".join(f.name for f in formats.FORMATS if f.labels)
            raise InvalidInput(f"{fmt} does not show what stands, so --as has nothing to change: use {shown}")
    amap, status = read_view(store, focus, depth, strength=False, texts=True)
    if who is not None:
        from argmap.graph.perspectives import view_labels, view_of
        whole = amap if focus is None else read_view(store, None, strength=False)[0]  # a view is the whole map's
        people, cred = view_of(whole, who)
        labels = view_labels(whole, cred)
        del whole
        status = {c: {**row, "label": labels.get(c, row.get("label"))} for c, row in status.items()}
        title = clean_text(f"{title} (as {', '.join(people)} judge it: credence >= 0.5 accepts, < 0.5 rejects)",
                           "title", MAX_TITLE + 1_000)
    changes = store.history(upto=at, rows=True) if writer.history else ()
    return writer.write(amap, title, status, changes)


def streams(fmt: str, focus: Optional[str], who: Optional[str] = None) -> bool:
    """Does this export go straight from the database to the file (a whole map as written,
    a format that can)?"""
    return focus is None and who is None and formats.get(fmt, "export").streams is not None


def stream_store(store: Store, fmt: str, out: Path, title: str = "argmap", force: bool = False) -> Path:
    """Export the whole store in ``fmt`` as it is read, in one transaction: memory stays small
    whatever the store's size (``-`` writes to standard output)."""
    from argmap.claims.store import sql
    from argmap.graph.files import write_stream
    writer = formats.get(fmt, "export")
    title = clean_text(title, "title", MAX_TITLE)  # refused as for any export, though JSON does not carry it

    def produce(f):
        with store.transaction() as s:
            writer.stream(sql(s, store.where), f, title)
    return write_stream(out, produce, writer.looks, force)


def parse_document(text: str, fmt: Optional[str], name: str):
    """A file's text as a MapDocument, in ``fmt`` or the format its start shows."""
    return _reader(fmt, text).read(text, name)


def _reader(fmt: Optional[str], head: str) -> formats.Format:
    """The format to import with: ``fmt``, or the one a file's start (``head``) shows."""
    return formats.get(fmt or formats.guess(head.lstrip()[:4000]), "import")


STREAM_FROM = 64 * 1024 * 1024  # bytes: a bigger file, in a format that can, is parsed as it is imported


def import_path(store: Store, path: Path, fmt: Optional[str] = None, prefix: Optional[str] = None,
                stream_from: Optional[int] = None) -> ImportReport:
    """Import a map file, all or nothing; one of ``stream_from`` bytes or more is read as it
    is written (memory follows a batch of rows, not the file) when its format can."""
    if fmt is not None:
        formats.get(fmt, "import")
    if prefix is not None:
        from argmap.claims.ids import check_id
        check_id(prefix + "x", "prefix")
    f, size = open_import(path)
    with f:
        if size >= (STREAM_FROM if stream_from is None else stream_from):
            reader = _reader(fmt, f.peek(4000)[:4000].decode("utf-8", "ignore"))
            if reader.reads_stream is not None:
                return import_document(store, reader.read_stream(f, str(path)), prefix=prefix)
    text = read_import(path)
    doc = parse_document(text, fmt, str(path))
    return import_document(store, doc, prefix=prefix)
