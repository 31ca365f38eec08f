"""Files in and out, for every command: where an output may go, writing it whole or not at
all, and reading a user's input file with a hard cap.

Writing: ``--out -`` is standard output; anything else must be a regular file or a new
path (a device, a FIFO, a directory or a link to one is refused before any work). The
bytes go to a temporary file with an unpredictable name, created exclusively in the
target's directory (so a planted link is never followed), which is renamed over the
target once complete; on any error or interrupt it is removed.

Reading: only regular files (a FIFO, ``/dev/zero`` or a terminal is refused without
blocking), and never more than the cap, whatever ``st_size`` claims.
"""

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Optional

from argmap.claims.location import COMPANIONS, OPEN_STORES
from argmap.errors import InvalidInput

MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024  # a million-claim map is about 450 MB of JSON
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024      # a source text, a framework file
STDOUT = "-"


def is_stdout(out: Optional[Path]) -> bool:
    return out is not None and str(out) == STDOUT


def check_target(out: Path, what: str = "", kind: str = "text", force: bool = False,
                 also: tuple[Path, ...] = ()) -> Path:
    """Refuse an output path that cannot safely become the file asked for: one that is not
    a regular file or a new name, a store or any SQLite database or companion file (never,
    whatever ``force`` says), or a file that does not look like ``kind`` (what the command
    writes: html, json, xml, png or text) unless ``force``. ``also``: stores about to be
    opened, protected as the open ones are."""
    out = Path(out)
    try:
        st = os.stat(out)  # follows a link: what the name leads to
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InvalidInput(f"{out} is a directory; give a file name{what}")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InvalidInput(f"cannot write {out}: it is not a regular file (a device, a FIFO or a socket); "
                           f"give a file name, or - for standard output")
    if st is None and os.path.lexists(out):
        raise InvalidInput(f"cannot write {out}: it is a link to nothing")
    if not out.parent.exists():
        raise InvalidInput(f"cannot write {out}: directory {out.parent} does not exist")
    guard_stores(out, st, also)
    if st is not None and st.st_size and not force and not looks_like(out, kind):
        raise InvalidInput(f"{out} exists and is not {ARTICLES[kind]} file: give another name, or --force to "
                           f"replace it")
    return out


def guard_stores(out: Path, st: Optional[os.stat_result], also: tuple[Path, ...] = ()) -> None:
    """No output over a store or its journal: compared by identity (device and inode, or
    for a name not there yet, its directory's identity and the name), not by spelling."""
    head = _head(out, 16) if st is not None else b""
    if head.startswith(SQLITE_MAGIC):
        raise InvalidInput(f"{out} is an SQLite database: an output never replaces one (give another name)")
    if head[:4] in WAL_MAGIC or head[:8] == JOURNAL_MAGIC:
        raise InvalidInput(f"{out} is an SQLite journal: an output never replaces one (give another name)")
    here = _place(out)
    for store in [*OPEN_STORES, *also]:
        base = Path(store)
        for companion in ("", *COMPANIONS):
            other = base.with_name(base.name + companion)
            if here is not None and here == _place(other) or st is not None and _same_file(st, other):
                raise InvalidInput(f"{out} is {'the store in use' if not companion else 'a file of the store in use'}"
                                   f" ({base}): give another name for the output")
    name = out.name
    for companion in COMPANIONS:
        if name.endswith(companion) and len(name) > len(companion):
            base = out.with_name(name[:-len(companion)])
            if _head(base, 16).startswith(SQLITE_MAGIC):
                raise InvalidInput(f"{out} is a companion file of the SQLite database {base}: give another name")


SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
ARTICLES = {"html": "an HTML", "json": "a JSON", "xml": "an XML", "png": "a PNG", "text": "a text"}


def looks_like(path: Path, kind: str) -> bool:
    """Could this file have been written by a command that writes ``kind``? (A map may
    replace a map; a file of any other sort is not replaced without --force.)"""
    head = _head(path, 4096)
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the sample
            return False
        text = head[:exc.start].decode("utf-8")
    start = text.lstrip("\ufeff \t\r\n")[:64].lower()
    if kind == "html":
        return start.startswith(("<!doctype html", "<html", "<!--"))
    if kind == "json":
        return start.startswith(("{", "["))
    if kind == "xml":
        return start.startswith(("<?xml", "<svg", "<graphml", "<!--"))
    return True


