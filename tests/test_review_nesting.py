"""Nested spans of different labels in alignment, review states and auto plans; what a gold span
takes from its version's annotators (`merged`, `taken_from`)."""

from __future__ import annotations

import random
from collections import defaultdict

from review import AnnotatedSpan as S
from review.adjudication import Marking, accept, distinct_markings, merged, taken_from
from review.alignment import (
    ACCEPTED,
    BOUNDARY,
    LABEL,
    OPEN,
    PARTIAL,
    GoldRef,
    align,
    auto_plan,
    review_items,
    rivals,
    versions_of,
)

# The case: ana's claim 751-923 with her outcome 895-923 nested in it; ben's claim 895-923.
NESTED = {
    "ana": [S(751, 923, "claim"), S(895, 923, "outcome")],
    "ben": [S(895, 923, "claim")],
}


def _kinds(layers) -> list[tuple[str, tuple]]:
    return [(c.kind, c.keys) for c in align(layers)]


def test_nested_labels_of_one_annotator_are_separate_candidates() -> None:
    assert _kinds(NESTED) == [
        (BOUNDARY, ((751, 923, "claim"), (895, 923, "claim"))),
        (PARTIAL, ((895, 923, "outcome"),)),
    ]


def test_same_extent_under_two_labels_is_still_a_label_disagreement() -> None:
    layers = {"ana": [S(895, 923, "outcome")], "ben": [S(895, 923, "claim")]}
    assert _kinds(layers) == [(LABEL, ((895, 923, "claim"), (895, 923, "outcome")))]
    # One annotator who gave the same text both labels meant both: two candidates.
    both = {"ana": [S(0, 9, "claim"), S(0, 9, "outcome")], "ben": [S(0, 9, "claim")]}
    assert _kinds(both) == [("agreed", ((0, 9, "claim"),)), (PARTIAL, ((0, 9, "outcome"),))]


def test_gold_holds_the_claim_and_the_nested_outcome_each_answering_its_own() -> None:
    gold = [GoldRef(1, 751, 923, "claim"), GoldRef(2, 895, 923, "outcome")]
    items = review_items(align(NESTED), gold, [])
    assert [(i.candidate.keys if i.candidate else None, [g.id for g in i.gold]) for i in items] == [
        (((751, 923, "claim"), (895, 923, "claim")), [1]),
        (((895, 923, "outcome"),), [2]),
    ]
    assert [i.state for i in items] == [ACCEPTED, ACCEPTED]
    # Accepting ben's claim replaces the claim only, never the outcome.
    claim_item = items[0]
    decision = accept(claim_item, claim_item.candidate.versions[1])
    assert decision.replace == (1,)


def _reference_groups(layers) -> list[set[tuple[int, int, str]]]:
    """The candidates plain rivalry gives (what alignment did before nesting was told apart)."""
    keys = [v.key for v in versions_of(layers)]
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if rivals(a, b):
                parent[root(j)] = root(i)
    groups: dict[int, set] = defaultdict(set)
    for i, key in enumerate(keys):
        groups[root(i)].add(key)
    return sorted(groups.values(), key=sorted)


def test_without_nesting_candidates_are_what_plain_rivalry_gives() -> None:
    rng = random.Random(13)
    for _ in range(300):
        layers: dict[str, list[S]] = {}
        for name in ("ana", "ben", "cy"):
            spans: list[S] = []
            for _ in range(rng.randint(0, 6)):
                start = rng.randrange(0, 60)
                candidate = S(start, start + rng.randint(1, 12), rng.choice("abc"))
                overlapping_other_label = any(
                    s.label != candidate.label
                    and s.start < candidate.end
                    and candidate.start < s.end
                    for s in spans
                )
                if not overlapping_other_label:  # no annotator nests or overlaps two labels
                    spans.append(candidate)
            layers[name] = spans
        got = sorted((set(c.keys) for c in align(layers)), key=sorted)
        assert got == _reference_groups(layers)


def test_auto_plan_with_one_puts_in_every_span_once_rivals_flagged() -> None:
    layers = {
        "ana": [S(0, 5, "actor"), S(10, 20, "claim"), S(30, 35, "figure")],
        "ben": [S(0, 5, "actor"), S(12, 20, "claim")],
        "cy": [S(0, 5, "actor"), S(40, 45, "actor")],
    }
    plan = auto_plan(layers, gold=[], decided=[], min_agree=1)
    assert [v.key for v in plan.add] == [
        (0, 5, "actor"),  # three identical: once
        (10, 20, "claim"),
        (12, 20, "claim"),
        (30, 35, "figure"),
        (40, 45, "actor"),
    ]
    assert (plan.beside_rival, plan.conflicting) == (2, 0)
    # Once gold holds one claim (a reviewer chose), the other rival stays out.
    again = auto_plan(layers, gold=[(0, 5, "actor"), (12, 20, "claim")], decided=[], min_agree=1)
    assert [v.key for v in again.add] == [(30, 35, "figure"), (40, 45, "actor")]
    assert (again.already_in_gold, again.conflicting) == (2, 1)


def test_auto_plan_puts_both_nested_labels_in() -> None:
    plan = auto_plan(NESTED, gold=[(895, 923, "outcome")], decided=[], min_agree=1)
    assert [v.key for v in plan.add] == [(751, 923, "claim"), (895, 923, "claim")]
    assert plan.conflicting == 0


def test_gold_with_rival_versions_stays_open_until_one_is_chosen() -> None:
    layers = {"ana": [S(10, 20, "claim")], "ben": [S(12, 20, "claim")]}
    both = [GoldRef(1, 10, 20, "claim"), GoldRef(2, 12, 20, "claim")]
    assert [i.state for i in review_items(align(layers), both, [])] == [OPEN]
    assert [i.state for i in review_items(align(layers), both[:1], [])] == [ACCEPTED]


def test_merged_takes_what_no_annotator_contradicts() -> None:
    markings = [
        Marking("ana", "check the toll", {"certainty": "high", "source": "ministry"}),
        Marking("ben", "check the toll", {"certainty": "low"}, entity_id=7),
        Marking("cy"),
    ]
    took = merged(markings)
    assert (took.note, dict(took.attrs), took.entity_id) == (
        "check the toll",
        {"source": "ministry"},
        7,
    )
    assert took.note_from == ("ana", "ben") and took.attrs_from == ("ana", "ben")
    assert took.left_out == ("certainty",)
    assert merged([Marking("ana", "x"), Marking("ben", "y")]).note is None
    assert merged([Marking("ana", "x"), Marking("ben", "y")]).left_out == ("note",)


def test_taken_from_credits_everyone_who_gave_the_same() -> None:
    markings = [Marking("ana", "n", {"k": 1}), Marking("ben", "m"), Marking("cy", "n", {"k": 1})]
    assert [who for _m, who in distinct_markings(markings)] == [("ana", "cy"), ("ben",)]
    took = taken_from(markings[0], markings)
    assert (took.note, dict(took.attrs), took.note_from, took.left_out) == (
        "n",
        {"k": 1},
        ("ana", "cy"),
        (),
    )
