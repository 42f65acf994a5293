"""What an event keeps of a span or relation, so that undo and redo put exactly that row back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from store.layer import Layer
from store.span_columns import PLACE_COLUMNS, SPAN_COLUMNS, SPAN_TIMES
from store.tables import Relation, Span

# Every column but where the span is: the event that keeps a snapshot names its document and
# layer itself. Times are kept as ISO text (the payload is JSON).
_SNAPSHOT_COLUMNS = tuple(name for name in SPAN_COLUMNS if name not in PLACE_COLUMNS)
_SNAPSHOT_TIMES = tuple(name for name in _SNAPSHOT_COLUMNS if name in SPAN_TIMES)


def span_snapshot(row: Span) -> dict[str, Any]:
    """What an event keeps of a span, so that undo can put it back as it was."""
    return snapshot_of({name: getattr(row, name) for name in _SNAPSHOT_COLUMNS})


def snapshot_of(values: dict[str, Any]) -> dict[str, Any]:
    """span_snapshot of a span's column values (a row about to be inserted, with its id)."""
    snapshot = {name: values[name] for name in _SNAPSHOT_COLUMNS}
    for name in _SNAPSHOT_TIMES:
        snapshot[name] = snapshot[name].isoformat()
    return snapshot


def span_from_snapshot(snapshot: dict[str, Any], document_id: int, layer: Layer) -> Span:
    """The span a snapshot keeps, in `layer` of the document. A column the snapshot has no value
    for (null, or a column added since it was taken) gets the model's default."""
    values = {name: snapshot[name] for name in _SNAPSHOT_COLUMNS if snapshot.get(name) is not None}
    for name in _SNAPSHOT_TIMES:
        values[name] = datetime.fromisoformat(values[name])
    return Span(document_id=document_id, annotator_id=layer.annotator_id, **values)


def relation_snapshot(row: Relation) -> dict[str, Any]:
    return {"id": row.id, "head_id": row.head_id, "child_id": row.child_id, "label": row.label}
