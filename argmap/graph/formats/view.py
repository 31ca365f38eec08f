"""What every exporter reads: a store's snapshot (optionally narrowed to one claim's
neighbourhood) with source texts and each claim's grounded status."""

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlmodel import select

from argmap.claims.models import Source
from argmap.claims.store import Snapshot, Store
from argmap.errors import InvalidInput, NotFound
from argmap.graph.build import graph_from_snapshot


@dataclass
class MapView:
    snap: Snapshot
    source_texts: dict[str, Optional[str]] = field(default_factory=dict)
    status: dict[str, dict[str, Any]] = field(default_factory=dict)
    title: str = "argmap"

    def claim_ids(self) -> list[str]:
        return [c.id for c in self.snap.claims]


def source_texts(store: Store) -> dict[str, Optional[str]]:
    with store.transaction() as s:
        return {row.id: row.text for row in s.exec(select(Source)).all()}


def focus_snapshot(snap: Snapshot, focus: str, depth: int) -> Snapshot:
    """The claims within ``depth`` relations of ``focus`` (either direction), with what
    belongs to them; computations they use from elsewhere bring their claims along."""
    import networkx as nx
    if depth < 0:
        raise InvalidInput("--depth must be 0 or more")
    g = graph_from_snapshot(snap)
    if focus not in g or g.nodes[focus].get("kind") == "computation":
        raise NotFound(f"no claim with id {focus!r}")
    keep = set(nx.single_source_shortest_path_length(g.to_undirected(as_view=True), focus, cutoff=depth))
    keep = {k for k in keep if g.nodes[k].get("kind") != "computation"}
    comps = {c["id"]: c for c in snap.computations}
    wanted = [c for c in snap.computations if c["claim"] in keep]
    while wanted:  # pull in upstream computations (and their claims) so the export stands alone
        c = wanted.pop()
        for inp in c["inputs"]:
            up = comps.get(inp.get("from"))
            if up and up["claim"] not in keep:
                keep.add(up["claim"])
                wanted.extend(x for x in snap.computations if x["claim"] == up["claim"])
    out = Snapshot()
    out.claims = [c for c in snap.claims if c.id in keep]
    out.relations = [r for r in snap.relations if r.source in keep and r.target in keep]
    out.evidence = [e for e in snap.evidence if e.claim in keep]
    used_sources = {e.source for e in out.evidence}
    out.sources = [s for s in snap.sources if s.id in used_sources]
    out.computations = [c for c in snap.computations if c["claim"] in keep]
    return out


def map_view(store: Store, focus: Optional[str] = None, depth: int = 2, title: str = "argmap") -> MapView:
    from argmap.graph.status import grounded_status
    full = store.snapshot()
    status = grounded_status(graph_from_snapshot(full))  # what stands is decided on the whole map
    snap = focus_snapshot(full, focus, depth) if focus is not None else full
    texts = source_texts(store)
    return MapView(snap=snap, source_texts={s.id: texts.get(s.id) for s in snap.sources}, status=status, title=title)