def _head(path: Path, n: int) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError:
        return b""


def _place(path: Path) -> Optional[tuple[int, int, str]]:
    """Where a name would be: its directory's device and inode, and the name itself."""
    try:
        parent = os.stat(path.parent)
    except OSError:
        return None
    return (parent.st_dev, parent.st_ino, path.name)


def _same_file(st: os.stat_result, other: Path) -> bool:
    try:
        o = os.stat(other)
    except OSError:
        return False
    return (o.st_dev, o.st_ino) == (st.st_dev, st.st_ino)


def write_file(data: bytes, out: Path, kind: str = "text", force: bool = False) -> Path:
    """Write ``data`` to ``out`` whole or not at all; ``-`` writes to standard output."""
    def produce(f: BinaryIO) -> None:
        view = memoryview(data)
        while view:  # in pieces, so that an interrupt or a full disk stops it part-way cleanly
            written = f.write(view[:1 << 20])
            view = view[written:]
    return write_stream(out, produce, kind, force)


def write_stream(out: Path, produce: Callable[[BinaryIO], None], kind: str = "text", force: bool = False) -> Path:
    """Write what ``produce(file)`` writes to ``out``, whole or not at all (a temporary file
    beside it, renamed at the end); ``-`` writes to standard output as it comes. A file
    replaced keeps its mode (and owner, where allowed); a new one follows the umask."""
    if is_stdout(out):
        produce(sys.stdout.buffer)
        sys.stdout.flush()
        return Path(STDOUT)
    out = check_target(out, kind=kind, force=force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name[:60]}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            produce(f)
            f.flush()
            os.fsync(f.fileno())
        guard_stores(out, _stat(out))  # again, at the last moment: a store may have appeared meanwhile
        _take_privacy(tmp, _stat(out))
        os.replace(tmp, out)
    except OSError as exc:
        _remove(tmp)
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    except BaseException:
        _remove(tmp)
        raise
    return out


def _stat(path: Path) -> Optional[os.stat_result]:
    try:
        return os.stat(path)
    except OSError:
        return None


def _take_privacy(tmp: str, old: Optional[os.stat_result]) -> None:
    """The new file gets the mode (and owner) of the one it replaces, or the umask's."""
    if old is None:
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary new file would be
        return
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:  # only root may give a file away: the mode is kept, the owner becomes ours
            pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _open_regular(path: Path, cap: int, what: str) -> tuple[int, int]:
    """A descriptor on a regular file of at most ``cap`` bytes, and its size."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InvalidInput(f"cannot read {path}: it is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInput(f"cannot read {path}: it is not a regular file (a device, a FIFO or a socket)")
        if st.st_size > cap:
            raise InvalidInput(f"{path} is too large to read as a {what} ({st.st_size:,} bytes; at most {cap:,})")
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def open_import(path: Path, cap: int = MAX_IMPORT_BYTES) -> tuple[BinaryIO, int]:
    """A map file to import as a stream (a file too big to hold), past a UTF-8 BOM, and its size."""
    fd, size = _open_regular(Path(path), cap, "map to import")
    f = os.fdopen(fd, "rb", buffering=1 << 20)
    if f.peek(3)[:3] == b"\xef\xbb\xbf":
        f.read(3)
    return f, size


def read_bytes(path: Path, cap: int, what: str = "file") -> bytes:
    """At most ``cap`` bytes of a regular file, refusing anything larger or not a file."""
    path = Path(path)
    fd, _ = _open_regular(path, cap, what)
    try:
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 24, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:
                raise InvalidInput(f"{path} is too large to read as a {what} (more than {cap:,} bytes)")
        return b"".join(chunks)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    finally:
        os.close(fd)


def read_import(path: Path, cap: int = MAX_IMPORT_BYTES) -> str:
    """A map file to import, as text: UTF-8 (a BOM is allowed), no NUL byte."""
    raw = read_bytes(path, cap, "map to import")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: byte {exc.start}: expected UTF-8 text") from None
    if "\x00" in text:
        raise InvalidInput(f"{path}: expected text, found a NUL byte")
    return text


def read_text_file(path: Path, cap: int = MAX_TEXT_FILE_BYTES) -> str:
    """A source text or a framework file, as UTF-8 text."""
    raw = read_bytes(path, cap, "text file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text") from None
