"""Adjudication into the gold layer, inside the caller's transaction.

Each reviewer action is ONE event of the gold layer's log, so one undo reverts it whole:
- `span_add` (gold_source accepted | edited | added | auto; payload `from`: whose version,
  `replaced`: the gold spans it took the place of, and what the span took from the version:
  `note_from` / `attrs_from` whose note and whose attributes, `left_out` the values annotators
  gave differently that it did not take),
- `gold_reject` (spans kept out of gold: decision rows created, gold spans removed),
- `span_edit` (a gold span's new extent; the old extent is recorded as "edited" away),
- `adjudicated` (the document's adjudicated mark).
Decision rows are what auto-adjudication consults so that it never re-adds what a reviewer took out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from review.adjudication import NOTHING, Carried, Marking, gold_lacks, merged
from review.alignment import SpanKey, Version, auto_plan
from store.check_writes import carry_checks_into_gold
from store.column_values import aware_utc, json_object
from store.errors import StoreError
from store.events import (
    ADJUDICATED,
    GOLD_REJECT,
    GOLD_VALUES,
    SPAN_ADD,
    SPAN_EDIT,
    event_row,
    log_event,
)
from store.info import GoldDecisionInfo, GoldProvenance, ReviewStatus
from store.layer import Layer
from store.queries import document_text, done_annotators, select_columns
from store.row_info import raw_column, row_id
from store.snapshots import snapshot_of, span_snapshot
from store.span_columns import new_span, new_span_row
from store.tables import (
    Annotator,
    DocumentReview,
    Event,
    GoldDecision,
    Span,
    utc_now,
)
from store.validation import check_label, check_offsets
from store.writes import deletion_snapshot, insert_rows, remove_span, restore_span
from vocabulary.names import CLAIM_LABEL, GOLD_LAYER
from vocabulary.records import SpanDraft

GOLD = Layer(GOLD_LAYER, None)


# -- writes ------------------------------------------------------------------------------------


def put_in_gold(
    session: Session,
    doc_id: int,
    key: SpanKey,
    *,
    source: str,
    reviewer: Annotator,
    from_annotators: Sequence[str] = (),
    replace: Sequence[int] = (),
    carried: Carried = NOTHING,
) -> Span:
    """Add `key` to gold (replacing the gold spans `replace`) with the note, attributes and
    entity `carried` takes from the version, as one undoable event.

    An identical gold span already there is kept (nothing replaced) and takes from `carried`
    only what it lacks (`_fill_values`).
    """
    start, end, label = key
    check_label(label)
    check_offsets(start, end, len(document_text(session, doc_id)))
    existing = _gold_span(session, doc_id, key)
    if existing is not None:
        _fill_values(session, existing, carried, reviewer)
        return existing
    replaced = [_remove_gold(session, doc_id, span_id) for span_id in replace]
    draft = SpanDraft(
        start, end, label, note=carried.note, attrs=dict(carried.attrs), origin="manual"
    )
    row = new_span(doc_id, GOLD, draft)
    row.gold_source, row.reviewer_id = source, reviewer.id
    row.entity_id = carried.entity_id
    session.add(row)
    session.flush()
    payload = {
        "span": span_snapshot(row),
        "from": sorted(from_annotators),
        "replaced": replaced,
        **carried_payload(carried),
    }
    log_event(
        session,
        SPAN_ADD,
        reviewer.name,
        payload,
        document_id=doc_id,
        layer=GOLD_LAYER,
        span_id=row.id,
    )
    if label == CLAIM_LABEL:
        carry_checks_into_gold(session, [doc_id], reviewer)
    return row


def _fill_values(session: Session, row: Span, carried: Carried, reviewer: Annotator) -> None:
    """A gold span takes, from a version identical to it, what it lacks (`gold_lacks`), as one
    undoable gold_values event; nothing is logged when it lacks nothing."""
    taken = gold_lacks(row.note, row.attrs or {}, row.entity_id, carried)
    if taken == NOTHING:
        return
    before = _values_of(row)
    after = {
        "note": taken.note if taken.note is not None else row.note,
        "attrs": {**(row.attrs or {}), **dict(taken.attrs)},
        "entity_id": taken.entity_id if taken.entity_id is not None else row.entity_id,
    }
    _set_values(session, row, after)
    payload: dict[str, Any] = {"span": span_snapshot(row), "before": before, "after": after}
    log_event(
        session,
        GOLD_VALUES,
        reviewer.name,
        payload | carried_payload(taken),
        document_id=row.document_id,
        layer=GOLD_LAYER,
        span_id=row.id,
    )
    if row.label == CLAIM_LABEL and taken.attrs:
        carry_checks_into_gold(session, [row.document_id], reviewer)


def _values_of(row: Span) -> dict[str, Any]:
    return {"note": row.note, "attrs": dict(row.attrs or {}), "entity_id": row.entity_id}


def _set_values(session: Session, row: Span, values: dict[str, Any]) -> None:
    row.note, row.attrs, row.entity_id = values["note"], dict(values["attrs"]), values["entity_id"]
    row.updated_at = utc_now()
    session.add(row)
    session.flush()


def _set_values_by_id(session: Session, span_id: int, values: dict[str, Any]) -> None:
    row = session.get(Span, span_id)
    if row is not None:
        _set_values(session, row, values)


def carried_payload(carried: Carried) -> dict[str, list[str]]:
    """What a span_add event says the gold span took from its version (nothing when empty)."""
    said = {
        "note_from": list(carried.note_from),
        "attrs_from": list(carried.attrs_from),
        "left_out": list(carried.left_out),
    }
    return {name: value for name, value in said.items() if value}


def reject(session: Session, doc_id: int, keys: Sequence[SpanKey], reviewer: Annotator) -> int:
    """Keep `keys` out of gold: record each as rejected and remove gold spans equal to one.

    Returns how many keys were newly rejected or removed from gold (0: nothing changed, nothing
    logged).
    """
    document_text(session, doc_id)
    created = [_decide(session, doc_id, key, "rejected", reviewer) for key in dict.fromkeys(keys)]
    created = [snapshot for snapshot in created if snapshot is not None]
    removed = [
        _remove_gold(session, doc_id, row_id(row.id))
        for key in dict.fromkeys(keys)
        if (row := _gold_span(session, doc_id, key)) is not None
    ]
    if not created and not removed:
        return 0
    payload = {"keys": [list(key) for key in keys], "created": created, "removed": removed}
    log_event(session, GOLD_REJECT, reviewer.name, payload, document_id=doc_id, layer=GOLD_LAYER)
    return len(created) + len(removed)


def edit_extent(session: Session, span_id: int, start: int, end: int, reviewer: Annotator) -> Span:
    """Give a gold span a new extent; its old extent is recorded as edited away."""
    row = session.get(Span, span_id)
    if row is None or row.annotator_id is not None:
        raise StoreError(f"span {span_id} is not in the gold layer")
    check_offsets(start, end, len(document_text(session, row.document_id)))
    if (row.start, row.end) == (start, end):
        return row
    if _gold_span(session, row.document_id, (start, end, row.label)) is not None:
        raise StoreError(f"{row.label} {start}-{end} is already in gold")
    before = span_snapshot(row)
    old_key = (row.start, row.end, row.label)
    created = _decide(session, row.document_id, old_key, "edited", reviewer)
    _set_extent(row, start, end, "edited", reviewer.id)
    session.add(row)
    session.flush()
    payload = {
        "before": before,
        "after": span_snapshot(row),
        "created": [created] if created is not None else [],
    }
    log_event(
        session,
        SPAN_EDIT,
        reviewer.name,
        payload,
        document_id=row.document_id,
        layer=GOLD_LAYER,
        span_id=row.id,
    )
    return row


def mark_adjudicated(session: Session, doc_id: int, adjudicated: bool, reviewer: Annotator) -> bool:
    """Set the document's adjudicated mark; True if it changed (and was logged)."""
    document_text(session, doc_id)
    row = session.get(DocumentReview, doc_id)
    before = {
        "adjudicated": bool(row and row.adjudicated),
        "reviewer_id": row.reviewer_id if row else None,
    }
    if before["adjudicated"] == adjudicated:
        return False
    _apply_review_mark(session, doc_id, adjudicated, reviewer.id)
    after = {"adjudicated": adjudicated, "reviewer_id": reviewer.id}
    log_event(
        session,
        ADJUDICATED,
        reviewer.name,
        {"before": before, "after": after},
        document_id=doc_id,
        layer=GOLD_LAYER,
    )
    return True


