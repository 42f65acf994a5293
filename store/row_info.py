"""Stored rows and column tuples made into the frozen objects of `store.info`.

Also the readers of raw column values (JSON text, UTC timestamps) that the column-tuple paths
(exports, listings) parse themselves, because SQLAlchemy's processing of them costs more than
the rest of a large export.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import String, type_coerce

from store.engine import StoreError
from store.info import AnnotatorInfo, DocumentInfo, EventInfo, RelationInfo
from store.tables import Annotator, Document, Event, Relation

_LONG_DIGITS = re.compile(r"\d{19}")  # the shortest integers that may not fit in 64 bits


def aware_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one (SQLite's) is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ext_id(text_sha256_hex: str) -> str:
    """The external id of a document: stable across databases, used as the export `id`."""
    return "d-" + text_sha256_hex[:16]


def row_id(value: int | None) -> int:
    """A row's primary key, which every row read back or flushed has."""
    if value is None:
        raise StoreError("internal error: a stored row has no id")
    return value


def annotator_info(row: Annotator) -> AnnotatorInfo:
    return AnnotatorInfo(id=row_id(row.id), name=row.name, role=row.role)


# The columns a DocumentInfo is made of, in the order document_from_columns reads them; the raw
# source is left out (only raw_source() needs it). The JSON and DateTime ones are read as raw
# text: SQLAlchemy's processing of them costs more than the rest of a large export together.
_DOCUMENT_FIELDS = (
    "id",
    "text_sha256",
    "text",
    "title",
    "byline",
    "outlet",
    "url",
    "published",
    "imported_at",
    "extractor",
    "extractor_version",
    "source_file",
    "meta",
)
_RAW_TEXT_FIELDS = {"imported_at", "meta"}
DOCUMENT_COLUMNS = tuple(
    type_coerce(getattr(Document, name), String)
    if name in _RAW_TEXT_FIELDS
    else getattr(Document, name)
    for name in _DOCUMENT_FIELDS
)


def document_info(row: Document) -> DocumentInfo:
    return document_from_columns(tuple(getattr(row, name) for name in _DOCUMENT_FIELDS))


def document_from_columns(values: Sequence[Any]) -> DocumentInfo:
    """A DocumentInfo from `DOCUMENT_COLUMNS` values: raw text (SQLite) or decoded (ORM, PG)."""
    doc_id, sha, text, title, byline, outlet, url, published, imported, *rest = values
    extractor, extractor_version, source_file, meta = rest
    return DocumentInfo(
        id=doc_id,
        ext_id=ext_id(sha),
        text=text,
        text_sha256=sha,
        title=title,
        byline=byline,
        outlet=outlet,
        url=url,
        published=published,
        imported_at=_utc_datetime(imported),
        extractor=extractor,
        extractor_version=extractor_version,
        source_file=source_file,
        meta=json_object(meta),
    )


def json_object(raw: Any) -> dict[str, Any]:
    """A JSON column's value: text from SQLite, already decoded from PostgreSQL. No value (SQL
    NULL, or JSON null from an older or hand-edited row) is an empty object."""
    if raw is None or raw == "{}" or raw == "null":
        return {}
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if not isinstance(raw, str):
        return dict(raw)
    # orjson reads integers beyond 64 bits as floats, losing digits (an id, say): those go to
    # the standard library, which keeps them exact.
    return json.loads(raw) if _LONG_DIGITS.search(raw) else orjson.loads(raw)


def _utc_datetime(raw: Any) -> datetime:
    """A DateTime column's value: UTC ISO text from SQLite, a datetime from PostgreSQL."""
    return aware_utc(datetime.fromisoformat(raw) if isinstance(raw, str) else raw)


def relation_info(row: Relation, layer: str) -> RelationInfo:
    return RelationInfo(
        id=row_id(row.id),
        document_id=row.document_id,
        layer=layer,
        head_id=row.head_id,
        child_id=row.child_id,
        label=row.label,
    )


def event_info(row: Event) -> EventInfo:
    return EventInfo(
        id=row_id(row.id),
        at=aware_utc(row.at),
        actor=row.actor,
        kind=row.kind,
        document_id=row.document_id,
        span_id=row.span_id,
        payload=dict(row.payload or {}),
        layer=row.layer,
    )
