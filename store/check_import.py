"""Imported checks, inside the import's transaction (`store.bulk_import`).

A claim span of an imported record may carry a check (`SpanDraft.check`, from formats.md's
`attrs.check` or an old-style `attrs.verdict`). Spans whose records carry the same check id
join one check: the first copy creates it (its claim, status, assignee, claimant, verdict,
who signed it off, and evidence), later copies only add their span as an appearance. A copy that
differs from the first (in this import, or from the check already stored under that id) is a
ValueError naming the record, so the record fails alone and nothing of it is kept. An evidence
item pointing at a span of another document (`document` "d-…", `span` "s-…", the span's id in
the same file) is linked to that span when the same import brings it, else to the document.

A check a file names with an id already taken by a check this import did not create and whose
fields agree is the same check: re-importing an export adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from store.column_values import ext_id
from store.entities import EntityJoiner
from store.events import CHECK_APPEARANCE_ADD, CHECK_CREATE, check_event_row
from store.queries import annotator_named, create_annotator
from store.row_info import row_id
from store.tables import (
    Annotator,
    Check,
    CheckAppearance,
    Document,
    Entity,
    Event,
    Evidence,
    utc_now,
)
from store.writes import insert_rows
from vocabulary.check_records import CheckRecord, EvidenceRecord
from vocabulary.checks import DEFAULT_STATUSES, new_check_uid, new_evidence_uid
from vocabulary.records import SpanDraft

LocalSpan = tuple[str, str]  # (document id "d-…", span id in the file "s-…")


@dataclass(frozen=True)
class PendingCheck:
    """An imported span that is an appearance of a check, once its span id is known."""

    span_id: int
    document_text: str
    draft: SpanDraft
    where: str  # how errors name the record ("file.jsonl: line 3")


class CheckImport:
    """Joins imported appearances to their checks (see the module docstring)."""

    def __init__(self, session: Session, entities: EntityJoiner) -> None:
        self.session = session
        self.entities = entities
        self.created: dict[str, tuple[CheckRecord, str]] = {}  # uid -> first copy, its record
        self.annotators: dict[str, int] = {}
        self.events: list[dict[str, Any]] = []

    def run(self, pending: Sequence[PendingCheck], local_spans: dict[LocalSpan, int]) -> None:
        """Create or join each pending span's check; then write the events."""
        for item in pending:
            self._join(item, local_spans)
        insert_rows(self.session, Event, self.events)

    def _join(self, item: PendingCheck, local_spans: dict[LocalSpan, int]) -> None:
        record = item.draft.check
        assert record is not None  # only spans with a check are pending
        taken = self._appearance_of(item.span_id)
        if record.uid is None:  # an old-style verdict: a check of its own, once
            if taken is None:
                self._create(record, new_check_uid(), item, local_spans)
            return
        row = self._check_row(record.uid)
        if row is None:
            self._create(record, record.uid, item, local_spans)
            return
        self._same_as_stored(record, row, item)
        if taken is None:
            self._attach(row_id(row.id), record.uid, item.span_id)
        elif taken != row.id:
            raise ValueError(f"{item.where}: its claim span is already an appearance of another check")

    # -- creating ------------------------------------------------------------------------------

    def _create(
        self, record: CheckRecord, uid: str, item: PendingCheck, local_spans: dict[LocalSpan, int]
    ) -> None:
        now = utc_now()
        span = item.draft
        claim = record.claim or " ".join(item.document_text[span.start : span.end].split())
        row = Check(
            uid=uid,
            claim=claim,
            status=record.status or DEFAULT_STATUSES[0],
            assignee_id=self._annotator(record.assignee),
            claimant_id=self._claimant(record.claimant),
            rating=record.rating,
            rating_value=record.rating_value,
            explanation=record.explanation,
            summary=record.summary,
            url=record.url,
            date=record.date,
            reviewed_by_id=self._annotator(record.reviewed_by, "reviewer"),
            created_at=now,
            updated_at=now,
        )
        self.session.add(row)
        self.session.flush()
        check_id = row_id(row.id)
        self._evidence(check_id, record.evidence, local_spans, now)
        self.created[uid] = (record, item.where)
        self.events.append(
            check_event_row(CHECK_CREATE, None, check_id, uid, "import", None, claim)
        )
        self._attach(check_id, uid, item.span_id)

    def _evidence(
        self,
        check_id: int,
        items: tuple[EvidenceRecord, ...],
        local_spans: dict[LocalSpan, int],
        now: Any,
    ) -> None:
        rows = []
        for position, item in enumerate(items):
            document_id = self._document_id(item.document)
            span_id = None
            if item.document is not None and item.span is not None:
                span_id = local_spans.get((item.document, item.span))
            rows.append(
                {
                    "uid": new_evidence_uid(),
                    "check_id": check_id,
                    "position": position,
                    "url": item.url,
                    "title": item.title,
                    "publisher": item.publisher,
                    "published": item.published,
                    "accessed": item.accessed,
                    "archived": item.archived,
                    "excerpt": item.excerpt,
                    "stance": item.stance,
                    "document_id": document_id,
                    "span_id": span_id,
                    "created_by_id": None,
                    "created_at": now,
                }
            )
        insert_rows(self.session, Evidence, rows)

    def _attach(self, check_id: int, uid: str, span_id: int) -> None:
        row = {"check_id": check_id, "span_id": span_id, "added_by_id": None, "added_at": utc_now()}
        insert_rows(self.session, CheckAppearance, [row])
        self.events.append(
            check_event_row(CHECK_APPEARANCE_ADD, None, check_id, uid, "appearance", None, span_id)
        )

    # -- comparing copies ----------------------------------------------------------------------

    def _same_as_stored(self, record: CheckRecord, row: Check, item: PendingCheck) -> None:
        """Refuse a copy that differs from the one this import created, or from the stored
        check (a file exported before the check changed)."""
        first = self.created.get(row.uid)
        if first is not None:
            other, where = first[0], first[1].rpartition(": ")[2] or first[1]
        else:
            other, where = stored_record(self.session, row), "the stored check"
        ours, theirs = record.compared(), other.compared()
        for field, value in ours.items():
            if field == "claim" and value is None:
                continue
            if value != theirs[field]:
                raise ValueError(
                    f"{item.where}: check {row.uid} differs from its copy in {where}: "
                    f"{field} {_shown(value)} here, {_shown(theirs[field])} there"
                )

    # -- lookups -------------------------------------------------------------------------------

    def _appearance_of(self, span_id: int) -> int | None:
        query = select(CheckAppearance.check_id).where(CheckAppearance.span_id == span_id)
        return self.session.exec(query).first()

    def _check_row(self, uid: str) -> Check | None:
        return self.session.exec(select(Check).where(Check.uid == uid)).first()

    def _annotator(self, name: str | None, role: str = "annotator") -> int | None:
        if name is None:
            return None
        if name not in self.annotators:
            row = annotator_named(self.session, name) or create_annotator(self.session, name, role)
            self.annotators[name] = row_id(row.id)
        return self.annotators[name]

    def _claimant(self, ref: dict[str, str] | None) -> int | None:
        return None if ref is None else self.entities.entity_id(ref)

    def _document_id(self, ref: str | None) -> int | None:
        if ref is None or not ref.startswith("d-") or len(ref) < 6:
            return None
        query = select(Document.id).where(col(Document.text_sha256).startswith(ref[2:].lower()))
        found = self.session.exec(query.limit(2)).all()
        return found[0] if len(found) == 1 else None


