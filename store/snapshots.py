"""What an event keeps of a span or relation, so that undo and redo put exactly that row back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from store.queries import Layer
from store.tables import Relation, Span

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


def span_snapshot(row: Span) -> dict[str, Any]:
    """What an event keeps of a span, so that undo can put it back as it was."""
    return snapshot_of({name: getattr(row, name) for name in _SNAPSHOT_FIELDS})


def snapshot_of(values: dict[str, Any]) -> dict[str, Any]:
    """span_snapshot of a span's column values (a row about to be inserted, with its id)."""
    snapshot = {name: values[name] for name in _SNAPSHOT_FIELDS}
    for stamp in ("created_at", "updated_at"):
        snapshot[stamp] = snapshot[stamp].isoformat()
    return snapshot


def span_from_snapshot(snapshot: dict[str, Any], document_id: int, layer: Layer) -> Span:
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


def relation_snapshot(row: Relation) -> dict[str, Any]:
    return {"id": row.id, "head_id": row.head_id, "child_id": row.child_id, "label": row.label}
