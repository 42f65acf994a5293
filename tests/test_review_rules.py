"""The adjudication rules without a screen: what accept, reject, `e` and a label key decide,
over candidates aligned from real annotator layers."""

from __future__ import annotations

from review import AnnotatedSpan as S
from review.adjudication import (
    Accept,
    Add,
    EditGold,
    Reject,
    accept,
    edit_extent,
    gold_to_edit,
    label_extent,
    reject,
    version_with,
)
from review.alignment import BOUNDARY, GOLD_ONLY, GoldRef, ReviewItem, align, review_items

# ana and ben disagree on a claim's boundaries; both marked the actor inside it.
LAYERS = {
    "ana": [S(10, 20, "claim"), S(10, 13, "actor")],
    "ben": [S(10, 24, "claim"), S(10, 13, "actor")],
}
ACCEPTED_ANA = GoldRef(1, 10, 20, "claim")
EDITED = GoldRef(2, 11, 22, "claim")
ACTOR = GoldRef(3, 10, 13, "actor")
ADDED = GoldRef(4, 40, 45, "figure")


def _items(*gold: GoldRef) -> list[ReviewItem]:
    return review_items(align(LAYERS), list(gold), [])


def _claim(items: list[ReviewItem]) -> ReviewItem:
    (item,) = [i for i in items if i.candidate is not None and i.candidate.kind == BOUNDARY]
    return item


def test_accept_replaces_the_candidates_other_gold_spans_only() -> None:
    item = _claim(_items(ACCEPTED_ANA, EDITED, ACTOR))
    assert item.candidate is not None
    ana, ben = item.candidate.versions
    assert accept(item, ben) == Accept((10, 24, "claim"), ("ben",), (1, 2))
    # The version already in gold is not replaced by itself; the nested actor is another candidate.
    assert accept(item, ana) == Accept((10, 20, "claim"), ("ana",), (2,))


def test_reject_keeps_every_version_and_gold_span_of_the_candidate_out_once() -> None:
    item = _claim(_items(ACCEPTED_ANA, EDITED))
    assert reject(item) == Reject(((10, 20, "claim"), (10, 24, "claim"), (11, 22, "claim")))
    gold_only = next(i for i in _items(ADDED) if i.state == GOLD_ONLY)
    assert reject(gold_only) == Reject(((40, 45, "figure"),))


def test_e_on_a_gold_span_edits_that_span() -> None:
    item = _claim(_items(ACCEPTED_ANA, EDITED))
    assert edit_extent(item, EDITED, 12, 24) == EditGold(EDITED, 12, 24)
    assert EditGold(EDITED, 12, 24).key == (12, 24, "claim")


def test_e_on_a_version_edits_the_gold_span_equal_to_it_or_the_only_one() -> None:
    item = _claim(_items(ACCEPTED_ANA, EDITED))
    assert item.candidate is not None
    ana, ben = item.candidate.versions
    assert gold_to_edit(item, ana) == ACCEPTED_ANA  # equal to the version, among several
    assert gold_to_edit(item, ben) is None  # several, none equal: no one to pick
    only = _claim(_items(EDITED))
    assert edit_extent(only, ben, 10, 22) == EditGold(EDITED, 10, 22)


def test_e_on_a_version_without_a_gold_span_to_edit_accepts_it_with_new_boundaries() -> None:
    item = _claim(_items())
    assert item.candidate is not None
    _ana, ben = item.candidate.versions
    assert edit_extent(item, ben, 10, 22) == Accept((10, 22, "claim"), ("ben",), (), edited=True)
    several = _claim(_items(ACCEPTED_ANA, EDITED))
    assert edit_extent(several, ben, 10, 22) == Accept(
        (10, 22, "claim"), ("ben",), (1, 2), edited=True
    )


def test_a_label_key_over_an_annotators_version_accepts_it() -> None:
    items = _items(EDITED, ACTOR)
    assert version_with(items, (10, 24, "claim")) is not None
    assert label_extent(items, (10, 24, "claim")) == Accept((10, 24, "claim"), ("ben",), (2,))
    # The actor both marked is in gold already: accepting it again replaces nothing.
    assert label_extent(items, (10, 13, "actor")) == Accept((10, 13, "actor"), ("ana", "ben"), ())


def test_a_label_key_over_other_text_adds_a_gold_span() -> None:
    items = _items(EDITED)
    assert version_with(items, (10, 24, "actor")) is None  # the extent matches, the label not
    assert label_extent(items, (10, 24, "actor")) == Add((10, 24, "actor"))
    assert label_extent(items, (11, 22, "claim")) == Add((11, 22, "claim"))  # gold, no version
