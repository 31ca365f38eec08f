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

from argmap.errors import InvalidInput

MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024  # a million-claim map is about 450 MB of JSON
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024      # a source text, a framework file
STDOUT = "-"


def is_stdout(out: Optional[Path]) -> bool:
    return out is not None and str(out) == STDOUT


def check_target(out: Path, what: str = "") -> Path:
    """Refuse an output path that cannot safely become the file asked for."""
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
    return out


def write_file(data: bytes, out: Path) -> Path:
    """Write ``data`` to ``out`` whole or not at all; ``-`` writes to standard output."""
    def produce(f: BinaryIO) -> None:
        view = memoryview(data)
        while view:  # in pieces, so that an interrupt or a full disk stops it part-way cleanly
            written = f.write(view[:1 << 20])
            view = view[written:]
    return write_stream(out, produce)


def write_stream(out: Path, produce: Callable[[BinaryIO], None]) -> Path:
    """Write what ``produce(file)`` writes to ``out``, whole or not at all (a temporary file
    beside it, renamed at the end); ``-`` writes to standard output as it comes."""
    if is_stdout(out):
        produce(sys.stdout.buffer)
        sys.stdout.flush()
        return Path(STDOUT)
    out = check_target(out)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name[:60]}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            produce(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary new file would be
        os.replace(tmp, out)
    except OSError as exc:
        _remove(tmp)
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from None
    except BaseException:
        _remove(tmp)
        raise
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def read_bytes(path: Path, cap: int, what: str = "file") -> bytes:
    """At most ``cap`` bytes of a regular file, refusing anything larger or not a file."""
    path = Path(path)
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
