"""The Store: the only way the rest of factmark reads and writes annotations.

Each public method is one short transaction (see `store.engine`), returns frozen `store.info`
objects, and every write appends to the event log. Undo and redo are derived from that log (see
`store.history`). A store opened for a user (`Store.open(..., user=NAME)`) checks that user's role
on every write (see `store.roles`); review and adjudication are in `store.review_api`.
"""

from __future__ import annotations

import os
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import URL, String, func, type_coerce
from sqlmodel import Session, col, select

from store.bulk_import import BulkImport
from store.engine import (
    Database,
    StoreError,
    check_sqlite_path,
    make_engine,
    printable_url,
    remove_sqlite_files,
    sqlite_file,
    target_url,
)
from store.events import RELATION_ADD, RELATION_DELETE, SPAN_ADD, SPAN_DELETE, SPAN_NOTE, log_event
from store.forked import ForkedReaders, WorkerFailed, can_fork
from store.history import redo_last, undo_last
from store.info import (
    AnnotatorInfo,
    AnnotatorProgress,
    DocumentInfo,
    DocumentSummary,
    DoneLayers,
    EventInfo,
    ExportLine,
    ExportRecord,
    ExportRelation,
    ExportSpan,
    ExportTally,
    ImportOutcome,
    RelationInfo,
    SpanExtent,
    SpanInfo,
)
from store.json_export import (
    assembly_available,
    chunk_parameters,
    chunk_query,
    export_lines,
    open_line_reader,
)
from store.migrations import prepare_schema
from store.paths import default_db_path
from store.queries import (
    Layer,
    annotator_named,
    create_annotator,
    document_row,
    document_text,
    documents_query,
    edit_actor,
    find_layer,
    identical_relation,
    identical_span,
    in_layer,
    layer_spans,
    require_span_of,
    resolve_layer,
    reviewer_id_of,
    span_in_layer,
)
from store.review_api import ReviewMethods
from store.roles import authorise_layer
from store.row_info import (
    DOCUMENT_COLUMNS,
    annotator_info,
    aware_utc,
    document_from_columns,
    document_info,
    event_info,
    ext_id,
    json_object,
    relation_info,
)
from store.snapshots import relation_snapshot, span_snapshot
from store.span_columns import new_span, span_info
from store.tables import (
    GOLD_SOURCES,
    Annotator,
    Assignment,
    Document,
    DocumentReview,
    DocumentStatus,
    Event,
    Relation,
    Span,
)
from store.tally import export_tally
from store.validation import (
    check_annotator_name,
    check_choice,
    check_item,
    check_json,
    check_label,
    check_offsets,
    clean_note,
    ext_id_prefix,
)
from store.writes import change_note, mark_done, remove_span
from vocabulary.names import ALL_LAYERS, GOLD_LAYER, ROLES, SPAN_ORIGINS
from vocabulary.records import ImportItem, SpanDraft

DB_ENV = "FACTMARK_DB"
EXPORT_CHUNK = 500  # documents per read transaction while exporting
T = TypeVar("T")
_document_and_annotator = itemgetter(0, 1)
EXPORT_PROCESSES = 2  # worker processes assembling a large export (see store.forked)


