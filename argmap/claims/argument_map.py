"""The one shape of a map: ``ArgumentMap``, read from the store in one transaction, and the
views derived from it (a networkx graph, the integer arrays the semantics use, a focus).

A computation whose check fails attacks its claim as an argument of its own, ``calc:ID``:
that rule is ``check_attacks`` below and nowhere else, so the networkx view, the arrays of a
small map and the arrays read straight from a million-claim store all see the same attacks.
numpy and networkx are imported by the views that need them, not by this module.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Iterator, Optional, Sequence

from argmap.claims.records import (AnswerRecord, ClaimRecord, ComputationRecord, EvidenceRecord, JudgementRecord,
                                   RelationRecord, ResolutionRecord, SourceRecord, GroupRecord)

CALC_PREFIX = "calc:"
FAILING_SQL = """SELECT id, claim_id FROM computation WHERE "check" = 'fails' ORDER BY id"""  # what check_attacks takes


def check_attacks(failing: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(argument, claim) for each (computation id, claim id) whose check fails: the
    computation attacks the claim whose numbers it checks."""
    return [(CALC_PREFIX + comp_id, claim_id) for comp_id, claim_id in failing]


@dataclass
class Framework:
    """A Dung framework as arrays: arguments 0..n-1, attacks src[i] -> dst[i]."""

    n: int
    src: Any
    dst: Any

    @classmethod
    def from_names(cls, names: Sequence[str], attacks: Iterable[tuple[str, str]]) -> tuple["Framework", dict[str, int]]:
        import numpy as np
        index = {name: i for i, name in enumerate(names)}
        pairs = np.array([(index[a], index[b]) for a, b in attacks], dtype=np.int64).reshape(-1, 2)
        return cls(len(names), pairs[:, 0].copy(), pairs[:, 1].copy()), index


