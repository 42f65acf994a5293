"""The Store: the only way the rest of factmark reads and writes annotations.

Each public method is one short transaction (see `store.engine`), returns frozen `store.info`
objects, and every write appends to the event log. Undo and redo are derived from that log (see
`store.history`). A store opened for a user (`Store.open(..., user=NAME)`) checks that user's role
on every write (see `store.roles`); review and adjudication are in `store.review_api`.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from store.acting import Login, settle_identity
from store.bulk_import import BulkImport
from store.check_api import CheckMethods
from store.check_export import CheckExportMethods
from store.check_tally import check_tally
from store.correction_api import CorrectionMethods
from store.desk_info import CheckTally, SearchHit
from store.doc_figures import FigureMethods
from store.engine import (
    Database,
    choose_target,
    make_engine,
    printable_url,
    remove_sqlite_files,
    sqlite_file,
)
from store.entity_api import EntityMethods
from store.errors import StoreError
from store.events import RELATION_ADD, RELATION_DELETE, SPAN_ADD, SPAN_DELETE, SPAN_NOTE, log_event
from store.export_reads import (
    annotator_ids,
    done_layers_chunk,
    export_chunk,
    raw_rows,
    session_rows,
)
from store.external_api import ExternalCheckMethods
from store.grants import GrantOutcome, grant_role
from store.history import redo_last, undo_last
from store.identity import stored_version
from store.info import (
    AnnotatorInfo,
    DocumentInfo,
    DocumentSummary,
    DoneLayers,
    EventInfo,
    ExportLine,
    ExportRecord,
    ExportTally,
    ImportOutcome,
    RelationInfo,
    SpanInfo,
)
from store.json_export import EXPORT_PROCESSES, assembled_lines, export_layer
from store.layer import Layer
from store.library import next_unfinished, queue_position
from store.listing import document_count, document_summaries
from store.maintenance import MaintenanceMethods
from store.migrations import SchemaChange, change_schema
from store.paths import check_sqlite_path, create_database_file, make_data_dir
from store.queries import (
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
    span_in_layer,
)
from store.review_api import ReviewMethods
from store.roles import authorise_layer
from store.row_info import annotator_info, document_info, event_info, relation_info, row_id
from store.search import search as search_documents
from store.snapshots import relation_snapshot, span_snapshot
from store.span_columns import new_span, span_info
from store.suggestion_api import SuggestionMethods
from store.tables import GOLD_SOURCES, Annotator, Document, DocumentStatus, Event, Relation
from store.tally import export_tally
from store.validation import (
    check_annotator_name,
    check_choice,
    check_item,
    check_json,
    check_label,
    check_offsets,
    check_origin,
    clean_note,
    ext_id_prefix,
)
from store.writes import (
    add_span_row,
    change_note,
    deletion_snapshot,
    insert_relation,
    mark_done,
    remove_span,
)
from vocabulary.fulltext import parse_query
from vocabulary.names import GOLD_LAYER, ROLES
from vocabulary.records import ImportItem, SpanDraft

DB_ENV = "FACTMARK_DB"
T = TypeVar("T")


class Store(
    ReviewMethods,
    EntityMethods,
    SuggestionMethods,
    CheckMethods,
    ExternalCheckMethods,
    CheckExportMethods,
    MaintenanceMethods,
    CorrectionMethods,
    FigureMethods,
):
    """A factmark database, opened by path or URL; safe to share between threads.

    `user` is who is working: every write then checks their role (annotators write only their
    own layer). Without a user the store is the system itself and checks nothing.
    """

    def __init__(self, database: Database, url: str, user: str | None = None) -> None:
        self._database: Database | None = database
        self._url = url
        self._user = user
        # What opening did to the schema (created, upgraded, or nothing): `factmark db upgrade`.
        self.schema_change: SchemaChange | None = None

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | None = None,
        *,
        user: str | None = None,
        login: Login | None = None,
        shared_group: str | None = None,
    ) -> Store:
        """Open (creating if new) the database at `target`, a file path or an SQLAlchemy URL.

        None means $FACTMARK_DB, else the default file (created with its directory). `user`: who
        is working (their role is checked on every write). `login`: who is really there (see
        `store.acting`): then `user` None means the login's own annotator, and a `user` other
        than the login must be allowed (PermissionDenied otherwise). A new SQLite file (and the
        default directory) is private to its owner, or shared with the Unix group
        `shared_group`. Raises StoreError with a one-line reason; a database this call created
        is removed on failure.
        """
        if user is not None:
            check_annotator_name(user)
        url, create_dir = choose_target(target)
        path = sqlite_file(url)
        name = str(path) if path is not None else printable_url(url)
        created = False
        if path is not None:
            if create_dir:
                make_data_dir(path.parent, shared_group)
            check_sqlite_path(path)
            stored_version(path)  # someone else's file, or a newer one: refused untouched
            created = create_database_file(path, shared_group)
        database = Database(make_engine(url, target=name), name)
        try:
            change = database.write(
                lambda session: change_schema(session, name), context=f"cannot open {name}"
            )
            if login is not None:
                identity = settle_identity(database, user, login)
                user, database.acting_login = identity.user, identity.acting_login
        except BaseException:
            database.dispose()
            if created and path is not None:
                remove_sqlite_files(path)
            raise
        opened = cls(database, printable_url(url), user)
        opened.schema_change = change
        return opened

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

    def grant(self, name: str, role: str) -> GrantOutcome:
        """PostgreSQL: make the database role `name` (created if missing) an annotator with
        `role`, and its connections bound by the row-level security policies (`store.grants`)."""
        return grant_role(self._db, self._user, name, role)

    @property
    def acting_login(self) -> str | None:
        """The login working as `user` when that is someone else (their events record it)."""
        return self._db.acting_login

    def annotators(self) -> list[AnnotatorInfo]:
        def work(session: Session) -> list[AnnotatorInfo]:
            rows = session.exec(select(Annotator).order_by(col(Annotator.name))).all()
            return [annotator_info(row) for row in rows]

        return self._db.read(work)

    # -- documents -----------------------------------------------------------------------------

    def import_items(self, items: Sequence[ImportItem]) -> list[ImportOutcome]:
        """Store a batch of imported items in ONE transaction: all of them, or none.

        Documents are deduplicated by text sha256; spans identical in layer, start, end and label
        to one already stored are not added again; an item's external checks (the ClaimReviews
        of a fact-check page) likewise by URL and claim. ValueError (naming the item) for bad
        input.
        """
        for position, item in enumerate(items):
            check_item(item, position)

        def work(session: Session) -> list[ImportOutcome]:
            for layer in sorted({draft.annotator for item in items for draft in item.layers}):
                authorise_layer(session, self._user, layer)
            return BulkImport(session, self._user).run(items)

        return self._db.write(work)

    def document(self, doc_id: int) -> DocumentInfo:
        return self._db.read(lambda session: document_info(document_row(session, doc_id)))

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by number ("12") or by external id or a unique prefix of it ("d-3f9a")."""
        ref = ref.strip()
        if ref.isascii() and ref.isdigit():
            if len(ref) > 19 or int(ref) > 2**63 - 1:  # no integer key is that large
                raise StoreError(f"no document {ref[:40]}")
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
        return self._db.read(lambda session: document_summaries(session_rows(session)))

    def document_count(self) -> int:
        return self._db.read(lambda session: document_count(session_rows(session)))

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
        check_origin(origin)
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
            row = add_span_row(session, doc_id, resolved, draft, who, gold_source=gold_source)
            return span_info(row, resolved.name, text)

        return self._db.write(work)

    def delete_span(self, span_id: int, layer: str, *, actor: str | None = None) -> SpanInfo:
        """Delete a span of `layer` (and the relations touching it); StoreError if not in layer."""

        def work(session: Session) -> SpanInfo:
            row, resolved = span_in_layer(session, span_id, layer)
            authorise_layer(session, self._user, resolved.name)
            text = document_text(session, row.document_id)
            info = span_info(row, resolved.name, text)
            who = self._who(layer, actor)
            snapshot = deletion_snapshot(session, row)
            payload = {"span": snapshot, "relations": remove_span(session, row, who)}
            log_event(
                session,
                SPAN_DELETE,
                who,
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

        return self._db.read(
            lambda session: next_unfinished(session_rows(session), annotator, after)
        )

    def queue_position(self, doc_id: int, annotator: str) -> tuple[int, int, int]:
        """Where `doc_id` is in `annotator`'s queue: (1-based index, or 0 when it is not in it;
        documents in the queue; how many of them they marked done). The queue is as for
        next_unfinished: their assignments if they have any, else every document, in id order.
        Counted by the database: a library of 100,000 documents is not read for it."""

        return self._db.read(
            lambda session: queue_position(session_rows(session), doc_id, annotator)
        )

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
            row = insert_relation(session, doc_id, resolved.annotator_id, head_id, child_id, label)
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

    def add_linked_span(
        self,
        doc_id: int,
        layer: str,
        start: int,
        end: int,
        label: str,
        other_id: int,
        relation: str,
        *,
        new_is_head: bool,
        actor: str | None = None,
    ) -> tuple[SpanInfo, RelationInfo]:
        """Add a span and link it to the span `other_id` (as the relation's head if
        `new_is_head`, else its child), in ONE transaction and ONE undo step: the `span_add`
        event keeps the link under "relations", so undoing it removes both and redo restores
        both. If an identical span is already there, only the link is added (`relation_add`).
        """
        check_label(label)
        check_label(relation)
        draft = SpanDraft(start, end, label, None, {}, "manual")

        def work(session: Session) -> tuple[SpanInfo, RelationInfo]:
            text = document_text(session, doc_id)
            check_offsets(start, end, len(text))
            authorise_layer(session, self._user, layer)
            resolved = resolve_layer(session, layer)
            require_span_of(session, other_id, doc_id, resolved)
            who = self._who(layer, actor)
            existing = identical_span(session, doc_id, resolved, draft)
            row = existing if existing is not None else new_span(doc_id, resolved, draft)
            if existing is None:
                session.add(row)
                session.flush()
            span_id = row_id(row.id)
            head_id, child_id = (span_id, other_id) if new_is_head else (other_id, span_id)
            link = identical_relation(session, doc_id, resolved, head_id, child_id, relation)
            if link is None:
                link = insert_relation(
                    session, doc_id, resolved.annotator_id, head_id, child_id, relation
                )
                if existing is not None:
                    log_event(
                        session,
                        RELATION_ADD,
                        who,
                        {"relation": relation_snapshot(link)},
                        document_id=doc_id,
                        layer=resolved.name,
                    )
            if existing is None:
                payload = {"span": span_snapshot(row), "relations": [relation_snapshot(link)]}
                log_event(
                    session,
                    SPAN_ADD,
                    who,
                    payload,
                    document_id=doc_id,
                    layer=resolved.name,
                    span_id=span_id,
                )
            return span_info(row, resolved.name, text), relation_info(link, resolved.name)

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

    # -- full-text search ----------------------------------------------------------------------

    def search(self, query: str, limit: int = 50, *, every: bool = False) -> list[SearchHit]:
        """Full-text search over every document's text: the best `limit` documents (bm25 on
        SQLite), best first, each with its best match — or, with `every`, all its matches in
        text order. Words are ANDed, "quoted text" is a phrase, `word*` a prefix; case and
        Latin accents are folded (see vocabulary.fulltext). ValueError (QueryError) for a
        query with no word in it."""
        parsed = parse_query(query)
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        return self._db.read(lambda session: search_documents(session, parsed, limit, every))

    # -- export and log ------------------------------------------------------------------------

    def iter_export(self, source: str) -> Iterator[ExportRecord]:
        """Records of `source` ("gold", an annotator's name, or "all") in document id order.

        Documents are read EXPORT_CHUNK at a time, each chunk in its own short read transaction,
        so memory stays flat however large the database is. StoreError for an unknown annotator.
        """
        selected = self._export_layer(source)
        return self._chunked(lambda session, after: export_chunk(session, after, selected))

    def _export_layer(self, source: str) -> Layer | None:
        """The layer `source` names (None: all of them); StoreError for an unknown annotator."""
        return self._db.read(lambda session: export_layer(session_rows(session), source))

    def export_tally(self, source: str) -> ExportTally:
        """The counts of what an export of `source` holds (see store.tally), for a data card."""
        selected = self._export_layer(source)
        return self._db.read(lambda session: export_tally(session, selected))

    def check_tally(self) -> CheckTally:
        """The fact-check desk's counts (see store.check_tally), for a data card."""
        return self._db.read(check_tally)

    def iter_export_lines(
        self, source: str, *, processes: int = EXPORT_PROCESSES
    ) -> Iterator[ExportLine] | None:
        """iter_export's records as finished native JSONL lines, assembled by SQLite (several
        times faster on large exports); None where the database cannot (not SQLite).

        On a file, up to `processes` forked workers (no more than there are cores) read the
        chunks, started by this call (before the caller starts threads of its own, say a
        progress bar), so call it just before iterating.
        """
        if self._db.dialect != "sqlite":
            return None

        def rows(sql: str, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
            return self._db.read(lambda session: raw_rows(session, sql, parameters))

        return assembled_lines(rows, self._db.name, self._db.sqlite_path, source, processes)

    def _chunked(
        self, read_chunk: Callable[[Session, int], tuple[list[T], int | None]]
    ) -> Iterator[T]:
        """Everything `read_chunk` reads, chunk after chunk, each in its own read transaction."""
        after = 0
        while True:

            def work(session: Session, after: int = after) -> tuple[list[T], int | None]:
                return read_chunk(session, after)

            items, last_id = self._db.read(work)
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
        wanted = self._db.read(lambda session: annotator_ids(session, annotators))
        if wanted:
            yield from self._chunked(
                lambda session, after: done_layers_chunk(session, after, wanted, min_layers)
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
