"""What exports and agreement read: EXPORT_CHUNK documents at a time (`store.chunks`), as plain
column tuples.

Each chunk is read in one short read transaction by the caller (`Store.iter_export`,
`Store.iter_done_layers`); spans, relations and done marks of a whole chunk come in one query
each, over the chunk's id range: loading ORM objects for a million spans would cost most of an
export's time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from store import chunks
from store.column_values import document_from_columns, ext_id
from store.errors import StoreError
from store.info import (
    DocumentInfo,
    DoneLayers,
    ExportRecord,
    ExportRelation,
    ExportSpan,
    RelationExtent,
    SpanExtent,
)
from store.layer import Layer
from store.queries import in_layer, relations_with_ends, select_columns
from store.row_info import DOCUMENT_COLUMNS
from store.span_columns import EXPORT_SPAN_COLUMNS, export_span
from store.tables import Annotator, Document, DocumentStatus, Entity, Relation, Span
from vocabulary.entities import entity_ref
from vocabulary.names import GOLD_LAYER

if TYPE_CHECKING:
    from store.direct import Rows


_document_and_annotator = itemgetter(0, 1)


def export_chunk(
    session: Session, after: int, selected: Layer | None
) -> tuple[list[ExportRecord], int | None]:
    """The export records of the next EXPORT_CHUNK documents after id `after`, and the last id.

    `selected` is one layer, or None for every layer. Spans, relations and done marks of the
    whole chunk come in one query each, over the chunk's id range, as plain column tuples:
    loading ORM objects for a million spans would cost most of an export's time.
    """
    documents = _export_documents(session, after)
    if not documents:
        return [], None
    low, high = documents[0].id, documents[-1].id
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    spans = _chunk_span_rows(session, low, high, selected)
    entities = _chunk_entities(session, spans)
    relations = _chunk_relation_rows(session, low, high, selected)
    done = _chunk_done(session, low, high, selected)
    # Imported here: the check reads (store.checks) use this module's session_rows.
    from store.check_export import span_checks

    checks = span_checks(session, low, high)
    layers = _layers_by_document(spans, done)
    records: list[ExportRecord] = []
    for info in documents:
        for annotator_id in _ordered_layers(layers.get(info.id, set()), names):
            key = (info.id, annotator_id)
            layer = GOLD_LAYER if annotator_id is None else names[annotator_id]
            records.append(
                ExportRecord(
                    document=info,
                    layer=layer,
                    spans=[
                        _with_check(
                            _with_entity(export_span(row, layer, info.text), entities), checks
                        )
                        for row in spans.get(key, [])
                    ],
                    relations=[
                        ExportRelation(row[0], row[1], layer, row[3], row[4], row[5])
                        for row in relations.get(key, [])
                    ],
                    done=key in done,
                )
            )
    return records, high


def _chunk_entities(
    session: Session, spans: dict[tuple[int, int | None], list[Any]]
) -> dict[int, dict[str, str]]:
    """`attrs.entity` of every entity the chunk's spans name, by entity id."""
    entity_column = len(EXPORT_SPAN_COLUMNS) - 1
    ids = {row[entity_column] for rows in spans.values() for row in rows} - {None}
    if not ids:
        return {}
    query = select(Entity.id, Entity.uid, Entity.name, Entity.type).where(
        col(Entity.id).in_(sorted(ids))
    )
    return {
        row_id: entity_ref(uid, name, kind)
        for row_id, uid, name, kind in session.connection().execute(query).all()
    }


def _with_entity(span: ExportSpan, entities: dict[int, dict[str, str]]) -> ExportSpan:
    """The span with `attrs.entity` (formats.md) when it names an entity."""
    if span.entity_id is None or span.entity_id not in entities:
        return span
    return span._replace(attrs={**span.attrs, "entity": entities[span.entity_id]})


def _with_check(span: ExportSpan, checks: dict[int, dict[str, Any]]) -> ExportSpan:
    """The span with `attrs.check` (formats.md) when it is an appearance of a check."""
    check = checks.get(span.id)
    if check is None:
        return span
    return span._replace(attrs={**span.attrs, "check": check})


