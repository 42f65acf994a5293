"""Stored rows and column tuples made into the frozen objects of `store.info`, and the columns
to select so that JSON and timestamps come as raw text: the column-tuple paths (exports,
listings) parse those themselves (`store.column_values`, `utc_day`), because SQLAlchemy's
processing of them costs more than the rest of a large export.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, DateTime, String, TypeDecorator, inspect, type_coerce
from sqlalchemy.types import TypeEngine
from sqlmodel import SQLModel

from store.column_values import (
    DOCUMENT_FIELDS,
    aware_utc,
    document_from_columns,
)
from store.errors import StoreError
from store.info import AnnotatorInfo, DocumentInfo, EventInfo, RelationInfo
from store.tables import Annotator, Document, Event, Relation


def row_id(value: int | None) -> int:
    """A row's primary key, which every row read back or flushed has."""
    if value is None:
        raise StoreError("internal error: a stored row has no id")
    return value


def annotator_info(row: Annotator) -> AnnotatorInfo:
    return AnnotatorInfo(id=row_id(row.id), name=row.name, role=row.role)


def columns_of_type(model: type[SQLModel], kind: type[TypeEngine[Any]]) -> frozenset[str]:
    """The names of `model`'s columns of SQL type `kind` (JSON, DateTime; a decorated type such
    as SQLModel's UTC DateTime counts as the type it decorates)."""
    return frozenset(
        column.key for column in inspect(model).columns if isinstance(_sql_type(column), kind)
    )


def _sql_type(column: Any) -> TypeEngine[Any]:
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def raw_column(model: type[SQLModel], name: str) -> Any:
    """`model`'s column `name` to select as a column tuple: a JSON or DateTime one as its raw
    text, which json_object, utc_day and utc_datetime parse with the C parsers (SQLAlchemy's
    processing of them costs more than the rest of a large export together)."""
    column = getattr(model, name)
    if name in columns_of_type(model, DateTime) | columns_of_type(model, JSON):
        return type_coerce(column, String)
    return column


DOCUMENT_COLUMNS = tuple(raw_column(Document, name) for name in DOCUMENT_FIELDS)


def document_info(row: Document) -> DocumentInfo:
    return document_from_columns(tuple(getattr(row, name) for name in DOCUMENT_FIELDS))


def utc_day(raw: Any) -> str:
    """The UTC day of a DateTime column: SQLite gives UTC ISO text, PostgreSQL a datetime."""
    return raw[:10] if isinstance(raw, str) else aware_utc(raw).date().isoformat()


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
