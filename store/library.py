"""The library's reads: every document's summary and progress, and an annotator's queue.

An annotator's queue is their assignments if they have any, else every document, in id order.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.info import AnnotatorProgress, DocumentSummary
from store.queries import find_layer, select_columns
from store.row_info import ext_id
from store.tables import Annotator, Assignment, Document, DocumentReview, DocumentStatus, Span

OPENING_CHARS = 120  # enough for a library row in a wide terminal


def document_summaries(session: Session) -> list[DocumentSummary]:
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    span_counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    counted = select(Span.document_id, Span.annotator_id, func.count()).group_by(
        col(Span.document_id), col(Span.annotator_id)
    )
    for doc_id, annotator_id, count in session.exec(counted).all():
        span_counts[doc_id][annotator_id] = count
    done_marks: dict[int, set[int]] = defaultdict(set)
    marked = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        col(DocumentStatus.done).is_(True)
    )
    for doc_id, annotator_id in session.exec(marked).all():
        done_marks[doc_id].add(annotator_id)
    assigned: dict[int, set[int]] = defaultdict(set)
    for doc_id, annotator_id in session.exec(
        select(Assignment.document_id, Assignment.annotator_id)
    ).all():
        assigned[doc_id].add(annotator_id)
    adjudicated = set(
        session.exec(
            select(DocumentReview.document_id).where(col(DocumentReview.adjudicated).is_(True))
        ).all()
    )
    listing = select_columns(
        Document.id,
        Document.text_sha256,
        Document.title,
        Document.outlet,
        Document.published,
        func.length(Document.text),
        func.substr(Document.text, 1, OPENING_CHARS),
    ).order_by(col(Document.id))
    return [
        DocumentSummary(
            id=doc_id,
            ext_id=ext_id(sha),
            title=title,
            outlet=outlet,
            published=published,
            length=length,
            progress=_progress(span_counts[doc_id], done_marks[doc_id], assigned[doc_id], names),
            gold_spans=span_counts[doc_id].get(None, 0),
            assigned=tuple(sorted(names[a] for a in assigned[doc_id])),
            adjudicated=doc_id in adjudicated,
            opening=opening,
        )
        for doc_id, sha, title, outlet, published, length, opening in session.exec(listing).all()
    ]


def _progress(
    counts: dict[int | None, int],
    done: set[int],
    assigned: set[int],
    names: dict[int | None, str],
) -> dict[str, AnnotatorProgress]:
    """Per-annotator progress on one document: those assigned, with spans or a done mark."""
    involved = {a for a in counts if a is not None} | done | assigned
    progress = {
        names[a]: AnnotatorProgress(spans=counts.get(a, 0), done=a in done) for a in involved
    }
    return dict(sorted(progress.items()))


def _assigned_ids(annotator_id: int | None) -> Any:
    """The ids (column `id`) of the documents assigned to an annotator: their queue."""
    return select(col(Assignment.document_id).label("id")).where(
        Assignment.annotator_id == annotator_id
    )


def _has_assignments(session: Session, annotator_id: int | None) -> bool:
    query = select(Assignment.document_id).where(Assignment.annotator_id == annotator_id)
    return session.exec(query.limit(1)).first() is not None


def next_unfinished(session: Session, annotator: str, after: int | None) -> int | None:
    """The first document after `after` (wrapping around) in `annotator`'s queue that they have
    not done."""
    resolved = find_layer(session, annotator)
    annotator_id = resolved.annotator_id if resolved else -1
    done_ids = select(DocumentStatus.document_id).where(
        DocumentStatus.annotator_id == annotator_id,
        col(DocumentStatus.done).is_(True),
    )
    query = select(Document.id).where(col(Document.id).not_in(done_ids))
    if _has_assignments(session, annotator_id):
        query = query.where(col(Document.id).in_(_assigned_ids(annotator_id)))
    if after is None:
        return session.exec(query.order_by(col(Document.id)).limit(1)).first()
    later = query.where(col(Document.id) > after).order_by(col(Document.id)).limit(1)
    earlier = query.where(col(Document.id) <= after).order_by(col(Document.id)).limit(1)
    return session.exec(later).first() or session.exec(earlier).first()


def queue_position(session: Session, doc_id: int, annotator: str) -> tuple[int, int, int]:
    """Where `doc_id` is in `annotator`'s queue (see Store.queue_position)."""
    resolved = find_layer(session, annotator)
    annotator_id = resolved.annotator_id if resolved else -1
    queue = select(Document.id)
    if _has_assignments(session, annotator_id):
        queue = _assigned_ids(annotator_id)
    ids = queue.subquery()
    total = session.exec(select(func.count()).select_from(ids)).one()
    ahead = select(func.count()).select_from(ids).where(ids.c.id <= doc_id)
    inside = select(func.count()).select_from(ids).where(ids.c.id == doc_id)
    done = select(func.count()).where(
        DocumentStatus.annotator_id == annotator_id,
        col(DocumentStatus.done).is_(True),
        col(DocumentStatus.document_id).in_(select(ids.c.id)),
    )
    index = session.exec(ahead).one() if session.exec(inside).one() else 0
    return index, total, session.exec(done).one()
