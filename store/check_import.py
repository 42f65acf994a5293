"""Imported checks, inside the import's transaction (`store.bulk_import`).

A claim span of an imported record may carry a check (`SpanDraft.check`, from formats.md's
`attrs.check` or an old-style `attrs.verdict`). Spans whose records carry the same check id
join one check: the first copy creates it (its claim, status, assignee, claimant, verdict, who
signed it off, and evidence), later copies add their span as an appearance. A copy that differs
from the first (in this import, or from the check already stored under that id) is a ValueError
naming the record, so the record fails alone and nothing of it is kept. Re-importing an export
therefore adds nothing twice.

An evidence item pointing at a stretch of another document (`document` "d-…", `start`/`end`,
`span` the span's id in the same file) is linked to that span when the same batch brings it,
else to the stored document's stretch; an item whose document is not stored and that has no URL
fails its record (import that document first).

Every change is logged as the check's history, by no one (the system): the check with its claim
(`check_add`), each field set (`check_set`), each evidence item and appearance, as the desk's
own edits log them (`store.check_writes`). The batch's checks, appearances, evidence and events
go in as one multi-row INSERT each: an ORM object and a flush per row made an import of 3,000
checks take 40 s.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.check_export import check_object
from store.check_writes import clean_value
from store.checks import check_infos, checks_of_spans
from store.entities import EntityJoiner
from store.events import (
    CHECK_ADD,
    CHECK_APPEARANCE_ADD,
    CHECK_SET,
    EVIDENCE_ADD,
    event_row,
)
from store.queries import annotator_named, create_annotator
from store.row_info import row_id
from store.tables import Check, CheckAppearance, Document, Entity, Event, Evidence, utc_now
from store.writes import insert_rows
from vocabulary.check_records import CheckRecord, EvidenceRecord, parse_check
from vocabulary.checks import EVIDENCE_FIELDS, CheckSettings, new_check_uid, new_evidence_uid
from vocabulary.records import SpanDraft

IN_LIST = 500  # ids per IN (...), well under every database's parameter limit
T = TypeVar("T")


@dataclass(frozen=True)
class LocalSpan:
    """A span the batch wrote, as the file names it and as the store holds it."""

    span_id: int
    document_id: int
    start: int
    end: int
    text: str  # the span's text


@dataclass(frozen=True)
class PendingCheck:
    """An imported claim span that carries a check, once its span id is known."""

    span: LocalSpan
    draft: SpanDraft
    where: str  # how errors name the record ("file.jsonl: line 3")


@dataclass
class _NewCheck:
    uid: str
    record: CheckRecord
    where: str
    spans: list[LocalSpan] = field(default_factory=list)


class CheckImport:
    """Joins imported appearances to their checks (see the module docstring)."""

    def __init__(self, session: Session, entities: EntityJoiner) -> None:
        self.session = session
        self.entities = entities
        self.first_status = CheckSettings().first_status  # the store keeps no configuration
        self.people: dict[str, int] = {}  # annotators by name, looked up once each

    def run(
        self, pending: Sequence[PendingCheck], local_spans: dict[tuple[str, str], LocalSpan]
    ) -> None:
        uids = sorted({p.draft.check.uid for p in pending if p.draft.check and p.draft.check.uid})
        stored = self._stored(uids)
        taken = {}
        for part in _parts(sorted({p.span.span_id for p in pending})):
            taken.update(checks_of_spans(self.session, list(part)))
        new: dict[str, _NewCheck] = {}
        attached: list[tuple[int, LocalSpan]] = []  # stored check id, span
        for item in pending:
            record = item.draft.check
            assert record is not None  # only spans with a check are pending
            owner = taken.get(item.span.span_id)
            if record.uid is None:  # an old-style verdict: a check of its own, made once
                if owner is None:
                    uid = new_check_uid()
                    new[uid] = _NewCheck(uid, record, item.where, [item.span])
                    taken[item.span.span_id] = uid
                continue
            uid = record.uid
            if owner is not None and owner != uid:
                raise ValueError(
                    f"{item.where}: its claim span is already an appearance of check {owner}"
                )
            if uid in new:
                _same(record, new[uid].record, _line_of(new[uid].where), item.where, uid)
            elif uid in stored:
                _same(record, stored[uid][1], "the stored check", item.where, uid)
            else:
                new[uid] = _NewCheck(uid, record, item.where)
            if owner is None:
                taken[item.span.span_id] = uid
                if uid in new:
                    new[uid].spans.append(item.span)
                else:
                    attached.append((stored[uid][0], item.span))
        self._write(list(new.values()), attached, local_spans)

    def _stored(self, uids: list[str]) -> dict[str, tuple[int, CheckRecord]]:
        """The checks already stored under the file's ids, as a file's copy would read."""
        rows: list[Check] = []
        for part in _parts(uids):
            rows += self.session.exec(select(Check).where(col(Check.uid).in_(part))).all()
        return {
            info.uid: (info.id, parse_check(check_object(info)))
            for info in check_infos(self.session, rows)
        }

    # -- writing -------------------------------------------------------------------------------

    def _write(
        self,
        new: list[_NewCheck],
        attached: list[tuple[int, LocalSpan]],
        local_spans: dict[tuple[str, str], LocalSpan],
    ) -> None:
        now = utc_now()
        rows = [self._check_row(check, now) for check in new]
        insert_rows(self.session, Check, rows)
        ids = self._ids([check.uid for check in new])
        events: list[dict[str, Any]] = []
        claimants = self._entity_uids({row["claimant_id"] for row in rows} - {None})
        for check, row in zip(new, rows, strict=True):
            claimant = claimants.get(row["claimant_id"])
            events += _created_events(ids[check.uid], check, row, claimant)
        evidence = [
            (ids[check.uid], check, self._evidence_rows(ids[check.uid], check, local_spans, now))
            for check in new
        ]
        insert_rows(self.session, Evidence, [row for _, _, rows in evidence for row in rows])
        for check_id, check, items in evidence:
            events += [_evidence_event(check_id, check.uid, item) for item in items]
        appearances = [(ids[c.uid], c.uid, span) for c in new for span in c.spans]
        uids = {check_id: uid for uid, check_id in ids.items()} | self._uids(attached)
        appearances += [(check_id, uids[check_id], span) for check_id, span in attached]
        insert_rows(
            self.session,
            CheckAppearance,
            [
                {"span_id": s.span_id, "check_id": c, "added_by_id": None, "added_at": now}
                for c, _, s in appearances
            ],
        )
        events += [_appearance_event(c, uid, span) for c, uid, span in appearances]
        self._touch({check_id for check_id, _ in attached}, now)
        insert_rows(self.session, Event, events)

    def _check_row(self, check: _NewCheck, now: Any) -> dict[str, Any]:
        record = check.record
        claim = clean_value(record.claim or check.spans[0].text)
        if not claim:
            raise ValueError(f"{check.where}: check {check.uid} has no claim")
        return {
            "uid": check.uid,
            "claim": claim,
            "status": record.status or self.first_status,
            "assignee_id": self._annotator_id(record.assignee),
            "claimant_id": self.entities.entity_id(record.claimant) if record.claimant else None,
            "rating": record.rating,
            "rating_value": record.rating_value,
            "explanation": clean_value(record.explanation, multiline=True),
            "summary": clean_value(record.summary),
            "url": record.url,
            "date": record.date,
            "verdict_by_id": None,
            "reviewed_by_id": self._annotator_id(record.reviewed_by, "reviewer"),
            "created_by_id": None,
            "created_at": now,
            "updated_at": now,
        }

    def _evidence_rows(
        self,
        check_id: int,
        check: _NewCheck,
        local_spans: dict[tuple[str, str], LocalSpan],
        now: Any,
    ) -> list[dict[str, Any]]:
        rows = []
        for position, item in enumerate(check.record.evidence, start=1):
            values = {
                name: clean_value(getattr(item, name), multiline=name == "excerpt")
                for name in EVIDENCE_FIELDS
            }
            place = self._place(item, local_spans, check.where)
            if not values["url"] and place["document_id"] is None:
                raise ValueError(
                    f"{check.where}: check {check.uid}: evidence {position} needs a URL or a "
                    "stored document"
                )
            rows.append(
                {
                    "uid": new_evidence_uid(),
                    "check_id": check_id,
                    "position": position,
                    **values,
                    **place,
                    "created_by_id": None,
                    "created_at": now,
                }
            )
        return rows

    def _place(
        self, item: EvidenceRecord, local_spans: dict[tuple[str, str], LocalSpan], where: str
    ) -> dict[str, int | None]:
        """The document, stretch and span an evidence item points at, as the store holds them."""
        nowhere: dict[str, int | None] = {
            "document_id": None,
            "start": None,
            "end": None,
            "span_id": None,
        }
        if item.document is None:
            return nowhere
        span = local_spans.get((item.document, item.span)) if item.span else None
        if span is not None:
            return {
                "document_id": span.document_id,
                "start": span.start,
                "end": span.end,
                "span_id": span.span_id,
            }
        found = self._document(item.document)
        if found is None:
            if not item.url:
                raise ValueError(
                    f"{where}: evidence points at document {item.document}, which is not "
                    "stored (import it first)"
                )
            return nowhere
        document_id, length = found
        if item.start is not None and item.end is not None and item.end > length:
            raise ValueError(f"{where}: evidence {item.start}-{item.end} is outside its document")
        return {"document_id": document_id, "start": item.start, "end": item.end, "span_id": None}

    def _touch(self, check_ids: set[int], now: Any) -> None:
        for part in _parts(sorted(check_ids)):
            self.session.connection().execute(
                Check.__table__.update()  # type: ignore[attr-defined]
                .where(col(Check.id).in_(part))
                .values(updated_at=now)
            )

    # -- lookups -------------------------------------------------------------------------------

    def _ids(self, uids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in _parts(uids):
            query = select(Check.uid, Check.id).where(col(Check.uid).in_(part))
            found.update({uid: row_id(check_id) for uid, check_id in self.session.exec(query)})
        return found

    def _uids(self, attached: list[tuple[int, LocalSpan]]) -> dict[int, str]:
        wanted = sorted({check_id for check_id, _ in attached})
        found: dict[int, str] = {}
        for part in _parts(wanted):
            query = select(Check.id, Check.uid).where(col(Check.id).in_(part))
            found.update({row_id(check_id): uid for check_id, uid in self.session.exec(query)})
        return found

    def _entity_uids(self, ids: set[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for part in _parts(sorted(ids)):
            query = select(Entity.id, Entity.uid).where(col(Entity.id).in_(part))
            found.update({row_id(entity_id): uid for entity_id, uid in self.session.exec(query)})
        return found

    def _annotator_id(self, name: str | None, role: str = "annotator") -> int | None:
        if name is None:
            return None
        if name not in self.people:
            person = annotator_named(self.session, name) or create_annotator(
                self.session, name, role
            )
            self.people[name] = row_id(person.id)
        return self.people[name]

    def _document(self, ref: str) -> tuple[int, int] | None:
        """The stored document an id "d-…" names, and its length; None if none or several."""
        digits = ref[2:].lower()
        if not ref.startswith("d-") or len(digits) < 8:
            return None
        query = select(Document.id, func.length(Document.text)).where(
            col(Document.text_sha256).startswith(digits)
        )
        found = self.session.exec(query.limit(2)).all()
        return (row_id(found[0][0]), int(found[0][1])) if len(found) == 1 else None


# -- events --------------------------------------------------------------------------------------


def _check_event(
    kind: str, check_id: int, uid: str, name: str, old: Any, new: Any
) -> dict[str, Any]:
    payload = {"check": uid, "field": name, "old": old, "new": new}
    return {**event_row(kind, None, payload), "check_id": check_id}


# The fields an import sets beside the claim, as the history names them, and their columns.
_LOGGED = (
    ("status", "status"),
    ("assignee", "assignee_id"),
    ("claimant", "claimant_id"),
    ("rating", "rating"),
    ("explanation", "explanation"),
    ("summary", "summary"),
    ("url", "url"),
    ("date", "date"),
    ("reviewed_by", "reviewed_by_id"),
)


def _created_events(
    check_id: int, check: _NewCheck, row: dict[str, Any], claimant: str | None
) -> list[dict[str, Any]]:
    """`check_add` with the claim, then a `check_set` per field the import set (people by
    name, the claimant by its entity id, as the desk's own edits log them)."""
    record = check.record
    shown = {"assignee": record.assignee, "reviewed_by": record.reviewed_by, "claimant": claimant}
    events = [_check_event(CHECK_ADD, check_id, check.uid, "claim", None, row["claim"])]
    for name, column in _LOGGED:
        if row[column] is not None and not (name == "status" and not record.status):
            value = shown.get(name, row[column])
            events.append(_check_event(CHECK_SET, check_id, check.uid, name, None, value))
    return events


def _evidence_event(check_id: int, uid: str, item: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = {"id": item["uid"]}
    value.update({name: item[name] for name in EVIDENCE_FIELDS})
    value.update(
        document=item["document_id"], start=item["start"], end=item["end"], span=item["span_id"]
    )
    value = {key: v for key, v in value.items() if v is not None}
    return _check_event(EVIDENCE_ADD, check_id, uid, "evidence", None, value)


def _appearance_event(check_id: int, uid: str, span: LocalSpan) -> dict[str, Any]:
    value = {
        "span": span.span_id,
        "document": span.document_id,
        "start": span.start,
        "end": span.end,
        "text": span.text,
    }
    return _check_event(CHECK_APPEARANCE_ADD, check_id, uid, "appearances", None, value)


# -- comparing copies ----------------------------------------------------------------------------


def _same(ours: CheckRecord, theirs: CheckRecord, there: str, where: str, uid: str) -> None:
    """Refuse a copy that differs from the first one read, or from the stored check (a file
    exported before the check changed): the first field that differs, both values."""
    mine, other = ours.compared(), theirs.compared()
    for name, value in mine.items():
        if name == "claim" and value is None:
            continue
        if value != other[name]:
            raise ValueError(
                f"{where}: check {uid} differs from its copy in {there}: "
                f"{name} {_short(value)} here, {_short(other[name])} there"
            )


def _line_of(where: str) -> str:
    """ "file.jsonl: line 3" -> "line 3" (the same file is named already)."""
    return where.rpartition(": ")[2] if ": line " in where else where


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _parts(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), IN_LIST):
        yield values[start : start + IN_LIST]
