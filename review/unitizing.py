"""Krippendorff's unitizing alpha (α_U) over one document's continuum of code points.

As defined in agreement.md, after Krippendorff (1995, 2004) and DKPro Agreement's
`KrippendorffAlphaUnitizingAgreement`: for each label, every annotator's continuum `[0, L)` is
cut into units (their spans of the label, overlapping ones merged) and gaps (everything else).
Sums are exact integers; each disagreement is one division.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate, combinations

from review.model import IndexedSpan

Interval = tuple[int, int]


def merged_units(spans: list[Interval]) -> list[Interval]:
    """The union of one annotator's spans of one label: overlapping spans merge, touching do not."""
    units: list[Interval] = []
    for start, end in sorted(spans):
        if units and start < units[-1][1]:
            if end > units[-1][1]:
                units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
    return units


def gap_lengths(units: list[Interval], length: int) -> list[int]:
    """The lengths of the maximal stretches of `[0, length)` outside the (sorted) units."""
    gaps: list[int] = []
    reached = 0
    for start, end in units:
        if start > reached:
            gaps.append(start - reached)
        reached = end
    if length > reached:
        gaps.append(length - reached)
    return gaps


def pair_disagreement(first: list[Interval], second: list[Interval]) -> int:
    """Σδ² between two annotators' units of one label.

    Two units that share a character add `(b_g − b_h)² + (e_g − e_h)²`; a unit sharing no
    character with the other's units lies inside one of their gaps and adds its length squared;
    any other unit–gap or gap–gap pair adds 0.
    """
    total = 0
    first_hit = [False] * len(first)
    second_hit = [False] * len(second)
    i = j = 0
    while i < len(first) and j < len(second):
        (first_start, first_end), (second_start, second_end) = first[i], second[j]
        if first_end <= second_start:
            i += 1
        elif second_end <= first_start:
            j += 1
        else:
            total += (first_start - second_start) ** 2 + (first_end - second_end) ** 2
            first_hit[i] = second_hit[j] = True
            # Move past whichever unit ends first; it can meet no later unit of the other.
            if first_end <= second_end:
                i += 1
            if second_end <= first_end:
                j += 1
    total += sum(
        (end - start) ** 2 for (start, end), hit in zip(first, first_hit, strict=True) if not hit
    )
    total += sum(
        (end - start) ** 2 for (start, end), hit in zip(second, second_hit, strict=True) if not hit
    )
    return total


def observed_disagreement(units_by_annotator: Sequence[list[Interval]], length: int) -> float:
    """D_o(k) = 2Σδ²/(R(R−1)L²) over every pair of annotators."""
    raters = len(units_by_annotator)
    total = sum(pair_disagreement(a, b) for a, b in combinations(units_by_annotator, 2))
    return 2 * total / (raters * (raters - 1) * length * length)


def expected_disagreement(units_by_annotator: Sequence[list[Interval]], length: int) -> float:
    """D_e(k): the disagreement expected over all unitizations with these units and gaps."""
    raters = len(units_by_annotator)
    unit_lengths = [end - start for units in units_by_annotator for start, end in units]
    gaps = sorted(g for units in units_by_annotator for g in gap_lengths(units, length))
    gap_sums = [0, *accumulate(gaps)]
    count = len(unit_lengths)
    numerator = 0
    for unit in unit_lengths:
        # ℓ(ℓ−1)(2ℓ−1) is six times a sum of squares, so the division by 3 is exact.
        numerator += (count - 1) * unit * (unit - 1) * (2 * unit - 1) // 3
        first_fitting = bisect_left(gaps, unit)  # gaps g ≥ ℓ fit the unit at g − ℓ + 1 places
        fitting = len(gaps) - first_fitting
        places = gap_sums[-1] - gap_sums[first_fitting] - (unit - 1) * fitting
        numerator += unit * unit * places
    pairs = raters * length * (raters * length - 1) - sum(u * (u - 1) for u in unit_lengths)
    return 2 * numerator / (length * pairs)


def label_disagreements(
    layers: Sequence[list[IndexedSpan]], length: int
) -> dict[int, tuple[float, float]]:
    """(D_o(k), D_e(k)) for every label k that some annotator of the document used.

    `layers` holds the spans of the annotators who did the document (at least two).
    """
    labels = sorted({label for spans in layers for _start, _end, label in spans})
    figures: dict[int, tuple[float, float]] = {}
    for label in labels:
        units = [
            merged_units([(start, end) for start, end, k in spans if k == label])
            for spans in layers
        ]
        figures[label] = (
            observed_disagreement(units, length),
            expected_disagreement(units, length),
        )
    return figures


def label_alpha(observed: float, expected: float) -> float:
    """α_U(k) = 1 − D_o(k)/D_e(k); 0.0 when they are equal (as DKPro Agreement defines it)."""
    return 0.0 if observed == expected else 1 - observed / expected


def document_alpha(layers: Sequence[list[IndexedSpan]], length: int) -> float | None:
    """α_U of one document: 1 − mean_k D_o(k) / mean_k D_e(k).

    `None` when no annotator marked a unit; 1.0 when both means are 0.
    """
    figures = label_disagreements(layers, length)
    if not figures:
        return None
    observed = sum(d_o for d_o, _d_e in figures.values()) / len(figures)
    expected = sum(d_e for _d_o, d_e in figures.values()) / len(figures)
    if expected == 0:
        return 1.0 if observed == 0 else None
    return 1 - observed / expected
