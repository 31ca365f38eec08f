"""``Argmap``: a store opened for one person, with every operation argmap offers, each one
transaction. The CLI, the web app and Python scripts all call these methods, so an operation
and its rules exist once: which role may do it (``actors``), whether what it changes was
changed since the caller last looked (``base_rev``), what the history records of it.

Reads and the everyday writes on a SQLite file go through the standard library's sqlite3
(``argmap.claims.quick``) while no full store has been opened, so that one ``argmap object``
need not import SQLAlchemy; the same code (``argmap.claims.writes``, ``plain_reads``) runs
either way.
"""

import shlex
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, TypeVar

from argmap.claims import history
from argmap.claims.location import resolve_location
from argmap.claims.records import ClaimDetail, ClaimRecord, EvidenceRecord, JudgementRecord, RelationRecord, SourceRecord
from argmap.claims.sql import Sql
from argmap.errors import Conflict, InvalidInput, NotFound
from argmap.service.actors import LOCAL, Actor

if TYPE_CHECKING:
    from argmap.claims.quick import QuickStore
    from argmap.claims.store import Store

T = TypeVar("T")
MAX_COMMAND_WORD = 80  # a word of the history's record of a command from the web (texts are long)


class Argmap:
    """An argmap store (a SQLite file or a database URL), opened for ``actor``.

    Cheap to make; the database is opened at the first operation. Use it as a context
    manager, or call ``close()``. Every method is one transaction: on any error nothing is
    written, and a store file that this handle created is removed again.
    """

    def __init__(self, location: Optional[str] = None, *, actor: Actor = LOCAL, create: bool = True,
                 store: Optional["Store"] = None):
        self.location = resolve_location(location)
        self.actor = actor
        self.create = create
        self._store = store
        self._owned = store is None
        self.last_rev: Optional[int] = None  # the revision the last write made (None: it wrote nothing)

    # --- opening and closing ------------------------------------------------------------

    @property
    def store(self) -> "Store":
        """The full store (SQLAlchemy), opened, created or upgraded on first use."""
        if self._store is None:
            from argmap.claims.store import Store
            self._store = Store(self.location, create=self.create)
        return self._store

    @property
    def where(self) -> str:
        """The store's location as it may be shown (a database URL without its password)."""
        return self.store.where

    def as_actor(self, actor: Actor) -> "Argmap":
        """The same open store, for someone else (a server's request)."""
        return Argmap(self.location, actor=actor, store=self.store)

    def close(self, failed: bool = False) -> None:
        if self._store is not None and self._owned:
            self._store.close(failed=failed)
            self._store = None

    def __enter__(self) -> "Argmap":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(failed=exc_type is not None)

    def _quick(self, reading: bool) -> Optional["QuickStore"]:
        """The sqlite3 path, when nothing has opened the full store and it applies."""
        if self._store is not None:
            return None
        from argmap.claims.quick import QuickStore
        return QuickStore.open(self.location, reading=reading)

    def _read(self, work: Callable[[Sql], T]) -> T:
        """``work(db)`` in one read transaction, by the quickest path open to it."""
        self.actor.require("read")
        quick = self._quick(reading=True)
        if quick is not None:
            with quick, quick.reading() as db:
                return work(db)
        with self.store.transaction() as s:
            return work(_sql(s, self.store))

    # --- writing ----------------------------------------------------------------------

    def _command(self, op: str, words: tuple) -> Optional[str]:
        """The history's record of an operation asked for over the web (the CLI's own command
        line is said by the CLI)."""
        if self.actor.via is None:
            return None
        shown = [shlex.quote(w if len(w) <= MAX_COMMAND_WORD else w[:MAX_COMMAND_WORD - 1] + "…")
                 for w in (str(x) for x in words if x is not None and x is not False)]
        return " ".join([f"{self.actor.via}:", op, *shown])

    @contextmanager
    def _acting(self, op: str, *words: Any, action: str = "edit") -> Iterator[None]:
        self.actor.require(action)
        self.last_rev = None
        history.note_sealed(None)
        with history.acting(self.actor.name, self._command(op, words)):
            yield
        self.last_rev = history.last_sealed()

    @contextmanager
    def _writing(self, op: str, *words: Any, action: str = "edit") -> Iterator[Sql]:
        """One write transaction on the full store, recorded in the history as ``op``."""
        with self._acting(op, *words, action=action), self.store.transaction() as s:
            yield _sql(s, self.store)

    def _fresh(self, db: Sql, base_rev: Optional[int], what: str, identities: tuple = (),
               claim: Optional[str] = None, current: Optional[Callable[[], Any]] = None) -> None:
        """Refuse (Conflict) when what a write is about changed after ``base_rev``, the
        revision its caller last saw; None: the caller does not say, and is not checked."""
        if base_rev is None:
            return
        if isinstance(base_rev, bool) or not isinstance(base_rev, int) or base_rev < 0:
            raise InvalidInput(f"a base revision is a whole number from 0, not {str(base_rev)[:40]!r}")
        head = history.head(db)
        if base_rev > head:
            raise InvalidInput(f"there is no revision {base_rev} yet (the latest is {head})")
        for table, key in identities:
            history.lock_rows(db, table, [key])
        since = history.changes_since(db, base_rev, identities, claim)
        if not since:
            return
        last = since[-1]
        details = {"base_rev": base_rev, "rev": history.head(db), "what": what,
                   "changes": [{"rev": c.rev, "at": c.at, "author": c.author, "command": c.command} for c in since],
                   "current": current() if current else None}
        raise Conflict(f"{what} was changed since revision {base_rev}: by {last.author} in change {last.rev} "
                       f"({last.command}); look at it again, then redo your change", details)

    def _claim_now(self, db: Sql, claim_id: str) -> Optional[dict]:
        from argmap.claims.plain_reads import claim, detail
        return detail(db, claim_id).to_json() if claim(db, claim_id) is not None else None

    def _add(self, verb: str, text: str, claim_id: Optional[str], target: Optional[str],
             kind: Optional[str], base_score: Optional[float] = None, scheme: Optional[str] = None) -> ClaimRecord:
        from argmap.claims import schemes, writes
        with self._acting(verb, target, text, claim_id and f"--id={claim_id}", kind and f"--kind={kind}",
                          scheme and f"--scheme={scheme}"):
            quick = self._quick(reading=False)
            if quick is not None and base_score is None and scheme is None:
                with quick:
                    return quick.add(verb, text, claim_id, target, kind)
            with self.store.transaction() as s:
                db = _sql(s, self.store)
                made = writes.add_claim(db, verb, text, claim_id, target, kind, 0.5 if base_score is None else base_score)
                if scheme is not None:
                    schemes.set_scheme(db, made.id, scheme)
                return made

    # --- claims and relations -------------------------------------------------------------

    def add(self, text: str, kind: str = "claim", id: Optional[str] = None,
            base_score: Optional[float] = None, scheme: Optional[str] = None) -> ClaimRecord:
        """A new claim (kinds: thesis, claim, objection, rebuttal, argument); an argument may
        follow a ``scheme`` of the catalogue."""
        return self._add("add", text, id, None, kind, base_score, scheme)

    def object(self, target: str, text: str, id: Optional[str] = None) -> ClaimRecord:
        """A new objection: a claim that attacks ``target``."""
        return self._add("object", text, id, target, None)

    def rebut(self, target: str, text: str, id: Optional[str] = None) -> ClaimRecord:
        """A new rebuttal: a claim that attacks the objection ``target``."""
        return self._add("rebut", text, id, target, None)

    def support(self, target: str, text: str, id: Optional[str] = None) -> ClaimRecord:
        """A new claim that supports ``target``."""
        return self._add("support", text, id, target, None)

    def link(self, source: str, target: str, type: str, base_rev: Optional[int] = None) -> RelationRecord:
        """``source`` supports or attacks ``target`` (both exist already)."""
        from argmap.claims import writes
        with self._writing("link", source, target, f"--{type}") as db:
            self._fresh(db, base_rev, f"the relation from {source!r} to {target!r}",
                        (("relation", source, target),))
            return writes.add_relation(db, source, target, type)

    def unlink(self, source: str, target: str, base_rev: Optional[int] = None) -> RelationRecord:
        from argmap.claims import writes
        with self._writing("unlink", source, target) as db:
            self._fresh(db, base_rev, f"the relation from {source!r} to {target!r}",
                        (("relation", source, target),))
            return writes.remove_relation(db, source, target)

    def edit(self, id: str, text: Optional[str] = None, kind: Optional[str] = None,
             base_score: Optional[float] = None, title: Optional[str] = None,
             base_rev: Optional[int] = None, resolves_by: Optional[str] = None,
             resolution_criteria: Optional[str] = None, scheme: Optional[str] = None) -> ClaimRecord:
        """Change a claim's text, kind, base score or title ("" removes the title), the
        question it resolves by (a date, the criteria), or the scheme an argument follows
        ("" removes it)."""
        from argmap.claims import resolutions, schemes, writes
        claim_fields = (text, kind, base_score, title)
        if all(v is None for v in (*claim_fields, resolves_by, resolution_criteria, scheme)):
            raise InvalidInput("nothing to change: give a text, kind, title, base score or scheme")
        words = (id, text and f"--text={text}", kind and f"--kind={kind}",
                 base_score is not None and f"--base-score={base_score}", title is not None and f"--title={title}",
                 resolves_by and f"--resolves-by={resolves_by}",
                 resolution_criteria and f"--resolution-criteria={resolution_criteria}",
                 scheme is not None and f"--scheme={scheme}")
        with self._writing("edit", *words) as db:
            self._fresh(db, base_rev, f"claim {id!r}", (("claim", id),), current=lambda: self._claim_now(db, id))
            if resolves_by is not None or resolution_criteria is not None:
                resolutions.set_question(db, id, resolves_by, resolution_criteria)
            current = schemes.scheme_of(db, id) if kind not in (None, "argument") and scheme is None else None
            if current is not None:
                raise InvalidInput(f"{id!r} follows the scheme {current}: only an argument does; take it away first "
                                   f"(--scheme \"\")")
            if scheme is not None and not scheme.strip():
                schemes.set_scheme(db, id, None)
            if all(v is None for v in claim_fields):
                from argmap.claims.plain_reads import claim
                changed = claim(db, id)
            else:
                changed = writes.edit_claim(db, id, text, kind, base_score, title)
            if scheme is not None and scheme.strip():  # after a change of kind: it must be an argument by then
                schemes.set_scheme(db, id, scheme)
            return changed

    def remove(self, id: str, cascade: bool = False, base_rev: Optional[int] = None) -> list[str]:
        """Remove a claim with its evidence and computations; refused while relations point
        at it, unless ``cascade``. Returns the removed ids."""
        from argmap.claims import writes
        with self._writing("remove", id, cascade and "--cascade") as db:
            self._fresh(db, base_rev, f"claim {id!r}", (("claim", id),), claim=id,
                        current=lambda: self._claim_now(db, id))
            return writes.remove_claim(db, id, cascade)

    # --- reading the map --------------------------------------------------------------------

    def head(self) -> int:
        """The latest revision of the history (0: none yet)."""
        return self._read(history.head)

    def claims(self, kind: Optional[str] = None) -> list[ClaimRecord]:
        from argmap.claims.plain_reads import claims
        return self._read(lambda db: claims(db, kind))

    def claim(self, id: str) -> ClaimDetail:
        """A claim with its evidence, computations, supporters and attackers (``show``)."""
        from argmap.claims.plain_reads import detail
        return self._read(lambda db: detail(db, id))

    # --- argumentation schemes and critical questions ----------------------------------------

    @staticmethod
    def schemes() -> list:
        """The catalogue of argumentation schemes (``argmap scheme list``): no store needed."""
        from argmap.claims.catalogue import catalogue
        return list(catalogue())

    @staticmethod
    def scheme(name: str):
        """One scheme: its premise roles, conclusion and critical questions (``scheme show``)."""
        from argmap.claims.catalogue import get
        return get(name)

    def questions(self, id: str) -> dict[str, Any]:
        """The critical questions of argument ``id``'s scheme, each open or answered."""
        from argmap.graph.questions import questions
        from argmap.graph.whatif import grounded_labels
        amap = self.read_map()
        return questions(amap, id, grounded_labels(amap.framework()))

    def ask(self, id: str, question: str, text: Optional[str] = None, new_id: Optional[str] = None,
            by: Optional[str] = None, premise: Optional[str] = None) -> dict[str, Any]:
        """Turn critical question ``question`` of argument ``id`` into a claim that undercuts
        it (or, with ``premise``, attacks that premise): a new objection whose text is the
        question until someone rewrites it, or the existing claim ``by``."""
        from argmap.claims import schemes
        with self._writing("ask", id, question, text and f"--text={text}", new_id and f"--id={new_id}",
                           by and f"--by={by}", premise and f"--premise={premise}") as db:
            return schemes.ask(db, id, question, text, new_id, by, premise)

    def status(self, id: Optional[str] = None, semantics: str = "grounded", timeout: float = 30.0,
               limit: Optional[int] = None, bipolar: bool = False, auto_limit: bool = False,
               burden: str = "none") -> dict[str, Any]:
        """What stands and why (``status --json``): every claim, or one. ``burden``
        ``open-questions``: an open critical question that its scheme marks as an exception
        leaves its argument undecided (grounded)."""
        from argmap.graph import status as st
        from argmap.graph.questions import burden_status, check_burden
        if check_burden(burden) != "none":
            if semantics != "grounded" or bipolar:
                raise InvalidInput("--burden works with grounded semantics: leave out --semantics and --bipolar")
            amap = self.read_map()
            data = burden_status(amap)
            if id:
                row = next((r for r in data["claims"] if r["id"] == id), None)
                if row is None:
                    raise NotFound(f"no claim with id {id!r}")
                return {"semantics": "grounded", "burden": burden, **row}
            if limit:
                data["claims"] = data["claims"][:limit]
            return data
        st.check_options(semantics, limit, bipolar)
        if semantics == "grounded" and not bipolar:
            def grounded(db: Sql) -> dict[str, Any]:
                data = st.grounded_claim(db, id) if id else st.grounded_table(db, limit, auto_limit)
                return _with_questions(db, data)
            return self._read(grounded)
        self.actor.require("read")
        if id:
            data = st.claim_status(self.store, id, semantics, timeout, bipolar)
        else:
            data = st.status(self.store, semantics, timeout, limit, auto_limit=auto_limit, bipolar=bipolar)
        return self._read(lambda db: _with_questions(db, data))

    def robust(self, id: Optional[str] = None, draws: int = 1000, seed: int = 1,
               limit: Optional[int] = None, who: Optional[str] = None) -> dict[str, Any]:
        """How often each claim stands as the ranged inputs are drawn anew (``status --robust``);
        with ``who`` (``alice``, ``alice,bob``, ``everyone``), each judged claim present in a
        draw with that perspective's pooled credence."""
        from argmap.graph.robust import robustness
        amap = self.read_map()
        extra: dict[str, Any] = {}
        cred = None
        if who is not None:
            from argmap.graph.perspectives import POOLING, exact_stands, view_of
            people, cred = view_of(amap, who)
            exact = exact_stands(amap, cred)
            extra = {"perspective": people, "pooling": POOLING,
                     "exact": None if exact is None else {c: round(v, 6) for c, v in exact.items()}}
        data = {**robustness(amap, draws, seed, cred), **extra}
        if id:
            data["claims"] = [r for r in data["claims"] if r["id"] == id]
            if not data["claims"]:
                raise NotFound(f"no claim with id {id!r}")
        elif limit:
            data["claims"] = data["claims"][:limit]
        return data

    def perspective(self, who: str, id: Optional[str] = None) -> dict[str, Any]:
        """The map as ``who`` judges it: each judged claim's pooled credence read as a verdict
        (>= 0.5 accepted, < 0.5 rejected), and the grounded labels that follow."""
        from argmap.graph.perspectives import POOLING, view_labels, view_of
        from argmap.graph.whatif import grounded_labels
        amap = self.read_map()
        people, cred = view_of(amap, who)
        labels, stored = view_labels(amap, cred), grounded_labels(amap.framework())
        rows = [{"id": c.id, "kind": c.kind, "credence": None if c.id not in cred else round(cred[c.id], 6),
                 "label": labels[c.id], "as_written": stored[c.id]}
                for c in sorted(amap.claims, key=lambda c: (c.kind != "thesis", c.id))]
        if id is not None:
            rows = [r for r in rows if r["id"] == id]
            if not rows:
                raise NotFound(f"no claim with id {id!r}")
        return {"perspective": people, "pooling": POOLING, "semantics": "grounded",
                "threshold": "credence >= 0.5 accepts, < 0.5 rejects", "claims": rows}

    def crux_between(self, id: str, a: str, b: str, max_size: int = 3, draws: int = 1000,
                     seed: int = 1) -> dict[str, Any]:
        """Where two people's disagreement matters for ``id`` (``argmap crux ID --between A B``)."""
        from argmap.graph.disagreement import crux_between
        amap = self.read_map()
        return crux_between(amap, id, amap.judgements, a, b, max_size, draws, seed, tuple(amap.resolutions))

    def read_map(self, at: Optional[str] = None):
        """The whole map as an ``ArgumentMap`` (as it was at revision or time ``at``)."""
        self.actor.require("read")
        with self.store.at(at) as store:
            return store.read_map()

    def whatif(self, reject: tuple = (), accept: tuple = (), settings: tuple = (),
               who: Optional[str] = None) -> dict[str, Any]:
        """What moves if those claims were rejected or accepted and those inputs set
        (``COMP.INPUT=VALUE``); writes nothing. With ``who``, from that perspective's
        thresholded view (``status --as``), the suppositions overriding it."""
        from argmap.graph.whatif import Supposition, parse_setting, whatif
        sup = Supposition(set(reject), set(accept), dict(parse_setting(x) for x in settings))
        amap = self.read_map()
        if who is None:
            return whatif(amap, sup)
        view, named = _view(amap, who)
        return {**whatif(amap, sup, view), **named}

    def crux(self, id: str, max_size: int = 2, semantics: str = "grounded", timeout: float = 30.0,
             numbers: bool = True, who: Optional[str] = None) -> dict[str, Any]:
        """The smallest sets of claims, and the break-even numbers, that would change ``id``'s
        status; with ``who``, its label in that perspective's thresholded view, from that view
        (grounded; the break-even numbers are the map's as written, so they are left out)."""
        from argmap.graph.whatif import break_even, cruxes_extension, cruxes_of_arrays
        if semantics not in ("grounded", "preferred", "stable", "complete"):
            raise InvalidInput(f"unknown semantics {semantics!r}: use grounded, preferred, stable or complete")
        if max_size < 1:
            raise InvalidInput("--max-size must be 1 or more")
        self.actor.require("read")
        if who is not None:
            if semantics != "grounded":
                raise InvalidInput("--as reads a perspective as grounded verdicts: leave out --semantics")
            amap = self.store.read_map()
            if id not in amap.claim_ids():
                raise NotFound(f"no claim with id {id!r}")
            view, named = _view(amap, who)
            return {**cruxes_of_arrays(amap.framework(), id, max_size, view), "break_even": [], **named}
        # the claims and attacks are all a grounded crux search needs; the rest, read once, if asked for
        amap = self.store.read_map() if numbers or semantics != "grounded" else None
        if semantics == "grounded":
            arrays = self.store.read_arrays()
            if id not in arrays.index or arrays.index[id] >= arrays.claims:
                raise NotFound(f"no claim with id {id!r}")
            data = cruxes_of_arrays(arrays, id, max_size)
        else:
            data = cruxes_extension(amap, id, max_size, semantics, timeout)
        data["break_even"] = break_even(amap, id) if numbers else []
        return data

    def check(self) -> list:
        """The store's integrity problems (``argmap check``), none when all is well."""
        from argmap.evidence.integrity import check_store
        self.actor.require("read")
        return check_store(self.store)

    def framework(self) -> tuple[list[str], list[tuple[str, str]]]:
        """The attack framework (failing computations included): names and attacks, sorted."""
        self.actor.require("read")
        arrays = self.store.read_arrays()
        af, names = arrays.framework(), arrays.names
        return sorted(names), sorted((names[a], names[b]) for a, b in zip(af.src.tolist(), af.dst.tolist()))

    # --- sources and evidence ---------------------------------------------------------------

    def sources(self) -> list[SourceRecord]:
        from argmap.evidence.sources import list_sources
        self.actor.require("read")
        return list_sources(self.store)

    def add_source(self, id: str, title: Optional[str] = None, author: Optional[str] = None,
                   url: Optional[str] = None, date: Optional[str] = None, text: Optional[str] = None,
                   file: Optional[Path] = None) -> SourceRecord:
        """A source; with ``file`` (text, Markdown, HTML or PDF), its text read from it, and its
        title and date where the file says them and they are not given."""
        from argmap.evidence.sources import add_source
        if file is not None:
            from argmap.evidence.documents import read_document
            if text is not None:
                raise InvalidInput("give the text or a file, not both")
            doc = read_document(Path(file))
            text, title, date, digest = doc.text, title or doc.title, date or doc.date, doc.sha256
        else:
            digest = None
        if not title:
            raise InvalidInput("a source needs a title (--title), and this file gives none")
        with self._acting("source add", id, f"--title={title}", url and f"--url={url}", file and f"--file={file}"):
            return add_source(self.store, id, title, author, url, date, text, sha256=digest)

    def attach_text(self, id: str, text: str) -> SourceRecord:
        from argmap.evidence.sources import attach_text
        with self._acting("source attach-text", id):
            return attach_text(self.store, id, text)

    def add_evidence(self, claim: str, source: str, quote: str, locator: Optional[str] = None) -> EvidenceRecord:
        """An exact quote from ``source`` for ``claim``, checked against the source's text."""
        from argmap.evidence.sources import add_evidence
        with self._acting("evidence add", claim, f"--source={source}", f"--quote={quote}"):
            return add_evidence(self.store, claim, source, quote, locator)

    def remove_evidence(self, evidence_id: int) -> EvidenceRecord:
        from argmap.evidence.sources import remove_evidence
        with self._acting("evidence remove", evidence_id):
            return remove_evidence(self.store, evidence_id)

    # --- people's judgements ----------------------------------------------------------------

    def judge(self, claim: str, credence: float) -> JudgementRecord:
        """Your credence that ``claim`` holds (for an argument: that its inference holds)."""
        from argmap.claims import judgements
        with self._writing("judge", claim, f"--credence={credence}") as db:
            return judgements.judge(db, claim, self.actor.name or history.author(), credence)

    def clear_judgement(self, claim: str) -> JudgementRecord:
        from argmap.claims import judgements
        with self._writing("judge", claim, "--clear") as db:
            return judgements.clear(db, claim, self.actor.name or history.author())

    def resolve(self, claim: str, outcome: str, source: Optional[str] = None):
        """Settle a claim: true, false or ambiguous (``source``: the evidence of it)."""
        from argmap.claims import resolutions
        with self._writing("resolve", claim, outcome, source and f"--source={source}") as db:
            return resolutions.resolve(db, claim, outcome, source, history.head(db))

    # --- groups: named, nested parts of the map -------------------------------------------

    def groups(self) -> list:
        """The map's groups in order, each with the claims in it."""
        from argmap.claims.groups import groups_of
        return self._read(groups_of)

    def add_group(self, title: str, id: Optional[str] = None, parent: Optional[str] = None, claims: tuple = ()):
        """A new group (inside ``parent``, if given) holding ``claims``; its id is made from the
        title unless given."""
        from argmap.claims import groups
        with self._writing("group add", title, id and f"--id={id}", parent and f"--parent={parent}",
                           *claims) as db:
            made = groups.add_group(db, title, id, parent)
            return groups.put(db, made.id, claims) if claims else made

    def put_in_group(self, group: Optional[str], claims: list[str]):
        """Move ``claims`` into ``group`` (None: out of any group)."""
        from argmap.claims import groups
        with self._writing("group put", group or "--none", *claims) as db:
            return groups.put(db, group, claims)

    def take_out_of_group(self, group: str, claims: list[str]):
        """Take ``claims`` out of ``group`` (each must be in it); the group as it is after."""
        from argmap.claims import groups
        with self._writing("group put", "-", *claims) as db:
            return groups.take_out(db, group, claims)

    def edit_group(self, id: str, title: Optional[str] = None, parent: Optional[str] = None, top: bool = False):
        from argmap.claims import groups
        with self._writing("group edit", id, title and f"--title={title}", parent and f"--parent={parent}",
                           top and "--top") as db:
            return groups.edit_group(db, id, title, parent, top)

    def remove_group(self, id: str):
        """Take a group away; its claims and the groups inside it move up to its parent."""
        from argmap.claims import groups
        with self._writing("group remove", id) as db:
            return groups.remove_group(db, id)

    def resolutions(self) -> list:
        from argmap.claims import resolutions
        return self._read(resolutions.resolutions)

    def scores(self) -> dict[str, Any]:
        """Each person's Brier and log scores over the resolved claims (``argmap scores``)."""
        from argmap.claims import resolutions
        from argmap.graph.perspectives import scores

        def work(db):
            settled = resolutions.resolutions(db)
            upto = {r.claim: r.resolved_rev for r in settled if r.resolved_rev is not None}
            return settled, resolutions.credences_before(db, set(upto), upto)
        settled, before = self._read(work)
        return scores(settled, before)

    def judgements(self, claim: Optional[str] = None, author: Optional[str] = None) -> list:
        from argmap.claims import judgements
        return self._read(lambda db: judgements.judgements(db, claim, author))

    # --- computations -----------------------------------------------------------------------

    def computations(self) -> list:
        self.actor.require("read")
        return self.store.computations()

    def computation(self, id: str) -> dict[str, Any]:
        from argmap.evidence.computations import show_computation
        self.actor.require("read")
        return show_computation(self.store, id)

    def add_computation(self, record: Any) -> dict[str, Any]:
        from argmap.evidence.computations import add_computation
        with self._acting("compute add", record.claim, f"--id={record.id}", f"--formula={record.formula}"):
            return add_computation(self.store, record)

    def run_computations(self, id: Optional[str] = None) -> list[dict[str, Any]]:
        from argmap.evidence.computations import run_all
        with self._acting("compute run", id):
            return run_all(self.store, id)

    def set_input(self, id: str, assignment: str, unit: Optional[str] = None) -> dict[str, Any]:
        from argmap.evidence.computations import set_input
        from argmap.graph.status import grounded_labels_in_session
        with self._acting("compute set", id, assignment, unit and f"--unit={unit}"):
            return set_input(self.store, id, assignment, unit, observe=grounded_labels_in_session)

    def remove_computation(self, id: str) -> str:
        from argmap.evidence.computations import remove_computation
        with self._acting("compute remove", id):
            return remove_computation(self.store, id)

    # --- whole maps in and out ----------------------------------------------------------------

    def load_demo(self):
        """Load the built-in debate, once (None when it is there already)."""
        from argmap.demo import load_demo
        with self._acting("demo"):
            return load_demo(self.store)

    def import_file(self, path: Path, fmt: Optional[str] = None, prefix: Optional[str] = None):
        """Import a map file, all or nothing."""
        from argmap.graph.formats.io import import_path
        with self._acting("import", str(path), fmt and f"--format={fmt}", prefix and f"--prefix={prefix}"):
            return import_path(self.store, path, fmt, prefix)

    def export(self, fmt: str = "json", focus: Optional[str] = None, depth: int = 2, title: str = "argmap",
               at: Optional[str] = None, who: Optional[str] = None) -> bytes:
        """The map (or ``focus``'s part of it) in ``fmt``, as bytes; with ``who``, each claim's
        label as that perspective sees it (the formats that show labels)."""
        from argmap.graph.formats.io import export_store
        self.actor.require("read")
        with self.store.at(at) as store:
            return export_store(store, fmt, focus, depth, title, who, at)

    def export_to(self, out: Path, fmt: str = "json", title: str = "argmap", at: Optional[str] = None,
                  force: bool = False) -> Path:
        """The whole map in ``fmt`` written to ``out`` as it is read (any size, little memory);
        ``force`` lets it replace a file that does not look like one of ``fmt``'s."""
        from argmap.graph.formats.io import stream_store
        self.actor.require("read")
        with self.store.at(at) as store:
            return stream_store(store, fmt, out, title, force)

    def document(self) -> bytes:
        """The map as ``export --format json`` writes it."""
        return self.export("json")

    def render(self, out: Path, title: str = "argmap", focus: Optional[str] = None, depth: int = 2,
               break_even: bool = False, at: Optional[str] = None, force: bool = False,
               who: Optional[str] = None) -> Optional[Path]:
        """Write the HTML map (of ``focus`` and its neighbours with ``focus``); its path, or
        None when written to standard output (``-``). ``force``: replace a file that is not
        an HTML page (a store or any database is never replaced). ``who``: the perspective
        the page opens in."""
        from argmap.graph.maps import read_view_on, render_store
        self.actor.require("read")
        quick = self._quick(reading=True) if at is None and not (who and focus) else None
        if quick is not None:  # plain SQL on a SQLite store: no SQLAlchemy to import

            def view():
                with quick.reading() as db:
                    return read_view_on(db, focus, depth)
            with quick:
                return render_store(None, out, title=title, focus=focus, depth=depth, break_even=break_even,
                                    view=view, force=force, who=who)
        with self.store.at(at) as store:
            return render_store(store, out, title=title, focus=focus, depth=depth, break_even=break_even,
                                force=force, who=who)

    def page(self, title: str = "argmap") -> dict[str, Any]:
        """What a live page shows (``graph.render.map_data``) and the revision it shows, read
        in one transaction."""
        from argmap.graph.maps import page_data
        self.actor.require("read")
        with self.store.transaction() as s:
            db = _sql(s, self.store)
            rev = history.head(db)
            data = page_data(db, title)
        return {"rev": rev, "data": data}

    # --- the history --------------------------------------------------------------------------

    def history(self, since: Optional[str] = None, upto: Optional[str] = None, author: Optional[str] = None,
                claim: Optional[str] = None, rows: bool = False) -> list:
        """The changes (after ``since``, up to ``upto``; of one author or about one claim)."""
        self.actor.require("read")
        found = self.store.history(since, upto, author, claim, rows)
        if claim is not None and not found and claim not in {c.id for c in self.store.list_claims()}:
            raise NotFound(f"no claim {claim!r}, and no change in the history mentions it")
        return found

    def diff(self, since: Optional[str] = None, to: Optional[str] = None) -> dict[str, Any]:
        from argmap.graph.history_diff import diff
        self.actor.require("read")
        return diff(self.store, since, to)

    def undo(self, rev: Optional[int] = None):
        """Revert one change (the latest by default) as a new change. An editor may undo
        only their own changes."""
        with self._acting("undo", rev, action="undo"), self.store.transaction() as s:
            db = _sql(s, self.store)
            if rev is None:
                rev = history.head(db)
                if rev == 0:
                    raise NotFound("the history is empty: nothing to undo")
            target = history.change(db, rev)
            if not self.actor.may("undo-others") and target.author != (self.actor.name or history.author()):
                self.actor.require("undo-others")
            return history.undo(db, rev)

    def watcher(self):
        """Something to wait on for the next change by anyone (``claims.watch.ChangeWatcher``)."""
        from argmap.claims.watch import ChangeWatcher
        self.actor.require("read")
        return ChangeWatcher(self.store.engine, self.store.sqlite_file)

    def announcements(self, after: int, limit: int = 200) -> list[dict]:
        """The changes after revision ``after``, as a live page hears of them."""
        return self._read(lambda db: history.announcements(db, after, limit))

    # --- people and tokens (a served map's) -----------------------------------------------------

    @contextmanager
    def _accounts(self, manage: bool = True) -> Iterator[Sql]:
        if manage:
            self.actor.require("manage")
        with self.store.transaction() as s:
            yield _sql(s, self.store)

    def users(self) -> list:
        from argmap.claims.accounts import listing
        with self._accounts() as db:
            return listing(db)

    def has_users(self) -> bool:
        from argmap.claims.accounts import count
        with self._accounts(manage=False) as db:
            return count(db) > 0

    def add_user(self, name: str, role: str, password: str):
        from argmap.service import accounts
        with self._accounts() as db:
            return accounts.add_user(db, name, role, password)

    def remove_user(self, name: str) -> None:
        from argmap.service import accounts
        with self._accounts() as db:
            accounts.remove_user(db, name)

    def set_role(self, name: str, role: str):
        from argmap.service import accounts
        with self._accounts() as db:
            return accounts.set_role(db, name, role)

    def set_password(self, name: str, password: str) -> None:
        from argmap.service import accounts
        with self._accounts() as db:
            accounts.set_password(db, name, password)

    def create_token(self, name: str, label: Optional[str] = None) -> tuple[str, str]:
        """A new API token for user ``name``: (its id, the token, shown this once)."""
        from argmap.service import accounts
        with self._accounts() as db:
            return accounts.create_token(db, name, label)

    def tokens(self, name: Optional[str] = None) -> list[tuple]:
        from argmap.claims.accounts import tokens
        with self._accounts() as db:
            return tokens(db, name)

    def revoke_token(self, token_id: str) -> None:
        from argmap.service import accounts
        with self._accounts() as db:
            accounts.revoke_token(db, token_id)

    # --- who is asking (for a server) ----------------------------------------------------------

    def actor_of_token(self, token: str) -> Optional[Actor]:
        from argmap.service import accounts
        with self._accounts(manage=False) as db:
            found = accounts.account_of_token(db, token)
        return None if found is None else Actor(found.name, found.role, self.actor.via)

    def login(self, name: str, password: str) -> tuple[Actor, str, str]:
        """Check a password: (the person, a new session id, its CSRF token); refused after
        too many recent failures for that name."""
        from argmap.service import accounts
        with self._accounts(manage=False) as db:
            accounts.login_allowed(db, name if isinstance(name, str) else "")
        with self._accounts(manage=False) as db:
            found = accounts.check_login(db, name, password)
            accounts.record_login(db, name if isinstance(name, str) else "", found)  # kept, whether or not it worked
            session = accounts.start_session(db, found.name) if found else None
        if found is None:
            raise accounts.wrong_login()
        return Actor(found.name, found.role, self.actor.via), *session

    def start_session(self, account: Optional[str] = None) -> tuple[str, str]:
        """A session for ``account`` (None: the one person of a server run alone)."""
        from argmap.service import accounts
        with self._accounts(manage=False) as db:
            return accounts.start_session(db, account)

    def session(self, session_id: str) -> Optional[tuple[Optional[Actor], str]]:
        """(the person, the CSRF token) of a live session; the person is None for the one person
        of a server run alone; None for no such session."""
        from argmap.claims.accounts import get
        from argmap.service import accounts
        with self._accounts(manage=False) as db:
            row = accounts.session(db, session_id)
            if row is None:
                return None
            if row.account is None:
                return None, row.csrf
            person = get(db, row.account)
        return None if person is None else (Actor(person.name, person.role, self.actor.via), row.csrf)

    def end_session(self, session_id: str) -> None:
        from argmap.service import accounts
        with self._accounts(manage=False) as db:
            accounts.end_session(db, session_id)


