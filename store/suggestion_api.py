"""The Store's suggestion methods: an annotator accepts or rejects a suggestion (a Store mixin).

A suggestion is not a span: it lives only in the annotate screen until accepted, when it becomes
a span of the annotator's layer with origin `suggested:<rule>` (so it counts in agreement and
exports from then on, like any span). Both answers are events, and both are remembered per
annotator in `suggestion_decisions`: a rejected suggestion is not offered to them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlmodel import Session, col, select

from store.engine import Database
from store.errors import StoreError
from store.events import SPAN_ADD, SPANS_ADD, SUGGESTION_ACCEPT, SUGGESTION_REJECT, log_event
from store.info import SpanInfo, SuggestionDecisionInfo
from store.queries import document_text, find_layer, identical_span, resolve_layer
from store.roles import authorise_layer
from store.snapshots import span_snapshot
from store.span_columns import new_span, span_info
from store.tables import SuggestionDecision, utc_now
from store.validation import check_label, check_offsets
from vocabulary.names import GOLD_LAYER, SUGGESTED_PREFIX, is_span_origin
from vocabulary.records import SpanDraft

# One suggestion to accept: start, end, label and the rule that made it.
Accepted = tuple[int, int, str, str]

ACCEPTED, REJECTED = "accepted", "rejected"


class SuggestionHost(Protocol):
    """What the suggestion methods need of the class they are mixed into (`store.Store`)."""

    @property
    def _db(self) -> Database: ...

    @property
    def user(self) -> str | None: ...


class SuggestionMethods:
    """Accept and reject suggestions; part of `store.Store`."""

    def suggestion_decisions(
        self: SuggestionHost, doc_id: int, layer: str
    ) -> list[SuggestionDecisionInfo]:
        """The answers `layer`'s annotator gave to suggestions in a document (text order)."""

        def work(session: Session) -> list[SuggestionDecisionInfo]:
            found = find_layer(session, layer)
            if found is None or found.annotator_id is None:
                return []
            rows = session.exec(
                select(SuggestionDecision)
                .where(SuggestionDecision.document_id == doc_id)
                .where(SuggestionDecision.annotator_id == found.annotator_id)
                .order_by(col(SuggestionDecision.start), col(SuggestionDecision.end))
            ).all()
            return [_info(row, found.name) for row in rows]

        return self._db.read(work)

    def accept_suggestion(
        self: SuggestionHost,
        doc_id: int,
        layer: str,
        start: int,
        end: int,
        label: str,
        rule: str,
    ) -> SpanInfo:
        """Make the suggestion a span of `layer` (origin `suggested:<rule>`), log the answer and
        remember it, in one transaction. Returns the span (an identical span already there is
        returned instead)."""
        (span,) = _accept(self, doc_id, layer, [(start, end, label, rule)], batch=False)
        return span

    def accept_suggestions(
        self: SuggestionHost, doc_id: int, layer: str, suggestions: Sequence[Accepted]
    ) -> list[SpanInfo]:
        """Accept several suggestions at once (every one of a label): their spans and answers
        in one transaction, and one `spans_add` event, so one undo takes them all back.
        Returns the spans in the order given (an identical span already there stands for its
        suggestion)."""
        return _accept(self, doc_id, layer, suggestions, batch=True)

    def reject_suggestion(
        self: SuggestionHost,
        doc_id: int,
        layer: str,
        start: int,
        end: int,
        label: str,
        rule: str,
    ) -> SuggestionDecisionInfo:
        """Log and remember that `layer`'s annotator rejected this suggestion: it is not offered
        to them again."""
        _origin(rule)
        return self._db.write(
            lambda session: _decide(
                session, self.user, doc_id, layer, start, end, label, rule, REJECTED, None
            )
        )


def _accept(
    store: SuggestionHost,
    doc_id: int,
    layer: str,
    suggestions: Sequence[Accepted],
    *,
    batch: bool,
) -> list[SpanInfo]:
    """The spans of accepted suggestions and their answers, in one transaction: each new span
    its own `span_add` event, or (`batch`) all of them one `spans_add` event, one undo step."""
    drafts = [
        SpanDraft(start, end, label, origin=_origin(rule))
        for start, end, label, rule in suggestions
    ]

    def work(session: Session) -> list[SpanInfo]:
        text = document_text(session, doc_id)
        authorise_layer(session, store.user, layer)
        resolved = resolve_layer(session, layer)
        who = store.user or resolved.name
        infos, made = [], []
        for draft, (_, _, _, rule) in zip(drafts, suggestions, strict=True):
            check_label(draft.label)
            check_offsets(draft.start, draft.end, len(text))
            row = identical_span(session, doc_id, resolved, draft)
            if row is None:
                row = new_span(doc_id, resolved, draft)
                session.add(row)
                session.flush()
                made.append(row)
                if not batch:
                    snapshot = {"span": span_snapshot(row)}
                    log_event(
                        session,
                        SPAN_ADD,
                        who,
                        snapshot,
                        document_id=doc_id,
                        layer=resolved.name,
                        span_id=row.id,
                    )
            infos.append(span_info(row, resolved.name, text))
            start, end, label = draft.start, draft.end, draft.label
            _decide(session, store.user, doc_id, layer, start, end, label, rule, ACCEPTED, row.id)
        if batch and made:
            snapshots = {"spans": [span_snapshot(row) for row in made]}
            log_event(session, SPANS_ADD, who, snapshots, document_id=doc_id, layer=resolved.name)
        return infos

    return store._db.write(work)


def _origin(rule: str) -> str:
    origin = SUGGESTED_PREFIX + rule
    if not is_span_origin(origin):
        raise ValueError(f"suggestion rule {rule!r} is not a short name (letters, digits, ._-)")
    return origin


def _decide(
    session: Session,
    user: str | None,
    doc_id: int,
    layer: str,
    start: int,
    end: int,
    label: str,
    rule: str,
    decision: str,
    span_id: int | None,
) -> SuggestionDecisionInfo:
    check_label(label)
    if layer == GOLD_LAYER:
        raise StoreError("suggestions are answered in an annotator's own layer, not in gold")
    check_offsets(start, end, len(document_text(session, doc_id)))
    authorise_layer(session, user, layer)
    resolved = resolve_layer(session, layer)
    assert resolved.annotator_id is not None  # not gold (checked above)
    row = session.exec(
        select(SuggestionDecision)
        .where(SuggestionDecision.document_id == doc_id)
        .where(SuggestionDecision.annotator_id == resolved.annotator_id)
        .where(SuggestionDecision.start == start)
        .where(SuggestionDecision.end == end)
        .where(SuggestionDecision.label == label)
    ).first()
    if row is None:
        row = SuggestionDecision(
            document_id=doc_id,
            annotator_id=resolved.annotator_id,
            start=start,
            end=end,
            label=label,
            rule=rule,
            decision=decision,
        )
    else:
        row.rule, row.decision, row.decided_at = rule, decision, utc_now()
    session.add(row)
    session.flush()
    log_event(
        session,
        SUGGESTION_ACCEPT if decision == ACCEPTED else SUGGESTION_REJECT,
        user or resolved.name,
        {"start": start, "end": end, "label": label, "rule": rule},
        document_id=doc_id,
        layer=resolved.name,
        span_id=span_id,
    )
    return _info(row, resolved.name)


def _info(row: SuggestionDecision, layer: str) -> SuggestionDecisionInfo:
    return SuggestionDecisionInfo(
        document_id=row.document_id,
        layer=layer,
        start=row.start,
        end=row.end,
        label=row.label,
        rule=row.rule,
        decision=row.decision,
        decided_at=row.decided_at,
    )
