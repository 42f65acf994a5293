"""doccano JSONL: one line per document and layer, offsets in UTF-16 code units.

doccano's sequence-labelling projects count offsets as JavaScript does, in UTF-16 code units
(doccano issue #2290), so each offset is converted from the stored code points; after an emoji
the numbers differ. Each line carries `label` ([start, end, label] triples, what a
sequence-labelling project imports); a record with relations also carries doccano's relation
shape, `entities` ({id, label, start_offset, end_offset}) and `relations` ({id, from_id, to_id,
type}). doccano has no place for a span's note or attrs: they are not exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from exporters.common import ExportReport, document_meta, dumps
from exporters.formats import NO_OPTIONS, ExportOptions
from importers.utf16 import Utf16Offsets
from store.info import ExportRecord


def doccano_line(record: ExportRecord) -> dict[str, Any]:
    doc = record.document
    units = Utf16Offsets(doc.text)
    line: dict[str, Any] = {
        "id": doc.ext_id,
        "text": doc.text,
        "label": [[units.to_units(s.start), units.to_units(s.end), s.label] for s in record.spans],
    }
    if record.relations:
        line["entities"] = [
            {
                "id": span.id,
                "label": span.label,
                "start_offset": units.to_units(span.start),
                "end_offset": units.to_units(span.end),
            }
            for span in record.spans
        ]
        line["relations"] = [
            {"id": r.id, "from_id": r.head_id, "to_id": r.child_id, "type": r.label}
            for r in record.relations
        ]
    line["meta"] = document_meta(doc)
    line["_annotator_id"] = record.layer
    return line


def write_doccano(
    records: Iterable[ExportRecord], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write record by record (memory stays flat)."""
    count = 0
    for record in records:
        out.write(dumps(doccano_line(record)))
        out.write("\n")
        count += 1
    return ExportReport(count)
