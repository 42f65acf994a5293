"""An annotator's queue: the next document they have not done, and where one is in it (the
library's listing is `store.listing`).

An annotator's queue is their assignments if they have any, else every document, in id order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.queries import find_layer
from store.tables import Assignment, Document, DocumentStatus


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
