"""Small writes inside the caller's transaction, shared by the store's modules.

Removing a span with the relations touching it, putting them back from their snapshots,
changing a note, setting a done mark, and the multi-row INSERT the bulk paths use.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, or_
from sqlmodel import Session, col, select

from store.check_writes import release_appearance, restore_appearance
from store.entities import current_entity_id
from store.errors import StoreError
from store.events import DONE, SPAN_ADD, log_event
from store.layer import Layer
from store.queries import find_layer, identical_span, reviewer_id_of
from store.row_info import row_id
from store.snapshots import relation_snapshot, span_from_snapshot, span_snapshot
from store.span_columns import new_span
from store.tables import Check, CheckAppearance, DocumentStatus, Event, Relation, Span, utc_now
from vocabulary.records import SpanDraft


def insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT of `rows` (every column given) into `model`'s table.

    Core, not the ORM: the ORM builds an object per row and splits the rows wherever a value
    is None in some and not in others, which made large imports, assignments and
    auto-adjudication take minutes.
    """
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def insert_relation(
    session: Session,
    doc_id: int,
    annotator_id: int | None,
    head_id: int,
    child_id: int,
    label: str,
) -> Relation:
    """A new relation row of the layer of `annotator_id` (None: gold), flushed so it has its id;
    the caller logs the event that fits (a link alone, a span with its link, a gold link)."""
    row = Relation(
        document_id=doc_id,
        annotator_id=annotator_id,
        head_id=head_id,
        child_id=child_id,
        label=label,
    )
    session.add(row)
    session.flush()
    return row


def add_span_row(
    session: Session,
    doc_id: int,
    layer: Layer,
    draft: SpanDraft,
    who: str | None,
    *,
    gold_source: str | None = None,
) -> Span:
    """A new span of `layer` from `draft`, logged (`span_add`, undoable), or the identical span
    already there (nothing logged). Offsets are the caller's to check."""
    existing = identical_span(session, doc_id, layer, draft)
    if existing is not None:
        return existing
    row = new_span(doc_id, layer, draft)
    if layer.annotator_id is None:
        row.gold_source = gold_source
        row.reviewer_id = reviewer_id_of(session, who)
    session.add(row)
    session.flush()
    log_event(
        session,
        SPAN_ADD,
        who,
        {"span": span_snapshot(row)},
        document_id=doc_id,
        layer=layer.name,
        span_id=row.id,
    )
    return row


def deletion_snapshot(session: Session, row: Span) -> dict[str, Any]:
    """What a span's deletion event keeps for undo: the span, and the check it appears in."""
    snapshot = span_snapshot(row)
    appearance = session.get(CheckAppearance, row_id(row.id))
    if appearance is not None and (check := session.get(Check, appearance.check_id)):
        snapshot["check"] = check.uid
    return snapshot


def remove_span(session: Session, row: Span, who: str | None = None) -> list[dict[str, Any]]:
    """Delete a span and the relations touching it (and its place among a check's
    appearances); return those relations' snapshots."""
    release_appearance(session, row, who)
    touching = session.exec(
        select(Relation).where(
            or_(col(Relation.head_id) == row.id, col(Relation.child_id) == row.id)
        )
    ).all()
    snapshots = [relation_snapshot(relation) for relation in touching]
    for relation in touching:
        session.delete(relation)
    session.flush()
    session.delete(row)
    session.flush()
    return snapshots


def change_note(session: Session, row: Span, note: str | None) -> None:
    row.note = note
    row.updated_at = utc_now()
    session.add(row)
    session.flush()


def mark_done(
    session: Session,
    doc_id: int,
    layer: Layer,
    done: bool,
    actor: str | None,
) -> None:
    """Set a done mark; logged only when it changes."""
    annotator_id = row_id(layer.annotator_id)
    status = session.get(DocumentStatus, (doc_id, annotator_id))
    if status is not None and status.done == done:
        return
    if status is None:
        status = DocumentStatus(document_id=doc_id, annotator_id=annotator_id)
    status.done = done
    status.updated_at = utc_now()
    session.add(status)
    session.flush()
    log_event(session, DONE, actor, {"done": done}, document_id=doc_id, layer=layer.name)


def _event_layer(session: Session, event: Event) -> Layer:
    found = find_layer(session, event.layer or "")
    if found is None:
        raise StoreError(f"layer {event.layer} of event {event.id} no longer exists")
    return found


def restore_span(
    session: Session, event: Event, snapshot: dict[str, Any], relations: list[dict[str, Any]]
) -> None:
    """Put a deleted span back with its original id, then the relations it had. The entity it
    named is followed through any merge since (see store.entities)."""
    if session.get(Span, snapshot["id"]) is None:
        row = span_from_snapshot(snapshot, row_id(event.document_id), _event_layer(session, event))
        row.entity_id = current_entity_id(session, row.entity_id)
        session.add(row)
        session.flush()
        if snapshot.get("check"):
            restore_appearance(session, row, snapshot["check"], event.actor)
    restore_relations(session, event, relations)


def restore_relations(session: Session, event: Event, snapshots: list[dict[str, Any]]) -> None:
    """Put relations back with their ids, skipping any whose spans are gone or that exist."""
    layer = _event_layer(session, event)
    for snapshot in snapshots:
        if session.get(Relation, snapshot["id"]) is not None:
            continue
        if (
            session.get(Span, snapshot["head_id"]) is None
            or session.get(Span, snapshot["child_id"]) is None
        ):
            continue
        session.add(
            Relation(
                id=snapshot["id"],
                document_id=row_id(event.document_id),
                annotator_id=layer.annotator_id,
                head_id=snapshot["head_id"],
                child_id=snapshot["child_id"],
                label=snapshot["label"],
            )
        )
    session.flush()
