"""Undo and redo, derived from the event log: the edits of one (document, layer) form a stack.

"undo" and "redo" are events too, naming their target; replaying a layer's log gives what can be
undone and what can be redone. Gold-layer review edits are reverted by `store.gold`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from store.entities import reapply_naming, revert_naming
from store.events import (
    ADJUDICATED,
    EDIT_KINDS,
    GOLD_REJECT,
    GOLD_VALUES,
    REDO,
    RELATION_ADD,
    RELATION_DELETE,
    RELATION_REJECT,
    SPAN_ADD,
    SPAN_DELETE,
    SPAN_EDIT,
    SPAN_ENTITY,
    SPAN_NOTE,
    SPANS_ADD,
    UNDO,
    log_event,
)
from store.gold import (
    describe_gold_event,
    reapply_gold_event,
    remove_replaced,
    restore_replaced,
    revert_gold_event,
)
from store.gold_relations import (
    describe_relation_reject,
    reapply_relation_reject,
    revert_relation_reject,
)
from store.tables import Event, Relation, Span
from store.writes import change_note, remove_span, restore_relations, restore_span

_GOLD_KINDS = (SPAN_EDIT, GOLD_REJECT, ADJUDICATED, GOLD_VALUES)


def undo_last(session: Session, doc_id: int, layer: str, actor: str | None) -> str | None:
    """Undo the layer's last edit on the document; a short description, or None if nothing."""
    undoable, _ = _edit_history(session, doc_id, layer)
    if not undoable:
        return None
    target = undoable[-1]
    description, extra = _revert(session, target)
    payload = {"target": target.id, **extra}
    log_event(
        session, UNDO, actor, payload, document_id=doc_id, layer=layer, span_id=target.span_id
    )
    return f"undid {description}"


def redo_last(session: Session, doc_id: int, layer: str, actor: str | None) -> str | None:
    """Redo the layer's last undone edit; a short description, or None if nothing."""
    _, redoable = _edit_history(session, doc_id, layer)
    if not redoable:
        return None
    target, undo_event = redoable[-1]
    description = _reapply(session, target, undo_event)
    payload = {"target": target.id}
    log_event(
        session, REDO, actor, payload, document_id=doc_id, layer=layer, span_id=target.span_id
    )
    return f"redid {description}"


def _edit_history(
    session: Session, doc_id: int, layer: str
) -> tuple[list[Event], list[tuple[Event, Event]]]:
    """Replay the log of one (document, layer) into what can be undone and what can be redone.

    Returns the undo stack (edits, oldest first) and the redo stack (each undone edit with the
    undo event that reverted it, whose payload holds what that revert removed).
    """
    query = select(Event).where(
        Event.document_id == doc_id,
        Event.layer == layer,
        col(Event.kind).in_((*EDIT_KINDS, UNDO, REDO)),
    )
    undoable: list[Event] = []
    redoable: list[tuple[Event, Event]] = []
    for event in session.exec(query.order_by(col(Event.id))).all():
        target = (event.payload or {}).get("target")
        if event.kind in EDIT_KINDS:
            undoable.append(event)
            redoable.clear()
        elif event.kind == UNDO and undoable and undoable[-1].id == target:
            redoable.append((undoable.pop(), event))
        elif event.kind == REDO and redoable and redoable[-1][0].id == target:
            undoable.append(redoable.pop()[0])
    return undoable, redoable


