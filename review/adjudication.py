"""What a reviewer's key does to gold: the adjudication rules, as plain decisions.

Pure: review items in (see `review.alignment.review_items`), a decision out, for the review
screen to hand to the store. The rules:

- accepting a version puts it in gold in place of every other gold span answering its candidate;
- rejecting keeps the whole candidate out of gold: each of its versions and gold spans;
- new boundaries (`e`) go to the candidate's gold span (the chosen one, the one equal to the
  chosen version, or the only one); with no such span, the version goes into gold with them,
  in place of the candidate's gold spans;
- a label key over text some annotator marked exactly so accepts that version (in place of the
  other gold spans answering its candidate); over any other text it adds a gold span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from review.alignment import GoldRef, ReviewItem, SpanKey, Version


@dataclass(frozen=True)
class Accept:
    """Put `key` in gold as `from_annotators` marked it (`edited`: with the reviewer's
    boundaries), in place of the gold spans whose ids are in `replace`."""

    key: SpanKey
    from_annotators: tuple[str, ...]
    replace: tuple[int, ...]
    edited: bool = False


@dataclass(frozen=True)
class Reject:
    """Keep these spans out of gold (and out of auto-adjudication)."""

    keys: tuple[SpanKey, ...]


@dataclass(frozen=True)
class EditGold:
    """Give the gold span `gold` the boundaries `start`-`end`; its label stays."""

    gold: GoldRef
    start: int
    end: int

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.gold.label)


@dataclass(frozen=True)
class Add:
    """A gold span no annotator marked."""

    key: SpanKey


Decision = Accept | Reject | EditGold | Add


def accept(item: ReviewItem, version: Version) -> Accept:
    """`a` on a version: it goes into gold, in place of the item's other gold spans."""
    replace = tuple(gold.id for gold in item.gold if gold.key != version.key)
    return Accept(version.key, version.annotators, replace)


def reject(item: ReviewItem) -> Reject:
    """`r`: every version of the candidate and every gold span answering it, each once."""
    versions = item.candidate.keys if item.candidate is not None else ()
    return Reject(tuple(dict.fromkeys([*versions, *(gold.key for gold in item.gold)])))


def edit_extent(
    item: ReviewItem, chosen: Version | GoldRef, start: int, end: int
) -> EditGold | Accept:
    """`e` on a version or gold span of `item`: the gold span to edit (see `gold_to_edit`),
    else the chosen version into gold with these boundaries, in place of the item's gold."""
    target = gold_to_edit(item, chosen)
    if target is not None:
        return EditGold(target, start, end)
    assert isinstance(chosen, Version)  # a chosen gold span is its own target
    replace = tuple(gold.id for gold in item.gold)
    return Accept((start, end, chosen.label), chosen.annotators, replace, edited=True)


def gold_to_edit(item: ReviewItem, chosen: Version | GoldRef) -> GoldRef | None:
    """The gold span new boundaries go to: the chosen one, the one equal to the chosen version,
    or the item's only one; None when the item has no gold span or several others."""
    if isinstance(chosen, GoldRef):
        return chosen
    same = [gold for gold in item.gold if gold.key == chosen.key]
    if same:
        return same[0]
    return item.gold[0] if len(item.gold) == 1 else None


def label_extent(items: Sequence[ReviewItem], key: SpanKey) -> Accept | Add:
    """A label key over a selection: the annotators' version with exactly this key, accepted in
    place of the other gold spans answering its candidate; else a gold span of the reviewer's."""
    version = version_with(items, key)
    if version is None:
        return Add(key)
    replace = tuple(
        gold.id
        for item in items
        if item.candidate is not None and version in item.candidate.versions
        for gold in item.gold
        if gold.key != key
    )
    return Accept(key, version.annotators, replace)


def version_with(items: Sequence[ReviewItem], key: SpanKey) -> Version | None:
    """The version some annotators marked as exactly `key`, if any."""
    for item in items:
        if item.candidate is None:
            continue
        for version in item.candidate.versions:
            if version.key == key:
                return version
    return None
