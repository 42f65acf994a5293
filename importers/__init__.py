"""Turning what users have (saved pages, text scrapes, annotated records) into clean articles.

Pure functions: bytes or str in, plain data out; no database, no user interface.
"""

from importers.canonical import canonical_text, text_sha256
from importers.records import (
    DEFAULT_LABELS,
    GOLD_LAYER,
    Article,
    ImportFailure,
    ImportItem,
    LayerDraft,
    RelationDraft,
    SpanDraft,
)

__all__ = [
    "DEFAULT_LABELS",
    "GOLD_LAYER",
    "Article",
    "ImportFailure",
    "ImportItem",
    "LayerDraft",
    "RelationDraft",
    "SpanDraft",
    "canonical_text",
    "text_sha256",
]
