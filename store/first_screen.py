"""The annotate screen's first document, read through `store.direct` (no SQLAlchemy), so that it
shows while the full store is still loading.

Only for a SQLite file at the current schema (what `connect_direct` opens); the rows become infos
through `store.column_values` and the queue is `store.library`'s, as the full store's are;
`tests/test_store_first_screen.py` holds the two paths to the same answers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from store.column_values import (
    DOCUMENT_FIELDS,
    SPAN_INFO_COLUMNS,
    document_from_columns,
    span_from_columns,
)
from store.direct import direct_rows
from store.errors import StoreError
from store.info import DocumentInfo, EntityRef, RelationInfo, SpanInfo
from store.library import position_in, queue_of, unfinished_sql
from store.validation import ext_id_prefix

_DOCUMENT_SQL = f"SELECT {', '.join(DOCUMENT_FIELDS)} FROM documents"
_SPANS_SQL = (
    "SELECT " + ", ".join(f'"{name}"' for name in SPAN_INFO_COLUMNS) + " FROM spans"
    ' WHERE document_id = ? AND annotator_id = ? ORDER BY start, "end", label, id'
)
_RELATIONS_SQL = (
    "SELECT id, head_id, child_id, label FROM relations"
    " WHERE document_id = ? AND annotator_id = ? ORDER BY id"
)


@dataclass(frozen=True)
class FirstScreen:
    """What the annotate screen shows first: a document, the annotator's spans on it (sorted by
    start, end, label, id), its place in their queue (as `Store.queue_position`) and the links
    between those spans (as `Store.relations`)."""

    document: DocumentInfo
    spans: list[SpanInfo]
    position: tuple[int, int, int]
    relations: list[RelationInfo] = field(default_factory=list)


def read_first_screen(
    connection: sqlite3.Connection, ref: str | None, annotator: str
) -> FirstScreen | None:
    """The first screen of `annotator` on the document `ref` names (a number or an external id,
    as `Store.find_document`), or with None on their next unfinished one. None when there is
    none; StoreError, as the store words it, for a ref that names no document."""
    queue = queue_of(direct_rows(connection, "the database"), annotator)
    if ref is None:
        query = f"{_DOCUMENT_SQL} WHERE {unfinished_sql(queue)} ORDER BY id LIMIT 1"
        row = connection.execute(query, queue.parameters).fetchone()
    else:
        row = _document_row(connection, ref)
    if row is None:
        return None
    document = document_from_columns(row)
    annotator_id = queue.parameters["annotator"]
    spans = _spans(connection, document, annotator, annotator_id)
    position = position_in(direct_rows(connection, "the database"), queue, document.id)
    relations = [
        RelationInfo(row[0], document.id, annotator, row[1], row[2], row[3])
        for row in connection.execute(_RELATIONS_SQL, (document.id, annotator_id))
    ]
    return FirstScreen(document, spans, position, relations)


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


def _spans(
    connection: sqlite3.Connection, document: DocumentInfo, layer: str, annotator_id: int
) -> list[SpanInfo]:
    cursor = connection.execute(_SPANS_SQL, (document.id, annotator_id))
    spans = [
        span_from_columns(dict(zip(SPAN_INFO_COLUMNS, row, strict=True)), layer, document.text)
        for row in cursor
    ]
    return _with_entities(connection, spans)


def _with_entities(connection: sqlite3.Connection, spans: list[SpanInfo]) -> list[SpanInfo]:
    """The spans carrying the entities they name, as `store.entities.with_entities` reads them."""
    ids = sorted({s.entity_id for s in spans if s.entity_id is not None})
    if not ids:
        return spans
    marks = ", ".join("?" * len(ids))
    rows = connection.execute(
        f"SELECT id, uid, name, type FROM entities WHERE id IN ({marks})", ids
    ).fetchall()
    refs = {row[0]: EntityRef(*row) for row in rows}
    return [
        replace(s, entity=refs.get(s.entity_id)) if s.entity_id is not None else s for s in spans
    ]