def session_rows(session: Session) -> Rows:
    """`Rows` in the session's transaction, on any database (SQLAlchemy turns the `:names` into
    the driver's parameters)."""

    def rows(sql: str, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return session.connection().execute(text(sql), dict(parameters)).all()

    return rows


def raw_rows(session: Session, sql: str, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Rows straight from the DB-API cursor, in the session's transaction: SQLAlchemy's result
    machinery costs more than the rest of a large export's Python work."""
    driver = session.connection().connection.driver_connection
    if driver is None:
        raise StoreError("internal error: the database connection is closed")
    cursor = driver.cursor()
    try:
        return cursor.execute(sql, parameters).fetchall()
    finally:
        cursor.close()


def _export_documents(session: Session, after: int) -> list[DocumentInfo]:
    """The next EXPORT_CHUNK documents after id `after`, read as column tuples."""
    query = (
        select(*DOCUMENT_COLUMNS)
        .where(col(Document.id) > after)
        .order_by(col(Document.id))
        .limit(chunks.EXPORT_CHUNK)
    )
    return [document_from_columns(row) for row in session.connection().execute(query).all()]


_RELATION_COLUMNS = (
    Relation.id,
    Relation.document_id,
    Relation.annotator_id,
    Relation.head_id,
    Relation.child_id,
    Relation.label,
)


def _chunk_span_rows(
    session: Session, low: int, high: int, selected: Layer | None
) -> dict[tuple[int, int | None], list[Any]]:
    """Span column tuples for documents low..high (of one layer or all), in text order."""
    query = select_columns(*EXPORT_SPAN_COLUMNS).where(col(Span.document_id).between(low, high))
    if selected is not None:
        query = query.where(in_layer(Span, selected))
    query = query.order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    # Core execution: column tuples without the ORM's per-row loading machinery.
    return _grouped_by_layer(session.connection().execute(query).all())


def _chunk_relation_rows(
    session: Session, low: int, high: int, selected: Layer | None
) -> dict[tuple[int, int | None], list[Any]]:
    query = select_columns(*_RELATION_COLUMNS).where(col(Relation.document_id).between(low, high))
    if selected is not None:
        query = query.where(in_layer(Relation, selected))
    return _grouped_by_layer(session.connection().execute(query.order_by(col(Relation.id))).all())


def annotator_ids(session: Session, names: Sequence[str]) -> dict[int, str]:
    query = select(Annotator.id, Annotator.name).where(col(Annotator.name).in_(list(names)))
    return {row[0]: row[1] for row in session.connection().execute(query).all()}


def done_layers_chunk(
    session: Session, after: int, annotators: dict[int, str], min_layers: int
) -> tuple[list[DoneLayers], int | None]:
    """The DoneLayers of the documents among the next EXPORT_CHUNK ids after `after`."""
    connection = session.connection()
    ids = (
        connection.execute(
            select(Document.id)
            .where(col(Document.id) > after)
            .order_by(col(Document.id))
            .limit(chunks.EXPORT_CHUNK)
        )
        .scalars()
        .all()
    )
    if not ids:
        return [], None
    return done_layers_of(session, ids, annotators, min_layers), ids[-1]


def done_layers_of(
    session: Session, ids: Sequence[int], annotators: dict[int, str], min_layers: int
) -> list[DoneLayers]:
    """The DoneLayers of those of `ids` (ascending) that at least `min_layers` of `annotators`
    marked done, in id order."""
    connection = session.connection()
    done: dict[int, set[int]] = defaultdict(set)
    status = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        _document_among(DocumentStatus.document_id, ids),
        col(DocumentStatus.done).is_(True),
        col(DocumentStatus.annotator_id).in_(list(annotators)),
    )
    for doc_id, annotator_id in connection.execute(status).all():
        done[doc_id].add(annotator_id)
    counted = sorted(doc for doc, who in done.items() if len(who) >= min_layers)
    if not counted:
        return []
    spans = (
        select_columns(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label)
        .where(
            _document_among(Span.document_id, counted),
            col(Span.annotator_id).in_(list(annotators)),
        )
        .order_by(col(Span.document_id), col(Span.annotator_id))
    )
    layers: dict[int, dict[str, list[SpanExtent]]] = {
        doc: {annotators[a]: [] for a in done[doc]} for doc in counted
    }
    # Plain DB-API tuples (integers and text need no conversion): building SQLAlchemy rows for
    # hundreds of thousands of spans cost more than reading them.
    rows = connection.execute(spans).cursor.fetchall()
    for (doc_id, annotator_id), group in groupby(rows, key=_document_and_annotator):
        layer = layers.get(doc_id, {}).get(annotators[annotator_id])
        if layer is not None:
            layer.extend([SpanExtent(row[2], row[3], row[4]) for row in group])
    relations = _done_relations(session, counted, annotators, done)
    texts = select(Document.id, Document.text_sha256, Document.text).where(
        col(Document.id).in_(counted)
    )
    return [
        DoneLayers(doc_id, ext_id(sha), text, layers[doc_id], relations.get(doc_id, {}))
        for doc_id, sha, text in connection.execute(texts.order_by(col(Document.id))).all()
    ]


def _document_among(column: Any, ids: Sequence[int]) -> Any:
    """`column` in `ids` (ascending): a range when they are dense (one index range scan, as a
    chunk of consecutive documents is), else the list itself (a few changed documents)."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return col(column).between(ids[0], ids[-1])
    return col(column).in_(list(ids))


def _done_relations(
    session: Session, counted: list[int], annotators: dict[int, str], done: dict[int, set[int]]
) -> dict[int, dict[str, list[RelationExtent]]]:
    """The relations of the done layers of `counted`, each with its two ends' extents, in one
    query joining the spans twice."""
    query = (
        relations_with_ends()
        .where(
            _document_among(Relation.document_id, counted),
            col(Relation.annotator_id).in_(list(annotators)),
        )
        .order_by(col(Relation.document_id), col(Relation.id))
    )
    found: dict[int, dict[str, list[RelationExtent]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, annotator_id, label, *ends in session.connection().execute(query).all():
        if annotator_id in done.get(doc_id, ()):
            head_end, child_end = SpanExtent(*ends[:3]), SpanExtent(*ends[3:])
            found[doc_id][annotators[annotator_id]].append(
                RelationExtent(head_end, child_end, label)
            )
    return {doc_id: dict(layers) for doc_id, layers in found.items()}


def _grouped_by_layer(rows: Sequence[Any]) -> dict[tuple[int, int | None], list[Any]]:
    """Rows whose 2nd and 3rd columns are (document_id, annotator_id), grouped by that pair."""
    grouped: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row[1], row[2])].append(row)
    return grouped


def _chunk_done(
    session: Session, low: int, high: int, selected: Layer | None
) -> set[tuple[int, int | None]]:
    if selected is not None and selected.annotator_id is None:
        return set()  # the gold layer has no done marks
    query = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        col(DocumentStatus.document_id).between(low, high), col(DocumentStatus.done).is_(True)
    )
    if selected is not None:
        query = query.where(DocumentStatus.annotator_id == selected.annotator_id)
    return {(doc_id, annotator_id) for doc_id, annotator_id in session.exec(query).all()}


def _layers_by_document(
    spans: dict[tuple[int, int | None], list[Any]], done: set[tuple[int, int | None]]
) -> dict[int, set[int | None]]:
    """For each document, the layers worth exporting: those with spans or a done mark."""
    layers: dict[int, set[int | None]] = defaultdict(set)
    for doc_id, annotator_id in (*spans.keys(), *done):
        layers[doc_id].add(annotator_id)
    return layers


def _ordered_layers(layers: set[int | None], names: dict[Any, str]) -> list[int | None]:
    """Gold first, then annotators by name."""
    return sorted(layers, key=lambda a: (a is not None, names.get(a, "")))
