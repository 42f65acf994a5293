"""The Store: the only way the rest of factmark reads and writes annotations.

Each public method is one short transaction (see `store.engine`), returns frozen `store.info`
objects, and every write appends to the event log. Undo and redo are derived from that log: the
edits of one (document, layer) form a stack; "undo" and "redo" are events too, naming their target.
"""

from __future__ import annotations

import json
import os
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import URL, func, or_
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from importers.canonical import strip_controls, text_sha256
from importers.records import GOLD_LAYER, SPAN_ORIGINS, ImportItem, LayerDraft, SpanDraft
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
from store.info import (
    AnnotatorInfo,
    AnnotatorProgress,
    DocumentInfo,
    DocumentSummary,
    EventInfo,
    ExportRecord,
    ImportOutcome,
    RelationInfo,
    SpanInfo,
)
from store.migrations import prepare_schema
from store.paths import default_db_path
from store.tables import (
    GOLD_SOURCES,
    ROLES,
    Annotator,
    Document,
    DocumentStatus,
    Event,
    Relation,
    Span,
    utc_now,
)

DB_ENV = "FACTMARK_DB"
ALL_LAYERS = "all"
RESERVED_NAMES = frozenset({GOLD_LAYER, ALL_LAYERS})
EXPORT_CHUNK = 500  # documents per read transaction while exporting
MAX_NAME = 200
MAX_LABEL = 100

# Event kinds. The edits below are what undo/redo act on; the rest only record what happened.
SPAN_ADD, SPAN_DELETE, SPAN_NOTE = "span_add", "span_delete", "span_note"
RELATION_ADD, RELATION_DELETE = "relation_add", "relation_delete"
UNDO, REDO = "undo", "redo"
EDIT_KINDS = (SPAN_ADD, SPAN_DELETE, SPAN_NOTE, RELATION_ADD, RELATION_DELETE)
ANNOTATOR_ADD, DOCUMENT_IMPORT, SPANS_IMPORT, DONE = (
    "annotator_add",
    "document_import",
    "spans_import",
    "done",
)


@dataclass(frozen=True)
class _Layer:
    """A resolved layer: its name and the annotator id its rows carry (None for gold)."""

    name: str
    annotator_id: int | None


