"""Writing a MapDocument into a store: validate everything, then insert in bulk, in one transaction.

All or nothing: any problem raises before the first row is written, and a failure while
writing rolls the whole import back. Inserts are set-based (executemany), not per-row ORM.
"""

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Callable, Optional

from sqlalchemy import insert, select

from argmap.claims.ids import check_id, clean_text
from argmap.claims.models import Claim, Computation, ComputationInput, Evidence, Relation, Source, utcnow
from argmap.claims.rules import RELATION_TYPES, check_kind, check_relation_type, check_score
from argmap.claims.store import Store
from argmap.errors import ArgmapError
from argmap.evidence.sources import MAX_QUOTE, MAX_SOURCE_TEXT, check_url, normalise
from argmap.graph.formats.model import FormatError, MapDocument


@dataclass
class ImportReport:
    claims: int = 0
    relations: int = 0
    sources: int = 0
    evidence: int = 0
    computations: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{self.claims} claims", f"{self.relations} relations", f"{self.sources} sources",
                 f"{self.evidence} evidence", f"{self.computations} computations"]
        text = "imported " + ", ".join(parts)
        if self.skipped:
            text += " (skipped: " + ", ".join(f"{v} {k}" for k, v in sorted(self.skipped.items())) + ")"
        return text


def _field(doc: MapDocument, section: str, n: int, item: dict, key: str, required: bool = True) -> Any:
    value = item.get(key)
    if required and (value is None or value == ""):
        label = item.get("id", n)
        raise FormatError(doc.name, f"{section} {label!r}", f'a "{key}" field')
    return value


def _checked(doc: MapDocument, where: str, fn: Callable[[], Any]) -> Any:
    """Run a validator and prefix its message with the file and the place."""
    try:
        return fn()
    except FormatError:
        raise
    except ArgmapError as exc:
        raise FormatError(doc.name, where, f"a valid value ({exc})") from None


REBUILD_INDEXES_FROM = 10_000


def bulk_insert(conn: Any, table: Any, rows: list[dict]) -> None:
    """Insert many rows at once: straight to the driver's executemany on SQLite (SQLAlchemy's
    per-row parameter processing costs more than the insert itself), Core elsewhere.
    Every row has the same keys."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    getter = itemgetter(*columns)
    values = [getter(r) for r in rows] if len(columns) > 1 else [(getter(r),) for r in rows]
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    rebuild: list[tuple[str, str]] = []
    if len(rows) >= REBUILD_INDEXES_FROM and conn.exec_driver_sql(f"SELECT 1 FROM {table.name} LIMIT 1").first() is None:
        # filling an empty table: building its secondary indexes once, afterwards, beats updating them row by row
        rebuild = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table.name,)).fetchall()
        for name, _ in rebuild:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    conn.exec_driver_sql(sql, values)
    for _, ddl in rebuild:  # same transaction: a failed import rolls the indexes back too
        conn.exec_driver_sql(ddl)


def timestamp(conn: Any) -> Any:
    """Now, in the form the driver takes: SQLAlchemy's SQLite DateTime text, or a datetime."""
    now = utcnow()
    return now.strftime("%Y-%m-%d %H:%M:%S.%f") if conn.dialect.name == "sqlite" else now


