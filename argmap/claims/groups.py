"""Groups: named, nested parts of a map (Argdown's headings, Kialo's sub-discussions). A
claim is in at most one group, its innermost; a group may sit inside another. All SQL of
groups is here; the page draws each as a box around its claims that collapses to one."""

from typing import Iterable, Optional

from argmap.claims import rules
from argmap.claims.ids import check_id, clean_text, slugify
from argmap.claims.records import GroupRecord
from argmap.claims.sql import Sql
from argmap.errors import AlreadyExists, InvalidInput, NotFound


def no_group(group_id: str) -> NotFound:
    return NotFound(f"no group with id {group_id!r}")


def check_parents(parent_of: dict[str, Optional[str]], group_id: str) -> None:
    """Refuse a group that would sit inside itself, or deeper than ``MAX_GROUP_DEPTH``."""
    seen, at = {group_id}, parent_of.get(group_id)
    while at is not None:
        if at in seen:
            raise InvalidInput(f"group {group_id!r} would be inside itself")
        seen.add(at)
        if len(seen) > rules.MAX_GROUP_DEPTH:
            raise InvalidInput(f"groups nest at most {rules.MAX_GROUP_DEPTH} deep")
        at = parent_of.get(at)


def _parents(db: Sql) -> dict[str, Optional[str]]:
    return dict(db.all("SELECT id, parent_id FROM claim_group"))


def add_group(db: Sql, title: str, group_id: Optional[str] = None, parent: Optional[str] = None) -> GroupRecord:
    title = clean_text(title, "group title", rules.MAX_TITLE)
    parents = _parents(db)
    if group_id is None:
        base = slugify(title, max_words=5, max_len=40) or "group"
        group_id, n = base, 2
        while group_id in parents:
            group_id, n = f"{base}-{n}", n + 1
    elif check_id(group_id, "group id") in parents:
        raise AlreadyExists(f"a group with id {group_id!r} already exists")
    if parent is not None and parent not in parents:
        raise no_group(parent)
    check_parents({**parents, group_id: parent}, group_id)
    last = db.one("SELECT max(position) FROM claim_group")
    db.run("INSERT INTO claim_group (id, title, parent_id, position, created_at) VALUES (?, ?, ?, ?, ?)",
           (group_id, title, parent, (last[0] if last and last[0] is not None else -1) + 1, db.now()))
    return group(db, group_id)


def put(db: Sql, group_id: Optional[str], claims: Iterable[str]) -> Optional[GroupRecord]:
    """Move ``claims`` into ``group_id`` (None: out of any group)."""
    claims = list(dict.fromkeys(claims))
    if not claims:
        raise InvalidInput("name at least one claim")
    if group_id is not None and db.one("SELECT 1 FROM claim_group WHERE id = ?", (group_id,)) is None:
        raise no_group(group_id)
    for claim in claims:
        if db.one("SELECT 1 FROM claim WHERE id = ?", (claim,)) is None:
            raise rules.no_claim(claim)
    for claim in claims:
        now = db.one("SELECT group_id FROM group_member WHERE claim_id = ?", (claim,))
        if now is not None and now[0] == group_id:
            continue
        if now is not None:
            db.run("DELETE FROM group_member WHERE claim_id = ?", (claim,))
        if group_id is not None:
            db.run("INSERT INTO group_member (claim_id, group_id, created_at) VALUES (?, ?, ?)",
                   (claim, group_id, db.now()))
    return None if group_id is None else group(db, group_id)


def take_out(db: Sql, group_id: str, claims: Iterable[str]) -> GroupRecord:
    """``claims`` out of ``group_id``, each of which must be in it."""
    found = group(db, group_id)
    for claim in claims:
        if claim not in found.claims:
            raise NotFound(f"claim {claim!r} is not in group {group_id!r}")
    put(db, None, claims)
    return group(db, group_id)


def edit_group(db: Sql, group_id: str, title: Optional[str] = None, parent: Optional[str] = None,
               top: bool = False) -> GroupRecord:
    """A new title, or a new place: inside ``parent``, or at the top (``top``)."""
    parents = _parents(db)
    if group_id not in parents:
        raise no_group(group_id)
    if title is not None:
        db.run("UPDATE claim_group SET title = ? WHERE id = ?", (clean_text(title, "group title", rules.MAX_TITLE), group_id))
    if top or parent is not None:
        if parent is not None and parent not in parents:
            raise no_group(parent)
        check_parents({**parents, group_id: parent}, group_id)
        db.run("UPDATE claim_group SET parent_id = ? WHERE id = ?", (parent, group_id))
    return group(db, group_id)


def remove_group(db: Sql, group_id: str) -> GroupRecord:
    """Take a group away, never its claims: they and the groups inside it move up to its parent."""
    was = group(db, group_id)
    if was.parent is None:
        db.run("DELETE FROM group_member WHERE group_id = ?", (group_id,))
    else:
        db.run("UPDATE group_member SET group_id = ? WHERE group_id = ?", (was.parent, group_id))
    db.run("UPDATE claim_group SET parent_id = ? WHERE parent_id = ?", (was.parent, group_id))
    db.run("DELETE FROM claim_group WHERE id = ?", (group_id,))
    return was


def group(db: Sql, group_id: str) -> GroupRecord:
    found = groups_of(db, only=group_id)
    if not found:
        raise no_group(group_id)
    return found[0]


def groups_of(db: Sql, ids: Optional[set[str]] = None, only: Optional[str] = None) -> list[GroupRecord]:
    """The groups in their order, each with its claims (of ``ids``, if given); with ``ids``,
    only the groups that hold one of them and the groups around those."""
    rows = db.all("SELECT id, title, parent_id, position FROM claim_group" + (" WHERE id = ?" if only else ""),
                  (only,) if only else ())
    members: dict[str, list[str]] = {}
    found = (db.all("SELECT claim_id, group_id FROM group_member WHERE group_id = ?", (only,)) if only
             else db.all_in("SELECT claim_id, group_id FROM group_member", "claim_id", ids))  # one group: its rows only
    for claim, gid in found:
        members.setdefault(gid, []).append(claim)
    out = [GroupRecord(id=r[0], title=r[1], parent=r[2], claims=sorted(members.get(r[0], [])))
           for r in sorted(rows, key=lambda r: (r[3], r[0]))]
    if ids is None:
        return out
    from argmap.claims.argument_map import part_groups
    return part_groups(out, ids)
