"""Writing a MapDocument into a store: section by section, a batch of rows checked, then
inserted in bulk, all in one transaction.

All or nothing: any problem raises, and the transaction rolls back what earlier batches
wrote. The checks run in one order (claims, relations, sources, evidence, computations,
judgements, resolutions, schemes) whatever the file's, so a file gives the same message
whether read whole or streamed. Inserts are set-based (executemany), not per-row ORM.
"""

import json
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Container, Iterable, Iterator, Optional

from argmap.claims import bulk
from argmap.claims import computations as computation_rows
from argmap.claims.ids import check_id, clean_text, optional_text
from argmap.claims.records import ComputationRecord
from argmap.claims.rules import KINDS, RELATION_TYPES, check_kind, check_relation_type, check_score
from argmap.claims.store import Store
from argmap.errors import ArgmapError, InvalidInput
from argmap.evidence.evaluate import Outcome, evaluate_all, validate
from argmap.evidence.sources import (MAX_QUOTE, MAX_SOURCE_TEXT, SourceText, check_selector, check_sha256,
                                     check_url)
from argmap.graph.formats.argmap_json import computation
from argmap.graph.formats.document import FormatError, MapDocument


@dataclass
class ImportReport:
    claims: int = 0
    relations: int = 0
    sources: int = 0
    evidence: int = 0
    computations: int = 0
    judgements: int = 0
    schemes: int = 0
    resolutions: int = 0
    groups: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)
    preferences: list[tuple[str, str, str]] = field(default_factory=list)  # (preferred, over, scheme): not kept

    def summary(self) -> str:
        parts = [f"{self.claims} claims", f"{self.relations} relations", f"{self.sources} sources",
                 f"{self.evidence} evidence", f"{self.computations} computations"]
        if self.judgements:
            parts.append(f"{self.judgements} judgements")
        if self.schemes:
            parts.append(f"{self.schemes} schemes")
        if self.resolutions:
            parts.append(f"{self.resolutions} resolutions")
        if self.groups:
            parts.append(f"{self.groups} groups")
        text = "imported " + ", ".join(parts)
        if self.skipped:
            text += " (skipped: " + ", ".join(f"{v} {k}" for k, v in sorted(self.skipped.items())) + ")"
        if self.preferences:
            shown = "; ".join(f"{a} over {b}" + (f" ({why})" if why else "") for a, b, why in self.preferences[:5])
            more = f"; and {len(self.preferences) - 5} more" if len(self.preferences) > 5 else ""
            n = len(self.preferences)
            text += (f"; {n} preference{'s' if n > 1 else ''} in the file, not kept (argmap has no preference "
                     f"relation): {shown}{more}")
        return text


def _field(doc: MapDocument, section: str, n: int, item: dict, key: str, required: bool = True) -> Any:
    value = item.get(key)
    if required and (value is None or value == ""):
        label = item.get("id", n)
        raise FormatError(doc.name, f"{section} {label!r}", f'a "{key}" field')
    return value


def _text(doc: MapDocument, section: str, n: int, item: dict, key: str) -> str:
    """A required field that must be a text (an id, a reference): no number or list is read as one."""
    value = _field(doc, section, n, item, key)
    if not isinstance(value, str):
        label = item.get("id", n + 1)
        raise FormatError(doc.name, f"{section} {str(label)[:40]!r}", f'a text "{key}", not {type(value).__name__}')
    return value


def _checked(doc: MapDocument, where: str, fn: Callable[[], Any]) -> Any:
    """Run a validator and prefix its message with the file and the place."""
    try:
        return fn()
    except FormatError:
        raise
    except ArgmapError as exc:
        raise FormatError(doc.name, where, f"a valid value ({exc})") from None


