"""What the importers of other tools' formats share.

Each of them rewrites a foreign record as a native one (formats.md) and hands it to
`importers.jsonl.record_to_item`, so every check (labels, offsets against the text, span text,
relations, canonical text with offsets carried along) is the native importer's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from importers.formats import ImportFailure
from importers.jsonl import JsonlParse, RecordFailure, _load_object, _numbered_lines, record_to_item
from vocabulary.labels import RELATION_LABELS
from vocabulary.records import ImportItem

Convert = Callable[[dict[str, Any]], ImportItem]


def parse_json_lines(data: str, convert: Convert) -> JsonlParse:
    """Parse every line with `convert`; a bad line fails alone, with its number and reason."""
    items: list[ImportItem] = []
    failures: list[RecordFailure] = []
    for number, line in _numbered_lines(data):
        try:
            items.append(convert(_load_object(line)))
        except ImportFailure as failure:
            failures.append(RecordFailure(number, str(failure)))
    return JsonlParse(items, failures)


def line_parser(to_item: Callable[..., ImportItem]) -> Callable[..., JsonlParse]:
    """The parser of a JSON-lines format whose lines become items one by one through `to_item`
    (called with the options `labels`, `default_annotator`, `source_file` and `relations`)."""

    def parse(
        data: str,
        *,
        labels: Sequence[str],
        default_annotator: str,
        source_file: str | None = None,
        relations: Sequence[str] = RELATION_LABELS,
    ) -> JsonlParse:
        options = {"labels": labels, "default_annotator": default_annotator, "relations": relations}
        return parse_json_lines(data, partial(to_item, **options, source_file=source_file))

    return parse


def known_label(raw: Any, labels: Sequence[str]) -> Any:
    """The project's label for `raw`: itself, else the one equal ignoring case ("ACTOR" → actor).

    Anything else is returned unchanged, for record_to_item to reject with its message.
    """
    if not isinstance(raw, str) or raw in labels:
        return raw
    folded = [label for label in labels if label.casefold() == raw.casefold()]
    return folded[0] if len(folded) == 1 else raw


def known_relation(raw: Any) -> Any:
    return known_label(raw, RELATION_LABELS)


def native_item(
    native: dict[str, Any],
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None,
    extractor: str,
    relations: Sequence[str] = RELATION_LABELS,
) -> ImportItem:
    """The ImportItem of a native record, its article marked as coming from `extractor`."""
    item = record_to_item(
        native,
        labels=labels,
        default_annotator=default_annotator,
        source_file=source_file,
        relations=relations,
    )
    article = dataclasses.replace(item.article, extractor=extractor)
    return dataclasses.replace(item, article=article)


def object_field(record: dict[str, Any], key: str, where: str = "") -> dict[str, Any]:
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ImportFailure(f'{where}"{key}" must be an object')
    return value


def list_field(record: dict[str, Any], key: str, where: str = "") -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailure(f'{where}"{key}" must be a list')
    return value


def annotator_name(value: Any, what: str) -> str | None:
    """A non-empty name, stripped; None when absent; ImportFailure when not a usable string."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ImportFailure(f"{what} must be a non-empty string")
    return value.strip()
