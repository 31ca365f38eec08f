"""`argmap check`: a store's integrity, problem by problem, each named by its id.

Covers what the schema guarantees (SQLite's own integrity and foreign-key checks, orphans,
self-loops, unknown kinds) for stores that were edited by other tools, and what it cannot
(quotes missing from their source's text, cycles among computations, computations that
no longer evaluate or were never run).
"""

from dataclasses import asdict, dataclass
from typing import Any

from argmap.claims import computations, integrity, sources
from argmap.claims.store import Store
from argmap.errors import ArgmapError
from argmap.evidence.evaluate import dependency_order, evaluate_all
from argmap.evidence.sources import quote_occurs


@dataclass(frozen=True)
class Problem:
    kind: str
    id: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.message}"


def check_store(store: Store) -> list[Problem]:
    with store.transaction() as s:
        problems = [Problem(*found) for found in integrity.problems(s)]
        for ev, source_text in sources.quotes(s):
            if source_text and not quote_occurs(ev.quote, source_text):
                problems.append(Problem("quote-not-in-source", f"evidence {ev.id}",
                                        f"quote for claim {ev.claim!r} is not in source {ev.source!r}"))
        defs = computations.load(s) if not any(p.kind == "orphan-input" for p in problems) else {}
        try:
            dependency_order(defs)
        except ArgmapError as exc:
            problems.append(Problem("computation-cycle", "computations", str(exc)))
            defs = {}
        for cid in sorted(defs):
            try:
                evaluate_all(defs, {cid})
            except ArgmapError as exc:
                problems.append(Problem("computation-error", f"computation {cid}", str(exc)))
        for cid in integrity.computations_not_run(s):
            problems.append(Problem("computation-not-run", f"computation {cid}", "no stored result (run `argmap compute run`)"))
    return problems