def validate_computations(s: Any, name: str, items: list[dict], prefix: str, known_claims: Container[str],
                          known_evidence: set[Any]) -> tuple[list[ComputationRecord], dict[str, Outcome]]:
    """Check a document's computations against the store by running them; return them and
    their results (so each is evaluated once)."""
    defs = computation_rows.load(s)
    new: list[ComputationRecord] = []
    for n, item in enumerate(items):
        where = f"computation {item.get('id', n + 1)!r}"
        try:
            d = computation(item, prefix)
            validate(d)
        except InvalidInput as exc:
            raise FormatError(name, where, f"a valid computation ({exc})") from None
        if d.claim not in known_claims:
            raise FormatError(name, where, f"a known claim id (no claim {d.claim!r})")
        if d.id in defs:
            raise FormatError(name, where, "a computation id not already in the store")
        for inp in d.inputs:
            if inp.evidence_id is not None and inp.evidence_id not in known_evidence:
                raise FormatError(name, where, f"input {inp.name!r} to cite an evidence id of the file")
        d.formula = d.formula.strip()
        defs[d.id] = d
        new.append(d)
    try:
        done = evaluate_all(defs, {d.id for d in new})
    except InvalidInput as exc:
        raise FormatError(name, "computations", f"computations that can be evaluated ({exc})") from None
    new_ids = {d.id for d in new}
    return new, {cid: outcome for cid, outcome in done.items() if cid in new_ids}


def _when(doc: MapDocument, where: str, value: Any, now: Any) -> Any:
    """When a judgement was made, as the file says (ISO 8601, UTC if no zone), in the form
    ``now`` has (the driver's), or None."""
    if value is None:
        return None
    from datetime import datetime, timezone
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        when = None
    if when is None:
        raise FormatError(doc.name, where, 'an "at" that is an ISO 8601 date and time')
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    from argmap.claims.sql import SQLITE_TIME
    return when.strftime(SQLITE_TIME) if isinstance(now, str) else when


def _about(doc: MapDocument, section: str, n: int, item: dict, prefix: str,
           known_claims: Container[str]) -> tuple[str, str]:
    """Where a row about a claim is (for messages), and its claim, which must be known."""
    where = f"{section} {n + 1}"
    claim = prefix + _text(doc, section, n, item, "claim")
    if claim not in known_claims:
        raise FormatError(doc.name, where, f"a known claim id (no claim {claim!r})")
    return where, claim


def _judgements(doc: MapDocument, items: list[dict], prefix: str, known_claims: Container[str], now: Any) -> list[dict]:
    """People's credences in the document, checked: a known claim, a name, a probability,
    one per claim and person."""
    from argmap.claims.judgements import check_credence
    rows, seen = [], set()
    for n, item in enumerate(items):
        where, claim = _about(doc, "judgement", n, item, prefix, known_claims)
        author = _checked(doc, where, lambda: clean_text(_text(doc, "judgement", n, item, "author"), "author", 200))
        credence = _checked(doc, where, lambda: check_credence(item.get("credence")))
        if (claim, author) in seen:
            raise FormatError(doc.name, where, "one judgement per claim and person")
        seen.add((claim, author))
        rows.append({"claim_id": claim, "author": author, "credence": credence,
                     "created_at": _when(doc, where, item.get("at"), now) or now})
    return rows


