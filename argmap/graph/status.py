"""What still stands: each claim's label or strength under a chosen semantics, with the reason.

The grounded table is read through plain SQL (``argmap.claims.plain_reads``) from the arrays
the store keeps, so ``argmap status`` on a SQLite store imports neither SQLAlchemy nor
networkx: only what a command needs is imported, inside the functions that need it.
"""

from typing import TYPE_CHECKING, Any, Optional

from argmap.claims import plain_reads
from argmap.claims.connection import Sql
from argmap.errors import InvalidInput, NotFound
from argmap.graph.semantics.reasons import reason

if TYPE_CHECKING:
    import networkx as nx

    from argmap.claims.store import Store

SEMANTICS = ("grounded", "preferred", "stable", "complete", "dfquad")
ALL_ROWS_UP_TO = 1_000  # a larger store shows its first LONG_MAP_ROWS rows unless told otherwise
LONG_MAP_ROWS = 100


def grounded_labels(g: "nx.DiGraph") -> dict[str, str]:
    from argmap.graph.semantics.grounded import grounded_names
    from argmap.graph.traverse import attack_graph
    af = attack_graph(g)
    nodes = list(af.nodes)
    return grounded_names(nodes, af.edges)


def framework_of(g: "nx.DiGraph", bipolar: bool = False) -> "nx.DiGraph":
    """The attack graph the extension semantics see; with ``bipolar``, supports add the
    supported and secondary attacks (``argmap.graph.semantics.bipolar``)."""
    from argmap.graph.traverse import attack_graph
    af = attack_graph(g)
    if bipolar:
        from argmap.graph.semantics.bipolar import complex_attacks
        supports = [(u, v) for u, v, t in g.edges(data="type") if t == "supports"]
        af.add_edges_from(complex_attacks(af.edges, supports))
    return af


def grounded_status(g: "nx.DiGraph", bipolar: bool = False) -> dict[str, dict[str, Any]]:
    from argmap.graph.semantics.grounded import grounded_names
    from argmap.graph.semantics.reasons import graph_attackers
    af = framework_of(g, bipolar)
    labels = grounded_names(list(af.nodes), af.edges)
    attackers = graph_attackers(af)
    return {n: reason(attackers, labels.__getitem__, n) for n in af.nodes}


def grounded_labels_in_session(s: Any) -> dict[str, str]:
    """Grounded labels read inside an open transaction (for before/after comparisons)."""
    from argmap.claims import reads
    from argmap.graph.semantics.arrays import GroundedIndex
    return GroundedIndex(reads.read_arrays(s)).labels_by_claim()


def check_options(semantics: str, limit: Optional[int], bipolar: bool) -> None:
    if semantics not in SEMANTICS:
        raise InvalidInput(f"unknown semantics {semantics!r}: use one of {', '.join(SEMANTICS)}")
    if limit is not None and limit < 0:
        raise InvalidInput("--limit must be 0 (all) or more")
    if bipolar and semantics == "dfquad":
        raise InvalidInput("--bipolar is for the extension semantics: DF-QuAD already counts supports")


def rows_shown(total: int, limit: Optional[int], auto_limit: bool) -> Optional[int]:
    """How many rows a table shows: ``limit`` (0: all), or with ``auto_limit`` all up to
    ``ALL_ROWS_UP_TO`` claims and the first ``LONG_MAP_ROWS`` beyond."""
    if limit is None and auto_limit:
        return None if total <= ALL_ROWS_UP_TO else LONG_MAP_ROWS
    return limit or None


def grounded_table(db: Sql, limit: Optional[int] = None, auto_limit: bool = False) -> dict[str, Any]:
    """The grounded status table from the store's arrays: labels for all, reasons for the rows shown."""
    index = _index(db)
    shown = rows_shown(index.claims(), limit, auto_limit)
    rows = [{"id": cid, "kind": kind, "text": text, **reason(index.attackers, index.label, cid)}
            for cid, kind, text in plain_reads.ordered_claims(db, shown)]
    return {"semantics": "grounded", "claims": rows, "total": index.claims(), "counts": index.counts()}


def _index(db: Sql) -> Any:
    """The grounded labelling of the store's kept arrays, its labels kept too for the next reader."""
    from argmap.claims.kept_arrays import keep_results
    from argmap.graph.semantics.arrays import GroundedIndex
    arrays = plain_reads.read_arrays(db)
    index = GroundedIndex(arrays)
    keep_results(db, arrays, labels=index.labels)
    return index


