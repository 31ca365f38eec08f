"""Abstract frameworks in the ICCMA competition formats, in and out.

- ``iccma23``: a header ``p af N``, then one attack ``a b`` per line (arguments 1..N);
  lines starting with ``#`` are comments.
- ``apx``: ``arg(a).`` and ``att(a,b).`` facts.
- ``tgf``: argument names one per line, a line ``#``, then attacks ``a b``.

Extensions are written as ICCMA'23 witnesses, one line ``w a b c`` per extension, or
``NO`` when there is none.
"""

import re
from typing import Optional, Sequence

from argmap.claims.argument_map import Framework
from argmap.graph.formats import guess, names
from argmap.graph.formats.document import FormatError

FORMATS = names("framework")
MAX_ARGUMENTS = 10_000_000  # p af N makes N arguments, listed or not
_TGF_SEPARATOR = re.compile(r"^[ \t]*#[ \t]*$", re.M)
_DIGITS = re.compile(r"[0-9]+")
_HEADER = re.compile(r"^[ \t]*p[ \t]+af[ \t]+([0-9]+)[ \t]*\r?$", re.M)
_APX_ARG = re.compile(r"^arg\(\s*([A-Za-z0-9_.\-]+|\"[^\"]*\")\s*\)\s*\.$")
_APX_ATT = re.compile(r"^att\(\s*([A-Za-z0-9_.\-]+|\"[^\"]*\")\s*,\s*([A-Za-z0-9_.\-]+|\"[^\"]*\")\s*\)\s*\.$")

Parsed = tuple[list[str], list[tuple[str, str]]]


def guess_format(text: str, name: str = "<af>") -> str:
    """Only on unambiguous evidence: a ``p af`` header, ``arg(``/``att(`` facts, or TGF's
    lone ``#`` separator; anything else is refused rather than answered wrongly."""
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or (s.startswith("#") and not s == "#"):
            continue
        found = guess(s, "framework")
        if found == "tgf" and not _TGF_SEPARATOR.search(text):
            raise FormatError(name, f"line {lineno}", "a 'p af N' header (ICCMA'23), arg(..)/att(..) facts (APX) "
                                                      "or a '#' line between arguments and attacks (TGF); "
                                                      "or name the format with --format")
        return found
    return "iccma23"  # nothing but comments: asking for the header says what is missing


_POWERS_OF_TEN = [10 ** k for k in range(10)]
_COMMENT_LINE = re.compile(r"^[ \t]*#[^\n]*$", re.M)
_PAIR_LINE = r"[ \t]*+(?:[0-9]++[ \t]++[0-9]++[ \t]*+)?+"  # blank, or two numbers; possessive: no backtracking
_PAIR_LINES = re.compile(rf"(?:{_PAIR_LINE}(?:\r\n|\n|\r))*+{_PAIR_LINE}")  # line breaks as str.splitlines


def numeric_iccma23(text: str) -> Optional[Framework]:
    """An ICCMA'23 file read as numbers in bulk (numpy, no Python object per attack); None
    when anything is off, so that ``parse`` can say where, line by line."""
    import numpy as np
    header = _HEADER.search(text)
    if header is None or _COMMENT_LINE.sub("", text[:header.start()]).strip():
        return None
    n = int(header.group(1))
    if len(header.group(1)) > 9 or n > MAX_ARGUMENTS:
        return None
    body = text[header.end():]
    if "#" in body:
        body = _COMMENT_LINE.sub("", body)
    if not _PAIR_LINES.fullmatch(body):
        return None
    body = body.strip()
    values = np.fromstring(body, dtype=np.int64, sep=" ") if body else np.zeros(0, dtype=np.int64)
    if values.size % 2 or (values.size and (values.min() < 1 or values.max() > n)):
        return None
    written = len(body) - sum(body.count(c) for c in " \t\r\n")
    if written != int(np.searchsorted(_POWERS_OF_TEN, values, side="right").sum()):
        return None  # leading zeros: the line reader decides (it bounds a number's digits)
    pairs = values.reshape(-1, 2) - 1
    return Framework(n, pairs[:, 0].copy(), pairs[:, 1].copy())


def parse(text: str, fmt: Optional[str] = None, name: str = "<af>") -> Parsed:
    fmt = fmt or guess_format(text, name)
    if fmt not in FORMATS:
        raise FormatError(name, "--format", f"one of {', '.join(FORMATS)}")
    return {"iccma23": parse_iccma23, "apx": parse_apx, "tgf": parse_tgf}[fmt](text, name)