def _groups(doc: MapDocument, items: list[dict], prefix: str, known_claims: Container[str],
            existing: tuple[set[str], set[str], int], now: Any) -> tuple[list[dict], list[dict]]:
    """The file's groups (parents before the groups inside them) and their claims, checked as
    ``group add`` and ``group put`` check them: a claim in one group at most."""
    from argmap.claims.groups import check_parents
    from argmap.claims.rules import MAX_TITLE
    taken, grouped, first = existing
    by_id: dict[str, dict] = {}
    members: list[dict] = []
    for n, item in enumerate(items):
        gid = prefix + _text(doc, "group", n, item, "id")
        where = f"group {gid!r}"
        _checked(doc, where, lambda: check_id(gid, "group id"))
        if gid in by_id or gid in taken:
            raise FormatError(doc.name, where, "a group id not used already (in the file or the store)")
        title = _checked(doc, where, lambda: clean_text(_field(doc, "group", n, item, "title"), "group title", MAX_TITLE))
        parent = item.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise FormatError(doc.name, where, 'a "parent" that is a group id')
        claims = item.get("claims", [])
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            raise FormatError(doc.name, where, 'a list of claim ids as "claims"')
        by_id[gid] = {"id": gid, "title": title, "parent_id": None if parent is None else prefix + parent,
                      "position": first + n, "created_at": now}
        for claim in claims:
            claim = prefix + claim
            if claim not in known_claims:
                raise FormatError(doc.name, where, f"a known claim id (no claim {claim!r})")
            if claim in grouped:
                raise FormatError(doc.name, where, f"a claim in one group at most ({claim!r} is in two)")
            grouped.add(claim)
            members.append({"claim_id": claim, "group_id": gid, "created_at": now})
    parents = {gid: g["parent_id"] for gid, g in by_id.items()}
    for gid, parent in parents.items():
        if parent is not None and parent not in by_id:
            raise FormatError(doc.name, f"group {gid!r}", f"a parent group in the file (no group {parent!r})")
        _checked(doc, f"group {gid!r}", lambda: check_parents(parents, gid))
    placed: dict[str, dict] = {}  # parents first: each group after the one it sits in

    def place(gid: str) -> None:
        if gid not in placed:
            if parents[gid] is not None:
                place(parents[gid])
            placed[gid] = by_id[gid]
    for gid in by_id:
        place(gid)
    return list(placed.values()), members


def _resolutions(doc: MapDocument, items: list[dict], prefix: str, known_claims: Container[str], sources: set[str],
                 resolved: set[str], now: Any) -> list[dict]:
    """The claims' resolution questions and outcomes, checked as ``edit --resolves-by`` and
    ``resolve`` check them. An outcome imported has no revision in this store's history, so
    ``scores`` counts only the resolutions made here."""
    from datetime import date
    from argmap.claims.resolutions import OUTCOMES
    rows, seen = [], set()
    for n, item in enumerate(items):
        where, claim = _about(doc, "resolution", n, item, prefix, known_claims)
        if claim in seen or claim in resolved:
            raise FormatError(doc.name, where, f"one resolution per claim ({claim!r} has one already)")
        seen.add(claim)
        by = item.get("resolves_by")
        if by is not None:
            try:
                if not isinstance(by, str):
                    raise ValueError(by)
                by = date.fromisoformat(by).isoformat()
            except ValueError:
                raise FormatError(doc.name, where, 'a "resolves_by" date, YYYY-MM-DD') from None
        criteria = item.get("criteria")
        if criteria is not None:
            criteria = _checked(doc, where, lambda: clean_text(criteria, "resolution criteria", 4_000))
        outcome = item.get("outcome")
        if outcome is not None and outcome not in OUTCOMES:
            raise FormatError(doc.name, where, 'an "outcome" of true, false or ambiguous')
        source = item.get("source")
        if source is not None and source not in sources:
            raise FormatError(doc.name, where, f"a known source id (no source {str(source)[:80]!r})")
        rows.append({"claim_id": claim, "resolves_by": by, "criteria": criteria, "outcome": outcome,
                     "source_id": source, "resolved_rev": None, "created_at": now})
    return rows


SCHEMES_SKIPPED = "schemes on claims that are not arguments"


