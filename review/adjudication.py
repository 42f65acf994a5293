"""What a reviewer's key does to gold: the adjudication rules, as plain decisions.

Pure: review items in (see `review.alignment.review_items`), a decision out, for the review
screen to hand to the store. The rules:

- accepting a version puts it in gold in place of every other gold span answering its candidate;
- rejecting keeps the whole candidate out of gold: each of its versions and gold spans;
- new boundaries (`e`) go to the candidate's gold span (the chosen one, the one equal to the
  chosen version, or the only one); with no such span, the version goes into gold with them,
  in place of the candidate's gold spans;
- a label key over text some annotator marked exactly so accepts that version (in place of the
  other gold spans answering its candidate); over any other text it adds a gold span;
- what a version goes into gold with (its note, attributes and named entity) is what its
  annotators gave it, where no two gave different values (`merged`); where they differ, the
  reviewer picks whose (`taken_from`), and the batch path leaves the differing values out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from review.alignment import GoldRef, ReviewItem, SpanKey, Version

ENTITY = "entity"  # how a named entity is called among the values a version carries


@dataclass(frozen=True)
class Marking:
    """What one annotator gave their span beyond its extent and label."""

    annotator: str
    note: str | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)
    entity_id: int | None = None

    @property
    def empty(self) -> bool:
        return not self.note and not self.attrs and self.entity_id is None


@dataclass(frozen=True)
class Carried:
    """What a gold span takes from its version: a note, attributes and an entity, whose they
    were (`note_from`, `attrs_from`: the attributes' and entity's), and the names of the values
    annotators gave differently and that were left out ("note", "entity", attribute keys)."""

    note: str | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)
    entity_id: int | None = None
    note_from: tuple[str, ...] = ()
    attrs_from: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()


NOTHING = Carried()


def gold_lacks(
    note: str | None, attrs: Mapping[str, Any], entity_id: int | None, carried: Carried
) -> Carried:
    """What a gold span holding `note`, `attrs` and `entity_id` would take from `carried`: a
    note where it has none, attributes it has no key for, an entity where it names none (its
    own values stay: the reviewer changes those by hand). NOTHING when it lacks nothing."""
    new_note = carried.note if not note and carried.note else None
    new_attrs = {key: value for key, value in carried.attrs.items() if key not in attrs}
    new_entity = carried.entity_id if entity_id is None else None
    if new_note is None and not new_attrs and new_entity is None:
        return NOTHING
    return Carried(
        note=new_note,
        attrs=new_attrs,
        entity_id=new_entity,
        note_from=carried.note_from if new_note is not None else (),
        attrs_from=carried.attrs_from if new_attrs or new_entity is not None else (),
    )


def merged(markings: Sequence[Marking]) -> Carried:
    """Every value some annotator gave and none contradicted; differing ones are left out."""
    left_out: list[str] = []
    note, note_from = _agreed("note", [(m.annotator, m.note) for m in markings if m.note], left_out)
    entities = [(m.annotator, m.entity_id) for m in markings if m.entity_id is not None]
    entity_id, attrs_from = _agreed(ENTITY, entities, left_out)
    attrs: dict[str, Any] = {}
    for name in sorted({name for m in markings for name in m.attrs}):
        given = [(m.annotator, m.attrs[name]) for m in markings if name in m.attrs]
        value, who = _agreed(name, given, left_out)
        if who:
            attrs[name], attrs_from = value, attrs_from + who
    return Carried(
        note=note,
        attrs=attrs,
        entity_id=entity_id,
        note_from=note_from,
        attrs_from=tuple(sorted(set(attrs_from))),
        left_out=tuple(left_out),
    )


def _agreed(
    name: str, given: Sequence[tuple[str, Any]], left_out: list[str]
) -> tuple[Any, tuple[str, ...]]:
    """The value every giver gave and who gave it; (None, ()) and `name` noted as left out when
    they gave different ones."""
    if not given:
        return None, ()
    if len({_canonical(value) for _who, value in given}) > 1:
        left_out.append(name)
        return None, ()
    return given[0][1], tuple(sorted(who for who, _value in given))


def taken_from(chosen: Marking, markings: Sequence[Marking]) -> Carried:
    """The chosen annotator's values, credited to every annotator who gave exactly the same."""
    same = tuple(sorted(m.annotator for m in markings if _values_of(m) == _values_of(chosen)))
    return Carried(
        note=chosen.note or None,
        attrs=dict(chosen.attrs),
        entity_id=chosen.entity_id,
        note_from=same if chosen.note else (),
        attrs_from=same if chosen.attrs or chosen.entity_id is not None else (),
    )


