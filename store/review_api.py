"""The Store's review methods: roles, adjudication into gold, assignments (mixed into `Store`).

Every gold write names its reviewer (the `reviewer` argument, else the store's user) and checks in
the same transaction that they are a reviewer or an admin, so no path writes gold unchecked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from sqlmodel import Session, col, select

from review.adjudication import NOTHING, Carried
from review.alignment import SpanKey
from review.relation_review import RelationKey
from store.assignments import assign_documents, assignments_of
from store.engine import Database
from store.errors import PermissionDenied, StoreError
from store.gold import (
    auto_adjudicate_documents,
    decisions_of,
    edit_extent,
    mark_adjudicated,
    provenance_of,
    put_in_gold,
    reject,
    review_status,
    review_statuses,
)
from store.gold_relations import (
    auto_adjudicate_relations,
    gold_relation_sources,
    put_relation_in_gold,
    reject_relations,
    relation_decisions_of,
)
from store.history import redo_last, undo_last
from store.info import (
    AnnotatorInfo,
    AssignSummary,
    AutoSummary,
    RelationInfo,
    ReviewDocument,
    ReviewStatus,
    SpanInfo,
)
from store.queries import all_document_ids, annotator_named, document_row
from store.roles import require_reviewer
from store.roles import set_role as change_role
from store.row_info import annotator_info, document_info, relation_info
from store.span_columns import span_info
from store.tables import Annotator, Assignment, Document, DocumentStatus, Relation, Span
from store.validation import check_annotator_name, check_label
from vocabulary.names import GOLD_LAYER

BATCH = 500  # documents per write transaction in auto-adjudication


class StoreHost(Protocol):
    """What the review methods need of the class they are mixed into (`store.Store`)."""

    @property
    def user(self) -> str | None: ...

    @property
    def _db(self) -> Database: ...


class ReviewMethods(StoreHost):
    """Roles, gold adjudication and assignments; part of `store.Store`."""

    # -- roles ---------------------------------------------------------------------------------

    def role_of(self, name: str) -> str | None:
        """The role of the annotator called `name`, or None if there is none."""

        def work(session: Session) -> str | None:
            row = annotator_named(session, name)
            return row.role if row is not None else None

        return self._db.read(work)

    def check_reviewer(self, name: str | None = None, doing: str = "review") -> AnnotatorInfo:
        """`name` (default: the user), registered if new; PermissionDenied unless they review."""
        who = self._reviewer(name)

        def work(session: Session) -> AnnotatorInfo:
            return annotator_info(require_reviewer(session, who, doing))

        return self._db.write(work)

    def set_role(self, name: str, role: str, *, actor: str | None = None) -> AnnotatorInfo:
        """Add `name` with `role`, or change their role; only an admin may once one exists."""
        check_annotator_name(name)
        acting = actor or self.user
        if acting is None:
            raise StoreError("changing roles needs to know who is doing it (an actor)")
        check_annotator_name(acting)

        def work(session: Session) -> AnnotatorInfo:
            return annotator_info(change_role(session, name, role, acting))

        return self._db.write(work)

    # -- reading for review --------------------------------------------------------------------

    def review_document(self, doc_id: int) -> ReviewDocument:
        """A document with its done layers, pending annotators, gold spans and decisions."""
        return self._db.read(lambda session: _review_document(session, doc_id))

    def review_statuses(self) -> dict[int, ReviewStatus]:
        """Adjudication marks of the documents that have one (others are not adjudicated)."""
        return self._db.read(review_statuses)

    # -- gold writes ---------------------------------------------------------------------------

    def accept_span(
        self,
        doc_id: int,
        start: int,
        end: int,
        label: str,
        *,
        reviewer: str | None = None,
        from_annotators: Sequence[str] = (),
        replace: Sequence[int] = (),
        edited: bool = False,
        carried: Carried = NOTHING,
    ) -> SpanInfo:
        """Put an annotator's version into gold (gold_source "accepted"; "edited" when the reviewer
        changed its extent), in place of the gold spans `replace`, with the note, attributes and
        entity `carried` takes from it (recorded in the event, with whose they were)."""
        source = "edited" if edited else "accepted"
        key = (start, end, label)
        return self._gold_add(doc_id, key, reviewer, source, from_annotators, replace, carried)

    def add_gold_span(
        self, doc_id: int, start: int, end: int, label: str, *, reviewer: str | None = None
    ) -> SpanInfo:
        """A gold span no annotator's version stands behind (gold_source "added")."""
        return self._gold_add(doc_id, (start, end, label), reviewer, "added", (), ())

    def _gold_add(
        self,
        doc_id: int,
        key: SpanKey,
        reviewer: str | None,
        source: str,
        from_annotators: Sequence[str],
        replace: Sequence[int],
        carried: Carried = NOTHING,
    ) -> SpanInfo:
        check_label(key[2])
        who = self._reviewer(reviewer)

        def work(session: Session) -> SpanInfo:
            row = require_reviewer(session, who, "write the gold layer")
            span = put_in_gold(
                session,
                doc_id,
                key,
                source=source,
                reviewer=row,
                from_annotators=from_annotators,
                replace=replace,
                carried=carried,
            )
            return _gold_info(session, span)

        return self._db.write(work)

    def reject_spans(
        self, doc_id: int, keys: Iterable[SpanKey], *, reviewer: str | None = None
    ) -> int:
        """Keep these (start, end, label) spans out of gold, now and in auto-adjudication."""
        wanted: list[SpanKey] = [(start, end, label) for start, end, label in keys]
        who = self._reviewer(reviewer)

        def work(session: Session) -> int:
            row = require_reviewer(session, who, "write the gold layer")
            return reject(session, doc_id, wanted, row)

        return self._db.write(work)

    def accept_relation(
        self,
        doc_id: int,
        head_id: int,
        child_id: int,
        label: str,
        *,
        reviewer: str | None = None,
        from_annotators: Sequence[str] = (),
    ) -> RelationInfo:
        """Link two gold spans as `from_annotators` linked their versions (one undoable event)."""
        check_label(label)
        who = self._reviewer(reviewer)

        def work(session: Session) -> RelationInfo:
            row = require_reviewer(session, who, "write the gold layer")
            link = put_relation_in_gold(
                session, doc_id, head_id, child_id, label, row, from_annotators
            )
            return relation_info(link, GOLD_LAYER)

        return self._db.write(work)

    def reject_relations(
        self, doc_id: int, keys: Iterable[RelationKey], *, reviewer: str | None = None
    ) -> int:
        """Keep these relations ((head key, child key, label)) out of gold, now and in
        auto-adjudication; gold relations equal to one are removed."""
        wanted: list[RelationKey] = [
            ((h[0], h[1], h[2]), (c[0], c[1], c[2]), label) for h, c, label in keys
        ]
        who = self._reviewer(reviewer)

        def work(session: Session) -> int:
            row = require_reviewer(session, who, "write the gold layer")
            return reject_relations(session, doc_id, wanted, row)

        return self._db.write(work)

    def edit_gold_span(
        self, span_id: int, start: int, end: int, *, reviewer: str | None = None
    ) -> SpanInfo:
        """Move a gold span's boundaries (gold_source becomes "edited")."""
        who = self._reviewer(reviewer)

        def work(session: Session) -> SpanInfo:
            row = require_reviewer(session, who, "write the gold layer")
            return _gold_info(session, edit_extent(session, span_id, start, end, row))

        return self._db.write(work)

    def set_adjudicated(
        self, doc_id: int, adjudicated: bool = True, *, reviewer: str | None = None
    ) -> bool:
        """Mark a document adjudicated (or not); True if the mark changed."""
        who = self._reviewer(reviewer)

        def work(session: Session) -> bool:
            row = require_reviewer(session, who, "adjudicate documents")
            return mark_adjudicated(session, doc_id, adjudicated, row)

        return self._db.write(work)

    def undo_gold(self, doc_id: int, *, reviewer: str | None = None) -> str | None:
        """Undo the last edit of the document's gold layer (any reviewer's, auto's included)."""
        return self._gold_history(doc_id, reviewer, undo_last)

    def redo_gold(self, doc_id: int, *, reviewer: str | None = None) -> str | None:
        return self._gold_history(doc_id, reviewer, redo_last)

    def _gold_history(
        self,
        doc_id: int,
        reviewer: str | None,
        step: Callable[[Session, int, str, str | None], str | None],
    ) -> str | None:
        who = self._reviewer(reviewer)

        def work(session: Session) -> str | None:
            require_reviewer(session, who, "write the gold layer")
            document_row(session, doc_id)
            return step(session, doc_id, GOLD_LAYER, who)

        return self._db.write(work)

    def auto_adjudicate(
        self,
        min_agree: int,
        *,
        reviewer: str | None = None,
        documents: Sequence[int] | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> AutoSummary:
        """Put into gold every span at least `min_agree` annotators (who marked the document done)
        marked identically; gold_source "auto". Skips adjudicated documents, spans a reviewer
        rejected or edited, and spans rivalling gold or each other. Safe to run again.

        Commits every BATCH documents; `on_batch(n)` is told how many each batch held.
        """
        if min_agree < 1:
            raise ValueError(f"--min-agree must be at least 1, not {min_agree}")
        who = self._reviewer(reviewer)
        self.check_reviewer(who, "adjudicate documents")
        doc_ids = list(documents) if documents is not None else self._document_ids()
        totals: dict[str, int] = defaultdict(int)
        for first in range(0, len(doc_ids), BATCH):
            batch = doc_ids[first : first + BATCH]

            def work(session: Session, batch: list[int] = batch) -> dict[str, int]:
                row = require_reviewer(session, who, "adjudicate documents")
                counts = auto_adjudicate_documents(session, batch, min_agree, row)
                # Links after spans: a span just put into gold can be an end of one.
                counts.update(auto_adjudicate_relations(session, batch, min_agree, row))
                return counts

            for key, count in self._db.write(work).items():
                totals[key] += count
            if on_batch is not None:
                on_batch(len(batch))
        return AutoSummary(**{field: totals[field] for field in _AUTO_FIELDS})

    # -- assignments ---------------------------------------------------------------------------

    def assign(
        self,
        annotators: Sequence[str],
        per_document: int,
        *,
        documents: Sequence[int] | None = None,
        actor: str | None = None,
    ) -> AssignSummary:
        """Give each document (default: all) `per_document` of `annotators` (registered if new),
        least-loaded first; current assignments count. Reviewers and admins only."""
        for name in annotators:
            check_annotator_name(name)
        who = self._reviewer(actor)

        def work(session: Session) -> AssignSummary:
            acting = require_reviewer(session, who, "assign documents")
            return assign_documents(session, annotators, per_document, documents, acting)

        return self._db.write(work)

    def assignments(self, annotator: str | None = None) -> dict[int, tuple[str, ...]]:
        """Each assigned document's annotators (sorted); only `annotator`'s documents if given."""

        return self._db.read(lambda session: assignments_of(session, annotator))

    # -- helpers -------------------------------------------------------------------------------

    def _reviewer(self, name: str | None) -> str:
        """Who a review action is by: `name`, else the user; it must be the user if both exist."""
        who = name or self.user
        if who is None:
            raise StoreError("a review action needs to know who the reviewer is")
        if self.user is not None and who != self.user:
            raise PermissionDenied(f"{self.user} cannot act as {who}")
        check_annotator_name(who)
        return who

    def _document_ids(self) -> list[int]:
        return self._db.read(all_document_ids)


_AUTO_FIELDS = (
    "documents",
    "added",
    "documents_changed",
    "already_in_gold",
    "decided",
    "conflicting",
    "adjudicated_skipped",
    "relations_added",
    "relations_already_in_gold",
    "relations_decided",
    "relations_ends_not_in_gold",
    "added_beside_rival",
    "notes_carried",
    "attrs_carried",
    "values_left_out",
)


def _gold_info(session: Session, row: Span) -> SpanInfo:
    text = session.exec(select(Document.text).where(Document.id == row.document_id)).one()
    return span_info(row, GOLD_LAYER, text)


def _review_document(session: Session, doc_id: int) -> ReviewDocument:
    document = document_info(document_row(session, doc_id))
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    done = {
        names[annotator_id]
        for annotator_id in session.exec(
            select(DocumentStatus.annotator_id).where(
                DocumentStatus.document_id == doc_id, col(DocumentStatus.done).is_(True)
            )
        ).all()
    }
    assigned = {
        names[annotator_id]
        for annotator_id in session.exec(
            select(Assignment.annotator_id).where(Assignment.document_id == doc_id)
        ).all()
    }
    rows = session.exec(
        select(Span)
        .where(Span.document_id == doc_id)
        .order_by(col(Span.start), col(Span.end), col(Span.label), col(Span.id))
    ).all()
    layers: dict[str, list[SpanInfo]] = {name: [] for name in sorted(done)}
    gold_rows: list[Span] = []
    marked: set[str] = set()
    for row in rows:
        if row.annotator_id is None:
            gold_rows.append(row)
            continue
        name = names[row.annotator_id]
        marked.add(name)
        if name in layers:
            layers[name].append(span_info(row, name, document.text))
    relations: dict[str, list[RelationInfo]] = {name: [] for name in layers}
    gold_relations: list[RelationInfo] = []
    links = session.exec(
        select(Relation).where(Relation.document_id == doc_id).order_by(col(Relation.id))
    ).all()
    for link in links:
        if link.annotator_id is None:
            gold_relations.append(relation_info(link, GOLD_LAYER))
        elif names[link.annotator_id] in relations:
            name = names[link.annotator_id]
            relations[name].append(relation_info(link, name))
    return ReviewDocument(
        document=document,
        layers=layers,
        pending=tuple(sorted((assigned | marked) - done)),
        gold=[span_info(row, GOLD_LAYER, document.text) for row in gold_rows],
        provenance=provenance_of(session, doc_id, gold_rows),
        decisions=decisions_of(session, doc_id),
        status=review_status(session, doc_id),
        relations=relations,
        gold_relations=gold_relations,
        relation_sources=gold_relation_sources(session, doc_id),
        relation_decisions=relation_decisions_of(session, doc_id),
    )