class Store(ReviewMethods):
    """A factmark database, opened by path or URL; safe to share between threads.

    `user` is who is working: every write then checks their role (annotators write only their
    own layer). Without a user the store is the system itself and checks nothing.
    """

    def __init__(self, database: Database, url: str, user: str | None = None) -> None:
        self._database: Database | None = database
        self._url = url
        self._user = user

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(
        cls, target: str | os.PathLike[str] | None = None, *, user: str | None = None
    ) -> Store:
        """Open (creating if new) the database at `target`, a file path or an SQLAlchemy URL.

        None means $FACTMARK_DB, else the default file (created with its directory). `user`: who
        is working (their role is checked on every write). Raises StoreError with a one-line
        reason; a database this call created is removed on failure.
        """
        if user is not None:
            check_annotator_name(user)
        url, create_dir = _choose_target(target)
        path = sqlite_file(url)
        name = str(path) if path is not None else printable_url(url)
        if path is not None:
            _prepare_sqlite_path(path, create_dir)
        created = path is not None and not path.exists()
        database = Database(make_engine(url, target=name), name)
        try:
            database.write(
                lambda session: prepare_schema(session, name), context=f"cannot open {name}"
            )
        except BaseException:
            database.dispose()
            if created and path is not None:
                remove_sqlite_files(path)
            raise
        return cls(database, printable_url(url), user)

    @property
    def url(self) -> str:
        """Where this store lives, printable (any password hidden)."""
        return self._url

    @property
    def user(self) -> str | None:
        """Who is working (None: the system itself, which no role check applies to)."""
        return self._user

    def _who(self, layer: str, actor: str | None) -> str | None:
        """Who an edit is logged under: the given actor, else the user, else the layer's owner."""
        return edit_actor(layer, actor or self._user)

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def _db(self) -> Database:
        if self._database is None:
            raise StoreError(f"{self._url}: the store is closed")
        return self._database

    # -- annotators ----------------------------------------------------------------------------

    def ensure_annotator(self, name: str, role: str = "annotator") -> AnnotatorInfo:
        """The annotator called `name`, created with `role` if new (the very first one is admin)."""
        check_annotator_name(name)
        check_choice(role, ROLES, "role")

        def work(session: Session) -> AnnotatorInfo:
            row = annotator_named(session, name) or create_annotator(session, name, role)
            return annotator_info(row)

        return self._db.write(work)

    def annotators(self) -> list[AnnotatorInfo]:
        def work(session: Session) -> list[AnnotatorInfo]:
            rows = session.exec(select(Annotator).order_by(col(Annotator.name))).all()
            return [annotator_info(row) for row in rows]

        return self._db.read(work)

    # -- documents -----------------------------------------------------------------------------

    def import_items(self, items: Sequence[ImportItem]) -> list[ImportOutcome]:
        """Store a batch of imported items in ONE transaction: all of them, or none.

        Documents are deduplicated by text sha256; spans identical in layer, start, end and label
        to one already stored are not added again. ValueError (naming the item) for bad input.
        """
        for position, item in enumerate(items):
            check_item(item, position)

        def work(session: Session) -> list[ImportOutcome]:
            for layer in sorted({draft.annotator for item in items for draft in item.layers}):
                authorise_layer(session, self._user, layer)
            return BulkImport(session).run(items)

        return self._db.write(work)

    def document(self, doc_id: int) -> DocumentInfo:
        return self._db.read(lambda session: document_info(document_row(session, doc_id)))

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by number ("12") or by external id or a unique prefix of it ("d-3f9a")."""
        ref = ref.strip()
        if ref.isdigit():
            return self.document(int(ref))
        prefix = ext_id_prefix(ref)

        def work(session: Session) -> DocumentInfo:
            query = documents_query().where(col(Document.text_sha256).startswith(prefix)).limit(2)
            rows = session.exec(query).all()
            if not rows:
                raise StoreError(f"no document {ref}")
            if len(rows) > 1:
                raise StoreError(f"{ref} is ambiguous: several documents start with it")
            return document_info(rows[0])

        return self._db.read(work)

    def list_documents(self) -> list[DocumentSummary]:
        """Every document (id order) without its text, with per-annotator progress."""
        return self._db.read(_document_summaries)

    def document_count(self) -> int:
        return self._db.read(
            lambda session: session.exec(select(func.count()).select_from(Document)).one()
        )

    def raw_source(self, doc_id: int) -> bytes | None:
        """The original bytes the document was extracted from, if the import kept them."""

        def work(session: Session) -> bytes | None:
            found = session.exec(
                select(Document.id, Document.raw_zlib).where(Document.id == doc_id)
            ).first()
            if found is None:
                raise StoreError(f"no document {doc_id}")
            return zlib.decompress(found[1]) if found[1] is not None else None

        return self._db.read(work)

    # -- spans ---------------------------------------------------------------------------------

    def spans(self, doc_id: int, layer: str) -> list[SpanInfo]:
        """The spans of one layer of a document, sorted by start, end, label, id."""

        def work(session: Session) -> list[SpanInfo]:
            text = document_text(session, doc_id)
            resolved = find_layer(session, layer)
            if resolved is None:
                return []
            rows = session.exec(layer_spans(doc_id, resolved)).all()
            return [span_info(row, resolved.name, text) for row in rows]

        return self._db.read(work)

    def add_span(
        self,
        doc_id: int,
        layer: str,
        start: int,
        end: int,
        label: str,
        *,
        note: str | None = None,
        attrs: dict[str, Any] | None = None,
        origin: str = "manual",
        actor: str | None = None,
        gold_source: str | None = None,
    ) -> SpanInfo:
        """Add a span to a layer (an identical one already there is returned instead).

        `actor` defaults to the layer's annotator (None for gold); `gold_source` is for gold only.
        """
        check_label(label)
        check_choice(origin, SPAN_ORIGINS, "origin")
        check_json(attrs or {}, "attrs")
        if gold_source is not None:
            check_choice(gold_source, GOLD_SOURCES, "gold_source")
            if layer != GOLD_LAYER:
                raise ValueError("gold_source is only for spans of the gold layer")
        draft = SpanDraft(start, end, label, clean_note(note), dict(attrs or {}), origin)

        def work(session: Session) -> SpanInfo:
            text = document_text(session, doc_id)
            check_offsets(start, end, len(text))
            authorise_layer(session, self._user, layer)
            resolved = resolve_layer(session, layer)
            who = self._who(layer, actor)
            existing = identical_span(session, doc_id, resolved, draft)
            if existing is not None:
                return span_info(existing, resolved.name, text)
            row = new_span(doc_id, resolved, draft)
            if resolved.annotator_id is None:
                row.gold_source = gold_source
                row.reviewer_id = reviewer_id_of(session, who)
            session.add(row)
            session.flush()
            log_event(
                session,
                SPAN_ADD,
                who,
                {"span": span_snapshot(row)},
                document_id=doc_id,
                layer=resolved.name,
                span_id=row.id,
            )
            return span_info(row, resolved.name, text)

        return self._db.write(work)

    def delete_span(self, span_id: int, layer: str, *, actor: str | None = None) -> SpanInfo:
        """Delete a span of `layer` (and the relations touching it); StoreError if not in layer."""

        def work(session: Session) -> SpanInfo:
            row, resolved = span_in_layer(session, span_id, layer)
            authorise_layer(session, self._user, resolved.name)
            text = document_text(session, row.document_id)
            info = span_info(row, resolved.name, text)
            payload = {"span": span_snapshot(row), "relations": remove_span(session, row)}
            log_event(
                session,
                SPAN_DELETE,
                self._who(layer, actor),
                payload,
                document_id=row.document_id,
                layer=resolved.name,
                span_id=span_id,
            )
            return info

        return self._db.write(work)

    def set_note(
        self, span_id: int, layer: str, note: str | None, *, actor: str | None = None
    ) -> SpanInfo:
        """Replace a span's note (None or "" removes it)."""
        cleaned = clean_note(note)

        def work(session: Session) -> SpanInfo:
            row, resolved = span_in_layer(session, span_id, layer)
            authorise_layer(session, self._user, resolved.name)
            text = document_text(session, row.document_id)
            if row.note != cleaned:
                payload = {"before": row.note, "after": cleaned, "span": span_snapshot(row)}
                change_note(session, row, cleaned)
                log_event(
                    session,
                    SPAN_NOTE,
                    self._who(layer, actor),
                    payload,
                    document_id=row.document_id,
                    layer=resolved.name,
                    span_id=span_id,
                )
            return span_info(row, resolved.name, text)

        return self._db.write(work)

    # -- undo / redo ---------------------------------------------------------------------------

    def undo(self, doc_id: int, layer: str, *, actor: str | None = None) -> str | None:
        """Undo that layer's last edit on the document; a short description, or None if nothing."""

        def work(session: Session) -> str | None:
            resolved = find_layer(session, layer)
            if resolved is None:
                return None
            authorise_layer(session, self._user, resolved.name)
            return undo_last(session, doc_id, resolved.name, self._who(layer, actor))

        return self._db.write(work)

    def redo(self, doc_id: int, layer: str, *, actor: str | None = None) -> str | None:
        """Redo the last undone edit (a new edit after an undo clears what can be redone)."""

        def work(session: Session) -> str | None:
            resolved = find_layer(session, layer)
            if resolved is None:
                return None
            authorise_layer(session, self._user, resolved.name)
            return redo_last(session, doc_id, resolved.name, self._who(layer, actor))

        return self._db.write(work)

    # -- done marks ----------------------------------------------------------------------------

    def set_done(
        self, doc_id: int, annotator: str, done: bool = True, *, actor: str | None = None
    ) -> None:
        """Mark (or unmark) a document as done by an annotator."""
        if annotator == GOLD_LAYER:
            raise StoreError("the gold layer has no done mark")

        def work(session: Session) -> None:
            document_row(session, doc_id)
            authorise_layer(session, self._user, annotator)
            resolved = resolve_layer(session, annotator)
            mark_done(session, doc_id, resolved, done, actor or self._user or annotator)

        self._db.write(work)

    def is_done(self, doc_id: int, annotator: str) -> bool:
        def work(session: Session) -> bool:
            resolved = find_layer(session, annotator)
            if resolved is None or resolved.annotator_id is None:
                return False
            status = session.get(DocumentStatus, (doc_id, resolved.annotator_id))
            return bool(status and status.done)

        return self._db.read(work)

    def next_unfinished(self, annotator: str, after: int | None = None) -> int | None:
        """The first document after `after` (wrapping around) that `annotator` has not done.

        An annotator with assignments works through those only; one without, through them all.
        """

        def work(session: Session) -> int | None:
            resolved = find_layer(session, annotator)
            annotator_id = resolved.annotator_id if resolved else -1
            done_ids = select(DocumentStatus.document_id).where(
                DocumentStatus.annotator_id == annotator_id,
                col(DocumentStatus.done).is_(True),
            )
            query = select(Document.id).where(col(Document.id).not_in(done_ids))
            if _has_assignments(session, annotator_id):
                query = query.where(col(Document.id).in_(_assigned_ids(annotator_id)))
            if after is None:
                return session.exec(query.order_by(col(Document.id)).limit(1)).first()
            later = query.where(col(Document.id) > after).order_by(col(Document.id)).limit(1)
            earlier = query.where(col(Document.id) <= after).order_by(col(Document.id)).limit(1)
            return session.exec(later).first() or session.exec(earlier).first()

        return self._db.read(work)

    def queue_position(self, doc_id: int, annotator: str) -> tuple[int, int, int]:
        """Where `doc_id` is in `annotator`'s queue: (1-based index, or 0 when it is not in it;
        documents in the queue; how many of them they marked done). The queue is as for
        next_unfinished: their assignments if they have any, else every document, in id order.
        Counted by the database: a library of 100,000 documents is not read for it."""

        def work(session: Session) -> tuple[int, int, int]:
            resolved = find_layer(session, annotator)
            annotator_id = resolved.annotator_id if resolved else -1
            queue = select(Document.id)
            if _has_assignments(session, annotator_id):
                queue = _assigned_ids(annotator_id)
            ids = queue.subquery()
            total = session.exec(select(func.count()).select_from(ids)).one()
            ahead = select(func.count()).select_from(ids).where(ids.c.id <= doc_id)
            inside = select(func.count()).select_from(ids).where(ids.c.id == doc_id)
            done = select(func.count()).where(
                DocumentStatus.annotator_id == annotator_id,
                col(DocumentStatus.done).is_(True),
                col(DocumentStatus.document_id).in_(select(ids.c.id)),
            )
            index = session.exec(ahead).one() if session.exec(inside).one() else 0
            return index, total, session.exec(done).one()

        return self._db.read(work)

    # -- relations -----------------------------------------------------------------------------

    def add_relation(
        self,
        doc_id: int,
        layer: str,
        head_id: int,
        child_id: int,
        label: str,
        *,
        actor: str | None = None,
    ) -> RelationInfo:
        """Link two spans of the same document and layer (an identical link is returned as is)."""
        check_label(label)
        if head_id == child_id:
            raise ValueError(f"a relation needs two different spans (got span {head_id} twice)")

        def work(session: Session) -> RelationInfo:
            authorise_layer(session, self._user, layer)
            resolved = resolve_layer(session, layer)
            for span_id in (head_id, child_id):
                require_span_of(session, span_id, doc_id, resolved)
            existing = identical_relation(session, doc_id, resolved, head_id, child_id, label)
            if existing is not None:
                return relation_info(existing, resolved.name)
            row = Relation(
                document_id=doc_id,
                annotator_id=resolved.annotator_id,
                head_id=head_id,
                child_id=child_id,
                label=label,
            )
            session.add(row)
            session.flush()
            log_event(
                session,
                RELATION_ADD,
                self._who(layer, actor),
                {"relation": relation_snapshot(row)},
                document_id=doc_id,
                layer=resolved.name,
            )
            return relation_info(row, resolved.name)

        return self._db.write(work)

    def delete_relation(
        self, relation_id: int, layer: str, *, actor: str | None = None
    ) -> RelationInfo:
        """Delete a relation of `layer` (StoreError if it is not in that layer)."""

        def work(session: Session) -> RelationInfo:
            row = session.get(Relation, relation_id)
            resolved = find_layer(session, layer)
            if row is None or resolved is None or row.annotator_id != resolved.annotator_id:
                raise StoreError(f"no relation {relation_id} in layer {layer}")
            authorise_layer(session, self._user, resolved.name)
            info = relation_info(row, resolved.name)
            log_event(
                session,
                RELATION_DELETE,
                self._who(layer, actor),
                {"relation": relation_snapshot(row)},
                document_id=row.document_id,
                layer=resolved.name,
            )
            session.delete(row)
            session.flush()
            return info

        return self._db.write(work)

    def relations(self, doc_id: int, layer: str) -> list[RelationInfo]:
        def work(session: Session) -> list[RelationInfo]:
            document_row(session, doc_id)
            resolved = find_layer(session, layer)
            if resolved is None:
                return []
            query = select(Relation).where(
                Relation.document_id == doc_id, in_layer(Relation, resolved)
            )
            rows = session.exec(query.order_by(col(Relation.id))).all()
            return [relation_info(row, resolved.name) for row in rows]

        return self._db.read(work)

    # -- export and log ------------------------------------------------------------------------

    def iter_export(self, source: str) -> Iterator[ExportRecord]:
        """Records of `source` ("gold", an annotator's name, or "all") in document id order.

        Documents are read EXPORT_CHUNK at a time, each chunk in its own short read transaction,
        so memory stays flat however large the database is. StoreError for an unknown annotator.
        """
        selected = self._export_layer(source)
        return self._chunked(lambda session, after: _export_chunk(session, after, selected))

    def _export_layer(self, source: str) -> Layer | None:
        """The layer `source` names (None: all of them); StoreError for an unknown annotator."""
        if source == ALL_LAYERS:
            return None
        selected = self._db.read(lambda session: find_layer(session, source))
        if selected is None:
            raise StoreError(f"no annotator named {source!r}")
        return selected

    def export_tally(self, source: str) -> ExportTally:
        """The counts of what an export of `source` holds (see store.tally), for a data card."""
        selected = self._export_layer(source)
        return self._db.read(lambda session: export_tally(session, selected))

    def iter_export_lines(
        self, source: str, *, processes: int = EXPORT_PROCESSES
    ) -> Iterator[ExportLine] | None:
        """iter_export's records as finished native JSONL lines, assembled by SQLite (several
        times faster on large exports); None where the database cannot (not SQLite).

        On a file, up to `processes` forked workers (no more than there are cores) read the
        chunks, started by this call (before the caller starts threads of its own, say a
        progress bar), so call it just before iterating.
        """
        if not self._db.read(assembly_available):
            return None
        selected = self._export_layer(source)
        query = chunk_query(selected)
        first, last = self._db.read(_document_id_range)
        chunks = [
            (low, min(low + EXPORT_CHUNK, last + 1) - 1)
            for low in range(first, last + 1, EXPORT_CHUNK)
        ]
        path = self._db.sqlite_path
        processes = min(processes, os.cpu_count() or 1, len(chunks))
        if path is not None and processes > 1 and can_fork():
            reader = partial(open_line_reader, str(path), query, selected)
            return self._worker_lines(ForkedReaders(reader, chunks, processes))

        def lines(chunk: tuple[int, int]) -> list[ExportLine]:
            parameters = chunk_parameters(*chunk, selected)
            return self._db.read(
                lambda session: export_lines(_raw_rows(session, query, parameters))
            )

        return (line for chunk in chunks for line in lines(chunk))

    def _worker_lines(self, readers: ForkedReaders) -> Iterator[ExportLine]:
        try:
            yield from readers
        except WorkerFailed as failure:
            raise StoreError(f"{self._db.name}: {failure}") from None
        finally:
            readers.close()

    def _chunked(
        self, read_chunk: Callable[[Session, int], tuple[list[T], int | None]]
    ) -> Iterator[T]:
        """Everything `read_chunk` reads, chunk after chunk, each in its own read transaction."""
        after = 0
        while True:
            items, last_id = self._db.read(lambda session, after=after: read_chunk(session, after))
            if last_id is None:
                return
            yield from items
            after = last_id

    def iter_done_layers(
        self, annotators: Sequence[str], *, min_layers: int = 2
    ) -> Iterator[DoneLayers]:
        """Documents that at least `min_layers` of `annotators` marked done, with those layers.

        What agreement figures are computed from: done with no spans is an empty list, not done
        is absent. Read EXPORT_CHUNK documents at a time, as plain column tuples.
        """
        wanted = self._db.read(lambda session: _annotator_ids(session, annotators))
        if wanted:
            yield from self._chunked(
                lambda session, after: _done_layers_chunk(session, after, wanted, min_layers)
            )

    def events(self, doc_id: int | None = None, limit: int | None = None) -> list[EventInfo]:
        """Logged events, oldest first: all, or one document's; with `limit`, the latest ones."""

        def work(session: Session) -> list[EventInfo]:
            query = select(Event)
            if doc_id is not None:
                query = query.where(Event.document_id == doc_id)
            query = query.order_by(col(Event.id).desc())
            if limit is not None:
                query = query.limit(limit)
            rows = session.exec(query).all()
            return [event_info(row) for row in reversed(rows)]

        return self._db.read(work)


