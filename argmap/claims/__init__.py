"""The model and the store: claims, relations, sources, evidence rows, schema versions.

Names are loaded on first use, so that `argmap --help` does not pay for SQLAlchemy.
"""

from importlib import import_module
from typing import Any

_LAZY = {
    "KINDS": "argmap.claims.rules", "RELATION_TYPES": "argmap.claims.rules", "VERBS": "argmap.claims.rules",
    "ArgumentMap": "argmap.claims.argument_map", "MapArrays": "argmap.claims.argument_map",
    "ClaimDetail": "argmap.claims.records", "ClaimRecord": "argmap.claims.records",
    "ComputationRecord": "argmap.claims.records", "InputRecord": "argmap.claims.records",
    "EvidenceRecord": "argmap.claims.records", "RelationRecord": "argmap.claims.records",
    "SourceRecord": "argmap.claims.records", "Store": "argmap.claims.store",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(name)
