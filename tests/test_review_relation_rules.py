"""The pure rules of link review: relation candidates across annotators (through the span
candidates), their states, accepting into gold, rejecting, and auto-adjudication's plan."""

from __future__ import annotations

import pytest

from review.alignment import GoldRef, align, review_items
from review.model import AnnotatedSpan
from review.relation_review import (
    AcceptRelation,
    EndNotInGold,
    GoldRelationRef,
    accept_relation,
    auto_relation_plan,
    reject_relations,
    relation_items,
)

ACTOR = (0, 8, "actor")
CLAIM, SHORT_CLAIM = (10, 30, "claim"), (12, 30, "claim")
OTHER_ACTOR = (40, 47, "actor")


def _items(layers, gold=()):
    spans = {name: [AnnotatedSpan(*key) for key in keys] for name, keys in layers.items()}
    return review_items(align(spans), list(gold), [])


def test_links_whose_ends_fall_in_the_same_span_candidates_are_one_candidate():
    items = _items({"ana": [ACTOR, CLAIM, OTHER_ACTOR], "ben": [ACTOR, SHORT_CLAIM, OTHER_ACTOR]})
    layers = {
        "ana": [(CLAIM, ACTOR, "said_by")],
        "ben": [(SHORT_CLAIM, ACTOR, "said_by"), (SHORT_CLAIM, OTHER_ACTOR, "said_by")],
        "cy": [],
    }
    relations = relation_items(items, layers, [], [], ["ana", "ben", "cy"])
    assert [(r.label, len(r.versions), r.missing, r.state) for r in relations] == [
        ("said_by", 2, ("cy",), "open"),
        ("said_by", 1, ("ana", "cy"), "open"),
    ]
    assert [v.annotators for v in relations[0].versions] == [("ana",), ("ben",)]
    assert reject_relations(relations[0]).keys == (
        (CLAIM, ACTOR, "said_by"),
        (SHORT_CLAIM, ACTOR, "said_by"),
    )


def test_accepting_needs_both_ends_in_gold():
    layers = {"ana": [(CLAIM, ACTOR, "said_by")], "ben": [(CLAIM, ACTOR, "said_by")]}
    spans = {"ana": [ACTOR, CLAIM], "ben": [ACTOR, CLAIM]}
    only_claim = _items(spans, [GoldRef(7, *CLAIM)])
    [relation] = relation_items(only_claim, layers, [], [], ["ana", "ben"])
    assert accept_relation(relation, relation.versions[0], only_claim) == EndNotInGold(
        "child", ACTOR
    )
    both = _items(spans, [GoldRef(7, *CLAIM), GoldRef(8, *ACTOR)])
    [relation] = relation_items(both, layers, [], [], ["ana", "ben"])
    assert accept_relation(relation, relation.versions[0], both) == AcceptRelation(
        7, 8, "said_by", ("ana", "ben")
    )


def test_an_end_in_gold_with_other_boundaries_is_its_candidate_s_gold_span():
    spans = {"ana": [ACTOR, CLAIM], "ben": [ACTOR, SHORT_CLAIM]}
    items = _items(spans, [GoldRef(7, *SHORT_CLAIM), GoldRef(8, *ACTOR)])
    layers = {"ana": [(CLAIM, ACTOR, "said_by")], "ben": []}
    [relation] = relation_items(items, layers, [], [], ["ana", "ben"])
    decision = accept_relation(relation, relation.versions[0], items)
    assert decision == AcceptRelation(7, 8, "said_by", ("ana",))


def test_states_follow_gold_and_decisions():
    spans = {"ana": [ACTOR, CLAIM], "ben": [ACTOR, CLAIM]}
    gold_spans = [GoldRef(7, *CLAIM), GoldRef(8, *ACTOR), GoldRef(9, *OTHER_ACTOR)]
    items = _items(spans, gold_spans)
    layers = {"ana": [(CLAIM, ACTOR, "said_by")], "ben": [(CLAIM, ACTOR, "said_by")]}
    in_gold = GoldRelationRef(1, gold_spans[0], gold_spans[1], "said_by")
    [accepted] = relation_items(items, layers, [in_gold], [], ["ana", "ben"])
    assert accepted.state == "accepted" and accepted.gold == (in_gold,)
    [rejected] = relation_items(items, layers, [], [(CLAIM, ACTOR, "said_by")], ["ana", "ben"])
    assert rejected.state == "rejected"
    added = GoldRelationRef(2, gold_spans[0], gold_spans[2], "said_by")
    relations = relation_items(items, layers, [added], [], ["ana", "ben"])
    assert [r.state for r in relations] == ["open", "gold"]


@pytest.mark.parametrize(
    "min_agree,expected", [(1, (2, 0, 0, 1)), (2, (1, 0, 0, 0)), (3, (0, 0, 0, 0))]
)
def test_the_auto_plan_links_only_identical_links_between_gold_spans(min_agree, expected):
    gold = [GoldRef(7, *CLAIM), GoldRef(8, *ACTOR), GoldRef(9, *OTHER_ACTOR)]
    layers = {
        "ana": [(CLAIM, ACTOR, "said_by"), (CLAIM, OTHER_ACTOR, "said_by")],
        "ben": [(CLAIM, ACTOR, "said_by"), (SHORT_CLAIM, OTHER_ACTOR, "said_by")],
    }
    plan = auto_relation_plan(layers, gold, [], [], min_agree)
    counts = (len(plan.add), plan.already_in_gold, plan.decided, plan.ends_not_in_gold)
    assert counts == expected
    if min_agree == 2:
        assert plan.add == [(7, 8, "said_by", ("ana", "ben"))]


def test_the_auto_plan_skips_links_in_gold_and_rejected_ones():
    gold = [GoldRef(7, *CLAIM), GoldRef(8, *ACTOR), GoldRef(9, *OTHER_ACTOR)]
    layers = {"ana": [(CLAIM, ACTOR, "said_by"), (CLAIM, OTHER_ACTOR, "said_by")]}
    plan = auto_relation_plan(
        layers, gold, [(7, 8, "said_by")], [(CLAIM, OTHER_ACTOR, "said_by")], 1
    )
    assert (plan.add, plan.already_in_gold, plan.decided) == ([], 1, 1)
    with pytest.raises(ValueError):
        auto_relation_plan(layers, gold, [], [], 0)
