"""Column values made into Python values and `store.info` objects, without SQLAlchemy.

One definition for both readers: the full store (ORM rows and column tuples, SQLite or
PostgreSQL) and the direct SQLite reads of `store.first_screen`, which give raw text for JSON
and timestamps. Every function here accepts either form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import orjson

from store.info import DocumentInfo, SpanInfo

_LONG_DIGITS = re.compile(r"\d{19}")  # the shortest integers that may not fit in 64 bits


def aware_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one (SQLite's) is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_datetime(raw: Any) -> datetime:
    """A DateTime column's value: UTC ISO text from SQLite, a datetime from PostgreSQL."""
    return aware_utc(datetime.fromisoformat(raw) if isinstance(raw, str) else raw)


def ext_id(text_sha256_hex: str) -> str:
    """The external id of a document: stable across databases, used as the export `id`."""
    return "d-" + text_sha256_hex[:16]


def json_object(raw: Any) -> dict[str, Any]:
    """A JSON column's value: text from SQLite, already decoded from PostgreSQL. No value (SQL
    NULL, or JSON null from an older or hand-edited row) is an empty object."""
    if raw is None or raw == "{}" or raw == "null":
        return {}
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if not isinstance(raw, str):
        return dict(raw)
    # orjson reads integers beyond 64 bits as floats, losing digits (an id, say): those go to
    # the standard library, which keeps them exact.
    return json.loads(raw) if _LONG_DIGITS.search(raw) else orjson.loads(raw)


# The columns a DocumentInfo is made of, in the order document_from_columns reads them; the raw
# source is left out (only raw_source() needs it).
DOCUMENT_FIELDS = (
    "id",
    "text_sha256",
    "text",
    "title",
    "byline",
    "outlet",
    "url",
    "published",
    "imported_at",
    "extractor",
    "extractor_version",
    "source_file",
    "meta",
)


def document_from_columns(values: Sequence[Any]) -> DocumentInfo:
    """A DocumentInfo from `DOCUMENT_FIELDS` values: raw text (SQLite) or decoded (ORM, PG)."""
    doc_id, sha, text, title, byline, outlet, url, published, imported, *rest = values
    extractor, extractor_version, source_file, meta = rest
    return DocumentInfo(
        id=doc_id,
        ext_id=ext_id(sha),
        text=text,
        text_sha256=sha,
        title=title,
        byline=byline,
        outlet=outlet,
        url=url,
        published=published,
        imported_at=utc_datetime(imported),
        extractor=extractor,
        extractor_version=extractor_version,
        source_file=source_file,
        meta=json_object(meta),
    )


# SpanInfo's fields read from the span column of their name: all but `layer` (the annotator's
# name), `text` (cut from the document's text) and `entity` (read from the entities table). A
# field typed datetime is a time column, one typed as a dict a JSON column
# (`tests/test_store_span_columns.py` holds both to the table).
SPAN_INFO_COLUMNS = tuple(
    f.name for f in fields(SpanInfo) if f.name not in ("layer", "text", "entity")
)
_SPAN_TIMES = frozenset(f.name for f in fields(SpanInfo) if f.type == "datetime")
_SPAN_JSON = frozenset(f.name for f in fields(SpanInfo) if str(f.type).startswith("dict["))


def span_from_columns(values: Mapping[str, Any], layer: str, text: str) -> SpanInfo:
    """A SpanInfo from its `SPAN_INFO_COLUMNS` values (an ORM row's or raw SQLite text), in the
    layer called `layer` of the document whose text is `text`: times aware in UTC, JSON copied
    (None: an empty object)."""
    decoded = dict(values)
    for name in _SPAN_TIMES:
        decoded[name] = utc_datetime(decoded[name])
    for name in _SPAN_JSON:
        decoded[name] = json_object(decoded[name])
    return SpanInfo(layer=layer, text=text[decoded["start"] : decoded["end"]], **decoded)