def import_document(store: Store, doc: MapDocument, prefix: Optional[str] = None,
                    validate_computations: Optional[Callable] = None,
                    meta: Optional[dict[str, str]] = None) -> ImportReport:
    """Load ``doc`` into ``store``; ids clashing with existing claims are refused unless ``prefix``.

    ``meta`` keys are recorded in the same transaction (the demo marks itself loaded so).
    """
    report = ImportReport(skipped=dict(doc.skipped))
    pfx = prefix or ""
    with store.transaction() as s:
        conn = s.connection()
        existing_claims = set(conn.execute(select(Claim.id)).scalars())
        existing_sources = {row.id: row for row in conn.execute(select(Source.id, Source.title, Source.text))}

        claim_rows: list[dict] = []
        seen: set[str] = set()
        clashes: list[str] = []
        now = timestamp(conn)
        for n, item in enumerate(doc.claims):
            raw_id = item.get("id")
            raw_id = str(raw_id) if raw_id not in (None, "") else str(_field(doc, "claim", n, item, "id"))
            cid = pfx + raw_id
            try:  # one guard per row: the common, valid case pays for no closures
                check_id(cid, "claim id")
                text = item.get("text")
                text = clean_text(text if isinstance(text, str) else str(_field(doc, "claim", n, item, "text")))
                kind = check_kind(item.get("kind") or "claim")
                score = item.get("base_score")
                score = 0.5 if score is None else check_score(score)
            except FormatError:
                raise
            except ArgmapError as exc:
                raise FormatError(doc.name, f"claim {raw_id!r}", f"a valid value ({exc})") from None
            if cid in seen:
                raise FormatError(doc.name, f"claim {raw_id!r}", "a unique claim id (it appears twice)")
            seen.add(cid)
            if cid in existing_claims:
                clashes.append(cid)
                continue
            if prefix:
                report.renamed[raw_id] = cid
            claim_rows.append({"id": cid, "text": text, "kind": kind, "base_score": score, "created_at": now})
        if clashes:
            shown = ", ".join(sorted(clashes)[:5]) + (" ..." if len(clashes) > 5 else "")
            raise ArgmapError(f"{doc.name}: {len(clashes)} claim id(s) already in the store: {shown} "
                              f"(import with --prefix to rename them)")
        known_claims = existing_claims | seen

        relation_rows: list[dict] = []
        pairs: set[tuple[str, str]] = set()
        for n, item in enumerate(doc.relations):
            src, dst = item.get("source"), item.get("target")
            src = pfx + (src if isinstance(src, str) and src else str(_field(doc, "relation", n, item, "source")))
            dst = pfx + (dst if isinstance(dst, str) and dst else str(_field(doc, "relation", n, item, "target")))
            rtype = item.get("type")
            if rtype not in RELATION_TYPES or src not in known_claims or dst not in known_claims \
                    or src == dst or (src, dst) in pairs:
                where = f"relation {n + 1} ({src} -> {dst})"
                _checked(doc, where, lambda: check_relation_type(rtype or ""))
                for end in (src, dst):
                    if end not in known_claims:
                        raise FormatError(doc.name, where, f"a known claim id (no claim {end!r})")
                if src == dst:
                    raise FormatError(doc.name, where, "two different claims (a claim cannot relate to itself)")
                raise FormatError(doc.name, where, "one relation per pair of claims (this pair repeats)")
            pairs.add((src, dst))
            relation_rows.append({"source_id": src, "target_id": dst, "type": rtype, "created_at": now})
        if existing_claims and pairs:
            for r in conn.execute(select(Relation.source_id, Relation.target_id)):
                if (r.source_id, r.target_id) in pairs:
                    raise FormatError(doc.name, f"relation {r.source_id} -> {r.target_id}",
                                      "a new relation (the store already has it)")

        source_rows: list[dict] = []
        source_texts: dict[str, Optional[str]] = {sid: row.text for sid, row in existing_sources.items()}
        for n, item in enumerate(doc.sources):
            sid = str(_field(doc, "source", n, item, "id"))
            where = f"source {sid!r}"
            _checked(doc, where, lambda: check_id(sid, "source id"))
            title = _checked(doc, where, lambda: clean_text(str(_field(doc, "source", n, item, "title")),
                                                             "source title", 1_000))
            text = item.get("text")
            if text is not None:
                text = _checked(doc, where, lambda: clean_text(str(text), "source text", MAX_SOURCE_TEXT))
            if sid in existing_sources:
                if existing_sources[sid].title != title:
                    raise FormatError(doc.name, where, "a source id not already used by a different source")
                report.skipped["sources already present"] = report.skipped.get("sources already present", 0) + 1
                continue
            if sid in source_texts:
                raise FormatError(doc.name, where, "a unique source id (it appears twice)")
            source_texts[sid] = text
            source_rows.append({"id": sid, "title": title, "author": item.get("author") or None,
                                "url": _checked(doc, where, lambda: check_url(item.get("url"))),
                                "date": str(item["date"]) if item.get("date") else None,
                                "text": text, "created_at": now})

        evidence_rows: list[dict] = []
        normalised: dict[str, str] = {}
        evidence_keys: dict[Any, tuple[str, str, str]] = {}
        seen_ev: set[tuple[str, str, str]] = set()
        for n, item in enumerate(doc.evidence):
            cid = pfx + str(_field(doc, "evidence", n, item, "claim"))
            sid = str(_field(doc, "evidence", n, item, "source"))
            where = f"evidence {item.get('id', n + 1)} (claim {cid!r})"
            quote = _checked(doc, where, lambda: clean_text(str(_field(doc, "evidence", n, item, "quote")),
                                                             "quote", MAX_QUOTE))
            if cid not in known_claims:
                raise FormatError(doc.name, where, f"a known claim id (no claim {cid!r})")
            if sid not in source_texts:
                raise FormatError(doc.name, where, f"a known source id (no source {sid!r})")
            if source_texts[sid]:
                if sid not in normalised:
                    normalised[sid] = normalise(source_texts[sid])
                if normalise(quote) not in normalised[sid]:
                    raise FormatError(doc.name, where, f"a quote that occurs in source {sid!r}")
            key = (cid, sid, quote)
            if key in seen_ev:
                raise FormatError(doc.name, where, "a quote not given twice for the same claim and source")
            seen_ev.add(key)
            if item.get("id") is not None:
                evidence_keys[item["id"]] = key
            evidence_rows.append({"claim_id": cid, "source_id": sid, "quote": quote,
                                  "locator": item.get("locator") or None, "created_at": now})

        computations = doc.computations
        if computations:
            if validate_computations is None:
                from argmap.evidence.computations import validate_documented
                validate_computations = validate_documented
            computations, outcomes = validate_computations(s, doc, pfx, known_claims, set(evidence_keys))

        for table, rows in ((Claim, claim_rows), (Source, source_rows), (Relation, relation_rows),
                            (Evidence, evidence_rows)):
            bulk_insert(conn, table.__table__, rows)
        report.claims, report.relations = len(claim_rows), len(relation_rows)
        report.sources, report.evidence = len(source_rows), len(evidence_rows)

        if computations:
            ev_db_ids: dict[tuple[str, str, str], int] = {}
            if evidence_keys:
                for row in conn.execute(select(Evidence.id, Evidence.claim_id, Evidence.source_id, Evidence.quote)):
                    ev_db_ids[(row.claim_id, row.source_id, row.quote)] = row.id
            comp_rows, input_rows = [], []
            for comp in computations:
                comp_rows.append({k: v for k, v in comp.items() if k != "inputs"} | {"created_at": now, "updated_at": now})
                for inp in comp["inputs"]:
                    ev = inp.pop("evidence_key", None)
                    input_rows.append({**inp, "computation_id": comp["id"],
                                       "evidence_id": ev_db_ids[evidence_keys[ev]] if ev is not None else None})
            bulk_insert(conn, Computation.__table__, comp_rows)
            bulk_insert(conn, ComputationInput.__table__, input_rows)
            report.computations = len(comp_rows)
            from argmap.evidence.computations import save_outcomes
            save_outcomes(s, outcomes)
        for key, value in (meta or {}).items():
            store.set_meta(s, key, value)
    return report
