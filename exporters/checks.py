"""`export --format checks`: JSONL for data teams, one object per check (formats.md).

Each line is the check object the native JSONL carries on its appearances (`attrs.check`), plus
`appearances` (where the claim was made: document id, URL, title, outlet, date, span id,
offsets and text) and `history` (every change: who, when, the field, old and new value, oldest
first). Written check by check: memory holds one chunk of checks at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from exporters.common import ExportReport, dumps
from exporters.formats import NO_OPTIONS, ExportOptions
from store.check_export import CheckExport, check_object
from store.desk_info import AppearanceInfo, CheckChange


def check_line(record: CheckExport) -> dict[str, Any]:
    """The object of one check's line."""
    return {
        **check_object(record.check),
        "appearances": [_appearance(a) for a in record.check.appearances],
        "history": [_change(change) for change in record.history],
    }


def _appearance(appearance: AppearanceInfo) -> dict[str, Any]:
    return {
        "document": appearance.document_ext_id,
        "url": appearance.url,
        "title": appearance.title,
        "outlet": appearance.outlet,
        "published": appearance.published,
        "layer": appearance.layer,
        "span": f"s-{appearance.span_id}",
        "start": appearance.start,
        "end": appearance.end,
        "text": appearance.text,
    }


def _change(change: CheckChange) -> dict[str, Any]:
    return {
        "who": change.actor,
        "when": change.at.isoformat(),
        "field": change.field,
        "old": change.old,
        "new": change.new,
    }


def write_checks(
    records: Iterable[CheckExport], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    count = 0
    for record in records:
        out.write(dumps(check_line(record)))
        out.write("\n")
        count += 1
    return ExportReport(count)
