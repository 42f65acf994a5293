"""Span matching: strict as a multiset intersection, overlap as a maximum bipartite matching."""

from __future__ import annotations

import random
from itertools import permutations

from review.span_f1 import (
    f1_figures,
    maximum_matching_size,
    overlap_adjacency,
    overlap_matches,
    strict_matches,
)


def greedy_in_list_order(reference, predicted) -> int:
    """The matching agreement.md warns about: each reference span takes the first free overlap."""
    taken: set[int] = set()
    for start, end in reference:
        for index, (other_start, other_end) in enumerate(predicted):
            if index not in taken and other_start < end and other_end > start:
                taken.add(index)
                break
    return len(taken)


def brute_force_matching(reference, predicted) -> int:
    """The largest number of disjoint overlapping pairs, by trying every assignment."""
    if len(reference) > len(predicted):
        reference, predicted = predicted, reference
    best = 0
    for chosen in permutations(range(len(predicted)), len(reference)):
        pairs = sum(
            1
            for (start, end), index in zip(reference, chosen, strict=True)
            if predicted[index][0] < end and predicted[index][1] > start
        )
        best = max(best, pairs)
    return best


def test_overlap_finds_the_maximum_where_greedy_does_not():
    reference = [(0, 10), (0, 2)]
    predicted = [(1, 3), (5, 6)]
    assert greedy_in_list_order(reference, predicted) == 1
    assert overlap_matches(reference, predicted) == 2


def test_augmenting_path_through_several_matched_spans():
    # A chain: r0 overlaps p0 and p1, r1 overlaps p1 and p2, r2 overlaps only p0.
    reference = [(0, 10), (9, 20), (0, 2)]
    predicted = [(1, 3), (8, 12), (15, 16)]
    assert greedy_in_list_order(reference, predicted) == 2
    assert overlap_matches(reference, predicted) == 3


def test_touching_spans_do_not_overlap():
    assert overlap_matches([(0, 5)], [(5, 8)]) == 0
    assert overlap_matches([(0, 5)], [(4, 8)]) == 1
    assert overlap_adjacency([(3, 6)], [(0, 3), (6, 9), (5, 6), (2, 4)]) == [[3, 2]]


def test_strict_is_a_multiset_intersection():
    assert strict_matches([(0, 2), (0, 2), (3, 4)], [(0, 2), (3, 4), (3, 4)]) == 2
    assert strict_matches([(0, 2), (0, 2)], [(0, 2), (0, 2)]) == 2
    assert strict_matches([(0, 2)], [(0, 3)]) == 0
    assert strict_matches([], [(0, 3)]) == 0


def test_one_span_matches_at_most_once():
    assert overlap_matches([(0, 10)], [(1, 2), (3, 4), (5, 6)]) == 1
    assert overlap_matches([(0, 10), (0, 10)], [(0, 10)]) == 1


def test_maximum_matching_on_random_interval_sets_equals_brute_force():
    rng = random.Random(5)
    for _ in range(400):
        reference = [_random_interval(rng) for _ in range(rng.randint(0, 6))]
        predicted = [_random_interval(rng) for _ in range(rng.randint(0, 6))]
        assert overlap_matches(reference, predicted) == brute_force_matching(reference, predicted)


def test_matching_on_a_general_bipartite_graph():
    # Perfect matching exists only by moving 0 off its first choice twice.
    assert maximum_matching_size([[0, 1], [0], [1, 2]], 3) == 3
    assert maximum_matching_size([[0], [0], [0]], 1) == 1
    assert maximum_matching_size([[], []], 2) == 0


def test_f1_figures_and_their_null_cases():
    assert f1_figures(2, 4, 2) == {
        "n_a": 4,
        "n_b": 2,
        "matches": 2,
        "precision": 1.0,
        "recall": 0.5,
        "f1": 4 / 6,
    }
    assert f1_figures(0, 0, 3)["recall"] is None
    assert f1_figures(0, 0, 3)["f1"] == 0.0
    assert f1_figures(0, 3, 0)["precision"] is None
    assert f1_figures(0, 0, 0)["f1"] is None


def _random_interval(rng: random.Random) -> tuple[int, int]:
    start = rng.randint(0, 20)
    return start, start + rng.randint(1, 6)