def _describe(event: Event) -> str:
    """A few words naming an edit, e.g. "add claim 12-40"."""
    if event.kind in _GOLD_KINDS:
        return describe_gold_event(event)
    if event.kind == RELATION_REJECT:
        return describe_relation_reject(event)
    payload = event.payload or {}
    if event.kind == SPANS_ADD:
        spans = payload.get("spans", [])
        labels = ", ".join(sorted({str(span.get("label")) for span in spans}))
        return f"add {len(spans)} {labels} span{'s' if len(spans) != 1 else ''}"
    verb = {
        SPAN_ADD: "add",
        SPAN_DELETE: "delete",
        SPAN_NOTE: "note on",
        RELATION_ADD: "add relation",
        RELATION_DELETE: "delete relation",
        SPAN_ENTITY: "naming of",
    }[event.kind]
    if "relation" in payload:
        return f"{verb} {payload['relation']['label']}"
    span = payload.get("span") or {}
    described = f"{verb} {span.get('label', '?')} {span.get('start', '?')}-{span.get('end', '?')}"
    if event.kind == SPAN_ADD and payload.get("relations"):
        # A span made together with its link (Store.add_linked_span): one step undoes both.
        links = ", ".join(str(relation["label"]) for relation in payload["relations"])
        described += f" with its {links} link"
    return described


def _revert(session: Session, event: Event) -> tuple[str, dict[str, Any]]:
    """Undo one edit; return its description and what the undo event should remember."""
    payload = event.payload or {}
    extra: dict[str, Any] = {}
    if event.kind == SPAN_ADD:
        extra["relations"] = _delete_span_by_id(session, payload["span"]["id"])
        restore_replaced(session, event)
    elif event.kind == SPANS_ADD:
        removed: list[dict[str, Any]] = []
        for span in payload.get("spans", []):
            removed.extend(_delete_span_by_id(session, span["id"]))
        extra["relations"] = removed
    elif event.kind in _GOLD_KINDS:
        revert_gold_event(session, event)
    elif event.kind == RELATION_REJECT:
        revert_relation_reject(session, event)
    elif event.kind == SPAN_DELETE:
        restore_span(session, event, payload["span"], payload.get("relations", []))
    elif event.kind == SPAN_NOTE:
        _set_note_by_id(session, payload["span"]["id"], payload.get("before"))
    elif event.kind == SPAN_ENTITY:
        revert_naming(session, event)
    elif event.kind == RELATION_ADD:
        _delete_relation_by_id(session, payload["relation"]["id"])
    elif event.kind == RELATION_DELETE:
        restore_relations(session, event, [payload["relation"]])
    return _describe(event), extra


def _reapply(session: Session, event: Event, undo_event: Event) -> str:
    """Redo one undone edit; `undo_event` holds what its undo removed (e.g. relations)."""
    payload = event.payload or {}
    if event.kind == SPAN_ADD:
        removed = (undo_event.payload or {}).get("relations", [])
        remove_replaced(session, event)
        restore_span(session, event, payload["span"], removed)
    elif event.kind == SPANS_ADD:
        for span in payload.get("spans", []):
            restore_span(session, event, span, [])
        restore_relations(session, event, (undo_event.payload or {}).get("relations", []))
    elif event.kind in _GOLD_KINDS:
        reapply_gold_event(session, event)
    elif event.kind == RELATION_REJECT:
        reapply_relation_reject(session, event)
    elif event.kind == SPAN_DELETE:
        _delete_span_by_id(session, payload["span"]["id"])
    elif event.kind == SPAN_NOTE:
        _set_note_by_id(session, payload["span"]["id"], payload.get("after"))
    elif event.kind == SPAN_ENTITY:
        reapply_naming(session, event)
    elif event.kind == RELATION_ADD:
        restore_relations(session, event, [payload["relation"]])
    elif event.kind == RELATION_DELETE:
        _delete_relation_by_id(session, payload["relation"]["id"])
    return _describe(event)


def _delete_span_by_id(session: Session, span_id: int) -> list[dict[str, Any]]:
    row = session.get(Span, span_id)
    return remove_span(session, row) if row is not None else []


def _set_note_by_id(session: Session, span_id: int, note: str | None) -> None:
    row = session.get(Span, span_id)
    if row is not None:
        change_note(session, row, note)


def _delete_relation_by_id(session: Session, relation_id: int) -> None:
    row = session.get(Relation, relation_id)
    if row is not None:
        session.delete(row)
        session.flush()
