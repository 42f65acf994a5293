"""Relations aligned across annotators for review, and what accepting or rejecting one does.

Pure: plain keys in, plain candidates and decisions out. A relation *version* is one exact relation
(head span key, child span key, label) with the annotators who drew it. Versions belong to the same
*relation candidate* when they have the same label and their heads fall in the same span review
item (`review.alignment.review_items`) and their children too: two annotators who linked the same
claim to the same actor agree on the link even where they drew the claim's boundaries differently.
Gold relations join the candidate whose items hold their ends.

The rules:
- accepting a version links, in gold, the gold spans standing for its ends: the gold span equal to
  the end, else the end's item's only gold span. An end with no such gold span is refused: the
  reviewer accepts the span first (a link never puts spans into gold behind the reviewer's back);
- rejecting keeps every version of the candidate, and its gold relations, out of gold;
- auto-adjudication links gold spans that K annotators linked with ends identical to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from review.alignment import ACCEPTED, GOLD_ONLY, OPEN, REJECTED, GoldRef, ReviewItem, SpanKey

# (head span key, child span key, relation label)
RelationKey = tuple[SpanKey, SpanKey, str]


@dataclass(frozen=True)
class RelationVersion:
    """One exact relation and who drew it (names sorted)."""

    head: SpanKey
    child: SpanKey
    label: str
    annotators: tuple[str, ...]

    @property
    def key(self) -> RelationKey:
        return (self.head, self.child, self.label)


@dataclass(frozen=True)
class GoldRelationRef:
    """A gold relation as review sees it: its store id and its two gold ends."""

    id: int
    head: GoldRef
    child: GoldRef
    label: str

    @property
    def key(self) -> RelationKey:
        return (self.head.key, self.child.key, self.label)


@dataclass(frozen=True)
class RelationItem:
    """Rival versions of one link between span items `head_item` and `child_item` (indexes into
    the review items), the gold relations answering it, and its state."""

    head_item: int
    child_item: int
    label: str
    versions: tuple[RelationVersion, ...]
    missing: tuple[str, ...]
    gold: tuple[GoldRelationRef, ...]
    state: str

    @property
    def keys(self) -> tuple[RelationKey, ...]:
        return tuple(version.key for version in self.versions)


def relation_versions(layers: Mapping[str, Iterable[RelationKey]]) -> list[RelationVersion]:
    """Every distinct relation of the layers with the annotators who drew it, sorted."""
    drawn: dict[RelationKey, set[str]] = defaultdict(set)
    for annotator, relations in layers.items():
        for key in relations:
            drawn[key].add(annotator)
    return [RelationVersion(*key, tuple(sorted(names))) for key, names in sorted(drawn.items())]


def relation_items(
    items: Sequence[ReviewItem],
    layers: Mapping[str, Iterable[RelationKey]],
    gold: Sequence[GoldRelationRef],
    decided: Iterable[RelationKey],
    annotators: Sequence[str],
) -> list[RelationItem]:
    """The relation candidates of a document. `layers` maps every annotator who did it (with or
    without relations) to their relations; `decided` holds the relation keys a reviewer rejected."""
    of_key, of_gold = _item_indexes(items)
    groups: dict[tuple[int, int, str], list[RelationVersion]] = defaultdict(list)
    for version in relation_versions(layers):
        ends = of_key.get(version.head), of_key.get(version.child)
        if ends[0] is not None and ends[1] is not None:
            groups[(ends[0], ends[1], version.label)].append(version)
    answers: dict[tuple[int, int, str], list[GoldRelationRef]] = defaultdict(list)
    for relation in gold:
        ends = of_gold.get(relation.head.id), of_gold.get(relation.child.id)
        if ends[0] is not None and ends[1] is not None:
            answers[(ends[0], ends[1], relation.label)].append(relation)
    decided_keys = set(decided)
    found = []
    for where in groups.keys() | answers.keys():
        versions, gold_relations = tuple(groups.get(where, ())), tuple(answers.get(where, ()))
        marked = {name for version in versions for name in version.annotators}
        missing = tuple(name for name in sorted(annotators) if name not in marked)
        state = _state(versions, gold_relations, decided_keys)
        found.append(RelationItem(*where, versions, missing, gold_relations, state))

    def order(relation: RelationItem) -> tuple[int, int, str]:
        return (items[relation.head_item].start, items[relation.child_item].start, relation.label)

    return sorted(found, key=order)


def _item_indexes(items: Sequence[ReviewItem]) -> tuple[dict[SpanKey, int], dict[int, int]]:
    """Which item each annotator span key, and each gold span id, belongs to (the first)."""
    of_key: dict[SpanKey, int] = {}
    of_gold: dict[int, int] = {}
    for index, item in enumerate(items):
        if item.candidate is not None:
            for key in item.candidate.keys:
                of_key.setdefault(key, index)
        for gold in item.gold:
            of_gold.setdefault(gold.id, index)
    return of_key, of_gold


def _state(
    versions: tuple[RelationVersion, ...],
    gold: tuple[GoldRelationRef, ...],
    decided: set[RelationKey],
) -> str:
    if not versions:
        return GOLD_ONLY
    if gold:
        return ACCEPTED
    if all(version.key in decided for version in versions):
        return REJECTED
    return OPEN


# -- decisions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptRelation:
    """Link gold span `head_id` to gold span `child_id` as `from_annotators` drew it."""

    head_id: int
    child_id: int
    label: str
    from_annotators: tuple[str, ...]


@dataclass(frozen=True)
class RejectRelations:
    """Keep these relations out of gold (and out of auto-adjudication)."""

    keys: tuple[RelationKey, ...]


@dataclass(frozen=True)
class EndNotInGold:
    """Accepting was refused: the `end` ("head" or "child") span `key` has no gold span."""

    end: str
    key: SpanKey


def accept_relation(
    relation: RelationItem, version: RelationVersion, items: Sequence[ReviewItem]
) -> AcceptRelation | EndNotInGold:
    """`a` on a relation version: link its ends' gold spans, or say which end is not in gold."""
    head = gold_end(items[relation.head_item], version.head)
    if head is None:
        return EndNotInGold("head", version.head)
    child = gold_end(items[relation.child_item], version.child)
    if child is None:
        return EndNotInGold("child", version.child)
    return AcceptRelation(head.id, child.id, version.label, version.annotators)


