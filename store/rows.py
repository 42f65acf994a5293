"""The store's shared internals: validation, row <-> info conversion, small queries and writes.

Every function here runs inside the caller's transaction (or before it, for validation); the
public API is `store.store.Store`. The names keep their leading underscore: they are internal to
the `store` package, shared by its modules (store, history, gold, assignments, roles).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import String, func, insert, or_, type_coerce
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from store.engine import StoreError
from store.info import AnnotatorInfo, DocumentInfo, EventInfo, RelationInfo, SpanInfo
from store.tables import (
    Annotator,
    Document,
    DocumentStatus,
    Event,
    Relation,
    Span,
    utc_now,
)
from vocabulary.names import ALL_LAYERS, GOLD_LAYER, SPAN_ORIGINS
from vocabulary.records import ImportItem, LayerDraft, SpanDraft
from vocabulary.text import strip_controls

_LONG_DIGITS = re.compile(r"\d{19}")  # the shortest integers that may not fit in 64 bits
RESERVED_NAMES = frozenset({GOLD_LAYER, ALL_LAYERS})
MAX_NAME = 200
MAX_LABEL = 100

# Event kinds. The edits below are what undo/redo act on; the rest only record what happened.
SPAN_ADD, SPAN_DELETE, SPAN_NOTE = "span_add", "span_delete", "span_note"
RELATION_ADD, RELATION_DELETE = "relation_add", "relation_delete"
UNDO, REDO = "undo", "redo"
# Review edits of the gold layer (see store.gold): new extents, rejections, adjudicated marks.
SPAN_EDIT, GOLD_REJECT, ADJUDICATED = "span_edit", "gold_reject", "adjudicated"
EDIT_KINDS = (
    SPAN_ADD,
    SPAN_DELETE,
    SPAN_NOTE,
    RELATION_ADD,
    RELATION_DELETE,
    SPAN_EDIT,
    GOLD_REJECT,
    ADJUDICATED,
)
ROLE_SET, ASSIGN = "role_set", "assign"
ANNOTATOR_ADD, DOCUMENT_IMPORT, SPANS_IMPORT, DONE = (
    "annotator_add",
    "document_import",
    "spans_import",
    "done",
)


@dataclass(frozen=True)
class _Layer:
    """A resolved layer: its name and the annotator id its rows carry (None for gold)."""

    name: str
    annotator_id: int | None


# =============================================================================================
# Validation (before any transaction)


def _check_annotator_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("an annotator name must be a non-empty string")
    if name != name.strip() or strip_controls(name) != name or "\n" in name or "\t" in name:
        raise ValueError(f"annotator name {name!r} has surrounding spaces or control characters")
    if len(name) > MAX_NAME:
        raise ValueError(f"annotator name is longer than {MAX_NAME} characters")
    if name in RESERVED_NAMES:
        raise ValueError(f"{name!r} is reserved and cannot be an annotator name")


def _check_layer_name(layer: str) -> None:
    if layer != GOLD_LAYER:
        _check_annotator_name(layer)


def _check_choice(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")


def _check_label(label: str) -> None:
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        raise ValueError(f"label {label!r} must be a non-empty string of at most {MAX_LABEL} chars")
    if strip_controls(label) != label or "\n" in label or "\t" in label:
        raise ValueError(f"label {label!r} contains control characters")


def _check_offsets(start: int, end: int, length: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError(f"span offsets must be integers (got {start!r}, {end!r})")
    if not 0 <= start < end <= length:
        raise ValueError(
            f"span {start}-{end} is outside the text or empty (need 0 <= start < end <= {length})"
        )


def _check_json(value: Any, what: str) -> None:
    """Refuse what is not JSON, NaN and Infinity included (Python writes them, JSON readers and
    SQLite's JSON functions refuse them, so one would break every later export)."""
    try:
        json.dumps(value, allow_nan=False)
    except ValueError as exc:
        reason = "NaN and Infinity are not JSON numbers" if "float" in str(exc) else str(exc)
        raise ValueError(f"{what} cannot be stored as JSON ({reason})") from None
    except TypeError as exc:
        raise ValueError(f"{what} cannot be stored as JSON ({exc})") from None


def _clean_note(note: str | None) -> str | None:
    """Notes are untrusted text: no control characters (newlines and tabs stay); "" means none."""
    if note is None:
        return None
    cleaned = strip_controls(note)
    return cleaned if cleaned.strip() else None


def _item_name(item: ImportItem, position: int) -> str:
    return item.source_file or item.article.title or f"item {position + 1}"


def _check_item(item: ImportItem, position: int) -> None:
    """ValueError naming the item if it cannot be stored as it is."""
    try:
        _check_article_text(item.article.text)
        _check_json(item.article.meta, "meta")
        for layer in item.layers:
            _check_layer_draft(layer, len(item.article.text))
    except ValueError as exc:
        raise ValueError(f"{_item_name(item, position)}: {exc}") from None


def _check_article_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the article text is empty")
    if not unicodedata.is_normalized("NFC", text):
        raise ValueError("the article text is not NFC-normalised")


def _check_layer_draft(layer: LayerDraft, length: int) -> None:
    _check_layer_name(layer.annotator)
    local_ids: set[str] = set()
    for span in layer.spans:
        _check_offsets(span.start, span.end, length)
        _check_label(span.label)
        _check_choice(span.origin, SPAN_ORIGINS, "origin")
        _check_json(span.attrs, "attrs")
        if span.local_id is not None:
            if span.local_id in local_ids:
                raise ValueError(
                    f"span id {span.local_id!r} appears twice in layer {layer.annotator}"
                )
            local_ids.add(span.local_id)
    for relation in layer.relations:
        _check_label(relation.label)
        for end in (relation.head, relation.child):
            if end not in local_ids:
                raise ValueError(f"relation {relation.label} names unknown span id {end!r}")


def _ext_id_prefix(ref: str) -> str:
    """The sha256 prefix an external id ("d-3f9a...") stands for."""
    digits = ref[2:].lower() if ref.lower().startswith("d-") else ""
    if not digits or len(digits) > 64 or any(c not in "0123456789abcdef" for c in digits):
        raise StoreError(f"{ref!r} is not a document id (a number, or d- and hex digits)")
    return digits


# =============================================================================================
# Rows <-> info objects


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ext_id(text_sha256_hex: str) -> str:
    """The external id of a document: stable across databases, used as the export `id`."""
    return "d-" + text_sha256_hex[:16]


def _annotator_info(row: Annotator) -> AnnotatorInfo:
    return AnnotatorInfo(id=_id(row.id), name=row.name, role=row.role)


# The columns a DocumentInfo is made of, in the order _document_from_columns reads them; the raw
# source is left out (only raw_source() needs it). The JSON and DateTime ones are read as raw
# text: SQLAlchemy's processing of them costs more than the rest of a large export together.
_DOCUMENT_FIELDS = (
    "id",
    "text_sha256",
    "text",
    "title",
    "byline",
    "outlet",
    "url",
    "published",
    "imported_at",
    "extractor",
    "extractor_version",
    "source_file",
    "meta",
)
_RAW_TEXT_FIELDS = {"imported_at", "meta"}
_DOCUMENT_COLUMNS = tuple(
    type_coerce(getattr(Document, name), String)
    if name in _RAW_TEXT_FIELDS
    else getattr(Document, name)
    for name in _DOCUMENT_FIELDS
)


def _document_info(row: Document) -> DocumentInfo:
    return _document_from_columns(tuple(getattr(row, name) for name in _DOCUMENT_FIELDS))


def _document_from_columns(values: Sequence[Any]) -> DocumentInfo:
    """A DocumentInfo from `_DOCUMENT_COLUMNS` values: raw text (SQLite) or decoded (ORM, PG)."""
    doc_id, sha, text, title, byline, outlet, url, published, imported, *rest = values
    extractor, extractor_version, source_file, meta = rest
    return DocumentInfo(
        id=doc_id,
        ext_id=ext_id(sha),
        text=text,
        text_sha256=sha,
        title=title,
        byline=byline,
        outlet=outlet,
        url=url,
        published=published,
        imported_at=_utc_datetime(imported),
        extractor=extractor,
        extractor_version=extractor_version,
        source_file=source_file,
        meta=_json_object(meta),
    )


def _json_object(raw: Any) -> dict[str, Any]:
    """A JSON column's value: text from SQLite, already decoded from PostgreSQL. No value (SQL
    NULL, or JSON null from an older or hand-edited row) is an empty object."""
    if raw is None or raw == "{}" or raw == "null":
        return {}
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if not isinstance(raw, str):
        return dict(raw)
    # orjson reads integers beyond 64 bits as floats, losing digits (an id, say): those go to
    # the standard library, which keeps them exact.
    return json.loads(raw) if _LONG_DIGITS.search(raw) else orjson.loads(raw)


def _utc_datetime(raw: Any) -> datetime:
    """A DateTime column's value: UTC ISO text from SQLite, a datetime from PostgreSQL."""
    return _aware(datetime.fromisoformat(raw) if isinstance(raw, str) else raw)


def _span_info(row: Span, layer: str, text: str) -> SpanInfo:
    return SpanInfo(
        id=_id(row.id),
        document_id=row.document_id,
        layer=layer,
        start=row.start,
        end=row.end,
        label=row.label,
        text=text[row.start : row.end],
        note=row.note,
        attrs=dict(row.attrs or {}),
        origin=row.origin,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        gold_source=row.gold_source,
        reviewer_id=row.reviewer_id,
    )


def _relation_info(row: Relation, layer: str) -> RelationInfo:
    return RelationInfo(
        id=_id(row.id),
        document_id=row.document_id,
        layer=layer,
        head_id=row.head_id,
        child_id=row.child_id,
        label=row.label,
    )


def _event_info(row: Event) -> EventInfo:
    return EventInfo(
        id=_id(row.id),
        at=_aware(row.at),
        actor=row.actor,
        kind=row.kind,
        document_id=row.document_id,
        span_id=row.span_id,
        payload=dict(row.payload or {}),
        layer=row.layer,
    )


def _id(value: int | None) -> int:
    """A row's primary key, which every row read back or flushed has."""
    if value is None:
        raise StoreError("internal error: a stored row has no id")
    return value


# Snapshots: what an event keeps of a row so that undo/redo can put exactly that row back.


_SNAPSHOT_FIELDS = (
    "id",
    "start",
    "end",
    "label",
    "note",
    "attrs",
    "origin",
    "created_at",
    "updated_at",
    "gold_source",
    "reviewer_id",
)


def _span_snapshot(row: Span) -> dict[str, Any]:
    """What an event keeps of a span, so that undo can put it back as it was."""
    return _snapshot_of({name: getattr(row, name) for name in _SNAPSHOT_FIELDS})


def _snapshot_of(values: dict[str, Any]) -> dict[str, Any]:
    """_span_snapshot of a span's column values (a row about to be inserted, with its id)."""
    snapshot = {name: values[name] for name in _SNAPSHOT_FIELDS}
    for stamp in ("created_at", "updated_at"):
        snapshot[stamp] = snapshot[stamp].isoformat()
    return snapshot


def _span_from_snapshot(snapshot: dict[str, Any], document_id: int, layer: _Layer) -> Span:
    return Span(
        id=snapshot["id"],
        document_id=document_id,
        annotator_id=layer.annotator_id,
        start=snapshot["start"],
        end=snapshot["end"],
        label=snapshot["label"],
        note=snapshot.get("note"),
        attrs=snapshot.get("attrs") or {},
        origin=snapshot.get("origin", "manual"),
        created_at=datetime.fromisoformat(snapshot["created_at"]),
        updated_at=datetime.fromisoformat(snapshot["updated_at"]),
        gold_source=snapshot.get("gold_source"),
        reviewer_id=snapshot.get("reviewer_id"),
    )


def _relation_snapshot(row: Relation) -> dict[str, Any]:
    return {"id": row.id, "head_id": row.head_id, "child_id": row.child_id, "label": row.label}


# =============================================================================================
# Queries and small writes (each runs inside the caller's transaction)


def _documents() -> Any:
    """Documents without their raw source, which only raw_source() needs."""
    return select(Document).options(defer(Document.raw_zlib))  # type: ignore[arg-type]


def _document_row(session: Session, doc_id: int) -> Document:
    row = session.exec(_documents().where(Document.id == doc_id)).first()
    if row is None:
        raise StoreError(f"no document {doc_id}")
    return row


def _document_text(session: Session, doc_id: int) -> str:
    text = session.exec(select(Document.text).where(Document.id == doc_id)).first()
    if text is None:
        raise StoreError(f"no document {doc_id}")
    return text


def _annotator_named(session: Session, name: str) -> Annotator | None:
    return session.exec(select(Annotator).where(Annotator.name == name)).first()


def _create_annotator(session: Session, name: str, role: str = "annotator") -> Annotator:
    """A new annotator; the first one a database ever gets becomes its admin."""
    if session.exec(select(func.count()).select_from(Annotator)).one() == 0:
        role = "admin"
    row = Annotator(name=name, role=role)
    session.add(row)
    session.flush()
    _log(session, ANNOTATOR_ADD, None, {"name": name, "role": role})
    return row


def _find_layer(session: Session, layer: str) -> _Layer | None:
    """The layer called `layer`, or None when no annotator has that name."""
    if layer == GOLD_LAYER:
        return _Layer(GOLD_LAYER, None)
    row = _annotator_named(session, layer)
    return _Layer(row.name, row.id) if row is not None else None


def _resolve_layer(session: Session, layer: str) -> _Layer:
    """The layer called `layer`, creating its annotator if needed (for writes)."""
    _check_layer_name(layer)
    found = _find_layer(session, layer)
    if found is not None:
        return found
    row = _create_annotator(session, layer)
    return _Layer(row.name, row.id)


def _in_layer(model: type[Span] | type[Relation], layer: _Layer) -> Any:
    """The WHERE clause selecting the rows of one layer (NULL annotator = gold)."""
    if layer.annotator_id is None:
        return col(model.annotator_id).is_(None)
    return col(model.annotator_id) == layer.annotator_id


def _layer_spans(doc_id: int, layer: _Layer) -> Any:
    return (
        select(Span)
        .where(Span.document_id == doc_id, _in_layer(Span, layer))
        .order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    )


def _actor(layer: str, actor: str | None) -> str | None:
    """Who an edit is logged under: the given actor, else the layer's annotator (gold: nobody)."""
    if actor is not None:
        return actor
    return None if layer == GOLD_LAYER else layer


def _reviewer_id(session: Session, actor: str | None) -> int | None:
    if actor is None:
        return None
    return _resolve_layer(session, actor).annotator_id


def _log(
    session: Session,
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
    *,
    document_id: int | None = None,
    layer: str | None = None,
    span_id: int | None = None,
) -> None:
    """Append an event; it is written at the next flush or commit, in the order logged."""
    row = _event_row(kind, actor, payload, document_id=document_id, layer=layer, span_id=span_id)
    session.add(Event(**row))


def _event_row(
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
    *,
    document_id: int | None = None,
    layer: str | None = None,
    span_id: int | None = None,
) -> dict[str, Any]:
    """An event's column values: what _log adds, or what a bulk write inserts with others."""
    return {
        "at": utc_now(),
        "actor": actor,
        "kind": kind,
        "document_id": document_id,
        "layer": layer,
        "span_id": span_id,
        "payload": payload,
    }


def _insert_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT of `rows` (every column given) into `model`'s table.

    Core, not the ORM: the ORM builds an object per row and splits the rows wherever a value
    is None in some and not in others, which made large imports, assignments and
    auto-adjudication take minutes.
    """
    if rows:
        session.connection().execute(insert(model.__table__), rows)


def _new_span(doc_id: int, layer: _Layer, draft: SpanDraft) -> Span:
    return Span(**_new_span_row(doc_id, layer, draft))


def _new_span_row(doc_id: int, layer: _Layer, draft: SpanDraft) -> dict[str, Any]:
    """A new span's column values (every one: a Core INSERT applies no model defaults)."""
    now = utc_now()
    return {
        "document_id": doc_id,
        "annotator_id": layer.annotator_id,
        "start": draft.start,
        "end": draft.end,
        "label": draft.label,
        "note": _clean_note(draft.note),
        "attrs": dict(draft.attrs),
        "origin": draft.origin,
        "created_at": now,
        "updated_at": now,
        "gold_source": None,
        "reviewer_id": None,
    }


def _identical_span(session: Session, doc_id: int, layer: _Layer, draft: SpanDraft) -> Span | None:
    query = select(Span).where(
        Span.document_id == doc_id,
        _in_layer(Span, layer),
        Span.start == draft.start,
        Span.end == draft.end,
        Span.label == draft.label,
    )
    return session.exec(query.order_by(col(Span.id)).limit(1)).first()


def _span_in_layer(session: Session, span_id: int, layer: str) -> tuple[Span, _Layer]:
    row = session.get(Span, span_id)
    if row is None:
        raise StoreError(f"no span {span_id}")
    resolved = _find_layer(session, layer)
    if resolved is None or row.annotator_id != resolved.annotator_id:
        raise StoreError(f"span {span_id} is not in layer {layer}")
    return row, resolved


def _require_span_of(session: Session, span_id: int, doc_id: int, layer: _Layer) -> None:
    row = session.get(Span, span_id)
    if row is None or row.document_id != doc_id or row.annotator_id != layer.annotator_id:
        raise StoreError(f"span {span_id} is not in layer {layer.name} of document {doc_id}")


def _identical_relation(
    session: Session, doc_id: int, layer: _Layer, head_id: int, child_id: int, label: str
) -> Relation | None:
    query = select(Relation).where(
        Relation.document_id == doc_id,
        _in_layer(Relation, layer),
        Relation.head_id == head_id,
        Relation.child_id == child_id,
        Relation.label == label,
    )
    return session.exec(query.limit(1)).first()


def _remove_span(session: Session, row: Span) -> list[dict[str, Any]]:
    """Delete a span and the relations touching it; return those relations' snapshots."""
    touching = session.exec(
        select(Relation).where(or_(Relation.head_id == row.id, Relation.child_id == row.id))
    ).all()
    snapshots = [_relation_snapshot(relation) for relation in touching]
    for relation in touching:
        session.delete(relation)
    session.flush()
    session.delete(row)
    session.flush()
    return snapshots


def _change_note(session: Session, row: Span, note: str | None) -> None:
    row.note = note
    row.updated_at = utc_now()
    session.add(row)
    session.flush()


def _mark_done(
    session: Session,
    doc_id: int,
    layer: _Layer,
    done: bool,
    actor: str | None,
    *,
    fresh: bool = False,
) -> None:
    """Set a done mark; logged only when it changes (`fresh`: the document is new, no mark yet)."""
    annotator_id = _id(layer.annotator_id)
    status = None if fresh else session.get(DocumentStatus, (doc_id, annotator_id))
    if status is not None and status.done == done:
        return
    if status is None:
        status = DocumentStatus(document_id=doc_id, annotator_id=annotator_id)
    status.done = done
    status.updated_at = utc_now()
    session.add(status)
    session.flush()
    _log(session, DONE, actor, {"done": done}, document_id=doc_id, layer=layer.name)


def _event_layer(session: Session, event: Event) -> _Layer:
    found = _find_layer(session, event.layer or "")
    if found is None:
        raise StoreError(f"layer {event.layer} of event {event.id} no longer exists")
    return found


def _restore_span(
    session: Session, event: Event, snapshot: dict[str, Any], relations: list[dict[str, Any]]
) -> None:
    """Put a deleted span back with its original id, then the relations it had."""
    if session.get(Span, snapshot["id"]) is None:
        session.add(
            _span_from_snapshot(snapshot, _id(event.document_id), _event_layer(session, event))
        )
        session.flush()
    _restore_relations(session, event, relations)


def _restore_relations(session: Session, event: Event, snapshots: list[dict[str, Any]]) -> None:
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
                document_id=_id(event.document_id),
                annotator_id=layer.annotator_id,
                head_id=snapshot["head_id"],
                child_id=snapshot["child_id"],
                label=snapshot["label"],
            )
        )
    session.flush()