class NameIndex(Mapping):
    """id -> position for names whose first ``sorted_up_to`` are in ascending order (claims
    read ``ORDER BY id``): found by bisection, so that reading a million kept names needs no
    million-entry dict. Should the database's order differ from Python's (a PostgreSQL
    collation), the first miss builds the dict and answers from it."""

    def __init__(self, names: list[str], sorted_up_to: int):
        self.names, self.sorted_up_to = names, sorted_up_to
        self.rest = {name: i for i, name in enumerate(names[sorted_up_to:], sorted_up_to)}
        self.full: Optional[dict[str, int]] = None

    def __getitem__(self, name: str) -> int:
        if self.full is not None:
            return self.full[name]
        if name in self.rest:
            return self.rest[name]
        from bisect import bisect_left
        i = bisect_left(self.names, name, 0, self.sorted_up_to)
        if i < self.sorted_up_to and self.names[i] == name:
            return i
        self.full = {n: k for k, n in enumerate(self.names)}
        return self.full[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class MapArrays:
    """A map as integer arrays: claims by id, then the failing computations' arguments."""

    names: list[str]           # index -> id (claims by id, then calc:ID)
    index: Mapping[str, int]   # id -> index
    src: Any                   # every relation, and the attacks of failing computations
    dst: Any
    attack: Any                # bool: the relation is an attack
    base: Any                  # base scores (1 for failing computations)
    claims: int                # how many of the names are claims
    # what the store kept beside them, of the same generation (``argmap.claims.kept_arrays``)
    generation: Optional[int] = None
    labels: Any = None         # grounded labels (int8), when kept
    strengths: Any = None      # DF-QuAD strengths, when kept
    converged: Optional[bool] = None
    relation_ids: Any = None   # the relations' row ids (not the failing checks'), when read from a store
    made: str = "built"        # "built" from the rows, "kept" as the store had them, or "patched" by deltas
    logged: Optional[int] = None  # patched: the last row of the change log applied
    hint: Any = None  # patched: (the old labels by the new indices, the arguments whose attackers changed)

    def framework(self) -> Framework:
        return Framework(len(self.names), self.src[self.attack], self.dst[self.attack])

    def relations(self) -> tuple[Any, Any, Any]:
        """(src, dst, attack) of the relations between claims: without the failing checks' attacks."""
        mine = (self.src < self.claims) & (self.dst < self.claims)
        return self.src[mine], self.dst[mine], self.attack[mine]


def build_arrays(claims: list[tuple[str, float]], attacks: list[tuple], supports: list[tuple],
                 failing: list[tuple[str, str]]) -> MapArrays:
    """Arrays from (id, base score) of every claim sorted by id, attack and support pairs (or
    triples with the relation's row id third), and (computation, claim) of every failing check
    sorted by computation id."""
    from operator import itemgetter

    import numpy as np
    names = [c[0] for c in claims]
    index = {name: i for i, name in enumerate(names)}
    lookup = index.__getitem__
    rows = attacks + supports
    src = np.fromiter(map(lookup, map(itemgetter(0), rows)), dtype=np.int64, count=len(rows))
    dst = np.fromiter(map(lookup, map(itemgetter(1), rows)), dtype=np.int64, count=len(rows))
    attack = np.zeros(len(rows), dtype=bool)
    attack[:len(attacks)] = True
    ids = (np.fromiter(map(itemgetter(2), rows), dtype=np.int64, count=len(rows))
           if rows and len(rows[0]) > 2 else (np.zeros(0, dtype=np.int64) if not rows else None))
    base = np.fromiter(map(itemgetter(1), claims), dtype=float, count=len(claims))
    del rows
    n_claims = len(names)
    return with_checks(MapArrays(names, index, src, dst, attack, base, n_claims, relation_ids=ids), failing)


def with_checks(arrays: MapArrays, failing: list[tuple[str, str]]) -> MapArrays:
    """The arrays of the claims and relations, with the failing checks' arguments after them."""
    import numpy as np
    calc = check_attacks(failing)
    if not calc:
        return arrays
    names, index, first = arrays.names, arrays.index, len(arrays.names)
    for k, (arg, _) in enumerate(calc):
        names.append(arg)
        if isinstance(index, dict):
            index[arg] = first + k
    arrays.src = np.concatenate([arrays.src, np.arange(first, first + len(calc), dtype=np.int64)])
    arrays.dst = np.concatenate([arrays.dst, np.array([index[claim] for _, claim in calc], dtype=np.int64)])
    arrays.attack = np.concatenate([arrays.attack, np.ones(len(calc), dtype=bool)])
    arrays.base = np.concatenate([arrays.base, np.ones(len(calc))])
    if not isinstance(index, dict):
        arrays.index = NameIndex(names, arrays.claims)
    return arrays


@dataclass
class ArgumentMap:
    """Claims, relations, sources, evidence, computations, people's judgements and the
    claims' resolutions: the whole store, or a part."""

    claims: list[ClaimRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)
    computations: list[ComputationRecord] = field(default_factory=list)
    judgements: list[JudgementRecord] = field(default_factory=list)
    resolutions: list[ResolutionRecord] = field(default_factory=list)
    schemes: dict[str, str] = field(default_factory=dict)  # argument -> the scheme it follows
    answers: list[AnswerRecord] = field(default_factory=list)  # its critical questions' answers
    groups: list[GroupRecord] = field(default_factory=list)  # named parts of the map, nested, in order

    def claim_ids(self) -> set[str]:
        return {c.id for c in self.claims}

    def failing(self) -> list[tuple[str, str]]:
        """(computation, claim) of every failing check, by computation id."""
        return sorted((c.id, c.claim) for c in self.computations if c.fails)

    def check_arguments(self) -> list[tuple[str, str, ComputationRecord]]:
        """(argument, claim it attacks, computation) for each failing check, in map order."""
        failing = [c for c in self.computations if c.fails]
        return [(arg, claim, c) for (arg, claim), c in zip(check_attacks((c.id, c.claim) for c in failing), failing)]

    def to_networkx(self) -> Any:
        """Claims as nodes (text, kind, base score, evidence and computations as JSON data),
        relations as edges with a ``type``, failing checks as ``computation`` nodes; the
        map's groups as the graph's ``groups``."""
        import networkx as nx
        g = nx.DiGraph(groups=[x.to_json() for x in self.groups])
        for c in self.claims:
            g.add_node(c.id, text=c.text, kind=c.kind, base_score=c.base_score, evidence=[], computations=[])
        for r in self.relations:
            g.add_edge(r.source, r.target, type=r.type)
        for e in self.evidence:
            g.nodes[e.claim]["evidence"].append(e.to_json())
        for comp in self.computations:
            g.nodes[comp.claim]["computations"].append(comp.to_json())
        for arg, claim, comp in self.check_arguments():
            detail = ((comp.result or {}).get("check") or {}).get("detail", "")
            g.add_node(arg, text=f"Computation {comp.id} fails its check: {detail}".strip(),
                       kind="computation", base_score=1.0, evidence=[], computations=[comp.to_json()])
            g.add_edge(arg, claim, type="attacks")
        return g

    def framework(self) -> MapArrays:
        """The integer arrays the semantics use (the same as ``Store.read_arrays`` gives)."""
        return build_arrays(sorted((c.id, c.base_score) for c in self.claims),
                            [(r.source, r.target) for r in self.relations if r.type == "attacks"],
                            [(r.source, r.target) for r in self.relations if r.type == "supports"],
                            self.failing())

    def focus(self, claim_id: str, depth: int) -> "ArgumentMap":
        """The part of the map ``focus_ids`` keeps (the same meaning as the store's SQL focus)."""
        neighbours: dict[str, set[str]] = {}
        for r in self.relations:
            neighbours.setdefault(r.source, set()).add(r.target)
            neighbours.setdefault(r.target, set()).add(r.source)
        owners = {c.id: c.claim for c in self.computations}
        uses: dict[str, list[str]] = {}
        for c in self.computations:
            uses.setdefault(c.claim, []).extend(i.ref for i in c.inputs if i.ref)
        ids = focus_ids(claim_id, depth, lambda frontier: {n for f in frontier for n in neighbours.get(f, ())},
                        lambda claims: {owners[ref] for c in claims for ref in uses.get(c, []) if ref in owners})
        return self.part(ids)

    def part(self, ids: set[str]) -> "ArgumentMap":
        """Only the claims ``ids``, what belongs to them, and the relations among them."""
        evidence = [e for e in self.evidence if e.claim in ids]
        used = {e.source for e in evidence}
        return ArgumentMap(
            claims=[c for c in self.claims if c.id in ids],
            relations=[r for r in self.relations if r.source in ids and r.target in ids],
            sources=[s for s in self.sources if s.id in used], evidence=evidence,
            computations=[c for c in self.computations if c.claim in ids],
            judgements=[j for j in self.judgements if j.claim in ids],
            resolutions=[r for r in self.resolutions if r.claim in ids],
            schemes={c: s for c, s in self.schemes.items() if c in ids},
            answers=[a for a in self.answers if a.argument in ids and a.claim in ids],
            groups=part_groups(self.groups, ids))


def part_groups(groups: list[GroupRecord], ids: set[str]) -> list[GroupRecord]:
    """The groups that hold one of the claims ``ids`` (with only those) and the groups around them."""
    parent = {g.id: g.parent for g in groups}
    keep: set[str] = set()
    for g in groups:
        if any(c in ids for c in g.claims):
            at: Optional[str] = g.id
            while at is not None and at not in keep:
                keep.add(at)
                at = parent.get(at)
    return [GroupRecord(g.id, g.title, g.parent, [c for c in g.claims if c in ids]) for g in groups if g.id in keep]


def focus_ids(focus: str, depth: int, neighbours: Any, upstream: Any) -> set[str]:
    """What a focus keeps: the claims within ``depth`` relations of ``focus`` (either
    direction), and the claims whose computations they use, so that the part stands alone.

    ``neighbours(frontier)`` and ``upstream(claims)`` read the map (from memory, or by
    indexed SQL for a large store): one meaning, two readers.
    """
    from argmap.errors import InvalidInput
    if depth < 0:
        raise InvalidInput("--depth must be 0 or more")
    seen, frontier = {focus}, {focus}
    for _ in range(depth):
        frontier = neighbours(frontier) - seen
        if not frontier:
            break
        seen |= frontier
    more = upstream(seen) - seen
    while more:
        seen |= more
        more = upstream(more) - seen
    return seen


def reach(starts: Iterable[Hashable], step: Mapping[Hashable, Iterable[Hashable]]) -> set:
    """Everything reachable from ``starts`` by following ``step`` (the starts themselves only
    when a path leads back to them)."""
    seen: set = set()
    todo = list(starts)
    while todo:
        for nxt in step.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