def parse_iccma23(text: str, name: str) -> Parsed:
    n: Optional[int] = None
    attacks: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.split("#", 1)[0].strip()
        if not s:
            continue
        parts = s.split()
        if n is None:
            if len(parts) != 3 or parts[:2] != ["p", "af"] or not _DIGITS.fullmatch(parts[2]):
                raise FormatError(name, f"line {lineno}", "the header 'p af N'")
            if len(parts[2]) > 9 or int(parts[2]) > MAX_ARGUMENTS:
                raise FormatError(name, f"line {lineno}", f"at most {MAX_ARGUMENTS:,} arguments")
            n = int(parts[2])
            continue
        if len(parts) != 2 or not all(_DIGITS.fullmatch(p) and len(p) < 10 for p in parts):
            raise FormatError(name, f"line {lineno}", "an attack 'a b' of two argument numbers")
        a, b = int(parts[0]), int(parts[1])
        if not (1 <= a <= n and 1 <= b <= n):
            raise FormatError(name, f"line {lineno}", f"argument numbers between 1 and {n}")
        attacks.append((str(a), str(b)))
    if n is None:
        raise FormatError(name, "line 1", "the header 'p af N'")
    return [str(i) for i in range(1, n + 1)], attacks


def _unquote(token: str) -> str:
    return token[1:-1] if token.startswith('"') else token


def parse_apx(text: str, name: str) -> Parsed:
    args: list[str] = []
    seen: set[str] = set()
    attacks: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.split("%", 1)[0].strip()
        if not s:
            continue
        for stmt in re.findall(r"[^.]+\.|[^.]+$", s):
            stmt = stmt.strip()
            if m := _APX_ARG.match(stmt):
                a = _unquote(m.group(1))
                if a not in seen:
                    seen.add(a)
                    args.append(a)
            elif m := _APX_ATT.match(stmt):
                attacks.append((_unquote(m.group(1)), _unquote(m.group(2))))
            else:
                raise FormatError(name, f"line {lineno}", "arg(a). or att(a,b).")
    for a, b in attacks:
        for x in (a, b):
            if x not in seen:
                raise FormatError(name, f"att({a},{b})", f"arg({x}). declared")
    return args, attacks


def parse_tgf(text: str, name: str) -> Parsed:
    args: list[str] = []
    seen: set[str] = set()
    attacks: list[tuple[str, str]] = []
    in_edges = False
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            continue
        if s == "#":
            if in_edges:
                raise FormatError(name, f"line {lineno}", "a single '#' separator")
            in_edges = True
            continue
        parts = s.split()
        if not in_edges:
            if parts[0] not in seen:
                seen.add(parts[0])
                args.append(parts[0])
        else:
            if len(parts) < 2:
                raise FormatError(name, f"line {lineno}", "an attack 'a b'")
            for x in parts[:2]:
                if x not in seen:
                    raise FormatError(name, f"line {lineno}", f"a declared argument (no {x!r})")
            attacks.append((parts[0], parts[1]))
    return args, attacks


def write(args: Sequence[str], attacks: Sequence[tuple[str, str]], fmt: str) -> str:
    if fmt == "iccma23":
        index = {a: i for i, a in enumerate(args, 1)}
        lines = [f"p af {len(args)}"] + [f"# {i} {a}" for a, i in index.items() if a != str(i)]
        lines += [f"{index[a]} {index[b]}" for a, b in attacks]
        return "\n".join(lines) + "\n"
    if fmt == "apx":
        def q(x: str) -> str:
            return x if re.fullmatch(r"[a-z][A-Za-z0-9_]*|[0-9]+", x) else '"' + x.replace('"', "") + '"'
        return "".join(f"arg({q(a)}).\n" for a in args) + "".join(f"att({q(a)},{q(b)}).\n" for a, b in attacks)
    if fmt == "tgf":
        return "".join(f"{a}\n" for a in args) + "#\n" + "".join(f"{a} {b}\n" for a, b in attacks)
    raise FormatError("<output>", "--format", f"one of {', '.join(FORMATS)}")


def witness_lines(extensions: Sequence[Sequence[str]]) -> str:
    if not extensions:
        return "NO\n"
    return "".join(("w " + " ".join(ext)).rstrip() + "\n" for ext in extensions)
