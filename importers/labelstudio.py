"""Label Studio JSON export in: an array of tasks (or one task), each annotation a layer.

- Text: `data.text`, else the only string in `data`. Other `data` keys (and `data.meta`) go into
  the document's meta; factmark's own `data.doc_id` is derived, not kept.
- Each annotation that was not cancelled becomes a layer. Its owner: the name factmark's export
  put in `data.factmark_layers` for the annotation's `import_id` (Label Studio's export keeps
  our id there) or `id`; else `completed_by`: a name as given; an object's `email` (else
  `username`, else its `id`); a bare user id N (what Label Studio exports) as
  "labelstudio-user-N"; none: `--annotator`. "gold" means the gold layer.
  Predictions are a model's, not an annotator's: not imported.
- Regions: `labels` results (any from_name); a region with several labels gives one span each.
  Offsets are code points (Label Studio's Text tag counts code points); each region's `text`
  is checked against them, and when it only matches when the offsets are read as UTF-16 units
  (older Label Studio versions counted those), they are read that way.
- A region's note: its `meta.text` or a per-region `textarea` result with the same id; its
  attrs: `meta.attrs` (what factmark's export writes). `relation` results become relations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeGuard

from importers.formats import ImportFailure
from importers.interchange import known_label, known_relation, list_field, native_item, object_field
from importers.jsonl import JsonlParse, RecordFailure, load_json
from importers.utf16 import Utf16Offsets
from vocabulary.labels import RELATION_LABELS
from vocabulary.names import GOLD_LAYER, LABELSTUDIO_LAYERS_KEY
from vocabulary.records import ImportItem, LayerDraft

EXTRACTOR = "labelstudio"
LAYERS_KEY = LABELSTUDIO_LAYERS_KEY  # what factmark's export writes: annotation id -> layer
_DERIVED_DATA = {"text", "meta", "doc_id", LAYERS_KEY}


def parse_labelstudio(
    data: str,
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None = None,
    relations: Sequence[str] = RELATION_LABELS,
) -> JsonlParse:
    """Every task of the file; a bad task fails alone, named by its position ("line" N)."""
    items: list[ImportItem] = []
    failures: list[RecordFailure] = []
    for number, task in enumerate(_tasks(data), start=1):
        try:
            items.append(
                labelstudio_to_item(
                    task,
                    labels=labels,
                    default_annotator=default_annotator,
                    source_file=source_file,
                    relations=relations,
                )
            )
        except ImportFailure as failure:
            failures.append(RecordFailure(number, f"task {number}: {failure}"))
    return JsonlParse(items, failures)


def _tasks(data: str) -> list[Any]:
    try:
        loaded = load_json(data)
    except json.JSONDecodeError as error:
        raise ImportFailure(
            f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except ValueError as error:
        raise ImportFailure(f"invalid JSON: {error}") from None
    if isinstance(loaded, dict):
        return [loaded]
    if not isinstance(loaded, list):
        raise ImportFailure("expected a JSON array of Label Studio tasks")
    return loaded


def labelstudio_to_item(
    task: Any,
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None = None,
    relations: Sequence[str] = RELATION_LABELS,
) -> ImportItem:
    if not isinstance(task, dict):
        raise ImportFailure("expected a task object")
    data = object_field(task, "data")
    text = _task_text(data)
    base = {"text": text, "meta": _meta(data)}
    annotations = [a for a in list_field(task, "annotations") if not _cancelled(a)]
    build = lambda native: native_item(  # noqa: E731
        native,
        labels=labels,
        default_annotator=default_annotator,
        source_file=source_file,
        extractor=EXTRACTOR,
        relations=relations,
    )
    if not annotations:
        return build(base)
    layers: list[LayerDraft] = []
    item = None
    names = _layer_names(data)
    for number, annotation in enumerate(annotations, start=1):
        try:
            item = build({**base, **_annotation(annotation, text, labels, names)})
        except ImportFailure as failure:
            raise ImportFailure(f"annotation {number}: {failure}") from None
        layers.extend(item.layers)
    assert item is not None
    return ImportItem(article=item.article, layers=tuple(layers), source_file=source_file)


def _task_text(data: dict[str, Any]) -> Any:
    if "text" in data:
        return data["text"]
    strings = [value for value in data.values() if isinstance(value, str)]
    return strings[0] if len(strings) == 1 else None


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    meta = dict(object_field(data, "meta", "data "))
    meta.update({k: v for k, v in data.items() if k not in _DERIVED_DATA and k != _text_key(data)})
    return meta


def _text_key(data: dict[str, Any]) -> str | None:
    if "text" in data:
        return "text"
    keys = [key for key, value in data.items() if isinstance(value, str)]
    return keys[0] if len(keys) == 1 else None


def _cancelled(annotation: Any) -> bool:
    return isinstance(annotation, dict) and annotation.get("was_cancelled") is True


def _layer_names(data: dict[str, Any]) -> dict[str, str]:
    """`data.factmark_layers`: the layer of each annotation id, as factmark exported it."""
    names = data.get(LAYERS_KEY)
    if not isinstance(names, dict):
        return {}
    return {str(key): value for key, value in names.items() if isinstance(value, str)}


def _annotation(
    annotation: Any, text: Any, labels: Sequence[str], names: dict[str, str]
) -> dict[str, Any]:
    """The native spans, relations and owner of one annotation."""
    if not isinstance(annotation, dict):
        raise ImportFailure("expected an object")
    results = list_field(annotation, "result")
    if not all(isinstance(result, dict) for result in results):
        raise ImportFailure("each result must be an object")
    notes = _textarea_notes(results)
    units = Utf16Offsets(text) if isinstance(text, str) else None
    spans: list[dict[str, Any]] = []
    for index, result in enumerate(results):
        if result.get("type") == "labels":
            spans.extend(_region_spans(result, index, labels, notes, text, units))
    first_ids = {span["region"]: span["id"] for span in reversed(spans)}
    relations = [
        _relation(result, first_ids) for result in results if result.get("type") == "relation"
    ]
    for span in spans:
        del span["region"]
    owner = _exported_owner(annotation, names)
    if owner is None:
        owner = _owner(annotation)
    return {"spans": spans, "relations": relations, "_annotator_id": owner}


def _exported_owner(annotation: dict[str, Any], names: dict[str, str]) -> str | None:
    """The layer factmark's export named for this annotation: by `import_id` (the id Label
    Studio kept from our file) first, else by `id` (our own file, read directly)."""
    for key in ("import_id", "id"):
        found = annotation.get(key)
        if found is not None and not isinstance(found, bool) and str(found) in names:
            return names[str(found)]
    return None


def _textarea_notes(results: list[dict[str, Any]]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for result in results:
        value = result.get("value")
        if result.get("type") == "textarea" and result.get("id") and isinstance(value, dict):
            texts = value.get("text")
            if isinstance(texts, list) and all(isinstance(t, str) for t in texts):
                notes[str(result["id"])] = "\n".join(texts)
    return notes


def _region_spans(
    result: dict[str, Any],
    index: int,
    labels: Sequence[str],
    notes: dict[str, str],
    text: Any,
    units: Utf16Offsets | None,
) -> list[dict[str, Any]]:
    value = object_field(result, "value", f"result {index + 1}: ")
    region = str(result["id"]) if result.get("id") is not None else f"#{index}"
    region_labels = list_field(value, "labels", f"result {index + 1}: ") or [None]
    start, end = _offsets(value, text, units)
    meta = raw_meta if isinstance(raw_meta := result.get("meta"), dict) else {}
    note = _meta_note(meta) or notes.get(region)
    spans = []
    for number, label in enumerate(region_labels):
        span = {
            "id": region if number == 0 else f"{region}#{number}",
            "region": region,
            "start": start,
            "end": end,
            "label": known_label(label, labels),
            "note": note,
            "attrs": meta.get("attrs") if isinstance(meta.get("attrs"), dict) else {},
        }
        if isinstance(value.get("text"), str):
            span["text"] = value["text"]
        if result.get("origin") in ("manual", "suggested", "imported"):
            span["origin"] = result["origin"]
        spans.append(span)
    return spans


def _offsets(value: dict[str, Any], text: Any, units: Utf16Offsets | None) -> tuple[Any, Any]:
    """The region's offsets as code points (read as UTF-16 units only if that is what fits)."""
    start, end, claimed = value.get("start"), value.get("end"), value.get("text")
    if units is None or units.same or not isinstance(claimed, str):
        return start, end
    if not (_is_int(start) and _is_int(end)) or text[start:end] == claimed:
        return start, end
    converted = (units.to_code_points(start), units.to_code_points(end))
    if None not in converted and text[converted[0] : converted[1]] == claimed:
        return converted
    return start, end  # record_to_item reports the mismatch


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _meta_note(meta: dict[str, Any]) -> str | None:
    texts = meta.get("text")
    if isinstance(texts, list) and texts and all(isinstance(t, str) for t in texts):
        return "\n".join(texts)
    return texts if isinstance(texts, str) else None


def _relation(result: dict[str, Any], first_ids: dict[str, str]) -> dict[str, Any]:
    relation_labels = result.get("labels") or []
    label = relation_labels[0] if isinstance(relation_labels, list) and relation_labels else None
    head, child = str(result.get("from_id")), str(result.get("to_id"))
    return {
        "head": first_ids.get(head, head),
        "child": first_ids.get(child, child),
        "label": known_relation(label),
    }


def _owner(annotation: dict[str, Any]) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, bool) or who is None:
        return None
    if isinstance(who, int):
        return f"labelstudio-user-{who}"
    if isinstance(who, str) and who.strip():
        return GOLD_LAYER if who.strip() == GOLD_LAYER else who.strip()
    raise ImportFailure('"completed_by" must be a user id, a name or a user object')
