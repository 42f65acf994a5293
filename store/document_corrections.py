"""Corrections of a document's metadata (title, outlet, byline, date, URL), inside a transaction.

The `documents` columns hold the values in force, so every listing, search and export shows the
corrected ones. What the importer found is kept once, at the first correction, in the document's
`meta` under `found` (so the native export carries it, and a re-import of that export keeps it);
each change is a `document_set` event {"field", "old", "new"} naming who made it and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from store.column_values import aware_utc, ext_id
from store.correction_info import Correction, DocumentMeta
from store.events import DOCUMENT_SET, log_event
from store.queries import document_row
from store.roles import require_reviewer
from store.tables import Document, Event
from vocabulary.document_fields import DOCUMENT_FIELDS, FOUND_KEY


def field_values(row: Document) -> dict[str, str | None]:
    return {field: getattr(row, field) for field in DOCUMENT_FIELDS}


def found_values(row: Document) -> dict[str, str | None]:
    """What the importer found: kept in meta once corrected, else the columns themselves."""
    kept = (row.meta or {}).get(FOUND_KEY)
    if not isinstance(kept, dict):
        return field_values(row)
    return {field: _text_or_none(kept.get(field)) for field in DOCUMENT_FIELDS}


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def correct_document(
    session: Session, doc_id: int, changes: Mapping[str, str | None], actor: str | None
) -> list[Correction]:
    """Apply `changes` (checked values, see `vocabulary.document_fields.corrected_values`) to
    document `doc_id`, logging one event per field that really changes; the changes made.

    Correcting is for reviewers and admins once the store has a user: the metadata is every
    layer's, and the ClaimReview export cites it.
    """
    if actor is not None:
        require_reviewer(session, actor, "correct a document's metadata")
    row = document_row(session, doc_id)
    before = field_values(row)
    made = [(field, before[field], new) for field, new in changes.items() if before[field] != new]
    if not made:
        return []
    if not isinstance((row.meta or {}).get(FOUND_KEY), dict):
        row.meta = {**(row.meta or {}), FOUND_KEY: before}  # a new dict: SQLAlchemy sees it
    for field, old, new in made:
        setattr(row, field, new)
        payload = {"field": field, "old": old, "new": new}
        log_event(session, DOCUMENT_SET, actor, payload, document_id=doc_id)
    session.add(row)
    session.flush()
    return corrections(session, doc_id)[-len(made) :]


def corrections(session: Session, doc_id: int) -> list[Correction]:
    """Every correction of document `doc_id`, oldest first."""
    query = (
        select(Event)
        .where(Event.document_id == doc_id, Event.kind == DOCUMENT_SET)
        .order_by(col(Event.id))
    )
    return [_correction(event) for event in session.exec(query)]


def _correction(event: Event) -> Correction:
    payload = event.payload or {}
    return Correction(
        document_id=event.document_id or 0,
        field=str(payload.get("field")),
        old=_text_or_none(payload.get("old")),
        new=_text_or_none(payload.get("new")),
        actor=event.actor,
        at=aware_utc(event.at),
    )


def document_meta(session: Session, doc_id: int) -> DocumentMeta:
    """Document `doc_id`'s metadata found and in force, and its corrections."""
    row = document_row(session, doc_id)
    return DocumentMeta(
        document_id=doc_id,
        ext_id=ext_id(row.text_sha256),
        found=found_values(row),
        in_force=field_values(row),
        corrections=tuple(corrections(session, doc_id)),
    )
