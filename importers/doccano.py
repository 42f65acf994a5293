"""doccano JSONL in: sequence labelling (`label`: [[start, end, label], …]) or relation
extraction (`entities` + `relations`).

- Offsets: doccano counts UTF-16 code units, as JavaScript does (doccano issue #2290; its
  "count grapheme clusters as one character" project option is not supported), so each offset
  is converted to code points; one falling inside an emoji's surrogate pair fails the line.
- Who owns the spans: `_annotator_id` (factmark's doccano export writes it), else `--annotator`
  (doccano exports one file per user: import each with its user's name).
- A line with `entities` uses them (and `relations`); else `label` (or `labels`). Labels match
  the project's ignoring case. `meta` and other unknown keys go into the document's meta.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeGuard

from importers.formats import ImportFailure
from importers.interchange import (
    annotator_name,
    known_label,
    known_relation,
    line_parser,
    list_field,
    native_item,
    object_field,
)
from importers.utf16 import Utf16Offsets
from vocabulary.labels import RELATION_LABELS
from vocabulary.records import ImportItem

EXTRACTOR = "doccano"
_LINE_KEYS = {"id", "text", "meta", "label", "labels", "entities", "relations", "_annotator_id"}


def doccano_to_item(
    line: dict[str, Any],
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None = None,
    relations: Sequence[str] = RELATION_LABELS,
) -> ImportItem:
    text = line.get("text")
    meta = dict(object_field(line, "meta"))
    meta.update({k: v for k, v in line.items() if k not in _LINE_KEYS})
    native: dict[str, Any] = {"text": text, "meta": meta}
    if isinstance(text, str) and any(key in line for key in ("entities", "label", "labels")):
        units = Utf16Offsets(text)
        if "entities" in line:
            spans = [_entity(raw, i, labels, units) for i, raw in enumerate(_entities(line))]
            native["relations"] = _relations(list_field(line, "relations"))
        else:
            spans = [_triple(raw, i, labels, units) for i, raw in enumerate(_triples(line))]
        native["spans"] = spans
        native["_annotator_id"] = annotator_name(line.get("_annotator_id"), '"_annotator_id"')
    return native_item(
        native,
        labels=labels,
        default_annotator=default_annotator,
        source_file=source_file,
        extractor=EXTRACTOR,
        relations=relations,
    )


def _entities(line: dict[str, Any]) -> list[Any]:
    return list_field(line, "entities")


def _triples(line: dict[str, Any]) -> list[Any]:
    return list_field(line, "label" if "label" in line else "labels")


def _triple(raw: Any, index: int, labels: Sequence[str], units: Utf16Offsets) -> dict[str, Any]:
    if not isinstance(raw, list) or len(raw) != 3:
        raise ImportFailure(f"span {index + 1}: expected [start, end, label]")
    start, end, label = raw
    return _span(start, end, label, f"#{index}", index, labels, units)


def _entity(raw: Any, index: int, labels: Sequence[str], units: Utf16Offsets) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportFailure(f"entity {index + 1}: expected an object")
    local_id = str(raw["id"]) if raw.get("id") is not None else f"#{index}"
    start, end = raw.get("start_offset"), raw.get("end_offset")
    return _span(start, end, raw.get("label"), local_id, index, labels, units)


def _span(
    start: Any,
    end: Any,
    label: Any,
    local_id: str,
    index: int,
    labels: Sequence[str],
    units: Utf16Offsets,
) -> dict[str, Any]:
    span = {"id": local_id, "start": start, "end": end, "label": known_label(label, labels)}
    if _is_int(start) and _is_int(end) and not units.same:
        span["start"], span["end"] = (_code_points(units, o, index) for o in (start, end))
    return span


def _code_points(units: Utf16Offsets, offset: int, index: int) -> int:
    converted = units.to_code_points(offset)
    if converted is None:
        raise ImportFailure(
            f"span {index + 1}: offset {offset} falls inside an emoji "
            "(doccano offsets count UTF-16 units)"
        )
    return converted


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _relations(raw_relations: list[Any]) -> list[dict[str, Any]]:
    relations = []
    for index, raw in enumerate(raw_relations):
        if not isinstance(raw, dict):
            raise ImportFailure(f"relation {index + 1}: expected an object")
        relations.append(
            {
                "head": str(raw.get("from_id")),
                "child": str(raw.get("to_id")),
                "label": known_relation(raw.get("type")),
            }
        )
    return relations


parse_doccano = line_parser(doccano_to_item)
