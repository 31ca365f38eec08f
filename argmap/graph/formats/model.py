"""The neutral form every importer produces and the loader writes: plain lists of dicts."""

from dataclasses import dataclass, field
from typing import Any

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
    except RecursionError:
        raise FormatError(name, "top level", "JSON nested less deeply") from None


@dataclass
class MapDocument:
    claims: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    computations: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    name: str = "<document>"

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str) -> "MapDocument":
        doc = cls(name=name)
        for key in ("claims", "relations", "sources", "evidence", "computations"):
            value = data.get(key, [])
            if not isinstance(value, list):
                raise FormatError(name, f'"{key}"', "a list")
            for n, item in enumerate(value):
                if not isinstance(item, dict):
                    raise FormatError(name, f'"{key}"[{n}]', "an object")
            setattr(doc, key, value)
        return doc
