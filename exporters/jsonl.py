"""The native JSONL format: one object per document and layer, spans carrying their text."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from store.info import ExportRecord, RelationInfo, SpanInfo


def native_record(record: ExportRecord) -> dict[str, Any]:
    """The JSON object formats.md defines for one document's layer."""
    doc = record.document
    meta: dict[str, Any] = {
        "title": doc.title,
        "byline": doc.byline,
        "outlet": doc.outlet,
        "url": doc.url,
        "published": doc.published,
        "text_sha256": doc.text_sha256,
        "source_file": doc.source_file,
    }
    meta.update({k: v for k, v in doc.meta.items() if k not in meta})
    return {
        "id": doc.ext_id,
        "text": doc.text,
        "meta": meta,
        "spans": [_span(span) for span in record.spans],
        "relations": [_relation(relation) for relation in record.relations],
        "_annotator_id": record.layer,
        "answer": "accept",
    }


def _span(span: SpanInfo) -> dict[str, Any]:
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


def _relation(relation: RelationInfo) -> dict[str, Any]:
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
        out.write(json.dumps(native_record(record), ensure_ascii=False))
        out.write("\n")
        count += 1
        if on_record:
            on_record()
    return count