def gold_end(item: ReviewItem, key: SpanKey) -> GoldRef | None:
    """The gold span standing for an end: the one equal to it, else the item's only one."""
    same = [gold for gold in item.gold if gold.key == key]
    if same:
        return same[0]
    return item.gold[0] if len(item.gold) == 1 else None


def reject_relations(relation: RelationItem) -> RejectRelations:
    """`r` on a relation: every version of the candidate and every gold relation answering it."""
    keys = [*relation.keys, *(gold.key for gold in relation.gold)]
    return RejectRelations(tuple(dict.fromkeys(keys)))


# -- auto-adjudication --------------------------------------------------------------------------


@dataclass
class RelationPlan:
    """What auto-adjudication does with one document's relations: (head gold id, child gold id,
    label, annotators) to add, and how many qualifying relations it leaves alone, by reason."""

    add: list[tuple[int, int, str, tuple[str, ...]]] = field(default_factory=list)
    already_in_gold: int = 0
    decided: int = 0  # a reviewer rejected it
    ends_not_in_gold: int = 0  # a head or child that is not (exactly) a gold span


def auto_relation_plan(
    layers: Mapping[str, Iterable[RelationKey]],
    gold_spans: Sequence[GoldRef],
    gold_relations: Iterable[tuple[int, int, str]],
    decided: Iterable[RelationKey],
    min_agree: int,
) -> RelationPlan:
    """The relations at least `min_agree` annotators drew identically whose two ends are gold
    spans (the same rule as spans: identical start, end and label), linked in gold."""
    if min_agree < 1:
        raise ValueError(f"min_agree must be at least 1 (got {min_agree})")
    gold_of: dict[SpanKey, int] = {}
    for span in sorted(gold_spans, key=lambda g: g.id):
        gold_of.setdefault(span.key, span.id)
    linked, decided_keys = set(gold_relations), set(decided)
    plan = RelationPlan()
    for version in relation_versions(layers):
        if len(version.annotators) < min_agree:
            continue
        head, child = gold_of.get(version.head), gold_of.get(version.child)
        if head is None or child is None:
            plan.ends_not_in_gold += 1
        elif (head, child, version.label) in linked:
            plan.already_in_gold += 1
        elif version.key in decided_keys:
            plan.decided += 1
        else:
            plan.add.append((head, child, version.label, version.annotators))
            linked.add((head, child, version.label))
    return plan