class Store:
    """A factmark database, opened by path or URL; safe to share between threads."""

    def __init__(self, database: Database, url: str) -> None:
        self._database: Database | None = database
        self._url = url

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None) -> Store:
        """Open (creating if new) the database at `target`, a file path or an SQLAlchemy URL.

        None means $FACTMARK_DB, else the default file (created with its directory). Raises
        StoreError with a one-line reason; a database this call created is removed on failure.
        """
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
        return cls(database, printable_url(url))

    @property
    def url(self) -> str:
        """Where this store lives, printable (any password hidden)."""
        return self._url

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
        _check_annotator_name(name)
        _check_choice(role, ROLES, "role")

        def work(session: Session) -> AnnotatorInfo:
            row = _annotator_named(session, name) or _create_annotator(session, name, role)
            return _annotator_info(row)

        return self._db.write(work)

    def annotators(self) -> list[AnnotatorInfo]:
        def work(session: Session) -> list[AnnotatorInfo]:
            rows = session.exec(select(Annotator).order_by(col(Annotator.name))).all()
            return [_annotator_info(row) for row in rows]

        return self._db.read(work)

    # -- documents -----------------------------------------------------------------------------

    def import_items(self, items: Sequence[ImportItem]) -> list[ImportOutcome]:
        """Store a batch of imported items in ONE transaction: all of them, or none.

        Documents are deduplicated by text sha256; spans identical in layer, start, end and label
        to one already stored are not added again. ValueError (naming the item) for bad input.
        """
        for position, item in enumerate(items):
            _check_item(item, position)

        def work(session: Session) -> list[ImportOutcome]:
            batch = _BatchImport(session)
            return [batch.item(item) for item in items]

        return self._db.write(work)

    def document(self, doc_id: int) -> DocumentInfo:
        return self._db.read(lambda session: _document_info(_document_row(session, doc_id)))

    def find_document(self, ref: str) -> DocumentInfo:
        """A document by number ("12") or by external id or a unique prefix of it ("d-3f9a")."""
        ref = ref.strip()
        if ref.isdigit():
            return self.document(int(ref))
        prefix = _ext_id_prefix(ref)

        def work(session: Session) -> DocumentInfo:
            query = _documents().where(col(Document.text_sha256).startswith(prefix)).limit(2)
            rows = session.exec(query).all()
            if not rows:
                raise StoreError(f"no document {ref}")
            if len(rows) > 1:
                raise StoreError(f"{ref} is ambiguous: several documents start with it")
            return _document_info(rows[0])

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
            text = _document_text(session, doc_id)
            resolved = _find_layer(session, layer)
            if resolved is None:
                return []
            rows = session.exec(_layer_spans(doc_id, resolved)).all()
            return [_span_info(row, resolved.name, text) for row in rows]

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
        _check_label(label)
        _check_choice(origin, SPAN_ORIGINS, "origin")
        _check_json(attrs or {}, "attrs")
        if gold_source is not None:
            _check_choice(gold_source, GOLD_SOURCES, "gold_source")
            if layer != GOLD_LAYER:
                raise ValueError("gold_source is only for spans of the gold layer")
        draft = SpanDraft(start, end, label, _clean_note(note), dict(attrs or {}), origin)

        def work(session: Session) -> SpanInfo:
            text = _document_text(session, doc_id)
            _check_offsets(start, end, len(text))
            resolved = _resolve_layer(session, layer)
            who = _actor(layer, actor)
            existing = _identical_span(session, doc_id, resolved, draft)
            if existing is not None:
                return _span_info(existing, resolved.name, text)
            row = _new_span(doc_id, resolved, draft)
            if resolved.annotator_id is None:
                row.gold_source = gold_source
                row.reviewer_id = _reviewer_id(session, who)
            session.add(row)
            session.flush()
            _log(
                session,
                SPAN_ADD,
                who,
                {"span": _span_snapshot(row)},
                document_id=doc_id,
                layer=resolved.name,
                span_id=row.id,
            )
            return _span_info(row, resolved.name, text)

        return self._db.write(work)

    def delete_span(self, span_id: int, layer: str, *, actor: str | None = None) -> SpanInfo:
        """Delete a span of `layer` (and the relations touching it); StoreError if not in layer."""

        def work(session: Session) -> SpanInfo:
            row, resolved = _span_in_layer(session, span_id, layer)
            text = _document_text(session, row.document_id)
            info = _span_info(row, resolved.name, text)
            payload = {"span": _span_snapshot(row), "relations": _remove_span(session, row)}
            _log(
                session,
                SPAN_DELETE,
                _actor(layer, actor),
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
        cleaned = _clean_note(note)

        def work(session: Session) -> SpanInfo:
            row, resolved = _span_in_layer(session, span_id, layer)
            text = _document_text(session, row.document_id)
            if row.note != cleaned:
                payload = {"before": row.note, "after": cleaned, "span": _span_snapshot(row)}
                _change_note(session, row, cleaned)
                _log(
                    session,
                    SPAN_NOTE,
                    _actor(layer, actor),
                    payload,
                    document_id=row.document_id,
                    layer=resolved.name,
                    span_id=span_id,
                )
            return _span_info(row, resolved.name, text)

        return self._db.write(work)

    # -- undo / redo ---------------------------------------------------------------------------

    def undo(self, doc_id: int, layer: str, *, actor: str | None = None) -> str | None:
        """Undo that layer's last edit on the document; a short description, or None if nothing."""

        def work(session: Session) -> str | None:
            resolved = _find_layer(session, layer)
            if resolved is None:
                return None
            undoable, _ = _edit_history(session, doc_id, resolved.name)
            if not undoable:
                return None
            target = undoable[-1]
            description, extra = _revert(session, target)
            payload = {"target": target.id, **extra}
            _log(
                session,
                UNDO,
                _actor(layer, actor),
                payload,
                document_id=doc_id,
                layer=resolved.name,
                span_id=target.span_id,
            )
            return f"undid {description}"

        return self._db.write(work)

    def redo(self, doc_id: int, layer: str, *, actor: str | None = None) -> str | None:
        """Redo the last undone edit (a new edit after an undo clears what can be redone)."""

        def work(session: Session) -> str | None:
            resolved = _find_layer(session, layer)
            if resolved is None:
                return None
            _, redoable = _edit_history(session, doc_id, resolved.name)
            if not redoable:
                return None
            target, undo_event = redoable[-1]
            description = _reapply(session, target, undo_event)
            payload = {"target": target.id}
            _log(
                session,
                REDO,
                _actor(layer, actor),
                payload,
                document_id=doc_id,
                layer=resolved.name,
                span_id=target.span_id,
            )
            return f"redid {description}"

        return self._db.write(work)

    # -- done marks ----------------------------------------------------------------------------

    def set_done(
        self, doc_id: int, annotator: str, done: bool = True, *, actor: str | None = None
    ) -> None:
        """Mark (or unmark) a document as done by an annotator."""
        if annotator == GOLD_LAYER:
            raise StoreError("the gold layer has no done mark")

        def work(session: Session) -> None:
            _document_row(session, doc_id)
            resolved = _resolve_layer(session, annotator)
            _mark_done(session, doc_id, resolved, done, actor or annotator)

        self._db.write(work)

    def is_done(self, doc_id: int, annotator: str) -> bool:
        def work(session: Session) -> bool:
            resolved = _find_layer(session, annotator)
            if resolved is None or resolved.annotator_id is None:
                return False
            status = session.get(DocumentStatus, (doc_id, resolved.annotator_id))
            return bool(status and status.done)

        return self._db.read(work)

    def next_unfinished(self, annotator: str, after: int | None = None) -> int | None:
        """The first document after `after` (wrapping around) that `annotator` has not done."""

        def work(session: Session) -> int | None:
            resolved = _find_layer(session, annotator)
            done_ids = select(DocumentStatus.document_id).where(
                DocumentStatus.annotator_id == (resolved.annotator_id if resolved else -1),
                col(DocumentStatus.done).is_(True),
            )
            query = select(Document.id).where(col(Document.id).not_in(done_ids))
            if after is None:
                return session.exec(query.order_by(col(Document.id)).limit(1)).first()
            later = query.where(col(Document.id) > after).order_by(col(Document.id)).limit(1)
            earlier = query.where(col(Document.id) <= after).order_by(col(Document.id)).limit(1)
            return session.exec(later).first() or session.exec(earlier).first()

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
        _check_label(label)
        if head_id == child_id:
            raise ValueError(f"a relation needs two different spans (got span {head_id} twice)")

        def work(session: Session) -> RelationInfo:
            resolved = _resolve_layer(session, layer)
            for span_id in (head_id, child_id):
                _require_span_of(session, span_id, doc_id, resolved)
            existing = _identical_relation(session, doc_id, resolved, head_id, child_id, label)
            if existing is not None:
                return _relation_info(existing, resolved.name)
            row = Relation(
                document_id=doc_id,
                annotator_id=resolved.annotator_id,
                head_id=head_id,
                child_id=child_id,
                label=label,
            )
            session.add(row)
            session.flush()
            _log(
                session,
                RELATION_ADD,
                _actor(layer, actor),
                {"relation": _relation_snapshot(row)},
                document_id=doc_id,
                layer=resolved.name,
            )
            return _relation_info(row, resolved.name)

        return self._db.write(work)

    def delete_relation(
        self, relation_id: int, layer: str, *, actor: str | None = None
    ) -> RelationInfo:
        """Delete a relation of `layer` (StoreError if it is not in that layer)."""

        def work(session: Session) -> RelationInfo:
            row = session.get(Relation, relation_id)
            resolved = _find_layer(session, layer)
            if row is None or resolved is None or row.annotator_id != resolved.annotator_id:
                raise StoreError(f"no relation {relation_id} in layer {layer}")
            info = _relation_info(row, resolved.name)
            _log(
                session,
                RELATION_DELETE,
                _actor(layer, actor),
                {"relation": _relation_snapshot(row)},
                document_id=row.document_id,
                layer=resolved.name,
            )
            session.delete(row)
            session.flush()
            return info

        return self._db.write(work)

    def relations(self, doc_id: int, layer: str) -> list[RelationInfo]:
        def work(session: Session) -> list[RelationInfo]:
            _document_row(session, doc_id)
            resolved = _find_layer(session, layer)
            if resolved is None:
                return []
            query = select(Relation).where(
                Relation.document_id == doc_id, _in_layer(Relation, resolved)
            )
            rows = session.exec(query.order_by(col(Relation.id))).all()
            return [_relation_info(row, resolved.name) for row in rows]

        return self._db.read(work)

    # -- export and log ------------------------------------------------------------------------

    def iter_export(self, source: str) -> Iterator[ExportRecord]:
        """Records of `source` ("gold", an annotator's name, or "all") in document id order.

        Documents are read EXPORT_CHUNK at a time, each chunk in its own short read transaction,
        so memory stays flat however large the database is. StoreError for an unknown annotator.
        """
        if source == ALL_LAYERS:
            selected: _Layer | None = None
        else:
            selected = self._db.read(lambda session: _find_layer(session, source))
            if selected is None:
                raise StoreError(f"no annotator named {source!r}")
        return self._export_records(selected)

    def _export_records(self, selected: _Layer | None) -> Iterator[ExportRecord]:
        after = 0
        while True:
            records, last_id = self._db.read(
                lambda session, after=after: _export_chunk(session, after, selected)
            )
            if last_id is None:
                return
            yield from records
            after = last_id

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
            return [_event_info(row) for row in reversed(rows)]

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
# Validation (before any transaction)


def _check_annotator_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("an annotator name must be a non-empty string")
    if name != name.strip() or strip_controls(name) != name or "\n" in name or "\t" in name:
        raise ValueError(f"annotator name {name!r} has surrounding spaces or control characters")
    if len(name) > MAX_NAME:
        raise ValueError(f"annotator name is longer than {MAX_NAME} characters")
    if name in RESERVED_NAMES:
        raise ValueError(f"{name!r} is reserved and cannot be an annotator name")


def _check_layer_name(layer: str) -> None:
    if layer != GOLD_LAYER:
        _check_annotator_name(layer)


def _check_choice(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")


def _check_label(label: str) -> None:
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        raise ValueError(f"label {label!r} must be a non-empty string of at most {MAX_LABEL} chars")
    if strip_controls(label) != label or "\n" in label or "\t" in label:
        raise ValueError(f"label {label!r} contains control characters")


def _check_offsets(start: int, end: int, length: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError(f"span offsets must be integers (got {start!r}, {end!r})")
    if not 0 <= start < end <= length:
        raise ValueError(
            f"span {start}-{end} is outside the text or empty (need 0 <= start < end <= {length})"
        )


def _check_json(value: Any, what: str) -> None:
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} cannot be stored as JSON ({exc})") from None


def _clean_note(note: str | None) -> str | None:
    """Notes are untrusted text: no control characters (newlines and tabs stay); "" means none."""
    if note is None:
        return None
    cleaned = strip_controls(note)
    return cleaned if cleaned.strip() else None


def _item_name(item: ImportItem, position: int) -> str:
    return item.source_file or item.article.title or f"item {position + 1}"


def _check_item(item: ImportItem, position: int) -> None:
    """ValueError naming the item if it cannot be stored as it is."""
    try:
        _check_article_text(item.article.text)
        _check_json(item.article.meta, "meta")
        for layer in item.layers:
            _check_layer_draft(layer, len(item.article.text))
    except ValueError as exc:
        raise ValueError(f"{_item_name(item, position)}: {exc}") from None


def _check_article_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the article text is empty")
    if not unicodedata.is_normalized("NFC", text):
        raise ValueError("the article text is not NFC-normalised")


def _check_layer_draft(layer: LayerDraft, length: int) -> None:
    _check_layer_name(layer.annotator)
    local_ids: set[str] = set()
    for span in layer.spans:
        _check_offsets(span.start, span.end, length)
        _check_label(span.label)
        _check_choice(span.origin, SPAN_ORIGINS, "origin")
        _check_json(span.attrs, "attrs")
        if span.local_id is not None:
            if span.local_id in local_ids:
                raise ValueError(
                    f"span id {span.local_id!r} appears twice in layer {layer.annotator}"
                )
            local_ids.add(span.local_id)
    for relation in layer.relations:
        _check_label(relation.label)
        for end in (relation.head, relation.child):
            if end not in local_ids:
                raise ValueError(f"relation {relation.label} names unknown span id {end!r}")


def _ext_id_prefix(ref: str) -> str:
    """The sha256 prefix an external id ("d-3f9a...") stands for."""
    digits = ref[2:].lower() if ref.lower().startswith("d-") else ""
    if not digits or len(digits) > 64 or any(c not in "0123456789abcdef" for c in digits):
        raise StoreError(f"{ref!r} is not a document id (a number, or d- and hex digits)")
    return digits


# =============================================================================================
# Rows <-> info objects


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ext_id(text_sha256_hex: str) -> str:
    """The external id of a document: stable across databases, used as the export `id`."""
    return "d-" + text_sha256_hex[:16]


def _annotator_info(row: Annotator) -> AnnotatorInfo:
    return AnnotatorInfo(id=_id(row.id), name=row.name, role=row.role)


def _document_info(row: Document) -> DocumentInfo:
    return DocumentInfo(
        id=_id(row.id),
        ext_id=ext_id(row.text_sha256),
        text=row.text,
        text_sha256=row.text_sha256,
        title=row.title,
        byline=row.byline,
        outlet=row.outlet,
        url=row.url,
        published=row.published,
        imported_at=_aware(row.imported_at),
        extractor=row.extractor,
        extractor_version=row.extractor_version,
        source_file=row.source_file,
        meta=dict(row.meta or {}),
    )


def _span_info(row: Span, layer: str, text: str) -> SpanInfo:
    return SpanInfo(
        id=_id(row.id),
        document_id=row.document_id,
        layer=layer,
        start=row.start,
        end=row.end,
        label=row.label,
        text=text[row.start : row.end],
        note=row.note,
        attrs=dict(row.attrs or {}),
        origin=row.origin,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        gold_source=row.gold_source,
        reviewer_id=row.reviewer_id,
    )


def _relation_info(row: Relation, layer: str) -> RelationInfo:
    return RelationInfo(
        id=_id(row.id),
        document_id=row.document_id,
        layer=layer,
        head_id=row.head_id,
        child_id=row.child_id,
        label=row.label,
    )


def _event_info(row: Event) -> EventInfo:
    return EventInfo(
        id=_id(row.id),
        at=_aware(row.at),
        actor=row.actor,
        kind=row.kind,
        document_id=row.document_id,
        span_id=row.span_id,
        payload=dict(row.payload or {}),
        layer=row.layer,
    )


def _id(value: int | None) -> int:
    """A row's primary key, which every row read back or flushed has."""
    if value is None:
        raise StoreError("internal error: a stored row has no id")
    return value


# Snapshots: what an event keeps of a row so that undo/redo can put exactly that row back.


def _span_snapshot(row: Span) -> dict[str, Any]:
    return {
        "id": row.id,
        "start": row.start,
        "end": row.end,
        "label": row.label,
        "note": row.note,
        "attrs": row.attrs,
        "origin": row.origin,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "gold_source": row.gold_source,
        "reviewer_id": row.reviewer_id,
    }


def _span_from_snapshot(snapshot: dict[str, Any], document_id: int, layer: _Layer) -> Span:
    return Span(
        id=snapshot["id"],
        document_id=document_id,
        annotator_id=layer.annotator_id,
        start=snapshot["start"],
        end=snapshot["end"],
        label=snapshot["label"],
        note=snapshot.get("note"),
        attrs=snapshot.get("attrs") or {},
        origin=snapshot.get("origin", "manual"),
        created_at=datetime.fromisoformat(snapshot["created_at"]),
        updated_at=datetime.fromisoformat(snapshot["updated_at"]),
        gold_source=snapshot.get("gold_source"),
        reviewer_id=snapshot.get("reviewer_id"),
    )


def _relation_snapshot(row: Relation) -> dict[str, Any]:
    return {"id": row.id, "head_id": row.head_id, "child_id": row.child_id, "label": row.label}


# =============================================================================================
# Queries and small writes (each runs inside the caller's transaction)


def _documents() -> Any:
    """Documents without their raw source, which only raw_source() needs."""
    return select(Document).options(defer(Document.raw_zlib))  # type: ignore[arg-type]


def _document_row(session: Session, doc_id: int) -> Document:
    row = session.exec(_documents().where(Document.id == doc_id)).first()
    if row is None:
        raise StoreError(f"no document {doc_id}")
    return row


def _document_text(session: Session, doc_id: int) -> str:
    text = session.exec(select(Document.text).where(Document.id == doc_id)).first()
    if text is None:
        raise StoreError(f"no document {doc_id}")
    return text


def _annotator_named(session: Session, name: str) -> Annotator | None:
    return session.exec(select(Annotator).where(Annotator.name == name)).first()


def _create_annotator(session: Session, name: str, role: str = "annotator") -> Annotator:
    """A new annotator; the first one a database ever gets becomes its admin."""
    if session.exec(select(func.count()).select_from(Annotator)).one() == 0:
        role = "admin"
    row = Annotator(name=name, role=role)
    session.add(row)
    session.flush()
    _log(session, ANNOTATOR_ADD, None, {"name": name, "role": role})
    return row


def _find_layer(session: Session, layer: str) -> _Layer | None:
    """The layer called `layer`, or None when no annotator has that name."""
    if layer == GOLD_LAYER:
        return _Layer(GOLD_LAYER, None)
    row = _annotator_named(session, layer)
    return _Layer(row.name, row.id) if row is not None else None


def _resolve_layer(session: Session, layer: str) -> _Layer:
    """The layer called `layer`, creating its annotator if needed (for writes)."""
    _check_layer_name(layer)
    found = _find_layer(session, layer)
    if found is not None:
        return found
    row = _create_annotator(session, layer)
    return _Layer(row.name, row.id)


def _in_layer(model: type[Span] | type[Relation], layer: _Layer) -> Any:
    """The WHERE clause selecting the rows of one layer (NULL annotator = gold)."""
    if layer.annotator_id is None:
        return col(model.annotator_id).is_(None)
    return col(model.annotator_id) == layer.annotator_id


def _layer_spans(doc_id: int, layer: _Layer) -> Any:
    return (
        select(Span)
        .where(Span.document_id == doc_id, _in_layer(Span, layer))
        .order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    )


def _actor(layer: str, actor: str | None) -> str | None:
    """Who an edit is logged under: the given actor, else the layer's annotator (gold: nobody)."""
    if actor is not None:
        return actor
    return None if layer == GOLD_LAYER else layer


def _reviewer_id(session: Session, actor: str | None) -> int | None:
    if actor is None:
        return None
    return _resolve_layer(session, actor).annotator_id


def _log(
    session: Session,
    kind: str,
    actor: str | None,
    payload: dict[str, Any],
    *,
    document_id: int | None = None,
    layer: str | None = None,
    span_id: int | None = None,
) -> None:
    """Append an event; it is written at the next flush or commit, in the order logged."""
    session.add(
        Event(
            actor=actor,
            kind=kind,
            document_id=document_id,
            layer=layer,
            span_id=span_id,
            payload=payload,
        )
    )


def _new_span(doc_id: int, layer: _Layer, draft: SpanDraft) -> Span:
    now = utc_now()
    return Span(
        document_id=doc_id,
        annotator_id=layer.annotator_id,
        start=draft.start,
        end=draft.end,
        label=draft.label,
        note=_clean_note(draft.note),
        attrs=dict(draft.attrs),
        origin=draft.origin,
        created_at=now,
        updated_at=now,
    )


def _identical_span(session: Session, doc_id: int, layer: _Layer, draft: SpanDraft) -> Span | None:
    query = select(Span).where(
        Span.document_id == doc_id,
        _in_layer(Span, layer),
        Span.start == draft.start,
        Span.end == draft.end,
        Span.label == draft.label,
    )
    return session.exec(query.order_by(col(Span.id)).limit(1)).first()


def _span_in_layer(session: Session, span_id: int, layer: str) -> tuple[Span, _Layer]:
    row = session.get(Span, span_id)
    if row is None:
        raise StoreError(f"no span {span_id}")
    resolved = _find_layer(session, layer)
    if resolved is None or row.annotator_id != resolved.annotator_id:
        raise StoreError(f"span {span_id} is not in layer {layer}")
    return row, resolved


def _require_span_of(session: Session, span_id: int, doc_id: int, layer: _Layer) -> None:
    row = session.get(Span, span_id)
    if row is None or row.document_id != doc_id or row.annotator_id != layer.annotator_id:
        raise StoreError(f"span {span_id} is not in layer {layer.name} of document {doc_id}")


def _identical_relation(
    session: Session, doc_id: int, layer: _Layer, head_id: int, child_id: int, label: str
) -> Relation | None:
    query = select(Relation).where(
        Relation.document_id == doc_id,
        _in_layer(Relation, layer),
        Relation.head_id == head_id,
        Relation.child_id == child_id,
        Relation.label == label,
    )
    return session.exec(query.limit(1)).first()


def _remove_span(session: Session, row: Span) -> list[dict[str, Any]]:
    """Delete a span and the relations touching it; return those relations' snapshots."""
    touching = session.exec(
        select(Relation).where(or_(Relation.head_id == row.id, Relation.child_id == row.id))
    ).all()
    snapshots = [_relation_snapshot(relation) for relation in touching]
    for relation in touching:
        session.delete(relation)
    session.flush()
    session.delete(row)
    session.flush()
    return snapshots


def _change_note(session: Session, row: Span, note: str | None) -> None:
    row.note = note
    row.updated_at = utc_now()
    session.add(row)
    session.flush()


def _mark_done(
    session: Session,
    doc_id: int,
    layer: _Layer,
    done: bool,
    actor: str | None,
    *,
    fresh: bool = False,
) -> None:
    """Set a done mark; logged only when it changes (`fresh`: the document is new, no mark yet)."""
    annotator_id = _id(layer.annotator_id)
    status = None if fresh else session.get(DocumentStatus, (doc_id, annotator_id))
    if status is not None and status.done == done:
        return
    if status is None:
        status = DocumentStatus(document_id=doc_id, annotator_id=annotator_id)
    status.done = done
    status.updated_at = utc_now()
    session.add(status)
    session.flush()
    _log(session, DONE, actor, {"done": done}, document_id=doc_id, layer=layer.name)


# =============================================================================================
# Import


class _BatchImport:
    """One import_items transaction; remembers resolved layers so each is looked up once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.layers: dict[str, _Layer] = {}

    def item(self, item: ImportItem) -> ImportOutcome:
        """Store one item's document (unless its text is already there) and its layers."""
        sha = text_sha256(item.article.text)
        row = self.session.exec(select(Document).where(Document.text_sha256 == sha)).first()
        created = row is None
        if row is None:
            row = _new_document(item, sha)
            self.session.add(row)
            self.session.flush()
            payload = {"text_sha256": sha, "source_file": item.source_file, "title": row.title}
            _log(self.session, DOCUMENT_IMPORT, None, payload, document_id=row.id)
        doc_id = _id(row.id)
        added = sum(self.layer(doc_id, draft, fresh=created) for draft in item.layers)
        return ImportOutcome(document_id=doc_id, created=created, spans_added=added)

    def layer(self, doc_id: int, draft: LayerDraft, *, fresh: bool) -> int:
        """Add a layer's new spans and relations to a document; return how many spans were new.

        `fresh`: the document was created by this import, so nothing of it exists to compare with.
        """
        layer = self._resolve(draft.annotator)
        existing = [] if fresh else self.session.exec(_layer_spans(doc_id, layer)).all()
        by_key = {(s.start, s.end, s.label): s for s in existing}
        new_spans: list[Span] = []
        for span in draft.spans:
            key = (span.start, span.end, span.label)
            if key not in by_key:
                by_key[key] = _new_span(doc_id, layer, span)
                new_spans.append(by_key[key])
        self.session.add_all(new_spans)
        new_relations = 0
        if draft.relations:
            self.session.flush()  # the relations need the new spans' ids
            local_ids = {s.local_id: by_key[(s.start, s.end, s.label)].id for s in draft.spans}
            new_relations = self._relations(doc_id, layer, draft, local_ids, fresh)
        if draft.done and layer.annotator_id is not None:
            _mark_done(self.session, doc_id, layer, True, None, fresh=fresh)
        if new_spans or new_relations:
            payload = {"spans": len(new_spans), "relations": new_relations}
            _log(self.session, SPANS_IMPORT, None, payload, document_id=doc_id, layer=layer.name)
        return len(new_spans)

    def _resolve(self, name: str) -> _Layer:
        if name not in self.layers:
            self.layers[name] = _resolve_layer(self.session, name)
        return self.layers[name]

    def _relations(
        self,
        doc_id: int,
        layer: _Layer,
        draft: LayerDraft,
        local_ids: dict[str | None, int | None],
        fresh: bool,
    ) -> int:
        query = select(Relation).where(Relation.document_id == doc_id, _in_layer(Relation, layer))
        existing = [] if fresh else self.session.exec(query).all()
        seen = {(r.head_id, r.child_id, r.label) for r in existing}
        added = 0
        for relation in draft.relations:
            head, child = _id(local_ids[relation.head]), _id(local_ids[relation.child])
            if (head, child, relation.label) in seen or head == child:
                continue  # already there, or two drafts that became one span
            seen.add((head, child, relation.label))
            self.session.add(
                Relation(
                    document_id=doc_id,
                    annotator_id=layer.annotator_id,
                    head_id=head,
                    child_id=child,
                    label=relation.label,
                )
            )
            added += 1
        return added


def _new_document(item: ImportItem, sha: str) -> Document:
    article = item.article
    return Document(
        text=article.text,
        text_sha256=sha,
        title=article.title,
        byline=article.byline,
        outlet=article.outlet,
        url=article.url,
        published=article.published,
        extractor=article.extractor,
        extractor_version=article.extractor_version,
        source_file=item.source_file,
        meta=dict(article.meta),
        raw_zlib=zlib.compress(item.raw) if item.raw is not None else None,
    )


# =============================================================================================
# Listing


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
    listing = select(
        Document.id,
        Document.text_sha256,
        Document.title,
        Document.outlet,
        Document.published,
        func.length(Document.text),
    ).order_by(col(Document.id))
    return [
        DocumentSummary(
            id=doc_id,
            ext_id=ext_id(sha),
            title=title,
            outlet=outlet,
            published=published,
            length=length,
            progress=_progress(span_counts[doc_id], done_marks[doc_id], names),
            gold_spans=span_counts[doc_id].get(None, 0),
        )
        for doc_id, sha, title, outlet, published, length in session.exec(listing).all()
    ]


def _progress(
    counts: dict[int | None, int], done: set[int], names: dict[int | None, str]
) -> dict[str, AnnotatorProgress]:
    """Per-annotator progress on one document: those with spans or a done mark, by name."""
    involved = {a for a in counts if a is not None} | done
    progress = {
        names[a]: AnnotatorProgress(spans=counts.get(a, 0), done=a in done) for a in involved
    }
    return dict(sorted(progress.items()))


# =============================================================================================
# Undo / redo


def _edit_history(
    session: Session, doc_id: int, layer: str
) -> tuple[list[Event], list[tuple[Event, Event]]]:
    """Replay the log of one (document, layer) into what can be undone and what can be redone.

    Returns the undo stack (edits, oldest first) and the redo stack (each undone edit with the
    undo event that reverted it, whose payload holds what that revert removed).
    """
    query = select(Event).where(
        Event.document_id == doc_id,
        Event.layer == layer,
        col(Event.kind).in_((*EDIT_KINDS, UNDO, REDO)),
    )
    undoable: list[Event] = []
    redoable: list[tuple[Event, Event]] = []
    for event in session.exec(query.order_by(col(Event.id))).all():
        target = (event.payload or {}).get("target")
        if event.kind in EDIT_KINDS:
            undoable.append(event)
            redoable.clear()
        elif event.kind == UNDO and undoable and undoable[-1].id == target:
            redoable.append((undoable.pop(), event))
        elif event.kind == REDO and redoable and redoable[-1][0].id == target:
            undoable.append(redoable.pop()[0])
    return undoable, redoable


def _describe(event: Event) -> str:
    """A few words naming an edit, e.g. "add claim 12-40"."""
    payload = event.payload or {}
    verb = {
        SPAN_ADD: "add",
        SPAN_DELETE: "delete",
        SPAN_NOTE: "note on",
        RELATION_ADD: "add relation",
        RELATION_DELETE: "delete relation",
    }[event.kind]
    if "relation" in payload:
        return f"{verb} {payload['relation']['label']}"
    span = payload.get("span") or {}
    return f"{verb} {span.get('label', '?')} {span.get('start', '?')}-{span.get('end', '?')}"


def _event_layer(session: Session, event: Event) -> _Layer:
    found = _find_layer(session, event.layer or "")
    if found is None:
        raise StoreError(f"layer {event.layer} of event {event.id} no longer exists")
    return found


def _revert(session: Session, event: Event) -> tuple[str, dict[str, Any]]:
    """Undo one edit; return its description and what the undo event should remember."""
    payload = event.payload or {}
    extra: dict[str, Any] = {}
    if event.kind == SPAN_ADD:
        extra["relations"] = _delete_span_by_id(session, payload["span"]["id"])
    elif event.kind == SPAN_DELETE:
        _restore_span(session, event, payload["span"], payload.get("relations", []))
    elif event.kind == SPAN_NOTE:
        _set_note_by_id(session, payload["span"]["id"], payload.get("before"))
    elif event.kind == RELATION_ADD:
        _delete_relation_by_id(session, payload["relation"]["id"])
    elif event.kind == RELATION_DELETE:
        _restore_relations(session, event, [payload["relation"]])
    return _describe(event), extra


def _reapply(session: Session, event: Event, undo_event: Event) -> str:
    """Redo one undone edit; `undo_event` holds what its undo removed (e.g. relations)."""
    payload = event.payload or {}
    if event.kind == SPAN_ADD:
        removed = (undo_event.payload or {}).get("relations", [])
        _restore_span(session, event, payload["span"], removed)
    elif event.kind == SPAN_DELETE:
        _delete_span_by_id(session, payload["span"]["id"])
    elif event.kind == SPAN_NOTE:
        _set_note_by_id(session, payload["span"]["id"], payload.get("after"))
    elif event.kind == RELATION_ADD:
        _restore_relations(session, event, [payload["relation"]])
    elif event.kind == RELATION_DELETE:
        _delete_relation_by_id(session, payload["relation"]["id"])
    return _describe(event)


def _delete_span_by_id(session: Session, span_id: int) -> list[dict[str, Any]]:
    row = session.get(Span, span_id)
    return _remove_span(session, row) if row is not None else []


def _restore_span(
    session: Session, event: Event, snapshot: dict[str, Any], relations: list[dict[str, Any]]
) -> None:
    """Put a deleted span back with its original id, then the relations it had."""
    if session.get(Span, snapshot["id"]) is None:
        session.add(
            _span_from_snapshot(snapshot, _id(event.document_id), _event_layer(session, event))
        )
        session.flush()
    _restore_relations(session, event, relations)


def _restore_relations(session: Session, event: Event, snapshots: list[dict[str, Any]]) -> None:
    """Put relations back with their ids, skipping any whose spans are gone or that exist."""
    layer = _event_layer(session, event)
    for snapshot in snapshots:
        if session.get(Relation, snapshot["id"]) is not None:
            continue
        if (
            session.get(Span, snapshot["head_id"]) is None
            or session.get(Span, snapshot["child_id"]) is None
        ):
            continue
        session.add(
            Relation(
                id=snapshot["id"],
                document_id=_id(event.document_id),
                annotator_id=layer.annotator_id,
                head_id=snapshot["head_id"],
                child_id=snapshot["child_id"],
                label=snapshot["label"],
            )
        )
    session.flush()


def _set_note_by_id(session: Session, span_id: int, note: str | None) -> None:
    row = session.get(Span, span_id)
    if row is not None:
        _change_note(session, row, note)


def _delete_relation_by_id(session: Session, relation_id: int) -> None:
    row = session.get(Relation, relation_id)
    if row is not None:
        session.delete(row)
        session.flush()


# =============================================================================================
# Export


def _export_chunk(
    session: Session, after: int, selected: _Layer | None
) -> tuple[list[ExportRecord], int | None]:
    """The export records of the next EXPORT_CHUNK documents after id `after`, and the last id.

    `selected` is one layer, or None for every layer. Spans, relations and done marks of the
    whole chunk come in one query each, over the chunk's id range.
    """
    documents = session.exec(
        _documents().where(col(Document.id) > after).order_by(col(Document.id)).limit(EXPORT_CHUNK)
    ).all()
    if not documents:
        return [], None
    low, high = _id(documents[0].id), _id(documents[-1].id)
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    spans = _chunk_rows(session, Span, low, high, selected)
    relations = _chunk_rows(session, Relation, low, high, selected)
    done = _chunk_done(session, low, high, selected)
    layers = _layers_by_document(spans, done)
    records: list[ExportRecord] = []
    for document in documents:
        info = _document_info(document)
        for annotator_id in _ordered_layers(layers.get(info.id, set()), names):
            key = (info.id, annotator_id)
            layer = GOLD_LAYER if annotator_id is None else names[annotator_id]
            records.append(
                ExportRecord(
                    document=info,
                    layer=layer,
                    spans=[_span_info(row, layer, info.text) for row in spans.get(key, [])],
                    relations=[_relation_info(row, layer) for row in relations.get(key, [])],
                    done=key in done,
                )
            )
    return records, high


def _chunk_rows(
    session: Session,
    model: type[Span] | type[Relation],
    low: int,
    high: int,
    selected: _Layer | None,
) -> dict[tuple[int, int | None], list[Any]]:
    """Rows of `model` for documents low..high (of one layer or all), by (document, annotator)."""
    query = select(model).where(col(model.document_id).between(low, high))
    if selected is not None:
        query = query.where(_in_layer(model, selected))
    if model is Span:
        query = query.order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    else:
        query = query.order_by(col(model.id))
    grouped: dict[tuple[int, int | None], list[Any]] = defaultdict(list)
    for row in session.exec(query).all():
        grouped[(row.document_id, row.annotator_id)].append(row)
    return grouped


def _chunk_done(
    session: Session, low: int, high: int, selected: _Layer | None
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