# =============================================================================================
# Opening


def _choose_target(target: str | os.PathLike[str] | None) -> tuple[URL, bool]:
    """The URL to open, and whether its directory may be created (only for the default path)."""
    if target is None:
        target = os.environ.get(DB_ENV) or None
    if target is None:
        return target_url(default_db_path()), True
    return target_url(target), False


def _prepare_sqlite_path(path: Path, create_dir: bool) -> None:
    if create_dir:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot open {path}: cannot create its directory ({exc})") from None
    check_sqlite_path(path)


# =============================================================================================
# Listing


def _assigned_ids(annotator_id: int | None) -> Any:
    """The ids (column `id`) of the documents assigned to an annotator: their queue."""
    return select(col(Assignment.document_id).label("id")).where(
        Assignment.annotator_id == annotator_id
    )


def _has_assignments(session: Session, annotator_id: int | None) -> bool:
    query = select(Assignment.document_id).where(Assignment.annotator_id == annotator_id)
    return session.exec(query.limit(1)).first() is not None


OPENING_CHARS = 120  # enough for a library row in a wide terminal


def _document_summaries(session: Session) -> list[DocumentSummary]:
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    span_counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    counted = select(Span.document_id, Span.annotator_id, func.count()).group_by(
        col(Span.document_id), col(Span.annotator_id)
    )
    for doc_id, annotator_id, count in session.exec(counted).all():
        span_counts[doc_id][annotator_id] = count
    done_marks: dict[int, set[int]] = defaultdict(set)
    marked = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        col(DocumentStatus.done).is_(True)
    )
    for doc_id, annotator_id in session.exec(marked).all():
        done_marks[doc_id].add(annotator_id)
    assigned: dict[int, set[int]] = defaultdict(set)
    for doc_id, annotator_id in session.exec(
        select(Assignment.document_id, Assignment.annotator_id)
    ).all():
        assigned[doc_id].add(annotator_id)
    adjudicated = set(
        session.exec(
            select(DocumentReview.document_id).where(col(DocumentReview.adjudicated).is_(True))
        ).all()
    )
    listing = select(
        Document.id,
        Document.text_sha256,
        Document.title,
        Document.outlet,
        Document.published,
        func.length(Document.text),
        func.substr(Document.text, 1, OPENING_CHARS),
    ).order_by(col(Document.id))
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
        for doc_id, sha, title, outlet, published, length, opening in session.exec(listing).all()
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


