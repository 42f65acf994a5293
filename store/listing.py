"""The library's listing: every document's summary and each annotator's progress on it, the
annotators' names and the number of documents.

Plain SQL through a `Rows` (see `store.direct`), so the one listing serves the full store
(`Store.list_documents`, on SQLite or PostgreSQL) and `factmark list`'s direct read of a SQLite
file, which need not load SQLAlchemy.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from store.column_values import ext_id
from store.info import AnnotatorProgress, DocumentSummary

if TYPE_CHECKING:
    from store.direct import Rows

OPENING_CHARS = 120  # enough for a library row in a wide terminal

_ANNOTATORS = "SELECT id, name FROM annotators"
_ANNOTATOR_NAMES = "SELECT name FROM annotators"
_DOCUMENT_COUNT = "SELECT count(*) FROM documents"
_SPAN_COUNTS = (
    "SELECT document_id, annotator_id, count(*) FROM spans GROUP BY document_id, annotator_id"
)
_DONE = "SELECT document_id, annotator_id FROM document_status WHERE done"
_ASSIGNED = "SELECT document_id, annotator_id FROM assignments"
_ADJUDICATED = "SELECT document_id FROM document_reviews WHERE adjudicated"
_DOCUMENTS = """SELECT id, text_sha256, title, outlet, published, length(text),
    substr(text, 1, :opening) FROM documents ORDER BY id"""


def annotator_names(rows: Rows) -> set[str]:
    return {row[0] for row in rows(_ANNOTATOR_NAMES, {})}


def document_count(rows: Rows) -> int:
    return int(rows(_DOCUMENT_COUNT, {})[0][0])


def document_summaries(rows: Rows) -> list[DocumentSummary]:
    """Every document (id order) without its text, with per-annotator progress."""
    names: dict[int | None, str] = {row[0]: row[1] for row in rows(_ANNOTATORS, {})}
    span_counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for doc_id, annotator_id, count in rows(_SPAN_COUNTS, {}):
        span_counts[doc_id][annotator_id] = count
    done_marks: dict[int, set[int]] = defaultdict(set)
    for doc_id, annotator_id in rows(_DONE, {}):
        done_marks[doc_id].add(annotator_id)
    assigned: dict[int, set[int]] = defaultdict(set)
    for doc_id, annotator_id in rows(_ASSIGNED, {}):
        assigned[doc_id].add(annotator_id)
    adjudicated = {row[0] for row in rows(_ADJUDICATED, {})}
    return [
        DocumentSummary(
            id=doc_id,
            ext_id=ext_id(sha),
            title=title,
            outlet=outlet,
            published=published,
            length=length,
            progress=_progress(span_counts[doc_id], done_marks[doc_id], assigned[doc_id], names),
            gold_spans=span_counts[doc_id].get(None, 0),
            assigned=tuple(sorted(names[a] for a in assigned[doc_id])),
            adjudicated=doc_id in adjudicated,
            opening=opening,
        )
        for doc_id, sha, title, outlet, published, length, opening in rows(
            _DOCUMENTS, {"opening": OPENING_CHARS}
        )
    ]


def _progress(
    counts: dict[int | None, int],
    done: set[int],
    assigned: set[int],
    names: dict[int | None, str],
) -> dict[str, AnnotatorProgress]:
    """Per-annotator progress on one document: those assigned, with spans or a done mark."""
    involved = {a for a in counts if a is not None} | done | assigned
    progress = {
        names[a]: AnnotatorProgress(spans=counts.get(a, 0), done=a in done) for a in involved
    }
    return dict(sorted(progress.items()))
