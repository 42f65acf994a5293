"""What an export of one source holds, counted by the database: the data card's numbers.

The exported records are one per (document, layer) with spans or a done mark in the chosen
layers (as `Store.iter_export` yields them); their spans are every span of those layers. Counted
with GROUP BY here rather than while the records stream past, so the fastest export path (lines
SQLite writes itself) serves exports with a card too.
"""

from __future__ import annotations

from sqlalchemy import func, union
from sqlmodel import Session, col, select

from store.column_values import aware_utc, ext_id
from store.info import DocumentProvenance, ExportTally
from store.layer import Layer
from store.queries import in_layer, select_columns
from store.tables import Annotator, Document, DocumentStatus, Span
from vocabulary.names import GOLD_LAYER


def export_tally(session: Session, selected: Layer | None) -> ExportTally:
    """The counts of an export of `selected` (None: every layer)."""
    with_spans = select(Span.document_id, Span.annotator_id)
    marked_done = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        col(DocumentStatus.done).is_(True)
    )
    labels = select(Span.label, func.count()).group_by(col(Span.label))
    if selected is not None:
        with_spans = with_spans.where(in_layer(Span, selected))
        marked_done = marked_done.where(DocumentStatus.annotator_id == selected.annotator_id)
        labels = labels.where(in_layer(Span, selected))
    records = union(with_spans, marked_done).subquery()
    names = {row.id: row.name for row in session.exec(select(Annotator))}
    layers = {
        GOLD_LAYER if annotator_id is None else names[annotator_id]: count
        for annotator_id, count in session.exec(
            select(records.c.annotator_id, func.count()).group_by(records.c.annotator_id)
        )
    }
    documents = session.exec(
        select_columns(
            func.length(Document.text),
            Document.outlet,
            Document.extractor,
            Document.extractor_version,
            Document.published,
            Document.imported_at,
            Document.url,
            Document.text_sha256,
        )
        .where(col(Document.id).in_(select(records.c.document_id)))
        .order_by(col(Document.id))
    ).all()
    label_counts = dict(session.exec(labels).all())
    gold_sources: dict[str | None, int] = {}
    if selected is None or selected.annotator_id is None:
        sources = select(Span.gold_source, func.count()).where(col(Span.annotator_id).is_(None))
        gold_sources = dict(session.exec(sources.group_by(col(Span.gold_source))).all())
    return ExportTally(
        documents=len(documents),
        characters=sum(row[0] for row in documents),
        spans=sum(label_counts.values()),
        layers=layers,
        outlets=[row[1] for row in documents],
        extractors=[(row[2], row[3]) for row in documents],
        published=[row[4] for row in documents if row[4]],
        imported=[aware_utc(row[5]) for row in documents],
        labels=label_counts,
        gold_sources=gold_sources,
        documents_listed=tuple(
            DocumentProvenance(ext_id(row[7]), row[1], row[6], row[4], row[7]) for row in documents
        ),
    )