def distinct_markings(markings: Sequence[Marking]) -> list[tuple[Marking, tuple[str, ...]]]:
    """The different sets of values annotators gave, each once with everyone who gave it."""
    seen: dict[str, list[Marking]] = {}
    for marking in markings:
        seen.setdefault(_values_of(marking), []).append(marking)
    return [(group[0], tuple(m.annotator for m in group)) for group in seen.values()]


def _values_of(marking: Marking) -> str:
    return _canonical([marking.note or None, dict(marking.attrs), marking.entity_id])


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Accept:
    """Put `key` in gold as `from_annotators` marked it (`edited`: with the reviewer's
    boundaries), in place of the gold spans whose ids are in `replace`, with what `carried`
    takes from the version."""

    key: SpanKey
    from_annotators: tuple[str, ...]
    replace: tuple[int, ...]
    edited: bool = False
    carried: Carried = NOTHING


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


def accept(item: ReviewItem, version: Version, carried: Carried = NOTHING) -> Accept:
    """`a` on a version: it goes into gold, in place of the item's other gold spans."""
    replace = tuple(gold.id for gold in item.gold if gold.key != version.key)
    return Accept(version.key, version.annotators, replace, carried=carried)


def reject(item: ReviewItem) -> Reject:
    """`r`: every version of the candidate and every gold span answering it, each once."""
    versions = item.candidate.keys if item.candidate is not None else ()
    return Reject(tuple(dict.fromkeys([*versions, *(gold.key for gold in item.gold)])))


def edit_extent(
    item: ReviewItem, chosen: Version | GoldRef, start: int, end: int, carried: Carried = NOTHING
) -> EditGold | Accept:
    """`e` on a version or gold span of `item`: the gold span to edit (see `gold_to_edit`),
    else the chosen version into gold with these boundaries, in place of the item's gold."""
    target = gold_to_edit(item, chosen)
    if target is not None:
        return EditGold(target, start, end)
    assert isinstance(chosen, Version)  # a chosen gold span is its own target
    replace = tuple(gold.id for gold in item.gold)
    key = (start, end, chosen.label)
    return Accept(key, chosen.annotators, replace, edited=True, carried=carried)


def gold_to_edit(item: ReviewItem, chosen: Version | GoldRef) -> GoldRef | None:
    """The gold span new boundaries go to: the chosen one, the one equal to the chosen version,
    or the item's only one; None when the item has no gold span or several others."""
    if isinstance(chosen, GoldRef):
        return chosen
    same = [gold for gold in item.gold if gold.key == chosen.key]
    if same:
        return same[0]
    return item.gold[0] if len(item.gold) == 1 else None


def label_extent(
    items: Sequence[ReviewItem], key: SpanKey, carried: Carried = NOTHING
) -> Accept | Add:
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
    return Accept(key, version.annotators, replace, carried=carried)


def version_with(items: Sequence[ReviewItem], key: SpanKey) -> Version | None:
    """The version some annotators marked as exactly `key`, if any."""
    for item in items:
        if item.candidate is None:
            continue
        for version in item.candidate.versions:
            if version.key == key:
                return version
    return None
