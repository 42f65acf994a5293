"""Raw column values made into Python values without the ORM: a document's external id, a
JSON column's object. Plain Python, for the direct reads (`store.direct`) and the column-tuple
paths alike (see `store.row_info`)."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_DIGITS = re.compile(r"\d{19}")  # the shortest integers that may not fit in 64 bits


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