# -- undo / redo of the gold kinds (called by store.history) ------------------------------------


def revert_gold_event(session: Session, event: Event) -> None:
    """Undo a gold_reject, span_edit or adjudicated event."""
    payload = event.payload or {}
    if event.kind == GOLD_REJECT:
        _drop_decisions(session, payload.get("created", []))
        _restore_removed(session, event, payload.get("removed", []))
    elif event.kind == SPAN_EDIT:
        _restore_extent(session, payload["before"])
        _drop_decisions(session, payload.get("created", []))
    elif event.kind == GOLD_VALUES:
        _set_values_by_id(session, payload["span"]["id"], payload["before"])
    elif event.kind == ADJUDICATED:
        before = payload["before"]
        _apply_review_mark(
            session, row_id(event.document_id), before["adjudicated"], before["reviewer_id"]
        )


def reapply_gold_event(session: Session, event: Event) -> None:
    """Redo a gold_reject, span_edit or adjudicated event."""
    payload = event.payload or {}
    if event.kind == GOLD_REJECT:
        _recreate_decisions(session, payload.get("created", []))
        for removed in payload.get("removed", []):
            _delete_if_present(session, removed["span"]["id"])
    elif event.kind == SPAN_EDIT:
        _restore_extent(session, payload["after"])
        _recreate_decisions(session, payload.get("created", []))
    elif event.kind == GOLD_VALUES:
        _set_values_by_id(session, payload["span"]["id"], payload["after"])
    elif event.kind == ADJUDICATED:
        after = payload["after"]
        _apply_review_mark(
            session, row_id(event.document_id), after["adjudicated"], after["reviewer_id"]
        )


