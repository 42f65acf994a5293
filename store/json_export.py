"""Native JSONL lines assembled by SQLite itself: the fast path of `factmark export --format jsonl`.

Building a million span objects in Python (a row tuple, a dict, then JSON) took most of a large
export's time; SQLite's json_object and json_quote do the same in C, inside the query, and hand
back finished UTF-8 bytes that go straight to the file. The lines are those of `formats.md`
(the same keys, in the same order, as `exporters.jsonl.native_record` writes from
`ExportRecord`s) and tests hold the two paths to the same output. SQLite only: other databases
export through `Store.iter_export`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from sqlmodel import Session

from store.column_values import json_object
from store.engine import BUSY_TIMEOUT_MS
from store.info import ExportLine
from store.queries import Layer
from vocabulary.names import GOLD_LAYER

LineReader = Callable[[tuple[int, int]], list[ExportLine]]

# A layer's spans of one document in text order, as the comma-joined members of a JSON array.
# SQLite has ORDER BY inside aggregates from 3.44 and it is used from there; before, an ordered
# subquery is how rows reach group_concat in order (SQLite does not flatten an ORDER BY subquery
# into an aggregate query). Tests insert spans out of order and check the order.
_SPANS = """(SELECT group_concat(j, ','{order}) FROM (
    SELECT json_object(
        'id', 's-' || s.id, 'start', s.start, 'end', s."end", 'label', s.label,
        'text', substr(d.text, s.start + 1, s."end" - s.start), 'note', s.note,
        'attrs', CASE WHEN s.attrs IS NULL OR s.attrs IN ('{{}}', 'null') THEN json_object()
            ELSE json(s.attrs) END,
        'origin', s.origin) AS j,
        s.start AS k1, s."end" AS k2, s.label AS k3, s.id AS k4
    FROM spans s
    WHERE s.document_id = l.document_id AND s.annotator_id IS l.annotator_id
    ORDER BY s.start, s."end", s.label, s.id))"""
_RELATIONS = """(SELECT group_concat(j, ','{order}) FROM (
    SELECT json_object('head', 's-' || r.head_id, 'child', 's-' || r.child_id, 'label', r.label)
        AS j, r.id AS k1
    FROM relations r
    WHERE r.document_id = l.document_id AND r.annotator_id IS l.annotator_id
    ORDER BY r.id))"""

# The layers of documents :low..:high worth exporting (those with spans or a done mark), gold
# first and then annotators by name as Store.iter_export orders them, each as three pieces of
# its line (BLOBs: bytes, never decoded) around `meta`, and the document's own imported meta
# keys, which the caller merges in when there are any.
_CHUNK = """WITH l(document_id, annotator_id) AS (
    SELECT document_id, annotator_id FROM spans
    WHERE document_id BETWEEN :low AND :high {layer}
    UNION
    SELECT document_id, annotator_id FROM document_status
    WHERE document_id BETWEEN :low AND :high AND done {layer}
)
SELECT
    l.document_id,
    CAST('{{"id":"d-' || substr(d.text_sha256, 1, 16) || '","text":' || json_quote(d.text)
        || ',"meta":' AS BLOB),
    CAST(json_object('title', d.title, 'byline', d.byline, 'outlet', d.outlet, 'url', d.url,
        'published', d.published, 'text_sha256', d.text_sha256, 'source_file', d.source_file)
        AS BLOB),
    d.meta,
    CAST(',"spans":[' || coalesce({spans}, '') || '],"relations":['
        || coalesce({relations}, '') || '],"_annotator_id":'
        || json_quote(coalesce(a.name, :gold)) || ',"answer":"accept"}}' AS BLOB)
FROM l JOIN documents d ON d.id = l.document_id LEFT JOIN annotators a ON a.id = l.annotator_id
ORDER BY l.document_id, l.annotator_id IS NOT NULL, a.name"""


def assembly_available(session: Session) -> bool:
    """Whether this database can assemble the lines itself: SQLite with its JSON functions."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    try:
        session.connection().exec_driver_sql("SELECT json_quote('a'), json_object('a', 1)")
    except Exception:  # noqa: BLE001 - a SQLite built without JSON: the slower path works
        return False
    return True


def chunk_query(selected: Layer | None) -> str:
    """The chunk query (sqlite3 named parameters) for one layer (None: every layer)."""
    if selected is None:
        layer = ""
    elif selected.annotator_id is None:
        layer = "AND annotator_id IS NULL"
    else:
        layer = "AND annotator_id = :annotator"
    ordered = sqlite3.sqlite_version_info >= (3, 44, 0)
    spans = _SPANS.format(order=" ORDER BY k1, k2, k3, k4" if ordered else "")
    relations = _RELATIONS.format(order=" ORDER BY k1" if ordered else "")
    return _CHUNK.format(layer=layer, spans=spans, relations=relations)


def chunk_parameters(low: int, high: int, selected: Layer | None) -> dict[str, Any]:
    parameters: dict[str, Any] = {"low": low, "high": high, "gold": GOLD_LAYER}
    if selected is not None and selected.annotator_id is not None:
        parameters["annotator"] = selected.annotator_id
    return parameters


def export_lines(rows: Iterable[Any]) -> list[ExportLine]:
    """The chunk query's rows as finished lines (without the newline)."""
    return [
        ExportLine(doc_id, b"".join((head, _with_imported_meta(meta, extra), tail)))
        for doc_id, head, meta, extra, tail in rows
    ]


def _with_imported_meta(meta: bytes, extra: str | None) -> bytes:
    """The article's facts, then any extra imported keys (as exporters.common.document_meta)."""
    if extra is None or extra in ("{}", "null"):
        return meta
    facts = orjson.loads(meta)
    for key, value in json_object(extra).items():
        facts.setdefault(key, value)
    try:
        return orjson.dumps(facts)
    except (orjson.JSONEncodeError, TypeError):  # what orjson refuses (integers over 64 bits)
        return json.dumps(facts, ensure_ascii=False).encode("utf-8")


def open_line_reader(path: str, query: str, selected: Layer | None) -> LineReader:
    """A chunk reader with its own connection to the file at `path` (for a worker process)."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)

    def read(chunk: tuple[int, int]) -> list[ExportLine]:
        rows = connection.execute(query, chunk_parameters(*chunk, selected)).fetchall()
        return export_lines(rows)

    return read
