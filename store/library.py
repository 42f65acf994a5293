"""An annotator's queue: the next document they have not done, and where one is in it (the
library's listing is `store.listing`).

An annotator's queue is their assignments if they have any, else every document, in id order.
Plain SQL through a `Rows` callable (see `store.direct`), so that the full store and the annotate
screen's first read (`store.first_screen`, no SQLAlchemy) answer with one definition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.direct import Rows

_ALL_IDS = "SELECT id FROM documents"
_ASSIGNED_IDS = "SELECT document_id AS id FROM assignments WHERE annotator_id = :annotator"
_DONE_IDS = "SELECT document_id FROM document_status WHERE annotator_id = :annotator AND done"


@dataclass(frozen=True)
class Queue:
    """One annotator's queue: the SQL of its document ids and the parameters it takes."""

    ids_sql: str
    parameters: dict[str, int]


def queue_of(rows: Rows, annotator: str) -> Queue:
    """`annotator`'s queue (an unknown name has every document and nothing done)."""
    found = rows("SELECT id FROM annotators WHERE name = :name", {"name": annotator})
    annotator_id = int(found[0][0]) if found else -1
    parameters = {"annotator": annotator_id}
    assigned = rows("SELECT 1 FROM assignments WHERE annotator_id = :annotator LIMIT 1", parameters)
    return Queue(_ASSIGNED_IDS if assigned else _ALL_IDS, parameters)


def unfinished_sql(queue: Queue) -> str:
    """A condition on `documents.id`: in the queue and not marked done."""
    return f"id IN ({queue.ids_sql}) AND id NOT IN ({_DONE_IDS})"


def next_unfinished(rows: Rows, annotator: str, after: int | None) -> int | None:
    """The first document after `after` (wrapping around) in `annotator`'s queue that they have
    not done."""
    queue = queue_of(rows, annotator)
    query = f"SELECT id FROM documents WHERE {unfinished_sql(queue)}"
    ordered = " ORDER BY id LIMIT 1"
    if after is None:
        return _first_id(rows(query + ordered, queue.parameters))
    parameters = queue.parameters | {"after": after}
    later = rows(f"{query} AND id > :after{ordered}", parameters)
    return _first_id(later) or _first_id(rows(f"{query} AND id <= :after{ordered}", parameters))


def queue_position(rows: Rows, doc_id: int, annotator: str) -> tuple[int, int, int]:
    """Where `doc_id` is in `annotator`'s queue (see Store.queue_position): its 1-based place
    (0 if outside it), the queue's length and how many of it are done."""
    return position_in(rows, queue_of(rows, annotator), doc_id)


def position_in(rows: Rows, queue: Queue, doc_id: int) -> tuple[int, int, int]:
    def count(where: str) -> int:
        query = f"SELECT count(*) FROM ({queue.ids_sql}) AS queue WHERE {where}"
        return int(rows(query, queue.parameters | {"doc": doc_id})[0][0])

    index = count("id <= :doc") if count("id = :doc") else 0
    return index, count("1 = 1"), count(f"id IN ({_DONE_IDS})")


def _first_id(found: Sequence[Sequence[Any]]) -> int | None:
    return int(found[0][0]) if found else None