def restore_replaced(session: Session, event: Event) -> None:
    """Put back the gold spans a span_add replaced (its undo)."""
    _restore_removed(session, event, (event.payload or {}).get("replaced", []))


def remove_replaced(session: Session, event: Event) -> None:
    """Remove again the gold spans a span_add replaced (its redo)."""
    for replaced in (event.payload or {}).get("replaced", []):
        _delete_if_present(session, replaced["span"]["id"])


def describe_gold_event(event: Event) -> str:
    payload = event.payload or {}
    if event.kind == GOLD_REJECT:
        keys = payload.get("keys", [])
        return "reject " + ", ".join(f"{label} {start}-{end}" for start, end, label in keys)
    if event.kind == SPAN_EDIT:
        before, after = payload["before"], payload["after"]
        return (
            f"edit {before['label']} {before['start']}-{before['end']} "
            f"to {after['start']}-{after['end']}"
        )
    if event.kind == GOLD_VALUES:
        span = payload["span"]
        return f"values taken by {span['label']} {span['start']}-{span['end']}"
    return "mark adjudicated" if payload["after"]["adjudicated"] else "mark not adjudicated"


# -- auto-adjudication -------------------------------------------------------------------------


def auto_adjudicate_documents(
    session: Session, doc_ids: Sequence[int], min_agree: int, reviewer: Annotator
) -> dict[str, int]:
    """Auto-adjudicate a batch of documents (see `review.alignment.auto_plan`); counts by kind."""
    counts: dict[str, int] = defaultdict(int)
    if not doc_ids:
        return counts
    adjudicated = _adjudicated_ids(session, doc_ids)
    layers = _done_layers(session, doc_ids)
    gold = _gold_keys(session, doc_ids)
    decided = _decided_keys(session, doc_ids)
    additions: list[tuple[int, Version]] = []
    for doc_id in doc_ids:
        counts["documents"] += 1
        if doc_id in adjudicated:
            counts["adjudicated_skipped"] += 1
            continue
        plan = auto_plan(layers.get(doc_id, {}), gold[doc_id], decided[doc_id], min_agree)
        counts["already_in_gold"] += plan.already_in_gold
        counts["decided"] += plan.decided
        counts["conflicting"] += plan.conflicting
        counts["added_beside_rival"] += plan.beside_rival
        additions += [(doc_id, version) for version in plan.add]
        counts["added"] += len(plan.add)
        counts["documents_changed"] += bool(plan.add)
    carried = _carried(_marked_values(session, doc_ids), additions)
    counts["notes_carried"] += sum(c.note is not None for c in carried)
    counts["attrs_carried"] += sum(bool(c.attrs) or c.entity_id is not None for c in carried)
    counts["values_left_out"] += sum(bool(c.left_out) for c in carried)
    _add_auto(session, additions, carried, reviewer)
    carry_checks_into_gold(session, sorted({doc_id for doc_id, _ in additions}), reviewer)
    return counts


