"""A small RDF graph and its two spellings, Turtle and JSON-LD, for the provenance formats
(``prov``, ``claimreview``). Writing needs no RDF library: terms are escaped here for each
syntax (IRIs are argmap's own, built from ids percent-encoded; every user text is a literal),
and the tests read both spellings back with rdflib and compare the triples.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional, Union
from urllib.parse import quote

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "argmap": "urn:argmap:vocab:",  # argmap's own terms (a claim's text, kind, status label...)
}
BASE = "urn:argmap:"


@dataclass(frozen=True)
class IRI:
    value: str


@dataclass(frozen=True)
class BNode:
    label: str


@dataclass(frozen=True)
class Literal:
    value: str
    datatype: Optional[str] = None  # a prefixed name: xsd:dateTime, xsd:decimal, xsd:anyURI


Term = Union[IRI, BNode, Literal]


def term(name: str) -> IRI:
    """A vocabulary term from its prefixed name (``prov:Entity``)."""
    prefix, _, local = name.partition(":")
    return IRI(PREFIXES[prefix] + local)


def node(kind: str, key: Any) -> IRI:
    """argmap's IRI for one of its things: ``urn:argmap:claim:<id>``, ``urn:argmap:agent:<name>``..."""
    return IRI(f"{BASE}{kind}:{quote(str(key), safe='-._~')}")


@dataclass
class Graph:
    """Subjects in the order they were first described, each with its (predicate, object)
    pairs in order: the same map gives the same bytes."""
    subjects: dict[Term, list[tuple[str, Term]]] = field(default_factory=dict)
    _blank: int = 0

    def add(self, subject: Term, predicate: str, obj: Union[Term, str, None]) -> None:
        """A triple; a plain ``str`` object is a string literal, None adds nothing."""
        if obj is None:
            return
        pairs = self.subjects.setdefault(subject, [])
        term = Literal(obj) if isinstance(obj, str) else obj
        if (predicate, term) not in pairs:
            pairs.append((predicate, term))

    def blank(self) -> BNode:
        self._blank += 1
        return BNode(f"b{self._blank}")

    def triples(self) -> int:
        return sum(len(p) for p in self.subjects.values())


_TURTLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_TURTLE_SPECIAL = re.compile(r'[\\"\x00-\x1f\x7f]')
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _turtle_string(text: str) -> str:
    return '"' + _TURTLE_SPECIAL.sub(lambda m: _TURTLE_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


def _turtle_term(t: Term) -> str:
    if isinstance(t, IRI):
        return "<" + _IRI_UNSAFE.sub(lambda m: quote(m.group(), safe=""), t.value) + ">"
    if isinstance(t, BNode):
        return f"_:{t.label}"
    return _turtle_string(t.value) + (f"^^{t.datatype}" if t.datatype else "")


def turtle(g: Graph, comment: str = "") -> str:
    """The graph in Turtle: prefixes, then each subject with its predicates."""
    out = [f"# {' '.join(line.split())}" for line in comment.splitlines() if line.strip()]
    out += [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items()] + [""]
    for subject, pairs in g.subjects.items():
        lines = [f"    {'a' if p == 'rdf:type' else p} {_turtle_term(o)}" for p, o in pairs]
        out.append(_turtle_term(subject) + "\n" + " ;\n".join(lines) + " .\n")
    return "\n".join(out)


def _json_term(t: Term) -> Any:
    if isinstance(t, IRI):
        return {"@id": t.value}
    if isinstance(t, BNode):
        return {"@id": f"_:{t.label}"}
    return {"@value": t.value, "@type": t.datatype} if t.datatype else t.value


def jsonld(g: Graph) -> str:
    """The graph in JSON-LD (flattened: one object per subject under ``@graph``), its context
    inline so that no reader has to fetch one."""
    items = []
    for subject, pairs in g.subjects.items():
        item: dict[str, Any] = {"@id": _json_term(subject)["@id"]}
        for p, o in pairs:
            if p == "rdf:type" and isinstance(o, IRI):
                item.setdefault("@type", []).append(o.value)
            else:
                item.setdefault(p, []).append(_json_term(o))
        items.append(item)
    return json.dumps({"@context": dict(PREFIXES), "@graph": items}, indent=1, ensure_ascii=False) + "\n"
