"""What the exporters share: document metadata, grouping by document, JSON writing, reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

import orjson

from store.info import DocumentInfo, ExportRecord


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: how many records, and remarks for the user (stderr, one line each);
    `failed`: records that could not be written (each named in a remark; exit code 1)."""

    records: int
    remarks: tuple[str, ...] = ()
    failed: int = 0


def document_meta(doc: DocumentInfo) -> dict[str, Any]:
    """The `meta` object of formats.md: the article's facts, then any extra imported keys."""
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
    return meta


def records_by_document(records: Iterable[ExportRecord]) -> Iterator[list[ExportRecord]]:
    """Consecutive records of the same document (iter_export keeps a document's layers together)."""
    group: list[ExportRecord] = []
    for record in records:
        if group and record.document.id != group[0].document.id:
            yield group
            group = []
        group.append(record)
    if group:
        yield group


def dumps(value: Any) -> str:
    """One JSON value on one line, non-ASCII kept as is (files are UTF-8).

    orjson is several times faster than the standard library on the millions of span objects a
    large export writes; it refuses a few values JSON allows (integers beyond 64 bits, say), and
    those records fall back to the standard library.
    """
    try:
        return orjson.dumps(value).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False)


class JsonArrayWriter:
    """Writes a JSON array one element at a time, so the whole array is never in memory."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    def add(self, value: Any) -> None:
        self.out.write(",\n" if self.count else "[\n")
        self.out.write(dumps(value))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")


def stable_hash31(value: Any) -> int:
    """A non-negative 31-bit integer from the SHA-256 of `value`'s canonical JSON.

    The same value gives the same number in every run and on every machine (unlike hash()).
    """
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
