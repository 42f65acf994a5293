"""The event log's writer: the kinds of event, and how one is appended.

Every write of the store appends events (see `store.tables.Event`); undo and redo are derived
from them (see `store.history`).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sqlmodel import Session

from store.tables import Event, utc_now

# Event kinds. The edits below are what undo/redo act on; the rest only record what happened.
SPAN_ADD, SPAN_DELETE, SPAN_NOTE = "span_add", "span_delete", "span_note"
RELATION_ADD, RELATION_DELETE = "relation_add", "relation_delete"
UNDO, REDO = "undo", "redo"
# Review edits of the gold layer (see store.gold): new extents, rejections, adjudicated marks,
# and values (note, attributes, entity) a gold span took from a version identical to it.
SPAN_EDIT, GOLD_REJECT, ADJUDICATED = "span_edit", "gold_reject", "adjudicated"
GOLD_VALUES = "gold_values"
# An actor span naming an entity (or no longer): an edit of its layer (see store.entities).
SPAN_ENTITY = "span_entity"
# A reviewer kept links out of gold (see store.gold_relations).
RELATION_REJECT = "relation_reject"
# Several spans made at once (every suggestion of a label accepted): one step for undo.
SPANS_ADD = "spans_add"
EDIT_KINDS = (
    SPAN_ADD,
    SPAN_DELETE,
    SPAN_NOTE,
    RELATION_ADD,
    RELATION_DELETE,
    SPAN_EDIT,
    GOLD_REJECT,
    ADJUDICATED,
    GOLD_VALUES,
    SPAN_ENTITY,
    RELATION_REJECT,
    SPANS_ADD,
)
ROLE_SET, ASSIGN = "role_set", "assign"
# The corpus's entities: logged without a document or layer (they belong to every one).
ENTITY_ADD, ENTITY_MERGE, ENTITY_RENAME = "entity_add", "entity_merge", "entity_rename"
# An annotator's answer to a suggestion (the accepted span's own span_add is what undo acts on).
SUGGESTION_ACCEPT, SUGGESTION_REJECT = "suggestion_accept", "suggestion_reject"
# The fact-check desk: every change to a check (store.check_writes), with `check_id` set and a
# payload {"check": uid, "field": …, "old": …, "new": …}; a check's history is these events.
CHECK_ADD, CHECK_SET = "check_add", "check_set"
CHECK_APPEARANCE_ADD, CHECK_APPEARANCE_REMOVE = "check_appearance_add", "check_appearance_remove"
EVIDENCE_ADD, EVIDENCE_SET, EVIDENCE_REMOVE = "evidence_add", "evidence_set", "evidence_remove"
CHECK_KINDS = (
    CHECK_ADD,
    CHECK_SET,
    CHECK_APPEARANCE_ADD,
    CHECK_APPEARANCE_REMOVE,
    EVIDENCE_ADD,
    EVIDENCE_SET,
    EVIDENCE_REMOVE,
)
# A document's metadata corrected by hand (store.document_corrections): {"field", "old", "new"}.
DOCUMENT_SET = "document_set"
ANNOTATOR_ADD, DOCUMENT_IMPORT, SPANS_IMPORT, DONE = (
    "annotator_add",
    "document_import",
    "spans_import",
    "done",
)


# Who is really at the keyboard when that is not the annotator the events name (an admin working
# as someone else): set by the store around each unit of work, recorded as payload["login"].
ACTING_LOGIN: ContextVar[str | None] = ContextVar("factmark_acting_login", default=None)


def log_event(
    session: Session,
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
    *,
    document_id: int | None = None,
    layer: str | None = None,
    span_id: int | None = None,
    check_id: int | None = None,
) -> None:
    """Append an event; it is written at the next flush or commit, in the order logged."""
    row = event_row(kind, actor, payload, document_id=document_id, layer=layer, span_id=span_id)
    session.add(Event(**row, check_id=check_id))


def event_row(
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
    *,
    document_id: int | None = None,
    layer: str | None = None,
    span_id: int | None = None,
) -> dict[str, Any]:
    """An event's column values: what log_event adds, or what a bulk write inserts with others."""
    login = ACTING_LOGIN.get()
    if login is not None:
        payload = {**payload, "login": login}
    return {
        "at": utc_now(),
        "actor": actor,
        "kind": kind,
        "document_id": document_id,
        "layer": layer,
        "span_id": span_id,
        "payload": payload,
    }
