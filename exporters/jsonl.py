"""The native JSONL format: one object per document and layer, spans carrying their text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from exporters.common import ExportReport, document_meta, dumps
from exporters.formats import NO_OPTIONS, ExportOptions
from store.info import ExportLine, ExportRecord, ExportRelation, ExportSpan


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
    records: Iterable[ExportRecord | ExportLine],
    out: BinaryIO,
    options: ExportOptions = NO_OPTIONS,
) -> ExportReport:
    """Write record by record (memory stays flat).

    ExportLines (assembled by the store) are written as they are; ExportRecords go through
    native_record, the reference both are tested against.
    """
    count = 0
    for record in records:
        if isinstance(record, ExportRecord):
            out.write(dumps(native_record(record)).encode("utf-8"))
        else:
            out.write(record.line)
        out.write(b"\n")
        count += 1
    return ExportReport(count)