# =============================================================================================
# Export


def _export_chunk(
    session: Session, after: int, selected: Layer | None
) -> tuple[list[ExportRecord], int | None]:
    """The export records of the next EXPORT_CHUNK documents after id `after`, and the last id.

    `selected` is one layer, or None for every layer. Spans, relations and done marks of the
    whole chunk come in one query each, over the chunk's id range, as plain column tuples:
    loading ORM objects for a million spans would cost most of an export's time.
    """
    documents = _export_documents(session, after)
    if not documents:
        return [], None
    low, high = documents[0].id, documents[-1].id
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    spans = _chunk_span_rows(session, low, high, selected)
    relations = _chunk_relation_rows(session, low, high, selected)
    done = _chunk_done(session, low, high, selected)
    layers = _layers_by_document(spans, done)
    records: list[ExportRecord] = []
    for info in documents:
        for annotator_id in _ordered_layers(layers.get(info.id, set()), names):
            key = (info.id, annotator_id)
            layer = GOLD_LAYER if annotator_id is None else names[annotator_id]
            records.append(
                ExportRecord(
                    document=info,
                    layer=layer,
                    spans=[_export_span(row, layer, info.text) for row in spans.get(key, [])],
                    relations=[
                        ExportRelation(row[0], row[1], layer, row[3], row[4], row[5])
                        for row in relations.get(key, [])
                    ],
                    done=key in done,
                )
            )
    return records, high


