"""The Store's review methods: roles, adjudication into gold, assignments (mixed into `Store`).

Every gold write names its reviewer (the `reviewer` argument, else the store's user) and checks in
the same transaction that they are a reviewer or an admin, so no path writes gold unchecked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from review.alignment import SpanKey
from review.assignment import plan_assignments
from store.engine import StoreError
from store.events import ASSIGN, log_event
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
from store.history import redo_last, undo_last
from store.info import (
    AnnotatorInfo,
    AssignSummary,
    AutoSummary,
    ReviewDocument,
    ReviewStatus,
    SpanInfo,
)
from store.queries import annotator_named, document_row
from store.roles import PermissionDenied, person, require_reviewer
from store.roles import set_role as change_role
from store.row_info import annotator_info, document_info, row_id
from store.span_columns import span_info
from store.tables import Annotator, Assignment, Document, DocumentStatus, Span, utc_now
from store.validation import check_annotator_name, check_label
from store.writes import insert_rows
from vocabulary.names import GOLD_LAYER

if TYPE_CHECKING:
    from store.engine import Database

BATCH = 500  # documents per write transaction in auto-adjudication and assignment


class ReviewMethods:
    """Roles, gold adjudication and assignments; part of `store.Store`."""

    _user: str | None

    if TYPE_CHECKING:

        @property
        def _db(self) -> Database: ...

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
        acting = actor or self._user
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
    ) -> SpanInfo:
        """Put an annotator's version into gold (gold_source "accepted"; "edited" when the reviewer
        changed its extent), in place of the gold spans `replace`."""
        source = "edited" if edited else "accepted"
        key = (start, end, label)
        return self._gold_add(doc_id, key, reviewer, source, from_annotators, replace)

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
            )
            return _gold_info(session, span)

        return self._db.write(work)

    def reject_spans(
        self, doc_id: int, keys: Iterable[SpanKey], *, reviewer: str | None = None
    ) -> int:
        """Keep these (start, end, label) spans out of gold, now and in auto-adjudication."""
        wanted = [tuple(key) for key in keys]
        who = self._reviewer(reviewer)

        def work(session: Session) -> int:
            row = require_reviewer(session, who, "write the gold layer")
            return reject(session, doc_id, wanted, row)  # type: ignore[arg-type]

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
                return auto_adjudicate_documents(session, batch, min_agree, row)

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
            ids = list(documents) if documents is not None else _all_document_ids(session)
            rows = {name: person(session, name) for name in annotators}
            plan = plan_assignments(
                ids, list(annotators), per_document, *_current_assignments(session, rows)
            )
            return _store_plan(session, plan, rows, acting, per_document)

        return self._db.write(work)

    def assignments(self, annotator: str | None = None) -> dict[int, tuple[str, ...]]:
        """Each assigned document's annotators (sorted); only `annotator`'s documents if given."""

        def work(session: Session) -> dict[int, tuple[str, ...]]:
            names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
            query = select(Assignment.document_id, Assignment.annotator_id)
            assigned: dict[int, list[str]] = defaultdict(list)
            for doc_id, annotator_id in session.exec(query).all():
                assigned[doc_id].append(names[annotator_id])
            return {
                doc_id: tuple(sorted(found))
                for doc_id, found in sorted(assigned.items())
                if annotator is None or annotator in found
            }

        return self._db.read(work)

    # -- helpers -------------------------------------------------------------------------------

    def _reviewer(self, name: str | None) -> str:
        """Who a review action is by: `name`, else the user; it must be the user if both exist."""
        who = name or self._user
        if who is None:
            raise StoreError("a review action needs to know who the reviewer is")
        if self._user is not None and who != self._user:
            raise PermissionDenied(f"{self._user} cannot act as {who}")
        check_annotator_name(who)
        return who

    def _document_ids(self) -> list[int]:
        return self._db.read(_all_document_ids)


_AUTO_FIELDS = (
    "documents",
    "added",
    "documents_changed",
    "already_in_gold",
    "decided",
    "conflicting",
    "adjudicated_skipped",
)


def _all_document_ids(session: Session) -> list[int]:
    return list(session.exec(select(Document.id).order_by(col(Document.id))).all())


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
    return ReviewDocument(
        document=document,
        layers=layers,
        pending=tuple(sorted((assigned | marked) - done)),
        gold=[span_info(row, GOLD_LAYER, document.text) for row in gold_rows],
        provenance=provenance_of(session, doc_id, gold_rows),
        decisions=decisions_of(session, doc_id),
        status=review_status(session, doc_id),
    )


def _current_assignments(
    session: Session, rows: dict[str, Annotator]
) -> tuple[dict[int, set[str]], dict[str, int]]:
    """Every document's assignees among `rows`, and each one's number of assignments."""
    by_id = {row_id(row.id): name for name, row in rows.items()}
    query = select(Assignment.document_id, Assignment.annotator_id).where(
        col(Assignment.annotator_id).in_(list(by_id))
    )
    existing: dict[int, set[str]] = defaultdict(set)
    load: dict[str, int] = defaultdict(int)
    for doc_id, annotator_id in session.exec(query).all():
        existing[doc_id].add(by_id[annotator_id])
        load[by_id[annotator_id]] += 1
    return existing, load


def _store_plan(
    session: Session,
    plan: dict[int, list[str]],
    rows: dict[str, Annotator],
    acting: Annotator,
    per_document: int,
) -> AssignSummary:
    known = set(_all_document_ids(session))
    missing = sorted(set(plan) - known)
    if missing:
        raise StoreError(f"no document {missing[0]}")
    added: dict[str, int] = {name: 0 for name in rows}
    now = utc_now()
    new_rows = []
    for doc_id, names in plan.items():
        for name in names:
            new_rows.append(
                {
                    "document_id": doc_id,
                    "annotator_id": rows[name].id,
                    "assigned_at": now,
                    "assigned_by": acting.id,
                }
            )
            added[name] += 1
    session.flush()
    insert_rows(session, Assignment, new_rows)
    log_event(
        session,
        ASSIGN,
        acting.name,
        {"annotators": list(rows), "per_document": per_document, "added": added},
    )
    _, load = _current_assignments(session, rows)
    return AssignSummary(documents=len(plan), added=added, load={n: load[n] for n in rows})
