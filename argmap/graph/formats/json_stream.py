"""A JSON file too big to hold, read a top-level key at a time (ijson, its C parser): each
array's items are built as they are reached, so memory follows one item, not the file."""

from itertools import chain, takewhile
from operator import itemgetter
from typing import Any, BinaryIO, Iterator

from argmap.graph.formats.document import FormatError

LIST = object()  # marks a key whose value is an array: its items follow as an iterator


def top_level(f: BinaryIO, name: str) -> Iterator[tuple[str, Any, Any]]:
    """(key, kind, value) for each key of the top-level object, in the file's order: kind is
    ``LIST`` with an iterator of the array's items (consume it before the next key), ``dict``
    for an object (skipped: not built), else the scalar itself. The whole file is parsed by
    the time this ends, so a syntax error anywhere raises."""
    import ijson
    events = ijson.parse(f, use_float=True)
    in_prefix = itemgetter(0)  # "" only for the top level's own events
    try:
        first = next(events, None)
        if first is None or first[1] != "start_map":
            raise FormatError(name, "top level", "an object")
        pending = None  # the first event of a value whose key the previous array or object swallowed
        while True:
            if pending is None:
                _, event, key = next(events)
                if event == "end_map":
                    break
                head = next(events)
            else:
                head, pending, key = pending, None, pending[0]
            if key == "":
                raise FormatError(name, "top level", "keys that are not empty")
            kind = head[1]
            if kind in ("start_array", "start_map"):
                body = takewhile(in_prefix, chain((head,), events))  # stops on (and eats) the next top-level event
                if kind == "start_array":
                    items = _reported(ijson.items(body, key + ".item"), name)
                    yield key, LIST, items
                    for _ in items:  # what the consumer left
                        pass
                else:
                    yield key, dict, None
                    for _ in body:
                        pass
                pending = next(events, None)  # the eaten event was a key (its value comes now) or the end
                if pending is None:
                    break
            else:
                yield key, kind, head[2]
        for _ in events:  # nothing may follow the object
            pass
    except Exception as exc:
        raise _parse_error(exc, name) from None


def _reported(items: Iterator[Any], name: str) -> Iterator[Any]:
    """An array's items, a parse error inside them said as one line naming the file."""
    try:
        yield from items
    except Exception as exc:
        raise _parse_error(exc, name) from None


def _parse_error(exc: Exception, name: str) -> Exception:
    import ijson
    if isinstance(exc, ijson.JSONError):
        text = exc.args[0] if exc.args else exc
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return FormatError(name, "JSON", f"valid JSON ({text.strip().splitlines()[0][:200]})")
    if isinstance(exc, UnicodeDecodeError):
        return FormatError(name, "JSON", "UTF-8 text")
    return exc
