"""Imported checks, inside the import's transaction (`store.bulk_import`).

A claim span of an imported record may carry a check (`SpanDraft.check`, from formats.md's
`attrs.check` or an old-style `attrs.verdict`). Spans whose records carry the same check id
join one check: the first copy creates it (its claim, status, assignee, claimant, verdict, who
signed it off, and evidence), later copies add their span as an appearance. A copy that differs
from the first (in this import, or from the check already stored under that id) is a ValueError
naming the record, so the record fails alone and nothing of it is kept. Re-importing an export
therefore adds nothing twice.

An evidence item pointing at a stretch of another document (`document` "d-…", `start`/`end`,
`span` the span's id in the same file) is linked to that span when the same import brings it
(in the same batch), else to the stored document's stretch; an item whose document is not
stored and that has no URL fails its record (import that document first).

Every change is logged as the check's history, by no one (the system): the check with its
claim, each field set, each appearance and evidence item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from store.check_export import check_object
from store.check_writes import add_evidence, attach_span_id, create_check
from store.checks import check_info, check_of_span_row
from store.entities import EntityJoiner
from store.errors import StoreError
from store.events import CHECK_SET, log_event
from store.queries import annotator_named, create_annotator
from store.row_info import row_id
from store.tables import Check, Document
from vocabulary.check_records import CheckRecord, EvidenceRecord, parse_check
from vocabulary.checks import CheckSettings, new_check_uid
from vocabulary.records import SpanDraft

LocalSpan = tuple[str, str]  # (document id "d-…", span id in the file "s-…")
# The fields of a check an import sets beside its claim, in the order they are logged.
_IMPORTED_FIELDS = (
    "status",
    "assignee",
    "claimant",
    "rating",
    "rating_value",
    "explanation",
    "summary",
    "url",
    "date",
    "reviewed_by",
)


@dataclass(frozen=True)
class PendingCheck:
    """An imported claim span that carries a check, once its span id is known."""

    span_id: int
    draft: SpanDraft
    where: str  # how errors name the record ("file.jsonl: line 3")


class CheckImport:
    """Joins imported appearances to their checks (see the module docstring)."""

    def __init__(self, session: Session, entities: EntityJoiner) -> None:
        self.session = session
        self.entities = entities
        self.first_copy: dict[str, tuple[CheckRecord, str]] = {}  # uid -> record, where
        self.settings = CheckSettings()  # only its first status is read: the store keeps none

    def run(self, pending: Sequence[PendingCheck], local_spans: dict[LocalSpan, int]) -> None:
        for item in pending:
            try:
                self._join(item, local_spans)
            except StoreError as error:  # an evidence item the store refuses: the record's fault
                raise ValueError(f"{item.where}: {error}") from None

    def _join(self, item: PendingCheck, local_spans: dict[LocalSpan, int]) -> None:
        record = item.draft.check
        assert record is not None  # only spans with a check are pending
        taken = check_of_span_row(self.session, item.span_id)
        if record.uid is None:  # an old-style verdict: a check of its own, made once
            if taken is None:
                self._create(record, new_check_uid(), item, local_spans)
            return
        row = self.session.exec(select(Check).where(Check.uid == record.uid)).first()
        if row is None:
            if taken is not None:
                raise ValueError(
                    f"{item.where}: its claim span is already an appearance of check {taken.uid}"
                )
            self._create(record, record.uid, item, local_spans)
            return
        self._same_as_before(record, row, item)
        if taken is None:
            attach_span_id(self.session, row, item.span_id, None)
        elif taken.id != row.id:
            raise ValueError(
                f"{item.where}: its claim span is already an appearance of check {taken.uid}"
            )

    # -- creating ------------------------------------------------------------------------------

    def _create(
        self, record: CheckRecord, uid: str, item: PendingCheck, local_spans: dict[LocalSpan, int]
    ) -> None:
        row = create_check(self.session, item.span_id, record.claim, None, self.settings, uid=uid)
        values = {
            "status": record.status or self.settings.first_status,
            "assignee": self._annotator_id(record.assignee),
            "claimant": self.entities.entity_id(record.claimant) if record.claimant else None,
            "rating": record.rating,
            "rating_value": record.rating_value,
            "explanation": record.explanation,
            "summary": record.summary,
            "url": record.url,
            "date": record.date,
            "reviewed_by": self._annotator_id(record.reviewed_by, "reviewer"),
        }
        for field in _IMPORTED_FIELDS:
            value = values[field]
            column = f"{field}_id" if field in ("assignee", "claimant", "reviewed_by") else field
            if value is None or getattr(row, column) == value:
                continue
            setattr(row, column, value)
            shown = _shown_value(record, field, value)
            payload = {"check": uid, "field": field, "old": None, "new": shown}
            log_event(self.session, CHECK_SET, None, payload, check_id=row_id(row.id))
        self.session.add(row)
        self.session.flush()
        for evidence in record.evidence:
            draft = self._evidence_draft(evidence, local_spans, item.where)
            add_evidence(self.session, row, draft, None)
        self.first_copy[uid] = (record, item.where)

    def _evidence_draft(
        self, item: EvidenceRecord, local_spans: dict[LocalSpan, int], where: str
    ) -> dict[str, Any]:
        draft: dict[str, Any] = {
            name: getattr(item, name)
            for name in (
                "url",
                "title",
                "publisher",
                "published",
                "accessed",
                "archived",
                "excerpt",
                "stance",
            )
        }
        if item.document is None:
            return draft
        span_id = local_spans.get((item.document, item.span)) if item.span else None
        if span_id is not None:
            return {**draft, "span_id": span_id}
        document_id = self._document_id(item.document)
        if document_id is None:
            if not item.url:
                raise ValueError(
                    f"{where}: evidence points at document {item.document}, which is not "
                    "stored (import it first)"
                )
            return draft
        return {**draft, "document_id": document_id, "start": item.start, "end": item.end}

    # -- comparing copies ----------------------------------------------------------------------

    def _same_as_before(self, record: CheckRecord, row: Check, item: PendingCheck) -> None:
        """Refuse a copy that differs from the first this import read, or from the stored
        check (a file exported before the check changed)."""
        first = self.first_copy.get(row.uid)
        if first is not None:
            other, where = first[0], _line_of(first[1])
        else:
            other = parse_check(check_object(check_info(self.session, row)))
            where = "the stored check"
        ours, theirs = record.compared(), other.compared()
        for field, value in ours.items():
            if field == "claim" and value is None:
                continue
            if value != theirs[field]:
                raise ValueError(
                    f"{item.where}: check {row.uid} differs from its copy in {where}: "
                    f"{field} {_short(value)} here, {_short(theirs[field])} there"
                )

    # -- lookups -------------------------------------------------------------------------------

    def _annotator_id(self, name: str | None, role: str = "annotator") -> int | None:
        if name is None:
            return None
        row = annotator_named(self.session, name) or create_annotator(self.session, name, role)
        return row_id(row.id)

    def _document_id(self, ref: str) -> int | None:
        digits = ref[2:].lower()
        if not ref.startswith("d-") or len(digits) < 8:
            return None
        query = select(Document.id).where(col(Document.text_sha256).startswith(digits))
        found = self.session.exec(query.limit(2)).all()
        return found[0] if len(found) == 1 else None


def _shown_value(record: CheckRecord, field: str, value: Any) -> Any:
    """A field's value as the history shows it: people and the claimant by name."""
    if field == "claimant" and record.claimant is not None:
        return record.claimant["name"]
    if field in ("assignee", "reviewed_by"):
        return getattr(record, field)
    return value


def _line_of(where: str) -> str:
    """ "file.jsonl: line 3" -> "line 3" (the same file is named already)."""
    return where.rpartition(": ")[2] if ": line " in where else where


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
