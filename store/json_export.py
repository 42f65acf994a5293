"""Native JSONL lines assembled by SQLite itself: the fast path of `factmark export --format jsonl`.

Building a million span objects in Python (a row tuple, a dict, then JSON) took most of a large
export's time; SQLite's json_object and json_quote do the same in C, inside the query, and hand
back finished UTF-8 bytes that go straight to the file. The lines are those of `formats.md`
(the same keys, in the same order, as `exporters.jsonl.native_record` writes from
`ExportRecord`s) and tests hold the two paths to the same output. SQLite only: other databases
export through `Store.iter_export`.

Plain SQL through a `Rows` (see `store.direct`): `Store.iter_export_lines` and `factmark
export`'s direct read of a SQLite file (no SQLAlchemy loaded) run the same `assembled_lines`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from store.chunks import id_chunks
from store.column_values import json_object
from store.direct import BUSY_TIMEOUT_S
from store.errors import StoreError
from store.forked import ForkedReaders, WorkerFailed, can_fork
from store.info import ExportLine
from store.layer import Layer
from vocabulary.names import ALL_LAYERS, GOLD_LAYER

if TYPE_CHECKING:
    from store.direct import Rows

LineReader = Callable[[tuple[int, int]], list[ExportLine]]
EXPORT_PROCESSES = 2  # worker processes assembling a large export (see store.forked)

# A layer's spans of one document in text order, as the comma-joined members of a JSON array.
# SQLite has ORDER BY inside aggregates from 3.44 and it is used from there; before, an ordered
# subquery is how rows reach group_concat in order (SQLite does not flatten an ORDER BY subquery
# into an aggregate query). Tests insert spans out of order and check the order. An actor span
# naming an entity carries it as attrs.entity, added last (as exporters.jsonl's dict does).
# (Inserted into _SPANS as a value, so its braces are single: no format() reads them.)
_ATTRS = """CASE WHEN e.id IS NOT NULL THEN json_set(
                CASE WHEN s.attrs IS NULL OR s.attrs IN ('{}', 'null') THEN json_object()
                ELSE json(s.attrs) END,
                '$.entity', json_object('id', e.uid, 'name', e.name, 'type', e.type))
            WHEN s.attrs IS NULL OR s.attrs IN ('{}', 'null') THEN json_object()
            ELSE json(s.attrs) END"""
# A claim span that is an appearance of a check carries the whole check as attrs.check, the
# object store.check_export.check_object builds (same keys, same order; tests compare them).
_CHECK = """json_object('id', c.uid, 'claim', c.claim, 'status', c.status,
        'assignee', (SELECT name FROM annotators WHERE id = c.assignee_id),
        'claimant', json((SELECT json_object('id', ce.uid, 'name', ce.name, 'type', ce.type)
            FROM entities ce WHERE ce.id = c.claimant_id)),
        'verdict', CASE WHEN coalesce(c.rating, c.rating_value, c.explanation, c.summary, c.url,
                c.date, c.reviewed_by_id) IS NULL THEN NULL
            ELSE json_object('rating', c.rating, 'rating_value', c.rating_value,
                'explanation', c.explanation, 'summary', c.summary, 'url', c.url,
                'date', c.date,
                'reviewed_by', (SELECT name FROM annotators WHERE id = c.reviewed_by_id)) END,
        'evidence', json((SELECT '[' || coalesce(group_concat(j, ','{order}), '') || ']' FROM (
            SELECT json_object('url', v.url, 'title', v.title, 'publisher', v.publisher,
                'published', v.published, 'accessed', v.accessed, 'archived', v.archived,
                'excerpt', v.excerpt, 'stance', v.stance,
                'document', CASE WHEN vd.id IS NULL THEN NULL
                    ELSE 'd-' || substr(vd.text_sha256, 1, 16) END,
                'start', CASE WHEN vd.id IS NULL THEN NULL ELSE v.start END,
                'end', CASE WHEN vd.id IS NULL THEN NULL ELSE v."end" END,
                'span', CASE WHEN v.span_id IS NULL THEN NULL ELSE 's-' || v.span_id END) AS j,
                v.position AS k1, v.id AS k2
            FROM evidence v LEFT JOIN documents vd ON vd.id = v.document_id
            WHERE v.check_id = c.id ORDER BY v.position, v.id))))"""
_SPANS = """(SELECT group_concat(j, ','{order}) FROM (
    SELECT json_object(
        'id', 's-' || s.id, 'start', s.start, 'end', s."end", 'label', s.label,
        'text', substr(d.text, s.start + 1, s."end" - s.start), 'note', s.note,
        'attrs', CASE WHEN c.id IS NULL THEN {attrs}
            ELSE json_set({attrs}, '$.check', {check}) END,
        'origin', s.origin) AS j,
        s.start AS k1, s."end" AS k2, s.label AS k3, s.id AS k4
    FROM spans s LEFT JOIN entities e ON e.id = s.entity_id
        LEFT JOIN check_appearances ca ON ca.span_id = s.id
        LEFT JOIN checks c ON c.id = ca.check_id
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


_JSON_PROBE = "SELECT json_quote('a'), json_object('a', 1)"
_ANNOTATOR_ID = "SELECT id FROM annotators WHERE name = :name"


def assembled_lines(
    rows: Rows, name: str, path: Path | None, source: str, processes: int
) -> Iterator[ExportLine] | None:
    """The native lines of `source` ("gold", an annotator's name, or "all") in document id
    order, or None when this SQLite cannot assemble them (no JSON functions).

    `rows` runs each statement in its own read transaction; `name` names the database in errors.
    On a file (`path`), up to `processes` forked workers (no more than there are cores) read the
    chunks, started by this call: call it just before iterating, before starting threads.
    """
    if not assembly_available(rows):
        return None
    selected = export_layer(rows, source)
    query = chunk_query(selected)
    chunks = id_chunks(rows)
    processes = min(processes, os.cpu_count() or 1, len(chunks))
    if path is not None and processes > 1 and can_fork():
        reader = partial(open_line_reader, str(path), query, selected)
        return _worker_lines(ForkedReaders(reader, chunks, processes), name)
    return (
        line
        for chunk in chunks
        for line in export_lines(rows(query, chunk_parameters(*chunk, selected)))
    )


def _worker_lines(readers: ForkedReaders, name: str) -> Iterator[ExportLine]:
    try:
        yield from readers
    except WorkerFailed as failure:
        raise StoreError(f"{name}: {failure}") from None
    finally:
        readers.close()


def assembly_available(rows: Rows) -> bool:
    """Whether this SQLite database can assemble the lines itself (it has the JSON functions)."""
    try:
        rows(_JSON_PROBE, {})
    except Exception:  # noqa: BLE001 - a SQLite built without JSON: the slower path works
        return False
    return True


def export_layer(rows: Rows, source: str) -> Layer | None:
    """The layer `source` names (None: all of them); StoreError for an unknown annotator."""
    if source == ALL_LAYERS:
        return None
    if source == GOLD_LAYER:
        return Layer(GOLD_LAYER, None)
    found = rows(_ANNOTATOR_ID, {"name": source})
    if not found:
        raise StoreError(f"no annotator named {source!r}")
    return Layer(source, found[0][0])


def chunk_query(selected: Layer | None) -> str:
    """The chunk query (sqlite3 named parameters) for one layer (None: every layer)."""
    if selected is None:
        layer = ""
    elif selected.annotator_id is None:
        layer = "AND annotator_id IS NULL"
    else:
        layer = "AND annotator_id = :annotator"
    ordered = sqlite3.sqlite_version_info >= (3, 44, 0)
    check = _CHECK.format(order=" ORDER BY k1, k2" if ordered else "")
    spans = _SPANS.format(
        order=" ORDER BY k1, k2, k3, k4" if ordered else "", attrs=_ATTRS, check=check
    )
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
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)

    def read(chunk: tuple[int, int]) -> list[ExportLine]:
        rows = connection.execute(query, chunk_parameters(*chunk, selected)).fetchall()
        return export_lines(rows)

    return read
