"""Unitizing alpha: Krippendorff's (2004, p. 254) worked example and cases computed by hand."""

from __future__ import annotations

import random

import pytest

from review.unitizing import (
    document_alpha,
    expected_disagreement,
    gap_lengths,
    label_alpha,
    label_disagreements,
    merged_units,
    observed_disagreement,
    pair_disagreement,
)

# Krippendorff (2004: 254), as DKPro Agreement's Krippendorff2004Test encodes it: a continuum
# beginning at 150 of length 300, two observers, categories c and k (offset, length).
BEGIN, LENGTH = 150, 300
EXAMPLE = {
    "c": [[(225, 70), (370, 30)], [(220, 80), (355, 20), (400, 20)]],
    "k": [[(180, 60), (300, 50)], [(180, 60), (300, 50)]],
}


def example_units(category: str) -> list[list[tuple[int, int]]]:
    """The example's units of one category, moved onto [0, 300)."""
    return [
        [(offset - BEGIN, offset - BEGIN + length) for offset, length in observer]
        for observer in EXAMPLE[category]
    ]


def example_layers() -> list[list[tuple[int, int, int]]]:
    return [
        [
            (start, end, label)
            for label, category in enumerate("ck")
            for start, end in example_units(category)[observer]
        ]
        for observer in (0, 1)
    ]


def test_krippendorff_2004_worked_example():
    c_observed = observed_disagreement(example_units("c"), LENGTH)
    c_expected = expected_disagreement(example_units("c"), LENGTH)
    assert c_observed == pytest.approx(0.0144, abs=5e-5)
    assert c_expected == pytest.approx(0.0532, abs=5e-5)
    assert label_alpha(c_observed, c_expected) == pytest.approx(0.7286, abs=5e-5)
    k_observed = observed_disagreement(example_units("k"), LENGTH)
    k_expected = expected_disagreement(example_units("k"), LENGTH)
    assert k_observed == 0
    assert k_expected == pytest.approx(0.0490, abs=5e-5)
    assert label_alpha(k_observed, k_expected) == 1.0
    assert document_alpha(example_layers(), LENGTH) == pytest.approx(0.859, abs=5e-4)


def test_worked_example_observed_disagreement_exactly():
    # c: 75-145 vs 70-150: 5² + 5²; 220-250 vs 205-225: 15² + 25²; 250-270 lies in a gap: 20².
    assert pair_disagreement(*example_units("c")) == 50 + 850 + 400
    assert observed_disagreement(example_units("c"), LENGTH) == 2 * 1300 / (2 * 1 * 300 * 300)


def test_two_shifted_units_by_hand():
    units = [[(2, 5)], [(3, 6)]]
    assert pair_disagreement(*units) == 1 + 1
    assert observed_disagreement(units, 10) == 4 / 200
    # Gaps 2, 5 and 3, 4; each unit (ℓ = 3): 1·3·2·5/3 + 9·(1 + 2 + 3) = 64.
    assert expected_disagreement(units, 10) == 2 * 128 / (10 * (2 * 10 * 19 - 12))


def test_a_unit_inside_the_others_gap_by_hand():
    units = [[(2, 4)], []]
    assert pair_disagreement(*units) == 4
    # N = 1, gaps 2, 6 and 10: 4·(1 + 5 + 9) = 60 over 2·10·19 − 2.
    expected = 2 * 60 / (10 * 378)
    assert expected_disagreement(units, 10) == expected
    assert label_alpha(0.04, expected) == pytest.approx(1 - 0.04 / expected)
    assert document_alpha([[(2, 4, 0)], []], 10) == pytest.approx(1 - 0.04 / expected)


def test_merging_and_gaps():
    assert merged_units([(2, 6), (0, 4), (8, 9)]) == [(0, 6), (8, 9)]
    assert merged_units([(0, 3), (3, 6)]) == [(0, 3), (3, 6)]  # touching units stay apart
    assert merged_units([(0, 9), (2, 3)]) == [(0, 9)]
    assert gap_lengths([(0, 3), (3, 6)], 10) == [4]
    assert gap_lengths([(2, 3), (5, 10)], 10) == [2, 2]
    assert gap_lengths([], 10) == [10]


def test_text_under_other_labels_is_gap():
    layers = [[(0, 4, 0), (4, 8, 1)], [(0, 4, 0)]]
    figures = label_disagreements(layers, 10)
    assert set(figures) == {0, 1}
    assert figures[0][0] == 0  # label 0 agrees
    assert figures[1][0] == 2 * 16 / (2 * 100)  # label 1: a 4-long unit in the other's gap


def test_null_and_degenerate_documents():
    assert document_alpha([[], []], 10) is None  # no units at all
    assert document_alpha([[(0, 1, 0)], [(0, 1, 0)]], 1) == 1.0  # D_o = D_e = 0
    assert label_alpha(0.0, 0.0) == 0.0
    assert label_alpha(0.25, 0.25) == 0.0


def dkpro_observed(units_by_annotator, length):
    """D_o by walking both continua segment by segment, as DKPro Agreement does."""

    def segments(units):
        cut, reached = [], 0
        for start, end in units:
            if start > reached:
                cut.append((reached, start, False))
            cut.append((start, end, True))
            reached = end
        if reached < length:
            cut.append((reached, length, False))
        return cut

    def distance(g, h):
        (gb, ge, g_unit), (hb, he, h_unit) = g, h
        if g_unit and h_unit:
            return (gb - hb) ** 2 + (ge - he) ** 2
        if g_unit and hb <= gb and ge <= he:
            return (ge - gb) ** 2
        if h_unit and gb <= hb and he <= ge:
            return (he - hb) ** 2
        return 0

    total = 0
    raters = len(units_by_annotator)
    for i in range(raters):
        for j in range(i + 1, raters):
            for g in segments(units_by_annotator[i]):
                for h in segments(units_by_annotator[j]):
                    if max(g[0], h[0]) < min(g[1], h[1]):
                        total += distance(g, h)
    return 2 * total / (raters * (raters - 1) * length * length)


def test_observed_disagreement_matches_a_segment_walk_on_random_unitizations():
    rng = random.Random(11)
    for _ in range(300):
        length = rng.randint(1, 40)
        layers = []
        for _annotator in range(rng.randint(2, 4)):
            spans = []
            for _span in range(rng.randint(0, 5)):
                start = rng.randrange(length)
                spans.append((start, rng.randint(start + 1, length)))
            layers.append(merged_units(spans))
        assert observed_disagreement(layers, length) == pytest.approx(
            dkpro_observed(layers, length), abs=1e-12
        )
