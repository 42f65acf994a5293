"""Candidates aligned across annotators, review states, auto-adjudication plans, assignment plans:
small hand-checked cases."""

from __future__ import annotations

from collections import Counter

import pytest

from review import AnnotatedSpan as S
from review.alignment import (
    ACCEPTED,
    AGREED,
    BOUNDARY,
    EDITED,
    GOLD_ONLY,
    LABEL,
    MIXED,
    OPEN,
    PARTIAL,
    REJECTED,
    GoldRef,
    align,
    anonymous_names,
    auto_plan,
    review_items,
    rivals,
)
from review.assignment import plan_assignments


def _summary(candidates) -> list[tuple[str, list[tuple[int, int, str, tuple[str, ...]]], tuple]]:
    return [
        (c.kind, [(v.start, v.end, v.label, v.annotators) for v in c.versions], c.missing)
        for c in candidates
    ]


def test_each_kind_of_candidate_with_who_marked_what() -> None:
    layers = {
        "ana": [S(0, 5, "actor"), S(10, 20, "claim"), S(30, 35, "figure"), S(40, 50, "claim")],
        "ben": [S(0, 5, "actor"), S(10, 24, "claim"), S(30, 35, "outcome")],
        "cy": [S(0, 5, "actor"), S(12, 20, "claim"), S(30, 35, "figure"), S(60, 64, "actor")],
    }
    assert _summary(align(layers)) == [
        (AGREED, [(0, 5, "actor", ("ana", "ben", "cy"))], ()),
        (
            BOUNDARY,
            [(10, 20, "claim", ("ana",)), (10, 24, "claim", ("ben",)), (12, 20, "claim", ("cy",))],
            (),
        ),
        (LABEL, [(30, 35, "figure", ("ana", "cy")), (30, 35, "outcome", ("ben",))], ()),
        (PARTIAL, [(40, 50, "claim", ("ana",))], ("ben", "cy")),
        (PARTIAL, [(60, 64, "actor", ("cy",))], ("ana", "ben")),
    ]


def test_nested_spans_of_other_labels_are_separate_candidates() -> None:
    layers = {"ana": [S(0, 40, "claim"), S(0, 5, "actor")], "ben": [S(0, 40, "claim")]}
    assert _summary(align(layers)) == [
        (PARTIAL, [(0, 5, "actor", ("ana",))], ("ben",)),
        (AGREED, [(0, 40, "claim", ("ana", "ben"))], ()),
    ]


def test_mixed_and_chained_rivals_form_one_candidate() -> None:
    # 0-10 claim rivals 5-15 claim (overlap); 5-15 claim rivals 5-15 figure (same extent).
    layers = {"ana": [S(0, 10, "claim")], "ben": [S(5, 15, "claim")], "cy": [S(5, 15, "figure")]}
    [candidate] = align(layers)
    assert candidate.kind == MIXED and (candidate.start, candidate.end) == (0, 15)
    assert candidate.missing == () and candidate.marked_by == ("ana", "ben", "cy")


def test_touching_spans_and_one_annotators_overlaps() -> None:
    # Touching same-label spans do not rival; one annotator's own overlapping spans do.
    layers = {"ana": [S(0, 5, "actor"), S(5, 9, "actor"), S(3, 8, "claim"), S(4, 8, "claim")]}
    kinds = [(c.kind, c.keys) for c in align(layers)]
    assert kinds == [
        (AGREED, ((0, 5, "actor"),)),
        (BOUNDARY, ((3, 8, "claim"), (4, 8, "claim"))),
        (AGREED, ((5, 9, "actor"),)),
    ]


def test_an_annotator_with_no_spans_makes_everything_partial() -> None:
    assert _summary(align({"ana": [S(2, 4, "actor")], "ben": []})) == [
        (PARTIAL, [(2, 4, "actor", ("ana",))], ("ben",))
    ]
    assert align({}) == [] and align({"ana": []}) == []


def test_rivals_is_symmetric_and_excludes_identity() -> None:
    assert rivals((0, 5, "a"), (3, 8, "a")) and rivals((3, 8, "a"), (0, 5, "a"))
    assert rivals((0, 5, "a"), (0, 5, "b"))
    assert not rivals((0, 5, "a"), (0, 5, "a"))
    assert not rivals((0, 5, "a"), (5, 8, "a"))  # touching
    assert not rivals((0, 5, "a"), (3, 8, "b"))  # different label, different extent