def _schemes(doc: MapDocument, schemes: list[dict], questions: list[dict], prefix: str,
             kind_of: Callable[[str], Optional[str]], now: Any) -> tuple[list[dict], list[dict]]:
    """The schemes the document's arguments follow, and the claims that answer their
    critical questions, checked: an argument of the document, a scheme name (any: another
    tool's names are kept), a question its catalogue scheme asks, a known claim."""
    from argmap.claims.catalogue import find, stored_name
    rows, chosen = [], {}
    for n, item in enumerate(schemes):
        where = f"scheme {n + 1}"
        claim = prefix + _text(doc, "scheme", n, item, "claim")
        kind = kind_of(claim)
        if kind is None:
            raise FormatError(doc.name, where, f"a claim of the file (no claim {claim!r})")
        if kind != "argument":
            doc.skipped[SCHEMES_SKIPPED] = doc.skipped.get(SCHEMES_SKIPPED, 0) + 1
            continue
        if claim in chosen:
            raise FormatError(doc.name, where, "one scheme per argument")
        chosen[claim] = _checked(doc, where, lambda: stored_name(_text(doc, "scheme", n, item, "scheme")))
        rows.append({"claim_id": claim, "scheme": chosen[claim], "created_at": now})
    answers, seen = [], set()
    for n, item in enumerate(questions):
        where = f"question {n + 1}"
        argument = prefix + _text(doc, "question", n, item, "argument")
        scheme = find(chosen.get(argument, "")) if argument in chosen else None
        if scheme is None:
            raise FormatError(doc.name, where, f"an argument of the file that follows a catalogue scheme "
                                               f"({argument!r} does not)")
        question = _text(doc, "question", n, item, "question")
        if question not in {q.id for q in scheme.questions}:
            raise FormatError(doc.name, where, f"a critical question of {scheme.name} (not {question!r})")
        claim = prefix + _text(doc, "question", n, item, "claim")
        if kind_of(claim) is None:
            raise FormatError(doc.name, where, f"a claim of the file (no claim {claim!r})")
        if (argument, question) in seen:
            raise FormatError(doc.name, where, "one answer per question")
        seen.add((argument, question))
        answers.append({"argument_id": argument, "question": question, "claim_id": claim, "created_at": now})
    return rows, answers


BATCH = 20_000  # rows checked and written at a time (at least bulk.REBUILD_INDEXES_FROM: see Filling)


def _batches(items: Iterable[dict], size: int) -> Iterator[tuple[int, list[dict]]]:
    """(the first item's number, the items) a batch at a time."""
    it, n = iter(items), 0
    while chunk := list(islice(it, size)):
        yield n, chunk
        n += len(chunk)


class _Claims:
    """The claims an import knows (the store's and the file's), each with a number: relations
    are checked as pairs of numbers, a few bytes each however many there are."""

    def __init__(self, existing: set[str]):
        self.number = {cid: k for k, cid in enumerate(existing)}
        self.first_new = len(self.number)
        self.kinds: list[str] = []  # the file's claims', in order

    def __contains__(self, cid: str) -> bool:
        return cid in self.number

    def kind_of(self, cid: str) -> Optional[str]:
        """The kind of a claim of the file (None for the store's and unknown ids)."""
        k = self.number.get(cid, -1)
        return self.kinds[k - self.first_new] if k >= self.first_new else None


_KINDS = {k: k for k in KINDS}  # one string per kind, however many claims


