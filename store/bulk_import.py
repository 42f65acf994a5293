"""One `Store.import_items` transaction, written as a handful of multi-row INSERTs.

An import used to build an ORM object per document, span and event and flush after each
document: most of its time went to SQLAlchemy's unit of work, not to SQLite. Here the batch is
worked out in memory first (which documents are new, which spans and relations are not there
yet, which done marks change) and then written with one multi-row INSERT per table, in the
same order and with the same events as before:

- documents are deduplicated by text sha256, against the database and within the batch;
- a span identical in layer, start, end and label to one already there (stored, or earlier in
  the batch) is not added again; relations likewise, by head, child and label;
- a done mark is written (and logged) only when it changes;
- an actor span's `attrs.entity` names an entity, joined or created (`store.entities`);
- events: `document_import` for each new document, then per layer `done` (when it changed) and
  `spans_import` (when something was added), in the items' order;
- a claim span that carries a check (`SpanDraft.check`) is joined to it (`store.check_import`),
  after every span of the batch is written: an evidence item may point at a span of a record
  later in the batch;
- a fact-check page's ClaimReviews (`item.external_checks`) are stored as external checks,
  deduplicated by URL and claim (`store.external_checks`), after the documents.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from store.check_import import CheckImport, LocalSpan, PendingCheck
from store.column_values import ext_id
from store.entities import EntityJoiner
from store.events import DOCUMENT_IMPORT, DONE, SPANS_IMPORT, event_row
from store.external_checks import ExternalAdded, add_external
from store.import_merge import ENTITY_ATTR, StoredSpan, merge_span
from store.info import ImportOutcome
from store.layer import Layer
from store.queries import resolve_layer, select_columns
from store.row_info import row_id
from store.span_columns import new_span_row
from store.tables import Document, DocumentStatus, Event, Relation, Span, utc_now
from store.writes import insert_rows
from vocabulary.entities import ACTOR_LABEL, parse_entity_ref
from vocabulary.records import ImportItem, LayerDraft, SpanDraft
from vocabulary.text import text_sha256

SpanKey = tuple[int, int, str]  # start, end, label
LayerKey = tuple[int, int | None]  # document id, annotator id (None: gold)
IN_LIST = 500  # ids or hashes per IN (...): well under every database's parameter limit
T = TypeVar("T")


@dataclass
class _ItemAdded:
    """What one item added to a document that was already stored (besides new spans), and the
    values it brought that differ from the stored ones (one line each, not written)."""

    relations: int = 0
    spans_updated: int = 0
    attributes: int = 0
    notes: int = 0
    done_marks: int = 0
    conflicts: list[str] = field(default_factory=list)


@dataclass
class _LayerState:
    """What one (document, layer) holds: span ids by key, relations, and its done mark."""

    spans: dict[SpanKey, int | None] = field(default_factory=dict)  # None: inserted below
    relations: set[tuple[int, int, str]] = field(default_factory=set)
    done: bool | None = None  # None: no mark yet


class BulkImport:
    """Import a batch of items in the caller's transaction (see the module docstring)."""

    def __init__(self, session: Session, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.layers: dict[str, Layer] = {}
        self.states: dict[LayerKey, _LayerState] = {}
        self.events: list[dict[str, Any]] = []
        self.entities = EntityJoiner(session)
        self.stored: dict[int, StoredSpan] = {}  # spans stored before, by id (see import_merge)
        self.span_updates: dict[int, dict[str, Any]] = {}  # id -> the span's new column values
        self.pending: dict[tuple[LayerKey, SpanKey], dict[str, Any]] = {}  # rows to insert
        self.added: list[_ItemAdded] = []

    def run(self, items: Sequence[ImportItem]) -> list[ImportOutcome]:
        for name in sorted({draft.annotator for item in items for draft in item.layers}):
            self.layers[name] = resolve_layer(self.session, name)
        shas = [text_sha256(item.article.text) for item in items]
        doc_ids, created = self._documents(items, shas)
        self._load_existing({doc for doc, new in zip(doc_ids, created, strict=True) if not new})
        self.added = [_ItemAdded() for _ in items]
        added = self._spans(items, doc_ids)
        self._update_spans()
        self._checks(items, doc_ids)
        for item, sha, doc_id, new, counts, more in zip(
            items, shas, doc_ids, created, added, self.added, strict=True
        ):
            if new:
                self._log(DOCUMENT_IMPORT, _import_payload(item, sha), doc_id)
            for draft, count in zip(item.layers, counts, strict=True):
                self._layer_rest(doc_id, draft, count, more)
        insert_rows(self.session, Event, self.events)
        external = [
            add_external(self.session, item.external_checks, item.source_file, self.actor)
            if item.external_checks
            else ExternalAdded(0, 0)
            for item in items
        ]
        return [
            ImportOutcome(
                doc_id,
                new,
                sum(counts),
                reviews.added,
                reviews.duplicates,
                relations_added=more.relations,
                spans_updated=more.spans_updated,
                attributes_added=more.attributes,
                notes_added=more.notes,
                done_marked=more.done_marks,
                conflicts=tuple(more.conflicts),
            )
            for doc_id, new, counts, reviews, more in zip(
                doc_ids, created, added, external, self.added, strict=True
            )
        ]

    # -- documents ----------------------------------------------------------------------------

    def _documents(
        self, items: Sequence[ImportItem], shas: list[str]
    ) -> tuple[list[int], list[bool]]:
        """Each item's document id, and whether this import created it (first of its text)."""
        stored = self._document_ids(sorted(set(shas)))
        new_rows: dict[str, dict[str, Any]] = {}
        for item, sha in zip(items, shas, strict=True):
            if sha not in stored and sha not in new_rows:
                new_rows[sha] = _document_row(item, sha)
        if new_rows:
            insert_rows(self.session, Document, list(new_rows.values()))
            stored.update(self._document_ids(sorted(new_rows)))
        created, first = [], set()
        for sha in shas:
            created.append(sha in new_rows and sha not in first)
            first.add(sha)
        return [stored[sha] for sha in shas], created

    def _document_ids(self, shas: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in _parts(shas):
            query = select(Document.text_sha256, Document.id).where(
                col(Document.text_sha256).in_(part)
            )
            found.update({sha: row_id(doc_id) for sha, doc_id in self.session.exec(query)})
        return found

    def _load_existing(self, doc_ids: set[int]) -> None:
        """The spans, relations and done marks already stored for documents seen before."""
        self._load_span_ids(doc_ids)
        for part in _parts(sorted(doc_ids)):
            relations = select_columns(
                Relation.document_id,
                Relation.annotator_id,
                Relation.head_id,
                Relation.child_id,
                Relation.label,
            ).where(col(Relation.document_id).in_(part))
            for doc_id, annotator_id, head, child, label in self.session.exec(relations):
                self._state(doc_id, annotator_id).relations.add((head, child, label))
            marks = select(
                DocumentStatus.document_id, DocumentStatus.annotator_id, DocumentStatus.done
            ).where(col(DocumentStatus.document_id).in_(part))
            for doc_id, annotator_id, done in self.session.exec(marks):
                self._state(doc_id, annotator_id).done = bool(done)

    def _load_span_ids(self, doc_ids: set[int]) -> None:
        """The ids of the documents' stored spans, for the keys that have none yet (the first
        span of a key, should a layer hold two alike)."""
        for part in _parts(sorted(doc_ids)):
            query = select_columns(
                Span.document_id,
                Span.annotator_id,
                Span.start,
                Span.end,
                Span.label,
                Span.id,
                Span.note,
                Span.attrs,
                Span.entity_id,
            ).where(col(Span.document_id).in_(part))
            for doc_id, annotator_id, start, end, label, span_id, *rest in self.session.exec(
                query.order_by(col(Span.id))
            ):
                spans = self._state(doc_id, annotator_id).spans
                if spans.get((start, end, label)) is None:
                    spans[(start, end, label)] = span_id
                    if span_id not in self.stored:
                        note, attrs, entity_id = rest
                        self.stored[span_id] = StoredSpan(note, dict(attrs or {}), entity_id)

    # -- spans, relations, done marks ---------------------------------------------------------

    def _spans(self, items: Sequence[ImportItem], doc_ids: list[int]) -> list[list[int]]:
        """Insert every new span of the batch; returns how many each item's layers added."""
        rows: list[dict[str, Any]] = []
        added: list[list[int]] = []
        for item, doc_id, more in zip(items, doc_ids, self.added, strict=True):
            counts = []
            for draft in item.layers:
                layer = self.layers[draft.annotator]
                state = self._state(doc_id, layer.annotator_id)
                before = len(rows)
                for span in draft.spans:
                    key = (span.start, span.end, span.label)
                    if key not in state.spans:
                        state.spans[key] = None
                        row = new_span_row(doc_id, layer, span)
                        self.entities.name_row(row, item.article.text)
                        rows.append(row)
                        self.pending[((doc_id, layer.annotator_id), key)] = row
                    else:
                        self._add_to_span(doc_id, layer, state.spans[key], span, item, more)
                counts.append(len(rows) - before)
            added.append(counts)
        insert_rows(self.session, Span, rows)
        if rows and any(
            draft.relations or any(span.check for span in draft.spans)
            for item in items
            for draft in item.layers
        ):
            # Relations and checks name spans by id: read back those just written (RETURNING
            # would have to come one row at a time to be sure of their order).
            self._load_span_ids({row["document_id"] for row in rows})
        return added

    def _add_to_span(
        self,
        doc_id: int,
        layer: Layer,
        span_id: int | None,
        span: SpanDraft,
        item: ImportItem,
        more: _ItemAdded,
    ) -> None:
        """What `span` says about a span already there (stored, or earlier in this batch) that
        the store does not know yet: see `store.import_merge`."""
        key = (span.start, span.end, span.label)
        row = self.pending.get(((doc_id, layer.annotator_id), key)) if span_id is None else None
        if row is not None:  # a twin earlier in the batch: still one new span, completed
            twin = StoredSpan(row["note"], row["attrs"], row.get("entity_id"))
            merge = merge_span(twin, span, layer.name)
            if merge.note is not None:
                row["note"] = merge.note
                more.notes += 1
            row["attrs"] = {**row["attrs"], **merge.attrs}
            more.attributes += len(merge.attrs)
            more.conflicts.extend(merge.conflicts)
            return
        stored = self.stored.get(span_id) if span_id is not None else None
        if stored is None or span_id is None:
            return
        merge = merge_span(stored, span, layer.name)
        more.conflicts.extend(merge.conflicts)
        entity = self._entity_for(stored, span, layer, item, more)
        if not merge.changes and entity is None:
            return
        if merge.note is not None:
            stored.note = merge.note
            more.notes += 1
        stored.attrs = {**stored.attrs, **merge.attrs}
        more.attributes += len(merge.attrs)
        if entity is not None:
            stored.entity_id = entity
            more.attributes += 1
        if span_id not in self.span_updates:
            more.spans_updated += 1
        self.span_updates[span_id] = {
            "id": span_id,
            "note": stored.note,
            "attrs": dict(stored.attrs),
            "entity_id": stored.entity_id,
            "updated_at": utc_now(),
        }

    def _entity_for(
        self, stored: StoredSpan, span: SpanDraft, layer: Layer, item: ImportItem, more: _ItemAdded
    ) -> int | None:
        """The entity an actor span's `attrs.entity` names, if the stored span names none yet;
        a different one than it names is reported, not written."""
        if span.label != ACTOR_LABEL or ENTITY_ATTR not in span.attrs:
            return None
        entity = self.entities.entity_id(parse_entity_ref(span.attrs[ENTITY_ATTR]))
        if stored.entity_id is None:
            return entity
        if stored.entity_id != entity:
            more.conflicts.append(
                f"{span.label} span {span.start}-{span.end} of {layer.name}: it names another "
                "entity in the store; kept the stored entity"
            )
        return None

    def _update_spans(self) -> None:
        if self.span_updates:
            self.session.execute(update(Span), list(self.span_updates.values()))

    def _checks(self, items: Sequence[ImportItem], doc_ids: list[int]) -> None:
        """Join the batch's claim spans that carry a check to it (`store.check_import`)."""
        pending: list[PendingCheck] = []
        local_spans: dict[tuple[str, str], LocalSpan] = {}
        wanted = {
            (e.document, e.span)
            for item in items
            for draft in item.layers
            for span in draft.spans
            if span.check is not None
            for e in span.check.evidence
            if e.document is not None and e.span is not None
        }
        for item, doc_id in zip(items, doc_ids, strict=True):
            document = ext_id(text_sha256(item.article.text))
            for draft in item.layers:
                state = self._state(doc_id, self.layers[draft.annotator].annotator_id)
                for span in draft.spans:
                    span_id = state.spans.get((span.start, span.end, span.label))
                    if span_id is None or (
                        span.check is None and (document, span.local_id) not in wanted
                    ):
                        continue
                    text = item.article.text[span.start : span.end]
                    stored = LocalSpan(span_id, doc_id, span.start, span.end, text)
                    if (document, span.local_id) in wanted:
                        local_spans[(document, str(span.local_id))] = stored
                    if span.check is not None:
                        pending.append(PendingCheck(stored, span, _item_name(item)))
        if pending:
            CheckImport(self.session, self.entities).run(pending, local_spans)

    def _layer_rest(
        self, doc_id: int, draft: LayerDraft, spans_added: int, more: _ItemAdded
    ) -> None:
        """A layer's relations and done mark, and its events (its spans are in already)."""
        layer = self.layers[draft.annotator]
        state = self._state(doc_id, layer.annotator_id)
        relations = self._relations(doc_id, layer, draft, state)
        more.relations += relations
        if draft.done and layer.annotator_id is not None and state.done is not True:
            self._mark_done(doc_id, layer, state)
            more.done_marks += 1
        if spans_added or relations:
            payload = {"spans": spans_added, "relations": relations}
            self._log(SPANS_IMPORT, payload, doc_id, layer.name)

    def _relations(self, doc_id: int, layer: Layer, draft: LayerDraft, state: _LayerState) -> int:
        ids = {s.local_id: state.spans[(s.start, s.end, s.label)] for s in draft.spans}
        rows = []
        for relation in draft.relations:
            head, child = ids[relation.head], ids[relation.child]
            key = (head, child, relation.label)
            if head is None or child is None or key in state.relations or head == child:
                continue  # already there, or two drafts that became one span
            state.relations.add((head, child, relation.label))
            rows.append(
                {
                    "document_id": doc_id,
                    "annotator_id": layer.annotator_id,
                    "head_id": head,
                    "child_id": child,
                    "label": relation.label,
                    "created_at": utc_now(),
                }
            )
        insert_rows(self.session, Relation, rows)
        return len(rows)

    def _mark_done(self, doc_id: int, layer: Layer, state: _LayerState) -> None:
        values = {"done": True, "updated_at": utc_now()}
        if state.done is None:
            row = {"document_id": doc_id, "annotator_id": layer.annotator_id, **values}
            insert_rows(self.session, DocumentStatus, [row])
        else:
            self.session.execute(
                update(DocumentStatus)
                .where(
                    col(DocumentStatus.document_id) == doc_id,
                    col(DocumentStatus.annotator_id) == layer.annotator_id,
                )
                .values(**values)
            )
        state.done = True
        self._log(DONE, {"done": True}, doc_id, layer.name)

    # -- helpers ------------------------------------------------------------------------------

    def _state(self, doc_id: int, annotator_id: int | None) -> _LayerState:
        key = (doc_id, annotator_id)
        if key not in self.states:
            self.states[key] = _LayerState()
        return self.states[key]

    def _log(
        self, kind: str, payload: dict[str, Any], doc_id: int, layer: str | None = None
    ) -> None:
        self.events.append(event_row(kind, None, payload, document_id=doc_id, layer=layer))


def _document_row(item: ImportItem, sha: str) -> dict[str, Any]:
    """A new document's column values (every one: a Core INSERT applies no model defaults)."""
    article = item.article
    return {
        "text": article.text,
        "text_sha256": sha,
        "title": article.title,
        "byline": article.byline,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published,
        "imported_at": utc_now(),
        "extractor": article.extractor,
        "extractor_version": article.extractor_version,
        "source_file": item.source_file,
        "meta": dict(article.meta),
        "raw_zlib": zlib.compress(item.raw) if item.raw is not None else None,
    }


def _item_name(item: ImportItem) -> str:
    """How an error names an item: its file, and its line in it where known."""
    name = item.source_file or "input"
    return f"{name}: line {item.line}" if item.line is not None else name


def _import_payload(item: ImportItem, sha: str) -> dict[str, Any]:
    return {"text_sha256": sha, "source_file": item.source_file, "title": item.article.title}


def _parts(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), IN_LIST):
        yield values[start : start + IN_LIST]