def _carried(values: _Values, additions: Sequence[tuple[int, Version]]) -> list[Carried]:
    """For each addition, what its annotators gave it and none contradicted (see
    review.adjudication.merged)."""
    carried = []
    for doc_id, version in additions:
        given = [(name, values.get((doc_id, name, version.key))) for name in version.annotators]
        markings = [
            Marking(name, found[0], json_object(found[1]), found[2])
            for name, found in given
            if found is not None
        ]
        carried.append(merged(markings) if markings else NOTHING)
    return carried


def _add_auto(
    session: Session,
    additions: Sequence[tuple[int, Version]],
    carried: Sequence[Carried],
    reviewer: Annotator,
) -> None:
    """Put the auto plan's versions in gold as put_in_gold does (each its own undoable span_add
    event), in one INSERT for the spans and one for the events: one at a time took two minutes
    for 10,000 documents. No checks are needed: the keys are annotators' stored spans of the same
    documents, and auto_plan leaves out those already in gold."""
    if not additions:
        return
    rows = []
    for (doc_id, version), took in zip(additions, carried, strict=True):
        draft = SpanDraft(*version.key, note=took.note, attrs=dict(took.attrs), origin="manual")
        row = new_span_row(doc_id, GOLD, draft)
        extra = {"gold_source": "auto", "reviewer_id": reviewer.id, "entity_id": took.entity_id}
        rows.append(row | extra)
    insert_rows(session, Span, rows)
    doc_ids = sorted({doc_id for doc_id, _ in additions})
    written = select_columns(Span.id, Span.document_id, Span.start, Span.end, Span.label).where(
        col(Span.document_id).in_(doc_ids), col(Span.annotator_id).is_(None)
    )
    ids = {(doc, *key): span_id for span_id, doc, *key in session.exec(written)}
    events = []
    for row, (doc_id, version), took in zip(rows, additions, carried, strict=True):
        row["id"] = ids[(doc_id, *version.key)]
        payload = {
            "span": snapshot_of(row),
            "from": sorted(version.annotators),
            "replaced": [],
            **carried_payload(took),
        }
        events.append(
            event_row(
                SPAN_ADD,
                reviewer.name,
                payload,
                document_id=doc_id,
                layer=GOLD_LAYER,
                span_id=row["id"],
            )
        )
    insert_rows(session, Event, events)


class _Key:
    """A span reduced to what alignment reads (start, end, label)."""

    __slots__ = ("start", "end", "label")

    def __init__(self, start: int, end: int, label: str) -> None:
        self.start, self.end, self.label = start, end, label


def _done_layers(session: Session, doc_ids: Sequence[int]) -> dict[int, dict[str, list[_Key]]]:
    """Per document, the spans of each annotator who marked it done (done with none: [])."""
    done = done_annotators(session, doc_ids)
    layers: dict[int, dict[str, list[_Key]]] = defaultdict(dict)
    for doc_id, annotators in done.items():
        layers[doc_id] = {name: [] for name in annotators.values()}
    spans = session.exec(
        select_columns(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label).where(
            col(Span.document_id).in_(doc_ids), col(Span.annotator_id).is_not(None)
        )
    ).all()
    for doc_id, annotator_id, start, end, label in spans:
        name = done.get(doc_id, {}).get(annotator_id)
        if name is not None:
            layers[doc_id][name].append(_Key(start, end, label))
    return layers


# (document, annotator name, span key) -> the span's note, attributes (raw JSON) and entity
_Values = dict[tuple[int, str, SpanKey], tuple[str | None, Any, int | None]]


def _marked_values(session: Session, doc_ids: Sequence[int]) -> _Values:
    """The annotators' spans that carry a note, attributes or an entity: most carry none, and
    reading every span's columns cost the batch a third more."""
    names = _names(session)
    attrs = raw_column(Span, "attrs")
    carrying = or_(
        col(Span.note).is_not(None),
        col(Span.entity_id).is_not(None),
        func.length(cast(Span.attrs, String)) > 2,  # not "{}"
    )
    columns = (Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label)
    rows = session.exec(
        select_columns(*columns, Span.note, attrs, Span.entity_id).where(
            col(Span.document_id).in_(doc_ids), col(Span.annotator_id).is_not(None), carrying
        )
    ).all()
    return {
        (doc_id, names[annotator_id], (start, end, label)): (note, raw, entity_id)
        for doc_id, annotator_id, start, end, label, note, raw, entity_id in rows
    }