def _raw_rows(session: Session, sql: str, parameters: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows straight from the DB-API cursor, in the session's transaction: SQLAlchemy's result
    machinery costs more than the rest of a large export's Python work."""
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        return cursor.execute(sql, parameters).fetchall()
    finally:
        cursor.close()


def _document_id_range(session: Session) -> tuple[int, int]:
    """The lowest and highest document id (1, 0 when there are none: an empty range)."""
    low, high = (
        session.connection().execute(select(func.min(Document.id), func.max(Document.id))).one()
    )
    return (1, 0) if low is None else (low, high)


def _export_documents(session: Session, after: int) -> list[DocumentInfo]:
    """The next EXPORT_CHUNK documents after id `after`, read as column tuples."""
    query = (
        select(*DOCUMENT_COLUMNS)
        .where(col(Document.id) > after)
        .order_by(col(Document.id))
        .limit(EXPORT_CHUNK)
    )
    return [document_from_columns(row) for row in session.connection().execute(query).all()]


_SPAN_COLUMNS = (
    Span.id,
    Span.document_id,
    Span.annotator_id,
    Span.start,
    Span.end,
    Span.label,
    Span.note,
    # Raw column values: SQLAlchemy's JSON and DateTime processing cost more than the rest of an
    # export together; _export_span parses them with the C parsers instead.
    type_coerce(Span.attrs, String),
    Span.origin,
    type_coerce(Span.updated_at, String),
    Span.gold_source,
    Span.reviewer_id,
)
_RELATION_COLUMNS = (
    Relation.id,
    Relation.document_id,
    Relation.annotator_id,
    Relation.head_id,
    Relation.child_id,
    Relation.label,
)


def _export_span(row: Any, layer: str, text: str) -> ExportSpan:
    span_id, doc_id, _, start, end, label, note, attrs, origin, updated, gold_source, reviewer = row
    return ExportSpan(
        span_id,
        doc_id,
        layer,
        start,
        end,
        label,
        text[start:end],
        note,
        json_object(attrs),
        origin,
        _utc_day(updated),
        gold_source,
        reviewer,
    )


def _utc_day(raw: Any) -> str:
    """The UTC day of a DateTime column: SQLite gives UTC ISO text, PostgreSQL a datetime."""
    return raw[:10] if isinstance(raw, str) else aware_utc(raw).date().isoformat()


def _chunk_span_rows(
    session: Session, low: int, high: int, selected: Layer | None
) -> dict[tuple[int, int | None], list[Any]]:
    """Span column tuples for documents low..high (of one layer or all), in text order."""
    query = select(*_SPAN_COLUMNS).where(col(Span.document_id).between(low, high))
    if selected is not None:
        query = query.where(in_layer(Span, selected))
    query = query.order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    # Core execution: column tuples without the ORM's per-row loading machinery.
    return _grouped_by_layer(session.connection().execute(query).all())


def _chunk_relation_rows(
    session: Session, low: int, high: int, selected: Layer | None
) -> dict[tuple[int, int | None], list[Any]]:
    query = select(*_RELATION_COLUMNS).where(col(Relation.document_id).between(low, high))
    if selected is not None:
        query = query.where(in_layer(Relation, selected))
    return _grouped_by_layer(session.connection().execute(query.order_by(col(Relation.id))).all())


def _annotator_ids(session: Session, names: Sequence[str]) -> dict[int, str]:
    query = select(Annotator.id, Annotator.name).where(col(Annotator.name).in_(list(names)))
    return {row[0]: row[1] for row in session.connection().execute(query).all()}


def _done_layers_chunk(
    session: Session, after: int, annotators: dict[int, str], min_layers: int
) -> tuple[list[DoneLayers], int | None]:
    """The DoneLayers of the documents among the next EXPORT_CHUNK ids after `after`."""
    connection = session.connection()
    ids = (
        connection.execute(
            select(Document.id)
            .where(col(Document.id) > after)
            .order_by(col(Document.id))
            .limit(EXPORT_CHUNK)
        )
        .scalars()
        .all()
    )
    if not ids:
        return [], None
    low, high = ids[0], ids[-1]
    done = defaultdict(set)
    status = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        col(DocumentStatus.document_id).between(low, high),
        col(DocumentStatus.done).is_(True),
        col(DocumentStatus.annotator_id).in_(list(annotators)),
    )
    for doc_id, annotator_id in connection.execute(status).all():
        done[doc_id].add(annotator_id)
    counted = sorted(doc for doc, who in done.items() if len(who) >= min_layers)
    if not counted:
        return [], high
    spans = (
        select(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label)
        .where(
            col(Span.document_id).between(counted[0], counted[-1]),
            col(Span.annotator_id).in_(list(annotators)),
        )
        .order_by(col(Span.document_id), col(Span.annotator_id))
    )
    layers = {doc: {annotators[a]: [] for a in done[doc]} for doc in counted}
    # Plain DB-API tuples (integers and text need no conversion): building SQLAlchemy rows for
    # hundreds of thousands of spans cost more than reading them.
    rows = connection.execute(spans).cursor.fetchall()
    for (doc_id, annotator_id), group in groupby(rows, key=_document_and_annotator):
        layer = layers.get(doc_id, {}).get(annotators[annotator_id])
        if layer is not None:
            layer.extend([SpanExtent(row[2], row[3], row[4]) for row in group])
    texts = select(Document.id, Document.text_sha256, Document.text).where(
        col(Document.id).in_(counted)
    )
    return [
        DoneLayers(doc_id, ext_id(sha), text, layers[doc_id])
        for doc_id, sha, text in connection.execute(texts.order_by(col(Document.id))).all()
    ], high


