"""The store API: every user action is one method, and one transaction.

Methods validate first and raise ArgmapErrors with the user's own ids in the message;
the database's constraints (foreign keys, unique pairs, no self-loops) are the backstop.
Commands that read several things (a map, its arrays, a focus) open one ``transaction()``
and pass it to the functions of ``argmap.claims.reads``.
"""

import threading
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlmodel import Session, select

from argmap.claims import bulk, reads, writes
from argmap.claims import computations as computation_rows
from argmap.claims import db as dbmod
from argmap.claims.argument_map import ArgumentMap, MapArrays
from argmap.claims.models import Relation
from argmap.claims.reads import claim_record
from argmap.claims.reads import sql_of as sql  # the session's DB-API connection, for writes and plain reads
from argmap.claims.records import ClaimDetail, ClaimRecord, ComputationRecord, RelationRecord
from argmap.claims.location import COMPANIONS, note_closed, note_open, sqlite_file
from argmap.claims.schema import ensure_schema


class Store:
    """An open argmap store. Cheap to create; every method is its own transaction."""

    def __init__(self, location: Optional[str] = None, create: bool = True):
        location = dbmod.resolve_location(location)
        plain = sqlite_file(location)
        self.url = None if plain is not None else dbmod.to_url(location)
        self.sqlite_file = plain if plain is not None else dbmod.sqlite_path(self.url)
        self.where = str(self.sqlite_file) if self.sqlite_file else dbmod.make_url(self.url).render_as_string(hide_password=True)
        self.read_only = self._noted = False
        self._local = threading.local()  # a server's threads share one Store: each has its own ``at()``
        self._serial = threading.RLock()  # SQLite: this process's transactions queue here, not in SQLite's busy loop
        self.created = self.sqlite_file is not None and not self.sqlite_file.exists()
        if self.sqlite_file is not None:
            dbmod.check_sqlite_location(self.sqlite_file, create)
            self.read_only = self.sqlite_file.exists() and dbmod.is_read_only(self.sqlite_file)
            note_open(self.sqlite_file)  # from now on no output may be written over it
            self._noted = True
        self.engine = (dbmod.make_engine(self.url) if plain is None else
                       dbmod.sqlite_engine(self.sqlite_file, read_only=self.read_only))
        try:
            self.schema_version = ensure_schema(self.engine, self.where, self.sqlite_file)
            if self.sqlite_file is not None and not self.read_only:
                with dbmod.guarded(self.where):
                    dbmod.use_wal(self.engine)
        except BaseException:
            self.close(failed=True)
            raise

    def close(self, failed: bool = False) -> None:
        """Close; after a failed command, remove the store file if this command created it
        (a refused command leaves no file behind)."""
        self.engine.dispose()
        if self.sqlite_file is not None and self._noted:
            self._noted = False
            note_closed(self.sqlite_file)
        if failed and self.created and self.sqlite_file is not None:
            for path in (self.sqlite_file, *(self.sqlite_file.with_name(self.sqlite_file.name + suffix)
                                              for suffix in COMPANIONS)):
                try:
                    path.unlink()
                except OSError:
                    pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(failed=exc_type is not None)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit on success, roll back everything on any error. Inside
        ``at()``, the pinned transaction that shows the map as it was."""
        pinned = getattr(self._local, "pinned", None)
        if pinned is not None:
            yield pinned
            return
        if self.sqlite_file is None:
            with dbmod.transaction(self.engine, self.where) as session:
                yield session
            return
        with self._serial, dbmod.transaction(self.engine, self.where) as session:
            yield session

    # --- history ---------------------------------------------------------------------

    @contextmanager
    def at(self, point: Optional[str]) -> Iterator["Store"]:
        """The store as it was at ``point`` (a revision or a date/time) for the reads in the
        block: later changes are reverted in a transaction that is rolled back at the end."""
        if point is None:
            yield self
            return
        from argmap.claims import history
        from argmap.errors import StoreError
        if self.read_only:
            raise StoreError(f"{self.where} is read-only, and --at needs to write: it reverts the later changes in a "
                             f"transaction that it then rolls back (work on a copy of the file)")
        with self._serial, dbmod.guarded(self.where), Session(self.engine, expire_on_commit=False) as session:
            session.begin()
            try:
                db = sql(session, self.where)
                history.revert_after(db, history.point(db, point, "--at"))
                self._local.pinned = session
                yield self
            finally:
                self._local.pinned = None
                session.rollback()

    def history(self, since: Optional[str] = None, upto: Optional[str] = None, author: Optional[str] = None,
                claim: Optional[str] = None, rows: bool = True) -> list:
        """The changes after ``since`` up to ``upto`` (revisions or dates), oldest first; with
        ``rows``, each row they wrote (an import's keys included: large)."""
        from argmap.claims import history
        with self.transaction() as s:
            db = sql(s, self.where)
            after = history.point(db, since) if since is not None else 0
            last = history.point(db, upto, "--to") if upto is not None else None
            return history.changes(db, after, last, author, claim, rows)

    def undo(self, rev: Optional[int] = None):
        """Revert one change (the latest by default) as a new change."""
        from argmap.claims import history
        with self.transaction() as s:
            return history.undo(sql(s, self.where), rev)

    def get_meta(self, key: str) -> Optional[str]:
        with self.transaction() as s:
            return bulk.get_meta(s, key)

    # --- claims and relations ----------------------------------------------------------

    def add(self, verb: str, text: str, claim_id: Optional[str] = None, target: Optional[str] = None,
            kind: Optional[str] = None) -> ClaimRecord:
        """``argmap add/object/rebut/support`` (see ``rules.VERBS``): one transaction."""
        with self.transaction() as s:
            return writes.add_claim(sql(s, self.where), verb, text, claim_id, target, kind)

    def add_claim(self, text: str, claim_id: Optional[str] = None, kind: str = "claim",
                  base_score: float = 0.5) -> ClaimRecord:
        with self.transaction() as s:
            return writes.add_claim(sql(s, self.where), "add", text, claim_id, kind=kind, base_score=base_score)

    def object(self, target: str, text: str, claim_id: Optional[str] = None) -> ClaimRecord:
        """Add an objection: a new claim that attacks TARGET."""
        with self.transaction() as s:
            return writes.add_claim(sql(s, self.where), "object", text, claim_id, target)

    def rebut(self, target: str, text: str, claim_id: Optional[str] = None) -> ClaimRecord:
        """Add a rebuttal: a new claim that attacks the objection TARGET."""
        with self.transaction() as s:
            return writes.add_claim(sql(s, self.where), "rebut", text, claim_id, target)

    def support(self, target: str, text: str, claim_id: Optional[str] = None) -> ClaimRecord:
        """Add a supporting claim for TARGET."""
        with self.transaction() as s:
            return writes.add_claim(sql(s, self.where), "support", text, claim_id, target)

    def link(self, source: str, target: str, rtype: str) -> RelationRecord:
        with self.transaction() as s:
            return writes.add_relation(sql(s, self.where), source, target, rtype)

    def unlink(self, source: str, target: str) -> RelationRecord:
        with self.transaction() as s:
            return writes.remove_relation(sql(s, self.where), source, target)

    def edit(self, claim_id: str, text: Optional[str] = None, kind: Optional[str] = None,
             base_score: Optional[float] = None, title: Optional[str] = None) -> ClaimRecord:
        with self.transaction() as s:
            return writes.edit_claim(sql(s, self.where), claim_id, text, kind, base_score, title)

    def remove(self, claim_id: str, cascade: bool = False) -> list[str]:
        """``writes.remove_claim``: the claim and what belongs to it; with ``cascade``, what
        points at it too. Returns the removed ids, in order."""
        with self.transaction() as s:
            return writes.remove_claim(sql(s, self.where), claim_id, cascade)

    # --- reading ---------------------------------------------------------------------

    def get(self, claim_id: str) -> ClaimRecord:
        with self.transaction() as s:
            return claim_record(reads.require_claim(s, claim_id))

    def list_claims(self, kind: Optional[str] = None) -> list[ClaimRecord]:
        from argmap.claims.plain_reads import claims
        with self.transaction() as s:
            return claims(sql(s, self.where), kind)

    def relations(self) -> list[RelationRecord]:
        with self.transaction() as s:
            rows = s.exec(select(Relation).order_by(Relation.id)).all()
            return [RelationRecord(r.source_id, r.target_id, r.type) for r in rows]

    def count(self) -> dict[str, int]:
        with self.transaction() as s:
            return reads.count(s)

    def detail(self, claim_id: str) -> ClaimDetail:
        from argmap.claims.plain_reads import detail
        with self.transaction() as s:
            return detail(sql(s, self.where), claim_id)

    def computations(self) -> list[ComputationRecord]:
        """Every computation with its inputs and last result, by claim then id."""
        with self.transaction() as s:
            return computation_rows.computations_of(s)

    def read_map(self, ids: Optional[set[str]] = None, texts: bool = False) -> ArgumentMap:
        """The whole store, or the claims ``ids`` with what belongs to them (``reads.read_map``)."""
        with self.transaction() as s:
            return reads.read_map(s, ids, texts)

    def focus_map(self, focus: str, depth: int, texts: bool = False) -> ArgumentMap:
        with self.transaction() as s:
            return reads.focus_map(s, focus, depth, texts)

    def read_arrays(self) -> MapArrays:
        with self.transaction() as s:
            return reads.read_arrays(s)
