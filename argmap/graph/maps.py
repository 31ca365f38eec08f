"""A store's map as it is shown (the HTML map, the exports): the part of the map shown and
each claim's status, decided on the whole map, all read in one transaction."""

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional

from argmap.claims import plain_reads
from argmap.claims.argument_map import ArgumentMap, MapArrays
from argmap.claims.connection import Sql
from argmap.claims.ids import clean_text
from argmap.errors import InvalidInput

if TYPE_CHECKING:
    from argmap.claims.store import Store


def map_status(arrays: MapArrays, shown: Iterable[str], strength: bool = True,
               db: Optional[Sql] = None) -> dict[str, dict]:
    """Grounded label, reason and (unless ``strength`` is false) DF-QuAD strength for every
    node shown, all decided on the whole map (from its arrays, so this stays quick for a
    focus view of a large store); with ``db``, the labels and strengths are kept beside the
    store's arrays for the next reader."""
    from argmap.graph.semantics.arrays import GroundedIndex
    from argmap.graph.semantics.reasons import reason
    index = GroundedIndex(arrays)
    strengths, converged = index.strengths() if strength else (None, True)
    if db is not None:
        from argmap.claims.kept_arrays import keep_results
        keep_results(db, arrays, index.labels, strengths, converged)
    status = {}
    for node in shown:
        status[node] = reason(index.attackers, index.label, node)
        if strengths is not None:
            status[node]["strength"] = round(float(strengths[index.index[node]]), 4)
            if not converged:
                status[node]["strength_converged"] = False
    return status


def whole_map_labels(db: Sql, arrays: MapArrays) -> Any:
    """The grounded labels of the store's kept ``arrays`` (int8, by index): kept beside them
    already, or computed and kept for the next reader."""
    from argmap.claims.kept_arrays import keep_results
    from argmap.graph.semantics.arrays import labels_of
    if arrays.labels is not None:
        return arrays.labels
    labels = labels_of(arrays, arrays.framework())
    keep_results(db, arrays, labels=labels)
    return labels


def grounded_labeller(db: Sql) -> Callable[[str], str]:
    """Each claim's grounded label on the whole map, from the store's kept arrays: what a
    streamed export needs, without the map in memory."""
    from argmap.graph.semantics.grounded import NAMES
    arrays = plain_reads.read_arrays(db)
    labels = whole_map_labels(db, arrays)
    return lambda name: NAMES[int(labels[arrays.index[name]])]


def read_view(store: "Store", focus: Optional[str] = None, depth: int = 2, strength: bool = True,
              texts: bool = False) -> tuple[ArgumentMap, dict[str, dict[str, Any]]]:
    """The map (or ``focus``'s part of it, read by indexed SQL) with the status of everything
    shown, including failing computations; one transaction."""
    from argmap.claims.store import sql
    with store.transaction() as s:
        return read_view_on(sql(s, store.where), focus, depth, strength, texts)


def read_view_on(db: Sql, focus: Optional[str] = None, depth: int = 2, strength: bool = True,
                 texts: bool = False) -> tuple[ArgumentMap, dict[str, dict[str, Any]]]:
    """``read_view`` inside a transaction the caller holds (the store's, or the quick path's)."""
    amap = plain_reads.focus_map(db, focus, depth, texts) if focus is not None else plain_reads.read_map(db, texts=texts)
    arrays = plain_reads.read_arrays(db)
    shown = [c.id for c in amap.claims] + [name for name, _, _ in amap.check_arguments()]
    return amap, map_status(arrays, shown, strength, db)


EXPLAINED_UP_TO = 300  # claims: beyond, the page leaves robustness out (its cost grows with the map)
ROBUST_DRAWS = 500


def explain(amap: ArgumentMap, status: dict[str, dict], break_even: bool) -> None:
    """Add to each claim's status how robust it is (always, for a whole map that has ranged
    checks) and, with ``break_even``, the input values at which it would flip."""
    from argmap.graph.robust import robustness
    from argmap.graph.whatif import break_even_all, break_even_text
    if len(amap.claims) > EXPLAINED_UP_TO or not any(c.check for c in amap.computations):
        return
    robust = robustness(amap, ROBUST_DRAWS)
    if robust["inputs"]:
        for row in robust["claims"]:
            status[row["id"]]["robust"] = {k: row[k] for k in ("stands", "ci", "flips")} | {
                "draws": robust["draws"], "drivers": row["drivers"][:3]}
    if break_even:
        for claim, rows in break_even_all(amap).items():
            status[claim]["break_even"] = [break_even_text(claim, r) for r in rows]


View = tuple[ArgumentMap, dict[str, dict[str, Any]]]


def render_store(store: Optional["Store"], out: Path, title: str = "argmap", focus: Optional[str] = None,
                 depth: int = 2, break_even: bool = False, view: Optional[Callable[[], View]] = None,
                 force: bool = False, who: Optional[str] = None) -> Optional[Path]:
    """Write the HTML map of the store, or of ``focus`` and its neighbours to ``depth``;
    return its path (None when written to standard output, ``--out -``). A whole map's
    claims also show how robust their status is, and with ``break_even`` the values at
    which they would flip. ``view`` reads the map another way (the quick SQLite path).
    People's judgements come along (each one's view, their disagreements); ``who``
    (``--as``) is the view the page opens with."""
    from argmap.graph.files import check_target, is_stdout, write_file
    from argmap.graph.judged_page import page_view, within
    from argmap.graph.render import render_html
    title = clean_text(title, "title", 1_000)
    if not is_stdout(out):
        out = check_target(out, " for the map", "html", force)
    amap, status = read_view(store, focus, depth) if view is None else view()
    if focus is None:
        explain(amap, status, break_even)
    if who is not None and focus is not None:  # a view is decided on the whole map, then shown on the part
        whole = read_view(store, None, strength=False)[0]
        judged = within(page_view(whole, who, crux=False), amap.claim_ids())
        del whole
    else:
        judged = page_view(amap, who, views=focus is None)
    asked = asked_of(amap, status)
    graph = amap.to_networkx()
    del amap  # the graph holds what the page needs: let the records go before the page is built
    html = render_html(graph, title=title, status=status, judged=judged, asked=asked)
    written = write_file(html.encode("utf-8"), out, "html", force)
    return None if is_stdout(out) else written.resolve()


def page_data(db: Sql, title: str = "argmap") -> dict[str, Any]:
    """What the HTML map shows of the whole store (``render.map_data``), read in the caller's
    transaction: the data a live page is drawn from, and redrawn from after each change."""
    from argmap.graph.judged_page import page_view
    from argmap.graph.render import map_data
    amap, status = read_view_on(db)
    explain(amap, status, break_even=False)
    judged = page_view(amap, crux=False)  # a served page asks for the crux of two people when it wants it
    return map_data(amap.to_networkx(), clean_text(title, "title", 1_000), status, judged, asked_of(amap, status))


def asked_of(amap: ArgumentMap, status: dict[str, dict[str, Any]]) -> dict[str, dict]:
    """The critical questions of each argument that follows a scheme, each answer's label
    as the page shows it."""
    from argmap.graph.questions import questions
    labels = {c: row.get("label") for c, row in status.items()}
    return {arg: questions(amap, arg, labels) for arg in amap.schemes if arg in labels}
