"""The annotate screen's first document, read through `store.direct` (no SQLAlchemy), so that it
shows while the full store is still loading.

Only for a SQLite file at the current schema (what `connect_direct` opens); the rows become infos
through `store.column_values`, as the full store's do. The queue's SQL restates
`store.library.next_unfinished` and `queue_position` for these reads;
`tests/test_store_first_screen.py` holds the two to the same answers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.column_values import (
    DOCUMENT_FIELDS,
    SPAN_INFO_COLUMNS,
    document_from_columns,
    span_from_columns,
)
from store.errors import StoreError
from store.info import DocumentInfo, SpanInfo
from store.validation import ext_id_prefix

_DOCUMENT_SQL = f"SELECT {', '.join(DOCUMENT_FIELDS)} FROM documents"
_SPANS_SQL = (
    "SELECT " + ", ".join(f'"{name}"' for name in SPAN_INFO_COLUMNS) + " FROM spans"
    ' WHERE document_id = ? AND annotator_id = ? ORDER BY start, "end", label, id'
)
_ALL_IDS = "SELECT id FROM documents"
_ASSIGNED_IDS = "SELECT document_id AS id FROM assignments WHERE annotator_id = :annotator"
_DONE_IDS = "SELECT document_id FROM document_status WHERE annotator_id = :annotator AND done"


@dataclass(frozen=True)
class FirstScreen:
    """What the annotate screen shows first: a document, the annotator's spans on it (sorted by
    start, end, label, id) and its place in their queue (as `Store.queue_position`)."""

    document: DocumentInfo
    spans: list[SpanInfo]
    position: tuple[int, int, int]


def read_first_screen(
    connection: sqlite3.Connection, ref: str | None, annotator: str
) -> FirstScreen | None:
    """The first screen of `annotator` on the document `ref` names (a number or an external id,
    as `Store.find_document`), or with None on their next unfinished one. None when there is
    none; StoreError, as the store words it, for a ref that names no document."""
    annotator_id = _annotator_id(connection, annotator)
    queue = _ASSIGNED_IDS if _has_assignments(connection, annotator_id) else _ALL_IDS
    params = {"annotator": annotator_id}
    if ref is None:
        unfinished = f"id IN ({queue}) AND id NOT IN ({_DONE_IDS})"
        query = f"{_DOCUMENT_SQL} WHERE {unfinished} ORDER BY id LIMIT 1"
        row = connection.execute(query, params).fetchone()
    else:
        row = _document_row(connection, ref)
    if row is None:
        return None
    document = document_from_columns(row)
    spans = _spans(connection, document, annotator, annotator_id)
    return FirstScreen(document, spans, _position(connection, queue, params, document.id))


def _document_row(connection: sqlite3.Connection, ref: str) -> tuple[object, ...]:
    ref = ref.strip()
    if ref.isdigit():
        row = connection.execute(f"{_DOCUMENT_SQL} WHERE id = ?", (int(ref),)).fetchone()
        if row is None:
            raise StoreError(f"no document {int(ref)}")
        return tuple(row)
    prefix = ext_id_prefix(ref)
    rows = connection.execute(
        f"{_DOCUMENT_SQL} WHERE substr(text_sha256, 1, ?) = ? LIMIT 2", (len(prefix), prefix)
    ).fetchall()
    if not rows:
        raise StoreError(f"no document {ref}")
    if len(rows) > 1:
        raise StoreError(f"{ref} is ambiguous: several documents start with it")
    return tuple(rows[0])


def _annotator_id(connection: sqlite3.Connection, name: str) -> int:
    row = connection.execute("SELECT id FROM annotators WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else -1  # -1: no such annotator yet (no spans, nothing done)


def _has_assignments(connection: sqlite3.Connection, annotator_id: int) -> bool:
    query = "SELECT 1 FROM assignments WHERE annotator_id = ? LIMIT 1"
    return connection.execute(query, (annotator_id,)).fetchone() is not None


def _spans(
    connection: sqlite3.Connection, document: DocumentInfo, layer: str, annotator_id: int
) -> list[SpanInfo]:
    cursor = connection.execute(_SPANS_SQL, (document.id, annotator_id))
    return [
        span_from_columns(dict(zip(SPAN_INFO_COLUMNS, row, strict=True)), layer, document.text)
        for row in cursor
    ]


def _position(
    connection: sqlite3.Connection, queue: str, params: dict[str, int], doc_id: int
) -> tuple[int, int, int]:
    def count(where: str, **more: int) -> int:
        query = f"SELECT count(*) FROM ({queue}) AS queue WHERE {where}"
        return int(connection.execute(query, params | more).fetchone()[0])

    total = count("1")
    index = count("id <= :doc", doc=doc_id) if count("id = :doc", doc=doc_id) else 0
    return index, total, count(f"id IN ({_DONE_IDS})")
