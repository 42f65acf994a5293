"""Which checks a claim span may be another appearance of: the check picker's proposals.

Every check is a candidate through each of its wordings (its claim and its appearances' texts,
with its claimant); the span is compared with them as `suggest.claim_match` compares claims
(same figures, shared words, the same claimant), the claimant of the span being the entity its
`said_by` actor names.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.checks import check_summaries
from store.desk_info import CheckSummary
from store.errors import StoreError
from store.queries import select_columns
from store.tables import Check, CheckAppearance, Document, Entity, Relation, Span
from suggest.claim_match import ClaimText, WordWeights, rank_alike
from vocabulary.checks import CheckSettings
from vocabulary.names import SAID_BY


def similar_checks(
    session: Session, span_id: int, limit: int, settings: CheckSettings
) -> list[tuple[CheckSummary, float, str]]:
    """The checks most like the span's claim, best first: (check, score 0..1, reasons)."""
    query = _span_wording(session, span_id)
    candidates = _check_wordings(session)
    # Rarer words weigh more (measured: fewer wrong proposals at the same recall).
    weights = WordWeights.from_texts(t.text for texts in candidates.values() for t in texts)
    ranked = rank_alike(query, list(candidates.items()), limit=limit, weights=weights)
    if not ranked:
        return []
    summaries = {s.uid: s for s in check_summaries(session, None, settings)}
    return [
        (summaries[uid], likeness.score, likeness.reason)
        for uid, likeness in ranked
        if uid in summaries
    ]


def _span_wording(session: Session, span_id: int) -> ClaimText:
    span = session.get(Span, span_id)
    if span is None:
        raise StoreError(f"no span {span_id}")
    text = session.exec(
        select(func.substr(Document.text, span.start + 1, span.end - span.start)).where(
            Document.id == span.document_id
        )
    ).one()
    speaker = session.exec(
        select(Entity)
        .join(Span, col(Span.entity_id) == col(Entity.id))
        .join(Relation, col(Relation.child_id) == col(Span.id))
        .where(Relation.head_id == span_id, Relation.label == SAID_BY)
    ).first()
    if speaker is None:
        return ClaimText(text)
    return ClaimText(text, speaker.name, tuple(speaker.aliases))


def _check_wordings(session: Session) -> dict[str, list[ClaimText]]:
    """uid -> the check's wordings: its claim, then its appearances' texts."""
    rows = session.exec(
        select_columns(Check.id, Check.uid, Check.claim, Entity.name, Entity.aliases).outerjoin(
            Entity, col(Entity.id) == col(Check.claimant_id)
        )
    ).all()
    wordings: dict[str, list[ClaimText]] = {}
    speakers: dict[int | None, tuple[str | None, tuple[str, ...]]] = {}
    for check_id, uid, claim, name, aliases in rows:
        speakers[check_id] = (name, tuple(aliases or ()))
        wordings[uid] = [ClaimText(claim, name, tuple(aliases or ()))]
    uids = {check_id: uid for check_id, uid, *_ in rows}
    appearances = session.exec(
        select(
            CheckAppearance.check_id,
            func.substr(Document.text, Span.start + 1, Span.end - Span.start),
        )
        .join(Span, col(Span.id) == col(CheckAppearance.span_id))
        .join(Document, col(Document.id) == col(Span.document_id))
    ).all()
    texts: dict[int, set[str]] = defaultdict(set)
    for check_id, text in appearances:
        texts[check_id].add(text)
    for check_id, found in texts.items():
        name, aliases = speakers.get(check_id, (None, ()))
        uid = uids[check_id]
        claim = wordings[uid][0].text
        wordings[uid] += [ClaimText(t, name, aliases) for t in sorted(found) if t != claim]
    return wordings
