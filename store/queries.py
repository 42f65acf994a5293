"""Small queries inside the caller's transaction: documents, annotators, layers, spans.

A layer is named by an annotator's name, or "gold"; its rows carry that annotator's id (NULL for
gold). Reads raise StoreError for what is not there; `resolve_layer` registers a new annotator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import aliased, defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from store.errors import StoreError
from store.events import ANNOTATOR_ADD, log_event
from store.layer import Layer
from store.row_info import row_id
from store.tables import Annotator, Document, DocumentStatus, Relation, Span
from store.validation import check_layer_name, name_key
from vocabulary.names import GOLD_LAYER
from vocabulary.records import SpanDraft


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """`select` of more than four columns, which sqlmodel's typed overloads stop short of."""
    return Select(*columns)


# SQLModel types a column attribute as its value; ORM options want the attribute itself.
_RAW_SOURCE = inspect(Document).attrs["raw_zlib"].class_attribute


def documents_query() -> SelectOfScalar[Document]:
    """Documents without their raw source, which only raw_source() needs."""
    return select(Document).options(defer(_RAW_SOURCE))


def document_row(session: Session, doc_id: int) -> Document:
    row = session.exec(documents_query().where(Document.id == doc_id)).first()
    if row is None:
        raise StoreError(f"no document {doc_id}")
    return row


def all_document_ids(session: Session) -> list[int]:
    return [
        row_id(doc_id) for doc_id in session.exec(select(Document.id).order_by(col(Document.id)))
    ]


def document_text(session: Session, doc_id: int) -> str:
    text = session.exec(select(Document.text).where(Document.id == doc_id)).first()
    if text is None:
        raise StoreError(f"no document {doc_id}")
    return text


def annotator_named(session: Session, name: str) -> Annotator | None:
    return session.exec(select(Annotator).where(Annotator.name == name)).first()


def create_annotator(
    session: Session, name: str, role: str = "annotator", *, first_is_admin: bool = True
) -> Annotator:
    """A new annotator; the first one a database ever gets becomes its admin. ValueError for a
    name that only invisible characters or Unicode composition tell from an existing one."""
    names = session.exec(select(Annotator.name)).all()
    if not names and first_is_admin:
        role = "admin"
    key = name_key(name)
    for existing in names:
        if name_key(existing) == key:
            raise ValueError(
                f"annotator name {name!r} looks the same as the existing annotator {existing!r}"
            )
    row = Annotator(name=name, role=role)
    session.add(row)
    session.flush()
    log_event(session, ANNOTATOR_ADD, None, {"name": name, "role": role})
    return row


def find_layer(session: Session, layer: str) -> Layer | None:
    """The layer called `layer`, or None when no annotator has that name."""
    if layer == GOLD_LAYER:
        return Layer(GOLD_LAYER, None)
    row = annotator_named(session, layer)
    return Layer(row.name, row.id) if row is not None else None


def resolve_layer(session: Session, layer: str) -> Layer:
    """The layer called `layer`, creating its annotator if needed (for writes)."""
    check_layer_name(layer)
    found = find_layer(session, layer)
    if found is not None:
        return found
    row = create_annotator(session, layer)
    return Layer(row.name, row.id)


def in_layer(model: type[Span] | type[Relation], layer: Layer) -> Any:
    """The WHERE clause selecting the rows of one layer (NULL annotator = gold)."""
    if layer.annotator_id is None:
        return col(model.annotator_id).is_(None)
    return col(model.annotator_id) == layer.annotator_id


def layer_spans(doc_id: int, layer: Layer) -> Any:
    return (
        select(Span)
        .where(Span.document_id == doc_id, in_layer(Span, layer))
        .order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    )


def edit_actor(layer: str, actor: str | None) -> str | None:
    """Who an edit is logged under: the given actor, else the layer's annotator (gold: nobody)."""
    if actor is not None:
        return actor
    return None if layer == GOLD_LAYER else layer


def reviewer_id_of(session: Session, actor: str | None) -> int | None:
    if actor is None:
        return None
    return resolve_layer(session, actor).annotator_id


def identical_span(session: Session, doc_id: int, layer: Layer, draft: SpanDraft) -> Span | None:
    query = select(Span).where(
        Span.document_id == doc_id,
        in_layer(Span, layer),
        Span.start == draft.start,
        Span.end == draft.end,
        Span.label == draft.label,
    )
    return session.exec(query.order_by(col(Span.id)).limit(1)).first()


def span_in_layer(session: Session, span_id: int, layer: str) -> tuple[Span, Layer]:
    row = session.get(Span, span_id)
    if row is None:
        raise StoreError(f"no span {span_id}")
    resolved = find_layer(session, layer)
    if resolved is None or row.annotator_id != resolved.annotator_id:
        raise StoreError(f"span {span_id} is not in layer {layer}")
    return row, resolved


def require_span_of(session: Session, span_id: int, doc_id: int, layer: Layer) -> None:
    row = session.get(Span, span_id)
    if row is None or row.document_id != doc_id or row.annotator_id != layer.annotator_id:
        raise StoreError(f"span {span_id} is not in layer {layer.name} of document {doc_id}")


def identical_relation(
    session: Session, doc_id: int, layer: Layer, head_id: int, child_id: int, label: str
) -> Relation | None:
    query = select(Relation).where(
        Relation.document_id == doc_id,
        in_layer(Relation, layer),
        Relation.head_id == head_id,
        Relation.child_id == child_id,
        Relation.label == label,
    )
    return session.exec(query.limit(1)).first()


def relations_with_ends(*extra: Any) -> Select[*tuple[Any, ...]]:
    """A query of relations with both ends' extents: document, annotator, label, head start,
    end and label, child start, end and label, then `extra` columns (one join per end)."""
    head, child = aliased(Span), aliased(Span)
    return (
        select_columns(
            Relation.document_id,
            Relation.annotator_id,
            Relation.label,
            head.start,
            head.end,
            head.label,
            child.start,
            child.end,
            child.label,
            *extra,
        )
        .join(head, col(head.id) == col(Relation.head_id))
        .join(child, col(child.id) == col(Relation.child_id))
    )


def done_annotators(session: Session, doc_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """Per document, the annotators (id -> name) who marked it done."""
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    done = session.exec(
        select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
            col(DocumentStatus.document_id).in_(doc_ids), col(DocumentStatus.done).is_(True)
        )
    ).all()
    found: dict[int, dict[int, str]] = {}
    for doc_id, annotator_id in done:
        found.setdefault(doc_id, {})[annotator_id] = names[annotator_id]
    return found
