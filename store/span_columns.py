"""A span's columns: new span rows and the span as `SpanInfo`."""

from __future__ import annotations

from typing import Any

from store.info import SpanInfo
from store.queries import Layer
from store.row_info import aware_utc, row_id
from store.tables import Span, utc_now
from store.validation import clean_note
from vocabulary.records import SpanDraft


def new_span(doc_id: int, layer: Layer, draft: SpanDraft) -> Span:
    return Span(**new_span_row(doc_id, layer, draft))


def new_span_row(doc_id: int, layer: Layer, draft: SpanDraft) -> dict[str, Any]:
    """A new span's column values (every one: a Core INSERT applies no model defaults)."""
    now = utc_now()
    return {
        "document_id": doc_id,
        "annotator_id": layer.annotator_id,
        "start": draft.start,
        "end": draft.end,
        "label": draft.label,
        "note": clean_note(draft.note),
        "attrs": dict(draft.attrs),
        "origin": draft.origin,
        "created_at": now,
        "updated_at": now,
        "gold_source": None,
        "reviewer_id": None,
    }


def span_info(row: Span, layer: str, text: str) -> SpanInfo:
    return SpanInfo(
        id=row_id(row.id),
        document_id=row.document_id,
        layer=layer,
        start=row.start,
        end=row.end,
        label=row.label,
        text=text[row.start : row.end],
        note=row.note,
        attrs=dict(row.attrs or {}),
        origin=row.origin,
        created_at=aware_utc(row.created_at),
        updated_at=aware_utc(row.updated_at),
        gold_source=row.gold_source,
        reviewer_id=row.reviewer_id,
    )
