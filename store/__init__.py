"""factmark's storage: SQLModel tables and the `Store` API (the only package that speaks SQL).

Everything handed out is a frozen dataclass from `store.info`; nothing here imports the UI.
"""

from store.engine import StoreError
from store.info import (
    AnnotatorInfo,
    AnnotatorProgress,
    AssignSummary,
    AutoSummary,
    DocumentInfo,
    DocumentSummary,
    EventInfo,
    ExportRecord,
    GoldDecisionInfo,
    GoldProvenance,
    ImportOutcome,
    RelationInfo,
    ReviewDocument,
    ReviewStatus,
    SpanInfo,
)
from store.migrations import SCHEMA_VERSION
from store.paths import default_data_dir, default_db_path
from store.roles import PermissionDenied
from store.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "AnnotatorInfo",
    "AnnotatorProgress",
    "AssignSummary",
    "AutoSummary",
    "DocumentInfo",
    "DocumentSummary",
    "EventInfo",
    "ExportRecord",
    "GoldDecisionInfo",
    "GoldProvenance",
    "ImportOutcome",
    "PermissionDenied",
    "RelationInfo",
    "ReviewDocument",
    "ReviewStatus",
    "SpanInfo",
    "Store",
    "StoreError",
    "default_data_dir",
    "default_db_path",
]
