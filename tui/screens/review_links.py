"""The review screen's links: relation candidates read from a ReviewDocument, described, and
turned into one line for the reviewer. No widget here; `tui.screens.review` shows them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

from review.alignment import GoldRef, ReviewItem, SpanKey
from review.relation_review import (
    AcceptRelation,
    EndNotInGold,
    GoldRelationRef,
    RelationItem,
    RelationKey,
    RelationVersion,
    accept_relation,
    reject_relations,
    relation_items,
)
from store import ReviewDocument, Store
from tui.widgets.annotation_pane import span_snippet
from tui.widgets.relation_list import RelationRow

RELATION_STATES = {
    "open": "nothing decided yet",
    "accepted": "in gold",
    "rejected": "kept out of gold",
    "gold": "in gold; no annotator drew it",
}


def relation_items_of(review: ReviewDocument, items: Sequence[ReviewItem]) -> list[RelationItem]:
    """The relation candidates of a document under review, over its span review items."""
    layers: dict[str, list[RelationKey]] = {}
    for name, spans in review.layers.items():
        keys = {span.id: (span.start, span.end, span.label) for span in spans}
        layers[name] = [
            (keys[r.head_id], keys[r.child_id], r.label)
            for r in review.relations.get(name, [])
            if r.head_id in keys and r.child_id in keys
        ]
    gold_spans = {s.id: GoldRef(s.id, s.start, s.end, s.label) for s in review.gold}
    gold = [
        GoldRelationRef(r.id, gold_spans[r.head_id], gold_spans[r.child_id], r.label)
        for r in review.gold_relations
        if r.head_id in gold_spans and r.child_id in gold_spans
    ]
    decided = [(d.head, d.child, d.label) for d in review.relation_decisions]
    return relation_items(items, layers, gold, decided, sorted(review.layers))


def describe_relation(
    review: ReviewDocument, relation: RelationItem, names: Mapping[str, str]
) -> Text:
    """Who drew which version of a link, who drew none, and what gold holds."""
    text = review.document.text
    lines = Text(f"link {relation.label}: {RELATION_STATES[relation.state]}", "bold")
    for version in relation.versions:
        who = ", ".join(names.get(n, n) for n in version.annotators)
        lines.append(f"\n{_end(text, version.head)} → {_end(text, version.child)}: {who}")
    if relation.missing:
        missing = ", ".join(names.get(n, n) for n in relation.missing)
        lines.append(f"\nnot drawn by: {missing}", "italic")
    for gold in relation.gold:
        came = review.relation_sources.get(gold.id, ())
        source = "from " + ", ".join(names.get(n, n) for n in came) if came else "added"
        lines.append(f"\ngold {_end(text, gold.head.key)} → {_end(text, gold.child.key)}: {source}")
    return lines


def _end(text: str, key: SpanKey) -> str:
    start, end, label = key
    return f"{label} “{span_snippet(text[start:end], 20)}”"


def accept_said(
    row: RelationRow, relation: RelationItem, items: Sequence[ReviewItem], text: str
) -> tuple[AcceptRelation | None, str]:
    """What `a` on a relation row does (None: nothing to write) and the line that says so."""
    if row.version is None:
        return None, "This link is in gold already; r rejects it."
    decision = accept_relation(relation, row.version, items)
    if isinstance(decision, EndNotInGold):
        return None, (
            f"Not linked: the {decision.end} {_end(text, decision.key)} is not in gold; "
            "accept it first (a on its candidate), then the link."
        )
    return decision, f"Linked in gold: {_version_words(row.version, text)}."


def reject_said(relation: RelationItem) -> tuple[list[RelationKey], str]:
    keys = list(reject_relations(relation).keys)
    plural = "s" if len(keys) != 1 else ""
    return keys, f"Rejected link {relation.label}: {len(keys)} version{plural} kept out of gold."


def _version_words(version: RelationVersion, text: str) -> str:
    return f"{_end(text, version.head)} {version.label} {_end(text, version.child)}"


def write_accept(store: Store, doc_id: int, decision: AcceptRelation, reviewer: str) -> object:
    return store.accept_relation(
        doc_id,
        decision.head_id,
        decision.child_id,
        decision.label,
        reviewer=reviewer,
        from_annotators=decision.from_annotators,
    )