def test_review_states_follow_gold_and_decisions() -> None:
    layers = {
        "ana": [S(0, 5, "actor"), S(10, 20, "claim"), S(30, 35, "figure"), S(40, 45, "actor")],
        "ben": [S(0, 5, "actor"), S(10, 24, "claim"), S(30, 35, "figure")],
    }
    gold = [GoldRef(1, 0, 5, "actor"), GoldRef(2, 10, 22, "claim"), GoldRef(3, 70, 80, "claim")]
    items = review_items(align(layers), gold, decided=[(40, 45, "actor")])
    assert [(i.state, [g.id for g in i.gold]) for i in items] == [
        (ACCEPTED, [1]),
        (EDITED, [2]),
        (OPEN, []),
        (REJECTED, []),
        (GOLD_ONLY, [3]),
    ]
    assert (items[-1].start, items[-1].end) == (70, 80)


def test_auto_plan_adds_agreed_spans_and_leaves_the_rest() -> None:
    layers = {
        "ana": [S(0, 5, "actor"), S(10, 20, "claim"), S(30, 35, "figure"), S(50, 55, "actor")],
        "ben": [S(0, 5, "actor"), S(10, 20, "claim"), S(30, 35, "figure"), S(50, 55, "actor")],
        "cy": [S(0, 5, "actor"), S(10, 24, "claim"), S(60, 65, "actor")],
    }
    plan = auto_plan(layers, gold=[(50, 57, "actor")], decided={(30, 35, "figure")}, min_agree=2)
    assert [(v.key, v.annotators) for v in plan.add] == [
        ((0, 5, "actor"), ("ana", "ben", "cy")),
        ((10, 20, "claim"), ("ana", "ben")),
    ]
    assert (plan.already_in_gold, plan.decided, plan.conflicting) == (0, 1, 1)
    again = auto_plan(layers, gold=[(0, 5, "actor"), (10, 20, "claim")], decided=(), min_agree=3)
    assert again.add == [] and again.already_in_gold == 1


def test_auto_plan_leaves_rival_spans_that_both_qualify() -> None:
    layers = {
        "a": [S(0, 5, "claim")],
        "b": [S(0, 5, "claim")],
        "c": [S(0, 7, "claim")],
        "d": [S(0, 7, "claim")],
    }
    plan = auto_plan(layers, gold=[], decided=[], min_agree=2)
    assert plan.add == [] and plan.conflicting == 2
    with pytest.raises(ValueError, match="at least 1"):
        auto_plan(layers, [], [], 0)


def test_anonymous_names_are_numbered_in_sorted_order() -> None:
    assert anonymous_names(["cy", "ana", "ben"]) == {
        "ana": "annotator 1",
        "ben": "annotator 2",
        "cy": "annotator 3",
    }


@pytest.mark.parametrize("people,k,documents", [(3, 2, 10), (4, 3, 7), (5, 2, 101), (2, 2, 4)])
def test_plan_assignments_gives_k_each_with_balanced_loads(people, k, documents) -> None:
    names = [f"p{i}" for i in range(people)]
    plan = plan_assignments(list(range(1, documents + 1)), names, k)
    assert sorted(plan) == list(range(1, documents + 1))
    assert all(len(set(chosen)) == k == len(chosen) for chosen in plan.values())
    loads = Counter(name for chosen in plan.values() for name in chosen)
    assert sum(loads.values()) == documents * k
    assert max(loads.values()) - min(loads[name] for name in names) <= 1


def test_plan_assignments_tops_up_existing_and_varies_partners() -> None:
    names = ["a", "b", "c", "d"]
    plan = plan_assignments([1, 2, 3], names, 2, existing={1: {"a", "b"}, 2: {"c"}}, load={"a": 5})
    assert 1 not in plan  # already has two of the chosen annotators
    assert len(plan[2]) == 1 and "c" not in plan[2] and "a" not in plan[2]
    assert len(plan[3]) == 2
    pairs = plan_assignments(list(range(12)), names, 2)
    assert len({tuple(chosen) for chosen in pairs.values()}) >= 4  # not always the same pair
    with pytest.raises(ValueError, match="between 1 and"):
        plan_assignments([1], names, 5)


def test_plan_assignments_from_uneven_loads_evens_them_out() -> None:
    names = ["a", "b", "c"]
    load = {"a": 4, "b": 0, "c": 1}
    plan = plan_assignments(list(range(30)), names, 1, load=load)
    final = Counter(load)
    final.update(name for chosen in plan.values() for name in chosen)
    assert max(final.values()) - min(final.values()) <= 1
    assert plan == plan_assignments(list(range(30)), names, 1, load=load)