def _claims(doc: MapDocument, fill: bulk.Filling, pfx: str, existing: set[str], now: Any, report: ImportReport,
            batch: int) -> _Claims:
    known = _Claims(existing)
    number, kinds = known.number, known.kinds
    clashes: list[str] = []
    clashed: set[str] = set()
    for start, chunk in _batches(doc.section("claims"), batch):
        rows = []
        for n, item in enumerate(chunk, start):
            raw_id = item.get("id")
            if not isinstance(raw_id, str) or not raw_id:
                raw_id = _text(doc, "claim", n, item, "id")
            cid = pfx + raw_id
            try:  # one guard per row: the common, valid case pays for no closures
                check_id(cid, "claim id")
                text = item.get("text")
                text = clean_text(text if isinstance(text, str) else _field(doc, "claim", n, item, "text"))
                kind = _KINDS[check_kind(item.get("kind") or "claim")]
                score = item.get("base_score")
                score = 0.5 if score is None else check_score(score)
                title = item.get("title")
                title = None if title is None else clean_text(title if isinstance(title, str) else str(title),
                                                               "claim title", 1_000)
            except FormatError:
                raise
            except ArgmapError as exc:
                raise FormatError(doc.name, f"claim {raw_id!r}", f"a valid value ({exc})") from None
            k = number.get(cid)
            if k is not None:
                if k >= known.first_new or cid in clashed:
                    raise FormatError(doc.name, f"claim {raw_id!r}", "a unique claim id (it appears twice)")
                clashes.append(cid)
                clashed.add(cid)
                continue
            number[cid] = len(number)
            kinds.append(kind)
            if pfx:
                report.renamed[raw_id] = cid
            rows.append({"id": cid, "text": text, "kind": kind, "base_score": score, "created_at": now,
                         "title": title})
        if not clashes:  # once one clashes the import fails after the claims: nothing more to write
            fill.claims(rows)
            report.claims += len(rows)
    if clashes:
        shown = ", ".join(sorted(clashes)[:5]) + (" ..." if len(clashes) > 5 else "")
        raise ArgmapError(f"{doc.name}: {len(clashes)} claim id(s) already in the store: {shown} "
                          f"(import with --prefix to rename them)")
    return known


def _relations(s: Any, doc: MapDocument, fill: bulk.Filling, pfx: str, known: _Claims, now: Any,
               report: ImportReport, batch: int) -> None:
    number = known.number
    wide = 1 << 32
    pairs: set[int] = set()  # source number * wide + target number
    in_store: set[int] = set()
    if known.first_new:  # the store has claims: the relations it has too (those between claims it knew)
        for a, b in bulk.relation_pairs(s):
            i, j = number.get(a), number.get(b)
            if i is not None and j is not None:
                in_store.add(i * wide + j)
    repeated: set[tuple[str, str]] = set()  # the file's relations the store has: refused after every row's checks
    for start, chunk in _batches(doc.section("relations"), batch):
        rows: list[tuple] = []  # bulk.RELATION_COLUMNS: a tuple a row
        for n, item in enumerate(chunk, start):
            src, dst = item.get("source"), item.get("target")
            src = pfx + (src if isinstance(src, str) and src else _text(doc, "relation", n, item, "source"))
            dst = pfx + (dst if isinstance(dst, str) and dst else _text(doc, "relation", n, item, "target"))
            rtype = item.get("type")
            a, b = number.get(src), number.get(dst)
            key = -1 if a is None or b is None else a * wide + b
            if rtype not in RELATION_TYPES or key < 0 or a == b or key in pairs:
                where = f"relation {n + 1} ({src} -> {dst})"
                _checked(doc, where, lambda: check_relation_type(rtype or ""))
                for end in (src, dst):
                    if end not in known:
                        raise FormatError(doc.name, where, f"a known claim id (no claim {end!r})")
                if src == dst:
                    raise FormatError(doc.name, where, "two different claims (a claim cannot relate to itself)")
                raise FormatError(doc.name, where, "one relation per pair of claims (this pair repeats)")
            pairs.add(key)
            if key in in_store:
                repeated.add((src, dst))
            rows.append((src, dst, rtype, now))
        if not repeated:
            fill.relations(rows)
            report.relations += len(rows)
    if repeated:
        for source, target in bulk.relation_pairs(s):  # the store's first, as the store orders them
            if (source, target) in repeated:
                raise FormatError(doc.name, f"relation {source} -> {target}", "a new relation (the store already has it)")


