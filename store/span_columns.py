"""A span's columns, named once (the `Span` table), and what the store derives from them.

New span rows, `SpanInfo`s and the export's column tuples are built here from the table's
columns and the info classes' field names; snapshots (`store.snapshots`) likewise. So a new
span column is added to the table, not to lists here: see the `store` package docstring for the
few places it still goes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, inspect

from store.column_values import SPAN_INFO_COLUMNS, json_object, span_from_columns
from store.entities import with_entity
from store.info import ExportSpan, SpanInfo
from store.layer import Layer
from store.row_info import columns_of_type, raw_column, row_id, utc_day
from store.tables import Span, utc_now
from store.validation import clean_note
from vocabulary.records import SpanDraft

SPAN_COLUMNS: tuple[str, ...] = tuple(inspect(Span).columns.keys())
# Where a span is: its document and layer. Events name these themselves (see store.snapshots).
PLACE_COLUMNS = ("document_id", "annotator_id")
SPAN_TIMES = columns_of_type(Span, DateTime)

# The model's plain defaults (None, "manual"...). Columns with a default factory (attrs and the
# times) are set by new_span_row itself; a test holds its row to every column.
_DEFAULTS = {
    name: field.default
    for name, field in Span.model_fields.items()
    if name != "id" and not field.is_required() and field.default_factory is None
}


def new_span_row(doc_id: int, layer: Layer, draft: SpanDraft) -> dict[str, Any]:
    """A new span's column values, every one (a Core INSERT applies no model defaults)."""
    now = utc_now()
    return {
        **_DEFAULTS,
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
    }


def new_span(doc_id: int, layer: Layer, draft: SpanDraft) -> Span:
    return Span(**new_span_row(doc_id, layer, draft))


def span_info(row: Span, layer: str, text: str) -> SpanInfo:
    """A stored span as SpanInfo (see `column_values.span_from_columns`), with the entity it
    names read in the row's session."""
    values = {name: getattr(row, name) for name in SPAN_INFO_COLUMNS}
    values["id"] = row_id(row.id)
    return with_entity(span_from_columns(values, layer, text), row)


# ExportSpan's fields, each read from the span column of its name, but `layer` (read as the
# annotator id, which rows are grouped by), `updated_on` (the day of `updated_at`) and `text`
# (cut from the document's text, not read). JSON and times come as raw text (see row_info).
_EXPORT_READS = {"layer": "annotator_id", "updated_on": "updated_at"}
EXPORT_SPAN_COLUMNS = tuple(
    raw_column(Span, _EXPORT_READS.get(name, name)) for name in ExportSpan._fields if name != "text"
)


def export_span(row: Any, layer: str, text: str) -> ExportSpan:
    """A row of EXPORT_SPAN_COLUMNS as ExportSpan.

    Spelt out, not derived: an export builds millions of these, and a generic build costs a
    third more. A new ExportSpan field makes the unpacking below fail until it is added here.
    """
    span_id, doc_id, _, start, end, label, note, attrs, origin, updated, *rest = row
    gold_source, reviewer, entity_id = rest
    return ExportSpan(
        span_id,
        doc_id,
        layer,
        start,
        end,
        label,
        text[start:end],
        note,
        json_object(attrs),
        origin,
        utc_day(updated),
        gold_source,
        reviewer,
        entity_id,
    )
