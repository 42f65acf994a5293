"""What exports read of the checks: every check with its appearances, evidence, claimant and
(for `export --format checks`) history, in a fixed handful of queries however many checks
there are; and the check object formats.md defines, which native JSONL carries on every
appearance (`attrs.check`) and the checks export writes per line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.checks import check_infos
from store.column_values import json_object, utc_datetime
from store.desk_info import CheckChange, CheckInfo, EvidenceInfo
from store.events import CHECK_KINDS
from store.queries import select_columns
from store.review_api import StoreHost
from store.row_info import raw_column
from store.tables import Check, CheckAppearance, Event, Span


@dataclass(frozen=True)
class CheckExport:
    """One check as exports read it: everything about it, and its history when asked for."""

    check: CheckInfo
    history: tuple[CheckChange, ...] = ()


class CheckExportMethods(StoreHost):
    """What exports read of the checks; part of `store.Store`."""

    def export_checks(
        self, status: str | None = None, *, history: bool = False
    ) -> list[CheckExport]:
        """Every check (of `status`, case aside; None: every one), oldest first, with its
        appearances, evidence and claimant, and its history when asked for; in one read
        transaction and a handful of queries however many checks there are."""
        return self._db.read(lambda session: export_checks(session, status, history))


def check_object(check: CheckInfo) -> dict[str, Any]:
    """The check object of formats.md (the same on every appearance)."""
    claimant = check.claimant
    return {
        "id": check.uid,
        "claim": check.claim,
        "status": check.status,
        "assignee": check.assignee,
        "claimant": None
        if claimant is None
        else {"id": claimant.uid, "name": claimant.name, "type": claimant.type},
        "verdict": _verdict(check),
        "evidence": [_evidence(item) for item in check.evidence],
    }


def _verdict(check: CheckInfo) -> dict[str, Any] | None:
    """The verdict, or None while no part of it is written."""
    verdict = {
        "rating": check.rating,
        "rating_value": check.rating_value,
        "explanation": check.explanation,
        "summary": check.summary,
        "url": check.url,
        "date": check.date,
        "reviewed_by": check.reviewed_by,
    }
    return verdict if any(value is not None for value in verdict.values()) else None


def _evidence(item: EvidenceInfo) -> dict[str, Any]:
    return {
        "url": item.url,
        "title": item.title,
        "publisher": item.publisher,
        "published": item.published,
        "accessed": item.accessed,
        "archived": item.archived,
        "excerpt": item.excerpt,
        "stance": item.stance,
        "document": item.document_ext_id,
        "start": item.start,
        "end": item.end,
        "span": None if item.span_id is None else f"s-{item.span_id}",
    }


def export_checks(session: Session, status: str | None, history: bool) -> list[CheckExport]:
    """Every check (of `status`, case aside; None: all), oldest first, whole, with its history
    if asked: five queries or so whatever the number of checks (`store.checks.check_infos`)."""
    query = select(Check).order_by(col(Check.id))
    if status is not None:
        query = query.where(func.lower(Check.status) == status.strip().lower())
    infos = check_infos(session, session.exec(query).all())
    changes = _histories(session, status) if history else {}
    return [CheckExport(info, tuple(changes.get(info.id, ()))) for info in infos]


def _histories(session: Session, status: str | None) -> dict[int, list[CheckChange]]:
    """The history of every check (of `status`), in one query over the event log, read as
    column tuples: ORM rows for the tens of thousands of events of a large desk took most of
    the export's time."""
    query = select_columns(
        Event.check_id,
        raw_column(Event, "at"),
        Event.actor,
        Event.kind,
        raw_column(Event, "payload"),
    ).where(col(Event.check_id).is_not(None), col(Event.kind).in_(CHECK_KINDS))
    if status is not None:
        chosen = select(Check.id).where(func.lower(Check.status) == status.strip().lower())
        query = query.where(col(Event.check_id).in_(chosen))
    found: dict[int, list[CheckChange]] = defaultdict(list)
    for check_id, at, actor, kind, raw in session.connection().execute(
        query.order_by(col(Event.id))
    ):
        payload = json_object(raw)
        found[check_id].append(
            CheckChange(
                at=utc_datetime(at),
                actor=actor,
                field=str(payload.get("field", kind)),
                old=payload.get("old"),
                new=payload.get("new"),
            )
        )
    return found


def span_checks(session: Session, low: int, high: int) -> dict[int, dict[str, Any]]:
    """attrs.check of every claim span of documents low..high that is an appearance: span id
    -> the check object (each check read once, however many of its appearances are there)."""
    query = (
        select(CheckAppearance.span_id, CheckAppearance.check_id)
        .join(Span, col(Span.id) == col(CheckAppearance.span_id))
        .where(col(Span.document_id).between(low, high))
    )
    pairs = session.exec(query).all()
    if not pairs:
        return {}
    ids = sorted({check_id for _, check_id in pairs})
    rows = session.exec(select(Check).where(col(Check.id).in_(ids))).all()
    objects = {info.id: check_object(info) for info in check_infos(session, rows)}
    return {span_id: objects[check_id] for span_id, check_id in pairs}
