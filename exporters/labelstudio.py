"""Label Studio: one JSON array of tasks, one task per document, one annotation per layer.

Offsets are code points, as stored: Label Studio's Text tag counts code points, not UTF-16
units (its own end-to-end test "Should calculate offsets by code points in text", NER emoji
suite), and every region carries its `text` so a reader can check. The labelling config the
tasks fit (`from_name` "label", `to_name` "text") is what `label_config(labels)` returns.

- `data`: `text`, `doc_id` (the stable document id), `meta` (formats.md's metadata) and
  `factmark_layers`: each annotation's layer (annotator name or "gold") by annotation `id`.
- each annotation: `id`, `ground_truth` true for the gold layer, `result` with one `labels`
  region per span (id "s-<span id>") and one `relation` result per relation (`from_id` head,
  `to_id` child, `labels` [relation label]). A span's note goes in the region's `meta.text`
  (shown by Label Studio), its attrs in `meta.attrs`.
- `completed_by` {"email": name} only where the layer's name is an email address. Label Studio
  (1.23) resolves `completed_by` to a member of the project by email and refuses the whole
  import for any other value ("Unknown annotator's email gold"); without it the annotation
  goes to the user who imports. Label Studio keeps no extra key of an annotation (it stores
  `result`, `ground_truth`, `was_cancelled`, `lead_time`, `completed_by`, and our `id` as
  `import_id`), but it keeps every key of a task's `data`: so the annotator's name goes in
  `data.factmark_layers`, keyed by that `id`, and our importer reads it back (by `import_id`
  in Label Studio's own export, by `id` in ours).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO
from xml.sax.saxutils import quoteattr

from exporters.common import ExportReport, JsonArrayWriter, document_meta, records_by_document
from exporters.formats import NO_OPTIONS, ExportOptions
from store.info import ExportRecord, ExportRelation, ExportSpan
from vocabulary.labels import RELATION_LABELS
from vocabulary.names import GOLD_LAYER, LABELSTUDIO_LAYERS_KEY

FROM_NAME, TO_NAME = "label", "text"
LAYERS_KEY = LABELSTUDIO_LAYERS_KEY  # in a task's data: annotation id -> layer name
# What Django's EmailValidator accepts, near enough: one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_email(name: str) -> bool:
    """Whether a layer name can be Label Studio's `completed_by` email."""
    return _EMAIL.fullmatch(name) is not None


def label_config(labels: Sequence[str], relations: Sequence[str] = RELATION_LABELS) -> str:
    """The Label Studio labelling config (XML) the exported tasks fit."""
    label_tags = "\n".join(f"    <Label value={quoteattr(label)}/>" for label in labels)
    relation_tags = "\n".join(f"    <Relation value={quoteattr(r)}/>" for r in relations)
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{label_tags}\n  </Labels>\n'
        f"  <Relations>\n{relation_tags}\n  </Relations>\n"
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        "</View>\n"
    )


def labelstudio_task(group: list[ExportRecord], first_annotation_id: int) -> dict[str, Any]:
    """The task for one document: its layers (records of the same document) as annotations."""
    doc = group[0].document
    ids = [first_annotation_id + n for n in range(len(group))]
    layers = {str(annotation_id): r.layer for annotation_id, r in zip(ids, group, strict=True)}
    return {
        "id": doc.id,
        "data": {
            "text": doc.text,
            "doc_id": doc.ext_id,
            "meta": document_meta(doc),
            LAYERS_KEY: layers,
        },
        "annotations": [
            _annotation(record, annotation_id)
            for annotation_id, record in zip(ids, group, strict=True)
        ],
        "predictions": [],
    }


def _annotation(record: ExportRecord, annotation_id: int) -> dict[str, Any]:
    known = {span.id for span in record.spans}
    relations = [r for r in record.relations if r.head_id in known and r.child_id in known]
    annotation: dict[str, Any] = {"id": annotation_id}
    if is_email(record.layer):
        annotation["completed_by"] = {"email": record.layer}
    return annotation | {
        "ground_truth": record.layer == GOLD_LAYER,
        "was_cancelled": False,
        "result": [_region(span) for span in record.spans] + [_relation(r) for r in relations],
    }


def _region(span: ExportSpan) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": f"s-{span.id}",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": span.origin,
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }
    meta: dict[str, Any] = {}
    if span.note is not None:
        meta["text"] = [span.note]
    if span.attrs:
        meta["attrs"] = span.attrs
    if meta:
        region["meta"] = meta
    return region


def _relation(relation: ExportRelation) -> dict[str, Any]:
    return {
        "from_id": f"s-{relation.head_id}",
        "to_id": f"s-{relation.child_id}",
        "type": "relation",
        "direction": "right",
        "labels": [relation.label],
    }


def write_labelstudio(
    records: Iterable[ExportRecord], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write task by task into one JSON array (memory stays flat)."""
    array = JsonArrayWriter(out)
    count = 0
    for group in records_by_document(records):
        array.add(labelstudio_task(group, count + 1))
        count += len(group)
    array.close()
    return ExportReport(count)
