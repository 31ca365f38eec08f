"""What every exporter reads: a store's snapshot (optionally narrowed to one claim's
neighbourhood) with source texts and each claim's grounded status."""

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlmodel import select

from argmap.claims.models import Source
from argmap.claims.store import Snapshot, Store
from argmap.graph.build import graph_from_snapshot


@dataclass
class MapView:
    snap: Snapshot
    source_texts: dict[str, Optional[str]] = field(default_factory=dict)
    status: dict[str, dict[str, Any]] = field(default_factory=dict)
    title: str = "argmap"


def source_texts(store: Store) -> dict[str, Optional[str]]:
    with store.transaction() as s:
        return {row.id: row.text for row in s.exec(select(Source)).all()}


def focus_snapshot(store: Store, focus: str, depth: int) -> Snapshot:
    """The claims within ``depth`` relations of ``focus`` (either direction, by indexed SQL),
    with what belongs to them; computations they use from elsewhere bring their claims along,
    so that the export stands alone."""
    ids = store.neighbourhood_ids(focus, depth)
    owners = store.computation_owners()
    while True:
        snap = store.snapshot(ids)
        upstream = {owners[i["from"]] for c in snap.computations for i in c["inputs"]
                    if i.get("from") in owners and owners[i["from"]] not in ids}
        if not upstream:
            return snap
        ids |= upstream


def map_view(store: Store, focus: Optional[str] = None, depth: int = 2, title: str = "argmap") -> MapView:
    """What stands is decided on the whole map, from the store's arrays; only what is shown is read."""
    from argmap.graph.maps import map_status
    snap = focus_snapshot(store, focus, depth) if focus is not None else store.snapshot()
    status = map_status(store, graph_from_snapshot(snap), strength=False)
    texts = source_texts(store)
    return MapView(snap=snap, source_texts={s.id: texts.get(s.id) for s in snap.sources}, status=status, title=title)
