"""Checks inside the caller's transaction: reading them whole, listing the desk, their history.

A check's appearances are claim spans of any layer and document; its evidence may point at a
stretch of another stored document. Reads gather each kind of row in one query for every check
asked for, so a desk of thousands of checks reads in a handful of queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.check_listing import desk_summaries
from store.column_values import ext_id, utc_datetime
from store.desk_info import (
    AppearanceInfo,
    CheckChange,
    CheckFilter,
    CheckInfo,
    CheckSummary,
    EvidenceInfo,
)
from store.entities import info_of
from store.errors import StoreError
from store.events import CHECK_KINDS
from store.export_reads import session_rows
from store.info import EntityInfo
from store.queries import select_columns
from store.row_info import row_id
from store.tables import (
    Annotator,
    Check,
    CheckAppearance,
    Document,
    Entity,
    Event,
    Evidence,
    Relation,
    Span,
)
from vocabulary.checks import CheckSettings
from vocabulary.names import GOLD_LAYER, SAID_BY


def find_check_row(session: Session, ref: str | int, *, for_update: bool = False) -> Check:
    """A check by public id ("c-3f9a…", or a unique start of one) or number; StoreError if none.

    `for_update` locks the row on PostgreSQL (SQLite's write transaction already holds the file),
    so two reviewers' changes to one check are applied one after the other, never interleaved.
    """
    query = select(Check)
    text = str(ref).strip()
    if isinstance(ref, int) or text.isdigit():
        query = query.where(Check.id == int(text))
    elif text.startswith("c-") and len(text) > 2:
        query = query.where(col(Check.uid).startswith(text, autoescape=True))
    else:
        raise StoreError(f"{text!r} is not a check id (they look like c-3f9a…)")
    if for_update:
        query = query.with_for_update()
    rows = session.exec(query.limit(2)).all()
    if not rows:
        raise StoreError(f"no check {text}")
    if len(rows) > 1:
        raise StoreError(f"{text} is the start of several checks' ids: give more of it")
    return rows[0]


def check_of_span_row(session: Session, span_id: int) -> Check | None:
    query = (
        select(Check)
        .join(CheckAppearance, col(CheckAppearance.check_id) == col(Check.id))
        .where(CheckAppearance.span_id == span_id)
    )
    return session.exec(query).first()


def checks_of_spans(session: Session, span_ids: list[int]) -> dict[int, str]:
    """span id -> the uid of the check it is an appearance of, for the spans that are one."""
    if not span_ids:
        return {}
    query = (
        select(CheckAppearance.span_id, Check.uid)
        .join(Check, col(Check.id) == col(CheckAppearance.check_id))
        .where(col(CheckAppearance.span_id).in_(span_ids))
    )
    return {span_id: uid for span_id, uid in session.exec(query).all()}


# -- whole checks ------------------------------------------------------------------------------


def check_infos(session: Session, rows: Sequence[Check]) -> list[CheckInfo]:
    """`rows` as CheckInfo, with names, claimants, appearances and evidence, in a few queries."""
    if not rows:
        return []
    ids = [row_id(row.id) for row in rows]
    names = _annotator_names(
        session,
        {
            person_id
            for row in rows
            for person_id in (
                row.assignee_id,
                row.verdict_by_id,
                row.reviewed_by_id,
                row.created_by_id,
            )
            if person_id is not None
        },
    )
    claimants = _entities(session, {r.claimant_id for r in rows if r.claimant_id is not None})
    appearances = _appearances(session, ids)
    evidence = _evidence(session, ids)
    return [
        CheckInfo(
            id=row_id(row.id),
            uid=row.uid,
            claim=row.claim,
            status=row.status,
            assignee=names.get(row.assignee_id) if row.assignee_id else None,
            claimant=claimants.get(row.claimant_id) if row.claimant_id else None,
            rating=row.rating,
            rating_value=row.rating_value,
            explanation=row.explanation,
            summary=row.summary,
            url=row.url,
            date=row.date,
            verdict_by=names.get(row.verdict_by_id) if row.verdict_by_id else None,
            reviewed_by=names.get(row.reviewed_by_id) if row.reviewed_by_id else None,
            created_by=names.get(row.created_by_id) if row.created_by_id else None,
            created_at=utc_datetime(row.created_at),
            updated_at=utc_datetime(row.updated_at),
            appearances=tuple(appearances.get(row_id(row.id), ())),
            evidence=tuple(evidence.get(row_id(row.id), ())),
        )
        for row in rows
    ]


def check_info(session: Session, row: Check) -> CheckInfo:
    return check_infos(session, [row])[0]


def _annotator_names(session: Session, ids: Iterable[int]) -> dict[int | None, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(Annotator.id, Annotator.name).where(col(Annotator.id).in_(wanted))
    return {person_id: name for person_id, name in session.exec(query).all()}


def _entities(session: Session, ids: Iterable[int]) -> dict[int | None, EntityInfo]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.exec(select(Entity).where(col(Entity.id).in_(wanted))).all()
    return {row.id: info_of(session, row) for row in rows}


def _appearances(session: Session, check_ids: list[int]) -> dict[int, list[AppearanceInfo]]:
    query = (
        select_columns(
            CheckAppearance.check_id,
            Span.id,
            Span.document_id,
            Span.annotator_id,
            Span.start,
            Span.end,
            func.substr(Document.text, Span.start + 1, Span.end - Span.start),
            Document.text_sha256,
            Document.title,
            Document.outlet,
            Document.url,
            Document.published,
        )
        .join(Span, col(Span.id) == col(CheckAppearance.span_id))
        .join(Document, col(Document.id) == col(Span.document_id))
        .where(col(CheckAppearance.check_id).in_(check_ids))
        .order_by(col(Span.document_id), col(Span.start), col(Span.id))
    )
    rows = session.exec(query).all()
    layers = _annotator_names(session, {r[3] for r in rows if r[3] is not None})
    found: dict[int, list[AppearanceInfo]] = defaultdict(list)
    for check_id, span_id, doc_id, annotator_id, start, end, text, sha, *article in rows:
        title, outlet, url, published = article
        found[check_id].append(
            AppearanceInfo(
                span_id=span_id,
                document_id=doc_id,
                document_ext_id=ext_id(sha),
                layer=layers.get(annotator_id, GOLD_LAYER) if annotator_id else GOLD_LAYER,
                start=start,
                end=end,
                text=text,
                title=title,
                outlet=outlet,
                url=url,
                published=published,
            )
        )
    return found


def _evidence(session: Session, check_ids: list[int]) -> dict[int, list[EvidenceInfo]]:
    query = (
        select(
            Evidence,
            Document.text_sha256,
            func.substr(Document.text, col(Evidence.start) + 1, _stretch_length()),
        )
        .outerjoin(Document, col(Document.id) == col(Evidence.document_id))
        .where(col(Evidence.check_id).in_(check_ids))
        .order_by(col(Evidence.check_id), col(Evidence.position), col(Evidence.id))
    )
    found: dict[int, list[EvidenceInfo]] = defaultdict(list)
    for row, sha, stretch in session.exec(query).all():
        found[row.check_id].append(evidence_info(row, sha, stretch))
    return found


def _stretch_length() -> Any:
    return col(Evidence.end) - col(Evidence.start)


def evidence_info(row: Evidence, sha: str | None, stretch: str | None) -> EvidenceInfo:
    has_document = row.document_id is not None and sha is not None
    return EvidenceInfo(
        uid=row.uid,
        url=row.url,
        title=row.title,
        publisher=row.publisher,
        published=row.published,
        accessed=row.accessed,
        archived=row.archived,
        excerpt=row.excerpt,
        stance=row.stance,
        document_id=row.document_id if has_document else None,
        document_ext_id=ext_id(sha) if has_document and sha else None,
        start=row.start if has_document else None,
        end=row.end if has_document else None,
        span_id=row.span_id,
        span_text=stretch if has_document and row.start is not None else None,
    )


# -- the desk ----------------------------------------------------------------------------------


def check_summaries(
    session: Session, wanted: CheckFilter | None, settings: CheckSettings
) -> list[CheckSummary]:
    """The desk's rows (see `store.check_listing`, which `factmark claims` also reads directly)."""
    return desk_summaries(session_rows(session), wanted, settings)


# -- history and claimants ---------------------------------------------------------------------


def check_history(session: Session, check_id: int) -> list[CheckChange]:
    """Every change made to a check, oldest first."""
    query = (
        select(Event)
        .where(Event.check_id == check_id, col(Event.kind).in_(CHECK_KINDS))
        .order_by(col(Event.id))
    )
    return [
        CheckChange(
            at=utc_datetime(row.at),
            actor=row.actor,
            field=str(row.payload.get("field", row.kind)),
            old=row.payload.get("old"),
            new=row.payload.get("new"),
        )
        for row in session.exec(query).all()
    ]


def last_change_of(session: Session, check_id: int, field: str) -> CheckChange | None:
    """The latest change of one field of a check (for saying who changed it under a user)."""
    changes = [c for c in check_history(session, check_id) if c.field == field]
    return changes[-1] if changes else None


def claimant_candidates(session: Session, check_id: int) -> list[EntityInfo]:
    """The entities that appearances of a check are `said_by`, most often first."""
    appearance_spans = select(CheckAppearance.span_id).where(CheckAppearance.check_id == check_id)
    query = (
        select(Span.entity_id)
        .join(Relation, col(Relation.child_id) == col(Span.id))
        .where(
            col(Relation.head_id).in_(appearance_spans),
            Relation.label == SAID_BY,
            col(Span.entity_id).is_not(None),
        )
    )
    counts = Counter(entity_id for entity_id in session.exec(query).all() if entity_id)
    entities = _entities(session, counts)
    ordered = sorted(counts, key=lambda e: (-counts[e], entities[e].name.casefold()))
    return [entities[entity_id] for entity_id in ordered]
