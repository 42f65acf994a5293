"""The span's column lists derived from the `Span` table: new rows, infos, exports, snapshots."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from sqlmodel import select

from store.info import ExportSpan, SpanInfo
from store.layer import Layer
from store.row_info import DOCUMENT_COLUMNS, raw_column
from store.snapshots import span_from_snapshot, span_snapshot
from store.span_columns import (
    EXPORT_SPAN_COLUMNS,
    PLACE_COLUMNS,
    SPAN_COLUMNS,
    export_span,
    new_span,
    new_span_row,
    span_info,
)
from store.tables import Span
from vocabulary.records import SpanDraft

TEXT = "Hamas and Fatah met in Cairo."
ALICE = Layer("alice", 7)
DRAFT = SpanDraft(0, 5, "actor", note="who\x07", attrs={"k": 1}, origin="manual")


def _stored_span() -> Span:
    row = new_span(3, ALICE, DRAFT)
    row.id = 11
    return row


def test_span_columns_are_the_tables_in_order():
    assert SPAN_COLUMNS[:6] == ("id", "document_id", "annotator_id", "start", "end", "label")
    assert set(PLACE_COLUMNS) <= set(SPAN_COLUMNS)
    assert set(SPAN_COLUMNS) == set(Span.model_fields)


def test_a_new_span_row_gives_every_column_but_the_id():
    row = new_span_row(3, ALICE, DRAFT)
    assert set(row) == set(SPAN_COLUMNS) - {"id"}
    assert row["note"] == "who"  # cleaned
    assert row["attrs"] == {"k": 1} and row["attrs"] is not DRAFT.attrs
    assert row["created_at"] == row["updated_at"]
    assert (row["gold_source"], row["reviewer_id"]) == (None, None)


def test_span_info_reads_every_column_it_names():
    # `entity` is read from the entities table (store.entities), not a span column.
    assert {f.name for f in fields(SpanInfo)} == set(SPAN_COLUMNS) - {"annotator_id"} | {
        "layer",
        "text",
        "entity",
    }
    info = span_info(_stored_span(), "alice", TEXT)
    assert (info.id, info.document_id, info.layer, info.text) == (11, 3, "alice", "Hamas")
    assert info.created_at.tzinfo is not None and info.attrs == {"k": 1}


def test_export_columns_follow_export_span_fields():
    assert len(EXPORT_SPAN_COLUMNS) == len(ExportSpan._fields) - 1  # all but the text
    sql = str(select(*EXPORT_SPAN_COLUMNS))
    assert "spans.annotator_id" in sql and "spans.created_at" not in sql
    row = (11, 3, 7, 0, 5, "actor", None, '{"k": 1}', "manual", "2026-11-20 10:00:00", None, 4, 8)
    span = export_span(row, "alice", TEXT)
    assert span == ExportSpan(
        11, 3, "alice", 0, 5, "actor", "Hamas", None, {"k": 1}, "manual", "2026-11-20", None, 4, 8
    )


def test_raw_columns_are_the_json_and_time_ones():
    # A column read as raw text is selected through a type coercion, which SQL renders "AS".
    documents = str(select(*DOCUMENT_COLUMNS))
    assert documents.count(" AS ") == 2
    assert "documents.imported_at AS imported_at" in documents
    assert "documents.meta AS meta" in documents
    spans = str(select(*EXPORT_SPAN_COLUMNS))
    assert spans.count(" AS ") == 2
    assert "spans.attrs AS attrs" in spans and "spans.updated_at AS updated_at" in spans
    assert raw_column(Span, "label") is Span.label


def test_a_snapshot_puts_the_same_span_back():
    row = _stored_span()
    snapshot = span_snapshot(row)
    assert set(snapshot) == set(SPAN_COLUMNS) - set(PLACE_COLUMNS)
    back = span_from_snapshot(snapshot, 3, ALICE)
    assert {name: getattr(back, name) for name in SPAN_COLUMNS} == {
        name: getattr(row, name) for name in SPAN_COLUMNS
    }


def test_an_older_snapshot_gets_the_defaults_of_columns_it_lacks():
    moment = datetime(2026, 1, 2, tzinfo=UTC).isoformat()
    snapshot = {"id": 5, "start": 0, "end": 5, "label": "actor", "attrs": None}
    snapshot |= {"created_at": moment, "updated_at": moment}
    back = span_from_snapshot(snapshot, 3, Layer("gold", None))
    assert (back.note, back.attrs, back.origin) == (None, {}, "manual")
    assert (back.gold_source, back.reviewer_id, back.annotator_id) == (None, None, None)
    assert back.created_at == datetime(2026, 1, 2, tzinfo=UTC)


def test_spaninfo_field_types_name_the_tables_time_and_json_columns():
    # column_values decodes by SpanInfo's field types (it runs without SQLAlchemy)
    from sqlalchemy import JSON, DateTime

    from store.column_values import _SPAN_JSON, _SPAN_TIMES, SPAN_INFO_COLUMNS
    from store.row_info import columns_of_type

    assert set(SPAN_INFO_COLUMNS) <= set(SPAN_COLUMNS)
    assert columns_of_type(Span, DateTime) & set(SPAN_INFO_COLUMNS) == _SPAN_TIMES
    assert columns_of_type(Span, JSON) & set(SPAN_INFO_COLUMNS) == _SPAN_JSON
