"""Relations in the gold layer: accepting, rejecting and auto-adjudicating links, inside the
caller's transaction (see `store.gold` for spans).

Each reviewer action is ONE event of the gold layer's log, so one undo reverts it whole:
- `relation_add` (layer gold; payload `relation` and `from`: whose link it was),
- `relation_reject` (relation decision rows created, gold relations removed).
Decision rows are what auto-adjudication consults so that it never re-adds what a reviewer took out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from review.alignment import GoldRef, SpanKey
from review.relation_review import RelationKey, auto_relation_plan
from store.column_values import aware_utc
from store.errors import StoreError
from store.events import RELATION_ADD, RELATION_REJECT, event_row, log_event
from store.info import RelationDecisionInfo
from store.queries import document_text, done_annotators, relations_with_ends, select_columns
from store.snapshots import relation_snapshot
from store.tables import (
    Annotator,
    DocumentReview,
    Event,
    Relation,
    RelationDecision,
    Span,
    utc_now,
)
from store.writes import insert_relation, insert_rows, restore_relations
from vocabulary.names import GOLD_LAYER

# -- writes ------------------------------------------------------------------------------------


def put_relation_in_gold(
    session: Session,
    doc_id: int,
    head_id: int,
    child_id: int,
    label: str,
    reviewer: Annotator,
    from_annotators: Sequence[str] = (),
) -> Relation:
    """Link two gold spans of `doc_id`, as one undoable event; an identical link is returned."""
    for span_id in (head_id, child_id):
        end = session.get(Span, span_id)
        if end is None or end.annotator_id is not None or end.document_id != doc_id:
            raise StoreError(f"span {span_id} is not in the gold layer of document {doc_id}")
    if head_id == child_id:
        raise StoreError(f"a relation needs two different spans (got span {head_id} twice)")
    existing = session.exec(
        select(Relation).where(
            Relation.document_id == doc_id,
            col(Relation.annotator_id).is_(None),
            Relation.head_id == head_id,
            Relation.child_id == child_id,
            Relation.label == label,
        )
    ).first()
    if existing is not None:
        return existing
    row = insert_relation(session, doc_id, None, head_id, child_id, label)
    payload = {"relation": relation_snapshot(row), "from": sorted(from_annotators)}
    log_event(session, RELATION_ADD, reviewer.name, payload, document_id=doc_id, layer=GOLD_LAYER)
    return row


def reject_relations(
    session: Session, doc_id: int, keys: Sequence[RelationKey], reviewer: Annotator
) -> int:
    """Keep `keys` out of gold: record each as rejected and remove gold relations equal to one.

    Returns how many keys were newly rejected or gold relations removed (0: nothing logged).
    """
    document_text(session, doc_id)
    unique = list(dict.fromkeys(keys))
    created = [s for key in unique if (s := _decide(session, doc_id, key, reviewer)) is not None]
    removed = []
    for row in _gold_relations_with_keys(session, doc_id, set(unique)):
        removed.append(relation_snapshot(row))
        session.delete(row)
    session.flush()
    if not created and not removed:
        return 0
    payload = {"keys": [_key_json(key) for key in unique], "created": created, "removed": removed}
    log_event(
        session, RELATION_REJECT, reviewer.name, payload, document_id=doc_id, layer=GOLD_LAYER
    )
    return len(created) + len(removed)


def revert_relation_reject(session: Session, event: Event) -> None:
    """Undo a relation_reject: its decisions go, its removed gold relations come back."""
    payload = event.payload or {}
    for snapshot in payload.get("created", []):
        row = session.get(RelationDecision, snapshot["id"])
        if row is not None:
            session.delete(row)
    session.flush()
    restore_relations(session, event, payload.get("removed", []))


def reapply_relation_reject(session: Session, event: Event) -> None:
    """Redo a relation_reject."""
    payload = event.payload or {}
    for snapshot in payload.get("created", []):
        key = _key_from_json(snapshot["key"])
        if session.get(RelationDecision, snapshot["id"]) is None and not _decided(
            session, snapshot["document_id"], key
        ):
            session.add(_decision_row(snapshot["document_id"], key, snapshot))
    for removed in payload.get("removed", []):
        row = session.get(Relation, removed["id"])
        if row is not None:
            session.delete(row)
    session.flush()


def describe_relation_reject(event: Event) -> str:
    keys = [_key_from_json(raw) for raw in (event.payload or {}).get("keys", [])]
    return "reject link " + ", ".join(
        f"{label} {head[2]} {head[0]}-{head[1]} → {child[2]} {child[0]}-{child[1]}"
        for head, child, label in keys
    )


# -- auto-adjudication -------------------------------------------------------------------------


def auto_adjudicate_relations(
    session: Session, doc_ids: Sequence[int], min_agree: int, reviewer: Annotator
) -> dict[str, int]:
    """Link in gold what `min_agree` annotators linked between gold spans (after the spans'
    own auto-adjudication in the same transaction); counts by kind, `relations_` prefixed.
    Documents a reviewer marked adjudicated are left alone."""
    counts: dict[str, int] = defaultdict(int)
    final = session.exec(
        select(DocumentReview.document_id).where(
            col(DocumentReview.document_id).in_(list(doc_ids)),
            col(DocumentReview.adjudicated).is_(True),
        )
    ).all()
    doc_ids = [doc_id for doc_id in doc_ids if doc_id not in set(final)]
    if not doc_ids:
        return counts
    layers = _done_relation_keys(session, doc_ids)
    gold_spans = _gold_refs(session, doc_ids)
    linked = _gold_links(session, doc_ids)
    decided = _decided_keys(session, doc_ids)
    additions: list[tuple[int, tuple[int, int, str, tuple[str, ...]]]] = []
    for doc_id in doc_ids:
        plan = auto_relation_plan(
            layers.get(doc_id, {}), gold_spans[doc_id], linked[doc_id], decided[doc_id], min_agree
        )
        counts["relations_added"] += len(plan.add)
        counts["relations_already_in_gold"] += plan.already_in_gold
        counts["relations_decided"] += plan.decided
        counts["relations_ends_not_in_gold"] += plan.ends_not_in_gold
        additions += [(doc_id, link) for link in plan.add]
    _add_auto_links(session, additions, reviewer)
    return counts


def _add_auto_links(
    session: Session,
    additions: Sequence[tuple[int, tuple[int, int, str, tuple[str, ...]]]],
    reviewer: Annotator,
) -> None:
    """The plan's links in one INSERT and their relation_add events in another (as spans)."""
    if not additions:
        return
    rows = [
        {"document_id": doc_id, "annotator_id": None, "head_id": head, "child_id": child}
        | {"label": label, "created_at": utc_now()}
        for doc_id, (head, child, label, _who) in additions
    ]
    insert_rows(session, Relation, rows)
    doc_ids = sorted({doc_id for doc_id, _ in additions})
    written = select_columns(
        Relation.id, Relation.head_id, Relation.child_id, Relation.label
    ).where(col(Relation.document_id).in_(doc_ids), col(Relation.annotator_id).is_(None))
    ids = {(head, child, label): rid for rid, head, child, label in session.exec(written)}
    events = []
    for doc_id, (head, child, label, who) in additions:
        snapshot = {"id": ids[(head, child, label)], "head_id": head, "child_id": child}
        payload = {"relation": snapshot | {"label": label}, "from": list(who)}
        events.append(
            event_row(RELATION_ADD, reviewer.name, payload, document_id=doc_id, layer=GOLD_LAYER)
        )
    insert_rows(session, Event, events)


