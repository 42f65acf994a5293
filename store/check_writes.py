"""Changes to checks inside the caller's write transaction, each logged as a check event.

Every change names the field, its old and its new value (the check's history). A change is made
against the value the user saw (`expected`): if someone changed that field since, the change is
refused with `CheckConflict` rather than silently overwriting theirs; a change to another field
of the same check goes through, so two reviewers editing one check lose neither change.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, func, select

from store.checks import check_of_span_row, last_change_of
from store.entities import find_entity_row
from store.errors import CheckConflict, PermissionDenied, StoreError
from store.events import (
    CHECK_ADD,
    CHECK_APPEARANCE_ADD,
    CHECK_APPEARANCE_REMOVE,
    CHECK_SET,
    EVIDENCE_ADD,
    EVIDENCE_REMOVE,
    EVIDENCE_SET,
    log_event,
)
from store.queries import annotator_named, document_text
from store.row_info import row_id
from store.tables import Annotator, Check, CheckAppearance, Document, Evidence, Span, utc_now
from vocabulary.checks import (
    CHECK_FIELDS,
    EVIDENCE_FIELDS,
    PUBLISHED,
    VERDICT_FIELDS,
    CheckSettings,
    field_problem,
    new_check_uid,
    new_evidence_uid,
)
from vocabulary.names import CLAIM_LABEL, REVIEW_ROLES
from vocabulary.text import strip_controls


def clean_value(value: str | None, *, multiline: bool = False) -> str | None:
    """A field value as stored: control characters out, outer spaces off, empty as None;
    one line unless the field holds prose (explanation, excerpt)."""
    if value is None:
        return None
    text = strip_controls(str(value)) if not multiline else _keep_lines(str(value))
    text = text.strip() if multiline else " ".join(text.split())
    return text or None


def _keep_lines(text: str) -> str:
    return "\n".join(strip_controls(line) for line in text.replace("\r\n", "\n").split("\n"))


def _log(
    session: Session,
    row: Check,
    kind: str,
    who: str | None,
    field: str,
    old: Any,
    new: Any,
    **extra: Any,
) -> None:
    payload = {"check": row.uid, "field": field, "old": old, "new": new, **extra}
    log_event(session, kind, who, payload, check_id=row_id(row.id))


def _name(who: Annotator | None) -> str | None:
    return who.name if who is not None else None


def _id(who: Annotator | None) -> int | None:
    return who.id if who is not None else None


def _touch(session: Session, row: Check) -> None:
    row.updated_at = utc_now()
    session.add(row)
    session.flush()


def _claim_span(session: Session, span_id: int) -> Span:
    span = session.get(Span, span_id)
    if span is None:
        raise StoreError(f"no span {span_id}")
    if span.label != CLAIM_LABEL:
        raise StoreError(f"span {span_id} is {span.label!r}: only {CLAIM_LABEL} spans are checked")
    return span


def _appearance_value(session: Session, span: Span) -> dict[str, Any]:
    text = document_text(session, span.document_id)
    return {
        "span": span.id,
        "document": span.document_id,
        "start": span.start,
        "end": span.end,
        "text": text[span.start : span.end],
    }


# -- creating and appearances ------------------------------------------------------------------


def create_check(
    session: Session,
    span_id: int | None,
    claim: str | None,
    who: Annotator | None,
    settings: CheckSettings,
    *,
    uid: str | None = None,
) -> Check:
    """A new check (status: the workflow's first) with the claim span `span_id` as its first
    appearance; its claim is `claim`, or the span's text."""
    span = _claim_span(session, span_id) if span_id is not None else None
    if span is not None:
        taken = check_of_span_row(session, row_id(span.id))
        if taken is not None:
            raise StoreError(f"span {span_id} is already an appearance of check {taken.uid}")
    if claim is None and span is not None:
        claim = document_text(session, span.document_id)[span.start : span.end]
    wording = clean_value(claim)
    if not wording:
        raise StoreError("a check needs its claim: the statement being checked")
    who_id, who_name = (who.id, who.name) if who is not None else (None, None)
    row = Check(
        uid=uid or new_check_uid(),
        claim=wording,
        status=settings.first_status,
        created_by_id=who_id,
    )
    session.add(row)
    session.flush()
    _log(session, row, CHECK_ADD, who_name, "claim", None, wording)
    if span is not None:
        attach_span(session, row, span, who)
    return row


def attach_span(session: Session, row: Check, span: Span, who: Annotator | None) -> None:
    """Make the claim span an appearance of the check (nothing to do if it already is)."""
    taken = check_of_span_row(session, row_id(span.id))
    if taken is not None and taken.id == row.id:
        return
    if taken is not None:
        raise StoreError(
            f"span {span.id} is already an appearance of check {taken.uid}: detach it there first"
        )
    session.add(
        CheckAppearance(span_id=row_id(span.id), check_id=row_id(row.id), added_by_id=_id(who))
    )
    value = _appearance_value(session, span)
    _log(session, row, CHECK_APPEARANCE_ADD, _name(who), "appearances", None, value)
    _touch(session, row)


def attach_span_id(session: Session, row: Check, span_id: int, who: Annotator | None) -> None:
    attach_span(session, row, _claim_span(session, span_id), who)


def detach_span(session: Session, row: Check, span_id: int, who: Annotator | None) -> None:
    appearance = session.get(CheckAppearance, span_id)
    if appearance is None or appearance.check_id != row.id:
        raise StoreError(f"span {span_id} is not an appearance of check {row.uid}")
    span = session.get(Span, span_id)
    value = _appearance_value(session, span) if span is not None else {"span": span_id}
    session.delete(appearance)
    _log(session, row, CHECK_APPEARANCE_REMOVE, _name(who), "appearances", value, None)
    _touch(session, row)


# -- fields ------------------------------------------------------------------------------------


def stored_value(session: Session, row: Check, field: str) -> str | None:
    """A field's value as the form shows it (see `CheckInfo.value`)."""
    if field == "assignee":
        return _name_of(session, row.assignee_id)
    if field == "claimant":
        if row.claimant_id is None:
            return None
        return find_entity_row(session, row.claimant_id).uid
    value = getattr(row, field)
    return value or None


def _name_of(session: Session, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    return session.exec(select(Annotator.name).where(Annotator.id == person_id)).first()


def set_field(
    session: Session,
    row: Check,
    field: str,
    value: str | None,
    expected: str | None,
    who: Annotator | None,
    settings: CheckSettings,
) -> None:
    """Set one field of a check, as the user who saw `expected` there (see the module)."""
    if field not in CHECK_FIELDS:
        raise StoreError(f"a check has no field {field!r} (fields: {', '.join(CHECK_FIELDS)})")
    multiline = field == "explanation"
    new = clean_value(value, multiline=multiline)
    current = stored_value(session, row, field)
    seen = clean_value(expected, multiline=multiline)
    if field == "claimant" and seen is not None and current is not None and seen != current:
        seen = find_entity_row(session, seen).uid  # the form may name it by number
    if seen != current:
        raise CheckConflict(_conflict_line(session, row, field, current))
    problem = field_problem(field, new or "") if field != "status" else None
    if problem is not None:
        raise StoreError(f"check {row.uid}: {field} {new or ''!r}: {problem}")
    if field == "status":
        new = _status_change(session, row, new, who, settings)
    elif new is not None:
        new = _checked_value(session, row, field, new, settings)
    if new == current:
        return
    _apply(session, row, field, new, settings)
    _log(session, row, CHECK_SET, _name(who), field, current, new)
    if field in VERDICT_FIELDS:
        row.verdict_by_id = who.id if who is not None else row.verdict_by_id
        if row.status == PUBLISHED:
            _unpublish(session, row, who, settings, reason=f"its {field} changed")
    _touch(session, row)


def _conflict_line(session: Session, row: Check, field: str, current: str | None) -> str:
    change = last_change_of(session, row_id(row.id), field)
    now = repr(current) if current is not None else "nothing"
    if change is None:
        return f"check {row.uid} changed under you: its {field} is now {now}; reopen it"
    when = change.at.strftime("%Y-%m-%d %H:%M UTC")
    by = change.actor or "someone"
    return f"check {row.uid} changed under you: {by} set its {field} to {now} at {when}; reopen it"


def _checked_value(
    session: Session, row: Check, field: str, new: str, settings: CheckSettings
) -> str:
    if field == "rating":
        rating = settings.rating(new)
        if rating is None:
            known = ", ".join(settings.rating_names)
            raise StoreError(f"check {row.uid}: {new!r} is not a rating of the scale ({known})")
        return rating.name
    if field == "assignee":
        person = annotator_named(session, new)
        if person is None:
            raise StoreError(f"check {row.uid}: no annotator called {new!r} to assign it to")
        return person.name
    if field == "claimant":
        return find_entity_row(session, new).uid
    return new


def _apply(
    session: Session, row: Check, field: str, new: str | None, settings: CheckSettings
) -> None:
    if field == "assignee":
        person = annotator_named(session, new) if new is not None else None
        row.assignee_id = person.id if person is not None else None
    elif field == "claimant":
        row.claimant_id = find_entity_row(session, new).id if new is not None else None
    elif field == "rating":
        row.rating = new
        rating = settings.rating(new) if new is not None else None
        row.rating_value = rating.value if rating is not None else None
    else:
        setattr(row, field, new)


def _status_change(
    session: Session,
    row: Check,
    new: str | None,
    who: Annotator | None,
    settings: CheckSettings,
) -> str:
    """The status to move to, after the workflow's rules: a known status; publishing needs a
    verdict and a reviewer who did not write it (unless the desk turned that rule off)."""
    if new is None:
        raise StoreError(f"check {row.uid}: a check always has a status")
    status = settings.status(new) or (new if new == row.status else None)
    if status is None:
        known = ", ".join(settings.statuses)
        raise StoreError(f"check {row.uid}: {new!r} is not a status ({known})")
    leaving = row.status == PUBLISHED and status != PUBLISHED
    if status == PUBLISHED and row.status != PUBLISHED:
        _require_sign_off(session, row, who, settings)
        row.reviewed_by_id = who.id if who is not None else None
    elif leaving:
        _require_reviewer(row, who, "take a published check back")
        row.reviewed_by_id = None
    return status


def _require_reviewer(row: Check, who: Annotator | None, doing: str) -> None:
    if who is not None and who.role not in REVIEW_ROLES:
        raise PermissionDenied(f"{who.name} is an {who.role}: only reviewers and admins {doing}")


def _require_sign_off(
    session: Session, row: Check, who: Annotator | None, settings: CheckSettings
) -> None:
    if not row.rating:
        raise StoreError(f"check {row.uid} has no verdict yet: give it a rating to publish it")
    _require_reviewer(row, who, "publish a check")
    if (
        who is not None
        and settings.require_second_reviewer
        and row.verdict_by_id is not None
        and row.verdict_by_id == who.id
    ):
        raise PermissionDenied(
            f"{who.name} wrote the verdict of check {row.uid}: another reviewer must publish it"
            " (require_second_reviewer)"
        )


def _unpublish(
    session: Session, row: Check, who: Annotator | None, settings: CheckSettings, reason: str
) -> None:
    """A published verdict that changes needs a new sign-off: back to the status before
    `published` (logged as a status change of its own)."""
    statuses = settings.statuses
    index = statuses.index(PUBLISHED) if PUBLISHED in statuses else 0
    back = statuses[index - 1] if index > 0 else statuses[0]
    row.status = back
    row.reviewed_by_id = None
    _log(session, row, CHECK_SET, _name(who), "status", PUBLISHED, back, reason=reason)


# -- evidence ----------------------------------------------------------------------------------


def evidence_row(session: Session, row: Check, evidence_uid: str) -> Evidence:
    query = select(Evidence).where(Evidence.check_id == row.id, Evidence.uid == evidence_uid)
    found = session.exec(query).first()
    if found is None:
        raise StoreError(f"check {row.uid} has no evidence {evidence_uid}")
    return found


def evidence_value(item: Evidence) -> dict[str, Any]:
    """An evidence item as its history records it."""
    value: dict[str, Any] = {"id": item.uid}
    value.update({name: getattr(item, name) for name in EVIDENCE_FIELDS})
    value.update(document=item.document_id, start=item.start, end=item.end, span=item.span_id)
    return {key: v for key, v in value.items() if v is not None}


def add_evidence(
    session: Session,
    row: Check,
    draft: dict[str, Any],
    who: Annotator | None,
    *,
    uid: str | None = None,
) -> Evidence:
    """A new evidence item at the end of the check's list. `draft` holds EVIDENCE_FIELDS and,
    for a stretch of another stored document, `document_id` with `start`/`end` or `span_id`."""
    unknown = set(draft) - set(EVIDENCE_FIELDS) - {"document_id", "start", "end", "span_id"}
    if unknown:
        raise StoreError(f"evidence has no field {sorted(unknown)[0]!r}")
    values: dict[str, Any] = {}
    for name in EVIDENCE_FIELDS:
        cleaned = clean_value(draft.get(name), multiline=name == "excerpt")
        if cleaned is not None and (problem := field_problem(name, cleaned)) is not None:
            raise StoreError(f"evidence {name} {cleaned!r}: {problem}")
        values[name] = cleaned
    values.update(_evidence_place(session, draft))
    if not values["url"] and values["document_id"] is None:
        raise StoreError("evidence needs a URL or a stretch of a stored document")
    position_query = select(func.max(Evidence.position)).where(Evidence.check_id == row.id)
    last = session.exec(position_query).one()
    item = Evidence(
        uid=uid or new_evidence_uid(),
        check_id=row_id(row.id),
        position=(last or 0) + 1,
        created_by_id=_id(who),
        **values,
    )
    session.add(item)
    session.flush()
    _log(session, row, EVIDENCE_ADD, _name(who), "evidence", None, evidence_value(item))
    _touch(session, row)
    return item


def _evidence_place(session: Session, draft: dict[str, Any]) -> dict[str, Any]:
    """The document, extent and span an evidence draft points at, checked against the store."""
    span_id, document_id = draft.get("span_id"), draft.get("document_id")
    start, end = draft.get("start"), draft.get("end")
    if span_id is not None:
        span = session.get(Span, int(span_id))
        if span is None:
            raise StoreError(f"evidence: no span {span_id}")
        if document_id is not None and int(document_id) != span.document_id:
            raise StoreError(f"evidence: span {span_id} is not in document {document_id}")
        return {
            "document_id": span.document_id,
            "start": span.start,
            "end": span.end,
            "span_id": span.id,
        }
    if document_id is None:
        if start is not None or end is not None:
            raise StoreError("evidence: an extent needs the document it is in")
        return {"document_id": None, "start": None, "end": None, "span_id": None}
    length = session.exec(
        select(func.length(Document.text)).where(Document.id == int(document_id))
    ).first()
    if length is None:
        raise StoreError(f"evidence: no document {document_id}")
    if (start is None) != (end is None):
        raise StoreError("evidence: an extent needs both its start and its end")
    if start is not None and end is not None and not 0 <= int(start) < int(end) <= length:
        raise StoreError(f"evidence: {start}-{end} is not within document {document_id}")
    return {
        "document_id": int(document_id),
        "start": None if start is None else int(start),
        "end": None if end is None else int(end),
        "span_id": None,
    }


def set_evidence_field(
    session: Session,
    row: Check,
    evidence_uid: str,
    field: str,
    value: str | None,
    expected: str | None,
    who: Annotator | None,
) -> None:
    if field not in EVIDENCE_FIELDS:
        known = ", ".join(EVIDENCE_FIELDS)
        raise StoreError(f"evidence has no field {field!r} (fields: {known})")
    item = evidence_row(session, row, evidence_uid)
    multiline = field == "excerpt"
    new, current = clean_value(value, multiline=multiline), getattr(item, field)
    if clean_value(expected, multiline=multiline) != current:
        raise CheckConflict(
            f"evidence {evidence_uid} of check {row.uid} changed under you: its {field} is now "
            f"{current!r}; reopen it"
        )
    if new is not None and (problem := field_problem(field, new)) is not None:
        raise StoreError(f"evidence {field} {new!r}: {problem}")
    if field == "url" and new is None and item.document_id is None:
        raise StoreError("evidence needs a URL or a stretch of a stored document")
    if new == current:
        return
    setattr(item, field, new)
    session.add(item)
    _log(
        session,
        row,
        EVIDENCE_SET,
        _name(who),
        f"evidence.{field}",
        current,
        new,
        evidence=evidence_uid,
    )
    _touch(session, row)


def remove_evidence(session: Session, row: Check, evidence_uid: str, who: Annotator | None) -> None:
    item = evidence_row(session, row, evidence_uid)
    value = evidence_value(item)
    session.delete(item)
    _log(session, row, EVIDENCE_REMOVE, _name(who), "evidence", value, None)
    _touch(session, row)


def carry_checks_into_gold(session: Session, doc_ids: Sequence[int], who: Annotator | None) -> int:
    """Make each gold claim span of `doc_ids` that no check has yet an appearance of the check
    that annotators' claim spans of the same extent belong to (the most common one), so a check
    survives adjudication; returns how many were attached."""
    if not doc_ids:
        return 0
    gold = select(Span).where(
        col(Span.document_id).in_(doc_ids),
        col(Span.annotator_id).is_(None),
        Span.label == CLAIM_LABEL,
        col(Span.id).not_in(select(CheckAppearance.span_id)),
    )
    gold_rows = session.exec(gold).all()
    if not gold_rows:
        return 0
    versions = (
        select(Span.document_id, Span.start, Span.end, CheckAppearance.check_id)
        .join(CheckAppearance, col(CheckAppearance.span_id) == col(Span.id))
        .where(
            col(Span.document_id).in_(doc_ids),
            col(Span.annotator_id).is_not(None),
            Span.label == CLAIM_LABEL,
        )
    )
    checks_by_extent: dict[tuple[int, int, int], Counter[int]] = defaultdict(Counter)
    for doc_id, start, end, check_id in session.exec(versions).all():
        checks_by_extent[(doc_id, start, end)][check_id] += 1
    attached = 0
    for span in gold_rows:
        counts = checks_by_extent.get((span.document_id, span.start, span.end))
        if not counts:
            continue
        check_id = min(counts, key=lambda c: (-counts[c], c))
        row = session.get(Check, check_id)
        if row is not None:
            attach_span(session, row, span, who)
            attached += 1
    return attached


def release_appearance(session: Session, span: Span, who: str | None) -> str | None:
    """Before a span is deleted: take it out of its check, logged in the check's history (its
    row would go silently with the span); the check's uid, for undo to put it back."""
    appearance = session.get(CheckAppearance, row_id(span.id))
    if appearance is None:
        return None
    row = session.get(Check, appearance.check_id)
    if row is None:
        return None
    value = _appearance_value(session, span)
    session.delete(appearance)
    _log(session, row, CHECK_APPEARANCE_REMOVE, who, "appearances", value, None, reason="deleted")
    _touch(session, row)
    return row.uid


def restore_appearance(session: Session, span: Span, check_uid: str, who: str | None) -> None:
    """Undo of a span's deletion: it is again an appearance of its check, if the check is
    still there and the span in no other."""
    row = session.exec(select(Check).where(Check.uid == check_uid)).first()
    if row is None or check_of_span_row(session, row_id(span.id)) is not None:
        return
    session.add(CheckAppearance(span_id=row_id(span.id), check_id=row_id(row.id)))
    value = _appearance_value(session, span)
    _log(session, row, CHECK_APPEARANCE_ADD, who, "appearances", None, value, reason="restored")
    _touch(session, row)