def _sql(session: Any, store: "Store") -> Sql:
    from argmap.claims.store import sql
    return sql(session, store.where)


def open(location: "Optional[str | Path]" = None, *, actor: Actor = LOCAL, create: bool = True) -> Argmap:
    """An argmap store: a SQLite file path, or a database URL (``postgresql+psycopg://...``);
    default ``$ARGMAP_DB``, else ``./argmap.db``. ``create=False`` refuses a store that is
    not there yet."""
    return Argmap(location, actor=actor, create=create)


def _view(amap: Any, who: str) -> tuple[tuple[set[str], set[str]], dict[str, Any]]:
    """A perspective's verdicts ((accepted, rejected), resolutions applied) and the words
    every output names it with."""
    from argmap.graph.perspectives import POOLING, thresholded, view_of
    people, cred = view_of(amap, who)
    view = thresholded(cred)
    return view, {"perspective": people, "pooling": POOLING, "threshold": "credence >= 0.5 accepts, < 0.5 rejects"}


def _with_questions(db: Sql, data: dict[str, Any]) -> dict[str, Any]:
    """Each argument that follows a scheme, with how many of its critical questions are open
    ("2 of 6 critical questions open"): shown, not counted (``--burden`` counts them)."""
    from argmap.claims.plain_reads import answers_of, schemes_of
    from argmap.claims.catalogue import find
    rows = data["claims"] if "claims" in data else [data]
    ids = {r["id"] for r in rows if r.get("kind") == "argument"}
    known = schemes_of(db, ids) if ids else {}
    if not known:
        return data
    answered: dict[str, set[str]] = {}
    for a in answers_of(db, set(known)):
        answered.setdefault(a.argument, set()).add(a.question)
    for r in rows:
        scheme = find(known[r["id"]]) if r["id"] in known else None
        if scheme is not None:
            left = [q.id for q in scheme.open(answered.get(r["id"], set()))]
            r["questions"] = {"scheme": scheme.name, "open": left, "total": len(scheme.questions),
                              "summary": f"{len(left)} of {len(scheme.questions)} critical questions open"}
    return data