def _gold_keys(session: Session, doc_ids: Sequence[int]) -> dict[int, list[SpanKey]]:
    rows = session.exec(
        select(Span.document_id, Span.start, Span.end, Span.label).where(
            col(Span.document_id).in_(doc_ids), col(Span.annotator_id).is_(None)
        )
    ).all()
    keys: dict[int, list[SpanKey]] = defaultdict(list)
    for doc_id, start, end, label in rows:
        keys[doc_id].append((start, end, label))
    return keys


def _decided_keys(session: Session, doc_ids: Sequence[int]) -> dict[int, set[SpanKey]]:
    rows = session.exec(
        select(
            GoldDecision.document_id, GoldDecision.start, GoldDecision.end, GoldDecision.label
        ).where(col(GoldDecision.document_id).in_(doc_ids))
    ).all()
    keys: dict[int, set[SpanKey]] = defaultdict(set)
    for doc_id, start, end, label in rows:
        keys[doc_id].add((start, end, label))
    return keys


def _adjudicated_ids(session: Session, doc_ids: Sequence[int]) -> set[int]:
    query = select(DocumentReview.document_id).where(
        col(DocumentReview.document_id).in_(doc_ids), col(DocumentReview.adjudicated).is_(True)
    )
    return set(session.exec(query).all())


# -- reads -------------------------------------------------------------------------------------


def decisions_of(session: Session, doc_id: int) -> list[GoldDecisionInfo]:
    names = _names(session)
    query = (
        select(GoldDecision)
        .where(GoldDecision.document_id == doc_id)
        .order_by(col(GoldDecision.start), col(GoldDecision.end), col(GoldDecision.label))
    )
    return [
        GoldDecisionInfo(
            row.start,
            row.end,
            row.label,
            row.decision,
            names.get(row.reviewer_id),
            aware_utc(row.decided_at),
        )
        for row in session.exec(query).all()
    ]


def review_status(session: Session, doc_id: int) -> ReviewStatus:
    row = session.get(DocumentReview, doc_id)
    if row is None:
        return ReviewStatus(doc_id, False)
    reviewer = session.get(Annotator, row.reviewer_id) if row.reviewer_id else None
    return ReviewStatus(
        doc_id, row.adjudicated, reviewer.name if reviewer else None, aware_utc(row.updated_at)
    )


def review_statuses(session: Session) -> dict[int, ReviewStatus]:
    names = _names(session)
    return {
        row.document_id: ReviewStatus(
            row.document_id, row.adjudicated, names.get(row.reviewer_id), aware_utc(row.updated_at)
        )
        for row in session.exec(select(DocumentReview)).all()
    }


def provenance_of(session: Session, doc_id: int, gold: Sequence[Span]) -> dict[int, GoldProvenance]:
    """For each gold span: its source, reviewer, whose version it came from and whose note and
    attributes it took (the log's latest span_add of that span id says whose)."""
    names = _names(session)
    added = session.exec(
        select(Event.span_id, Event.kind, Event.payload)
        .where(
            Event.document_id == doc_id,
            Event.layer == GOLD_LAYER,
            col(Event.kind).in_((SPAN_ADD, GOLD_VALUES)),
        )
        .order_by(col(Event.id))
    ).all()
    said = {span_id: payload or {} for span_id, kind, payload in added if kind == SPAN_ADD}
    filled: dict[int | None, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for span_id, kind, payload in added:
        if kind == GOLD_VALUES:  # taken later from an identical version (`_fill_values`)
            for field in ("note_from", "attrs_from"):
                filled[span_id][field].extend((payload or {}).get(field, []))
    provenance = {}
    for row in gold:
        payload, more = said.get(row_id(row.id), {}), filled.get(row.id, {})
        provenance[row_id(row.id)] = GoldProvenance(
            row.gold_source,
            names.get(row.reviewer_id),
            from_annotators=tuple(payload.get("from", [])),
            note_from=_unique(payload.get("note_from", []), more.get("note_from", [])),
            attrs_from=_unique(payload.get("attrs_from", []), more.get("attrs_from", [])),
            left_out=tuple(payload.get("left_out", [])),
        )
    return provenance


def _unique(*names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in names for name in group))


def _names(session: Session) -> dict[int | None, str]:
    return {row.id: row.name for row in session.exec(select(Annotator)).all()}