def _relation_rows_with_ends(session: Session, doc_ids: Sequence[int], gold: bool) -> list[Any]:
    """(document, annotator, label, head start, end, label, child start, end, label, relation id,
    head id, child id) of the documents' relations: gold ones, or annotators' ones."""
    owner = col(Relation.annotator_id)
    layer = owner.is_(None) if gold else owner.is_not(None)
    query = (
        relations_with_ends(Relation.id, Relation.head_id, Relation.child_id)
        .where(col(Relation.document_id).in_(list(doc_ids)), layer)
        .order_by(col(Relation.id))
    )
    return list(session.connection().execute(query).all())


def _done_relation_keys(
    session: Session, doc_ids: Sequence[int]
) -> dict[int, dict[str, list[RelationKey]]]:
    """Per document, the relations of each annotator who marked it done."""
    done = done_annotators(session, doc_ids)
    layers: dict[int, dict[str, list[RelationKey]]] = defaultdict(dict)
    for doc_id, annotators in done.items():
        layers[doc_id] = {name: [] for name in annotators.values()}
    for row in _relation_rows_with_ends(session, doc_ids, gold=False):
        name = done.get(row[0], {}).get(row[1])
        if name is not None:
            layers[row[0]][name].append(_row_key(row))
    return layers


def _row_key(row: Any) -> RelationKey:
    return ((row[3], row[4], row[5]), (row[6], row[7], row[8]), row[2])


def _gold_refs(session: Session, doc_ids: Sequence[int]) -> dict[int, list[GoldRef]]:
    rows = session.exec(
        select_columns(Span.id, Span.document_id, Span.start, Span.end, Span.label).where(
            col(Span.document_id).in_(doc_ids), col(Span.annotator_id).is_(None)
        )
    ).all()
    refs: dict[int, list[GoldRef]] = defaultdict(list)
    for span_id, doc_id, start, end, label in rows:
        refs[doc_id].append(GoldRef(span_id, start, end, label))
    return refs


def _gold_links(session: Session, doc_ids: Sequence[int]) -> dict[int, set[tuple[int, int, str]]]:
    rows = session.exec(
        select_columns(
            Relation.document_id, Relation.head_id, Relation.child_id, Relation.label
        ).where(col(Relation.document_id).in_(doc_ids), col(Relation.annotator_id).is_(None))
    ).all()
    links: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
    for doc_id, head, child, label in rows:
        links[doc_id].add((head, child, label))
    return links