def grounded_claim(db: Sql, claim_id: str) -> dict[str, Any]:
    from argmap.claims.rules import no_claim
    claim = plain_reads.claim(db, claim_id)
    if claim is None:
        raise no_claim(claim_id)  # before the work
    index = _index(db)
    return {"semantics": "grounded", "id": claim.id, "kind": claim.kind, "text": claim.text,
            **reason(index.attackers, index.label, claim_id)}


def status(store: "Store", semantics: str = "grounded", timeout: float = 30.0,
           limit: Optional[int] = None, auto_limit: bool = False, bipolar: bool = False) -> dict[str, Any]:
    """Every claim (or the first ``limit``, thesis first) with its label or strength and the
    reason, under ``semantics``; ``counts`` and ``total`` always cover the whole store.
    With ``auto_limit`` and no ``limit``, a store of over ``ALL_ROWS_UP_TO`` claims shows
    its first ``LONG_MAP_ROWS``. One transaction."""
    from argmap.claims import reads
    from argmap.claims.store import sql
    check_options(semantics, limit, bipolar)
    with store.transaction() as s:
        if semantics == "grounded" and not bipolar:
            return grounded_table(sql(s, store.where), limit, auto_limit)
        amap = reads.read_map(s)
    data = status_of_graph(amap.to_networkx(), semantics, timeout, bipolar)
    data["total"] = len(data["claims"])
    shown = rows_shown(len(amap.claims), limit, auto_limit)
    if shown:
        data["claims"] = data["claims"][:shown]
    return data


def status_of_graph(g: "nx.DiGraph", semantics: str, timeout: float = 30.0, bipolar: bool = False) -> dict[str, Any]:
    grounded = grounded_status(g, bipolar)
    rows: dict[str, dict[str, Any]] = {}
    extra: dict[str, Any] = {}
    if semantics == "grounded":
        rows = grounded
    elif semantics == "dfquad":
        from argmap.graph.semantics.dfquad import dfquad
        strength, converged = dfquad(g)
        extra["converged"] = converged
        for n in g.nodes:
            rows[n] = {"label": grounded[n]["label"], "strength": round(strength[n], 6),
                       "reason": _strength_reason(g, n, strength)}
    else:
        from argmap.graph.semantics.asp import acceptance_table
        table = acceptance_table(framework_of(g, bipolar), semantics, timeout)
        extra.update({k: v for k, v in table.items() if k != "claims"})
        for n in g.nodes:
            rows[n] = {**table["claims"][n], "grounded": grounded[n]["label"], "reason": grounded[n]["reason"]}
    claims = []
    for n in sorted(g.nodes, key=lambda x: (g.nodes[x].get("kind") != "thesis", x)):
        claims.append({"id": n, "kind": g.nodes[n].get("kind"), "text": g.nodes[n].get("text", ""), **rows[n]})
    if bipolar:
        from argmap.graph.semantics.bipolar import NAME
        extra["bipolar"] = NAME
    return {"semantics": semantics, "claims": claims, **extra}


def _strength_reason(g: "nx.DiGraph", n: str, strength: dict[str, float]) -> str:
    att = [(u, strength[u]) for u, _, t in g.in_edges(n, data="type") if t == "attacks"]
    sup = [(u, strength[u]) for u, _, t in g.in_edges(n, data="type") if t == "supports"]
    base = g.nodes[n].get("base_score", 0.5)
    parts = [f"base {base:g}"]
    if att:
        parts.append("attacked by " + ", ".join(f"{u} ({s:.2f})" for u, s in sorted(att)))
    if sup:
        parts.append("supported by " + ", ".join(f"{u} ({s:.2f})" for u, s in sorted(sup)))
    return "; ".join(parts)


def claim_status(store: "Store", claim_id: str, semantics: str = "grounded", timeout: float = 30.0,
                 bipolar: bool = False) -> dict[str, Any]:
    if semantics == "grounded" and not bipolar:
        from argmap.claims.store import sql
        with store.transaction() as s:
            return grounded_claim(sql(s, store.where), claim_id)
    table = status(store, semantics, timeout, bipolar=bipolar)
    for row in table["claims"]:
        if row["id"] == claim_id:
            return {"semantics": semantics, **row, **{k: v for k, v in table.items() if k not in ("claims", "semantics")}}
    raise NotFound(f"no claim with id {claim_id!r}")