# -- small helpers -----------------------------------------------------------------------------


def _gold_span(session: Session, doc_id: int, key: SpanKey) -> Span | None:
    start, end, label = key
    query = select(Span).where(
        Span.document_id == doc_id,
        col(Span.annotator_id).is_(None),
        Span.start == start,
        Span.end == end,
        Span.label == label,
    )
    return session.exec(query.order_by(col(Span.id)).limit(1)).first()


def _remove_gold(session: Session, doc_id: int, span_id: int) -> dict[str, Any]:
    """Remove a gold span of `doc_id`; what undo needs to put it back."""
    row = session.get(Span, span_id)
    if row is None or row.annotator_id is not None or row.document_id != doc_id:
        raise StoreError(f"span {span_id} is not in the gold layer of document {doc_id}")
    snapshot = deletion_snapshot(session, row)
    return {"span": snapshot, "relations": remove_span(session, row)}


def _restore_removed(session: Session, event: Event, removed: list[dict[str, Any]]) -> None:
    for entry in removed:
        restore_span(session, event, entry["span"], entry.get("relations", []))


def _delete_if_present(session: Session, span_id: int) -> None:
    row = session.get(Span, span_id)
    if row is not None:
        remove_span(session, row)


def _decide(
    session: Session, doc_id: int, key: SpanKey, decision: str, reviewer: Annotator
) -> dict[str, Any] | None:
    """Record a decision on `key` unless one exists; its snapshot, or None if none was made."""
    if _decision_exists(session, doc_id, key):
        return None
    start, end, label = key
    row = GoldDecision(
        document_id=doc_id,
        start=start,
        end=end,
        label=label,
        decision=decision,
        reviewer_id=reviewer.id,
    )
    session.add(row)
    session.flush()
    return {
        "id": row.id,
        "document_id": doc_id,
        "start": start,
        "end": end,
        "label": label,
        "decision": decision,
        "reviewer_id": reviewer.id,
        "decided_at": row.decided_at.isoformat(),
    }


def _drop_decisions(session: Session, snapshots: list[dict[str, Any]]) -> None:
    for snapshot in snapshots:
        row = session.get(GoldDecision, snapshot["id"])
        if row is not None:
            session.delete(row)
    session.flush()


def _recreate_decisions(session: Session, snapshots: list[dict[str, Any]]) -> None:
    for snapshot in snapshots:
        key = (snapshot["start"], snapshot["end"], snapshot["label"])
        if session.get(GoldDecision, snapshot["id"]) is not None:
            continue
        if _decision_exists(session, snapshot["document_id"], key):
            continue  # decided again since; the later decision stands
        session.add(
            GoldDecision(
                id=snapshot["id"],
                document_id=snapshot["document_id"],
                start=snapshot["start"],
                end=snapshot["end"],
                label=snapshot["label"],
                decision=snapshot["decision"],
                reviewer_id=snapshot["reviewer_id"],
                decided_at=datetime.fromisoformat(snapshot["decided_at"]),
            )
        )
    session.flush()


def _decision_exists(session: Session, doc_id: int, key: SpanKey) -> bool:
    start, end, label = key
    query = select(GoldDecision.id).where(
        GoldDecision.document_id == doc_id,
        GoldDecision.start == start,
        GoldDecision.end == end,
        GoldDecision.label == label,
    )
    return session.exec(query).first() is not None


def _set_extent(
    row: Span, start: int, end: int, source: str | None, reviewer_id: int | None
) -> None:
    row.start, row.end = start, end
    row.gold_source, row.reviewer_id = source, reviewer_id
    row.updated_at = utc_now()


def _restore_extent(session: Session, snapshot: dict[str, Any]) -> None:
    row = session.get(Span, snapshot["id"])
    if row is None:
        return
    _set_extent(
        row,
        snapshot["start"],
        snapshot["end"],
        snapshot.get("gold_source"),
        snapshot.get("reviewer_id"),
    )
    session.add(row)
    session.flush()


def _apply_review_mark(
    session: Session, doc_id: int, adjudicated: bool, reviewer_id: int | None
) -> None:
    row = session.get(DocumentReview, doc_id) or DocumentReview(document_id=doc_id)
    row.adjudicated, row.reviewer_id, row.updated_at = adjudicated, reviewer_id, utc_now()
    session.add(row)
    session.flush()