def _decided_keys(session: Session, doc_ids: Sequence[int]) -> dict[int, set[RelationKey]]:
    rows = session.exec(
        select(RelationDecision).where(col(RelationDecision.document_id).in_(doc_ids))
    ).all()
    keys: dict[int, set[RelationKey]] = defaultdict(set)
    for row in rows:
        keys[row.document_id].add(_decision_key(row))
    return keys


# -- reads -------------------------------------------------------------------------------------


def relation_decisions_of(session: Session, doc_id: int) -> list[RelationDecisionInfo]:
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    rows = session.exec(
        select(RelationDecision)
        .where(RelationDecision.document_id == doc_id)
        .order_by(col(RelationDecision.id))
    ).all()
    return [
        RelationDecisionInfo(
            *_decision_key(row),
            row.decision,
            names.get(row.reviewer_id) if row.reviewer_id is not None else None,
            aware_utc(row.decided_at),
        )
        for row in rows
    ]


def gold_relation_sources(session: Session, doc_id: int) -> dict[int, tuple[str, ...]]:
    """For each gold relation id, whose link it was (the log's latest relation_add of it)."""
    added = session.exec(
        select(Event.payload)
        .where(Event.document_id == doc_id, Event.layer == GOLD_LAYER, Event.kind == RELATION_ADD)
        .order_by(col(Event.id))
    ).all()
    sources: dict[int, tuple[str, ...]] = {}
    for payload in added:
        relation = (payload or {}).get("relation") or {}
        if "id" in relation:
            sources[relation["id"]] = tuple((payload or {}).get("from", []))
    return sources


# -- small helpers -----------------------------------------------------------------------------


def _decision_key(row: RelationDecision) -> RelationKey:
    return (
        (row.head_start, row.head_end, row.head_label),
        (row.child_start, row.child_end, row.child_label),
        row.label,
    )


def _key_json(key: RelationKey) -> list[Any]:
    head, child, label = key
    return [list(head), list(child), label]


def _key_from_json(raw: list[Any]) -> RelationKey:
    head, child, label = raw
    return (_span_key(head), _span_key(child), label)


def _span_key(raw: list[Any]) -> SpanKey:
    start, end, label = raw
    return (int(start), int(end), str(label))


def _decided(session: Session, doc_id: int, key: RelationKey) -> bool:
    (hs, he, hl), (cs, ce, cl), label = key
    query = select(RelationDecision.id).where(
        RelationDecision.document_id == doc_id,
        RelationDecision.head_start == hs,
        RelationDecision.head_end == he,
        RelationDecision.head_label == hl,
        RelationDecision.child_start == cs,
        RelationDecision.child_end == ce,
        RelationDecision.child_label == cl,
        RelationDecision.label == label,
    )
    return session.exec(query).first() is not None


def _decision_row(doc_id: int, key: RelationKey, snapshot: dict[str, Any]) -> RelationDecision:
    """A decision row from its snapshot (what `_decide` logged), for redo."""
    (hs, he, hl), (cs, ce, cl), label = key
    return RelationDecision(
        id=snapshot["id"],
        document_id=doc_id,
        head_start=hs,
        head_end=he,
        head_label=hl,
        child_start=cs,
        child_end=ce,
        child_label=cl,
        label=label,
        decision=snapshot["decision"],
        reviewer_id=snapshot["reviewer_id"],
        decided_at=datetime.fromisoformat(snapshot["decided_at"]),
    )


def _decide(
    session: Session, doc_id: int, key: RelationKey, reviewer: Annotator
) -> dict[str, Any] | None:
    """Record `key` as rejected unless it is decided already; its snapshot, or None."""
    if _decided(session, doc_id, key):
        return None
    (hs, he, hl), (cs, ce, cl), label = key
    row = RelationDecision(
        document_id=doc_id,
        head_start=hs,
        head_end=he,
        head_label=hl,
        child_start=cs,
        child_end=ce,
        child_label=cl,
        label=label,
        decision="rejected",
        reviewer_id=reviewer.id,
    )
    session.add(row)
    session.flush()
    return {
        "id": row.id,
        "document_id": doc_id,
        "key": _key_json(key),
        "decision": row.decision,
        "reviewer_id": reviewer.id,
        "decided_at": row.decided_at.isoformat(),
    }


def _gold_relations_with_keys(
    session: Session, doc_id: int, keys: set[RelationKey]
) -> list[Relation]:
    """The document's gold relations whose ends and label make one of `keys`."""
    rows = _relation_rows_with_ends(session, [doc_id], gold=True)
    ids = [row[9] for row in rows if _row_key(row) in keys]
    return [row for rid in ids if (row := session.get(Relation, rid)) is not None]


__all__ = [
    "auto_adjudicate_relations",
    "describe_relation_reject",
    "gold_relation_sources",
    "put_relation_in_gold",
    "reapply_relation_reject",
    "reject_relations",
    "relation_decisions_of",
    "revert_relation_reject",
]