def _sources(s: Any, doc: MapDocument, fill: bulk.Filling, now: Any, report: ImportReport,
             batch: int) -> dict[str, Optional[str]]:
    """The sources of the file, written; every source's text by id (the store's too)."""
    existing_sources = bulk.sources(s)
    source_texts: dict[str, Optional[str]] = {sid: text for sid, (_, text) in existing_sources.items()}
    for start, chunk in _batches(doc.section("sources"), batch):
        rows = []
        for n, item in enumerate(chunk, start):
            sid = _text(doc, "source", n, item, "id")
            where = f"source {sid!r}"
            _checked(doc, where, lambda: check_id(sid, "source id"))
            title = _checked(doc, where, lambda: clean_text(_field(doc, "source", n, item, "title"),
                                                             "source title", 1_000))
            text = item.get("text")
            if text is not None:
                text = _checked(doc, where, lambda: clean_text(text, "source text", MAX_SOURCE_TEXT))
            if sid in existing_sources:
                if existing_sources[sid][0] != title:
                    raise FormatError(doc.name, where, "a source id not already used by a different source")
                report.skipped["sources already present"] = report.skipped.get("sources already present", 0) + 1
                continue
            if sid in source_texts:
                raise FormatError(doc.name, where, "a unique source id (it appears twice)")
            source_texts[sid] = text
            date = item.get("date")
            date = str(date) if isinstance(date, int) and not isinstance(date, bool) else date  # 2024 is a date
            rows.append({"id": sid, "title": title,
                         "author": _checked(doc, where, lambda: optional_text(item.get("author"), "source author")),
                         "url": _checked(doc, where, lambda: check_url(item.get("url"))),
                         "date": _checked(doc, where, lambda: optional_text(date, "source date", 100)),
                         "text": text, "sha256": _checked(doc, where, lambda: check_sha256(item.get("sha256"))),
                         "created_at": now})
        fill.sources(rows)
        report.sources += len(rows)
    return source_texts


def _evidence(doc: MapDocument, fill: bulk.Filling, pfx: str, known: _Claims, source_texts: dict[str, Optional[str]],
              now: Any, report: ImportReport, batch: int) -> dict[Any, tuple[str, str, str]]:
    """The file's quotes, checked against their sources' texts and written; their keys by
    the file's evidence ids (which computations' inputs cite)."""
    prepared: dict[str, SourceText] = {}
    evidence_keys: dict[Any, tuple[str, str, str]] = {}
    seen_ev: set[tuple[str, str, str]] = set()
    for start, chunk in _batches(doc.section("evidence"), batch):
        rows = []
        for n, item in enumerate(chunk, start):
            cid = pfx + _text(doc, "evidence", n, item, "claim")
            sid = _text(doc, "evidence", n, item, "source")
            where = f"evidence {item.get('id', n + 1)} (claim {cid!r})"
            quote = _checked(doc, where, lambda: clean_text(_field(doc, "evidence", n, item, "quote"),
                                                             "quote", MAX_QUOTE))
            if cid not in known:
                raise FormatError(doc.name, where, f"a known claim id (no claim {cid!r})")
            if sid not in source_texts:
                raise FormatError(doc.name, where, f"a known source id (no source {sid!r})")
            selector = _checked(doc, where, lambda: check_selector(item.get("selector")))
            if source_texts[sid]:
                if sid not in prepared:
                    prepared[sid] = SourceText(source_texts[sid])
                if not prepared[sid].occurs(quote):
                    raise FormatError(doc.name, where, f"a quote that occurs in source {sid!r}")
                selector = selector or prepared[sid].found(quote)[1]
            key = (cid, sid, quote)
            if key in seen_ev:
                raise FormatError(doc.name, where, "a quote not given twice for the same claim and source")
            seen_ev.add(key)
            if item.get("id") is not None:
                if isinstance(item["id"], bool) or not isinstance(item["id"], (int, str)):
                    raise FormatError(doc.name, where, "an evidence \"id\" that is a number or a text")
                evidence_keys[item["id"]] = key
            rows.append({"claim_id": cid, "source_id": sid, "quote": quote,
                         "locator": _checked(doc, where, lambda: optional_text(item.get("locator"), "locator", 200)),
                         "selector": None if selector is None else json.dumps(selector, ensure_ascii=False),
                         "created_at": now})
        fill.evidence(rows)
        report.evidence += len(rows)
    return evidence_keys


