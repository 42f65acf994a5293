"""Assignments: which documents each annotator is given, planned by `review.assignment`.

Runs inside the caller's write or read transaction; the role check is the caller's
(`Store.assign`: reviewers and admins only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from review.assignment import plan_assignments
from store.errors import StoreError
from store.events import ASSIGN, log_event
from store.info import AssignSummary
from store.queries import all_document_ids
from store.roles import person
from store.row_info import row_id
from store.tables import Annotator, Assignment, utc_now
from store.writes import insert_rows


def assign_documents(
    session: Session,
    annotators: Sequence[str],
    per_document: int,
    documents: Sequence[int] | None,
    acting: Annotator,
) -> AssignSummary:
    """Give each of `documents` (None: all) `per_document` of `annotators` (registered if new),
    least-loaded first; current assignments count."""
    ids = list(documents) if documents is not None else all_document_ids(session)
    rows = {name: person(session, name) for name in annotators}
    plan = plan_assignments(
        ids, list(annotators), per_document, *_current_assignments(session, rows)
    )
    return _store_plan(session, plan, rows, acting, per_document)


def assignments_of(session: Session, annotator: str | None) -> dict[int, tuple[str, ...]]:
    """Each assigned document's annotators (sorted); only `annotator`'s documents if given."""
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
    known = set(all_document_ids(session))
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
