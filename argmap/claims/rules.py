"""The store's rules, stated once: the checks and the exact errors that both the ORM store
and the quick SQLite path (``argmap.claims.quick``) apply. Imports nothing heavy."""

from dataclasses import dataclass
from typing import Optional

from argmap.errors import AlreadyExists, InvalidInput, NotFound, StoreError

SCHEMA_VERSION = 11  # see argmap.claims.schema for the migrations that lead here
KINDS = ("thesis", "claim", "objection", "rebuttal", "argument")  # argument: an inference (schema 3)
RELATION_TYPES = ("supports", "attacks")
MAX_TITLE = 1_000
MAX_GROUP_DEPTH = 20  # groups inside groups (Argdown's headings go six deep)


def sql_list(values: tuple[str, ...]) -> str:
    """``'a', 'b'``: a constant list for a CHECK constraint or a query."""
    return ", ".join(f"'{v}'" for v in values)


@dataclass(frozen=True)
class Verb:
    """What a command that adds a claim makes: its kind, its relation to the target, and the
    kinds of target it may answer (empty: any)."""

    kind: str
    relation: Optional[str] = None
    target_kinds: tuple[str, ...] = ()


VERBS = {
    "add": Verb("claim"),
    "object": Verb("objection", "attacks"),
    "rebut": Verb("rebuttal", "attacks", ("objection",)),
    "support": Verb("claim", "supports"),
}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return kind


def check_relation_type(rtype: str) -> str:
    if rtype not in RELATION_TYPES:
        raise InvalidInput(f"unknown relation type {rtype!r}: use 'supports' or 'attacks'")
    return rtype


def check_score(score: float) -> float:
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
        raise InvalidInput(f"base score must be a number between 0 and 1, not {score!r}")
    return float(score)


def no_claim(claim_id: str) -> NotFound:
    return NotFound(f"no claim with id {claim_id!r}")


def claim_exists(claim_id: str) -> AlreadyExists:
    return AlreadyExists(f"a claim with id {claim_id!r} already exists")


def no_relation(source: str, target: str) -> NotFound:
    return NotFound(f"no relation from {source!r} to {target!r}")


def self_relation(source: str, rtype: str) -> InvalidInput:
    return InvalidInput(f"a claim cannot {rtype[:-1]} itself ({source!r})")


def relation_exists(source: str, existing_type: str, target: str) -> AlreadyExists:
    return AlreadyExists(f"{source!r} already {existing_type} {target!r}")


def not_an_objection(target: str, kind: str) -> InvalidInput:
    return InvalidInput(f"{target!r} is a {kind}, not an objection: a rebuttal answers an objection "
                        f"(use `argmap object {target} ...` to attack it instead)")


def driver_error(text: str, where: str, integrity: bool = False) -> StoreError:
    """One line a user can act on, from a database driver's message."""
    lowered = text.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return StoreError(f"{where} is not an argmap database (or it is corrupt): {text}")
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(f"{where} is read-only: {text}")
    if "locked" in lowered:
        return StoreError(f"{where} is busy (locked by another writer for too long): {text}")
    if "unable to open" in lowered:
        return StoreError(f"cannot open {where}: {text}")
    if integrity:
        return StoreError(f"refused by the store's integrity rules: {text}")
    return StoreError(f"database error in {where}: {text}")
