"""The native JSONL format: one object per document and layer, spans carrying their text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from exporters.common import document_meta, dumps
from store.info import ExportRecord, ExportRelation, ExportSpan


def native_record(record: ExportRecord) -> dict[str, Any]:
    """The JSON object formats.md defines for one document's layer."""
    doc = record.document
    return {
        "id": doc.ext_id,
        "text": doc.text,
        "meta": document_meta(doc),
        "spans": [_span(span) for span in record.spans],
        "relations": [_relation(relation) for relation in record.relations],
        "_annotator_id": record.layer,
        "answer": "accept",
    }


def _span(span: ExportSpan) -> dict[str, Any]:
    return {
        "id": f"s-{span.id}",
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "note": span.note,
        "attrs": span.attrs,
        "origin": span.origin,
    }


def _relation(relation: ExportRelation) -> dict[str, Any]:
    return {
        "head": f"s-{relation.head_id}",
        "child": f"s-{relation.child_id}",
        "label": relation.label,
    }


def write_jsonl(
    records: Iterable[ExportRecord], out: TextIO, on_record: Callable[[], None] | None = None
) -> int:
    """Write record by record (memory stays flat); returns how many were written."""
    count = 0
    for record in records:
        out.write(dumps(native_record(record)))
        out.write("\n")
        count += 1
        if on_record:
            on_record()
    return count
