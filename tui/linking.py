"""Which spans a span can be linked to, and how a link reads: the rules behind `l` and the pane.

Plain Python over the store's infos and the configured relation types (no Textual), so the
picker, the pane and the article marks all follow the same rules. A relation type's `heads` and
`children` decide the direction: a link from a claim to an actor is the claim's `said_by` (the
claim is the head) whichever of the two `l` started from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from store import RelationInfo, SpanInfo
from vocabulary.labels import RelationDef


@dataclass(frozen=True)
class LinkChoice:
    """One way to link a pair: a relation type and which end is its head.

    `head_id`/`child_id` are span ids; for a span not made yet (text selected, then `l`) its end
    is None and `label` says the label it will be made with.
    """

    relation: str
    head_id: int | None
    child_id: int | None
    label: str | None = None  # the new span's label, when one end is a selection


@dataclass(frozen=True)
class LinkCandidate:
    """A span the link can go to, with every way of linking it (at least one)."""

    span: SpanInfo
    choices: tuple[LinkChoice, ...]
    distance: int  # characters between the two ends (0 when they touch or overlap)
    suggested: bool = False  # a suggestion rule links the two (see `suggested_first`)


@dataclass(frozen=True)
class SuggestedPair:
    """A link a suggestion rule proposes, by its ends' extents and labels (start, end, label):
    it matches the annotator's spans that overlap those ends with the same labels, so a span
    drawn a word wider than the rule's still gets the suggestion."""

    head: tuple[int, int, str]
    child: tuple[int, int, str]
    label: str


@dataclass(frozen=True)
class LinkRow:
    """One link as a span's pane row shows it: outgoing (this span is the head) or incoming."""

    relation: RelationInfo
    outgoing: bool
    other: SpanInfo


def relation_title(name: str) -> str:
    """How a relation type is written for people: `said_by` -> "said by"."""
    return name.replace("_", " ")


def _distance(start: int, end: int, span: SpanInfo) -> int:
    return max(0, span.start - end, start - span.end)


def link_candidates(
    source: SpanInfo,
    spans: Iterable[SpanInfo],
    relations: Sequence[RelationDef],
    existing: Iterable[RelationInfo] = (),
) -> list[LinkCandidate]:
    """The spans `source` can be linked to under some relation type, nearest first.

    Both directions count (from a claim: actors for `said_by`; from an actor: claims that could
    be `said_by` it). A link that already exists is not offered again; a span with no way left
    is not listed.
    """
    made = {(r.head_id, r.child_id, r.label) for r in existing}
    found: list[LinkCandidate] = []
    for span in spans:
        if span.id == source.id:
            continue
        choices: list[LinkChoice] = []
        for relation in relations:
            for head, child in ((source, span), (span, source)):
                key = (head.id, child.id, relation.name)
                if relation.fits(head.label, child.label) and key not in made:
                    made_choice = LinkChoice(relation.name, head.id, child.id)
                    if made_choice not in choices:
                        choices.append(made_choice)
        if choices:
            distance = _distance(source.start, source.end, span)
            found.append(LinkCandidate(span, tuple(choices), distance))
    found.sort(key=lambda c: (c.distance, c.span.start, c.span.end, c.span.id))
    return found


def new_span_candidates(
    start: int,
    end: int,
    labels: Sequence[str],
    spans: Iterable[SpanInfo],
    relations: Sequence[RelationDef],
) -> list[LinkCandidate]:
    """The spans a span not made yet (the selection [start, end)) can be linked to, nearest
    first, with every (label of the new span, relation type, direction) that fits, in the order
    of the relation types, then of the labels."""
    found: list[LinkCandidate] = []
    for span in spans:
        choices: list[LinkChoice] = []
        for relation in relations:
            for label in labels:
                if relation.fits(label, span.label):
                    choices.append(LinkChoice(relation.name, None, span.id, label))
                if relation.fits(span.label, label):
                    choices.append(LinkChoice(relation.name, span.id, None, label))
        if choices:
            found.append(LinkCandidate(span, tuple(choices), _distance(start, end, span)))
    found.sort(key=lambda c: (c.distance, c.span.start, c.span.end, c.span.id))
    return found


def _covers(end: tuple[int, int, str], span: SpanInfo) -> bool:
    start, stop, label = end
    return label == span.label and start < span.end and span.start < stop


def suggested_first(
    source: SpanInfo, candidates: Sequence[LinkCandidate], pairs: Iterable[SuggestedPair]
) -> list[LinkCandidate]:
    """`candidates` with those a suggested link joins to `source` first (marked `suggested`),
    each group still nearest first. A suggestion only orders the list: the user still picks."""
    pairs = list(pairs)

    def joined(candidate: LinkCandidate) -> bool:
        for choice in candidate.choices:
            head, child = (
                (source, candidate.span)
                if choice.head_id == source.id
                else (candidate.span, source)
            )
            for pair in pairs:
                if (
                    pair.label == choice.relation
                    and _covers(pair.head, head)
                    and _covers(pair.child, child)
                ):
                    return True
        return False

    marked = [dataclasses.replace(c, suggested=joined(c)) for c in candidates]
    return sorted(marked, key=lambda c: not c.suggested)  # stable: nearest first in each group


def links_by_span(
    relations: Iterable[RelationInfo], spans: Iterable[SpanInfo]
) -> dict[int, list[LinkRow]]:
    """Each span's links (key: span id), in relation order; links to unknown spans are left out."""
    by_id = {span.id: span for span in spans}
    rows: dict[int, list[LinkRow]] = {}
    for relation in relations:
        head, child = by_id.get(relation.head_id), by_id.get(relation.child_id)
        if head is None or child is None:
            continue
        rows.setdefault(head.id, []).append(LinkRow(relation, True, child))
        rows.setdefault(child.id, []).append(LinkRow(relation, False, head))
    return rows


def linked_ids(links: Mapping[int, list[LinkRow]], span_id: int | None) -> frozenset[int]:
    """The ids of the spans linked to `span_id` (either direction)."""
    if span_id is None:
        return frozenset()
    return frozenset(row.other.id for row in links.get(span_id, ()))


def without_span(relations: Iterable[RelationInfo], span_id: int) -> list[RelationInfo]:
    """The relations left once a span is removed (the store removes the links touching it)."""
    return [r for r in relations if span_id not in (r.head_id, r.child_id)]
