"""The neutral form every importer produces and the loader validates and writes: a\n``MapDocument``, plain lists of dicts as a file gave them, and what importers share."""

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional

from argmap.claims.ids import ID_RE, slugify
from argmap.errors import InvalidInput


class FormatError(InvalidInput):
    """Shown when an imported file is malformed: names the file, the place and what was expected."""

    def __init__(self, name: str, where: str, expected: str):
        super().__init__(f"{name}: {where}: expected {expected}")
        self.name, self.where, self.expected = name, where, expected


def load_json(text: str, name: str) -> Any:
    """Parse JSON for an importer: a syntax error names the line, absurd nesting is refused."""
    import json
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(name, f"line {exc.lineno}", f"valid JSON ({exc.msg})") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise FormatError(name, "a number", f"JSON numbers of a sensible size ({str(exc)[:80]})") from None
    except RecursionError:
        raise FormatError(name, "top level", "JSON nested less deeply") from None


SECTIONS = ("claims", "relations", "sources", "evidence", "computations", "judgements", "schemes", "questions",
            "resolutions", "groups")  # the order the loader reads them in


@dataclass
class MapDocument:
    claims: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    computations: list[dict[str, Any]] = field(default_factory=list)
    judgements: list[dict[str, Any]] = field(default_factory=list)
    schemes: list[dict[str, Any]] = field(default_factory=list)  # {"claim", "scheme"}: what an argument follows
    questions: list[dict[str, Any]] = field(default_factory=list)  # {"argument", "question", "claim"}: answers
    resolutions: list[dict[str, Any]] = field(default_factory=list)  # {"claim", "resolves_by", "criteria", "outcome", "source"}
    groups: list[dict[str, Any]] = field(default_factory=list)  # {"id", "title", "parent", "claims"}: named parts
    # {"preferred", "over", "scheme"}: AIF's PA nodes, which argmap reports and does not keep
    preferences: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    name: str = "<document>"

    def section(self, key: str) -> Iterable[dict[str, Any]]:
        """A section's items, read once, in the order the loader asks for them (``SECTIONS``)."""
        return getattr(self, key)

    def finish(self) -> None:
        """Called when the loader has read what it needs: the rest of the file is checked."""

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str) -> "MapDocument":
        doc = cls(name=name)
        for key in SECTIONS:
            value = data.get(key, [])
            if not isinstance(value, list):
                raise FormatError(name, f'"{key}"', "a list")
            for n, item in enumerate(value):
                if not isinstance(item, dict):
                    raise FormatError(name, f'"{key}"[{n}]', "an object")
            setattr(doc, key, value)
        return doc


class StreamedDocument(MapDocument):
    """A document read as it is imported (a file too big to hold): ``sections`` gives each
    top-level section in the file's order as (key, items); a section that comes before the
    loader wants it (sources before claims, say) is held whole until then."""

    def __init__(self, name: str, sections: Iterator[tuple[str, Optional[Iterator[Any]]]]):
        super().__init__(name=name)
        self._sections = sections
        self._held: dict[str, list] = {}
        self._seen: set[str] = set()

    def _next(self) -> Optional[tuple[str, Optional[Iterator[Any]]]]:
        for key, items in self._sections:
            if key not in SECTIONS:
                continue
            if key in self._seen:
                raise FormatError(self.name, f'"{key}"', "each section once (it appears twice)")
            self._seen.add(key)
            if items is None:
                raise FormatError(self.name, f'"{key}"', "a list")
            return key, items
        return None

    def section(self, key: str) -> Iterable[dict[str, Any]]:
        if key in self._held:
            return self._objects(key, iter(self._held.pop(key)))
        while (found := self._next()) is not None:
            if found[0] == key:
                return self._objects(key, found[1])
            self._held[found[0]] = list(found[1])
        return ()

    def _objects(self, key: str, items: Iterator[Any]) -> Iterator[dict[str, Any]]:
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise FormatError(self.name, f'"{key}"[{n}]', "an object")
            yield item

    def finish(self) -> None:
        while (found := self._next()) is not None:
            for _ in self._objects(*found):
                pass


MAX_DEPTH = 200


class Ids:
    """Turn outside names (titles, node ids, numbers) into unique argmap ids."""

    def __init__(self) -> None:
        self.by_name: dict[Any, str] = {}
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}  # the next number to try after a base: linear, however many collide

    def get(self, name: str, key: Any = None) -> str:
        """The id for ``name`` (derived from it); ``key`` tells apart things of one name."""
        key = name if key is None else key
        if key in self.by_name:
            return self.by_name[key]
        base = name if ID_RE.match(name) else slugify(name, max_words=6, max_len=60)
        candidate = base
        if candidate in self.taken:
            n = self.next.get(base, 2)
            while f"{base}-{n}" in self.taken:
                n += 1
            candidate, self.next[base] = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        self.by_name[key] = candidate
        return candidate


def infer_kinds(doc: MapDocument, explicit: set[str]) -> None:
    """Claims without a stated kind: attackers become objections, attackers of objections rebuttals."""
    kinds = {c["id"]: c.get("kind") or "claim" for c in doc.claims}
    attacked: dict[str, list[str]] = {}
    for r in doc.relations:
        if r["type"] == "attacks":
            attacked.setdefault(r["source"], []).append(r["target"])
    for c in doc.claims:
        if c["id"] in explicit or c["id"] not in attacked:
            continue
        targets = attacked[c["id"]]
        c["kind"] = "rebuttal" if targets and all(kinds.get(t) == "objection" for t in targets) else "objection"
        kinds[c["id"]] = c["kind"]


def add_relation(doc: MapDocument, seen: set, source: str, target: str, rtype: str) -> None:
    if source == target or (source, target) in seen:
        doc.skipped["self or repeated relations"] = doc.skipped.get("self or repeated relations", 0) + 1
        return
    seen.add((source, target))
    doc.relations.append({"source": source, "target": target, "type": rtype})


MAX_YAML = 1_000_000  # characters of front matter or inline data


def load_yaml(text: str, name: str, where: str, what: str = "YAML") -> Any:
    """YAML as Argdown carries it, safely: no aliases (a few lines of them can expand to
    gigabytes), bounded size and depth."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases (*name) are not allowed")
            return super().compose_node(parent, index)

    if len(text) > MAX_YAML:
        raise FormatError(name, where, f"{what} of at most {MAX_YAML:,} characters")
    try:
        return yaml.load(text, Loader=NoAliases)  # noqa: S506  (a SafeLoader)
    except RecursionError:
        raise FormatError(name, where, f"{what} nested less deeply") from None
    except yaml.YAMLError as exc:
        raise FormatError(name, where, f"{what} ({str(exc).splitlines()[0]})") from None
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. a timestamp or number YAML cannot build
        raise FormatError(name, where, f"{what} with values it can read ({str(exc)[:80]})") from None
