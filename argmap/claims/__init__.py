"""The model and the store: claims, relations, sources, evidence rows, schema versions."""

from argmap.claims.models import KINDS, RELATION_TYPES
from argmap.claims.records import ClaimDetail, ClaimRecord, EvidenceRecord, RelationRecord, SourceRecord
from argmap.claims.store import Snapshot, Store

__all__ = ["KINDS", "RELATION_TYPES", "ClaimDetail", "ClaimRecord", "EvidenceRecord", "RelationRecord",
           "SourceRecord", "Snapshot", "Store"]