def stored_record(session: Session, row: Check) -> CheckRecord:
    """A stored check as a file's copy of it would read (to compare the two)."""
    names = _names(session, [row.assignee_id, row.reviewed_by_id])
    claimant = session.get(Entity, row.claimant_id) if row.claimant_id is not None else None
    evidence = session.exec(
        select(Evidence).where(Evidence.check_id == row.id).order_by(col(Evidence.position))
    ).all()
    documents = _document_ids(session, [e.document_id for e in evidence])
    return CheckRecord(
        uid=row.uid,
        claim=row.claim,
        status=row.status,
        assignee=names.get(row.assignee_id),
        claimant=None
        if claimant is None
        else {"id": claimant.uid, "name": claimant.name, "type": claimant.type},
        rating=row.rating,
        rating_value=row.rating_value,
        explanation=row.explanation,
        summary=row.summary,
        url=row.url,
        date=row.date,
        reviewed_by=names.get(row.reviewed_by_id),
        evidence=tuple(
            EvidenceRecord(
                url=e.url,
                title=e.title,
                publisher=e.publisher,
                published=e.published,
                accessed=e.accessed,
                archived=e.archived,
                excerpt=e.excerpt,
                stance=e.stance,
                document=documents.get(e.document_id),
            )
            for e in evidence
        ),
    )


def _names(session: Session, ids: Sequence[int | None]) -> dict[int | None, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    query = select(Annotator.id, Annotator.name).where(col(Annotator.id).in_(wanted))
    return {row[0]: row[1] for row in session.exec(query).all()}


def _document_ids(session: Session, ids: Sequence[int | None]) -> dict[int | None, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    query = select(Document.id, Document.text_sha256).where(col(Document.id).in_(wanted))
    return {row[0]: ext_id(row[1]) for row in session.exec(query).all()}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