def import_document(store: Store, doc: MapDocument, prefix: Optional[str] = None,
                    meta: Optional[dict[str, str]] = None, batch: Optional[int] = None) -> ImportReport:
    """Load ``doc`` into ``store``; ids clashing with existing claims are refused unless ``prefix``.

    Section by section, ``batch`` rows at a time, each batch checked and written (a streamed
    document is never held whole); one transaction, so an error anywhere writes nothing.
    ``meta`` keys are recorded in the same transaction (the demo marks itself loaded so).
    """
    report = ImportReport(skipped=dict(doc.skipped))
    pfx = prefix or ""
    batch = batch or BATCH
    with store.transaction() as s:
        now = bulk.now(s)
        with bulk.Filling(s) as fill:
            known = _claims(doc, fill, pfx, bulk.claim_ids(s), now, report, batch)
            _relations(s, doc, fill, pfx, known, now, report, batch)
            source_texts = _sources(s, doc, fill, now, report, batch)
            evidence_keys = _evidence(doc, fill, pfx, known, source_texts, now, report, batch)
            items = list(doc.section("computations"))  # few: one per claim with arithmetic at most
            computations: list[ComputationRecord] = []
            outcomes: dict[str, Outcome] = {}
            if items:
                computations, outcomes = validate_computations(s, doc.name, items, pfx, known, set(evidence_keys))
            judgement_rows = _judgements(doc, list(doc.section("judgements")), pfx, known, now)
            resolutions = list(doc.section("resolutions"))
            resolution_rows = _resolutions(doc, resolutions, pfx, known, set(source_texts),
                                           bulk.resolved_claims(s) if resolutions else set(), now)
            groups = list(doc.section("groups"))
            group_rows, member_rows = _groups(doc, groups, pfx, known, bulk.grouping(s) if groups else (set(), set(), 0), now)
            scheme_rows, answer_rows = _schemes(doc, list(doc.section("schemes")), list(doc.section("questions")),
                                                pfx, known.kind_of, now)
            doc.finish()
            report.skipped.update({k: v for k, v in doc.skipped.items() if k == SCHEMES_SKIPPED})
            fill.computations(computations, evidence_keys, {cid: o.result for cid, o in outcomes.items()})
        for key, value in (meta or {}).items():
            bulk.set_meta(s, key, value)
        if judgement_rows:  # few, and logged row by row as any judgement is
            from argmap.claims.models import Judgement
            bulk.bulk_insert(s, Judgement.__table__, judgement_rows)
        if resolution_rows:  # few, logged row by row
            from argmap.claims.models import Resolution
            bulk.bulk_insert(s, Resolution.__table__, resolution_rows)
        if scheme_rows or answer_rows:  # few too, logged row by row
            from argmap.claims.models import ArgumentScheme, QuestionAnswer
            bulk.bulk_insert(s, ArgumentScheme.__table__, scheme_rows)
            bulk.bulk_insert(s, QuestionAnswer.__table__, answer_rows)
        if group_rows:  # logged row by row, parents first (an undo takes them away children first)
            from argmap.claims.models import ClaimGroup, GroupMember
            bulk.bulk_insert(s, ClaimGroup.__table__, group_rows)
            bulk.bulk_insert(s, GroupMember.__table__, member_rows)
        report.preferences = [(pfx + p["preferred"], pfx + p["over"], p.get("scheme") or "") for p in doc.preferences]
        report.computations = len(computations)
        report.judgements = len(judgement_rows)
        report.schemes = len(scheme_rows)
        report.resolutions = len(resolution_rows)
        report.groups = len(group_rows)
    return report