def _grouped_by_layer(rows: Sequence[Any]) -> dict[tuple[int, int | None], list[Any]]:
    """Rows whose 2nd and 3rd columns are (document_id, annotator_id), grouped by that pair."""
    grouped: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row[1], row[2])].append(row)
    return grouped


def _chunk_done(
    session: Session, low: int, high: int, selected: Layer | None
) -> set[tuple[int, int | None]]:
    if selected is not None and selected.annotator_id is None:
        return set()  # the gold layer has no done marks
    query = select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
        col(DocumentStatus.document_id).between(low, high), col(DocumentStatus.done).is_(True)
    )
    if selected is not None:
        query = query.where(DocumentStatus.annotator_id == selected.annotator_id)
    return {(doc_id, annotator_id) for doc_id, annotator_id in session.exec(query).all()}


def _layers_by_document(
    spans: dict[tuple[int, int | None], list[Any]], done: set[tuple[int, int | None]]
) -> dict[int, set[int | None]]:
    """For each document, the layers worth exporting: those with spans or a done mark."""
    layers: dict[int, set[int | None]] = defaultdict(set)
    for doc_id, annotator_id in (*spans.keys(), *done):
        layers[doc_id].add(annotator_id)
    return layers


def _ordered_layers(layers: set[int | None], names: dict[Any, str]) -> list[int | None]:
    """Gold first, then annotators by name."""
    return sorted(layers, key=lambda a: (a is not None, names.get(a, "")))
