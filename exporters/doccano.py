"""doccano JSONL: one line per document and layer, offsets in UTF-16 code units.

doccano's sequence-labelling projects count offsets as JavaScript does, in UTF-16 code units
(doccano issue #2290), so each offset is converted from the stored code points; after an emoji
the numbers differ. doccano has no place for a span's note or attrs: they are not exported.

One file, one shape: every line has exactly the same keys. doccano 1.8.4 reads a JSONL file with
pandas, which gives a line that lacks a key the others have NaN there (its import then fails with
`CHECK constraint failed: JSON_VALID("meta")`), and a relation project reads only `entities`. So:
- when any record of the export has relations, every line is doccano's relation shape:
  `entities` ({id, start_offset, end_offset, label}) and `relations` ({id, from_id, to_id,
  type}; [] where a record has none);
- otherwise every line is the sequence-labelling shape, `label` ([start, end, label] triples).
Whether any record has relations is known only at the end, so the lines are written to a
temporary file first and then copied out in the shape chosen (memory stays flat).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any, TextIO

import orjson

from exporters.common import ExportReport, document_meta, dumps
from exporters.formats import NO_OPTIONS, ExportOptions
from importers.utf16 import Utf16Offsets
from store.info import ExportRecord

LINE_KEYS_WITH_RELATIONS = ("id", "text", "entities", "relations", "meta", "_annotator_id")
LINE_KEYS_WITHOUT = ("id", "text", "label", "meta", "_annotator_id")
SPOOL_BYTES = 16 << 20  # a temporary file stays in memory up to this size


def doccano_line(record: ExportRecord, with_relations: bool | None = None) -> dict[str, Any]:
    """The line for one record, in the relation shape or the sequence-labelling shape (None:
    the relation shape if the record has relations; a whole export decides for every line)."""
    if with_relations is None:
        with_relations = bool(record.relations)
    doc = record.document
    units = Utf16Offsets(doc.text)
    line: dict[str, Any] = {"id": doc.ext_id, "text": doc.text}
    if with_relations:
        known = {span.id for span in record.spans}
        line["entities"] = [
            {
                "id": span.id,
                "start_offset": units.to_units(span.start),
                "end_offset": units.to_units(span.end),
                "label": span.label,
            }
            for span in record.spans
        ]
        line["relations"] = [
            {"id": r.id, "from_id": r.head_id, "to_id": r.child_id, "type": r.label}
            for r in record.relations
            if r.head_id in known and r.child_id in known
        ]
    else:
        line["label"] = [
            [units.to_units(s.start), units.to_units(s.end), s.label] for s in record.spans
        ]
    line["meta"] = document_meta(doc)
    line["_annotator_id"] = record.layer
    return line


def write_doccano(
    records: Iterable[ExportRecord], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write every record in the one shape the whole export needs (see the module docstring)."""
    count = 0
    with_relations = False
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
        for record in records:
            spool.write(dumps(doccano_line(record, with_relations=True)))
            spool.write("\n")
            with_relations = with_relations or bool(record.relations)
            count += 1
        spool.seek(0)
        for raw in spool:
            if with_relations:
                out.write(raw)
            else:
                out.write(dumps(_without_relations(orjson.loads(raw))) + "\n")
    return ExportReport(count)


def _without_relations(line: dict[str, Any]) -> dict[str, Any]:
    """A relation-shaped line (with no relations) in the sequence-labelling shape."""
    triples = [[e["start_offset"], e["end_offset"], e["label"]] for e in line["entities"]]
    return {"id": line["id"], "text": line["text"], "label": triples} | {
        key: line[key] for key in ("meta", "_annotator_id")
    }
