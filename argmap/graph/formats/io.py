"""Export a store to a file and import a file into a store: what the CLI calls."""

from pathlib import Path
from typing import Optional

from argmap.claims.store import Store
from argmap.errors import InvalidInput
from argmap.graph.formats.exports import FORMATS, export
from argmap.graph.formats.imports import parse_document
from argmap.graph.formats.load import ImportReport, import_document
from argmap.graph.formats.view import map_view

MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024  # a million-claim map is about 450 MB of JSON
IMPORT_FORMATS = ("json", "aif", "argdown", "kialo")


def export_store(store: Store, fmt: str, focus: Optional[str] = None, depth: int = 2,
                 title: str = "argmap") -> bytes:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return export(map_view(store, focus, depth, title), fmt)


def write_output(data: bytes, out: Path) -> Path:
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a directory; give a file name")
    if not out.parent.exists():
        raise InvalidInput(f"cannot write {out}: directory {out.parent} does not exist")
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    return out


def read_import(path: Path) -> str:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise InvalidInput(f"{path} is too large to import ({size:,} bytes; at most {MAX_IMPORT_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: byte {exc.start}: expected UTF-8 text") from None
    if "\x00" in text:
        raise InvalidInput(f"{path}: expected text, found a NUL byte")
    return text


def import_path(store: Store, path: Path, fmt: Optional[str] = None, prefix: Optional[str] = None) -> ImportReport:
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise InvalidInput(f"unknown import format {fmt!r}: use one of {', '.join(IMPORT_FORMATS)}")
    if prefix is not None:
        from argmap.claims.ids import check_id
        check_id(prefix + "x", "prefix")
    text = read_import(path)
    doc = parse_document(text, fmt, str(path))
    return import_document(store, doc, prefix=prefix)
