"""Files in and out, for every command: where an output may go, writing it whole or not at
all, and reading a user's input file as text."""

from pathlib import Path

from argmap.errors import InvalidInput

MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024  # a million-claim map is about 450 MB of JSON


def check_target(out: Path, what: str = "") -> Path:
    """Refuse an output path that cannot become the file asked for."""
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a directory; give a file name{what}")
    if not out.parent.exists():
        raise InvalidInput(f"cannot write {out}: directory {out.parent} does not exist")
    return out


def write_file(data: bytes, out: Path) -> Path:
    """Write ``data`` to ``out`` whole or not at all (a temporary file renamed over it)."""
    out = check_target(out)
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


def read_text_file(path: Path) -> str:
    """A source text or a framework file, as UTF-8 text."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
